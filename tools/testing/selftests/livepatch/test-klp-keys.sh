#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A patched function of a module that takes the module's own static
# branch, tracepoint and static call (test_klp_keys_target, patched by
# test_klp_keys_mod; Documentation/livepatch/module-static-keys.rst): in
# both load orders, after each knob is flipped, across target reloads
# with flips in between, the patched function behaves as the target's
# own.  Then the same for an in-tree module, the trace events sample.
# Prints TAP.  On the base kernel the outcomes are "# base:" lines.
#
# Then malformed tables (klp-edit.py): refused at load with a line naming
# the section, and by klp-check (KLP_CHECK, when given) the same way.
#
# usage: [KLP_CHECK=klp-check] test-klp-keys.sh [MODDIR]

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/functions.sh"

MODS=$(cd "${1:-$HERE/test_modules}" && pwd)
TARGET=test_klp_keys_target
PATCH=test_klp_keys_mod
P=/sys/module/$TARGET/parameters
CYCLES=${KLP_KEYS_CYCLES:-50}

is_root
[[ -f $MODS/$PATCH.ko ]] || skip "no test modules in $MODS"
[[ $(uname -r) =~ -klp(-[a-z0-9.]+)*$ ]] && KLP=1 || KLP=0
EDIT="$HERE/klp-edit.py"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; cleanup' EXIT INT TERM HUP
push_config
set_dynamic_debug
set_ftrace_enabled 1

nr=0
failed=0
ok() { nr=$((nr + 1)); echo "ok $nr - $*"; }
not_ok() { nr=$((nr + 1)); failed=$((failed + 1)); echo "not ok $nr - $*"; }
# check(what, cond): a test on ours, a "# base:" line on the base.
check() {
	if eval "$2"; then
		ok "$1"
	elif [[ $KLP == 1 ]]; then
		not_ok "$1: $WHY"
	else
		echo "# base: $1: $WHY"
	fi
}

ins() { ERR=$(insmod "$MODS/$1.ko" 2>&1); }
wait_transition() { loop_until "grep -q '^0$' $KLP_SYSFS_DIR/$1/transition"; }
rm_mod() { [[ -e /sys/module/$1 ]] && unload_mod "$1" >/dev/null; }
rm_lp() {
	[[ -e $KLP_SYSFS_DIR/$1 ]] && disable_lp "$1" >/dev/null
	rm_mod "$1"
}

# The knobs' state, and what answer and the probe must say for it.
BRANCH=0 CALL=1 PROBE=0
set_knobs() {
	BRANCH=$1 CALL=$2 PROBE=$3
	{ echo "$1" > $P/branch && echo "$2" > $P/call && echo "$3" > $P/probe; } 2>/dev/null
}

# want(base): answer once; it must be base + 100 * branch + 2 * call (the
# static call is called twice), its plain static call must have reached
# the function directly, not through the trampoline (the site was linked
# into the target's key), and the probe, when on, must have counted one
# more hit of the value before the calls.  Sets WHY.
want() {
	local before after a via v=$(($1 + 100 * BRANCH))
	{
		cat $P/via >/dev/null
		before=$(cut -d' ' -f1 $P/hits)
		a=$(cat $P/answer)
		via=$(cat $P/via)
		read -r after last < $P/hits
	} 2>/dev/null
	WHY="answer $a (want $((v + 2 * CALL))), static call via $via, probe hits $before -> $after, last $last"
	[[ $a == $((v + 2 * CALL)) && $via == direct ]] || return 1
	if [[ $PROBE == 1 ]]; then
		[[ $after == $((before + 1)) && $last == "$v" ]]
	else
		[[ $after == "$before" ]]
	fi
}

# flips(base, label): every knob flipped in turn, answer checked after each.
flips() {
	local b c p
	for b in 0 1; do
		for c in 1 2; do
			for p in 0 1; do
				set_knobs $b $c $p || { WHY="a knob refused"; return 1; }
				want "$1" || return 1
			done
		done
	done
	set_knobs 0 1 0
}

echo "TAP version 13"

# Target first, then the patch; then the patch's life with the knobs.
start_test "target before patch" >/dev/null
ins $TARGET
set_knobs 1 2 1
check "target alone: its own branch, tracepoint and call" "want 1000"
ins $PATCH && wait_transition $PATCH
check "patch after target loads" "[[ -e $KLP_SYSFS_DIR/$PATCH ]] || { WHY=\"\$ERR\"; false; }"
check "patched, knobs set before the patch" "want 2000"
check "patched, every knob flipped" "flips 2000"
rm_mod $TARGET
ins $TARGET
check "target reloaded under the patch: patched with its fresh keys" "want 2000 && flips 2000"
disable_lp $PATCH >/dev/null
check "patch disabled: the target's own again" "flips 1000"
rm_mod $PATCH
check "patch unloaded: the target's own" "flips 1000"
rm_mod $TARGET

# The patch first, then the target, reloaded with flips in between.
start_test "patch before target" >/dev/null
ins $PATCH && wait_transition $PATCH
check "patch without its target loads" "[[ -e $KLP_SYSFS_DIR/$PATCH ]] || { WHY=\"\$ERR\"; false; }"
bad=0
for i in $(seq "$CYCLES"); do
	ins $TARGET || { WHY="insmod: $ERR"; bad=$i; break; }
	set_knobs $((i % 2)) $((i % 2 + 1)) $(((i / 2) % 2))
	want 2000 || { bad=$i; break; }
	flips 2000 || { bad=$i; break; }
	rm_mod $TARGET
