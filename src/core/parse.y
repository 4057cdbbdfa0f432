/*
 * parse.y - the grammar of netpatrold.conf, with its keyword table, lexer
 * and error messages, in the manner of OpenBSD's daemons.
 *
 * What the grammar's actions build is made in a file per area, sharing
 * conf_int.h: conf_util.c (checks and setters), conf_input.c (files,
 * include, macros, the strings' arena), conf.c (a new config, its end),
 * conf_listen.c, conf_syslog.c, conf_trap.c, conf_notify.c, conf_cred.c
 * (SNMP credentials), conf_device.c (device and template blocks),
 * conf_top.c (top-level settings' checks), conf_link.c (links) and
 * conf_plan.c (plans, reports, KPIs).
 *
 * conf_parse() builds a complete struct config, or returns NULL and
 * leaves one "FILE:LINE: message" line per error in the caller's buffer.
 * Statements end at the end of a line; device and template settings sit
 * in { } blocks.
 *
 * All parser state lives in a struct parse owned by one conf_parse()
 * call, so the parser can run again (reload) with nothing left over.
 * Strings passed from the lexer to the grammar live in an arena owned by
 * that struct and are freed together: yacc's error recovery discards
 * tokens, and must not leak them.
 */

%{
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* explicit_bzero() */
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf_int.h"

/* Keep this parser's symbols apart from any other yacc parser linked in. */
#define yyparse		conf_yyparse
#define yylval		conf_yylval
#define yychar		conf_yychar
#define yynerrs		conf_yynerrs
#define yydebug		conf_yydebug


#ifndef MIN
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#endif

/* Markers in the unget buffer around a macro's text; never bytes. */
#define START_EXPAND	0x100
#define DONE_EXPAND	0x101

typedef struct {
	union {
		int64_t	 number;
		double	 real;
		char	*string;
	} v;
	struct loc	 loc;		/* where the token starts */
	int		 quoted;	/* a STRING written as "..." */
	int		 frac;		/* an integer written with a fraction */
} YYSTYPE;
#define YYSTYPE_IS_DECLARED 1

static const struct loc noloc;

static int	 yylex(struct parse *);
static void	 yyerror(struct parse *, const char *);
%}

%parse-param { struct parse *ctx }
%lex-param { struct parse *ctx }

%token	ADDRESS AUTH BATCHWINDOW BULK COMMUNITY CONTEXT CONTROL CRITICAL
%token	CLOSEAFTER DEPENDS FINDING FLAP IMPACT MAINTENANCE PRIORITY
%token	RESOLVE RESPOND UNTIL
%token	DEVICE ENGINEID EVENTS FORBID HTTP HYSTERESIS INCLUDE INTERVAL KEEP
%token	KEEPSTEP KEY KIND LISTEN LOCATION LOWCRITICAL LOWWARNING MATCH
%token	MAXINFLIGHT MAXREP MIBS OWNER PER PIDFILE PORT PRIV PROCESS QUEUE
%token	REQUIRE RETRIES ROLE RRD RRDCACHED RULE SENSOR SEVERITY SNMP STATEDIR
%token	STORE STORM SYSLOG TEMPLATE TEXT THRESHOLD TIMEOUT TRAP USE USER
%token	WARNING WRITEDELAY BATCH
%token	COUNT DEVICES ESCALATE EXEC FACILITY FROM INFORM KINDS MAIL NOTIFY
%token	REPEAT SENDMAIL TO
%token	CERTIFICATE FRAMETIMEOUT IDLETIMEOUT LEVEL LOGINFAILURES MAXCONNS
%token	MAXROWS MAXSIZE MNEMONIC PERSENDER RATELIMIT
%token	CA FINGERPRINT PEER
%token	COALESCE CONFIG ENV FETCH MAXVERSIONS PLATFORM
%token	BASELINE DOWNAFTER LATENCY LOSS PROBE SIZE SOURCE LINK
%token	CHECK POLICY SECTION
%token	ACLDENY KPI PLAN REPORT
%token	SANDBOX CACHED CLUSTER REMOTEWRITE
%token	ERROR
%token	<v.string>	STRING
%token	<v.number>	NUMBER
%token	<v.string>	DECIMAL		/* a number with a fraction, as written */
%type	<v.number>	portopt integer
%type	<v.string>	numstr sevword facword
%type	<v.real>	real

%%

grammar		: /* empty */
		| grammar '\n'
		| grammar include '\n'
		| grammar varset '\n'
		| grammar main '\n'
		| grammar block '\n'
		| grammar notify '\n'
		| grammar probe '\n'
		| grammar link '\n'
		| grammar policy '\n'
		| grammar plan '\n'
		| grammar threshold '\n' { th_finish(ctx, $<loc>2, 0); }
		| grammar error '\n'	{
			yyerrok;
			ctx->inblock = 0;
			ctx->innotify = 0;
			ctx->inpolicy = 0;
			ctx->inplan = 0;
			ctx->nslist = 0;
		}
		;

include		: INCLUDE STRING	{ conf_include(ctx, $<loc>1, $2, 0); }
		| INCLUDE STRING STRING	{ conf_include_kind(ctx, $<loc>1, $2, $3); }
		;

varset		: STRING '=' STRING	{
			conf_macro_define(ctx, $<loc>1, $1, $3);
		}
		| STRING '=' NUMBER	{
			conf_macro_define(ctx, $<loc>1, $1, pnumstr(ctx, $3));
		}
		| STRING '=' DECIMAL	{
			conf_macro_define(ctx, $<loc>1, $1, $3);
		}
		;

/* A duration: its text, checked by conf_duration(). */
numstr		: NUMBER		{ $$ = pnumstr(ctx, $1); }
		| DECIMAL
		| STRING
		;

/*
 * A whole number; one written with a fraction is flagged in $<frac>, for
 * conf_irange() to reject with the setting's name.
 */
integer		: NUMBER		{ $<frac>$ = 0; }
		| DECIMAL		{ $$ = 0; $<frac>$ = 1; }
		;

/* A number that may have a fraction, such as a threshold. */
real		: NUMBER	{ $$ = conf_real(ctx, $<loc>1, NULL, $1); }
		| DECIMAL	{ $$ = conf_real(ctx, $<loc>1, $1, 0); }
		;

portopt		: /* empty */		{ $$ = 0; }
		| PORT integer		{
			$$ = conf_irange(ctx, $<loc>1, $2, $<frac>2, 1, 65535,
			    "port", "") ? -1 : $2;
		}
		;

/* The control socket's group, mode and command groups, in any order. */
ctlopts		: /* empty */
		| ctlopts STRING STRING	{
			conf_control_opt(ctx, $<loc>2, $2, $3);
		}
		| ctlopts STRING NUMBER	{
			conf_control_opt(ctx, $<loc>2, $2, pnumstr(ctx, $3));
		}
		;

/* The TLS settings of a syslog listener, in any order. */
tlsopts		: /* empty */		{ ltls_start(ctx); }
		| tlsopts tlsopt
		;

