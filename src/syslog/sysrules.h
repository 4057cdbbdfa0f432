/*
 * sysrules.h - syslog messages that become events (rules.c): the
 * configured rules, then the built-in ones (port state, configuration
 * changes, failed logins and their bursts). Kept apart from the receiver
 * (recv.c holds one), so that a test can drive it alone.
 */
#ifndef NP_SYSLOG_SYSRULES_H
#define NP_SYSLOG_SYSRULES_H

#include <regex.h>

#include "conf.h"
#include "event.h"
#include "hmap.h"
#include "inventory.h"
#include "syslog/parse.h"

#define SYSD_LOGIN_MAX 10000 /* login-failure sources followed */

struct sysd_crule {
	struct syslog_rule r;
	regex_t re;
	int has_re;
	unsigned long hits;
};

/* Failed logins from one source on one device. */
struct sysd_login {
	char key[NP_NAME_MAX + 80];
	char device[NP_NAME_MAX];
	char source[64];
	char user[64]; /* the last one tried */
	double win_start, last;
	unsigned long win_count;
	int bursting;
	double burst_start;
	unsigned long burst_count;
};

struct sysrules {
	struct sysd_crule *rules;
	int nrules;
	regex_t bre[16]; /* the built-in rules' expressions */
	int nbre;
	struct hmap logins; /* sysd_login by device and source */
	int login_count, login_secs; /* a burst: COUNT in SECS */
	const struct inventory *inv; /* ports' names; NULL: the message's */
	/* where the events of sysrules_tick() and _flush() go */
	void (*emit)(void *arg, struct np_event *);
	void *arg;
};

void sysrules_init(
    struct sysrules *, void (*emit)(void *, struct np_event *), void *arg);
/* The rules and login-burst limits of C (at start and reload: the logins
 * followed stay): 0, or -1 (out of memory). */
int sysrules_configure(
    struct sysrules *, const struct config *c, const struct inventory *);
void sysrules_free(struct sysrules *);
/* An event for message M from DEVICE (SENDER; KNOWN: a configured device,
 * whose ports the inventory names) at NOW: 1 when EV was filled. */
int sysrules_event(struct sysrules *, const struct syslog_msg *m,
    const char *device, int known, const char *sender, double now,
    struct np_event *ev);
/* Every second: bursts that stopped end; quiet sources are forgotten. */
void sysrules_tick(struct sysrules *, double now);
/* At stop: bursts going on end. */
void sysrules_flush(struct sysrules *);

#endif
