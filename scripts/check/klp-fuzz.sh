#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# klp-fuzz.sh TREE N [SEED]: N mutants of our test patch modules, loaded one
# by one into TREE in the guest (tools/testing/selftests/livepatch/
# test-klp-fuzz.sh), in TAP.  The mutants are written by the tools' fuzz
# program (scripts/livepatch/tests/fuzz.c -w, seeded, so a round can be
# replayed) into build/fuzz/TREE.  After a crash the guest is booted again
# from the next round.  A crash or kernel report while a mutant's own code
# ran is the mutant's meaning; one at any other step is the loader's or the
# core's, and fails on our kernels.  On the base it is only counted (the
# comparison), as are the crashes there.
set -uo pipefail
tree=${1:?usage: klp-fuzz.sh TREE N [SEED]}
count=${2:?usage: klp-fuzz.sh TREE N [SEED]}
seed=${3:-1}
top=$(cd "$(dirname "$0")/../.." && pwd)
st=$top/tools/testing/selftests/livepatch
d=$top/build/fuzz/$tree
bin=$top/build/bin
ours=1
[ "$tree" != base ] || ours=0

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
bail() { echo "not ok 1 - $1"; [ -f "${2:-}" ] && tail -20 "$2" | sed 's/^/# /'; exit 1; }

rm -rf "$d"
mkdir -p "$d"
log=$d/build.log
"$top/scripts/build/modules.sh" "$tree" "$st/test_modules" "$d/mods" \
	KLP_INCLUDE="$top/include" > "$log" 2>&1 || bail "test modules build for $tree" "$log"
gcc -O2 -D_GNU_SOURCE -o "$d/fuzz" "$top/scripts/livepatch/tests/fuzz.c" >> "$log" 2>&1 ||
	bail "building the mutator" "$log"
inputs=()
for m in test_klp_reloc_vmlinux test_klp_reloc_mod test_klp_reloc_named \
	 test_klp_reloc_keys test_klp_reloc_mod2; do
	inputs+=("$d/mods/$m.ko")
done
"$d/fuzz" -w -n "$count" -s "$seed" -d "$d" "${inputs[@]}" > "$d/manifest" 2>> "$log" ||
	bail "writing the mutants" "$log"
check=
[ ! -x "$bin/klp-check" ] || check=$bin/klp-check

start=$SECONDS
first=0
boots=0
: > "$d/results"
: > "$d/crashes"
good=
while [ -z "$good" ] && [ $boots -lt 100 ]; do
	boots=$((boots + 1))
	out=$d/boot-$boots.out
	"$top/scripts/vm/run" --kernel "$tree" --timeout 1800 -- \
		"bash $st/test-klp-fuzz.sh $d $first" > "$out" 2>&1
	rc=$?
	[ -s "$d/kallsyms" ] || sed -n '/^@@kallsyms$/,/^@@end$/{/^@@/d;p}' "$out" > "$d/kallsyms"
	grep '^@@result ' "$out" | cut -d' ' -f2- >> "$d/results"
	good=$(sed -n 's/^@@good //p' "$out")
	[ -z "$good" ] || break
	last=$(grep '^@@step ' "$out" | tail -1 | cut -d' ' -f2-)
	read -r r step <<< "$last"
	if [ -z "$r" ] || [ "$r" = good ]; then
		echo "# boot $boots ended (exit $rc) outside any round"
		break
	fi
	cp "$top/build/vm/last/console.log" "$d/crash-$r.log" 2>/dev/null
	# The mutant's own code also runs at load (its init), at unload (its
	# exit) and when the target comes (the target's, bound through it):
	# where its module is on the crashing stack, or the CPU ran an address
	# in module space that has no symbol, the crash is the mutant's.  So
	# is one in klp_enable_patch(), whose input is the patch's own
	# description of itself (struct klp_patch, in the mutant's data).
	mod=$(sed -n "s/^$r \([^ ]*\)\.ko .*/\1/p" "$d/manifest")
	if [ "$step" != code ] && grep -A40 -m1 -E 'BUG:|Oops|int3:|general protection|invalid opcode' \
		"$d/crash-$r.log" 2>/dev/null |
		grep -qE "\[($mod|test_klp_reloc_target)\]|RIP: 0010:0xffffffffc|klp_enable_patch"; then
		step="code($step)"
	fi
	echo "$r $step $rc" >> "$d/crashes"
	echo "# round $r ($(sed -n "s/^$r //p" "$d/manifest")): the guest died at step '$step' (exit $rc)"
	first=$((r + 1))
