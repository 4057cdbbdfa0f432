/*
 * parse.h - one syslog message, as devices really send it, into fields.
 *
 * syslog_parse() reads RFC 5424, RFC 3164 and the forms in between that
 * network devices use: Cisco IOS/IOS-XE ("521: host: *Mar  1 00:01:02.345
 * UTC: %LINK-3-UPDOWN: ..."), IOS-XR ("94307: host RP/0/RSP0/CPU0:..."),
 * NX-OS ("2018 Apr 20 13:15:07 host %ETHPORT-5-..."), ASA/PIX, Junos
 * ("rpd[2902]: RPD_BGP_NEIGHBOR_STATE_CHANGED: ..."), Arista EOS ("Ebra:
 * %LINEPROTO-5-UPDOWN: ..."), and messages without PRI, timestamp or
 * hostname.
 *
 * It is a pure function: no I/O, no allocation, no global state, work
 * bounded by SYSLOG_MAX_LEN whatever LEN is. Nothing is dropped: input that
 * is not syslog at all becomes the message text of a user.notice message,
 * and every oddity is recorded in flags and problems (for the receiver's
 * counters), never fatal.
 *
 * Text fields are NUL-terminated, valid UTF-8 and free of control
 * characters: a control byte (0x00-0x1f, 0x7f) is written as '#' and three
 * octal digits, the way rsyslog escapes on receipt (a tab is "#011", a NUL
 * "#000"); a byte that is not part of valid UTF-8 (overlong forms and
 * surrogates included) becomes U+FFFD. raw keeps the bytes as received.
 * Trailing LF, CR and NUL bytes (framing left-overs) are not part of the
 * message.
 */
#ifndef NP_SYSLOG_PARSE_H
#define NP_SYSLOG_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Longest message kept and parsed, in bytes. Longer input is cut here
 * (SYSLOG_P_TOOLONG), never rejected. RFC 5424 6.1 asks receivers to take
 * 2048 octets and allows more; RFC 5426 UDP datagrams rarely exceed 8 KiB.
 */
#define SYSLOG_MAX_LEN 8192

/* Field sizes, terminating NUL included; longer values are cut
 * (SYSLOG_P_CUT). The RFC 5424 limits where it has them. */
#define SYSLOG_HOST_MAX 256 /* HOSTNAME: 255 */
#define SYSLOG_APP_MAX 49 /* APP-NAME: 48; the RFC 3164 TAG's name */
#define SYSLOG_PROCID_MAX 129 /* PROCID: 128 */
#define SYSLOG_MSGID_MAX 33 /* MSGID: 32 */
#define SYSLOG_TZ_MAX 16
#define SYSLOG_NODE_MAX 48
#define SYSLOG_MN_MAX 96
#define SYSLOG_TAG_MAX 64
#define SYSLOG_SD_MAX 4096 /* the STRUCTURED-DATA text */
#define SYSLOG_SD_PARAMS 64 /* (SD-ID, PARAM-NAME, PARAM-VALUE) entries */
#define SYSLOG_SD_POOL 4096 /* their text */
/* The message text: escapes may make it longer than the input. */
#define SYSLOG_MSG_MAX (2 * SYSLOG_MAX_LEN)

/* Facts about the message (struct syslog_msg.flags). */
#define SYSLOG_F_PRI 0x0001 /* a valid <PRI> was given */
#define SYSLOG_F_RFC5424 0x0002 /* "<PRI>VERSION SP ..." header */
#define SYSLOG_F_TIME 0x0004 /* time is from the message, else received */
#define SYSLOG_F_YEAR 0x0008 /* the timestamp had a year (else chosen) */
#define SYSLOG_F_TZ 0x0010 /* tz_offset is known */
#define SYSLOG_F_UNSYNC 0x0020 /* Cisco '*' or '.': clock not in sync */
#define SYSLOG_F_UPTIME 0x0040 /* Cisco uptime stamp ("1w2d:"), no time */
#define SYSLOG_F_HOST 0x0080 /* host is from the message */
#define SYSLOG_F_TAG_COLON 0x0100 /* the RFC 3164 TAG ended with ':' */
#define SYSLOG_F_BOM 0x0200 /* RFC 5424 MSG began with a UTF-8 BOM */
#define SYSLOG_F_ESCAPED 0x0400 /* control bytes were escaped as #ooo */

/* Problems, one bit each (struct syslog_msg.problems), for counters. */
#define SYSLOG_P_EMPTY 0x0001 /* nothing but framing */
#define SYSLOG_P_NOPRI 0x0002 /* no <PRI>: user.notice assumed */
#define SYSLOG_P_BADPRI 0x0004 /* <PRI> over 191 or malformed */
#define SYSLOG_P_NOTSYSLOG 0x0008 /* neither PRI nor timestamp */
#define SYSLOG_P_BADTIME 0x0010 /* a timestamp that is no date */
#define SYSLOG_P_VERSION 0x0020 /* RFC 5424 VERSION other than 1 */
#define SYSLOG_P_SHORT 0x0040 /* RFC 5424 header ends early */
#define SYSLOG_P_BADSD 0x0080 /* malformed STRUCTURED-DATA */
#define SYSLOG_P_TOOLONG 0x0100 /* over SYSLOG_MAX_LEN: cut */
#define SYSLOG_P_NUL 0x0200 /* NUL bytes inside (escaped as #000) */
#define SYSLOG_P_UTF8 0x0400 /* invalid UTF-8 (replaced by U+FFFD) */
#define SYSLOG_P_CUT 0x0800 /* a field did not fit its buffer */
#define SYSLOG_P_COUNT 12

