#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Failed allocations on the livepatch path.  For each step of a patch's
# life (patch load and enable, target module coming, target going, atomic
# replace, disable, unload), a first run of the step from its state before
# lists every allocation it makes, in order, with its stack (the function
# tracer on the slab and page allocators' fault-injection hooks).  Then the step is run again from the same
# state once for each allocation on the livepatch path (a klp_* function on
# its stack: the core, our relocation code, the module loader's livepatch
# part), with that allocation failing (/proc/self/fail-nth).  Each
# injected failure must end in either
#  - a refusal: -ENOMEM, at least one line in the log, the state from
#    before the step (no module, patch or relocation left behind: the
#    target's patched function answers as before), and the same step then
#    succeeding with no injection; or
#  - a step that succeeded all the same (the allocation had a fallback),
# with no WARNING, BUG, KASAN, UBSAN or lockdep report (but the stock
# core's one WARN when a target goes, which is counted; see STOCK_WARN).
# Failures the stack shows outside the livepatch path (the search for the
# Nth allocation hits them too) are held to the same rules, less the
# line in the log: the generic loader refuses some of them silently.  KLP_FAULT_ALL=1
# fails every allocation of the step in turn instead (the generic loader's
# too; slow).  Prints TAP, one line per step, and a table line per
# injected failure: "@@site STEP N ERRNO LINES SITE | FIRST LINE".  Needs
# CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, their
# debugfs and the function tracer (the klp-debug kernel).
#
# usage: KLP_FAIL_NTH=HELPER test-klp-fault.sh MODDIR [STEP...]
#   MODDIR holds test_modules/ built for the running kernel, HELPER is
#   klp_fail_nth (default: next to this script).  STEPs: the steps to run
#   (default: all).

MODS=$(cd "${1:?usage: test-klp-fault.sh MODDIR [STEP...]}" && pwd)
shift
FAILNTH=${KLP_FAIL_NTH:-$(dirname "$0")/klp_fail_nth}
TARGET=test_klp_reloc_target
PATCH=test_klp_reloc_mod
PATCH2=${PATCH}2
VMLINUX=test_klp_reloc_vmlinux
ANSWER=/sys/module/$TARGET/parameters/answer
LP=/sys/kernel/livepatch
PATCHED=42207
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
	same_load && want "[[ \$(answer) == 1 ]]" "target answers $(answer) after the refusal"
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
	want "[[ \$(answer) == 1 ]]" "disabled, the target answers $(answer)"
}

