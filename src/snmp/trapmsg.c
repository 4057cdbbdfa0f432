/*
 * trapmsg.c - reading a trap or inform PDU into one form, and rendering
 * its varbinds for events, rules and the store.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "trapmsg.h"

static const oid oid_sysuptime0[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
static const oid oid_traptype0[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
static const oid oid_snmptraps[] = {1, 3, 6, 1, 6, 3, 1, 1, 5};
static const oid oid_trapaddress0[] = {1, 3, 6, 1, 6, 3, 18, 1, 3, 0};
static const oid oid_trapenterprise0[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 3, 0};
#define OIDLEN(o) (sizeof(o) / sizeof(o[0]))

static int
trapmsg_is(const netsnmp_variable_list *v, const oid *o, size_t len)
{
	return v != NULL &&
	    snmp_oid_compare(v->name, v->name_length, o, len) == 0;
}

void
trapmsg_read(const netsnmp_pdu *pdu, struct trap_msg *m)
{
	const netsnmp_variable_list *v = pdu->variables;

	memset(m, 0, sizeof(*m));
	m->version = pdu->version == SNMP_VERSION_1 ? 1
	    : pdu->version == SNMP_VERSION_3        ? 3
	                                            : 2;
	m->inform = pdu->command == SNMP_MSG_INFORM;
	if (pdu->command == SNMP_MSG_TRAP) {
		/* RFC 3584 3.1: the v1 fields to snmpTrapOID.0 */
		size_t n = pdu->enterprise_length;

		if (n > MAX_OID_LEN - 2)
			n = MAX_OID_LEN - 2;
		if (pdu->enterprise != NULL && n > 0)
			memcpy(m->enterprise, pdu->enterprise, n * sizeof(oid));
		m->enterprise_len = pdu->enterprise ? n : 0;
		if (pdu->trap_type >= 0 && pdu->trap_type <= 5) {
			memcpy(
			    m->trap_oid, oid_snmptraps, sizeof(oid_snmptraps));
			m->trap_oid[OIDLEN(oid_snmptraps)] =
			    (oid)pdu->trap_type + 1;
			m->trap_oid_len = OIDLEN(oid_snmptraps) + 1;
		} else {
			memcpy(m->trap_oid, m->enterprise, n * sizeof(oid));
			m->trap_oid[n] = 0;
			m->trap_oid_len = n + 1;
			/* RFC 1157: INTEGER (0..2147483647), agents send up to
			 * 2^32-1; a negative one would wrap around as an OID's
			 * sub-identifier: ENTERPRISE.0, and said */
			if (pdu->specific_type >= 0 &&
			    pdu->specific_type <= 4294967295L)
				m->trap_oid[m->trap_oid_len++] =
				    (oid)pdu->specific_type;
			else
				snprintf(m->problem, sizeof(m->problem),
				    "specific-trap %ld out of range",
				    pdu->specific_type);
			if (pdu->trap_type != 6)
				snprintf(m->problem, sizeof(m->problem),
				    "generic-trap %ld out of range",
				    pdu->trap_type);
		}
		m->uptime = (uint64_t)pdu->time;
		m->has_uptime = 1;
		snprintf(m->agent_addr, sizeof(m->agent_addr), "%u.%u.%u.%u",
		    pdu->agent_addr[0], pdu->agent_addr[1], pdu->agent_addr[2],
		    pdu->agent_addr[3]);
	} else {
		if (trapmsg_is(v, oid_sysuptime0, OIDLEN(oid_sysuptime0))) {
			if (v->type == ASN_TIMETICKS && v->val.integer)
				m->uptime = (uint64_t)(u_long)*v->val.integer;
			m->has_uptime = 1;
			v = v->next_variable;
		} else
			snprintf(m->problem, sizeof(m->problem),
			    "sysUpTime.0 is not the first varbind");
		if (trapmsg_is(v, oid_traptype0, OIDLEN(oid_traptype0))) {
			if (v->type == ASN_OBJECT_ID &&
			    v->val_len / sizeof(oid) <= MAX_OID_LEN) {
				m->trap_oid_len = v->val_len / sizeof(oid);
				memcpy(m->trap_oid, v->val.objid,
				    m->trap_oid_len * sizeof(oid));
			} else
				snprintf(m->problem, sizeof(m->problem),
				    "snmpTrapOID.0 is not an OID");
			v = v->next_variable;
		} else if (m->problem[0] == '\0')
			snprintf(m->problem, sizeof(m->problem),
			    "snmpTrapOID.0 is not the second varbind");
	}
	for (; v != NULL; v = v->next_variable) {
		if (m->nvb == TRAPMSG_MAX_VB) {
			m->vb_dropped++;
			continue;
		}
		m->vb[m->nvb++] = v;
	}
}

