#include "build-config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parser/macro.h"

/* A line whose expansion grows past this, or needs more substitutions than
 * this, is taken to be a definition that refers to itself. keepalived loops
 * forever on "$A=$A"; we stop and say so. */
#define EXPAND_MAX_LEN ((size_t)1 << 20)
#define EXPAND_MAX_STEPS 10000

enum builtin {
	BUILTIN_NONE,
	BUILTIN_PWD,
	BUILTIN_INSTANCE,
	BUILTIN_RANDOM,
	BUILTIN_ENV,
};

struct macro {
	char *name;
	size_t name_len;
	struct strbuf value; /* lines of a multi-line value are separated by '\n' */
	bool multiline;
	enum builtin builtin;
	unsigned max_params;
};

struct macro_table {
	struct macro **v;
	size_t n, cap;
	const struct lex_opts *opts;
	const char *config_id;
	unsigned long long rng; /* xorshift state for ${_RANDOM} */
	struct strbuf tmp;
};

int strbuf_reserve(struct strbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1, cap = b->cap ? b->cap : 128;
	char *s;

	if (need <= b->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s)
		return -ENOMEM;
	b->s = s;
	b->cap = cap;
	return 0;
}

int strbuf_set(struct strbuf *b, const char *s, size_t len)
{
	b->len = 0;
	if (strbuf_reserve(b, len))
		return -ENOMEM;
	memmove(b->s, s, len);
	b->s[len] = '\0';
	b->len = len;
	return 0;
}

static int strbuf_add(struct strbuf *b, const char *s, size_t len)
{
	if (strbuf_reserve(b, len))
		return -ENOMEM;
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
	return 0;
}

