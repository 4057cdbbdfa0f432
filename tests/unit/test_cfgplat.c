/*
 * test_cfgplat.c - platform names and detection from configuration text.
 */
#include <string.h>

#include "config/cfgplat.h"
#include "tap.h"

static const struct {
	const char *text;
	enum cfg_platform want;
} detect[] = {
	{"!\nversion 15.2\nhostname r1\ninterface Gi0/1\n shutdown\n", CFG_PLAT_IOS},
	{"! Cisco IOS XE Software, Version 16.08.01b\nversion 16.8\n", CFG_PLAT_IOSXE},
	{": Saved\n: Written by x\n!\nASA Version 9.0(3)\n", CFG_PLAT_ASA},
	{"!Command: show running-config\n!Time: Mon\nversion 7.0(3)I7(8)\n", CFG_PLAT_NXOS},
	{"!RANCID-CONTENT-TYPE: arista\n!\ndaemon TerminAttr\n", CFG_PLAT_EOS},
	{"## Last commit: 2015-06-28 by u\nsystem {\n    host-name a;\n}\n", CFG_PLAT_JUNOS},
	{"system {\n    host-name a;\n    services {\n        ssh;\n    }\n}\n", CFG_PLAT_JUNOS},
	{"set system host-name a\nset system services ssh\n", CFG_PLAT_JUNOS},
	{"", CFG_PLAT_IOS},
};

int
main(void)
{
	size_t i;
	int p;

	for (p = 0; p < CFG_PLAT_N; p++)
		TAP_OK(cfg_platform_parse(cfg_platform_name(p)) == p,
		    "name %s round-trips", cfg_platform_name(p));
	TAP_OK(cfg_platform_parse("ios-xr") == -1, "an unknown name is -1");
	TAP_STREQ(cfg_platform_name(CFG_PLAT_N), "unknown", "out of range");
	for (i = 0; i < sizeof(detect) / sizeof(detect[0]); i++)
		TAP_OK(cfg_platform_detect(detect[i].text,
		    strlen(detect[i].text)) == detect[i].want,
		    "detect case %zu is %s", i, cfg_platform_name(detect[i].want));
	TAP_OK(cfg_platform_braces(CFG_PLAT_JUNOS) && !cfg_platform_braces(CFG_PLAT_EOS),
	    "junos is braces, eos indentation");
	return tap_done();
}
