#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The klp kernel's KUnit suites, loaded as modules in a guest.  KUnit prints
# KTAP to the kernel log; each test case (the first nesting level) becomes one
# of our TAP lines, named "<suite>: <case>".
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
tree=${1:-klp}
modules=${KUNIT_MODULES:-reloc_kunit}

log=$("$top/scripts/vm/run" --kernel "$tree" --timeout 600 -- \
	"for m in $modules; do modprobe \$m || echo \"modprobe \$m failed\"; done; dmesg")
rc=$?
echo "$log" | grep 'modprobe .* failed' | sed 's/^/# /'

n=0 suite= kase= params=0
while IFS= read -r line; do
	line=${line#\[*\] }
	if [[ $line =~ ^\ {4}#\ Subtest:\ (.*)$ ]]; then
		suite=${BASH_REMATCH[1]}
	elif [[ $line =~ ^\ {8}#\ Subtest:\ (.*)$ ]]; then
		kase=${BASH_REMATCH[1]}
		params=0
	elif [[ $line =~ ^\ {8}(not\ ok|ok)\ [0-9]+\ (-\ )?(.*)$ ]]; then
		# A parameterised case: each parameter is a test of its own.
		n=$((n + 1))
		params=$((params + 1))
		echo "${BASH_REMATCH[1]} $n - $suite: $kase: ${BASH_REMATCH[3]}"
	elif [[ $line =~ ^\ {4}(not\ ok|ok)\ [0-9]+\ (-\ )?(.*)$ ]]; then
		# A plain case; a parameterised one was counted per parameter.
		if [ "$params" -eq 0 ]; then
			n=$((n + 1))
			echo "${BASH_REMATCH[1]} $n - $suite: ${BASH_REMATCH[3]}"
		fi
		params=0
	elif [[ $line =~ ^\ {4,}#\ (.*)$ ]]; then
		echo "# ${BASH_REMATCH[1]}"
	fi
done <<< "$log"
echo "1..$n"
exit $rc
