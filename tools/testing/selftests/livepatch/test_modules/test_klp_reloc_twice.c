// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_klp_reloc_vmlinux's patch, from a module whose init calls
 * klp_enable_patch() twice on it: the patch must be enabled once, and
 * work.
 */
#define TEST_KLP_ENABLE_TWICE
#include "test_klp_reloc_vmlinux.c"
