#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# klp-tools.sh TREE: the tools against a running kernel, in TAP.  TREE is
# base (upstream's implementation, the reference), klp (ours) or debian
# (Debian's own kernel, as its package ships it: scripts/vm/debian.sh).
#
# On the host: build the samples, the test_klp_dup target and one
# test_klp_bound patch per (object, name, sympos) to prove, against
# build/TREE (Debian's linux-headers for debian), in build/check-tools/TREE.
# On base and debian klp-convert runs by hand, on klp kbuild runs it.  On
# debian it has what a Debian user has: no vmlinux with symbols (its
# System.map is a placeholder), only a root copy of /proc/kallsyms, taken
# from a first boot.  Then boot TREE and run
# tools/testing/selftests/livepatch/test-klp-tools.sh there, which compares
# klp-check's verdicts and addresses with what the kernel did.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
tree=${1:?usage: klp-tools.sh base|klp|base-6.12|klp-6.12|debian}
kdir=$top/build/$tree
# Our trees run klp-convert from kbuild.
case $tree in klp|klp-*) ours=1 ;; *) ours=0 ;; esac
bin=$top/build/bin
w=$top/build/check-tools/$tree
out=$w/out
tests=$top/tools/testing/selftests/livepatch

# bail DESCRIPTION LOG: a host step failed; say so in TAP and stop.
bail() {
	echo "1..1"
	echo "not ok 1 - $1"
	[ -f "${2:-}" ] && tail -30 "$2" | sed 's/^/# /'
	exit 1
}

[ -x "$bin/klp-convert" ] || bail "no tools in build/bin (make tools)"
rm -rf "$w"
mkdir -p "$w/src" "$out"
# symbols: this kernel's symbol list, "address type name", vmlinux only.
if [ "$tree" = debian ]; then
	rel=$("$top/scripts/vm/debian.sh" release) || bail "no Debian kernel (make deps)"
	kdir=/usr/src/linux-headers-$rel
	[ -d "$kdir" ] || bail "no $kdir (make deps)"
	# What a user does first: copy /proc/kallsyms, as root.
	k=$("$top/scripts/vm/debian.sh" kallsyms 2> "$w/kallsyms.err") ||
		bail "reading /proc/kallsyms on debian" "$w/kallsyms.err"
	cp "$k" "$w/kallsyms"
	awk 'NF == 3' "$w/kallsyms" > "$w/symbols"
	echo "# $(wc -l < "$w/symbols") vmlinux symbols in /proc/kallsyms of $rel"
else
	[ -f "$kdir/System.map" ] || bail "no kernel in build/$tree (make $tree)"
	cp "$kdir/System.map" "$w/symbols"
