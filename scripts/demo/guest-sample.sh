#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the guest for 'make run': the upstream livepatch sample at
# work, step by step, for a newcomer.  Exits non-zero at the first step that
# does not behave.
set -u
sysfs=/sys/kernel/livepatch/livepatch_sample
fail() { echo "  FAILED: $*"; exit 1; }

# wait_for COND: up to 15 s for a shell condition to hold.
wait_for() {
	local i
	for i in $(seq 150); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}

before=$(cat /proc/cmdline)
echo "  1. /proc/cmdline before the patch:"
echo "       $before"

echo "  2. modprobe livepatch-sample (replaces cmdline_proc_show)"
modprobe livepatch-sample || fail "modprobe livepatch-sample"
wait_for "[ \"\$(cat $sysfs/transition 2>/dev/null)\" = 0 ]" ||
	fail "the patch did not finish its transition"
after=$(cat /proc/cmdline)
echo "     /proc/cmdline now:"
echo "       $after"
[ "$after" != "$before" ] || fail "/proc/cmdline did not change"

echo "  3. echo 0 > $sysfs/enabled (the patch is reverted)"
echo 0 > $sysfs/enabled || fail "disable"
wait_for "[ ! -e $sysfs ]" || fail "the patch did not go away"
reverted=$(cat /proc/cmdline)
echo "     /proc/cmdline now:"
echo "       $reverted"
[ "$reverted" = "$before" ] || fail "/proc/cmdline is not back to what it was"

echo "  4. rmmod livepatch-sample"
rmmod livepatch-sample || fail "rmmod"
grep -q '^livepatch_sample ' /proc/modules && fail "module still loaded"
echo "  All steps behaved."
