/*
 * cfgnorm.h - a fetched configuration normalised before it is archived
 * or compared (the research note config-drift.md, section 1): per
 * platform, a table of rules (data, not code: shipped defaults in
 * cfgnorm_rules.c, overridden by "config rule" in netpatrold.conf):
 *
 *   drop     volatile lines (byte counts, prompts, NTP clock-period,
 *            "Last configuration change" without a user): out of both views
 *   ignore   kept in the stored view, out of the compare view (NVRAM
 *            written, ASA Cryptochecksum, runtime state appended by tools)
 *   meta     like ignore, and the user and time it names are the
 *            version's who and when ("! Last configuration change at T by U",
 *            "## Last commit: T by U", ": Written by U at T")
 *   secret   the regex's groups are secrets: each is replaced by a keyed
 *            digest "<secret:HEX>" (HMAC-SHA256 with the daemon's key,
 *            truncated): a rotated secret is a change, its value cannot be
 *            read back, nor guessed without the key
 *   rewrite  the match is replaced (\0..\9 from its groups)
 *
 * The stored view keeps every line but the dropped ones, secrets masked;
 * the compare view, what decides whether a fetch changed anything, also
 * leaves out ignore and meta lines and collapses runs of "!" lines.
 * Normalising a stored view again gives it back (a digest is not masked
 * twice). Pure: no I/O.
 */
#ifndef NP_CFGNORM_H
#define NP_CFGNORM_H

#include <stddef.h>

#include "config/cfgplat.h"

enum cfg_rule_action {
	CFG_RULE_DROP = 0,
	CFG_RULE_IGNORE,
	CFG_RULE_META,
	CFG_RULE_SECRET,
	CFG_RULE_REWRITE
};

#define CFG_NORM_MAX (1024u * 1024 * 1024) /* bytes of input, at most */
#define CFG_LINE_MATCH 4096 /* a longer line is matched on its start */

struct cfg_rules;

/* The shipped rules, compiled; NULL when out of memory. */
struct cfg_rules *cfg_rules_new(void);
/*
 * A rule of the configuration: for PLATFORM (CFG_PLAT_AUTO: every one),
 * ahead of the shipped ones. 0, or -1 with ERR (a bad regex, a rewrite
 * without a replacement).
 */
int cfg_rules_add(struct cfg_rules *, int platform, int action,
    const char *regex, const char *replacement, char *err, size_t errlen);
/* "drop", "ignore", "meta", "secret", "rewrite": the action, or -1. */
int cfg_rule_action_parse(const char *name);
const char *cfg_rule_action_name(int action);
/* How many rules apply to PLATFORM (shipped and added). */
size_t cfg_rules_count(const struct cfg_rules *, enum cfg_platform);
void cfg_rules_free(struct cfg_rules *);

struct cfg_norm {
	char *text; /* the stored view (NUL-terminated) */
	size_t len;
	char *compare; /* the compare view */
	size_t compare_len;
	char who[64]; /* from meta lines: who changed it, "" */
	char when[64]; /* and when, in the device's words, "" */
	unsigned lines; /* of the stored view */
	unsigned dropped, ignored, secrets;
	enum cfg_platform platform; /* the one applied (detected for AUTO) */
};

/*
 * Normalise [IN, IN+LEN) for PLATFORM (CFG_PLAT_AUTO: detected) with the
 * digest KEY. 0, or -1 with ERR (too long, out of memory). NUL bytes are
 * kept as "\0" text, CR before LF removed.
 */
int cfg_normalize(const struct cfg_rules *, enum cfg_platform,
    const unsigned char *key, size_t keylen, const char *in, size_t len,
    struct cfg_norm *out, char *err, size_t errlen);
void cfg_norm_free(struct cfg_norm *);

#endif
