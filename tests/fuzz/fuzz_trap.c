/*
 * fuzz_trap.c - libFuzzer harness for what netpatrold does with a trap
 * after net-snmp has decoded it (src/snmp/trapmsg.c, trapcfg.c): the
 * input's first byte picks the PDU's version (bit 0: SNMPv1, else v2c),
 * the rest is a BER-encoded PDU that net-snmp's snmp_pdu_parse() decodes
 * as the trap receiver's session would. Every PDU it accepts goes
 * through the reading of the trap's form, its standard kind, the JSON of
 * its varbinds (which must parse), the summary, the templates of trap
 * rules and the configuration-change decoding. Checks: the JSON is valid,
 * strings are NUL-terminated within their buffers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "event.h"
#include "jread.h"
#include "json.h"
#include "trapmsg.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* net-snmp quiet, its MIBs loaded once (names for the JSON) */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	snmp_disable_log();
	init_snmp("fuzz_trap");
	return 0;
}

static void
terminated(const char *s, size_t size)
{
	if (memchr(s, '\0', size) == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	netsnmp_pdu *pdu;
	struct trap_msg m;
	struct jbuf j;
	struct np_event ev;
	char buf[1024], err[128];
	u_char *ber;
	size_t len;

	if (size < 2 || size > 65536)
		return 0;
	if ((pdu = snmp_pdu_create(0)) == NULL)
		return 0;
	pdu->version = data[0] & 1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
	len = size - 1;
	if ((ber = malloc(len)) == NULL) {
		snmp_free_pdu(pdu);
		return 0;
	}
	memcpy(ber, data + 1, len);
	if (snmp_pdu_parse(pdu, ber, &len) != 0) {
		free(ber);
		snmp_free_pdu(pdu);
		return 0;
	}
	trapmsg_read(pdu, &m);
	(void)trapmsg_std(&m);
	terminated(m.problem, sizeof(m.problem));
	terminated(m.agent_addr, sizeof(m.agent_addr));
	trapmsg_oid_text(m.trap_oid, m.trap_oid_len, buf, sizeof(buf));
	terminated(buf, sizeof(buf));
	trapmsg_oid_name(m.trap_oid, m.trap_oid_len, buf, sizeof(buf));
	terminated(buf, sizeof(buf));
	for (int names = 0; names <= 1; names++) {
		struct jread *jr;

		jbuf_init(&j);
		trapmsg_json(&m, pdu, &j, names);
		if (!j.failed && j.s != NULL) {
			if ((jr = jread_parse(j.s, err, sizeof(err))) == NULL)
				abort(); /* the store would keep broken JSON */
			jread_free(jr);
		}
		jbuf_free(&j);
	}
	trapmsg_summary(&m, buf, sizeof(buf));
	terminated(buf, sizeof(buf));
	trapmsg_subst("$1 $2 $* $# $d $s $o $n $$ $9 $x", &m, "dev", "sender",
	    buf, sizeof(buf));
	terminated(buf, sizeof(buf));
	memset(&ev, 0, sizeof(ev));
	(void)trapmsg_config_event(&m, "dev", "192.0.2.1", &ev);
	free(ber);
	snmp_free_pdu(pdu);
	return 0;
}
