#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Livepatch module ELF relocations (.klp.rela/.klp.sym): what the kernel
# does with them at load, when a patched module comes and goes, and which
# malformed or misused ones it refuses.  Prints TAP.  Runs on the klp
# kernel and on the base kernel; where the base behaves differently by
# design, its outcome is printed as a "# base:" comment, not a failure.
#
# usage: test-klp-reloc.sh [MODDIR]
#   MODDIR holds the test_modules/ built for the running kernel (default:
#   test_modules next to this script).

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/functions.sh"

MODS=$(cd "${1:-$HERE/test_modules}" && pwd)
EDIT="$HERE/klp-edit.py"
TARGET=test_klp_reloc_target
PATCH=test_klp_reloc_mod
ANSWER=/sys/module/$TARGET/parameters/answer
PATCHED=42207	# 42 * 1000 + (2nd test_klp_reloc_dup) * 100 + 7
CYCLES=${KLP_RELOC_CYCLES:-50}

is_root
[[ -f $MODS/$PATCH.ko ]] || skip "no test modules in $MODS"
# Our kernels: release *-klp, or *-klp-<variant> (the klp-debug tree).
[[ $(uname -r) =~ -klp(-[a-z]+)?$ ]] && KLP=1 || KLP=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; cleanup' EXIT INT TERM HUP
push_config
set_dynamic_debug
set_ftrace_enabled 1

nr=0
failed=0
ok() { nr=$((nr + 1)); echo "ok $nr - $*"; }
not_ok() { nr=$((nr + 1)); failed=$((failed + 1)); echo "not ok $nr - $*"; }
base_says() { echo "# base: $*"; }
verdict() { if [[ $1 == 0 ]]; then ok "$2"; else not_ok "$2${3:+: $3}"; fi; }

# ins(ko) - insmod a test module; its output lands in $ERR
ins() {
	log "% insmod $(basename "$1")"
	ERR=$(insmod "$1" 2>&1)
}

wait_transition() {
	loop_until "grep -q '^0$' $KLP_SYSFS_DIR/$1/transition"
}

# rm_lp(name) - disable a livepatch if it is enabled, then remove it
rm_lp() {
	[[ -e $KLP_SYSFS_DIR/$1 ]] && disable_lp "$1" >/dev/null
	[[ -e /sys/module/$1 ]] && unload_mod "$1" >/dev/null
}

rm_mod() {
	[[ -e /sys/module/$1 ]] && unload_mod "$1" >/dev/null
}

answer() {
	cut -d' ' -f1 "$ANSWER" 2>/dev/null
}

# new_dmesg(pattern) - did the kernel log a line matching pattern since start_test?
new_dmesg() {
	dmesg | comm --nocheck-order -13 "$SAVED_DMESG" - | grep -q -e "$1"
}

# variant(out, in, edit...) - a spoiled copy of a test module
variant() {
	local out=$WORK/$1.ko in=$MODS/$2.ko
	shift 2
	python3 "$EDIT" "$in" "$out" "$@" || die "klp-edit $*"
	echo "$out"
}

echo "TAP version 13"

start_test "vmlinux function and variable" >/dev/null
ins "$MODS/test_klp_reloc_vmlinux.ko" && wait_transition test_klp_reloc_vmlinux
grep -q "^test_klp_reloc_vmlinux: .* core_kernel_text=works" /proc/cmdline
verdict $? "vmlinux: unexported function and variable reached through klp relocations" "$ERR"
rm_lp test_klp_reloc_vmlinux

start_test "target loaded before the patch" >/dev/null
ins "$MODS/$TARGET.ko"
before=$(answer)
ins "$MODS/$PATCH.ko" && wait_transition $PATCH
[[ $before == 1 && $(answer) == "$PATCHED" ]]
verdict $? "module target loaded before the patch: answer $before -> $(answer)" "$ERR"
rm_lp $PATCH; rm_mod $TARGET

