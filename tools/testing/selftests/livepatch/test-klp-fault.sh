#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Failed allocations on the livepatch path.  For each step of a patch's
# life (patch load and enable, target module coming, target going, atomic
# replace, disable, unload), and for each kind of allocation (slab, then
# page; see run_pass), a first run of the step from its state before
# lists every allocation it makes, in order, with its stack (the function
# tracer on the allocator's fault-injection hook).  Then the step is run
# again from the same state once for each allocation on the livepatch path
# (a klp_* function on its stack: the core, our relocation code, the module
# loader's livepatch part), with that allocation failing
# (/proc/self/fail-nth); each run's own trace says which allocation failed.
# Each injected failure must end in either
#  - a refusal: -ENOMEM, at least one line in the log, the state from
#    before the step (no module, patch or relocation left behind: the
#    target's patched function answers as before), and the same step then
#    succeeding with no injection; or
#  - a step that succeeded all the same (the allocation had a fallback),
# with no WARNING, BUG, KASAN, UBSAN or lockdep report (but the stock
# core's one WARN when a target goes, which is counted; see STOCK_WARN).
# Failures outside the livepatch path (a run aimed at one may hit another)
# are held to the same rules, less the line in the log: the generic loader
# refuses some of them silently.  KLP_FAULT_ALL=1 fails every allocation
# of the step in turn instead (the generic loader's too; slow).  Prints
# TAP, one line per step and kind, and a table line per injected failure:
# "@@site STEP N ERRNO LINES SITE | FIRST LINE".  Needs
# CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, their
# debugfs and the function tracer (the klp-debug kernel).
#
# usage: [KLP_FAULT_MODULES=keys] KLP_FAIL_NTH=HELPER test-klp-fault.sh MODDIR [STEP...]
#   MODDIR holds test_modules/ built for the running kernel, HELPER is
#   klp_fail_nth (default: next to this script).  STEPs: the steps to run
#   (default: all).

MODS=$(cd "${1:?usage: test-klp-fault.sh MODDIR [STEP...]}" && pwd)
shift
FAILNTH=${KLP_FAIL_NTH:-$(dirname "$0")/klp_fail_nth}
# KLP_FAULT_MODULES=keys: test-klp-keys.sh's target and patch instead,
# whose jump entries and static call sites for the target's keys are
# linked when the target comes (Documentation/livepatch/
# module-static-keys.rst); for the steps that need no other module: load,
# load_target, coming, going, disable and unload.
case ${KLP_FAULT_MODULES:-reloc} in
keys)
	TARGET=test_klp_keys_target PATCH=test_klp_keys_mod
	PATCHED=2002 UNPATCHED=1002
	;;
*)
	TARGET=test_klp_reloc_target PATCH=test_klp_reloc_mod
	PATCHED=42207 UNPATCHED=1
	;;
esac
PATCH2=${PATCH}2
VMLINUX=test_klp_reloc_vmlinux
ANSWER=/sys/module/$TARGET/parameters/answer
LP=/sys/kernel/livepatch
DBG=/sys/kernel/debug

nr=0
failed=0
STATE=
ok() { nr=$((nr + 1)); echo "ok $nr - $*"; }
not_ok() { nr=$((nr + 1)); failed=$((failed + 1)); echo "not ok $nr - $*"; }

mountpoint -q $DBG || mount -t debugfs none $DBG
for f in failslab fail_page_alloc; do
	[[ -d $DBG/$f ]] || { echo "Bail out! no $DBG/$f: a kernel without fault injection"; exit 1; }
	echo N > $DBG/$f/ignore-gfp-wait
	# A stack with every injected failure, none rate-limited away.
	echo 2 > $DBG/$f/verbose
	echo 0 > $DBG/$f/verbose_ratelimit_interval_ms
done
echo N > $DBG/fail_page_alloc/ignore-gfp-highmem
echo 0 > $DBG/fail_page_alloc/min-order
# Allocation failure reports (stacks, memory summaries) stay in the log,
# where this script reads them, and off the console, where the runner
# would take a stack for a crash.  Reports at error level still reach it.
echo 4 > /proc/sys/kernel/printk
dmesg -C

# The kernel's log since the last call, cleared, with each line's level.
LOG=
take_log() { LOG=$(dmesg -c -x); }

