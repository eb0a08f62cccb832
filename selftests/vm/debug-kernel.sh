#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or find cached) the debug kernel of `make check-debug`: Debian's
# linux-source-6.1 configured as allnoconfig + selftests/vm/debug.config
# (KASAN, KFENCE, lockdep, PROVE_RCU, DEBUG_OBJECTS, kmemleak, UBSAN,
# DEBUG_NET, ... on a small serial-console VM kernel).
#
#   selftests/vm/debug-kernel.sh [--print]
#
# The build is keyed by a hash of the fragment, REV below (bump it when the
# build steps change), the source package version and the compiler, and lives in
#   $HP_DEBUG_CACHE/<hash>   (default /var/cache/hotpath/debug-kernel)
# with build/debug/<hash> linking to it, so a new clone on the same machine
# (CI) finds it; when the cache directory is not writable the build stays
# under build/debug/<hash>.  The compile runs under nice -n 19.
# Prints "KVER KDIR IMAGE_DIR" on stdout (KDIR for M= module builds,
# IMAGE_DIR/vmlinuz and IMAGE_DIR/lib/modules/KVER for the VM), progress on
# stderr.  --print prints them for a cached build without building.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
FRAG=$TOP/selftests/vm/debug.config
SRC_TAR=/usr/src/linux-source-6.1.tar.xz
CACHE=${HP_DEBUG_CACHE:-/var/cache/hotpath/debug-kernel}
JOBS=${JOBS:-2}
# Part of the cache key: bump when the steps below change what is built.
REV=1
PRINT=0
[ "${1:-}" = --print ] && PRINT=1

say() { echo "debug-kernel: $*" >&2; }

if [ ! -r "$SRC_TAR" ]; then
	if [ $PRINT = 1 ]; then
		exit 1
	fi
	say "installing linux-source-6.1"
	apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends \
		linux-source-6.1 bc bison flex libelf-dev libssl-dev >&2
fi
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || stat -c %s "$SRC_TAR")
hash=$( { cat "$FRAG"; echo "rev $REV $srcver"; gcc --version | head -n1; } |
	sha256sum | cut -c1-16)

link=$TOP/build/debug/$hash
mkdir -p "$TOP/build/debug"
if [ -e "$link/done" ]; then
	D=$(readlink -f "$link")
elif [ -e "$CACHE/$hash/done" ]; then
	D=$CACHE/$hash
	ln -sfn "$D" "$link"
	say "cached build $D"
else
	[ $PRINT = 0 ] || exit 1
	if mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ]; then
		D=$CACHE/$hash
		rm -rf "$D"
		mkdir -p "$D"
		rm -rf "$link"
		ln -sfn "$D" "$link"
	else
		D=$link
		rm -rf "$D"
		mkdir -p "$D"
	fi
	say "building in $D (log: $D/build.log)"
	start=$(date +%s)
	nice -n 19 tar -C "$D" -xf "$SRC_TAR"
	mv "$D/linux-source-6.1" "$D/src"
	mkdir -p "$D/obj"
	{
		nice -n 19 make -C "$D/src" O="$D/obj" allnoconfig KCONFIG_ALLCONFIG="$FRAG"
		# A fragment line Kconfig dropped (a dependency missing) is a
		# checker silently not there: refuse.
		miss=0
		while IFS= read -r want; do
			grep -qxF "$want" "$D/obj/.config" || { echo "not in .config: $want"; miss=1; }
		done < <(grep -E '^CONFIG_' "$FRAG")
		[ $miss = 0 ]
		nice -n 19 make -C "$D/src" O="$D/obj" -j"$JOBS" bzImage modules
		nice -n 19 make -C "$D/src" O="$D/obj" INSTALL_MOD_PATH="$D/image" modules_install
	} > "$D/build.log" 2>&1 || {
		tail -n 40 "$D/build.log" >&2
		say "build failed, see $D/build.log"
		exit 1
	}
	cp "$D/obj/arch/x86/boot/bzImage" "$D/image/vmlinuz"
	# Objects are not needed for M= module builds (the host tools in
	# scripts/ and tools/ are); vmlinux stays for decode_stacktrace.sh.
	find "$D/obj" -name '*.o' ! -path "$D/obj/scripts/*" ! -path "$D/obj/tools/*" -delete
	secs=$(( $(date +%s) - start ))
	echo "$secs" > "$D/build-seconds"
	touch "$D/done"
	say "built in ${secs}s"
fi

kver=$(cat "$D/obj/include/config/kernel.release")
echo "$kver $D/obj $D/image"
