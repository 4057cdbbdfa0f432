/*
 * notify_drive - drives the notifier (src/finding/notify.c) by itself,
 * without the findings engine, for the integration test
 * (tests/integration/notify.sh) and the latency benchmark (bench/).
 *
 *   notify_drive -f CONF [-s STATUSFILE] [-T SECONDS] [-v]
 *
 * It runs a libevent loop, configures the notifier from CONF (its notify
 * targets and sendmail path) and reads commands from stdin, one a line:
 *
 *   open ID [field=value ...]     a finding opens (or reopens)
 *   severity ID severity=S ...    its severity changed
 *   escalate ID                   the engine escalates it
 *   resolve ID                    it is resolved
 *   ack ID / close ID             acknowledged / closed: notify_settled()
 *   set ID field=value ...        change fields, notify nothing
 *   wait SECONDS                  let the loop run, read on after
 *   idle                          wait until nothing is queued or under way
 *   status                        print notify_status() as a JSON line
 *   reload                        parse CONF again, notify_configure()
 *
 * Fields: key device object kind title text location impact owner
 * severity role priority flapping suppressed consequence count; values
 * may be "quoted". At the end of stdin it waits until the notifier is idle
 * and exits 0; after -T seconds (default 60) it gives up and exits 2.
 * With -s, notify_status() is written to STATUSFILE every 100 ms.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "conf.h"
#include "event.h"
#include "finding.h"
#include "json.h"
#include "log.h"
#include "notify.h"
#include "session.h"

#define MAX_FINDINGS 100000

struct drive {
	struct event_base *base;
	struct notifier *n;
	struct config *conf;
	const char *conf_path, *status_path;
	struct evbuffer *in;
	struct event *ev_in, *ev_resume, *ev_status, *ev_idle, *ev_deadline;
	int eof, paused, waiting_idle, rc;
	struct finding *f[MAX_FINDINGS];
};

static void drive_process(struct drive *);

static double
now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void
drive_write_status(struct drive *d, FILE *out)
{
	struct jbuf j;

	jbuf_init(&j);
	json_obj_open(&j);
	notify_status(d->n, &j);
	json_obj_close(&j);
	if (!j.failed)
		fprintf(out, "%s\n", j.s);
	jbuf_free(&j);
}

static void
drive_on_status(evutil_socket_t fd, short what, void *arg)
{
	struct drive *d = arg;
	char tmp[PATH_MAX + 8];
	FILE *f;

	(void)fd;
	(void)what;
	snprintf(tmp, sizeof(tmp), "%s.tmp", d->status_path);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	drive_write_status(d, f);
	if (fclose(f) == 0)
		rename(tmp, d->status_path);
}

static void
drive_finish(struct drive *d, int rc)
{
	d->rc = rc;
	if (d->status_path)
		drive_on_status(-1, 0, d);
	event_base_loopbreak(d->base);
}

/* At the end of input, or for "idle": is the notifier done? */
static void
drive_on_idle(evutil_socket_t fd, short what, void *arg)
{
	struct drive *d = arg;
	struct timeval tv = {0, 20000};

	(void)fd;
	(void)what;
	if (!notify_idle(d->n)) {
		evtimer_add(d->ev_idle, &tv);
		return;
	}
	if (d->waiting_idle) {
		d->waiting_idle = 0;
		d->paused = 0;
		drive_process(d);
		return;
	}
	drive_finish(d, 0);
}

static void
drive_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct drive *d = arg;

	(void)fd;
	(void)what;
	fprintf(stderr, "notify_drive: gave up waiting\n");
	drive_finish(d, 2);
}

static void
drive_on_resume(evutil_socket_t fd, short what, void *arg)
{
	struct drive *d = arg;

	(void)fd;
	(void)what;
	d->paused = 0;
	drive_process(d);
}

/* The next word of *S: a bare word, or a "quoted" one (\" and \\). */
static char *
drive_word(char **s)
{
	char *p = *s, *w, *o;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return NULL;
	w = o = p;
	for (;;) {
		if (*p == '\0' || ((*p == ' ' || *p == '\t')))
			break;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				*o++ = *p;
			}
			if (*p == '"')
				p++;
			continue;
		}
		*o++ = *p++;
	}
	if (*p)
		p++;
	*o = '\0';
	*s = p;
	return w;
}