answer() { cut -d' ' -f1 $ANSWER 2>/dev/null || echo none; }
loaded() { [[ -e /sys/module/$1 ]]; }
ins() { insmod "$MODS/$1.ko" 2>&1 && loop_sysfs "$1"; }
loop_until() {
	local i
	for ((i = 0; i < 300; i++)); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}
loop_sysfs() {
	[[ ! -e $LP/$1 ]] || loop_until "grep -q '^0$' $LP/$1/transition 2>/dev/null || [[ ! -e $LP/$1 ]]"
}
rm_mod() {
	loaded "$1" || return 0
	loop_until "[[ \$(cat /sys/module/$1/refcnt 2>/dev/null) == 0 ]] || ! loaded $1"
	rmmod "$1" 2>/dev/null
	loop_until "! loaded $1"
}
disable() {
	[[ -e $LP/$1 ]] || return 0
	loop_sysfs "$1"
	echo 0 > $LP/$1/enabled 2>/dev/null
	loop_until "[[ ! -e $LP/$1 ]]"
}
# Back to nothing loaded.
reset() {
	local p
	for p in $PATCH2 $PATCH $VMLINUX; do disable $p; done
	for p in $PATCH2 $PATCH $VMLINUX $TARGET; do rm_mod $p; done
}

# Each step: its state before (pre_STEP), the call (call_STEP, printing
# the helper's "INJECTED ERRNO"), what must hold after a refusal
# (same_STEP) and after success (done_STEP).  A predicate sets WHY.
WHY=
want() { eval "$1" || { WHY="$2"; return 1; }; }

pre_load() { :; }
call_load() { "$FAILNTH" "$1" insmod "$MODS/$PATCH.ko"; }
same_load() { want "! loaded $PATCH && [[ ! -e $LP/$PATCH ]]" "$PATCH left loaded"; }
done_load() {
	loop_sysfs $PATCH && ins $TARGET >/dev/null
	want "[[ \$(answer) == $PATCHED ]]" "target loaded after it answers $(answer)"
}

pre_load_target() { ins $TARGET >/dev/null; }
call_load_target() { call_load "$@"; }
same_load_target() {
	same_load && want "[[ \$(answer) == $UNPATCHED ]]" "target answers $(answer) after the refusal"
}
done_load_target() {
	loop_sysfs $PATCH
	want "[[ \$(answer) == $PATCHED ]]" "target answers $(answer)"
}

pre_vmlinux() { :; }
call_vmlinux() { "$FAILNTH" "$1" insmod "$MODS/$VMLINUX.ko"; }
same_vmlinux() {
	want "! loaded $VMLINUX && ! grep -q '^$VMLINUX:' /proc/cmdline" "$VMLINUX left behind"
}
done_vmlinux() {
	loop_sysfs $VMLINUX
	want "grep -q '^$VMLINUX: .* core_kernel_text=works' /proc/cmdline" "/proc/cmdline: $(cut -c1-80 /proc/cmdline)"
}

pre_coming() { ins $PATCH >/dev/null; }
call_coming() { "$FAILNTH" "$1" insmod "$MODS/$TARGET.ko"; }
same_coming() { want "! loaded $TARGET" "$TARGET left loaded"; }
undo_coming() { rm_mod $TARGET; }
done_coming() { want "[[ \$(answer) == $PATCHED ]]" "target answers $(answer)"; }

pre_going() { ins $PATCH >/dev/null && ins $TARGET >/dev/null; }
call_going() {
	loop_until "[[ \$(cat /sys/module/$TARGET/refcnt) == 0 ]]"
	"$FAILNTH" "$1" rmmod $TARGET
}
same_going() { want "[[ \$(answer) == $PATCHED ]]" "target answers $(answer)"; }
done_going() {
	loop_until "! loaded $TARGET" && ins $TARGET >/dev/null
	want "[[ \$(answer) == $PATCHED ]]" "target reloaded answers $(answer)"
}

# done_going loaded the target again: the state before the step.
undo_going() { :; }

pre_replace() { pre_going; }
call_replace() { "$FAILNTH" "$1" insmod "$MODS/$PATCH2.ko"; }
same_replace() {
	want "! loaded $PATCH2 && [[ -e $LP/$PATCH && \$(answer) == $PATCHED ]]" \
		"after the refusal: $PATCH2 $(loaded $PATCH2 && echo loaded), answer $(answer)"
}
done_replace() {
	loop_sysfs $PATCH2
	want "[[ ! -e $LP/$PATCH && \$(answer) == $PATCHED ]]" "after the replace: answer $(answer)"
}

