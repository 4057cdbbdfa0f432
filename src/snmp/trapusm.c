/*
 * trapusm.c - what net-snmp must know to read traps: our SNMPv3 engine ID
 * (informs are sent to it), the trap users localised to every engine they
 * may come from, and the MIBs that give names to OIDs.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trapint.h"

#include <net-snmp/library/lcd_time.h>

#ifndef NP_MIBDIR
#define NP_MIBDIR "/usr/local/share/netpatrol/mibs"
#endif

static void
trapusm_hex(const u_char *b, size_t n, char *out, size_t size)
{
	size_t off = 0;

	off += (size_t)snprintf(out, size, "0x");
	for (size_t i = 0; i < n && off + 3 <= size; i++)
		off += (size_t)snprintf(out + off, size - off, "%02x", b[i]);
}

/*
 * Our engine ID, stable across restarts: the text "netpatrold@HOST" in
 * RFC 3411's text format, so inform senders configured with it go on
 * working.
 */
void
trapd_engine_init(struct trapd *td)
{
	u_char id[64];
	char host[200], text[256];
	size_t n;

	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(text, sizeof(text), "netpatrold@%.26s", host);
	setup_engineID(NULL, text);
	n = snmpv3_get_engineID(id, sizeof(id));
	/* USM knows an engine by its time record: ours must have one */
	set_enginetime(id, (u_int)n, (u_int)snmpv3_local_snmpEngineBoots(),
	    (u_int)snmpv3_local_snmpEngineTime(), TRUE);
	trapusm_hex(id, n, td->engine_hex, sizeof(td->engine_hex));
	log_info("SNMPv3 engine ID for informs: %s", td->engine_hex);
}

static const char *
trapusm_auth(enum snmp_auth_proto a)
{
	switch (a) {
	case NP_AUTH_MD5: return "MD5";
	case NP_AUTH_SHA: return "SHA";
	case NP_AUTH_SHA224: return "SHA-224";
	case NP_AUTH_SHA256: return "SHA-256";
	case NP_AUTH_SHA384: return "SHA-384";
	case NP_AUTH_SHA512: return "SHA-512";
	default: return NULL;
	}
}

static const char *
trapusm_priv(enum snmp_priv_proto p)
{
	switch (p) {
	case NP_PRIV_DES: return "DES";
	case NP_PRIV_AES: return "AES";
	case NP_PRIV_AES192: return "AES-192";
	case NP_PRIV_AES256: return "AES-256";
	default: return NULL;
	}
}

/* A passphrase quoted for net-snmp's config reader. */
static void
trapusm_quote(const char *s, char *out, size_t size)
{
	size_t off = 0;

	if (size < 3)
		return;
	out[off++] = '"';
	for (; *s && off + 3 < size; s++) {
		if (*s == '"' || *s == '\\')
			out[off++] = '\\';
		out[off++] = *s;
	}
	out[off++] = '"';
	out[off] = '\0';
}

/* User C for the engine ENG, unless net-snmp has it already. */
static void
trapusm_add(
    struct trapd *td, const u_char *eng, size_t elen, const struct snmp_cred *c)
{
	char line[1024], hex[80], ap[2 * NP_SECRET_MAX + 3],
	    pp[2 * NP_SECRET_MAX + 3];
	const char *auth = trapusm_auth(c->auth), *priv = trapusm_priv(c->priv);
	struct trap_usm *u;