enum trap_std
trapmsg_std(const struct trap_msg *m)
{
	size_t n = OIDLEN(oid_snmptraps);

	if (m->trap_oid_len != n + 1 ||
	    snmp_oid_compare(m->trap_oid, n, oid_snmptraps, n) != 0)
		return TRAP_OTHER;
	switch (m->trap_oid[n]) {
	case 1: return TRAP_COLDSTART;
	case 2: return TRAP_WARMSTART;
	case 3: return TRAP_LINKDOWN;
	case 4: return TRAP_LINKUP;
	case 5: return TRAP_AUTHFAIL;
	case 6: return TRAP_EGPLOSS;
	}
	return TRAP_OTHER;
}

/*
 * Every OID of every trap goes through here (the JSON of the varbinds, the
 * trap OID): digits by hand, not a printf per sub-identifier. Only whole
 * sub-identifiers are written.
 */
char *
trapmsg_oid_text(const oid *o, size_t len, char *buf, size_t size)
{
	size_t off = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < len && off + 1 < size; i++) {
		char d[24];
		size_t n = 0;
		uint64_t v = (uint64_t)o[i];

		do {
			d[sizeof(d) - 1 - n++] = (char)('0' + v % 10);
			v /= 10;
		} while (v != 0);
		d[sizeof(d) - 1 - n++] = '.';
		if (n >= size - off) {
			buf[off] = '\0';
			break;
		}
		memcpy(buf + off, d + sizeof(d) - n, n);
		off += n;
		buf[off] = '\0';
	}
	return buf;
}

/*
 * The MIB names of OIDs, remembered: snprint_objid walks the MIB tree and
 * formats a name anew for every varbind of every trap, and a burst of
 * traps repeats the same few OIDs. The MIB tree is net-snmp's, global and
 * loaded once (trapusm_load_mibs), so this cache is too: a map from a
 * 64-bit hash of the OID to its entry (which holds the OID: a collision is
 * asked of net-snmp), emptied when it holds TRAPMSG_NAME_KEEP or the tree
 * changes; used by the event loop's thread only. A name that does not fit
 * an entry is not kept; every caller's buffer holds one that does.
 */
#define TRAPMSG_NAME_KEEP 4096
#define TRAPMSG_NAME_OIDMAX 32
#define TRAPMSG_NAME_MAX 128

struct trapmsg_name {
	oid o[TRAPMSG_NAME_OIDMAX];
	size_t len;
	struct tree *tp; /* get_tree's node: its enumeration labels */
	char name[TRAPMSG_NAME_MAX]; /* "" where the MIBs name nothing */
};

static struct hmap trapmsg_names; /* OID hash -> struct trapmsg_name */
static struct tree *trapmsg_names_head; /* the tree they come from */

/* The name of O in a buffer of SIZE, as snprint_objid gives it, or "". */
static void
trapmsg_name_make(const oid *o, size_t len, struct tree *tp, char *buf,
    size_t size, int *overflow)
{
	*overflow = 0;
	buf[0] = '\0';
	/* a branch (enterprises.99999...) names nothing: numeric is better */
	if (tp == NULL || tp->type == TYPE_OTHER)
		return;
	if (snprint_objid(buf, size, o, len) < 0) {
		*overflow = 1;
		buf[0] = '\0';
	} else if (strstr(buf, "::") == NULL)
		buf[0] = '\0';
}

