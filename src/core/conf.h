/*
 * conf.h - netpatrold's configuration, as built by the grammar in parse.y.
 * A configuration is built completely before it is used; reload builds a
 * new one and swaps it in.
 */
#ifndef NP_CONF_H
#define NP_CONF_H

#include <sys/queue.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>

#define NP_NAME_MAX 64
#define NP_STR_MAX 256
#define NP_SECRET_MAX 128

enum snmp_ver { NP_SNMP_V1 = 1, NP_SNMP_V2C = 2, NP_SNMP_V3 = 3 };
enum snmp_auth_proto {
	NP_AUTH_NONE = 0,
	NP_AUTH_MD5,
	NP_AUTH_SHA,
	NP_AUTH_SHA224,
	NP_AUTH_SHA256,
	NP_AUTH_SHA384,
	NP_AUTH_SHA512
};
enum snmp_priv_proto {
	NP_PRIV_NONE = 0,
	NP_PRIV_DES,
	NP_PRIV_AES,
	NP_PRIV_AES192,
	NP_PRIV_AES256
};

/* Bits of device_conf.set: which fields a template or device set itself. */
#define DC_SNMP 0x0001 /* version, community, v3 credentials */
#define DC_INTERVAL 0x0002
#define DC_TIMEOUT 0x0004
#define DC_RETRIES 0x0008
#define DC_MAXREP 0x0010
#define DC_BULK 0x0020
#define DC_LOCATION 0x0040
#define DC_ROLE 0x0080
#define DC_OWNER 0x0100
#define DC_PORT 0x0200
#define DC_ADDRESS 0x0400
#define DC_IMPACT 0x0800
#define DC_DEPENDS 0x1000

/* A process that must run on a device, or must not (HOST-RESOURCES hrSWRun). */
#define NP_MAX_PROCS 32
struct proc_rule {
	char name[NP_NAME_MAX]; /* hrSWRunName, exact match */
	int forbid; /* 1: must not run */
};

/*
 * A threshold for a class of health values (sensor_class_name(): the
 * class "temperature", "load", ...), or for one sensor by name. NAN for
 * what it does not set: the rest comes from the wider rule or the default.
 */
#define NP_MAX_THRESHOLDS 32
struct threshold_conf {
	char cls[24]; /* class name */
	char sensor[NP_STR_MAX]; /* "" = every sensor of the class */
	double warn_hi, crit_hi, warn_lo, crit_lo, hysteresis;
};

struct snmp_cred {
	enum snmp_ver version;
	char community[NP_SECRET_MAX]; /* v1/v2c */
	char user[NP_NAME_MAX]; /* v3 */
	enum snmp_auth_proto auth; /* NONE: noAuthNoPriv */
	char authpass[NP_SECRET_MAX];
	enum snmp_priv_proto priv; /* NONE with auth: authNoPriv */
	char privpass[NP_SECRET_MAX];
	char context[NP_NAME_MAX]; /* v3 context name, may be "" */
	/* v3: the agent's snmpEngineID (for traps it sends), "" = discover */
	unsigned char engine_id[32];
	size_t engine_id_len;
};

/*
 * Configuration archive: how a device's running configuration is fetched
 * (netpatrold.conf(5), CONFIGURATION ARCHIVE). A program run with execve,
 * its standard output the configuration; %n, %a, %p and %% in its
 * arguments are the device's name, address and platform and a percent sign.
 * Environment entries carry what must not be on a command line.
 */
#define NP_FETCH_ARGS 16
#define NP_FETCH_ENV 8
#define CF_FETCH 0x01
#define CF_PLATFORM 0x02
#define CF_INTERVAL 0x04
#define CF_TIMEOUT 0x08
#define CF_COALESCE 0x10
#define CF_ENV 0x20
struct cfgfetch_conf {
	/* the config's strings (conf_str), shared by a template and the
	 * devices that use it; each at most NP_STR_MAX - 1 characters */
	const char *argv[NP_FETCH_ARGS]; /* argc 0: not fetched */
	int argc;
	const char *env[NP_FETCH_ENV]; /* NAME=VALUE */
	int nenv;
	int platform; /* enum cfg_platform (config/cfgplat.h), 0 auto */
	int interval; /* seconds between scheduled fetches; 0: none */
	int timeout; /* seconds a fetch may take */
	int coalesce; /* seconds: at most one fetch per device so often */
	unsigned set; /* CF_* set by this block itself */
};

