/*
 * cfgdiff.h - two configurations compared as structure, not lines
 * (research note config-drift.md 0.2): the statements of a block are a
 * set keyed by their text, so a block that moved is no change; the
 * sections whose order means something are compared as sequences:
 * ACLs (ip/ipv6 access-list blocks, numbered and ASA access-list lines),
 * prefix lists, route-map clauses, Junos filter terms and policy terms.
 * The output reads like a unified diff: each change under the chain of
 * statements it sits in, with "-" and "+". Pure: no I/O.
 */
#ifndef NP_CFGDIFF_H
#define NP_CFGDIFF_H

#include <stddef.h>

#include "config/cfgplat.h"

struct cfg_diff_stats {
	unsigned added, removed; /* statements */
	unsigned blocks_changed; /* top-level statements with a change */
};

/*
 * Compare A with B (texts of PLATFORM; AUTO: detected from B). With OUT,
 * the diff (headed "--- LABEL_A" and "+++ LABEL_B", empty when they do
 * not differ) in a malloc'd *OUT. 0, or -1 with ERR (a text that does
 * not parse, out of memory).
 */
int cfg_diff(enum cfg_platform, const char *a, size_t alen, const char *b,
    size_t blen, const char *label_a, const char *label_b, char **out,
    size_t *outlen, struct cfg_diff_stats *st, char *err, size_t errlen);

#endif