	if (auth == NULL || elen == 0 || elen > sizeof(u->engine) ||
	    usm_get_user(eng, elen, c->user) != NULL)
		return;
	trapusm_hex(eng, elen, hex, sizeof(hex));
	trapusm_quote(c->authpass, ap, sizeof(ap));
	trapusm_quote(c->privpass, pp, sizeof(pp));
	snprintf(line, sizeof(line), "-e %s %s %s %s%s%s%s", hex, c->user, auth,
	    ap, priv ? " " : "", priv ? priv : "", priv ? " " : "");
	if (priv)
		strncat(line, pp, sizeof(line) - strlen(line) - 1);
	usm_parse_create_usmUser("createUser", line);
	explicit_bzero(line, sizeof(line));
	explicit_bzero(ap, sizeof(ap));
	explicit_bzero(pp, sizeof(pp));
	if (usm_get_user(eng, elen, c->user) == NULL) {
		log_warnx("trap user \"%s\": net-snmp refused it for engine %s",
		    c->user, hex);
		return;
	}
	u = realloc(td->usm, (size_t)(td->nusm + 1) * sizeof(*u));
	if (u == NULL)
		return;
	td->usm = u;
	u = &td->usm[td->nusm++];
	memcpy(u->engine, eng, elen);
	u->engine_len = elen;
	snprintf(u->name, sizeof(u->name), "%s", c->user);
}

void
trapusm_clear(struct trapd *td)
{
	for (int i = 0; i < td->nusm; i++) {
		struct usmUser *u = usm_get_user(
		    td->usm[i].engine, td->usm[i].engine_len, td->usm[i].name);

		if (u != NULL) {
			usm_remove_user(u);
			usm_free_user(u);
		}
	}
	free(td->usm);
	td->usm = NULL;
	td->nusm = 0;
}

/*
 * Every trap user for our own engine (informs), and for the engines of
 * the senders of traps: the user's own engine-id, else every engine-id
 * configured for a device.
 */
void
trapusm_configure(struct trapd *td, const struct config *c)
{
	const struct trap_user *tu;
	const struct device_conf *d;
	u_char local[64];
	size_t nlocal = snmpv3_get_engineID(local, sizeof(local));

	trapusm_clear(td);
	if (td->nls == 0)
		return;
	TAILQ_FOREACH(tu, &c->trap_users, entry)
	{
		trapusm_add(td, local, nlocal, &tu->cred);
		if (tu->cred.engine_id_len) {
			trapusm_add(td, tu->cred.engine_id,
			    tu->cred.engine_id_len, &tu->cred);
			continue;
		}
		TAILQ_FOREACH(d, &c->devices, entry)
		if (d->snmp.version == NP_SNMP_V3 && d->snmp.engine_id_len)
			trapusm_add(td, d->snmp.engine_id,
			    d->snmp.engine_id_len, &tu->cred);
	}
	/* a device's own v3 user may send it traps too */
	TAILQ_FOREACH(d, &c->devices, entry)
	if (d->snmp.version == NP_SNMP_V3 && d->snmp.engine_id_len &&
	    d->snmp.auth != NP_AUTH_NONE)
		trapusm_add(
		    td, d->snmp.engine_id, d->snmp.engine_id_len, &d->snmp);
}

/*
 * MIBs for names: the system's and the project's directories, or DIRS
 * ("dir:dir"); "none" keeps OIDs numeric. Loaded once; a new list at
 * reload takes effect at the next restart.
 */
void
trapusm_load_mibs(struct trapd *td, const char *dirs)
{
	char list[PATH_MAX], *p, *dir;
	struct stat st;
	int any = 0;

	if (td->mibdirs[0])
		return;
	if (dirs[0] == '\0')
		dirs = "/usr/share/snmp/mibs:/usr/share/snmp/mibs/iana:"
		       "/usr/share/snmp/mibs/ietf:" NP_MIBDIR;
	snprintf(td->mibdirs, sizeof(td->mibdirs), "%s", dirs);
	if (strcmp(dirs, "none") == 0)
		return;
	snprintf(list, sizeof(list), "%s", dirs);
	for (p = list; (dir = strsep(&p, ":")) != NULL;)
		if (dir[0] && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
			add_mibdir(dir);
			any = 1;
		}
	if (!any) {
		log_warnx(
		    "trap mibs: none of %s exists: OIDs stay numeric", dirs);
		return;
	}
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_ERRORS, 0);
	netsnmp_ds_set_int(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS, 0);
	/* a module that redefines an object (RFC1213-MIB, IF-MIB) wins */
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_REPLACE, 1);
	read_all_mibs();
	td->names = get_tree_head() != NULL;
	log_info("trap MIBs loaded from %s", dirs);
}
