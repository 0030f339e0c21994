/* Shared between the conf_vrrp*.c files only. */
#ifndef VIGIL_PARSER_CONF_VRRP_INTERNAL_H
#define VIGIL_PARSER_CONF_VRRP_INTERNAL_H

#include "parser/conf_internal.h"
#include "parser/name_index.h"

#define VRRP(ctx) (&(ctx)->cfg->vrrp)
#define SEC_US 1000000ull

/* Namespaces of the VRRP objects' names. */
enum vrrp_name_kind {
	VRRP_NAME_INSTANCE,
	VRRP_NAME_SCRIPT,
	VRRP_NAME_TRACK_FILE,
	VRRP_NAME_TRACK_PROCESS,
	VRRP_NAME_SYNC_GROUP,
	VRRP_NAME_TRACK_GROUP,
};

/* What the VRRP model needs while it is built (ctx->vrrp): the names
 * defined so far, and the tail of each top-level list, so that a config
 * with thousands of instances builds in linear time. */
struct conf_vrrp_build {
	struct name_index names;
	struct vrrp_instance_conf **instances;
	struct vrrp_sync_group_conf **sync_groups;
	struct vrrp_script_conf **scripts;
	struct vrrp_track_file_conf **track_files;
	struct vrrp_track_process_conf **track_processes;
	struct vrrp_garp_group_conf **garp_groups;
	struct vrrp_track_group_conf **track_groups;
	struct vrrp_linkbeat_conf **linkbeat;
	struct vrrp_if_delay_conf **if_delays;
};

/* Append @obj to the top-level list @field of the model (and count it). */
#define VRRP_APPEND(ctx, field, obj)                                                       \
	do {                                                                               \
		struct conf_vrrp_build *b_ = (ctx)->vrrp;                                  \
		if (!b_->field)                                                            \
			b_->field = &VRRP(ctx)->field;                                     \
		*b_->field = (obj);                                                        \
		b_->field = &(obj)->next;                                                  \
		VRRP(ctx)->n_##field++;                                                    \
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

/* True, with an error at the name, when another object of @kind already has
 * the name in word 1 of @n; @what names the kind in the message. */
bool conf_vrrp_name_taken(struct conf_ctx *ctx, const struct cfg_node *n,
			  enum vrrp_name_kind kind, const char *what);
/* Record @obj under its @name once it is complete (and in the model). */
void conf_vrrp_name_add(struct conf_ctx *ctx, enum vrrp_name_kind kind, const char *name,
			void *obj);
/* The object of @kind named @name, or NULL. */
void *conf_vrrp_find(struct conf_ctx *ctx, enum vrrp_name_kind kind, const char *name);

#endif
