/*
 * iftype.c - IANAifType-MIB names (the ones network devices commonly
 * report; others print as numbers).
 */
#include "config.h"

#include <stddef.h>

#include "iftype.h"

static const struct {
	int type;
	const char *name;
} iftypes[] = {
    {1, "other"},
    {6, "ethernetCsmacd"},
    {15, "fddi"},
    {18, "ds1"},
    {20, "basicISDN"},
    {22, "propPointToPointSerial"},
    {23, "ppp"},
    {24, "softwareLoopback"},
    {28, "slip"},
    {30, "ds3"},
    {32, "frameRelay"},
    {33, "rs232"},
    {37, "atm"},
    {39, "sonet"},
    {44, "frameRelayService"},
    {49, "aal5"},
    {53, "propVirtual"},
    {56, "fibreChannel"},
    {62, "fastEther"},
    {63, "isdn"},
    {69, "fastEtherFX"},
    {71, "ieee80211"},
    {77, "lapd"},
    {81, "ds0"},
    {94, "adsl"},
    {97, "vdsl"},
    {108, "pppMultilinkBundle"},
    {117, "gigabitEthernet"},
    {131, "tunnel"},
    {134, "atmSubInterface"},
    {135, "l2vlan"},
    {136, "l3ipvlan"},
    {142, "ipForward"},
    {144, "ieee1394"},
    {150, "mplsTunnel"},
    {161, "ieee8023adLag"},
    {166, "mpls"},
    {171, "pos"},
    {188, "radioMAC"},
    {209, "bridge"},
    {237, "ieee80216WMAN"},
    {243, "wwanPP"},
    {244, "wwanPP2"},
    {251, "vdsl2"},
    {258, "vmwareVirtualNic"},
    {300, "xboxWireless"},
};

const char *
iftype_name(int type)
{
	for (size_t i = 0; i < sizeof(iftypes) / sizeof(iftypes[0]); i++)
		if (iftypes[i].type == type)
			return iftypes[i].name;
	return NULL;
}
