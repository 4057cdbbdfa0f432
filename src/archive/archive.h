/*
 * archive.h - the configuration archive on the event loop (issue 13;
 * netpatrold.conf(5), CONFIGURATION ARCHIVE): each device's running
 * configuration fetched by a program of its choosing (config fetch), on
 * a schedule, on demand, and within seconds of a change the device
 * announces (syslog CONFIG_I/UI_COMMIT/ASA 111005/111008, the config-man
 * traps, ccmHistoryRunningLastChanged moving on a poll; see the event
 * bus), with bursts coalesced; normalised (volatile lines out, secrets as
 * keyed digests), kept as versions when it changed in more than noise,
 * and compared with the approved baseline: drift is a finding.
 */
#ifndef NP_ARCHIVE_H
#define NP_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "conf.h"
#include "evbus.h"
#include "json.h"
#include "store.h"

#define ARCHIVE_KEY_FILE "config.key" /* in the state dir, mode 0600 */
#define ARCHIVE_KEY_LEN 32

struct archive;

/*
 * Read (or make) the digest key in STATE_DIR: as root, before privileges
 * are dropped. 0, or -1 with ERR.
 */
int archive_key_load(const char *state_dir, unsigned char key[ARCHIVE_KEY_LEN],
    char *err, size_t errlen);

struct archive *archive_new(struct event_base *, struct store *,
    const char *store_path, struct evbus *,
    const unsigned char key[ARCHIVE_KEY_LEN]);
/* The configuration's rules are usable (netpatrold -n): 0, or -1, ERR. */
int archive_check(const struct config *, char *err, size_t errlen);
/* Take the devices, rules and limits of CONF (start and reload). */
int archive_configure(struct archive *, const struct config *, char *err,
    size_t errlen);
/*
 * Fetch DEVICE now (coalesced with one under way): 0 with *ENDED the
 * fetches of it that have ended so far (good or failed), or -1 with ERR.
 */
int archive_fetch(struct archive *, const char *device, const char *why,
    const char *who, int64_t *ended, char *err, size_t errlen);
/*
 * Approve VERSION (0: the newest) of DEVICE as its baseline, in WHO's
 * name. 0 (with the version in *DONE), or -1 with ERR.
 */
int archive_approve(struct archive *, const char *device, int64_t version,
    const char *who, int64_t *done, char *err, size_t errlen);
/*
 * DEVICE's fetches ended so far (good or failed; *GOOD those that went
 * well), or -1 (it has no fetch set).
 */
int64_t archive_fetches(struct archive *, const char *device, int64_t *good);
void archive_status(struct archive *, struct jbuf *);
void archive_free(struct archive *);

#endif
