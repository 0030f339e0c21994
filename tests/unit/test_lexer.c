/* The lexer: lines (include, @conditions, $parameters, ~SEQ/~LST, comments,
 * braces) and words, checked against what keepalived 2.2.7 reads. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "parser/lines.h"
#include "parser/tree.h"

/* Render a tree compactly: statements separated by "; ", a block as
 * "{ ... }", quoted words in double quotes. */
static void render_nodes(const struct cfg_node *n, char *out, size_t size, size_t *used)
{
	for (; n; n = n->next) {
		for (unsigned i = 0; i < n->argc; i++)
			*used += (size_t)snprintf(out + *used, size - *used,
						  n->args[i].quoted ? "%s\"%s\"" : "%s%s",
						  i ? " " : "", n->args[i].s);
		if (n->has_block) {
			*used += (size_t)snprintf(out + *used, size - *used, " {%s",
						  n->child ? " " : "");
			render_nodes(n->child, out, size, used);
			*used += (size_t)snprintf(out + *used, size - *used, " }");
		}
		if (n->next)
			*used += (size_t)snprintf(out + *used, size - *used, "; ");
	}
}

static char rendered[1 << 16];

static const char *render(const struct cfg_tree *t)
{
	size_t used = 0;

	rendered[0] = '\0';
	if (t)
		render_nodes(t->first, rendered, sizeof(rendered), &used);
	return rendered;
}

static const char *fake_env(const char *name, void *data)
{
	(void)data;
	return !strcmp(name, "VIGIL_TEST") ? "from-env" : NULL;
}

static const struct lex_opts opts = {
	.config_id = "main",
	.getenv = fake_env,
	.random_seed = 42,
};

struct parsed {
	struct diag_list dl;
	struct cfg_tree *t;
	int rc;
};

static const char *lex_with(struct parsed *p, const char *text, const struct lex_opts *o)
{
	memset(p, 0, sizeof(*p));
	p->rc = cfg_tree_parse_string("test.conf", text, o, &p->dl, &p->t);
	return render(p->t);
}

static const char *lex(struct parsed *p, const char *text)
{
	return lex_with(p, text, &opts);
}

static void done(struct parsed *p)
{
	cfg_tree_free(p->t);
	diag_list_free(&p->dl);
}

/* The one diagnostic containing @needle, as "line:col: level: msg" minus the file. */
static const char *diag_at(const struct parsed *p, const char *needle)
{
	static char buf[512];
	int i = diag_find(&p->dl, needle);

	if (i < 0) {
		for (size_t k = 0; k < p->dl.n; k++)
			print_message("diag: %s:%u:%u: %s\n", p->dl.v[k].file, p->dl.v[k].line,
				      p->dl.v[k].col, p->dl.v[k].msg);
		return "(none)";
	}
	snprintf(buf, sizeof(buf), "%u:%u", p->dl.v[i].line, p->dl.v[i].col);
	return buf;
}

#define assert_lex(text, expected)                                          \
	do {                                                                \
		struct parsed p_;                                           \
		assert_string_equal(lex(&p_, text), expected);              \
		assert_int_equal(p_.dl.errors, 0);                          \
		done(&p_);                                                  \
	} while (0)

static void test_words_and_blocks(void **state)
{
	(void)state;
	assert_lex("a b c\n", "a b c");
	assert_lex("a {\n b 1\n c 2\n}\n", "a { b 1; c 2 }");
	assert_lex("a\n{\n b\n}\n", "a { b }");
	assert_lex("real_server 1.2.3.4 80 { weight 2 }", "real_server 1.2.3.4 80 { weight 2 }");
	assert_lex("vrrp_instance VI_1{\nstate MASTER}\n", "vrrp_instance VI_1 { state MASTER }");
	assert_lex("a { b { c } d }", "a { b { c }; d }");
	assert_lex("a {}\n", "a { }");
	assert_lex("  \t\n\n\r\nx\r\n", "x");
}

