/*
 * cfgplat.h - the device platforms whose configurations netpatrol archives,
 * normalises and compares (config platform ios|iosxe|nxos|asa|eos|junos|auto).
 */
#ifndef NP_CFGPLAT_H
#define NP_CFGPLAT_H

#include <stddef.h>

enum cfg_platform {
	CFG_PLAT_AUTO = 0,	/* detect from the text */
	CFG_PLAT_IOS,
	CFG_PLAT_IOSXE,
	CFG_PLAT_NXOS,
	CFG_PLAT_ASA,
	CFG_PLAT_EOS,
	CFG_PLAT_JUNOS,
	CFG_PLAT_N
};

/* "ios", "iosxe", ...; "auto" for CFG_PLAT_AUTO */
const char *cfg_platform_name(enum cfg_platform p);
/* the platform named NAME, or -1 */
int cfg_platform_parse(const char *name);
/*
 * The platform a configuration's text looks like: never CFG_PLAT_AUTO
 * (IOS when nothing else matches). Reads at most the first 64 KiB.
 */
enum cfg_platform cfg_platform_detect(const char *text, size_t len);
/* 1 when the platform's configuration is a brace (or set) tree (Junos),
 * 0 when it is indentation blocks (the Cisco family, EOS) */
int cfg_platform_braces(enum cfg_platform p);

#endif