static const struct trapmsg_name *
trapmsg_name_get(const oid *o, size_t len)
{
	struct tree *head = get_tree_head();
	struct trapmsg_name *e;
	uint64_t h = 0xcbf29ce484222325ULL;
	int overflow;

	if (len == 0 || len > TRAPMSG_NAME_OIDMAX || head == NULL)
		return NULL;
	if (head != trapmsg_names_head ||
	    trapmsg_names.n >= TRAPMSG_NAME_KEEP) {
		hmap_clear_free(&trapmsg_names);
		trapmsg_names_head = head;
	}
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint64_t)o[i]) * 0x100000001b3ULL;
	if ((e = hmap_iget(&trapmsg_names, h)) != NULL)
		return e->len == len && memcmp(e->o, o, len * sizeof(oid)) == 0
		    ? e
		    : NULL;
	if ((e = malloc(sizeof(*e))) == NULL)
		return NULL;
	e->tp = get_tree(o, len, head);
	trapmsg_name_make(o, len, e->tp, e->name, sizeof(e->name), &overflow);
	memcpy(e->o, o, len * sizeof(oid));
	e->len = len;
	if (overflow || hmap_iput(&trapmsg_names, h, e) == -1) {
		free(e); /* too long to keep: the caller asks net-snmp */
		return NULL;
	}
	return e;
}

void
trapmsg_forget_names(void)
{
	hmap_free_values(&trapmsg_names);
	trapmsg_names_head = NULL;
}

char *
trapmsg_oid_name(const oid *o, size_t len, char *buf, size_t size)
{
	const struct trapmsg_name *e;
	struct tree *head;
	int overflow;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (size >= TRAPMSG_NAME_MAX &&
	    (e = trapmsg_name_get(o, len)) != NULL) {
		memcpy(buf, e->name, strlen(e->name) + 1);
		return buf;
	}
	if (len == 0 || (head = get_tree_head()) == NULL)
		return buf;
	trapmsg_name_make(o, len, get_tree(o, len, head), buf, size, &overflow);
	return buf;
}

const char *
trapmsg_type_name(u_char type)
{
	switch (type) {
	case ASN_INTEGER: return "INTEGER";
	case ASN_OCTET_STR: return "OCTET STRING";
	case ASN_OBJECT_ID: return "OBJECT IDENTIFIER";
	case ASN_IPADDRESS: return "IpAddress";
	case ASN_COUNTER: return "Counter32";
	case ASN_GAUGE: return "Gauge32";
	case ASN_TIMETICKS: return "TimeTicks";
	case ASN_OPAQUE: return "Opaque";
	case ASN_COUNTER64: return "Counter64";
	case ASN_NULL: return "NULL";
	case SNMP_NOSUCHOBJECT: return "noSuchObject";
	case SNMP_NOSUCHINSTANCE: return "noSuchInstance";
	case SNMP_ENDOFMIBVIEW: return "endOfMibView";
	}
	return "unknown";
}

/* Valid UTF-8 without control characters other than tab, CR and LF. */
static int
trapmsg_printable(const u_char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		u_char c = s[i];
		size_t k;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
			    c == 0x7f)
				return 0;
			i++;
			continue;
		}
		k = (c & 0xe0) == 0xc0   ? 1
		    : (c & 0xf0) == 0xe0 ? 2
		    : (c & 0xf8) == 0xf0 ? 3
		                         : 0;
		/* no overlong 2-byte forms, nothing above U+10FFFF */
		if (k == 0 || c == 0xc0 || c == 0xc1 || c > 0xf4 || i + k >= n)
			return 0;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
		i += k + 1;
	}
	return 1;
}

/* The length of an octet string as text: a trailing NUL is dropped. */
static size_t
trapmsg_strlen(const netsnmp_variable_list *vb)
{
	size_t n = vb->val_len;

	if (n > 0 && vb->val.string[n - 1] == '\0')
		n--;
	return n;
}

