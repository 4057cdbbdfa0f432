/*
 * tls.c - syslog over TLS (RFC 5425): a listener's context, read before
 * privileges are dropped, and its clients' authentication (section 5.2).
 *
 * With "ca", a client must present a certificate that verifies against
 * it and, when "peer" patterns are given, one of whose names (its
 * subjectAltName DNS names, else its subject CN) matches one of them. A
 * certificate whose SHA-256 fingerprint is listed ("fingerprint") is taken
 * as it is, self-signed or not, with or without "ca". One callback makes
 * the whole decision, in place of OpenSSL's chain verification, and leaves
 * why on the connection; a client turned away is counted by its reason
 * and said in a rate-limited complaint, apart from other TLS errors.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "syslog/sysint.h"

/* Sessions resumed are the listener's own (their client was checked). */
#define SYSD_TLS_SID "netpatrol-syslog"

static const char *const reject_text[SYSD_REJ_COUNT] = {"", "no certificate",
    "not verified", "name not permitted", "fingerprint not permitted"};
static const char *const reject_key[SYSD_REJ_COUNT] = {"",
    "tls_rejected_no_certificate", "tls_rejected_not_verified",
    "tls_rejected_name", "tls_rejected_fingerprint"};

/* The reason of OpenSSL's last error, and the queue cleared. */
static void
systls_err(char *buf, size_t size)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	if (r != NULL)
		snprintf(buf, size, "%s", r);
	else if (e != 0)
		ERR_error_string_n(e, buf, size);
	else
		snprintf(buf, size, "unknown error");
	ERR_clear_error();
}

/* FILE can be read: else why, said the way the system says it. */
static int
systls_readable(const char *file, const char *what,
    const struct listen_conf *lc, char *err, size_t errlen)
{
	FILE *f = fopen(file, "r");

	if (f != NULL) {
		fclose(f);
		return 0;
	}
	snprintf(err, errlen, "%s:%d: listen syslog tls: %s %s: %s", lc->file,
	    lc->line, what, file, strerror(errno));
	return -1;
}

/* "SHA-256:AB:CD:..." */
static void
systls_fp_text(const unsigned char *fp, char *buf, size_t size)
{
	size_t o = (size_t)snprintf(buf, size, "SHA-256");

	for (int i = 0; i < NP_TLS_FP_LEN && o + 3 < size; i++)
		o += (size_t)snprintf(buf + o, size - o, ":%02X", fp[i]);
}

/*
 * The names a certificate is known by: its subjectAltName DNS names, else
 * its subject CN. Calls FN with each until it returns nonzero, which is
 * returned; the names, joined, in BUF.
 */
static int
systls_names(X509 *x, int (*fn)(const struct sysd_tls *, const char *),
    const struct sysd_tls *t, char *buf, size_t size)
{
	GENERAL_NAMES *gens;
	unsigned char *cn = NULL;
	size_t o = 0;
	int r = 0, ndns = 0;

	buf[0] = '\0';
	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens) && !r; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const char *s;
		int len;

		if (g->type != GEN_DNS)
			continue;
		ndns++;
		s = (const char *)ASN1_STRING_get0_data(g->d.dNSName);
		len = ASN1_STRING_length(g->d.dNSName);
		/* a name with a NUL in it is someone's trick: not a name */
		if (s == NULL || len <= 0 || memchr(s, '\0', (size_t)len))
			continue;
		if (o + 2 < size)
			o += (size_t)snprintf(
			    buf + o, size - o, "%s%.*s", o ? ", " : "", len, s);
		if (fn != NULL) {
			char name[256];

			if ((size_t)len < sizeof(name)) {
				memcpy(name, s, (size_t)len);
				name[len] = '\0';
				r = fn(t, name);
			}
		}
	}
	GENERAL_NAMES_free(gens);
	if (ndns == 0) {
		X509_NAME *subj = X509_get_subject_name(x);
		int i = subj
		    ? X509_NAME_get_index_by_NID(subj, NID_commonName, -1)
		    : -1;
		X509_NAME_ENTRY *e =
		    i >= 0 ? X509_NAME_get_entry(subj, i) : NULL;
		int len = e
		    ? ASN1_STRING_to_UTF8(&cn, X509_NAME_ENTRY_get_data(e))
		    : -1;

		if (len > 0 && memchr(cn, '\0', (size_t)len) == NULL) {
			snprintf(buf, size, "CN %s", (const char *)cn);
			if (fn != NULL)
				r = fn(t, (const char *)cn);
		} else
			snprintf(buf, size, "no name");
		OPENSSL_free(cn);
	}
	return r;
}

