#include "build-config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon/log.h"

/* See log.h for why this is process-wide. */
static struct log_opts log_state = {.ident = "vigild"};
static bool log_syslog_open;

void log_open(const struct log_opts *opts)
{
	log_close();
	log_state = *opts;
	if (!log_state.ident)
		log_state.ident = "vigild";
	if (!log_state.console) {
		openlog(log_state.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		log_syslog_open = true;
	}
}

void log_close(void)
{
	if (log_syslog_open)
		closelog();
	log_syslog_open = false;
}

static const char *level_name(int priority)
{
	switch (priority) {
	case LOG_ERR:
		return "error: ";
	case LOG_WARNING:
		return "warning: ";
	case LOG_DEBUG:
		return "debug: ";
	default:
		return "";
	}
}

static void log_console(int priority, bool show_level, const char *fmt, va_list ap)
{
	char stamp[32] = "";
	char line[2048];
	int saved = errno;

	if (log_state.detail) {
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		snprintf(stamp, sizeof(stamp), "%02d:%02d:%02d.%03ld ", tm.tm_hour, tm.tm_min,
			 tm.tm_sec, ts.tv_nsec / 1000000);
	}
	vsnprintf(line, sizeof(line), fmt, ap);
	/* One write per line so lines of the parent and children never mix. */
	dprintf(STDERR_FILENO, "%s%s[%d]: %s%s\n", stamp, log_state.ident, (int)getpid(),
		show_level ? level_name(priority) : "", line);
	errno = saved;
}

static void log_emit(int priority, bool show_level, const char *fmt, va_list ap)
{
	if (priority == LOG_DEBUG && !log_state.detail)
		return;
	if (log_state.console)
		log_console(priority, show_level, fmt, ap);
	else
		vsyslog(priority, fmt, ap);
}

#define LOG_FN(name, priority)                                                                     \
	void name(const char *fmt, ...)                                                            \
	{                                                                                          \
		va_list ap;                                                                        \
                                                                                                   \
		va_start(ap, fmt);                                                                 \
		log_emit(priority, true, fmt, ap);                                                 \
		va_end(ap);                                                                        \
	}

LOG_FN(log_err, LOG_ERR)
LOG_FN(log_warn, LOG_WARNING)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_debug, LOG_DEBUG)

/* A line that already names its level, as diagnostics do. */
static void __attribute__((format(printf, 2, 3))) log_plain(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(priority, false, fmt, ap);
	va_end(ap);
}

void log_diags(const struct diag_list *dl)
{
	char buf[1024];

	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->v[i];

		log_plain(d->level == DIAG_ERROR ? LOG_ERR : LOG_WARNING, "%s",
			  diag_format(d, buf, sizeof(buf)));
	}
	if (dl->max && dl->n >= dl->max)
		log_warn("(more diagnostics not shown: %u errors, %u warnings in total)",
			 dl->errors, dl->warnings);
}
