// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_klp_reloc_mod as an atomic-replace patch: the same klp relocations,
 * so that replacing one patch with the other moves them across.
 */

#define REPLACE true
#include "test_klp_reloc_mod.c"
