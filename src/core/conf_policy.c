/*
 * conf_policy.c - compliance policies: "policy NAME { require|forbid
 * REGEX [section REGEX] [text TEXT]; check NAME [text TEXT]; acl-deny
 * ACL PACKETS [text TEXT] }" at the top, and "policy NAME" in a device or
 * template block to apply one.
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

/* the built-in checks ("check NAME") */
static const char *const checks[] = {
	"vty-access-class", "weak-community", "exec-timeout", NULL
};

void
conf_policy_start(struct parse *p, struct loc at, const char *name)
{
	struct policy_conf *pc;

	p->inpolicy = 1;
	p->pol = NULL;
	if (*name == '\0') {
		perr(p, at, "policy name must not be empty");
		return;
	}
	TAILQ_FOREACH(pc, &p->conf->policies, entry)
		if (strcmp(pc->name, name) == 0) {
			perr(p, at, "policy \"%s\" defined twice", name);
			return;
		}
	if ((pc = calloc(1, sizeof(*pc))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	if (conf_setstr(p, at, pc->name, sizeof(pc->name), name,
	    "policy name") == -1 || conf_setstr(p, at, pc->file,
	    sizeof(pc->file), at.file, "file name") == -1) {
		free(pc);
		return;
	}
	pc->line = at.line;
	TAILQ_INSERT_TAIL(&p->conf->policies, pc, entry);
	p->pol = pc;
}

void
conf_policy_end(struct parse *p)
{
	p->inpolicy = 0;
	p->pol = NULL;
}

static int
re_ok(struct parse *p, struct loc at, const char *re, const char *what)
{
	regex_t r;
	char msg[128];
	int rc;

	if ((rc = conf_regcomp(&r, re, REG_EXTENDED | REG_NOSUB, msg,
	         sizeof(msg))) != 0) {
		perr(p, at, "%s: bad regular expression \"%s\": %s", what, re,
		    msg);
		return 0;
	}
	regfree(&r);
	return 1;
}

/* a new rule at the end of PC (zeroed), or NULL with an error */
static struct policy_rule *
rule_add(struct parse *p, struct loc at, struct policy_conf *pc)
{
	struct policy_rule *r;

	if (pc->nrules >= NP_POLICY_RULES) {
		perr(p, at, "policy \"%s\": at most %d rules", pc->name,
		    NP_POLICY_RULES);
		return NULL;
	}
	if (pc->nrules % 16 == 0) {
		struct policy_rule *nr = realloc(pc->rules,
		    (size_t)(pc->nrules + 16) * sizeof(*nr));

		if (nr == NULL) {
			perr(p, at, "out of memory");
			return NULL;
		}
		pc->rules = nr;
	}
	r = &pc->rules[pc->nrules];
	memset(r, 0, sizeof(*r));
	return r;
}

/* a rule, with the section and text of p->slist-free options */
void
conf_policy_rule(struct parse *p, struct loc at, int kind, const char *what,
    const char *section, const char *text)
{
	struct policy_conf *pc = p->pol;
	struct policy_rule *r;

	if (pc == NULL)
		return; /* the policy's header was refused */
	if (kind == POL_CHECK) {
		int i;

		for (i = 0; checks[i]; i++)
			if (strcmp(what, checks[i]) == 0)
				break;
		if (checks[i] == NULL) {
			perr(p, at, "unknown check \"%s\" (vty-access-class, "
			    "weak-community or exec-timeout)", what);
			return;
		}
		if (section) {
			perr(p, at, "a check takes no section");
			return;
		}
	} else if (!re_ok(p, at, what, kind == POL_REQUIRE ? "require" :
	    "forbid") || (section && !re_ok(p, at, section, "section")))
		return;
	if ((r = rule_add(p, at, pc)) == NULL)
		return;
	r->kind = kind;
	r->line = at.line;
	if (conf_setstr(p, at, r->regex, sizeof(r->regex), what,
	    "policy rule") == -1 || (section && conf_setstr(p, at,
	    r->section, sizeof(r->section), section, "section") == -1) ||
	    (text && conf_setstr(p, at, r->text, sizeof(r->text), text,
	    "text") == -1))
		return;
	pc->nrules++;
}

/* "any", "A.B.C.D" or "A.B.C.D/LEN" */
static int
pkt_addr(const char *w, uint32_t *a, uint8_t *len)
{
	char buf[64], *slash, *end;
	struct in_addr in;
	long v = 32;

	if (strcmp(w, "any") == 0) {
		*a = 0;
		*len = 0;
		return 0;
	}
	if (strlen(w) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", w);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		v = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || v < 0 || v > 32)
			return -1;
	}
	if (inet_pton(AF_INET, buf, &in) != 1)
		return -1;
	*a = ntohl(in.s_addr);
	if (v < 32) /* the network: host bits cleared */
		*a &= v == 0 ? 0 : ~((1u << (32 - v)) - 1);
	*len = (uint8_t)v;
	return 0;
}

/*
 * "acl-deny ACL PACKETS": the ACL named ACL must deny every packet of
 * PACKETS, written "PROTO SRC DST [DPORT]": PROTO ip (any), tcp, udp,
 * icmp or 0-255; SRC and DST "any", an IPv4 address or a prefix; DPORT
 * 0-65535 with tcp and udp only. IPv6 packets are refused: IPv6 ACLs are
 * parsed but not analysed (acl.h), and a rule nothing can evaluate must
 * not be accepted.
 */
int
conf_policy_packets(const char *pkt, struct policy_packets *out, char *err,
    size_t errlen)
{
	char buf[256], *w[5], *save = NULL, *tok;
	int n = 0;
	long v;
	char *end;

	memset(out, 0, sizeof(*out));
	if (strlen(pkt) >= sizeof(buf)) {
		snprintf(err, errlen, "packet too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", pkt);
	for (tok = strtok_r(buf, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (n == 4) {
			snprintf(err, errlen, "packet \"%s\": PROTO SRC DST "
			    "[DPORT], no more", pkt);
			return -1;
		}
		w[n++] = tok;
	}
	if (n < 3) {
		snprintf(err, errlen, "packet \"%s\": PROTO SRC DST [DPORT]",
		    pkt);
		return -1;
	}
	if (strcmp(w[0], "ip") == 0)
		out->proto = -1;
	else if (strcmp(w[0], "icmp") == 0)
		out->proto = 1;
	else if (strcmp(w[0], "tcp") == 0)
		out->proto = 6;
	else if (strcmp(w[0], "udp") == 0)
		out->proto = 17;
	else {
		v = strtol(w[0], &end, 10);
		if (*w[0] == '\0' || *end != '\0' || v < 0 || v > 255) {
			snprintf(err, errlen, "packet \"%s\": protocol \"%s\" "
			    "(ip, tcp, udp, icmp or 0-255)", pkt, w[0]);
			return -1;
		}
		out->proto = (int)v;
	}
	for (int i = 1; i <= 2; i++) {
		if (strchr(w[i], ':') != NULL) {
			snprintf(err, errlen, "packet \"%s\": IPv6 ACLs are "
			    "not analysed, the rule could not be checked", pkt);
			return -1;
		}
		if (pkt_addr(w[i], i == 1 ? &out->src : &out->dst,
		    i == 1 ? &out->slen : &out->dlen) == -1) {
			snprintf(err, errlen, "packet \"%s\": \"%s\" is not "
			    "an address (any, A.B.C.D or A.B.C.D/LEN)", pkt,
			    w[i]);
			return -1;
		}
	}
	out->dport = -1;
	if (n == 4) {
		if (out->proto != 6 && out->proto != 17) {
			snprintf(err, errlen, "packet \"%s\": a port with tcp "
			    "or udp only", pkt);
			return -1;
		}
		v = strtol(w[3], &end, 10);
		if (*w[3] == '\0' || *end != '\0' || v < 0 || v > 65535) {
			snprintf(err, errlen, "packet \"%s\": port \"%s\" "
			    "(0-65535)", pkt, w[3]);
			return -1;
		}
		out->dport = (int)v;
	}
	return 0;
}

void
conf_policy_acl(struct parse *p, struct loc at, const char *acl,
    const char *packet, const char *section, const char *text)
{
	struct policy_packets pk;
	struct policy_rule *r;
	char err[512];

	if (p->pol == NULL)
		return;
	if (*acl == '\0') {
		perr(p, at, "acl-deny: the ACL name must not be empty");
		return;
	}
	if (section != NULL) {
		perr(p, at, "acl-deny takes no section");
		return;
	}
	if (conf_policy_packets(packet, &pk, err, sizeof(err)) == -1) {
		perr(p, at, "acl-deny \"%s\": %s", acl, err);
		return;
	}
	if ((r = rule_add(p, at, p->pol)) == NULL)
		return;
	r->kind = POL_ACL_DENY;
	r->line = at.line;
	r->pkt = pk;
	if (conf_setstr(p, at, r->regex, sizeof(r->regex), acl,
	    "ACL name") == -1 || conf_setstr(p, at, r->packet,
	    sizeof(r->packet), packet, "packet") == -1 || (text &&
	    conf_setstr(p, at, r->text, sizeof(r->text), text, "text") == -1))
		return;
	p->pol->nrules++;
}

/* "policy NAME" in a device or template block */
void
conf_policy_apply(struct parse *p, struct loc at, const char *name)
{
	struct device_conf *d = &p->blk;

	for (int i = 0; i < d->npolicies; i++)
		if (strcmp(d->policies[i], name) == 0)
			return;
	if (d->npolicies >= NP_DEV_POLICIES) {
		perr(p, at, "at most %d policies per device", NP_DEV_POLICIES);
		return;
	}
	if (conf_setstr(p, at, d->policies[d->npolicies],
	    sizeof(d->policies[0]), name, "policy name") == 0)
		d->npolicies++;
}

/* "use": the template's policies too */
void
conf_policy_use(struct device_conf *d, const struct device_conf *t)
{
	for (int i = 0; i < t->npolicies; i++) {
		int k;

		for (k = 0; k < d->npolicies; k++)
			if (strcmp(d->policies[k], t->policies[i]) == 0)
				break;
		if (k == d->npolicies && d->npolicies < NP_DEV_POLICIES)
			memcpy(d->policies[d->npolicies++], t->policies[i],
			    sizeof(d->policies[0]));
	}
}

/* at the end: every policy a device names exists */
void
conf_policy_check(struct parse *p)
{
	struct device_conf *d;
	struct policy_conf *pc;

	TAILQ_FOREACH(d, &p->conf->devices, entry)
		for (int i = 0; i < d->npolicies; i++) {
			TAILQ_FOREACH(pc, &p->conf->policies, entry)
				if (strcmp(pc->name, d->policies[i]) == 0)
					break;
			if (pc == NULL) {
				struct loc at = {d->file, d->line};

				perr(p, at, "device \"%s\": policy \"%s\" is "
				    "not defined", d->name, d->policies[i]);
			}
		}
}
