#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build samples/livepatch/klp-reloc against one tree into build/samples/TREE.
top=$(cd "$(dirname "$0")/../.." && pwd)
tree=${1:?usage: samples.sh TREE (base, klp, klp-6.12, ...)}
exec "$top/scripts/build/modules.sh" "$tree" "$top/samples/livepatch/klp-reloc" \
	"$top/build/samples/$tree"
