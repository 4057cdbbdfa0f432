/*
 * db_pgsql.c - the store's SQL, written for sqlite, as PostgreSQL takes
 * it: parameters ?N as $N (a bare ? the next number, as sqlite counts);
 * INSERT OR IGNORE as ON CONFLICT DO NOTHING; INSERT OR REPLACE as an
 * upsert on the table's key (the tables below); strftime('%s','now'),
 * group_concat, ifnull, BEGIN IMMEDIATE, WITHOUT ROWID, and the
 * syslog database's logdb./main. prefixes (one database here).
 * Quoted strings and identifiers are copied as they are.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_int.h"

/* INSERT OR REPLACE's tables and their keys (the store's schema). */
static const struct {
	const char *table, *key;
} pg_keys[] = {
    {"poll_stats", "device_id"},
    {"config_versions", "device,version"},
    {"config_state", "device"},
    {"config_baselines", "device"},
    {"findings", "id"},
    {"links", "name"},
    {"plan_runs", "id"},
    {"plan_results", "run,item"},
    {"probes", "device,name"},
    {"report_copies", "run,format"},
};

struct out {
	char *b;
	size_t len, cap;
	int oom;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->cap + n + 1) * 2;
		char *b = realloc(o->b, cap);

		if (b == NULL) {
			o->oom = 1;
			return;
		}
		o->b = b;
		o->cap = cap;
	}
	memcpy(o->b + o->len, s, n);
	o->len += n;
	o->b[o->len] = '\0';
}

static void
puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static int
word_is(const char *w, size_t n, const char *kw)
{
	return strlen(kw) == n && strncasecmp(w, kw, n) == 0;
}

/* The word at P (letters, digits, _), its length; 0 if none. */
static size_t
word_at(const char *p, const char *end)
{
	size_t n = 0;

	if (p >= end || !(isalpha((unsigned char)*p) || *p == '_'))
		return 0;
	while (p + n < end &&
	    (isalnum((unsigned char)p[n]) || p[n] == '_'))
		n++;
	return n;
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p;
}

/* The tables whose id PostgreSQL makes and the store asks for again
 * (last_insert_rowid): an INSERT into one of them returns it, without a
 * second query. (The others' inserts return nothing: they can go in a
 * pipeline, db_pg.c.) */
static const char *const pg_ids[] = {"logs"};

/* What an INSERT statement ends with. */
struct conflict {
	int insert; /* an INSERT */
	int mode; /* 0, 'I' ignore, 'R' replace */
	char table[64];
	char cols[1024];
};

static void
end_statement(struct out *o, struct conflict *c, int *returning)
{
	const char *key = NULL;

	if (c->insert && c->mode == 0) {
		for (size_t i = 0; i < sizeof(pg_ids) / sizeof(pg_ids[0]); i++)
			if (strcmp(pg_ids[i], c->table) == 0) {
				puts_(o, " RETURNING id");
				*returning = 1;
			}
	}
	if (c->mode == 'I')
		puts_(o, " ON CONFLICT DO NOTHING");
	else if (c->mode == 'R') {
		for (size_t i = 0; i < sizeof(pg_keys) / sizeof(pg_keys[0]); i++)
			if (strcmp(pg_keys[i].table, c->table) == 0)
				key = pg_keys[i].key;
		if (key == NULL) {
			/* no key known: an error PostgreSQL will name */
			puts_(o, " ON CONFLICT (netpatrol_unknown_key) DO NOTHING");
		} else {
			int first = 1;
			char *save = NULL, cols[sizeof(c->cols)];

			puts_(o, " ON CONFLICT (");
			puts_(o, key);
			puts_(o, ") DO UPDATE SET ");
			snprintf(cols, sizeof(cols), "%s", c->cols);
			for (char *t = strtok_r(cols, ", \t\n", &save); t;
			     t = strtok_r(NULL, ", \t\n", &save)) {
				char k[sizeof(c->cols) + 2];

				snprintf(k, sizeof(k), ",%s,", t);
				{
					char kk[128];

					snprintf(kk, sizeof(kk), ",%s,", key);
					if (strstr(kk, k))
						continue;
				}
				if (!first)
					puts_(o, ", ");
				first = 0;
				puts_(o, t);
				puts_(o, " = excluded.");
				puts_(o, t);
			}
			if (first) /* every column is the key */
				puts_(o, key);
		}
	}
	memset(c, 0, sizeof(*c));
}

