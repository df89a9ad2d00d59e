#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Unit tests of klp-convert, klp-check and klp-dump, in TAP.  The objects
# are compiled here from fixtures/ with plain gcc -c: a stand-in vmlinux
# (two files, so that a static name occurs twice), a target module "tmod"
# and a livepatch module whose imports -D picks.  klp-check's rules are
# tested by breaking one thing at a time in a good module with ./mangle.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
BIN=${BIN:-$here/../bin}
CC=${CC:-gcc}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
n=0
failed=0

pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

# expect DESC STATUS TEXT CMD...: CMD exits with STATUS and prints TEXT.
expect() {
	local desc=$1 want=$2 text=$3 out got
	shift 3
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -qF -- "$text" <<<"$out"; }; then
		pass "$desc"
	else
		fail "$desc"
		sed 's/^/#   /' <<<"$out" | head -20
		echo "# exit $got (wanted $want), wanted text: $text"
	fi
}

# expect_match DESC REGEX TEXT: TEXT has a line matching REGEX.
expect_match() {
	local desc=$1 re=$2 out=$3
	if grep -qE -- "$re" <<<"$out"; then
		pass "$desc"
	else
		fail "$desc"
		sed 's/^/#   /' <<<"$out" | head -20
		echo "# wanted: $re"
	fi
}

cflags="-O2 -fno-pic -mcmodel=kernel -fno-asynchronous-unwind-tables -I$top/include"
compile() { $CC $cflags -c -o "$w/$1.o" "$here/fixtures/$2.c" "${@:3}" || exit 2; }

compile a vmlinux-a
compile b vmlinux-b
ld -r -o "$w/vmlinux.o" "$w/a.o" "$w/b.o" || exit 2
compile tmod tmod
$CC -O2 -Wall -Werror -o "$w/mangle" -D_GNU_SOURCE "$here/mangle.c" "$here/../elf.c" -lelf || exit 2
$CC -O2 -Wall -Werror -o "$w/name-cases" "$here/name-cases.c" || exit 2
mangle() { "$w/mangle" "$@" || exit 2; }
# symidx FILE NAME: the symbol table index of symbol NAME in FILE.
symidx() { readelf -W -s "$1" | awk -v n="$2" '$NF == n { sub(":", "", $1); print $1; exit }'; }

# --- a sanitized copy of the tools, and what it finds ---
# The copy is built with AddressSanitizer and UBSan.  Each tool run below
# goes through tool(), which first runs the same command line on the copy
# with LeakSanitizer on (or, where LeakSanitizer cannot work, the tool
# under valgrind), writing only into $w/leak, then runs $BIN's tool, whose
# result the test looks at.  leak_report says what the copies found.
# KLP_LEAK_CHECK=asan|valgrind|none picks the checker instead.
san=$w/san
leak=$w/leak
mkdir -p "$san" "$leak"
sanflags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE"
leak_via=
if echo 'int main(void) { return 0; }' | $CC $sanflags -x c -o "$san/probe" - 2>/dev/null &&
   "$san/probe"; then
	make -s -C "$here/.." san SAN="$san" CC="$CC" || exit 2
	# A leak it must find, or it is not working here (ptrace, no /proc).
	echo '#include <stdlib.h>
int main(void) { return !malloc(99); }' | $CC $sanflags -x c -o "$san/leaky" - 2>/dev/null &&
	ASAN_OPTIONS=detect_leaks=1:exitcode=99 "$san/leaky" 2>/dev/null
	[ $? = 99 ] && leak_via=asan
fi
if [ -z "$leak_via" ] && command -v valgrind >/dev/null; then
	leak_via=valgrind
fi
case ${KLP_LEAK_CHECK:-} in
asan|valgrind) leak_via=$KLP_LEAK_CHECK;;
none) leak_via=;;
esac

# leak_run TOOL ARG...: one run of the leak-checked TOOL, into $w/leak.
leak_run() {
	local t=$1 a out= args=() log
	shift
	[ -n "$leak_via" ] || return 0
	for a in "$@"; do
		# -o into a directory that exists goes to $w/leak instead
		[ -n "$out" ] && [ -d "$(dirname -- "$a")" ] && a=$leak/out
		[ "$a" = -o ] && out=1 || out=
		args+=("$a")
	done
	[ "$t" = klp-convert ] && ! printf '%s\n' "$@" | grep -qx -- -o &&
		args=(-o "$leak/out" "${args[@]}")
	log=$leak/$t.log
	case $leak_via in
	asan)
		ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:exitcode=99 \
			UBSAN_OPTIONS=exitcode=99 \
			"$san/$t" "${args[@]}" >/dev/null 2>"$log" </dev/null;;
	valgrind)
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 "$BIN/$t" "${args[@]}" >/dev/null 2>"$log" </dev/null;;
	esac
	if [ $? = 99 ] || grep -q 'LeakSanitizer\|definitely lost\|indirectly lost' "$log"; then
		{ echo "# $t ${args[*]}"; sed 's/^/#   /' "$log"; } >> "$leak/$t.found"
	fi
	echo >> "$leak/$t.runs"
}

tool() { leak_run "$@"; "$BIN/$1" "${@:2}"; }
convert() { tool klp-convert --vmlinux "$w/vmlinux.o" "$@"; }
check() { tool klp-check "$@"; }

# leak_report: one TAP line per tool.
leak_report() {
	local t runs desc
	for t in klp-convert klp-check klp-dump; do
		runs=$(cat "$leak/$t.runs" 2>/dev/null | wc -l)
		desc="no leaks in $t over $runs runs"
		if [ -z "$leak_via" ]; then
			n=$((n + 1)); echo "ok $n - $desc # SKIP no leak checker (LeakSanitizer, valgrind)"
		elif [ ! -s "$leak/$t.found" ] && [ "$runs" -gt 0 ]; then
			pass "$desc ($leak_via)"
		else
			fail "$desc ($leak_via)"
			head -60 "$leak/$t.found" 2>/dev/null
		fi
	done
}

# --- the one parser, on the table the kernel's KUnit walks too ---
while read -r verdict desc; do
	[ "$verdict" = PASS ] && pass "$desc" || fail "$desc"
done < <("$w/name-cases")

# --- every tool has --help and refuses bad usage with 2 ---
for t in klp-convert klp-check klp-dump; do
	expect "$t --help" 0 "Usage: $t" tool "$t" --help
	expect "$t without arguments exits 2" 2 "" tool "$t"
done
expect "klp-convert needs a vmlinux or symvers source" 2 "need --kdir, --vmlinux, --kallsyms, --system-map or --symvers" \
	tool klp-convert "$w/a.o"
expect "klp-check: missing file exits 2" 2 "No such file" check "$w/nonexistent.ko"

# --- klp-convert ---
compile nolp patch -DNO_LIVEPATCH
expect "convert refuses a module without livepatch modinfo" 1 \
	"nolp.o: .modinfo: not a livepatch module: add MODULE_INFO(livepatch, \"Y\")" \
	convert "$w/nolp.o"
cp "$w/nolp.o" "$w/nolp-orig.o"
expect "convert --if-livepatch leaves other modules alone" 0 "" convert --if-livepatch "$w/nolp.o"
cmp -s "$w/nolp.o" "$w/nolp-orig.o" && pass "convert --if-livepatch: file unchanged" ||
	fail "convert --if-livepatch: file unchanged"

compile basic patch
expect "convert a vmlinux patch" 0 "" convert -o "$w/basic.ko" "$w/basic.o"
out=$(tool klp-dump "$w/basic.ko")
expect_match "unexported function moves to .klp.rela.vmlinux..text" \
	'R_X86_64_PLT32 +hidden_func +0 +-4' "$out"
expect_match "unexported variable becomes .klp.sym.vmlinux.hidden_var,0" \
	'\.klp\.sym\.vmlinux\.hidden_var,0$' "$out"
out=$(readelf -W -s "$w/basic.ko")
expect_match "exported variable keeps an ordinary relocation" 'NOTYPE +GLOBAL +DEFAULT +UND exported_var$' "$out"
expect_match "klp symbols are global in SHN_LIVEPATCH" \
	'GLOBAL +DEFAULT +(OS \[0xff20\]|PRC\[0xff20\]|0xff20) \.klp\.sym\.vmlinux\.hidden_func,0' "$out"
out=$(readelf -W -S "$w/basic.ko")
expect_match ".klp.rela section: RELA, flags A+I+livepatch, sh_info .text" \
	'\.klp\.rela\.vmlinux\.\.text +RELA .* 18 +AIo' "$out"
out=$(readelf -W -a "$w/basic.ko" 2>&1 >/dev/null)
[ -z "$out" ] && pass "converted object reads cleanly with readelf -a" ||
	{ fail "converted object reads cleanly with readelf -a"; sed 's/^/#   /' <<<"$out" | head; }
expect "klp-check accepts klp-convert's output" 0 "0 errors, 0 warnings" check "$w/basic.ko"
expect "klp-check --vmlinux resolves each klp symbol" 0 \
	".klp.sym.vmlinux.hidden_var,0 resolves to vmlinux 'hidden_var' #1 at 0x" \
	check --vmlinux "$w/vmlinux.o" "$w/basic.ko"
cp "$w/basic.ko" "$w/again.ko"
expect "convert takes a module already in the format" 0 "" convert "$w/again.ko"
cmp -s "$w/basic.ko" "$w/again.ko" && pass "a module already in the format is left byte for byte" ||
	fail "a module already in the format is left byte for byte"

# The kernel sorts each object's klp symbols by (name, sympos) unless the
# symtab has them so: klp-convert writes them so, and moves no entry.
compile order patch -DUSE_ORDER
und=$(readelf -W -s "$w/order.o" | awk '$7 == "UND" && $8 ~ /_order$/ { print $8 }')
[ "$und" = "$(printf 'zz_order\nmm_order')" ] && pass "the order fixture imports its names unsorted" ||
	{ fail "the order fixture imports its names unsorted"; echo "# $und"; }
expect "convert a patch whose names come unsorted" 0 "" convert -o "$w/order.ko" "$w/order.o"
out=$(readelf -W -s "$w/order.ko" | grep -o '\.klp\.sym\..*')
[ "$out" = "$(LC_ALL=C sort <<<"$out")" ] && [ "$(wc -l <<<"$out")" = 4 ] &&
	pass "klp symbols are written in (object, name, sympos) order" ||
	{ fail "klp symbols are written in (object, name, sympos) order"; sed 's/^/#   /' <<<"$out"; }
# offset and symbol of each entry into .text, before and after
rel_text() {
	readelf -W -r "$1" | awk -v s="$2" '/^Relocation section/ { in_s = ($3 == "'"'"'" s "'"'"'") }
		in_s && $5 ~ /(hidden|_order)/ { print $1, $5 }' |
		sed 's/ \.klp\.sym\.vmlinux\.\(.*\),0$/ \1/' | sort
}
before=$(rel_text "$w/order.o" .rela.text)
after=$(rel_text "$w/order.ko" .klp.rela.vmlinux..text)
[ -n "$before" ] && [ "$before" = "$after" ] &&
	pass "each moved entry still uses its own symbol" ||
	{ fail "each moved entry still uses its own symbol"; diff <(echo "$before") <(echo "$after") | sed 's/^/#   /'; }
expect "klp-check --vmlinux resolves the reordered symbols" 0 \
	".klp.sym.vmlinux.zz_order,0 resolves to vmlinux 'zz_order' #1" \
	check --vmlinux "$w/vmlinux.o" "$w/order.ko"

compile dup patch -DUSE_DUP
out=$(convert "$w/dup.o")
expect_match "ambiguous name: every candidate and its annotation" \
	"^$w/dup.o: \.rela\.text\[[0-9]+\]: symbol 'dup': 2 candidates in vmlinux: add KLP_SYMPOS\(dup, 1\) or KLP_SYMPOS\(dup, 2\)$" "$out"
expect_match "ambiguous name: candidates listed with addresses and source files" \
	"^$w/dup.o: note: vmlinux 'dup' #2 at 0x[0-9a-f]+ \(vmlinux-b\.c\): KLP_SYMPOS\(dup, 2\)$" "$out"
expect_match "ambiguous name: a local candidate is named by the STT_FILE before it" \
	"^$w/dup.o: note: vmlinux 'dup' #1 at 0x[0-9a-f]+ \(vmlinux-a\.c\): KLP_SYMPOS\(dup, 1\)$" "$out"
expect "ambiguous name exits 1" 1 "1 error, not converted" convert "$w/dup.o"
cp "$w/vmlinux.o" "$w/vmlinux-esc.o"
mangle "$w/vmlinux-esc.o" str .strtab vmlinux-b.c $'vml\x1bnux-b.c'
out=$(tool klp-convert --vmlinux "$w/vmlinux-esc.o" "$w/dup.o")
expect_match "ambiguous name: a source file's unprintable byte is escaped" \
	"note: vmlinux 'dup' #2 at 0x[0-9a-f]+ \(vml\\\\x1bnux-b\.c\): KLP_SYMPOS\(dup, 2\)$" "$out"
cp "$w/vmlinux.o" "$w/vmlinux-nofile.o"
mangle "$w/vmlinux-nofile.o" str .strtab vmlinux-b.c ""
out=$(tool klp-convert --vmlinux "$w/vmlinux-nofile.o" "$w/dup.o")
expect_match "ambiguous name: an empty STT_FILE name gives no source file" \
	"note: vmlinux 'dup' #2 at 0x[0-9a-f]+: KLP_SYMPOS\(dup, 2\)$" "$out"

compile dup2 patch -DUSE_DUP -DDUP_POS=2
expect "KLP_SYMPOS(dup, 2) picks the second" 0 "" convert -o "$w/dup2.ko" "$w/dup2.o"
expect "KLP_SYMPOS(dup, 2) gives .klp.sym.vmlinux.dup,2" 0 ".klp.sym.vmlinux.dup,2" \
	readelf -W -s "$w/dup2.ko"
expect "the annotation section is stripped" 1 "" grep -q annotations <(readelf -W -S "$w/dup2.ko")

# A COMDAT group names its signature by symbol index and its members by
# section index; both must follow what the strip renumbers.  In gcc's
# object the annotations come before the member section, in ld -r's their
# section symbol comes before the signature.
compile grp patch -DUSE_DUP -DDUP_POS=2 -DUSE_GROUP
ld -r -o "$w/grp-ld.o" "$w/grp.o" || exit 2
for g in grp grp-ld; do
	convert -o "$w/$g.ko" "$w/$g.o" >/dev/null || exit 2
	out=$(readelf -W -g "$w/$g.ko")
	if grep -qF "[grpsig] contains 1 section" <<<"$out" &&
	   grep -qE '^ +\[ *[0-9]+\] +\.text\.grp$' <<<"$out"; then
		pass "COMDAT group of $g.o: still signed grpsig, still holding .text.grp"
	else
		fail "COMDAT group of $g.o: still signed grpsig, still holding .text.grp"
		sed 's/^/#   /' <<<"$out"
	fi
done
expect "klp-check accepts the module with a COMDAT group" 0 "0 errors, 0 warnings" \
	check "$w/grp-ld.ko"
