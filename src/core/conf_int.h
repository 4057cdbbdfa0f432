/*
 * conf_int.h - what the configuration parser's files share: the parse
 * state (struct parse), the lexer's input (conf_input.c), errors at a
 * place (parse.y), the checks and setters (conf_util.c), and the actions
 * the grammar calls, one file per area (conf_listen.c, conf_syslog.c,
 * conf_cred.c, conf_trap.c, conf_notify.c, conf_device.c).
 * Not for the rest of netpatrol: conf.h is the configuration's interface.
 */
#ifndef NP_CONF_INT_H
#define NP_CONF_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "hmap.h"

#define LEX_MAX		4096	/* longest token, quoted string, macro value */
#define TOKTEXT_MAX	48	/* how much of a token an error quotes */
#define UNGET_MAX	(LEX_MAX + 16)
#define MACRO_NAME_MAX	64

struct loc {
	const char	*file;
	int		 line;
};

/* A file being read: the top one, or one it includes. */
struct pfile {
	struct pfile	*parent;	/* the file that included this one */
	FILE		*stream;
	const char	*name;		/* in the arena: outlives the file */
	int		 lineno;
	int		 lastc;		/* last character read */
	int		 eof_reached;
	int		 ungetpos;
	int		 ungetbuf[UNGET_MAX];
};

/* conf_input.c's own: a macro, a string of the arena. */
struct sym;
struct astr;

/* Bits of struct parse's credset: options seen in one snmp statement. */
#define CS_COMMUNITY	0x01
#define CS_USER		0x02
#define CS_AUTH		0x04
#define CS_PRIV		0x08
#define CS_CONTEXT	0x10
#define CS_ENGINE	0x20

/* Options of a trap rule. */
#define RO_MATCH	0x01
#define RO_KIND		0x02
#define RO_SEVERITY	0x04
#define RO_KEY		0x08
#define RO_TEXT		0x10

/* Bits of struct parse's ntset: settings seen in one notify block. */
#define NS_SEVERITY	0x01
#define NS_ROLE		0x02
#define NS_DEVICES	0x04
#define NS_KINDS	0x08
#define NS_ESCALATE	0x10
#define NS_REPEAT	0x20
#define NS_TIMEOUT	0x40
#define NS_RETRIES	0x80
#define NS_QUEUE	0x100

/* Options of a syslog rule. */
#define SO_DEVICE	0x01
#define SO_FACILITY	0x02
#define SO_LEVEL	0x04
#define SO_MNEMONIC	0x08
#define SO_MATCH	0x10
#define SO_KIND		0x20
#define SO_SEVERITY	0x40
#define SO_KEY		0x80
#define SO_TEXT		0x100

/* Options of a listen statement (TLS). */
#define LT_CERT		0x01
#define LT_KEY		0x02
#define LT_CA		0x04
#define LT_PEER		0x08
#define LT_FP		0x10

/* Bits of struct parse's thset: options seen in one threshold statement. */
#define TS_WARN		0x01
#define TS_CRIT		0x02
#define TS_LOWWARN	0x04
#define TS_LOWCRIT	0x08
#define TS_HYST		0x10

struct parse {
	struct config		*conf;
	struct pfile		*file;		/* the file being read */
	int			 depth;
	struct sym		*syms;
	struct astr		*arena;
	int			 expanding;	/* reading a macro's text */

	/* The block being read: copied into the config at its "}". */
	struct device_conf	 blk;
	struct proc_rule	 blk_procs[NP_MAX_PROCS];	/* blk's, until "}" */
	struct threshold_conf	 blk_th[NP_MAX_THRESHOLDS];
	int			 inblock;
	int			 blk_template;
	int			 blk_discard;
	int			 blk_addr_seen;

	/* The SNMP credentials being read. */
	struct snmp_cred	 cred;
	unsigned		 credset;
	int			 credbad;
	int			 cred_trap;	/* a "trap user" */

	/* The trap rule being read. */
	struct trap_rule	 rule;
	unsigned		 ruleset;
	int			 rulebad;

	/* The syslog rule being read. */
	struct syslog_rule	 srule;
	unsigned		 sruleset;
	int			 srulebad;

	/* The TLS options of the listen statement being read. */
	struct listen_conf	 ltls;
	unsigned		 ltlsset;	/* LT_* bits given */
	unsigned		 ltlsfirst;	/* the first given */
	int			 ltlsbad;