static void
trapmsg_hex(const u_char *s, size_t n, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && off + 4 <= size; i++)
		off += (size_t)snprintf(
		    buf + off, size - off, "%s%02x", i ? ":" : "", s[i]);
}

/* The enumeration label of an INTEGER where a MIB gives one. */
static const char *
trapmsg_label(const netsnmp_variable_list *vb)
{
	const struct trapmsg_name *n;
	struct tree *tp, *head = get_tree_head();

	if (vb->type != ASN_INTEGER || head == NULL || vb->val.integer == NULL)
		return NULL;
	if ((n = trapmsg_name_get(vb->name, vb->name_length)) != NULL)
		tp = n->tp;
	else
		tp = get_tree(vb->name, vb->name_length, head);
	if (tp == NULL || tp->enums == NULL)
		return NULL;
	for (struct enum_list *e = tp->enums; e != NULL; e = e->next)
		if (e->value == *vb->val.integer)
			return e->label;
	return NULL;
}

char *
trapmsg_value_text(const netsnmp_variable_list *vb, char *buf, size_t size)
{
	const char *label;
	size_t n;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	switch (vb->type) {
	case ASN_INTEGER:
		if ((label = trapmsg_label(vb)) != NULL)
			snprintf(buf, size, "%s", label);
		else
			snprintf(buf, size, "%ld", *vb->val.integer);
		break;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
	case ASN_UINTEGER:
		snprintf(buf, size, "%lu", (u_long)*vb->val.integer);
		break;
	case ASN_COUNTER64:
		snprintf(buf, size, "%" PRIu64,
		    ((uint64_t)vb->val.counter64->high << 32) |
		        vb->val.counter64->low);
		break;
	case ASN_IPADDRESS:
		if (vb->val_len == 4)
			snprintf(buf, size, "%u.%u.%u.%u", vb->val.string[0],
			    vb->val.string[1], vb->val.string[2],
			    vb->val.string[3]);
		break;
	case ASN_OBJECT_ID:
		trapmsg_oid_text(
		    vb->val.objid, vb->val_len / sizeof(oid), buf, size);
		break;
	case ASN_OCTET_STR:
		n = trapmsg_strlen(vb);
		if (trapmsg_printable(vb->val.string, n)) {
			if (n >= size)
				n = size - 1;
			/* do not cut a UTF-8 sequence */
			while (n > 0 && n < trapmsg_strlen(vb) &&
			    (vb->val.string[n] & 0xc0) == 0x80)
				n--;
			memcpy(buf, vb->val.string, n);
			buf[n] = '\0';
		} else
			trapmsg_hex(vb->val.string, vb->val_len, buf, size);
		break;
	case ASN_OPAQUE:
		trapmsg_hex(vb->val.string, vb->val_len, buf, size);
		break;
	default: break;
	}
	return buf;
}

/*
 * JSON for the parts that never need escaping (OIDs, type names, numbers)
 * is appended as it is, not through json_strn: that was half the cost of
 * rendering a trap. The text is the same as json.c would write; after a
 * value, the next one at the same level takes a comma (need_comma).
 */
