/*
 * cfgnorm_int.h - the normaliser's rule table (cfgnorm_rules.c) as the
 * engine (cfgnorm.c) reads it.
 */
#ifndef NP_CFGNORM_INT_H
#define NP_CFGNORM_INT_H

#include "config/cfgnorm.h"

#define PB(p) (1u << (p)) /* a platform's bit */
#define G(n) (1u << (n)) /* a group's bit, for secrets */

struct cfg_rule_def {
	unsigned platforms; /* PB() bits; 0: every platform */
	int action; /* enum cfg_rule_action */
	const char *regex; /* POSIX extended */
	const char *repl; /* rewrite: \0..\9 */
	unsigned mask; /* secret: the groups replaced; 0: every group */
	int who, when; /* meta: the groups that name them, 0 none */
};

extern const struct cfg_rule_def cfg_shipped_rules[];

#endif