tlsopt		: CERTIFICATE STRING	{ ltls_opt(ctx, $<loc>1, LT_CERT, $2); }
		| KEY STRING		{ ltls_opt(ctx, $<loc>1, LT_KEY, $2); }
		| CA STRING		{ ltls_opt(ctx, $<loc>1, LT_CA, $2); }
		| PEER STRING		{ ltls_opt(ctx, $<loc>1, LT_PEER, $2); }
		| FINGERPRINT STRING	{ ltls_opt(ctx, $<loc>1, LT_FP, $2); }
		;

main		: STATEDIR STRING	{
			conf_setpath(ctx, $<loc>1, ctx->conf->state_dir,
			    sizeof(ctx->conf->state_dir), $2, "state-dir");
		}
		| RRDCACHED STRING	{
			conf_set_rrdcached(ctx, $<loc>1, $2);
		}
		| CONTROL STRING	{
			struct sockaddr_un sa;

			/* It must fit a socket address. */
			conf_setpath(ctx, $<loc>1, ctx->conf->control,
			    MIN(sizeof(ctx->conf->control),
			    sizeof(sa.sun_path)), $2, "control");
		} ctlopts
		| SANDBOX STRING	{ conf_sandbox(ctx, $<loc>1, $2, NULL); }
		| SANDBOX STRING STRING	{ conf_sandbox(ctx, $<loc>1, $2, $3); }
		| PIDFILE STRING	{
			conf_setpath(ctx, $<loc>1, ctx->conf->pidfile,
			    sizeof(ctx->conf->pidfile), $2, "pidfile");
		}
		| USER STRING		{
			if (*$2 == '\0')
				perr(ctx, $<loc>1, "user must not be empty");
			else
				conf_setstr(ctx, $<loc>1, ctx->conf->user,
				    sizeof(ctx->conf->user), $2, "user");
		}
		| LISTEN TRAP STRING STRING portopt {
			ltls_start(ctx);
			conf_listen_add(ctx, $<loc>1, LISTEN_TRAP, $3, $4, $5);
		}
		| LISTEN SYSLOG STRING STRING portopt tlsopts {
			conf_listen_add(ctx, $<loc>1, LISTEN_SYSLOG, $3, $4,
			    $5);
		}
		| SYSLOG KEEP numstr	{
			conf_top_time(ctx, $<loc>1, TT_SYSLOG_KEEP, $3);
		}
		| SYSLOG MAXROWS integer {
			if (conf_irange(ctx, $<loc>1, $3, $<frac>3, 0,
			    4000000000LL, "syslog max-rows", "") == 0)
				ctx->conf->syslog_max_rows = $3;
		}
		| SYSLOG MAXSIZE numstr { conf_top_syslog_size(ctx, $<loc>1, 0, $3); }
		| SYSLOG QUEUE numstr { conf_top_syslog_size(ctx, $<loc>1, 1, $3); }
		| SYSLOG RATELIMIT integer PER numstr {
			conf_syslog_top(ctx, $<loc>1, SY_RATELIMIT, $5, $3, $<frac>3);
		}
		| SYSLOG RATELIMIT STRING { conf_syslog_top(ctx, $<loc>1, SY_RLOFF, $3, 0, 0); }
		| SYSLOG LOGINFAILURES integer PER numstr {
			conf_syslog_top(ctx, $<loc>1, SY_LOGINF, $5, $3, $<frac>3);
		}
		| SYSLOG MAXCONNS integer persender {
			if (conf_irange(ctx, $<loc>1, $3, $<frac>3, 1, 100000,
			    "syslog max-connections", "") == 0)
				ctx->conf->syslog_max_conns = $3;
		}
		| SYSLOG IDLETIMEOUT numstr {
			conf_top_time(ctx, $<loc>1, TT_SYSLOG_IDLE, $3);
		}
		| SYSLOG FRAMETIMEOUT numstr {
			conf_top_time(ctx, $<loc>1, TT_SYSLOG_FRAME, $3);
		}
		| SYSLOG RULE { srule_start(ctx); } sruleopts {
			srule_finish(ctx, $<loc>1);
		}
		| TRAP COMMUNITY STRING	{
			conf_trap_community_add(ctx, $<loc>1, $3);
		}
		| TRAP USER trapuser snmpopts {
			conf_trap_user_add(ctx, $<loc>1);
		}
		| TRAP STORM integer PER numstr {
			conf_trap_storm(ctx, $<loc>1, $3, $<frac>3, $5);
		}
		| TRAP MIBS STRING	{
			conf_setstr(ctx, $<loc>1, ctx->conf->trap_mibs,
			    sizeof(ctx->conf->trap_mibs), $3, "trap mibs");
		}
		| TRAP RULE rulehead ruleopts { trule_finish(ctx, $<loc>1); }
		| FINDING CLOSEAFTER numstr {
			conf_top_time(ctx, $<loc>1, TT_CLOSE_AFTER, $3);
		}
		| FINDING FLAP integer PER numstr {
			conf_top_flap(ctx, $<loc>1, $3, $<frac>3, $5);
		}
		| PRIORITY integer RESPOND numstr RESOLVE numstr {
			conf_top_priority(ctx, $<loc>1, $2, $<frac>2, $4, $6);
		}
		| MAINTENANCE STRING FROM STRING UNTIL STRING {
			conf_maint_add(ctx, $<loc>1, $2, $4, $6);
		}
		| HTTP STRING portopt	{ conf_http_listen(ctx, $<loc>1, $2, $3); }
		| HTTP optnl '{' httplines '}' { conf_http_end(ctx, $<loc>1); }
		| CLUSTER optnl '{' clusterlines '}' {
			conf_cluster_end(ctx, $<loc>1);
		}
		| REMOTEWRITE STRING {
			ctx->inremote = conf_remote_url(ctx, $<loc>1, $2);
		} remoteblock {
			conf_remote_end(ctx, $<loc>1);
			ctx->inremote = 0;
		}
		| MAXINFLIGHT integer	{
			if (conf_irange(ctx, $<loc>1, $2, $<frac>2, 1, 100000,
			    "max-inflight", "") == 0)
				ctx->conf->max_inflight = $2;
		}
		| RRD KEEPSTEP numstr	{
			conf_top_time(ctx, $<loc>1, TT_KEEP_STEP, $3);
		}
		| RRD WRITEDELAY numstr	{
			conf_top_time(ctx, $<loc>1, TT_WRITE_DELAY, $3);
		}
		| RRD CACHED STRING	{
			conf_set_rrdcached(ctx, $<loc>1, $3);
		}
		| RRD STRING		{
			if (strcmp($2, "on") == 0 || strcmp($2, "off") == 0)
				ctx->conf->rrd_off = strcmp($2, "off") == 0;
			else
				perr(ctx, $<loc>1, "rrd: \"on\", \"off\", "
				    "keep-step, write-delay, batch or cached "
				    "expected, not \"%s\"", $2);
		}
		| RRD BATCH integer	{
			if (conf_irange(ctx, $<loc>1, $3, $<frac>3, 1, 1000,
			    "rrd batch", "") == 0)
				ctx->conf->rrd_batch = $3;
		}
		| STORE BATCHWINDOW numstr {
			conf_top_time(ctx, $<loc>1, TT_BATCH, $3);
		}
		| STORE STRING STRING	{
			conf_set_store(ctx, $<loc>1, $2, $3);
		}
		| STORE STRING		{
			conf_set_store(ctx, $<loc>1, $2, NULL);
		}
		| STORE QUEUE integer	{
			if (conf_irange(ctx, $<loc>1, $3, $<frac>3, 1000,
			    100000000, "store queue", "") == 0)
				ctx->conf->store_queue = $3;
		}
		| SENDMAIL STRING	{
			conf_setpath(ctx, $<loc>1, ctx->conf->sendmail,
			    sizeof(ctx->conf->sendmail), $2, "sendmail");
		}
		| CONFIG cfgtop
		| REPORT pwords		{ conf_report_line(ctx, $<loc>1); }
		| KPI pwords		{ conf_kpi_line(ctx, $<loc>1); }
		| EVENTS KEEP numstr	{
			conf_top_time(ctx, $<loc>1, TT_EVENTS_KEEP, $3);
		}
		;

