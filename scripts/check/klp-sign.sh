#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# usage: klp-sign.sh TREE
#
# A livepatch module on a kernel that enforces module signatures, as
# distributions ship them.  kbuild converts the sample patch (klp-convert,
# in modfinal) and signs it at modules_install with the key the kernel tree
# generated; nothing may change the .ko after that.  In a guest booted with
# module.sig_enforce=1 the signed patch must load and work, and the same
# module unsigned must be refused.  Prints TAP.
set -uo pipefail
tree=${1:?usage: klp-sign.sh TREE}
top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$top/build/$tree
g=$top/build/check/klp-sign-$tree
ko=livepatch-klp-sample.ko
n=0 bad=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); bad=1; echo "not ok $n - $*"; }
verdict() { if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2${3:+: $3}"; fi; }

rm -rf "$g"
mkdir -p "$g/unsigned"
{
	"$top/scripts/build/modules.sh" "$tree" "$top/samples/livepatch/klp-reloc" \
		"$g/src" KLP_INCLUDE="$top/include" &&
	make -s -C "$kdir" M="$g/src" INSTALL_MOD_PATH="$g/inst" \
		modules_install
} > "$g.build.log" 2>&1
signed=$(find "$g/inst" -name "$ko" 2>/dev/null | head -1)
[ -n "$signed" ]
verdict $? "the sample patch builds, converts and installs against $tree" \
	"$(tail -5 "$g.build.log" | tr '\n' ' ')"
[ -n "$signed" ] || { echo "1..$n"; exit 1; }
cp "$g/src/$ko" "$g/unsigned/$ko"

# has_sig KO: does KO end with the marker the kernel looks for?
has_sig() {
	tail -c 28 "$1" | cmp -s - <(printf '~Module signature appended~\n')
}
has_sig "$signed" && ! has_sig "$g/unsigned/$ko"
verdict $? "modules_install signed the converted patch; the build's own copy is unsigned"

# klp-convert ran before the signature: the signed module is the
# converted one, plus the signature and nothing else.
size=$(stat -c %s "$g/unsigned/$ko")
cmp -s -n "$size" "$signed" "$g/unsigned/$ko" &&
	"$top/build/bin/klp-dump" "$signed" | grep -q '\.klp\.rela\.vmlinux\.'
verdict $? "the signed module is the converted one with a signature appended"

out=$("$top/scripts/vm/run" --kernel "$tree" --timeout 300 \
	--append module.sig_enforce=1 --add "$signed" --add "$g/unsigned" -- \
	'if insmod unsigned/'"$ko"' 2>/dev/null; then echo unsigned=loaded; else echo unsigned=refused; fi
	 cat /sys/module/module/parameters/sig_enforce
	 insmod '"$ko"' && echo signed=loaded
	 sleep 1; cat /proc/cmdline' 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
[ $rc = 0 ] && grep -qx 'Y' <<< "$out" && grep -qx 'unsigned=refused' <<< "$out"
verdict $? "with module.sig_enforce=1 the unsigned patch is refused"
[ $rc = 0 ] && grep -qx 'signed=loaded' <<< "$out" &&
	grep -q '\[klp-sample: processes [0-9]*, forks [0-9]*\]' <<< "$out"
verdict $? "with module.sig_enforce=1 the signed patch loads and patches /proc/cmdline"

echo "1..$n"
exit $bad
