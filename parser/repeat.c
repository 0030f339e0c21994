#include "build-config.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/repeat.h"

struct repeat {
	bool is_list, hex, done;
	/* ~SEQ */
	char *var;
	long next, step, last;
	/* ~LST: nvars names, then nsets rows of nvars values */
	char **names;
	char **values;
	size_t nvars, nvalues, nsets, set;
	char *body;
};

void repeat_free(struct repeat *r)
{
	if (!r)
		return;
	free(r->var);
	for (size_t i = 0; i < r->nvars; i++)
		free(r->names[i]);
	for (size_t i = 0; i < r->nvalues; i++)
		free(r->values[i]);
	free(r->names);
	free(r->values);
	free(r->body);
	free(r);
}

const char *repeat_body(const struct repeat *r)
{
	return r->body;
}

static const char *skip_blanks(const char *p)
{
	return p + strspn(p, " \t");
}

/* ~SEQ([var,] [start,] [step,] end): the number rules are keepalived's
 * add_seq(): strtol() base 0, a missing step is +1 or -1, a missing start
 * is 1 or -1 by the sign of end. */
static int parse_seq(struct macro_table *mt, const char *line, const char *pwd, struct repeat *r,
		     const char **why)
{
	const char *p = line + 4, *var, *close;
	struct strbuf args = { 0 };
	struct macro_expansion ex;
	long n[3];
	int count = 0, rc = 0;
	char *q;

	r->hex = *p == 'x';
	p = skip_blanks(p + r->hex);
	if (*p++ != '(')
		return *why = "'(' expected after ~SEQ", 0;
	var = p = skip_blanks(p);
	p += strcspn(p, " \t,)");
	r->var = strndup(var, (size_t)(p - var));
	if (!r->var)
		return -ENOMEM;
	p = skip_blanks(p);
	if (*p != ',' || p == var)
		return *why = "~SEQ needs a parameter name, then numbers", 0;
	p = skip_blanks(p + 1);
	close = strchr(p, ')');
	if (!close)
		return *why = "')' missing", 0;
	if (strbuf_set(&args, p, (size_t)(close - p + 1)) || macro_expand(mt, &args, pwd, &ex)) {
		strbuf_release(&args);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < ex.npending; i++)
		free(ex.pending[i]);
	for (q = args.s;;) {
		n[count++] = strtol(q, &q, 0);
		q = (char *)skip_blanks(q);
		if (*q == ')')
			break;
		if (*q != ',' || count == 3) {
			*why = "~SEQ takes up to three numbers: start, step, end";
			goto out;
		}
		q++;
	}
	if (count == 1) {
		r->last = n[0];
		r->step = n[0] < 1 ? -1 : 1;
		r->next = n[0] < 0 ? -1 : 1;
	} else if (count == 2) {
		r->next = n[0];
		r->last = n[1];
		r->step = n[0] <= n[1] ? 1 : -1;
	} else {
		r->next = n[0];
		r->step = n[1];
		r->last = n[2];
		if (!r->step || (r->next < r->last && r->step < 0) ||
		    (r->next > r->last && r->step > 0)) {
			*why = "~SEQ step is zero or goes away from the end";
			goto out;
		}
	}
	if (r->hex && (r->next < 0 || r->last < 0)) {
		*why = "~SEQx only takes positive numbers";
		goto out;
	}
	r->body = strdup(skip_blanks(close + 1));
	rc = r->body ? 1 : -ENOMEM;
out:
	strbuf_release(&args);
	return rc;
}

static int add_word(char ***v, size_t *n, const char *s, size_t len)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strndup(s, len);
	if (!nv[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* ~LST(var, v1, v2...) or ~LST({var1, var2}, {v1, v2}, ...): the grammar of
 * keepalived's add_lst(); missing values in a set are empty. */
static int parse_lst(const char *line, struct repeat *r, const char **why)
{
	const char *p = skip_blanks(line + 4), *w;
	char end;

	if (*p++ != '(')
		return *why = "'(' expected after ~LST", 0;
	p = skip_blanks(p);
	end = *p == '{' ? '}' : ',';
	if (end == '}')
		p = skip_blanks(p + 1);
	for (;;) {
		w = p;
		p += strcspn(p, " \t,}");
		if (add_word(&r->names, &r->nvars, w, (size_t)(p - w)))
			return -ENOMEM;
		p = skip_blanks(p);
		if (*p == end)
			break;
		if (*p != ',')
			return *why = "',' or '}' expected between ~LST parameter names", 0;
		p = skip_blanks(p + 1);
	}
	if (*p == '}')
		p = skip_blanks(p + 1);
	if (*p++ != ',')
		return *why = "values expected after the ~LST parameter names", 0;
	for (p = skip_blanks(p);;) {
		size_t in_set = 0;

		end = *p == '{' ? '}' : ',';
		if (end == '}')
			p = skip_blanks(p + 1);
		for (;;) {
			w = p;
			p += strcspn(p, " \t,})");
			if (++in_set > r->nvars)
				return *why = "a ~LST value set has more values than parameters", 0;
			if (add_word(&r->values, &r->nvalues, w, (size_t)(p - w)))
				return -ENOMEM;
			p = skip_blanks(p);
			if (*p == end || (*p == ')' && end == ','))
				break;
			if (*p != ',')
				return *why = "',' expected between ~LST values", 0;
			p = skip_blanks(p + 1);
		}
		for (; in_set < r->nvars; in_set++)
			if (add_word(&r->values, &r->nvalues, "", 0))
				return -ENOMEM;
		r->nsets++;
		if (*p == '}' && end == '}')
			p = skip_blanks(p + 1);
		if (*p == ')')
			break;
		if (*p != ',')
			return *why = "',' or ')' expected after a ~LST value set", 0;
		p = skip_blanks(p + 1);
	}
	r->body = strdup(skip_blanks(p + 1));
	return r->body ? 1 : -ENOMEM;
}

int repeat_parse(struct macro_table *mt, const char *line, const char *pwd, struct repeat **out,
		 const char **why)
{
	struct repeat *r = calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->is_list = line[1] == 'L';
	rc = r->is_list ? parse_lst(line, r, why) : parse_seq(mt, line, pwd, r, why);
	if (rc == 1)
		*out = r;
	else
		repeat_free(r);
	return rc;
}

int repeat_next(struct repeat *r, struct macro_table *mt)
{
	char num[32];

	if (r->done)
		return 0;
	if (r->is_list) {
		for (size_t i = 0; i < r->nvars; i++) {
			const char *v = r->values[r->set * r->nvars + i];

			if (macro_set(mt, r->names[i], strlen(r->names[i]), v, strlen(v)))
				return -ENOMEM;
		}
		r->done = ++r->set == r->nsets;
		return 1;
	}
	if (r->hex)
		snprintf(num, sizeof(num), "%lx", (unsigned long)r->next);
	else
		snprintf(num, sizeof(num), "%ld", r->next);
	if (macro_set(mt, r->var, strlen(r->var), num, strlen(num)))
		return -ENOMEM;
	if ((r->step > 0 && r->next > LONG_MAX - r->step) ||
	    (r->step < 0 && r->next < LONG_MIN - r->step))
		r->done = true;
	else
		r->next += r->step;
	if ((r->step > 0 && r->next > r->last) || (r->step < 0 && r->next < r->last))
		r->done = true;
	return 1;
}
