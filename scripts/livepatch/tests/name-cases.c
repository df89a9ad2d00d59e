// SPDX-License-Identifier: GPL-2.0-only
/*
 * Walk klp_format_cases.h, the table the kernel's KUnit suite walks too,
 * through the one parser the tools use.  Prints "PASS desc" or
 * "FAIL desc" per case for run.sh to number.
 */
#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#include "../../../include/linux/klp_format.h"
#include "../../../kernel/livepatch/klp_format_cases.h"

static int check(const struct klp_name_case *c)
{
	struct klp_rela_name rn;
	struct klp_sym_name sn;
	int err;

	if (c->rela) {
		err = klp_parse_rela_name(c->in, &rn);
		if (err != c->err)
			return 0;
		return err || (klp_name_part_eq(&rn.obj, c->obj) &&
			       klp_name_part_eq(&rn.sec, c->name));
	}
	err = klp_parse_sym_name(c->in, &sn);
	if (err != c->err)
		return 0;
	return err || (klp_name_part_eq(&sn.obj, c->obj) &&
		       klp_name_part_eq(&sn.name, c->name) && sn.sympos == c->sympos);
}

int main(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(klp_name_cases); i++) {
		const struct klp_name_case *c = &klp_name_cases[i];

		printf("%s name case: %s '%.60s' -> %s\n", check(c) ? "PASS" : "FAIL",
		       c->rela ? "section" : "symbol", c->in, klp_name_strerror(c->err));
	}
	return 0;
}
