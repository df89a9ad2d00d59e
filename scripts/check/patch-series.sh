#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 'make patch' exports a series that must apply, in order, to the pristine
# base.  Apply it with git apply to a fresh copy of the base's files that the
# series touches, one patch at a time, and check each with --check first.
# With LINE 6.12, the 6.12 line's series against build/src-6.12 and the
# klp-6.12 tree.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
line=${1:-6.1}
if [ "$line" = 6.12 ]; then
	src=$top/build/src-6.12 out=$top/build/patch-6.12 klp=$top/build/klp-6.12
else
	src=$top/build/src out=$top/build/patch klp=$top/build/klp
fi
scratch=$out-check

"$top/scripts/build/patch.sh" "$line" >/dev/null || { echo "not ok 1 - make patch $line"; exit 1; }
rm -rf "$scratch"
mkdir -p "$scratch"
# its own repository: git apply inside ours would skip paths outside its cwd
git -C "$scratch" init -q
for f in $(sed -n 's|^+++ b/||p; s|^--- a/||p' "$out"/*.patch | sort -u); do
	[ -f "$src/$f" ] || continue
	mkdir -p "$scratch/$(dirname "$f")"
	cp "$src/$f" "$scratch/$f"
done

n=0 bad=0
for p in "$out"/*.patch; do
	n=$((n + 1))
	if (cd "$scratch" && git apply --check "$p" && git apply "$p") 2>/tmp/patch-check.$$; then
		echo "ok $n - $(basename "$p") applies to the base"
	else
		echo "not ok $n - $(basename "$p") applies to the base"
		sed 's/^/# /' /tmp/patch-check.$$
		bad=1
	fi
done
rm -f /tmp/patch-check.$$
# What the series builds must be exactly our files and our hooked tree.
n=$((n + 1))
diffs=$(cd "$scratch" && find . -path ./.git -prune -o -type f -print | sed 's|^\./||' | while read -r f; do
	cmp -s "$f" "$klp/$f" || echo "$f"; done)
if [ -z "$diffs" ]; then
	echo "ok $n - the applied series equals the klp tree's files"
else
	echo "not ok $n - the applied series equals the klp tree's files"
	echo "$diffs" | sed 's/^/# differs: /'
fi
echo "1..$n"
exit $bad
