#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Races between a patch's life and its target's.  For SECONDS, at once:
#  - a loader loads and unloads the target module (every other round with a
#    filler module in the place it left, so it comes back elsewhere);
#  - a patcher loads, enables, replaces (atomic replace), disables and
#    unloads the patches for it;
#  - a reader reads every file under /sys/kernel/livepatch and calls the
#    patched function (the target's "answer"), which must answer as the
#    original (1) or as the patch (42207), never anything else.
# Then everything must unload, and the log must hold no WARNING, BUG,
# KASAN, UBSAN or lockdep report.  Prints TAP.
#
# usage: test-klp-stress.sh MODDIR SECONDS

MODS=$(cd "${1:?usage: test-klp-stress.sh MODDIR SECONDS}" && pwd)
SECONDS_WANTED=${2:?usage: test-klp-stress.sh MODDIR SECONDS}
TARGET=test_klp_reloc_target
FILLER=test_klp_reloc_filler
PATCH=test_klp_reloc_mod
PATCH2=${PATCH}2
ANSWER=/sys/module/$TARGET/parameters/answer
LP=/sys/kernel/livepatch
PATCHED=42207
RUN=$(mktemp -d)
STOP=$RUN/stop

nr=0
ok() { nr=$((nr + 1)); echo "ok $nr - $*"; }
not_ok() { nr=$((nr + 1)); echo "not ok $nr - $*"; }
verdict() { if [[ $1 == 0 ]]; then ok "$2"; else not_ok "$2${3:+: $3}"; fi; }

loaded() { [[ -e /sys/module/$1 ]]; }
wait_until() {
	local i
	for ((i = 0; i < 600; i++)); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}
# Each worker counts its rounds and its failures, one line per failure.
fail() { echo "$*" >> "$RUN/$W.fail"; }
count() { echo >> "$RUN/$W.$1"; }

# ins MOD: load it, and for a patch wait until its transition is over.
ins() {
	local err
	err=$(insmod "$MODS/$1.ko" 2>&1) || { fail "insmod $1: $err"; return 1; }
	[[ ! -e $LP/$1 ]] || wait_until "grep -q '^0$' $LP/$1/transition 2>/dev/null || [[ ! -e $LP/$1 ]]" ||
		fail "$1: transition did not end"
}
rm_mod() {
	local err
	wait_until "[[ \$(cat /sys/module/$1/refcnt 2>/dev/null) == 0 ]]" || { fail "$1: refcnt stays"; return 1; }
	err=$(rmmod "$1" 2>&1) || { fail "rmmod $1: $err"; return 1; }
}
disable() {
	echo 0 > $LP/$1/enabled 2>/dev/null || { fail "disable $1 failed"; return 1; }
	wait_until "[[ ! -e $LP/$1 ]]" || fail "$1: still in $LP after disable"
}

loader() {
	local W=loader i=0
	while [[ ! -e $STOP ]]; do
		((i++ % 2)) && { ins $FILLER || break; }
		ins $TARGET && rm_mod $TARGET
		loaded $FILLER && rm_mod $FILLER
		count rounds
	done
}

patcher() {
	local W=patcher
	while [[ ! -e $STOP ]]; do
		# Enable, replace, disable the replacement.
		ins $PATCH || break
		ins $PATCH2 || break
		wait_until "[[ ! -e $LP/$PATCH ]]" || fail "$PATCH not replaced"
		rm_mod $PATCH
		disable $PATCH2 && rm_mod $PATCH2
		# Enable and disable.
		ins $PATCH && disable $PATCH && rm_mod $PATCH
		count rounds
	done
}

reader() {
	local W=reader a i
	while [[ ! -e $STOP ]]; do
		find $LP -type f -exec cat {} + > /dev/null 2>&1
		for ((i = 0; i < 20; i++)); do
			# The target may be going: a missing file is no answer.
			read -r a _ 2>/dev/null < $ANSWER || continue
			[[ $a == 1 || $a == "$PATCHED" ]] || fail "answer '$a'"
			count calls
		done
		count rounds
	done
}

echo "TAP version 13"
dmesg -C
for W in loader patcher reader; do
	: > "$RUN/$W.rounds"; : > "$RUN/$W.fail"; : > "$RUN/$W.calls"
	$W &
done
sleep "$SECONDS_WANTED"
touch "$STOP"
wait

rounds() { wc -l < "$RUN/$1"; }
bad=$(cat "$RUN"/*.fail)
[[ -z $bad ]]
verdict $? "$SECONDS_WANTED s of races: $(rounds loader.rounds) target load/unload rounds, $(rounds patcher.rounds) patch rounds (enable, replace, disable; enable, disable), $(rounds reader.rounds) reads of $LP, $(rounds reader.calls) calls of the patched function, all answering 1 or $PATCHED" \
	"$(head -5 <<< "$bad" | tr '\n' ';')"
(($(rounds loader.rounds) > 0 && $(rounds patcher.rounds) > 0 && $(rounds reader.calls) > 0))
verdict $? "every worker made progress"

for p in $PATCH2 $PATCH; do [[ ! -e $LP/$p ]] || disable $p; done
left=
for m in $PATCH2 $PATCH $TARGET $FILLER; do
	loaded $m && { rmmod $m 2>/dev/null; wait_until "! loaded $m" || left+=" $m"; }
done
[[ -z $left ]]
verdict $? "every module unloads after the run" "left:$left"

rep=$(dmesg | grep -E 'WARNING:|BUG:|KASAN|UBSAN|Oops|general protection|possible (recursive|circular)|inconsistent lock|list_(add|del) corruption|refcount_t:')
[[ -z $rep ]]
verdict $? "no WARNING, BUG, KASAN, UBSAN or lockdep report" "$(head -3 <<< "$rep" | tr '\n' ';')"
rm -rf "$RUN"
echo "1..$nr"
