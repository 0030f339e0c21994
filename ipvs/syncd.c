#include "build-config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ipvs/syncd.h"

struct ipvs_timeouts ipvs_timeouts_want(const struct global_lvs_timeouts *cfg,
					const struct ipvs_timeouts *original)
{
	struct ipvs_timeouts t = {
		.tcp = cfg->tcp_s ? cfg->tcp_s : original->tcp,
		.tcpfin = cfg->tcpfin_s ? cfg->tcpfin_s : original->tcpfin,
		.udp = cfg->udp_s ? cfg->udp_s : original->udp,
	};

	return t;
}

static void daemon_from(const struct global_lvs_syncd *cfg, uint32_t state,
			struct ipvs_daemon *d)
{
	memset(d, 0, sizeof(*d));
	d->state = state;
	snprintf(d->ifname, sizeof(d->ifname), "%s", cfg->ifname);
	d->syncid = cfg->syncid;
	d->maxlen = cfg->maxlen;
	d->port = cfg->port;
	d->ttl = cfg->ttl;
	d->group = cfg->group;
}

size_t ipvs_syncd_want(const struct global_lvs_syncd *cfg, bool instance_master,
		       struct ipvs_daemon out[2])
{
	if (!cfg->ifname)
		return 0;
	if (cfg->vrrp_instance) {
		daemon_from(cfg, instance_master ? IPVS_DAEMON_MASTER : IPVS_DAEMON_BACKUP, &out[0]);
		return 1;
	}
	daemon_from(cfg, IPVS_DAEMON_MASTER, &out[0]);
	daemon_from(cfg, IPVS_DAEMON_BACKUP, &out[1]);
	return 2;
}

bool ipvs_syncd_matches(const struct ipvs_daemon *want, const struct ipvs_daemon *have)
{
	struct vaddr group = want->group;

	if (!group.family) {
		group.family = AF_INET;
		group.u.v4.s_addr = htonl(IPVS_SYNCD_DEFAULT_GROUP);
	}
	return want->state == have->state && !strcmp(want->ifname, have->ifname) &&
	       want->syncid == have->syncid && (!want->maxlen || want->maxlen == have->maxlen) &&
	       (want->port ? want->port : IPVS_SYNCD_DEFAULT_PORT) == have->port &&
	       (want->ttl ? want->ttl : IPVS_SYNCD_DEFAULT_TTL) == have->ttl &&
	       group.family == have->group.family &&
	       !memcmp(&group.u, &have->group.u,
		       group.family == AF_INET6 ? sizeof(group.u.v6) : sizeof(group.u.v4));
}

void ipvs_syncd_plan(const struct ipvs_daemon *want, size_t nwant, const struct ipvs_daemon *have,
		     size_t nhave, uint32_t owned, struct ipvs_syncd_plan *out)
{
	bool kept[2] = { false, false };

	memset(out, 0, sizeof(*out));
	for (size_t h = 0; h < nhave; h++) {
		const struct ipvs_daemon *w = NULL;

		for (size_t i = 0; i < nwant && i < 2; i++)
			if (want[i].state == have[h].state)
				w = &want[i], kept[i] = ipvs_syncd_matches(w, &have[h]);
		if (w ? !ipvs_syncd_matches(w, &have[h]) : (owned & have[h].state) != 0)
			if (out->nstop < 2)
				out->stop[out->nstop++] = have[h].state;
	}
	for (size_t i = 0; i < nwant && i < 2; i++)
		if (!kept[i])
			out->start[out->nstart++] = want[i];
}
