# SPDX-License-Identifier: GPL-2.0-only
#
# klp-reloc: the table of contents.  Each target is a verb from the README;
# the work is done by the scripts it names.

SHELL := /bin/bash
B := $(CURDIR)/build
TARBALL := /usr/src/linux-source-6.1.tar.xz
CONFIG := configs/qemu.config
# What the klp tree is made of: our kernel-path files and the hook patches.
OVERLAY := $(shell find Documentation arch include kernel lib samples tools \
		scripts/livepatch patches -type f 2>/dev/null)

.PHONY: all deps base klp tools run check patch lint clean
all: klp tools

deps:
	@scripts/build/deps.sh

# A tree is rebuilt only when its inputs are newer than its stamp.
$(B)/base.stamp: $(TARBALL) $(CONFIG) scripts/build/kernel.sh
	@mkdir -p $(B)/logs
	@scripts/build/kernel.sh base > $(B)/logs/base.log 2>&1 || \
		{ tail -30 $(B)/logs/base.log; echo "base build failed: $(B)/logs/base.log"; exit 1; }
	@touch $@

$(B)/klp.stamp: $(TARBALL) $(CONFIG) scripts/build/kernel.sh $(OVERLAY)
	@mkdir -p $(B)/logs
	@scripts/build/kernel.sh klp > $(B)/logs/klp.log 2>&1 || \
		{ tail -30 $(B)/logs/klp.log; echo "klp build failed: $(B)/logs/klp.log"; exit 1; }
	@touch $@

base: deps $(B)/base.stamp
klp: deps $(B)/klp.stamp

clean:
	rm -rf $(B)