done
check "$CYCLES target reloads under the patch, knobs flipped in each" "[[ \$bad == 0 ]] || { WHY=\"cycle \$bad: \$WHY\"; false; }"
rm_mod $TARGET
rm_lp $PATCH
ins $TARGET
check "after the patch is gone: the target's own" "flips 1000"
rm_mod $TARGET

# An in-tree module's real tracepoints, patched the same way: the trace
# events sample (samples/trace_events, built from the kernel tree's own
# source by klp-reloc.sh), whose thread simple_thread_fn() the event
# foo_bar_with_fn starts; the patch's copy traces "patched" through the
# module's tracepoints foo_bar_with_fn and foo_with_template_fn.
SAMPLE=trace-events-sample
SPATCH=test_klp_keys_sample
T=/sys/kernel/tracing
EV=$T/events/sample-trace
# lines(EVENT, TEXT): how many lines EVENT traced with foo TEXT.
lines() { grep -c "$1: foo $2 [0-9]" $T/trace; }
# more(EVENT, TEXT, N): within 10 s, EVENT traced N more lines of TEXT
# than it had.  Sets WHY.
more() {
	local want=$(($(lines "$1" "$2") + $3)) i
	for i in $(seq 100); do
		(($(lines "$1" "$2") >= want)) && return 0
		sleep .1
	done
	WHY="$1 traced $(lines "$1" "$2") lines of '$2', want $want"
	return 1
}
event() { { echo "$2" > "$EV/$1/enable"; } 2>/dev/null; }
# quiet(EVENT, TEXT, OTHER): OTHER traces 2 lines more, EVENT none.
quiet() {
	local n=$(lines "$1" "$2")
	more "$3" "$4" 2 || return 1
	WHY="$1 traced $(($(lines "$1" "$2") - n)) more lines of '$2'"
	[[ $(lines "$1" "$2") == "$n" ]]
}
if [[ ! -f $MODS/$SAMPLE.ko || ! -f $MODS/$SPATCH.ko ]]; then
	not_ok "the kernel's trace events sample and its patch are built in $MODS"
else
	[[ -e $T/trace ]] || mount -t tracefs nodev $T
	echo > $T/trace
	start_test "an in-tree module's tracepoints" >/dev/null
	ins $SAMPLE
	ins $SPATCH && wait_transition $SPATCH
	check "patch of the trace events sample loads" "[[ -e $KLP_SYSFS_DIR/$SPATCH ]] || { WHY=\"\$ERR\"; false; }"
	event foo_bar_with_fn 1
	check "sample: event on, the patched thread traces through it" \
		"more foo_bar_with_fn patched 2"
	check "sample: the other event, off, stays quiet" \
		"[[ \$(lines foo_with_template_fn 'patched template') == 0 ]] || { WHY=traced; false; }"
	event foo_with_template_fn 1
	check "sample: the other event on, the patched code traces it too" \
		"more foo_with_template_fn 'patched template' 2"
	event foo_bar_with_fn 0
	sleep .5
	check "sample: the first event off, the patched code stops tracing it" \
		"quiet foo_bar_with_fn patched foo_with_template_fn 'patched template'"
	event foo_with_template_fn 0
	rm_mod trace_events_sample
	ins $SAMPLE
	check "sample reloaded under the patch" "[[ -e /sys/module/trace_events_sample ]] || { WHY=\"\$ERR\"; false; }"
	event foo_bar_with_fn 1
	check "sample reloaded: patched with its fresh keys" "more foo_bar_with_fn patched 2"
	event foo_bar_with_fn 0
	rm_lp $SPATCH
	event foo_bar_with_fn 1
	check "sample after the patch is gone: its own thread" \
		"more foo_bar_with_fn 'Look at me' 2"
	event foo_bar_with_fn 0
	rm_mod trace_events_sample
fi

# klp-check on the good patch: it loads, as the kernel said.
if [[ -n ${KLP_CHECK:-} ]]; then
	out=$("$KLP_CHECK" --kallsyms /proc/kallsyms --module "$MODS/$TARGET.ko" \
		"$MODS/$PATCH.ko" 2>&1)
	rc=$?
	check "klp-check: the patch loads" "[[ \$rc == 0 ]] || { WHY=\"\$out\"; false; }"
fi

# refused(label, section, edit...): a spoiled copy is refused at load with
# a kernel line naming the section, and by klp-check naming it too.
JT=.klp.jump_table.$TARGET
SC=.klp.static_call_sites.$TARGET
refused() {
	local label=$1 sec=$2 ko=$WORK/$PATCH.ko out
	shift 2
	python3 "$EDIT" "$MODS/$PATCH.ko" "$ko" "$@" || { not_ok "$label: klp-edit $*"; return; }
	dmesg -C
	if insmod "$ko" 2>/dev/null; then
		WHY="loaded"
		rm_lp $PATCH
	else
		WHY="refused: $(dmesg | grep -F -- "$sec" | head -1)"
	fi
	check "$label: refused, naming $sec" "[[ \$WHY == refused:*$PATCH:* ]]"
	[[ -n ${KLP_CHECK:-} && $KLP == 1 ]] || return
	out=$("$KLP_CHECK" --kallsyms /proc/kallsyms --module "$MODS/$TARGET.ko" "$ko" 2>&1)
	rc=$?
	check "$label: klp-check refuses it too" "[[ \$rc == 1 ]] && grep -qF -- '$sec' <<< \"\$out\" || { WHY=\"\$out\"; false; }"
}
refused "jump table not writable" $JT sh-clear-flags $JT 1
refused "jump entry's key 8 bytes into its symbol" $JT \
	rela-addend .klp.rela.$TARGET.$JT 0 8
refused "static call site's key 4 bytes into its symbol" $SC \
	rela-addend .klp.rela.$TARGET.$SC 0 4

echo "1..$nr"
[[ $failed == 0 ]]