pre_unload() { pre_going && disable $PATCH; }
call_unload() { "$FAILNTH" "$1" rmmod $PATCH; }
same_unload() { want "loaded $PATCH && [[ \$(answer) == 1 ]]" "answer $(answer)"; }
done_unload() {
	loop_until "! loaded $PATCH" && rm_mod $TARGET && ins $TARGET >/dev/null
	want "[[ \$(answer) == 1 ]]" "unloaded, the target reloaded answers $(answer)"
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

# The lines the kernel gave the user: the ones at error level, less the
# allocator's reports of the injected failure.
messages() {
	grep -E '^[a-z]+ *:err *: ' <<< "$LOG" | sed -E 's/^[^]]*\] //' |
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

# allocations STEP: one line per allocation the step makes from its state
# before, in order: "N KLP" (KLP 1 when on the livepatch path, 0 when not,
# - for the checkers' own), from the function tracer's stacks of the two
# hooks that count toward fail-nth (should_fail_ex() itself is not traced).
allocations() {
	local s=$1
	reset; take_log
	pre_$s; take_log
	echo 0 > $TR/tracing_on
	# A filter that does not take would trace every function.
	echo '__should_failslab should_fail_alloc_page' > $TR/set_ftrace_filter &&
		[[ $(grep -c . $TR/set_ftrace_filter) == 2 ]] ||
		{ echo "# $s: cannot trace the allocation hooks"; echo > $TR/set_ftrace_filter; return; }
	echo function > $TR/current_tracer
	echo 1 > $TR/options/func_stack_trace
	echo > $TR/trace
	echo 1 > $TR/tracing_on
	KLP_FAIL_NTH_MARK=$TR/trace_marker call_$s 0 > /dev/null
	echo 0 > $TR/tracing_on
	awk -v klp="$KLP_FRAME" -v chk="$CHECKER_FRAME" '
		function flush() { if (n) print n, (c ? "-" : k) }
		/klp_fail_nth: armed/ { armed = 1; next }
		/klp_fail_nth: done/ { armed = 0; on = 0; next }
		armed && /^ *klp_fail_nth-[0-9]+ .* (__should_failslab|should_fail_alloc_page) / { flush(); n++; k = 0; c = 0; on = 1; next }
		/<stack trace>/ { next }
		/^ *[^ =].*-[0-9]+ +\[/ { on = 0; next }
		on && /^ => / { f = $2; sub(/\.(constprop|isra|part|cold).*/, "", f)
			if (f ~ chk) c = 1; if (f ~ klp) k = 1 }
		END { flush() }' $TR/trace
	echo 0 > $TR/options/func_stack_trace
	echo nop > $TR/current_tracer
	echo > $TR/set_ftrace_filter
	echo > $TR/trace
	take_log
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
	out=$(call_$s "$n")
	read -r INJ ERR <<< "$out"
	take_log
	BAD=0 WHY=
	SITE=$(site)
	m=$(messages)
	MSGS=$(grep -c . <<< "$m")
	KLP_HIT=$(on_klp_path)
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

# run_step STEP: each allocation on the livepatch path (each of all with
# KLP_FAULT_ALL=1) fails in turn.
run_step() {
	local s=$1 list n want total klp chk bad=0 refused=0 absorbed=0 tried=0 missed=0 d hit
	STOCK=0
	list=$(allocations "$s")
	total=$(grep -c . <<< "$list")
	klp=$(awk '$2 == 1' <<< "$list" | wc -l)
	chk=$(awk '$2 == "-"' <<< "$list" | wc -l)
	echo "# $s: $total allocations: $klp on the livepatch path, $chk the checkers' own"
	if [[ ${KLP_FAULT_ALL:-0} == 1 ]]; then
		want=$(awk '$2 != "-" { print $1 }' <<< "$list")
	else
		want=$(awk '$2 == 1 { print $1 }' <<< "$list")
	fi
	((total > 0)) || { bad=1; echo "# $s: the tracer saw no allocation"; }
	for n in $want; do
		tried=$((tried + 1)) hit=0
		# A slab may need a new page this time and not the last: the
		# Nth allocation can move by a few.  The injection's stack
		# says whether it hit the livepatch path.
		for d in 0 1 -1 2 -2 3 -3 4 -4; do
			((n + d > 0)) || continue
			inject "$s" $((n + d))
			((BAD)) && { bad=1; hit=1; break; }
			[[ $INJ == 1 ]] || continue
			# Where the allocation asked for no warning, the kernel
			# prints no stack: the tracer's word stands.
			[[ ${KLP_FAULT_ALL:-0} == 1 || -z $SITE && $d == 0 || -n $KLP_HIT ]] ||
				continue
			hit=1
			if [[ $ERR == 0 ]]; then absorbed=$((absorbed + 1)); else refused=$((refused + 1)); fi
			break
		done
		((hit)) || { missed=$((missed + 1)); echo "# $s: allocation $n not reached again"; }
	done
	reset; take_log
	((missed == 0)) || bad=1
	if ((bad == 0)); then
		ok "$s: $tried of $total allocations failed in turn ($klp on the livepatch path): $refused clean -ENOMEM refusals, each retried with success; $absorbed absorbed; $STOCK stock-core WARNs"
	else
		not_ok "$s: $tried of $total allocations failed in turn: $refused clean refusals, $absorbed absorbed, $missed not reached, then a failure"
	fi
}

echo "TAP version 13"
reset; take_log
for s in ${*:-vmlinux load load_target coming going replace disable unload}; do
	run_step "$s"
done
echo "1..$nr"
