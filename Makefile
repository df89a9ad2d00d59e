# SPDX-License-Identifier: GPL-2.0-only
#
# klp-reloc: the table of contents.  Each target is a verb from the README;
# the work is done by the scripts it names.  Logs go to build/logs/.

SHELL := /bin/bash
B := $(CURDIR)/build
TARBALL := /usr/src/linux-source-6.1.tar.xz
TARBALL_6.12 := /usr/src/linux-source-6.12.tar.xz
CONFIG := configs/qemu.config
# What the klp trees are made of besides the tarball and configs: our
# kernel-path files and the hook patches, as kernel.sh itself lists them.
OVERLAY := $(shell scripts/build/kernel.sh --overlay)
OVERLAY_6.12 := $(shell scripts/build/kernel.sh --overlay 6.12)

# The LTS line of 'make run' and 'make patch': 6.1 or 6.12.
LINE ?= 6.1

.PHONY: all deps base klp klp-debug base-6.12 klp-6.12 klp-debug-6.12 tools run check check-tests fuzz-kernel debug-check bench patch lint clean
all: klp tools

deps:
	@scripts/build/deps.sh

# A tree is rebuilt only when its inputs are newer than its stamp.
$(B)/%.stamp: $(TARBALL) $(CONFIG) scripts/build/kernel.sh
	@mkdir -p $(B)/logs
	@echo "  building the $* kernel (log: build/logs/$*.log)"
	@touch $@.start	# an input changed during the build stays newer
	@scripts/build/kernel.sh $* > $(B)/logs/$*.log 2>&1 || \
		{ tail -30 $(B)/logs/$*.log; echo "$* build failed: build/logs/$*.log"; exit 1; }
	@mv $@.start $@
$(B)/klp.stamp: $(OVERLAY)
$(B)/klp-debug.stamp: $(OVERLAY) configs/debug.config
$(B)/klp-debian.stamp: $(OVERLAY) configs/debian.config
# The 6.12 line's trees: its own tarball, series and config fragment.
$(B)/base-6.12.stamp $(B)/klp-6.12.stamp $(B)/klp-debug-6.12.stamp: \
	$(TARBALL_6.12) configs/qemu-6.12.config
$(B)/klp-6.12.stamp: $(OVERLAY_6.12)
$(B)/klp-debug-6.12.stamp: $(OVERLAY_6.12) configs/debug.config

base: deps
	@$(MAKE) -s $(B)/base.stamp
klp: deps
	@$(MAKE) -s $(B)/klp.stamp
klp-debug: deps
	@$(MAKE) -s $(B)/klp-debug.stamp
base-6.12 klp-6.12 klp-debug-6.12: deps
	@$(MAKE) -s $(B)/$@.stamp

# The tools need a C compiler and libelf, nothing of the rest.
tools:
	@scripts/build/deps.sh tools
	@$(MAKE) -s --no-print-directory -C scripts/livepatch BIN=$(B)/bin

run:
	@LINE=$(LINE) scripts/demo/run

check: base klp base-6.12 klp-6.12 tools
	@scripts/check/run

# Not part of check: bugs planted one at a time that the suites must catch.
check-tests: klp tools
	@scripts/check/planted.sh

# Not part of check: N mutated patch modules through their life in the guest,
# on TREE (default klp-debug; base for the comparison), from round FROM on
# (a long run goes in slices).
N ?= 10000
SEED ?= 1
FROM ?= 0
TREE ?= klp-debug
fuzz-kernel: deps tools
	@$(MAKE) -s $(B)/$(TREE).stamp
	@scripts/check/klp-fuzz.sh $(TREE) $(N) $(SEED) $(FROM)

# Not part of check (build and run time): KASAN, kmemleak, lockdep, UBSAN;
# failed allocations; STRESS seconds of races (default 600).
debug-check: klp-debug
	@scripts/check/debug.sh

# KCONFIG=debian: at distribution scale, Debian's own kernel (the base
# source built with Debian's config, as its package ships it) against our
# series built with the same config (build/klp-debian, 1-2 h the first time).
KCONFIG ?= qemu
ifeq ($(KCONFIG),debian)
bench: deps tools
	@$(MAKE) -s $(B)/klp-debian.stamp
	@BENCH_TREES="debian klp-debian" bench/run
else
bench: base klp base-6.12 klp-6.12 tools
	@bench/run
endif

patch: deps
	@scripts/build/patch.sh $(LINE)

lint: klp
	@scripts/build/lint.sh

clean:
	rm -rf $(B)
