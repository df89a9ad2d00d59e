#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 'make patch [LINE=6.12]': export our change to the base as a git
# format-patch series in build/patch/ (build/patch-6.12/), ready for 'git am'
# on a pristine 6.1.y (6.12.y) tree.  Our own files come first, one commit per
# area; the line's hook patches (patches/series, patches/6.12/series) follow
# in order, since they wire the new files in.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
line=${1:-6.1}
case $line in
6.1) src=$top/build/src series=$top/patches/series out=$top/build/patch ;;
6.12) src=$top/build/src-6.12 series=$top/patches/6.12/series out=$top/build/patch-6.12 ;;
*) echo "patch.sh: no line '$line' (6.1 or 6.12)" >&2; exit 2 ;;
esac
pdir=$(dirname "$series")
g=$out-git
areas="include kernel/livepatch kernel/module arch/x86 Documentation scripts/livepatch samples tools/testing lib"

[ -f "$src/Makefile" ] || { echo "patch.sh: ${src#"$top/"} missing: build a tree of line $line first" >&2; exit 2; }

# message AREA: the commit message for our files under AREA.
message() {
	case $1 in
	include) cat <<-'EOF'
		livepatch: add the shared .klp name format header

		One parser of ".klp.rela.<obj>.<section>" and
		".klp.sym.<obj>.<name>,<sympos>" names, static inline and free of
		kernel-only calls, so that the relocation core and the userspace
		klp tools accept exactly the same names; plus the table of name
		cases both test suites walk, and the annotations patch authors use
		to pick among duplicate symbol names.
		EOF
		;;
	kernel/livepatch) cat <<-'EOF'
		livepatch: add the klp relocation core

		Check every klp relocation section of an object before writing a
		byte, resolve its symbols once per (object, name, sympos) through
		the kallsyms name index or the target module's own symbols, write
		them all or none, and, on architectures that select
		HAVE_KLP_RELOC_CHECKED, clear them again when a patched module goes
		so that it can come back.  Link a patch's jump entries and static
		call sites for a module's keys into them when the module comes,
		and take them out before it goes.  With a KUnit suite.
		EOF
		;;
	kernel/module) cat <<-'EOF'
		module/livepatch: keep the whole ELF info klp relocations need

		Relocations for a module target are applied whenever that module
		comes, long after the patch module loaded: keep its section
		headers, section names and complete symbol table for that.
		EOF
		;;
	arch/x86) cat <<-'EOF'
		x86/module: check klp relocations before writing, and clear them

		Every value is range-checked before anything is written, PC32 and
		PLT32 included, and a written relocation can be cleared so that
		its target module may be loaded again.
		EOF
		;;
	Documentation) cat <<-'EOF'
		Documentation/livepatch: describe the module ELF format and its errors

		The format's rules as the kernel enforces them, and the table of
		refusals with their messages and errnos.
		EOF
		;;
	scripts/livepatch) cat <<-'EOF'
		scripts/livepatch: add klp-convert, klp-check and klp-dump

		Userspace tools on libelf sharing one small ELF layer: make a
		livepatch-format module from an ordinary one, check a finished one
		against a kernel offline, and decode what readelf cannot.
		EOF
		;;
	samples) cat <<-'EOF'
		samples/livepatch: add samples that need klp relocations

		A patch for vmlinux using symbols it does not export, and a patch
		for a module using the module's statics, with the module itself.
		EOF
		;;
	tools/testing) cat <<-'EOF'
		selftests/livepatch: test klp relocations

		Load, late binding, reload cycles, atomic replace, and each kind
		of malformed or misused klp relocation the kernel must refuse.
		EOF
		;;
	*) printf 'klp-reloc: add %s\n\nThe klp-reloc files under %s.\n' "$1" "$1" ;;
	esac
}

# Tracked files, and new ones git does not ignore (build junk stays out).
ours=$(git -C "$top" ls-files --cached --others --exclude-standard -- $areas | sort)
touched=$(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' \
	$(sed -e '/^#/d' -e '/^$/d' -e "s|^|$pdir/|" "$series") /dev/null | sort -u)

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
	git diff --cached --quiet || message "$a" | git commit -q -s -F -
done

while read -r p; do
	case $p in ''|'#'*) continue ;; esac
	git am -q --keep-cr "$pdir/$p" ||
		{ echo "patch.sh: ${pdir#"$top/"}/$p does not apply" >&2; exit 1; }
done < "$series"

git format-patch -q -o "$out" base..HEAD
ls "$out"