/* The configuration archive's own settings (conf_config.c). */
cfgtop		: KEEP numstr	{ conf_cfg_top(ctx, $<loc>1, CT_KEEP, $2, 0, 0); }
		| MAXVERSIONS integer	{
			conf_cfg_top(ctx, $<loc>1, CT_MAXVERSIONS, NULL, $2, $<frac>2);
		}
		| MAXSIZE numstr { conf_cfg_top(ctx, $<loc>1, CT_MAXSIZE, $2, 0, 0); }
		| MAXINFLIGHT integer	{
			conf_cfg_top(ctx, $<loc>1, CT_MAXINFLIGHT, NULL, $2, $<frac>2);
		}
		| RULE STRING STRING	{
			conf_cfg_rule(ctx, $<loc>1, NULL, $2, $3, NULL);
		}
		| RULE STRING STRING STRING {
			conf_cfg_rule(ctx, $<loc>1, NULL, $2, $3, $4);
		}
		| RULE PLATFORM STRING STRING STRING {
			conf_cfg_rule(ctx, $<loc>1, $3, $4, $5, NULL);
		}
		| RULE PLATFORM STRING STRING STRING STRING {
			conf_cfg_rule(ctx, $<loc>1, $3, $4, $5, $6);
		}
		;

/* How a device's configuration is fetched (conf_config.c). */
cfgblk		: FETCH strlist		{ conf_cfg_fetch(ctx, $<loc>1); }
		| PLATFORM STRING	{
			conf_cfg_platform(ctx, $<loc>1, $2);
		}
		| INTERVAL numstr	{
			conf_cfg_time(ctx, $<loc>1, CF_INTERVAL, $2);
		}
		| TIMEOUT numstr	{
			conf_cfg_time(ctx, $<loc>1, CF_TIMEOUT, $2);
		}
		| COALESCE numstr	{
			conf_cfg_time(ctx, $<loc>1, CF_COALESCE, $2);
		}
		| ENV STRING STRING	{
			conf_cfg_env(ctx, $<loc>1, $2, $3);
		}
		;

/*
 * "threshold CLASS options" or "threshold sensor NAME options", in a
 * block or at the top; the options may come in any order, each once. It
 * is complete at the end of its line, not before: what follows the
 * options may be a syntax error.
 */
threshold	: THRESHOLD thsubject thopts
		;

thsubject	: STRING		{ th_start(ctx, $<loc>1, $1, NULL); }
		| SENSOR STRING		{ th_start(ctx, $<loc>1, NULL, $2); }
		;

thopts		: /* empty */
		| thopts thopt
		;

thopt		: WARNING real		{ th_opt(ctx, $<loc>1, TS_WARN, $2); }
		| CRITICAL real		{ th_opt(ctx, $<loc>1, TS_CRIT, $2); }
		| LOWWARNING real	{
			th_opt(ctx, $<loc>1, TS_LOWWARN, $2);
		}
		| LOWCRITICAL real	{
			th_opt(ctx, $<loc>1, TS_LOWCRIT, $2);
		}
		| HYSTERESIS real	{ th_opt(ctx, $<loc>1, TS_HYST, $2); }
		;

trapuser	: STRING		{ cred_start(ctx, $<loc>1, NULL, $1); }
		;

/* "warning" and "critical" are keywords of thresholds too */
sevword		: STRING
		| WARNING		{ $$ = "warning"; }
		| CRITICAL		{ $$ = "critical"; }
		;

rulehead	: STRING		{ trule_start(ctx, $<loc>1, $1); }
		;

ruleopts	: /* empty */
		| ruleopts ruleopt
		;

ruleopt		: MATCH STRING STRING	{
			trule_opt(ctx, $<loc>1, RO_MATCH, $2, $3);
		}
		| KIND STRING		{ trule_opt(ctx, $<loc>1, RO_KIND, NULL, $2); }
		| SEVERITY sevword	{
			trule_opt(ctx, $<loc>1, RO_SEVERITY, NULL, $2);
		}
		| KEY STRING		{ trule_opt(ctx, $<loc>1, RO_KEY, NULL, $2); }
		| TEXT STRING		{ trule_opt(ctx, $<loc>1, RO_TEXT, NULL, $2); }
		;

persender	: /* empty */
		| PERSENDER integer	{
			if (conf_irange(ctx, $<loc>1, $2, $<frac>2, 1, 100000,
			    "syslog max-connections per-sender", "") == 0)
				ctx->conf->syslog_max_conns_sender = $2;
		}
		;

sruleopts	: /* empty */
		| sruleopts sruleopt
		;

sruleopt	: DEVICE STRING		{
			srule_opt(ctx, $<loc>1, SO_DEVICE, $2);
		}
		| FACILITY STRING	{
			srule_opt(ctx, $<loc>1, SO_FACILITY, $2);
		}
		| LEVEL sevword		{ srule_opt(ctx, $<loc>1, SO_LEVEL, $2); }
		| MNEMONIC STRING	{
			srule_opt(ctx, $<loc>1, SO_MNEMONIC, $2);
		}
		| MATCH STRING		{ srule_opt(ctx, $<loc>1, SO_MATCH, $2); }
		| KIND STRING		{ srule_opt(ctx, $<loc>1, SO_KIND, $2); }
		| SEVERITY sevword	{
			srule_opt(ctx, $<loc>1, SO_SEVERITY, $2);
		}
		| KEY STRING		{ srule_opt(ctx, $<loc>1, SO_KEY, $2); }
		| TEXT STRING		{ srule_opt(ctx, $<loc>1, SO_TEXT, $2); }
		;

block		: blockhead optnl '{' blockopts '}' { block_end(ctx); }
		;

blockhead	: DEVICE STRING		{ block_start(ctx, $<loc>1, 0, $2); }
		| TEMPLATE STRING	{ block_start(ctx, $<loc>1, 1, $2); }
		;

optnl		: /* empty */
		| optnl '\n'
		;

/*
 * Each setting ends with a newline; the lexer puts one before every "}",
 * so the last setting may share its line with the brace.
 */
