/*
 * log.h - logging for netpatrol: stderr in the foreground, syslog otherwise,
 * levels, and rate-limited complaints for per-device faults.
 */
#ifndef NP_LOG_H
#define NP_LOG_H

#include <stdarg.h>
#include <time.h>

enum log_level {
	LOG_L_ERR = 0,
	LOG_L_WARN,
	LOG_L_NOTICE,
	LOG_L_INFO,
	LOG_L_DEBUG
};

void log_init(int foreground, int verbosity, const char *ident);
void log_setverbose(int verbosity);
int log_getverbose(void);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void vlog(enum log_level level, const char *fmt, va_list ap);

/*
 * A complaint: a fault that may repeat every poll. It is logged the first
 * time, then at growing intervals (doubling up to a day) with the number of
 * times it happened in between, and once more when it clears.
 */
struct complaint {
	time_t last; /* when it was last logged, 0 = not complaining */
	time_t interval; /* seconds until the next log line */
	unsigned long suppressed; /* occurrences not logged since last */
};

void complain(struct complaint *c, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void complain_release(struct complaint *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
