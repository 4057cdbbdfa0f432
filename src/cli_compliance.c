/*
 * cli_compliance.c - "netpatrol compliance": the results of the policies
 * applied to each archived device, as the daemon stored them after its
 * last good fetch; or, with --file, the configuration's policies applied
 * to a configuration file here and now.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config/cfgnorm.h"
#include "config/cfgpolicy.h"
#include "config/cfgtree.h"

static void
row_json(struct cli *c, const char *device, const char *policy,
    const char *rule, int result, const char *detail, int line,
    int64_t version, double time)
{
	char t[40];

	json_obj_open(&c->j);
	json_key(&c->j, "device");
	if (device)
		json_str(&c->j, device);
	else
		json_null(&c->j);
	json_kstr(&c->j, "policy", policy);
	json_kstr(&c->j, "rule", rule);
	json_kstr(&c->j, "result", cfg_result_name(result));
	json_kstr(&c->j, "detail", detail);
	json_kint(&c->j, "line", line);
	json_kint(&c->j, "version", version);
	json_key(&c->j, "time");
	if (time > 0)
		json_str(&c->j, event_time_rfc3339(time, t, sizeof(t)));
	else
		json_null(&c->j);
	json_obj_close(&c->j);
}

static void
row_text(struct cli *c, const char *device, const char *policy,
    const char *rule, int result, const char *detail)
{
	if (c->first) {
		printf("%-16s %-16s %-4s  %-50s %s\n", "DEVICE", "POLICY",
		    "", "RULE", "DETAIL");
		c->first = 0;
	}
	printf("%-16s %-16s %-4s  %-50.50s %s\n", device ? device : "-",
	    policy, result ? "FAIL" : "pass", rule, detail);
}

struct tally {
	struct cli *c;
	int pass, fail;
};

static int
stored_row(void *arg, const struct store_cfgcheck *k)
{
	struct tally *t = arg;

	if (k->result)
		t->fail++;
	else
		t->pass++;
	if (t->c->json)
		row_json(t->c, k->device, k->policy, k->rule, k->result,
		    k->detail, k->line, k->version, k->time);
	else
		row_text(t->c, k->device, k->policy, k->rule, k->result,
		    k->detail);
	return 0;
}

static void
file_row(void *arg, const struct cfg_policy_result *r)
{
	struct tally *t = arg;

	if (r->result)
		t->fail++;
	else
		t->pass++;
	if (t->c->json)
		row_json(t->c, NULL, r->policy, r->rule, r->result, r->detail,
		    (int)r->line, 0, 0);
	else
		row_text(t->c, NULL, r->policy, r->rule, r->result, r->detail);
}

/* --file FILE [--platform P] [--policy NAME]: here and now */
static int
comply_file(struct cli *c, const char *file, int plat, const char *only,
    struct tally *t)
{
	static const unsigned char key[32];
	struct cfg_rules *rs = cfg_rules_new();
	struct policy_conf *pc;
	struct cfg_tree *tree;
	FILE *f;
	char *buf, err[256];
	size_t len;
	int n = 0;

	if ((f = fopen(file, "rb")) == NULL) {
		fprintf(stderr, "netpatrol: %s: cannot open\n", file);
		cfg_rules_free(rs);
		return 1;
	}
	buf = malloc(CFG_NORM_MAX / 16);
	len = buf ? fread(buf, 1, CFG_NORM_MAX / 16, f) : 0;
	fclose(f);
	if (buf == NULL || rs == NULL ||
	    (tree = cfg_tree_parse(plat, buf, len, err, sizeof(err))) == NULL) {
		fprintf(stderr, "netpatrol: %s: %s\n", file,
		    buf ? err : "out of memory");
		free(buf);
		cfg_rules_free(rs);
		return 1;
	}
	TAILQ_FOREACH(pc, &c->conf->policies, entry) {
		struct cfg_policy *p;

		if (only && strcmp(only, pc->name) != 0)
			continue;
		if ((p = cfg_policy_compile(pc, err, sizeof(err))) == NULL) {
			fprintf(stderr, "netpatrol: %s\n", err);
			continue;
		}
		cfg_policy_eval(p, tree, rs, key, sizeof(key), file_row, t);
		cfg_policy_free(p);
		n++;
	}
	cfg_tree_free(tree);
	cfg_rules_free(rs);
	free(buf);
	if (n == 0) {
		fprintf(stderr, "netpatrol: no policy%s%s in %s\n",
		    only ? " named " : "", only ? only : "", c->conf_path);
		return 1;
	}
	return 0;
}

int
cmd_compliance(struct cli *c, int argc, char **argv)
{
	const char *device = NULL, *file = NULL, *only = NULL;
	struct tally t = {c, 0, 0};
	int plat = CFG_PLAT_AUTO, rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--file") == 0 && i + 1 < argc)
			file = argv[++i];
		else if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (strcmp(argv[i], "--platform") == 0 && i + 1 < argc) {
			if ((plat = cfg_platform_parse(argv[++i])) < 0) {
				fprintf(stderr, "netpatrol: unknown platform "
				    "\"%s\"\n", argv[i]);
				return 2;
			}
		} else if (argv[i][0] != '-' && device == NULL)
			device = argv[i];
		else
			usage();
	}
	if (c->json)
		json_arr_open(&c->j);
	if (file)
		rc = comply_file(c, file, plat, only, &t);
	else if (cli_open_store(c) == -1)
		return 1;
	else
		rc = store_get_cfgchecks(c->store, device, stored_row, &t) == -1;
	if (c->json) {
		json_arr_close(&c->j);
		if (rc == 0)
			printf("%s\n", c->j.s);
	} else if (rc == 0)
		printf("%d passed, %d failed\n", t.pass, t.fail);
	return rc;
}