static void test_comments(void **state)
{
	struct parsed p;

	(void)state;
	/* '#' and '!' start a comment anywhere outside double quotes */
	assert_lex("a b # c\n", "a b");
	assert_lex("a b! c\n", "a b");
	assert_lex("foo#bar\n", "foo");
	assert_lex("# whole line\n! other\n", "");
	assert_lex("a \"b # c\" d\n", "a \"b # c\" d");
	assert_lex("a ab\\#cd\n", "a ab#cd");
	assert_lex("a ab\\!cd\n", "a ab!cd");
	/* single quotes do not protect from comments (keepalived) */
	assert_lex("a 'b#c'\n", "a 'b");
	assert_string_equal(lex(&p, "a \"unterminated\n"), "a \"unterminated\"");
	assert_string_equal(diag_at(&p, "unterminated double quote"), "1:3");
	done(&p);
}

static void test_quotes(void **state)
{
	(void)state;
	assert_lex("a \"b c\" d\n", "a \"b c\" d");
	assert_lex("a abcd\" efg h \"mnop\n", "a \"abcd efg h mnop\"");
	assert_lex("a 'x y'\n", "a \"x y\"");
	assert_lex("a \"\\x41\\101\\t\"\n", "a \"AA\t\"");
	assert_lex("a \"q\\\"q\"\n", "a \"q\"q\"");
	/* an unmatched single quote is a character, as for keepalived */
	assert_lex("router_id it's\n", "router_id it's");
	/* braces inside double quotes stay */
	assert_lex("a \"{x}\" { b }\n", "a \"{x}\" { b }");
}

static void test_brace_errors(void **state)
{
	struct parsed p;

	(void)state;
	lex(&p, "a {\n b\n");
	assert_string_equal(diag_at(&p, "missing '}'"), "1:3");
	assert_int_not_equal(p.rc, 0);
	done(&p);
	lex(&p, "a\n}\n");
	assert_string_equal(diag_at(&p, "'}' without"), "2:1");
	done(&p);
	lex(&p, "a { b }\n{\n}\n");
	assert_string_equal(diag_at(&p, "'{' without"), "2:1");
	done(&p);
}

static void test_locations(void **state)
{
	struct parsed p;
	const struct cfg_node *n;

	(void)state;
	lex(&p, "\n  alpha  beta {\n\tgamma\n}\n");
	n = p.t->first;
	assert_int_equal(n->loc.line, 2);
	assert_int_equal(n->loc.col, 3);
	assert_int_equal(n->args[1].loc.col, 10);
	assert_int_equal(n->block_loc.col, 15);
	assert_int_equal(n->child->loc.line, 3);
	assert_int_equal(n->child->loc.col, 2);
	assert_string_equal(n->loc.file, "test.conf");
	done(&p);
	/* text from a parameter is located at the parameter's use */
	lex(&p, "$X=hello world\nkw  a $X\n");
	n = p.t->first;
	assert_int_equal(n->args[1].loc.col, 5);
	assert_int_equal(n->args[2].loc.col, 7);
	assert_int_equal(n->args[3].loc.col, 7);
	done(&p);
}

static void test_conditionals(void **state)
{
	struct parsed p;
	struct lex_opts o = opts;

	(void)state;
	assert_lex("@main a\n@backup b\n@^main c\n@^backup d\n", "a; d");
	assert_lex("@main\n", "");
	assert_lex("x {\n  @main y 1\n  @other y 2\n}\n", "x { y 1 }");
	assert_lex("x { @main y }\n", "x { y }");
	o.config_id = "backup";
	assert_string_equal(lex_with(&p, "@main a\n@backup b\n@^main c\n", &o), "b; c");
	done(&p);
	/* the default id is the host name up to its first '.' */
	o.config_id = NULL;
	{
		char host[256], expect[300];

		gethostname(host, sizeof(host));
		host[strcspn(host, ".")] = '\0';
		snprintf(expect, sizeof(expect), "id %s", host);
		assert_string_equal(lex_with(&p, "id ${_INSTANCE}\n", &o), expect);
		done(&p);
	}
}

