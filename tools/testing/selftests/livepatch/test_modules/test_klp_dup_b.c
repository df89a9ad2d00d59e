// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_klp_dup, second half: the same static names as test_klp_dup_a.c,
 * so that each occurs twice in the module.
 */
#include <linux/compiler.h>

static int klp_dup_value __used = 2;

static noinline __used int klp_dup_fn(void)
{
	return READ_ONCE(klp_dup_value);
}
