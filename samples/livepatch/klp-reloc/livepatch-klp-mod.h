/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What livepatch-klp-modpatch sees of livepatch-klp-mod: two of its statics.
 * Nothing can link to them normally; klp-convert binds them through klp
 * relocations that the kernel applies whenever the module comes.
 */
#ifndef _LIVEPATCH_KLP_MOD_H
#define _LIVEPATCH_KLP_MOD_H

const char *klp_mod_word(int i);
extern int klp_mod_counter;

#endif /* _LIVEPATCH_KLP_MOD_H */
