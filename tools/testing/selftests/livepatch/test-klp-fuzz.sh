#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# test-klp-fuzz.sh DIR FIRST: load the mutated patch modules
# DIR/m-<r>.ko listed in DIR/manifest ("r INPUT MUTATIONS"), from round
# FIRST on, and take each one that loads through its life: enable, run its
# code, its target module coming, going and coming again, disable, unload.
# Prints, before each step, "@@step r STEP" (so that after a crash the last
# one says which round and step was running; "code" is the mutant's own
# code), and after each round
#   @@result r OUTCOME WHERE NLINES MESSAGE
# OUTCOME is refused (WHERE is the step), loaded, or report (the kernel
# logged an oops, WARN, KASAN, UBSAN or lockdep report; MESSAGE is its
# first line).  NLINES counts the kernel's lines for the round; each one
# of level warning or worse follows as "@@said r LEVEL LINE" (twenty at
# most).  After each round whose number is a multiple of BATCH (default
# 100) less one, and at the end, a good patch must still load and work:
# "@@good r yes" or "@@good r no".
# First, /proc/kallsyms between "@@kallsyms" and "@@end" lines, for
# klp-check on the host.  DIR is read where the host has it.
dir=${1:?usage: test-klp-fuzz.sh DIR FIRST [BATCH]}
first=${2:-0}
batch=${3:-100}
mods=$dir/mods
LP=/sys/kernel/livepatch
TARGET=test_klp_reloc_target
REPORT='BUG:|WARNING:|Oops|KASAN|UBSAN|kmemleak|possible circular|lockdep|general protection|Call Trace'

dmesg -n 1
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
echo @@kallsyms
cat /proc/kallsyms
echo @@end
start_mods=$(cut -d' ' -f1 /proc/modules | sort)
start_lps=$(ls $LP)

step() {
	echo "@@step $r $1"
}

# wait_for CMD: up to 10 s
wait_for() {
	local i

	for ((i = 0; i < 100; i++)); do
		eval "$1" && return 0
		sleep .1
	done
	return 1
}

# settle NAME: the patch's transition is over
settle() {
	wait_for "[ ! -e $LP/$1/transition ] || grep -q '^0$' $LP/$1/transition"
}

# target_cycle: the target comes, runs, goes, comes again, runs, goes;
# target_refused=1 if it did not come
target_cycle() {
	local k

	target_refused=0
	for k in 1 2; do
		step target-coming
		insmod "$mods/$TARGET.ko" 2>/dev/null || { target_refused=1; return; }
		step code
		cat /sys/module/$TARGET/parameters/answer > /dev/null 2>&1
		step target-going
		rmmod $TARGET
	done
}

# cleanup: whatever a round left, in the order it must go
cleanup() {
	local m k

	for m in $(comm -13 <(echo "$start_lps") <(ls $LP)); do
		echo 0 > $LP/"$m"/enabled 2>/dev/null
		wait_for "[ ! -e $LP/$m ]"
	done
	for k in 1 2; do
		for m in $(comm -13 <(echo "$start_mods") <(cut -d' ' -f1 /proc/modules | sort)); do
			rmmod "$m" 2>/dev/null
		done
	done
}

# good_patch AFTER: a good patch loads, works, and goes again.
good_patch() {
	local good=no

	r=$1
	step good
	insmod "$mods/test_klp_reloc_vmlinux.ko" &&
		settle test_klp_reloc_vmlinux &&
		grep -q "core_kernel_text=works" /proc/cmdline &&
		echo 0 > $LP/test_klp_reloc_vmlinux/enabled &&
		wait_for "[ ! -e $LP/test_klp_reloc_vmlinux ]" &&
		rmmod test_klp_reloc_vmlinux && good=yes
	[ $good = yes ] || dmesg | tail -20 | sed 's/^/@@dmesg /'
	cleanup
	echo "@@good $1 $good"
}

while read -r r input what; do
	[ "$r" -ge "$first" ] || continue
	mark=$(dmesg -x | wc -l)
	before=$(ls $LP)
	mods_before=$(cut -d' ' -f1 /proc/modules | sort)
	outcome=loaded
	where=-
	step load
	if ! err=$(insmod "$dir/m-$(printf %06d "$r").ko" 2>&1); then
		outcome=refused
		where=load
	else
		name=$(comm -13 <(echo "$before") <(ls $LP) | head -1)
		mod=$(comm -13 <(echo "$mods_before") <(cut -d' ' -f1 /proc/modules | sort) | head -1)
		if [ -n "$name" ]; then
			step enable
			settle "$name"
			step code
			cat /proc/cmdline > /dev/null
			if [ "$input" != test_klp_reloc_vmlinux.ko ]; then
				target_cycle
				if [ $target_refused = 1 ]; then
					outcome=refused
					where=target-coming
				fi
			fi
			step disable
			echo 0 > $LP/"$name"/enabled 2>/dev/null
			wait_for "[ ! -e $LP/$name ]"
		fi
		step unload
		[ -z "$mod" ] || rmmod "$mod" 2>/dev/null
	fi
	cleanup
	said=$(dmesg -x | tail -n +$((mark + 1)) | sed 's/^\([a-z]*\) *:\([a-z]*\) *: \[[ 0-9.]*\] /\2 /')
	bad=$(grep -E -m1 "$REPORT" <<< "$said" | cut -d' ' -f2-)
	if [ -n "$bad" ]; then
		outcome=report
		msg=$bad
	else
		msg=$(head -1 <<< "$said" | cut -d' ' -f2-)
	fi
	[ -n "$said" ] && n=$(wc -l <<< "$said") || n=0
	echo "@@result $r $outcome $where $n ${msg:-${err:--}}"
	grep -E '^(emerg|alert|crit|err|warn) ' <<< "$said" | head -20 | sed "s/^/@@said $r /"
	[ $(((r + 1) % batch)) != 0 ] || good_patch "$r"
done < "$dir/manifest"

# A good patch still loads and works at the end.
good_patch good
