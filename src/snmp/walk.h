/*
 * walk.h - walk several columns of a table side by side on one session:
 * GETBULK (v2c/v3) with the device's max-repetitions, or GETNEXT. Guards
 * against agents that loop, end early, answer with exceptions, or never end.
 */
#ifndef NP_SNMP_WALK_H
#define NP_SNMP_WALK_H

#include "session.h"

#define WALK_MAXCOLS 48
#define WALK_MAX_ROWS 100000 /* per column: an agent that never ends */

struct walk_col {
	oid base[MAX_OID_LEN];
	size_t baselen;
	oid cur[MAX_OID_LEN];
	size_t curlen;
	int done;
	unsigned long rows;
};

struct walk_stats {
	unsigned long varbinds, loops, errors, truncated, toobig;
};

enum walk_status { WALK_OK = 0, WALK_TIMEOUT, WALK_ERROR };

/* A value of column COL at index IDX (the OID after the column). */
typedef void (*walk_row_cb)(void *arg, int col, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb);
typedef void (*walk_done_cb)(void *arg, enum walk_status, const char *why);

struct walk {
	struct snmpsess *ss;
	struct walk_col col[WALK_MAXCOLS];
	int ncols;
	int req[WALK_MAXCOLS]; /* the columns asked for, in order */
	int nreq;
	int use_bulk;
	int maxrep;
	walk_row_cb row;
	walk_done_cb done;
	void *arg;
	struct walk_stats *st;
	double t; /* when the response being read arrived (epoch s) */
	char why[256];
};

/*
 * Start walking NCOLS columns (OID prefixes) on SS. ROW is called for
 * every value in order; DONE once at the end.
 */
int walk_start(struct walk *, struct snmpsess *, const oid *const *cols,
    const size_t *lens, int ncols, int use_bulk, int maxrep, walk_row_cb row,
    walk_done_cb done, void *arg, struct walk_stats *st);

/* Read an integer-ish value (INTEGER, Counter, Gauge, TimeTicks, Counter64). */
int walk_vb_u64(const netsnmp_variable_list *vb, uint64_t *out);
/* Copy an OCTET STRING as text (non-printable bytes become '?'). */
int walk_vb_str(const netsnmp_variable_list *vb, char *buf, size_t len);

#endif
