#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# test-klp-fuzz.sh DIR FIRST: load the mutated patch modules
# DIR/m-<r>.ko listed in DIR/manifest ("r INPUT MUTATIONS"), from round
# FIRST on, and take each one that loads through its life: enable, run its
# code, its target module coming, going and coming again, disable, unload.
# Prints, before each step, "@@step r STEP" (so that after a crash the last
# one says which round and step was running; "code" is the mutant's own
# code), and "@@round r" on the console as a round starts; after each round
#   @@result r OUTCOME WHERE NLINES MESSAGE
# OUTCOME is refused (WHERE is the step), loaded, or report (the kernel
# logged an oops, WARN, KASAN, UBSAN or lockdep report; MESSAGE is its
# first line).  NLINES counts the kernel's lines for the round; each one
# of level warning or worse follows as "@@said r LEVEL LINE" (twenty at
# most).  After each round whose number is a multiple of BATCH (default
# 100) less one, and at the end, a good patch must still load and work:
# "@@good r yes" or "@@good r no"; then kmemleak, where the kernel has it
# (it says "@@kmemleak" first), scans, and each line of its reports
# follows as "@@leak r LINE".
# First, /proc/kallsyms between "@@kallsyms" and "@@end" lines, and
# /proc/meminfo between "@@meminfo" and "@@end", for klp-check on the host.  DIR is read where the host has it.
#
# Under TCG, on a kernel with KASAN and lockdep, each program started costs
# about 0.2 s, ten times a refused load: a round starts none but insmod,
# rmmod and dmesg, and does the rest with the shell's builtins.
dir=${1:?usage: test-klp-fuzz.sh DIR FIRST [BATCH]}
first=${2:-0}
batch=${3:-100}
mods=$dir/mods
LP=/sys/kernel/livepatch
TARGET=test_klp_reloc_target
REPORT='BUG:|WARNING:|Oops|KASAN|UBSAN|kmemleak|possible circular|lockdep|general protection|Call Trace'
KMEMLEAK=/sys/kernel/debug/kmemleak
tmp=$(mktemp -d)

# Warnings and worse reach the console (the host's copy of it): a report
# printed just before the guest dies is recorded, not lost with the dmesg
# buffer.  Below that, notices and info would cost serial output.
dmesg -n 5
echo @@kallsyms
cat /proc/kallsyms
echo @@end
echo @@meminfo
cat /proc/meminfo
echo @@end
# What boot left unreferenced, or said, is not the rounds'.
[ ! -w $KMEMLEAK ] || { echo scan > $KMEMLEAK; echo clear > $KMEMLEAK; echo @@kmemleak; }
dmesg -C

# A read that times out is a sleep without a program.
mkfifo "$tmp/never"
exec 9<> "$tmp/never"
nap() {
	read -r -t "$1" -u 9
}

# modules NAME: the array NAME gets the loaded modules' names
modules() {
	local -n mods_list_=$1
	local m _

	mods_list_=()
	while read -r m _; do
		mods_list_+=("$m")
	done < /proc/modules
}

# patches NAME: the array NAME gets the livepatches' names
patches() {
	local -n lps_list_=$1
	local p

	lps_list_=()
	for p in "$LP"/*; do
		[ -e "$p" ] && lps_list_+=("${p##*/}")
	done
}

# new NOW BEFORE: the names in array NOW that are not in array BEFORE,
# first one first, in the array "added"
new() {
	local -n new_now_=$1 new_was_=$2
	local -A old=()
	local x

	added=()
	for x in "${new_was_[@]}"; do
		old[$x]=1
	done
	for x in "${new_now_[@]}"; do
		[ -n "${old[$x]}" ] || added+=("$x")
	done
}

modules start_mods
patches start_lps

step() {
	echo "@@step $r $1"
	# The console too is told where a round starts: after a crash the
	# host reads there what the kernel said in the round that died.
	[ "$1" != load ] || echo "@@round $r" > /dev/console
}

# wait_for CMD: up to 10 s
wait_for() {
	local i

	for ((i = 0; i < 100; i++)); do
		eval "$1" && return 0
		nap .1
	done
	return 1
}

# done_with NAME: the patch's transition is over
done_with() {
	local v=0

	[ -e "$LP/$1/transition" ] && read -r v < "$LP/$1/transition" 2>/dev/null
	[ "$v" = 0 ]
}

