#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make style: checkpatch --strict on the module, uapi header and tools;
# sparse (C=2) and a W=1 build of the module.  Any warning fails.
#
#   scripts/style.sh [KDIR]
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
KDIR=${1:-/lib/modules/$(uname -r)/build}
CHECKPATCH=$TOP/build/src/scripts/checkpatch.pl
OUT=$TOP/build/style
rc=0

[ -f "$CHECKPATCH" ] || "$TOP/scripts/deps.sh" --source-only
cd "$TOP" || exit 1

mapfile -t files < <(ls kmod/*.[ch] include/uapi/linux/*.h 2>/dev/null | grep -v "\.mod\.c$"
		     find tools -name '*.[ch]' 2>/dev/null | sort)
echo "style: checkpatch --strict on ${#files[@]} files"
if ! perl "$CHECKPATCH" --strict --no-tree --quiet --show-types --max-line-length=100 \
		-f "${files[@]}"; then
	rc=1
fi

# sparse and W=1 on a copy, so the tree's objects (maybe built for another
# kernel) are left alone and C=2 checks every file.
mkdir -p "$OUT"
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod*' \
	Kbuild kmod include "$OUT/"
echo "style: sparse (C=2) and W=1 build against $KDIR"
make -C "$KDIR" M="$OUT" C=2 W=1 -j2 modules > "$OUT/build.log" 2>&1
brc=$?
if [ $brc != 0 ] || grep -qE 'warning:|error:' "$OUT/build.log"; then
	grep -E 'warning:|error:' -A3 "$OUT/build.log" | sed "s|$OUT/||g"
	[ $brc = 0 ] || tail -n 20 "$OUT/build.log"
	rc=1
fi

if [ $rc = 0 ]; then
	echo "style: clean"
else
	echo "style: FAILED"
fi
exit $rc
