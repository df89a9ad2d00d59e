#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# usage: klp-reloc.sh TREE [TEST]
#
# One of our kselftests on one kernel: TEST (default test-klp-reloc.sh, klp
# relocations; test-klp-keys.sh, a module's static keys and calls).  Its
# test modules are built for that tree, then it runs in one guest next to
# the base's functions.sh, the helpers it is written with.
set -uo pipefail
tree=${1:?usage: klp-reloc.sh TREE (base, klp, klp-debug, base-6.12, klp-6.12) [TEST]}
test=${2:-test-klp-reloc.sh}
top=$(cd "$(dirname "$0")/../.." && pwd)
st=$top/tools/testing/selftests/livepatch
g=$top/build/check/$(basename "$test" .sh)-$tree

rm -rf "$g"
mkdir -p "$g"
"$top/scripts/build/modules.sh" "$tree" "$st/test_modules" "$g/mods" \
	KLP_INCLUDE="$top/include" > "$g.build.log" 2>&1 ||
	{ sed 's/^/# /' "$g.build.log"; echo "not ok 1 - test modules build for $tree"; exit 1; }
# The functions.sh of the tree's own line.
case $tree in
*-6.12) base_src=$top/build/src-6.12 ;;
*) base_src=$top/build/src ;;
esac
cp "$base_src/tools/testing/selftests/livepatch/functions.sh" \
	"$st/$test" "$st/klp-edit.py" "$g/"
# klp-check, where built, is asked about every module the kernel judges.
check=
[ ! -x "$top/build/bin/klp-check" ] || check="KLP_CHECK=$top/build/bin/klp-check"
# KLP_RELOC_TIMEOUT: more time for a slow kernel (KASAN: make debug-check).
exec "$top/scripts/vm/run" --kernel "$tree" --timeout "${KLP_RELOC_TIMEOUT:-1200}" --add "$g" -- \
	"cd $(basename "$g") && $check ./$test ./mods"
