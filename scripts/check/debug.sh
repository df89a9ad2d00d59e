#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 'make debug-check': our suites on the klp-debug kernel (KASAN, kmemleak,
# lockdep, UBSAN, fault injection; configs/debug.config), in TAP, ending with "N passed, N
# failed".  A report on the console makes scripts/vm/run say the guest
# crashed (125), which fails the suite.  After each suite, in the same guest,
# kmemleak scans; its suspects are printed, and the scan fails if one of them
# mentions our code.  Expects the klp-debug kernel built (the Makefile sees
# to that).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
. scripts/check/tap.sh
B=$top/build
tree=klp-debug

# Run in each guest after its suite: let the tests' objects age past
# kmemleak's minimum (5 s), scan twice (the second drops transient
# suspects), then list what is left.
export KLP_VM_EPILOGUE='k=/sys/kernel/debug/kmemleak
[ -w $k ] || { echo "no $k"; exit 1; }
sleep 6; echo scan > $k && echo scan > $k || { echo "kmemleak is off"; exit 1; }
cat $k; echo "@@kmemleak done"'
# Our own file: another run may use build/vm/last at the same time.
export KLP_VM_EPILOGUE_LOG=$B/check/debug-kmemleak.log
mkdir -p "$B/check"

# kmemleak SUITE: one TAP line for the scan of the last guest.
kmemleak() {
	local log=$KLP_VM_EPILOGUE_LOG ours n
	echo "1..1"
	if ! grep -q '^@@kmemleak done' "$log" 2>/dev/null; then
		sed 's/^/# /' "$log" 2>/dev/null
		echo "not ok 1 - kmemleak after $1: no scan ran"
		return
	fi
	n=$(grep -c '^unreferenced object' "$log")
	# One leak report per "unreferenced object" paragraph.
	ours=$(awk '/^unreferenced object/ { if (r ~ /reloc|klp_|livepatch/) c++; r = "" }
		{ r = r $0 "\n" } END { if (r ~ /reloc|klp_|livepatch/) c++; print c + 0 }' "$log")
	grep -v '^@@kmemleak done' "$log" | sed 's/^/# /'
	if [ "$ours" -eq 0 ]; then
		echo "ok 1 - kmemleak after $1: $n suspects, none in our code"
	else
		echo "not ok 1 - kmemleak after $1: $n suspects, $ours mention reloc/klp_/livepatch"
	fi
}

# suite NAME CMD...: CMD's TAP, then the kmemleak scan of its guest.
suite() {
	local name=$1
	rm -f "$KLP_VM_EPILOGUE_LOG"
	tap_suite "$name" "${@:2}"
	tap_suite "kmemleak-$name" kmemleak "$name"
}

kselftests() {
	rm -rf "$B/kselftest/$tree"
	make -s -C "$B/$tree/tools/testing/selftests" TARGETS=livepatch \
		INSTALL_PATH="$B/kselftest/$tree" install >/dev/null || return
	scripts/vm/run --kernel "$tree" --timeout 2400 -- \
		"$B/kselftest/$tree/run_kselftest.sh"
}

echo "TAP version 13"
echo "# $tree: $(cat "$B/$tree-mods/release")"
suite kunit scripts/check/kunit.sh "$tree"
# Its 500 reload cycles take over 20 minutes under KASAN and TCG.
KLP_RELOC_TIMEOUT=3600 suite reloc scripts/check/klp-reloc.sh "$tree"
KLP_RELOC_TIMEOUT=3600 suite keys scripts/check/klp-reloc.sh "$tree" test-klp-keys.sh
suite kselftests kselftests
# Failed allocations on the livepatch path, each in turn: about 13 s an
# allocation under TCG, over an hour in all.
KLP_GUEST_TIMEOUT=14400 suite fault scripts/check/klp-guest.sh "$tree" test-klp-fault.sh
# Races of a patch's life with its target's, for STRESS seconds.
suite stress scripts/check/klp-guest.sh "$tree" test-klp-stress.sh "${STRESS:-600}"
tap_summary
