/* The script runner: fork+exec on the sd-event loop (see lib/script.h). */
#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/script.h"

#define DEFAULT_KILL_GRACE_US 1000000ULL

/* --- running ------------------------------------------------------------- */

struct script_runner {
	sd_event *event;
	struct script_run *runs; /* unfinished, doubly linked */
	unsigned n_runs;
};

struct script_run {
	struct script_run *prev, *next;
	struct script_runner *runner;
	sd_event_source *child, *timer;
	pid_t pid;
	int err_fd; /* read end: the child's failure report, if any */
	bool timed_out;
	uint64_t started_us, kill_grace_us;
	script_done_fn done;
	void *data;
};

/* What the child reports when it cannot get as far as exec. */
enum child_step { STEP_PGID, STEP_STDIO, STEP_SETGROUPS, STEP_SETGID, STEP_SETUID, STEP_EXEC };
static const char *const step_names[] = { "setpgid", "redirect stdio", "setgroups",
					  "setgid", "setuid", "exec" };

struct child_report {
	int step;
	int err;
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void __attribute__((noreturn)) child_fail(int fd, enum child_step step, int err)
{
	struct child_report rep = { step, err };
	ssize_t n = write(fd, &rep, sizeof(rep));

	(void)n;
	_exit(step == STEP_EXEC && err == ENOENT ? 127 : 126);
}

/* In the forked child: become the script. Only calls that are safe after
 * fork() in a single-threaded process, and no return. */
static void __attribute__((noreturn)) child_exec(const struct script_cmd *cmd, char *const *argv,
						 bool keep_output, pid_t parent, int err_fd)
{
	sigset_t none;
	int null_fd;

	/* The loop's blocked signals and ignored dispositions survive exec. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	if (setpgid(0, 0) < 0)
		child_fail(err_fd, STEP_PGID, errno);
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
	    (!keep_output &&
	     (dup2(null_fd, STDOUT_FILENO) < 0 || dup2(null_fd, STDERR_FILENO) < 0)))
		child_fail(err_fd, STEP_STDIO, errno);
	if (cmd->set_identity) {
		/* keepalived: the script user's group only, no supplementary
		 * groups inherited from the daemon. */
		if (geteuid() == 0 && setgroups(1, &cmd->id.gid) < 0)
			child_fail(err_fd, STEP_SETGROUPS, errno);
		if (cmd->id.gid != getegid() && setgid(cmd->id.gid) < 0)
			child_fail(err_fd, STEP_SETGID, errno);
		if (cmd->id.uid != geteuid() && setuid(cmd->id.uid) < 0)
			child_fail(err_fd, STEP_SETUID, errno);
	}
	/* After the credential change, which clears it: keepalived.conf(5)
	 * "Scripts will be sent SIGTERM if their parent terminates". */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(126);
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	execvp(argv[0], argv);
	child_fail(err_fd, STEP_EXEC, errno);
}

static char **build_argv(const char *const *argv, const char *const *extra)
{
	size_t n = 0, m = 0;
	char **out;

	while (argv[n])
		n++;
	while (extra && extra[m])
		m++;
	out = calloc(n + m + 1, sizeof(*out));
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++)
		out[i] = (char *)argv[i];
	for (size_t i = 0; i < m; i++)
		out[n + i] = (char *)extra[i];
	return out;
}

static void run_unlink_free(struct script_run *run)
{
	struct script_runner *r = run->runner;

	if (run->prev)
		run->prev->next = run->next;
	else
		r->runs = run->next;
	if (run->next)
		run->next->prev = run->prev;
	r->n_runs--;
	sd_event_source_disable_unref(run->timer);
	sd_event_source_disable_unref(run->child);
	if (run->err_fd >= 0)
		close(run->err_fd);
	free(run);
}

static int on_timeout(sd_event_source *s, uint64_t usec, void *data)
{
	struct script_run *run = data;

	if (!run->timed_out) {
		run->timed_out = true;
		kill(-run->pid, SIGTERM);
		sd_event_source_set_time_relative(s, run->kill_grace_us);
		sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	} else {
		kill(-run->pid, SIGKILL);
	}
	return 0;
}

/* @si: the exited child's waitid() report. Calls the callback and frees
 * the run. */
static void run_finish(struct script_run *run, const siginfo_t *si)
{
	struct script_result res = { .pid = run->pid, .timed_out = run->timed_out };
	struct child_report rep;

	switch (si->si_code) {
	case CLD_EXITED:
		res.status = W_EXITCODE(si->si_status, 0);
		break;
	case CLD_KILLED:
		res.status = si->si_status & 0x7f;
		break;
	default: /* CLD_DUMPED */
		res.status = (si->si_status & 0x7f) | 0x80;
		break;
	}
	/* The leader is still a zombie here (sd-event reaps it after we
	 * return), so its pid cannot name another group yet: finish off
	 * whatever it left behind after a timeout. */
	if (run->timed_out)
		kill(-run->pid, SIGKILL);
	if (read(run->err_fd, &rep, sizeof(rep)) == (ssize_t)sizeof(rep) && rep.step >= 0 &&
	    rep.step <= STEP_EXEC) {
		res.exec_errno = rep.err;
		res.failed_step = step_names[rep.step];
	}
	res.runtime_us = now_us() - run->started_us;
	if (run->done)
		run->done(run->data, &res);
	run_unlink_free(run);
}

