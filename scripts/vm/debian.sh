#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# debian.sh: Debian's own 6.1 kernel, as a user runs it, for the guest.
#
# The release is the one Debian's linux-image-amd64 points at now.  Its
# image package is fetched with apt-get and unpacked into build/debian/root
# (never installed: the host's /boot and /lib/modules stay as they are);
# its headers are installed the way a user installs them (linux-headers-*,
# /usr/src/linux-headers-<release>), to build modules against.  The guest
# needs virtio-pci, 9p and overlayfs, which this kernel has as modules: an
# initramfs (busybox-static and those modules, from the image package
# itself) loads them, mounts the host's root and hands over to
# scripts/vm/init as the other kernels do.
#
#   debian.sh fetch     fetch, unpack and make the initramfs, if not done
#   debian.sh release   print the release (6.1.0-N-amd64) fetched
#   debian.sh kallsyms  print the path of a root copy of its /proc/kallsyms,
#                       taken in a first boot if there is none yet (what a
#                       user converting a patch for this kernel has)
#
# scripts/vm/run --kernel debian boots it.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
d=$top/build/debian

case ${1:-} in
release)
	cat "$d/release" 2>/dev/null || { echo "debian: not fetched (make deps)" >&2; exit 1; }
	exit 0 ;;
kallsyms)
	rel=$(cat "$d/release" 2>/dev/null) || { echo "debian: not fetched (make deps)" >&2; exit 1; }
	k=$d/kallsyms-$rel
	if [ ! -s "$k" ]; then
		"$top/scripts/vm/run" --kernel debian --timeout 300 -- cat /proc/kallsyms > "$k.tmp" &&
			awk 'NF >= 3 && $1 !~ /^0+$/ { n++ } END { exit n < 1000 }' "$k.tmp" ||
			{ rm -f "$k.tmp"; echo "debian: could not read /proc/kallsyms in the guest" >&2; exit 1; }
		mv "$k.tmp" "$k"
	fi
	echo "$k"
	exit 0 ;;
fetch) ;;
*) echo "usage: debian.sh fetch|release|kallsyms" >&2; exit 2 ;;
esac

rel=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: linux-image-\([0-9.]*-[0-9]*-amd64\)$/\1/p' | head -1)
[ -n "$rel" ] || { echo "debian: apt knows no linux-image-amd64 (apt-get update?)" >&2; exit 1; }
[ -f "$d/$rel.done" ] && [ -d "/usr/src/linux-headers-$rel" ] && exit 0

echo "debian: fetching Debian's kernel $rel (image and headers)"
export DEBIAN_FRONTEND=noninteractive
dpkg-query -W -f='${Status}' "linux-headers-$rel" 2>/dev/null | grep -q 'ok installed' ||
	apt-get install -y -qq --no-install-recommends "linux-headers-$rel" </dev/null >/dev/null
rm -rf "$d"
mkdir -p "$d/pkg"
# apt's sandbox user may not write here; the download is a plain file.
(cd "$d/pkg" && apt-get download -qq -o APT::Sandbox::User=root "linux-image-$rel") </dev/null
dpkg-deb -x "$d"/pkg/linux-image-"$rel"_*.deb "$d/root"
rm -rf "$d/pkg"
depmod -b "$d/root" "$rel"

# The initramfs: busybox, the modules the guest's root needs in the order
# modprobe would load them, and an init that loads them and moves on.
i=$d/initramfs
mkdir -p "$i/bin" "$i/dev" "$i/proc" "$i/newroot" "$i/mods"
cp /bin/busybox "$i/bin/"
for c in sh mount umount insmod sed switch_root mkdir; do
	ln -s busybox "$i/bin/$c"
done
mknod -m 600 "$i/dev/console" c 5 1
for m in virtio_pci 9pnet_virtio 9p overlay; do
	modprobe -d "$d/root" -S "$rel" --show-depends "$m" | awk '{ print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
	cp "$ko" "$i/mods/"
	echo "${ko##*/}" >> "$i/mods/order"
done
cat > "$i/init" <<'EOF'
#!/bin/sh
# The initramfs of scripts/vm/debian.sh: load what the 9p root needs, mount
# it, and run the init that scripts/vm/run named (init= on the command line).
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
while read -r m; do
	insmod "/mods/$m" || echo "initramfs: insmod $m failed"
done < /mods/order
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,ro root /newroot ||
	{ echo "initramfs: cannot mount the 9p root"; exec sh; }
init=$(sed -n 's/.* init=\([^ ]*\).*/\1/p' /proc/cmdline)
umount /proc
umount /dev
exec switch_root /newroot "$init"
EOF
chmod 755 "$i/init"
(cd "$i" && find . | cpio -o -H newc --quiet | gzip -1) > "$d/initrd.gz"
rm -rf "$i"
echo "$rel" > "$d/release"
touch "$d/$rel.done"
