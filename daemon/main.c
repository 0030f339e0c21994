/* vigild: command line, config test, and the start of the process tree. */
#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/log.h"
#include "daemon/supervisor.h"
#include "lib/arena.h"
#include "parser/config.h"
#include "parser/script_security.h"

#define DEFAULT_CONFIG "/etc/vigil/vigil.conf"
#define FALLBACK_CONFIG "/etc/keepalived/keepalived.conf"

/* -t exit codes: 3 when the config cannot be run at all, 4 when it would run
 * but keepalived's -t fails it (DIAG_STRICT: unknown keywords, values it
 * fixes up, script security), which the daemon only warns about. */
#define EXIT_CONFIG_UNUSABLE 3
#define EXIT_CONFIG_PROBLEMS 4
#define EXIT_USAGE 2

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vigild [OPTION]...\n"
		"VRRP and IPVS health checking, compatible with keepalived.conf.\n"
		"\n"
		"  -f, --use-file=FILE        configuration file (default " DEFAULT_CONFIG ",\n"
		"                             else " FALLBACK_CONFIG ")\n"
		"  -P, --vrrp                 run only the VRRP child\n"
		"  -C, --check                run only the checker child\n"
		"  -n, --dont-fork            stay in the foreground\n"
		"  -l, --log-console          log to stderr instead of syslog\n"
		"  -D, --log-detail           log debug messages too\n"
		"  -i, --config-id=ID         select @ID conditional lines\n"
		"  -e, --all-config           with -t: fail if any included file is missing\n"
		"                             or unreadable\n"
		"  -p, --pid=FILE             parent pidfile (default /run/vigild.pid)\n"
		"  -r, --vrrp_pid=FILE        VRRP child pidfile (default /run/vigild_vrrp.pid)\n"
		"  -c, --checkers_pid=FILE    checker child pidfile (default "
		"/run/vigild_checkers.pid)\n"
		"      --ipvs-repair-interval=SECONDS\n"
		"                             read the kernel's IPVS table this often and put\n"
		"                             back what was changed behind vigild's back\n"
		"                             (default 30; 0: never)\n"
		"  -t, --config-test[=FILE]   check the configuration and exit:\n"
		"                             0 valid, %d errors, %d warnings that fail the test\n"
		"                             (unknown keywords, script security, ...)\n"
		"  -v, --version              print the version\n"
		"  -h, --help                 print this help\n"
		"\n"
		"Signals: SIGHUP reloads the configuration, SIGTERM/SIGINT stop.\n",
		EXIT_CONFIG_UNUSABLE, EXIT_CONFIG_PROBLEMS);
}

struct cmdline {
	struct vigild_opts opts;
	bool config_test;
	bool all_config;       /* -e */
	const char *test_file; /* -t=FILE */
};

