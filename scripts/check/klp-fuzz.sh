#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# klp-fuzz.sh TREE N [SEED [FROM]]: N mutants of our test patch modules
# (rounds FROM to FROM+N-1), loaded one by one into TREE in the guest
# (tools/testing/selftests/livepatch/test-klp-fuzz.sh), in TAP.  The
# mutants are written by the tools' fuzz program (scripts/livepatch/tests/
# fuzz.c -w, seeded, so a round can be replayed, and a long run split into
# slices) into build/fuzz/TREE, or build/fuzz/TREE-sSEED-rFROM for any
# other seed or first round than 1 and 0.  After a crash the guest is booted again
# from the next round.  A crash or kernel report while a mutant's own code
# ran is the mutant's meaning; one at any other step is the loader's or the
# core's, and fails on our kernels.  On the base it is only counted (the
# comparison), as are the crashes there.
set -uo pipefail
tree=${1:?usage: klp-fuzz.sh TREE N [SEED [FROM]]}
count=${2:?usage: klp-fuzz.sh TREE N [SEED [FROM]]}
seed=${3:-1}
from=${4:-0}
top=$(cd "$(dirname "$0")/../.." && pwd)
st=$top/tools/testing/selftests/livepatch
d=$top/build/fuzz/$tree
[ "$seed/$from" = 1/0 ] || d=$d-s$seed-r$from
# The stock trees of either line are the comparison.
case $tree in
base | base-*) ours=0 ;;
*) ours=1 ;;
esac

# after_indirect_call FUNC OFF: whether FUNC+OFF in the tree's vmlinux is
# a return address just after an indirect call (through a retpoline
# thunk, as the test kernels make every one).
after_indirect_call() {
	local vml=$top/build/$tree/vmlinux a

	a=$(nm "$vml" 2> /dev/null | awk -v f="$1" '$3 == f { print $1; exit }')
	[ -n "$a" ] || return 1
	a=$((0x$a + $2))
	objdump -d --no-show-raw-insn --start-address=$((a - 5)) --stop-address=$a "$vml" |
		grep -qE '^ *[0-9a-f]+:[[:space:]]+call +[0-9a-f]+ <__x86_indirect_thunk_'
}

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
"$d/fuzz" -w -n "$count" -s "$seed" -r "$from" -d "$d" "${inputs[@]}" > "$d/manifest" 2>> "$log" ||
	bail "writing the mutants" "$log"
