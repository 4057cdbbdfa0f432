/*
 * log.c - logging: stderr in the foreground, syslog as a daemon, and
 * rate-limited complaints for faults that repeat every poll.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

#define COMPLAIN_FIRST 60 /* seconds before a repeat is logged again */
#define COMPLAIN_MAX 86400

static int log_foreground = 1;
static int log_verbosity = LOG_L_INFO;

static const int log_prio[] = {
    LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG};
static const char *log_names[] = {
    "error", "warning", "notice", "info", "debug"};

void
log_init(int foreground, int verbosity, const char *ident)
{
	log_foreground = foreground;
	log_verbosity = verbosity;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	tzset();
}

void
log_setverbose(int v)
{
	log_verbosity = v;
}

int
log_getverbose(void)
{
	return log_verbosity;
}

static void
log_str(enum log_level level, const char *msg)
{
	if ((int)level > log_verbosity)
		return;
	if (log_foreground) {
		struct timespec ts;
		struct tm tm;
		char when[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld %s: %s\n", when, ts.tv_nsec / 1000000,
		    log_names[level], msg);
		fflush(stderr);
	} else
		syslog(log_prio[level], "%s", msg);
}

void
vlog(enum log_level level, const char *fmt, va_list ap)
{
	char msg[2048];
	int saved = errno;

	if ((int)level > log_verbosity)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_str(level, msg);
	errno = saved;
}

static void
vlog_errno(enum log_level level, int err, const char *fmt, va_list ap)
{
	char msg[2048], full[2304];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err) {
		snprintf(full, sizeof(full), "%s: %s", msg, strerror(err));
		log_str(level, full);
	} else
		log_str(level, msg);
	errno = err;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_L_WARN, err, fmt, ap);
	va_end(ap);
}

#define LOG_FN(name, level) \
	void name(const char *fmt, ...) \
	{ \
		va_list ap; \
		va_start(ap, fmt); \
		vlog(level, fmt, ap); \
		va_end(ap); \
	}
LOG_FN(log_warnx, LOG_L_WARN)
LOG_FN(log_notice, LOG_L_NOTICE)
LOG_FN(log_info, LOG_L_INFO)
LOG_FN(log_debug, LOG_L_DEBUG)

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_L_ERR, err, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_L_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}

void
complain(struct complaint *c, enum log_level level, const char *fmt, ...)
{
	time_t now = time(NULL);
	char msg[2048], full[2176];
	va_list ap;

	if (c->last != 0 && now < c->last + c->interval) {
		c->suppressed++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->suppressed) {
		snprintf(full, sizeof(full), "%s (%lu more since last logged)",
		    msg, c->suppressed);
		log_str(level, full);
	} else
		log_str(level, msg);
	c->interval = c->last == 0
	    ? COMPLAIN_FIRST
	    : (c->interval * 2 > COMPLAIN_MAX ? COMPLAIN_MAX : c->interval * 2);
	c->last = now;
	c->suppressed = 0;
}

void
complain_release(struct complaint *c, const char *fmt, ...)
{
	va_list ap;

	if (c->last == 0)
		return;
	va_start(ap, fmt);
	vlog(LOG_L_NOTICE, fmt, ap);
	va_end(ap);
	c->last = 0;
	c->interval = 0;
	c->suppressed = 0;
}
