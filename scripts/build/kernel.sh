#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Prepare and build one of the kernel trees under build/:
#   base       pristine linux-source-6.1, upstream's livepatch implementation
#   klp        the same source with our overlay copied on and patches/series applied
#   klp-debug  klp's source with configs/debug.config too (KASAN, kmemleak,
#              lockdep, UBSAN), for 'make debug-check'
#   klp-debian klp's source with Debian's own config (package
#              linux-config-6.1) and configs/debian.config, bzImage only,
#              for 'make bench KCONFIG=debian'
#   base-6.12, klp-6.12, klp-debug-6.12
#              the same on the 6.12 LTS line: linux-source-6.12, the series
#              patches/6.12/series, and configs/qemu-6.12.config on top
# The others use configs/qemu.config on top of tinyconfig, are built in
# place (so ccache shares objects between them) and are installed to
# build/<tree>-mods for the guest.  Only what changed is rebuilt: the klp tree is refreshed from
# a staging copy by content, so untouched files keep their timestamps.
set -euo pipefail

tree=${1:?usage: kernel.sh base|klp|klp-debug|klp-debian|base-6.12|klp-6.12|klp-debug-6.12|--overlay [LINE]}
top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/build
# The LTS line a tree is built from: its tarball, its pristine source, its
# hook series and its config fragment.  6.1's keep their first names.
case $tree in
--overlay) line=${2:-6.1} ;;
*-6.12) line=6.12 ;;
*) line=6.1 ;;
esac
if [ "$line" = 6.1 ]; then
	src=$b/src series=$top/patches/series frag=
else
	src=$b/src-$line series=$top/patches/$line/series
	frag=$top/configs/qemu-$line.config
fi
pdir=$(dirname "$series")
tarball=${KLP_TARBALL:-/usr/src/linux-source-$line.tar.xz}
jobs=${JOBS:-$(($(nproc) + 1))}
# Everything under these kernel paths in the repo is copied onto the klp tree.
overlay_dirs="Documentation arch include kernel lib samples tools scripts/livepatch"

# The overlay's files: tracked ones, and new ones git does not ignore, so
# build junk and tool caches never reach the klp tree nor trigger its build.
# A copy that is not a git checkout of its own (make check-tests' scratch
# copy under build/, a release tarball) takes every file under those paths.
overlay_files() {
	if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$top" && pwd -P)" ]; then
		git -C "$top" ls-files --cached --others --exclude-standard -- $overlay_dirs
	else
		local d
		for d in $overlay_dirs; do
			[ ! -d "$top/$d" ] || (cd "$top" && find "$d" -type f)
		done | sort
	fi
}
# --overlay [LINE]: a line's klp trees' inputs besides the tarball and
# configs, for the Makefile's stamps.
if [ "$tree" = --overlay ]; then
	overlay_files | sed "s|^|$top/|"
	echo "$series"
	sed -e '/^#/d' -e '/^$/d' -e "s|^|$pdir/|" "$series"
	exit 0
fi

die() { echo "kernel.sh: $*" >&2; exit 2; }

# One build per tree at a time: a second caller waits for the first.
mkdir -p "$b"
exec 9>"$b/.$tree.lock"
flock 9
[ -r "$tarball" ] || die "$tarball missing: run 'make deps' (package linux-source-$line)"

# build/src (6.1), build/src-6.12: the pristine source, unpacked once per
# tarball.
src_stamp=$src/.klp-reloc-tarball
want=$(stat -c '%s %Y' "$tarball")
if [ ! -f "$src_stamp" ] || [ "$(cat "$src_stamp")" != "$want" ]; then
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xJf "$tarball"
	echo "$want" > "$src.tmp/.klp-reloc-tarball"
	mv "$src.tmp" "$src"
	# A new base invalidates the line's trees.
	if [ "$line" = 6.1 ]; then
		rm -rf "$b/base" "$b/klp" "$b/klp-debug" "$b/klp-debian"
	else
		rm -rf "$b"/{base,klp,klp-debug}-"$line"
	fi
fi

dst=$b/$tree
case $tree in
base|base-6.12)
	[ -d "$dst" ] || cp -a "$src" "$dst"
	;;