# settle NAME: the patch's transition is over
settle() {
	wait_for "done_with $1"
}

# call FILE: read it (its show function is the code under test)
call() {
	read -r -d '' _ < "$1"
} 2>/dev/null

# target_cycle: the target comes, runs, goes, comes again, runs, goes;
# target_refused=1 if it did not come
target_cycle() {
	local k

	target_refused=0
	for k in 1 2; do
		step target-coming
		insmod "$mods/$TARGET.ko" 2>/dev/null || { target_refused=1; return; }
		step code
		call /sys/module/$TARGET/parameters/answer
		step target-going
		rmmod $TARGET
	done
}

# cleanup: whatever a round left, in the order it must go
cleanup() {
	local m k now

	patches now
	new now start_lps
	for m in "${added[@]}"; do
		echo 0 > $LP/"$m"/enabled 2>/dev/null
		wait_for "[ ! -e $LP/$m ]"
	done
	for k in 1 2; do
		modules now
		new now start_mods
		for m in "${added[@]}"; do
			rmmod "$m" 2>/dev/null
		done
	done
}

# good_patch AFTER: a good patch loads, works, and goes again.
good_patch() {
	local good=no cmdline=

	r=$1
	step good
	insmod "$mods/test_klp_reloc_vmlinux.ko" &&
		settle test_klp_reloc_vmlinux &&
		read -r cmdline < /proc/cmdline &&
		[[ $cmdline == *core_kernel_text=works* ]] &&
		echo 0 > $LP/test_klp_reloc_vmlinux/enabled &&
		wait_for "[ ! -e $LP/test_klp_reloc_vmlinux ]" &&
		rmmod test_klp_reloc_vmlinux && good=yes
	[ $good = yes ] || dmesg | tail -20 | sed 's/^/@@dmesg /'
	cleanup
	dmesg -C
	echo "@@good $1 $good"
	leak_scan "$1"
}

# leak_scan AFTER: what kmemleak finds unreferenced since the last scan
leak_scan() {
	local line

	[ -w $KMEMLEAK ] || return
	echo scan > $KMEMLEAK
	while IFS= read -r line; do
		echo "@@leak $1 $line"
	done < $KMEMLEAK
	echo clear > $KMEMLEAK
}

# report: the kernel's lines since the last one, as @@result and @@said
report() {
	local line level text said=() bad= n=0 ns=0

	dmesg -x -c > "$tmp/said"
	while IFS= read -r line; do
		n=$((n + 1))
		if [[ $line =~ ^[a-z]+\ *:([a-z]+)\ *:\ \[[\ 0-9.]*\]\ (.*)$ ]]; then
			level=${BASH_REMATCH[1]}
			text=${BASH_REMATCH[2]}
		else
			level=${line%% *}
			text=${line#* }
		fi
		[ $n = 1 ] && msg=$text
		[ -z "$bad" ] && [[ "$level $text" =~ $REPORT ]] && bad=$text
		case $level in
		emerg|alert|crit|err|warn)
			[ $ns -lt 20 ] && said+=("@@said $r $level $text")
			ns=$((ns + 1))
			;;
		esac
	done < "$tmp/said"
	if [ -n "$bad" ]; then
		outcome=report
		msg=$bad
	fi
	echo "@@result $r $outcome $where $n ${msg:-${err:--}}"
	for line in "${said[@]}"; do
		echo "$line"
	done
}

while read -r r input what; do
	[ "$r" -ge "$first" ] || continue
	patches before
	modules mods_before
	outcome=loaded
	where=-
	msg=
	err=
	step load
	printf -v m %06d "$r"
	if ! insmod "$dir/m-$m.ko" 2> "$tmp/err"; then
		read -r err < "$tmp/err"
		outcome=refused
		where=load
	else
		patches now
		new now before
		name=${added[0]}
		modules now
		new now mods_before
		mod=${added[0]}
		if [ -n "$name" ]; then
			step enable
			settle "$name"
			step code
			call /proc/cmdline
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
	report
	[ $(((r + 1) % batch)) != 0 ] || good_patch "$r"
done < "$dir/manifest"

# A good patch still loads and works at the end.
good_patch good
rm -rf "$tmp"
