/*
 * cli_rrd.c - netpatrol rrd flush [FILE]: the daemon writes the RRD
 * updates it keeps (all, or FILE's) and answers when they are in the
 * files, so that rrdtool graph or fetch run by hand see them; and the same,
 * quietly, before a report reads the files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "control.h"

/* a flush of every file waits for them all: a few ms per file */
#define CLI_RRD_FLUSH_MS 600000

int
cmd_rrd(struct cli *c, int argc, char **argv)
{
	char cmd[CLI_LINE_MAX], err[512], *ans;
	struct jread *v;
	int rc = 0;

	if (argc < 2 || argc > 3 || strcmp(argv[1], "flush") != 0)
		usage();
	if (argc == 3 && (argv[2][0] == '\0' || strchr(argv[2], '\n') ||
	                     strlen(argv[2]) > CONTROL_MAX_LINE - 16)) {
		fprintf(stderr, "netpatrol: rrd flush: a file name, please\n");
		return 2;
	}
	snprintf(cmd, sizeof(cmd), "rrd-flush%s%s", argc == 3 ? " " : "",
	    argc == 3 ? argv[2] : "");
	if ((ans = control_request(c->conf->control, cmd, CLI_RRD_FLUSH_MS, err,
	         sizeof(err))) == NULL) {
		fprintf(stderr, "netpatrol: %s\n", err);
		return 1;
	}
	if ((v = cli_answer(ans)) == NULL) {
		free(ans);
		return 1;
	}
	if (c->json)
		fputs(ans, stdout);
	else {
		printf("%.0f values written to %.0f files", jread_knum(v, "values"),
		    jread_knum(v, "files"));
		if (jread_knum(v, "errors") > 0) {
			printf(", %.0f files failed (see the daemon's log)",
			    jread_knum(v, "errors"));
			rc = 1;
		}
		printf("\n");
	}
	jread_free(v);
	free(ans);
	return rc;
}

void
cli_rrd_flush_quiet(struct cli *c)
{
	char err[512], *ans;

	/* no daemon: what it kept was written when it stopped */
	if ((ans = control_request(c->conf->control, "rrd-flush",
	         CLI_RRD_FLUSH_MS, err, sizeof(err))) != NULL)
		free(ans);
}
