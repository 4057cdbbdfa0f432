/*
 * sdnotify.h - the systemd notification protocol (sd_notify(3)) without
 * libsystemd: one datagram per state change to $NOTIFY_SOCKET (a path, or
 * an abstract socket when it starts with '@'). Nothing happens when the
 * variable is not set, so the daemon behaves the same outside systemd.
 */
#ifndef NP_SDNOTIFY_H
#define NP_SDNOTIFY_H

/* Read $NOTIFY_SOCKET (at start, before anything may change the
 * environment); 1 when there is one. */
int sdnotify_init(void);
/* Send "READY=1", "RELOADING=1\nMONOTONIC_USEC=...", "STOPPING=1" or
 * "STATUS=..." lines; 0 sent, -1 not sent (no socket, or an error). */
int sdnotify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "READY=1" and a status line */
int sdnotify_ready(const char *status);
/* "RELOADING=1" with the monotonic time systemd 253+ wants */
int sdnotify_reloading(void);
int sdnotify_stopping(void);

#endif
