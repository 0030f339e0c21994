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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_blocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
