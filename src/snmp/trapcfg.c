/*
 * trapcfg.c - the notifications devices send when their configuration
 * changes, as events the configuration archive follows:
 *   CISCO-CONFIG-MAN-MIB ciscoConfigManEvent (a change only when its
 *   destination is running(3): running -> commandSource is someone, or
 *   our own fetch, reading the configuration, and acting on it would
 *   loop; running -> startup is a save) and ccmCLIRunningConfigChanged;
 *   JUNIPER-CFGMGMT-MIB jnxCmCfgChange (sent on commit);
 *   ARISTA-CONFIG-MAN-MIB aristaConfigManEvent (destination running(3)).
 * The user the notification names becomes the event's user.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "event.h"
#include "trapmsg.h"
#include "walk.h"

#define OIDLEN(o) (sizeof(o) / sizeof((o)[0]))

static const oid ccm_event[] = {1, 3, 6, 1, 4, 1, 9, 9, 43, 2, 0, 1};
static const oid ccm_cli_changed[] = {1, 3, 6, 1, 4, 1, 9, 9, 43, 2, 0, 2};
static const oid ccm_src[] = {1, 3, 6, 1, 4, 1, 9, 9, 43, 1, 1, 6, 1, 4};
static const oid ccm_dst[] = {1, 3, 6, 1, 4, 1, 9, 9, 43, 1, 1, 6, 1, 5};
static const oid ccm_user[] = {1, 3, 6, 1, 4, 1, 9, 9, 43, 1, 1, 6, 1, 8};
static const oid jnx_change[] = {1, 3, 6, 1, 4, 1, 2636, 4, 5, 0, 1};
static const oid jnx_user[] = {1, 3, 6, 1, 4, 1, 2636, 3, 18, 1, 7, 1, 5};
static const oid ari_event[] = {1, 3, 6, 1, 4, 1, 30065, 3, 9, 3, 0, 1};
static const oid ari_src[] = {1, 3, 6, 1, 4, 1, 30065, 3, 9, 1, 1, 2, 1, 4};
static const oid ari_dst[] = {1, 3, 6, 1, 4, 1, 30065, 3, 9, 1, 1, 2, 1, 5};

static int
is_trap(const struct trap_msg *m, const oid *o, size_t n)
{
	return m->trap_oid_len == n &&
	    snmp_oid_compare(m->trap_oid, n, o, n) == 0;
}

/* The integer value of the varbind under PREFIX, or -1. */
static long
vb_int(const struct trap_msg *m, const oid *prefix, size_t n)
{
	int i = trapmsg_find(m, prefix, n);
	uint64_t v;

	if (i < 0 || m->vb[i]->type != ASN_INTEGER ||
	    walk_vb_u64(m->vb[i], &v) == -1)
		return -1;
	return (long)*m->vb[i]->val.integer;
}

static void
vb_user(const struct trap_msg *m, const oid *prefix, size_t n, char *out,
    size_t len)
{
	int i = trapmsg_find(m, prefix, n);

	out[0] = '\0';
	if (i >= 0 && m->vb[i]->type == ASN_OCTET_STR)
		walk_vb_str(m->vb[i], out, len);
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < ' ' || (unsigned char)*c > '~')
			*c = '?';
}

static const char *
medium(long v)
{
	static const char *const names[] = {"", "erase", "commandSource",
	    "running", "startup", "local", "networkTftp", "networkRcp",
	    "networkFtp", "networkScp"};

	return v >= 1 && v <= 9 ? names[v] : "?";
}

int
trapmsg_config_event(const struct trap_msg *m, const char *device,
    const char *sender, struct np_event *ev)
{
	char user[64];
	long src, dst;

	if (is_trap(m, ccm_event, OIDLEN(ccm_event)) ||
	    is_trap(m, ari_event, OIDLEN(ari_event))) {
		int cisco = is_trap(m, ccm_event, OIDLEN(ccm_event));

		src = cisco ? vb_int(m, ccm_src, OIDLEN(ccm_src))
		            : vb_int(m, ari_src, OIDLEN(ari_src));
		dst = cisco ? vb_int(m, ccm_dst, OIDLEN(ccm_dst))
		            : vb_int(m, ari_dst, OIDLEN(ari_dst));
		user[0] = '\0';
		if (cisco)
			vb_user(m, ccm_user, OIDLEN(ccm_user), user,
			    sizeof(user));
		if (dst == 3) {
			event_init(ev, device, "trap", "config.changed",
			    "config", SEV_INFO, "configuration changed: %s to "
			    "running%s%s (%s from %s)",
			    cisco ? medium(src) : "source", user[0] ? " by " : "",
			    user, cisco ? "ciscoConfigManEvent"
			                : "aristaConfigManEvent", sender);
			snprintf(ev->user, sizeof(ev->user), "%s", user);
			return 1;
		}
		if (src == 3 && dst == 4) {
			event_init(ev, device, "trap", "config.saved",
			    "config:unsaved", SEV_INFO, "running configuration "
			    "saved to startup%s%s (%s from %s)",
			    user[0] ? " by " : "", user,
			    cisco ? "ciscoConfigManEvent"
			          : "aristaConfigManEvent", sender);
			snprintf(ev->user, sizeof(ev->user), "%s", user);
			return 1;
		}
		return 0; /* read, copied elsewhere: not a change */
	}
	if (is_trap(m, ccm_cli_changed, OIDLEN(ccm_cli_changed))) {
		vb_user(m, ccm_user, OIDLEN(ccm_user), user, sizeof(user));
		event_init(ev, device, "trap", "config.changed", "config",
		    SEV_INFO, "configuration changed%s%s "
		    "(ccmCLIRunningConfigChanged from %s)",
		    user[0] ? " by " : "", user, sender);
		snprintf(ev->user, sizeof(ev->user), "%s", user);
		return 1;
	}
	if (is_trap(m, jnx_change, OIDLEN(jnx_change))) {
		vb_user(m, jnx_user, OIDLEN(jnx_user), user, sizeof(user));
		event_init(ev, device, "trap", "config.changed", "config",
		    SEV_INFO, "configuration committed%s%s (jnxCmCfgChange "
		    "from %s)", user[0] ? " by " : "", user, sender);
		snprintf(ev->user, sizeof(ev->user), "%s", user);
		return 1;
	}
	return 0;
}