static void test_parameters(void **state)
{
	(void)state;
	assert_lex("$A=1\nx $A\n", "x 1");
	assert_lex("$A=1\nx ${A}2\n", "x 12");
	assert_lex("$A=1\nx $A2 $A,\n", "x $A2 1,");
	/* undefined parameters stay as they are */
	assert_lex("x $UNDEF \"${UNDEF}\"\n", "x $UNDEF \"${UNDEF}\"");
	/* recursive, at use time (keepalived.conf(5)) */
	assert_lex("$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n$ADDRESS_BASE_SUB=0\n"
		   "${ADDRESS_BASE}.100/32\n$ADDRESS_BASE_SUB=10\n${ADDRESS_BASE}.100/32\n",
		   "10.2.0.100/32; 10.2.10.100/32");
	/* no blank before '=': not a definition */
	assert_lex("$B =1\n", "$B =1");
	/* empty value, comments stripped from the value, leading blanks */
	assert_lex("$E=\nx${E}y\n", "xy");
	assert_lex("  $C=5 # five\nv $C\n", "v 5");
	/* with conditionals, both ways */
	assert_lex("@main $P=240\n@backup $P=200\npriority $P\n", "priority 240");
	assert_lex("$IF_MAIN=@main\n$IF_MAIN priority 240\n$IF_B=@b\n$IF_B x\n", "priority 240");
	/* pre-defined */
	/* ... which, unquoted, start a comment after expansion, as in keepalived */
	assert_lex("a \"x${_HASH}y\" ${_HASH} b\n", "a \"x#y\"");
	assert_lex("a x${_BANG}y\n", "a x");
	assert_lex("a \"${_BANG}\"\n", "a \"!\"");
	assert_lex("e ${_ENV VIGIL_TEST} x${_ENV NOPE}y\n", "e from-env xy");
	assert_lex("i ${_INSTANCE}\n", "i main");
	/* a user definition overrides a pre-defined one */
	assert_lex("$_HASH=h\nx ${_HASH}\n", "x h");
}

static void test_random(void **state)
{
	struct parsed p;
	const struct cfg_node *n;

	(void)state;
	lex(&p, "r ${_RANDOM} ${_RANDOM 5} ${_RANDOM 7 9} ${_RANDOM x}\n");
	n = p.t->first;
	assert_true(atoi(n->args[1].s) >= 0 && atoi(n->args[1].s) <= 32767);
	assert_true(atoi(n->args[2].s) >= 5 && atoi(n->args[2].s) <= 32767);
	assert_true(atoi(n->args[3].s) >= 7 && atoi(n->args[3].s) <= 9);
	/* not a valid use: left as written, and keepalived rejects it */
	/* after a substitution, columns are those of the first one */
	assert_string_equal(diag_at(&p, "not defined"), "1:3");
	done(&p);
}

/* global_defs "random_seed N" restarts ${_RANDOM} from N for the lines after
 * it, whatever the clock (lex_opts seed 0), as keepalived's srandom(). */
static void test_random_seed(void **state)
{
	static const char text[] = "global_defs {\n random_seed 7\n}\nr ${_RANDOM}\n"
				   "global_defs {\n random_seed 7\n}\nr ${_RANDOM}\n"
				   "global_defs {\n random_seed 8\n}\nr ${_RANDOM}\n"
				   "global_defs {\n random_seed x\n}\n";
	struct lex_opts clock_seeded = opts;
	struct parsed p;
	const struct cfg_node *n;
	char first[16];

	(void)state;
	clock_seeded.random_seed = 0;
	lex_with(&p, text, &clock_seeded);
	n = p.t->first->next;
	snprintf(first, sizeof(first), "%s", n->args[1].s);
	n = n->next->next;
	assert_string_equal(n->args[1].s, first);
	n = n->next->next;
	assert_string_not_equal(n->args[1].s, first);
	assert_int_equal(p.dl.errors, 0); /* the model reports a bad seed */
	done(&p);
}