# The target also holds an init-only copy of the duplicated name, listed
# first: sympos must not count it, though the target is still coming.
start_test "target loaded after the patch" >/dev/null
ins "$MODS/$PATCH.ko" && wait_transition $PATCH
ins "$MODS/$TARGET.ko"
got=$(answer)
if [[ $KLP == 1 || $got == "$PATCHED" ]]; then
	[[ $got == "$PATCHED" ]]
	verdict $? "module target loaded after the patch (sympos 2 picks the 2nd duplicate that stays after init): answer $got" "$ERR"
else
	base_says "target loaded after the patch: answer ${got:-none} (sympos 2 counted the init-only copy), not $PATCHED; $ERR"
fi
rm_mod $TARGET

start_test "reload cycles" >/dev/null
good=0
for ((i = 1; i <= CYCLES; i++)); do
	ins "$MODS/$TARGET.ko" || break
	[[ $(answer) == "$PATCHED" ]] || break
	rm_mod $TARGET
	good=$i
done
if [[ $KLP == 1 || $good == "$CYCLES" ]]; then
	verdict $((good != CYCLES)) "$CYCLES unload/reload cycles of the target with the patch enabled: $good good" "$ERR"
else
	base_says "reload cycles: $good of $CYCLES good; cycle $((good + 1)): $ERR; $(dmesg | grep -m1 -o 'existing value is nonzero.*')"
fi
rm_mod $TARGET; rm_lp $PATCH

start_test "patch removed, target reloaded" >/dev/null
ins "$MODS/$TARGET.ko"
ins "$MODS/$PATCH.ko" && wait_transition $PATCH
rm_lp $PATCH; rm_mod $TARGET
ins "$MODS/$TARGET.ko"
[[ $(answer) == 1 ]]
verdict $? "patch disabled and removed, then the target reloaded: answer $(answer)" "$ERR"
rm_mod $TARGET

start_test "atomic replace" >/dev/null
ins "$MODS/$TARGET.ko"
ins "$MODS/$PATCH.ko" && wait_transition $PATCH
ins "$MODS/${PATCH}2.ko" && wait_transition ${PATCH}2
loop_until "[[ ! -e $KLP_SYSFS_DIR/$PATCH ]]"
a1=$(answer)
rm_mod $PATCH; rm_mod $TARGET
ins "$MODS/$TARGET.ko"
a2=$(answer)
[[ $a1 == "$PATCHED" && $a2 == "$PATCHED" ]]
if [[ $? == 0 || $KLP == 1 ]]; then
	verdict $? "atomic replace, both patches with klp relocations, target reloaded: $a1, $a2" "$ERR"
else
	base_says "atomic replace then target reload: $a1, then ${a2:-load failed: $ERR}"
fi
rm_mod $TARGET; rm_lp ${PATCH}2

start_test "non-livepatch module with markers" >/dev/null
ko=$(variant nolp test_klp_reloc_nolp no-livepatch-modinfo)
if ins "$ko"; then res=loaded; else res="refused: $ERR"; fi
if [[ $KLP == 1 ]]; then
	[[ $res != loaded ]] && new_dmesg "test_klp_reloc_nolp: section .klp.rela.vmlinux..text is SHF_RELA_LIVEPATCH, but the module lacks modinfo livepatch=Y"
	verdict $? "module without livepatch modinfo carrying klp markers is refused" "$res"
else
	base_says "module without livepatch modinfo carrying klp markers: $res"
fi
rm_mod test_klp_reloc_nolp

start_test "wrong object name" >/dev/null
ins "$MODS/$TARGET.ko"
if ins "$MODS/test_klp_reloc_wrongobj.ko"; then res=loaded; else res="refused: $ERR"; fi
if [[ $KLP == 1 ]]; then
	[[ $res != loaded ]] && new_dmesg "test_klp_reloc_wrongobj: section .klp.rela.$TARGET..text: object '$TARGET' is neither vmlinux nor one of the patch's objects"
	verdict $? "section for an object the patch does not have is refused at enable" "$res"
else
	base_says "section for an object the patch does not have: $res (its relocations are never written)"
