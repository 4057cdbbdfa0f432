/*
 * test_inventory.c - the device inventory: devices by name, address (IPv4,
 * IPv6, normalised, a sockaddr), host name and sysName; ports by ifIndex,
 * name, alias and the names syslog messages give them; and what a reload
 * keeps and forgets.
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "inventory.h"
#include "tap.h"

/* A configuration of devices "NAME=ADDRESS" (only what the inventory
 * reads). */
static struct config *
mkconf(const char *const *devs)
{
	struct config *c = calloc(1, sizeof(*c));

	TAILQ_INIT(&c->devices);
	for (; *devs; devs++) {
		struct device_conf *d = calloc(1, sizeof(*d));
		const char *eq = strchr(*devs, '=');

		snprintf(
		    d->name, sizeof(d->name), "%.*s", (int)(eq - *devs), *devs);
		snprintf(d->address, sizeof(d->address), "%s", eq + 1);
		d->snmp.version = NP_SNMP_V2C;
		snprintf(d->snmp.community, sizeof(d->snmp.community), "c-%s",
		    d->name);
		TAILQ_INSERT_TAIL(&c->devices, d, entry);
	}
	return c;
}

static void
freeconf(struct config *c)
{
	struct device_conf *d;

	while ((d = TAILQ_FIRST(&c->devices)) != NULL) {
		TAILQ_REMOVE(&c->devices, d, entry);
		free(d);
	}
	free(c);
}

static const char *
dname(const struct inv_device *d)
{
	return d ? d->name : NULL;
}

static const char *
pname(const struct inv_port *p)
{
	return p ? p->name : NULL;
}

static void
test_norm(void)
{
	static const struct {
		const char *in, *out; /* NULL: not an address */
	} t[] = {
	    {"192.0.2.1", "192.0.2.1"},
	    {"127.0.0.1", "127.0.0.1"},
	    {"2001:DB8::1", "2001:db8::1"},
	    {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
	    {"::1", "::1"},
	    {"::ffff:192.0.2.7", "192.0.2.7"},
	    {"fe80::0:1", "fe80::1"},
	    {"core1.example.net", NULL},
	    {"", NULL},
	    {"192.0.2", NULL},
	    {"192.0.2.256", NULL},
	    {"2001:db8::1::2", NULL},
	};
	char buf[INV_ADDR_MAX];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int rc = inv_addr_norm(t[i].in, buf, sizeof(buf));

		if (t[i].out == NULL)
			TAP_OK(
			    rc == -1, "norm \"%s\": not an address", t[i].in);
		else
			TAP_STREQ(rc == 0 ? buf : NULL, t[i].out, "norm \"%s\"",
			    t[i].in);
	}
}

static void
test_sockaddr_text(void)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	struct sockaddr sx;
	char buf[INV_ADDR_MAX];

	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	inet_pton(AF_INET, "198.51.100.9", &s4.sin_addr);
	inv_addr_text((struct sockaddr *)&s4, buf, sizeof(buf));
	TAP_STREQ(buf, "198.51.100.9", "sockaddr text: IPv4");
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:0:0::5", &s6.sin6_addr);
	inv_addr_text((struct sockaddr *)&s6, buf, sizeof(buf));
	TAP_STREQ(buf, "2001:db8::5", "sockaddr text: IPv6");
	inet_pton(AF_INET6, "::ffff:203.0.113.4", &s6.sin6_addr);
	inv_addr_text((struct sockaddr *)&s6, buf, sizeof(buf));
	TAP_STREQ(buf, "203.0.113.4", "sockaddr text: IPv4-mapped as IPv4");
	memset(&sx, 0, sizeof(sx));
	sx.sa_family = AF_UNIX;
	inv_addr_text(&sx, buf, sizeof(buf));
	TAP_STREQ(buf, "?", "sockaddr text: another family");
	inv_addr_text(NULL, buf, sizeof(buf));
	TAP_STREQ(buf, "?", "sockaddr text: none");
}