static void test_multiline_definitions(void **state)
{
	(void)state;
	assert_lex("$INSTANCE= \\\n"
		   "vrrp_instance VI_${NUM} { \\\n"
		   "    interface eth0.${NUM} \\\n"
		   "    @main priority 130 \\\n"
		   "    @low priority 120 \\\n"
		   "}\n"
		   "$NUM=0\n$INSTANCE\n$NUM=1\n$INSTANCE\n",
		   "vrrp_instance VI_0 { interface eth0.0; priority 130 }; "
		   "vrrp_instance VI_1 { interface eth0.1; priority 130 }");
	/* nested: a multi-line definition using another */
	assert_lex("$RS= \\\nreal_server 10.0.0.${RS_NUM} 80 { \\\n weight 1 \\\n}\n"
		   "$VS= \\\nvirtual_server 10.0.${VS_NUM}.4 80 { \\\n $RS_NUM=1 \\\n $RS \\\n"
		   " $RS_NUM=2 \\\n $RS \\\n}\n"
		   "$VS_NUM=7\n$VS\n",
		   "virtual_server 10.0.7.4 80 { real_server 10.0.0.1 80 { weight 1 }; "
		   "real_server 10.0.0.2 80 { weight 1 } }");
	/* only usable at the end of a line */
	assert_lex("$M=a \\\nb\nx $M y\nz $M\n", "x $M y; z a; b");
	/* first line on the definition line; comments inside are dropped */
	assert_lex("$M=one \\\n# note\ntwo \\\nthree\n$M\n", "one; two; three");
	/* an empty line ends it */
	assert_lex("$M=\\\na \\\n\nb\n$M\n", "b; a");
}

static void test_seq(void **state)
{
	struct parsed p;

	(void)state;
	assert_lex("~SEQ(SUBNET, 0, 3) ip 10.0.${SUBNET}.1\n",
		   "ip 10.0.0.1; ip 10.0.1.1; ip 10.0.2.1; ip 10.0.3.1");
	assert_lex("~SEQx(S, 0x90, 0x10, 0xc0) ip fe80::${S}:1\n",
		   "ip fe80::90:1; ip fe80::a0:1; ip fe80::b0:1; ip fe80::c0:1");
	assert_lex("~SEQ(i, 3) a$i\n", "a1; a2; a3");
	assert_lex("~SEQ(i, -2) a$i\n", "a-1; a-2");
	assert_lex("~SEQ(i, 5, 3) a$i\n", "a5; a4; a3");
	assert_lex("$N=3\n~SEQ(i, 1, $N) a$i\n", "a1; a2; a3");
	assert_lex("v {\n~SEQx(AD2, 0x90, 0x10, 0xa0) ~SEQx(AD1, 0x12, -1, 0x11) fe81::${AD2}:${AD1}\n}\n",
		   "v { fe81::90:12; fe81::90:11; fe81::a0:12; fe81::a0:11 }");
	/* with a multi-line definition */
	assert_lex("$B= \\\nb${I}${J} { \\\nx \\\n}\n~SEQ(I,1,2) ~SEQ(J,1,2) $B\n",
		   "b11 { x }; b12 { x }; b21 { x }; b22 { x }");
	lex(&p, "x\n~SEQ(i, 1, -1, 3) a\n");
	assert_string_equal(diag_at(&p, "invalid ~SEQ"), "2:1");
	done(&p);
	lex(&p, "~SEQx(i, -1, 3) a\n");
	assert_string_equal(diag_at(&p, "positive"), "1:1");
	done(&p);
	lex(&p, "~SEQ(i, 1, 3 a\n");
	assert_string_equal(diag_at(&p, "')' missing"), "1:1");
	done(&p);
	lex(&p, "~SEQ(i) a\n~SEQ a\n");
	assert_int_equal(p.dl.errors, 2);
	done(&p);
}