blockopts	: /* empty */
		| blockopts '\n'
		| blockopts blockopt '\n'
		| blockopts threshold '\n' { th_finish(ctx, $<loc>2, 1); }
		| blockopts probe '\n'
		| blockopts error '\n'	{ yyerrok; }
		;

blockopt	: ADDRESS STRING portopt {
			block_address(ctx, $<loc>1, $2, $<quoted>2, $3);
		}
		| PORT integer		{
			if (!conf_irange(ctx, $<loc>1, $2, $<frac>2, 1, 65535,
			    "port", "")) {
				ctx->blk.port = $2;
				ctx->blk.set |= DC_PORT;
			}
		}
		| USE STRING		{ block_use(ctx, $<loc>1, $2); }
		| SNMP snmpver snmpopts	{
			if (cred_finish(ctx, $<loc>1) == 0) {
				ctx->blk.snmp = ctx->cred;
				ctx->blk.set |= DC_SNMP;
			}
		}
		| INTERVAL numstr	{
			int64_t	 v;

			if (conf_duration(ctx, $<loc>1, $2, conf_u_seconds,
			    "interval", &v) == 0 &&
			    conf_range(ctx, $<loc>1, v, 1, 86400, "interval",
			    "") == 0) {
				ctx->blk.interval = v;
				ctx->blk.set |= DC_INTERVAL;
			}
		}
		| TIMEOUT integer retriesopt {
			if (!conf_irange(ctx, $<loc>1, $2, $<frac>2, 1, 60,
			    "timeout", "")) {
				ctx->blk.timeout = $2;
				ctx->blk.set |= DC_TIMEOUT;
			}
		}
		| retries
		| MAXREP integer	{
			if (conf_irange(ctx, $<loc>1, $2, $<frac>2, 1, 1000,
			    "max-repetitions", "") == 0) {
				ctx->blk.max_reps = $2;
				ctx->blk.set |= DC_MAXREP;
			}
		}
		| BULK STRING		{
			if (strcmp($2, "on") == 0 || strcmp($2, "off") == 0) {
				ctx->blk.bulk = strcmp($2, "on") == 0;
				ctx->blk.set |= DC_BULK;
			} else
				perr(ctx, $<loc>1,
				    "bulk must be \"on\" or \"off\"");
		}
		| LOCATION STRING	{ conf_block_str(ctx, $<loc>1, BS_LOCATION, $2); }
		| ROLE STRING		{ conf_block_str(ctx, $<loc>1, BS_ROLE, $2); }
		| OWNER STRING		{ conf_block_str(ctx, $<loc>1, BS_OWNER, $2); }
		| IMPACT STRING		{ conf_block_str(ctx, $<loc>1, BS_IMPACT, $2); }
		| DEPENDS STRING	{ conf_block_str(ctx, $<loc>1, BS_DEPENDS, $2); }
		| REQUIRE PROCESS STRING {
			conf_proc_add(ctx, $<loc>1, $3, 0);
		}
		| FORBID PROCESS STRING	{
			conf_proc_add(ctx, $<loc>1, $3, 1);
		}
		| CONFIG cfgblk
		| POLICY STRING		{ conf_policy_apply(ctx, $<loc>1, $2); }
		;

/* A compliance policy (conf_policy.c). */
policy		: POLICY STRING	{ conf_policy_start(ctx, $<loc>1, $2); }
		    optnl '{' polopts '}' { conf_policy_end(ctx); }
		;

polopts		: /* empty */
		| polopts '\n'
		| polopts polrule '\n'
		| polopts error '\n'	{ yyerrok; }
		;

polrule		: REQUIRE STRING polmods {
			conf_policy_rule(ctx, $<loc>1, POL_REQUIRE, $2,
			    ctx->pol_section, ctx->pol_text);
		}
		| FORBID STRING polmods	{
			conf_policy_rule(ctx, $<loc>1, POL_FORBID, $2,
			    ctx->pol_section, ctx->pol_text);
		}
		| CHECK STRING polmods	{
			conf_policy_rule(ctx, $<loc>1, POL_CHECK, $2,
			    ctx->pol_section, ctx->pol_text);
		}
		| polacl
		;

/* "acl-deny ACL PACKET": the ACL must deny the packet (conf_policy.c) */
polacl		: ACLDENY STRING STRING polmods {
			conf_policy_acl(ctx, $<loc>1, $2, $3,
			    ctx->pol_section, ctx->pol_text);
		}
		;

polmods		: /* empty */	{ ctx->pol_section = ctx->pol_text = NULL; }
		| polmods SECTION STRING { ctx->pol_section = $3; }
		| polmods TEXT STRING	{ ctx->pol_text = $3; }
		;

/* The HTTP server's block (conf_http.c). */
httplines	: /* empty */
		| httplines '\n'
		| httplines httpline '\n'
		| httplines error '\n'	{ yyerrok; }
		;

httpline	: LISTEN STRING portopt	{
			conf_http_listen(ctx, $<loc>1, $2, $3);
		}
		| LISTEN STRING portopt STRING STRING STRING KEY STRING {
			conf_http_listen(ctx, $<loc>1, $2, $3);
			conf_http_tls(ctx, $<loc>4, $4, $5, $6, $8);
		}
		| USER STRING ROLE STRING STRING STRING {
			conf_http_cred(ctx, $<loc>1, "user", $2, $4, $5, $6);
		}
		| STRING STRING ROLE STRING STRING STRING {
			conf_http_cred(ctx, $<loc>1, $1, $2, $4, $5, $6);
		}
		;

/* remote-write's settings (conf_remote.c), lines as the cluster's. */
remoteblock	: /* empty */
		| '{' clusterlines '}'
		;

/* The cluster block (conf_cluster.c): each line a word and a value. */
clusterlines	: /* empty */
		| clusterlines '\n'
		| clusterlines pwords '\n' {
			if (ctx->inremote)
				conf_remote_line(ctx, $<loc>2);
			else
				conf_cluster_line(ctx, $<loc>2);
		}
		| clusterlines error '\n' { yyerrok; ctx->nslist = 0; }
		;

/* An inspection plan (conf_plan.c): each line a list of words. */
plan		: PLAN STRING	{ conf_plan_start(ctx, $<loc>1, $2); }
		  optnl '{' planlines '}' { conf_plan_end(ctx, $<loc>1); }
		;

planlines	: /* empty */
		| planlines '\n'
		| planlines pwords '\n' { conf_plan_line(ctx, $<loc>2); }
		| planlines error '\n'	{ yyerrok; ctx->nslist = 0; }
		;

pwords		: pword
		| pwords pword
		;

pword		: STRING		{ conf_plan_word(ctx, $1); }
		| NUMBER		{ conf_plan_word(ctx, pnumstr(ctx, $1)); }
		| DECIMAL		{ conf_plan_word(ctx, $1); }
		| CONFIG		{ conf_plan_word(ctx, "config"); }
		| CHECK			{ conf_plan_word(ctx, "check"); }
		| DEVICES		{ conf_plan_word(ctx, "devices"); }
		| KEEP			{ conf_plan_word(ctx, "keep"); }
		| BATCH			{ conf_plan_word(ctx, "batch"); }
		| TIMEOUT		{ conf_plan_word(ctx, "timeout"); }
		| QUEUE			{ conf_plan_word(ctx, "queue"); }
		;

