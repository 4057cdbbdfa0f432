/*
 * conf_cred.c - the configuration's SNMP credentials: "snmp VERSION ..."
 * in a device or template block and "trap user NAME ..." at the top, with
 * their v3 passphrases and engine IDs, and the names of the protocols.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_int.h"

#define SECRET_MIN	8	/* net-snmp refuses shorter passphrases */

/*
 * SNMP credentials: "snmp VERSION options" in a block, "trap user NAME
 * options" at the top. Options may come in any order, each once.
 */

static const struct {
	const char		*name;
	enum snmp_auth_proto	 proto;
} auth_protos[] = {
	{ "md5",	NP_AUTH_MD5 },
	{ "sha",	NP_AUTH_SHA },
	{ "sha224",	NP_AUTH_SHA224 },
	{ "sha256",	NP_AUTH_SHA256 },
	{ "sha384",	NP_AUTH_SHA384 },
	{ "sha512",	NP_AUTH_SHA512 },
};

static const struct {
	const char		*name;
	enum snmp_priv_proto	 proto;
} priv_protos[] = {
	{ "des",	NP_PRIV_DES },
	{ "aes",	NP_PRIV_AES },
	{ "aes128",	NP_PRIV_AES },
	{ "aes192",	NP_PRIV_AES192 },
	{ "aes256",	NP_PRIV_AES256 },
};

void
cred_start(struct parse *p, struct loc at, const char *version,
    const char *trapuser)
{
	memset(&p->cred, 0, sizeof(p->cred));
	p->credset = 0;
	p->credbad = 0;
	p->cred_trap = trapuser != NULL;
	if (trapuser != NULL) {
		p->cred.version = NP_SNMP_V3;
		p->credset = CS_USER;
		if (*trapuser == '\0') {
			perr(p, at, "user must not be empty");
			p->credbad = 1;
		} else if (conf_setstr(p, at, p->cred.user,
		    sizeof(p->cred.user), trapuser, "user") == -1)
			p->credbad = 1;
		return;
	}
	if (strcmp(version, "v1") == 0)
		p->cred.version = NP_SNMP_V1;
	else if (strcmp(version, "v2c") == 0)
		p->cred.version = NP_SNMP_V2C;
	else if (strcmp(version, "v3") == 0)
		p->cred.version = NP_SNMP_V3;
	else {
		perr(p, at, "unknown SNMP version \"%s\" (v1, v2c or v3)",
		    version);
		p->credbad = 1;
	}
}

static int
secret(struct parse *p, struct loc at, char *dst, size_t size,
    const char *src, const char *what)
{
	if (strlen(src) < SECRET_MIN) {
		perr(p, at, "%s passphrase must be at least %d characters",
		    what, SECRET_MIN);
		return (-1);
	}
	return (conf_setstr(p, at, dst, size, src, what));
}

/*
 * An snmpEngineID in hex, "0x" optional, colons allowed between bytes:
 * 5 to 32 octets (RFC 3411).
 */
static int
engine_id(struct parse *p, struct loc at, const char *s, unsigned char *out,
    size_t size, size_t *len)
{
	const char	*q = s;
	size_t		 n = 0;

	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
		q += 2;
	while (*q) {
		if (*q == ':') {
			q++;
			continue;
		}
		if (!isxdigit((unsigned char)q[0]) ||
		    !isxdigit((unsigned char)q[1]) || n == size)
			goto bad;
		{
			char	hex[3] = { q[0], q[1], '\0' };

			out[n++] = (unsigned char)strtoul(hex, NULL, 16);
		}
		q += 2;
	}
	if (n < 5)
		goto bad;
	*len = n;
	return (0);
bad:
	perr(p, at, "engine-id \"%s\" is not 5 to 32 octets in hex "
	    "(0x8000...)", s);
	return (-1);
}