static void test_lst(void **state)
{
	struct parsed p;

	(void)state;
	assert_lex("~LST(k, a, b, c) l$k\n", "la; lb; lc");
	assert_lex("~LST({IP, IP1}, {10,1},{20,4},{5,6}) 192.168.${IP}.${IP1}\n",
		   "192.168.10.1; 192.168.20.4; 192.168.5.6");
	assert_lex("~LST(IP, 1, 2) ~LST(IP1, 5,6) 192.169.${IP}.${IP1}\n",
		   "192.169.1.5; 192.169.1.6; 192.169.2.5; 192.169.2.6");
	assert_lex("~LST({IP, IP1}, {10,1},{20,4}) ~SEQ(IP2,168,2,170) 192.${IP2}.${IP}.${IP1}\n",
		   "192.168.10.1; 192.170.10.1; 192.168.20.4; 192.170.20.4");
	/* missing values are empty */
	assert_lex("~LST({A, B}, {1}, {2,3}) x${A}y${B}z\n", "x1yz; x2y3z");
	lex(&p, "~LST({A}, {1,2}) x\n");
	assert_string_equal(diag_at(&p, "more values"), "1:1");
	done(&p);
	lex(&p, "~LST(A 1) x\n");
	assert_string_equal(diag_at(&p, "invalid ~LST"), "1:1");
	done(&p);
}

static void test_recursion_stops(void **state)
{
	struct parsed p;

	(void)state;
	lex(&p, "$A=x$A\n$A=$A\nv $A\n");
	assert_string_equal(diag_at(&p, "does not end"), "3:3");
	done(&p);
	lex(&p, "$A=${A}${A}\nv ${A}\n");
	assert_string_equal(diag_at(&p, "does not end"), "2:3");
	done(&p);
}

static void test_trailing_backslash(void **state)
{
	struct parsed p;

	(void)state;
	/* keepalived only joins lines inside definitions */
	assert_string_equal(lex(&p, "a b \\\nc\n"), "a b\\; c");
	assert_string_equal(diag_at(&p, "only continues"), "1:4");
	assert_int_equal(p.dl.errors, 0);
	done(&p);
}

/* Include tests work in a fresh directory. */
static char tmpdir[64];

static void put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void mkdir_in(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static const char *lex_file(struct parsed *p, const char *rel, const struct lex_opts *o)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	memset(p, 0, sizeof(*p));
	p->rc = cfg_tree_parse_file(path, o, &p->dl, &p->t);
	return render(p->t);
}

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigil-lexer-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_include_relative(void **state)
{
	struct parsed p;
	const struct cfg_node *n;

	(void)state;
	mkdir_in("rel");
	mkdir_in("rel/sub");
	mkdir_in("rel/sub/deeper");
	put("rel/main.conf", "top 1\ninclude sub/a.conf\ntop 2\n");
	put("rel/sub/a.conf", "include deeper/b.conf\nin_a\n");
	put("rel/sub/deeper/b.conf", "in_b\ninclude ../c.conf\n");
	put("rel/sub/c.conf", "in_sub_c\n");
	put("rel/c.conf", "in_top_c\n");
	/* each file's relative includes are relative to its own directory */
	assert_string_equal(lex_file(&p, "rel/main.conf", &opts),
			    "top 1; in_b; in_sub_c; in_a; top 2");
	assert_int_equal(p.dl.errors + p.dl.warnings, 0);
	n = p.t->first->next->next;
	assert_non_null(strstr(n->loc.file, "rel/sub/deeper/../c.conf"));
	assert_int_equal(n->loc.line, 1);
	assert_int_equal(p.t->first->next->loc.line, 1);
	assert_non_null(strstr(p.t->first->next->loc.file, "rel/sub/deeper/b.conf"));
	assert_int_equal(p.t->first->next->next->next->loc.line, 2);
	done(&p);
}

static void test_include_glob(void **state)
{
	struct parsed p;

	(void)state;
	mkdir_in("glob");
	mkdir_in("glob/conf.d");
	put("glob/main.conf", "include conf.d/*.conf\ninclude {x,y}.inc\nend\n");
	put("glob/conf.d/20-b.conf", "b\n");
	put("glob/conf.d/10-a.conf", "a {\n");
	put("glob/conf.d/30-c.conf", "}\n");
	put("glob/conf.d/ignored.txt", "nope\n");
	put("glob/x.inc", "x\n");
	put("glob/y.inc", "y\n");
	/* sorted, and a block may span files */
	assert_string_equal(lex_file(&p, "glob/main.conf", &opts), "a { b }; x; y; end");
	assert_int_equal(p.dl.errors + p.dl.warnings, 0);
	done(&p);
	/* ${_PWD} is the directory of the file being read */
	put("glob/conf.d/pwd.inc", "pwd ${_PWD}\n");
	put("glob/pwd.conf", "include conf.d/pwd.inc\n");
	lex_file(&p, "glob/pwd.conf", &opts);
	assert_non_null(strstr(p.t->first->args[1].s, "/glob/conf.d"));
	assert_int_equal(p.t->first->args[1].s[0], '/');
	done(&p);
}