fi
rm_lp test_klp_reloc_wrongobj; rm_mod $TARGET

start_test "failure atomicity" >/dev/null
ko=$(variant overlap $PATCH rela-overlap .klp.rela.$TARGET..text.klp_second)
ins "$ko" && wait_transition $PATCH
ins "$MODS/$TARGET.ko"; r1=$ERR
n1=$(dmesg | grep -c "already written by another relocation")
ins "$MODS/$TARGET.ko"; r2=$ERR
n2=$(dmesg | grep -c "already written by another relocation")
stale=$(dmesg | comm --nocheck-order -13 "$SAVED_DMESG" - | grep -c -e "are not zero" -e "existing value is nonzero")
if [[ $KLP == 1 ]]; then
	[[ -n $r1 && -n $r2 && $n2 == $((n1 + 1)) && $stale == 0 ]]
	verdict $? "a write failing part-way undoes the object's earlier sections: two identical refusals" "$r1 / $r2"
else
	base_says "failure atomicity: 1st target load: ${r1:-loaded}; 2nd: ${r2:-loaded}; 'nonzero' complaints: $stale"
fi
rm_mod $TARGET; rm_lp $PATCH

# refused(name, ko, dmesg-pattern, errno-text, base-safe)
refused() {
	start_test "$1" >/dev/null
	if [[ $KLP == 0 && $5 != safe ]]; then
		base_says "$1: not run ($5)"
		return
	fi
	if ins "$2"; then res=loaded; else res="refused: $ERR"; fi
	if [[ $KLP == 1 ]]; then
		[[ $res == *"$4"* ]] && new_dmesg "$3"
		verdict $? "$1" "$res"
	else
		base_says "$1: $res"
	fi
	rm_lp "$(basename "$2" .ko)"
	rm_lp test_klp_reloc_vmlinux; rm_lp $PATCH
}

VSEC=.klp.rela.vmlinux..text
MSEC=.klp.rela.$TARGET..text
refused "offset far past its section is refused" \
	"$(variant badoff test_klp_reloc_vmlinux rela-offset $VSEC 0 0x100000)" \
	"section $VSEC, rela 0: symbol .* offset 0x100000 + 4 bytes is outside .text" \
	"Invalid module format" "oopses at insmod"
refused "offset just past its section is refused" \
	"$(variant badoff2 test_klp_reloc_vmlinux rela-offset-end $VSEC 0 2)" \
	"section $VSEC, rela 0: symbol .* + 4 bytes is outside .text" \
	"Invalid module format" "writes past the section at insmod"
refused "symbol index past the symtab is refused" \
	"$(variant badsym test_klp_reloc_vmlinux rela-sym $VSEC 0 100000)" \
	"section $VSEC, rela 0: symbol index 100000 is outside the symbol table" \
	"Invalid module format" "oopses at insmod"
refused "klp section of type SHT_PROGBITS is refused" \
	"$(variant progbits test_klp_reloc_vmlinux sh-type $VSEC 1)" \
	"section $VSEC: type 1 is not SHT_RELA" \
	"Invalid module format" safe
refused "module-target klp section without SHF_ALLOC is refused at load" \
	"$(variant noalloc $PATCH sh-clear-flags $MSEC 2)" \
	"section $MSEC: a section for module $TARGET must be SHF_ALLOC" \
	"Invalid module format" safe
refused "module-specific section using a vmlinux symbol is refused at load" \
	"$(variant modvml $PATCH rela-sym-name $MSEC 0 .klp.sym.vmlinux.saved_command_line,0)" \
	"section $MSEC, rela 0: symbol '.klp.sym.vmlinux.saved_command_line,0' is in vmlinux, but the section may only use $TARGET" \
	"Invalid module format" safe
refused "R_X86_64_32 overflow is refused before the write" \
	"$(variant overflow test_klp_reloc_vmlinux rela-type $VSEC 1 10)" \
	"section $VSEC, rela 1: symbol .* overflows relocation type 10" \
	"Numerical result out of range" safe

echo "1..$nr"
exit $((failed != 0))
