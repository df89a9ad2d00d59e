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
CYCLES=${KLP_RELOC_CYCLES:-500}

is_root
[[ -f $MODS/$PATCH.ko ]] || skip "no test modules in $MODS"
# Our kernels: release *-klp, or *-klp-<variant> (klp-debug, klp-6.12).
[[ $(uname -r) =~ -klp(-[a-z0-9.]+)*$ ]] && KLP=1 || KLP=0
# 6.12's loader refuses some malformations itself, in its own words.
[[ $(uname -r) =~ ^6\.12\. ]] && LINE_6_12=1 || LINE_6_12=0
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

# begin(test) - start_test, and keep the log as it is now: 6.12's
# functions.sh keeps no copy of its own.
begin() {
	start_test "$1" >/dev/null
	dmesg > "$WORK/dmesg.start"
}

# new_dmesg(pattern) - did the kernel log a line matching pattern since begin?
new_dmesg() {
	dmesg | comm --nocheck-order -13 "$WORK/dmesg.start" - | grep -q -e "$1"
}

# variant(out, in, edit...) - a spoiled copy of a test module
variant() {
	local out=$WORK/$1.ko in=$MODS/$2.ko
	shift 2
	python3 "$EDIT" "$in" "$out" "$@" || die "klp-edit $*"
	echo "$out"
}

# patched_across_reload(test, ko, livepatch, what) - load the patch, then
# the target, unload it and load it again at another address (a filler
# module takes its place): patched both times?
patched_across_reload() {
	local a1 a2
	begin "$1"
	ins "$2" && wait_transition "$3"
	ins "$MODS/$TARGET.ko"
	a1=$(answer)
	rm_mod $TARGET
	ins "$MODS/test_klp_reloc_filler.ko"
	ins "$MODS/$TARGET.ko"
	a2=$(answer)
	rm_mod test_klp_reloc_filler
	if [[ $KLP == 1 || ( $a1 == "$PATCHED" && $a2 == "$PATCHED" ) ]]; then
		[[ $a1 == "$PATCHED" && $a2 == "$PATCHED" ]]
		verdict $? "$4: target after it, reloaded: $a1, $a2" "$ERR"
	else
		base_says "$4: $a1, then ${a2:-$ERR}"
	fi
	rm_mod $TARGET; rm_lp "$3"
}

VSEC=.klp.rela.vmlinux..text
MSEC=.klp.rela.$TARGET..text

echo "TAP version 13"

begin "vmlinux function and variable"
ins "$MODS/test_klp_reloc_vmlinux.ko" && wait_transition test_klp_reloc_vmlinux
grep -q "^test_klp_reloc_vmlinux: .* core_kernel_text=works" /proc/cmdline
verdict $? "vmlinux: unexported function and variable reached through klp relocations" "$ERR"
rm_lp test_klp_reloc_vmlinux

begin "target loaded before the patch"
ins "$MODS/$TARGET.ko"
before=$(answer)
ins "$MODS/$PATCH.ko" && wait_transition $PATCH
[[ $before == 1 && $(answer) == "$PATCHED" ]]
verdict $? "module target loaded before the patch: answer $before -> $(answer)" "$ERR"
rm_lp $PATCH; rm_mod $TARGET

# The target also holds an init-only copy of the duplicated name, listed
# first: sympos must not count it, though the target is still coming.
begin "target loaded after the patch"
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

# Every other cycle a filler module takes the place the target left, so
# the target comes back elsewhere: its relocations must be written anew.
begin "reload cycles"
good=0
declare -A places
for ((i = 1; i <= CYCLES; i++)); do
	((i % 2)) || ins "$MODS/test_klp_reloc_filler.ko" || break
	ins "$MODS/$TARGET.ko" || break
	places[$(cat /sys/module/$TARGET/sections/.text)]=1
	[[ $(answer) == "$PATCHED" ]] || break
	rm_mod $TARGET
	rm_mod test_klp_reloc_filler
	good=$i
