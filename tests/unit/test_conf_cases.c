/*
 * test_conf_cases.c - the cases of test_conf.c (test_conf.h): each a
 * main.conf, the files beside it, and what it must set or the errors it
 * must give; "@" stands for the test's directory.
 */
#include "config.h"

#include "test_conf.h"

const struct tcase conf_cases[] = {
    /* Values. */
    {"empty file gives the defaults", "", {{0}}, {0}, NULL,
        {"max_inflight=256", "rrd_keep_step=172800", "store_batch_ms=1000",
            "store_queue=1000000", "event_keep_days=365",
            "control=/run/netpatrol/netpatrold.sock",
            "pidfile=/run/netpatrol/netpatrold.pid", "http=", "user=",
            "rrdcached=", "devices=", "listens=", "ndevices=0"}},
    {"comments and blank lines",
        "# a comment\n\n   # indented \"comment\" { }\n\t\n", {{0}}, {0}, NULL,
        {"devices="}},
    {"design example", DESIGN_EXAMPLE, {{0}}, {0}, NULL, {DESIGN_EXPECT}},
    {"paths and user",
        "state-dir \"/srv/np\"\nrrdcached \"unix:/run/rrdcached.sock\"\n"
        "control \"/tmp/np.sock\"\npidfile \"/tmp/np.pid\"\nuser nobody\n",
        {{0}}, {0}, NULL,
        {"state_dir=/srv/np", "rrdcached=unix:/run/rrdcached.sock",
            "control=/tmp/np.sock", "pidfile=/tmp/np.pid", "user=nobody"}},
    {"rrdcached host:port", "rrdcached \"rrd.example.com:42217\"\n", {{0}}, {0},
        NULL, {"rrdcached=rrd.example.com:42217"}},
    {"rrd cached host:port (issue 20's name)",
        "rrd cached \"192.0.2.10:42217\"\n", {{0}}, {0},
        NULL, {"rrdcached=192.0.2.10:42217"}},
    {"rrd cached: a relative unix socket",
        "rrd cached \"unix:r.sock\"\n", {{0}}, {0},
        "@main.conf:1: rrdcached socket must be an absolute path\n", {0}},
    {"listen default ports, IPv6 and quoted addresses",
        "listen trap udp ::\nlisten syslog udp \"127.0.0.1\"\n"
        "listen syslog tcp ::1 port 6514\n",
        {{0}}, {0}, NULL,
        {"listens=trap:udp::::162,syslog:udp:127.0.0.1:514,"
         "syslog:tcp:::1:6514"}},
    {"trap communities and users",
        "trap community \"public\"\ntrap community \"noc\"\n"
        "trap community \"public\"\n"
        "trap user \"a\" auth md5 \"12345678\"\n"
        "trap user \"b\" auth SHA512 \"12345678\" priv aes256 \"87654321\"\n",
        {{0}}, {0}, NULL,
        {"communities=public,noc",
            "trapusers=v3:a:md5:12345678:none::,"
            "v3:b:sha512:12345678:aes256:87654321:"}},
    {"http without port, http IPv6", "http 127.0.0.1\n", {{0}}, {0}, NULL,
        {"http=127.0.0.1:8080"}},
    {"http IPv6 with port", "http ::1 port 8443\n", {{0}}, {0}, NULL,
        {"http=::1:8443"}},
    {"http block: listen with tls, users and tokens",
        "http {\n listen 127.0.0.1 port 8443 tls cert \"/etc/c.pem\" key "
        "\"/etc/k.pem\"\n user \"alice\" role admin password "
        "\"\\$6\\$salt\\$hash\"\n token \"ci\" role viewer secret "
        "\"0123456789abcdef\"\n}\n",
        {{0}}, {0}, NULL,
        {"http=127.0.0.1:8443", "httptls=/etc/c.pem|/etc/k.pem",
            "httpcreds=user:3:alice:$6$salt$hash,token:1:ci:0123456789abcdef"}},
    {"bad http block",
        "http {\n listen 127.0.0.1 tls crt \"/c\" key \"/k\"\n"
        " user \"a\" role boss password \"\\$6\\$x\\$y12\"\n"
        " user \"b\" role viewer password \"plain\"\n"
        " token \"t\" role viewer secret \"short\"\n"
        " token \"u\" role viewer password \"0123456789abcdef\"\n"
        " listen 127.0.0.2\n}\n",
        {{0}}, {0},
        "@main.conf:2: http listen: tls cert \"FILE\" key \"FILE\" expected\n"
        "@main.conf:3: http user a: role is viewer, operator or admin\n"
        "@main.conf:4: http user b: password must be a crypt(3) hash "
        "(netpatrol passwd prints one)\n"
        "@main.conf:5: http token t: the secret must have 16 to 255 "
        "characters\n"
        "@main.conf:6: http: user \"NAME\" role ROLE password \"HASH\" or "
        "token \"NAME\" role ROLE secret \"VALUE\" expected\n"
        "@main.conf:7: http: one listen only\n",
        {0}},
    {"limits at their bounds",
        "max-inflight 100000\nstore queue 1000\nstore batch-window 10\n"
        "rrd keep-step 600\nevents keep 1\n",
        {{0}}, {0}, NULL,
        {"max_inflight=100000", "store_queue=1000", "store_batch_ms=10",
            "rrd_keep_step=600", "event_keep_days=1"}},
    {"durations with units",
        "rrd keep-step 1w\nstore batch-window 2s\nevents keep 52w\n", {{0}},
        {0}, NULL,
        {"rrd_keep_step=604800", "store_batch_ms=2000", "event_keep_days=364"}},
    {"more duration units",
        "rrd keep-step 10m\nstore batch-window 250ms\nevents keep 90d\n"
        "rrd keep-step 3h\n",
        {{0}}, {0}, NULL,
        {"rrd_keep_step=10800", "store_batch_ms=250", "event_keep_days=90"}},
    {"minimal device gets the defaults",
        "device \"d\" {\n\taddress 10.0.0.1\n}\n", {{0}}, {0}, NULL,
        {"dev/d/all=10.0.0.1:161 v2c:public 60/2/2/10/1 [||] 0x400",
            "dev/d/line=1", "dev/d/file=main.conf", "ndevices=1"}},
    {"every device keyword",
        "device \"d\" {\n"
        "  address 10.0.0.1 port 1161\n"
        "  snmp v1 community \"c1\"\n"
        "  interval 5m\n"
        "  timeout 10 retries 0\n"
        "  max-repetitions 50\n"
        "  bulk on\n"
        "  location \"here\"\n"
        "  role \"core\"\n"
        "  owner \"noc\"\n"
        "}\n",
        {{0}}, {0}, NULL,
        {"dev/d/all=10.0.0.1:1161 v1:c1 300/10/0/50/0 [here|core|noc] 0x7ff"}},
    {"bounds of device numbers",
        "device \"d\" {\n address 10.0.0.1 port 65535\n interval 1\n"
        " timeout 60\n retries 10\n max-repetitions 1000\n bulk off\n}\n"
        "device \"e\" {\n address 10.0.0.2 port 1\n interval 86400\n"
        " timeout 1\n max-repetitions 1\n}\n",
        {{0}}, {0}, NULL,
        {"dev/d/all=10.0.0.1:65535 v2c:public 1/60/10/1000/0 [||] 0x63e",
            "dev/e/all=10.0.0.2:1 v2c:public 86400/1/2/1/1 [||] 0x616"}},
    {"addresses: IPv6 bare, host name quoted, port alone",
        "device \"a\" {\n address 2001:db8::1\n}\n"
        "device \"b\" {\n address \"sw1.example.com\"\n port 1161\n}\n"
        "device \"c\" {\n address \"192.0.2.7\"\n}\n",
        {{0}}, {0}, NULL,
        {"dev/a/address=2001:db8::1", "dev/b/address=sw1.example.com",
            "dev/b/port=1161", "dev/c/address=192.0.2.7"}},
    {"snmp v2c alone and with a community",
        "device \"a\" {\n address 10.0.0.1\n snmp v2c\n}\n"
        "device \"b\" {\n address 10.0.0.2\n snmp v2c community private\n}\n"
        "device \"c\" {\n address 10.0.0.3\n snmp v1\n}\n",
        {{0}}, {0}, NULL,
        {"dev/a/snmp=v2c:public", "dev/b/snmp=v2c:private",
            "dev/c/snmp=v1:public", "dev/c/bulk=0"}},
    {"snmp v3 levels and protocols",
        "device \"a\" {\n address 10.0.0.1\n snmp v3 user \"u\"\n}\n"
        "device \"b\" {\n address 10.0.0.2\n snmp v3 user \"u\" auth md5 "
        "\"aaaaaaaa\"\n}\n"
        "device \"c\" {\n address 10.0.0.3\n snmp v3 user \"u\" auth sha224 "
        "\"aaaaaaaa\" priv des \"bbbbbbbb\" context \"vrf1\"\n}\n"
        "device \"d\" {\n address 10.0.0.4\n snmp v3 user \"u\" auth sha384 "
        "\"aaaaaaaa\" priv aes128 \"bbbbbbbb\"\n}\n"
        "device \"e\" {\n address 10.0.0.5\n snmp v3 user \"u\" auth SHA "
        "\"aaaaaaaa\" priv AES192 \"bbbbbbbb\"\n}\n"
        "device \"f\" {\n address 10.0.0.6\n snmp v3 user \"u\" auth sha512 "
        "\"aaaaaaaa\" priv aes256 \"bbbbbbbb\"\n}\n",
        {{0}}, {0}, NULL,
        {"dev/a/snmp=v3:u:none::none::", "dev/b/snmp=v3:u:md5:aaaaaaaa:none::",
            "dev/c/snmp=v3:u:sha224:aaaaaaaa:des:bbbbbbbb:vrf1",
            "dev/d/snmp=v3:u:sha384:aaaaaaaa:aes:bbbbbbbb:",
            "dev/e/snmp=v3:u:sha:aaaaaaaa:aes192:bbbbbbbb:",
            "dev/f/snmp=v3:u:sha512:aaaaaaaa:aes256:bbbbbbbb:"}},
    {"template: settings after use override it, use overrides before",
        "template \"t\" {\n interval 60\n timeout 5\n location \"T\"\n"
        " snmp v2c community \"tc\"\n port 1161\n}\n"
        "device \"d\" {\n address 10.0.0.1\n interval 10\n use \"t\"\n"
        " location \"D\"\n}\n",
        {{0}}, {0}, NULL,
        {"dev/d/all=10.0.0.1:1161 v2c:tc 60/5/2/10/1 [D||] 0x647",
            "tpl/t/set=0x247", "templates=t", "devices=d"}},
    {"template credentials replaced by the device's",
        "template \"t\" {\n snmp v3 user \"u\" auth sha \"aaaaaaaa\"\n"
        " role \"edge\"\n bulk off\n}\n"
        "device \"d\" {\n address 10.0.0.1\n use t\n snmp v2c\n}\n",
        {{0}}, {0}, NULL,
        {"dev/d/all=10.0.0.1:161 v2c:public 60/2/2/10/0 [|edge|] 0x4a1"}},
    {"a template using a template",
        "template \"base\" {\n owner \"noc\"\n retries 5\n}\n"
        "template \"sw\" {\n use \"base\"\n max-repetitions 25\n}\n"
        "device \"d\" {\n address 10.0.0.1\n use \"sw\"\n}\n",
        {{0}}, {0}, NULL,
        {"dev/d/all=10.0.0.1:161 v2c:public 60/2/5/25/1 [||noc] 0x518",
            "templates=base,sw"}},
    {"address port after use overrides the template's port",
        "template \"t\" {\n port 1161\n}\n"
        "device \"d\" {\n use \"t\"\n address 10.0.0.1 port 2161\n}\n",
        {{0}}, {0}, NULL, {"dev/d/port=2161"}},
    {"retries alone, timeout alone",
        "device \"d\" {\n address 10.0.0.1\n retries 4\n timeout 7\n}\n", {{0}},
        {0}, NULL, {"dev/d/timeout=7", "dev/d/retries=4"}},
    {"one-line block, brace on its own line",
        "device \"a\" { address 10.0.0.1 }\n"
        "device \"b\"\n{\n address 10.0.0.2 }\n"
        "device c {\n\n address 10.0.0.3\n\n}\n",
        {{0}}, {0}, NULL, {"devices=a,b,c", "dev/b/line=2", "dev/c/line=5"}},
    {"device names with dots, dashes and underscores",
        "device \"sw-1.dc_1\" { address 10.0.0.1 }\n", {{0}}, {0}, NULL,
        {"devices=sw-1.dc_1"}},
    {"keywords inside quotes are strings",
        "device \"device\" {\n address 10.0.0.1\n location \"address\"\n}\n",
        {{0}}, {0}, NULL, {"dev/device/location=address"}},
    {"macros as tokens and in strings",
        "ip = \"192.0.2.9\"\ndc = DC1\np = 1161\n"
        "device \"d\" {\n address $ip port $p\n location \"$dc row ${dc}x\"\n"
        " owner \"a \\\"b\\\" c\\\\d \\$dc $1\"\n}\n",
        {{0}}, {0}, NULL,
        {"dev/d/address=192.0.2.9", "dev/d/port=1161",
            "dev/d/location=DC1 row DC1x", "dev/d/owner=a \"b\" c\\d $dc $1"}},
    {"a macro holding several tokens",
        "opts = \"interval 30\"\ndevice \"d\" {\n address 10.0.0.1\n "
        "$opts\n}\n",
        {{0}}, {0}, NULL, {"dev/d/interval=30"}},
    {"macros redefined, command line wins",
        "a = \"1\"\na = \"2\"\nb = \"3\"\nmax-inflight $a\nstore queue "
        "${b}000\n",
        {{0}}, {"b=4", NULL}, NULL, {"max_inflight=2", "store_queue=4000"}},
    {"command line macros", "user \"$u\"\n", {{0}},
        {"u=np", "unused=x y", NULL}, NULL, {"user=np"}},
    {"include, relative to the including file",
        "include \"sub/devs.conf\"\nmax-inflight 9\n",
        {{"sub/devs.conf",
             "include \"more.conf\"\n"
             "device \"a\" { address 10.0.0.1 }\n"},
            {"sub/more.conf", "device \"b\" { address 10.0.0.2 }"}},
        {0}, NULL,
        {"devices=b,a", "max_inflight=9", "dev/a/file=sub/devs.conf",
            "dev/a/line=2", "dev/b/file=sub/more.conf", "dev/b/line=1"}},
    {"include by absolute path", "include \"@inc.conf\"\n",
        {{"inc.conf", "user \"x\"\n"}}, {0}, NULL, {"user=x"}},
    {"line continuation, CRLF, no final newline",
        "device \"d\" {\r\n address \\\n 10.0.0.1\r\n}\r\nuser \"u\"", {{0}},
        {0}, NULL, {"dev/d/address=10.0.0.1", "user=u"}},

    /* Process rules and thresholds. */
    {"process rules",
        "device \"d\" {\n address 10.0.0.1\n require process \"sshd\"\n"
        " forbid process \"telnetd\"\n require process ntpd\n}\n",
        {{0}}, {0}, NULL,
        {"dev/d/procs=+sshd,-telnetd,+ntpd", "dev/d/th=",
            "dev/d/all=10.0.0.1:161 v2c:public 60/2/2/10/1 [||] 0x400"}},
    {"thresholds by class: decimals, negatives, options in any order",
        "device \"d\" {\n address 10.0.0.1\n"
        " threshold temperature critical 80 warning 65.5\n"
        " threshold dbm low-critical -25.5 low-warning -20 warning -1 "
        "critical 0.5 hysteresis 0.25\n"
        " threshold load hysteresis 0\n"
        " threshold HUMIDITY low-warning 30\n"
        " threshold fanspeed low-warning 2000 low-critical 1000\n"
        " threshold voltage warning 12.6 critical 13 low-warning 11.4 "
        "low-critical 11\n"
        " threshold current critical 16\n"
        " threshold power warning 400\n"
        " threshold frequency low-critical 49.5\n"
        " threshold airflow low-warning 0.75 hysteresis 0.05\n}\n",
        {{0}}, {0}, NULL,
        {"dev/d/th=temperature:65.5/80/-/-/-,dbm:-1/0.5/-20/-25.5/0.25,"
         "load:-/-/-/-/0,humidity:-/-/30/-/-,fanspeed:-/-/2000/1000/-,"
         "voltage:12.6/13/11.4/11/-,current:-/16/-/-/-,power:400/-/-/-/-,"
         "frequency:-/-/-/49.5/-,airflow:-/-/0.75/-/0.05",
            "dev/d/procs=", "thresholds="}},
    {"thresholds for sensors by name, beside their class",
        "device \"d\" {\n address 10.0.0.1\n"
        " threshold sensor \"CPU Temp\" warning 80 critical 90\n"
        " threshold temperature warning 50\n"
        " threshold sensor \"PSU 1 12V\" low-warning 11.4\n"
        " threshold sensor temperature critical 70\n}\n",
        {{0}}, {0}, NULL,
        {"dev/d/th=s:CPU Temp:80/90/-/-/-,temperature:50/-/-/-/-,"
         "s:PSU 1 12V:-/-/11.4/-/-,s:temperature:-/70/-/-/-"}},
    {"global thresholds",
        "threshold temperature warning 55 critical 70 hysteresis 1.5\n"
        "threshold load warning 90\n"
        "device \"d\" {\n address 10.0.0.1\n threshold load warning 80\n}\n"
        "threshold dbm low-warning -18\n",
        {{0}}, {0}, NULL,
        {"thresholds=temperature:55/70/-/-/1.5,load:90/-/-/-/-,"
         "dbm:-/-/-18/-/-",
            "dev/d/th=load:80/-/-/-/-"}},
    {"decimals and negatives in macros",
        "w = 62.5\nlo = -3\nopts = \"warning 1.5 critical 2\"\n"
        "threshold temperature warning $w\nthreshold dbm low-warning $lo\n"
        "threshold load $opts\n",
        {{0}}, {0}, NULL,
        {"thresholds=temperature:62.5/-/-/-/-,dbm:-/-/-3/-/-,"
         "load:1.5/2/-/-/-"}},
    {"use adds a template's rules; the device's own win in any order",
        "template \"t\" {\n require process \"sshd\"\n"
        " forbid process \"telnetd\"\n threshold temperature warning 40\n"
        " threshold sensor \"CPU Temp\" critical 90\n"
        " threshold load warning 70\n}\n"
        "device \"d\" {\n address 10.0.0.1\n"
        " threshold temperature critical 99\n forbid process \"sshd\"\n"
        " use \"t\"\n threshold sensor \"CPU Temp\" warning 80\n"
        " require process \"ntpd\"\n require process \"telnetd\"\n}\n"
        "device \"e\" {\n address 10.0.0.2\n use \"t\"\n}\n",
        {{0}}, {0}, NULL,
        {"dev/d/procs=-sshd,+telnetd,+ntpd",
            "dev/d/th=temperature:-/99/-/-/-,s:CPU Temp:80/-/-/-/-,"
            "load:70/-/-/-/-",
            "dev/e/procs=+sshd,-telnetd",
            "dev/e/th=temperature:40/-/-/-/-,s:CPU Temp:-/90/-/-/-,"
            "load:70/-/-/-/-",
            "tpl/t/procs=+sshd,-telnetd", "tpl/t/set=0x0"}},
    {"a later template's rule replaces an earlier one's",
        "template \"a\" {\n require process \"x\"\n"
        " threshold temperature warning 40 critical 50\n}\n"
        "template \"b\" {\n forbid process \"x\"\n"
        " threshold temperature warning 45\n require process \"y\"\n}\n"
        "device \"d\" {\n address 10.0.0.1\n use \"a\"\n use \"b\"\n}\n"
        "device \"e\" {\n address 10.0.0.2\n use \"b\"\n use \"a\"\n}\n",
        {{0}}, {0}, NULL,
        {"dev/d/procs=-x,+y", "dev/d/th=temperature:45/-/-/-/-",
            "dev/e/procs=+x,+y", "dev/e/th=temperature:40/50/-/-/-"}},
    {"a template using a template: its own rules win",
        "template \"base\" {\n require process \"sshd\"\n"
        " threshold load warning 80\n threshold temperature warning 60\n}\n"
        "template \"sw\" {\n threshold load warning 90\n use \"base\"\n"
        " forbid process \"telnetd\"\n}\n"
        "device \"d\" {\n address 10.0.0.1\n use \"sw\"\n"
        " threshold temperature critical 70\n}\n",
        {{0}}, {0}, NULL,
        {"tpl/sw/procs=+sshd,-telnetd",
            "tpl/sw/th=load:90/-/-/-/-,temperature:60/-/-/-/-",
            "dev/d/procs=+sshd,-telnetd",
            "dev/d/th=load:90/-/-/-/-,temperature:-/70/-/-/-"}},
    {"32 process rules and 32 thresholds fit, also through use",
        "template \"t\" {\n" PR32 "}\n"
        "device \"d\" {\n address 10.0.0.1\n" PR32 TH32 "}\n"
        "device \"e\" {\n address 10.0.0.2\n" PR(10) PR(47) " use \"t\"\n}\n",
        {{0}}, {0}, NULL,
        {"dev/d/nprocs=32", "dev/d/nth=32", "dev/e/nprocs=32"}},

    /* Errors. */
    {"unknown keyword at the top", "user \"u\"\nfoo \"bar\"\n", {{0}}, {0},
        "@main.conf:2: unknown keyword \"foo\"\n", {0}},
    {"unknown keyword alone on its line", "foo\n", {{0}}, {0},
        "@main.conf:1: unknown keyword \"foo\"\n", {0}},
    {"unknown keyword in a block",
        "device \"d\" {\n address 10.0.0.1\n colour \"red\"\n}\n", {{0}}, {0},
        "@main.conf:3: unknown keyword \"colour\"\n", {0}},
    {"block keyword at the top", "interval 5\n", {{0}}, {0},
        "@main.conf:1: \"interval\" is only valid inside a device or template "
        "block\n",
        {0}},
    {"top keyword in a block", "template \"t\" {\n state-dir \"/x\"\n}\n",
        {{0}}, {0},
        "@main.conf:2: \"state-dir\" is not valid inside a template block\n",
        {0}},
    {"syntax error names the token",
        "device \"d\" {\n address 10.0.0.1\n interval 5 6\n}\n", {{0}}, {0},
        "@main.conf:3: syntax error near \"6\"\n", {0}},
    {"syntax error at end of line",
        "device \"d\" {\n address 10.0.0.1\n interval\n}\n", {{0}}, {0},
        "@main.conf:3: syntax error at end of line\n", {0}},
    {"unclosed block", "device \"d\" {\n address 10.0.0.1\n", {{0}}, {0},
        "@main.conf:2: syntax error at end of file: device \"d\" is not closed "
        "with \"}\"\n",
        {0}},
    {"stray brace", "}\n", {{0}}, {0},
        "@main.conf:1: syntax error near \"}\"\n", {0}},
    {"numeric device name", "device 5 {\n}\n", {{0}}, {0},
        "@main.conf:1: syntax error near \"5\"\n"
        "@main.conf:2: syntax error near \"}\"\n",
        {0}},
    {"interval out of range",
        "device \"d\" {\n address 10.0.0.1\n interval 0\n interval 86401\n"
        " interval 2d\n}\n",
        {{0}}, {0},
        "@main.conf:3: interval must be between 1 and 86400\n"
        "@main.conf:4: interval must be between 1 and 86400\n"
        "@main.conf:5: interval must be between 1 and 86400\n",
        {0}},
    {"device numbers out of range",
        "device \"d\" {\n address 10.0.0.1 port 0\n port 65536\n timeout 0\n"
        " timeout 61 retries 11\n retries -1\n max-repetitions 0\n"
        " max-repetitions 1001\n}\n",
        {{0}}, {0},
        "@main.conf:2: port must be between 1 and 65535\n"
        "@main.conf:3: port must be between 1 and 65535\n"
        "@main.conf:4: timeout must be between 1 and 60\n"
        "@main.conf:5: retries must be between 0 and 10\n"
        "@main.conf:5: timeout must be between 1 and 60\n"
        "@main.conf:6: retries must be between 0 and 10\n"
        "@main.conf:7: max-repetitions must be between 1 and 1000\n"
        "@main.conf:8: max-repetitions must be between 1 and 1000\n",
        {0}},
    {"global numbers out of range",
        "max-inflight 0\nmax-inflight 100001\nstore queue 999\n"
        "store queue 100000001\nstore batch-window 9\n"
        "store batch-window 61s\nrrd keep-step 599\nrrd keep-step 3651d\n"
        "events keep 0\nevents keep 36501\n",
        {{0}}, {0},
        "@main.conf:1: max-inflight must be between 1 and 100000\n"
        "@main.conf:2: max-inflight must be between 1 and 100000\n"
        "@main.conf:3: store queue must be between 1000 and 100000000\n"
        "@main.conf:4: store queue must be between 1000 and 100000000\n"
        "@main.conf:5: store batch-window must be between 10 and 60000 ms\n"
        "@main.conf:6: store batch-window must be between 10 and 60000 ms\n"
        "@main.conf:7: rrd keep-step must be between 600 and 315360000 "
        "seconds\n"
        "@main.conf:8: rrd keep-step must be between 600 and 315360000 "
        "seconds\n"
        "@main.conf:9: events keep must be between 1 and 36500 days\n"
        "@main.conf:10: events keep must be between 1 and 36500 days\n",
        {0}},
    {"numbers that overflow",
        "max-inflight 99999999999999999999999\n"
        "max-inflight -99999999999999999999999\n"
        "rrd keep-step 9999999999999999w\nevents keep 99999999999999999999d\n",
        {{0}}, {0},
        "@main.conf:1: max-inflight must be between 1 and 100000\n"
        "@main.conf:2: max-inflight must be between 1 and 100000\n"
        "@main.conf:3: rrd keep-step must be between 600 and 315360000 "
        "seconds\n"
        "@main.conf:4: events keep must be between 1 and 36500 days\n",
        {0}},
    {"bad durations",
        "rrd keep-step 5x\nrrd keep-step h\nevents keep 5h\n"
        "store batch-window 1m\n",
        {{0}}, {0},
        "@main.conf:1: invalid duration \"5x\"\n"
        "@main.conf:2: invalid duration \"h\"\n"
        "@main.conf:3: invalid duration \"5h\"\n"
        "@main.conf:4: invalid duration \"1m\"\n",
        {0}},
    {"device defined twice",
        "device \"core1\" { address 10.0.0.1 }\n"
        "device \"core1\" { address 10.0.0.2 }\n",
        {{0}}, {0}, "@main.conf:2: device \"core1\" defined twice\n", {0}},
    {"template defined twice",
        "template \"t\" { interval 5 }\ntemplate \"t\" { interval 6 }\n", {{0}},
        {0}, "@main.conf:2: template \"t\" defined twice\n", {0}},
    {"device without address", "device \"x\" {\n interval 5\n}\n", {{0}}, {0},
        "@main.conf:1: device \"x\" has no address\n", {0}},
    {"use of an unknown template, a template using itself",
        "template \"t\" {\n use \"t\"\n}\n"
        "device \"d\" {\n address 10.0.0.1\n use \"nope\"\n}\n",
        {{0}}, {0},
        "@main.conf:2: template \"t\" not defined\n"
        "@main.conf:6: template \"nope\" not defined\n",
        {0}},
    {"address in a template", "template \"t\" {\n address 10.0.0.1\n}\n", {{0}},
        {0}, "@main.conf:2: address is not valid in a template\n", {0}},
    {"bad addresses",
        "device \"a\" {\n address sw1.example.com\n}\n"
        "device \"b\" {\n address \"bad host\"\n}\n"
        "device \"c\" {\n address 10.0.0.300\n}\n",
        {{0}}, {0},
        "@main.conf:2: invalid address \"sw1.example.com\" (host names must be "
        "quoted)\n"
        "@main.conf:5: invalid host name \"bad host\"\n"
        "@main.conf:8: invalid address \"10.0.0.300\" (host names must be "
        "quoted)\n",
        {0}},
    {"bad device names",
        "device \"../x\" { address 10.0.0.1 }\n"
        "device \"\" { address 10.0.0.1 }\n"
        "device \"" LONG64 "\" { address 10.0.0.1 }\n",
        {{0}}, {0},
        "@main.conf:1: invalid device name \"../x\" (use letters, digits, "
        "\".\", "
        "\"-\" and \"_\")\n"
        "@main.conf:2: device name must not be empty\n"
        "@main.conf:3: device name too long (max 63 characters)\n",
        {0}},
    {"strings longer than their field",
        "device \"d\" {\n address 10.0.0.1\n location \"" LONG256 "\"\n"
        " role \"" LONG64 "\"\n snmp v2c community \"" LONG128 "\"\n}\n",
        {{0}}, {0},
        "@main.conf:3: location too long (max 255 characters)\n"
        "@main.conf:4: role too long (max 63 characters)\n"
        "@main.conf:5: community too long (max 127 characters)\n",
        {0}},
    {"bad snmp versions and protocols",
        "device \"d\" {\n address 10.0.0.1\n snmp v4\n"
        " snmp v3 user \"u\" auth sha1024 \"aaaaaaaa\"\n"
        " snmp v3 user \"u\" auth sha \"aaaaaaaa\" priv blowfish \"bbbbbbbb\"\n"
        " bulk maybe\n}\n",
        {{0}}, {0},
        "@main.conf:3: unknown SNMP version \"v4\" (v1, v2c or v3)\n"
        "@main.conf:4: unknown auth protocol \"sha1024\" (md5, sha, sha224, "
        "sha256, sha384 or sha512)\n"
        "@main.conf:5: unknown privacy protocol \"blowfish\" (des, aes, "
        "aes128, "
        "aes192 or aes256)\n"
        "@main.conf:6: bulk must be \"on\" or \"off\"\n",
        {0}},
    {"short passphrases, priv without auth, v3 without user",
        "device \"d\" {\n address 10.0.0.1\n"
        " snmp v3 user \"u\" auth sha \"1234567\"\n"
        " snmp v3 user \"u\" auth sha \"12345678\" priv aes \"1234567\"\n"
        " snmp v3 user \"u\" priv aes \"12345678\"\n"
        " snmp v3 auth sha \"12345678\"\n}\n",
        {{0}}, {0},
        "@main.conf:3: auth passphrase must be at least 8 characters\n"
        "@main.conf:4: priv passphrase must be at least 8 characters\n"
        "@main.conf:5: priv needs auth\n"
        "@main.conf:6: snmp v3 needs a user\n",
        {0}},
    {"options of the wrong snmp version, options twice",
        "device \"d\" {\n address 10.0.0.1\n snmp v3 user \"u\" community "
        "\"c\"\n"
        " snmp v2c user \"u\"\n snmp v1 context \"c\"\n"
        " snmp v2c community \"a\" community \"b\"\n"
        " snmp v2c community \"\"\n}\n",
        {{0}}, {0},
        "@main.conf:3: \"community\" is not valid with snmp v3\n"
        "@main.conf:4: \"user\" is only valid with snmp v3\n"
        "@main.conf:5: \"context\" is only valid with snmp v3\n"
        "@main.conf:6: \"community\" given twice\n"
        "@main.conf:7: community must not be empty\n",
        {0}},
    /* Notification targets. */
    {"notify: the brief's example",
        "sendmail \"/usr/lib/sendmail\"\n"
        "notify \"noc\" {\n"
        "\ttrap v2c 127.0.0.1 port 16300 community \"noc\"\n"
        "\tseverity major                  # at least\n"
        "\trole operations\n"
        "\tdevices \"core*\"\n"
        "\tescalate 15m to \"oncall\"\n"
        "}\n"
        "notify \"oncall\" { mail \"oncall@@example.net\" }\n"
        "notify \"log\" { syslog udp 127.0.0.1 port 16514 }\n"
        "notify \"ticket\" { exec \"/usr/local/bin/ticket\" \"--queue\" "
        "\"noc\" }\n",
        {{0}}, {0}, NULL,
        {"sendmail=/usr/lib/sendmail", "notifies=noc,oncall,log,ticket/4",
            "nt/noc=trap 127.0.0.1:16300 v2c:noc | sev=3 roles=1 "
            "devices=core* kinds= | esc=900>oncall rep=0*0 only=0 | t=2 "
            "r=10 q=1000 @2",
            "nt/oncall=mail oncall@example.net from= | sev=0 roles=0 "
            "devices= kinds= | esc=0> rep=0*0 only=1 | t=30 r=10 q=1000 @9",
            "nt/log=syslog udp 127.0.0.1:16514 fac=16 | sev=0 roles=0 "
            "devices= kinds= | esc=0> rep=0*0 only=0 | t=5 r=10 q=1000 @10",
            "nt/ticket=exec /usr/local/bin/ticket --queue noc | sev=0 "
            "roles=0 devices= kinds= | esc=0> rep=0*0 only=0 | t=30 r=10 "
            "q=1000 @11"}},
    {"notify: v3, inform, tcp syslog, every setting",
        "notify \"v3trap\" {\n"
        " trap v3 ::1 user \"nocu\" auth sha \"authpass1\" priv aes "
        "\"privpass1\" engine-id \"0x80007ed9040102\"\n"
        " role security business\n kinds \"port.*\" \"sensor.*\"\n"
        " severity critical\n repeat 30m count 4\n"
        " timeout 1m\n retries 0\n queue 50\n}\n"
        "notify \"inf\" {\n inform v2c 127.0.0.2 port 1162\n"
        " devices \"edge?\" \"core[12]\"\n repeat 10s\n}\n"
        "notify \"inf3\" {\n"
        " inform v3 127.0.0.1 user \"u\" auth sha256 \"authpass1\" "
        "context \"c\"\n severity warning\n}\n"
        "notify \"tcp\" { syslog tcp 127.0.0.1 facility mail\n}\n"
        "notify \"m\"\n{\n mail \"a@@example.net\" \"root\" from "
        "\"np@@example.net\"\n escalate 2s to \"t\"\n}\n"
        "notify \"t\" { exec \"/bin/true\"\n timeout 2 }\n",
        {{0}}, {0}, NULL,
        {"notifies=v3trap,inf,inf3,tcp,m,t/6",
            "nt/v3trap=trap ::1:162 v3:nocu:sha:authpass1:aes:privpass1: "
            "engine=80007ed9040102 | sev=4 roles=6 devices= "
            "kinds=port.*,sensor.* | esc=0> rep=1800*4 only=0 | t=60 r=0 "
            "q=50 @1",
            "nt/inf=inform 127.0.0.2:1162 v2c:public | sev=0 roles=0 "
            "devices=edge?,core[12] kinds= | esc=0> rep=10*0 only=0 | t=2 "
            "r=10 q=1000 @11",
            "nt/inf3=inform 127.0.0.1:162 v3:u:sha256:authpass1:none::c | "
            "sev=1 roles=0 devices= kinds= | esc=0> rep=0*0 only=0 | t=2 "
            "r=10 q=1000 @16",
            "nt/tcp=syslog tcp 127.0.0.1:514 fac=2 | sev=0 roles=0 devices= "
            "kinds= | esc=0> rep=0*0 only=0 | t=5 r=10 q=1000 @20",
            "nt/m=mail a@example.net,root from=np@example.net | sev=0 "
            "roles=0 devices= kinds= | esc=2>t rep=0*0 only=0 | t=30 r=10 "
            "q=1000 @22",
            "nt/t=exec /bin/true | sev=0 roles=0 devices= kinds= | esc=0> "
            "rep=0*0 only=1 | t=2 r=10 q=1000 @27",
            "sendmail=/usr/sbin/sendmail"}},
    {"notify: bad destinations",
        "notify \"a\" { }\n"
        "notify \"b\" {\n trap v2c 127.0.0.1\n mail \"x@@y\"\n}\n"
        "notify \"c\" { trap v2c \"noc.example.net\" }\n"
        "notify \"d\" { trap v1 127.0.0.1 }\n"
        "notify \"e\" { inform v3 127.0.0.1 user \"u\" auth sha \"12345678\" "
        "engine-id \"0x8000000001\" }\n"
        "notify \"f\" { syslog sctp 127.0.0.1 }\n"
        "notify \"g\" { syslog udp 127.0.0.1 facility local9 }\n"
        "notify \"h\" { exec \"ticket\" }\n"
        "notify \"i\" { mail \"-oQ/tmp\" }\n"
        "notify \"j\" { mail \"a@@b\" from \"x y\" }\n"
        "notify \"k\" { trap v3 127.0.0.1 }\n"
        "notify \"l\" { trap v2c 127.0.0.1 port 0 }\n"
        "notify \"m\" { mail \"1\" \"2\" \"3\" \"4\" \"5\" \"6\" \"7\" \"8\" "
        "\"9\" }\n",
        {{0}}, {0},
        "@main.conf:1: notify \"a\" has no destination (trap, inform, "
        "syslog, mail or exec)\n"
        "@main.conf:4: notify \"b\" has a destination already (trap): one "
        "per target\n"
        "@main.conf:6: invalid address \"noc.example.net\" (an IP address: "
        "notify targets are never looked up by name)\n"
        "@main.conf:7: trap v1 is not supported (v2c or v3)\n"
        "@main.conf:8: engine-id is for v3 traps: an inform's receiver is "
        "discovered\n"
        "@main.conf:9: unknown protocol \"sctp\" for syslog (udp or tcp)\n"
        "@main.conf:10: unknown syslog facility \"local9\" (kern, user, "
        "daemon, ..., local0 to local7)\n"
        "@main.conf:11: exec: \"ticket\" must be an absolute path (it is run "
        "with execve, without a shell)\n"
        "@main.conf:12: invalid mail address \"-oQ/tmp\"\n"
        "@main.conf:13: invalid mail address \"x y\"\n"
        "@main.conf:14: snmp v3 needs a user\n"
        "@main.conf:15: port must be between 1 and 65535\n"
        "@main.conf:16: too many mail recipients (at most 8)\n",
        {0}},
    {"notify: bad filters, escalation and delivery",
        "notify \"a\" {\n trap v2c 127.0.0.1\n severity dire\n"
        " role operations noc\n severity major\n severity minor\n"
        " escalate 0 to \"b\"\n repeat 1h count 0\n timeout 2h\n"
        " retries 101\n queue 0\n devices \"\"\n kinds \"a\"\n kinds \"b\"\n"
        "}\n"
        "notify \"b c\" { exec \"/bin/true\" }\n"
        "notify \"d\" { exec \"/bin/true\" }\nnotify \"d\" { exec "
        "\"/bin/true\" }\n"
        "notify \"e\" {\n exec \"/bin/true\"\n listen trap udp 127.0.0.1\n"
        " interval 5\n}\n"
        "severity major\n",
        {{0}}, {0},
        "@main.conf:3: unknown severity \"dire\" (info, warning, minor, "
        "major or critical)\n"
        "@main.conf:4: unknown role \"noc\" (operations, security or "
        "business)\n"
        "@main.conf:5: \"severity\" given twice\n"
        "@main.conf:6: \"severity\" given twice\n"
        "@main.conf:7: escalate must be between 1 and 604800 seconds\n"
        "@main.conf:8: repeat count must be between 1 and 1000\n"
        "@main.conf:9: timeout must be between 1 and 3600 seconds\n"
        "@main.conf:10: retries must be between 0 and 100\n"
        "@main.conf:11: queue must be between 1 and 1000000\n"
        "@main.conf:12: device patterns must not be empty\n"
        "@main.conf:14: \"kinds\" given twice\n"
        "@main.conf:16: invalid notify name \"b c\" (use letters, digits, "
        "\".\", \"-\" and \"_\")\n"
        "@main.conf:18: notify \"d\" defined twice\n"
        "@main.conf:21: \"listen\" is not valid inside a notify block\n"
        "@main.conf:22: \"interval\" is not valid inside a notify block\n"
        "@main.conf:24: \"severity\" is only valid inside a notify block\n",
        {0}},
    {"notify: escalation to nowhere, to itself, in a loop",
        "notify \"a\" { trap v2c 127.0.0.1\n escalate 1m to \"nope\" }\n"
        "notify \"b\" { trap v2c 127.0.0.1\n escalate 1m to \"b\" }\n"
        "notify \"c\" { trap v2c 127.0.0.1\n escalate 1m to \"d\" }\n"
        "notify \"d\" { trap v2c 127.0.0.1\n escalate 1m to \"e\" }\n"
        "notify \"e\" { trap v2c 127.0.0.1\n escalate 1m to \"c\" }\n",
        {{0}}, {0},
        "@main.conf:2: escalate to \"nope\": no such notify target\n"
        "@main.conf:4: notify \"b\" escalates to itself (use repeat)\n"
        "@main.conf:6: escalation loop: c -> d -> e -> c\n",
        {0}},
    {"notify: not closed at the end of the file",
        "notify \"a\" {\n trap v2c 127.0.0.1\n", {{0}}, {0},
        "@main.conf:2: syntax error at end of file: notify \"a\" is not "
        "closed with \"}\"\n",
        {0}},
    {"notify: sendmail must be absolute", "sendmail \"sendmail\"\n", {{0}}, {0},
        "@main.conf:1: sendmail must be an absolute path\n", {0}},
    {"trap rules, storm and MIBs",
        "trap storm 200 per 10s\ntrap mibs \"none\"\n"
        "trap rule \"1.3.6.1.4.1.9.9.43.2.0.2\" kind \"config.changed\"\n"
        "trap rule \".1.3.6.1.4.1.9.9.41.2.0.1\" match "
        "\"1.3.6.1.4.1.9.9.41.1.2.3.1.4\" \"^(CONFIG_I|RELOAD)$\" "
        "match \"1.3.6.1.4.1.9.9.41.1.2.3.1.2\" \"SYS\" kind \"syslog.x\" "
        "severity critical key \"k:%2\" text \"said %5\"\n"
        "trap rule \"IF-MIB::linkDown\" kind \"port.flap\" severity info\n",
        {{0}}, {0}, NULL,
        {"trapstorm=200/10", "trapmibs=none",
            "traprules=1.3.6.1.4.1.9.9.43.2.0.2:config.changed:1:::0,"
            ".1.3.6.1.4.1.9.9.41.2.0.1:syslog.x:4:k:%2:said %5:2:"
            "1.3.6.1.4.1.9.9.41.1.2.3.1.4~^(CONFIG_I|RELOAD)$:"
            "1.3.6.1.4.1.9.9.41.1.2.3.1.2~SYS,"
            "IF-MIB::linkDown:port.flap:0:::0"}},
    {"bad trap rules",
        "trap rule \"1.3.6..1\" kind \"x\"\n"
        "trap rule \"1.3.6.1\" severity warning\n"
        "trap rule \"1.3.6.1\" kind \"a b\"\n"
        "trap rule \"1.3.6.1\" kind \"x\" severity dire\n"
        "trap rule \"1.3.6.1\" kind \"x\" match \"1.3\" \"(\"\n"
        "trap rule \"1.3.6.1\" kind \"x\" kind \"y\"\n"
        "trap storm 0 per 10s\ntrap storm 10 per 0\n"
        "trap user \"u\" auth sha \"12345678\" engine-id \"0x1234\"\n",
        {{0}}, {0},
        "@main.conf:1: trap rule: \"1.3.6..1\" is not an OID "
        "(1.3.6.1.4.1.9.9.43.2.0.1, or a MIB name)\n"
        "@main.conf:2: trap rule 1.3.6.1 needs a kind\n"
        "@main.conf:3: trap rule: kind \"a b\" must be letters, digits, "
        "'.', '_' or '-'\n"
        "@main.conf:4: trap rule: unknown severity \"dire\" (info, warning, "
        "minor, major or critical)\n"
        "@main.conf:5: trap rule: bad regular expression \"(\": "
        "Unmatched ( or \\(\n" /* glibc's words */
        "@main.conf:6: trap rule: an option is given twice\n"
        "@main.conf:7: trap storm must be between 1 and 10000000\n"
        "@main.conf:8: trap storm window must be between 1 and 86400 "
        "seconds\n"
        "@main.conf:9: engine-id \"0x1234\" is not 5 to 32 octets in hex "
        "(0x8000...)\n",
        {0}},
    {"findings: defaults", "", {{0}}, {0}, NULL,
        {"findings=close=3600 flap=5/600 P1=900/14400 P2=1800/28800 "
         "P3=14400/259200 P4=86400/604800"}},
    {"findings: deadlines, flapping, windows, impact, dependencies",
        "finding close-after 1d\nfinding flap 3 per 10m\n"
        "priority 1 respond 5m resolve 1h\npriority 4 respond 1w resolve 4w\n"
        "maintenance \"core*\" from \"2026-11-28 22:00\" until "
        "\"2026-11-29 02:30\"\n"
        "template \"t\" { impact high\ndepends \"core1\" }\n"
        "device \"core1\" { address 192.0.2.1\nimpact low }\n"
        "device \"acc1\" { address 192.0.2.2\nuse \"t\" }\n",
        {{0}}, {0}, NULL,
        {"findings=close=86400 flap=3/600 P1=300/3600 P2=1800/28800 "
         "P3=14400/259200 P4=604800/2419200",
            "maint=core*:16200", "dev/core1/impact=2", "dev/core1/depends=",
            "dev/acc1/impact=0", "dev/acc1/depends=core1"}},
    {"bad findings statements",
        "finding close-after -1\nfinding flap 1 per 10m\n"
        "priority 5 respond 5m resolve 1h\n"
        "priority 1 respond 2h resolve 1h\n"
        "maintenance \"x\" from \"tomorrow\" until \"later\"\n"
        "maintenance \"x\" from \"2026-11-28 10:00\" until "
        "\"2026-11-28 09:00\"\n"
        "device \"d\" { address 192.0.2.1\nimpact huge }\n",
        {{0}}, {0},
        "@main.conf:1: finding close-after must be between 0 and 31536000 "
        "seconds\n"
        "@main.conf:2: finding flap must be between 2 and 1000\n"
        "@main.conf:3: priority must be between 1 and 4\n"
        "@main.conf:4: priority 1: respond must be at least 1 second and "
        "not after resolve\n"
        "@main.conf:5: maintenance: times are \"YYYY-MM-DD HH:MM\" (local "
        "time)\n"
        "@main.conf:6: maintenance: it must end after it begins\n"
        "@main.conf:8: impact must be high, medium or low\n",
        {0}},
    {"syslog defaults", "listen syslog udp 127.0.0.1\n", {{0}}, {0}, NULL,
        {"listens=syslog:udp:127.0.0.1:514",
            "syslog=keep=30 rows=10000000 rate=10000/1 login=5/60 "
            "conns=1000/32 idle=600 frame=30",
            "syslogrules="}},
    {"syslog listeners, limits, retention and rules",
        "listen syslog tcp ::1 port 1514\n"
        "listen syslog tls 127.0.0.1 certificate \"/etc/c.pem\" key "
        "\"/etc/k.pem\"\n"
        "listen syslog udp 127.0.0.1 port 1514\n"
        "syslog keep 2w\nsyslog max-rows 5000\nsyslog ratelimit 200 per 5s\n"
        "syslog login-failures 3 per 2m\n"
        "syslog max-connections 50 per-sender 5\n"
        "syslog idle-timeout 1m\nsyslog frame-timeout 5\n"
        "syslog rule mnemonic \"%LINK-*\" level warning kind \"l.x\"\n"
        "syslog rule device \"sw\" facility local7 match \"a(b)\" "
        "kind \"k\" severity critical key \"k:%1\" text \"t %text\"\n",
        {{0}}, {0}, NULL,
        {"listens=syslog:tcp:::1:1514,"
         "syslog:tls:127.0.0.1:6514(/etc/c.pem|/etc/k.pem),"
         "syslog:udp:127.0.0.1:1514",
            "syslog=keep=14 rows=5000 rate=200/5 login=3/120 conns=50/5 "
            "idle=60 frame=5",
            "syslogrules=:-1:4:LINK-*::l.x:1::,"
            "sw:23:-1::a(b):k:4:k:%1:t %text"}},
    {"syslog max-size: no bound by default", "", {{0}}, {0}, NULL,
        {"syslog_max_size=0"}},
    {"syslog queue: 256M by default", "", {{0}}, {0}, NULL,
        {"syslog_queue=268435456"}},
    {"syslog queue", "syslog queue 2G\n", {{0}}, {0}, NULL,
        {"syslog_queue=2147483648"}},
    {"bad syslog queue", "syslog queue 1M\nsyslog queue 65G\nsyslog queue x\n",
        {{0}}, {0},
        "@main.conf:1: syslog queue must be between 16M and 64G\n"
        "@main.conf:2: syslog queue must be between 16M and 64G\n"
        "@main.conf:3: invalid size \"x\" for syslog queue (bytes, or a "
        "number with K, M, G or T)\n",
        {0}},
    {"syslog max-size in bytes", "syslog max-size 1048576\n", {{0}}, {0}, NULL,
        {"syslog_max_size=1048576"}},
    {"syslog max-size with K", "syslog max-size 4096K\n", {{0}}, {0}, NULL,
        {"syslog_max_size=4194304"}},
    {"syslog max-size with M", "syslog max-size 512M\n", {{0}}, {0}, NULL,
        {"syslog_max_size=536870912"}},
    {"syslog max-size with G", "syslog max-size 2G\n", {{0}}, {0}, NULL,
        {"syslog_max_size=2147483648"}},
    {"syslog max-size with T, lower case, quoted", "syslog max-size \"1t\"\n",
        {{0}}, {0}, NULL, {"syslog_max_size=1099511627776"}},
    {"syslog max-size with a fraction and a unit", "syslog max-size 1.5G\n",
        {{0}}, {0}, NULL, {"syslog_max_size=1610612736"}},
    {"syslog max-size 0: no bound", "syslog max-size 2G\nsyslog max-size 0\n",
        {{0}}, {0}, NULL, {"syslog_max_size=0"}},
    {"syslog max-size at its bounds", "syslog max-size 16T\n", {{0}}, {0}, NULL,
        {"syslog_max_size=17592186044416"}},
    {"bad syslog max-size",
        "syslog max-size 2X\nsyslog max-size 1.5\nsyslog max-size -1\n"
        "syslog max-size 1000000\nsyslog max-size 17T\n"
        "syslog max-size G\nsyslog max-size 2GB\n"
        "syslog max-size 99999999999999999999G\nsyslog max-size\n"
        "syslog max-size 0x10\n",
        {{0}}, {0},
        "@main.conf:1: invalid size \"2X\" for syslog max-size (bytes, or a "
        "number with K, M, G or T)\n"
        "@main.conf:2: invalid size \"1.5\" for syslog max-size (bytes, or "
        "a number with K, M, G or T)\n"
        "@main.conf:3: invalid size \"-1\" for syslog max-size (bytes, or a "
        "number with K, M, G or T)\n"
        "@main.conf:4: syslog max-size must be 0 (no bound) or between 1M "
        "and 16T\n"
        "@main.conf:5: syslog max-size must be 0 (no bound) or between 1M "
        "and 16T\n"
        "@main.conf:6: invalid size \"G\" for syslog max-size (bytes, or a "
        "number with K, M, G or T)\n"
        "@main.conf:7: invalid size \"2GB\" for syslog max-size (bytes, or "
        "a number with K, M, G or T)\n"
        "@main.conf:8: syslog max-size must be 0 (no bound) or between 1M "
        "and 16T\n"
        "@main.conf:9: syntax error at end of line\n"
        "@main.conf:10: invalid size \"0x10\" for syslog max-size (bytes, "
        "or a number with K, M, G or T)\n",
        {0}},
    {"syslog ratelimit off", "syslog ratelimit off\n", {{0}}, {0}, NULL,
        {"syslog=keep=30 rows=10000000 rate=0/0 login=5/60 conns=1000/32 "
         "idle=600 frame=30"}},
    {"syslog tls clients: ca, peers, fingerprints in every form",
        "listen syslog tls 127.0.0.1 port 6514 certificate \"/c\" key \"/k\" "
        "ca \"/etc/ca.pem\" peer \"*.dc1.example\" peer \"LOGS?.example.net\" "
        "fingerprint \"" FP_COLON "\"\n"
        "listen syslog tls 127.0.0.1 port 6515 fingerprint \"sha-256:" FP_BARE
        "\" key \"/k\" certificate \"/c\" fingerprint \"" FP_BARE "\"\n"
        "listen syslog tls 127.0.0.1 port 6516 certificate \"/c\" key \"/k\" "
        "fingerprint \"" FP_LOWER "\"\n",
        {{0}}, {0}, NULL,
        {"listens=syslog:tls:127.0.0.1:6514(/c|/k),"
         "syslog:tls:127.0.0.1:6515(/c|/k),"
         "syslog:tls:127.0.0.1:6516(/c|/k)",
            "tls=/etc/ca.pem:*.dc1.example|LOGS?.example.net:" FP_HEX ","
            "::" FP_HEX2 "|" FP_HEX2 ",::" FP_HEX}},
    {"bad syslog tls client settings",
        "listen syslog tls 127.0.0.1 certificate \"/c\" key \"/k\" peer "
        "\"*.example\"\n"
        "listen syslog tcp 127.0.0.1 peer \"*.example\"\n"
        "listen syslog udp 127.0.0.1 fingerprint \"" FP_BARE "\"\n"
        "listen syslog tcp 127.0.0.1 port 2 ca \"/ca\"\n"
        "listen syslog tls 127.0.0.1 port 3 certificate \"/c\" key \"/k\" "
        "fingerprint \"SHA1:AB:CD\"\n"
        "listen syslog tls 127.0.0.1 port 4 certificate \"/c\" key \"/k\" "
        "fingerprint \"SHA256:AB:CD\"\n"
        "listen syslog tls 127.0.0.1 port 5 certificate \"/c\" key \"/k\" "
        "fingerprint \"" FP_BARE "00\"\n"
        "listen syslog tls 127.0.0.1 port 6 certificate \"/c\" key \"/k\" "
        "fingerprint \"AB:CDAB\"\n"
        "listen syslog tls 127.0.0.1 port 7 certificate \"/c\" key \"/k\" "
        "ca \"/a\" ca \"/b\"\n"
        "listen syslog tls 127.0.0.1 port 8 certificate \"/c\" key \"/k\" "
        "ca \"ca.pem\"\n"
        "listen syslog tls 127.0.0.1 port 9 certificate \"/c\" key \"/k\" "
        "ca \"/ca\" peer \"\"\n"
        "listen syslog tls 127.0.0.1 port 10 ca \"/ca\"\n"
        "listen trap udp 127.0.0.1 ca \"/ca\"\n",
        {{0}}, {0},
        "@main.conf:1: peer needs ca: a certificate's names are trusted "
        "only once it is verified\n"
        "@main.conf:2: a peer is only for listen syslog tls\n"
        "@main.conf:3: a fingerprint is only for listen syslog tls\n"
        "@main.conf:4: a ca is only for listen syslog tls\n"
        "@main.conf:5: fingerprint \"SHA1:AB:CD\": only SHA-256 fingerprints "
        "are supported (SHA-256:AB:CD:...)\n"
        "@main.conf:6: fingerprint \"SHA256:AB:CD\": not a SHA-256 "
        "fingerprint (32 bytes in hex, as SHA-256:AB:CD:...)\n"
        "@main.conf:7: fingerprint \"" FP_BARE "00\": not a SHA-256 "
        "fingerprint (32 bytes in hex, as SHA-256:AB:CD:...)\n"
        "@main.conf:8: fingerprint \"AB:CDAB\": not a SHA-256 "
        "fingerprint (32 bytes in hex, as SHA-256:AB:CD:...)\n"
        "@main.conf:9: \"ca\" given twice\n"
        "@main.conf:10: ca must be an absolute path\n"
        "@main.conf:11: peer must not be empty\n"
        "@main.conf:12: listen syslog tls needs certificate \"FILE\" key "
        "\"FILE\"\n"
        "@main.conf:13: syntax error near \"ca\"\n",
        {0}},
    {"bad syslog settings",
        "listen syslog tls 127.0.0.1\n"
        "listen syslog tcp 127.0.0.1 certificate \"/c\" key \"/k\"\n"
        "listen trap tls 127.0.0.1\n"
        "syslog rule kind \"x\"\n"
        "syslog rule level err\n"
        "syslog rule facility local9 kind \"x\"\n"
        "syslog rule level loud kind \"x\"\n"
        "syslog rule match \"(\" kind \"x\"\n"
        "syslog rule level err level info kind \"x\"\n"
        "syslog ratelimit 0 per 1s\nsyslog ratelimit sometimes\n"
        "syslog keep 0\nsyslog login-failures 1 per 1m\n"
        "listen syslog udp 127.0.0.1\nlisten syslog tcp 127.0.0.1\n"
        "listen syslog tls 127.0.0.1 port 514 certificate \"/c\" key "
        "\"/k\"\n",
        {{0}}, {0},
        "@main.conf:1: listen syslog tls needs certificate \"FILE\" key "
        "\"FILE\"\n"
        "@main.conf:2: a certificate is only for listen syslog tls\n"
        "@main.conf:3: unknown protocol \"tls\" for listen trap (udp)\n"
        "@main.conf:4: syslog rule needs a condition (device, facility, "
        "level, mnemonic or match)\n"
        "@main.conf:5: syslog rule needs a kind\n"
        "@main.conf:6: syslog rule: unknown facility \"local9\" (kern, "
        "user, ..., local0-local7)\n"
        "@main.conf:7: syslog rule: unknown level \"loud\" (emerg, alert, "
        "crit, err, warning, notice, info, debug)\n"
        "@main.conf:8: syslog rule: bad regular expression \"(\": "
        "Unmatched ( or \\(\n"
        "@main.conf:9: syslog rule: an option is given twice\n"
        "@main.conf:10: syslog ratelimit must be between 1 and 100000000\n"
        "@main.conf:11: syslog ratelimit takes \"N per DURATION\" or "
        "\"off\"\n"
        "@main.conf:12: syslog keep must be between 1 and 36500 days\n"
        "@main.conf:13: syslog login-failures must be between 2 and "
        "100000\n"
        "@main.conf:16: tcp 127.0.0.1 port 514 is already used by line "
        "15\n",
        {0}},
    {"bad trap users",
        "trap user \"a\"\ntrap user \"b\" auth sha \"12345678\" context \"c\"\n"
        "trap user \"c\" auth sha \"1234\"\n"
        "trap user \"d\" auth sha \"12345678\"\n"
        "trap user \"d\" auth md5 \"12345678\"\n"
        "trap user \"e\" user \"f\" auth md5 \"12345678\"\n"
        "trap community \"\"\n",
        {{0}}, {0},
        "@main.conf:1: trap user \"a\" needs auth\n"
        "@main.conf:2: \"context\" is not valid for a trap user\n"
        "@main.conf:3: auth passphrase must be at least 8 characters\n"
        "@main.conf:5: trap user \"d\" defined twice\n"
        "@main.conf:6: \"user\" given twice\n"
        "@main.conf:7: community must not be empty\n",
        {0}},
    {"bad listen statements",
        "listen trap tcp 0.0.0.0\nlisten syslog sctp 0.0.0.0\n"
        "listen syslog udp localhost\nlisten syslog udp 0.0.0.0 port 70000\n"
        "listen trap udp 0.0.0.0 port 514\nlisten syslog udp 0.0.0.0\n"
        "http localhost port 80\n",
        {{0}}, {0},
        "@main.conf:1: unknown protocol \"tcp\" for listen trap (udp)\n"
        "@main.conf:2: unknown protocol \"sctp\" for listen syslog (udp, tcp "
        "or tls)\n"
        "@main.conf:3: invalid listen address \"localhost\"\n"
        "@main.conf:4: port must be between 1 and 65535\n"
        "@main.conf:6: udp 0.0.0.0 port 514 is already used by line 5\n"
        "@main.conf:7: invalid http address \"localhost\"\n",
        {0}},
    {"bad paths",
        "state-dir \"var/lib\"\npidfile \"\"\n"
        "control \"/" LONG64 LONG64 "\"\nrrdcached \"unix:run/r.sock\"\n"
        "user \"\"\n",
        {{0}}, {0},
        "@main.conf:1: state-dir must be an absolute path\n"
        "@main.conf:2: pidfile must be an absolute path\n"
        "@main.conf:3: control too long (max 107 characters)\n"
        "@main.conf:4: rrdcached socket must be an absolute path\n"
        "@main.conf:5: user must not be empty\n",
        {0}},
    {"control modes: long or not octal (a fuzz find: no overflow)",
        "control \"/tmp/np.sock\" mode 77777777777777777777\n"
        "control \"/tmp/np.sock\" mode 0768\n"
        "control \"/tmp/np.sock\" mode 0400\n",
        {{0}}, {0},
        "@main.conf:1: control mode 9223372036854775807: octal permissions "
        "expected, such as 0660\n"
        "@main.conf:2: control mode 768: octal permissions expected, such "
        "as 0660\n"
        "@main.conf:3: control mode 400: the daemon's own user must read "
        "and write it (0600 at least)\n",
        {0}},
    {"regular expressions regcomp would take gigabytes for (fuzz find)",
        "policy \"p\" {\n\trequire \"^a+++++++++++++++++++++++++++++++\"\n}\n"
        "syslog rule match \"(a{1000}){1000}\" kind \"x.y\"\n",
        {{0}}, {0},
        "@main.conf:2: require: bad regular expression "
        "\"^a+++++++++++++++++++++++++++++++\": its repetitions nest too "
        "deep (over 100000 copies for regcomp to make)\n"
        "@main.conf:4: syslog rule: bad regular expression "
        "\"(a{1000}){1000}\": its repetitions nest too deep (over 100000 "
        "copies for regcomp to make)\n",
        {0}},
#ifdef HAVE_LIBPQ
    {"cluster block", "cluster {\n\tnode \"poller-a\"\n\tlease 45s\n"
        "\tdatabase \"host=db dbname=np\"\n}\n", {{0}}, {0}, NULL,
        {"cluster=poller-a/45/host=db dbname=np"}},
    {"cluster block: the default lease", "cluster {\n\tnode n1\n"
        "\tdatabase \"dbname=np\"\n}\n", {{0}}, {0}, NULL,
        {"cluster=n1/30/dbname=np"}},
    {"cluster block: errors",
        "cluster {\n\tnode \"a b\"\n\tlease 1s\n\tlease 2h\n"
        "\tbogus 1\n\tnode\n}\n",
        {{0}}, {0},
        "@main.conf:2: cluster: invalid node name \"a b\"\n"
        "@main.conf:3: cluster lease must be between 2 and 3600 seconds\n"
        "@main.conf:4: cluster lease must be between 2 and 3600 seconds\n"
        "@main.conf:5: cluster: unknown setting \"bogus\" (node, lease or "
        "database)\n"
        "@main.conf:6: cluster: node takes one value\n"
        "@main.conf:1: cluster: node \"NAME\" is needed\n"
        "@main.conf:1: cluster: database \"CONNINFO\" is needed "
        "(PostgreSQL holds the leases)\n",
        {0}},
#endif
    {"unterminated string", "user \"abc\nmax-inflight 0\n", {{0}}, {0},
        "@main.conf:1: unterminated quoted string\n"
        "@main.conf:2: max-inflight must be between 1 and 100000\n",
        {0}},
    {"undefined macros",
        "user $nope\nuser \"x$nope2\"\nuser \"${x\"\nmax-inflight 0\n", {{0}},
        {0},
        "@main.conf:1: macro \"nope\" not defined\n"
        "@main.conf:2: macro \"nope2\" not defined\n"
        "@main.conf:3: missing \"}\" after \"${x\"\n"
        "@main.conf:4: max-inflight must be between 1 and 100000\n",
        {0}},
    {"bad macro names", "1x = \"a\"\nx-y = \"b\"\n", {{0}}, {0},
        "@main.conf:1: invalid macro name \"1x\"\n"
        "@main.conf:2: invalid macro name \"x-y\"\n",
        {0}},
    {"bad command line macros", "", {{0}}, {"novalue", "9a=b", NULL},
        "command line: invalid macro definition \"novalue\"\n"
        "command line: invalid macro name \"9a\"\n",
        {0}},
    {"missing include", "\ninclude \"nope.conf\"\n", {{0}}, {0},
        "@main.conf:2: cannot open \"@nope.conf\": No such file or directory\n",
        {0}},
    {"include loop", "include \"main.conf\"\n", {{0}}, {0},
        "@main.conf:1: includes nested too deeply (max 7)\n", {0}},
    {"errors in an included file name it",
        "include \"inc.conf\"\nmax-inflight 0\n",
        {{"inc.conf", "user \"u\"\n\ndevice \"d\" {\n interval 0\n}"}}, {0},
        "@inc.conf:4: interval must be between 1 and 86400\n"
        "@inc.conf:3: device \"d\" has no address\n"
        "@main.conf:2: max-inflight must be between 1 and 100000\n",
        {0}},
    {"syntax error on an included file's last line, without newline",
        "include \"inc.conf\"\n", {{"inc.conf", "\nuser"}}, {0},
        "@inc.conf:2: syntax error at end of line\n", {0}},
    {"errors are all collected, and parsing goes on",
        "foo\nmax-inflight x\ndevice \"d\" {\n bar 1\n interval 0\n}\n"
        "device \"d\" {\n address 10.0.0.1\n}\nstore queue 1\n",
        {{0}}, {0},
        "@main.conf:1: unknown keyword \"foo\"\n"
        "@main.conf:2: syntax error near \"x\"\n"
        "@main.conf:4: unknown keyword \"bar\"\n"
        "@main.conf:5: interval must be between 1 and 86400\n"
        "@main.conf:3: device \"d\" has no address\n"
        "@main.conf:10: store queue must be between 1000 and 100000000\n",
        {0}},

    /* Errors in process rules and thresholds. */
    {"unknown threshold classes",
        "threshold foo warning 1\nthreshold other warning 1\n"
        "device \"d\" {\n address 10.0.0.1\n threshold state warning 1\n"
        " threshold \"\" warning 1\n}\n",
        {{0}}, {0},
        "@main.conf:1: unknown sensor class \"foo\" (temperature, fanspeed, "
        "voltage, current, power, frequency, humidity, airflow, dbm or "
        "load)\n"
        "@main.conf:2: unknown sensor class \"other\" (temperature, fanspeed, "
        "voltage, current, power, frequency, humidity, airflow, dbm or "
        "load)\n"
        "@main.conf:5: unknown sensor class \"state\" (temperature, fanspeed, "
        "voltage, current, power, frequency, humidity, airflow, dbm or "
        "load)\n"
        "@main.conf:6: unknown sensor class \"\" (temperature, fanspeed, "
        "voltage, current, power, frequency, humidity, airflow, dbm or "
        "load)\n",
        {0}},
    {"thresholds without options, with options twice, inconsistent",
        "threshold temperature\nthreshold load warning 1 warning 2\n"
        "threshold load hysteresis -1\n"
        "threshold load warning 90 critical 80\n"
        "threshold humidity low-warning 5 low-critical 10\n"
        "threshold load critical 1 hysteresis 1 critical 1\n"
        "threshold dbm low-warning -20 low-critical -20 warning -3 "
        "critical -3\n",
        {{0}}, {0},
        "@main.conf:1: threshold needs warning, critical, low-warning, "
        "low-critical or hysteresis\n"
        "@main.conf:2: \"warning\" given twice\n"
        "@main.conf:3: hysteresis must not be negative\n"
        "@main.conf:4: warning must not be above critical\n"
        "@main.conf:5: low-warning must not be below low-critical\n"
        "@main.conf:6: \"critical\" given twice\n",
        {0}},
    {"threshold syntax errors",
        "threshold\nthreshold load warning\nthreshold load warning abc\n"
        "threshold load warning 1e3\nthreshold load warning \"5\"\n"
        "threshold load warning .5\nthreshold sensor warning 1\n"
        "threshold load 5\n",
        {{0}}, {0},
        "@main.conf:1: syntax error at end of line\n"
        "@main.conf:2: syntax error at end of line\n"
        "@main.conf:3: syntax error near \"abc\"\n"
        "@main.conf:4: syntax error near \"1e3\"\n"
        "@main.conf:5: syntax error near \"5\"\n"
        "@main.conf:6: syntax error near \".5\"\n"
        "@main.conf:7: syntax error near \"warning\"\n"
        "@main.conf:8: syntax error near \"5\"\n",
        {0}},
    {"threshold numbers out of range",
        "threshold load warning 99999999999999999999999\n"
        "threshold load critical -99999999999999999999999\n"
        "threshold load warning 1" ZEROS400 ".5\n",
        {{0}}, {0},
        "@main.conf:1: number out of range\n"
        "@main.conf:2: number out of range\n"
        "@main.conf:3: number out of range\n",
        {0}},
    {"sensor thresholds at the top, bad sensor names",
        "threshold sensor \"CPU Temp\" warning 80\n"
        "device \"d\" {\n address 10.0.0.1\n"
        " threshold sensor \"\" warning 1\n"
        " threshold sensor \"" LONG256 "\" warning 1\n}\n",
        {{0}}, {0},
        "@main.conf:1: threshold sensor is only valid inside a device or "
        "template block\n"
        "@main.conf:4: sensor name must not be empty\n"
        "@main.conf:5: sensor name too long (max 255 characters)\n",
        {0}},
    {"thresholds given twice",
        "threshold load warning 1\nthreshold load critical 2\n"
        "template \"t\" {\n threshold temperature warning 1\n"
        " threshold Temperature critical 2\n}\n"
        "device \"d\" {\n address 10.0.0.1\n"
        " threshold sensor \"x\" warning 1\n use \"t\"\n"
        " threshold sensor \"x\" critical 1\n}\n",
        {{0}}, {0},
        "@main.conf:2: threshold load given twice\n"
        "@main.conf:5: threshold temperature given twice\n"
        "@main.conf:11: threshold sensor \"x\" given twice\n",
        {0}},
    {"bad process rules",
        "require process \"sshd\"\n"
        "device \"d\" {\n address 10.0.0.1\n require process \"\"\n"
        " forbid process \"" LONG64 "\"\n require process \"sshd\"\n"
        " forbid process \"sshd\"\n require process \"sshd\"\n"
        " require sshd\n forbid process\n forbid process 5\n}\n",
        {{0}}, {0},
        "@main.conf:1: \"require\" is only valid inside a device or template "
        "block\n"
        "@main.conf:4: process name must not be empty\n"
        "@main.conf:5: process name too long (max 63 characters)\n"
        "@main.conf:7: process \"sshd\" given twice\n"
        "@main.conf:8: process \"sshd\" given twice\n"
        "@main.conf:9: syntax error near \"sshd\"\n"
        "@main.conf:10: syntax error at end of line\n"
        "@main.conf:11: syntax error near \"5\"\n",
        {0}},
    {"too many process rules and thresholds",
        "device \"d\" {\n address 10.0.0.1\n" PR32 PR(99) TH32 TH(99) "}\n",
        {{0}}, {0},
        "@main.conf:35: too many process rules (at most 32)\n"
        "@main.conf:68: too many thresholds (at most 32)\n",
        {0}},
    {"too many rules through use",
        "template \"t\" {\n" PR32 TH32 "}\n"
        "device \"d\" {\n address 10.0.0.1\n require process \"x\"\n"
        " threshold load warning 1\n use \"t\"\n}\n"
        "device \"e\" {\n address 10.0.0.2\n use \"t\"\n"
        " forbid process \"p10\"\n threshold sensor \"s47\" warning 5\n"
        " forbid process \"y\"\n threshold temperature warning 1\n}\n",
        {{0}}, {0},
        "@main.conf:71: too many process rules (at most 32)\n"
        "@main.conf:71: too many thresholds (at most 32)\n"
        "@main.conf:78: too many process rules (at most 32)\n"
        "@main.conf:79: too many thresholds (at most 32)\n",
        {0}},
    {"fractions where a whole number is needed",
        "max-inflight 1.5\nstore queue 1000.0\nstore batch-window 0.5s\n"
        "events keep 1.5w\nrrd keep-step 600.5\n"
        "listen trap udp 0.0.0.0 port 162.5\nhttp ::1 port 80.8\n"
        "device \"d\" {\n address 10.0.0.1 port 161.0\n port -1.5\n"
        " timeout 1.5 retries 0.5\n retries 2.0\n max-repetitions 2.5\n"
        " interval 1.5\n interval 2.5m\n interval 1.5x\n}\n",
        {{0}}, {0},
        "@main.conf:1: max-inflight must be a whole number\n"
        "@main.conf:2: store queue must be a whole number\n"
        "@main.conf:3: store batch-window must be a whole number\n"
        "@main.conf:4: events keep must be a whole number\n"
        "@main.conf:5: rrd keep-step must be a whole number\n"
        "@main.conf:6: port must be a whole number\n"
        "@main.conf:7: port must be a whole number\n"
        "@main.conf:9: port must be a whole number\n"
        "@main.conf:10: port must be a whole number\n"
        "@main.conf:11: retries must be a whole number\n"
        "@main.conf:11: timeout must be a whole number\n"
        "@main.conf:12: retries must be a whole number\n"
        "@main.conf:13: max-repetitions must be a whole number\n"
        "@main.conf:14: interval must be a whole number\n"
        "@main.conf:15: interval must be a whole number\n"
        "@main.conf:16: invalid duration \"1.5x\"\n",
        {0}},
    /* Configuration archive. */
    {"config archive defaults and settings",
        "config keep 400d\nconfig max-versions 50\nconfig max-size 2M\n"
        "config max-inflight 8\n"
        "config rule drop \"^! Time: \"\n"
        "config rule platform junos rewrite \"^(fib-scale) [0-9]+\" \"\\\\1 <count>\"\n"
        "config rule platform ios secret \"^snmp-server community ([^ ]+)\"\n"
        "template \"cisco\" {\n"
        " config fetch \"/usr/lib/netpatrol/np-fetch-ssh\" \"%a\" \"%p\"\n"
        " config platform ios\n config interval 12h\n config env NP_FETCH_PASSWORD \"s3cret\"\n}\n"
        "device \"r1\" {\n address 10.0.0.1\n use \"cisco\"\n config timeout 30s\n"
        " config coalesce 1m\n}\n"
        "device \"r2\" {\n address 10.0.0.2\n}\n"
        "device \"r3\" {\n address 10.0.0.3\n use \"cisco\"\n"
        " config platform nxos\n config interval off\n config env A \"1\"\n}\n",
        {{0}}, {0}, NULL,
        {"cfg_keep_days=400", "cfg_max_versions=50", "cfg_max_size=2097152",
            "cfg_max_inflight=8",
            "cfg_rules=auto:drop:^! Time: ,junos:rewrite:^(fib-scale) [0-9]+:\\1 <count>,"
            "ios:secret:^snmp-server community ([^ ]+)",
            "dev/r1/cfg=/usr/lib/netpatrol/np-fetch-ssh %a %p|NP_FETCH_PASSWORD=s3cret|ios 43200 30 60",
            "dev/r2/cfg=|auto 86400 120 30",
            "dev/r3/cfg=/usr/lib/netpatrol/np-fetch-ssh %a %p|A=1|nxos 0 120 30"}},
    {"config archive errors",
        "config keep 1.5d\nconfig max-versions 1\nconfig max-size 1K\n"
        "config rule zap \"x\"\nconfig rule drop \"(\"\n"
        "config rule rewrite \"x\"\nconfig rule drop \"x\" \"y\"\n"
        "config rule platform vms drop \"x\"\n"
        "device \"d\" {\n address 10.0.0.1\n config fetch \"np-fetch\"\n"
        " config platform vms\n config interval 10s\n config timeout 0\n"
        " config env \"1X\" \"v\"\n config fetch \"/a\" \"1\" \"2\" \"3\" \"4\" \"5\" \"6\" \"7\" \"8\" \"9\" \"10\" \"11\" \"12\" \"13\" \"14\" \"15\" \"16\"\n}\n",
        {{0}}, {0},
        "@main.conf:1: config keep must be a whole number\n"
        "@main.conf:2: config max-versions must be between 2 and 1000000\n"
        "@main.conf:3: config max-size must be between 64K and 1G\n"
        "@main.conf:4: unknown config rule action \"zap\" (drop, ignore, meta, secret or rewrite)\n"
        "@main.conf:5: config rule: bad regular expression \"(\": Unmatched ( or \\(\n"
        "@main.conf:6: a rewrite rule needs a replacement\n"
        "@main.conf:7: only a rewrite rule takes a replacement\n"
        "@main.conf:8: unknown config platform \"vms\" (ios, iosxe, nxos, asa, eos or junos)\n"
        "@main.conf:11: config fetch needs a program given by its absolute path (it is run with execve, no shell)\n"
        "@main.conf:12: unknown config platform \"vms\" (ios, iosxe, nxos, asa, eos, junos or auto)\n"
        "@main.conf:13: config interval must be between 60 and 31622400 seconds\n"
        "@main.conf:14: config timeout must be between 1 and 3600 seconds\n"
        "@main.conf:15: invalid environment variable name \"1X\"\n"
        "@main.conf:16: config fetch takes at most 16 words\n",
        {0}},
    /* acl-deny: the packets are checked */
    {"acl-deny: bad packets",
        "policy \"p\" {\n"
        " acl-deny \"EDGE_IN\" \"tcp 192.0.2.1 10.0.0.1 23\"\n"
        " acl-deny \"EDGE_IN\" \"tcp 192.0.2.1 10.0.0.1 65536\"\n"
        " acl-deny \"EDGE_IN\" \"icmp 192.0.2.1 10.0.0.0/8 7\"\n"
        " acl-deny \"EDGE_IN\" \"gre 192.0.2.1 10.0.0.1\"\n"
        " acl-deny \"EDGE_IN\" \"udp 192.0.2.1 ::1\"\n"
        " acl-deny \"EDGE_IN\" \"ip 192.0.2.1\"\n"
        " acl-deny \"EDGE_IN\" \"ip 192.0.2.1 10.0.0.300\"\n"
        " acl-deny \"\" \"ip 192.0.2.1 10.0.0.1\"\n"
        " acl-deny \"E\" \"ip 192.0.2.1 10.0.0.1\" section \"^x\"\n"
        " acl-deny \"E\" \"ip any 10.0.0.0/33\"\n"
        " acl-deny \"E\" \"ip any any 1 2\"\n"
        "}\n",
        {{0}}, {0},
        "@main.conf:3: acl-deny \"EDGE_IN\": packet \"tcp 192.0.2.1 10.0.0.1 65536\": port \"65536\" (0-65535)\n"
        "@main.conf:4: acl-deny \"EDGE_IN\": packet \"icmp 192.0.2.1 10.0.0.0/8 7\": a port with tcp or udp only\n"
        "@main.conf:5: acl-deny \"EDGE_IN\": packet \"gre 192.0.2.1 10.0.0.1\": protocol \"gre\" (ip, tcp, udp, icmp or 0-255)\n"
        "@main.conf:6: acl-deny \"EDGE_IN\": packet \"udp 192.0.2.1 ::1\": IPv6 ACLs are not analysed, the rule could not be checked\n"
        "@main.conf:7: acl-deny \"EDGE_IN\": packet \"ip 192.0.2.1\": PROTO SRC DST [DPORT]\n"
        "@main.conf:8: acl-deny \"EDGE_IN\": packet \"ip 192.0.2.1 10.0.0.300\": \"10.0.0.300\" is not an address (any, A.B.C.D or A.B.C.D/LEN)\n"
        "@main.conf:9: acl-deny: the ACL name must not be empty\n"
        "@main.conf:10: acl-deny takes no section\n"
        "@main.conf:11: acl-deny \"E\": packet \"ip any 10.0.0.0/33\": \"10.0.0.0/33\" is not an address (any, A.B.C.D or A.B.C.D/LEN)\n"
        "@main.conf:12: acl-deny \"E\": packet \"ip any any 1 2\": PROTO SRC DST [DPORT], no more\n",
        {0}},
};

const size_t conf_ncases = sizeof(conf_cases) / sizeof(conf_cases[0]);
