#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build samples/livepatch/klp-reloc against one tree into build/samples/TREE.
# On the klp tree kbuild runs klp-convert by itself; the base tree has no such
# wiring, so this does by hand what the README tells users of other trees.
set -euo pipefail
tree=${1:?usage: samples.sh base|klp}
top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$top/build/$tree
out=$top/build/samples/$tree

rm -rf "$out"
mkdir -p "$out"
cp "$top"/samples/livepatch/klp-reloc/* "$out/"
if [ "$tree" = klp ]; then
	make -s -C "$kdir" M="$out" modules
else
	make -s -C "$kdir" M="$out" KBUILD_MODPOST_WARN=1 modules 2>&1 |
		grep -v 'WARNING: modpost: .* undefined!' || true
	conv=$top/build/bin/klp-convert
	"$conv" --kdir "$kdir" "$out/livepatch-klp-sample.ko"
	"$conv" --kdir "$kdir" --module "$out/livepatch-klp-mod.ko" \
		"$out/livepatch-klp-modpatch.ko"
fi