# The three tools on every mutant, built with ASan and UBSan (LeakSanitizer
# too): klp-dump, klp-convert (against the tree's vmlinux and the target)
# and klp-check, whose verdict, given the guest's kallsyms and meminfo and
# the target module, is set beside the kernel's (refused anywhere, or loaded).  A tool
# fails a mutant when it is killed (a hang: 20 s), exits above 2, or a
# sanitizer speaks (exit 99); $d/tools lists those.
san=$d/san
make -s -C "$top/scripts/livepatch" san SAN="$san" >> "$log" 2>&1 || san=
export ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=exitcode=99:print_stacktrace=1
# tool_run NAME ARG...: the sanitized tool, its output in $tout.out and
# $tout.err; its exit status, noted in $tout.fail when it fails.
tool_run() {
	local st

	timeout -s KILL 20 "$san/$1" "${@:2}" < /dev/null > "$tout.out" 2> "$tout.err"
	st=$?
	if [ $st -gt 2 ]; then
		{ echo "$r $1 exit $st"; head -5 "$tout.err" | sed 's/^/    /'; } >> "$tout.fail"
	fi
	return $st
}
# klp-dump and klp-convert need nothing from the guest: they run on the
# other CPU while it runs.
tools_apart() {
	local r _ m tout=$d/apart

	: > "$tout.fail"
	while read -r r _; do
		m=$d/m-$(printf %06d "$r").ko
		tool_run klp-dump "$m"
		tool_run klp-dump --json "$m"
		tool_run klp-convert --vmlinux "$top/build/$tree/vmlinux" \
			--module "$d/mods/test_klp_reloc_target.ko" -o "$d/converted.ko" "$m"
	done < "$d/manifest"
}
apart=
[ -z "$san" ] || { tools_apart & apart=$!; }
start=$SECONDS
first=$from
boots=0
: > "$d/results"
: > "$d/crashes"
: > "$d/said"
: > "$d/good"
: > "$d/leaks"
good=
# A boot after each crash, up to one per mutant (the base crashes at about
# one mutant in six).
while [ -z "$good" ] && [ $boots -le "$count" ]; do
	boots=$((boots + 1))
	out=$d/boot-$boots.out
	KLP_VM_CONSOLE_LOG=$d/console.log "$top/scripts/vm/run" --kernel "$tree" --timeout 1800 -- \
		"bash $st/test-klp-fuzz.sh $d $first" > "$out" 2>&1
	rc=$?
	[ -s "$d/kallsyms" ] || sed -n '/^@@kallsyms$/,/^@@end$/{/^@@/d;p}' "$out" > "$d/kallsyms"
	[ -s "$d/meminfo" ] || sed -n '/^@@meminfo$/,/^@@end$/{/^@@/d;p}' "$out" > "$d/meminfo"
	grep '^@@result ' "$out" | cut -d' ' -f2- >> "$d/results"
	grep '^@@said ' "$out" | cut -d' ' -f2- >> "$d/said"
	grep '^@@good [0-9]' "$out" | cut -d' ' -f2- >> "$d/good"
	grep '^@@leak ' "$out" | cut -d' ' -f2- >> "$d/leaks"
	good=$(sed -n 's/^@@good good //p' "$out")
	[ -z "$good" ] || break
	last=$(grep '^@@step ' "$out" | tail -1 | cut -d' ' -f2-)
	read -r r step <<< "$last"
	if [ -z "$r" ] || [ "$r" = good ]; then
		echo "# boot $boots ended (exit $rc) outside any round"
		break
	fi
	# The console from the dying round's start (the guest marks it):
	# what earlier rounds of the boot said is theirs, and recorded.
	sed -n "/^@@round $r\r\?\$/,\$p" "$d/console.log" > "$d/crash-$r.log" 2>/dev/null
	[ -s "$d/crash-$r.log" ] || cp "$d/console.log" "$d/crash-$r.log" 2>/dev/null
	# The mutant's own code also runs at load (its init), at unload (its
	# exit) and when the target comes (the target's, bound through it):
	# where its module is on the crashing stack, or the CPU ran an address
	# in module space that has no symbol, the crash is the mutant's.  So
	# is one in klp_enable_patch(), whose input is the patch's own
	# description of itself (struct klp_patch, in the mutant's data).  And
	# an instruction fetch from an address that is no code, while the
	# module's init or exit was called: its own jump (often a tail jump
	# to a thunk, which leaves no frame of its own) went astray.  And one
	# in KASAN's registration of the globals that the module's own
	# constructor lists, which it tail-calls from do_init_module().  And
	# one that begins in a KASAN entry point (__asan_*) that the module's
	# instrumented init or constructor called, and only called from there:
	# the first trace's next frame is no function the unwinder knows, only
	# a guess at do_init_module (seen: a call relocated 84 bytes into
	# __asan_register_globals ran on into __asan_alloca_poison).  And
	# one, wherever it is, whose trace begins in do_init_module just
	# after its indirect call of a constructor: the constructor's tail
	# jump, which leaves no frame of its own, went astray (the loader
	# has checked that the constructor itself is the module's code).
	# Seen: relocated into the middle of __asan_load1 (then the oops is
	# in an __asan_* function), and into the middle of
	# fault_in_iov_iter_readable() (round 9680).  A double fault is
	# judged by where it was, like the other oopses.
	mod=$(sed -n "s/^$r \([^ ]*\)\.ko .*/\1/p" "$d/manifest")
	oops=$(grep -A40 -m1 -E 'BUG:|Oops|int3:|general protection|invalid opcode|double fault' \
		"$d/crash-$r.log" 2>/dev/null)
	trace_top=$(awk '/Call Trace:/ { t = 1; next } t && /<TASK>/ { next }
		t { print; if (++n == 2) exit }' "$d/crash-$r.log" 2>/dev/null)
	if [ "$step" != code ] &&
	   { grep -qE "\[($mod|test_klp_reloc_target)\]|RIP: 0010:0xffffffffc|klp_enable_patch" <<< "$oops" ||
	     { grep -q 'supervisor instruction fetch' <<< "$oops" &&
	       grep -qE 'do_init_module|do_one_initcall|__x64_sys_delete_module' <<< "$oops"; } ||
	     { grep -q '__asan_register_globals' <<< "$oops" &&
	       grep -q 'do_init_module' <<< "$oops"; } ||
	     [[ $trace_top =~ ^\ __asan_[a-z_0-9]+\+[^$'\n']*$'\n'\ \?\ do_init_module\+ ]] ||
	     { [[ $trace_top =~ ^\ (\?\ )?do_init_module\+(0x[0-9a-f]+)/ ]] &&
	       after_indirect_call do_init_module "${BASH_REMATCH[2]}"; }; }; then
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
# So is a report from a function of a test module (the mutant, or the
# target bound through it), and one from KASAN's registration of the
# globals the module's own constructors list.
own_sites='apply_returns|apply_retpolines|apply_alternatives|apply_paravirt|ftrace_verify_code|ftrace_bug'
own_code='\[test_klp_reloc_[a-z0-9_]+\]'
awk '$2 == "report"' "$d/results" > "$d/reports"
grep -a '__asan_register_globals' "$d/said" | cut -d' ' -f1 | sort -u > "$d/reports.own"
# The frames of the first trace a round printed: one of a test module's
# means that its code (the mutant's, or the target's through it) made the
# call that failed.
awk '{ r = $1 }
	t[r] == 0 && /Call Trace:/ { t[r] = 1; next }
	t[r] == 1 && /<\/TASK>/ { t[r] = 2 }
	t[r] == 1 && /\[test_klp_reloc_[a-z0-9_]+\]/ { own[r] = 1 }
	END { for (r in own) print r }' "$d/said" | sort -u >> "$d/reports.own"
awk 'FILENAME == ARGV[1] { g[$1] = 1; next } !($1 in g)' "$d/reports.own" "$d/reports" |
	grep -vE "$own_sites|$own_code" > "$d/reports.loader"
reports=$(wc -l < "$d/reports.loader")
site_warns=$(grep -cE "$own_sites" "$d/reports")
own_reports=$(($(wc -l < "$d/reports") - reports - site_warns))
# kmemleak's reports, one per object ("unreferenced object ..."), after
# each batch: the mutants' own if a test module is on the allocating stack.
awk '
	function flush() { if (obj != "") print (mine ? "own " : "loader ") after " " obj; obj = "" }
	{ after = $1; $1 = "" }
	/unreferenced object/ { flush(); obj = $0; mine = 0; next }
	index($0, "[test_klp_reloc_") { mine = 1 }
	END { flush() }' "$d/leaks" > "$d/leaks.objects"
leaks=$(grep -c '^loader ' "$d/leaks.objects")
own_leaks=$(grep -c '^own ' "$d/leaks.objects")
echo "# crashes: $loader_crashes in the loader or the core, $own_crashes in the mutants' own code"
echo "# reports: $reports in the loader or the core, $site_warns about the mutants' own patch sites, $own_reports in their own code"
echo "# kmemleak: $leaks unreferenced objects allocated by the loader or the core, $own_leaks by the mutants' code"
head -8 "$d/reports.loader" | sed 's/^/#   report: /'
grep '^loader ' "$d/leaks.objects" | head -4 | sed 's/^/#   leak: /'

# Each refusal says why in exactly one line of level warning or worse.  Not
# counted: the notices that a module taints the kernel or was built without
# retpolines, which come before any refusal, lockdep's note that a taint
# turned it off (a licence that is not GPL's), and the clocksource
# watchdog's complaints about TCG's TSC.  The loader's "Unknown symbol"
# lines, one per unresolved symbol of the module, are one report, as the
# loader gives it: it names each symbol, and stops the load once.
# $d/lines lists the refusals that did not: "r LINES OUTCOME...".
noise='taints kernel|tainting kernel|Disabling lock debugging due to kernel taint|crng init done|not compiled with retpoline|may be vulnerable to spectre|clocksource|TSC found unstable'
grep -vE "$noise" "$d/said" > "$d/said.counted"
awk 'FILENAME == ARGV[1] {
		if ($0 ~ /: Unknown symbol / && u[$1]++)
			next
		c[$1]++
		next
	}
	$2 == "refused" && c[$1] != 1 { print $1, c[$1] + 0, $0 }' "$d/said.counted" "$d/results" > "$d/lines"
