/*
 * inventory.c - devices by name, address, host name and sysName, and their
 * ports by ifIndex, name, alias and the other names messages give them
 * (see inventory.h).
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hmap.h"
#include "inventory.h"

/* A device and its ports; the public part first. */
struct inv_dev {
	struct inv_device d;
	struct hmap ports; /* inv_port by name, owning them */
	struct hmap by_index; /* inv_port by ifIndex, the last poll's */
};

/* A key of its own (lower case) for a device. */
struct inv_key {
	char key[NP_STR_MAX];
	struct inv_dev *dev;
	int shared; /* sysName: more than one device has it */
};

struct inventory {
	struct inv_dev **devs; /* configuration order */
	size_t n;
	struct hmap by_name; /* inv_dev by name */
	struct hmap by_addr; /* inv_dev by normalised address */
	struct hmap by_host; /* inv_key by lower-case name or host address */
	struct hmap by_sysname; /* inv_key by lower-case sysName */
	int sysname_dirty; /* by_sysname is rebuilt at the next lookup */
	unsigned gen;
};

static void
inv_lower(const char *in, char *out, size_t size)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

int
inv_addr_norm(const char *in, char *out, size_t size)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, in, &a4) == 1)
		return inet_ntop(AF_INET, &a4, out, (socklen_t)size) ? 0 : -1;
	if (inet_pton(AF_INET6, in, &a6) == 1) {
		if (IN6_IS_ADDR_V4MAPPED(&a6))
			return inet_ntop(AF_INET, &a6.s6_addr[12], out,
			           (socklen_t)size)
			    ? 0
			    : -1;
		return inet_ntop(AF_INET6, &a6, out, (socklen_t)size) ? 0 : -1;
	}
	return -1;
}

void
inv_addr_text(const struct sockaddr *sa, char *buf, size_t size)
{
	snprintf(buf, size, "?");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    buf, (socklen_t)size);
	else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
		    &((const struct sockaddr_in6 *)sa)->sin6_addr;

		/* an IPv4 sender on a dual-stack socket: its IPv4 form */
		if (IN6_IS_ADDR_V4MAPPED(a))
			inet_ntop(
			    AF_INET, &a->s6_addr[12], buf, (socklen_t)size);
		else
			inet_ntop(AF_INET6, a, buf, (socklen_t)size);
	}
}

struct inventory *
inv_new(void)
{
	struct inventory *inv = calloc(1, sizeof(*inv));

	if (inv == NULL)
		return NULL;
	hmap_init(&inv->by_name);
	hmap_init(&inv->by_addr);
	hmap_init(&inv->by_host);
	hmap_init(&inv->by_sysname);
	inv->gen = 1;
	return inv;
}

static const char inv_empty[] = "";

/* *DST (inv_empty or its own copy) set to V: 0, or -1 out of memory. */
static int
inv_str_set(const char **dst, const char *v)
{
	char *n = NULL;

	if (v == NULL)
		v = "";
	if (*dst != NULL && strcmp(*dst, v) == 0)
		return 0;
	if (v[0] && (n = strdup(v)) == NULL)
		return -1;
	if (*dst != NULL && *dst != inv_empty)
		free((char *)(uintptr_t)*dst);
	*dst = n ? n : inv_empty;
	return 0;
}

static void
inv_port_free(struct inv_port *p)
{
	if (p->descr != inv_empty)
		free((char *)(uintptr_t)p->descr);
	if (p->alias != inv_empty)
		free((char *)(uintptr_t)p->alias);
	free(p);
}

static void
inv_dev_free(struct inv_dev *x)
{
	for (size_t i = 0; i < x->ports.cap; i++)
		if (x->ports.slots[i].hash)
			inv_port_free(x->ports.slots[i].value);
	hmap_free(&x->ports);
	hmap_free(&x->by_index);
	explicit_bzero(&x->d.cred, sizeof(x->d.cred));
	free(x);
}

void
inv_free(struct inventory *inv)
{
	if (inv == NULL)
		return;
	for (size_t i = 0; i < inv->n; i++)
		inv_dev_free(inv->devs[i]);
	free(inv->devs);
	hmap_free(&inv->by_name);
	hmap_free(&inv->by_addr);
	hmap_free_values(&inv->by_host);
	hmap_free_values(&inv->by_sysname);
	free(inv);
}

