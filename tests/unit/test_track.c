/* vrrp/track*.c on a real event loop: a vrrp_script run every 50 ms with
 * rise/fall, a track_file changed on disk, a dummy interface set down,
 * deleted and re-created (in a private network namespace), and a tracked
 * process started and killed, with terminate_delay. Needs root (netns,
 * proc connector); skipped otherwise. */
#define _GNU_SOURCE
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/log.h"
#include "parser/config.h"
#include "vrrp/ifwatch.h"
#include "vrrp/track.h"

static char dir[64];
static pid_t sleeper; /* killed in teardown if a test failed first */
static unsigned n_changes;

struct fixture {
	sd_event *event;
	struct script_runner *runner;
	struct arena *arena;
	struct diag_list dl;
	const struct vigil_config *cfg;
	struct vrrp_ifwatch *ifw; /* the VRRP child's rtnetlink subscription */
	struct vrrp_tracker *t;
};

/* As the VRRP child does: the subscription's news go to the tracker. */
static void on_ifs_changed(void *data)
{
	struct fixture *f = data;

	vrrp_tracker_ifs_changed(f->t);
}

static void on_changed(void *owner, enum vrrp_track_kind kind, const char *name)
{
	n_changes++;
}

static const struct vrrp_tracker_ops ops = { .changed = on_changed };

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void run_for(struct fixture *f, unsigned ms)
{
	uint64_t end = mono_ms() + ms;

	while (mono_ms() < end)
		assert_true(sd_event_run(f->event, 10 * 1000) >= 0);
}

static const struct vrrp_instance_conf *instance(struct fixture *f)
{
	return vrrp_conf_instance(&f->cfg->vrrp, "VI_1");
}

/* Run the loop until VI_1's evaluation satisfies @pred, or fail. */
#define WAIT_FOR(f, ms, cond)                                                                    \
	do {                                                                                     \
		uint64_t end_ = mono_ms() + (ms);                                                \
		struct vrrp_prio_result r;                                                       \
		for (;;) {                                                                       \
			r = vrrp_tracker_eval((f)->t, instance(f));                              \
			if (cond)                                                                \
				break;                                                           \
			if (mono_ms() > end_)                                                    \
				fail_msg("timed out waiting for %s (prio %u fault %d unknown %u)", \
					 #cond, r.priority, r.fault, r.n_unknown);               \
			assert_true(sd_event_run((f)->event, 10 * 1000) >= 0);                   \
		}                                                                                \
	} while (0)

static void sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	static const char tmpl[] =
		"vrrp_script chk {\n"
		"  script \"/bin/sh -c 'test -e %s/flag'\"\n"
		"  interval 0.05\n  rise 2\n  fall 2\n  weight -20\n}\n"
		"vrrp_script unused { script /bin/false }\n"
		"track_file tf { file %s/prio\n  weight 3\n}\n"
		"vrrp_track_process sleeper {\n  process sleep 31337\n  terminate_delay 0.3\n}\n"
		"vrrp_instance VI_1 {\n  interface trk0\n  virtual_router_id 7\n  priority 100\n"
		"  virtual_ipaddress { 192.0.2.1/24 }\n"
		"  track_interface { trk1 weight -30 }\n"
		"  track_script { chk }\n  track_file { tf }\n"
		"  track_process { sleeper weight 10 }\n}\n";
	struct fixture *f = calloc(1, sizeof(*f));
	char text[2048];

	if (!f)
		return -1;
	snprintf(text, sizeof(text), tmpl, dir, dir);
	f->arena = arena_new(1 << 20);
	if (config_load_string("t.conf", text, NULL, f->arena, &f->dl, &f->cfg) < 0) {
		diag_print(&f->dl, stderr);
		return -1;
	}
	if (sd_event_new(&f->event) < 0 || script_runner_new(f->event, &f->runner) < 0)
		return -1;
	if (vrrp_ifwatch_new(f->event, on_ifs_changed, f, &f->ifw) < 0)
		return -1;
	if (vrrp_tracker_new(f->event, f->runner, f->ifw, f->cfg, NULL, &ops, f, &f->t) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (sleeper > 0) {
		kill(sleeper, SIGKILL);
		waitpid(sleeper, NULL, 0);
	}
	vrrp_tracker_free(f->t);
	vrrp_ifwatch_free(f->ifw);
	script_runner_free(f->runner);
	sd_event_unref(f->event);
	diag_list_free(&f->dl);
	arena_free(f->arena);
	free(f);
	return 0;
}

static void test_starts_with_interface_down_and_script_unknown(void **state)
{
	struct fixture *f = *state;
	struct vrrp_prio_result r = vrrp_tracker_eval(f->t, instance(f));

	/* trk0 (the instance's own interface) does not exist yet: FAULT */
	assert_true(r.fault);
	assert_int_equal(vrrp_tracker_script_state(f->t, "chk"), VRRP_TRACK_UNKNOWN);
	/* a script nobody tracks is not run */
	assert_int_equal(vrrp_tracker_script_state(f->t, "unused"), VRRP_TRACK_DISABLED);
}

static void test_interface_up_down_deleted_recreated(void **state)
{
	struct fixture *f = *state;

	/* veth pairs: the carrier (IFF_RUNNING) follows the peer */
	sh("ip link add trk0 type veth peer name trk0p && ip link set trk0p up && ip link set trk0 up");
	sh("ip link add trk1 type veth peer name trk1p && ip link set trk1p up && ip link set trk1 up");
	WAIT_FOR(f, 2000, vrrp_tracker_if_state(f->t, "trk0") == VRRP_TRACK_UP &&
				  vrrp_tracker_if_state(f->t, "trk1") == VRRP_TRACK_UP);
	sh("ip link set trk1 down");
	WAIT_FOR(f, 2000, vrrp_tracker_if_state(f->t, "trk1") == VRRP_TRACK_DOWN);
	sh("ip link del trk0");
	WAIT_FOR(f, 2000, vrrp_tracker_if_state(f->t, "trk0") == VRRP_TRACK_DOWN && r.fault);
	sh("ip link add trk0 type veth peer name trk0p && ip link set trk0p up && "
	   "ip link set trk0 up && ip link set trk1 up");
	WAIT_FOR(f, 2000, vrrp_tracker_if_state(f->t, "trk0") == VRRP_TRACK_UP &&
				  vrrp_tracker_if_state(f->t, "trk1") == VRRP_TRACK_UP);
}

static void test_script_rise_fall_weight(void **state)
{
	struct fixture *f = *state;

	/* no flag: the first failure decides at once: down, -20 */
	WAIT_FOR(f, 2000, vrrp_tracker_script_state(f->t, "chk") == VRRP_TRACK_DOWN);
	sh("touch %s/flag", dir);
	WAIT_FOR(f, 2000, vrrp_tracker_script_state(f->t, "chk") == VRRP_TRACK_UP);
	sh("rm %s/flag", dir);
	uint64_t t0 = mono_ms();
	WAIT_FOR(f, 2000, vrrp_tracker_script_state(f->t, "chk") == VRRP_TRACK_DOWN);
	/* fall 2 at 50 ms: not before the second failed run */
	assert_true(mono_ms() - t0 >= 40);
	sh("touch %s/flag", dir);
}

static void test_file_value_times_weight(void **state)
{
	struct fixture *f = *state;
	unsigned before = n_changes;

	sh("echo 5 > %s/prio", dir);
	WAIT_FOR(f, 2000, vrrp_tracker_file_value(f->t, "tf") == 5);
	assert_true(n_changes > before);
	/* replaced by rename, as editors and config tools do */
	sh("echo -2 > %s/prio.new && mv %s/prio.new %s/prio", dir, dir, dir);
	WAIT_FOR(f, 2000, vrrp_tracker_file_value(f->t, "tf") == -2);
	sh("rm %s/prio", dir);
	WAIT_FOR(f, 2000, vrrp_tracker_file_value(f->t, "tf") == 0);
}

static void test_process_quorum_and_terminate_delay(void **state)
{
	struct fixture *f = *state;
	pid_t pid = sleeper = fork();

	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execlp("sleep", "sleep", "31337", (char *)NULL);
		_exit(127);
	}
	WAIT_FOR(f, 2000, vrrp_tracker_process_state(f->t, "sleeper") == VRRP_TRACK_UP);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	sleeper = 0;
	uint64_t t0 = mono_ms();
	WAIT_FOR(f, 3000, vrrp_tracker_process_state(f->t, "sleeper") == VRRP_TRACK_DOWN);
	assert_true(mono_ms() - t0 >= 250); /* terminate_delay 0.3 */
}