/* A normalisation rule of the configuration archive (config rule). */
struct cfgrule_conf {
	TAILQ_ENTRY(cfgrule_conf) entry;
	int platform; /* enum cfg_platform; 0: every platform */
	char action[16]; /* drop, ignore, meta, secret, rewrite (cfgnorm.h) */
	char regex[NP_STR_MAX * 2];
	char repl[NP_STR_MAX];
	int has_repl;
	char file[PATH_MAX];
	int line;
};
TAILQ_HEAD(cfgrule_list, cfgrule_conf);

/*
 * A compliance policy (policy "NAME" { ... }): rules on a device's
 * configuration as fetched, applied to the devices that name it.
 */
/* POL_ACL_DENY: "acl-deny ACL PACKETS": the ACL must deny every packet
 * of PACKETS (conf_policy.c, evaluated by cfgpolicy.c with acl.h) */
enum policy_rule_kind { POL_REQUIRE = 1, POL_FORBID, POL_CHECK, POL_ACL_DENY };
/* "PROTO SRC DST [DPORT]": the packets an acl-deny rule names (IPv4) */
struct policy_packets {
	int proto; /* -1: any ("ip"), else 0-255 */
	uint32_t src, dst; /* host order */
	uint8_t slen, dlen; /* prefix lengths: 0 "any", 32 a host */
	int dport; /* -1: any */
};
#define NP_POLICY_RULES 256 /* rules per policy */
#define NP_DEV_POLICIES 8 /* policies per device */
struct policy_rule {
	enum policy_rule_kind kind;
	char regex[NP_STR_MAX * 2]; /* require, forbid; check: its name */
	char section[NP_STR_MAX]; /* "" = the whole configuration */
	char text[NP_STR_MAX]; /* what it checks, an id: "CIS-1.1.1 ..." */
	char packet[NP_STR_MAX]; /* acl-deny: the packets as written */
	struct policy_packets pkt; /* acl-deny: the packets */
	int line;
};
/* "PROTO SRC DST [DPORT]" into OUT; -1 with ERR */
int conf_policy_packets(const char *, struct policy_packets *out, char *err,
    size_t errlen);
struct policy_conf {
	TAILQ_ENTRY(policy_conf) entry;
	char name[NP_NAME_MAX];
	struct policy_rule *rules;
	int nrules;
	char file[PATH_MAX];
	int line;
};
TAILQ_HEAD(policy_list, policy_conf);

#define NP_RW_MAX 8 /* remote write: headers, and labels */
#define NP_RW_TARGETS 4 /* remote-write receivers */

/* A device, or a template (the same settings, shared by "use"). */
struct device_conf {
	TAILQ_ENTRY(device_conf) entry;
	char name[NP_NAME_MAX];
	char address[NP_STR_MAX]; /* IPv4, IPv6 or host name */
	uint16_t port; /* default 161 */
	struct snmp_cred snmp;
	int interval; /* seconds, >= 1, default 60 */
	int timeout; /* seconds, >= 1, default 2 */
	int retries; /* >= 0, default 2 */
	int max_reps; /* max-repetitions 1..1000, default 10 (not
	                                        * "max_repetitions": net-snmp #defines it) */
	int bulk; /* 1 = GETBULK (v2c/v3), 0 = GETNEXT */
	char location[NP_STR_MAX];
	char role[NP_NAME_MAX];
	char owner[NP_NAME_MAX];
	int impact; /* of its faults: 0 high, 1 medium (default), 2 low */
	char depends[NP_NAME_MAX]; /* the device it is reached through */
	char tmpl[NP_NAME_MAX]; /* the template it uses, "" none */
	/* its own, sized to what it has (at most NP_MAX_PROCS and
	 * NP_MAX_THRESHOLDS), freed with it: a device used to carry 12 KB of
	 * empty rules, 120 MB for 10,000 devices */
	struct proc_rule *procs;
	int nprocs;
	struct threshold_conf *thresholds;
	int nthresholds;
	struct cfgfetch_conf cfg; /* configuration archive */
	char policies[NP_DEV_POLICIES][NP_NAME_MAX]; /* compliance */
	int npolicies;
	unsigned set; /* DC_* bits set explicitly */
	const char *file; /* where it was defined (the config's copy) */
	int line;
};
TAILQ_HEAD(device_list, device_conf);