pre_disable() { pre_going; }
call_disable() { "$FAILNTH" "$1" write $LP/$PATCH/enabled 0; }
same_disable() {
	want "[[ \$(cat $LP/$PATCH/enabled) == 1 && \$(answer) == $PATCHED ]]" \
		"after the refusal: enabled $(cat $LP/$PATCH/enabled), answer $(answer)"
}
done_disable() {
	loop_until "[[ ! -e $LP/$PATCH ]]"
	want "[[ \$(answer) == $UNPATCHED ]]" "disabled, the target answers $(answer)"
}

pre_unload() { pre_going && disable $PATCH; }
call_unload() { "$FAILNTH" "$1" rmmod $PATCH; }
same_unload() { want "loaded $PATCH && [[ \$(answer) == $UNPATCHED ]]" "answer $(answer)"; }
done_unload() {
	loop_until "! loaded $PATCH" && rm_mod $TARGET && ins $TARGET >/dev/null
	want "[[ \$(answer) == $UNPATCHED ]]" "unloaded, the target reloaded answers $(answer)"
}

# The allocation that failed, from the injection's stack: the first two
# callers that are not the allocator itself.
BORING='^(dump_stack|kmemleak_alloc[a-z_]*|slab_post_alloc_hook|dump_stack_lvl|should_fail|should_fail_ex|should_failslab|fail_dump|__should_failslab|slab_pre_alloc_hook|kmem_cache_alloc|kmem_cache_alloc_[a-z_]+|__kmem_cache_alloc_[a-z_]+|__kmalloc|__kmalloc_[a-z_]+|kmalloc_[a-z_]+|kmalloc|kzalloc|kcalloc|kmalloc_array|kmalloc_trace|kmalloc_order[a-z_]*|kmemdup|kmemdup_nul|kstrdup|kstrdup_const|kstrndup|kvasprintf|kvasprintf_const|kasprintf|kvmalloc_node|kvmalloc|kvzalloc|kvcalloc|kvmalloc_array|krealloc|__do_krealloc|should_fail_alloc_page|prepare_alloc_pages|__alloc_pages|alloc_pages|alloc_pages_[a-z_]*|__alloc_pages_[a-z_]*|__get_free_pages|get_zeroed_page|vm_area_alloc_pages|__vmalloc_area_node|__vmalloc_node_range|__vmalloc_node|__vmalloc|vmalloc|vzalloc|vmalloc_[a-z_]*|allocate_slab|new_slab|___slab_alloc|__slab_alloc[a-z_.]*|slab_alloc_node|alloc_slab_page|kmem_cache_alloc_lru|__kmem_cache_alloc_lru|module_alloc)$'
site() {
	awk -v boring="$BORING" '
		/FAULT_INJECTION: forcing a failure/ { on = 1; n = 0; next }
		on && /Call Trace:/ { st = 1; next }
		on && st && /: *(\[[^]]*\] *)? [A-Za-z_.0-9]+\+0x/ {
			f = $0; sub(/^.*: *(\[[^]]*\] *)?/, "", f); sub(/\+0x.*/, "", f)
			sub(/\.(constprop|isra|part|cold).*/, "", f)
			if (f ~ boring) next
			out = out (n ? "<" : "") f
			if (++n == 2) { print out; exit }
		}' <<< "$LOG"
}
# Did the injected failure's stack pass through the livepatch path?  Prints
# the first livepatch frame.
on_klp_path() {
	awk -v klp="$KLP_FRAME" '
		/FAULT_INJECTION: forcing a failure/ { on = 1; next }
		on && /: *(\[[^]]*\] *)? [A-Za-z_.0-9]+\+0x/ {
			f = $0; sub(/^.*: *(\[[^]]*\] *)?/, "", f); sub(/\+0x.*/, "", f)
			if (f ~ klp) { print f; hit = 1; exit }
		}
		END { exit !hit }' <<< "$LOG"
}
# 6.1's (and mainline's) klp_unpatch_func() cannot fail and WARNs when
# unregistering its ftrace_ops does: that needs a hash copy, which may not
# be allocated.  Not our code; counted and shown, not failed.
STOCK_WARN='WARNING: .* at kernel/livepatch/patch.c:[0-9]+ __klp_unpatch_object'

