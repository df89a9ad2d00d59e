#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 'make patch': export our change to the base as a git format-patch series in
# build/patch/, ready for 'git am' on a pristine 6.1.y tree.  Our own files
# come first, one commit per area; the hook patches from patches/series follow
# in order, since they wire the new files in.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
src=$top/build/src
g=$top/build/patch-git
out=$top/build/patch
areas="include kernel/livepatch kernel/module arch/x86 Documentation scripts/livepatch samples tools/testing lib"

[ -f "$src/Makefile" ] || { echo "patch.sh: build/src missing: run 'make base' first" >&2; exit 2; }

subject() {
	case $1 in
	include) echo "livepatch: add the shared .klp name format header" ;;
	kernel/livepatch) echo "livepatch: add the klp relocation core" ;;
	kernel/module) echo "module/livepatch: keep the whole ELF info klp relocations need" ;;
	arch/x86) echo "x86/module: check klp relocations before writing, and clear them" ;;
	Documentation) echo "Documentation/livepatch: describe the module ELF format and its errors" ;;
	scripts/livepatch) echo "scripts/livepatch: add klp-convert, klp-check and klp-dump" ;;
	samples) echo "samples/livepatch: add samples that need klp relocations" ;;
	tools/testing) echo "selftests/livepatch: test klp relocations" ;;
	*) echo "klp-reloc: add $1" ;;
	esac
}

# Tracked files, and new ones git does not ignore (build junk stays out).
ours=$(git -C "$top" ls-files --cached --others --exclude-standard -- $areas | sort)
touched=$(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' \
	$(sed -e '/^#/d' -e '/^$/d' -e "s|^|$top/patches/|" "$top/patches/series") /dev/null | sort -u)

rm -rf "$g" "$out"
mkdir -p "$g" "$out"
cd "$g"
git init -q
git config user.name "klp-reloc"
git config user.email "klp-reloc@localhost"
for f in $ours $touched; do
	[ -f "$src/$f" ] || continue
	mkdir -p "$(dirname "$f")"
	cp "$src/$f" "$f"
done
git add -A
git commit -q --allow-empty -m "base: $(make -s -C "$src" kernelversion) (the files this series touches)"
git tag base

for a in $areas; do
	files=$(echo "$ours" | grep "^$a/" || true)
	[ -n "$files" ] || continue
	for f in $files; do
		[ -f "$top/$f" ] || continue
		mkdir -p "$(dirname "$f")"
		cp "$top/$f" "$f"
	done
	git add -A
	git diff --cached --quiet || git commit -q -s -m "$(subject "$a")"
done

while read -r p; do
	case $p in ''|'#'*) continue ;; esac
	git am -q --keep-cr "$top/patches/$p" ||
		{ echo "patch.sh: patches/$p does not apply" >&2; exit 1; }
done < "$top/patches/series"

git format-patch -q -o "$out" base..HEAD
ls "$out"