static void test_include_missing(void **state)
{
	struct parsed p;
	struct lex_opts o = opts;

	(void)state;
	mkdir_in("miss");
	mkdir_in("miss/dir");
	put("miss/one.conf", "a\n");
	/* plain include: keepalived only logs; we warn */
	put("miss/plain.conf", "include nothere.conf\ninclude none*.conf\ninclude dir\nok\n");
	assert_string_equal(lex_file(&p, "miss/plain.conf", &opts), "ok");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.dl.errors, 0);
	assert_string_equal(diag_at(&p, "'nothere.conf': no such file"), "1:1");
	assert_string_equal(diag_at(&p, "is a directory"), "3:1");
	done(&p);
	/* the variants make the same problems errors (keepalived -t exits 6) */
	put("miss/m.conf", "includem nothere.conf\n");
	lex_file(&p, "miss/m.conf", &opts);
	assert_int_not_equal(p.rc, 0);
	assert_string_equal(diag_at(&p, "no such file"), "1:1");
	done(&p);
	put("miss/m2.conf", "includem none*.conf\nincluder nothere.conf\n");
	lex_file(&p, "miss/m2.conf", &opts);
	assert_int_equal(p.dl.errors, 0);
	done(&p);
	put("miss/w.conf", "x\nincludew none*.conf\n");
	lex_file(&p, "miss/w.conf", &opts);
	assert_string_equal(diag_at(&p, "no file matches"), "2:1");
	assert_int_equal(p.dl.errors, 1);
	done(&p);
	put("miss/r.conf", "includer dir\n");
	lex_file(&p, "miss/r.conf", &opts);
	assert_int_equal(p.dl.errors, 1);
	done(&p);
	/* a {a,b} with one missing: warning and read the rest, or with
	 * includeb, an error and nothing read */
	put("miss/b.conf", "include {one,two}.conf\n");
	assert_string_equal(lex_file(&p, "miss/b.conf", &opts), "a");
	assert_int_equal(p.dl.errors, 0);
	assert_int_equal(p.dl.warnings, 1);
	done(&p);
	put("miss/b2.conf", "includeb {one,two}.conf\n");
	assert_string_equal(lex_file(&p, "miss/b2.conf", &opts), "");
	assert_int_equal(p.dl.errors, 1);
	done(&p);
	/* include_check in global_defs, and -e */
	put("miss/ic.conf", "include nothere.conf\nglobal_defs {\n include_check\n}\n"
			    "include nothere.conf\n");
	lex_file(&p, "miss/ic.conf", &opts);
	assert_int_equal(p.dl.errors, 1);
	assert_string_equal(diag_at(&p, "no such file"), "1:1");
	assert_int_equal(p.dl.v[p.dl.n - 1].line, 5);
	done(&p);
	put("miss/ic2.conf", "global_defs {\n include_check +match -read\n include_check readable\n}\n");
	lex_file(&p, "miss/ic2.conf", &opts);
	assert_string_equal(diag_at(&p, "unknown include_check option 'readable'"), "3:16");
	done(&p);
	o.include_check_all = true;
	lex_file(&p, "miss/plain.conf", &o);
	assert_int_equal(p.dl.errors, 3);
	done(&p);
	/* a missing main file is an error */
	lex_file(&p, "miss/absent.conf", &opts);
	assert_int_not_equal(p.rc, 0);
	assert_null(p.t);
	assert_int_equal(p.dl.errors, 1);
	done(&p);
}

