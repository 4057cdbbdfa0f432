/*
 * report_bundle.c - a run's report rendered once in every format and
 * deflated (report_bundle.h); and the bounded reader of such a bundle.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "report.h"
#include "report_bundle.h"

struct rb_pick {
	struct store_planrun run;
	char *coverage;
	int found;
};

static int
rb_pick_cb(void *arg, const struct store_planrun *r)
{
	struct rb_pick *p = arg;

	p->run = *r;
	free(p->coverage);
	p->coverage = strdup(r->coverage ? r->coverage : "{}");
	p->run.coverage = p->coverage;
	p->found = p->coverage != NULL;
	return 1;
}

/* Deflate and write one part. */
static int
rb_part_write(FILE *out, const char *format, const char *buf, size_t len,
    char *err, size_t errlen)
{
	uLongf zlen = compressBound((uLong)len);
	unsigned char *z;

	if (len > RB_MAX_SIZE) {
		snprintf(err, errlen, "the %s report has %zu bytes, more than "
		    "%u", format, len, RB_MAX_SIZE);
		return -1;
	}
	if ((z = malloc(zlen)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (compress2(z, &zlen, (const Bytef *)buf, (uLong)len, 6) != Z_OK) {
		free(z);
		snprintf(err, errlen, "deflate of the %s report failed",
		    format);
		return -1;
	}
	fprintf(out, "%s %zu %lu\n", format, len, (unsigned long)zlen);
	fwrite(z, 1, zlen, out);
	free(z);
	return 0;
}

int
report_bundle_make(FILE *out, struct store *s, const struct config *c,
    int64_t run, int wait_ms, char *err, size_t errlen)
{
	struct store_planrun_filter flt = {NULL, run, 0, 0, 1, 1};
	struct rb_pick p = {0};
	struct report r;
	struct jbuf j;
	char *buf = NULL;
	size_t len = 0;
	FILE *mf;
	int waited, rc = -1;

	/* the daemon's writer commits the run in its next batch */
	for (waited = 0;; waited += 100) {
		if (store_get_planruns(s, &flt, rb_pick_cb, &p) == -1) {
			snprintf(err, errlen, "store: %s", store_errmsg(s));
			free(p.coverage);
			return -1;
		}
		if (p.found || waited >= wait_ms)
			break;
		usleep(100000);
	}
	if (!p.found) {
		snprintf(err, errlen, "run %lld is not in the store",
		    (long long)run);
		free(p.coverage);
		return -1;
	}
	if (strcmp(p.run.state, "done") != 0) {
		snprintf(err, errlen, "run %lld was %s: no report",
		    (long long)run, p.run.state);
		free(p.coverage);
		return -1;
	}
	if (report_build(&r, s, c, "plan", &p.run, 0, 0, err, errlen) == -1) {
		report_free(&r);
		free(p.coverage);
		return -1;
	}
	fputs(RB_MAGIC, out);
	jbuf_init(&j);
	report_json(&j, &r);
	if (j.s == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if (rb_part_write(out, "json", j.s, strlen(j.s), err, errlen) == -1)
		goto done;
	if ((mf = open_memstream(&buf, &len)) == NULL)
		goto nomem;
	report_text(mf, &r);
	if (fclose(mf) != 0)
		goto nomem;
	if (rb_part_write(out, "text", buf, len, err, errlen) == -1)
		goto done;
	free(buf);
	buf = NULL;
	if ((mf = open_memstream(&buf, &len)) == NULL)
		goto nomem;
	report_html(mf, s, &r);
	if (fclose(mf) != 0)
		goto nomem;
	if (rb_part_write(out, "html", buf, len, err, errlen) == -1)
		goto done;
	fputs("end\n", out);
	if (fflush(out) != 0) {
		snprintf(err, errlen, "write: %s", strerror(errno));
		goto done;
	}
	rc = 0;
	goto done;
nomem:
	snprintf(err, errlen, "out of memory");
done:
	free(buf);
	jbuf_free(&j);
	report_free(&r);
	free(p.coverage);
	return rc;
}
