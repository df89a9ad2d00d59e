#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# usage: klp-guest.sh TREE TEST [ARG...]
#
# One of our guest tests that need the test modules and the fail-nth helper
# (test-klp-fault.sh: failed allocations, test-klp-stress.sh: races) on the
# TREE kernel: both are built here for that tree, then TEST runs in one
# guest as "TEST MODDIR ARG...", the helper in KLP_FAIL_NTH.
set -uo pipefail
tree=${1:?usage: klp-guest.sh TREE TEST [ARG...]}
test=${2:?usage: klp-guest.sh TREE TEST [ARG...]}
top=$(cd "$(dirname "$0")/../.." && pwd)
st=$top/tools/testing/selftests/livepatch
g=$top/build/check/$(basename "$test" .sh)-$tree

rm -rf "$g"
mkdir -p "$g"
"$top/scripts/build/modules.sh" "$tree" "$st/test_modules" "$g/mods" \
	KLP_INCLUDE="$top/include" > "$g.build.log" 2>&1 &&
	cc -O2 -Wall -Wextra -o "$g/klp_fail_nth" "$st/klp_fail_nth.c" >> "$g.build.log" 2>&1 ||
	{ sed 's/^/# /' "$g.build.log"; echo "not ok 1 - test modules and helper build for $tree"; exit 1; }
cp "$st/$test" "$g/"
# KLP_FAULT_MODULES picks test-klp-fault.sh's modules; it goes along.
exec "$top/scripts/vm/run" --kernel "$tree" --timeout "${KLP_GUEST_TIMEOUT:-3600}" --add "$g" -- \
	"cd $(basename "$g") && KLP_FAULT_MODULES=${KLP_FAULT_MODULES:-reloc} KLP_FAIL_NTH=./klp_fail_nth ./$test ./mods ${*:3}"
