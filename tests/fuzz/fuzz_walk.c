/*
 * fuzz_walk.c - libFuzzer harness for the table walk (src/snmp/walk.c)
 * as the poller's walk plans drive it, against a hostile agent: the
 * session's send hook (snmpsess.send_fn, as the unit tests use it)
 * answers each request with the next response of the input, a BER PDU
 * that net-snmp's snmp_pdu_parse() decodes as the session would. The
 * input: byte 0 the walk's shape (bit 0 GETBULK, bits 1-3 the columns,
 * 1 to 8 of ifTable/ifXTable, bits 4-7 max-repetitions), then responses,
 * each a 2-byte big-endian length and that many bytes (length 0: a
 * timeout). Promises checked beyond the sanitizers: within a column the
 * indexes the walk hands on strictly increase and stay under the
 * column, at most WALK_MAX_ROWS rows, nothing after the walk's end, the
 * end called once, and the value readers' strings terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "walk.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const oid cols[8][11] = {
    {1, 3, 6, 1, 2, 1, 2, 2, 1, 2}, /* ifDescr */
    {1, 3, 6, 1, 2, 1, 2, 2, 1, 5}, /* ifSpeed */
    {1, 3, 6, 1, 2, 1, 2, 2, 1, 8}, /* ifOperStatus */
    {1, 3, 6, 1, 2, 1, 2, 2, 1, 10}, /* ifInOctets */
    {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1}, /* ifName */
    {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6}, /* ifHCInOctets */
    {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15}, /* ifHighSpeed */
    {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 18}, /* ifAlias */
};
static const size_t col_len[8] = {10, 10, 10, 10, 11, 11, 11, 11};

struct fz {
	snmpsess_cb cb;
	void *arg;
	int pending, ended, ncols;
	oid last[8][MAX_OID_LEN];
	size_t lastlen[8];
	unsigned long rows[8];
};
static struct fz fz;

static int
fz_send(struct snmpsess *ss, netsnmp_pdu *pdu, snmpsess_cb cb, void *arg)
{
	(void)ss;
	snmp_free_pdu(pdu);
	if (fz.pending || fz.ended)
		abort(); /* one request at a time, none after the end */
	fz.cb = cb;
	fz.arg = arg;
	fz.pending = 1;
	return 0;
}

static void
fz_row(void *arg, int col, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	char buf[64];
	uint64_t v;

	(void)arg;
	if (fz.ended || col < 0 || col >= fz.ncols || idxlen == 0 ||
	    idxlen + col_len[col] > MAX_OID_LEN)
		abort();
	if (fz.lastlen[col] > 0 &&
	    snmp_oid_compare(idx, idxlen, fz.last[col], fz.lastlen[col]) <= 0)
		abort(); /* the walk promised increasing rows */
	memcpy(fz.last[col], idx, idxlen * sizeof(oid));
	fz.lastlen[col] = idxlen;
	if (++fz.rows[col] > WALK_MAX_ROWS)
		abort();
	(void)walk_vb_u64(vb, &v);
	if (walk_vb_str(vb, buf, sizeof(buf)) == 0 &&
	    memchr(buf, '\0', sizeof(buf)) == NULL)
		abort();
}

static void
fz_done(void *arg, enum walk_status st, const char *why)
{
	(void)arg;
	(void)st;
	(void)why;
	if (fz.ended)
		abort();
	fz.ended = 1;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	snmp_disable_log();
	init_snmp("fuzz_walk");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const oid *cp[8];
	struct snmpsess ss;
	struct walk_stats st;
	struct walk w;
	size_t off = 1;

	if (size < 1 || size > 262144)
		return 0;
	memset(&fz, 0, sizeof(fz));
	memset(&ss, 0, sizeof(ss));
	memset(&st, 0, sizeof(st));
	ss.fd = -1;
	ss.send_fn = fz_send;
	fz.ncols = 1 + ((data[0] >> 1) & 7);
	for (int i = 0; i < fz.ncols; i++)
		cp[i] = cols[i];
	if (walk_start(&w, &ss, cp, col_len, fz.ncols, data[0] & 1,
	        1 + (data[0] >> 4), fz_row, fz_done, NULL, &st) == -1)
		abort();
	while (fz.pending && !fz.ended) {
		netsnmp_pdu *pdu;
		size_t len;
		u_char *ber;

		fz.pending = 0;
		if (off + 2 > size) {
			fz.cb(fz.arg, SNMPS_TIMEOUT, NULL);
			break;
		}
		len = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (len == 0 || len > size - off) {
			fz.cb(fz.arg, SNMPS_TIMEOUT, NULL);
			break;
		}
		if ((pdu = snmp_pdu_create(0)) == NULL ||
		    (ber = malloc(len)) == NULL) {
			snmp_free_pdu(pdu);
			fz.cb(fz.arg, SNMPS_TIMEOUT, NULL);
			break;
		}
		pdu->version = data[0] & 1 ? SNMP_VERSION_2c : SNMP_VERSION_1;
		memcpy(ber, data + off, len);
		off += len;
		{
			size_t left = len;

			if (snmp_pdu_parse(pdu, ber, &left) != 0) {
				/* what the session drops as malformed: as
				 * the walk sees it, no answer */
				free(ber);
				snmp_free_pdu(pdu);
				fz.cb(fz.arg, SNMPS_TIMEOUT, NULL);
				break;
			}
		}
		fz.cb(fz.arg, SNMPS_OK, pdu);
		free(ber);
		snmp_free_pdu(pdu);
	}
	if (!fz.ended)
		abort(); /* every path ends the walk */
	return 0;
}