static int
drive_field(struct finding *f, const char *k, const char *v)
{
#define STR(name, field) \
	if (strcmp(k, name) == 0) { \
		snprintf(f->field, sizeof(f->field), "%s", v); \
		return 0; \
	}
	STR("key", key);
	STR("device", device);
	STR("object", object);
	STR("kind", kind);
	STR("title", title);
	STR("text", description);
	STR("location", location);
	STR("impact", impact);
	STR("owner", owner);
#undef STR
	if (strcmp(k, "severity") == 0)
		return event_severity_parse(v, &f->severity);
	if (strcmp(k, "role") == 0) {
		if (strcmp(v, "operations") == 0)
			f->role = FR_OPERATIONS;
		else if (strcmp(v, "security") == 0)
			f->role = FR_SECURITY;
		else if (strcmp(v, "business") == 0)
			f->role = FR_BUSINESS;
		else
			return -1;
		return 0;
	}
	if (strcmp(k, "priority") == 0)
		f->priority = atoi(v);
	else if (strcmp(k, "flapping") == 0)
		f->flapping = atoi(v);
	else if (strcmp(k, "suppressed") == 0)
		f->suppressed = atoi(v);
	else if (strcmp(k, "consequence") == 0)
		f->consequence_of = atoll(v);
	else if (strcmp(k, "count") == 0)
		f->count = strtoull(v, NULL, 10);
	else
		return -1;
	return 0;
}

static struct finding *
drive_finding(struct drive *d, long id)
{
	struct finding *f;

	if (id <= 0 || id >= MAX_FINDINGS)
		return NULL;
	if ((f = d->f[id]) == NULL) {
		if ((f = calloc(1, sizeof(*f))) == NULL)
			return NULL;
		f->id = id;
		snprintf(f->device, sizeof(f->device), "dev%ld", id);
		snprintf(f->kind, sizeof(f->kind), "test");
		snprintf(f->key, sizeof(f->key), "%s/test:%ld", f->device, id);
		f->severity = SEV_MAJOR;
		f->priority = 2;
		f->first_seen = now();
		d->f[id] = f;
	}
	return f;
}

