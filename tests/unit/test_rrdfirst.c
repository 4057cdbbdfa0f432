/*
 * test_rrdfirst.c - a file's first steps hold the values as they were
 * polled: at a 1 s step (heartbeat 10 s), a first sample at a fraction of
 * a second was taken as unknown back to the file's start and librrd, which
 * counts unknown time in whole seconds, scaled the step where it fell by
 * the part that was known (80 read as 62.64 for a sample at .217 s, all a
 * report saw with two samples: inspect.sh's flaky "temperature max 80").
 * Through the writer (rrdw.c) and librrd, then rrd_fetch_r.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rrd.h>

#include "log.h"
#include "rrdw.h"
#include "sample.h"
#include "tap.h"

int
main(void)
{
	static const struct sample_schema schema = {
	    .name = "test", .n = 2, .metric = {"a", "b"}};
	char dir[] = "/tmp/np-rrdfirst.XXXXXX", path[128], err[256];
	double t0 = floor((double)time(NULL)) - 30 + 0.217;
	struct rrdw_conf rc = {0};
	struct rrdw *w;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/x.rrd", dir);
	log_init(1, LOG_L_WARN, "test_rrdfirst");
	rc.dir = dir;
	rc.rrdcached = "";
	rc.batch_ms = 10;
	rc.queue_max = 100;
	w = rrdw_start(&rc, err, sizeof(err));
	TAP_OK(w != NULL, "the writer starts (%s)", w ? "" : err);
	if (w != NULL) {
		for (int i = 0; i < 2; i++) {
			double v[2] = {80, 25};

			rrdw_update(w, &schema, path, 1, t0 + i, v);
		}
		rrdw_flush(w, NULL, 1, NULL);
	}
	{
		time_t start = (time_t)t0 - 8, end = (time_t)t0 + 2;
		unsigned long step = 1, cnt = 0, known = 0, right = 0;
		char **names = NULL;
		rrd_value_t *data = NULL;
		int rc2 = rrd_fetch_r(path, "AVERAGE", &start, &end, &step,
		    &cnt, &names, &data);

		TAP_OK(rc2 == 0 && cnt == 2, "fetched (%s)",
		    rc2 ? rrd_get_error() : "2 data sources");
		for (unsigned long i = 0;
		     rc2 == 0 && step > 0 && i < (unsigned long)(end - start) / step;
		     i++) {
			if (isnan(data[i * cnt]))
				continue;
			known++;
			right += fabs(data[i * cnt] - 80) < 1e-9 &&
			    fabs(data[i * cnt + 1] - 25) < 1e-9;
			if (fabs(data[i * cnt] - 80) >= 1e-9)
				printf("# at %ld: %.4f, %.4f\n",
				    (long)(start + (time_t)((i + 1) * step)),
				    data[i * cnt], data[i * cnt + 1]);
		}
		TAP_OK(known >= 1, "the first steps are known (%lu)", known);
		TAP_OK(known >= 1 && right == known,
		    "each holds the values polled, 80 and 25 (%lu of %lu)",
		    right, known);
		for (unsigned long k = 0; k < cnt; k++)
			free(names[k]);
		free(names);
		free(data);
	}
	rrdw_stop(w);
	unlink(path);
	{
		char j[160];

		snprintf(j, sizeof(j), "%s/rrd.journal", dir);
		unlink(j);
	}
	rmdir(dir);
	return tap_done();
}
