/* lib/script_run.c with real processes: exit codes, appended arguments,
 * stdin, timeouts that kill the whole process group, user switching, exec
 * failures, cancellation, and that starting never blocks the loop. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/script.h"

struct fixture {
	sd_event *event;
	struct script_runner *runner;
	char dir[64];
};

struct outcome {
	bool done;
	struct script_result r;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_done(void *data, const struct script_result *r)
{
	struct outcome *o = data;

	o->done = true;
	o->r = *r;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || sd_event_new(&f->event) < 0 || script_runner_new(f->event, &f->runner) < 0)
		return -1;
	strcpy(f->dir, "/tmp/test_script_run.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	chmod(f->dir, 0777); /* so a script run as nobody can write its output */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	script_runner_free(f->runner);
	sd_event_unref(f->event);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void run_until_done(struct fixture *f, struct outcome *o, uint64_t max_ms)
{
	uint64_t end = mono_ms() + max_ms;

	while (!o->done && mono_ms() < end)
		assert_true(sd_event_run(f->event, 50 * 1000) >= 0);
	assert_true(o->done);
}

static void start_sh(struct fixture *f, const char *script, const char *const *extra,
		     const struct script_opts *opts, struct outcome *o)
{
	const char *argv[] = { "/bin/sh", "-c", script, "sh", NULL };
	struct script_cmd cmd = { .argv = argv };

	assert_int_equal(script_run(f->runner, &cmd, extra, opts, on_done, o, NULL), 0);
}

