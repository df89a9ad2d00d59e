#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# planted.sh [BUG.diff...]: 'make check-tests', the tests' own test.  Each
# file in scripts/check/planted/ is a bug a reviewer would fear, as a diff
# against our files, headed by the lines
#   Bug: what it breaks
#   Suites: the suites of 'make check' that must catch it
# One at a time, each is applied to a scratch copy of the repo (with a copy
# of build/klp, so only what the diff touches is rebuilt), its suites run,
# and the diff is taken out again.  A bug is caught when one of its suites
# reports a failure; the catching tests are printed.  The suites must pass
# first on the scratch copy without any bug.  Exit 1 below 100 %.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/check/tap.sh"
s=$top/build/planted
r=$s/repo
logs=$s/logs
start=$SECONDS

if [ $# -gt 0 ]; then
	bugs=("$@")
else
	bugs=("$top"/scripts/check/planted/*.diff)
fi
die() { echo "planted.sh: $*" >&2; exit 2; }
[ -f "$top/build/klp.stamp" ] || die "no klp tree: run 'make klp' first"

# header FILE KEY: the value of a "KEY: ..." line of a bug's header.
header() { sed -n "s/^$2: //p;/^---/q" "$1" | head -1; }

# suite NAME: one suite of 'make check', on the scratch copy, in TAP.
suite() {
	case $1 in
	kunit) "$r/scripts/check/kunit.sh" klp ;;
	reloc-klp) "$r/scripts/check/klp-reloc.sh" klp ;;
	tools-klp) "$r/scripts/check/klp-tools.sh" klp ;;
	sign-klp) "$r/scripts/check/klp-sign.sh" klp ;;
	tools) make -s --no-print-directory -C "$r/scripts/livepatch" check \
		BIN="$r/build/bin" ;;
	*) echo "not ok 1 - no suite named '$1'" ;;
	esac
}

# run_suites OUT NAME...: each suite through tap_suite (which also fails a
# suite that crashed or ran nothing); OUT gets every "not ok" line.
run_suites() {
	local out=$1 name
	shift
	: > "$out"
	for name in "$@"; do
		tap_suite "$name" suite "$name" > "$out.$name" 2>&1
		grep '^not ok' "$out.$name" >> "$out"
	done
}

# build: the scratch klp kernel and tools from the scratch repo's files.
build() {
	(cd "$r" && scripts/build/kernel.sh klp) > "$logs/kernel.log" 2>&1 &&
	make -s -C "$r/scripts/livepatch" BIN="$r/build/bin" > "$logs/tools.log" 2>&1
}

# --- the scratch copy: our files as they are now, build/klp as built ---
mkdir -p "$r/build" "$logs"
find "$r" -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} +
git -C "$top" ls-files -z --cached --others --exclude-standard |
	rsync -a --from0 --files-from=- "$top/" "$r/" || die "copying the repo"
# The pristine source as hard links (kernel.sh never writes into it).
if ! cmp -s "$top/build/src/.klp-reloc-tarball" "$r/build/src/.klp-reloc-tarball"; then
	rm -rf "$r/build/src"
	cp -al "$top/build/src" "$r/build/src" || die "linking build/src"
fi
(
	flock 9
	rsync -a --delete "$top/build/klp/" "$r/build/klp/"
) 9>"$top/build/.klp.lock" || die "copying build/klp"
# The tools' tests read the base tree (its modpost); no bug is planted there.
[ ! -d "$top/build/base" ] || ln -sfn "$top/build/base" "$r/build/base"
echo "# scratch copy in build/planted ready after $((SECONDS - start)) s"
build || die "the scratch copy does not build without a bug: $logs"

declare -A want
for bug in "${bugs[@]}"; do
	for name in $(header "$bug" Suites); do
		want[$name]=1
	done
done
run_suites "$s/baseline" "${!want[@]}"
if [ -s "$s/baseline" ]; then
	sed 's/^/#   /' "$s/baseline"
	die "the suites fail without a planted bug (${!want[*]})"
fi
echo "# without a bug: ${!want[*]} pass ($((SECONDS - start)) s)"

caught=0
total=0
missed=()
for bug in "${bugs[@]}"; do
	id=$(basename "$bug" .diff)
	total=$((total + 1))
	t=$SECONDS
	echo "bug $id: $(header "$bug" Bug)"
	if ! patch -s -p1 -d "$r" --no-backup-if-mismatch < "$bug" > "$logs/$id.patch" 2>&1; then
		echo "  ERROR: does not apply to our files; update it"
		missed+=("$id")
		continue
	fi
	if ! build; then
		echo "  ERROR: does not build ($logs)"
		missed+=("$id")
	else
		read -ra names <<<"$(header "$bug" Suites)"
		run_suites "$s/$id" "${names[@]}"
		if [ -s "$s/$id" ]; then
			caught=$((caught + 1))
			echo "  caught in $((SECONDS - t)) s by $(wc -l < "$s/$id") test(s):"
			sed -e 's/^not ok [0-9]* - /    /' "$s/$id"
		else
			echo "  NOT CAUGHT by ${names[*]} ($((SECONDS - t)) s)"
			missed+=("$id")
		fi
	fi
	patch -s -R -p1 -d "$r" --no-backup-if-mismatch < "$bug" >> "$logs/$id.patch" 2>&1 ||
		die "cannot take $id out again"
done

echo "score: $caught of $total planted bugs caught ($((100 * caught / total)) %)" \
	"in $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s"
[ ${#missed[@]} = 0 ] || { echo "missed: ${missed[*]}"; exit 1; }
