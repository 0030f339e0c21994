#include "build-config.h"

#include <errno.h>
#include <linux/ip_vs.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/diff.h"

/* Service flags vigil sets; the kernel reports others (HASHED) we ignore. */
#define SVC_FLAGS_MANAGED                                                                  \
	(IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_ONEPACKET | IP_VS_SVC_F_SCHED1 |             \
	 IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3)

static const char *const op_names[] = {
	[IPVS_OP_DEL_DEST] = "del-dest",     [IPVS_OP_DEL_SERVICE] = "del-service",
	[IPVS_OP_ADD_SERVICE] = "add-service", [IPVS_OP_EDIT_SERVICE] = "edit-service",
	[IPVS_OP_ADD_DEST] = "add-dest",     [IPVS_OP_EDIT_DEST] = "edit-dest",
};

const char *ipvs_op_name(enum ipvs_op_type t)
{
	return (unsigned)t < sizeof(op_names) / sizeof(op_names[0]) ? op_names[t] : "?";
}

/* Operations are gathered per phase, then concatenated in phase order. */
#define PHASES 6

struct plan {
	struct ipvs_ops phase[PHASES];
};

static int push(struct ipvs_ops *ops, enum ipvs_op_type t, const struct ipvs_service *svc,
		const struct ipvs_dest *dest)
{
	if (ops->n == ops->cap) {
		size_t cap = ops->cap ? ops->cap * 2 : 64;
		struct ipvs_op *v = realloc(ops->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ops->v = v;
		ops->cap = cap;
	}
	ops->v[ops->n++] = (struct ipvs_op){ t, svc, dest };
	return 0;
}

static int plan_push(struct plan *pl, enum ipvs_op_type t, const struct ipvs_service *svc,
		     const struct ipvs_dest *dest)
{
	return push(&pl->phase[t], t, svc, dest);
}

static int svc_ptr_cmp(const void *a, const void *b)
{
	const struct ipvs_service *const *x = a, *const *y = b;

	return ipvs_key_cmp(&(*x)->key, &(*y)->key);
}

static int dest_ptr_cmp(const void *a, const void *b)
{
	const struct ipvs_dest *const *x = a, *const *y = b;

	return ipvs_dest_key_cmp(*x, *y);
}

/* Pointers to @n elements of @size bytes at @base, sorted with @cmp. */
static const void **sorted(const void *base, size_t n, size_t size,
			   int (*cmp)(const void *, const void *))
{
	const void **v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = (const char *)base + i * size;
	qsort(v, n, sizeof(*v), cmp);
	return v;
}

static bool service_differs(const struct ipvs_service *want, const struct ipvs_service *have)
{
	return strncmp(want->sched, have->sched, IPVS_SCHED_MAX) != 0 ||
	       strncmp(want->pe, have->pe, IPVS_PE_MAX) != 0 ||
	       (want->flags & SVC_FLAGS_MANAGED) != (have->flags & SVC_FLAGS_MANAGED) ||
	       want->timeout != have->timeout || want->netmask != have->netmask;
}

static bool dest_differs(const struct ipvs_dest *want, const struct ipvs_dest *have)
{
	if ((want->fwd & IP_VS_CONN_F_FWD_MASK) != (have->fwd & IP_VS_CONN_F_FWD_MASK) ||
	    want->weight != have->weight || want->u_threshold != have->u_threshold ||
	    want->l_threshold != have->l_threshold)
		return true;
	/* Tunnel parameters only mean something for tunnelled destinations. */
	if ((want->fwd & IP_VS_CONN_F_FWD_MASK) == IP_VS_CONN_F_TUNNEL)
		return want->tun_type != have->tun_type || want->tun_port != have->tun_port ||
		       want->tun_flags != have->tun_flags;
	return false;
}

static int diff_dests(struct plan *pl, const struct ipvs_service *want,
		      const struct ipvs_service *have)
{
	const struct ipvs_dest **w = (const struct ipvs_dest **)sorted(
		want->dests, want->ndests, sizeof(*want->dests), dest_ptr_cmp);
	const struct ipvs_dest **h = (const struct ipvs_dest **)sorted(
		have->dests, have->ndests, sizeof(*have->dests), dest_ptr_cmp);
	size_t i = 0, j = 0;
	int rc = 0;

	if (!w || !h) {
		rc = -ENOMEM;
		goto out;
	}
	while (!rc && (i < want->ndests || j < have->ndests)) {
		int c = i == want->ndests ? 1 : j == have->ndests ? -1 : ipvs_dest_key_cmp(w[i], h[j]);

		if (c < 0) {
			rc = plan_push(pl, IPVS_OP_ADD_DEST, want, w[i++]);
		} else if (c > 0) {
			rc = plan_push(pl, IPVS_OP_DEL_DEST, have, h[j++]);
		} else {
			if (dest_differs(w[i], h[j]))
				rc = plan_push(pl, IPVS_OP_EDIT_DEST, want, w[i]);
			/* a duplicate in the desired table matches the same kernel entry once */
			i++;
			if (i == want->ndests || ipvs_dest_key_cmp(w[i], h[j]) != 0)
				j++;
		}
	}
out:
	free(w);
	free(h);
	return rc;
}

static int add_service(struct plan *pl, const struct ipvs_service *want)
{
	int rc = plan_push(pl, IPVS_OP_ADD_SERVICE, want, NULL);

	for (size_t k = 0; !rc && k < want->ndests; k++)
		rc = plan_push(pl, IPVS_OP_ADD_DEST, want, &want->dests[k]);
	return rc;
}

static int merge_services(struct plan *pl, const struct ipvs_service **w, size_t nw,
			  const struct ipvs_service **h, size_t nh, ipvs_owned_fn owned,
			  void *owned_data)
{
	size_t i = 0, j = 0;
	int rc = 0;

	while (!rc && (i < nw || j < nh)) {
		int c = i == nw ? 1 : j == nh ? -1 : ipvs_key_cmp(&w[i]->key, &h[j]->key);

		if (c < 0) {
			rc = add_service(pl, w[i++]);
		} else if (c > 0) {
			if (owned && owned(&h[j]->key, owned_data))
				rc = plan_push(pl, IPVS_OP_DEL_SERVICE, h[j], NULL);
			j++;
		} else {
			if (service_differs(w[i], h[j]))
				rc = plan_push(pl, IPVS_OP_EDIT_SERVICE, w[i], NULL);
			if (!rc)
				rc = diff_dests(pl, w[i], h[j]);
			i++;
			if (i == nw || ipvs_key_cmp(&w[i]->key, &h[j]->key) != 0)
				j++;
		}
	}
	return rc;
}

int ipvs_diff(const struct ipvs_table *desired, const struct ipvs_table *actual,
	      ipvs_owned_fn owned, void *owned_data, struct ipvs_ops *ops)
{
	const struct ipvs_service **w = (const struct ipvs_service **)sorted(
		desired->services, desired->nservices, sizeof(*desired->services), svc_ptr_cmp);
	const struct ipvs_service **h = (const struct ipvs_service **)sorted(
		actual->services, actual->nservices, sizeof(*actual->services), svc_ptr_cmp);
	struct plan pl = { 0 };
	int rc = -ENOMEM;

	if (w && h)
		rc = merge_services(&pl, w, desired->nservices, h, actual->nservices, owned,
				    owned_data);
	for (int p = 0; p < PHASES; p++) {
		for (size_t k = 0; !rc && k < pl.phase[p].n; k++)
			rc = push(ops, pl.phase[p].v[k].type, pl.phase[p].v[k].svc,
				  pl.phase[p].v[k].dest);
		free(pl.phase[p].v);
	}
	free(w);
	free(h);
	return rc;
}

void ipvs_ops_free(struct ipvs_ops *ops)
{
	if (!ops)
		return;
	free(ops->v);
	ops->v = NULL;
	ops->n = ops->cap = 0;
}
