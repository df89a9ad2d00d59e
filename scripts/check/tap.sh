# SPDX-License-Identifier: GPL-2.0-only
#
# TAP aggregation for 'make check', sourced by scripts/check/run.  Each suite
# is a command printing TAP; its top-level "ok"/"not ok" lines are renumbered
# into one stream and prefixed with the suite's name, everything else is
# passed through as a "#" comment.  A suite that ends badly without a result
# line for it still counts as a failure, so a crash cannot pass as "nothing
# ran".

tap_n=0
tap_pass=0
tap_fail=0

# tap_result STATUS DESCRIPTION: STATUS is "ok" or "not ok".
tap_result() {
	tap_n=$((tap_n + 1))
	if [ "$1" = ok ]; then
		tap_pass=$((tap_pass + 1))
	else
		tap_fail=$((tap_fail + 1))
	fi
	echo "$1 $tap_n - $2"
}

# tap_suite NAME CMD...: run CMD and fold its TAP into ours.
tap_suite() {
	local name=$1 line status desc got=0 rc= start=$SECONDS
	shift
	echo "# --- $name: $*"
	while IFS= read -r line; do
		if [[ $line =~ ^(not\ ok|ok)\ +[0-9]+\ *-?\ *(.*)$ ]]; then
			status=${BASH_REMATCH[1]}
			desc=${BASH_REMATCH[2]}
			# "# SKIP" is not a pass: every test here must run.
			if [ "$status" = ok ] && [[ $desc =~ \#\ *SKIP ]]; then
				tap_result "not ok" "$name: $desc (skipped)"
			else
				tap_result "$status" "$name: $desc"
			fi
			got=$((got + 1))
		elif [[ $line =~ ^@@rc\ ([0-9]+)$ ]]; then
			rc=${BASH_REMATCH[1]}
		elif [[ $line =~ ^# ]]; then
			echo "$line"
		elif [ -n "$line" ]; then
			echo "# $line"
		fi
	done < <("$@" 2>&1; echo "@@rc $?")
	case $rc in
	124) tap_result "not ok" "$name: timed out" ;;
	125) tap_result "not ok" "$name: the guest crashed (build/vm/last/console.log)" ;;
	0) [ "$got" -gt 0 ] || tap_result "not ok" "$name: ran no test" ;;
	*) [ "$got" -gt 0 ] || tap_result "not ok" "$name: exited $rc without a result" ;;
	esac
	echo "# --- $name: $((SECONDS - start)) s"
}

# tap_summary: the plan and the closing line; status 1 if anything failed.
tap_summary() {
	echo "1..$tap_n"
	echo "$tap_pass passed, $tap_fail failed"
	[ "$tap_fail" -eq 0 ]
}