/* A probe (conf_probe.c): at the top level or in a device or template. */
probe		: PROBE STRING	{ conf_probe_start(ctx, $<loc>1, $2); }
		  optnl '{' probelines '}' { conf_probe_end(ctx, $<loc>1); }
		;

probelines	: /* empty */
		| probelines '\n'
		| probelines probeline '\n'
		| probelines error '\n'	{ yyerrok; }
		;

probeline	: STRING probeopts	{
			conf_probe_kind(ctx, $<loc>1, $1, NULL);
		}
		| STRING STRING probeopts {
			conf_probe_kind(ctx, $<loc>1, $1, $2);
		}
		| probeopt
		;

probeopts	: /* empty */
		| probeopts probeopt
		;

probeopt	: COUNT integer	{
			conf_probe_opt(ctx, $<loc>1, PROBE_O_COUNT, $2,
			    $<frac>2, NULL);
		}
		| INTERVAL numstr {
			conf_probe_opt(ctx, $<loc>1, PROBE_O_INTERVAL, 0, 0, $2);
		}
		| SIZE integer	{
			conf_probe_opt(ctx, $<loc>1, PROBE_O_SIZE, $2, $<frac>2,
			    NULL);
		}
		| SOURCE STRING	{
			conf_probe_opt(ctx, $<loc>1, PROBE_O_SOURCE, 0, 0, $2);
		}
		| PORT integer	{
			conf_probe_opt(ctx, $<loc>1, PROBE_O_PORT, $2, $<frac>2,
			    NULL);
		}
		| TIMEOUT numstr {
			conf_probe_opt(ctx, $<loc>1, PROBE_O_TIMEOUT, 0, 0, $2);
		}
		| LOSS integer	{
			conf_probe_opt(ctx, $<loc>1, PROBE_O_LOSS, $2, $<frac>2,
			    NULL);
		}
		| LATENCY numstr {
			conf_probe_opt(ctx, $<loc>1, PROBE_O_LATENCY, 0, 0, $2);
		}
		| DOWNAFTER integer {
			conf_probe_opt(ctx, $<loc>1, PROBE_O_DOWNAFTER, $2,
			    $<frac>2, NULL);
		}
		| BASELINE numstr {
			conf_probe_opt(ctx, $<loc>1, PROBE_O_BASELINE, 0, 0, $2);
		}
		;

/* A link (conf_link.c): each line its words, read there. */
link		: LINK STRING	{ conf_link_start(ctx, $<loc>1, $2); }
		  optnl '{' linklines '}' { conf_link_end(ctx, $<loc>1); }
		;

linklines	: /* empty */
		| linklines '\n'
		| linklines linkwords '\n' { conf_link_line(ctx); }
		| linklines error '\n'	{ yyerrok; ctx->nlwords = 0; }
		;

linkwords	: numstr		{ conf_link_word(ctx, $<loc>1, $1); }
		| linkwords numstr	{ conf_link_word(ctx, $<loc>2, $2); }
		;

retriesopt	: /* empty */
		| retries
		;

retries		: RETRIES integer	{
			if (!conf_irange(ctx, $<loc>1, $2, $<frac>2, 0, 10,
			    "retries", "")) {
				ctx->blk.retries = $2;
				ctx->blk.set |= DC_RETRIES;
			}
		}
		;

snmpver		: STRING		{ cred_start(ctx, $<loc>1, $1, NULL); }
		;

/*
 * A notification target: one destination, filters, escalation and
 * delivery settings, each setting on its line.
 */
notify		: notifyhead optnl '{' notifyopts '}' { conf_notify_end(ctx); }
		;

notifyhead	: NOTIFY STRING		{ conf_notify_start(ctx, $<loc>1, $2); }
		;

notifyopts	: /* empty */
		| notifyopts '\n'
		| notifyopts notifyopt '\n'
		| notifyopts error '\n'	{ yyerrok; }
		;

facword		: STRING
		| MAIL			{ $$ = "mail"; }
		;

strlist		: STRING		{
			ctx->nslist = 0;
			ctx->slist_over = 0;
			conf_slist_add(ctx, $1);
		}
		| strlist STRING	{ conf_slist_add(ctx, $2); }
		;

notifyopt	: TRAP snmpver STRING portopt snmpopts {
			conf_notify_snmp(ctx, $<loc>1, NOTIFY_TRAP, $3, $4);
		}
		| INFORM snmpver STRING portopt snmpopts {
			conf_notify_snmp(ctx, $<loc>1, NOTIFY_INFORM, $3, $4);
		}
		| SYSLOG STRING STRING portopt {
			conf_notify_syslog(ctx, $<loc>1, $2, $3, $4, NULL);
		}
		| SYSLOG STRING STRING portopt FACILITY facword {
			conf_notify_syslog(ctx, $<loc>1, $2, $3, $4, $6);
		}
		| MAIL strlist		{
			conf_notify_mail(ctx, $<loc>1, NULL);
		}
		| MAIL strlist FROM STRING {
			conf_notify_mail(ctx, $<loc>1, $4);
		}
		| EXEC strlist		{ conf_notify_exec(ctx, $<loc>1); }
		| SEVERITY sevword	{
			conf_notify_filter(ctx, $<loc>1, NS_SEVERITY, $2);
		}
		| ROLE strlist		{
			conf_notify_filter(ctx, $<loc>1, NS_ROLE, NULL);
		}
		| DEVICES strlist	{
			conf_notify_filter(ctx, $<loc>1, NS_DEVICES, NULL);
		}
		| KINDS strlist		{
			conf_notify_filter(ctx, $<loc>1, NS_KINDS, NULL);
		}
		| ESCALATE numstr TO STRING {
			conf_notify_escalate(ctx, $<loc>1, $2, $4);
		}
		| REPEAT numstr		{
			conf_notify_repeat(ctx, $<loc>1, $2, 0, 0);
		}
		| REPEAT numstr COUNT integer {
			conf_notify_repeat(ctx, $<loc>1, $2, $4 > 0 ? $4 : -1,
			    $<frac>4);
		}
		| TIMEOUT numstr	{
			conf_notify_delivery(ctx, $<loc>1, NS_TIMEOUT, $2, 0,
			    0);
		}
		| RETRIES integer	{
			conf_notify_delivery(ctx, $<loc>1, NS_RETRIES, NULL, $2,
			    $<frac>2);
		}
		| QUEUE integer		{
			conf_notify_delivery(ctx, $<loc>1, NS_QUEUE, NULL, $2,
			    $<frac>2);
		}
		;

snmpopts	: /* empty */
		| snmpopts snmpopt
		;