/* One STRUCTURED-DATA parameter: offsets of NUL-terminated strings in
 * sd_pool (see syslog_sd_str). An SD-ELEMENT without parameters has one
 * entry with an empty name and value. */
struct syslog_sd_param {
	uint16_t id; /* SD-ID, "exampleSDID@32473" */
	uint16_t name; /* PARAM-NAME */
	uint16_t value; /* PARAM-VALUE, \" \\ \] unescaped */
};

/*
 * One parsed message: about 34 KB, all in place (no pointers but the static
 * problem text), so it may be copied or reused as it is. Keep one per
 * thread and take what is needed from it, rather than queueing it whole.
 */
struct syslog_msg {
	/* What arrived. */
	double received; /* as given to syslog_parse() */
	size_t len; /* bytes received, before any cut */
	size_t raw_len; /* bytes in raw: min(len, SYSLOG_MAX_LEN) */
	unsigned flags; /* SYSLOG_F_* */
	unsigned problems; /* SYSLOG_P_* */
	const char *problem; /* the gravest problem in words, or NULL */

	/* Header. Without a valid PRI: user (1) and notice (5). */
	int pri; /* facility * 8 + severity */
	int facility; /* 0..23 */
	int severity; /* 0..7 */
	int version; /* RFC 5424 VERSION, 0 for other formats */
	double time; /* seconds since the epoch, microseconds at most */
	int time_digits; /* digits of fractional seconds written, 0..6 */
	int tz_offset; /* minutes east of UTC, when SYSLOG_F_TZ */
	char tz[SYSLOG_TZ_MAX]; /* as written: "UTC", "+02:00", "MEST" */
	char host[SYSLOG_HOST_MAX]; /* "" when absent */
	char app[SYSLOG_APP_MAX]; /* APP-NAME, or the TAG up to '[' */
	char procid[SYSLOG_PROCID_MAX]; /* PROCID, or the TAG's [pid] */
	char msgid[SYSLOG_MSGID_MAX]; /* RFC 5424 MSGID */

	/* RFC 5424 STRUCTURED-DATA: the text ("" for NILVALUE) and its
	 * parameters. */
	char sd[SYSLOG_SD_MAX];
	int nsd;
	struct syslog_sd_param sdp[SYSLOG_SD_PARAMS];
	char sd_pool[SYSLOG_SD_POOL];

	/* Vendor fields. */
	long long seq; /* Cisco message sequence number, -1 when none */
	char node[SYSLOG_NODE_MAX]; /* IOS-XR node, "RP/0/RSP0/CPU0" */
	struct {
		char code[SYSLOG_MN_MAX]; /* "LINK-3-UPDOWN", no '%' */
		char facility[SYSLOG_MN_MAX]; /* "LINK", "PKT_INFRA-LINK" */
		int severity; /* 3; -1 when there is no mnemonic */
		char name[SYSLOG_MN_MAX]; /* "UPDOWN" */
	} mn; /* Cisco, Arista EOS, NX-OS, IOS-XR, ASA */
	char tag[SYSLOG_TAG_MAX]; /* Junos "UI_COMMIT", "SNMP_TRAP_LINK_DOWN" */

	/* The message text (RFC 5424 MSG, RFC 3164 CONTENT after the TAG
	 * and one space). msg + text_off is what follows the mnemonic or
	 * tag, without leading spaces. */
	size_t msg_len;
	size_t text_off;
	char msg[SYSLOG_MSG_MAX];

	char raw[SYSLOG_MAX_LEN]; /* not NUL-terminated */
};

/*
 * Parse LEN bytes at BUF received at RECEIVED (seconds since the epoch:
 * the time used when the message has none, and the reference for choosing
 * the year of an RFC 3164 timestamp) into OUT. Returns 0 when BUF had a
 * syslog header (a PRI or a timestamp), 1 when it did not (all of it is
 * then the message text). OUT is filled in both cases.
 */
int syslog_parse(
    const char *buf, size_t len, double received, struct syslog_msg *out);

/* A string of the structured data pool (offset from struct syslog_sd_param). */
static inline const char *
syslog_sd_str(const struct syslog_msg *m, uint16_t off)
{
	return m->sd_pool + off;
}

/* The value of PARAM-NAME in SD-ID, or NULL. */
const char *syslog_sd_get(
    const struct syslog_msg *, const char *id, const char *name);

/* One problem bit in words ("no PRI"), or NULL for a bit that is none. */
const char *syslog_problem_str(unsigned bit);

/* Facility and severity keywords ("local4", "debug"), "?" out of range. */
const char *syslog_facility_name(int);
const char *syslog_severity_name(int);

#endif