/* KEY (lower case) -> X in M, unless a device took it first. */
static void
inv_key_add(struct hmap *m, const char *key, struct inv_dev *x)
{
	struct inv_key *k;

	if (key[0] == '\0' || hmap_get(m, key) != NULL ||
	    (k = calloc(1, sizeof(*k))) == NULL)
		return;
	snprintf(k->key, sizeof(k->key), "%s", key);
	k->dev = x;
	if (hmap_put(m, k->key, k) == -1)
		free(k);
}

int
inv_configure(struct inventory *inv, const struct config *c)
{
	const struct device_conf *dc;
	struct inv_dev **devs;
	struct hmap by_name;
	size_t n = 0, cap = 0;
	int rc = 0;

	TAILQ_FOREACH(dc, &c->devices, entry)
	cap++;
	if ((devs = calloc(cap ? cap : 1, sizeof(*devs))) == NULL)
		return -1;
	hmap_init(&by_name);
	TAILQ_FOREACH(dc, &c->devices, entry)
	{
		struct inv_dev *x;

		if (hmap_get(&by_name, dc->name) != NULL)
			continue; /* the grammar refuses it; the first stays */
		/* a device that stays keeps what polls learned */
		if ((x = hmap_del(&inv->by_name, dc->name)) == NULL) {
			if ((x = calloc(1, sizeof(*x))) == NULL) {
				rc = -1;
				continue;
			}
			hmap_init(&x->ports);
			hmap_init(&x->by_index);
			snprintf(x->d.name, sizeof(x->d.name), "%s", dc->name);
		}
		snprintf(x->d.address, sizeof(x->d.address), "%s", dc->address);
		if (inv_addr_norm(dc->address, x->d.addr, sizeof(x->d.addr)) ==
		    -1)
			x->d.addr[0] = '\0';
		x->d.cred = dc->snmp;
		if (hmap_put(&by_name, x->d.name, x) == -1) {
			inv_dev_free(x);
			rc = -1;
			continue;
		}
		devs[n++] = x;
	}
	/* the devices that left */
	for (size_t i = 0; i < inv->n; i++)
		if (hmap_get(&inv->by_name, inv->devs[i]->d.name) ==
		    inv->devs[i])
			inv_dev_free(inv->devs[i]);
	free(inv->devs);
	hmap_free(&inv->by_name);
	inv->by_name = by_name;
	inv->devs = devs;
	inv->n = n;

	hmap_clear(&inv->by_addr);
	hmap_clear_free(&inv->by_host);
	for (size_t i = 0; i < n; i++) {
		struct inv_dev *x = devs[i];
		char key[NP_STR_MAX];

		if (x->d.addr[0]) {
			if (hmap_get(&inv->by_addr, x->d.addr) == NULL)
				(void)hmap_put(&inv->by_addr, x->d.addr, x);
		} else {
			inv_lower(x->d.address, key, sizeof(key));
			inv_key_add(&inv->by_host, key, x);
		}
		inv_lower(x->d.name, key, sizeof(key));
		inv_key_add(&inv->by_host, key, x);
	}
	inv->sysname_dirty = 1;
	if (++inv->gen == 0)
		inv->gen = 1;
	return rc;
}

unsigned
inv_generation(const struct inventory *inv)
{
	return inv->gen;
}

size_t
inv_count(const struct inventory *inv)
{
	return inv->n;
}

const struct inv_device *
inv_device_at(const struct inventory *inv, size_t i)
{
	return i < inv->n ? &inv->devs[i]->d : NULL;
}

static struct inv_dev *
inv_dev(const struct inventory *inv, const char *name)
{
	return name ? hmap_get(&inv->by_name, name) : NULL;
}

const struct inv_device *
inv_device_by_name(const struct inventory *inv, const char *name)
{
	struct inv_dev *x = inv_dev(inv, name);

	return x ? &x->d : NULL;
}

const struct inv_device *
inv_device_by_addr(const struct inventory *inv, const char *addr)
{
	struct inv_dev *x;
	char norm[INV_ADDR_MAX];

	if (inv->by_addr.n == 0 || addr == NULL)
		return NULL;
	/* a sender's address is in its usual form already, mostly */
	if ((x = hmap_get(&inv->by_addr, addr)) == NULL &&
	    inv_addr_norm(addr, norm, sizeof(norm)) == 0 && strcmp(norm, addr))
		x = hmap_get(&inv->by_addr, norm);
	return x ? &x->d : NULL;
}

