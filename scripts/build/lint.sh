#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 'make lint': checkpatch --strict on our kernel files and hook patches,
# sparse (C=2) on the objects built from our kernel C files, and gcc's
# warnings on our files in the klp trees' build logs (make rebuilds only
# what changed, so sparse's run may not show them).  Prints each problem
# and exits non-zero if there is any.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
klp=$top/build/klp
cp=$klp/scripts/checkpatch.pl
bad=0
cd "$top"

# Our C files.  The tools' test fixtures are left out: they are inputs that
# plain gcc compiles without kernel headers, written raw on purpose.
files=$(git ls-files --cached --others --exclude-standard -- include kernel arch \
	lib scripts/livepatch samples tools/testing bench | grep -E '\.[ch]$' |
	grep -v '^scripts/livepatch/tests/fixtures/')

# checkpatch runs from the klp tree with it as --root: it then knows the
# kernel's own CamelCase names (Elf_Shdr, ...), and outside our git checkout
# it does not read a patch's blank context lines as trailing whitespace.
checkpatch() {
	(cd "$klp" && "$cp" --strict --root="$klp" --quiet --show-types "$@" 2>&1)
}
for f in $files; do
	case $f in
	# Userspace on libelf: its type names are CamelCase and there is no
	# <linux/compiler.h> to give __printf and friends.
	scripts/livepatch/*)
		out=$(checkpatch --ignore CAMELCASE,PREFER_DEFINED_ATTRIBUTE_MACRO -f "$top/$f") ;;
	*)	out=$(checkpatch -f "$top/$f") ;;
	esac
	[ $? -eq 0 ] || { echo "$out"; bad=1; }
done
for p in $(sed -e '/^#/d' -e '/^$/d' patches/series); do
	out=$(checkpatch "$top/patches/$p") || { echo "$out"; bad=1; }
done
for p in $(sed -e '/^#/d' -e '/^$/d' patches/6.12/series); do
	out=$(checkpatch "$top/patches/6.12/$p") || { echo "$out"; bad=1; }
done

# sparse on what the kernel compiles of ours, on each line's klp tree
# (kernel/livepatch/keys_jump.c and keys_static_call.c are compiled inside
# the files that include them.)
objs="$(echo "$files" | grep -E '^(kernel|arch|lib)/.*\.c$' | sed 's/\.c$/.o/')
kernel/jump_label.o kernel/static_call_inline.o"
for tree in "$klp" "$top/build/klp-6.12"; do
	for o in $objs; do
		[ -f "$tree/$o" ] || continue
		out=$(make -s -C "$tree" C=2 CC="ccache gcc" "$o" 2>&1 | grep -v '^  ')
		[ -z "$out" ] || { echo "${tree##*/}: $out"; bad=1; }
	done
done
for log in "$top/build/logs/klp.log" "$top/build/logs/klp-6.12.log"; do
	[ -f "$log" ] || continue
	out=$(grep -E '^[^ :]+:[0-9]+(:[0-9]+)?: warning:' "$log" |
		grep -F -f <(echo "$files" | sed 's/$/:/'))
	[ -z "$out" ] || { echo "${log##*/}: $out"; bad=1; }
done
[ $bad -eq 0 ] && echo "lint: checkpatch, sparse and gcc are clean"
exit $bad