static void test_include_loop(void **state)
{
	struct parsed p;

	(void)state;
	mkdir_in("loop");
	put("loop/a.conf", "a\ninclude b.conf\n");
	put("loop/b.conf", "b\ninclude a.conf\n");
	assert_string_equal(lex_file(&p, "loop/a.conf", &opts), "a; b");
	assert_string_equal(diag_at(&p, "include loop"), "2:1");
	assert_non_null(strstr(p.dl.v[0].msg, "a.conf -> "));
	assert_non_null(strstr(p.dl.v[0].msg, "b.conf -> "));
	assert_non_null(strstr(p.dl.v[0].file, "b.conf"));
	done(&p);
	put("loop/self.conf", "include self.conf\n");
	lex_file(&p, "loop/self.conf", &opts);
	assert_int_equal(p.dl.errors, 1);
	done(&p);
	/* the same file twice, not nested, is fine */
	put("loop/twice.conf", "include b2.conf\ninclude b2.conf\n");
	put("loop/b2.conf", "x\n");
	assert_string_equal(lex_file(&p, "loop/twice.conf", &opts), "x; x");
	assert_int_equal(p.dl.errors, 0);
	done(&p);
}

static void test_include_after_expansion(void **state)
{
	struct parsed p;

	(void)state;
	mkdir_in("exp");
	put("exp/main.conf", "$F=part.conf\ninclude $F\n@main include part.conf\n@other include nope\n");
	put("exp/part.conf", "p\n");
	assert_string_equal(lex_file(&p, "exp/main.conf", &opts), "p; p");
	assert_int_equal(p.dl.errors + p.dl.warnings, 0);
	done(&p);
}

/* tests/data/lexer/keepalived_lines.conf holds only unknown keywords, so
 * "keepalived -t -i vm" reports the first word of every line it reads after
 * comments, @conditions, parameters, ~SEQ/~LST and brace cuts; .expected is
 * that report ("LINE WORD", brace lines left out). Stage 1 must agree. */
static void test_same_lines_as_keepalived(void **state)
{
	const char *srcdir = getenv("top_srcdir");
	char path[1024], want[256], got[256];
	struct diag_list dl = { 0 };
	struct arena *a = arena_new(1 << 24);
	struct lex_opts o = { .config_id = "vm" };
	struct line_src *ls = line_src_new(a, &o, &dl);
	struct src_line sl;
	FILE *exp;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/lexer/keepalived_lines.expected",
		 srcdir ? srcdir : ".");
	exp = fopen(path, "r");
	assert_non_null(exp);
	snprintf(path, sizeof(path), "%s/tests/data/lexer/keepalived_lines.conf",
		 srcdir ? srcdir : ".");
	assert_int_equal(line_src_open_file(ls, path), 0);
	while (line_src_next(ls, &sl) > 0) {
		size_t n = strcspn(sl.text, " \t");
		const char *w = sl.text;

		if (sl.len == 1 && (w[0] == '{' || w[0] == '}'))
			continue;
		if (n > sl.len)
			n = sl.len;
		if (w[0] == '"' && n >= 2) { /* keepalived shows it unquoted */
			w++;
			n -= 2;
		}
		snprintf(got, sizeof(got), "%u %.*s\n", sl.line, (int)n, w);
		assert_non_null(fgets(want, sizeof(want), exp));
		assert_string_equal(got, want);
	}
	assert_null(fgets(want, sizeof(want), exp));
	fclose(exp);
	line_src_free(ls);
	arena_free(a);
	diag_list_free(&dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_blocks),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_brace_errors),
		cmocka_unit_test(test_locations),
		cmocka_unit_test(test_conditionals),
		cmocka_unit_test(test_parameters),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_random_seed),
		cmocka_unit_test(test_multiline_definitions),
		cmocka_unit_test(test_seq),
		cmocka_unit_test(test_lst),
		cmocka_unit_test(test_recursion_stops),
		cmocka_unit_test(test_trailing_backslash),
		cmocka_unit_test(test_include_relative),
		cmocka_unit_test(test_include_glob),
		cmocka_unit_test(test_include_missing),
		cmocka_unit_test(test_include_loop),
		cmocka_unit_test(test_include_after_expansion),
		cmocka_unit_test(test_same_lines_as_keepalived),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
