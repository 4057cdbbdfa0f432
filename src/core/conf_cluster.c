/*
 * conf_cluster.c - the store statement (sqlite or PostgreSQL), and the
 * cluster block: several netpatrold nodes sharing the
 * devices through leases held in PostgreSQL (src/cluster/).
 *
 *	cluster {
 *		node "NAME"
 *		lease 30s
 *		database "host=db.example.net dbname=netpatrol user=np"
 *	}
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf_int.h"

void
conf_cluster_line(struct parse *p, struct loc at)
{
	struct cluster_conf	*c = &p->conf->cluster;
	const char		*w = p->nslist > 0 ? p->slist[0] : "";
	int64_t			 v;

	if (p->nslist == 0)
		goto out;
	if (p->slist_over || p->nslist != 2) {
		perr(p, at, "cluster: %s takes one value",
		    p->nslist > 0 ? w : "a line");
		goto out;
	}
	if (strcmp(w, "node") == 0) {
		if (!conf_devname_ok(p->slist[1]))
			perr(p, at, "cluster: invalid node name \"%s\"",
			    p->slist[1]);
		else
			(void)conf_setstr(p, at, c->node, sizeof(c->node),
			    p->slist[1], "node");
	} else if (strcmp(w, "lease") == 0) {
		if (conf_duration(p, at, p->slist[1], conf_u_seconds,
		        "cluster lease", &v) == 0 &&
		    conf_range(p, at, v, 2, 3600, "cluster lease", " seconds") == 0)
			c->lease = (int)v;
	} else if (strcmp(w, "database") == 0) {
		(void)conf_setstr(p, at, c->database, sizeof(c->database),
		    p->slist[1], "database");
	} else
		perr(p, at, "cluster: unknown setting \"%s\" (node, lease or "
		    "database)", w);
out:
	p->nslist = 0;
	p->slist_over = 0;
}

void
conf_cluster_end(struct parse *p, struct loc at)
{
	struct cluster_conf *c = &p->conf->cluster;

	if (c->lease == 0)
		c->lease = 30;
	if (c->node[0] == '\0')
		perr(p, at, "cluster: node \"NAME\" is needed");
	if (c->database[0] == '\0')
		perr(p, at, "cluster: database \"CONNINFO\" is needed "
		    "(PostgreSQL holds the leases)");
#ifndef HAVE_LIBPQ
	perr(p, at, "cluster: this netpatrold was built without PostgreSQL "
	    "(configure --with-postgresql, Debian's libpq-dev)");
#endif
}

/*
 * store sqlite | store postgresql "CONNINFO": where the store is. sqlite
 * (the default) keeps it in the state dir; PostgreSQL in one database
 * that several nodes share.
 */
void
conf_set_store(struct parse *p, struct loc at, const char *kind,
    const char *conninfo)
{
	if (strcmp(kind, "sqlite") == 0 && conninfo == NULL)
		p->conf->store_pg[0] = '\0';
	else if (strcmp(kind, "postgresql") == 0 && conninfo != NULL) {
		if (conninfo[0] == '\0')
			perr(p, at, "store postgresql: an empty CONNINFO");
		else
			(void)conf_setstr(p, at, p->conf->store_pg,
			    sizeof(p->conf->store_pg), conninfo,
			    "store postgresql");
#ifndef HAVE_LIBPQ
		perr(p, at, "store postgresql: this netpatrold was built "
		    "without PostgreSQL (configure --with-postgresql, "
		    "Debian's libpq-dev)");
#endif
	} else
		perr(p, at, "store: sqlite, postgresql \"CONNINFO\", "
		    "batch-window or queue expected, not \"%s\"", kind);
}

/*
 * What the store's kind allows, once the whole file is read: syslog
 * max-size measures sqlite's pages in use; PostgreSQL's tables keep the
 * space of deleted rows (for their next rows) and would look full for
 * ever: there, keep and max-rows bound the messages.
 */
void
conf_store_check(struct parse *p, struct loc at)
{
	if (p->conf->store_pg[0] != '\0' && p->conf->syslog_max_size > 0)
		perr(p, at, "syslog max-size: not with store postgresql "
		    "(its tables do not shrink as messages are deleted): "
		    "bound the messages with syslog keep and max-rows");
}
