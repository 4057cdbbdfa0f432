/*
 * walk.c - side-by-side column walks (see walk.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "log.h"
#include "walk.h"

static void walk_response(void *arg, enum snmpsess_status st, netsnmp_pdu *pdu);

static void
walk_finish(struct walk *w, enum walk_status status, const char *why)
{
	w->done(w->arg, status, why);
}

static int
walk_next(struct walk *w)
{
	netsnmp_pdu *pdu;

	w->nreq = 0;
	for (int c = 0; c < w->ncols; c++)
		if (!w->col[c].done)
			w->req[w->nreq++] = c;
	if (w->nreq == 0) {
		walk_finish(w, WALK_OK, NULL);
		return 0;
	}
	if (w->use_bulk) {
		pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
		pdu->non_repeaters = 0;
		pdu->max_repetitions = w->maxrep;
	} else
		pdu = snmp_pdu_create(SNMP_MSG_GETNEXT);
	if (pdu == NULL) {
		walk_finish(w, WALK_ERROR, "out of memory");
		return -1;
	}
	for (int i = 0; i < w->nreq; i++) {
		struct walk_col *c = &w->col[w->req[i]];

		snmp_add_null_var(pdu, c->cur, c->curlen);
	}
	if (snmpsess_send(w->ss, pdu, walk_response, w) == -1) {
		walk_finish(w, WALK_ERROR, "cannot send the request");
		return -1;
	}
	return 0;
}

int
walk_start(struct walk *w, struct snmpsess *ss, const oid *const *cols,
    const size_t *lens, int ncols, int use_bulk, int maxrep, walk_row_cb row,
    walk_done_cb done, void *arg, struct walk_stats *st)
{
	if (ncols > WALK_MAXCOLS)
		return -1;
	memset(w, 0, sizeof(*w));
	w->ss = ss;
	w->ncols = ncols;
	w->use_bulk = use_bulk;
	w->maxrep = maxrep > 0 ? maxrep : 10;
	w->row = row;
	w->done = done;
	w->arg = arg;
	w->st = st;
	for (int i = 0; i < ncols; i++) {
		memcpy(w->col[i].base, cols[i], lens[i] * sizeof(oid));
		w->col[i].baselen = lens[i];
		memcpy(w->col[i].cur, cols[i], lens[i] * sizeof(oid));
		w->col[i].curlen = lens[i];
	}
	return walk_next(w);
}

/* One varbind for column C: a value, or the end of that column. */
static int
walk_varbind(struct walk *w, int c, const netsnmp_variable_list *vb)
{
	struct walk_col *col = &w->col[c];

	if (col->done)
		return 0;
	if (vb->type == SNMP_ENDOFMIBVIEW || vb->type == SNMP_NOSUCHOBJECT ||
	    vb->type == SNMP_NOSUCHINSTANCE) {
		col->done = 1;
		return 0;
	}
	if (vb->name_length <= col->baselen ||
	    netsnmp_oid_is_subtree(
	        col->base, col->baselen, vb->name, vb->name_length) != 0) {
		col->done = 1; /* left the column: its end */
		return 0;
	}
	if (snmp_oid_compare(
	        vb->name, vb->name_length, col->cur, col->curlen) <= 0) {
		/* not increasing: the agent loops; stop this column */
		w->st->loops++;
		col->done = 1;
		snprintf(w->why, sizeof(w->why),
		    "agent returned a non-increasing OID");
		return 0;
	}
	if (++col->rows > WALK_MAX_ROWS) {
		w->st->truncated++;
		col->done = 1;
		snprintf(w->why, sizeof(w->why),
		    "column longer than %d rows: cut", WALK_MAX_ROWS);
		return 0;
	}
	memcpy(col->cur, vb->name, vb->name_length * sizeof(oid));
	col->curlen = vb->name_length;
	w->st->varbinds++;
	w->row(w->arg, c, vb->name + col->baselen,
	    vb->name_length - col->baselen, vb);
	return 1;
}

static void
walk_response(void *arg, enum snmpsess_status status, netsnmp_pdu *pdu)
{
	struct walk *w = arg;
	netsnmp_variable_list *vb;
	int i = 0, progress = 0;

	if (status == SNMPS_TIMEOUT) {
		walk_finish(w, WALK_TIMEOUT, "no answer");
		return;
	}
	if (status != SNMPS_OK) {
		walk_finish(
		    w, WALK_ERROR, w->ss->errbuf[0] ? w->ss->errbuf : "error");
		return;
	}
	{
		struct timeval tv;

		gettimeofday(&tv, NULL); /* once per response, not per value */
		w->t = tv.tv_sec + tv.tv_usec / 1e6;
	}
	if (pdu->command == SNMP_MSG_REPORT) {
		w->st->errors++;
		walk_finish(w, WALK_ERROR, w->ss->errbuf);
		return;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		long ei = pdu->errindex;

		if (pdu->errstat == SNMP_ERR_NOSUCHNAME && ei >= 1 &&
		    ei <= w->nreq) {
			/* SNMPv1: that column has ended */
			w->col[w->req[ei - 1]].done = 1;
			walk_next(w);
			return;
		}
		if (pdu->errstat == SNMP_ERR_TOOBIG && w->use_bulk &&
		    w->maxrep > 1) {
			w->st->toobig++;
			w->maxrep /= 2;
			walk_next(w);
			return;
		}
		w->st->errors++;
		snprintf(w->why, sizeof(w->why), "agent error: %s (index %ld)",
		    snmp_errstring((int)pdu->errstat), ei);
		walk_finish(w, WALK_ERROR, w->why);
		return;
	}
	for (vb = pdu->variables; vb; vb = vb->next_variable, i++)
		progress += walk_varbind(w, w->req[i % w->nreq], vb);
	if (i == 0) {
		w->st->errors++;
		walk_finish(w, WALK_ERROR, "empty response");
		return;
	}
	if (!progress) {
		/* every column asked for has ended or looped */
		int open = 0;

		for (int k = 0; k < w->nreq; k++)
			open += !w->col[w->req[k]].done;
		if (open) {
			w->st->errors++;
			walk_finish(w, WALK_ERROR, "agent made no progress");
			return;
		}
	}
	walk_next(w);
}

int
walk_vb_u64(const netsnmp_variable_list *vb, uint64_t *out)
{
	switch (vb->type) {
	case ASN_INTEGER: *out = (uint64_t)*vb->val.integer; return 0;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
	case ASN_UINTEGER:
		*out = (uint64_t)(*vb->val.integer) & 0xffffffffULL;
		return 0;
	case ASN_COUNTER64:
		*out = ((uint64_t)vb->val.counter64->high << 32) |
		    (vb->val.counter64->low & 0xffffffffULL);
		return 0;
	}
	return -1;
}

int
walk_vb_str(const netsnmp_variable_list *vb, char *buf, size_t len)
{
	size_t n, i;

	if (vb->type != ASN_OCTET_STR || len == 0)
		return -1;
	n = vb->val_len < len - 1 ? vb->val_len : len - 1;
	for (i = 0; i < n; i++) {
		unsigned char ch = vb->val.string[i];

		buf[i] =
		    (ch >= 0x20 && ch < 0x7f) || ch >= 0x80 ? (char)ch : '?';
	}
	/* drop trailing NULs some agents send */
	while (i > 0 && vb->val.string[i - 1] == '\0')
		buf[--i] = '\0';
	buf[i] = '\0';
	return 0;
}
