#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 'make lint' as one test: checkpatch --strict and sparse report nothing on
# our code.  What they report becomes the test's diagnostics.
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$("$top/scripts/build/lint.sh" 2>&1)
rc=$?
echo "1..1"
if [ $rc -eq 0 ]; then
	echo "ok 1 - checkpatch --strict and sparse are clean on our code and patches"
else
	echo "not ok 1 - checkpatch --strict and sparse are clean on our code and patches"
	echo "$out" | sed 's/^/# /'
fi