static int on_child(sd_event_source *s, const siginfo_t *si, void *data)
{
	(void)s;
	if (si->si_code != CLD_EXITED && si->si_code != CLD_KILLED && si->si_code != CLD_DUMPED)
		return 0; /* stopped/continued: not watched */
	run_finish(data, si);
	return 0;
}

int script_runner_new(sd_event *event, struct script_runner **out)
{
	struct script_runner *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->event = sd_event_ref(event);
	*out = r;
	return 0;
}

void script_runner_free(struct script_runner *r)
{
	if (!r)
		return;
	while (r->runs)
		script_run_cancel(r->runs);
	sd_event_unref(r->event);
	free(r);
}

unsigned script_runner_wait(struct script_runner *r, uint64_t timeout_us)
{
	uint64_t deadline = now_us() + timeout_us;
	const struct timespec pause = { 0, 5 * 1000 * 1000 };

	if (!r)
		return 0;
	for (;;) {
		struct script_run *run = r->runs;

		while (run) {
			struct script_run *next = run->next;
			siginfo_t si = { 0 };

			/* Reaps it: on_child will not see it (its source goes
			 * with the run). */
			if (waitid(P_PID, (id_t)run->pid, &si, WEXITED | WNOHANG) == 0 && si.si_pid)
				run_finish(run, &si);
			run = next;
		}
		if (!r->runs || now_us() >= deadline)
			return r->n_runs;
		nanosleep(&pause, NULL);
	}
}

unsigned script_runner_signal(struct script_runner *r, int sig)
{
	unsigned n = 0;

	for (struct script_run *run = r ? r->runs : NULL; run; run = run->next, n++)
		kill(-run->pid, sig);
	return n;
}

unsigned script_runner_active(const struct script_runner *r)
{
	return r ? r->n_runs : 0;
}

pid_t script_run_pid(const struct script_run *run)
{
	return run->pid;
}

void script_run_cancel(struct script_run *run)
{
	siginfo_t si;

	if (!run)
		return;
	kill(-run->pid, SIGKILL);
	kill(run->pid, SIGKILL);
	/* Not reaped yet (that happens only after on_child runs), so this
	 * waits for our own child, briefly: it has just been SIGKILLed. */
	while (waitid(P_PID, (id_t)run->pid, &si, WEXITED) < 0 && errno == EINTR)
		;
	run_unlink_free(run);
}

int script_run(struct script_runner *r, const struct script_cmd *cmd, const char *const *extra,
	       const struct script_opts *opts, script_done_fn done, void *data,
	       struct script_run **out)
{
	static const struct script_opts defaults = { 0 };
	struct script_run *run;
	char **argv;
	int pipefd[2], rc;
	pid_t pid;

	if (!opts)
		opts = &defaults;
	if (!cmd->argv || !cmd->argv[0])
		return -EINVAL;
	run = calloc(1, sizeof(*run));
	argv = build_argv(cmd->argv, extra);
	if (!run || !argv) {
		free(run);
		free(argv);
		return -ENOMEM;
	}
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0) {
		rc = -errno;
		free(run);
		free(argv);
		return rc;
	}
	pid_t parent = getpid();
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		free(run);
		free(argv);
		return rc;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_exec(cmd, argv, opts->keep_output, parent, pipefd[1]);
	}
	free(argv);
	close(pipefd[1]);
	/* Also from this side, so the group exists before we can signal it
	 * (EACCES: the child already exec'd, having done it itself). */
	setpgid(pid, pid);

	run->runner = r;
	run->pid = pid;
	run->err_fd = pipefd[0];
	run->started_us = now_us();
	run->kill_grace_us = opts->kill_grace_us ? opts->kill_grace_us : DEFAULT_KILL_GRACE_US;
	run->done = done;
	run->data = data;
	run->next = r->runs;
	if (r->runs)
		r->runs->prev = run;
	r->runs = run;
	r->n_runs++;

	/* After the loop has finished (a daemon stopping: notify_stop) no
	 * source can be added; script_runner_wait() reaps the run instead. */
	if (sd_event_get_state(r->event) == SD_EVENT_FINISHED)
		rc = 0;
	else
		rc = sd_event_add_child(r->event, &run->child, pid, WEXITED, on_child, run);
	if (rc >= 0 && run->child && opts->timeout_us)
		rc = sd_event_add_time_relative(r->event, &run->timer, CLOCK_MONOTONIC,
						opts->timeout_us, 1000, on_timeout, run);
	if (rc < 0) {
		script_run_cancel(run);
		return rc;
	}
	if (out)
		*out = run;
	return 0;
}

const char *script_result_describe(const struct script_result *r, char *buf, size_t len)
{
	const char *pre = r->timed_out ? "timed out, " : "";

	if (r->exec_errno)
		snprintf(buf, len, "could not %s: %s", r->failed_step, strerror(r->exec_errno));
	else if (WIFEXITED(r->status))
		snprintf(buf, len, "%sexited %d", pre, WEXITSTATUS(r->status));
	else if (WIFSIGNALED(r->status))
		snprintf(buf, len, "%skilled by SIG%s%s", pre, sigabbrev_np(WTERMSIG(r->status)),
			 WCOREDUMP(r->status) ? " (core dumped)" : "");
	else
		snprintf(buf, len, "%sstatus 0x%x", pre, (unsigned)r->status);
	return buf;
}
