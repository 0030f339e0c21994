/* The desired IPVS table from the LVS config and the real servers' state.
 *
 * Pure: config + verdicts in, table out. The checker child calls it whenever
 * a verdict, a quorum or the config changes, then diffs the result with the
 * kernel's table (ipvs/diff.h).
 */
#ifndef VIGIL_IPVS_DESIRED_H
#define VIGIL_IPVS_DESIRED_H

#include "ipvs/model.h"
#include "parser/conf_lvs.h"

/* What the checkers decided about one real server of one virtual server. */
struct ipvs_rs_status {
	bool up;
	uint32_t weight; /* effective weight (MISC/FILE dynamic weights applied) */
};

struct ipvs_desired_source {
	/* Verdict for @rs of @vs; NULL means "every real server up at its
	 * configured weight, except alpha ones" -- the state at startup. */
	struct ipvs_rs_status (*rs_status)(const struct lvs_virtual_server *vs,
					   const struct lvs_real_server *rs, void *data);
	/* Whether @vs has quorum; NULL means compute it from the verdicts with
	 * no memory of the previous state (no hysteresis). */
	bool (*quorum_up)(const struct lvs_virtual_server *vs, void *data);
	void *data;
};

/* Build the table into @out (free with ipvs_table_free). Virtual servers of
 * a group become one service per address (or fwmark) of the group, each with
 * the same destinations. Returns 0 or -ENOMEM. */
int ipvs_desired_build(const struct lvs_conf *conf, const struct ipvs_desired_source *src,
		       struct ipvs_table *out);

/* Sum of the weights of the real servers that are up. */
uint64_t ipvs_desired_weight_up(const struct lvs_virtual_server *vs,
				const struct ipvs_desired_source *src);

/* keepalived's quorum rule with hysteresis: the quorum is lost when the
 * live weight drops below quorum - hysteresis, and regained when it reaches
 * quorum + hysteresis. */
bool ipvs_quorum_next(const struct lvs_virtual_server *vs, uint64_t weight_up, bool was_up);

/* A virtual server's quorum when it first appears (start-up, or added by a
 * reload), as keepalived 2.2.7 decides it (init_service_vs() ->
 * update_quorum_state(init)): it starts down, so it is up only if the live
 * weight reaches quorum + hysteresis, and then quorum_up runs ("Gained
 * quorum"); if not, quorum_down runs only when a sorry server goes in
 * ("Starting with quorum down"); otherwise no script runs. */
enum ipvs_quorum_start {
	IPVS_QUORUM_START_UP,	       /* up; quorum_up runs */
	IPVS_QUORUM_START_DOWN_SORRY, /* down, sorry server in; quorum_down runs */
	IPVS_QUORUM_START_DOWN,	       /* down; no script */
};
enum ipvs_quorum_start ipvs_quorum_start(const struct lvs_virtual_server *vs, uint64_t weight_up);

#endif
