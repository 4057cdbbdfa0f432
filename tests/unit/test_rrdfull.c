/*
 * test_rrdfull.c - creating an RRD file on a full disk (issue 19): the
 * reason is said in the log (librrd gives none for a short write), and no
 * file cut short is left to fail every update after. The full disk is a
 * small tmpfs filled when run as root, else a file size limit (RLIMIT_FSIZE).
 */
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "rrdw.h"
#include "sample.h"
#include "tap.h"

int
main(void)
{
	static const struct sample_schema schema = {
	    .name = "test", .n = 2, .metric = {"a", "b"}};
	char dir[] = "/tmp/np-rrdfull.XXXXXX", logf[64], path[128];
	char err[256], line[1024], *reason = NULL;
	double v[2] = {1, 2};
	struct rlimit rl, small;
	struct rrdw *w;
	struct stat st;
	FILE *f;
	int saved, mounted = 0;
	static char buf[4096];

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(logf, sizeof(logf), "%s/log", dir);
	snprintf(path, sizeof(path), "%s/rrd/x.rrd", dir);
	/* the log (stderr in the foreground) to a file */
	fflush(stderr);
	saved = dup(2);
	if (freopen(logf, "w", stderr) == NULL)
		return 1;
	log_init(1, LOG_L_WARN, "test_rrdfull");
	/* root: a real full disk, a small tmpfs filled */
	snprintf(line, sizeof(line), "%s/rrd", dir);
	mkdir(line, 0755);
	if (geteuid() == 0 &&
	    mount("np-rrdfull", line, "tmpfs", 0, "size=64k") == 0) {
		char fill[160];
		int fd;

		mounted = 1;
		snprintf(fill, sizeof(fill), "%s/fill", line);
		if ((fd = open(fill, O_WRONLY | O_CREAT, 0600)) != -1) {
			memset(buf, 0, sizeof(buf));
			while (write(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
		}
	}
	{
		struct rrdw_conf rc = {0};

		rc.dir = dir;
		rc.rrdcached = "";
		rc.batch_ms = 10;
		rc.queue_max = 100;
		w = rrdw_start(&rc, err, sizeof(err));
	}
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &rl);
	small = rl;
	small.rlim_cur = 2048;
	if (!mounted) /* else: a file size limit fails writes the same */
		setrlimit(RLIMIT_FSIZE, &small);
	if (w != NULL) {
		rrdw_update(w, &schema, path, 60, (double)time(NULL), v);
		rrdw_flush(w, NULL, 1, NULL);
	}
	setrlimit(RLIMIT_FSIZE, &rl);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	TAP_OK(w != NULL, "the writer starts (%s)", w ? "" : err);
	if (w != NULL) {
		struct rrdw_stats rs;

		rrdw_get_stats(w, &rs);
		TAP_OK(rs.created == 0 && rs.errors == 1,
		    "the file is not created: an error (%llu created, %llu "
		    "errors)", (unsigned long long)rs.created,
		    (unsigned long long)rs.errors);
	}

	if ((f = fopen(logf, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			char *p = strstr(line, "rrd: creating ");

			if (p != NULL && (p = strstr(p, ".rrd: ")) != NULL) {
				line[strcspn(line, "\n")] = '\0';
				reason = strdup(p + 6);
				break;
			}
		}
		fclose(f);
	}
	TAP_OK(reason != NULL, "the failure to create the file is logged");
	TAP_OK(reason != NULL && strlen(reason) > 0,
	    "with a reason: \"%s\"", reason ? reason : "");
	if (mounted)
		TAP_OK(reason != NULL && strstr(reason, "No space left") != NULL,
		    "the reason is the full disk");
	else
		TAP_SKIP("not root: no tmpfs to fill");
	TAP_OK(stat(path, &st) == -1, "no file cut short is left");
	rrdw_stop(w);
	if (mounted) {
		snprintf(line, sizeof(line), "%s/rrd", dir);
		umount2(line, MNT_DETACH);
	}
	free(reason);
	if (getenv("KEEP") == NULL)
		unlink(logf);
	unlink(path);
	snprintf(line, sizeof(line), "%s/rrd", dir);
	rmdir(line);
	rmdir(dir);
	return tap_done();
}