# The lines the kernel gave the user: the ones at error level, and the
# livepatch core's at warning level (it refuses a module that comes in two
# such lines, klp_module_coming()), less the allocator's reports of the
# injected failure (whose stack dumps are at warning level too).
messages() {
	grep -E '^[a-z]+ *:(err *: |warn *: .*\] livepatch: )' <<< "$LOG" | sed -E 's/^[^]]*\] //' |
		grep -vE '^(FAULT_INJECTION|vmalloc error|[a-z_]+: page allocation failure)'
}
reports() {
	grep -E 'WARNING:|BUG:|KASAN|UBSAN|Oops|general protection|possible (recursive|circular)|inconsistent lock|list_(add|del) corruption|refcount_t:' <<< "$LOG"
}

# Where the function tracer is.
TR=$DBG/tracing
[[ -e $TR/trace ]] || TR=/sys/kernel/tracing

# The livepatch path: a frame of the core, of our relocation code or of the
# loader's livepatch part.  Not the allocation checkers' own bookkeeping.
KLP_FRAME='^(klp_|__klp_|arch_klp_|check_klp_|copy_module_elf|free_module_elf|free_klp_relocs)'
CHECKER_FRAME='^(kmemleak_|create_object|stack_depot_|__stack_depot_|kasan_)'

