#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian packages klp-reloc needs, and only those missing.
# Takes a second when everything is present.  Non-interactive: CI has no stdin.
# With the argument "tools": only what the tools need (a C compiler and
# libelf), for a user who wants klp-convert, klp-check and klp-dump alone.
set -euo pipefail

pkgs="build-essential libelf-dev"
[ "${1:-}" = tools ] ||
	pkgs="$pkgs linux-source-6.1 linux-source-6.12 flex bison bc libssl-dev kmod cpio rsync
	      patch qemu-system-x86 ccache sparse python3 perl git gnuplot-nox
	      openssl busybox-static linux-config-6.1"

missing=()
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
# Debian's own kernel for the guest (image unpacked into build/debian,
# headers installed): scripts/vm/debian.sh, once the packages are in.
debian() {
	[ "${1:-}" = tools ] || "$(dirname "$0")/../vm/debian.sh" fetch
}
[ ${#missing[@]} -eq 0 ] && { debian "${1:-}"; exit 0; }

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root, or: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# An old package list may not know linux-source-6.1's current version.
apt-get update -qq </dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
debian "${1:-}"