compile grpann patch -DUSE_DUP -DDUP_POS=2 -DUSE_GROUP -DGROUP_SIG_ANNOTATION
expect "a group signed by an annotation is refused, not renamed" 1 \
	"grpann.o: .group: the group's signature symbol 'grpsig' is in .comment.klp_annotations, which klp-convert removes" \
	convert -o "$w/grpann.ko" "$w/grpann.o"

# KLP_SYMPOS in a kbuild module: modpost takes the annotations without a
# warning, and the module linker script keeps them for klp-convert.
KDIR=${KDIR:-$top/build/base}
if [ -x "$KDIR/scripts/mod/modpost" ] && [ -f "$KDIR/scripts/module.lds" ]; then
	out=$(cd "$w" && "$KDIR/scripts/mod/modpost" -w -o "$w/Module.symvers" "$w/dup2.o" 2>&1)
	if grep -q "dup2.o (.*): unexpected non-allocatable section" <<<"$out"; then
		fail "modpost accepts the annotation section"
		sed 's/^/#   /' <<<"$out" | head -5
	else
		pass "modpost accepts the annotation section"
	fi
	ld -r -T "$KDIR/scripts/module.lds" -o "$w/dup2-lds.ko" "$w/dup2.o" || exit 2
	expect "the module linker script keeps the annotations for klp-convert" 0 \
		".klp.sym.vmlinux.dup,2" convert -v "$w/dup2-lds.ko"
else
	for t in "modpost accepts the annotation section" \
		 "the module linker script keeps the annotations for klp-convert"; do
		n=$((n + 1)); echo "ok $n - $t # SKIP no built kernel tree at $KDIR"
	done
fi
addr=$(nm "$w/vmlinux.o" | awk '$3 == "dup"' | sort | sed -n 2p | cut -d' ' -f1 | sed 's/^0*//')
expect "sympos 2 resolves to the higher-addressed 'dup'" 0 \
	"resolves to vmlinux 'dup' #2 at 0x$addr (vmlinux-b.c)" check --vmlinux "$w/vmlinux.o" "$w/dup2.ko"

compile dup3 patch -DUSE_DUP -DDUP_POS=3
expect "KLP_SYMPOS(dup, 3) is checked to exist" 1 \
	"KLP_SYMPOS(dup, 3): 2 symbols named 'dup' in vmlinux" convert "$w/dup3.o"

compile missing patch -DUSE_MISSING
expect "a symbol found nowhere is an error" 1 \
	"symbol 'missing' is not exported by vmlinux and not in its kallsyms; if a module holds it, pass that module's .ko with --module" \
	convert "$w/missing.o"

# a type the kernel does not write for a klp relocation is refused at the
# entry the compiler made, by name and number
bad=
while read -r type num; do
	compile rt patch -DRELOC_TYPE="\"$type\""
	out=$(convert "$w/rt.o")
	[ $? = 1 ] && grep -qE "^$w/rt\.o: \.rela\.text\[[0-9]+\]: symbol 'hidden_var': relocation type $type \($num\) cannot be a klp relocation: the kernel writes only R_X86_64_64, R_X86_64_PC32, R_X86_64_PLT32, R_X86_64_32, R_X86_64_32S, R_X86_64_PC64" <<<"$out" ||
		{ bad="$bad $type"; sed 's/^/#   /' <<<"$out" | head -3; }
	case $type in
	*GOTPCREL*)
		grep -qF "($num) cannot be a klp relocation: the kernel writes only R_X86_64_64, R_X86_64_PC32, R_X86_64_PLT32, R_X86_64_32, R_X86_64_32S, R_X86_64_PC64; the module was compiled as position-independent code (-fpic)" <<<"$out" ||
			bad="$bad $type(no -fpic hint)";;
	esac
done <<'EOF'
R_X86_64_GOTPCREL 9
R_X86_64_GOTPCRELX 41
R_X86_64_REX_GOTPCRELX 42
R_X86_64_16 12
R_X86_64_8 14
R_X86_64_PC16 13
R_X86_64_PC8 15
R_X86_64_SIZE32 32
R_X86_64_DTPOFF32 21
EOF
[ -z "$bad" ] && pass "convert refuses each type the kernel does not write, naming it" ||
	{ fail "convert refuses each type the kernel does not write, naming it"; echo "# wrong:$bad"; }
compile pic patch -fpic -mcmodel=small
expect "a GOT reference is explained as -fpic code" 1 \
	"pic.o: .symtab[$(symidx "$w/pic.o" _GLOBAL_OFFSET_TABLE_)]: symbol '_GLOBAL_OFFSET_TABLE_': the module was compiled as position-independent code (-fpic); kernel modules are built with -mcmodel=kernel and have no GOT" \
	convert "$w/pic.o"

# which vmlinux symbols count is scripts/kallsyms.c's rule, not a guess
compile ks patch -DUSE_KALLSYMS
expect "a vmlinux function named kallsyms_* converts like any other" 0 "" \
	convert -o "$w/ks.ko" "$w/ks.o"
expect "kallsyms_lookup_name becomes .klp.sym.vmlinux.kallsyms_lookup_name,0" 0 \
	".klp.sym.vmlinux.kallsyms_lookup_name,0" readelf -W -s "$w/ks.ko"
expect "a symbol in a non-allocated section does not count for sympos" 0 \
	".klp.sym.vmlinux.nadup,0" readelf -W -s "$w/ks.ko"
compile kst patch -DUSE_KALLSYMS -DUSE_KALLSYMS_TABLE
expect "kallsyms' own tables are not in kallsyms" 1 \
	"symbol 'kallsyms_names' is not exported by vmlinux and not in its kallsyms" \
	convert "$w/kst.o"

compile wdup patch -DUSE_WDUP
expect "a symbol in a writable non-allocated section counts, as nm lists it" 1 \
	"symbol 'wdup': 2 candidates in vmlinux" convert "$w/wdup.o"

compile tm patch -DUSE_TMOD
expect "without --module, target statics are not found" 1 "symbol 'tvar' is not exported" \
	convert "$w/tm.o"
expect "convert a module patch with --module" 0 "" \
	convert --module "$w/tmod.o" -o "$w/tm.ko" "$w/tm.o"
out=$(readelf -W -S "$w/tm.ko")
expect_match "module target: .klp.rela.tmod..text is SHF_ALLOC" '\.klp\.rela\.tmod\.\.text +RELA .* AIo' "$out"
expect "module patch passes klp-check and resolves in tmod" 0 \
	".klp.sym.tmod.tfunc,0 resolves to tmod 'tfunc' #1" check --module "$w/tmod.o" "$w/tm.ko"

# "tdup" has tdup_var three times: in .init.data first, then twice in
# .data.  The kernel counts a module's sympos after init: only 2 exist.
compile tdup-i tdup-init
compile tdup-d1 tdup-data -DVAL=2
compile tdup-d2 tdup-data -DVAL=3
ld -r -o "$w/tdup.o" "$w/tdup-i.o" "$w/tdup-d1.o" "$w/tdup-d2.o" || exit 2
compile tdup0 patch -DUSE_TDUP
expect "a module's init-only copy is no candidate" 1 \
	"add KLP_SYMPOS(tdup_var, 1) or KLP_SYMPOS(tdup_var, 2)" \
	convert --module "$w/tdup.o" "$w/tdup0.o"
if convert --module "$w/tdup.o" "$w/tdup0.o" 2>&1 | grep -q "tdup_var, 3\|#3"; then
	fail "and no sympos 3 is offered"
else
	pass "and no sympos 3 is offered"
fi
compile tdup3 patch -DUSE_TDUP -DTDUP_POS=3
expect "sympos 3 of a name the module keeps twice is refused" 1 \
	"KLP_SYMPOS(tdup_var, 3): 2 symbols named 'tdup_var' in tdup" \
	convert --module "$w/tdup.o" "$w/tdup3.o"
compile tdup2 patch -DUSE_TDUP -DTDUP_POS=2
expect "sympos 2 converts" 0 "" convert --module "$w/tdup.o" -o "$w/tdup2.ko" "$w/tdup2.o"
expect "klp-check --module binds sympos 2 to the second copy kept, at 0x4" 0 \
	".klp.sym.tdup.tdup_var,2 resolves to tdup 'tdup_var' #2 at 0x4" \
	check --module "$w/tdup.o" "$w/tdup2.ko"

compile both patch -DUSE_BOTH
expect "a name in vmlinux and a module asks for KLP_OBJECT" 1 \
	"symbol 'both': 2 candidates in vmlinux and tmod: add KLP_OBJECT(both, vmlinux) or KLP_OBJECT(both, tmod)" \
	convert --module "$w/tmod.o" "$w/both.o"
out=$(convert --module "$w/tmod.o" "$w/both.o")
expect_match "a module's local candidate names its source file" \
	"note: tmod 'both' #1 at 0x[0-9a-f]+ \(tmod\.c\): KLP_OBJECT\(both, tmod\)$" "$out"
expect_match "a global candidate names no source file" \
	"note: vmlinux 'both' #1 at 0x[0-9a-f]+: KLP_OBJECT\(both, vmlinux\)$" "$out"
compile both2 patch -DUSE_BOTH -DBOTH_OBJ=tmod
expect "KLP_OBJECT(both, tmod) picks the module" 0 "" \
	convert --module "$w/tmod.o" -o "$w/both2.ko" "$w/both2.o"
expect "KLP_OBJECT result names tmod" 0 ".klp.sym.tmod.both,0" readelf -W -s "$w/both2.ko"
compile both3 patch -DUSE_BOTH -DBOTH_OBJ=nomod
expect "KLP_OBJECT of an object not given is an error" 1 \
	"KLP_OBJECT(both, nomod): no symbol 'both' in nomod: pass its .ko with --module" \
	convert --module "$w/tmod.o" "$w/both3.o"
# every module that holds a name is a candidate, however many modules
echo 'int many = 1;' | $CC $cflags -x c -c -o "$w/mmod.o" - || exit 2
many=()
for i in $(seq 1 70); do
	cp "$w/mmod.o" "$w/m$i.o"
	many+=(--module "$w/m$i.o")
done
compile many patch -DUSE_MANY
out=$(convert "${many[@]}" "$w/many.o")
expect_match "70 modules holding a name are 70 candidates" \
	"symbol 'many': 70 candidates in m1 and m2 and .* and m70: add KLP_OBJECT\(many, m1\), .* or KLP_OBJECT\(many, m70\)$" \
	"$out"
expect_match "and each of the 70 is listed with its address" \
	"note: m70 'many' #1 at 0x0: KLP_OBJECT\(many, m70\)$" "$out"
compile many70 patch -DUSE_MANY -DMANY_OBJ=m70
expect "KLP_OBJECT picks the 70th of them" 0 ".klp.sym.m70.many,0" \
	convert -v "${many[@]}" -o "$w/many70.ko" "$w/many70.o"

compile unused patch -DUNUSED_ANN
expect "an annotation for a name not imported is a warning" 0 \
	".comment.klp_annotations: warning: annotation for 'nobody', which the module does not import" \
	convert -o "$w/unused.ko" "$w/unused.o"

cp "$w/tm.ko" "$w/again.ko"
expect "a module in the format needs no --module to pass through" 0 "" convert "$w/again.ko"
cmp -s "$w/tm.ko" "$w/again.ko" && pass "a vmlinux-and-module patch in the format is left unchanged" ||
	fail "a vmlinux-and-module patch in the format is left unchanged"

# symbols the source names in the format, as kpatch-style generators do
compile named patch -DUSE_NAMED
expect "convert keeps .klp.sym names from the source and converts the rest" 0 "" \
	convert -o "$w/named.ko" "$w/named.o"
out=$(tool klp-dump "$w/named.ko")
expect_match "a named vmlinux symbol's relocation moves to .klp.rela.vmlinux..text" \
	'R_X86_64_PLT32 +dup +2 +-4' "$out"
expect_match "a named module symbol gets .klp.rela.tmod..text, no --module needed" \
	'^  \.klp\.rela\.tmod\.\.text -> \.text, 1 relocation$' "$out"
expect_match "the unnamed symbols are converted beside them" \
	'R_X86_64_PLT32 +hidden_func +0 +-4' "$out"
expect "named symbols pass klp-check and resolve" 0 \
	".klp.sym.tmod.tvar,0 resolves to tmod 'tvar' #1" \
	check --vmlinux "$w/vmlinux.o" --module "$w/tmod.o" "$w/named.ko"
cp "$w/named.ko" "$w/again.ko"
expect "converting the mixed result again" 0 "" convert "$w/again.ko"
cmp -s "$w/named.ko" "$w/again.ko" && pass "converting the mixed result again changes nothing" ||
	fail "converting the mixed result again changes nothing"
compile namedbad patch -DUSE_NAMED -DNAMED_TVAR='"\".klp.sym.tmod.tvar\""'
expect "a named symbol must parse" 1 \
	".rela.text[4]: symbol '.klp.sym.tmod.tvar': missing ',<sympos>' suffix" \
	convert "$w/namedbad.o"

# a module's entries are written when it comes: not into what the loader
# consumed or freed by then
compile early patch -DUSE_NAMED -DIN_SECTION='"__jump_table"' -DIN_SECTION_SYM=named_tvar
expect "a named module symbol obeys the same rules" 1 \
	"'.klp.sym.tmod.tvar,0' of module tmod in __jump_table: a static branch" \
	convert "$w/early.o"
while IFS='|' read -r sec why; do
	compile early patch -DUSE_TMOD -DIN_SECTION="\"$sec\"" -DIN_SECTION_SYM=tvar
	expect "convert: a module symbol in $sec is refused, saying why" 1 \
		".rela$sec[0]: 'tvar' of module tmod in $sec: $why" \
		convert --module "$w/tmod.o" "$w/early.o"
done <<'EOF'
__jump_table|a static branch (static_branch_*/static_key_*) on a key of module tmod; test it with static_key_enabled() instead
.static_call_sites|a static_call() of a static call of module tmod; call through the function pointer instead
__ex_table|an exception-table user (uaccess, *_nofault) referring to tmod
.altinstructions|code the loader patches at load (alternative instructions) that refers to tmod
.init.data|init code or data of the patch refers to tmod, which may load after the patch's init memory is freed
EOF
for sec in __jump_table .init.text; do
	compile early patch -DIN_SECTION="\"$sec\""
	expect "convert: a vmlinux symbol in $sec is fine" 0 "" convert -o "$w/early.ko" "$w/early.o"
	expect "klp-check: .klp.rela.vmlinux.$sec is accepted" 0 "0 errors, 0 warnings" \
		check "$w/early.ko"
done

# the posted upstream series' KLP_MODULE_RELOC arrays, in both spellings
for form in KLP_MODULE_RELOC_SYMPOS KLP_SYMPOS_IN_ARRAYS; do
	flag=
	[ $form = KLP_SYMPOS_IN_ARRAYS ] && flag=-D$form
	compile mr patch -DUSE_MODULE_RELOC $flag
	expect "$form: converts" 0 "" convert --module "$w/tmod.o" -o "$w/mr.ko" "$w/mr.o"
	out=$(readelf -W -S -s "$w/mr.ko")
	expect_match "$form: KLP_MODULE_RELOC(vmlinux) { dup, 2 } is .klp.sym.vmlinux.dup,2" \
		' \.klp\.sym\.vmlinux\.dup,2$' "$out"
	expect_match "$form: KLP_MODULE_RELOC(tmod) { both, 0 } picks tmod's" \
		' \.klp\.sym\.tmod\.both,0$' "$out"
	grep -qE 'module_relocs| (vmlinux|tmod)_relocs$' <<<"$out" &&
		fail "$form: the arrays and their symbols are dropped" ||
		pass "$form: the arrays and their symbols are dropped"
	expect "$form: the result passes klp-check" 0 "0 errors, 0 warnings" \
		check --vmlinux "$w/vmlinux.o" --module "$w/tmod.o" "$w/mr.ko"
