/*
 * syslog_corpus.c - run messages through syslog_parse() and print the
 * fields as JSON, one object per line, for tests/unit/syslog_corpus.py
 * (the corpus comparison) and for looking at what the parser makes of a
 * message.
 *
 *	syslog_corpus [-r RECEIVED] FILE...	each file is one message
 *	syslog_corpus [-r RECEIVED] -x		stdin: one message per line,
 *						hex-encoded
 *
 * Each file is read whole, whatever its size (the parser bounds the work).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "syslog/parse.h"

static struct syslog_msg msg;

static void
flag_names(struct jbuf *j, const char *key, unsigned v,
    const char *const *names, int n)
{
	json_key(j, key);
	json_arr_open(j);
	for (int i = 0; i < n; i++)
		if (v & (1u << i))
			json_str(j, names[i]);
	json_arr_close(j);
}

static void
dump(const char *name, const char *buf, size_t len, double received)
{
	static const char *const fnames[] = {"pri", "rfc5424", "time", "year",
	    "tz", "unsync", "uptime", "host", "tag_colon", "bom", "escaped"};
	static const char *const pnames[] = {"empty", "nopri", "badpri",
	    "notsyslog", "badtime", "version", "short", "badsd", "toolong",
	    "nul", "utf8", "cut"};
	struct syslog_msg *m = &msg;
	struct jbuf j;
	int rc;

	rc = syslog_parse(buf, len, received, m);
	jbuf_init(&j);
	json_obj_open(&j);
	json_kstr(&j, "name", name);
	json_kint(&j, "rc", rc);
	json_kuint(&j, "len", m->len);
	json_kuint(&j, "raw_len", m->raw_len);
	flag_names(&j, "flags", m->flags, fnames, 11);
	flag_names(&j, "problems", m->problems, pnames, SYSLOG_P_COUNT);
	json_kstr(&j, "problem", m->problem ? m->problem : "");
	json_kint(&j, "pri", m->pri);
	json_kint(&j, "facility", m->facility);
	json_kint(&j, "severity", m->severity);
	json_kint(&j, "version", m->version);
	{
		char t[40];

		/* a string: exact to the microsecond, as the parser keeps it */
		snprintf(t, sizeof(t), "%.6f", m->time);
		json_kstr(&j, "time", t);
	}
	json_kint(&j, "time_digits", m->time_digits);
	json_kint(&j, "tz_offset", m->tz_offset);
	json_kstr(&j, "tz", m->tz);
	json_kstr(&j, "host", m->host);
	json_kstr(&j, "app", m->app);
	json_kstr(&j, "procid", m->procid);
	json_kstr(&j, "msgid", m->msgid);
	json_kstr(&j, "sd", m->sd);
	json_key(&j, "sdp");
	json_arr_open(&j);
	for (int i = 0; i < m->nsd; i++) {
		json_arr_open(&j);
		json_str(&j, syslog_sd_str(m, m->sdp[i].id));
		json_str(&j, syslog_sd_str(m, m->sdp[i].name));
		json_str(&j, syslog_sd_str(m, m->sdp[i].value));
		json_arr_close(&j);
	}
	json_arr_close(&j);
	json_kint(&j, "seq", m->seq);
	json_kstr(&j, "node", m->node);
	json_kstr(&j, "mnemonic", m->mn.code);
	json_kstr(&j, "mn_facility", m->mn.facility);
	json_kint(&j, "mn_severity", m->mn.severity);
	json_kstr(&j, "mn_name", m->mn.name);
	json_kstr(&j, "tag", m->tag);
	json_kstr(&j, "msg", m->msg);
	json_kstr(&j, "text", m->msg + m->text_off);
	json_obj_close(&j);
	if (j.failed) {
		fprintf(stderr, "syslog_corpus: out of memory\n");
		exit(1);
	}
	printf("%s\n", j.s);
	jbuf_free(&j);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
read_hex_lines(double received)
{
	char *line = NULL, *buf;
	size_t cap = 0, n, lineno = 0;
	ssize_t got;
	char name[32];

	while ((got = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		while (
		    got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
			got--;
		if ((buf = malloc((size_t)got / 2 + 1)) == NULL) {
			fprintf(stderr, "syslog_corpus: out of memory\n");
			return 1;
		}
		for (n = 0; n * 2 + 1 < (size_t)got; n++) {
			int hi = hexval(line[2 * n]),
			    lo = hexval(line[2 * n + 1]);

			if (hi < 0 || lo < 0) {
				fprintf(stderr,
				    "syslog_corpus: line %zu: not hex\n",
				    lineno);
				free(buf);
				free(line);
				return 1;
			}
			buf[n] = (char)(hi << 4 | lo);
		}
		snprintf(name, sizeof(name), "%zu", lineno);
		dump(name, buf, n, received);
		free(buf);
	}
	free(line);
	return 0;
}

static int
read_file(const char *path, double received)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(
		    stderr, "syslog_corpus: %s: %s\n", path, strerror(errno));
		return 1;
	}
	do {
		if (len == cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap)) == NULL) {
				fprintf(
				    stderr, "syslog_corpus: out of memory\n");
				free(buf);
				fclose(f);
				return 1;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	fclose(f);
	dump(path, buf, len, received);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	double received = 1700000000; /* 2023-11-14T22:13:20Z */
	int i = 1, rc = 0;

	if (i + 1 < argc && strcmp(argv[i], "-r") == 0) {
		received = strtod(argv[i + 1], NULL);
		i += 2;
	}
	if (i < argc && strcmp(argv[i], "-x") == 0)
		return read_hex_lines(received);
	if (i == argc) {
		fprintf(stderr,
		    "usage: syslog_corpus [-r RECEIVED] -x | FILE...\n");
		return 2;
	}
	for (; i < argc; i++)
		rc |= read_file(argv[i], received);
	return rc;
}