void strbuf_release(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

static struct macro *macro_lookup(const struct macro_table *mt, const char *name, size_t len)
{
	for (size_t i = 0; i < mt->n; i++)
		if (mt->v[i]->name_len == len && !memcmp(mt->v[i]->name, name, len))
			return mt->v[i];
	return NULL;
}

static struct macro *macro_add(struct macro_table *mt, const char *name, size_t len)
{
	struct macro *m = macro_lookup(mt, name, len);

	if (m) {
		/* A user definition overrides a pre-defined one. */
		m->builtin = BUILTIN_NONE;
		m->max_params = 0;
		m->multiline = false;
		m->value.len = 0;
		return m;
	}
	if (mt->n == mt->cap) {
		size_t cap = mt->cap ? mt->cap * 2 : 16;
		struct macro **v = realloc(mt->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		mt->v = v;
		mt->cap = cap;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->name = strndup(name, len);
	if (!m->name || strbuf_reserve(&m->value, 0)) {
		free(m->name);
		free(m);
		return NULL;
	}
	m->name_len = len;
	mt->v[mt->n++] = m;
	return m;
}

static int add_builtin(struct macro_table *mt, const char *name, enum builtin b, unsigned max_params,
		       const char *value)
{
	struct macro *m = macro_add(mt, name, strlen(name));

	if (!m || strbuf_set(&m->value, value, strlen(value)))
		return -ENOMEM;
	m->builtin = b;
	m->max_params = max_params;
	return 0;
}

void macro_table_seed(struct macro_table *mt, unsigned long long seed)
{
	mt->rng = seed * 0x9E3779B97F4A7C15ULL + 1;
}

struct macro_table *macro_table_new(const struct lex_opts *opts, const char *config_id)
{
	struct macro_table *mt = calloc(1, sizeof(*mt));

	if (!mt)
		return NULL;
	mt->opts = opts;
	mt->config_id = config_id;
	macro_table_seed(mt, opts && opts->random_seed
				 ? opts->random_seed
				 : (unsigned long long)time(NULL) ^ (unsigned)getpid());
	if (add_builtin(mt, "_PWD", BUILTIN_PWD, 0, "") ||
	    add_builtin(mt, "_INSTANCE", BUILTIN_INSTANCE, 0, "") ||
	    add_builtin(mt, "_RANDOM", BUILTIN_RANDOM, 2, "") ||
	    add_builtin(mt, "_ENV", BUILTIN_ENV, 1, "") ||
	    add_builtin(mt, "_HASH", BUILTIN_NONE, 0, "#") ||
	    add_builtin(mt, "_BANG", BUILTIN_NONE, 0, "!")) {
		macro_table_free(mt);
		return NULL;
	}
	return mt;
}

void macro_table_free(struct macro_table *mt)
{
	if (!mt)
		return;
	for (size_t i = 0; i < mt->n; i++) {
		free(mt->v[i]->name);
		strbuf_release(&mt->v[i]->value);
		free(mt->v[i]);
	}
	free(mt->v);
	strbuf_release(&mt->tmp);
	free(mt);
}

bool macro_table_empty(const struct macro_table *mt)
{
	return mt->n == 0;
}

static bool is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

int macro_define(struct macro_table *mt, const char *line, bool *multiline, struct macro **out)
{
	const char *p = line + 1, *v;
	size_t len;
	struct macro *m;

	if (line[0] != '$' || !is_name_start(line[1]))
		return 0;
	while (is_name_char(*p))
		p++;
	/* keepalived: no space is allowed before '=' */
	if (*p != '=')
		return 0;
	m = macro_add(mt, line + 1, (size_t)(p - line - 1));
	if (!m)
		return -ENOMEM;
	v = p + 1 + strspn(p + 1, " \t");
	len = strlen(v);
	m->multiline = len && v[len - 1] == '\\';
	if (m->multiline) {
		len--;
		while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
			len--;
		if (strbuf_set(&m->value, v, len) || (len && strbuf_add(&m->value, "\n", 1)))
			return -ENOMEM;
	} else if (strbuf_set(&m->value, v, len)) {
		return -ENOMEM;
	}
	*multiline = m->multiline;
	*out = m;
	return 1;
}

int macro_append_line(struct macro *m, const char *line, size_t len)
{
	bool more = len && line[len - 1] == '\\';

	if (more) {
		len--;
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
	}
	if (len && (strbuf_add(&m->value, line, len) || (more && strbuf_add(&m->value, "\n", 1))))
		return -ENOMEM;
	if (!more)
		macro_end_multiline(m);
	return more;
}

void macro_end_multiline(struct macro *m)
{
	/* A multi-line definition that collected nothing is an ordinary empty one. */
	if (!m->value.len)
		m->multiline = false;
}

int macro_set(struct macro_table *mt, const char *name, size_t name_len, const char *value,
	      size_t value_len)
{
	struct macro *m = macro_add(mt, name, name_len);

	return m ? strbuf_set(&m->value, value, value_len) : -ENOMEM;
}

/* Parameters of ${_RANDOM MIN MAX}: digits and single spaces. */
static bool params_ok(const struct macro *m, const char *p, size_t len)
{
	unsigned words = 0;

	for (size_t i = 0; i < len; i++) {
		bool start = p[i] != ' ' && (i == 0 || p[i - 1] == ' ');

		words += start;
		if (m->builtin == BUILTIN_RANDOM && p[i] != ' ' && !isdigit((unsigned char)p[i]))
			return false;
		if (m->builtin == BUILTIN_ENV && p[i] != ' ' && !is_name_char(p[i]))
			return false;
	}
	return words >= 1 && words <= m->max_params;
}

struct ref {
	struct macro *m;
	size_t len;         /* bytes from '$' to the end of the reference */
	const char *params; /* inside ${NAME params} */
	size_t params_len;
};

/* Recognise a reference at @s ('$'). keepalived accepts "$NAME" followed by
 * blank, ',', ')' or the end of the line, and "${NAME}" anywhere. */
static bool find_ref(const struct macro_table *mt, const char *s, struct ref *r)
{
	bool braces = s[1] == '{';
	const char *name = s + 1 + braces, *p = name, *ps = NULL;
	size_t name_len;
	bool at_end;

	if (!is_name_start(*p))
		return false;
	while (is_name_char(*p))
		p++;
	name_len = (size_t)(p - name);
	if (braces) {
		if (*p == ' ') {
			ps = p + strspn(p, " ");
			p = ps;
			while (*p && *p != '}' && *p != '{')
				p++;
			if (*p != '}' || p == ps || p[-1] == ' ')
				return false;
		}
		if (*p != '}')
			return false;
		at_end = p[1] == '\0';
	} else {
		if (*p && *p != ' ' && *p != '\t' && *p != ',' && *p != ')')
			return false;
		at_end = *p == '\0';
	}
	r->m = macro_lookup(mt, name, name_len);
	if (!r->m || (r->m->multiline && !at_end))
		return false;
	r->params = ps;
	r->params_len = ps ? (size_t)(p - ps) : 0;
	if (ps && (!r->m->max_params || !params_ok(r->m, ps, r->params_len)))
		return false;
	r->len = (size_t)(p - s) + braces;
	return true;
}

static unsigned long long rng_next(struct macro_table *mt)
{
	unsigned long long x = mt->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	mt->rng = x;
	return x;
}

/* The text a reference stands for, in mt->tmp or the macro itself. */
static int ref_value(struct macro_table *mt, const struct ref *r, const char *pwd, const char **v,
		     size_t *len)
{
	char num[48], name[256];
	const char *s = NULL;

	switch (r->m->builtin) {
	case BUILTIN_NONE:
		*v = r->m->value.s;
		*len = r->m->multiline ? strcspn(*v, "\n") : r->m->value.len;
		return 0;
	case BUILTIN_PWD:
		s = pwd;
		break;
	case BUILTIN_INSTANCE:
		s = mt->config_id;
		break;
	case BUILTIN_RANDOM: {
		unsigned long min = 0, max = 32767;
		char *end;

		if (r->params) {
			min = strtoul(r->params, &end, 10);
			if (end < r->params + r->params_len)
				max = strtoul(end, &end, 10);
		}
		if (max < min)
			max = min;
		snprintf(num, sizeof(num), "%lu", min + (unsigned long)(rng_next(mt) % (max - min + 1)));
		s = num;
		break;
	}
	case BUILTIN_ENV:
		if (r->params_len >= sizeof(name)) {
			s = "";
			break;
		}
		memcpy(name, r->params, r->params_len);
		name[r->params_len] = '\0';
		s = mt->opts && mt->opts->getenv ? mt->opts->getenv(name, mt->opts->getenv_data)
						 : getenv(name);
		break;
	}
	if (strbuf_set(&mt->tmp, s ? s : "", s ? strlen(s) : 0))
		return -ENOMEM;
	*v = mt->tmp.s;
	*len = mt->tmp.len;
	return 0;
}

int macro_expand(struct macro_table *mt, struct strbuf *buf, const char *pwd,
		 struct macro_expansion *res)
{
	size_t pos = 0;
	unsigned steps = 0;

	memset(res, 0, sizeof(*res));
	while (pos < buf->len) {
		char *d = memchr(buf->s + pos, '$', buf->len - pos);
		struct ref r;
		const char *v;
		size_t vlen;

		if (!d || !d[1])
			break;
		pos = (size_t)(d - buf->s);
		if (!find_ref(mt, d, &r)) {
			pos++;
			continue;
		}
		if (++steps > EXPAND_MAX_STEPS || buf->len > EXPAND_MAX_LEN) {
			res->error = "parameter expansion does not end (does a definition use itself?)";
			return 0;
		}
		if (ref_value(mt, &r, pwd, &v, &vlen))
			return -ENOMEM;
		if (r.m->multiline && v[vlen] == '\n' && v[vlen + 1]) {
			if (res->npending == sizeof(res->pending) / sizeof(res->pending[0])) {
				res->error = "multi-line definitions nested too deeply";
				return 0;
			}
			res->pending[res->npending] = strdup(v + vlen + 1);
			if (!res->pending[res->npending])
				return -ENOMEM;
			res->npending++;
		}
		if (!res->replaced)
			res->first = pos;
		res->replaced = true;
		if (vlen > r.len && strbuf_reserve(buf, vlen - r.len))
			return -ENOMEM;
		d = buf->s + pos;
		memmove(d + vlen, d + r.len, buf->len - pos - r.len + 1);
		memcpy(d, v, vlen);
		buf->len = buf->len - r.len + vlen;
		/* The replacement is scanned again (recursive expansion), except
		 * that a value starting with '~' ends the pass, as in keepalived,
		 * so that the ~SEQ it holds is seen by the caller. */
		if (v[strspn(v, " \t")] == '~')
			break;
	}
	return 0;
}