done
echo "# $count mutants on $tree in $boots boot(s), $((SECONDS - start)) s"

# The outcomes, by kind.
awk '{ k[$2 ($2 == "refused" ? " at " $3 : "")]++ } END { for (x in k) print "#   " k[x], x }' \
	"$d/results" | sort -k2
loader_crashes=$(awk '$2 !~ /^code/' "$d/crashes" | wc -l)
own_crashes=$(awk '$2 ~ /^code/' "$d/crashes" | wc -l)
# A WARN from the code that applies the module's own patch-site lists
# (return thunks, retpolines, alternatives, ftrace call sites) says that
# a list, or the relocation that fills it, points somewhere else: the
# mutant's meaning, as for its code; the kernel then skips that site.
own_sites='apply_returns|apply_retpolines|apply_alternatives|apply_paravirt|ftrace_verify_code|ftrace_bug'
reports=$(awk '$2 == "report"' "$d/results" | grep -cvE "$own_sites")
site_warns=$(awk '$2 == "report"' "$d/results" | grep -cE "$own_sites")
echo "# crashes: $loader_crashes in the loader or the core, $own_crashes in the mutants' own code"
echo "# reports: $reports in the loader or the core, $site_warns about the mutants' own patch sites"
awk '$2 == "report"' "$d/results" | head -8 | sed 's/^/#   report: /'

if [ "$ours" = 1 ]; then
	[ "$loader_crashes" = 0 ]
	if [ $? = 0 ]; then ok "no crash outside the mutants' own code ($count mutants)"
	else not_ok "no crash outside the mutants' own code: $loader_crashes ($d/crashes)"; fi
	[ "$reports" = 0 ] && ok "no oops, WARN or sanitizer report" ||
		not_ok "no oops, WARN or sanitizer report: $reports"
	[ "$good" = yes ] && ok "a good patch loads and works after the mutants" ||
		not_ok "a good patch loads and works after the mutants (${good:-not reached})"
else
	echo "# base: $loader_crashes crashes at load or later, $own_crashes in the mutants' code, $reports reports"
	[ "$good" = yes ] && ok "base: a good patch loads and works after the mutants" ||
		not_ok "base: a good patch loads and works after the mutants (${good:-not reached})"
fi

# klp-check's verdict beside the kernel's (refused anywhere, or loaded),
# given the guest's kallsyms and the target module.
if [ -n "$check" ] && [ -s "$d/kallsyms" ]; then
	while read -r r outcome rest; do
		case $outcome in refused|loaded) ;; *) continue ;; esac
		timeout 20 "$check" -q --kallsyms "$d/kallsyms" \
			--module "$d/mods/test_klp_reloc_target.ko" \
			"$d/m-$(printf %06d "$r").ko" > /dev/null 2>&1
		echo "$r $outcome $? $rest"
	done < "$d/results" > "$d/agreement"
	awk '{
		kernel = $2 == "refused" ? 1 : 0
		tool = $3 == "0" ? 0 : 1
		total++
		if (kernel == tool) agree++
		else if (shown++ < 10) print "#   disagree: round " $1 ": kernel " $2 " (" $4 "), klp-check exit " $3
	} END { printf "# klp-check agrees with the kernel on %d of %d mutants (%.1f %%)\n",
		agree, total, total ? 100 * agree / total : 100 }' "$d/agreement"
fi
echo "1..$n"