done

# klp-convert checks what its rewrite relies on before writing anything
cp "$w/basic.o" "$w/x.o"
mangle "$w/x.o" rela .rela.text 0 sym 99999
expect "convert refuses a relocation past the symtab, writing nothing" 1 \
	".rela.text[0]: symbol index 99999 past the symtab's" \
	convert -o "$w/x-out.ko" "$w/x.o"
[ ! -e "$w/x-out.ko" ] && pass "convert: no output for a refused module" ||
	fail "convert: no output for a refused module"

# --- klp-check: one broken rule at a time ---
broken() { cp "$w/$1.ko" "$w/x.ko"; shift; mangle "$w/x.ko" "$@"; }
T=.klp.rela.vmlinux..text
M=.klp.rela.tmod..text

broken basic str .modinfo livepatch=Y livepatch=N
expect "livepatch=N is a livepatch module, as the loader takes any value" 0 \
	"0 errors" check "$w/x.ko"
broken basic str .modinfo livepatch=Y livepatcX=Y
expect "markers need MODULE_INFO(livepatch, \"Y\")" 1 \
	"$T: SHF_RELA_LIVEPATCH in a module without MODULE_INFO(livepatch, \"Y\")" check "$w/x.ko"
broken basic shdr .modinfo align 0x8000000000000000
expect "loader: .modinfo's alignment does not count, it is not laid out" 0 "0 errors" \
	check "$w/x.ko"
broken basic shdr .shstrtab type 8
expect "loader: a NOBITS section name table is read all the same" 0 "0 errors" \
	check "$w/x.ko"
broken basic shdr .strtab align 0x8000000000000000
expect "loader: the string table is laid out too, by its alignment" 1 \
	".strtab: alignment 9223372036854775808 is not a power of two up to 4096" check "$w/x.ko"
broken basic shdr .text align 0x8000000000000000
expect "loader: a laid-out section's alignment does" 1 \
	".text: alignment 9223372036854775808 is not a power of two up to 4096" check "$w/x.ko"
# Fuzz round 9799: struct module's section without SHF_WRITE, laid out
# read-only; the loader oopsed writing the module's state into it.
broken basic shdr .gnu.linkonce.this_module flags 2
expect "loader: struct module is not laid out read-only" 1 \
	".gnu.linkonce.this_module: flags 0x2: struct module would be laid out in memory that becomes read-only" \
	check "$w/x.ko"
broken basic shdr .gnu.linkonce.this_module flags 0x200003
expect "loader: nor read-only after init (SHF_RO_AFTER_INIT, which rmmod writes into)" 1 \
	".gnu.linkonce.this_module: flags 0x200003: struct module would be laid out in memory that becomes read-only" \
	check "$w/x.ko"
broken basic shdr .bss flags 0x200003
expect "loader: other sections may be read-only after init" 0 "0 errors" check "$w/x.ko"
# Fuzz round 3332 (seed 1): a section of 983 MB, more than the guest's
# 1 GiB holds.  Module space caps every target; its /proc/meminfo, given,
# caps that target.
printf 'MemFree: 5 kB\nMemTotal:        1004444 kB\n' > "$w/meminfo"
broken basic shdr .bss size 1030656000
expect "loader: 983 MB of .bss fit in module space" 0 "0 errors" check "$w/x.ko"
expect "loader: 983 MB of .bss do not fit in a 1 GiB machine" 1 \
	".bss: 1030656000 bytes: the module's core sections need more than the 1028550656 bytes one allocation of module memory can have" \
	check --meminfo "$w/meminfo" "$w/x.ko"
expect "loader: the good patch fits in a 1 GiB machine" 0 "0 errors" \
	check --meminfo "$w/meminfo" "$w/basic.ko"
broken basic shdr .bss size 0x100000000
expect "loader: 4 GiB of .bss fit in no module space" 1 \
	".bss: 4294967296 bytes: the module's core sections need more than the 1593835520 bytes" \
	check "$w/x.ko"
expect "--meminfo needs a MemTotal line" 2 "no MemTotal line" \
	check --meminfo /dev/null "$w/basic.ko"
broken basic str .shstrtab .strtab .symtab
expect "loader: two kept sections of one name (sysfs has one file per name)" 1 \
	".symtab: section [" check "$w/x.ko"
# Past 256 kept sections the names are sorted rather than hashed: the
# same verdicts.
for i in $(seq 100 399); do echo "int f$i(void) { return $i; }"; done > "$w/manyf.c"
$CC $cflags -ffunction-sections -c -o "$w/manyf.o" "$w/manyf.c" || exit 2
ld -r -o "$w/many.o" "$w/basic.o" "$w/manyf.o" || exit 2
expect "loader: 300 more sections, each of its own name" 0 "0 errors" check "$w/many.o"
cp "$w/many.o" "$w/x.o"
mangle "$w/x.o" str .shstrtab .text.f398 .text.f399
expect "loader: two of 300 more sections of one name" 1 \
	".text.f399: section [" check "$w/x.o"
secidx() { readelf -W -S "$1" | sed -n "s/^ *\[ *\([0-9]*\)\] $2 .*/\1/p" | head -1; }
broken basic shdr .symtab size 0
expect "loader: a symbol table of no entries is still the table each relocation indexes" 1 \
	"x.ko: $T[0]: symbol index" check "$w/x.ko"
broken basic shdr .rela.data info "$(secidx "$w/basic.ko" .symtab)"
expect "loader: a section relocating the symbol table is applied (layout_symtab() allocates it)" 1 \
	"x.ko: .rela.data[2]: target bytes at .symtab+0xc8 are not zero" check "$w/x.ko"
broken basic shdr .rela.text info "$(secidx "$w/basic.ko" .modinfo)"
expect "loader: relocations into .modinfo are skipped, as it is not laid out" 0 \
	"0 errors" check "$w/x.ko"
broken basic sym exported_var shndx "$(secidx "$w/basic.ko" .comment)"
expect "loader: a symbol in a section it does not keep" 1 \
	"is in section .comment, which the loader does not keep" check "$w/x.ko"
ssz=$(readelf -W -S "$w/basic.ko" | sed -n 's/^ *\[ *[0-9]*\] \.symtab  *SYMTAB  *[0-9a-f]* [0-9a-f]* \([0-9a-f]*\) .*/\1/p')
broken basic shdr .symtab size "$((0x$ssz - 8))"
out=$(check "$w/x.ko" 2>&1)
expect_match "a symbol table of whole entries and a part is read as the whole ones, as the loader does" \
	"symbol index [0-9]+ is outside the symbol table \([0-9]+ entries\)" "$out"
compile rs patch -DRETURN_SITE
expect "a return site in the module's text" 0 "" convert -o "$w/rs.ko" "$w/rs.o"
expect "klp-check takes a return site in the module's text" 0 "0 errors" check "$w/rs.ko"
broken rs rela .rela.return_sites 0 addend 0x100000
expect "a return site past the module's text is refused, as the kernel does" 1 \
	".return_sites[0]: the site is not in the module's text" check "$w/x.ko"
broken rs shdr .return_sites flags 0
expect "a list of return sites the loader does not keep is refused" 1 \
	".return_sites: not SHF_ALLOC, so not in the module" check "$w/x.ko"
broken rs rela .rela.return_sites 0 type 1
expect "a return site filled in by another relocation type is refused" 1 \
	".return_sites[0]: the site is not in the module's text" check "$w/x.ko"
broken rs rela .rela.return_sites 0 addend 1
expect "a return site one byte into its jump is refused (the kernel would WARN)" 1 \
	".return_sites[0]: the site is not a jump to the return thunk" check "$w/x.ko"
broken rs rela .rela.return_sites 0 addend 5
expect "a return site at the call of a retpoline thunk is refused" 1 \
	".return_sites[0]: the site is not a jump to the return thunk" check "$w/x.ko"
broken rs rela .rela.retpoline_sites 0 addend 0
expect "a retpoline site at the jump to the return thunk is refused" 1 \
	".retpoline_sites[0]: the site is not a call or jump to a register's retpoline thunk" \
	check "$w/x.ko"
compile rsp patch -DRETURN_SITE -DTHUNK_REG='"rsp"'
convert -o "$w/rsp.ko" "$w/rsp.o" >/dev/null
expect "a retpoline site calling %rsp's thunk is refused (the kernel would BUG)" 1 \
	".retpoline_sites[0]: the site is not a call or jump to a register's retpoline thunk" \
	check "$w/rsp.ko"
expect "... and one calling %rax's thunk is taken" 0 "0 errors" check "$w/rs.ko"
# The return thunk reached through a klp relocation, as a generator that
# converts every vmlinux symbol it can writes it: where it goes counts.
$CC $cflags -DTHUNK_UNEXPORTED -c -o "$w/a-thunk.o" "$here/fixtures/vmlinux-a.c" || exit 2
ld -r -o "$w/vmlinux-thunk.o" "$w/a-thunk.o" "$w/b.o" || exit 2
expect "a jump to the return thunk through a klp relocation" 0 "" \
	tool klp-convert --vmlinux "$w/vmlinux-thunk.o" -o "$w/rsk.ko" "$w/rs.o"
expect "... is a return site as good as any" 0 "0 errors" check "$w/rsk.ko"
broken rsk str .strtab .klp.sym.vmlinux.__x86_return_thunk,0 .klp.sym.vmlinux.__x86_return_thunX,0
expect "... and a klp relocation to another symbol is not" 1 \
	".return_sites[0]: the site is not a jump to the return thunk" check "$w/x.ko"
compile alt patch -DALT_SITE
expect "an alternative of the module's own text" 0 "" convert -o "$w/alt.ko" "$w/alt.o"
expect "klp-check takes an alternative in the module's text" 0 "0 errors" check "$w/alt.ko"
broken alt byte .altinstructions 10 255
expect "an alternative longer than the kernel patches is refused" 1 \
	".altinstructions[0]: the alternative's bytes, lengths or feature are not ones the kernel takes" \
	check "$w/x.ko"
broken alt byte .altinstructions 11 2
expect "an alternative longer than what it replaces is refused (it would write past it)" 1 \
	".altinstructions[0]: the alternative's bytes, lengths or feature are not ones the kernel takes" \
	check "$w/x.ko"
broken alt byte .altinstructions 9 0x40
expect "an alternative of a feature the kernel does not know is refused" 1 \
	".altinstructions[0]: the alternative's bytes, lengths or feature are not ones the kernel takes" \
	check "$w/x.ko"
broken alt shdr .altinstructions size 13
expect "a list of alternatives not a whole number of entries is refused" 1 \
	".altinstructions: size 13 is not a whole number of entries" check "$w/x.ko"
# SHT_NOBITS: no bytes in the file, zeroes in memory (lengths 0), and the
# relocations still fill in the offsets: the kernel takes it.
broken alt shdr .altinstructions type 8
expect "a list of alternatives without bytes in the file is read as the zeroes the loader gives it" \
	0 "0 errors" check "$w/x.ko"
broken alt byte .altinstructions 10 2
mangle "$w/x.ko" shdr .altinstructions type 8
expect "... whatever the file's bytes say" 0 "0 errors" check "$w/x.ko"
mangle "$w/x.ko" rela .rela.altinstructions 0 addend 0x100000
expect "... and where its relocations put a site out of the text, it is refused" 1 \
	".altinstructions[0]: the alternative's bytes, lengths or feature are not ones the kernel takes" \
	check "$w/x.ko"
# 6.12's alternatives: 14 bytes, one length per site, direct calls.
compile alt12 patch -DALT_SITE_6_12 -DVERMAGIC='"6.12.117-test"'
expect "a 6.12 module's two alternatives at one site" 0 "" convert -o "$w/alt12.ko" "$w/alt12.o"
expect "klp-check pads them to the site's longest, as 6.12 does" 0 "0 errors" check "$w/alt12.ko"
broken alt12 byte .altinstructions 26 1
expect "... and refuses a replacement longer than the whole site" 1 \
	".altinstructions[0]: the alternative's bytes, lengths or feature are not ones the kernel takes" \
	check "$w/x.ko"
broken alt12 byte .altinstructions 10 2
expect "a 6.12 direct call must replace \"call *disp(%rip)\" with a call (it would BUG)" 1 \
	".altinstructions[0]: a direct call, but not a call replacing \"call *disp(%rip)\"" \
	check "$w/x.ko"
compile alt12on61 patch -DALT_SITE_6_12
convert -o "$w/alt12on61.ko" "$w/alt12on61.o" >/dev/null
expect "the same list in a 6.1 module is not whole 12-byte entries" 1 \
	".altinstructions: size 28 is not a whole number of entries" check "$w/alt12on61.ko"
broken basic shdr '#0' flags 0x5
expect "section 0 both writable and executable is refused too (the loader checks every section)" 1 \
	"both SHF_WRITE and SHF_EXECINSTR" check "$w/x.ko"
broken basic shdr .data flags 0x7
expect "a section both writable and executable is refused, as STRICT_MODULE_RWX does" 1 \
	".data: both SHF_WRITE and SHF_EXECINSTR" check "$w/x.ko"
broken basic shdr $T type 1
expect "klp section must be SHT_RELA" 1 "$T: type 1 is not SHT_RELA" check "$w/x.ko"
broken basic shdr $T flags 0x42
expect "named .klp.rela without SHF_RELA_LIVEPATCH is only a warning" 1 \
	"$T: warning: named .klp.rela but lacks SHF_RELA_LIVEPATCH" check "$w/x.ko"
expect "... but its .klp.sym symbols are refused, as the kernel refuses them" 1 \
	"$T[0]: symbol '.klp.sym.vmlinux.hidden_func,0' is SHN_LIVEPATCH, but this is not a SHF_RELA_LIVEPATCH section" \
	check "$w/x.ko"
broken basic shdr $T flags 0x100002
expect "SHF_INFO_LINK missing is a warning" 0 "$T: warning: SHF_INFO_LINK is not set" check "$w/x.ko"
broken basic shdr .text flags 0x100006
expect "SHF_RELA_LIVEPATCH on a section not named .klp.rela" 1 \
	".text: missing the .klp.sym. or .klp.rela. prefix" check "$w/x.ko"
broken tm shdr $M flags 0x100040
expect "module-target section needs SHF_ALLOC" 1 \
	"$M: a section for module tmod must be SHF_ALLOC" check "$w/x.ko"
broken basic str .shstrtab .klp.rela.vmlinux..text .klp.rela.vmlinux
expect "section name must parse" 1 \
	".klp.rela.vmlinux: object name is empty or not followed by '.'" check "$w/x.ko"
broken basic str .shstrtab .klp.rela.vmlinux..text .klp.rela.vm-inux..text
expect "object names use '_', not '-'" 1 \
	".klp.rela.vm-inux..text: object name has '-': module names use '_'" check "$w/x.ko"
