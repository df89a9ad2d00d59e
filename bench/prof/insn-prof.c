// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insn-prof: a QEMU TCG plugin that counts the guest instructions each
 * translation block runs, only while a vCPU is inside a window: from the
 * moment it enters the block at start=ADDR until it enters the block at
 * stop=ADDR, less the first skip=N windows.  bench/profile sets the window
 * to one system call (a module's load), so that the counts are the load's
 * instructions by address, exact and free of a tracer's own cost.  At
 * exit it writes "ADDR INSNS EXECS WINDOWS" lines (one per block that ran
 * in a window) to out=PATH.
 *
 * Build: gcc -O2 -shared -fPIC -o insn-prof.so insn-prof.c
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin-api.h"

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define MAX_VCPUS 64

struct block {
	unsigned long long vaddr;
	unsigned long long insns;
	unsigned long long execs;
	struct block *next;
};

static unsigned long long start_addr, stop_addr, windows, skip;
static const char *out_path = "insn-prof.out";
static bool active[MAX_VCPUS];
static struct block *blocks;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void on_exec(unsigned int vcpu, void *udata)
{
	struct block *b = udata;

	if (vcpu >= MAX_VCPUS)
		return;
	if (b->vaddr == start_addr && !active[vcpu]) {
		/* The first skip windows only warm the caches. */
		active[vcpu] = __atomic_fetch_add(&windows, 1,
						  __ATOMIC_RELAXED) >= skip;
	} else if (b->vaddr == stop_addr) {
		active[vcpu] = false;
	}
	if (active[vcpu])
		__atomic_fetch_add(&b->execs, 1, __ATOMIC_RELAXED);
}

static void on_trans(unsigned long long id, struct qemu_plugin_tb *tb)
{
	struct block *b = calloc(1, sizeof(*b));

	(void)id;
	if (!b)
		return;
	b->vaddr = qemu_plugin_tb_vaddr(tb);
	b->insns = qemu_plugin_tb_n_insns(tb);
	pthread_mutex_lock(&lock);
	b->next = blocks;
	blocks = b;
	pthread_mutex_unlock(&lock);
	qemu_plugin_register_vcpu_tb_exec_cb(tb, on_exec,
					     QEMU_PLUGIN_CB_NO_REGS, b);
}

static void on_atexit(unsigned long long id, void *udata)
{
	FILE *f = fopen(out_path, "w");
	struct block *b;

	(void)id;
	(void)udata;
	if (!f) {
		perror(out_path);
		return;
	}
	for (b = blocks; b; b = b->next)
		if (b->execs)
			fprintf(f, "%llx %llu %llu %llu\n", b->vaddr, b->insns,
				b->execs, windows - skip);
	fclose(f);
}

/* Sets the option @arg names (NAME=VALUE); false if it names none. */
static bool option(const char *arg)
{
	const char *v = strchr(arg, '=');
	size_t n = v ? (size_t)(v - arg) : 0;

	if (!v)
		return false;
	v++;
	if (n == 5 && !strncmp(arg, "start", n))
		start_addr = strtoull(v, NULL, 16);
	else if (n == 4 && !strncmp(arg, "stop", n))
		stop_addr = strtoull(v, NULL, 16);
	else if (n == 4 && !strncmp(arg, "skip", n))
		skip = strtoull(v, NULL, 10);
	else if (n == 3 && !strncmp(arg, "out", n))
		out_path = v;
	else
		return false;
	return true;
}

__attribute__((visibility("default")))
int qemu_plugin_install(unsigned long long id, const struct qemu_info_t *info,
			int argc, char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (option(argv[i]))
			continue;
		fprintf(stderr, "insn-prof: unknown argument '%s'\n", argv[i]);
		return -1;
	}
	if (!start_addr || !stop_addr) {
		fprintf(stderr, "insn-prof: needs start=ADDR and stop=ADDR\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_trans);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
}
