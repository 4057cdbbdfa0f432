/*
 * test_module.c - the walks over the daemon's table of modules: init and
 * start in the table's order, stop in the reverse (only what was
 * initialised), a reload that one module refuses changes nothing, the
 * "status" parts in the order the daemon names; and who may run a control
 * command.
 */
#include <stdio.h>
#include <string.h>

#include "control.h"
#include "module.h"
#include "tap.h"

static char calls[1024]; /* "a.init b.init ..." */
static const char *refuse, *fail_init; /* the module that does */

static void
record(const char *mod, const char *what)
{
	size_t n = strlen(calls);

	snprintf(
	    calls + n, sizeof(calls) - n, "%s%s.%s", n ? " " : "", mod, what);
}

#define FAKE(x) \
	static int x##_init(struct np_core *c, void **sp, char *e, size_t n) \
	{ \
		(void)c; \
		record(#x, "init"); \
		*sp = (void *)#x; \
		if (fail_init && strcmp(fail_init, #x) == 0) { \
			snprintf(e, n, "%s: cannot", #x); \
			return -1; \
		} \
		return 0; \
	} \
	static int x##_start(struct np_core *c, void **sp, char *e, size_t n) \
	{ \
		(void)c; \
		(void)e; \
		(void)n; \
		record(*sp, "start"); \
		return 0; \
	} \
	static int x##_rcheck(struct np_core *c, void *s, \
	    const struct config *o, struct config *nc, char *e, size_t n) \
	{ \
		(void)c; \
		(void)o; \
		(void)nc; \
		record(s, "check"); \
		if (refuse && strcmp(refuse, #x) == 0) { \
			snprintf(e, n, "%s: no", #x); \
			return -1; \
		} \
		return 0; \
	} \
	static void x##_reload(struct np_core *c, void *s, \
	    const struct config *o, const struct config *nc) \
	{ \
		(void)c; \
		(void)o; \
		(void)nc; \
		record(s, "reload"); \
	} \
	static void x##_status(struct np_core *c, void *s, struct jbuf *j) \
	{ \
		(void)c; \
		json_kstr(j, s, "up"); \
	} \
	static void x##_stop(struct np_core *c, void *s) \
	{ \
		(void)c; \
		record(s, "stop"); \
	} \
	static const struct np_module x##_mod = {#x, NULL, x##_init, \
	    x##_start, x##_rcheck, x##_reload, x##_status, x##_stop};

FAKE(a)
FAKE(b)
FAKE(c)

/* d has only a status: every other function may be NULL */
static void
d_status(struct np_core *c, void *s, struct jbuf *j)
{
	(void)c;
	(void)s;
	json_kstr(j, "d", "up");
}
static const struct np_module d_mod = {.name = "d", .status = d_status};

static const struct np_module *const table[] = {&a_mod, &b_mod, &c_mod, &d_mod};

static const struct {
	const char *name;
	const char *fail_init, *refuse;
	const char *want_init, *want_reload, *want_stop;
	int init_rc, reload_rc;
} cases[] = {
    {"all well", NULL, NULL, "a.init b.init c.init",
        "a.check b.check c.check a.reload b.reload c.reload",
        "c.stop b.stop a.stop", 0, 0},
    {"b refuses the reload: none takes it", NULL, "b", "a.init b.init c.init",
        "a.check b.check", "c.stop b.stop a.stop", 0, -1},
    {"c refuses: checked by all, taken by none", NULL, "c",
        "a.init b.init c.init", "a.check b.check c.check",
        "c.stop b.stop a.stop", 0, -1},
    {"b fails at init: a and b stop, c never ran", "b", NULL, "a.init b.init",
        NULL, "b.stop a.stop", -1, 0},
};

static void
run_case(int k)
{
	struct np_core core;
	struct config old, nc;
	char err[256];
	int rc;

	memset(&core, 0, sizeof(core));
	memset(&old, 0, sizeof(old));
	memset(&nc, 0, sizeof(nc));
	core.conf = &old;
	fail_init = cases[k].fail_init;
	refuse = cases[k].refuse;
	calls[0] = '\0';
	TAP_OK(module_table(&core, table, 4, NULL, 0) == 0, "%s: table",
	    cases[k].name);
	rc = module_init(&core, err, sizeof(err));
	TAP_OK(rc == cases[k].init_rc, "%s: init returns %d", cases[k].name,
	    cases[k].init_rc);
	TAP_STREQ(calls, cases[k].want_init, "%s: init order", cases[k].name);
	if (rc == 0) {
		calls[0] = '\0';
		module_start(&core, err, sizeof(err));
		TAP_STREQ(calls, "a.start b.start c.start", "%s: start order",
		    cases[k].name);
		calls[0] = '\0';
		err[0] = '\0';
		rc = module_reload(&core, &nc, err, sizeof(err));
		TAP_OK(rc == cases[k].reload_rc, "%s: reload returns %d",
		    cases[k].name, cases[k].reload_rc);
		TAP_STREQ(calls, cases[k].want_reload, "%s: reload walk",
		    cases[k].name);
		TAP_OK(core.conf == (rc == 0 ? &nc : &old),
		    "%s: the running configuration is the %s one",
		    cases[k].name, rc == 0 ? "new" : "old");
		if (rc == -1) {
			char want[64];

			snprintf(want, sizeof(want), "%s: no", cases[k].refuse);
			TAP_STREQ(err, want, "%s: the refusal's reason",
			    cases[k].name);
		}
	} else
		TAP_STREQ(err, "b: cannot", "%s: the failure's reason",
		    cases[k].name);
	calls[0] = '\0';
	module_stop(&core);
	TAP_STREQ(calls, cases[k].want_stop, "%s: stop order", cases[k].name);
	TAP_OK(core.state == NULL && core.ninit == 0, "%s: forgotten",
	    cases[k].name);
}

static void
status_order(void)
{
	static const char *const order[] = {"c", "d", "a", "nosuch"};
	struct np_core core;
	struct config conf;
	struct jbuf j;
	char err[64];

	memset(&core, 0, sizeof(core));
	memset(&conf, 0, sizeof(conf));
	core.conf = &conf;
	fail_init = refuse = NULL;
	module_table(&core, table, 4, NULL, 0);
	module_init(&core, err, sizeof(err));
	jbuf_init(&j);
	json_obj_open(&j);
	module_status(&core, &j);
	json_obj_close(&j);
	TAP_STREQ(j.s, "{\"a\":\"up\",\"b\":\"up\",\"c\":\"up\",\"d\":\"up\"}",
	    "status: the table's order");
	jbuf_free(&j);
	module_stop(&core);

	module_table(&core, table, 4, order, 4);
	module_init(&core, err, sizeof(err));
	jbuf_init(&j);
	json_obj_open(&j);
	module_status(&core, &j);
	json_obj_close(&j);
	TAP_STREQ(j.s, "{\"c\":\"up\",\"d\":\"up\",\"a\":\"up\"}",
	    "status: the daemon's order, unnamed modules left out");
	jbuf_free(&j);
	module_stop(&core);
}

static void
keep(void)
{
	char field[16] = "new";

	module_keep(field, sizeof(field), "new", "x");
	TAP_STREQ(field, "new", "keep: unchanged stays");
	module_keep(field, sizeof(field), "old", "x");
	TAP_STREQ(field, "old", "keep: a change is taken back");
}

static const struct {
	enum control_who who;
	unsigned peer, self;
	int want;
} allowed[] = {
    {CONTROL_ANYONE, 1000, 106, 1},
    {CONTROL_ANYONE, 0, 106, 1},
    {CONTROL_USER, 106, 106, 1},
    {CONTROL_USER, 0, 106, 1},
    {CONTROL_USER, 1000, 106, 0},
    {CONTROL_USER, (unsigned)-1, 106, 0},
    {CONTROL_ROOT, 0, 106, 1},
    {CONTROL_ROOT, 106, 106, 0},
    {CONTROL_ROOT, 0, 0, 1},
    {CONTROL_ROOT, 1000, 0, 0},
};

/*
 * The rights of a peer (uid 1000, groups 1000 and EXTRA) in a daemon of
 * uid 106, for a read-group 50 and a change-group 60 (0: not set).
 */
static const struct {
	unsigned read_gid, change_gid, uid, extra;
	unsigned want;
	const char *what;
} rights[] = {
    {0, 0, 1000, 1000, CONTROL_R_READ | CONTROL_R_CHANGE,
        "no groups: anyone who connects reads and changes"},
    {50, 0, 1000, 1000, 0, "read-group, not a member: nothing"},
    {50, 0, 1000, 50, CONTROL_R_READ | CONTROL_R_CHANGE,
        "read-group member, no change-group: changes follow reads"},
    {50, 60, 1000, 50, CONTROL_R_READ, "read-group member: reads only"},
    {50, 60, 1000, 60, CONTROL_R_READ | CONTROL_R_CHANGE,
        "change-group member: changes and reads"},
    {0, 60, 1000, 1000, CONTROL_R_READ,
        "change-group only, not a member: reads"},
    {50, 60, 0, 1000, CONTROL_R_READ | CONTROL_R_CHANGE, "root: all"},
    {50, 60, 106, 1000, CONTROL_R_READ | CONTROL_R_CHANGE,
        "the daemon's user: all"},
    {0, 0, (unsigned)-1, 1000, 0, "unknown peer: nothing"},
};

static void
peer_rights(void)
{
	for (size_t k = 0; k < sizeof(rights) / sizeof(rights[0]); k++) {
		struct control_access a = {0};
		gid_t g[2] = {1000, (gid_t)rights[k].extra};

		a.read_set = rights[k].read_gid != 0;
		a.read_gid = (gid_t)rights[k].read_gid;
		a.change_set = rights[k].change_gid != 0;
		a.change_gid = (gid_t)rights[k].change_gid;
		TAP_OK(control_peer_rights(&a, (uid_t)rights[k].uid, g, 2,
		           106) == rights[k].want,
		    "control rights: %s", rights[k].what);
	}
}

int
main(void)
{
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		run_case((int)k);
	status_order();
	keep();
	for (size_t k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++)
		TAP_OK(control_allowed(allowed[k].who, (uid_t)allowed[k].peer,
		           (uid_t)allowed[k].self) == allowed[k].want,
		    "control: %s, peer uid %d, daemon uid %u: %s",
		    control_who_name(allowed[k].who), (int)allowed[k].peer,
		    allowed[k].self, allowed[k].want ? "allowed" : "denied");
	peer_rights();
	return tap_done();
}