enum listen_kind { LISTEN_TRAP = 1, LISTEN_SYSLOG };
enum listen_proto { LISTEN_UDP = 1, LISTEN_TCP, LISTEN_TLS };

/*
 * A syslog TLS listener's clients (RFC 5425 section 5.2): with a CA, they
 * must present a certificate that verifies against it, and when peer
 * patterns are given, whose names match one; a certificate whose SHA-256
 * fingerprint is listed is taken as it is, with or without a CA.
 */
#define NP_TLS_PEERS 16 /* peer patterns, and fingerprints, per listener */
#define NP_TLS_FP_LEN 32 /* a SHA-256 digest */

struct listen_conf {
	TAILQ_ENTRY(listen_conf) entry;
	enum listen_kind kind;
	enum listen_proto proto;
	char address[NP_STR_MAX];
	uint16_t port;
	char cert[PATH_MAX]; /* LISTEN_TLS: certificate chain (PEM) */
	char key[PATH_MAX]; /* LISTEN_TLS: its private key (PEM) */
	char ca[PATH_MAX]; /* LISTEN_TLS: CA bundle (PEM), "" = none */
	char peers[NP_TLS_PEERS][NP_STR_MAX]; /* globs on names, with ca */
	int npeers;
	unsigned char fps[NP_TLS_PEERS][NP_TLS_FP_LEN]; /* permitted certs */
	int nfps;
	char file[PATH_MAX]; /* where it was defined */
	int line;
};
TAILQ_HEAD(listen_list, listen_conf);

struct trap_user {
	TAILQ_ENTRY(trap_user) entry;
	struct snmp_cred cred; /* version NP_SNMP_V3 */
};
TAILQ_HEAD(trap_user_list, trap_user);

/*
 * A trap rule: traps of OID (numeric, or a MIB name resolved when the
 * listener starts) whose varbinds match every MATCH (a varbind OID prefix
 * and an extended regular expression on its value) become events of KIND.
 */
#define NP_MAX_TRAP_MATCH 4
struct trap_match {
	char oid[NP_STR_MAX];
	char regex[NP_STR_MAX];
};
struct trap_rule {
	TAILQ_ENTRY(trap_rule) entry;
	char oid[NP_STR_MAX];
	struct trap_match match[NP_MAX_TRAP_MATCH];
	int nmatch;
	char kind[40];
	int severity; /* enum np_severity; default warning */
	char key[NP_STR_MAX]; /* "" = "trap:OID" */
	char text[512]; /* "" = a summary of the varbinds */
	char file[PATH_MAX];
	int line;
};
TAILQ_HEAD(trap_rule_list, trap_rule);

/* A maintenance window: findings of matching devices are not notified. */
struct maint_conf {
	TAILQ_ENTRY(maint_conf) entry;
	char devices[NP_NAME_MAX]; /* a glob on device names */
	double from, until; /* seconds since the epoch */
	int line;
};
TAILQ_HEAD(maint_list, maint_conf);

/*
 * A syslog rule: messages matching every condition given (device, syslog
 * facility, severity at LEVEL or graver, mnemonic or Junos tag as a glob,
 * an extended regular expression on the text) become events of KIND. The
 * first matching rule wins, before the built-in ones.
 */