static void
test_devices(void)
{
	static const char *const devs[] = {"core1=192.0.2.1",
	    "Dist1=2001:db8::10", "srv1=srv1.example.net",
	    "dup=192.0.2.1", /* the same address: core1 keeps it */
	    "edge=EDGE-GW", /* a host-name address */
	    "edge-gw=192.0.2.9", /* a name another's address took */
	    "mapped=::ffff:192.0.2.77", NULL};
	static const struct {
		const char *addr, *want;
	} byaddr[] = {
	    {"192.0.2.1", "core1"},
	    {"2001:db8::10", "Dist1"},
	    {"2001:DB8:0::10", "Dist1"},
	    {"2001:0db8:0000:0000:0000:0000:0000:0010", "Dist1"},
	    {"::ffff:192.0.2.1", "core1"},
	    {"192.0.2.77", "mapped"},
	    {"192.0.2.9", "edge-gw"},
	    {"192.0.2.2", NULL},
	    {"srv1.example.net", NULL}, /* a host name is no address */
	    {"", NULL},
	    {"other", NULL},
	};
	static const struct {
		const char *host, *want;
	} byhost[] = {
	    {"core1", "core1"},
	    {"CORE1", "core1"},
	    {"core1.example.net", "core1"}, /* its first label */
	    {"Core1.Example.Net", "core1"},
	    {"dist1", "Dist1"},
	    {"srv1.example.net", "srv1"}, /* its configured host address */
	    {"SRV1.EXAMPLE.NET", "srv1"},
	    {"srv1", "srv1"},
	    {"edge-gw", "edge"}, /* the first configured took the key */
	    {"edge", "edge"},
	    {"192.0.2.1", NULL}, /* numeric: an address, not a host */
	    {"nope", NULL},
	    {"nope.example.net", NULL},
	    {"", NULL},
	    {".core1", NULL},
	};
	struct config *c = mkconf(devs);
	struct inventory *inv = inv_new();
	const struct inv_device *d;
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	unsigned g0 = inv_generation(inv);

	TAP_OK(g0 != 0, "generation is never 0");
	TAP_OK(inv_device_by_name(inv, "core1") == NULL,
	    "an empty inventory finds nothing");
	TAP_OK(inv_configure(inv, c) == 0, "configure");
	TAP_OK(inv_generation(inv) != g0, "configure changes the generation");
	TAP_OK(inv_count(inv) == 7, "seven devices");
	TAP_STREQ(dname(inv_device_at(inv, 0)), "core1", "in order: first");
	TAP_STREQ(dname(inv_device_at(inv, 6)), "mapped", "in order: last");
	TAP_OK(inv_device_at(inv, 7) == NULL, "past the end");
	TAP_STREQ(dname(inv_device_by_name(inv, "Dist1")), "Dist1", "by name");
	TAP_OK(inv_device_by_name(inv, "dist1") == NULL,
	    "by name is exact (case)");
	TAP_OK(inv_device_by_name(inv, NULL) == NULL, "by name: NULL");
	d = inv_device_by_name(inv, "core1");
	TAP_STREQ(d ? d->addr : NULL, "192.0.2.1", "normalised address kept");
	TAP_STREQ(d ? d->cred.community : NULL, "c-core1", "credentials kept");
	d = inv_device_by_name(inv, "srv1");
	TAP_STREQ(d ? d->addr : NULL, "", "a host name has no address");
	TAP_STREQ(d ? d->address : NULL, "srv1.example.net",
	    "the configured address is kept");
	for (size_t i = 0; i < sizeof(byaddr) / sizeof(byaddr[0]); i++)
		TAP_STREQ(dname(inv_device_by_addr(inv, byaddr[i].addr)),
		    byaddr[i].want, "by address \"%s\"", byaddr[i].addr);
	for (size_t i = 0; i < sizeof(byhost) / sizeof(byhost[0]); i++)
		TAP_STREQ(dname(inv_device_by_host(inv, byhost[i].host)),
		    byhost[i].want, "by host \"%s\"", byhost[i].host);
	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &s4.sin_addr);
	TAP_STREQ(dname(inv_device_by_sockaddr(inv, (struct sockaddr *)&s4)),
	    "core1", "by sockaddr: IPv4");
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::10", &s6.sin6_addr);
	TAP_STREQ(dname(inv_device_by_sockaddr(inv, (struct sockaddr *)&s6)),
	    "Dist1", "by sockaddr: IPv6");
	inet_pton(AF_INET6, "::ffff:192.0.2.9", &s6.sin6_addr);
	TAP_STREQ(dname(inv_device_by_sockaddr(inv, (struct sockaddr *)&s6)),
	    "edge-gw", "by sockaddr: IPv4 on a dual-stack socket");
	inv_free(inv);
	freeconf(c);
}