refusals=$(awk '$2 == "refused"' "$d/results" | wc -l)
unclear=$(wc -l < "$d/lines")
echo "# refusals: $refusals, $unclear of them not told in exactly one kernel line"
sed 's/^/#   lines: /' "$d/lines" | head -8
batches=$(wc -l < "$d/good")
bad_batches=$(awk '$2 != "yes"' "$d/good" | wc -l)
[ "$good" = yes ] && [ "$bad_batches" = 0 ] && good_all=yes || good_all=no
good_said="a good patch loads and works after each of $batches batches and at the end"

if [ "$ours" = 1 ]; then
	[ "$loader_crashes" = 0 ]
	if [ $? = 0 ]; then ok "no crash outside the mutants' own code ($count mutants)"
	else not_ok "no crash outside the mutants' own code: $loader_crashes ($d/crashes)"; fi
	[ "$reports" = 0 ] && ok "no oops, WARN or sanitizer report" ||
		not_ok "no oops, WARN or sanitizer report: $reports"
	if grep -q '^@@kmemleak$' "$d/boot-1.out"; then
		[ "$leaks" = 0 ] && ok "no kmemleak report outside the mutants' code" ||
			not_ok "no kmemleak report outside the mutants' code: $leaks ($d/leaks)"
	fi
	[ "$unclear" = 0 ] && ok "each of $refusals refusals told in exactly one kernel line" ||
		not_ok "each of $refusals refusals told in exactly one kernel line: $unclear not ($d/lines)"
	[ $good_all = yes ] && ok "$good_said" ||
		not_ok "$good_said (end: ${good:-not reached}, $bad_batches batches failed)"
