#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# usage: klp-reloc.sh TREE [TEST]...
#
# Our kselftests on one kernel: each TEST (default test-klp-reloc.sh, klp
# relocations; test-klp-keys.sh, a module's static keys and calls).  Their
# test modules are built once for that tree, then the tests run one after
# the other in one guest, next to the base's functions.sh, the helpers
# they are written with.  With more than one TEST, each result line says
# which test it is from ("keys: ..." for test-klp-keys.sh).
set -uo pipefail
tree=${1:?usage: klp-reloc.sh TREE (base, klp, klp-debug, base-6.12, klp-6.12) [TEST]...}
shift
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(test-klp-reloc.sh)
top=$(cd "$(dirname "$0")/../.." && pwd)
st=$top/tools/testing/selftests/livepatch
name=$(basename "${tests[0]}" .sh)
[ ${#tests[@]} -eq 1 ] || name=test-klp-all
g=$top/build/check/$name-$tree

# The tree's own line: its functions.sh and its trace events sample.
case $tree in
*-6.12) base_src=$top/build/src-6.12 ;;
*) base_src=$top/build/src ;;
esac

rm -rf "$g"
mkdir -p "$g"
# The test modules, and the kernel's samples/trace_events module as it is,
# for test-klp-keys.sh's patch of an in-tree module's tracepoints.
cp -a "$st/test_modules" "$g/src"
cp "$base_src"/samples/trace_events/trace-events-sample.[ch] "$g/src/"
"$top/scripts/build/modules.sh" "$tree" "$g/src" "$g/mods" \
	KLP_INCLUDE="$top/include" > "$g.build.log" 2>&1 ||
	{ sed 's/^/# /' "$g.build.log"; echo "not ok 1 - test modules build for $tree"; exit 1; }
rm -rf "$g/src"
cp "$base_src/tools/testing/selftests/livepatch/functions.sh" \
	"$st/klp-edit.py" "$g/"
for t in "${tests[@]}"; do
	cp "$st/$t" "$g/" || exit 1
done
# klp-check, where built, is asked about every module the kernel judges.
check=
[ ! -x "$top/build/bin/klp-check" ] || check="KLP_CHECK=$top/build/bin/klp-check"
cmd="cd $(basename "$g") && rc=0 &&"
for t in "${tests[@]}"; do
	cmd+=" { echo '# @@test $t'; $check ./$t ./mods || rc=1; } &&"
done
cmd+=" exit \$rc"
# KLP_RELOC_TIMEOUT: more time per test for a slow kernel (KASAN: make
# debug-check).
"$top/scripts/vm/run" --kernel "$tree" \
	--timeout $((${KLP_RELOC_TIMEOUT:-1200} * ${#tests[@]})) --add "$g" -- "$cmd" |
	awk -v many=$((${#tests[@]} > 1)) '
		/^# @@test / {
			t = $3; sub(/^test-klp-/, "", t); sub(/\.sh$/, "", t); next
		}
		many && match($0, /^(not ok|ok) +[0-9]+/) {
			rest = substr($0, RLENGTH + 1)
			sub(/^ *-? */, "", rest)
			$0 = substr($0, 1, RLENGTH) " - " t ": " rest
		}
		{ print; fflush() }'