static void
test_sysname(void)
{
	static const char *const devs[] = {
	    "a=192.0.2.1", "b=192.0.2.2", "c=192.0.2.3", NULL};
	struct config *c = mkconf(devs);
	struct inventory *inv = inv_new();

	inv_configure(inv, c);
	TAP_OK(inv_device_by_sysname(inv, "a") == NULL,
	    "sysName unknown before a poll");
	TAP_OK(inv_set_sysname(inv, "a", "core-a.example.net") == 0,
	    "set sysName");
	TAP_OK(inv_set_sysname(inv, "zz", "x") == -1,
	    "set sysName of an unknown device");
	inv_set_sysname(inv, "b", "Router");
	inv_set_sysname(inv, "c", "router");
	TAP_STREQ(dname(inv_device_by_sysname(inv, "core-a.example.net")), "a",
	    "by sysName");
	TAP_STREQ(dname(inv_device_by_sysname(inv, "CORE-A.Example.NET")), "a",
	    "by sysName, case-insensitive");
	TAP_OK(inv_device_by_sysname(inv, "ROUTER") == NULL,
	    "a sysName two devices share finds neither");
	TAP_OK(inv_device_by_sysname(inv, "") == NULL, "empty sysName");
	TAP_OK(inv_device_by_sysname(inv, NULL) == NULL, "NULL sysName");
	inv_set_sysname(inv, "c", "edge");
	TAP_STREQ(dname(inv_device_by_sysname(inv, "router")), "b",
	    "a sysName that changed: the other is unique again");
	TAP_STREQ(
	    dname(inv_device_by_sysname(inv, "EDGE")), "c", "the new sysName");
	TAP_STREQ(inv_device_by_name(inv, "c")->sysname, "edge",
	    "sysName on the device");
	inv_free(inv);
	freeconf(c);
}

/* A Cisco-like switch's ports, as a poll puts them. */
static void
put_switch(struct inventory *inv, const char *dev)
{
	static const struct {
		const char *name;
		uint32_t ifindex;
		const char *descr, *alias;
	} ports[] = {
	    {"Gi1/0/1", 10101, "GigabitEthernet1/0/1", "uplink core1"},
	    {"Gi1/0/2", 10102, "GigabitEthernet1/0/2", "server rack 4"},
	    {"Gi1/0/3", 10103, "GigabitEthernet1/0/3", ""},
	    {"Te1/1/1", 10201, "TenGigabitEthernet1/1/1", "Uplink dist2"},
	    {"Po1", 5001, "Port-channel1", ""},
	    {"Vl100", 100, "Vlan100", "users"},
	    {"Lo0", 200, "Loopback0", ""},
	    {"Eth1/1", 436207616, "Ethernet1/1", ""},
	    {"Eth1/10", 436208128, "Ethernet1/10", ""},
	    {"Hu1/0/49", 10149, "HundredGigE1/0/49", ""},
	    {"Mgmt0", 83886080, "mgmt0", "oob"},
	    {"xe-0/0/0", 502, "xe-0/0/0", "to isp"},
	    {"ethernet1/1/36", 36, "ethernet1/1/36", ""},
	    {"Ethernet28", 28, "Ethernet28", ""},
	    {"Ethernet0/0/8", 8, "Ethernet0/0/8", "dup alias"},
	    {"Ethernet0/0/9", 9, "Ethernet0/0/9", "DUP ALIAS"},
	};

	inv_ports_begin(inv, dev);
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		inv_port_put(inv, dev, ports[i].name, ports[i].ifindex,
		    ports[i].descr, ports[i].alias);
}