broken basic shdr $T info 999
expect "sh_info must be a section" 1 "$T: target section index 999 is out of range" \
	check "$w/x.ko"
broken basic shdr .text type 8
expect "the target must be code or data, not SHT_NOBITS" 1 \
	"$T: target section .text is not SHF_ALLOC code or data (type 8)" check "$w/x.ko"
broken basic shdr .text type 3
expect "the target must be code or data, not a string table" 1 \
	"$T: target section .text is not SHF_ALLOC code or data (type 3)" check "$w/x.ko"
broken basic rela .rela.text 0 sym 99999
expect "an ordinary relocation's symbol index within the symtab" 1 \
	".rela.text[0]: symbol index 99999 is outside the symbol table" check "$w/x.ko"
broken basic rela .rela.text 0 offset 0x100000
expect "an ordinary relocation's offset within its target" 1 \
	".rela.text[0]: offset 0x100000 + 4 bytes is outside its target" check "$w/x.ko"
broken basic str .shstrtab .klp.rela.vmlinux..text .klp.rela.vmlinux..tex
expect "sh_info's name must equal the <section> part" 1 \
	".klp.rela.vmlinux..tex: target section [1] is named .text" check "$w/x.ko"
broken basic shdr $T link 1
expect "sh_link must be the symtab" 1 "$T: links section 1, not the symbol table" \
	check "$w/x.ko"
broken basic rela $T 0 sym 99999
expect "relocation symbol index within the symtab" 1 \
	"$T[0]: symbol index 99999 is outside the symbol table" check "$w/x.ko"
broken basic rela $T 0 sym 0
expect "a klp entry on the null symbol, which names nothing to resolve" 1 \
	"$T[0]: symbol index 0 is the null symbol, not a .klp.sym symbol" check "$w/x.ko"
idx=$(symidx "$w/basic.ko" .klp.sym.vmlinux.hidden_var,0)
broken basic sym .klp.sym.vmlinux.hidden_var,0 name 999999
expect "klp symbol name within the string table" 1 \
	".symtab: symbol [$idx]: name offset 999999 is outside the string table" check "$w/x.ko"
broken basic sym .klp.sym.vmlinux.hidden_var,0 shndx 0
expect "klp section symbols are SHN_LIVEPATCH" 1 \
	"symbol '.klp.sym.vmlinux.hidden_var,0' is not SHN_LIVEPATCH" check "$w/x.ko"
expect "a .klp.sym name outside SHN_LIVEPATCH is flagged" 1 \
	"'.klp.sym.vmlinux.hidden_var,0' is named like a livepatch symbol but undefined: the loader will not find it" \
	check "$w/x.ko"
broken basic str .strtab .klp.sym.vmlinux.hidden_var,0 .klp.sym.vmlinux.hidden_var
expect "klp symbol name must parse" 1 \
	"symbol '.klp.sym.vmlinux.hidden_var': missing ',<sympos>' suffix" check "$w/x.ko"
broken basic str .strtab .klp.sym.vmlinux.hidden_var,0 $'.klp.sym.vmlinux.hidden_var,\x10'
expect "a name's unprintable byte is shown as \\x10, as dmesg shows it" 1 \
	"symbol '.klp.sym.vmlinux.hidden_var,\\x10': sympos" check "$w/x.ko"
broken tm str .strtab .klp.sym.tmod.tvar,0 .klp.sym.tmoe.tvar,0
expect "a module's section uses only that module's symbols" 1 \
	"symbol '.klp.sym.tmoe.tvar,0' is in tmoe, but the section may only use tmod" \
	check "$w/x.ko"
# With ftrace call sites (gcc -pg -mfentry -mrecord-mcount, as kbuild
# builds modules): each must stay a call to __fentry__.
compile ftr patch -pg -mfentry -mrecord-mcount
printf 'void __fentry__(void) { }\nint __ksymtab___fentry__;\n' > "$w/fentry.c"
$CC $cflags -c -o "$w/fentry.o" "$w/fentry.c" &&
	ld -r -o "$w/vmlinux-ft.o" "$w/a.o" "$w/b.o" "$w/fentry.o" || exit 2
tool klp-convert --vmlinux "$w/vmlinux-ft.o" -o "$w/ftr.ko" "$w/ftr.o" > /dev/null 2>&1 ||
	fail "convert the -pg patch"
expect "klp-check accepts ftrace call sites that call __fentry__" 0 "0 errors" \
	check "$w/ftr.ko"
site=$(readelf -rW "$w/ftr.ko" | awk '/^Relocation section .\.rela__mcount_loc/ { f = 1; next } f && $5 ~ /^\.text/ { print $NF; exit }')
broken ftr rela .rela__mcount_loc 0 addend $((0x$site + 1))
expect "an ftrace call site that is not a call to __fentry__ is an error" 1 \
	"__mcount_loc[0]: not a call to __fentry__ in the module's text" check "$w/x.ko"
broken ftr shdr .rela__mcount_loc type 1
expect "an ftrace call site left zero (its relocations not applied) is an error" 1 \
	"__mcount_loc[0]: zero, not a call site" check "$w/x.ko"
broken basic rela $T 0 type 9
expect "relocation type must be one x86_64 applies" 1 \
	"$T[0]: symbol '.klp.sym.vmlinux.hidden_func,0': relocation type 9 is not supported" \
	check "$w/x.ko"
broken basic rela $T 0 offset 0x100000
expect "relocation must fit its target section" 1 \
	"$T[0]: symbol '.klp.sym.vmlinux.hidden_func,0': offset 0x100000 + 4 bytes is outside .text" \
	check "$w/x.ko"
off=$(readelf -W -r "$w/basic.ko" | awk '/klp.rela.vmlinux/ {f=1; next} f && /^[0-9a-f]+ / {print $1; exit}')
broken basic byte .text "0x$off" 0x5a
expect "relocation target bytes must be zero" 1 "are not zero" check "$w/x.ko"
idx=$(readelf -W -s "$w/basic.ko" | awk '$NF == ".klp.sym.vmlinux.hidden_var,0" {sub(":", "", $1); print $1}')
broken basic rela .rela.text 0 sym "$idx"
expect "an ordinary relocation may not use a klp symbol" 1 \
	".rela.text[0]: symbol '.klp.sym.vmlinux.hidden_var,0' is SHN_LIVEPATCH, but this is not a SHF_RELA_LIVEPATCH section" \
	check "$w/x.ko"
off1=$(readelf -W -r "$w/basic.ko" | awk '/klp.rela.vmlinux/ {f=1; next} f && /^[0-9a-f]+ / {print $1; exit}')
broken basic rela $T 1 offset "0x$off1"
expect "two entries may not write the same bytes" 1 \
	"writes bytes that entry 0 of section $T also writes" check "$w/x.ko"
broken basic rela $T 1 offset "$(printf '0x%x' $((0x$off1 + 2)))"
expect "entries at offsets 0 and 2, 4 bytes each, overlap" 1 \
	"$T[1]: writes bytes that entry 0 of section $T also writes" check "$w/x.ko"
offT=$(readelf -W -r "$w/tm.ko" | awk '/klp.rela.vmlinux/ {f=1; next} f && /^[0-9a-f]+ / {print $1; exit}')
broken tm rela $M 0 offset "0x$offT"
out=$(check "$w/x.ko")
expect_match "a vmlinux and a module section may not write the same bytes of .text" \
	"(\.klp\.rela\.tmod\.\.text\[0\]: writes bytes that entry [0-9]+ of section \.klp\.rela\.vmlinux\.\.text|\.klp\.rela\.vmlinux\.\.text\[[0-9]+\]: writes bytes that entry 0 of section \.klp\.rela\.tmod\.\.text) also writes" \
	"$out"
broken tm rela $M 0 type 10
expect "an R_X86_64_32 to a module symbol overflows wherever the module loads" 1 \
	"$M[0]: symbol '.klp.sym.tmod.tvar,0': value 0xffffffff9ffffffc to 0xfffffffffefffffc (in module space, wherever the module loads) overflows relocation type R_X86_64_32" \
	check --module "$w/tmod.o" "$w/x.ko"
broken tm rela $M 0 type 11
expect "an R_X86_64_32S to a module symbol fits" 0 "0 errors" \
	check --module "$w/tmod.o" "$w/x.ko"
mangle "$w/x.ko" rela $M 0 addend -0x30000000
expect "an R_X86_64_32S to a module symbol - 768 MiB fits only where the module happens to load" 1 \
	"$M[0]: symbol '.klp.sym.tmod.tvar,0': value 0xffffffff70000000 to 0xffffffffcf000000 (in module space) fits relocation type R_X86_64_32S only where the module happens to load" \
	check --module "$w/tmod.o" "$w/x.ko"
# pcrel_mod ADDEND WHAT STATUS OUTPUT: a PC32 to a module symbol, ADDEND on
pcrel_mod() {
	broken tm rela $M 0 type 2
	mangle "$w/x.ko" rela $M 0 addend "$1"
	expect "a PC32 to a module symbol $2" "$3" "$4" check --module "$w/tmod.o" "$w/x.ko"
}
# Fuzz round 2899: a PC32 between two modules whose addend is 2^63 - 1.
pcrel_mod 0x7fffffffffffffff "with an addend of 2^63 - 1 overflows wherever the modules load" 1 \
	"$M[0]: symbol '.klp.sym.tmod.tvar,0' + 0x7fffffffffffffff: S - P overflows relocation type R_X86_64_PC32 wherever the modules load"
# Where the value fits for some places only, the kernel's verdict is the
# allocator's: klp-check refuses it (fuzz round 5746: 2^31 - 1, refused).
pcrel_mod 0x7fffffff "with an addend of 2^31 - 1 fits only where the modules happen to load" 1 \
	"$M[0]: symbol '.klp.sym.tmod.tvar,0' + 0x7fffffff: S - P fits relocation type R_X86_64_PC32 only where the modules happen to load"
pcrel_mod -0x40000000 "1 GiB back fits only where the modules happen to load" 1 \
	"S - P fits relocation type R_X86_64_PC32 only where the modules happen to load"
pcrel_mod -0x20000000 "512 MiB back reaches it wherever they load" 0 "0 errors"
pcrel_mod 0x100000000 "4 GiB on never does" 1 \
	"S - P overflows relocation type R_X86_64_PC32 wherever the modules load"
broken basic rela $T 0 addend 0x40000000
expect "a PC32 to a vmlinux symbol whose addend takes it 1 GiB further still reaches" 0 \
	"0 errors" check --vmlinux "$w/vmlinux.o" "$w/x.ko"
broken basic rela $T 0 addend 0x100000000
expect "a PC32 to a vmlinux symbol whose addend takes it 4 GiB away overflows" 1 \
	"- P overflows relocation type R_X86_64_PLT32 wherever the module loads" \
	check --vmlinux "$w/vmlinux.o" "$w/x.ko"
sidx=$(readelf -W -S "$w/basic.ko" | sed -n 's/^ *\[ *\([0-9]*\)\] \.symtab .*/\1/p')
broken basic shdr .symtab link "$sidx"
expect "a symtab may not be its own string table" 1 \
	".symtab: symbol table links section $sidx, which is not a string table" check "$w/x.ko"

# a module's section into a section the loader consumes or frees at load,
# made from a vmlinux one (which is fine) by renaming its object
bad=
for sec in __jump_table .static_call_sites .altinstructions .altinstr_replacement \
	   .parainstructions __ex_table __bug_table .orc_unwind .orc_unwind_ip \
	   .smp_locks .retpoline_sites .return_sites; do
	compile sp patch -DIN_SECTION="\"$sec\""
	# A vmlinux address in a list of the module's own code sites is
	# refused too (arch_klp_check_sites()).
	case $sec in
	.smp_locks|.retpoline_sites|.return_sites|.altinstructions|.parainstructions)
		convert -o "$w/sp.ko" "$w/sp.o" >/dev/null && ! check "$w/sp.ko" >/dev/null ;;
	*)
		convert -o "$w/sp.ko" "$w/sp.o" >/dev/null && check "$w/sp.ko" >/dev/null ;;
	esac || bad="$bad $sec(vmlinux)"
	mangle "$w/sp.ko" str .shstrtab ".klp.rela.vmlinux.$sec" ".klp.rela.tmod.$sec"
	out=$(check "$w/sp.ko")
	[ $? = 1 ] && grep -qF ".klp.rela.tmod.$sec: target $sec holds " <<<"$out" &&
		grep -qF ", consumed when the patch loads, before module tmod can come" <<<"$out" ||
		bad="$bad $sec"
done
[ -z "$bad" ] && pass "klp-check refuses a module's section into each special section" ||
	{ fail "klp-check refuses a module's section into each special section"; echo "# wrong:$bad"; }
for sec in .init.text .init.data; do
	compile sp patch -DIN_SECTION="\"$sec\""
	convert -o "$w/sp.ko" "$w/sp.o" || exit 2
	mangle "$w/sp.ko" str .shstrtab ".klp.rela.vmlinux.$sec" ".klp.rela.tmod.$sec"
	expect "klp-check refuses a module's section into $sec" 1 \
		".klp.rela.tmod.$sec: target $sec is freed after the patch's init, before module tmod can come" \
		check "$w/sp.ko"
done
head -c 700 "$w/basic.ko" > "$w/x.ko"
expect "a truncated module is a problem, not a crash" 1 "" check "$w/x.ko"
echo "not an elf" > "$w/x.ko"
expect "a text file is not an ELF file" 1 "x.ko: not an ELF file" check "$w/x.ko"
mkdir -p "$w/adir.ko"
expect "klp-check: a directory is an I/O error (2)" 2 "adir.ko: Is a directory" check "$w/adir.ko"
expect "klp-dump: a directory is an I/O error (2)" 2 "adir.ko: Is a directory" \
	tool klp-dump "$w/adir.ko"
expect "klp-convert: a directory is an I/O error (2)" 2 "adir.ko: Is a directory" \
	convert "$w/adir.ko"
expect "a failed write says why, and exits 2" 2 \
	"cannot write: $w/nodir/x.ko.klp-tmp: No such file or directory" \
	convert -o "$w/nodir/x.ko" "$w/basic.o"

# --- klp-check: what the 6.1 module loader refuses in any module ---
# elf_validity_check(), setup_load_info(), check_modinfo(),
# simplify_symbols() and x86_64's apply_relocate_add(), one thing at a time.
broken basic shdr .comment size 0x100000
expect "loader: a section whose contents run past the end of the file" 1 \
	"x.ko: .comment: contents (0x100000 bytes at 0x" check "$w/x.ko"
broken basic shdr .note.GNU-stack offset 0xffffffffffffffff
expect "loader: an empty section that starts past the end of the file" 1 \
	"x.ko: .note.GNU-stack: contents (0x0 bytes at 0xffffffffffffffff) lie outside the file" \
	check "$w/x.ko"
broken basic ehdr shentsize 40
expect "loader: e_shentsize other than 64" 1 "x.ko: e_shentsize is 40, not 64" check "$w/x.ko"
broken basic shdr '#0' size 8
expect "loader: section 0 with a size" 1 \
	"x.ko: section [0] is not SHT_NULL with size and address 0" check "$w/x.ko"
