#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# test-klp-tools.sh DIR [BIN [VMLINUX]]: klp-convert and klp-check against
# the running kernel, in TAP.  DIR holds the modules that
# scripts/check/klp-tools.sh built for this kernel, BIN holds klp-check, and
# VMLINUX, if given, is this kernel's vmlinux (the kernel must not be
# relocated at boot: its symtab addresses are then the running ones).
#
#  - the samples work: /proc/cmdline through non-exported vmlinux symbols,
#    and a module patched through its statics, loaded before or after;
#  - klp-check, given this kernel's /proc/kallsyms, accepts every good
#    module and predicts the very address the kernel binds, sympos
#    included, for vmlinux and for a module (DIR/bound.list);
#  - a sympos one past the last symbol of its name, and sympos 0 for a name
#    that is not unique, are flagged by klp-check and refused by the
#    kernel, whether the patch or its target comes second (DIR/badpos.list).
#
# The helpers follow the manner of functions.sh next to this file, but load
# with insmod from DIR and report each step as a TAP line instead of dying.

dir=$(cd "${1:?usage: test-klp-tools.sh DIR [BIN [VMLINUX]]}" && pwd)
bin=${2:-$(dirname "$0")/../../../../build/bin}
vmlinux=${3:-}
KLP_SYSFS_DIR=/sys/kernel/livepatch
MAX_RETRIES=300
RETRY_INTERVAL=.1

n=0
failed=0

# ok DESCRIPTION / not_ok DESCRIPTION [DIAGNOSTICS]
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -z "${2:-}" ] || sed 's/^/#   /' <<<"$2"
}

# check DESCRIPTION EXPECTED ACTUAL [DIAGNOSTICS]
check() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected '$2', got '$3'${4:+$'\n'$4}"
	fi
}

log() {
	echo "$1" > /dev/kmsg
}

loop_until() {
	local i=0
	while ! eval "$1"; do
		[ $((i++)) -lt $MAX_RETRIES ] || return 1
		sleep $RETRY_INTERVAL
	done
}

# The kernel log since the last save_dmesg.
save_dmesg() {
	SAVED_DMESG=$(dmesg | wc -l)
}

new_dmesg() {
	dmesg | tail -n +$((SAVED_DMESG + 1))
}

# modname FILE.ko: the name the kernel knows the module by.
modname() {
	local m=${1##*/}

	m=${m%.ko}
	echo "${m//-/_}"
}

# ko_of MOD: the file in DIR of the module the kernel calls MOD.
ko_of() {
	local ko

	for ko in "$dir"/*.ko; do
		[ "$(modname "$ko")" = "$1" ] && echo "${ko##*/}" && return
	done
}

# load_mod FILE.ko: insmod; its output and the new kernel log in $LOAD_OUT.
load_mod() {
	log "% insmod $1"
	save_dmesg
	LOAD_OUT=$(insmod "$dir/$1" 2>&1)
	local rc=$?

	LOAD_OUT+=$'\n'$(new_dmesg)
	return $rc
}

# load_lp FILE.ko [MOD]: load a livepatch and wait until its transition is
# done.  MOD is the module's name when the file was renamed.
load_lp() {
	local mod=${2:-$(modname "$1")}

	load_mod "$1" &&
		loop_until "grep -q '^0$' $KLP_SYSFS_DIR/$mod/transition 2>/dev/null"
}

unload_mod() {
	log "% rmmod $1"
	loop_until "[ \"\$(cat /sys/module/$1/refcnt)\" = 0 ]" && rmmod "$1"
}

# unload_lp MOD: disable the livepatch, wait until it is gone, rmmod it.
unload_lp() {
	log "% echo 0 > $KLP_SYSFS_DIR/$1/enabled"
	echo 0 > "$KLP_SYSFS_DIR/$1/enabled" &&
		loop_until "[ ! -e $KLP_SYSFS_DIR/$1 ]" && unload_mod "$1"
}