struct syslog_rule {
	TAILQ_ENTRY(syslog_rule) entry;
	char device[NP_NAME_MAX]; /* "" = any */
	int facility; /* -1 = any */
	int level; /* -1 = any; else severity <= level */
	char mnemonic[NP_STR_MAX]; /* glob; "" = any */
	char regex[NP_STR_MAX]; /* "" = any */
	char kind[40];
	int severity; /* enum np_severity; default warning */
	char key[NP_STR_MAX]; /* "" = "syslog:MNEMONIC" or "syslog:KIND" */
	char text[512]; /* "" = the message text */
	char file[PATH_MAX];
	int line;
};
TAILQ_HEAD(syslog_rule_list, syslog_rule);

struct trap_community {
	TAILQ_ENTRY(trap_community) entry;
	char community[NP_SECRET_MAX];
};
TAILQ_HEAD(trap_community_list, trap_community);

/*
 * A notification target (netpatrold.conf(5), NOTIFICATIONS): where
 * findings are sent (one destination), which findings (filters), and
 * what happens when nobody acknowledges them (escalation).
 */
enum notify_type {
	NOTIFY_TRAP = 1, /* SNMPv2c/v3 trap of NETPATROL-MIB */
	NOTIFY_INFORM, /* the same, acknowledged */
	NOTIFY_SYSLOG, /* RFC 5424 over UDP, or TCP (RFC 6587 framing) */
	NOTIFY_MAIL, /* through the local sendmail interface */
	NOTIFY_EXEC /* a program, the finding as JSON on its stdin */
};
#define NP_MAX_NOTIFY 64 /* targets */
#define NP_NOTIFY_LIST 8 /* globs of devices or kinds, mail recipients */
#define NP_NOTIFY_ARGS 16 /* exec: the program and its arguments */
struct notify_conf {
	TAILQ_ENTRY(notify_conf) entry;
	char name[NP_NAME_MAX];
	enum notify_type type;
	/* trap, inform, syslog: an IP address (never resolved) and port */
	char address[NP_STR_MAX];
	uint16_t port;
	struct snmp_cred snmp; /* trap, inform: v2c or v3 */
	enum listen_proto proto; /* syslog */
	int facility; /* syslog, 0..23; default 16 (local0) */
	char rcpt[NP_NOTIFY_LIST][NP_STR_MAX]; /* mail */
	int nrcpt;
	char from[NP_STR_MAX]; /* mail: the From: header, "" = the MTA's */
	char argv[NP_NOTIFY_ARGS][NP_STR_MAX]; /* exec */
	int argc;
	/* filters: all must take a finding */
	int severity; /* enum np_severity: at least this */
	unsigned roles; /* bits 1 << enum finding_role; 0 = any */
	char devices[NP_NOTIFY_LIST][NP_NAME_MAX]; /* globs; none = any */
	int ndevices;
	char kinds[NP_NOTIFY_LIST][40]; /* globs on the finding's kind */
	int nkinds;
	/* escalation: not acknowledged within escalate_secs: to escalate_to */
	int escalate_secs; /* 0 = none */
	char escalate_to[NP_NAME_MAX];
	int escalate_line;
	int repeat_secs; /* 0 = none: sent again every repeat_secs */
	int repeat_count; /* at most so many times, 0 = until acknowledged */
	int escalation_only; /* named by another's escalate: only that */
	/* delivery */
	int timeout; /* seconds per attempt */
	int retries; /* attempts after the first, with backoff */
	int queue; /* messages waiting, at most */
	char file[PATH_MAX];
	int line;
};
TAILQ_HEAD(notify_list, notify_conf);

/*
 * A probe (conf_probe.c): ICMP echo or a TCP connect to an address, COUNT
 * tries every INTERVAL seconds; standalone, in a device (DEVICE set; an
 * empty address is the device's) or in a template (TEMPLATE set: copied
 * into every device that uses it).
 */
enum probe_kind { PROBE_ICMP = 1, PROBE_TCP };
#define NP_PROBE_PINGS 13 /* COUNT at most: SmokePing's ping1..pingN in
                             one RRD (sample.h SAMPLE_MAX - 3) */