fi
cp "$top"/samples/livepatch/klp-reloc/*.[ch] "$tests"/test_modules/test_klp_bound.c \
	"$tests"/test_modules/test_klp_dup_[ab].c "$w/src/"
log=$w/build.log

# Names that occur more than once in this vmlinux, all in .text or all in
# .data, for the sympos proof: per kind, the most frequent name with at
# most four occurrences (the first such name in sort order), so that the
# proof stays short and a wrong position one past the end is one digit.
dup_names() {
	awk '
	$3 == "_stext" { ts = $1 } $3 == "_etext" { te = $1 }
	$3 == "_sdata" { ds = $1 } $3 == "_edata" { de = $1 }
	{ addr[NR] = $1; type[NR] = $2; name[NR] = $3 }
	END {
		for (i = 1; i <= NR; i++) {
			n = name[i]
			if (n !~ /^[A-Za-z_][A-Za-z0-9_]*$/)
				continue
			if (type[i] ~ /^[tT]$/ && addr[i] >= ts && addr[i] < te)
				k = "text"
			else if (type[i] ~ /^[dD]$/ && addr[i] >= ds && addr[i] < de)
				k = "data"
			else
				k = "other"
			count[n]++
			kinds[n] = kinds[n] == "" || kinds[n] == k ? k : "mixed"
		}
		for (n in count)
			if (count[n] >= 2 && count[n] <= 4 &&
			    (kinds[n] == "text" || kinds[n] == "data"))
				print kinds[n], count[n], n
	}' "$w/symbols" | sort -k1,1 -k2,2nr -k3,3 | awk '!seen[$1]++'
}

# The list the guest walks: one line per test_klp_bound module,
# "group module object name sympos".
list=$out/bound.list
: > "$list"
nbound=0
kbuild_bound=
add_bound() {	# add_bound GROUP OBJECT NAME SYMPOS
	local mod=test_klp_bound_$nbound
	nbound=$((nbound + 1))
	{
		echo "#define KLP_BOUND_SYM $3"
		echo "#define KLP_BOUND_POS $4"
		[ "$2" = vmlinux ] || echo "#define KLP_BOUND_OBJ \"$2\""
		echo '#include "test_klp_bound.c"'
	} > "$w/src/$mod.c"
	kbuild_bound+="obj-m += $mod.o"$'\n'
	echo "$1 $mod $2 $3 $4" >> "$list"
}

while read -r kind count name; do
	for ((pos = 1; pos <= count; pos++)); do
		add_bound "vmlinux-$kind" vmlinux "$name" "$pos"
	done
done < <(dup_names)
grep -q '^vmlinux-text ' "$list" || bail "no duplicate .text name in $tree's vmlinux"
grep -q '^vmlinux-data ' "$list" || bail "no duplicate .data name in $tree's vmlinux"
for name in klp_dup_fn klp_dup_value; do
	for pos in 1 2; do
		add_bound module test_klp_dup "$name" "$pos"
	done
done

# kbuild_file: the samples' own Kbuild, test_klp_dup from its two files,
# the test_klp_bound modules so far, and (on the kernels that lack our
# series) <linux/livepatch_sympos.h> from our include/.
kbuild_file() {
	cat "$top/samples/livepatch/klp-reloc/Kbuild"
	echo "obj-m += test_klp_dup.o"
	echo "test_klp_dup-y := test_klp_dup_a.o test_klp_dup_b.o"
	printf '%s' "$kbuild_bound"
	[ "$ours" = 1 ] || echo "ccflags-y += -I$top/include"
}

# build: kbuild, then on base and debian klp-convert by hand on each
# livepatch module that this pass linked (a second pass leaves the first
# one's alone), from vmlinux or, on debian, from the copy of kallsyms.
build() {
	kbuild_file > "$w/src/Kbuild"
	if [ "$ours" = 1 ]; then
		make -C "$kdir" M="$w/src" modules >> "$log" 2>&1 || return 1
		return 0
	fi
	touch "$w/pass"
	make -C "$kdir" M="$w/src" KBUILD_MODPOST_WARN=1 modules >> "$log" 2>&1 || return 1
	local ko src=(--kdir "$kdir")
	[ "$tree" != debian ] || src=(--kallsyms "$w/kallsyms")
	for ko in "$w"/src/*.ko; do
		[ "$ko" -nt "$w/pass" ] || continue
		"$bin/klp-convert" --if-livepatch "${src[@]}" \
			--module "$w/src/livepatch-klp-mod.ko" \
			--module "$w/src/test_klp_dup.ko" "$ko" >> "$log" 2>&1 || return 1
	done
}

# Hold the tree's build lock (scripts/build/kernel.sh) while building
# against it, so that a kernel rebuild cannot change it underneath.
exec 9>"$top/build/.$tree.lock"
flock 9
start=$SECONDS
build || bail "building the samples and test modules against build/$tree" "$log"

# The samples' own klp symbols, each proven by a test_klp_bound of its own.
for ko in livepatch-klp-sample livepatch-klp-modpatch; do
	readelf -sW "$w/src/$ko.ko" | grep -o '\.klp\.sym\.[^ ]*' | sort -u |
	while IFS=., read -r _ _ _ obj name pos; do
		echo "$obj $name $pos"
	done > "$w/$ko.syms"
	[ -s "$w/$ko.syms" ] || bail "$ko.ko has no .klp.sym symbols: not converted"
	while read -r obj name pos; do
		add_bound "sample-$ko" "$obj" "$name" "$pos"
	done < "$w/$ko.syms"
done
build || bail "building the test_klp_bound modules for the samples' symbols" "$log"

# A wrong sympos that klp-convert would refuse to write: take the module
# bound to the last position of a name and make it one past the end, or 0
# (which only a unique name may use).
gcc -O2 -D_GNU_SOURCE -o "$w/mangle" "$top/scripts/livepatch/tests/mangle.c" \
	"$top/scripts/livepatch/elf.c" -lelf >> "$log" 2>&1 || bail "building mangle" "$log"
badpos() {	# badpos GROUP OUTPUT past|zero
	local mod obj name pos new
	read -r _ mod obj name pos < <(grep "^$1 " "$list" | tail -1)
	if [ "$3" = zero ]; then new=0; else new=$((pos + 1)); fi
	cp "$w/src/$mod.ko" "$out/$2.ko"
	"$w/mangle" "$out/$2.ko" str .strtab ".klp.sym.$obj.$name,$pos" \
		".klp.sym.$obj.$name,$new" >> "$log" 2>&1 || return 1
	echo "$2 $mod $obj $name $new" >> "$out/badpos.list"
}
: > "$out/badpos.list"
if ! badpos vmlinux-text badpos-vmlinux past || ! badpos module badpos-module past ||
   ! badpos vmlinux-data badpos0-vmlinux zero || ! badpos module badpos0-module zero; then
	bail "making the wrong-sympos modules" "$log"
fi

cp "$w"/src/*.ko "$out/"
flock -u 9
echo "# built $((nbound + 5)) modules against ${kdir#$top/} in $((SECONDS - start)) s"

start=$SECONDS
vmlinux=$kdir/vmlinux
[ "$tree" != debian ] || vmlinux=
"$top/scripts/vm/run" --kernel "$tree" --timeout 300 --add "$out" \
	--add "$tests/test-klp-tools.sh" -- "bash test-klp-tools.sh out $bin $vmlinux"
rc=$?
echo "# guest run on $tree took $((SECONDS - start)) s"
exit $rc