snmpopt		: COMMUNITY STRING	{
			cred_opt(ctx, $<loc>1, CS_COMMUNITY, NULL, $2);
		}
		| USER STRING		{
			cred_opt(ctx, $<loc>1, CS_USER, NULL, $2);
		}
		| AUTH STRING STRING	{
			cred_opt(ctx, $<loc>1, CS_AUTH, $2, $3);
		}
		| PRIV STRING STRING	{
			cred_opt(ctx, $<loc>1, CS_PRIV, $2, $3);
		}
		| CONTEXT STRING	{
			cred_opt(ctx, $<loc>1, CS_CONTEXT, NULL, $2);
		}
		| ENGINEID STRING	{
			cred_opt(ctx, $<loc>1, CS_ENGINE, NULL, $2);
		}
		;

%%

/* Where each keyword may begin a statement, for better error messages. */
#define K_TOP		0x01
#define K_BLOCK		0x02
#define K_NOTIFY	0x04

struct keyword {
	const char	*name;
	int		 token;
	int		 where;
};

/* Sorted by name, for bsearch(). */
static const struct keyword keywords[] = {
	{ "acl-deny",		ACLDENY,	0 },
	{ "address",		ADDRESS,	K_BLOCK },
	{ "auth",		AUTH,		0 },
	{ "baseline",		BASELINE,	0 },
	{ "batch",		BATCH,		0 },
	{ "batch-window",	BATCHWINDOW,	0 },
	{ "bulk",		BULK,		K_BLOCK },
	{ "ca",			CA,		0 },
	{ "cached",		CACHED,		0 },
	{ "certificate",	CERTIFICATE,	0 },
	{ "check",		CHECK,		0 },
	{ "close-after",	CLOSEAFTER,	0 },
	{ "cluster",		CLUSTER,	K_TOP },
	{ "coalesce",		COALESCE,	0 },
	{ "community",		COMMUNITY,	0 },
	{ "config",		CONFIG,		K_TOP | K_BLOCK },
	{ "context",		CONTEXT,	0 },
	{ "control",		CONTROL,	K_TOP },
	{ "count",		COUNT,		0 },
	{ "critical",		CRITICAL,	0 },
	{ "depends",		DEPENDS,	K_BLOCK },
	{ "device",		DEVICE,		K_TOP },
	{ "devices",		DEVICES,	K_NOTIFY },
	{ "down-after",		DOWNAFTER,	0 },
	{ "engine-id",		ENGINEID,	0 },
	{ "env",		ENV,		0 },
	{ "escalate",		ESCALATE,	K_NOTIFY },
	{ "events",		EVENTS,		K_TOP },
	{ "exec",		EXEC,		K_NOTIFY },
	{ "facility",		FACILITY,	0 },
	{ "fetch",		FETCH,		0 },
	{ "finding",		FINDING,	K_TOP },
	{ "fingerprint",	FINGERPRINT,	0 },
	{ "flap",		FLAP,		0 },
	{ "forbid",		FORBID,		K_BLOCK },
	{ "frame-timeout",	FRAMETIMEOUT,	0 },
	{ "from",		FROM,		0 },
	{ "http",		HTTP,		K_TOP },
	{ "hysteresis",		HYSTERESIS,	0 },
	{ "idle-timeout",	IDLETIMEOUT,	0 },
	{ "impact",		IMPACT,		K_BLOCK },
	{ "include",		INCLUDE,	K_TOP },
	{ "inform",		INFORM,		K_NOTIFY },
	{ "interval",		INTERVAL,	K_BLOCK },
	{ "keep",		KEEP,		0 },
	{ "keep-step",		KEEPSTEP,	0 },
	{ "key",		KEY,		0 },
	{ "kind",		KIND,		0 },
	{ "kinds",		KINDS,		K_NOTIFY },
	{ "kpi",		KPI,		K_TOP },
	{ "latency",		LATENCY,	0 },
	{ "level",		LEVEL,		0 },
	{ "link",		LINK,		K_TOP },
	{ "listen",		LISTEN,		K_TOP },
	{ "location",		LOCATION,	K_BLOCK },
	{ "login-failures",	LOGINFAILURES,	0 },
	{ "loss",		LOSS,		0 },
	{ "low-critical",	LOWCRITICAL,	0 },
	{ "low-warning",	LOWWARNING,	0 },
	{ "mail",		MAIL,		K_NOTIFY },
	{ "maintenance",	MAINTENANCE,	K_TOP },
	{ "match",		MATCH,		0 },
	{ "max-connections",	MAXCONNS,	0 },
	{ "max-inflight",	MAXINFLIGHT,	K_TOP },
	{ "max-repetitions",	MAXREP,		K_BLOCK },
	{ "max-rows",		MAXROWS,	0 },
	{ "max-size",		MAXSIZE,	0 },
	{ "max-versions",	MAXVERSIONS,	0 },
	{ "mibs",		MIBS,		0 },
	{ "mnemonic",		MNEMONIC,	0 },
	{ "notify",		NOTIFY,		K_TOP },
	{ "owner",		OWNER,		K_BLOCK },
	{ "peer",		PEER,		0 },
	{ "per",		PER,		0 },
	{ "per-sender",		PERSENDER,	0 },
	{ "pidfile",		PIDFILE,	K_TOP },
	{ "plan",		PLAN,		K_TOP },
	{ "platform",		PLATFORM,	0 },
	{ "policy",		POLICY,		K_TOP | K_BLOCK },
	{ "port",		PORT,		K_BLOCK },
	{ "priority",		PRIORITY,	K_TOP },
	{ "priv",		PRIV,		0 },
	{ "probe",		PROBE,		K_TOP | K_BLOCK },
	{ "process",		PROCESS,	0 },
	{ "queue",		QUEUE,		K_NOTIFY },
	{ "ratelimit",		RATELIMIT,	0 },
	{ "remote-write",	REMOTEWRITE,	K_TOP },
	{ "repeat",		REPEAT,		K_NOTIFY },
	{ "report",		REPORT,		K_TOP },
	{ "require",		REQUIRE,	K_BLOCK },
	{ "resolve",		RESOLVE,	0 },
	{ "respond",		RESPOND,	0 },
	{ "retries",		RETRIES,	K_BLOCK | K_NOTIFY },
	{ "role",		ROLE,		K_BLOCK | K_NOTIFY },
	{ "rrd",		RRD,		K_TOP },
	{ "rrdcached",		RRDCACHED,	K_TOP },
	{ "rule",		RULE,		0 },
	{ "sandbox",		SANDBOX,	K_TOP },
	{ "section",		SECTION,	0 },
	{ "sendmail",		SENDMAIL,	K_TOP },
	{ "sensor",		SENSOR,		0 },
	{ "severity",		SEVERITY,	K_NOTIFY },
	{ "size",		SIZE,		0 },
	{ "snmp",		SNMP,		K_BLOCK },
	{ "source",		SOURCE,		0 },
	{ "state-dir",		STATEDIR,	K_TOP },
	{ "store",		STORE,		K_TOP },
	{ "storm",		STORM,		0 },
	{ "syslog",		SYSLOG,		K_TOP | K_NOTIFY },
	{ "template",		TEMPLATE,	K_TOP },
	{ "text",		TEXT,		0 },
	{ "threshold",		THRESHOLD,	K_TOP | K_BLOCK },
	{ "timeout",		TIMEOUT,	K_BLOCK | K_NOTIFY },
	{ "to",			TO,		0 },
	{ "trap",		TRAP,		K_TOP | K_NOTIFY },
	{ "until",		UNTIL,		0 },
	{ "use",		USE,		K_BLOCK },
	{ "user",		USER,		K_TOP },
	{ "warning",		WARNING,	0 },
	{ "write-delay",	WRITEDELAY,	0 },
};

