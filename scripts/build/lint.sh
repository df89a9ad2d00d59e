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

# Our C files.  The tools' test fixtures are left out: they are inputs that
# plain gcc compiles without kernel headers, written raw on purpose.
files=$(git ls-files --cached --others --exclude-standard -- include kernel arch \
	lib scripts/livepatch samples tools/testing | grep -E '\.[ch]$' |
	grep -v '^scripts/livepatch/tests/fixtures/')
# CamelCase: the Elf_Shdr/Elf64_Rela family is named by <linux/elf.h> and
# libelf, not by us; checkpatch knows them only inside a git kernel tree.
# checkpatch runs from the klp tree: in a directory holding .git (ours) it
# reads the blank context lines of a patch as trailing whitespace.
for f in $files; do
	out=$(cd "$klp" && "$cp" --strict --no-tree --quiet --show-types \
		--ignore CAMELCASE -f "$top/$f" 2>&1) || { echo "$out"; bad=1; }
done
for p in $(sed -e '/^#/d' -e '/^$/d' patches/series); do
	out=$(cd "$klp" && "$cp" --strict --no-tree --quiet "$top/patches/$p" 2>&1) ||
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