static void
test_ports(void)
{
	static const char *const devs[] = {
	    "sw1=192.0.2.1", "sw2=192.0.2.2", NULL};
	static const struct {
		uint32_t ifindex;
		const char *want;
	} byindex[] = {
	    {10101, "Gi1/0/1"},
	    {10201, "Te1/1/1"},
	    {5001, "Po1"},
	    {436207616, "Eth1/1"},
	    {502, "xe-0/0/0"},
	    {1, NULL},
	    {0, NULL},
	};
	static const struct {
		const char *name, *want;
	} find[] = {
	    /* its own name, and its ifDescr */
	    {"Gi1/0/3", "Gi1/0/3"},
	    {"GigabitEthernet1/0/3", "Gi1/0/3"},
	    {"gigabitethernet1/0/3", "Gi1/0/3"},
	    {"gi1/0/3", "Gi1/0/3"},
	    /* other spellings of the type word */
	    {"Gig1/0/3", "Gi1/0/3"},
	    {"GE1/0/3", NULL},
	    {"TenGigabitEthernet1/1/1", "Te1/1/1"},
	    {"TenGigE1/1/1", "Te1/1/1"},
	    {"Ten1/1/1", "Te1/1/1"},
	    {"HundredGigE1/0/49", "Hu1/0/49"},
	    {"HundredGigabitEthernet1/0/49", "Hu1/0/49"},
	    {"Port-channel1", "Po1"},
	    {"port-channel 1", "Po1"},
	    {"Vlan100", "Vl100"},
	    {"Loopback0", "Lo0"},
	    /* NX-OS: "Ethernet1/1" is Eth1/1, never Eth1/10 */
	    {"Ethernet1/1", "Eth1/1"},
	    {"Ethernet1/10", "Eth1/10"},
	    {"Eth1/1", "Eth1/1"},
	    {"mgmt0", "Mgmt0"},
	    /* Junos, Brocade, SONiC, Huawei as they name them */
	    {"xe-0/0/0", "xe-0/0/0"},
	    {"ethernet 1/1/36", "ethernet1/1/36"},
	    {"Ethernet28", "Ethernet28"},
	    {"Ethernet0/0/8", "Ethernet0/0/8"},
	    /* nothing like it */
	    {"Gi9/9/9", NULL},
	    {"Ethernet1", NULL},
	    {"", NULL},
	};
	static const struct {
		const char *alias, *want;
	} byalias[] = {
	    {"uplink core1", "Gi1/0/1"},
	    {"UPLINK CORE1", "Gi1/0/1"},
	    {"uplink dist2", "Te1/1/1"},
	    {"oob", "Mgmt0"},
	    {"dup alias", NULL}, /* two ports say it */
	    {"uplink", NULL},
	    {"", NULL},
	};
	struct config *c = mkconf(devs);
	struct inventory *inv = inv_new();
	const struct inv_port *p;

	inv_configure(inv, c);
	put_switch(inv, "sw1");
	TAP_OK(inv_port_put(inv, "nosuch", "Gi1/0/1", 1, "", "") == -1,
	    "a port of an unknown device is refused");
	TAP_OK(inv_port_put(inv, "sw1", "", 1, "", "") == -1,
	    "a port without a name is refused");
	for (size_t i = 0; i < sizeof(byindex) / sizeof(byindex[0]); i++)
		TAP_STREQ(
		    pname(inv_port_by_index(inv, "sw1", byindex[i].ifindex)),
		    byindex[i].want, "sw1 ifIndex %u", byindex[i].ifindex);
	TAP_OK(inv_port_by_index(inv, "sw2", 10101) == NULL,
	    "another device's ports are its own");
	TAP_OK(inv_port_by_index(inv, "nosuch", 10101) == NULL,
	    "ports of an unknown device");
	for (size_t i = 0; i < sizeof(find) / sizeof(find[0]); i++)
		TAP_STREQ(pname(inv_port_find(inv, "sw1", find[i].name)),
		    find[i].want, "find \"%s\"", find[i].name);
	TAP_OK(inv_port_find(inv, "sw2", "Gi1/0/3") == NULL,
	    "find on a device without ports");
	for (size_t i = 0; i < sizeof(byalias) / sizeof(byalias[0]); i++)
		TAP_STREQ(
		    pname(inv_port_by_alias(inv, "sw1", byalias[i].alias)),
		    byalias[i].want, "alias \"%s\"", byalias[i].alias);
	TAP_STREQ(pname(inv_port_by_name(inv, "sw1", "Po1")), "Po1", "by name");
	TAP_OK(inv_port_by_name(inv, "sw1", "po1") == NULL, "by name is exact");
	p = inv_port_by_name(inv, "sw1", "Gi1/0/2");
	TAP_STREQ(p ? p->descr : NULL, "GigabitEthernet1/0/2", "its ifDescr");
	TAP_STREQ(p ? p->alias : NULL, "server rack 4", "its ifAlias");
	TAP_OK(p && p->ifindex == 10102, "its ifIndex");

	/* two ports whose short forms collide: neither is guessed */
	inv_port_put(inv, "sw2", "Fa0/1", 1, "FastEthernet0/1", "");
	inv_port_put(inv, "sw2", "Fo0/1", 2, "FortyGigE0/1", "");
	TAP_STREQ(pname(inv_port_find(inv, "sw2", "FastEthernet0/1")), "Fa0/1",
	    "FastEthernet by its ifDescr");
	TAP_STREQ(pname(inv_port_find(inv, "sw2", "FortyGigabitEthernet0/1")),
	    "Fo0/1", "FortyGigabitEthernet by its canonical form");
	TAP_OK(inv_port_find(inv, "sw2", "F0/1") == NULL,
	    "a prefix two ports share finds neither");

	/* the next poll: renumbered, and one port gone from the table */
	inv_ports_begin(inv, "sw1");
	TAP_OK(inv_port_by_index(inv, "sw1", 10101) == NULL,
	    "a new poll forgets the ifIndexes");
	TAP_STREQ(pname(inv_port_find(inv, "sw1", "Gi1/0/1")), "Gi1/0/1",
	    "but not the names");
	inv_port_put(inv, "sw1", "Gi1/0/1", 20101, "GigabitEthernet1/0/1",
	    "uplink core1 (new)");
	TAP_STREQ(pname(inv_port_by_index(inv, "sw1", 20101)), "Gi1/0/1",
	    "renumbered");
	TAP_STREQ(inv_port_by_name(inv, "sw1", "Gi1/0/1")->alias,
	    "uplink core1 (new)", "a new alias");
	TAP_OK(inv_port_by_alias(inv, "sw1", "uplink core1") == NULL,
	    "the old alias is gone");

	/* from the store: known by name, not by ifIndex */
	inv_port_put(inv, "sw2", "Gi0/5", 0, "GigabitEthernet0/5", "stored");
	TAP_OK(inv_port_by_index(inv, "sw2", 0) == NULL,
	    "a stored port is not found by ifIndex 0");
	TAP_STREQ(pname(inv_port_find(inv, "sw2", "GigabitEthernet0/5")),
	    "Gi0/5", "a stored port is found by its ifDescr");
	TAP_STREQ(pname(inv_port_by_alias(inv, "sw2", "stored")), "Gi0/5",
	    "and by its alias");
	inv_free(inv);
	freeconf(c);
}