static int
kw_cmp(const void *k, const void *e)
{
	return (strcmp(k, ((const struct keyword *)e)->name));
}

static const struct keyword *
kw_lookup(const char *s)
{
	return (bsearch(s, keywords, sizeof(keywords) / sizeof(keywords[0]),
	    sizeof(keywords[0]), kw_cmp));
}

static const struct keyword *
kw_bytoken(int token)
{
	size_t	 i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (keywords[i].token == token)
			return (&keywords[i]);
	return (NULL);
}

/*
 * Errors.
 */

/* An error at the lexer's position. */
static void
lexerr(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
lexerr(struct parse *p, const char *fmt, ...)
{
	struct loc	 at;
	va_list		 ap;

	at.file = p->file->name;
	at.line = p->file->lineno;
	va_start(ap, fmt);
	verr(p, at, fmt, ap);
	va_end(ap);
}

/* yacc's own errors; the lexer has reported its own already. */
static void
yyerror(struct parse *p, const char *msg)
{
	const struct keyword	*kw;
	const char		*kind;

	if (strcmp(msg, "syntax error") != 0) {
		perr(p, p->tokloc, "%s", msg);
		return;
	}
	if (p->tok == ERROR)
		return;
	kind = p->blk_template ? "template" : "device";
	if (p->stmt_unknown && p->tokidx <= 1)
		perr(p, p->tokloc, "unknown keyword \"%s\"", p->stmt_word);
	else if (p->tokidx == 0 && (kw = kw_bytoken(p->tok)) != NULL &&
	    p->innotify && !(kw->where & K_NOTIFY))
		perr(p, p->tokloc, "\"%s\" is not valid inside a notify block",
		    kw->name);
	else if (p->tokidx == 0 && (kw = kw_bytoken(p->tok)) != NULL &&
	    !p->innotify && (kw->where & K_NOTIFY) &&
	    !(kw->where & (K_TOP | K_BLOCK)))
		perr(p, p->tokloc, "\"%s\" is only valid inside a notify "
		    "block", kw->name);
	else if (p->tokidx == 0 && (kw = kw_bytoken(p->tok)) != NULL &&
	    p->inblock && (kw->where & K_TOP))
		perr(p, p->tokloc, "\"%s\" is not valid inside a %s block",
		    kw->name, kind);
	else if (p->tokidx == 0 && (kw = kw_bytoken(p->tok)) != NULL &&
	    !p->inblock && (kw->where & K_BLOCK))
		perr(p, p->tokloc, "\"%s\" is only valid inside a device or "
		    "template block", kw->name);
	else if (p->tok == '\n')
		perr(p, p->tokloc, "syntax error at end of line");
	else if (p->tok == 0 && p->innotify)
		perr(p, p->tokloc, "syntax error at end of file: notify \"%s\" "
		    "is not closed with \"}\"", p->nt.name);
	else if (p->tok == 0 && p->inblock)
		perr(p, p->tokloc, "syntax error at end of file: %s \"%s\" "
		    "is not closed with \"}\"", kind, p->blk.name);
	else if (p->tok == 0)
		perr(p, p->tokloc, "syntax error at end of file");
	else
		perr(p, p->tokloc, "syntax error near \"%s\"", p->toktext);
}

/*
 * The lexer.
 */

static int
igetc(struct parse *p)
{
	struct pfile	*f = p->file;
	int		 c;

	for (;;) {
		if (f->ungetpos > 0)
			c = f->ungetbuf[--f->ungetpos];
		else
			c = getc(f->stream);
		if (c == START_EXPAND)
			p->expanding = 1;
		else if (c == DONE_EXPAND)
			p->expanding = 0;
		else
			return (c);
	}
}

static void
lungetc(struct parse *p, int c)
{
	struct pfile	*f = p->file;

	/* Only single characters come back here: there is always room. */
	if (c != EOF && f->ungetpos < UNGET_MAX)
		f->ungetbuf[f->ungetpos++] = c;
}

/*
 * The next character. RAW reads quoted strings and comments: no line
 * continuation, and EOF at the end of the file. Otherwise a backslash
 * before a newline joins lines, each file ends with a newline even when
 * its last line lacks one, and the end of an included file goes on in
 * the file that included it.
 */
static int
lgetc(struct parse *p, int raw)
{
	struct pfile	*f;
	int		 c, next;

	for (;;) {
		f = p->file;
		c = igetc(p);
		if (c == '\\' && !raw) {
			next = igetc(p);
			if (next == '\n') {
				f->lineno++;
				continue;
			}
			lungetc(p, next);
		}
		if (c != EOF) {
			f->lastc = c;
			return (c);
		}
		if (raw)
			return (EOF);
		if (!f->eof_reached) {
			f->eof_reached = 1;
			if (f->lastc != '\n') {
				f->lastc = '\n';
				return ('\n');
			}
		}
		if (f->parent == NULL)
			return (EOF);
		conf_popfile(p);
	}
}

/* Skip the rest of a line after a lexer error; the newline stays. */
static int
findeol(struct parse *p)
{
	int	 c;

	while ((c = lgetc(p, 1)) != '\n' && c != EOF)
		;
	lungetc(p, c);
	return (ERROR);
}

static int
isword(int c)
{
	if (c < 0 || c > UCHAR_MAX)
		return (0);
	if (isalnum(c))
		return (1);
	return (ispunct(c) && strchr("{}=#\"'", c) == NULL);
}

/*
 * After a "$": read $name or ${name} and return the macro's value, or NULL
 * after reporting why not.
 */
static const char *
macro_ref(struct parse *p, int raw)
{
	char		 name[MACRO_NAME_MAX];
	const char	*v;
	size_t		 n = 0;
	int		 c, brace = 0;

	if ((c = lgetc(p, raw)) == '{')
		brace = 1;
	else
		lungetc(p, c);
	while ((c = lgetc(p, raw)) != EOF && (c == '_' ||
	    (c <= UCHAR_MAX && isalnum(c)))) {
		if (n + 1 >= sizeof(name)) {
			lexerr(p, "macro name too long");
			return (NULL);
		}
		name[n++] = c;
	}
	name[n] = '\0';
	if (brace && c != '}') {
		lungetc(p, c);
		lexerr(p, "missing \"}\" after \"${%s\"", name);
		return (NULL);
	}
	if (!brace)
		lungetc(p, c);
	if (n == 0) {
		lexerr(p, "missing macro name after \"$\"");
		return (NULL);
	}
	if ((v = conf_macro_get(p, name)) == NULL) {
		lexerr(p, "macro \"%s\" not defined", name);
		return (NULL);
	}
	return (v);
}

static void
set_toktext(struct parse *p, const char *s)
{
	size_t	 len = strlen(s);

	if (len < sizeof(p->toktext))
		memcpy(p->toktext, s, len + 1);
	else
		(void)snprintf(p->toktext, sizeof(p->toktext), "%.*s...",
		    (int)sizeof(p->toktext) - 4, s);
}

/* A quoted string; the opening quote has been read. */
static int
lex_string(struct parse *p)
{
	const char	*v;
	size_t		 n = 0, vlen;
	int		 c, next;

	for (;;) {
		c = lgetc(p, 1);
		if (c == EOF || c == '\n') {
			lungetc(p, c);
			lexerr(p, "unterminated quoted string");
			return (ERROR);
		}
		if (c == '"')
			break;
		if (c == '\0') {
			lexerr(p, "NUL byte in quoted string");
			return (findeol(p));
		}
		if (c == '\\') {
			/* \" \\ \$ escape; other backslashes stay. */
			next = lgetc(p, 1);
			if (next == '"' || next == '\\' || next == '$')
				c = next;
			else
				lungetc(p, next);
		} else if (c == '$') {
			next = lgetc(p, 1);
			lungetc(p, next);
			if (next == '{' || next == '_' ||
			    (next >= 0 && next <= UCHAR_MAX && isalpha(next))) {
				if ((v = macro_ref(p, 1)) == NULL)
					return (findeol(p));
				vlen = strlen(v);
				if (n + vlen >= sizeof(p->buf))
					goto toolong;
				memcpy(p->buf + n, v, vlen);
				n += vlen;
				continue;
			}
		}
		if (n + 1 >= sizeof(p->buf))
			goto toolong;
		p->buf[n++] = c;
	}
	p->buf[n] = '\0';
	if ((yylval.v.string = pstrdup(p, p->buf)) == NULL) {
		lexerr(p, "out of memory");
		return (findeol(p));
	}
	yylval.quoted = 1;
	set_toktext(p, p->buf);
	return (STRING);
toolong:
	lexerr(p, "quoted string too long (max %d characters)", LEX_MAX - 1);
	return (findeol(p));
}

static int
lex(struct parse *p)
{
	const struct keyword	*kw;
	struct pfile		*f;
	const char		*v;
	size_t			 n, vlen;
	int			 c;

	yylval.v.string = NULL;
	yylval.quoted = 0;
	yylval.frac = 0;
	p->tokbare = 0;
	p->toktext[0] = '\0';
top:
	while ((c = lgetc(p, 0)) == ' ' || c == '\t' || c == '\r')
		;
	f = p->file;
	yylval.loc.file = f->name;
	yylval.loc.line = f->lineno;
	if (c == '#') {
		while ((c = lgetc(p, 1)) != '\n' && c != EOF)
			;
		if (c == EOF)
			goto top;
	}
	if (c == '$' && !p->expanding) {
		if ((v = macro_ref(p, 0)) == NULL)
			return (findeol(p));
		/* Read the macro's text as input, but expand nothing in it. */
		vlen = strlen(v);
		if (f->ungetpos + vlen + 2 > UNGET_MAX) {
			lexerr(p, "macro too long");
			return (findeol(p));
		}
		f->ungetbuf[f->ungetpos++] = DONE_EXPAND;
		while (vlen > 0)
			f->ungetbuf[f->ungetpos++] = (unsigned char)v[--vlen];
		f->ungetbuf[f->ungetpos++] = START_EXPAND;
		goto top;
	}
	if (c == '"')
		return (lex_string(p));
	if (isword(c)) {
		n = 0;
		do {
			if (n + 1 >= sizeof(p->buf)) {
				lexerr(p, "word too long (max %d characters)",
				    LEX_MAX - 1);
				return (findeol(p));
			}
			p->buf[n++] = c;
		} while ((c = lgetc(p, 0)) != EOF && isword(c));
		lungetc(p, c);
		p->buf[n] = '\0';
		set_toktext(p, p->buf);
		if (conf_is_number(p->buf)) {
			yylval.v.number = conf_number(p->buf, NULL);
			return (NUMBER);
		}
		if (conf_is_decimal(p->buf)) {
			if ((yylval.v.string = pstrdup(p, p->buf)) == NULL) {
				lexerr(p, "out of memory");
				return (findeol(p));
			}
			return (DECIMAL);
		}
		if ((kw = kw_lookup(p->buf)) != NULL)
			return (kw->token);
		if ((yylval.v.string = pstrdup(p, p->buf)) == NULL) {
			lexerr(p, "out of memory");
			return (findeol(p));
		}
		p->tokbare = 1;
		return (STRING);
	}
	if (c == '\n') {
		f->lineno++;
		return ('\n');
	}
	if (c == EOF) {
		/* Blame the file's last line. */
		if (yylval.loc.line > 1)
			yylval.loc.line--;
		return (0);
	}
	if (c == '\0') {
		lexerr(p, "NUL byte in input");
		return (findeol(p));
	}
	if (c == '}' && p->tok != '\n') {
		lungetc(p, c);
		return ('\n');
	}
	p->toktext[0] = c;
	p->toktext[1] = '\0';
	return (c);
}

/* The lexer, noting each token's place in its statement for yyerror(). */
static int
yylex(struct parse *p)
{
	int	 t;

	t = lex(p);
	p->tok = t;
	p->tokloc = yylval.loc;
	p->tokidx = p->nextidx;
	p->nextidx = (t == '\n' || t == '{' || t == 0) ? 0 : p->nextidx + 1;
	if (p->tokidx == 0) {
		p->stmt_unknown = p->tokbare;
		memcpy(p->stmt_word, p->toktext, sizeof(p->stmt_word));
	}
	return (t);
}

/*
 * The interface.
 */

struct config *
conf_parse(const char *file, char *const *defines, char *errbuf,
    size_t errlen)
{
	struct parse	*p;
	struct config	*conf;
	size_t		 i;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		if (errbuf != NULL && errlen > 0)
			(void)snprintf(errbuf, errlen, "%s: out of memory\n",
			    file);
		return (NULL);
	}
	p->errbuf = errbuf;
	p->errlen = errlen;
	if ((conf = p->conf = conf_new()) == NULL)
		perr(p, (struct loc){ file, 0 }, "out of memory");
	else if (conf_setstr(p, (struct loc){ file, 0 }, conf->path,
	    sizeof(conf->path), file, "file name") == 0) {
		for (i = 0; defines != NULL && defines[i] != NULL; i++)
			conf_macro_cmdline(p, defines[i]);
		if (p->errors == 0 && conf_pushfile(p, file, noloc) != NULL &&
		    yyparse(p) != 0 && p->errors == 0)
			perr(p, (struct loc){ file, 0 }, "cannot parse");
		if (p->errors == 0) {
			conf_notify_links(p);
			conf_policy_check(p);
			conf_store_check(p, (struct loc){ file, 0 });
		}
	}

	conf_errors_end(p);
	while (p->file != NULL)
		conf_popfile(p);
	conf_macro_free(p);
	conf_arena_free(p);
	/* Nothing of this run stays in yacc's globals. */
	memset(&yylval, 0, sizeof(yylval));
	if (p->errors > 0) {
		conf_free(conf);
		conf = NULL;
	}
	explicit_bzero(p, sizeof(*p));
	free(p);
	return (conf);
}