	/* The probe being read (conf_probe.c). */
	struct probe_conf	 probe;
	int			 inprobe;
	int			 probebad;
	int			 probelines;

	/* The link being read (conf_link.c): its line's words. */
	struct link_conf	 link;
	int			 linkbad;
	const char		*lwords[8];
	struct loc		 lwloc;
	int			 nlwords;

	/* The threshold being read. */
	struct threshold_conf	 th;
	unsigned		 thset;
	int			 thbad;

	/*
	 * Which of the block's process rules and thresholds it wrote itself,
	 * rather than took from a template with "use": its own win.
	 */
	char			 blk_proc_own[NP_MAX_PROCS];
	char			 blk_th_own[NP_MAX_THRESHOLDS];

	/* The notify block being read. */
	struct notify_conf	 nt;
	int			 innotify;
	int			 nt_discard;
	unsigned		 ntset;

	/* The plan block being read (conf_plan.c). */
	struct plan_conf	 plan;
	int			 inplan;
	int			 inremote; /* in remote-write's block (conf_remote.c):
					    its receiver + 1, -1 refused */
	int			 planbad;

	/* The policy block being read. */
	struct policy_conf	*pol;
	int			 inpolicy;
	const char		*pol_section, *pol_text;

	/* A list of strings ("mail", "exec", "devices"...): in the arena. */
	const char		*slist[NP_NOTIFY_ARGS];
	int			 nslist;
	int			 slist_over;

	/* The last token, for syntax errors. */
	int			 tok;
	struct loc		 tokloc;
	int			 tokidx;	/* its place in its statement */
	int			 nextidx;
	int			 tokbare;	/* a bare word, not a keyword */
	char			 toktext[TOKTEXT_MAX];
	int			 stmt_unknown;	/* statement began with one */
	char			 stmt_word[TOKTEXT_MAX];

	char			 buf[LEX_MAX];

	char			*errbuf;
	size_t			 errlen;
	size_t			 errused;
	int			 errors;
	int			 errhidden;	/* errors that did not fit */

	struct hmap		 devnames;	/* devices by name, while parsing */
};

/* A unit suffix of a duration or a size, and what it multiplies by. */
struct unit {
	const char	*suffix;
	int64_t		 mult;
};
#define MEGA	(1024LL * 1024)
#define GIGA	(1024LL * 1024 * 1024)
#define TERA	(1024LL * 1024 * 1024 * 1024)
extern const struct unit conf_u_seconds[], conf_u_msec[], conf_u_days[];
extern const struct unit conf_u_bytes[];

/* parse.y: errors at a place, and the value of a number as written. */
void	 verr(struct parse *, struct loc, const char *, va_list)
	    __attribute__((format(printf, 3, 0)));
