/*
 * fuzz_syslog.c - libFuzzer entry point for syslog_parse() (see README).
 *
 * Besides the sanitizers' checks, every input must leave the message in
 * the shape parse.h promises: NUL-terminated text fields of valid UTF-8
 * without control characters, lengths within their buffers, the raw copy
 * byte-exact. A broken promise aborts, so the fuzzer keeps the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "syslog/parse.h"

static struct syslog_msg msg;

/* Valid UTF-8 without control characters, N bytes at S. */
static int
clean(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		unsigned c = p[i], cp, need;

		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if (i + k >= n || (p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

static void
check_field(const char *s, size_t cap)
{
	const char *z = memchr(s, '\0', cap);

	if (z == NULL || !clean(s, (size_t)(z - s)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct syslog_msg *m = &msg;
	size_t keep = size < SYSLOG_MAX_LEN ? size : SYSLOG_MAX_LEN;
	/* vary the reception time with the input: year choice, Feb 29 */
	double received = size > 0 ? data[0] * 1.3e7 : 1.7e9;

	syslog_parse((const char *)data, size, received, m);
	if (m->len != size || m->raw_len != keep ||
	    (keep > 0 && memcmp(m->raw, data, keep) != 0))
		abort();
	if (m->pri != m->facility * 8 + m->severity || m->facility > 23 ||
	    m->severity > 7)
		abort();
	if (m->msg_len >= SYSLOG_MSG_MAX || strlen(m->msg) != m->msg_len ||
	    !clean(m->msg, m->msg_len) || m->text_off > m->msg_len)
		abort();
	check_field(m->host, sizeof(m->host));
	check_field(m->app, sizeof(m->app));
	check_field(m->procid, sizeof(m->procid));
	check_field(m->msgid, sizeof(m->msgid));
	check_field(m->tz, sizeof(m->tz));
	check_field(m->sd, sizeof(m->sd));
	check_field(m->node, sizeof(m->node));
	check_field(m->mn.code, sizeof(m->mn.code));
	check_field(m->mn.facility, sizeof(m->mn.facility));
	check_field(m->mn.name, sizeof(m->mn.name));
	check_field(m->tag, sizeof(m->tag));
	if (m->nsd < 0 || m->nsd > SYSLOG_SD_PARAMS)
		abort();
	for (int i = 0; i < m->nsd; i++) {
		const struct syslog_sd_param *p = &m->sdp[i];

		if (p->id >= SYSLOG_SD_POOL || p->name >= SYSLOG_SD_POOL ||
		    p->value >= SYSLOG_SD_POOL)
			abort();
		check_field(m->sd_pool + p->id, SYSLOG_SD_POOL - p->id);
		check_field(m->sd_pool + p->name, SYSLOG_SD_POOL - p->name);
		check_field(m->sd_pool + p->value, SYSLOG_SD_POOL - p->value);
	}
	if ((m->problems != 0) != (m->problem != NULL))
		abort();
	return 0;
}