#define NP_MAX_PROBES 100000
struct probe_conf {
	TAILQ_ENTRY(probe_conf) entry;
	char name[NP_NAME_MAX];
	char device[NP_NAME_MAX]; /* "" standalone */
	char tmpl[NP_NAME_MAX]; /* a template's; not probed itself */
	enum probe_kind kind;
	char address[NP_STR_MAX]; /* an IP literal; "" the device's */
	char source[NP_STR_MAX]; /* "" any */
	uint16_t port; /* tcp */
	int count; /* tries per step, default 10 (tcp 3) */
	int interval; /* seconds a step, default 60 */
	int size; /* ICMP payload bytes, default 56 */
	int timeout_ms; /* a try's answer in, default 2000 (< interval) */
	int loss_pct; /* probe.loss at or above, default 20 */
	int latency_ms; /* probe.latency above (median), 0 = none */
	double baseline; /* probe.latency above this x the day's median,
	                    default 3, 0 = off */
	int down_after; /* steps of 100% loss before probe.down, default 2 */
	char file[PATH_MAX];
	int line;
};
TAILQ_HEAD(probe_list, probe_conf);

/* The HTTP server's users and tokens (conf_http.c; netpatrold.conf(5)). */
#define NP_HTTP_MAX_CREDS 64
enum http_role { HTTP_VIEWER = 1, HTTP_OPERATOR, HTTP_ADMIN };
struct http_cred {
	char name[NP_NAME_MAX];
	enum http_role role;
	int token; /* 1: a bearer token, secret in SECRET; 0: a user */
	char secret[256]; /* a user's crypt(3) hash, or a token's value */
};

/*
 * A link (conf_link.c): the traffic of an interface counted from the wire
 * (src/pcap), optionally narrowed by a BPF filter; its speed for the
 * utilisation (0: the interface's own, /sys/class/net/IF/speed).
 */
#define NP_MAX_LINKS 64
#define NP_LINK_FILTER_MAX 1024
struct link_conf {
	TAILQ_ENTRY(link_conf) entry;
	char name[NP_NAME_MAX];
	char interface[NP_NAME_MAX];
	char filter[NP_LINK_FILTER_MAX]; /* "" everything */
	int filter_line; /* where the filter was written */
	uint64_t speed; /* bit/s, 0 = the interface's */
	int step; /* seconds between samples, default 60 */
	int congested_pct; /* link.congested at or above, default 90, 0 off */
	int congested_for; /* ... for this many steps, default 3 */
	int hosts; /* hosts table bound, default 4096 */
	char file[PATH_MAX];
	int line;
};
TAILQ_HEAD(link_list, link_conf);

/*
 * An inspection plan (conf_plan.c): when it runs, over which devices,
 * which checks, in whose name.
 */
#define NP_MAX_PLANS 64
#define NP_PLAN_MANUAL 16 /* manual checks in a plan */
enum plan_sched { PLAN_DEMAND = 0, PLAN_DAILY, PLAN_WEEKLY, PLAN_EVERY };
enum plan_check {
	PCHK_PORTS = 0, PCHK_HEALTH, PCHK_PROBES, PCHK_CONFIG,
	PCHK_COMPLIANCE, PCHK_SECURITY, PCHK_LOGS, PCHK_MAX
};
struct plan_conf {
	char name[NP_NAME_MAX];
	enum plan_sched sched;
	int wday; /* PLAN_WEEKLY: 0 Sunday .. 6 */
	int minute; /* PLAN_DAILY, PLAN_WEEKLY: minutes after midnight */
	int every; /* PLAN_EVERY: seconds */
	char devices[NP_STR_MAX]; /* a glob, "" = all (unless group) */
	char group[NP_NAME_MAX]; /* a role or template, "" = none */
	unsigned checks; /* 1 << enum plan_check */
	/* what people check and enter (netpatrol result), in order */
	char manual[NP_PLAN_MANUAL][NP_NAME_MAX];
	int nmanual;
	char inspector[NP_NAME_MAX];
	char file[PATH_MAX];
	int line;
};
/* Report archive retention, by category (enum plan_sched), in days. */
#define NP_REPORT_CATS 4
/* KPI targets, in percent. */
struct kpi_targets {
	double plan_execution; /* >= , default 95 */
	double timeliness; /* >= , default 90 */
	double failure; /* <= , default 1 */
};

