#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# test-klp-tools.sh DIR [BIN]: klp-convert and klp-check against the
# running kernel, in TAP.  DIR holds the modules that
# scripts/check/klp-tools.sh built for this kernel; BIN holds klp-check.
#
#  - the samples work: /proc/cmdline through non-exported vmlinux symbols,
#    and a module patched through its statics, loaded before or after;
#  - klp-check, given this kernel's /proc/kallsyms, accepts every good
#    module and predicts the very address the kernel binds, sympos
#    included, for vmlinux and for a module (DIR/bound.list);
#  - a sympos one past the last symbol of its name is flagged by klp-check
#    and refused by the kernel (DIR/badpos.list).
#
# The helpers follow the manner of functions.sh next to this file, but load
# with insmod from DIR and report each step as a TAP line instead of dying.

dir=$(cd "${1:?usage: test-klp-tools.sh DIR [BIN]}" && pwd)
bin=${2:-$(dirname "$0")/../../../../build/bin}
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

# load_mod FILE.ko: insmod; its output and the new kernel log in $LOAD_OUT.
load_mod() {
	log "% insmod $1"
	save_dmesg
	LOAD_OUT=$(insmod "$dir/$1" 2>&1)
	local rc=$?

	LOAD_OUT+=$'\n'$(new_dmesg)
	return $rc
}

# load_lp FILE.ko: load a livepatch and wait until its transition is done.
load_lp() {
	local mod

	mod=$(modname "$1")
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

# klp_check FILE.ko: klp-check against this kernel; output in $CHECK_OUT.
klp_check() {
	CHECK_OUT=$("$bin/klp-check" --kallsyms /proc/kallsyms "$dir/$1" 2>&1)
}

# predicted OBJ NAME POS: the address klp-check printed for that symbol.
predicted() {
	sed -n "s/.*\.klp\.sym\.$1\.$2,$3 resolves to .* at 0x\([0-9a-f]*\)$/\1/p" \
		<<<"$CHECK_OUT" | sed 's/^0*//'
}

# bound MOD: the address a test_klp_bound module reads back.
bound() {
	sed 's/^0*//' "/sys/module/$1/parameters/bound" 2>/dev/null
}

# Counted without forking, so that the counts and a read of /proc/cmdline
# right before them see the same tasks.
nr_procs() {
	local p=(/proc/[0-9]*)

	echo ${#p[@]}
}

total_forks() {
	local key val

	while read -r key val; do
		[ "$key" = processes ] && echo "$val"
	done < /proc/stat
}

echo "TAP version 13"
echo "# $(uname -r), klp-check from $bin"

# --- the vmlinux sample: /proc/cmdline through non-exported symbols ---
s=livepatch-klp-sample
read -r cmdline < /proc/cmdline
klp_check $s.ko
check "klp-check accepts $s.ko on this kernel" 0 $? "$CHECK_OUT"
if load_lp $s.ko; then
	ok "$s loads and its transition completes"
else
	not_ok "$s loads and its transition completes" "$LOAD_OUT"
fi
read -r patched < /proc/cmdline
procs=$(nr_procs)
forks=$(total_forks)
re='^(.*) \[klp-sample: processes ([0-9]+), forks ([0-9]+)\]$'
if [[ $patched =~ $re ]]; then
	check "patched /proc/cmdline starts with the saved command line" \
		"$cmdline" "${BASH_REMATCH[1]}"
	p=${BASH_REMATCH[2]} f=${BASH_REMATCH[3]}
	# nr_processes() also counts the secondary CPUs' idle tasks.
	if [ "$p" -ge "$procs" ] && [ "$p" -le $((procs + 2)) ]; then
		ok "nr_processes() = $p, /proc has $procs processes"
	else
		not_ok "nr_processes() = $p, /proc has $procs processes"
	fi
	if [ "$f" -le "$forks" ] && [ "$f" -ge $((forks - 2)) ]; then
		ok "total_forks = $f, /proc/stat says $forks"
	else
		not_ok "total_forks = $f, /proc/stat says $forks"
	fi
	for i in 1 2 3 4 5; do /bin/true; done
	read -r again < /proc/cmdline
	[[ $again =~ $re ]]
	if [ "${BASH_REMATCH[3]:-0}" -ge $((f + 5)) ]; then
		ok "total_forks follows the kernel: $f, then ${BASH_REMATCH[3]} after 5 forks"
	else
		not_ok "total_forks follows the kernel: $f, then ${BASH_REMATCH[3]:-?} after 5 forks" "$again"
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

# --- sympos: the address the kernel binds is the one klp-check predicts ---
# bound.list: "group module object name sympos"; a module's target is
# loaded before its patch for odd positions and after it for even ones.
declare -A seen
while read -r group mod obj name pos; do
	target=
	[ "$obj" = vmlinux ] || target=$(ls "$dir/$obj.ko" "$dir"/*.ko 2>/dev/null |
		while read -r ko; do [ "$(modname "$ko")" = "$obj" ] && echo "${ko##*/}" && break; done)
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
	[ "$pos" = 0 ] || seen[$obj.$name]+="$got "
	unload_lp "$mod"
	[ -z "$target" ] || unload_mod "$obj"
done < "$dir/bound.list"
for key in "${!seen[@]}"; do
	read -ra addrs <<<"${seen[$key]}"
	distinct=$(printf '%s\n' "${addrs[@]}" | sort -u | wc -l)
	check "the ${#addrs[@]} positions of $key bound distinct addresses" "${#addrs[@]}" "$distinct" \
		"${seen[$key]}"
done

# --- a sympos past the last symbol of its name ---
while read -r file mod obj name pos; do
	what="sympos $pos of $obj '$name'"
	[ "$obj" = vmlinux ] || load_mod "$obj.ko" || not_ok "$obj loads" "$LOAD_OUT"
	klp_check "$file.ko"
	rc=$?
	if [ $rc = 1 ] && grep -q "'$name'" <<<"$CHECK_OUT"; then
		ok "klp-check flags $what"
	else
		not_ok "klp-check flags $what (exit $rc)" "$CHECK_OUT"
	fi
	sed 's/^/# klp-check: /' <<<"$CHECK_OUT" | grep -F "$name" | head -3
	if load_mod "$file.ko"; then
		not_ok "the kernel refuses $what" "$LOAD_OUT"
		unload_lp "$mod"
	else
		ok "the kernel refuses $what"
	fi
	msg=$(new_dmesg | grep -F "$name" | grep -v '% insmod')
	if [ -n "$msg" ]; then
		ok "the kernel log says why: $(sed 's/^\[[ 0-9.]*\] //' <<<"$msg" | head -1)"
	else
		not_ok "the kernel log names '$name'" "$LOAD_OUT"
	fi
	[ "$obj" = vmlinux ] || unload_mod "$obj"
done < "$dir/badpos.list"

echo "1..$n"
[ "$failed" = 0 ]