# The tracer on the hook of one kind of allocation (should_fail_ex(), which
# counts toward fail-nth, is not traced), with each call's stack, for the
# whole of a step's runs: trace_on HOOK, then trace_list after each call.
trace_on() {
	echo 0 > $TR/tracing_on
	# A filter that does not take would trace every function.
	echo "$1" > $TR/set_ftrace_filter &&
		[[ $(grep -c . $TR/set_ftrace_filter) == 1 ]] ||
		{ echo > $TR/set_ftrace_filter; return 1; }
	echo function > $TR/current_tracer
	echo 1 > $TR/options/func_stack_trace
	echo > $TR/trace
	echo 1 > $TR/tracing_on
}
trace_off() {
	echo 0 > $TR/tracing_on
	echo 0 > $TR/options/func_stack_trace
	echo nop > $TR/current_tracer
	echo > $TR/set_ftrace_filter
	echo > $TR/trace
}
# trace_list: one line per allocation the helper's call made since the
# trace was last cleared, in order, "N KLP SIG VIA", and clears it.  KLP is
# 1 when on the livepatch path, 0 when not, - for the checkers' own; SIG is
# the call's first twelve callers, which tell one allocation from another
# wherever the count moves; VIA the first livepatch frame, or -.
trace_list() {
	awk -v klp="$KLP_FRAME" -v chk="$CHECKER_FRAME" '
		function flush() { if (n) print n, (c ? "-" : k), sig, (via == "" ? "-" : via) }
		/klp_fail_nth: armed/ { armed = 1; next }
		/klp_fail_nth: done/ { armed = 0; on = 0; next }
		armed && /^ *klp_fail_nth-[0-9]+ .* (__should_failslab|should_fail_alloc_page) / {
			flush(); n++; k = 0; c = 0; on = 1; d = 0; sig = $NF; via = ""; next }
		/<stack trace>/ { next }
		/^ *[^ =].*-[0-9]+ +\[/ { on = 0; next }
		on && /^ => / { f = $2; sub(/\.(constprop|isra|part|cold).*/, "", f)
			if (f ~ chk) c = 1
			if (f ~ klp && !k) { k = 1; via = f }
			# A trampoline has no name, and may move.
			if (f ~ /^0x/) f = "?"
			if (++d <= 12) sig = sig "<" f }
		END { flush() }' $TR/trace
	echo > $TR/trace
}

# allocations STEP: trace_list of the step from its state before, with
# nothing failing.
allocations() {
	local s=$1
	reset; take_log
	pre_$s; take_log
	echo > $TR/trace
	KLP_FAIL_NTH_MARK=$TR/trace_marker call_$s 0 > /dev/null
	trace_list
	take_log
}

# retarget REF TRACED N WANT: WANT is an allocation of the list REF (its
# line number), N the one the last run failed, whose own list is TRACED.
# Prints "hit" if that was WANT, else the N to try next: where WANT came in
# that run, or, if it did not come by N, as far past the last allocation
# before N that the two lists share as WANT is in REF.  (Past N, the run
# was another one: N failed.)  An allocation is its
# SIG and which of that SIG's calls it was.
retarget() {
	awk -v n="$3" -v want="$4" '
		{ key = $3 "#" (++seen[FILENAME, $3]) }
		FILENAME == ARGV[1] { ref[key] = FNR; if (FNR == want) wkey = key; next }
		FNR > n { next }
		key == wkey { if (FNR == n) { print "hit"; done = 1; exit } at = FNR; next }
		(key in ref) && ref[key] < want { last = FNR; lref = ref[key] }
		END {
			if (done) exit
			if (at) { print at; exit }
			print (last ? last + want - lref : want) + 0
		}' "$1" "$2"
}

# inject STEP N: the step from its state before, its Nth allocation
# failing.  Sets INJ, ERR, SITE, KLP_HIT (the failure's first livepatch
# frame), MSGS and BAD (1 when the outcome breaks a rule, with the reason
# printed).
inject() {
	local s=$1 n=$2 out rep m
	# Back to the state before the step: the short way where the step
	# has an undo and it succeeded last time.
	if [[ $STATE == "done $s" ]] && declare -F undo_$s > /dev/null; then
		undo_$s
	else
		reset; pre_$s
	fi
	take_log
	STATE=
	echo > $TR/trace
	out=$(KLP_FAIL_NTH_MARK=$TR/trace_marker call_$s "$n")
	read -r INJ ERR <<< "$out"
	trace_list > "$TRACED"
	take_log
	BAD=0 WHY=
	SITE=$(site)
	m=$(messages)
	MSGS=$(grep -c . <<< "$m")
	KLP_HIT=$(on_klp_path)
	# The tracer saw the failed allocation's stack even where the
	# allocation asked for no warning, and so printed none.
	[[ -n $KLP_HIT || $INJ != 1 ]] ||
		KLP_HIT=$(awk -v n="$n" '$1 == n && $2 == 1 { print "(traced)" }' "$TRACED")
	echo "@@site $s $n $ERR $MSGS ${SITE:-?}<${KLP_HIT:--} | $(head -1 <<< "$m")"
	rep=$(reports)
	if [[ -n $rep ]] && grep -qE "$STOCK_WARN" <<< "$rep" && [[ $(grep -c . <<< "$rep") == 1 ]]; then
		STOCK=$((STOCK + 1))
		echo "# $s N=$n: the stock core's WARN on a failed allocation: $(sed 's/^.*WARNING: //' <<< "$rep")"
		done_$s && STATE="done $s"
	elif [[ -n $rep ]]; then
		BAD=1; echo "# $s N=$n: $rep"
	elif [[ $ERR == 0 ]]; then
		# Not injected, or absorbed: the step is done either way.
		if done_$s; then STATE="done $s"
		else BAD=1; echo "# $s N=$n: succeeded, but $WHY"; fi
	elif [[ $INJ != 1 ]]; then
		BAD=1; echo "# $s N=$n: failed with errno $ERR, no failure injected"
	elif [[ $ERR != 12 ]]; then
		BAD=1; echo "# $s N=$n: errno $ERR, not ENOMEM"
	elif ((MSGS == 0)) && [[ -n $KLP_HIT ]]; then
		BAD=1; echo "# $s N=$n: refused without a word"
	elif ! same_$s; then
		BAD=1; echo "# $s N=$n: refused, but $WHY"
	else
		# The same step, with nothing failing, from where the refusal
		# left things.
		out=$(call_$s 0); read -r INJ ERR <<< "$out"
		take_log; INJ=1
		if [[ $ERR == 0 ]] && done_$s; then STATE="done $s"
		else BAD=1; echo "# $s N=$n: the retry: errno $ERR; $WHY"; fi
		ERR=12
	fi
}

# run_pass STEP KIND: each allocation of KIND (slab or page) on the
# livepatch path (each of all with KLP_FAULT_ALL=1) fails in turn.  The
# other kind's allocations do not count toward fail-nth meanwhile (the page
# allocator's below an order of 11, failslab's outside the caches marked
# for it, which none is).  The Nth allocation still moves from one run to
# the next: the first run after a reset makes more (caches are cold), and
# later ones now and then one or two more (a new radix tree node for the
# next kernfs inode number, vmalloc's preload), more so for pages (a slab
# takes a new page one time and not the next).  So each allocation is
# aimed at up to ten times, each run's own trace saying which one failed
# and where the wanted one came; a slab allocation on the livepatch path
# that is never hit fails the pass, a page allocation is counted.
run_pass() {
	local s=$1 kind=$2 n want total klp chk bad=0 refused=0 absorbed=0 tried=0 missed=0 hit t next cur hook
	local -A seen
	STOCK=0
	if [[ $kind == slab ]]; then
		echo 11 > $DBG/fail_page_alloc/min-order
		echo N > $DBG/failslab/cache-filter
		hook=__should_failslab
	else
		echo 0 > $DBG/fail_page_alloc/min-order
		# No cache is marked SLAB_FAILSLAB.
		echo Y > $DBG/failslab/cache-filter
		hook=should_fail_alloc_page
	fi
	if ! trace_on $hook; then
		not_ok "$s: the tracer cannot watch $hook"
		return
	fi
	REF=$TMP/ref.$s.$kind TRACED=$TMP/traced
	allocations "$s" > "$REF"
	total=$(grep -c . "$REF")
	klp=$(awk '$2 == 1' "$REF" | wc -l)
	chk=$(awk '$2 == "-"' "$REF" | wc -l)
	echo "# $s, $kind: $total allocations: $klp on the livepatch path, $chk the checkers' own"
	if [[ ${KLP_FAULT_ALL:-0} == 1 ]]; then
		want=$(awk '$2 != "-" { print $1 }' "$REF")
	else
		want=$(awk '$2 == 1 { print $1 }' "$REF")
	fi
	# Every step allocates slab memory: none seen is a tracer that did
	# not watch.  A step may well take no page (the keys target going:
	# its relocations are cleared and the patch's entries unlinked in
	# place); a page tracer that does not watch shows in the steps that
	# do take pages (a target coming).
	if ((total == 0)) && [[ $kind == slab ]]; then
		bad=1
		echo "# $s: the tracer saw no allocation"
	fi
	for n in $want; do
		tried=$((tried + 1)) hit=0 seen=() next=$n
		for ((t = 0; t < 10; t++)); do
			((next > 0)) || next=1
			((${seen[$next]:-0} < 3)) || next=$((next + 1))
			seen[$next]=$((${seen[$next]:-0} + 1))
			cur=$next
			inject "$s" "$cur"
			((BAD)) && { bad=1; hit=1; break; }
			next=$(retarget "$REF" "$TRACED" "$cur" "$n")
			# Where it moves back and forth from one run to the
			# next (a vmap area reused every other time), aiming
			# at the same N again meets it.
			[[ $next == hit || -z ${seen[$next]} || ${seen[$cur]} -ge 3 ]] ||
				next=$cur
			[[ $next == hit ]] || continue
			hit=1
			if [[ $ERR == 0 ]]; then absorbed=$((absorbed + 1)); else refused=$((refused + 1)); fi
			break
		done
		((hit)) || {
			missed=$((missed + 1))
			echo "# $s, $kind: allocation $n (via $(awk -v n="$n" '$1 == n { print $4 }' "$REF")) not reached again"
		}
	done
	trace_off
	reset; take_log
	[[ $kind == page ]] || ((missed == 0)) || bad=1
	if ((bad == 0)); then
		ok "$s, $kind allocations: $tried of $total failed in turn ($klp on the livepatch path): $refused clean -ENOMEM refusals, each retried with success; $absorbed absorbed; $missed not reached; $STOCK stock-core WARNs"
	else
		not_ok "$s, $kind allocations: $tried of $total failed in turn: $refused clean refusals, $absorbed absorbed, $missed not reached, then a failure"
	fi
}

run_step() {
	run_pass "$1" slab
	run_pass "$1" page
	echo 0 > $DBG/fail_page_alloc/min-order
	echo N > $DBG/failslab/cache-filter
}

TMP=$(mktemp -d)
echo "TAP version 13"
reset; take_log
for s in ${*:-vmlinux load load_target coming going replace disable unload}; do
	run_step "$s"
done
echo "1..$nr"