# klp_check FILE.ko [SOURCE...]: klp-check against this kernel's kallsyms,
# or the symbol sources given; output in $CHECK_OUT.
klp_check() {
	local ko=$1

	shift
	[ $# -gt 0 ] || set -- --kallsyms /proc/kallsyms
	CHECK_OUT=$("$bin/klp-check" "$@" "$dir/$ko" 2>&1)
}

# predicted OBJ NAME POS: the address klp-check printed for that symbol
# (followed by its source file, where the symbol source names one).
predicted() {
	sed -n "s/.*\.klp\.sym\.$1\.$2,$3 resolves to .* at 0x\([0-9a-f]*\)\( (.*)\)\?$/\1/p" \
		<<<"$CHECK_OUT" | sed 's/^0*//'
}

# bound MOD: the address a test_klp_bound module reads back.
bound() {
	sed 's/^0*//' "/sys/module/$1/parameters/bound" 2>/dev/null
}

# count_now: NR_PROCS (processes in /proc) and TOTAL_FORKS (from /proc/stat),
# counted by the shell itself: no fork may come between them and the read
# of /proc/cmdline they are held against.
count_now() {
	local p=(/proc/[0-9]*) key val

	NR_PROCS=${#p[@]}
	while read -r key val; do
		[ "$key" = processes ] && TOTAL_FORKS=$val
	done < /proc/stat
}

echo "TAP version 13"
echo "# $(uname -r), klp-check from $bin"

# --- the vmlinux sample: /proc/cmdline through non-exported symbols ---
s=livepatch-klp-sample
IFS= read -r cmdline < /proc/cmdline
klp_check $s.ko
check "klp-check accepts $s.ko on this kernel" 0 $? "$CHECK_OUT"
if load_lp $s.ko; then
	ok "$s loads and its transition completes"
else
	not_ok "$s loads and its transition completes" "$LOAD_OUT"
fi
IFS= read -r patched < /proc/cmdline
count_now
re='^(.*) \[klp-sample: processes ([0-9]+), forks ([0-9]+)\]$'
if [[ $patched =~ $re ]]; then
	check "patched /proc/cmdline starts with the saved command line" \
		"$cmdline" "${BASH_REMATCH[1]}"
	procs=${BASH_REMATCH[2]} forks=${BASH_REMATCH[3]}
	# Kernel threads may come and go in between: allow two.
	if [ $((procs - NR_PROCS)) -ge -2 ] && [ $((procs - NR_PROCS)) -le 2 ]; then
		ok "nr_processes() = $procs, /proc has $NR_PROCS processes"
	else
		not_ok "nr_processes() = $procs, /proc has $NR_PROCS processes"
	fi
	if [ "$forks" -le "$TOTAL_FORKS" ] && [ "$forks" -ge $((TOTAL_FORKS - 2)) ]; then
		ok "total_forks = $forks, /proc/stat says $TOTAL_FORKS"
	else
		not_ok "total_forks = $forks, /proc/stat says $TOTAL_FORKS"
	fi
	for i in 1 2 3 4 5; do /bin/true; done
	IFS= read -r again < /proc/cmdline
	[[ $again =~ $re ]]
	if [ "${BASH_REMATCH[3]:-0}" -ge $((forks + 5)) ]; then
		ok "total_forks follows the kernel: $forks, then ${BASH_REMATCH[3]} after 5 forks"
	else
		not_ok "total_forks follows the kernel: $forks, then ${BASH_REMATCH[3]:-?} after 5 forks" "$again"
	fi
else
	not_ok "/proc/cmdline shows the sample's suffix" "$patched"
fi
unload_lp livepatch_klp_sample
check "disable and unload restore /proc/cmdline" "$cmdline" "$(cat /proc/cmdline)"

# --- the module sample: a target patched through its statics ---
t=livepatch-klp-mod
s=livepatch-klp-modpatch
value=/sys/kernel/livepatch_klp_mod/value
load_mod $t.ko || not_ok "$t loads" "$LOAD_OUT"
check "$t alone reads unpatched" "unpatched 1" "$(cat $value)"
if load_lp $s.ko; then
	ok "$s loads after its target"
else
	not_ok "$s loads after its target" "$LOAD_OUT"
fi
# The patch increments the module's own counter: the same variable.
check "patched through klp_mod_word() and klp_mod_counter" "patched 2" "$(cat $value)"
klp_check $s.ko
check "klp-check accepts $s.ko, its target loaded" 0 $? "$CHECK_OUT"
unload_lp livepatch_klp_modpatch
check "unpatched again after disable and unload" "unpatched 3" "$(cat $value)"
unload_mod livepatch_klp_mod
if load_lp $s.ko; then
	ok "$s loads before its target"
else
	not_ok "$s loads before its target" "$LOAD_OUT"
fi
if load_mod $t.ko; then
	ok "$t loads after its patch"
else
	not_ok "$t loads after its patch" "$LOAD_OUT"
fi
check "a target loaded after the patch is patched" "patched 1" "$(cat $value 2>&1)"
unload_lp livepatch_klp_modpatch
unload_mod livepatch_klp_mod

# klp-check --vmlinux predicts link-time addresses; a KASLR kernel runs
# them shifted by one offset, read off _text.
kaslr=0
if [ -n "$vmlinux" ]; then
	link=$(nm "$vmlinux" | awk '$3 == "_text" { print $1; exit }')
	runs=$(awk '$3 == "_text" { print $1; exit }' /proc/kallsyms)
	kaslr=$((0x$runs - 0x$link))
	echo "# KASLR offset: $(printf '%#x' $kaslr)"
fi
# shifted ADDR: a link-time address (hex, no 0x) where the kernel runs it
shifted() {
	[ -n "$1" ] && printf '%x\n' $((0x$1 + kaslr))
}

# --- sympos: the address the kernel binds is the one klp-check predicts ---
# bound.list: "group module object name sympos"; a module's target is
# loaded before its patch for odd positions and after it for even ones.
declare -A seen
while read -r group mod obj name pos; do
	target=
	[ "$obj" = vmlinux ] || target=$(ko_of "$obj")
	what="$group: $obj '$name' sympos $pos"
	late=
	if [ -n "$target" ] && [ $((pos % 2)) = 0 ]; then
		late=" (target loaded after the patch)"
	elif [ -n "$target" ]; then
		load_mod "$target" || not_ok "$what: $target loads" "$LOAD_OUT"
	fi
	if ! load_lp "$mod.ko"; then
		not_ok "$what: $mod loads" "$LOAD_OUT"
		continue
	fi
	if [ -n "$late" ]; then
		load_mod "$target" || not_ok "$what: $target loads" "$LOAD_OUT"
	fi
	klp_check "$mod.ko"
	rc=$?
	want=$(predicted "$obj" "$name" "$pos")
	got=$(bound "$mod")
	if [ $rc = 0 ] && [ -n "$want" ] && [ "$want" = "$got" ]; then
		ok "$what: kernel bound $got, klp-check predicted it$late"
	else
		not_ok "$what: kernel bound ${got:-?}, klp-check predicted ${want:-?} (exit $rc)$late" \
			"$CHECK_OUT"
	fi
	if [ "$obj" = vmlinux ] && [ -n "$vmlinux" ]; then
		klp_check "$mod.ko" --vmlinux "$vmlinux"
		check "$what: klp-check --vmlinux predicts the same" "$got" \
			"$(shifted "$(predicted "$obj" "$name" "$pos")")" "$CHECK_OUT"
	fi
	[ "$pos" = 0 ] || seen[$obj.$name]+="$got "
	unload_lp "$mod"
	[ -z "$target" ] || unload_mod "$obj"
done < "$dir/bound.list"
for key in $(printf '%s\n' "${!seen[@]}" | sort); do
	read -ra addrs <<<"${seen[$key]}"
	distinct=$(printf '%s\n' "${addrs[@]}" | sort -u | wc -l)
	check "the ${#addrs[@]} positions of $key bound distinct addresses" "${#addrs[@]}" "$distinct" \
		"${seen[$key]}"
done

# --- a sympos past the last symbol of its name, or 0 for a duplicated one ---
# refused WHAT FILE.ko NAME: loading FILE.ko fails and the kernel says why.
refused() {
	if load_mod "$2"; then
		not_ok "the kernel refuses $1" "$LOAD_OUT"
		return 1
	fi
	ok "the kernel refuses $1"
	local msg

	msg=$(new_dmesg | grep -F "'$3'" | sed 's/^\[[ 0-9.]*\] //' | head -1)
	if [ -n "$msg" ]; then
		ok "the kernel log says why: $msg"
	else
		not_ok "the kernel log names '$3'" "$LOAD_OUT"
	fi
}

while read -r file mod obj name pos; do
	what="sympos $pos of $obj '$name'"
	target=
	[ "$obj" = vmlinux ] || target=$(ko_of "$obj")
	[ -z "$target" ] || load_mod "$target" || not_ok "$target loads" "$LOAD_OUT"
	klp_check "$file.ko"
	rc=$?
	if [ $rc = 1 ] && grep -q "'$name'" <<<"$CHECK_OUT"; then
		ok "klp-check flags $what"
	else
		not_ok "klp-check flags $what (exit $rc)" "$CHECK_OUT"
	fi
	grep -F "'$name'" <<<"$CHECK_OUT" | head -3 | sed 's/^/# klp-check: /'
	refused "$what" "$file.ko" "$name" || unload_lp "$mod"
	[ -n "$target" ] || continue

	# The other order: the patch is accepted, as nothing binds yet; its
	# target, coming later, is the one refused.
	unload_mod "$obj"
	if load_lp "$file.ko" "$mod"; then
		ok "a patch with $what loads while $obj is absent"
		refused "$target, coming after a patch with $what" "$target" "$name" ||
			unload_mod "$obj"
		unload_lp "$mod"
	else
		not_ok "a patch with $what loads while $obj is absent" "$LOAD_OUT"
	fi
	[ ! -e "/sys/module/$obj" ] || unload_mod "$obj"
done < "$dir/badpos.list"

echo "1..$n"
[ "$failed" = 0 ]
