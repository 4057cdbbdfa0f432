/*
 * cfgplat.c - platform names and detection from a configuration's text.
 */
#include <string.h>

#include "cfgplat.h"

static const char *const plat_names[CFG_PLAT_N] = {
	"auto", "ios", "iosxe", "nxos", "asa", "eos", "junos"
};

const char *
cfg_platform_name(enum cfg_platform p)
{
	if ((unsigned)p >= CFG_PLAT_N)
		return "unknown";
	return plat_names[p];
}

int
cfg_platform_parse(const char *name)
{
	int i;

	for (i = 0; i < CFG_PLAT_N; i++)
		if (strcmp(name, plat_names[i]) == 0)
			return i;
	return -1;
}

int
cfg_platform_braces(enum cfg_platform p)
{
	return p == CFG_PLAT_JUNOS;
}

/* does the line [l, l+n) start with PREFIX? */
static int
starts(const char *l, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(l, prefix, k) == 0;
}

enum cfg_platform
cfg_platform_detect(const char *text, size_t len)
{
	const char *p = text, *end, *nl;
	size_t n;
	unsigned braces = 0, sets = 0, lines = 0;
	int xe = 0;

	if (len > 65536)
		len = 65536;
	end = text + len;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		lines++;
		if (starts(p, n, "ASA Version ") || starts(p, n, ": Saved") ||
		    starts(p, n, "PIX Version "))
			return CFG_PLAT_ASA;
		if (starts(p, n, "!Command: show running-config") ||
		    starts(p, n, "!Running configuration last done") ||
		    starts(p, n, "!Time:"))
			return CFG_PLAT_NXOS;
		if (starts(p, n, "!RANCID-CONTENT-TYPE: arista") ||
		    starts(p, n, "! device: ") ||
		    starts(p, n, "daemon TerminAttr"))
			return CFG_PLAT_EOS;
		if (starts(p, n, "## Last commit:") ||
		    starts(p, n, "# JUNOS Software Release") ||
		    starts(p, n, "# Junos:"))
			return CFG_PLAT_JUNOS;
		if (starts(p, n, "version 16.") || starts(p, n, "version 17.") ||
		    starts(p, n, "! Cisco IOS XE Software"))
			xe = 1;
		if (starts(p, n, "set "))
			sets++;
		if (n > 0 && (p[n - 1] == '{' || (n >= 2 && p[n - 1] == ';' &&
		    p[0] == ' ')))
			braces++;
	}
	if (lines > 0 && (braces * 4 > lines || sets * 2 > lines))
		return CFG_PLAT_JUNOS;
	return xe ? CFG_PLAT_IOSXE : CFG_PLAT_IOS;
}