#define NP_SANDBOX_PATHS 16 /* "sandbox read" and "sandbox write" paths */
struct hmap;
struct config {
	char path[PATH_MAX]; /* the file it was read from */
	/* strings its devices and templates share, once each (the file
	 * names they were read from, their fetch commands: conf_str) */
	struct hmap *strs;
	char state_dir[PATH_MAX]; /* default LOCALSTATEDIR/lib/netpatrol */
	char rrdcached[PATH_MAX]; /* "" = write RRD files with librrd */
	char control[PATH_MAX]; /* control socket path */
	char control_group[NP_NAME_MAX]; /* its group, "" = the user's */
	int control_mode; /* its mode, default 0660 */
	/* who may run its commands (besides root and the daemon's user):
	 * "" = anyone who can connect */
	char control_read_group[NP_NAME_MAX];
	char control_change_group[NP_NAME_MAX];
	/* after the drop: Landlock, no_new_privs (sandbox.h) */
	int sandbox; /* 1 on (default), 0 "sandbox off" */
	char sandbox_read[NP_SANDBOX_PATHS][PATH_MAX];
	int sandbox_nread;
	char sandbox_write[NP_SANDBOX_PATHS][PATH_MAX];
	int sandbox_nwrite;
	char pidfile[PATH_MAX];
	char user[NP_NAME_MAX]; /* "" = stay as started */
	char http_address[NP_STR_MAX]; /* "" = no HTTP */
	uint16_t http_port;
	char http_cert[PATH_MAX]; /* "" = plain HTTP; with http_key: TLS */
	char http_key[PATH_MAX];
	struct http_cred http_creds[NP_HTTP_MAX_CREDS]; /* users, tokens */
	int nhttp_creds;
	int max_inflight; /* devices polled at once, default 256 */
	int rrd_keep_step; /* seconds of step-resolution RRA, default 2 days */
	int rrd_write_delay; /* seconds an RRD update may be kept, default 300 */
	int rrd_batch; /* RRD updates per file written at once, default 64 */
	int rrd_off; /* rrd off: no RRD files (the samples go to the others) */
	int store_batch_ms; /* store/RRD batch window, default 1000 */
	int store_queue; /* bounded queue length, default 1000000 */
	/* store postgresql "CONNINFO": the store in PostgreSQL (libpq);
	 * "" = sqlite in the state dir (store.h: store_conf_path) */
	char store_pg[1024];
	int event_keep_days; /* event retention, default 365 */
	struct threshold_conf thresholds[NP_MAX_THRESHOLDS]; /* global */
	int nthresholds;
	struct device_list templates;
	struct device_list devices;
	int ndevices;
	struct listen_list listens;
	struct trap_community_list trap_communities;
	struct trap_user_list trap_users;
	struct trap_rule_list trap_rules;
	int trap_storm_count; /* traps per sender per window before folding */
	int trap_storm_secs;
	char trap_mibs[PATH_MAX]; /* MIB directories; "none" = numeric only */
	/* findings */
	int finding_close_after; /* seconds verified before closing */
	int flap_count, flap_secs; /* transitions in a window: flapping */
	int respond_secs[5], resolve_secs[5]; /* deadlines by priority 1..4 */
	struct maint_list maintenances;
	struct notify_list notifies; /* in the order written */
	int nnotifies;
	char sendmail[PATH_MAX]; /* default /usr/sbin/sendmail */
	/* syslog receiver */
	int syslog_keep_days; /* message retention, default 30 */
	int64_t syslog_max_rows; /* 0 = no bound; default 10 million */
	int64_t syslog_max_size; /* bytes of the store; 0 = no bound (default) */
	int64_t syslog_queue; /* bytes of messages waiting for the store */
	int syslog_rl_burst; /* per sender: messages per window, 0 = off */
	int syslog_rl_secs;
	int syslog_login_count; /* failed logins from one source ... */
	int syslog_login_secs; /* ... in this window: one security event */
	int syslog_max_conns; /* TCP/TLS connections at once */
	int syslog_max_conns_sender; /* ... from one address */
	int syslog_idle_secs; /* a connection idle this long is closed */
	int syslog_frame_secs; /* a frame not finished in this is closed */
	struct syslog_rule_list syslog_rules;
	/* configuration archive */
	int cfg_max_versions; /* versions kept per device, default 1000 */
	int cfg_keep_days; /* and no older than this; 0: any age (default) */
	int64_t cfg_max_size; /* bytes a fetch may print, default 16M */
	int cfg_max_inflight; /* fetches at once, default 4 */
	int cfg_fail_count; /* failed fetches in a row: a finding, default 3 */
	struct cfgrule_list cfg_rules;
	/* probes: standalone, per device and per template */
	struct probe_list probes;
	int nprobes;
	/* links counted from the wire */
	struct link_list links;
	int nlinks;
	struct policy_list policies;
	/* inspection plans, report archive, KPIs (conf_plan.c) */
	struct plan_conf plans[NP_MAX_PLANS];
	int nplans;
	int report_keep_days[NP_REPORT_CATS]; /* by enum plan_sched */
	struct kpi_targets kpi;
	/* several nodes (conf_cluster.c): node "" = one node, no cluster */
	struct cluster_conf {
		char node[NP_NAME_MAX]; /* this node's name */
		int lease; /* seconds a lease holds (default 30) */
		char database[1024]; /* PostgreSQL conninfo (libpq) */
	} cluster;
	/* samples sent to Prometheus remote write (conf_remote.c) */
	struct remote_write_conf {
		char url[1024]; /* "" = none */
		char host[256], path[768]; /* from the URL */
		uint16_t port;
		int batch; /* samples per request (default 2000) */
		int flush_ms; /* a partial batch waits so long (5000) */
		int queue; /* samples kept while the receiver is away */
		int timeout; /* seconds for a request (30) */
		char hname[NP_RW_MAX][NP_NAME_MAX]; /* extra request headers */
		char hvalue[NP_RW_MAX][NP_STR_MAX];
		int nheaders;
		char lname[NP_RW_MAX][NP_NAME_MAX]; /* labels on every series */
		char lvalue[NP_RW_MAX][NP_STR_MAX];
		int nlabels;
	} remote_write[NP_RW_TARGETS]; /* receivers, each its own queue */
	int nremote_write;
};

