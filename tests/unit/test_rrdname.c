/*
 * test_rrdname.c - RRD file naming: readable, distinct, bounded; and the
 * RRAs each step gets.
 */
#include <string.h>

#include "rrdw.h"
#include "tap.h"

static const struct {
	const char *in, *want;
} names[] = {
    {"GigabitEthernet1/0/1", "GigabitEthernet1_0_1"},
    {"Gi1_0_1", "Gi1%5F0%5F1"}, /* not the same file as Gi1/0/1 */
    {"eth0", "eth0"},
    {"Ethernet1/1.100", "Ethernet1_1.100"},
    {"ge-0/0/0.0", "ge-0_0_0.0"},
    {"Port-channel 10", "Port-channel%2010"},
    {"..", "%2E."}, /* never a parent directory */
    {".hidden", "%2Ehidden"},
    {"a:b", "a%3Ab"}, /* ':' would break rrdtool DEF */
    {"x%y", "x%25y"},
    {"vlan#12", "vlan%2312"},
    {"\xc3\xa9t\xc3\xa9", "%C3%A9t%C3%A9"},
};

int
main(void)
{
	char buf[512];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int rc = rrdw_escape(names[i].in, buf, sizeof(buf));

		TAP_OK(rc == 0, "escape \"%s\" fits", names[i].in);
		TAP_STREQ(buf, names[i].want, "escape \"%s\"", names[i].in);
	}
	TAP_OK(rrdw_escape("", buf, sizeof(buf)) == -1,
	    "an empty name is refused");
	TAP_OK(rrdw_escape("abcdef", buf, 4) == -1,
	    "a name that does not fit is refused");
	TAP_OK(rrdw_escape("a/b", buf, 4) == 0 && strcmp(buf, "a_b") == 0,
	    "a name that just fits");

	TAP_OK(rrdw_port_path(buf, sizeof(buf), "/var/lib/netpatrol/rrd",
	           "core1", "Gi1/0/1") == 0,
	    "port path");
	TAP_STREQ(buf, "/var/lib/netpatrol/rrd/core1/port-Gi1_0_1.rrd",
	    "port path text");
	TAP_OK(rrdw_port_path(buf, sizeof(buf), "/r", "../etc", "x") == 0 &&
	        strstr(buf, "/../") == NULL,
	    "a device named ../etc stays inside");

	/* a 400-byte port name (a lying agent's ifDescr): the file name
	 * stays under NAME_MAX with room for librrd's temporary suffix, and
	 * two such names that differ only at the end are two files */
	{
		char longname[401], a[512], b[512];
		const char *fa, *fb;

		memset(longname, 'x', 400);
		longname[400] = '\0';
		TAP_OK(rrdw_port_path(a, sizeof(a), "/r", "d", longname) == 0,
		    "a 400-byte port name has a path");
		longname[399] = 'y';
		TAP_OK(rrdw_port_path(b, sizeof(b), "/r", "d", longname) == 0,
		    "and another");
		fa = strrchr(a, '/') + 1;
		fb = strrchr(b, '/') + 1;
		TAP_OK(strlen(fa) <= 255 - 16, "its file name is %zu bytes",
		    strlen(fa));
		TAP_OK(strcmp(fa, fb) != 0, "two long names, two files");
		TAP_OK(strchr(fa, '~') != NULL &&
		        strcmp(fa + strlen(fa) - 4, ".rrd") == 0,
		    "cut, marked with ~ and a hash, .rrd kept");
		/* a cut that would fall within an escape (a port name is
		 * at most NP_STR_MAX - 1 bytes) */
		memset(longname, '%', 255);
		longname[255] = '\0';
		TAP_OK(rrdw_port_path(a, sizeof(a), "/r", "d", longname) == 0 &&
		        strlen(strrchr(a, '/') + 1) <= 255 - 16,
		    "255 escaped bytes: bounded too");
		fa = strrchr(a, '/') + 1;
		TAP_OK(strstr(fa, "%2~") == NULL && strstr(fa, "%~") == NULL,
		    "not cut within an escape (%s)", fa + 190);
		TAP_OK(rrdw_port_path(a, sizeof(a), "/r", "d", "Gi1/0/1") == 0 &&
		        strcmp(a, "/r/d/port-Gi1_0_1.rrd") == 0,
		    "short names are not touched");
	}

	/* RRAs: 2 days at the step, 2 weeks at 5 min, 2 months at 1 h, 2 years at 1 d */
	{
		char args[40][64];
		int n = rrdw_create_args(
		    &sample_port_schema, 60, 2 * 86400, args, 40);

		TAP_OK(n == SAMPLE_PORT_N + 8, "60 s step: %d arguments", n);
		TAP_STREQ(args[0], "DS:in_octets:GAUGE:180:0:U", "first DS");
		TAP_STREQ(args[SAMPLE_PORT_N], "RRA:AVERAGE:0.5:1:2880",
		    "2 days at 60 s");
		TAP_STREQ(args[SAMPLE_PORT_N + 1], "RRA:AVERAGE:0.5:5:4032",
		    "2 weeks at 5 min");
		TAP_STREQ(args[SAMPLE_PORT_N + 2], "RRA:AVERAGE:0.5:60:1488",
		    "2 months at 1 h");
		TAP_STREQ(args[SAMPLE_PORT_N + 3], "RRA:AVERAGE:0.5:1440:732",
		    "2 years at 1 d");
		TAP_STREQ(
		    args[SAMPLE_PORT_N + 4], "RRA:MAX:0.5:1:2880", "MAX too");
		n = rrdw_create_args(&sample_port_schema, 1, 3600, args, 40);
		TAP_STREQ(args[0], "DS:in_octets:GAUGE:10:0:U",
		    "1 s step: heartbeat 10 s");
		TAP_STREQ(args[SAMPLE_PORT_N], "RRA:AVERAGE:0.5:1:3600",
		    "keep-step 1 h at 1 s");
		TAP_STREQ(args[SAMPLE_PORT_N + 1], "RRA:AVERAGE:0.5:300:4032",
		    "5 min rows from 1 s");
		n = rrdw_create_args(
		    &sample_port_schema, 600, 2 * 86400, args, 40);
		TAP_STREQ(args[SAMPLE_PORT_N + 1], "RRA:AVERAGE:0.5:1:2016",
		    "a step over 5 min: one step per row, still 2 weeks");
	}
	/* rrdcached over TCP: names relative to its base directory */
	TAP_OK(rrdw_cached_remote("127.0.0.1:42217"), "host:port is remote");
	TAP_OK(rrdw_cached_remote("[::1]:42217"), "[v6]:port is remote");
	TAP_OK(rrdw_cached_remote("rrd.example.com"), "a host name is remote");
	TAP_OK(!rrdw_cached_remote("unix:/run/r.sock"), "unix: is local");
	TAP_OK(!rrdw_cached_remote("/run/r.sock"), "a path is local");
	TAP_OK(!rrdw_cached_remote("") && !rrdw_cached_remote(NULL),
	    "none: librrd");
	TAP_STREQ(rrdw_cached_name("127.0.0.1:1", "/var/lib/np/rrd",
	              "/var/lib/np/rrd/sw1/port-Gi1_0_1.rrd"),
	    "sw1/port-Gi1_0_1.rrd", "remote: relative to the files' folder");
	TAP_STREQ(rrdw_cached_name("unix:/run/r.sock", "/var/lib/np/rrd",
	              "/var/lib/np/rrd/sw1/port-a.rrd"),
	    "/var/lib/np/rrd/sw1/port-a.rrd", "local socket: the path");
	TAP_STREQ(rrdw_cached_name("127.0.0.1:1", "/var/lib/np/rrd",
	              "/var/lib/np/rrdx/a.rrd"),
	    "/var/lib/np/rrdx/a.rrd", "not under the folder: as it is");
	return tap_done();
}