else
	echo "# base: $loader_crashes crashes at load or later, $own_crashes in the mutants' code, $reports reports"
	[ $good_all = yes ] && ok "base: $good_said" ||
		not_ok "base: $good_said (end: ${good:-not reached}, $bad_batches batches failed)"
fi

: > "$d/tools"
: > "$d/check.out"
if [ -z "$san" ]; then
	not_ok "the tools build with ASan and UBSan ($log)"
elif [ -s "$d/kallsyms" ]; then
	wait "$apart"
	target=$d/mods/test_klp_reloc_target.ko
	tout=$d/tool
	: > "$tout.fail"
	declare -A said_of
	while read -r r rest; do said_of[$r]=$rest; done < "$d/results"
	while read -r r _; do
		read -r outcome rest <<< "${said_of[$r]:-crashed}"
		m=$d/m-$(printf %06d "$r").ko
		tool_run klp-check -q --kallsyms "$d/kallsyms" --meminfo "$d/meminfo" \
			--module "$target" "$m"
		echo "$r $outcome $? $rest"
		cat "$tout.out" "$tout.err" | sed "s/^/$r /" >> "$d/check.out"
	done < "$d/manifest" > "$d/agreement"
	cat "$d/apart.fail" "$tout.fail" > "$d/tools"
	failed_tools=$(cut -d' ' -f1 "$d/tools" | sort -u | grep -c .)
	[ "$failed_tools" = 0 ] &&
		ok "klp-check, klp-dump and klp-convert under ASan and UBSan on $(wc -l < "$d/agreement") mutants" ||
		not_ok "klp-check, klp-dump and klp-convert under ASan and UBSan: $failed_tools mutants fail them ($d/tools)"
	head -10 "$d/tools" | sed 's/^/#   /'
	awk '$2 == "refused" || $2 == "loaded"' "$d/agreement" > "$d/agreement.verdicts"
	awk '{
		kernel = $2 == "refused" ? 1 : 0
		tool = $3 == "0" ? 0 : 1
		total++
		if (kernel == tool) agree++
		else if (shown++ < 10) print "#   disagree: round " $1 ": kernel " $2 " (" $4 "), klp-check exit " $3
	} END { printf "# klp-check agrees with the kernel on %d of %d mutants (%.1f %%)\n",
		agree, total, total ? 100 * agree / total : 100 }' "$d/agreement.verdicts"
	# Where both refuse: the sections, symbols and objects the kernel's
	# line names ("section S:" or "section S,", "symbol 'S'", "Unknown
	# symbol S", "object 'O'"; a section only by its index does not
	# count): klp-check's report must name one of them too.  The 6.1
	# loader's own checks of the ELF header and the section table name
	# nothing ("Invalid ELF section header overflow").
	awk '$2 == "refused" && $3 != 0 { print $1 }' "$d/agreement.verdicts" |
	while read -r r; do
		line=$(grep -vE "$noise" "$d/said" | awk -v r="$r" '$1 == r { $1 = $2 = ""; print; exit }')
		names=$(grep -oE "section [^ ,:]+[,:]|symbol '[^']+'|Unknown symbol [^ (][^ ]*|object '[^']+'" <<< "$line" |
			sed -E "s/^(section|symbol|Unknown symbol|object) //; s/^(.*)[,:]$/\\1/; s/^'(.*)'$/\\1/" |
			grep -vE '^\[?[0-9]+\]?$' | sort -u)
		if [ -z "$names" ]; then
			echo "$r unnamed"
			continue
		fi
		said="other $(tr '\n' ' ' <<< "$names")"
		while read -r x; do
			# Not grep -q: under pipefail, awk killed by SIGPIPE
			# once grep has its match would make a match a miss.
			awk -v r="$r" '$1 == r' "$d/check.out" | grep -F -- "$x" > /dev/null && said=same
		done <<< "$names"
		echo "$r $said"
	done > "$d/naming"
	awk '{ k[$2]++ } END {
		printf "# both refuse %d: klp-check names what the kernel names in %d, something else in %d; the kernel names nothing in %d\n",
			NR, k["same"], k["other"], k["unnamed"] }' "$d/naming"
	awk '$2 == "other"' "$d/naming" | head -5 | sed 's/^/#   names other: /'
fi
echo "1..$n"