broken basic shdr '#0' addr 0x1000
expect "loader: section 0 with an address" 1 \
	"x.ko: section [0] is not SHT_NULL with size and address 0" check "$w/x.ko"
shstrndx=$(readelf -h "$w/basic.ko" | awk '/string table index/ { print $NF }')
broken basic ehdr shnum 0
expect "loader: no extended section numbering (e_shnum 0)" 1 \
	"e_shstrndx $shstrndx is not a section (e_shnum 0)" check "$w/x.ko"
shstr_size=$(readelf -W -S "$w/basic.ko" | awk '$2 == ".shstrtab" { print $6 }')
broken basic byte .shstrtab $((0x$shstr_size - 1)) 0x41
expect "loader: a section name table without a final NUL" 1 \
	".shstrtab: the section name table is empty or does not end in a NUL" check "$w/x.ko"
broken basic shdr .symtab link 999
expect "loader: a symbol table linking no section" 1 \
	".symtab: symbol table links section 999, which does not exist" check "$w/x.ko"

# a signature appended by sign-file is not part of the module
len=$(stat -c %s "$w/basic.ko")
bytes() { local b; for b; do printf "\\$(printf %03o $((b & 255)))"; done; }
sign() {	# sign FILE SIG_LEN: a stand-in PKCS#7 signature of 16 bytes
	{ head -c 16 /dev/zero
	  bytes 0 0 2 0 0 0 0 0 $(($2 >> 24)) $(($2 >> 16)) $(($2 >> 8)) $2
	  printf '~Module signature appended~\n'; } >> "$1"
}
cp "$w/basic.ko" "$w/x.ko"
sign "$w/x.ko" 16
expect "loader: a signed module is read without its signature" 0 "0 errors" check "$w/x.ko"
mangle "$w/x.ko" shdr .comment offset "$len"
mangle "$w/x.ko" shdr .comment size 8
expect "loader: a section inside the appended signature lies outside the module" 1 \
	".comment: contents (0x8 bytes at 0x$(printf %x "$len")) lie outside the file (0x$(printf %x "$len") bytes)" \
	check "$w/x.ko"
cp "$w/basic.ko" "$w/x.ko"
sign "$w/x.ko" 100000
expect "loader: a signature longer than the module is refused" 1 \
	"x.ko: signature of 100000 bytes is longer than the module" check "$w/x.ko"

# The loader reads the section headers wherever e_shoff puts them, even at
# an odd offset: a copy of the table one byte past the end of the module.
# A foreign e_ident class makes the tools read a private copy of the file,
# where libelf hands out the table in place.
shoff=$(readelf -h "$w/basic.ko" | awk '/Start of section headers/ { print $5 }')
shnum=$(readelf -h "$w/basic.ko" | awk '/Number of section headers/ { print $NF }')
len=$(stat -c %s "$w/basic.ko")
broken basic ehdr class 1
{ bytes 0; tail -c +$((shoff + 1)) "$w/basic.ko" | head -c $((shnum * 64)); } >> "$w/x.ko"
bytes $((len + 1)) $(((len + 1) >> 8)) $(((len + 1) >> 16)) 0 0 0 0 0 |
	dd of="$w/x.ko" bs=1 seek=40 conv=notrunc status=none
expect "loader: section headers at an odd offset are read where they are" 0 "0 errors" \
	check "$w/x.ko"
if [ -x "$san/klp-check" ]; then
	for t in klp-check klp-dump; do
		expect "$t reads section headers at an odd offset without a misaligned load" 0 "" \
			"$san/$t" "$w/x.ko"
	done
else
	n=$((n + 1)); echo "ok $n - misaligned section headers # SKIP $CC cannot build with UBSan"
fi

broken basic shdr .gnu.linkonce.this_module flags 0
expect "loader: a module has an SHF_ALLOC .gnu.linkonce.this_module" 1 \
	"x.ko: no SHF_ALLOC section .gnu.linkonce.this_module: not a kernel module" check "$w/x.ko"
# Fuzz round 3396 (seed 1): a struct module section cut to 256 bytes.  A
# module built for the kernel (here the patch itself) has the kernel's size.
broken basic shdr .gnu.linkonce.this_module size 32
expect "loader: the struct module section has the kernel's size" 1 \
	"x.ko: .gnu.linkonce.this_module: 32 bytes, not the kernel's struct module of 64 (basic's)" \
	check --module "$w/basic.ko" "$w/x.ko"
expect "loader: the struct module section of the kernel's size" 0 "0 errors" \
	check --module "$w/basic.ko" "$w/basic.ko"
# Fuzz round 7283 (seed 1): a bit flipped in struct module's per-CPU
# pointer, which the loader frees where the module has no per-CPU data.
# A module brings nothing there but its name, at byte 24.
compile mstruct patch -DMODSTRUCT_NAME_AT_24
convert -o "$w/mstruct.ko" "$w/mstruct.o" || exit 2
expect "loader: a struct module with nothing but its name" 0 "0 errors" \
	check "$w/mstruct.ko"
# stray OFFSET VALUE WHAT [MESSAGE]: that byte of struct module set;
# klp-check refuses it with MESSAGE, or (none given) accepts it.
stray() {
	broken mstruct byte .gnu.linkonce.this_module "$1" "$2"
	if [ -n "${4:-}" ]; then
		expect "loader: $3" 1 "x.ko: .gnu.linkonce.this_module: $4" check "$w/x.ko"
	else
		expect "loader: $3" 0 "0 errors" check "$w/x.ko"
	fi
}
stray 669 0x40 "a struct module that brings more than its name" \
	"byte 0x40 at offset 669 of struct module, where a module brings nothing but its name; the loader would take it for its own state"
stray 0 1 "struct module's first byte, its state" "byte 0x01 at offset 0 of struct module"
stray 1023 0x80 "struct module's last byte" "byte 0x80 at offset 1023 of struct module"
stray 79 0x41 "the name's last byte is the module's to bring"
stray 80 0x41 "the byte after the name is not" "byte 0x41 at offset 80 of struct module"
# Fuzz rounds 7513 and 7559: a constructor and an init pointer moved
# 2^63 - 1 bytes on; the loader called them.
pr=$(readelf -rW "$w/mstruct.ko" | awk '/^Relocation section .\.rela\.gnu\.linkonce\.this_module/ { f = 1; next } f && /mstruct_init/ { print n; exit } f && /^ *[0-9a-f]+ / { n++ }')
broken mstruct rela .rela.gnu.linkonce.this_module "${pr:-0}" addend 0x7fffffffffffffff
expect "loader: an init pointer that leaves the module's code" 1 \
	"x.ko: .rela.gnu.linkonce.this_module[${pr:-0}]: symbol 'mstruct_init' + 0x7fffffffffffffff: the loader calls the pointer this entry writes into .gnu.linkonce.this_module, and it does not point into the module's own code" \
	check "$w/x.ko"
broken mstruct rela .rela.init_array 0 addend 0x7fffffffffffffff
expect "loader: a constructor that leaves the module's code" 1 \
	"x.ko: .rela.init_array[0]: symbol 'mstruct_init' + 0x7fffffffffffffff: the loader calls the pointer this entry writes into .init_array, and it does not point into the module's own code" \
	check "$w/x.ko"
broken mstruct rela .rela.init_array 0 type 24
expect "loader: a constructor written as R_X86_64_PC64" 1 \
	"x.ko: .rela.init_array[0]: symbol 'mstruct_init' + 0x0: the loader calls the pointer" \
	check "$w/x.ko"
broken mstruct rela .rela.init_array 0 sym "$(symidx "$w/mstruct.ko" __this_module)"
expect "loader: a constructor into the module's data" 1 \
	"x.ko: .rela.init_array[0]: symbol '__this_module' + 0x0: the loader calls the pointer" \
	check "$w/x.ko"
broken basic shdr .gnu.linkonce.this_module type 8
expect "loader: the struct module section has bytes in the file" 1 \
	"x.ko: .gnu.linkonce.this_module: SHT_NOBITS: the kernel reads the module's struct module from the file" \
	check "$w/x.ko"
broken basic shdr .modinfo flags 0
expect "loader: modinfo counts only in an SHF_ALLOC .modinfo" 1 \
	"$T: SHF_RELA_LIVEPATCH in a module without MODULE_INFO(livepatch, \"Y\")" check "$w/x.ko"
for f in "class 1" "class 255" "data 0"; do
	broken basic ehdr $f
	expect "loader: e_ident ${f% *} ${f#* } is not read, and is only a warning" 0 \
		"x.ko: warning: e_ident gives class" check "$w/x.ko"
done
expect "klp-dump reads it as the loader does" 0 ".klp.sym.vmlinux.hidden_var,0" \
	tool klp-dump "$w/x.ko"

# the loader's own relocations
broken basic rela .rela.text 0 type 0x100
expect "loader: an ordinary relocation of a type x86_64 does not apply" 1 \
	"x.ko: .rela.text[0]: relocation type 256 is not one the module loader applies" check "$w/x.ko"
broken basic shdr .rela.text type 9
expect "loader: an SHT_REL section is refused on x86_64" 1 \
	".rela.text: SHT_REL relocations into .text: x86_64 modules take SHT_RELA only" check "$w/x.ko"
broken basic shdr .rela.text info 0xffffffff
expect "loader: a relocation section with no target section is skipped, an error" 1 \
	".rela.text: target section index 4294967295 is not a section: the loader would skip these relocations" \
	check "$w/x.ko"
off=$(readelf -W -r "$w/basic.ko" | awk '/^Relocation section .\.rela\.text/ { f = 1; next } f && /^[0-9a-f]+ / { print $1; exit }')
broken basic byte .text "0x$off" 0x5a
expect "loader: an ordinary relocation onto bytes that are not zero" 1 \
	".rela.text[0]: target bytes at .text+0x${off#"${off%%[1-9a-f]*}"} are not zero" check "$w/x.ko"
# Ordinary entries' values, where S is known: an address of the module's
# own (anywhere in module space), or an export's in the symbols given.
# klp_reloc_load() refuses one that does not fit, naming it (fuzz round
# 6322: an R_X86_64_32S to .data - 2^63 in the patch's init).
tsym=$(symidx "$w/basic.ko" patched)
broken basic rela .rela.text 0 type 11
mangle "$w/x.ko" rela .rela.text 0 sym 2
expect "loader: an R_X86_64_32S to the module's .data fits wherever it loads" 0 "0 errors" \
	check "$w/x.ko"
mangle "$w/x.ko" rela .rela.text 0 addend -0x8000000000000000
expect "loader: an R_X86_64_32S to .data - 2^63 overflows wherever the module loads" 1 \
	".rela.text[0]: symbol '.data' + 0x8000000000000000: value 0x7fffffffa0000000 to 0x7ffffffffefffcb0 overflows relocation type R_X86_64_32S wherever the module loads" \
	check "$w/x.ko"
mangle "$w/x.ko" rela .rela.text 0 addend -0x30000000
expect "loader: an R_X86_64_32S to .data - 768 MiB fits only where the module happens to load" 1 \
	".rela.text[0]: symbol '.data' + 0xffffffffd0000000: value 0xffffffff70000000 to 0xffffffffcefffcb0 fits relocation type R_X86_64_32S only where the module happens to load" \
	check "$w/x.ko"
broken basic rela .rela.text 0 type 10
mangle "$w/x.ko" rela .rela.text 0 sym 2
expect "loader: an R_X86_64_32 to the module's .data never fits" 1 \
	"overflows relocation type R_X86_64_32 wherever the module loads" check "$w/x.ko"
broken basic rela .rela.text 0 sym "$tsym"
mangle "$w/x.ko" rela .rela.text 0 addend 0x100000000
expect "loader: a PC32 within .text, 4 GiB on, overflows" 1 \
	".rela.text[0]: symbol 'patched' + 0x100000000: value 0xffffffef overflows relocation type R_X86_64_PC32" \
	check "$w/x.ko"
mangle "$w/x.ko" rela .rela.text 0 addend 0x7fffffff
expect "loader: a PC32 within .text to 2^31 - 1 on fits" 0 "0 errors" check "$w/x.ko"
broken basic rela .rela.text 0 sym 2
mangle "$w/x.ko" rela .rela.text 0 addend 0x7fffffff
expect "loader: a PC32 from .text to .data + 2^31 - 1 fits only where the module happens to load" 1 \
	".rela.text[0]: symbol '.data' + 0x7fffffff: value" check "$w/x.ko"
printf '%s\n' "ffffffff81000000 T hidden_func" "ffffffff82000020 B hidden_var" \
	"ffffffff82000000 D exported_var" "ffffffff82000008 r __ksymtab_exported_var" > "$w/ks-exp"
broken basic rela .rela.text 0 addend 0x100000000
expect "loader: a PC32 to an export 4 GiB on overflows wherever the module loads" 1 \
	"symbol 'exported_var' + 0x100000000: value 0x83000009 to 0xe1ffffef overflows relocation type R_X86_64_PC32 wherever the module loads" check --kallsyms "$w/ks-exp" "$w/x.ko"
expect "loader: ... but not judged where the export's address is unknown" 0 "0 errors" \
	check "$w/x.ko"
broken basic rela .rela.text 0 type 11
expect "loader: an R_X86_64_32S to an export in vmlinux fits" 0 "0 errors" \
	check --kallsyms "$w/ks-exp" "$w/x.ko"
mangle "$w/x.ko" rela .rela.text 0 addend 0x100000000
expect "loader: an R_X86_64_32S to an export 4 GiB on overflows" 1 \
	".rela.text[0]: symbol 'exported_var' + 0x100000000: value 0x82000000 overflows relocation type R_X86_64_32S" \
	check --kallsyms "$w/ks-exp" "$w/x.ko"
# The loader sets struct module's state and list links before it
# relocates: .rela.text's entries moved into .gnu.linkonce.this_module,
# apart, past those first fields (which only a pointer into the module's
# code may be written into: the loader calls init and exit), then one
# onto the list.
tm=$(readelf -SW "$w/basic.ko" | sed -n 's/^ *\[ *\([0-9]*\)\] \.gnu\.linkonce\.this_module .*/\1/p')
nrel=$(readelf -rW "$w/basic.ko" | awk '/^Relocation section .\.rela\.text. / { print $(NF - 1) }')
broken basic shdr .rela.text info "$tm"
for ((i = 0; i < nrel; i++)); do
	mangle "$w/x.ko" rela .rela.text $i offset $((0x18 + 4 * i))
done
expect "loader: ordinary relocations into struct module past its list, not code pointers" 1 \
	".rela.text[0]: symbol 'exported_var' + 0xfffffffffffffffc: the loader calls the pointer this entry writes into .gnu.linkonce.this_module, and it does not point into the module's own code" \
	check "$w/x.ko"
mangle "$w/x.ko" rela .rela.text 0 offset 0x10
expect "loader: an ordinary relocation onto struct module's list, which the loader has set" 1 \
	".rela.text[0]: target bytes at .gnu.linkonce.this_module+0x10 are struct module's state or list" \
	check "$w/x.ko"

# symbols: a section of the module, or one the loader knows
idx=$(symidx "$w/basic.ko" patched)
n_sec=$(readelf -h "$w/basic.ko" | awk '/Number of section headers/ { print $NF }')
for shndx in 200 0xffff; do
	broken basic sym patched shndx $shndx
	expect "loader: a symbol in section $shndx, past the last" 1 \
		".symtab: symbol [$idx] 'patched': section index $((shndx)) is not a section ($n_sec sections)" \
		check "$w/x.ko"
