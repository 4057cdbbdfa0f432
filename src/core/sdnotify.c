/*
 * sdnotify.c - sd_notify(3)'s protocol in a few lines (sdnotify.h).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sdnotify.h"

static struct sockaddr_un sd_addr;
static socklen_t sd_len;

int
sdnotify_init(void)
{
	const char *p = getenv("NOTIFY_SOCKET");
	size_t n;

	sd_len = 0;
	if (p == NULL || (p[0] != '/' && p[0] != '@'))
		return 0;
	n = strlen(p);
	if (n < 2 || n >= sizeof(sd_addr.sun_path)) {
		log_warnx("NOTIFY_SOCKET: unusable path, not telling systemd");
		return 0;
	}
	memset(&sd_addr, 0, sizeof(sd_addr));
	sd_addr.sun_family = AF_UNIX;
	memcpy(sd_addr.sun_path, p, n);
	if (p[0] == '@')
		sd_addr.sun_path[0] = '\0'; /* abstract */
	sd_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	return 1;
}

int
sdnotify(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int fd, n;

	if (sd_len == 0)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (sendto(fd, msg, (size_t)n, MSG_NOSIGNAL,
	    (struct sockaddr *)&sd_addr, sd_len) != n) {
		log_debug("NOTIFY_SOCKET: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
sdnotify_ready(const char *status)
{
	return sdnotify("READY=1\nSTATUS=%s", status);
}

int
sdnotify_reloading(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return sdnotify("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
}

int
sdnotify_stopping(void)
{
	return sdnotify("STOPPING=1\nSTATUS=stopping");
}
