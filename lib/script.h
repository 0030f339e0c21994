/* Running external scripts without blocking the event loop: notify_*,
 * vrrp_script (track_script), MISC_CHECK, startup/shutdown scripts.
 *
 * Three parts:
 *  - script_split(): a command line into argv, the way keepalived splits a
 *    script's command line (keepalived.conf(5) "Quoted strings"): unquoted
 *    white space separates words, '...' and "..." keep white space, a
 *    backslash escapes as in the shell's $'...'. Pure.
 *  - script_identity_resolve() and script_security_check(): who a script
 *    runs as, and keepalived's enable_script_security rules (a script run
 *    as root must not be replaceable by a non-root user). These read the
 *    user database and stat the file system, so call them when a config is
 *    applied, never per run.
 *  - struct script_runner: fork+exec on an sd-event loop, in the script's
 *    own process group, as a given uid/gid, stdin (and by default stdout and
 *    stderr) on /dev/null, with a timeout after which the whole group gets
 *    SIGTERM and, after a grace period, SIGKILL. Completion comes back
 *    through a callback; sd-event reaps the child (SIGCHLD must be blocked
 *    in the process, as vigild's main() does before forking its children).
 */
#ifndef VIGIL_LIB_SCRIPT_H
#define VIGIL_LIB_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <systemd/sd-event.h>

/* --- argv ---------------------------------------------------------------- */

/* Split @cmdline into a NULL-terminated argv, allocated as one block (free it
 * with free() or script_argv_free()). Returns the number of words (>= 1), or
 * -EINVAL with a reason in @why (an unmatched quote, a trailing backslash,
 * an empty command line), or -ENOMEM. */
int script_split(const char *cmdline, char ***argv_out, char *why, size_t why_len);
void script_argv_free(char **argv);

/* --- identity and security ---------------------------------------------- */

struct script_identity {
	uid_t uid;
	gid_t gid;
};

/* Resolve "user [group]" as keepalived does: @user NULL means the default
 * script user, keepalived_script if that user exists, else the uid/gid this
 * process runs as; @group NULL means @user's primary group. Returns 0, or
 * -ENOENT with a reason in @why (no such user or group). */
int script_identity_resolve(const char *user, const char *group, struct script_identity *out,
			    char *why, size_t why_len);

enum script_security {
	SCRIPT_SECURE,		 /* run it */
	SCRIPT_INSECURE,	 /* run as root but replaceable by non-root */
	SCRIPT_NOT_FOUND,	 /* missing, or not found on PATH */
	SCRIPT_NOT_EXECUTABLE,	 /* not executable by the identity */
	SCRIPT_BAD_PATH,	 /* a path component is not a directory, or the
				  * script is neither a file nor a symlink */
};

/* Check the script @argv0 will run as @id, as keepalived's
 * check_script_secure() does: a bare name is looked up in @path_env (a
 * $PATH value; NULL means "/usr/local/sbin:/usr/local/bin:/usr/sbin:
 * /usr/bin:/sbin:/bin"); the file must exist and be executable by @id.
 * When it will run with uid 0 or gid 0 (or is setuid/setgid root), the
 * file and every directory from / down to it, for both the name given and
 * the path with symbolic links resolved, must be owned by root and not
 * writable by group (unless the group is root) or others; a directory
 * with the sticky bit (/tmp) is allowed to be writable.
 *
 * Writes the path to execute into @resolved (the PATH match for a bare
 * name, else @argv0), and on anything but SCRIPT_SECURE, a one-line reason
 * naming the offending path into @why. */
enum script_security script_security_check(const char *argv0, const struct script_identity *id,
					   const char *path_env, char *resolved,
					   size_t resolved_len, char *why, size_t why_len);

/* Whether a script with this verdict may run: everything but SECURE and
 * INSECURE is refused; INSECURE only when enable_script_security is off
 * (keepalived then runs it and warns). */
bool script_security_allows(enum script_security v, bool enable_script_security);

const char *script_security_name(enum script_security v);

/* --- running ------------------------------------------------------------ */

struct script_result {
	pid_t pid;
	int status;		/* wait status (WIFEXITED()/WEXITSTATUS()...) */
	bool timed_out;		/* the group was signalled on timeout */
	int exec_errno;		/* > 0: the script never ran; see failed_step */
	const char *failed_step; /* "exec", "setuid", ... when exec_errno */
	uint64_t runtime_us;
};

/* Called once per run, from the event loop, when the script has exited
 * (and, after a timeout, its process group has been SIGKILLed). The run is
 * freed right after this returns. */
typedef void (*script_done_fn)(void *data, const struct script_result *r);

struct script_cmd {
	const char *const *argv;  /* argv[0]: a path or a bare name (execvp) */
	struct script_identity id;
	bool set_identity;	  /* false: run as this process's uid/gid */
};

struct script_opts {
	uint64_t timeout_us;	  /* 0: no timeout */
	uint64_t kill_grace_us;	  /* SIGTERM to SIGKILL; 0: 1 s */
	bool keep_output;	  /* stdout/stderr inherited, not /dev/null */
};

struct script_runner;
struct script_run;

/* One runner per event loop. It owns every run not yet finished;
 * script_runner_free() SIGKILLs their process groups and reaps them
 * (no callbacks). */
int script_runner_new(sd_event *event, struct script_runner **out);
void script_runner_free(struct script_runner *r);
/* Block for up to @timeout_us while runs are unfinished, reaping (and
 * calling back) those that exit; returns how many are still running. For
 * a process that is stopping: scripts started after its event loop
 * finished (notify_stop) are reaped only here, and script_runner_free()
 * kills whatever is left. */
unsigned script_runner_wait(struct script_runner *r, uint64_t timeout_us);

/* Send @sig to the process group of every unfinished run (they stay
 * watched: their callbacks run when they exit). Returns how many. */
unsigned script_runner_signal(struct script_runner *r, int sig);

/* Runs started and not finished. */
unsigned script_runner_active(const struct script_runner *r);

/* Start @cmd with @extra (NULL-terminated, may be NULL) appended to its
 * argv. @done may be NULL (fire and forget: notify scripts). On success,
 * *@out (if not NULL) is a handle valid until @done is called or the run is
 * cancelled. Returns 0 or a negative errno (fork failure, ...): then
 * nothing was started and @done will not be called. */
int script_run(struct script_runner *r, const struct script_cmd *cmd, const char *const *extra,
	       const struct script_opts *opts, script_done_fn done, void *data,
	       struct script_run **out);

/* Kill the run's process group (SIGKILL), reap it and free the run without
 * calling its callback. NULL is fine. Not from inside its own callback. */
void script_run_cancel(struct script_run *run);

pid_t script_run_pid(const struct script_run *run);

/* "exited 0", "exited 3", "killed by SIGTERM", "timed out (killed by
 * SIGKILL)", "could not exec: No such file or directory"... into @buf. */
const char *script_result_describe(const struct script_result *r, char *buf, size_t len);

#endif
