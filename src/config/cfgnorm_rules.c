/*
 * cfgnorm_rules.c - the shipped normalisation rules, as data: what
 * Oxidized and RANCID strip, keep as metadata or mask, per platform
 * (research/config-drift.md 1.1 and 1.3, with their sources), written as
 * POSIX extended regular expressions. Order matters: within a line the
 * first drop, ignore or meta rule decides its class (so the rule that
 * keeps "... by USER" as metadata comes before the one that drops the
 * line without a user); rewrites and secrets all apply.
 */
#include "cfgnorm_int.h"

#define IOSF (PB(CFG_PLAT_IOS) | PB(CFG_PLAT_IOSXE))
#define CISCO (IOSF | PB(CFG_PLAT_NXOS))
#define CLI (CISCO | PB(CFG_PLAT_EOS) | PB(CFG_PLAT_ASA))
#define JUNOS PB(CFG_PLAT_JUNOS)
#define EOS PB(CFG_PLAT_EOS)
#define ASA PB(CFG_PLAT_ASA)
#define NXOS PB(CFG_PLAT_NXOS)
#define ALL 0

const struct cfg_rule_def cfg_shipped_rules[] = {
    /* --- Cisco IOS, IOS-XE (oxidized ios.rb, RANCID ios.pm.in) --- */
    {IOSF, CFG_RULE_DROP, "^Building configuration", NULL, 0, 0, 0},
    {CLI, CFG_RULE_DROP, "^Current configuration ?: ", NULL, 0, 0, 0},
    {CLI, CFG_RULE_DROP, "^ntp clock-period ", NULL, 0, 0, 0},
    {IOSF | EOS, CFG_RULE_META,
        "^! Last configuration change at (.*) by ([^ ]+)$", NULL, 0, 2, 1},
    {IOSF | EOS, CFG_RULE_DROP, "^! (Last|No) configuration change (at|since)",
        NULL, 0, 0, 0},
    {IOSF, CFG_RULE_IGNORE, "^! NVRAM config last updated", NULL, 0, 0, 0},
    {IOSF, CFG_RULE_DROP, "^! no configuration change since last restart",
        NULL, 0, 0, 0},
    {CLI, CFG_RULE_DROP, "^% Invalid input detected at", NULL, 0, 0, 0},
    {CLI, CFG_RULE_DROP, "^ +\\^$", NULL, 0, 0, 0},
    {CLI, CFG_RULE_DROP, "^(Load for five|Time source is)", NULL, 0, 0, 0},
    {CLI, CFG_RULE_DROP, "^[A-Za-z0-9_.()/:-]+#", NULL, 0, 0, 0},
    {IOSF, CFG_RULE_DROP, "^tftp-server flash", NULL, 0, 0, 0},
    {IOSF, CFG_RULE_DROP, "^ (clockrate|rxspeed|txspeed) ", NULL, 0, 0, 0},
    {IOSF, CFG_RULE_REWRITE, "^( +expression) [0-9]+$",
        "\\1 <value removed>", 0, 0, 0},
    {IOSF, CFG_RULE_REWRITE, "\\$(Revision|Id):", " \\1:", 0, 0, 0},
    /* --- NX-OS (oxidized nxos.rb, RANCID nxos.pm.in) --- */
    {NXOS, CFG_RULE_DROP, "^!Time:", NULL, 0, 0, 0},
    {NXOS, CFG_RULE_DROP, "^!Command: show running-config", NULL, 0, 0, 0},
    {NXOS, CFG_RULE_META, "^!Running configuration last done at: ?(.*)$",
        NULL, 0, 0, 1},
    /* --- Arista EOS (oxidized eos.rb, RANCID aeos.pm.in) --- */
    {EOS, CFG_RULE_DROP, "^! Time: ", NULL, 0, 0, 0},
    {ALL, CFG_RULE_DROP, "^!RANCID-", NULL, 0, 0, 0},
    {EOS, CFG_RULE_DROP, "unsaved changes exist", NULL, 0, 0, 0},
    {EOS, CFG_RULE_DROP, "^\\*+$", NULL, 0, 0, 0},
    /* --- ASA (oxidized asa.rb, RANCID ios.pm.in) --- */
    {ASA, CFG_RULE_DROP, "^: Saved$", NULL, 0, 0, 0},
    {ASA, CFG_RULE_META, "^: Written by ([^ ]+) at (.*)$", NULL, 0, 1, 2},
    {ASA, CFG_RULE_IGNORE, "^: (Serial Number|Hardware|written by)", NULL, 0,
        0, 0},
    {ASA, CFG_RULE_IGNORE, "^ *Cryptochecksum:", NULL, 0, 0, 0},
    /* --- Junos (oxidized junos.rb, RANCID junos.pm.in) --- */
    {JUNOS, CFG_RULE_META, "^## Last commit: (.*) by ([^ ]+)$", NULL, 0, 2,
        1},
    {JUNOS, CFG_RULE_IGNORE, "^## Last (commit|changed):", NULL, 0, 0, 0},
    {JUNOS, CFG_RULE_DROP,
        "^\\{(master|backup|linecard|primary|secondary)(:(node)?[0-9]+)?\\}$",
        NULL, 0, 0, 0},
    {JUNOS, CFG_RULE_DROP, "^system (shutdown message from|going down )",
        NULL, 0, 0, 0},
    /* what tools append as comments (show version, chassis inventory,
     * chassis cluster status with its failover count): runtime, not
     * configuration */
    {JUNOS, CFG_RULE_IGNORE, "^#", NULL, 0, 0, 0},
    {JUNOS, CFG_RULE_REWRITE,
        "(scale-subscriber|VMX-BANDWIDTH|fib-scale|rib-scale) [0-9]+",
        "\\1 <count>", 0, 0, 0},

    /* --- secrets (research 1.3): the groups in MASK are replaced --- */
    {CLI, CFG_RULE_SECRET, "^snmp-server community ([^ ]+)", NULL, G(1), 0, 0},
    {CLI, CFG_RULE_SECRET,
        "^snmp-server host [^ ]+ (vrf [^ ]+ )?(informs |traps )?"
        "(version (1|2c) )?([^ v][^ ]*|v[^er][^ ]*)",
        NULL, G(5), 0, 0},
    {ASA, CFG_RULE_SECRET, "^snmp-server host .* community ([^ ]+)", NULL,
        G(1), 0, 0},
    {CLI, CFG_RULE_SECRET, "^snmp-server mib community-map ([^ ]+)", NULL,
        G(1), 0, 0},
    {CLI, CFG_RULE_SECRET, "^snmp-server user .* auth (md5|sha[0-9]*) ([^ ]+)",
        NULL, G(2), 0, 0},
    {CLI, CFG_RULE_SECRET,
        "^snmp-server user .* priv (des|3des|aes( [0-9]+)?|aes[0-9]+) ([^ ]+)",
        NULL, G(3), 0, 0},
    {EOS, CFG_RULE_SECRET, " localized ([^ ]+)", NULL, G(1), 0, 0},
    /* NX-OS: "snmp-server user U G auth md5 0xAAAA priv 0xBBBB localizedkey" */
    {NXOS, CFG_RULE_SECRET, "^snmp-server user .* priv (aes-128 )?(0x[0-9a-fA-F]+)",
        NULL, G(2), 0, 0},
    {NXOS, CFG_RULE_SECRET, "^snmp-server user .* auth (md5|sha[0-9]*) (0x[0-9a-fA-F]+)",
        NULL, G(2), 0, 0},
    {CLI, CFG_RULE_SECRET,
        "^enable (password|secret)( level [0-9]+)?( [0-9]+| sha512)? ([^ ]+)",
        NULL, G(4), 0, 0},
    {CLI, CFG_RULE_SECRET,
        "^username [^ ]+ .*(password|secret)( [0-9]+| sha512| md5)? ([^ ]+)",
        NULL, G(3), 0, 0},
    {CLI, CFG_RULE_SECRET, "^ +(password|secret)( [0-9]+)? ([^ ]+)", NULL,
        G(3), 0, 0},
    {ASA, CFG_RULE_SECRET, "^passwd ([^ ]+)", NULL, G(1), 0, 0},
    {CLI, CFG_RULE_SECRET, " key [0-9] ([^ ]+)", NULL, G(1), 0, 0},
    {CLI, CFG_RULE_SECRET,
        "^(tacacs-server|radius-server|aaa-server|tacacs|radius)[^ ]*( .*)? "
        "key( [0-9])? ([^ ]+)",
        NULL, G(4), 0, 0},
    /* a key under a server block; not a key chain's numbered key */
    {CLI, CFG_RULE_SECRET, "^ +key( [0-9])? ([^ 0-9][^ ]*|[0-9]+[^ 0-9][^ ]*)$",
        NULL, G(2), 0, 0},
    {CLI, CFG_RULE_SECRET, " key-string( [0-9]+)? ([^ ]+)", NULL, G(2), 0, 0},
    {CLI, CFG_RULE_SECRET, "authentication-key( [0-9]+)?( md5)?( [0-9]+)? ([^ ]+)",
        NULL, G(4), 0, 0},
    {CLI, CFG_RULE_SECRET, "message-digest-key [0-9]+ md5( [0-9]+)? ([^ ]+)",
        NULL, G(2), 0, 0},
    {CLI, CFG_RULE_SECRET, "neighbor [^ ]+ password( [0-9]+)? ([^ ]+)", NULL,
        G(2), 0, 0},
    {CLI, CFG_RULE_SECRET,
        "(standby|vrrp)( [0-9]+)? authentication (text |md5 key-string"
        "( [0-9]+)? )?([^ ]+)",
        NULL, G(5), 0, 0},
    {CLI, CFG_RULE_SECRET, "pre-shared-key( hex| [0-9]+)? ([^ ]+)", NULL,
        G(2), 0, 0},
    {CLI, CFG_RULE_SECRET, "wpa-psk ascii( [0-9]+)? ([^ ]+)", NULL, G(2), 0,
        0},
    {CLI, CFG_RULE_SECRET, "ppp (chap|pap) password( [0-9]+)? ([^ ]+)", NULL,
        G(3), 0, 0},
    {CLI, CFG_RULE_SECRET, "sent-username [^ ]+ password( [0-9]+)? ([^ ]+)",
        NULL, G(2), 0, 0},
    {CLI, CFG_RULE_SECRET, "^ip ftp password( [0-9]+)? ([^ ]+)", NULL, G(2),
        0, 0},
    {CLI, CFG_RULE_SECRET, "(server-key|domain-password|ldap-login-password)"
        "( [0-9]+)? ([^ ]+)", NULL, G(3), 0, 0},
    {CLI, CFG_RULE_SECRET, "^crypto isakmp key( [0-9]+)? ([^ ]+)", NULL, G(2),
        0, 0},
    {ASA, CFG_RULE_SECRET, "^failover key ([^ ]+)", NULL, G(1), 0, 0},
    {EOS, CFG_RULE_SECRET, "-ingestauth=key,([^ ]+)", NULL, G(1), 0, 0},
    /* a quoted value runs to the next space or ';' ("x"y is one word) */
    {JUNOS, CFG_RULE_SECRET, " (\"[^\"]*\"[^ ;\"]*); ## SECRET-DATA$", NULL,
        G(1), 0, 0},
    {JUNOS, CFG_RULE_SECRET, " ([^ \";]+); ## SECRET-DATA$", NULL, G(1), 0,
        0},
    {JUNOS, CFG_RULE_SECRET, "^ *community ([^ ]+) \\{", NULL, G(1), 0, 0},
    /* the set form ("display set") has no SECRET-DATA marks */
    {JUNOS, CFG_RULE_SECRET, "^set snmp community ([^ ]+)", NULL, G(1), 0, 0},
    {JUNOS, CFG_RULE_SECRET, "md5 [0-9]+ key (\"[^\"]*\"|[^ \";]+)", NULL, G(1),
        0, 0},
    {JUNOS, CFG_RULE_SECRET,
        "(encrypted-password|authentication-key|pre-shared-key ascii-text|"
        "pre-shared-key hexadecimal|secret|simple-password|hello-authentication-key) "
        "(\"[^\"]*\"[^ ;\"]*|[^ \";]+)",
        NULL, G(2), 0, 0},
    {ALL, CFG_RULE_SECRET,
        "(ftp|pasvftp|sftp|scp|https?)://[^:/@ \"]+:([^@ \"]+)@", NULL, G(2),
        0, 0},
    {0, 0, NULL, NULL, 0, 0, 0},
};