static void
drive_reload(struct drive *d)
{
	char err[4096];
	struct config *c;

	if ((c = conf_parse(d->conf_path, NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s", err);
		return;
	}
	notify_configure(d->n, c);
	conf_free(d->conf);
	d->conf = c;
}

/* One command; 1 when reading must pause. */
static int
drive_line(struct drive *d, char *line)
{
	char *cmd, *w, *eq;
	struct finding *f = NULL;
	struct timeval tv;
	double t;

	if ((cmd = drive_word(&line)) == NULL || cmd[0] == '#')
		return 0;
	if (strcmp(cmd, "wait") == 0) {
		t = (w = drive_word(&line)) ? atof(w) : 1.0;
		tv.tv_sec = (long)t;
		tv.tv_usec = (long)((t - (double)tv.tv_sec) * 1e6);
		evtimer_add(d->ev_resume, &tv);
		return 1;
	}
	if (strcmp(cmd, "idle") == 0) {
		d->waiting_idle = 1;
		tv.tv_sec = tv.tv_usec = 0;
		evtimer_add(d->ev_idle, &tv);
		return 1;
	}
	if (strcmp(cmd, "status") == 0) {
		drive_write_status(d, stdout);
		fflush(stdout);
		return 0;
	}
	if (strcmp(cmd, "reload") == 0) {
		drive_reload(d);
		return 0;
	}
	if ((w = drive_word(&line)) == NULL ||
	    (f = drive_finding(d, atol(w))) == NULL) {
		fprintf(stderr, "notify_drive: %s: needs a finding id\n", cmd);
		return 0;
	}
	while ((w = drive_word(&line)) != NULL) {
		if ((eq = strchr(w, '=')) == NULL) {
			fprintf(
			    stderr, "notify_drive: not field=value: %s\n", w);
			continue;
		}
		*eq = '\0';
		if (drive_field(f, w, eq + 1) == -1)
			fprintf(stderr, "notify_drive: bad field %s\n", w);
	}
	t = now();
	f->last_seen = f->updated = t;
	if (strcmp(cmd, "open") == 0) {
		if (f->opened > 0)
			f->reopened++;
		f->state = FS_OPEN;
		f->opened = t;
		f->acknowledged = f->resolved = f->closed = 0;
		f->count++;
		notify_finding(d->n, f, FC_OPEN);
	} else if (strcmp(cmd, "severity") == 0) {
		f->count++;
		notify_finding(d->n, f, FC_SEVERITY);
	} else if (strcmp(cmd, "escalate") == 0)
		notify_finding(d->n, f, FC_ESCALATE);
	else if (strcmp(cmd, "resolve") == 0) {
		f->state = FS_RESOLVED;
		f->resolved = t;
		notify_finding(d->n, f, FC_RESOLVE);
	} else if (strcmp(cmd, "ack") == 0) {
		f->state = FS_ACKNOWLEDGED;
		f->acknowledged = t;
		notify_settled(d->n, f->id);
	} else if (strcmp(cmd, "close") == 0) {
		f->state = FS_CLOSED;
		f->closed = t;
		notify_settled(d->n, f->id);
	} else if (strcmp(cmd, "set") != 0)
		fprintf(stderr, "notify_drive: unknown command %s\n", cmd);
	return 0;
}

static void
drive_process(struct drive *d)
{
	struct timeval tv = {0, 0};
	char *line;
	size_t n;

	while (!d->paused &&
	    (line = evbuffer_readln(d->in, &n, EVBUFFER_EOL_LF)) != NULL) {
		d->paused = drive_line(d, line);
		free(line);
	}
	if (!d->paused && d->eof)
		evtimer_add(d->ev_idle, &tv);
}

static void
drive_on_input(evutil_socket_t fd, short what, void *arg)
{
	struct drive *d = arg;
	int r;

	(void)what;
	r = evbuffer_read(d->in, fd, 65536);
	if (r <= 0 && !(r == -1 && (errno == EAGAIN || errno == EINTR))) {
		d->eof = 1;
		event_del(d->ev_in);
		/* a last line without its newline */
		if (evbuffer_get_length(d->in) > 0)
			evbuffer_add(d->in, "\n", 1);
	}
	drive_process(d);
}

int
main(int argc, char *argv[])
{
	static struct drive d;
	char err[8192];
	struct timeval tv100 = {0, 100000}, deadline = {60, 0};
	struct stat st;
	int ch, verbose = LOG_L_WARN;

	while ((ch = getopt(argc, argv, "f:s:T:v")) != -1) {
		switch (ch) {
		case 'f': d.conf_path = optarg; break;
		case 's': d.status_path = optarg; break;
		case 'T': deadline.tv_sec = atoi(optarg); break;
		case 'v': verbose++; break;
		default:
			fprintf(stderr,
			    "usage: notify_drive -f CONF [-s STATUS] "
			    "[-T SECONDS] [-v]\n");
			return 1;
		}
	}
	if (d.conf_path == NULL) {
		fprintf(stderr, "notify_drive: -f CONF is needed\n");
		return 1;
	}
	if ((d.conf = conf_parse(d.conf_path, NULL, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "%s", err);
		return 1;
	}
	log_init(
	    1, verbose > LOG_L_DEBUG ? LOG_L_DEBUG : verbose, "notify_drive");
	signal(SIGPIPE, SIG_IGN);
	snmpsess_library_init("notify_drive");
	d.base = event_base_new();
	d.in = evbuffer_new();
	if (d.base == NULL || d.in == NULL ||
	    (d.n = notify_new(d.base)) == NULL) {
		fprintf(stderr, "notify_drive: out of memory\n");
		return 1;
	}
	notify_configure(d.n, d.conf);
	evutil_make_socket_nonblocking(0);
	d.ev_in =
	    event_new(d.base, 0, EV_READ | EV_PERSIST, drive_on_input, &d);
	d.ev_resume = evtimer_new(d.base, drive_on_resume, &d);
	d.ev_idle = evtimer_new(d.base, drive_on_idle, &d);
	d.ev_deadline = evtimer_new(d.base, drive_on_deadline, &d);
	d.ev_status = event_new(d.base, -1, EV_PERSIST, drive_on_status, &d);
	if (fstat(0, &st) == 0 && !S_ISFIFO(st.st_mode) &&
	    !S_ISSOCK(st.st_mode) && !isatty(0)) {
		/* a file (or /dev/null): epoll does not watch those */
		while (evbuffer_read(d.in, 0, 65536) > 0)
			;
		d.eof = 1;
		evbuffer_add(d.in, "\n", 1);
		event_active(d.ev_resume, 0, 0);
	} else
		event_add(d.ev_in, NULL);
	evtimer_add(d.ev_deadline, &deadline);
	if (d.status_path)
		event_add(d.ev_status, &tv100);
	event_base_dispatch(d.base);

	notify_free(d.n);
	event_free(d.ev_in);
	event_free(d.ev_resume);
	event_free(d.ev_idle);
	event_free(d.ev_deadline);
	event_free(d.ev_status);
	evbuffer_free(d.in);
	event_base_free(d.base);
	conf_free(d.conf);
	for (int i = 0; i < MAX_FINDINGS; i++)
		free(d.f[i]);
	snmp_shutdown("notify_drive");
	return d.rc;
}