done
broken basic sym patched shndx 0xfff2
expect "loader: a common symbol is refused" 1 \
	".symtab[$idx]: symbol 'patched' is SHN_COMMON: build with -fno-common" check "$w/x.ko"
broken basic sym patched shndx 0
expect "loader: an undefined symbol must be exported" 1 \
	".symtab[$idx]: undefined symbol 'patched' is exported neither by vmlinux nor by a module given" \
	check --vmlinux "$w/vmlinux.o" "$w/x.ko"
expect "loader: without vmlinux's symbols an undefined one is not judged" 0 "0 errors" \
	check "$w/x.ko"
printf 'int patched;\nint __ksymtab_patched;\n' | $CC $cflags -x c -c -o "$w/emod.o" - || exit 2
expect "loader: a module given that exports it binds it" 0 "0 errors" \
	check --vmlinux "$w/vmlinux.o" --module "$w/emod.o" "$w/x.ko"
printf '%s\n' "ffffffff81000000 T hidden_func" "ffffffff82000020 B hidden_var" \
	"ffffffff82000008 r __ksymtab_exported_var" "ffffffffa0000000 r __ksymtab_patched	[emod]" \
	> "$w/ks-emod"
expect "loader: so does a module's export in a kallsyms dump" 0 "0 errors" \
	check --kallsyms "$w/ks-emod" "$w/x.ko"

# GPL-only exports: the loader binds them only for a GPL-compatible licence
gmsg="undefined symbol 'patched' is a GPL-only export, and the module's licence 'GPD' is not GPL-compatible: the loader refuses the module (Unknown symbol patched)"
printf 'int patched;\nint __ksymtab_patched __attribute__((section("__ksymtab_gpl")));\n' |
	$CC $cflags -x c -c -o "$w/gmod.o" - || exit 2
expect "loader: a module's GPL-only export binds a GPL module" 0 "0 errors" \
	check --vmlinux "$w/vmlinux.o" --module "$w/gmod.o" "$w/x.ko"
cp "$w/x.ko" "$w/gpl.ko"
mangle "$w/x.ko" str .modinfo license=GPL license=GPD
expect "loader: ... not one under another licence (ELF: section __ksymtab_gpl)" 1 \
	".symtab[$idx]: $gmsg" check --vmlinux "$w/vmlinux.o" --module "$w/gmod.o" "$w/x.ko"
expect "loader: a plain export of the name binds it" 0 "0 errors" \
	check --vmlinux "$w/vmlinux.o" --module "$w/emod.o" "$w/x.ko"
mangle "$w/x.ko" str .modinfo license=GPD licensX=GPD
expect "loader: a module without a licence is not GPL-compatible either" 1 \
	"undefined symbol 'patched' is a GPL-only export, and the module's licence '(none)' is not GPL-compatible" \
	check --vmlinux "$w/vmlinux.o" --module "$w/gmod.o" "$w/x.ko"
mangle "$w/x.ko" str .modinfo licensX=GPD license=GPD
gpl_lines() {	# gpl_lines ADDR: vmlinux's list, __ksymtab_patched at ADDR
	printf '%s\n' "ffffffff81000000 T hidden_func" "ffffffff82000020 B hidden_var" \
		"ffffffff82000000 R __start___ksymtab_gpl" "$1 r __ksymtab_patched" \
		"ffffffff82000010 R __stop___ksymtab_gpl" "ffffffff82000018 r __ksymtab_exported_var"
}
gpl_lines ffffffff82000008 > "$w/ks-gpl"
expect "loader: vmlinux's GPL-only export in kallsyms: __ksymtab_ in the __ksymtab_gpl bounds" 1 \
	".symtab[$idx]: $gmsg" check --kallsyms "$w/ks-gpl" "$w/x.ko"
expect "loader: ... binds a GPL module" 0 "0 errors" check --kallsyms "$w/ks-gpl" "$w/gpl.ko"
gpl_lines ffffffff82000010 > "$w/ks-gpl-end"
expect "loader: a __ksymtab_ at the end of the bounds is not in them" 0 "0 errors" \
	check --kallsyms "$w/ks-gpl-end" "$w/x.ko"
gpl_lines ffffffff82000008 > "$w/System.map-gpl"
expect "loader: ... and in a System.map" 1 ".symtab[$idx]: $gmsg" \
	check --system-map "$w/System.map-gpl" "$w/x.ko"

# klp_enable_patch() with a .mod that cannot be THIS_MODULE
compile en patch -DENABLE_AT_INIT
expect "enable: a klp_patch whose .mod is THIS_MODULE in its data" 0 "0 errors" check "$w/en.o"
cp "$w/en.o" "$w/x.o"
mangle "$w/x.o" shdr .rela.data type 0
expect "enable: no relocation takes __this_module's address: .mod is not THIS_MODULE" 1 \
	"x.o: klp_enable_patch() is called, but no relocation takes the address of symbol '__this_module'" \
	check "$w/x.o"
