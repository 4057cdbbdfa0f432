/*
 * test_conf.h - the cases of test_conf.c: a configuration text (and the
 * files beside it) with the values it must set or the exact errors it
 * must give (test_conf_cases.c).
 */
#ifndef NP_TEST_CONF_H
#define NP_TEST_CONF_H

#include <stddef.h>

struct tfile {
	const char *name;
	const char *text;
};

struct tcase {
	const char *what;
	const char *text; /* main.conf */
	struct tfile files[3]; /* more files beside it */
	const char *defines[3];
	const char *err; /* NULL: parses */
	const char *expect[14]; /* "key=value" */
};

#define DESIGN_EXAMPLE \
	"state-dir \"/var/lib/netpatrol\"\n" \
	"control \"/run/netpatrol/netpatrold.sock\"\n" \
	"user \"netpatrol\"\n" \
	"listen trap udp 0.0.0.0 port 162\n" \
	"trap community \"public\"\n" \
	"trap user \"noc\" auth sha \"secret33\" priv aes \"secret44\"\n" \
	"listen syslog udp 0.0.0.0 port 514\n" \
	"listen syslog tcp 0.0.0.0 port 514\n" \
	"http 127.0.0.1 port 8080\n" \
	"\n" \
	"template \"switches\" {\n" \
	"        snmp v2c community \"public\"\n" \
	"        interval 60\n" \
	"        timeout 2 retries 2\n" \
	"}\n" \
	"device \"core1\" {\n" \
	"        address 192.0.2.1 port 161\n" \
	"        use \"switches\"\n" \
	"        location \"DC1 row 3\"\n" \
	"}\n" \
	"device \"fw1\" {\n" \
	"        address 192.0.2.2\n" \
	"        snmp v3 user \"monitor\" auth sha256 \"secret11\" priv aes " \
	"\"secret22\"\n" \
	"        interval 30\n" \
	"}\n"

#define DESIGN_EXPECT \
	"state_dir=/var/lib/netpatrol", \
	    "control=/run/netpatrol/netpatrold.sock", "user=netpatrol", \
	    "listens=trap:udp:0.0.0.0:162,syslog:udp:0.0.0.0:514," \
	    "syslog:tcp:0.0.0.0:514", \
	    "communities=public", \
	    "trapusers=v3:noc:sha:secret33:aes:secret44:", \
	    "http=127.0.0.1:8080", "devices=core1,fw1", "templates=switches", \
	    "dev/core1/all=192.0.2.1:161 v2c:public 60/2/2/10/1 " \
	    "[DC1 row 3||] 0x64f", \
	    "dev/core1/line=16", \
	    "dev/fw1/all=192.0.2.2:161 " \
	    "v3:monitor:sha256:secret11:aes:secret22: 30/2/2/10/1 [||] 0x403"

#define LONG64 \
	"a123456789012345678901234567890123456789012345678901234567890123"
#define LONG128 LONG64 LONG64
#define LONG256 LONG128 LONG128
#define ZEROS50 "00000000000000000000000000000000000000000000000000"
#define ZEROS400 ZEROS50 ZEROS50 ZEROS50 ZEROS50 ZEROS50 ZEROS50 ZEROS50 ZEROS50

/* SHA-256 fingerprints as written, and as the parser keeps them. */
#define FP_COLON \
	"SHA256:" \
	"AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:" \
	"AB:AB:AB:AB:AB:AB:AB:AB:AB:CD"
#define FP_BARE \
	"0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define FP_LOWER \
	"ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:" \
	"ab:ab:ab:ab:ab:ab:ab:ab:ab:cd"
#define FP_HEX \
	"abababababababababababababababababababababababababababababababcd"
#define FP_HEX2 \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* 32 process rules and 32 thresholds, the most a device may have. */
#define PR(n) " require process \"p" #n "\"\n"
#define PR8(n) \
	PR(n##0) PR(n##1) PR(n##2) PR(n##3) PR(n##4) PR(n##5) PR(n##6) PR(n##7)
#define PR32 PR8(1) PR8(2) PR8(3) PR8(4)
#define TH(n) " threshold sensor \"s" #n "\" warning " #n "\n"
#define TH8(n) \
	TH(n##0) TH(n##1) TH(n##2) TH(n##3) TH(n##4) TH(n##5) TH(n##6) TH(n##7)
#define TH32 TH8(1) TH8(2) TH8(3) TH8(4)

extern const struct tcase conf_cases[];
extern const size_t conf_ncases;

#endif
