/* Shared between the conf_vrrp*.c files only. */
#ifndef VIGIL_PARSER_CONF_VRRP_INTERNAL_H
#define VIGIL_PARSER_CONF_VRRP_INTERNAL_H

#include "parser/conf_internal.h"

#define VRRP(ctx) (&(ctx)->cfg->vrrp)
#define SEC_US 1000000ull

/* Append @obj (whose first member is its `next` pointer) to a list. */
#define LIST_APPEND(head, obj)                                              \
	do {                                                                \
		__typeof__(obj) *tail_ = &(head);                           \
		while (*tail_)                                              \
			tail_ = &(*tail_)->next;                            \
		*tail_ = (obj);                                             \
	} while (0)

/* Per-instance settings whose default comes from global_defs: -1 while
 * unset. They live in the arena right after each vrrp_instance_conf, during
 * the build only (the model itself holds the resolved values). */
struct vrrp_instance_unset {
	signed char accept, strict, lower_prio_no_advert, higher_prio_send_advert, skip_check,
		smtp_alert, garp_lower_delay, garp_lower_repeat, garp_master_delay, garp_master_repeat,
		garp_refresh, garp_refresh_repeat, down_timer_adverts, garp_extra_if;
};
#define TRI(vi) ((struct vrrp_instance_unset *)((struct vrrp_instance_conf *)(vi) + 1))

/* The block handlers of each top-level VRRP keyword. */
void conf_vrrp_instance_block(struct conf_ctx *ctx, const struct cfg_node *n, void *obj);
void conf_vrrp_script_block(struct conf_ctx *ctx, const struct cfg_node *n, void *obj);
void conf_vrrp_track_file_block(struct conf_ctx *ctx, const struct cfg_node *n, void *obj);
void conf_vrrp_track_process_block(struct conf_ctx *ctx, const struct cfg_node *n, void *obj);
void conf_vrrp_sync_group_block(struct conf_ctx *ctx, const struct cfg_node *n, void *obj);

/* "track_X { NAME [weight W [reverse|noreverse]] ... }" into @list.
 * @max_weight bounds |W|. */
void conf_vrrp_track_block(struct conf_ctx *ctx, const struct cfg_node *n,
			   enum vrrp_track_kind kind, int32_t max_weight, struct vrrp_track_list *list);

/* "notify_X COMMAND [user [group]]": a new command, or NULL on error. A
 * second one for the same slot is a warning, as in keepalived. */
void conf_vrrp_notify(struct conf_ctx *ctx, const struct cfg_node *n,
		      const struct vrrp_cmd_conf **slot);

/* Resolve names and fold defaults; report what keepalived rejects. */
void conf_vrrp_resolve_tracks(struct conf_ctx *ctx, struct vrrp_tracking *t, bool in_sync_group,
			      bool owner, const char *who);
void conf_vrrp_check_instance(struct conf_ctx *ctx, struct vrrp_instance_conf *vi);
void conf_vrrp_check_all(struct conf_ctx *ctx);

/* A name already used by another object of the same kind (duplicate). */
bool conf_vrrp_name_taken(struct conf_ctx *ctx, const struct cfg_node *n, const char *kind,
			  const char *name, bool taken);

#endif