void
cred_opt(struct parse *p, struct loc at, unsigned opt, const char *proto,
    const char *value)
{
	struct snmp_cred	*c = &p->cred;
	const char		*kw;
	size_t			 i;
	int			 bad = 0;

	switch (opt) {
	case CS_COMMUNITY:	kw = "community"; break;
	case CS_USER:		kw = "user"; break;
	case CS_AUTH:		kw = "auth"; break;
	case CS_PRIV:		kw = "priv"; break;
	case CS_ENGINE:		kw = "engine-id"; break;
	default:		kw = "context"; break;
	}
	if (p->credbad)
		return;
	if (p->credset & opt) {
		perr(p, at, "\"%s\" given twice", kw);
		p->credbad = 1;
		return;
	}
	p->credset |= opt;
	if (p->cred_trap && (opt == CS_COMMUNITY || opt == CS_CONTEXT)) {
		perr(p, at, "\"%s\" is not valid for a trap user", kw);
		p->credbad = 1;
		return;
	}
	if (opt == CS_COMMUNITY && c->version == NP_SNMP_V3) {
		perr(p, at, "\"community\" is not valid with snmp v3");
		p->credbad = 1;
		return;
	}
	if (opt != CS_COMMUNITY && c->version != NP_SNMP_V3) {
		perr(p, at, "\"%s\" is only valid with snmp v3", kw);
		p->credbad = 1;
		return;
	}

	switch (opt) {
	case CS_COMMUNITY:
		if (*value == '\0') {
			perr(p, at, "community must not be empty");
			bad = 1;
		} else
			bad = conf_setstr(p, at, c->community,
			    sizeof(c->community), value, "community");
		break;
	case CS_USER:
		if (*value == '\0') {
			perr(p, at, "user must not be empty");
			bad = 1;
		} else
			bad = conf_setstr(p, at, c->user, sizeof(c->user),
			    value, "user");
		break;
	case CS_AUTH:
		for (i = 0; i < sizeof(auth_protos) / sizeof(auth_protos[0]);
		    i++)
			if (strcasecmp(proto, auth_protos[i].name) == 0)
				break;
		if (i == sizeof(auth_protos) / sizeof(auth_protos[0])) {
			perr(p, at, "unknown auth protocol \"%s\" (md5, sha, "
			    "sha224, sha256, sha384 or sha512)", proto);
			bad = 1;
			break;
		}
		c->auth = auth_protos[i].proto;
		bad = secret(p, at, c->authpass, sizeof(c->authpass), value,
		    "auth");
		break;
	case CS_PRIV:
		for (i = 0; i < sizeof(priv_protos) / sizeof(priv_protos[0]);
		    i++)
			if (strcasecmp(proto, priv_protos[i].name) == 0)
				break;
		if (i == sizeof(priv_protos) / sizeof(priv_protos[0])) {
			perr(p, at, "unknown privacy protocol \"%s\" (des, "
			    "aes, aes128, aes192 or aes256)", proto);
			bad = 1;
			break;
		}
		c->priv = priv_protos[i].proto;
		bad = secret(p, at, c->privpass, sizeof(c->privpass), value,
		    "priv");
		break;
	case CS_CONTEXT:
		bad = conf_setstr(p, at, c->context, sizeof(c->context), value,
		    "context");
		break;
	case CS_ENGINE:
		bad = engine_id(p, at, value, c->engine_id,
		    sizeof(c->engine_id), &c->engine_id_len);
		break;
	}
	if (bad)
		p->credbad = 1;
}

/* The credentials are complete and consistent: 0, or -1 after an error. */
int
cred_finish(struct parse *p, struct loc at)
{
	struct snmp_cred	*c = &p->cred;

	if (p->credbad)
		return (-1);
	if (c->version != NP_SNMP_V3) {
		if (!(p->credset & CS_COMMUNITY))
			(void)strcpy(c->community, "public");
		return (0);
	}
	if (!(p->credset & CS_USER)) {
		perr(p, at, "snmp v3 needs a user");
		return (-1);
	}
	if ((p->credset & CS_PRIV) && !(p->credset & CS_AUTH)) {
		perr(p, at, "priv needs auth");
		return (-1);
	}
	if (p->cred_trap && !(p->credset & CS_AUTH)) {
		perr(p, at, "trap user \"%s\" needs auth", c->user);
		return (-1);
	}
	return (0);
}

int
conf_cred_equal(const struct snmp_cred *a, const struct snmp_cred *b)
{
	if (a->version != b->version)
		return (0);
	if (a->version != NP_SNMP_V3)
		return (strcmp(a->community, b->community) == 0);
	return (strcmp(a->user, b->user) == 0 && a->auth == b->auth &&
	    strcmp(a->authpass, b->authpass) == 0 && a->priv == b->priv &&
	    strcmp(a->privpass, b->privpass) == 0 &&
	    strcmp(a->context, b->context) == 0 &&
	    a->engine_id_len == b->engine_id_len &&
	    memcmp(a->engine_id, b->engine_id, a->engine_id_len) == 0);
}

const char *
conf_auth_name(enum snmp_auth_proto proto)
{
	size_t	 i;

	for (i = 0; i < sizeof(auth_protos) / sizeof(auth_protos[0]); i++)
		if (auth_protos[i].proto == proto)
			return (auth_protos[i].name);
	return ("none");
}

const char *
conf_priv_name(enum snmp_priv_proto proto)
{
	size_t	 i;

	for (i = 0; i < sizeof(priv_protos) / sizeof(priv_protos[0]); i++)
		if (priv_protos[i].proto == proto)
			return (priv_protos[i].name);
	return ("none");
}