const struct inv_device *
inv_device_by_sockaddr(const struct inventory *inv, const struct sockaddr *sa)
{
	char addr[INV_ADDR_MAX];

	inv_addr_text(sa, addr, sizeof(addr));
	return inv_device_by_addr(inv, addr);
}

const struct inv_device *
inv_device_by_host(const struct inventory *inv, const char *host)
{
	const struct inv_key *k;
	char name[NP_STR_MAX];
	size_t i;

	if (host == NULL || host[0] == '\0' || inv->by_host.n == 0)
		return NULL;
	inv_lower(host, name, sizeof(name));
	if ((k = hmap_get(&inv->by_host, name)) != NULL)
		return &k->dev->d;
	/* a fully qualified name: its first label */
	if ((i = strcspn(name, ".")) > 0 && name[i] == '.') {
		name[i] = '\0';
		if ((k = hmap_get(&inv->by_host, name)) != NULL)
			return &k->dev->d;
	}
	return NULL;
}

const struct inv_device *
inv_device_by_sysname(struct inventory *inv, const char *sysname)
{
	const struct inv_key *k;
	char key[NP_STR_MAX];

	if (sysname == NULL || sysname[0] == '\0')
		return NULL;
	/* sysNames change rarely: the map is rebuilt when one did */
	if (inv->sysname_dirty) {
		hmap_clear_free(&inv->by_sysname);
		for (size_t i = 0; i < inv->n; i++) {
			struct inv_key *o;

			inv_lower(inv->devs[i]->d.sysname, key, sizeof(key));
			if ((o = hmap_get(&inv->by_sysname, key)) != NULL)
				o->shared = 1;
			else
				inv_key_add(
				    &inv->by_sysname, key, inv->devs[i]);
		}
		inv->sysname_dirty = 0;
	}
	inv_lower(sysname, key, sizeof(key));
	if ((k = hmap_get(&inv->by_sysname, key)) == NULL || k->shared)
		return NULL;
	return &k->dev->d;
}

int
inv_set_sysname(struct inventory *inv, const char *device, const char *sysname)
{
	struct inv_dev *x = inv_dev(inv, device);

	if (x == NULL)
		return -1;
	if (strcmp(x->d.sysname, sysname) != 0) {
		snprintf(x->d.sysname, sizeof(x->d.sysname), "%s", sysname);
		inv->sysname_dirty = 1;
	}
	return 0;
}

void
inv_ports_begin(struct inventory *inv, const char *device)
{
	struct inv_dev *x = inv_dev(inv, device);

	if (x != NULL)
		hmap_clear(&x->by_index);
}

int
inv_port_put(struct inventory *inv, const char *device, const char *name,
    uint32_t ifindex, const char *descr, const char *alias)
{
	struct inv_dev *x = inv_dev(inv, device);
	struct inv_port *p;

	if (x == NULL || name == NULL || name[0] == '\0')
		return -1;
	if ((p = hmap_get(&x->ports, name)) == NULL) {
		size_t nl = strnlen(name, NP_STR_MAX - 1);
		char *b;

		if ((p = calloc(1, sizeof(*p) + nl + 1)) == NULL)
			return -1;
		b = (char *)(p + 1);
		memcpy(b, name, nl);
		b[nl] = '\0';
		p->name = b;
		p->descr = p->alias = inv_empty;
		if (hmap_put(&x->ports, p->name, p) == -1) {
			free(p);
			return -1;
		}
	}
	if (inv_str_set(&p->descr, descr) == -1 ||
	    inv_str_set(&p->alias, alias) == -1)
		return -1;
	if (ifindex > 0) {
		p->ifindex = ifindex;
		if (hmap_iput(&x->by_index, ifindex, p) == -1)
			return -1;
	}
	return 0;
}

const struct inv_port *
inv_port_by_index(
    const struct inventory *inv, const char *device, uint32_t ifindex)
{
	struct inv_dev *x = inv_dev(inv, device);

	return x ? hmap_iget(&x->by_index, ifindex) : NULL;
}

const struct inv_port *
inv_port_by_name(
    const struct inventory *inv, const char *device, const char *name)
{
	struct inv_dev *x = inv_dev(inv, device);

	return x && name ? hmap_get(&x->ports, name) : NULL;
}

