/* keepalived's retry rules as a pure step function (see verdict.h). */
#include "build-config.h"

#include "checkers/verdict.h"

void verdict_init(struct verdict_state *s, bool alpha)
{
	s->up = !alpha;
	s->has_run = false;
	s->retry_it = 0;
}

bool verdict_step(struct verdict_state *s, const struct verdict_params *p, bool ok,
		  enum verdict_next *next)
{
	bool was_up = s->up;

	*next = VERDICT_NEXT_LOOP;
	if (ok) {
		s->retry_it = 0;
		s->up = true;
	} else if ((s->up || !s->has_run) && s->retry_it >= p->retry) {
		/* The last retry failed too (or there were none). */
		s->retry_it = 0;
		s->up = false;
	} else if (s->up) {
		s->retry_it++;
		*next = VERDICT_NEXT_RETRY;
	}
	if (!s->up && p->fast_recovery)
		*next = VERDICT_NEXT_RETRY;
	s->has_run = true;
	return was_up != s->up;
}