static int parse_cmdline(int argc, char **argv, struct cmdline *cl)
{
	static const struct option longopts[] = {
	    {"use-file", required_argument, NULL, 'f'},
	    {"vrrp", no_argument, NULL, 'P'},
	    {"check", no_argument, NULL, 'C'},
	    {"dont-fork", no_argument, NULL, 'n'},
	    {"log-console", no_argument, NULL, 'l'},
	    {"log-detail", no_argument, NULL, 'D'},
	    {"config-id", required_argument, NULL, 'i'},
	    {"all-config", no_argument, NULL, 'e'},
	    {"pid", required_argument, NULL, 'p'},
	    {"vrrp_pid", required_argument, NULL, 'r'},
	    {"checkers_pid", required_argument, NULL, 'c'},
	    {"config-test", optional_argument, NULL, 't'},
	    {"ipvs-repair-interval", required_argument, NULL, 'R'},
	    {"version", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct vigild_opts *o = &cl->opts;
	int ch;

	o->pidfile = "/run/vigild.pid";
	o->vrrp_pidfile = "/run/vigild_vrrp.pid";
	o->check_pidfile = "/run/vigild_checkers.pid";
	o->log.ident = "vigild";
	o->ipvs_repair_s = 30;
	while ((ch = getopt_long(argc, argv, "f:PCnlDi:ep:r:c:t::vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			o->config_path = optarg;
			break;
		case 'P':
			o->run_vrrp = true;
			break;
		case 'C':
			o->run_check = true;
			break;
		case 'n':
			o->dont_fork = true;
			break;
		case 'l':
			o->log.console = true;
			break;
		case 'D':
			o->log.detail = true;
			break;
		case 'i':
			o->config_id = optarg;
			break;
		case 'e':
			cl->all_config = true;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'r':
			o->vrrp_pidfile = optarg;
			break;
		case 'c':
			o->check_pidfile = optarg;
			break;
		case 't':
			cl->config_test = true;
			cl->test_file = optarg;
			break;
		case 'R': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (!*optarg || *end || v > 86400) {
				fprintf(stderr, "vigild: --ipvs-repair-interval: expected 0..86400 "
						"seconds, got '%s'\n", optarg);
				return -EINVAL;
			}
			o->ipvs_repair_s = (unsigned)v;
			break;
		}
		case 'v':
			printf("%s\n", PACKAGE_STRING);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigild: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (!o->run_vrrp && !o->run_check)
		o->run_vrrp = o->run_check = true;
	if (cl->test_file)
		o->config_path = cl->test_file;
	if (!o->config_path)
		o->config_path =
		    access(DEFAULT_CONFIG, F_OK) == 0 ? DEFAULT_CONFIG : FALLBACK_CONFIG;
	return 0;
}

/* The host facts script security depends on (parser/script_security.h). */
static bool program_exists(const char *prog, void *data)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];
	struct stat st;

	(void)data;
	if (strchr(prog, '/'))
		return stat(prog, &st) == 0;
	/* A bare name: keepalived looks it up in PATH. */
	for (path = path ? path : "/usr/bin:/bin"; *path;) {
		size_t len = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, len ? path : ".", prog);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
			return true;
		path += len + (path[len] == ':');
	}
	return false;
}

static struct script_env host_script_env(void)
{
	return (struct script_env){
		.euid = (unsigned)geteuid(),
		.default_user_exists = getpwnam(SCRIPT_DEFAULT_USER) != NULL,
		.program_exists = program_exists,
	};
}

static int config_test(const struct cmdline *cl)
{
	struct config_opts copts = {.config_id = cl->opts.config_id,
				    .include_check_all = cl->all_config};
	struct script_env env = host_script_env();
	struct diag_list dl = {0};
	const struct vigil_config *cfg = NULL;
	struct arena *a = arena_new(CONFIG_SLOT_SIZE);
	int rc, code;

	if (!a) {
		fprintf(stderr, "vigild: %s\n", strerror(errno));
		return 1;
	}
	rc = config_load_file(cl->opts.config_path, &copts, a, &dl, &cfg);
	if (rc == 0 && cfg)
		config_check_script_security(cfg, &env, &dl);
	diag_print(&dl, stderr);
	if (rc < 0 || diag_has_errors(&dl))
		code = EXIT_CONFIG_UNUSABLE;
	else if (diag_fails_test(&dl))
		code = EXIT_CONFIG_PROBLEMS;
	else
		code = 0;
	if (code == 0)
		fprintf(stderr,
			"%s: configuration is valid (%u VRRP instances, %u virtual servers)\n",
			cl->opts.config_path, cfg->vrrp.n_instances, cfg->lvs.n_virtual_servers);
	diag_list_free(&dl);
	arena_free(a);
	return code;
}

/* At start, log what script security finds in the first generation (the
 * supervisor logs the rest of the diagnostics when it loads the config). */
static void log_script_security(const struct vigil_config *cfg)
{
	struct script_env env = host_script_env();
	struct diag_list dl = {.max = 20};

	if (config_check_script_security(cfg, &env, &dl))
		log_diags(&dl);
	diag_list_free(&dl);
}

/* Descriptors 0-2 must be open, or a socket could land there and receive
 * stray writes to stderr. */
static void ensure_std_fds(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

int main(int argc, char **argv)
{
	static char config_abs[PATH_MAX];
	struct cmdline cl = {0};
	sigset_t mask;

	if (parse_cmdline(argc, argv, &cl) < 0)
		return EXIT_USAGE;
	if (cl.config_test)
		return config_test(&cl);
	if (cl.all_config)
		/* The supervisor's loads do not take it yet. */
		fprintf(stderr, "vigild: -e/--all-config only applies to -t for now; ignored\n");
	ensure_std_fds();
	/* The daemon runs from / : keep the path valid for reloads. */
	if (realpath(cl.opts.config_path, config_abs))
		cl.opts.config_path = config_abs;
	/* Signals are read from the event loop (and SIGCHLD by sd-event's
	 * child sources), so block them before any child exists. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	log_open(&cl.opts.log);
	cl.opts.started = log_script_security;
	return supervisor_run(&cl.opts);
}