klp|klp-debug|klp-debian|klp-6.12|klp-debug-6.12)
	stage=$b/$tree-stage
	rm -rf "$stage"
	cp -al "$src" "$stage"
	overlay_files | while read -r f; do
		[ -f "$top/$f" ] || continue	# deleted but not yet committed
		mkdir -p "$stage/$(dirname "$f")"
		cp --remove-destination "$top/$f" "$stage/$f"
	done
	# A localversion file is ours: the kernel's release names the tree.
	echo "-$tree" > "$stage/localversion-klp-reloc"
	while read -r p; do
		case $p in ''|'#'*) continue ;; esac
		# patch(1) writes a new file and renames it, so the hard links
		# into build/src are broken, never written through.
		patch -s -p1 -d "$stage" --no-backup-if-mismatch < "$pdir/$p" ||
			die "${pdir#"$top/"}/$p does not apply to the base"
	done < "$series"
	mkdir -p "$dst"
	rsync -rlc "$stage/" "$dst/"
	rm -rf "$stage"
	;;
*)
	die "unknown tree '$tree'"
	;;
esac

cd "$dst"
# Our caller's make flags (-s, jobserver) are not the kernel build's.
unset MAKEFLAGS MFLAGS MAKELEVEL
# Regenerate .config only when a fragment changed; olddefconfig output
# that equals the previous .config keeps its timestamp.
start=tinyconfig
frags=("$top/configs/qemu.config")
need="LIVEPATCH KUNIT 9P_FS MODULE_UNLOAD JUMP_LABEL PARAVIRT RANDOMIZE_BASE
	MODULE_SIG"
if [ -n "$frag" ]; then
	# 6.12 renamed the mitigations' options (CONFIG_MITIGATION_*), and
	# builds its livepatch test modules with the kselftests.
	frags+=("$frag")
	need+=" MITIGATION_RETPOLINE MITIGATION_RETHUNK"
else
	need+=" TEST_LIVEPATCH RETPOLINE RETHUNK"
fi
case $tree in
klp-debug|klp-debug-6.12)
	frags+=("$top/configs/debug.config")
	need+=" KASAN DEBUG_KMEMLEAK PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_LIST UBSAN_BOUNDS"
	;;
klp-debian)
	start=/usr/src/linux-config-6.1/config.amd64_none_amd64.xz
	[ -r "$start" ] || die "$start missing: run 'make deps' (package linux-config-6.1)"
	frags=("$top/configs/debian.config")
	need="LIVEPATCH MODULE_UNLOAD JUMP_LABEL RETPOLINE RETHUNK PARAVIRT RANDOMIZE_BASE
	MODULE_SIG MODVERSIONS"
	;;
esac
newer=
for f in "${frags[@]}"; do
	if [ "$f" -nt .config ]; then newer=y; fi
done
if [ ! -f .config ] || [ -n "$newer" ] || [ ! -f .klp-reloc-config ] ||
   ! cat "${frags[@]}" | cmp -s - .klp-reloc-config; then
	if [ "$start" = tinyconfig ]; then
		make -s tinyconfig >/dev/null
	else
		xzcat "$start" > .config
	fi
	scripts/kconfig/merge_config.sh -m .config "${frags[@]}" >/dev/null
	make -s olddefconfig >/dev/null
	cat "${frags[@]}" > .klp-reloc-config
fi
for opt in $need; do
	grep -q "^CONFIG_$opt=[ym]" .config || die "CONFIG_$opt did not survive olddefconfig"
done
# What the guest mounts its root with must be built in where no initramfs
# brings it.
if [ "$tree" = klp-debian ]; then
	for opt in VIRTIO_PCI NET_9P_VIRTIO 9P_FS OVERLAY_FS; do
		grep -q "^CONFIG_$opt=y" .config || die "CONFIG_$opt is not built in"
	done
fi

rm -rf "$b/$tree-mods"
mkdir -p "$b/$tree-mods"
if [ "$tree" = klp-debian ]; then
	# Distribution scale, no modules: the kernel, and what out-of-tree
	# modules are built against (vmlinux's exports with their CRCs).
	make -j"$jobs" CC="ccache gcc" bzImage modules_prepare
	cp vmlinux.symvers Module.symvers
else
	make -j"$jobs" CC="ccache gcc" bzImage modules
	make -s INSTALL_MOD_PATH="$b/$tree-mods" modules_install >/dev/null
fi
make -s kernelrelease > "$b/$tree-mods/release"