done
rm_mod test_klp_reloc_filler
if [[ $KLP == 1 || $good == "$CYCLES" ]]; then
	((good == CYCLES && ${#places[@]} > 1))
	verdict $? "$CYCLES unload/reload cycles of the target with the patch enabled, at ${#places[@]} addresses: $good good" "$ERR"
else
	base_says "reload cycles: $good of $CYCLES good; cycle $((good + 1)): $ERR; $(dmesg | grep -m1 -o 'existing value is nonzero.*')"
fi
rm_mod $TARGET; rm_lp $PATCH
# The cycles filled the kernel's log buffer: the tests below, which read
# what they made the kernel say, start from an empty one.
dmesg -C

begin "patch removed, target reloaded"
ins "$MODS/$TARGET.ko"
ins "$MODS/$PATCH.ko" && wait_transition $PATCH
rm_lp $PATCH; rm_mod $TARGET
ins "$MODS/$TARGET.ko"
[[ $(answer) == 1 ]]
verdict $? "patch disabled and removed, then the target reloaded: answer $(answer)" "$ERR"
rm_mod $TARGET

begin "atomic replace"
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

# Symbols the source already names in the format (as kpatch-style tools
# write them) are kept by kbuild's klp-convert step.
patched_across_reload "symbols named in the format by the source" \
	"$MODS/test_klp_reloc_named.ko" test_klp_reloc_named \
	"a patch whose source names its symbols .klp.sym.*"

# A patch that sets and reads its target's own static key: the key must
# be the module's, whichever of the two loads first.
begin "a target module's static key"
KEY=/sys/module/$TARGET/parameters/key
ins "$MODS/$TARGET.ko"
k0=$(cat $KEY)
ins "$MODS/test_klp_reloc_keys.ko" && wait_transition test_klp_reloc_keys
a1=$(answer); k1=$(cat $KEY)
rm_mod $TARGET
ins "$MODS/$TARGET.ko"
k2=$(cat $KEY); a2=$(answer); k3=$(cat $KEY)
res="$k0 $a1 $k1, $k2 $a2 $k3"
if [[ $KLP == 1 || $res == "off 1001 on, off 1001 on" ]]; then
	[[ $res == "off 1001 on, off 1001 on" ]]
	verdict $? "static_branch_enable()/static_key_enabled() on the target's key, target before and after the patch: $res" "$ERR"
else
	base_says "the target's static key, target before and after the patch: $res; $ERR"
fi
rm_mod $TARGET; rm_lp test_klp_reloc_keys

# The patch's own static branch on an unexported vmlinux key.
begin "a static branch on a vmlinux key"
EV=/sys/kernel/debug/tracing/events/sched/sched_switch/enable
[[ -e $EV ]] || EV=/sys/kernel/tracing/events/sched/sched_switch/enable
ins "$MODS/test_klp_reloc_vkey.ko" && wait_transition test_klp_reloc_vkey
c0=$(grep -o 'sched_switch: [a-z]*' /proc/cmdline)
echo 1 > $EV
c1=$(grep -o 'sched_switch: [a-z]*' /proc/cmdline)
echo 0 > $EV
c2=$(grep -o 'sched_switch: [a-z]*' /proc/cmdline)
[[ $c0 == "sched_switch: off" && $c1 == "sched_switch: on" && $c2 == "sched_switch: off" ]]
verdict $? "the patch's static branch on an unexported vmlinux key follows the key: $c0, $c1, $c2" "$ERR"
rm_lp test_klp_reloc_vkey

begin "non-livepatch module with markers"
ko=$(variant nolp test_klp_reloc_nolp no-livepatch-modinfo)
if ins "$ko"; then res=loaded; else res="refused: $ERR"; fi
if [[ $KLP == 1 ]]; then
	[[ $res != loaded ]] && new_dmesg "test_klp_reloc_nolp: section .klp.rela.vmlinux..text is SHF_RELA_LIVEPATCH, but the module lacks modinfo livepatch=Y"
	verdict $? "module without livepatch modinfo carrying klp markers is refused" "$res"
else
	base_says "module without livepatch modinfo carrying klp markers: $res"
fi
rm_mod test_klp_reloc_nolp

# wrong_object(test, ko, what) - a patch with a section for an object it
# does not have is refused at enable, naming that section
wrong_object() {
	local res
	begin "$1"
	ins "$MODS/$TARGET.ko"
	if ins "$2"; then res=loaded; else res="refused: $ERR"; fi
	if [[ $KLP == 1 ]]; then
		[[ $res != loaded ]] && new_dmesg "test_klp_reloc_wrongobj: section .klp.rela.$TARGET..text: object '$TARGET' is neither vmlinux nor one of the patch's objects"
		verdict $? "$3 is refused at enable" "$res"
	else
		base_says "$3: $res (its relocations are never written)"
	fi
	rm_lp test_klp_reloc_wrongobj; rm_mod $TARGET
}

wrong_object "wrong object name" "$MODS/test_klp_reloc_wrongobj.ko" \
	"section for an object the patch does not have"
# An empty section names its object all the same.
wrong_object "wrong object name, empty section" \
	"$(variant wrongobj0 test_klp_reloc_wrongobj sh-size .klp.rela.$TARGET..text 0)" \
	"an empty section for an object the patch does not have"

# A target refused by its patch: the patch says so in one line, the
# target's insmod fails with the patch's errno, nothing stays behind, and a
# second try fares the same.
begin "one message per refusal"
ko=$(variant badpos $PATCH rename test_klp_reloc_dup,2 test_klp_reloc_dup,9)
ins "$ko" && wait_transition $PATCH
lines=()
for try in 1 2; do
	mark=$(dmesg | wc -l)
	ins "$MODS/$TARGET.ko"; errs[$try]=$ERR
	# What the kernel said, less our own "% insmod" notes and the
	# once-per-boot note about unsigned modules.
	said[$try]=$(dmesg | tail -n +$((mark + 1)) | grep -v -e '% insmod' -e 'module verification failed')
done
want1="$PATCH: refusing to load module $TARGET: section $MSEC.klp_second, rela "
want2=": symbol 'test_klp_reloc_dup' has no position 9 in $TARGET (2 found)"
if [[ $KLP == 1 ]]; then
	[[ -n ${errs[1]} && ${errs[1]} == "${errs[2]}" ]] &&
		[[ $(wc -l <<< "${said[1]}") == 1 && ${said[1]} == *"$want1"[0-9]*"$want2" ]] &&
		[[ ${said[2]#*]} == "${said[1]#*]}" ]]
	verdict $? "a target refused by its patch: one line that names the patch and why, each time" "${errs[1]}: ${said[1]} / ${said[2]}"
else
	base_says "target refused by its patch: ${errs[1]}; the log: $(tr '\n' '|' <<< "${said[1]}")"
fi
rm_mod $TARGET; rm_lp $PATCH

# klp_agrees(what, ko, res) - klp-check, given this kernel's kallsyms,
# predicts what the kernel did with ko: exit 1 where the kernel refused it,
# 0 where it loaded.  On a stock kernel (the base, Debian's) only its
# refusals are held against klp-check, which must foresee each of them;
# where the stock kernel takes a malformed module, klp-check refusing it is
# the point.  Only where klp-check is given (KLP_CHECK).
klp_agrees() {
	local out rc want=1
	[[ -n ${KLP_CHECK:-} ]] || return 0
	[[ $KLP == 1 || $3 != loaded ]] || return 0
	out=$("$KLP_CHECK" --kallsyms /proc/kallsyms "$2" 2>&1)
	rc=$?
	[[ $3 == loaded ]] && want=0
	[[ $rc == "$want" ]]
	verdict $? "klp-check predicts it: $1 (klp-check exit $rc)" \
		"$(grep -v '^klp-check: ' <<< "$out" | head -3 | tr '\n' ' ')"
}

# refused(name, ko, dmesg-pattern, errno-text, base-safe[, 6.12-pattern])
# The last: what 6.12's loader says, where it refuses the module first.
refused() {
	local want=$3 safe=$5
	begin "$1"
	if [[ $LINE_6_12 == 1 && -n ${6:-} ]]; then
		want=$6 safe=safe
	fi
	if [[ $KLP == 0 && $safe != safe ]]; then
		base_says "$1: not run ($5)"
		return
	fi
	if ins "$2"; then res=loaded; else res="refused: $ERR"; fi
	if [[ $KLP == 1 ]]; then
		[[ $res == *"$4"* ]] && new_dmesg "$want"
		verdict $? "$1" "$res"
		klp_agrees "$1" "$2" "$res"
	else
		base_says "$1: $res"
		klp_agrees "$1" "$2" "$res"
	fi
	rm_lp "$(basename "$2" .ko)"
	rm_lp test_klp_reloc_vmlinux; rm_lp $PATCH
}

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
# The ordinary entries, before the loader's writer (fuzz round 6322): that
# refuses the first in two lines naming no entry, lets the second wrap
# (to the same bytes, here), and refuses the third naming an address.
refused "an ordinary R_X86_64_32S whose value overflows is refused at load, named" \
	"$(variant plain32s test_klp_reloc_vmlinux rela-addend .rela.text %11 -0x8000000000000000)" \
	"test_klp_reloc_vmlinux: section .rela.text, rela [0-9]*: symbol '.data' + 0x8000000000000000: value 0x[0-9a-f]* overflows relocation type 11$" \
	"Invalid module format" safe
refused "an ordinary PC32 whose value wraps is refused at load" \
	"$(variant plainpc test_klp_reloc_vmlinux rela-addend .rela.text =klp_enable_patch 0x100000000)" \
	"test_klp_reloc_vmlinux: section .rela.text, rela [0-9]*: symbol 'klp_enable_patch' + 0xfffffffc: value 0x[0-9a-f]* overflows relocation type 4$" \
	"Invalid module format" safe
refused "an ordinary relocation onto bytes that are not zero is refused at load, named" \
	"$(variant plainnz test_klp_reloc_vmlinux rela-shift .rela.text %11 -3)" \
	"test_klp_reloc_vmlinux: section .rela.text, rela [0-9]*: symbol '.data': the 4 bytes it writes at .text+0x[0-9a-f]* are not zero$" \
	"Invalid module format" safe

refused "two entries writing the same bytes are refused at load" \
	"$(variant overlap $PATCH rela-overlap $MSEC.klp_second)" \
	"section $MSEC.klp_second, rela [0-9]*: writes bytes that entry 0 of section $MSEC.klp_second also writes" \
	"Invalid module format" "refuses the target's every load after the first"
refused "two entries overlapping by two bytes are refused at load" \
	"$(variant overlap2 $PATCH rela-overlap $MSEC.klp_second 2)" \
	"section $MSEC.klp_second, rela [0-9]*: writes bytes that entry 0 of section $MSEC.klp_second also writes" \
	"Invalid module format" "accepts them when the bytes happen to be zero"
refused "an ordinary relocation section using a klp symbol is refused" \
	"$(variant plainrela test_klp_reloc_vmlinux sh-clear-flags $VSEC 0x100000)" \
	"section $VSEC, rela 0: symbol '.klp.sym.vmlinux.[a-z_]*,0' is SHN_LIVEPATCH, but this is not a SHF_RELA_LIVEPATCH section" \
	"Invalid module format" "relocates against st_value 0 and runs the result"
refused "a symbol table that is its own string table is refused" \
	"$(variant selflink test_klp_reloc_vmlinux sh-link .symtab self)" \
	"test_klp_reloc_vmlinux: section .symtab: symbol table links section [0-9]*, which is not a string table" \
	"Invalid module format" "frees the symbol table twice at unload" \
	"Invalid ELF symbol string table type: 2"
refused "a module object's relocation into init memory is refused at load" \
	"$(variant initsec test_klp_reloc_init rename .xnit.data .init.xdat)" \
	"section .klp.rela.$TARGET..init.xdat: target .init.xdat is freed after the patch's init, before module $TARGET can come" \
	"Invalid module format" "reads and writes freed init memory when the target comes"
refused "a module object's relocation into __jump_table is refused at load" \
	"$(variant jumpsec test_klp_reloc_init rename __jxmp_table __jump_table)" \
	"section .klp.rela.$TARGET.__jump_table: target __jump_table holds static branch (jump label) entries, consumed when the patch loads, before module $TARGET can come" \
	"Invalid module format" "jump_label_add_module() reads the fake entries"

refused "a klp target section without SHF_ALLOC is refused at load" \
	"$(variant tnoalloc test_klp_reloc_vmlinux sh-clear-flags .text 2)" \
	"section $VSEC: target section .text is not SHF_ALLOC code or data (type 1)" \
	"Invalid module format" "writes into the unloaded image and enables a patch into nowhere"
refused "an SHT_NOBITS klp target section is refused at load" \
	"$(variant tnobits test_klp_reloc_vmlinux sh-type .text 8)" \
	"section $VSEC: target section .text is not SHF_ALLOC code or data (type 8)" \
	"Invalid module format" "runs zero-filled code"
refused "a klp entry on bytes an ordinary relocation writes is refused at load" \
	"$(variant onplain test_klp_reloc_vmlinux rela-onto-plain $VSEC 0)" \
	"test_klp_reloc_vmlinux: section .*, rela [0-9]*: writes bytes that entry [0-9]* of section .* also writes" \
	"Invalid module format" safe
refused "a symbol name offset past the string table is refused at load" \
	"$(variant stname test_klp_reloc_vmlinux sym-st-name .klp.sym.vmlinux.saved_command_line,0 0x7fffff00)" \
	"test_klp_reloc_vmlinux: section .symtab: symbol \[[0-9]*\]: name offset 2147483392 is outside the string table" \
	"Invalid module format" "oopses in layout_symtab() at insmod"
refused "a section alignment of 2^32 is refused at load" \
	"$(variant align test_klp_reloc_vmlinux sh-addralign .text 0x100000000)" \
	"test_klp_reloc_vmlinux: section .text: alignment 4294967296 is not a power of two up to 4096" \
	"Invalid module format" "lays .text out past the memory it allocates"
refused "an ftrace call site that is not a call to __fentry__ is refused at load" \
	"$(variant mcount test_klp_reloc_vmlinux rela-addend .rela__mcount_loc 0 1)" \
	"test_klp_reloc_vmlinux: section __mcount_loc, entry 0: not a call to __fentry__ in the module's text" \
	"Invalid module format" "ftrace_bug() disables ftrace, and every livepatch, until reboot"
refused "an ftrace call site left zero is refused at load" \
	"$(variant mcount0 test_klp_reloc_vmlinux sh-type .rela__mcount_loc 1)" \
	"test_klp_reloc_vmlinux: section __mcount_loc, entry 0: zero, not a call site" \
	"Invalid module format" "reads before ftrace's records when init memory is freed (KASAN: slab-out-of-bounds in ftrace_free_mem())"
refused "a return site that is not a jump to the return thunk is refused at load" \
	"$(variant retsite test_klp_reloc_vmlinux rela-addend .rela.return_sites 0 1)" \
	"test_klp_reloc_vmlinux: section .return_sites, entry 0: the site is not a" \
	"Invalid module format" "WARNs \"missing return thunk\" with a stack dump (a panic under panic_on_warn)"
refused "a klp_patch whose .mod was never relocated is refused, saying so" \
	"$(variant nomod test_klp_reloc_vmlinux sh-type .rela.data 0)" \
	"livepatch: test_klp_reloc_vmlinux: the patch's .mod is not a loaded module" \
	"Invalid parameters" safe
refused "a struct module section shorter than struct module is refused at load" \
	"$(variant thismod test_klp_reloc_vmlinux sh-size .gnu.linkonce.this_module 0x100)" \
	"module section .gnu.linkonce.this_module: 256 bytes (section \[[0-9]*\]), not this kernel's struct module of [0-9]*" \
	"Invalid module format" "leaves the struct's end in other sections, skips the livepatch checks, and oopses in add_kallsyms()" \
	"module test_klp_reloc_vmlinux: .gnu.linkonce.this_module section size must match"
# Where this kernel's struct module keeps two fields the loader fills in
# and trusts (fuzz round 7283: a flipped bit in the per-CPU pointer of a
# patch without per-CPU data, which the loader freed when it refused it).
ins "$MODS/test_klp_reloc_filler.ko"
PCPU_OFF=$(cat /sys/module/test_klp_reloc_filler/parameters/percpu_off)
KLP_OFF=$(cat /sys/module/test_klp_reloc_filler/parameters/klp_off)
rm_mod test_klp_reloc_filler
refused "a struct module that brings a per-CPU pointer is refused at load" \
	"$(variant modpcpu test_klp_reloc_vmlinux sec-byte .gnu.linkonce.this_module $((PCPU_OFF + 5)) 0x40)" \
	"test_klp_reloc_vmlinux: section .gnu.linkonce.this_module: byte 0x40 at offset $((PCPU_OFF + 5)) of struct module, where a module brings nothing but its name" \
	"Invalid module format" "frees a per-CPU area it never allocated: oopses in free_percpu() at rmmod, or when a later check refuses the module"
refused "a module without livepatch=Y whose struct module says livepatch is refused" \
	"$(variant modklp test_klp_reloc_filler sec-byte .gnu.linkonce.this_module $KLP_OFF 1)" \
	"test_klp_reloc_filler: its struct module says it is a livepatch module, but the module lacks modinfo livepatch=Y" \
	"Invalid module format" safe
rm_mod test_klp_reloc_filler
refused "a struct module the loader would lay out read-only is refused at load" \
	"$(variant modro test_klp_reloc_vmlinux sh-clear-flags .gnu.linkonce.this_module 1)" \
	"test_klp_reloc_vmlinux: section .gnu.linkonce.this_module: flags 0x2: struct module would be laid out in memory that becomes read-only, and the loader writes its state there" \
	"Invalid module format" "oopses writing the module's state into read-only memory at insmod"
# Pointers the loader calls (fuzz rounds 7513 and 7559: an init and a
# constructor moved 2^63 - 1 bytes on, which the loader jumped to).
refused "an init pointer outside the module's code is refused at load" \
	"$(variant initptr test_klp_reloc_vmlinux rela-addend .rela.gnu.linkonce.this_module =init_module 0x1000000)" \
	"test_klp_reloc_vmlinux: section .rela.gnu.linkonce.this_module, rela [0-9]*: symbol 'init_module' + 0x1000000: the loader calls the pointer this entry writes into .gnu.linkonce.this_module, and it does not point into the module's own code$" \
	"Invalid module format" "calls the patch's init 16 MB past it"
refused "an object name with '-' is refused at load" \
	"$(variant dashobj $PATCH rename test_klp_reloc_target. test-klp_reloc_target.)" \
	"section .klp.rela.test-klp_reloc_target..text: object name has '-': module names use '_'" \
	"Invalid module format" "never applies the section; the patched code runs with zeroes"
# The new function must be code that stays (fuzz rounds 5444 and 5668:
# the stock core found out only when the target came, in three lines).
NF="$PATCH: object '$TARGET' ([0-9]*), function 'test_klp_reloc_answer': its new function"
# A megabyte on is past the module, in no module's memory unless another
# one happens to be there: "not code", or "not in a text section" then.
refused "a new function far past the patch module's text is refused at enable" \
	"$(variant nfpast $PATCH rela-addend .rela.data @funcs+8 0x100000)" \
	"$NF .* is not \(code\|in a text section of the patch module\)$" \
	"Invalid parameters" safe
refused "a new function in the patch module's data is refused at enable" \
	"$(variant nfdata $PATCH rela-to .rela.data @funcs+8 funcs)" \
	"$NF .* is not in a text section of the patch module" "Invalid parameters" safe
refused "a new function in the patch module's init memory is refused at enable" \
	"$(variant nfinit $PATCH rela-to .rela.data @funcs+8 '__UNIQUE_ID___addressable_init_module*')" \
	"$NF .* is in the patch module's init memory, which is freed once it has loaded" \
	"Invalid parameters" safe

# works(name, ko) - test_klp_reloc_vmlinux, or a variant, loads, enables
# and works; klp-check says it would
works() {
	begin "$1"
	ins "$2" && wait_transition test_klp_reloc_vmlinux
	grep -q "^test_klp_reloc_vmlinux: .* core_kernel_text=works" /proc/cmdline
	verdict $? "$1" "$ERR"
	if [[ -e /sys/module/test_klp_reloc_vmlinux ]]; then
		klp_agrees "$1" "$2" loaded
	else
		klp_agrees "$1" "$2" refused
	fi
	rm_lp test_klp_reloc_vmlinux
}

# A vmlinux section need not be SHF_ALLOC: it is written at load, and
# nothing reads it after.
works "a vmlinux klp section without SHF_ALLOC loads, enables and works" \
	"$(variant vnoalloc test_klp_reloc_vmlinux sh-clear-flags $VSEC 2)"
# The loader makes any value of modinfo "livepatch" a livepatch module.
works "a patch whose modinfo says livepatch=N is a livepatch all the same" \
	"$(variant lpN test_klp_reloc_vmlinux livepatch-modinfo N)"
# A module whose init enables its patch twice: the second call must not
# put the patch on klp_patches again.
t="a patch its module's init enables twice is enabled once, and works"
begin "$t"
if [[ $KLP == 1 ]]; then
	ins "$MODS/test_klp_reloc_twice.ko" && wait_transition test_klp_reloc_twice &&
		grep -q "^test_klp_reloc_twice: .* core_kernel_text=works" /proc/cmdline &&
		new_dmesg "livepatch: test_klp_reloc_twice: the patch is registered already"
	verdict $? "$t" "$ERR"
	rm_lp test_klp_reloc_twice
	[[ ! -e /sys/module/test_klp_reloc_twice ]]
	verdict $? "... and is disabled and unloaded"
else
	base_says "$t: not run (the second klp_init_patch() adds the patch to klp_patches again: the list loops, and its next walk hangs)"
fi
patched_across_reload "module patch whose vmlinux section is not SHF_ALLOC" \
	"$(variant mvnoalloc $PATCH sh-clear-flags $VSEC 2)" $PATCH \
	"a module patch with a non-SHF_ALLOC vmlinux section"

echo "1..$nr"
exit $((failed != 0))