static void
trapmsg_jnum(struct jbuf *j, int neg, uint64_t v)
{
	char d[24];
	size_t n = 0;

	d[sizeof(d) - 1 - n++] = '\0';
	do {
		d[sizeof(d) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (neg)
		d[sizeof(d) - 1 - n++] = '-';
	jbuf_raw(j, d + sizeof(d) - n);
	j->need_comma = 1;
}

static void
trapmsg_jint(struct jbuf *j, long v)
{
	if (v < 0)
		trapmsg_jnum(j, 1, (uint64_t)0 - (uint64_t)v);
	else
		trapmsg_jnum(j, 0, (uint64_t)v);
}

static void
trapmsg_json_vb(const netsnmp_variable_list *vb, struct jbuf *j, int names)
{
	char name[256], text[1024];
	const char *label;
	size_t n;

	json_obj_open(j);
	jbuf_raw(j, "\"oid\":\"");
	jbuf_raw(
	    j, trapmsg_oid_text(vb->name, vb->name_length, text, sizeof(text)));
	jbuf_raw(j, "\"");
	j->need_comma = 1;
	if (names &&
	    trapmsg_oid_name(vb->name, vb->name_length, name, sizeof(name))[0])
		json_kstr(j, "name", name);
	jbuf_raw(j, ",\"type\":\"");
	jbuf_raw(j, trapmsg_type_name(vb->type));
	jbuf_raw(j, "\",\"value\":");
	j->need_comma = 0;
	switch (vb->type) {
	case ASN_INTEGER:
		trapmsg_jint(j, *vb->val.integer);
		if (names && (label = trapmsg_label(vb)) != NULL)
			json_kstr(j, "label", label);
		break;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
	case ASN_UINTEGER: trapmsg_jnum(j, 0, (u_long)*vb->val.integer); break;
	case ASN_COUNTER64:
		trapmsg_jnum(j, 0,
		    ((uint64_t)vb->val.counter64->high << 32) |
		        vb->val.counter64->low);
		break;
	case ASN_OCTET_STR:
		n = trapmsg_strlen(vb);
		if (trapmsg_printable(vb->val.string, n))
			json_strn(j, (const char *)vb->val.string, n);
		else {
			char *hex = malloc(vb->val_len * 3 + 1);

			if (hex == NULL)
				json_null(j);
			else {
				trapmsg_hex(vb->val.string, vb->val_len, hex,
				    vb->val_len * 3 + 1);
				json_str(j, hex);
				free(hex);
			}
			json_kbool(j, "hex", 1);
		}
		break;
	case ASN_IPADDRESS:
	case ASN_OBJECT_ID:
	case ASN_OPAQUE:
		json_str(j, trapmsg_value_text(vb, text, sizeof(text)));
		break;
	default: json_null(j);
	}
	json_obj_close(j);
}

void
trapmsg_json(
    const struct trap_msg *m, const netsnmp_pdu *pdu, struct jbuf *j, int names)
{
	const netsnmp_variable_list *v = pdu->variables;
	char text[MAX_OID_LEN * 12];

	json_arr_open(j);
	/* every varbind after the header, beyond TRAPMSG_MAX_VB too */
	if (m->version != 1 && pdu->command != SNMP_MSG_TRAP) {
		if (trapmsg_is(v, oid_sysuptime0, OIDLEN(oid_sysuptime0)))
			v = v->next_variable;
		if (trapmsg_is(v, oid_traptype0, OIDLEN(oid_traptype0)))
			v = v->next_variable;
	}
	for (; v != NULL; v = v->next_variable)
		trapmsg_json_vb(v, j, names);
	if (pdu->command == SNMP_MSG_TRAP) {
		/* RFC 3584 3.1 (3): what the v1 header carried */
		json_obj_open(j);
		json_kstr(j, "oid",
		    trapmsg_oid_text(oid_trapaddress0, OIDLEN(oid_trapaddress0),
		        text, sizeof(text)));
		if (names)
			json_kstr(
			    j, "name", "SNMP-COMMUNITY-MIB::snmpTrapAddress.0");
		json_kstr(j, "type", "IpAddress");
		json_kstr(j, "value", m->agent_addr);
		json_obj_close(j);
		json_obj_open(j);
		json_kstr(j, "oid",
		    trapmsg_oid_text(oid_trapenterprise0,
		        OIDLEN(oid_trapenterprise0), text, sizeof(text)));
		if (names)
			json_kstr(
			    j, "name", "SNMPv2-MIB::snmpTrapEnterprise.0");
		json_kstr(j, "type", "OBJECT IDENTIFIER");
		json_kstr(j, "value",
		    trapmsg_oid_text(
		        m->enterprise, m->enterprise_len, text, sizeof(text)));
		json_obj_close(j);
	}
	json_arr_close(j);
}

int
trapmsg_find(const struct trap_msg *m, const oid *prefix, size_t len)
{
	for (int i = 0; i < m->nvb; i++)
		if (m->vb[i]->name_length >= len &&
		    snmp_oid_compare(m->vb[i]->name, len, prefix, len) == 0)
			return i;
	return -1;
}

/* Append S to OUT at *OFF, bounded. */
static void
trapmsg_put(char *out, size_t size, size_t *off, const char *s, size_t n)
{
	if (*off + 1 >= size)
		return;
	if (n > size - 1 - *off)
		n = size - 1 - *off;
	memcpy(out + *off, s, n);
	*off += n;
	out[*off] = '\0';
}

void
trapmsg_subst(const char *tmpl, const struct trap_msg *m, const char *device,
    const char *sender, char *out, size_t size)
{
	size_t off = 0;
	char val[512];

	if (size == 0)
		return;
	out[0] = '\0';
	for (const char *p = tmpl; *p;) {
		const char *word = NULL;
		size_t skip = 0;

		if (*p != '%') {
			const char *q = strchr(p, '%');
			size_t n = q ? (size_t)(q - p) : strlen(p);

			trapmsg_put(out, size, &off, p, n);
			p += n;
			continue;
		}
		if (p[1] == '%') {
			word = "%";
			skip = 2;
		} else if (isdigit((unsigned char)p[1])) {
			char *end;
			long k = strtol(p + 1, &end, 10);

			skip = (size_t)(end - p);
			if (k >= 1 && k <= m->nvb)
				word = trapmsg_value_text(
				    m->vb[k - 1], val, sizeof(val));
			else
				word = "";
		} else if (strncmp(p + 1, "oid", 3) == 0) {
			word = trapmsg_oid_text(
			    m->trap_oid, m->trap_oid_len, val, sizeof(val));
			skip = 4;
		} else if (strncmp(p + 1, "name", 4) == 0) {
			word = trapmsg_oid_name(
			    m->trap_oid, m->trap_oid_len, val, sizeof(val));
			if (word[0] == '\0')
				word = trapmsg_oid_text(m->trap_oid,
				    m->trap_oid_len, val, sizeof(val));
			skip = 5;
		} else if (strncmp(p + 1, "device", 6) == 0) {
			word = device;
			skip = 7;
		} else if (strncmp(p + 1, "sender", 6) == 0) {
			word = sender;
			skip = 7;
		}
		if (word == NULL) {
			trapmsg_put(out, size, &off, "%", 1);
			p++;
			continue;
		}
		trapmsg_put(out, size, &off, word, strlen(word));
		p += skip;
	}
}

void
trapmsg_summary(const struct trap_msg *m, char *out, size_t size)
{
	char name[256], val[256];
	size_t off = 0;

	if (size == 0)
		return;
	out[0] = '\0';
	if (trapmsg_oid_name(
	        m->trap_oid, m->trap_oid_len, name, sizeof(name))[0] == '\0')
		trapmsg_oid_text(
		    m->trap_oid, m->trap_oid_len, name, sizeof(name));
	if (name[0] == '\0')
		snprintf(name, sizeof(name), "trap without snmpTrapOID.0");
	trapmsg_put(out, size, &off, name, strlen(name));
	for (int i = 0; i < m->nvb; i++) {
		const char *short_name;

		trapmsg_put(out, size, &off, i ? ", " : ": ", 2);
		if (trapmsg_oid_name(m->vb[i]->name, m->vb[i]->name_length,
		        name, sizeof(name))[0] == '\0')
			trapmsg_oid_text(m->vb[i]->name, m->vb[i]->name_length,
			    name, sizeof(name));
		short_name = strstr(name, "::");
		short_name = short_name ? short_name + 2 : name;
		trapmsg_put(out, size, &off, short_name, strlen(short_name));
		trapmsg_put(out, size, &off, "=", 1);
		trapmsg_value_text(m->vb[i], val, sizeof(val));
		trapmsg_put(out, size, &off, val, strlen(val));
	}
}