const struct inv_port *
inv_port_by_alias(
    const struct inventory *inv, const char *device, const char *alias)
{
	struct inv_dev *x = inv_dev(inv, device);
	const struct inv_port *found = NULL;

	if (x == NULL || alias == NULL || alias[0] == '\0')
		return NULL;
	for (size_t i = 0; i < x->ports.cap; i++) {
		const struct inv_port *p =
		    x->ports.slots[i].hash ? x->ports.slots[i].value : NULL;

		if (p == NULL || strcasecmp(p->alias, alias) != 0)
			continue;
		if (found != NULL)
			return NULL; /* two ports say the same */
		found = p;
	}
	return found;
}

/*
 * An interface name in a form to compare long and short spellings: lower
 * case, no spaces, the type word in its short form.
 */
static void
inv_port_canon(const char *in, char *out, size_t size)
{
	static const struct {
		const char *word, *abbr;
	} types[] = {{"hundredgigabitethernet", "hu"}, {"hundredgige", "hu"},
	    {"fortygigabitethernet", "fo"}, {"fortygige", "fo"},
	    {"twentyfivegigabitethernet", "twe"}, {"twentyfivegige", "twe"},
	    {"tengigabitethernet", "te"}, {"tengige", "te"},
	    {"fivegigabitethernet", "fi"}, {"twogigabitethernet", "tw"},
	    {"gigabitethernet", "gi"}, {"fastethernet", "fa"},
	    {"ethernet", "et"}, {"eth", "et"}, {"port-channel", "po"},
	    {"portchannel", "po"}, {"bundle-ether", "be"}, {"vlan", "vl"},
	    {"loopback", "lo"}, {"tunnel", "tu"}, {"serial", "se"},
	    {"management", "ma"}, {"mgmteth", "mg"}};
	char word[64];
	size_t w = 0, o = 0;
	const char *p = in;

	while (*p && !(*p >= '0' && *p <= '9') && w + 1 < sizeof(word)) {
		if (*p != ' ')
			word[w++] = (char)tolower((unsigned char)*p);
		p++;
	}
	word[w] = '\0';
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(word, types[i].word) == 0) {
			snprintf(word, sizeof(word), "%s", types[i].abbr);
			break;
		}
	o = (size_t)snprintf(out, size, "%s", word);
	for (; *p && o + 1 < size; p++)
		if (*p != ' ')
			out[o++] = (char)tolower((unsigned char)*p);
	if (o < size)
		out[o] = '\0';
}

/* The type word of A is a prefix of B's (or the reverse), the rest equal. */
static int
inv_port_prefix(const char *a, const char *b)
{
	size_t la = strcspn(a, "0123456789"), lb = strcspn(b, "0123456789");
	size_t n = la < lb ? la : lb;

	if (n == 0 || strncasecmp(a, b, n) != 0)
		return 0;
	return strcasecmp(a + la, b + lb) == 0;
}

const struct inv_port *
inv_port_find(const struct inventory *inv, const char *device, const char *name)
{
	struct inv_dev *x = inv_dev(inv, device);
	const struct inv_port *pr, *found = NULL;
	char want[NP_STR_MAX], have[NP_STR_MAX];
	int nfound = 0;

	if (x == NULL || name == NULL || name[0] == '\0')
		return NULL;
	if ((pr = hmap_get(&x->ports, name)) != NULL)
		return pr;
	inv_port_canon(name, want, sizeof(want));
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < x->ports.cap; i++) {
			if (!x->ports.slots[i].hash)
				continue;
			pr = x->ports.slots[i].value;
			if (pass == 0 && strcasecmp(pr->descr, name) != 0 &&
			    strcasecmp(pr->name, name) != 0)
				continue;
			if (pass == 1) {
				inv_port_canon(pr->name, have, sizeof(have));
				if (strcmp(have, want) != 0) {
					inv_port_canon(
					    pr->descr, have, sizeof(have));
					if (!pr->descr[0] ||
					    strcmp(have, want) != 0)
						continue;
				}
			}
			if (pass == 2 && !inv_port_prefix(pr->name, name) &&
			    !(pr->descr[0] && inv_port_prefix(pr->descr, name)))
				continue;
			if (found != pr)
				nfound++;
			found = pr;
		}
		/* a short form two ports share names neither */
		if (nfound == 1)
			return found;
		found = NULL;
		nfound = 0;
	}
	return NULL;
}
