#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: build hotpath-dkms and hotpath-tools with dpkg-buildpackage in a
# clean copy of the tree, so the working tree keeps its own build products.
# The version is VERSION's; debian/changelog is written from it here (the
# changelog is where dpkg takes a package's version from).
#
#   scripts/mkdeb.sh OUTDIR       leaves OUTDIR/hotpath-{dkms,tools}_VERSION_*.deb
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$1
VERSION=$(cat "$TOP/VERSION")
SRC=$OUT/hotpath-$VERSION

rm -rf "$OUT"
mkdir -p "$SRC"
# The sources only: objects, modules and the tools' binaries stay behind.
# tar, not rsync: a lab box following the README has tar (essential), not
# necessarily rsync.
tar -C "$TOP" -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='modules.order' --exclude='Module.symvers' \
	--anchored --exclude='tools/hotpath/hotpath' --exclude='tools/bench/hotpath-bench' \
	Makefile Kbuild VERSION dkms.conf debian kmod include tools | tar -C "$SRC" -xf -

# The date of the last commit keeps the packages reproducible; a tree
# outside git gets the time of its VERSION file.
when=$(git -C "$TOP" log -1 --format=%cD 2>/dev/null || date -R -r "$TOP/VERSION")
cat > "$SRC/debian/changelog" <<CL
hotpath ($VERSION) unstable; urgency=medium

  * hotpath $VERSION (the tree's VERSION file).

 -- hotpath developers <hotpath@localhost>  $when
CL

echo "deb: dpkg-buildpackage in $SRC (log: $OUT/build.log)"
if ! (cd "$SRC" && dpkg-buildpackage -b -us -uc) > "$OUT/build.log" 2>&1; then
	tail -n 40 "$OUT/build.log"
	echo "deb: dpkg-buildpackage failed (see $OUT/build.log)" >&2
	exit 1
fi
ls "$OUT"/*.deb