/*
 * Parse FILE into a new configuration. On error returns NULL and writes
 * "FILE:LINE: message" lines (one per error) to ERRBUF (size ERRLEN).
 * Macros may be given on the command line as "name=value" strings in
 * DEFINES (NULL-terminated, may be NULL).
 */
/* A configuration of defaults only (netpatrol -s: no file read). */
struct config *conf_empty(void);
struct config *conf_parse(
    const char *file, char *const *defines, char *errbuf, size_t errlen);
void conf_free(struct config *);
struct device_conf *conf_find_device(struct config *, const char *name);
/* A device or template made by the parser, freed with what it owns. */
void conf_device_free(struct device_conf *);
/* S as the config keeps it, once for all that use it; NULL: no memory. */
const char *conf_str(struct config *, const char *s);
struct notify_conf *conf_find_notify(const struct config *, const char *name);
const char *conf_notify_type_name(enum notify_type);

/* Two devices' settings that matter to polling are the same. */
int conf_device_equal(const struct device_conf *, const struct device_conf *);

/* Defaults applied to a new device before its template and own settings. */
void conf_device_defaults(struct device_conf *);

const char *conf_auth_name(enum snmp_auth_proto);
/* Plans: the names of schedules' categories and checks (conf_plan.c). */
const char *conf_plan_category(enum plan_sched);
const char *conf_plan_check_name(enum plan_check);
const struct plan_conf *conf_find_plan(const struct config *, const char *);
/* Is device D in plan P's scope? */
int conf_plan_has_device(const struct plan_conf *, const struct device_conf *);
const char *conf_priv_name(enum snmp_priv_proto);

#endif