static void
test_reload(void)
{
	static const char *const devs1[] = {
	    "a=192.0.2.1", "b=192.0.2.2", "c=c.example.net", NULL};
	static const char *const devs2[] = {
	    "b=192.0.2.20", "a=192.0.2.1", "d=192.0.2.2", "d=192.0.2.99", NULL};
	struct config *c1 = mkconf(devs1), *c2 = mkconf(devs2);
	struct inventory *inv = inv_new();
	unsigned g;

	inv_configure(inv, c1);
	inv_set_sysname(inv, "a", "A-sys");
	put_switch(inv, "a");
	put_switch(inv, "b");
	g = inv_generation(inv);
	TAP_OK(inv_configure(inv, c2) == 0, "reload");
	TAP_OK(inv_generation(inv) != g, "a reload changes the generation");
	TAP_OK(inv_count(inv) == 3, "three devices (a name twice: once)");
	TAP_STREQ(dname(inv_device_at(inv, 0)), "b", "the new order");
	TAP_STREQ(dname(inv_device_by_addr(inv, "192.0.2.2")), "d",
	    "an address that moved to another device");
	TAP_STREQ(dname(inv_device_by_addr(inv, "192.0.2.20")), "b",
	    "a device's new address");
	TAP_OK(inv_device_by_addr(inv, "192.0.2.99") == NULL,
	    "the second of a duplicate name is left out");
	TAP_OK(inv_device_by_name(inv, "c") == NULL, "a removed device");
	TAP_OK(inv_device_by_host(inv, "c.example.net") == NULL,
	    "a removed device's host name");
	TAP_STREQ(dname(inv_device_by_sysname(inv, "a-sys")), "a",
	    "a device that stays keeps its sysName");
	TAP_STREQ(pname(inv_port_by_index(inv, "a", 10101)), "Gi1/0/1",
	    "and its ports");
	TAP_STREQ(pname(inv_port_find(inv, "b", "TenGigE1/1/1")), "Te1/1/1",
	    "a device with a new address keeps its ports");
	TAP_OK(inv_port_find(inv, "d", "Gi1/0/1") == NULL,
	    "a new device has none");
	inv_configure(inv, c1);
	TAP_STREQ(dname(inv_device_by_host(inv, "C")), "c", "back again");
	TAP_OK(inv_port_find(inv, "d", "Gi1/0/1") == NULL &&
	        inv_device_by_name(inv, "d") == NULL,
	    "and d is gone");
	inv_free(inv);
	inv_free(NULL);
	freeconf(c1);
	freeconf(c2);
}

int
main(void)
{
	test_norm();
	test_sockaddr_text();
	test_devices();
	test_sysname();
	test_ports();
	test_reload();
	return tap_done();
}