/* The table named after INTO at P (into C->table), P moved past it. */
static const char *
into_table(const char *p, const char *end, struct conflict *c)
{
	const char *q = skip_space(p, end);
	size_t w = word_at(q, end);

	if (!word_is(q, w, "into"))
		return p;
	q = skip_space(q + w, end);
	w = word_at(q, end);
	if (w && (word_is(q, w, "logdb") || word_is(q, w, "main")) &&
	    q + w < end && q[w] == '.') {
		q += w + 1;
		w = word_at(q, end);
	}
	snprintf(c->table, sizeof(c->table), "%.*s", (int)w, q);
	return p;
}

/* What may follow a subquery in FROM that has no name of its own. */
static int
needs_alias(const char *p, const char *end)
{
	static const char *const kw[] = {"where", "group", "order", "limit",
	    "union", "except", "intersect", "join", "left", "inner", "cross",
	    "on", "having", "window", "offset"};
	size_t w;

	p = skip_space(p, end);
	if ((w = word_at(p, end)) == 0)
		return 1;
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (word_is(p, w, kw[i]))
			return 1;
	return 0;
}

char *
db_pg_translate(const char *sql, size_t n, int *nparams, int *returning)
{
	struct out o = {0};
	const char *p = sql, *end = sql + n;
	struct conflict c = {0};
	char prev[32] = "";
	int maxp = 0, depth = 0, after_from = 0, nalias = 0;
	unsigned char alias[64] = {0};

	*returning = 0;
	put(&o, "", 0);
	while (p < end) {
		size_t w;

		if (*p == '\'' || *p == '"') {
			const char *q = p + 1;

			while (q < end) {
				if (*q == *p) {
					if (q + 1 < end && q[1] == *p) {
						q += 2;
						continue;
					}
					break;
				}
				q++;
			}
			q = q < end ? q + 1 : end;
			put(&o, p, q - p);
			p = q;
			continue;
		}
		if (*p == '-' && p + 1 < end && p[1] == '-') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		if (*p == '?') {
			char num[16];
			int k = 0;

			p++;
			if (p < end && isdigit((unsigned char)*p)) {
				/* (at most 32766 in sqlite: a bound, no
				 * overflow) */
				while (p < end && isdigit((unsigned char)*p)) {
					if (k < 100000)
						k = k * 10 + (*p - '0');
					p++;
				}
			} else
				k = maxp < 999999 ? maxp + 1 : maxp;
			if (k > maxp)
				maxp = k;
			snprintf(num, sizeof(num), "$%d", k);
			puts_(&o, num);
			continue;
		}
		if (*p == ';') {
			end_statement(&o, &c, returning);
			put(&o, ";", 1);
			p++;
			prev[0] = '\0';
			continue;
		}
		if ((w = word_at(p, end)) == 0) {
			if (*p == '(' && depth < (int)sizeof(alias) - 1) {
				depth++;
				/* FROM (SELECT ...) needs a name here */
				alias[depth] = after_from;
			} else if (*p == ')' && depth > 0) {
				put(&o, p, 1);
				p++;
				if (alias[depth--] && needs_alias(p, end)) {
					char a[24];

					snprintf(a, sizeof(a), " AS np_q%d", ++nalias);
					puts_(&o, a);
				}
				after_from = 0;
				continue;
			}
			if (!isspace((unsigned char)*p))
				after_from = 0;
			put(&o, p, 1);
			p++;
			continue;
		}
		after_from = word_is(p, w, "from") || word_is(p, w, "join");
		/* a word: keywords and functions sqlite has alone */
		if (word_is(p, w, "strftime") &&
		    strncmp(p + w, "('%s','now')", 12) == 0) {
			puts_(&o, "floor(extract(epoch from now()))");
			p += w + 12;
			continue;
		}
		if ((word_is(p, w, "logdb") || word_is(p, w, "main")) &&
		    p + w < end && p[w] == '.') {
			p += w + 1;
			continue;
		}
		if (word_is(p, w, "immediate") && strcasecmp(prev, "begin") == 0) {
			p += w;
			continue;
		}
		if (word_is(p, w, "without")) {
			const char *q = skip_space(p + w, end);
			size_t w2 = word_at(q, end);

			if (word_is(q, w2, "rowid")) {
				p = q + w2;
				continue;
			}
		}
		/* sqlite's text out of the raw bytes of a syslog message:
		 * PostgreSQL's rows have it in the column (store_log.c) */
		if (word_is(p, w, "cast") &&
		    strncasecmp(p + w, "(substr(raw,", 12) == 0) {
			const char *q = p + w;
			int lvl = 0;

			for (; q < end; q++) {
				if (*q == '(')
					lvl++;
				else if (*q == ')' && --lvl == 0)
					break;
			}
			puts_(&o, "CAST(NULL AS TEXT)");
			p = q < end ? q + 1 : end;
			continue;
		}
		/* LIMIT -1 is no limit to sqlite, an error to PostgreSQL */
		if (word_is(p, w, "limit")) {
			const char *q = skip_space(p + w, end);

			if (q < end && *q == '?' && q + 1 < end &&
			    isdigit((unsigned char)q[1])) {
				int k = 0;

				for (const char *d = q + 1; d < end &&
				     isdigit((unsigned char)*d) && k < 100000; d++)
					k = k * 10 + (*d - '0');
				char b[96];

				snprintf(b, sizeof(b),
				    "LIMIT CASE WHEN $%d < 0 THEN NULL ELSE $%d END", k,
				    k);
				puts_(&o, b);
				if (k > maxp)
					maxp = k;
				q++;
				while (q < end && isdigit((unsigned char)*q))
					q++;
				p = q;
				continue;
			}
		}
		/* sqlite's LIKE ignores case */
		if (word_is(p, w, "like")) {
			puts_(&o, "ILIKE");
			p += w;
			continue;
		}
		if (word_is(p, w, "group_concat")) {
			puts_(&o, "string_agg");
			p += w;
			continue;
		}
		if (word_is(p, w, "rowid")) { /* PostgreSQL's tables have ids */
			puts_(&o, "id");
			p += w;
			continue;
		}
		if (word_is(p, w, "ifnull")) {
			puts_(&o, "coalesce");
			p += w;
			continue;
		}
		if (word_is(p, w, "insert")) {
			const char *q = skip_space(p + w, end);
			size_t w2 = word_at(q, end);

			if (word_is(q, w2, "or")) {
				const char *r = skip_space(q + w2, end);
				size_t w3 = word_at(r, end);

				if (word_is(r, w3, "ignore"))
					c.mode = 'I';
				else if (word_is(r, w3, "replace"))
					c.mode = 'R';
				if (c.mode) {
					puts_(&o, "INSERT");
					p = r + w3;
					/* INTO table (cols) */
					into_table(p, end, &c);
					c.insert = 1;
					q = skip_space(p, end);
					w2 = word_at(q, end);
					if (word_is(q, w2, "into")) {
						const char *t = skip_space(q + w2, end);

						t += word_at(t, end);
						if (t < end && *t == '.')
							t += 1 + word_at(t + 1, end);
						t = skip_space(t, end);
						if (t < end && *t == '(') {
							const char *e = memchr(t, ')', end - t);

							if (e)
								snprintf(c.cols,
								    sizeof(c.cols), "%.*s",
								    (int)(e - t - 1), t + 1);
						}
					}
					continue;
				}
			}
			into_table(p + w, end, &c);
			c.insert = 1;
		}
		snprintf(prev, sizeof(prev), "%.*s", (int)(w < 31 ? w : 31), p);
		put(&o, p, w);
		p += w;
	}
	end_statement(&o, &c, returning);
	if (o.oom) {
		free(o.b);
		return NULL;
	}
	*nparams = maxp;
	return o.b;
}
