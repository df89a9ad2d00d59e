/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The part of QEMU's TCG plugin API (version 1, QEMU 7.2) that insn-prof
 * uses.  Debian installs no header for it: these are the declarations of
 * the functions QEMU exports to plugins, as its documentation gives them.
 * qemu_plugin_id_t and the addresses are 64-bit integers.
 */
#ifndef QEMU_PLUGIN_API_H
#define QEMU_PLUGIN_API_H

#include <stddef.h>

struct qemu_info_t;
struct qemu_plugin_tb;

#define QEMU_PLUGIN_CB_NO_REGS	0

void qemu_plugin_register_vcpu_tb_trans_cb(unsigned long long id,
					   void (*cb)(unsigned long long id,
						      struct qemu_plugin_tb *tb));
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  void (*cb)(unsigned int vcpu,
						     void *udata),
					  int flags, void *udata);
void qemu_plugin_register_atexit_cb(unsigned long long id,
				    void (*cb)(unsigned long long id,
					       void *udata),
				    void *udata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
unsigned long long qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);

#endif /* QEMU_PLUGIN_API_H */
