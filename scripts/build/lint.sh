#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 'make lint': checkpatch --strict on our kernel files and hook patches, and
# sparse (C=2) on the objects built from our kernel C files.  Prints each
# problem and exits non-zero if there is any.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
klp=$top/build/klp
cp=$klp/scripts/checkpatch.pl
bad=0
cd "$top"

files=$(find include kernel arch lib scripts/livepatch samples tools/testing \
	-type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort)
for f in $files; do
	out=$("$cp" --strict --no-tree --quiet --show-types -f "$f" 2>&1) ||
		{ echo "$out"; bad=1; }
done
for p in $(sed -e '/^#/d' -e '/^$/d' patches/series); do
	out=$("$cp" --strict --no-tree --quiet "patches/$p" 2>&1) ||
		{ echo "$out"; bad=1; }
done

# sparse on what the kernel compiles of ours
objs=$(echo "$files" | grep -E '^(kernel|arch|lib)/.*\.c$' | sed 's/\.c$/.o/')
for o in $objs; do
	[ -f "$klp/$o" ] || continue
	out=$(make -s -C "$klp" C=2 CC="ccache gcc" "$o" 2>&1 | grep -v '^  ')
	[ -z "$out" ] || { echo "$out"; bad=1; }
done
[ $bad -eq 0 ] && echo "lint: checkpatch and sparse are clean"
exit $bad
