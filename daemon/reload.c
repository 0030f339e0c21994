/* Loading config generations in the parent and handing them over.
 *
 * Parsing happens here, in the parent, so a long parse never delays the
 * VRRP child's adverts: it keeps running the previous generation until the
 * new one is ready and sent. */
#include "build-config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "daemon/supervisor.h"

static int reload_load(struct supervisor *sup, uint64_t generation)
{
	struct config_opts copts = {.config_id = sup->opts->config_id};
	struct diag_list dl = {.max = 200};
	int slot;

	slot = config_slots_load(&sup->slots, sup->opts->config_path, &copts, generation, &dl);
	log_diags(&dl);
	if (slot == -EINVAL)
		log_err("%s: %u error%s in the configuration", sup->opts->config_path, dl.errors,
			dl.errors == 1 ? "" : "s");
	else if (slot == -ENOSPC)
		log_err("every configuration slot is still in use by a child; not loading %s",
			sup->opts->config_path);
	else if (slot < 0)
		log_err("cannot load %s: %s", sup->opts->config_path, strerror(-slot));
	diag_list_free(&dl);
	return slot;
}

int reload_initial(struct supervisor *sup)
{
	int slot = reload_load(sup, 1);

	if (slot < 0)
		return slot;
	sup->current_slot = slot;
	sup->generation = 1;
	config_slot_hold(&sup->slots, slot, CONFIG_HOLDER_PARENT);
	return 0;
}

void reload_start(struct supervisor *sup)
{
	const struct vigil_config *cfg;
	int slot;

	if (sup->stopping)
		return;
	if (sup->reloading) {
		log_info("reload requested while one is in progress; reloading again after it");
		sup->reload_again = true;
		return;
	}
	sup->reloading = true;
	sd_notify(0, "RELOADING=1\nSTATUS=Reloading configuration");
	log_info("reloading %s", sup->opts->config_path);
	slot = reload_load(sup, sup->generation + 1);
	if (slot < 0) {
		log_err("reload failed; still running generation %" PRIu64 " (nothing changed)",
			sup->generation);
		supervisor_check_settled(sup);
		return;
	}
	config_slot_drop(&sup->slots, sup->current_slot, CONFIG_HOLDER_PARENT);
	sup->current_slot = slot;
	sup->generation++;
	config_slot_hold(&sup->slots, slot, CONFIG_HOLDER_PARENT);
	cfg = sup->slots.gen[slot].cfg;
	log_info("loaded generation %" PRIu64 " (%u statements); handing it to the children",
		 sup->generation, cfg->statements);
	/* Children not running now get it by fork when respawned. */
	for (unsigned k = 0; k < CHILD_KINDS; k++)
		if (child_proc_running(&sup->child[k]))
			child_proc_send_config(&sup->child[k], slot);
	supervisor_arm_apply_timeout(sup);
	supervisor_check_settled(sup);
}