static void test_everything_up_gives_sum(void **state)
{
	struct fixture *f = *state;
	pid_t pid = sleeper = fork();

	if (pid == 0) {
		execlp("sleep", "sleep", "31337", (char *)NULL);
		_exit(127);
	}
	sh("echo 4 > %s/prio", dir);
	/* 100 + 0 (chk up) + 4×3 (file) + 10 (process) + 0 (trk1 up) */
	WAIT_FOR(f, 3000, !r.fault && r.priority == 122);
	sh("ip link set trk1 down");
	WAIT_FOR(f, 2000, r.priority == 92);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	sleeper = 0;
}

static void test_reload_keeps_script_state(void **state)
{
	struct fixture *f = *state;
	struct vrrp_tracker *next;

	run_for(f, 200);
	assert_int_equal(vrrp_tracker_script_state(f->t, "chk"), VRRP_TRACK_UP);
	assert_int_equal(vrrp_tracker_new(f->event, f->runner, f->ifw, f->cfg, f->t, &ops, f, &next), 0);
	assert_int_equal(vrrp_tracker_script_state(next, "chk"), VRRP_TRACK_UP);
	vrrp_tracker_free(f->t);
	f->t = next;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starts_with_interface_down_and_script_unknown),
		cmocka_unit_test(test_interface_up_down_deleted_recreated),
		cmocka_unit_test(test_script_rise_fall_weight),
		cmocka_unit_test(test_file_value_times_weight),
		cmocka_unit_test(test_process_quorum_and_terminate_delay),
		cmocka_unit_test(test_everything_up_gives_sum),
		cmocka_unit_test(test_reload_keeps_script_state),
	};
	sigset_t mask;
	int rc;

	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		printf("1..0 # SKIP needs root for a private network namespace\n");
		return 0;
	}
	struct log_opts lo = { .ident = "test_track", .console = true };

	log_open(&lo);
	if (system("ip link set lo up") != 0)
		return 1;
	strcpy(dir, "/tmp/test_track.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	rc = cmocka_run_group_tests(tests, setup, teardown);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
