#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# usage: modules.sh TREE SRCDIR OUTDIR [MAKE-ARGS...]
#
# Build the out-of-tree modules of SRCDIR against build/TREE, in OUTDIR (a
# fresh copy, so the repository stays clean).  On the klp trees kbuild runs
# klp-convert by itself.  The base tree and Debian's own kernel (TREE
# debian: its linux-headers) have no such wiring: there modpost is told to
# let unresolved symbols pass and each livepatch module is converted by hand
# afterwards, the way the README tells users of other trees, with the other
# modules of the same directory as the possible targets, from vmlinux on
# base and from a copy of /proc/kallsyms on debian.
set -euo pipefail
tree=${1:?usage: modules.sh TREE SRCDIR OUTDIR [MAKE-ARGS...]}
src=${2:?}
out=${3:?}
shift 3
top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$top/build/$tree
src_syms=(--kdir "$kdir")
if [ "$tree" = debian ]; then
	# Debian's own kernel: its linux-headers, and a copy of its kallsyms.
	kdir=/usr/src/linux-headers-$("$top/scripts/vm/debian.sh" release)
	src_syms=(--kallsyms "$("$top/scripts/vm/debian.sh" kallsyms)")
fi

rm -rf "$out"
mkdir -p "$out"
cp -a "$src"/. "$out/"
case $tree in
base|base-*|debian) ;;
*)
	make -s -C "$kdir" M="$out" "$@" modules
	exit 0
	;;
esac

make -s -C "$kdir" M="$out" KBUILD_MODPOST_WARN=1 "$@" modules 2>&1 |
	{ grep -v 'WARNING: modpost: .* undefined!' || true; }
patches=() targets=()
for ko in "$out"/*.ko; do
	if [ "$(modinfo -F livepatch "$ko")" = Y ]; then
		patches+=("$ko")
	else
		targets+=(--module "$ko")
	fi
done
for ko in "${patches[@]}"; do
	"$top/build/bin/klp-convert" "${src_syms[@]}" "${targets[@]}" "$ko"
done