void	 conf_errors_end(struct parse *);
void	 perr(struct parse *, struct loc, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
int64_t	 conf_number(const char *, const char **);
int	 conf_is_number(const char *);
int	 conf_is_decimal(const char *);

/* conf_input.c */
char	*pstrdup(struct parse *, const char *);
char	*pnumstr(struct parse *, int64_t);
void	 conf_arena_free(struct parse *);
struct pfile	*conf_pushfile(struct parse *, const char *, struct loc);
void	 conf_popfile(struct parse *);
void	 conf_include(struct parse *, struct loc, const char *, int secret);
void	 conf_include_kind(struct parse *, struct loc, const char *,
	    const char *);
struct pfile	*conf_pushfile_secret(struct parse *, const char *, struct loc,
	    int);
const char	*conf_macro_get(struct parse *, const char *);
void	 conf_macro_define(struct parse *, struct loc, const char *,
		    const char *);
void	 conf_macro_cmdline(struct parse *, const char *);
void	 conf_macro_free(struct parse *);

/* conf.c */
struct config	*conf_new(void);

/* conf_util.c */
int	 conf_range(struct parse *, struct loc, int64_t, int64_t, int64_t,
		    const char *, const char *);
int	 conf_irange(struct parse *, struct loc, int64_t, int, int64_t,
		    int64_t, const char *, const char *);
double	 conf_real(struct parse *, struct loc, const char *, int64_t);
int	 conf_setstr(struct parse *, struct loc, char *, size_t,
		    const char *, const char *);
void	 conf_cluster_line(struct parse *, struct loc);
void	 conf_cluster_end(struct parse *, struct loc);
int	 conf_remote_url(struct parse *, struct loc, const char *);
void	 conf_remote_line(struct parse *, struct loc);
void	 conf_remote_end(struct parse *, struct loc);
struct re_pattern_buffer;
int	 conf_regcomp(struct re_pattern_buffer *, const char *, int, char *,
		    size_t);
int	 conf_setpath(struct parse *, struct loc, char *, size_t,
		    const char *, const char *);
void	 conf_set_pair(struct parse *, struct loc, int64_t, int,
		    const char *, int64_t, int64_t, const char *, int *, int *);
int	 conf_duration(struct parse *, struct loc, const char *,
		    const struct unit *, const char *, int64_t *);
int	 conf_bytesize(struct parse *, struct loc, const char *,
		    const char *, int64_t *);
int	 conf_ip_literal(const char *);
int	 conf_hostname_ok(const char *);
int	 conf_devname_ok(const char *);
extern const char *const conf_severities[5];

/* conf_listen.c */
void	 conf_set_rrdcached(struct parse *, struct loc, const char *);
void	 conf_set_store(struct parse *, struct loc, const char *, const char *);
void	 conf_store_check(struct parse *, struct loc);
void	 conf_listen_add(struct parse *, struct loc, enum listen_kind,
		    const char *, const char *, int64_t);
void	 ltls_start(struct parse *);
void	 ltls_opt(struct parse *, struct loc, unsigned, const char *);

/* conf_secure.c */
void	 conf_control_opt(struct parse *, struct loc, const char *,
		    const char *);
void	 conf_sandbox(struct parse *, struct loc, const char *,
		    const char *);

/* conf_http.c */
void	 conf_http_listen(struct parse *, struct loc, const char *, int64_t);
void	 conf_http_tls(struct parse *, struct loc, const char *, const char *,
		    const char *, const char *);
void	 conf_http_cred(struct parse *, struct loc, const char *, const char *,
		    const char *, const char *, const char *);
void	 conf_http_end(struct parse *, struct loc);

/* conf_syslog.c */
void	 srule_start(struct parse *);
void	 srule_opt(struct parse *, struct loc, unsigned, const char *);
void	 srule_finish(struct parse *, struct loc);

/* conf_cred.c */
void	 cred_start(struct parse *, struct loc, const char *,
		    const char *);
void	 cred_opt(struct parse *, struct loc, unsigned, const char *,
		    const char *);
int	 cred_finish(struct parse *, struct loc);
int	 conf_cred_equal(const struct snmp_cred *, const struct snmp_cred *);

/* conf_trap.c */
void	 conf_trap_community_add(struct parse *, struct loc, const char *);
void	 conf_trap_user_add(struct parse *, struct loc);
void	 conf_trap_storm(struct parse *, struct loc, int64_t, int,
		    const char *);
void	 trule_start(struct parse *, struct loc, const char *);
void	 trule_opt(struct parse *, struct loc, unsigned, const char *,
		    const char *);
void	 trule_finish(struct parse *, struct loc);

/* conf_notify.c */
void	 conf_maint_add(struct parse *, struct loc, const char *,
		    const char *, const char *);
void	 conf_slist_add(struct parse *, const char *);
void	 conf_notify_start(struct parse *, struct loc, const char *);
void	 conf_notify_end(struct parse *);
void	 conf_notify_snmp(struct parse *, struct loc, enum notify_type,
		    const char *, int64_t);
void	 conf_notify_syslog(struct parse *, struct loc, const char *,
		    const char *, int64_t, const char *);
void	 conf_notify_mail(struct parse *, struct loc, const char *);
void	 conf_notify_exec(struct parse *, struct loc);
void	 conf_notify_filter(struct parse *, struct loc, unsigned,
		    const char *);
void	 conf_notify_escalate(struct parse *, struct loc, const char *,
		    const char *);
void	 conf_notify_repeat(struct parse *, struct loc, const char *,
		    int64_t, int);
void	 conf_notify_delivery(struct parse *, struct loc, unsigned,
		    const char *, int64_t, int);
void	 conf_notify_links(struct parse *);

/* conf_device.c */
void	 conf_proc_add(struct parse *, struct loc, const char *, int);
void	 th_start(struct parse *, struct loc, const char *,
		    const char *);
void	 th_opt(struct parse *, struct loc, unsigned, double);
void	 th_finish(struct parse *, struct loc, int);
void	 block_start(struct parse *, struct loc, int, const char *);
void	 block_end(struct parse *);
void	 block_address(struct parse *, struct loc, const char *, int,
		    int64_t);
void	 block_use(struct parse *, struct loc, const char *);

/* conf_config.c; the archive's top-level settings */
enum { CT_KEEP = 1, CT_MAXVERSIONS, CT_MAXSIZE, CT_MAXINFLIGHT };
void	 conf_cfg_fetch(struct parse *, struct loc);
void	 conf_cfg_top(struct parse *, struct loc, int, const char *, int64_t,
		    int);
void	 conf_cfg_platform(struct parse *, struct loc, const char *);
void	 conf_cfg_time(struct parse *, struct loc, unsigned, const char *);
void	 conf_cfg_env(struct parse *, struct loc, const char *,
		    const char *);
void	 conf_cfg_use(struct device_conf *, const struct device_conf *);

/* conf_top.c */
enum { TT_SYSLOG_KEEP, TT_SYSLOG_IDLE, TT_SYSLOG_FRAME, TT_CLOSE_AFTER,
	TT_KEEP_STEP, TT_BATCH, TT_EVENTS_KEEP, TT_WRITE_DELAY };
void	 conf_top_time(struct parse *, struct loc, int, const char *);
void	 conf_top_syslog_size(struct parse *, struct loc, int,
		    const char *);
void	 conf_top_flap(struct parse *, struct loc, int64_t, int,
		    const char *);
void	 conf_top_priority(struct parse *, struct loc, int64_t, int,
		    const char *, const char *);

/* conf_link.c */
void	 conf_link_start(struct parse *, struct loc, const char *);
void	 conf_link_word(struct parse *, struct loc, const char *);
void	 conf_link_line(struct parse *);
void	 conf_link_end(struct parse *, struct loc);
/* conf_plan.c */
void	 conf_plan_word(struct parse *, const char *);
void	 conf_plan_start(struct parse *, struct loc, const char *);
void	 conf_plan_line(struct parse *, struct loc);
void	 conf_plan_end(struct parse *, struct loc);
void	 conf_report_line(struct parse *, struct loc);
void	 conf_kpi_line(struct parse *, struct loc);
void	 conf_plan_defaults(struct config *);
/* conf_syslog.c: the top-level syslog rate settings */
enum { SY_RATELIMIT, SY_RLOFF, SY_LOGINF };
void	 conf_syslog_top(struct parse *, struct loc, int, const char *,
		    int64_t, int);
/* conf_util.c: a block's string settings */
enum { BS_LOCATION, BS_ROLE, BS_OWNER, BS_IMPACT, BS_DEPENDS };
void	 conf_block_str(struct parse *, struct loc, int, const char *);

/* conf_probe.c */
void	 conf_probe_start(struct parse *, struct loc, const char *);
void	 conf_probe_kind(struct parse *, struct loc, const char *,
		    const char *);
void	 conf_probe_opt(struct parse *, struct loc, int, int64_t, int,
		    const char *);
void	 conf_probe_end(struct parse *, struct loc);
void	 conf_probe_use(struct parse *, struct loc, const char *);
enum {
	PROBE_O_COUNT = 1, PROBE_O_INTERVAL, PROBE_O_SIZE, PROBE_O_SOURCE,
	PROBE_O_PORT, PROBE_O_TIMEOUT, PROBE_O_LOSS, PROBE_O_LATENCY,
	PROBE_O_DOWNAFTER, PROBE_O_BASELINE
};
void	 conf_cfg_defaults(struct cfgfetch_conf *);
void	 conf_cfg_rule(struct parse *, struct loc, const char *,
		    const char *, const char *, const char *);

/* conf_policy.c */
void	 conf_policy_start(struct parse *, struct loc, const char *);
void	 conf_policy_end(struct parse *);
void	 conf_policy_rule(struct parse *, struct loc, int, const char *,
		    const char *, const char *);
void	 conf_policy_acl(struct parse *, struct loc, const char *,
	    const char *, const char *, const char *);
void	 conf_policy_apply(struct parse *, struct loc, const char *);
void	 conf_policy_use(struct device_conf *, const struct device_conf *);
void	 conf_policy_check(struct parse *);

void conf_strs_free(struct config *);

#endif /* NP_CONF_INT_H */
