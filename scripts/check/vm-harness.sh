#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Tests of the test machinery itself: scripts/vm/run's exit status contract
# and the klp tree really carrying our overlay and series.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
run=$top/scripts/vm/run
n=0

check() {	# check DESCRIPTION EXPECTED ACTUAL
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "# expected '$2', got '$3'"
	fi
}

echo "1..7"
"$run" --kernel klp -- 'exit 3' >/dev/null 2>&1
check "vm/run returns the command's status (exit 3)" 3 $?

out=$("$run" --kernel klp --add "$top/README.md" -- 'cat /root/README.md | head -1' 2>/dev/null)
check "vm/run --add copies files into /root" "$(head -1 "$top/README.md")" "$out"

"$run" --kernel klp --timeout 5 -- 'sleep 60' >/dev/null 2>&1
check "vm/run --timeout 5 on 'sleep 60' returns 124" 124 $?

"$run" --kernel klp -- 'echo c > /proc/sysrq-trigger' >/dev/null 2>&1
check "vm/run returns 125 when the guest crashes" 125 $?

# The klp tree is built from our overlay and series: its release says so,
# and the guest finds the tree's own modules under /lib/modules.
rel=$("$run" --kernel klp -- 'uname -r; modprobe -n -v test_klp_livepatch >/dev/null && echo mods-ok' 2>/dev/null | tr '\n' ' ')
check "klp kernel release carries our localversion and its modules" \
	"$(cat "$top/build/klp-mods/release") mods-ok " "$rel"

rel=$("$run" --kernel base -- 'uname -r' 2>/dev/null)
check "base kernel is the pristine release" "$(make -s -C "$top/build/base" kernelversion)" "$rel"

# A clone may live anywhere, /tmp and /root included: the guest must see the
# host's files there, not a tmpfs of its own.
probe=$(mktemp /tmp/klp-reloc-probe.XXXXXX)
echo "$probe" > "$probe"
# The guest writes to an overlay of its own; the file is the probe's own
# sibling, so that no file that happens to be on the host (a directory
# /tmp/x, on one CI machine) gets in the way.
out=$("$run" --kernel klp -- "cat $probe; echo w > $probe.w && cat $probe.w" 2>/dev/null |
	tr '\n' ' ')
rm -f "$probe"
check "the guest sees the host's /tmp, and may write there" "$probe w " "$out"
