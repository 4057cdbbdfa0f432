/*
 * report_bundle.h - a plan run's report frozen after the run: rendered
 * once in every format (JSON, text, HTML) and deflated, so that the
 * archive keeps what was reported even when the records it was made
 * from have gone (retention) or changed.
 *
 * "netpatrold -R RUN" (run by the daemon after each run, as its own
 * user) writes the bundle on its standard output:
 *
 *	netpatrol-report-bundle 1\n
 *	FORMAT SIZE ZLEN\n  then ZLEN bytes (deflate of SIZE bytes)
 *	... one part per format ...
 *	end\n
 *
 * and the daemon reads it back (report_bundle_parse, bounded) into the
 * store's archive (store_put_reportcopy).
 */
#ifndef NP_REPORT_BUNDLE_H
#define NP_REPORT_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "store.h"

#define RB_MAGIC "netpatrol-report-bundle 1\n"
#define RB_PARTS 3 /* json, text, html */
#define RB_MAX_SIZE (512u << 20) /* bytes of one rendering */

struct rb_part {
	char format[8];
	size_t size; /* inflated */
	const unsigned char *z; /* into the parsed buffer */
	size_t zlen;
};

/*
 * Make RUN's report (waiting up to WAIT_MS for the run to be in the
 * store) and write its bundle on OUT. 0, or -1 with ERR.
 */
int report_bundle_make(FILE *out, struct store *, const struct config *,
    int64_t run, int wait_ms, char *err, size_t errlen);
/* The parts of BUF: how many (up to RB_PARTS), or -1 with ERR. */
int report_bundle_parse(const char *buf, size_t len, struct rb_part *parts,
    char *err, size_t errlen);
/* Inflate Z to exactly SIZE bytes into *OUT (malloc'd, NUL-ended). */
int report_inflate(const void *z, size_t zlen, size_t size, char **out,
    char *err, size_t errlen);

#endif
