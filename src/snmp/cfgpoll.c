/*
 * cfgpoll.c - a device's own word that its configuration changed, read
 * with the system group on every poll (the configuration archive's
 * fallback when no syslog or trap comes):
 *   Cisco (enterprise 9): CISCO-CONFIG-MAN-MIB ccmHistoryRunningLastChanged,
 *     ccmHistoryRunningLastSaved and ccmHistoryStartupLastChanged, the
 *     sysUpTime of the last change of the running configuration, of its
 *     last write, and of the last write of the startup configuration;
 *   Juniper (2636): JUNIPER-CFGMGMT-MIB jnxCmCfgChgLatestIndex, the number
 *     of the latest commit;
 *   Arista (30065): aristaCmdHistoryRunningLastChanged.
 * The value moving up is a change (config.changed). A Cisco device whose
 * running configuration changed after its startup configuration was last
 * written has unsaved changes (config.unsaved, cleared by config.saved):
 * that is judged once the startup configuration has been written since
 * the boot, or a change was seen while we watched, so that the running
 * configuration loaded at boot does not count. Only SNMPv2c and v3 ask
 * (a v1 agent fails a whole GET on one unknown object), and only devices
 * whose sysObjectID names the vendor.
 */
#include "config.h"

#include <string.h>

#include "device.h"
#include "poller.h"
#include "walk.h"

#define OIDLEN(o) (sizeof(o) / sizeof((o)[0]))

static const oid ccm_run_changed[] = {1, 3, 6, 1, 4, 1, 9, 9, 43, 1, 1, 1, 0};
static const oid ccm_start_changed[] = {1, 3, 6, 1, 4, 1, 9, 9, 43, 1, 1, 3,
    0};
static const oid jnx_latest[] = {1, 3, 6, 1, 4, 1, 2636, 3, 18, 1, 1, 0};
static const oid ari_run_changed[] = {1, 3, 6, 1, 4, 1, 30065, 3, 9, 1, 1, 1,
    0};

enum { CP_NONE, CP_CISCO, CP_JUNIPER, CP_ARISTA };

static int
cfgpoll_vendor(const struct device_rt *d)
{
	if (d->conf->snmp.version == NP_SNMP_V1)
		return CP_NONE;
	if (strncmp(d->sys_object_id, ".1.3.6.1.4.1.9.", 15) == 0)
		return CP_CISCO;
	if (strncmp(d->sys_object_id, ".1.3.6.1.4.1.2636.", 18) == 0)
		return CP_JUNIPER;
	if (strncmp(d->sys_object_id, ".1.3.6.1.4.1.30065.", 19) == 0)
		return CP_ARISTA;
	return CP_NONE;
}

void
cfgpoll_add_vars(struct device_rt *d, netsnmp_pdu *pdu)
{
	d->cfgpoll.got_run = d->cfgpoll.got_start = 0;
	switch (cfgpoll_vendor(d)) {
	case CP_CISCO:
		snmp_add_null_var(pdu, ccm_run_changed, OIDLEN(ccm_run_changed));
		snmp_add_null_var(pdu, ccm_start_changed,
		    OIDLEN(ccm_start_changed));
		break;
	case CP_JUNIPER:
		snmp_add_null_var(pdu, jnx_latest, OIDLEN(jnx_latest));
		break;
	case CP_ARISTA:
		snmp_add_null_var(pdu, ari_run_changed, OIDLEN(ari_run_changed));
		break;
	}
}

static int
is(const netsnmp_variable_list *vb, const oid *o, size_t n)
{
	return snmp_oid_compare(vb->name, vb->name_length, o, n) == 0;
}

int
cfgpoll_vb(struct device_rt *d, const netsnmp_variable_list *vb)
{
	uint64_t v;
	int run = is(vb, ccm_run_changed, OIDLEN(ccm_run_changed)) ||
	    is(vb, jnx_latest, OIDLEN(jnx_latest)) ||
	    is(vb, ari_run_changed, OIDLEN(ari_run_changed));
	int start = is(vb, ccm_start_changed, OIDLEN(ccm_start_changed));

	if (!run && !start)
		return 0;
	if ((vb->type != ASN_TIMETICKS && vb->type != ASN_INTEGER &&
	    vb->type != ASN_UNSIGNED && vb->type != ASN_GAUGE) ||
	    walk_vb_u64(vb, &v) == -1)
		return 1; /* noSuchObject and the like: the agent lacks it */
	if (run) {
		d->cfgpoll.run = v;
		d->cfgpoll.got_run = 1;
	} else {
		d->cfgpoll.start = v;
		d->cfgpoll.got_start = 1;
	}
	return 1;
}

/* After the system group: what moved. REBOOTED: sysUpTime went back. */
void
cfgpoll_done(struct device_rt *d, int rebooted)
{
	struct cfgpoll *c = &d->cfgpoll;
	int unsaved;

	if (!c->got_run)
		return;
	if (rebooted || !c->seen) {
		c->seen = 1;
		c->moved = 0;
	} else if (c->run > c->last_run) {
		c->moved = 1;
		poller_emit(d, "config.changed", "config", SEV_INFO, NULL, NULL,
		    NULL, "running configuration changed (%s %llu -> %llu)",
		    cfgpoll_vendor(d) == CP_JUNIPER ? "jnxCmCfgChgLatestIndex"
		    : cfgpoll_vendor(d) == CP_ARISTA
		        ? "aristaCmdHistoryRunningLastChanged"
		        : "ccmHistoryRunningLastChanged",
		    (unsigned long long)c->last_run, (unsigned long long)c->run);
	}
	c->last_run = c->run;
	if (!c->got_start)
		return;
	unsaved = c->run > c->start && (c->start > 0 || c->moved);
	if (unsaved && c->unsaved != 1)
		poller_emit(d, "config.unsaved", "config:unsaved", SEV_WARNING,
		    NULL, NULL, "unsaved", "the running configuration changed "
		    "after the startup configuration was written "
		    "(ccmHistoryRunningLastChanged %llu > "
		    "ccmHistoryStartupLastChanged %llu): not saved",
		    (unsigned long long)c->run, (unsigned long long)c->start);
	else if (!unsaved && c->unsaved == 1)
		poller_emit(d, "config.saved", "config:unsaved", SEV_INFO, NULL,
		    "unsaved", "saved", "the running configuration is saved "
		    "(ccmHistoryStartupLastChanged %llu)",
		    (unsigned long long)c->start);
	c->unsaved = unsaved;
}
