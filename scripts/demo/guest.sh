#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the guest for 'make run' with the samples in /root: livepatches
# that need klp relocations, at work, step by step.  Exits non-zero at the
# first step that does not behave.
set -u
lp=/sys/kernel/livepatch
value=/sys/kernel/livepatch_klp_mod/value
fail() { echo "     FAILED: $*"; dmesg | tail -5 | sed 's/^/     dmesg: /'; exit 1; }

# wait_for COND: up to 15 s for a shell condition to hold.
wait_for() {
	local i
	for i in $(seq 150); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}
settled() { wait_for "[ \"\$(cat $lp/$1/transition 2>/dev/null)\" = 0 ]"; }
say() { echo; echo "  $*"; }

say "1. A patch for vmlinux that calls nr_processes() and reads total_forks and"
echo "     saved_command_line, none of which vmlinux exports."
before=$(cat /proc/cmdline)
echo "     /proc/cmdline before:  $before"
insmod livepatch-klp-sample.ko || fail "insmod livepatch-klp-sample.ko"
settled livepatch_klp_sample || fail "the patch did not settle"
after=$(cat /proc/cmdline)
echo "     /proc/cmdline after:   $after"
[[ $after == "$before [klp-sample: processes "[1-9]*", forks "[1-9]*"]" ]] ||
	fail "/proc/cmdline does not show the patched text"

say "2. A patch for a module that is not loaded yet (it uses the module's static"
echo "     klp_mod_word() and klp_mod_counter)."
insmod livepatch-klp-modpatch.ko || fail "insmod livepatch-klp-modpatch.ko"
settled livepatch_klp_modpatch || fail "the patch did not settle"
echo "     now the target module comes:  insmod livepatch-klp-mod.ko"
insmod livepatch-klp-mod.ko || fail "insmod livepatch-klp-mod.ko"
v=$(cat $value)
echo "     $value:  $v"
[[ $v == "patched "[0-9]* ]] || fail "the target is not patched"

say "3. The target unloaded and loaded again, three times, with the patch enabled."
for i in 1 2 3; do
	rmmod livepatch_klp_mod || fail "rmmod, cycle $i"
	insmod livepatch-klp-mod.ko || fail "insmod, cycle $i"
	v=$(cat $value)
	echo "     cycle $i: $v"
	[[ $v == "patched "[0-9]* ]] || fail "cycle $i: the target is not patched"
done

say "4. Both patches disabled and removed: the old behaviour is back."
for p in livepatch_klp_modpatch livepatch_klp_sample; do
	echo 0 > $lp/$p/enabled || fail "disable $p"
	wait_for "[ ! -e $lp/$p ]" || fail "$p did not go away"
	rmmod $p || fail "rmmod $p"
done
v=$(cat $value)
echo "     $value:  $v"
[[ $v == "unpatched "[0-9]* ]] || fail "the target still looks patched"
[ "$(cat /proc/cmdline)" = "$before" ] || fail "/proc/cmdline is not back"
echo "     /proc/cmdline:  $(cat /proc/cmdline)"
echo
echo "  All steps behaved."