static int
systls_peer_match(const struct sysd_tls *t, const char *name)
{
	for (int i = 0; i < t->npeers; i++)
		if (fnmatch(t->peers[i], name, FNM_CASEFOLD) == 0)
			return 1;
	return 0;
}

/*
 * In place of X509_verify_cert(): 1 when the client's certificate is
 * permitted; else 0, the reason left on the connection, and the store's
 * error set for the alert OpenSSL sends.
 */
static int
systls_verify(X509_STORE_CTX *xs, void *arg)
{
	const struct sysd_tls *t = arg;
	SSL *ssl = X509_STORE_CTX_get_ex_data(
	    xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct sysd_conn *c = ssl ? SSL_get_app_data(ssl) : NULL;
	X509 *x = X509_STORE_CTX_get0_cert(xs);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char fptext[8 + 3 * NP_TLS_FP_LEN], names[128];
	enum sysd_reject rej;

	if (c == NULL || x == NULL) {
		X509_STORE_CTX_set_error(xs, X509_V_ERR_UNSPECIFIED);
		return 0;
	}
	if (X509_digest(x, EVP_sha256(), md, &mdlen) != 1 ||
	    mdlen != NP_TLS_FP_LEN) {
		X509_STORE_CTX_set_error(xs, X509_V_ERR_UNSPECIFIED);
		snprintf(c->reject_why, sizeof(c->reject_why), "no digest");
		c->reject = SYSD_REJ_FINGERPRINT;
		return 0;
	}
	systls_fp_text(md, fptext, sizeof(fptext));
	for (int i = 0; i < t->nfps; i++)
		if (memcmp(md, t->fps[i], NP_TLS_FP_LEN) == 0) {
			c->auth_how = "its fingerprint";
			X509_STORE_CTX_set_error(xs, X509_V_OK);
			return 1;
		}
	if (!t->ca) {
		rej = SYSD_REJ_FINGERPRINT;
		snprintf(c->reject_why, sizeof(c->reject_why), "%s", fptext);
		goto reject;
	}
	if (X509_verify_cert(xs) <= 0) {
		/* the store's error stays: the alert says it */
		c->reject = SYSD_REJ_UNVERIFIED;
		snprintf(c->reject_why, sizeof(c->reject_why),
		    "%s (certificate %s)",
		    X509_verify_cert_error_string(X509_STORE_CTX_get_error(xs)),
		    fptext);
		return 0;
	}
	if (t->npeers == 0 ||
	    systls_names(x, systls_peer_match, t, names, sizeof(names))) {
		c->auth_how = "a certificate verified against ca";
		return 1;
	}
	rej = SYSD_REJ_NAME;
	snprintf(c->reject_why, sizeof(c->reject_why), "%s", names);
reject:
	c->reject = rej;
	X509_STORE_CTX_set_error(xs, X509_V_ERR_APPLICATION_VERIFICATION);
	return 0;
}

static int
systls_load(
    SSL_CTX *ctx, const struct listen_conf *lc, char *err, size_t errlen)
{
	char msg[256];

	if (systls_readable(lc->cert, "certificate", lc, err, errlen) == -1 ||
	    systls_readable(lc->key, "key", lc, err, errlen) == -1 ||
	    (lc->ca[0] && systls_readable(lc->ca, "ca", lc, err, errlen) == -1))
		return -1;
	if (SSL_CTX_use_certificate_chain_file(ctx, lc->cert) != 1) {
		systls_err(msg, sizeof(msg));
		snprintf(err, errlen,
		    "%s:%d: listen syslog tls: certificate %s: %s", lc->file,
		    lc->line, lc->cert, msg);
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, lc->key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		systls_err(msg, sizeof(msg));
		snprintf(err, errlen, "%s:%d: listen syslog tls: key %s: %s",
		    lc->file, lc->line, lc->key, msg);
		return -1;
	}
	if (lc->ca[0]) {
		STACK_OF(X509_NAME) * names;

		if (SSL_CTX_load_verify_locations(ctx, lc->ca, NULL) != 1 ||
		    (names = SSL_load_client_CA_file(lc->ca)) == NULL) {
			systls_err(msg, sizeof(msg));
			snprintf(err, errlen,
			    "%s:%d: listen syslog tls: ca %s: %s", lc->file,
			    lc->line, lc->ca, msg);
			return -1;
		}
		/* the CAs a client may choose its certificate by */
		SSL_CTX_set_client_CA_list(ctx, names);
	}
	return 0;
}

struct sysd_tls *
sysd_tls_new(const struct listen_conf *lc, char *err, size_t errlen)
{
	struct sysd_tls *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((t->ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		snprintf(err, errlen,
		    "%s:%d: listen syslog tls: no TLS context", lc->file,
		    lc->line);
		free(t);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
	/*
	 * A client that closes without close_notify has ended, as libevent's
	 * dirty shutdown means (tcp.c); OpenSSL 3 would make it an error.
	 */
	SSL_CTX_set_options(t->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
	/* sessions resumed from the server's cache only (TLS 1.3 tickets
	 * too), which a reload that takes a permission away empties */
	SSL_CTX_set_options(t->ctx, SSL_OP_NO_TICKET);
	if (systls_load(t->ctx, lc, err, errlen) == -1) {
		sysd_tls_free(t);
		return NULL;
	}
	t->ca = lc->ca[0] != '\0';
	snprintf(t->ca_file, sizeof(t->ca_file), "%s", lc->ca);
	t->npeers = lc->npeers;
	memcpy(t->peers, lc->peers, sizeof(t->peers));
	t->nfps = lc->nfps;
	memcpy(t->fps, lc->fps, sizeof(t->fps));
	if (t->ca || t->nfps > 0) {
		SSL_CTX_set_verify(t->ctx,
		    SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
		SSL_CTX_set_cert_verify_callback(t->ctx, systls_verify, t);
		SSL_CTX_set_session_id_context(t->ctx,
		    (const unsigned char *)SYSD_TLS_SID, strlen(SYSD_TLS_SID));
	}
	return t;
}

int
sysd_tls_update(struct sysd_tls *t, const struct listen_conf *lc)
{
	if (strcmp(t->ca_file, lc->ca) != 0 ||
	    (t->ca || t->nfps > 0) != (lc->ca[0] != '\0' || lc->nfps > 0))
		return -1;
	if (t->npeers == lc->npeers && t->nfps == lc->nfps &&
	    memcmp(t->peers, lc->peers, sizeof(t->peers)) == 0 &&
	    memcmp(t->fps, lc->fps, sizeof(t->fps)) == 0)
		return 0;
	t->npeers = lc->npeers;
	memcpy(t->peers, lc->peers, sizeof(t->peers));
	t->nfps = lc->nfps;
	memcpy(t->fps, lc->fps, sizeof(t->fps));
	/* a client no longer permitted does not resume a session either */
	SSL_CTX_flush_sessions(t->ctx, LONG_MAX);
	return 1;
}

void
sysd_tls_free(struct sysd_tls *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	free(t);
}

SSL *
sysd_tls_ssl(struct sysd_conn *c)
{
	SSL *ssl = SSL_new(c->l->tls->ctx);

	if (ssl != NULL)
		SSL_set_app_data(ssl, c);
	return ssl;
}

static int
systls_auth(const struct sysd_tls *t)
{
	return t->ca || t->nfps > 0;
}

void
sysd_tls_connected(struct sysd_conn *c)
{
	struct sysd_tls *t = c->l->tls;
	SSL *ssl = bufferevent_openssl_get_ssl(c->bev);
	X509 *x;
	char names[128];

	if (!systls_auth(t) || ssl == NULL)
		return;
	t->authenticated++;
	if (log_getverbose() < LOG_L_DEBUG)
		return;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	x = SSL_get1_peer_certificate(ssl);
#else
	x = SSL_get_peer_certificate(ssl);
#endif
	if (x == NULL)
		return;
	systls_names(x, NULL, t, names, sizeof(names));
	log_debug("syslog %s: %s authenticated as %s by %s", c->l->name,
	    c->peer, names, c->auth_how ? c->auth_how : "a session it resumed");
	X509_free(x);
}

void
sysd_tls_failed(struct sysd_conn *c, struct bufferevent *bev)
{
	struct sysd_listener *l = c->l;
	struct sysd_tls *t = l->tls;
	unsigned long e, first = 0;
	enum sysd_reject rej = c->reject;
	char msg[256];

	while ((e = bufferevent_get_openssl_error(bev)) != 0) {
		if (first == 0)
			first = e;
		if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
		    ERR_GET_REASON(e) ==
		        SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE &&
		    rej == SYSD_REJ_NONE)
			rej = SYSD_REJ_NOCERT;
	}
	if (rej != SYSD_REJ_NONE) {
		t->rejected[rej]++;
		if (c->reject_why[0])
			snprintf(msg, sizeof(msg), "%s: %s", reject_text[rej],
			    c->reject_why);
		else
			snprintf(msg, sizeof(msg), "%s", reject_text[rej]);
		complain(&t->c_reject[rej], LOG_L_WARN,
		    "syslog %s: TLS client %s rejected: %s", l->name, c->peer,
		    msg);
		return;
	}
	if (first == 0)
		return;
	ERR_error_string_n(first, msg, sizeof(msg));
	l->tls_errors++;
	complain(&l->sd->c_conn, LOG_L_WARN, "syslog %s: TLS with %s: %s",
	    l->name, c->peer, msg);
}

void
sysd_tls_status(const struct sysd_tls *t, struct jbuf *j)
{
	uint64_t sum = 0;
	char how[40];

	snprintf(how, sizeof(how), "%s%s%s%s", t->ca ? "ca" : "",
	    t->npeers ? "+peer" : "", t->nfps && t->ca ? "+" : "",
	    t->nfps ? "fingerprint" : "");
	json_kstr(j, "client_auth", how[0] ? how : "none");
	json_kuint(j, "tls_authenticated", t->authenticated);
	for (int i = 1; i < SYSD_REJ_COUNT; i++)
		sum += t->rejected[i];
	json_kuint(j, "tls_rejected", sum);
	for (int i = 1; i < SYSD_REJ_COUNT; i++)
		json_kuint(j, reject_key[i], t->rejected[i]);
}

int
syslogd_check_conf(const struct config *conf, char *err, size_t errlen)
{
	const struct listen_conf *lc;
	struct sysd_tls *t;

	TAILQ_FOREACH(lc, &conf->listens, entry)
	{
		if (lc->kind != LISTEN_SYSLOG || lc->proto != LISTEN_TLS)
			continue;
		if ((t = sysd_tls_new(lc, err, errlen)) == NULL)
			return -1;
		sysd_tls_free(t);
	}
	return 0;
}