# Fuzz round 5733: the relocation of the init's "mov $patch, %rdi" made
# R_X86_64_NONE; the kernel says "no patch given".
ri=$(readelf -W -r "$w/en.o" | awk '/^Relocation section / { t = /\.rela\.text/; n = 0; next }
	t && /^[0-9a-f]+ / { if ($5 == ".data" || $5 == "patch") { print n; exit } n++ }')
cp "$w/en.o" "$w/x.o"
mangle "$w/x.o" rela .rela.text "$ri" type 0
expect "enable: no code takes the klp_patch's address: klp_enable_patch() is given none" 1 \
	"x.o: .data+0x0: klp_enable_patch() is called, but no relocation takes the address of this klp_patch" \
	check "$w/x.o"
cp "$w/en.o" "$w/x.o"
idx=$(symidx "$w/en.o" __this_module)
mangle "$w/x.o" byte .symtab $((idx * 24 + 12)) 1
expect "enable: a __this_module symbol away from its section's start is not THIS_MODULE" 1 \
	"x.o: .symtab[$idx]: symbol '__this_module' is not at the start of .gnu.linkonce.this_module" \
	check "$w/x.o"
# The loader goes by where the symbol is: renamed, it is still THIS_MODULE
# (fuzz round 5762, which the kernel loaded).
cp "$w/en.o" "$w/x.o"
idx=$(symidx "$w/en.o" __this_module)
mangle "$w/x.o" byte .symtab $((idx * 24)) 1
expect "enable: a renamed symbol at the start of .gnu.linkonce.this_module is THIS_MODULE" 0 \
	"0 errors" check "$w/x.o"
compile enrt patch -DENABLE_AT_INIT -DMOD_AT_RUN_TIME
expect "enable: a klp_patch whose .mod is set at run time (kpatch's)" 0 "0 errors" \
	check "$w/enrt.o"

# vermagic, against a target module's, which is the kernel's
expect "loader: the same vermagic as the target module" 0 "0 errors" \
	check --module "$w/tmod.o" "$w/tm.ko"
broken tm str .modinfo "mod_unload " "mod_unloaD "
expect "loader: a vermagic other than the kernel's" 1 \
	".modinfo: vermagic '6.1.0-test SMP mod_unloaD ' is not the kernel's '6.1.0-test SMP mod_unload ' (tmod's)" \
	check --module "$w/tmod.o" "$w/x.ko"
expect "loader: vermagic is compared only with a target's" 0 "0 errors" check "$w/x.ko"
broken tm str .modinfo vermagic= vermagiX=
expect "loader: a module without vermagic" 1 \
	".modinfo: no NUL-terminated vermagic: the kernel's is '6.1.0-test SMP mod_unload ' (tmod's)" \
	check --module "$w/tmod.o" "$w/x.ko"
broken tm str .modinfo 6.1.0-test 6.1.9-test
expect "loader: the kernel version is part of vermagic" 1 "vermagic '6.1.9-test SMP" \
	check --module "$w/tmod.o" "$w/x.ko"
mangle "$w/x.ko" str .shstrtab .note.GNU-stack __versions
mangle "$w/x.ko" shdr __versions flags 2
expect "loader: ... but not for a module with __versions" 0 "0 errors" \
	check --module "$w/tmod.o" "$w/x.ko"

# --- klp-check with a kallsyms dump ---
ks=$w/kallsyms
printf '%s\n' "ffffffff81000000 T hidden_func" "ffffffff81000100 t dup" \
	"ffffffff81000200 t dup" "ffffffff82000000 D exported_var" \
	"ffffffff82000008 r __ksymtab_exported_var" \
	"ffffffff82000010 r __ksymtab_hidden_var" "ffffffff82000020 B hidden_var" \
	"ffffffffa0000000 t tfunc	[tmod]" > "$ks"
expect "kallsyms: sympos 2 resolves to the second line's address" 0 \
	"resolves to vmlinux 'dup' #2 at 0xffffffff81000200" check --kallsyms "$ks" "$w/dup2.ko"
expect "kallsyms: a klp symbol that vmlinux exports is a warning" 0 \
	"warning: 'hidden_var' is exported by vmlinux: an ordinary relocation would do" \
	check --kallsyms "$ks" "$w/basic.ko"
# A kernel above the start of module space (KASLR puts it there): with an
# addend of -2^63, S + A - P runs across 2^63 as P runs over module space,
# far from the 32-bit window all the way.
printf '%s\n' "ffffffffb566a1c0 T hidden_func" "ffffffffb566a200 B hidden_var" > "$w/ks-high"
broken basic rela $T 0 addend 0x8000000000000000
expect "kallsyms: a PC32 to vmlinux with an addend of -2^63 overflows (its values cross 2^63, not the 32-bit window)" 1 \
	"- P overflows relocation type R_X86_64_PLT32 wherever the module loads" \
	check --kallsyms "$w/ks-high" "$w/x.ko"
broken dup2 str .strtab .klp.sym.vmlinux.dup,2 .klp.sym.vmlinux.dup,0
expect "kallsyms: sympos 0 on a duplicate name is an error" 1 \
	"symbol '.klp.sym.vmlinux.dup,0': 2 symbols named 'dup' in vmlinux: use sympos 1 to 2" \
	check --kallsyms "$ks" "$w/x.ko"
broken dup2 str .strtab .klp.sym.vmlinux.dup,2 .klp.sym.vmlinux.dup,3
expect "kallsyms: a sympos past the count is an error" 1 \
	"symbol '.klp.sym.vmlinux.dup,3': only 2 symbols named 'dup' in vmlinux" \
	check --kallsyms "$ks" "$w/x.ko"
expect "kallsyms: a name not in the object is an error" 1 \
	"symbol '.klp.sym.tmod.tvar,0': no symbol named 'tvar' in tmod" \
	check --kallsyms "$ks" "$w/tm.ko"
# Fuzz round 8393: klp_enable_patch defined in the module's own section;
# its init calls that, the patch is never enabled, and the kernel never
# looks up the module object's symbols.
compile tmen patch -DUSE_TMOD -DENABLE_AT_INIT -DOWN_ENABLE
convert --module "$w/tmod.o" -o "$w/tmen.ko" "$w/tmen.o" || exit 2
expect "kallsyms: ... but not where the patch is never enabled (a klp_enable_patch() of its own)" 0 \
	"'.klp.sym.tmod.tvar,0': never resolved: the module's klp_enable_patch() is its own" \
	check --kallsyms "$ks" "$w/tmen.ko"

# --- the symbol sources a user has without vmlinux ---
# A Debian user has a root copy of /proc/kallsyms, or a System.map, and
# Module.symvers; sympos counts within one object in kallsyms order.
kc() { tool klp-convert "$@"; }
ksc=$w/ks-convert
printf '%s\n' "ffffffff81000000 T hidden_func" "ffffffff81000100 t dup" \
	"ffffffff81000200 t dup" "ffffffff82000000 D exported_var" \
	"ffffffff82000008 r __ksymtab_exported_var" "ffffffff82000020 B hidden_var" \
	"ffffffffa0000000 t tfunc	[tmod]" "ffffffffa0000100 d tvar	[tmod]" \
	"ffffffffa0001000 t bpf_prog_1_hidden_var	[bpf]" > "$ksc"
expect "convert --kallsyms needs neither --kdir nor --vmlinux" 0 \
	"basic.o: hidden_var -> .klp.sym.vmlinux.hidden_var,0" \
	kc --kallsyms "$ksc" -v -o "$w/ksbasic.ko" "$w/basic.o"
out=$(readelf -W -s "$w/ksbasic.ko")
expect_match "convert --kallsyms: a __ksymtab_ line makes an export, bound normally" \
	'NOTYPE +GLOBAL +DEFAULT +UND exported_var$' "$out"
expect "convert --kallsyms: the result passes klp-check with the same copy" 0 \
	"hidden_var,0 resolves to vmlinux 'hidden_var' #1 at 0xffffffff82000020" \
	check --kallsyms "$ksc" "$w/ksbasic.ko"
expect "convert --kallsyms: KLP_SYMPOS counts the lines of the name" 0 \
	"dup2.o: dup -> .klp.sym.vmlinux.dup,2" kc --kallsyms "$ksc" -v -o "$w/x.ko" "$w/dup2.o"
{ cat "$ksc"; printf '%s\n' "ffffffffa0000200 t dup	[emod]" \
	"ffffffffa0000300 d dup	[emod]"; } > "$w/ks-emod-dup"
out=$(kc --kallsyms "$w/ks-emod-dup" -o "$w/x.ko" "$w/dup.o")
expect_match "convert --kallsyms: candidates of one name in each object, in kallsyms order" \
	"^$w/dup.o: \.rela\.text\[[0-9]+\]: symbol 'dup': 4 candidates in vmlinux and emod: add KLP_OBJECT\(dup, vmlinux\) and KLP_SYMPOS\(dup, 1\), KLP_OBJECT\(dup, vmlinux\) and KLP_SYMPOS\(dup, 2\), KLP_OBJECT\(dup, emod\) and KLP_SYMPOS\(dup, 1\) or KLP_OBJECT\(dup, emod\) and KLP_SYMPOS\(dup, 2\)$" "$out"
expect_match "convert --kallsyms: the second of a module's names is its second line" \
	"note: emod 'dup' #2 at 0xffffffffa0000300: KLP_OBJECT\(dup, emod\) and KLP_SYMPOS\(dup, 2\)" "$out"
expect_match "convert --kallsyms: a candidate from a copy of kallsyms names no source file" \
	"note: vmlinux 'dup' #1 at 0x[0-9a-f]+: KLP_OBJECT\(dup, vmlinux\) and KLP_SYMPOS\(dup, 1\)$" "$out"
expect "convert --kallsyms: a target module's statics from its [tmod] lines" 0 \
	"tm.o: tvar -> .klp.sym.tmod.tvar,0" kc --kallsyms "$ksc" -v -o "$w/x.ko" "$w/tm.o"
grep -v 'tvar' "$ksc" > "$w/ks-notvar"
expect "convert --kallsyms: --module takes the place of the module's lines" 0 \
	"tm.o: tvar -> .klp.sym.tmod.tvar,0" \
	kc --kallsyms "$w/ks-notvar" --module "$w/tmod.o" -v -o "$w/x.ko" "$w/tm.o"
expect "convert --kallsyms: ... and without it, the lines are all there is" 1 \
	"symbol 'tvar' is not exported by vmlinux and not in its kallsyms" \
	kc --kallsyms "$w/ks-notvar" -o "$w/x.ko" "$w/tm.o"
{ cat "$ksc"; echo "ffffffffa0000108 r __ksymtab_tvar	[tmod]"; } > "$w/ks-tvar"
kc --kallsyms "$w/ks-tvar" -o "$w/x.ko" "$w/tm.o" >/dev/null
expect "convert --kallsyms: what a listed module exports binds normally" 0 \
	" UND tvar" readelf -W -s "$w/x.ko"

sed 's/^ffffffff[0-9a-f]*/0000000000000000/' "$ksc" > "$w/ks-zero"
expect "convert: a kallsyms copy read without root is refused, and how to read it said" 2 \
	"klp-convert: $w/ks-zero: every address is zero: read /proc/kallsyms as root (sudo cat /proc/kallsyms > FILE)" \
	kc --kallsyms "$w/ks-zero" -o "$w/x.ko" "$w/basic.o"
expect "check: so is it in klp-check" 2 \
	"klp-check: $w/ks-zero: every address is zero: read /proc/kallsyms as root" \
	check --kallsyms "$w/ks-zero" "$w/basic.ko"
grep -v __ksymtab_ "$ksc" > "$w/ks-noexp"
expect "convert: a kallsyms copy without __ksymtab_ lines needs --symvers" 2 \
	"klp-convert: $w/ks-noexp: no __ksymtab_ symbols of vmlinux, so what it exports is unknown (a kernel without CONFIG_KALLSYMS_ALL?): add --symvers with its Module.symvers" \
	kc --kallsyms "$w/ks-noexp" -o "$w/x.ko" "$w/basic.o"
printf '0x12345678\texported_var\tvmlinux\tEXPORT_SYMBOL\t\n' > "$w/Module.symvers-t"
expect "convert: ... and takes it" 0 "" \
	kc --kallsyms "$w/ks-noexp" --symvers "$w/Module.symvers-t" -o "$w/x.ko" "$w/basic.o"
{ cat "$ksc"; echo "ffffffff81000300 t dup junk"; } > "$w/ks-junk"
expect "convert: a line that is not a kallsyms line is refused by number" 2 \
	"klp-convert: $w/ks-junk:10: not a /proc/kallsyms line" \
	kc --kallsyms "$w/ks-junk" -o "$w/x.ko" "$w/basic.o"
expect "convert: one source of vmlinux's symbols" 2 \
	"give vmlinux's symbols once: --vmlinux, --kallsyms or --system-map" \
	kc --kallsyms "$ksc" --vmlinux "$w/vmlinux.o" -o "$w/x.ko" "$w/basic.o"

# a System.map: vmlinux only, in address order, as scripts/mksysmap left it
map=$w/System.map
printf '%s\n' "ffffffff81000000 T hidden_func" "ffffffff81000100 t dup" \
	"ffffffff81000180 T kallsyms_lookup_name" "ffffffff81000200 t dup" \
	"ffffffff82000000 D exported_var" "ffffffff82000020 B hidden_var" \
	"ffffffff82000040 R kallsyms_names" "ffffffff82000080 A nadup" > "$map"
{ cat "$map"; echo "ffffffff82000008 r __ksymtab_exported_var"; } > "$w/System.map-ks"
expect "convert --system-map with --symvers needs no vmlinux" 0 \
	"basic.o: hidden_var -> .klp.sym.vmlinux.hidden_var,0" \
	kc --system-map "$map" --symvers "$w/Module.symvers-t" -v -o "$w/x.ko" "$w/basic.o"
expect "convert --system-map: exports from Module.symvers bind normally" 0 \
	" UND exported_var" readelf -W -s "$w/x.ko"
expect "convert --system-map: sympos 2 is the second line of the name" 0 \
	"dup2.o: dup -> .klp.sym.vmlinux.dup,2" \
	kc --system-map "$map" --symvers "$w/Module.symvers-t" -v -o "$w/x.ko" "$w/dup2.o"
expect "check --system-map: sympos 2 resolves to the second line's address" 0 \
	"resolves to vmlinux 'dup' #2 at 0xffffffff81000200" check --system-map "$map" "$w/dup2.ko"
expect "convert --system-map: what kallsyms leaves out of the map's lines is not a candidate" 1 \
	"symbol 'kallsyms_names' is not exported by vmlinux and not in its kallsyms" \
	kc --system-map "$map" --symvers "$w/Module.symvers-t" -o "$w/x.ko" "$w/kst.o"
echo 'ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package' \
	> "$w/System.map-debian"
msg="no text symbols, so not a System.map (Debian's /boot/System.map is a placeholder: the real one is in package linux-image-<version>-dbg; or give --kallsyms with a copy of /proc/kallsyms read as root)"
expect "convert: Debian's placeholder System.map is refused, and where the real one is said" 2 \
	"klp-convert: $w/System.map-debian: $msg" \
	kc --system-map "$w/System.map-debian" --symvers "$w/Module.symvers-t" -o "$w/x.ko" "$w/basic.o"
grep -v ' [Tt] ' "$map" > "$w/System.map-tiny"
expect "check: so is a System.map without text symbols" 2 \
	"klp-check: $w/System.map-tiny: $msg" check --system-map "$w/System.map-tiny" "$w/basic.ko"
{ cat "$map"; echo "ffffffffa0000000 t tfunc	[tmod]"; } > "$w/System.map-mod"
expect "convert: a System.map has no module lines" 2 \
	"klp-convert: $w/System.map-mod:9: not a System.map line" \
	kc --system-map "$w/System.map-mod" -o "$w/x.ko" "$w/basic.o"

# a stripped vmlinux says nothing; each path is said once
strip -o "$w/vmlinux-stripped.o" "$w/vmlinux.o" || exit 2
msg="no symbol table: a stripped vmlinux cannot say where its symbols are; give the one with symbols (Debian: package linux-image-<version>-dbg), or --kallsyms with a copy of /proc/kallsyms read as root"
expect "convert: a stripped vmlinux is refused, not taken for one without symbols" 2 \
	"klp-convert: $w/vmlinux-stripped.o: $msg" \
	kc --vmlinux "$w/vmlinux-stripped.o" -o "$w/x.ko" "$w/basic.o"
expect "check: so it is in klp-check" 2 "klp-check: $w/vmlinux-stripped.o: $msg" \
	check --vmlinux "$w/vmlinux-stripped.o" "$w/basic.ko"
expect "convert: a source that is not ELF is named once" 2 \
	"klp-convert: $map: not an ELF file" kc --vmlinux "$map" -o "$w/x.ko" "$w/basic.o"
expect "convert: a missing Module.symvers is named once" 2 \
	"klp-convert: $w/nonexistent: No such file or directory" \
	kc --symvers "$w/nonexistent" -o "$w/x.ko" "$w/basic.o"

# --- klp-check: is it a livepatch module, and will the loader bind it ---
expect "check: a module without livepatch modinfo nor markers is not a livepatch module" 1 \
	"nolp.o: .modinfo: not a livepatch module: add MODULE_INFO(livepatch, \"Y\")" \
	check "$w/nolp.o"
idx=$(symidx "$w/basic.o" hidden_var)
expect "check: an unconverted patch's import that vmlinux does not export (kallsyms)" 1 \
	"basic.o: .symtab[$idx]: undefined symbol 'hidden_var' is exported neither by vmlinux nor by a module given: the loader refuses the module (Unknown symbol hidden_var)" \
	check --kallsyms "$ksc" "$w/basic.o"
expect "check: ... and with a System.map's __ksymtab_ lines" 1 "(Unknown symbol hidden_var)" \
	check --system-map "$w/System.map-ks" "$w/basic.o"
expect "check: without what vmlinux exports, undefined symbols are noted, not judged" 0 \
	"basic.o: note: 3 undefined symbols not checked against vmlinux's exports: give --kallsyms, --vmlinux or --system-map" \
	check "$w/basic.o"
expect "check: a kallsyms copy without __ksymtab_ lines says nothing of exports" 0 \
	"basic.o: note: 3 undefined symbols not checked" check --kallsyms "$w/ks-noexp" "$w/basic.o"

# --- a signed module: klp-convert's output is unsigned ---
cp "$w/basic.o" "$w/signed.o"
sign "$w/signed.o" 16
msg="klp-convert: $w/signed.ko: warning: written without the input's module signature: sign it again with scripts/sign-file (Debian: package linux-kbuild-<version>) and your MOK key"
expect "convert: a dropped signature is warned of, exit status unchanged" 0 "$msg" \
	convert -o "$w/signed.ko" "$w/signed.o"
expect "convert: ... and the output carries no signature marker" 1 "" \
	grep -q 'Module signature appended' "$w/signed.ko"
out=$(convert -o "$w/x.ko" "$w/basic.o" 2>&1)
[ $? = 0 ] && ! grep -q warning <<<"$out" && pass "convert: no warning for an unsigned module" ||
	{ fail "convert: no warning for an unsigned module"; sed 's/^/#   /' <<<"$out" | head -5; }

# --- klp-check: the patch's klp_object and klp_func arrays ---
# What klp_enable_patch() is given, read from the module's data: the
# kernel refuses a .klp.rela section for an object the patch lacks, and a
# function whose old_name its object does not have once at old_sympos.
expect "klp_patch: two objects, a function each, read from the data" 0 \
	"tm.ko: klp_patch at .data+0x0: 2 objects, 2 functions" check "$w/tm.ko"
expect "klp_patch: a module object's function resolves in its --module" 0 \
	"patched function 'tfunc' (object tmod, sympos 0): #1 at 0x" \
	check --module "$w/tmod.o" "$w/tm.ko"
expect "klp_patch: old_sympos 2 resolves to the second 'dup'" 0 \
	"patched function 'dup' (object vmlinux, sympos 2): #2 at 0x$addr (vmlinux-b.c)" \
	check --vmlinux "$w/vmlinux.o" "$w/dup2.ko"
compile ef patch -DEMPTY_FUNCS
convert -o "$w/ef.ko" "$w/ef.o" >/dev/null || exit 2
expect "klp_patch: an object whose klp_func array is only a terminator, in .bss" 0 \
	"ef.ko: klp_patch at .data+0x0: 1 object, 0 functions" check --vmlinux "$w/vmlinux.o" "$w/ef.ko"
# data_rela FILE FIELD VALUE: the first .rela.data entry whose FIELD is VALUE
data_rela() {
	readelf -W -r "$1" | awk -v f="$2" -v v="$3" '
		/^Relocation section / { in_data = /\.rela\.data/; next }
		in_data && /^[0-9a-f]+ / { if ($f == v) { print n, $1; exit } n++ }'
}
read -r _ off < <(data_rela "$w/basic.ko" 5 .rodata.str1.1)
broken basic str .rodata.str1.1 hidden_func hidden_fund
expect "klp_patch: a vmlinux function's old_name not in --vmlinux" 1 \
	"x.ko: .data+0x$(printf %x $((0x$off))): patched function 'hidden_fund' (object vmlinux, sympos 0): not found in vmlinux" \
	check --vmlinux "$w/vmlinux.o" "$w/x.ko"
expect "klp_patch: ... nor in the kallsyms dump" 1 \
	"patched function 'hidden_fund' (object vmlinux, sympos 0): not found in vmlinux" \
	check --kallsyms "$ks" "$w/x.ko"
expect "klp_patch: ... and without vmlinux's symbols it is read, not judged" 0 \
	"x.ko: klp_patch at .data+0x0: 1 object, 1 function" check "$w/x.ko"
broken tm str .rodata.str1.1 tfunc tfunX
expect "klp_patch: a module function's old_name not in its --module" 1 \
	"patched function 'tfunX' (object tmod, sympos 0): not found in tmod" \
	check --module "$w/tmod.o" "$w/x.ko"
expect "klp_patch: ... nor among its [tmod] lines of a kallsyms dump" 1 \
	"patched function 'tfunX' (object tmod, sympos 0): not found in tmod" \
	check --kallsyms "$ks" "$w/x.ko"
for pos in 0 3; do
	compile dupf patch -DUSE_DUP -DDUP_POS=2 -DDUP_OLD_SYMPOS=$pos
	convert -o "$w/dupf$pos.ko" "$w/dupf.o" >/dev/null || exit 2
done
expect "klp_patch: old_sympos 0 of a name vmlinux has twice" 1 \
	"patched function 'dup' (object vmlinux, sympos 0): ambiguous, 2 symbols named 'dup' in vmlinux: set old_sympos to one of 1 to 2" \
	check --vmlinux "$w/vmlinux.o" "$w/dupf0.ko"
expect "klp_patch: old_sympos past the count" 1 \
	"patched function 'dup' (object vmlinux, sympos 3): only 2 symbols named 'dup' in vmlinux" \
	check --kallsyms "$ks" "$w/dupf3.ko"
broken tm str .rodata.str1.1 tmod tmoe
expect "klp_patch: a .klp.rela section for an object the patch lacks" 1 \
	"x.ko: $M: object 'tmod' is neither vmlinux nor one of the patch's objects (vmlinux, tmoe)" \
	check "$w/x.ko"
read -r ri _ < <(data_rela "$w/basic.ko" 5 patched)
broken basic rela .rela.data "$ri" type 0
expect "klp_patch: a function whose new_func is NULL" 1 \
	"patched function 'hidden_func' (object vmlinux): new_func is NULL" check "$w/x.ko"
# new_func must be text that stays after init: klp_enable_patch() refuses
# it anywhere else in the patch module.  Its last byte of text is text, the
# byte after it is not (basic.ko has one text section, and patched() is at
# its start).
tsz=$(readelf -W -S "$w/basic.ko" |
	awk '{ sub(/^ *\[ *[0-9]+\] */, "") } $1 == ".text" { print $5 }')
broken basic rela .rela.data "$ri" addend $((0x$tsz - 1))
expect "klp_patch: a new_func in the last byte of the module's text" 0 "0 errors" \
	check "$w/x.ko"
broken basic rela .rela.data "$ri" addend $((0x$tsz))
expect "klp_patch: a new_func just past the module's text" 1 \
	"patched function 'hidden_func' (object vmlinux): its new function, .text+0x$(printf %x $((0x$tsz))), is not in a text section of the patch module" \
	check "$w/x.ko"
broken basic rela .rela.data "$ri" sym "$(symidx "$w/basic.ko" vmlinux_funcs)"
expect_match "klp_patch: a new_func in the module's data" \
	"x.ko: \.data\+0x[0-9a-f]+: patched function 'hidden_func' \(object vmlinux\): its new function, \.data\+0x[0-9a-f]+, is not in a text section of the patch module" \
	"$(check "$w/x.ko" 2>&1)"
# Layouts that can be read two ways are not read, and give no error: a
# name the kernel takes from writable data, where entry 1 should be; an
# object-shaped thing past the terminator, as far off as entry 1 could be.
# not_read DESC FILE WHY SOURCE...: klp-check says why FILE's klp_patch is
# not read, and finds nothing wrong.
not_read() {
	local desc=$1 ko=$w/$2.ko why=$3 out
	shift 3
	out=$(check "$@" "$ko")
	if [ $? = 0 ] && grep -qF "$ko: 0 errors, 0 warnings" <<<"$out" &&
	   grep -qE "^$ko: note: the klp_patch is not read \($why\): its objects and functions are not checked$" <<<"$out"; then
		pass "$desc"
	else
		fail "$desc"
		sed 's/^/#   /' <<<"$out" | head -20
	fi
}
compile wn patch -DUSE_TMOD -DWRITABLE_OBJ_NAME
convert --module "$w/tmod.o" -o "$w/wn.ko" "$w/wn.o" >/dev/null || exit 2
not_read "klp_patch: an object name in writable data is not guessed at, nor is its section an error" \
	wn "klp_object array at .*: .* is neither a klp_object nor where something else begins" \
	--module "$w/tmod.o"
compile la patch -DLOOKALIKE_OBJ
convert -o "$w/la.ko" "$w/la.o" >/dev/null || exit 2
not_read "klp_patch: an object-shaped thing past the terminator is not an entry, nor is its function looked for" \
	la ".* runs past the end of its symbol 'objs_and_more'" --vmlinux "$w/vmlinux.o"

# --- klp-dump ---
out=$(tool klp-dump "$w/tm.ko")
expect_match "dump: per-object header" '^tmod$' "$out"
expect_match "dump: aligned relocation columns" '^    OFFSET +TYPE +SYMBOL +SYMPOS +ADDEND$' "$out"
expect_match "dump: symbol table with sympos" '^    [0-9]+ +tfunc +0  \.klp\.sym\.tmod\.tfunc,0$' "$out"
# what the dump reads must be in the file and point inside it; each broken
# part is named, in either format, and nothing is dumped
while IFS='|' read -r what how text; do
	broken basic $how
	for fmt in "" --json; do
		expect "dump${fmt:+ $fmt}: $what exits 1, saying so" 1 "x.ko: $text" \
			tool klp-dump $fmt "$w/x.ko"
	done
done <<EOF
a klp section outside the file|shdr $T offset 0x10000000|$T: contents lie outside the file
a klp section longer than the file|shdr $T size 0x10000000|$T: contents lie outside the file
a symtab outside the file|shdr .symtab offset 0x10000000|.symtab: contents lie outside the file
a string table outside the file|shdr .strtab offset 0x10000000|.strtab: contents lie outside the file
a section name table outside the file|shdr .shstrtab offset 0x10000000|no section name table in the file
.modinfo outside the file|shdr .modinfo offset 0x10000000|.modinfo: contents lie outside the file
a klp section's sh_link out of range|shdr $T link 999|$T: sh_link 999 is not the symbol table
a klp section's sh_link not the symtab|shdr $T link 1|$T: sh_link 1 is not the symbol table
a klp section's sh_info out of range|shdr $T info 999|$T: sh_info 999 is not a section
a klp section not SHT_RELA|shdr $T type 1|$T: type 1 is not SHT_RELA
a symbol index past the symtab|rela $T 0 sym 99999|$T[0]: symbol index 99999 is outside the symbol table
the symtab's sh_link out of range|shdr .symtab link 999|.symtab: sh_link 999 is not a string table
EOF
head -c 700 "$w/basic.ko" > "$w/x.ko"
expect "dump: a truncated module exits 1" 1 "x.ko: " tool klp-dump "$w/x.ko"
if tool klp-dump --json "$w/dup2.ko" | python3 -c '
import json, sys
d = json.load(sys.stdin)
o = d["objects"][0]
assert d["livepatch"] and o["name"] == "vmlinux"
assert any(s["name"] == "dup" and s["sympos"] == 2 for s in o["symbols"])
assert any(r["symbol"] == "dup" for s in o["sections"] for r in s["relocations"])
'; then pass "dump --json is valid JSON with objects, sections and symbols"
else fail "dump --json is valid JSON with objects, sections and symbols"; fi

# --- a module's static keys and calls (module-static-keys.rst) ---
J=.klp.jump_table.tmod
C=.klp.static_call_sites.tmod
compile keys patch -DUSE_KEYS
expect "convert a patch with tmod's static branch, tracepoint and static call" 0 "" \
	convert --module "$w/tmod.o" -o "$w/keys.ko" "$w/keys.o"
# secinfo FILE NAME: "SIZE FLAGS" of section NAME, as readelf shows them.
secinfo() {
	readelf -W -S "$1" | sed 's/^ *\[ *[0-9]*\] //' | awk -v n="$2" '$1 == n { print $5, $7 }'
}
[ "$(secinfo "$w/keys.ko" "$J")" = "000020 WA" ] &&
	[ "$(secinfo "$w/keys.ko" "$C")" = "000008 WA" ] &&
	pass "tmod's two jump entries and its call site move to tables of tmod's" ||
	{ fail "tmod's two jump entries and its call site move to tables of tmod's"; readelf -W -S "$w/keys.ko" | sed 's/^/#   /'; }
[ "$(secinfo "$w/keys.ko" __jump_table | cut -c1-6)" = 000010 ] &&
	[ "$(secinfo "$w/keys.ko" .static_call_sites | cut -c1-6)" = 000000 ] &&
	pass "vmlinux's jump entry stays in __jump_table, .static_call_sites is left empty" ||
	fail "vmlinux's jump entry stays in __jump_table, .static_call_sites is left empty"
out=$(readelf -W -r "$w/keys.ko")
expect_match "the key fields are tmod's klp relocations, the flags in the addend" \
	'R_X86_64_PC64 +0+ +\.klp\.sym\.tmod\.tkey,0 \+ 1$' "$out"
expect_match "the code fields keep their ordinary relocations" \
	"^Relocation section '\.rela\.klp\.jump_table\.tmod'" "$out"
expect "klp-check accepts the tables" 0 "0 errors, 0 warnings" \
	check --module "$w/tmod.o" "$w/keys.ko"
out=$(tool klp-dump "$w/keys.ko")
expect_match "dump: the jump table, entry by entry" \
	'^  \.klp\.jump_table\.tmod: 2 jump entries$' "$out"
expect_match "dump: a likely branch on tmod's key" \
	'^    0 +use_keys +use_keys\+0x11 +tkey +likely$' "$out"
expect_match "dump: a tracepoint's key, 8 bytes into it" \
	'^    1 +use_keys\+0x5 +use_keys\+0x11 +__tracepoint_tev\+0x8 +unlikely$' "$out"
broken keys rela .klp.rela.tmod..klp.jump_table.tmod 0 addend 3
expect_match "dump: objtool's NOP hint, bit 1 of a jump entry's key" \
	'^    0 +use_keys +use_keys\+0x11 +tkey +likely, nop hint$' "$(tool klp-dump "$w/x.ko")"
broken keys rela .klp.rela.tmod..klp.static_call_sites.tmod 0 addend 3
expect_match "dump: a tail call marked init" \
	'^    0 +use_keys\+0xc +__SCK__tcall +tail, init$' "$(tool klp-dump "$w/x.ko")"
expect_match "dump: the static call site and its key" \
	'^    0 +use_keys\+0xc +__SCK__tcall +call$' "$out"
if tool klp-dump --json "$w/keys.ko" | python3 -c '
import json, sys
o = {o["name"]: o for o in json.load(sys.stdin)["objects"]}
t = {t["name"]: t for t in o["tmod"]["key_tables"]}
j = t[".klp.jump_table.tmod"]["entries"]
assert j[1] == {"index": 1, "code": "use_keys+0x5", "target": "use_keys+0x11",
		"key": "__tracepoint_tev+0x8", "kind": "unlikely", "nop_hint": False}, j
c = t[".klp.static_call_sites.tmod"]["entries"]
assert c == [{"index": 0, "site": "use_keys+0xc", "key": "__SCK__tcall",
	      "kind": "call", "init": False}], c
assert o["vmlinux"]["key_tables"] == []
'; then pass "dump --json: the tables' entries"
else fail "dump --json: the tables' entries"; fi
compile keyt patch -DUSE_KEYS -DCALL_KEY='"__SCT__tcall"'
expect "convert refuses a static call site that names the trampoline" 1 \
	"keyt.o: .rela.static_call_sites[1]: a static call site of module tmod names its trampoline, not its key" \
	convert --module "$w/tmod.o" "$w/keyt.o"

# klp-check: one broken rule of the tables at a time, as the kernel refuses
# them (keys.c).
RJ=.klp.rela.tmod..klp.jump_table.tmod
RC=.klp.rela.tmod..klp.static_call_sites.tmod
uk=$(readelf -W -s "$w/keys.ko" | awk '$NF == "use_keys" { print $2; exit }')
while IFS='|' read -r what how text; do
	broken keys $how
	expect "klp-check: $what" 1 "x.ko: $text" check --module "$w/tmod.o" "$w/x.ko"
done <<EOT
a table not writable|shdr $J flags 2|$J: must be SHT_PROGBITS, SHF_ALLOC and SHF_WRITE
a table of a part entry|shdr $J size 24|$J: not a whole number of 16-byte entries
a table of an object the patch has no klp section of|str .shstrtab $J .klp.jump_table.tmoe|.klp.jump_table.tmoe: 'tmoe' is not a module object
a jump key 8 bytes into a key|rela $RJ 0 addend 9|$J[0]: jump entry: symbol 'tkey'+8 is not a static key or a tracepoint's key
a jump key of a 4-byte relocation|rela $RJ 0 type 2|$J[0]: jump entry: its key is not written by one 8-byte klp relocation of object 'tmod'
two relocations on one key, none on the next|rela $RJ 1 offset 8|$J[1]: jump entry: its key is not written by one 8-byte klp relocation
a jump entry's code neither a NOP nor a jump|byte .text $((0x$uk)) 0xcc|$J[0]: jump entry: the code is neither a NOP nor a jump to the entry's target
a static call key 4 bytes into it|rela $RC 0 addend 4|$C[0]: static call site: symbol '__SCK__tcall'+4 is not a static call key
a static call site marked init|rela $RC 0 addend 2|$C[0]: static call site: marked as init code
a static call site that is not a call|byte .text $((0x$uk + 12)) 0x90|$C[0]: static call site: not a call
a jump key that is tmod's function, not its data|rela $RJ 0 sym $(symidx "$w/keys.ko" .klp.sym.tmod.__SCT__tcall,0)|$RJ[0]: $J 0: key '.klp.sym.tmod.__SCT__tcall,0' is not writable data (type 'T')
EOT
# klp-dump shows a broken table as it is, and refuses one it cannot read.
broken keys rela $RJ 1 offset 8
out=$(tool klp-dump "$w/x.ko")
expect_match "dump: a key field two relocations write, of no one kind" \
	'^    0 +use_keys +use_keys\+0x11 +\(several relocations\) +-$' "$out"
expect_match "dump: a key field none writes" \
	'^    1 +use_keys\+0x5 +use_keys\+0x11 +\(no relocation\) +-$' "$out"
broken keys shdr $J size 24
expect "dump: a table of a part entry exits 1, saying so" 1 \
	"x.ko: $J: size 24 is not a multiple of 16" tool klp-dump "$w/x.ko"
broken keys shdr .rela$J link 1
expect "dump: the table's relocations with a bad sh_link exit 1" 1 \
	"x.ko: .rela$J: sh_link 1 is not the symbol table" tool klp-dump "$w/x.ko"

# --- robustness: fixed-seed broken copies of the objects above ---
# fuzz.c says what it breaks and what counts as a failure.  The sanitizer
# builds catch the overruns a plain build survives by luck.
$CC -O2 -Wall -Werror -o "$w/fuzz" "$here/fuzz.c" || exit 2
kos=("$w/basic.ko" "$w/dup2.ko" "$w/tm.ko" "$w/both2.ko" "$w/keys.ko")
objs=("$w/basic.o" "$w/dup2.o" "$w/tm.o" "$w/both2.o" "$w/keys.o")

# fuzz_test DESC BIN SCALE SEED: each tool on its own broken inputs,
# 85 * SCALE rounds in all; DESC gets the count.
fuzz_test() {
	local desc="$1 $((85 * $3)) broken modules" bin=$2 scale=$3 seed=$4 d=$w/fuzz-$4 out
	mkdir -p "$d"
	out=$({
		"$w/fuzz" -n $((30 * scale)) -s "$seed" -d "$d" "${kos[@]}" -- \
			"$bin/klp-check" --vmlinux "$w/vmlinux.o" --module "$w/tmod.o" @in &&
		"$w/fuzz" -n $((20 * scale)) -s "$seed" -d "$d" "${kos[@]}" -- \
			"$bin/klp-dump" @in &&
		"$w/fuzz" -n $((10 * scale)) -s "$seed" -d "$d" "${kos[@]}" -- \
			"$bin/klp-dump" --json @in &&
		"$w/fuzz" -n $((5 * scale)) -s "$seed" -d "$d" "$w/tmod.o" "$w/vmlinux.o" -- \
			"$bin/klp-check" --module @in --vmlinux @in "$w/tm.ko" &&
		"$w/fuzz" -n $((20 * scale)) -s "$seed" -d "$d" -m 1 -o "${objs[@]}" -- \
			"$bin/klp-convert" --vmlinux "$w/vmlinux.o" --module "$w/tmod.o" -o @out @in
	} 2>&1)
	if [ $? = 0 ]; then
		pass "$desc"
	else
		fail "$desc"
		grep -v ' 0 failed$' <<<"$out" | head -20
		echo "# broken inputs and their stderr kept as fail-<round>.* would be in $d"
	fi
	grep '^# [0-9]* rounds' <<<"$out"
}

leak_report

# -w writes the mutants for a kernel run instead: the same for one seed,
# other for another, each round the one a tool run would break alike.
mkdir -p "$w/m1" "$w/m2" "$w/m3"
"$w/fuzz" -w -n 20 -s 5 -d "$w/m1" "${kos[@]}" > "$w/m1.list" &&
	"$w/fuzz" -w -n 20 -s 5 -d "$w/m2" "${kos[@]}" > "$w/m2.list" &&
	"$w/fuzz" -w -n 20 -s 6 -d "$w/m3" "${kos[@]}" > "$w/m3.list"
if [ $? = 0 ] && [ "$(wc -l < "$w/m1.list")" = 20 ] && diff -r "$w/m1" "$w/m2" >/dev/null &&
   cmp -s "$w/m1.list" "$w/m2.list" && ! diff -r "$w/m1" "$w/m3" >/dev/null; then
	pass "fuzz -w: 20 mutants and their list, the same for one seed, other for another"
else
	fail "fuzz -w: 20 mutants and their list, the same for one seed, other for another"
fi

fuzz_test "klp-check, klp-dump and klp-convert survive" "$BIN" 100 1
if [ -x "$san/klp-convert" ]; then
	# where LeakSanitizer works, the error paths are checked for leaks too
	if [ "$leak_via" = asan ]; then
		ASAN_OPTIONS=exitcode=99:detect_leaks=1:fast_unwind_on_malloc=0 \
			fuzz_test "under ASan and UBSan: no memory error or leak on" "$san" 6 2
	else
		fuzz_test "under ASan and UBSan: no memory error on" "$san" 6 2
	fi
else
	n=$((n + 1)); echo "ok $n - fuzzing under ASan and UBSan # SKIP $CC cannot build with them"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