static void read_file(struct fixture *f, const char *name, char *buf, size_t len)
{
	char p[128];
	FILE *fp;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", f->dir, name);
	fp = fopen(p, "r");
	assert_non_null(fp);
	n = fread(buf, 1, len - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
}

static void test_exit_codes(void **state)
{
	struct fixture *f = *state;
	struct outcome o0 = { 0 }, o3 = { 0 };
	char buf[64];

	start_sh(f, "exit 0", NULL, NULL, &o0);
	start_sh(f, "exit 3", NULL, NULL, &o3);
	assert_int_equal(script_runner_active(f->runner), 2);
	run_until_done(f, &o0, 5000);
	run_until_done(f, &o3, 5000);
	assert_true(WIFEXITED(o0.r.status) && WEXITSTATUS(o0.r.status) == 0);
	assert_true(WIFEXITED(o3.r.status) && WEXITSTATUS(o3.r.status) == 3);
	assert_false(o3.r.timed_out);
	assert_string_equal(script_result_describe(&o3.r, buf, sizeof(buf)), "exited 3");
	assert_int_equal(script_runner_active(f->runner), 0);
}

static void test_extra_args_and_stdin(void **state)
{
	struct fixture *f = *state;
	const char *extra[] = { "INSTANCE", "VI 1", "MASTER", "150", NULL };
	struct outcome o = { 0 };
	char script[512], buf[256];

	snprintf(script, sizeof(script),
		 "printf '%%s|' \"$@\" > %s/args; readlink /proc/self/fd/0 > %s/stdin; "
		 "ps -o pgid= -p $$ | tr -d ' ' > %s/pgid; echo $$ > %s/pid",
		 f->dir, f->dir, f->dir, f->dir);
	start_sh(f, script, extra, NULL, &o);
	run_until_done(f, &o, 5000);
	assert_int_equal(o.r.status, 0);
	read_file(f, "args", buf, sizeof(buf));
	assert_string_equal(buf, "INSTANCE|VI 1|MASTER|150|");
	read_file(f, "stdin", buf, sizeof(buf));
	assert_string_equal(buf, "/dev/null");
	/* its own process group */
	char pid[32];
	read_file(f, "pid", pid, sizeof(pid));
	read_file(f, "pgid", buf, sizeof(buf));
	assert_string_equal(buf, pid);
}

static bool process_gone(pid_t pid)
{
	char p[64], st[256];
	FILE *fp;
	size_t n;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	fp = fopen(p, "r");
	if (!fp)
		return true;
	n = fread(st, 1, sizeof(st) - 1, fp);
	st[n] = '\0';
	fclose(fp);
	/* an orphan nobody reaped yet is dead too */
	char *rp = strrchr(st, ')');
	return rp && rp[1] == ' ' && rp[2] == 'Z';
}

static void test_timeout_kills_group(void **state)
{
	struct fixture *f = *state;
	struct script_opts opts = { .timeout_us = 200000 };
	struct outcome o = { 0 };
	char script[256], buf[32];
	uint64_t t0 = mono_ms();

	snprintf(script, sizeof(script), "sleep 100 & echo $! > %s/bg; sleep 100", f->dir);
	start_sh(f, script, NULL, &opts, &o);
	run_until_done(f, &o, 5000);
	assert_true(o.r.timed_out);
	assert_true(WIFSIGNALED(o.r.status) && WTERMSIG(o.r.status) == SIGTERM);
	assert_true(mono_ms() - t0 < 1500);
	read_file(f, "bg", buf, sizeof(buf));
	/* the background child in the same group went too */
	for (int i = 0; i < 100 && !process_gone(atoi(buf)); i++)
		usleep(10000);
	assert_true(process_gone(atoi(buf)));
}

static void test_timeout_sigkill_when_term_ignored(void **state)
{
	struct fixture *f = *state;
	struct script_opts opts = { .timeout_us = 100000, .kill_grace_us = 200000 };
	struct outcome o = { 0 };
	char buf[64];
	uint64_t t0 = mono_ms();

	start_sh(f, "trap '' TERM; while :; do sleep 0.05; done", NULL, &opts, &o);
	run_until_done(f, &o, 5000);
	assert_true(o.r.timed_out);
	assert_true(WIFSIGNALED(o.r.status) && WTERMSIG(o.r.status) == SIGKILL);
	assert_true(mono_ms() - t0 >= 290);
	assert_string_equal(script_result_describe(&o.r, buf, sizeof(buf)),
			    "timed out, killed by SIGKILL");
}

static void test_runs_as_nobody(void **state)
{
	struct fixture *f = *state;
	struct outcome o = { 0 };
	char script[256], buf[64], why[64];
	struct script_cmd cmd = { .set_identity = true };

	if (geteuid() != 0)
		skip();
	assert_int_equal(script_identity_resolve("nobody", NULL, &cmd.id, why, sizeof(why)), 0);
	snprintf(script, sizeof(script), "id -u > %s/uid; id -G > %s/groups", f->dir, f->dir);
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	cmd.argv = argv;
	assert_int_equal(script_run(f->runner, &cmd, NULL, NULL, on_done, &o, NULL), 0);
	run_until_done(f, &o, 5000);
	assert_int_equal(o.r.status, 0);
	read_file(f, "uid", buf, sizeof(buf));
	assert_string_equal(buf, "65534");
	/* only the user's own group: no supplementary groups from the daemon */
	read_file(f, "groups", buf, sizeof(buf));
	assert_string_equal(buf, "65534");
}

static void test_exec_failure_reported(void **state)
{
	struct fixture *f = *state;
	const char *argv[] = { "/nonexistent/script.sh", "a", NULL };
	struct script_cmd cmd = { .argv = argv };
	struct outcome o = { 0 };
	char buf[128];

	assert_int_equal(script_run(f->runner, &cmd, NULL, NULL, on_done, &o, NULL), 0);
	run_until_done(f, &o, 5000);
	assert_int_equal(o.r.exec_errno, ENOENT);
	assert_string_equal(o.r.failed_step, "exec");
	assert_int_equal(WEXITSTATUS(o.r.status), 127);
	assert_string_equal(script_result_describe(&o.r, buf, sizeof(buf)),
			    "could not exec: No such file or directory");
}

static void test_start_does_not_block_and_cancel_reaps(void **state)
{
	struct fixture *f = *state;
	struct outcome o = { 0 };
	struct script_run *run;
	const char *argv[] = { "/bin/sleep", "5", NULL };
	struct script_cmd cmd = { .argv = argv };
	uint64_t t0 = mono_ms();
	siginfo_t si = { 0 };

	assert_int_equal(script_run(f->runner, &cmd, NULL, NULL, on_done, &o, &run), 0);
	assert_true(mono_ms() - t0 < 100);
	assert_true(script_run_pid(run) > 0);
	script_run_cancel(run);
	assert_false(o.done);
	assert_int_equal(script_runner_active(f->runner), 0);
	/* no child left behind, not even a zombie */
	assert_int_equal(waitid(P_ALL, 0, &si, WEXITED | WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void test_runner_free_kills_outstanding(void **state)
{
	struct fixture *f = *state;
	const char *argv[] = { "/bin/sleep", "5", NULL };
	struct script_cmd cmd = { .argv = argv };
	siginfo_t si = { 0 };

	assert_int_equal(script_run(f->runner, &cmd, NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(script_run(f->runner, &cmd, NULL, NULL, NULL, NULL, NULL), 0);
	script_runner_free(f->runner);
	assert_int_equal(waitid(P_ALL, 0, &si, WEXITED | WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	assert_int_equal(script_runner_new(f->event, &f->runner), 0);
}

/* A stopping process: after its loop finished, scripts still start
 * (notify_stop), script_runner_wait() reaps them with their callbacks, and
 * gives up at its deadline on one that takes longer. */
static void test_wait_after_loop_finished(void **state)
{
	struct fixture *f = *state;
	struct outcome quick = { 0 }, slow = { 0 };
	uint64_t t0;

	assert_int_equal(sd_event_exit(f->event, 0), 0);
	assert_true(sd_event_loop(f->event) >= 0);
	assert_int_equal(sd_event_get_state(f->event), SD_EVENT_FINISHED);
	start_sh(f, "sleep 0.1; exit 4", NULL, NULL, &quick);
	start_sh(f, "sleep 5", NULL, NULL, &slow);
	t0 = mono_ms();
	assert_int_equal(script_runner_wait(f->runner, 1000 * 1000), 1);
	assert_in_range(mono_ms() - t0, 900, 2000);
	assert_true(quick.done);
	assert_true(WIFEXITED(quick.r.status) && WEXITSTATUS(quick.r.status) == 4);
	assert_false(slow.done);
}

int main(void)
{
	sigset_t mask;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_extra_args_and_stdin),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_timeout_sigkill_when_term_ignored),
		cmocka_unit_test(test_runs_as_nobody),
		cmocka_unit_test(test_exec_failure_reported),
		cmocka_unit_test(test_start_does_not_block_and_cancel_reaps),
		cmocka_unit_test(test_runner_free_kills_outstanding),
		cmocka_unit_test_setup_teardown(test_wait_after_loop_finished, setup, teardown),
	};

	/* sd-event watches children only with SIGCHLD blocked (vigild's
	 * main() does the same before forking its children). */
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	return cmocka_run_group_tests(tests, setup, teardown);
}
