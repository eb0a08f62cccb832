#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what `make check` needs on a Debian 12 box and resolve the kernels
# it boots.  Idempotent and quiet: apt runs only when something is missing.
#
#   scripts/deps.sh [--no-install] KERNEL...     KERNEL: 6.1, 6.12 or a full ABI name
#   scripts/deps.sh --source-only                only unpack build/src
#
# For each kernel prints one line "SERIES KVER" and leaves under build/:
#   build/kernels/KVER/vmlinuz        the kernel image (from linux-image-KVER, never installed)
#   build/kernels/KVER/lib/modules/   its modules
#   build/src/                        kselftest framework + checkpatch from linux-source-6.1
# The matching linux-headers-KVER is installed (/lib/modules/KVER/build).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
INSTALL=1
if [ "${1:-}" = --no-install ]; then
	INSTALL=0
	shift
fi
[ $# -gt 0 ] || set -- 6.1 6.12
[ "$(id -u)" = 0 ] || INSTALL=0

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-qq -o=Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

# qemu-system-x86 comes from bookworm-backports (qemu_backports below).
PKGS=(busybox-static bash iproute2 ethtool kmod cpio xz-utils jq gcc make
      bison flex libelf-dev
      libc6-dev pkg-config libnl-3-dev libnl-genl-3-dev sparse linux-source-6.1 bc rsync
      coreutils util-linux linuxptp chromium python3
      clang llvm libbpf-dev libxdp-dev xdp-tools bpftool
      build-essential debhelper dh-dkms dkms dpkg-dev fakeroot openssl
      python3-yaml python3-jsonschema stress-ng linux-perf)

mkdir -p "$BUILD"
LOG=$BUILD/deps.log
: > "$LOG"
log() { echo "deps: $*" >&2; }

is_installed()
{
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

updated=0
apt_update()
{
	[ $updated = 1 ] && return 0
	[ $INSTALL = 1 ] || { log "apt-get update needed but --no-install given"; return 1; }
	log "apt-get update"
	apt-get "${APT_OPTS[@]}" update >>"$LOG" 2>&1 || { cat "$LOG" >&2; return 1; }
	updated=1
}

# apt_install [-t SUITE] PKG...
apt_install()
{
	local suite=()

	[ "${1:-}" = -t ] && { suite=(-t "$2"); shift 2; }
	[ $# -gt 0 ] || return 0
	[ $INSTALL = 1 ] || { log "missing packages: $*"; return 1; }
	apt_update
	log "installing $* ${suite[*]}"
	apt-get "${APT_OPTS[@]}" install -y --no-install-recommends "${suite[@]}" "$@" >>"$LOG" 2>&1 ||
		{ cat "$LOG" >&2; return 1; }
}

have_backports()
{
	grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/
}

add_backports()
{
	have_backports && return 0
	[ $INSTALL = 1 ] || { log "bookworm-backports is not configured"; return 1; }
	log "adding bookworm-backports (/etc/apt/sources.list.d/bookworm-backports.sources)"
	cat > /etc/apt/sources.list.d/bookworm-backports.sources <<-SRC
	Types: deb
	URIs: http://deb.debian.org/debian
	Suites: bookworm-backports
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	SRC
	updated=0
	apt_update
}

# The headers metapackage version for a series: 6.1 from bookworm/-security,
# 6.12 from bookworm-backports; the highest one.
meta_version()
{
	local series=$1
	apt-cache madison linux-headers-amd64 2>/dev/null |
		awk -F'|' '{gsub(/ /, "", $2); print $2}' |
		grep -E "^${series//./\\.}\." | sort -V | tail -n1
}

# Resolve a series to the ABI name (e.g. 6.1.0-56-amd64) through the
# metapackage's dependency.
resolve_kver()
{
	local arg=$1 ver dep

	case $arg in
	*-amd64) echo "$arg"; return 0 ;;
	esac
	ver=$(meta_version "$arg")
	if [ -z "$ver" ]; then
		apt_update
		ver=$(meta_version "$arg")
	fi
	[ -n "$ver" ] || { log "no linux-headers-amd64 for $arg in apt"; return 1; }
	dep=$(apt-cache depends "linux-headers-amd64=$ver" 2>/dev/null |
	      awk '/Depends: linux-headers-[0-9]/ {print $2; exit}')
	[ -n "$dep" ] || { log "cannot resolve linux-headers-amd64=$ver"; return 1; }
	echo "${dep#linux-headers-}"
}

fetch_image()
{
	local kver=$1 dir=$BUILD/kernels/$1 deb

	[ -f "$dir/vmlinuz" ] && return 0
	mkdir -p "$BUILD/kernels"
	deb=$(ls "$BUILD"/kernels/linux-image-"$kver"_*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		log "downloading linux-image-$kver (not installed, only unpacked)"
		(cd "$BUILD/kernels" && apt-get -qq -o APT::Sandbox::User=root download "linux-image-$kver" >&2) || {
			apt_update
			(cd "$BUILD/kernels" && apt-get -qq -o APT::Sandbox::User=root download "linux-image-$kver" >&2)
		}
		deb=$(ls "$BUILD"/kernels/linux-image-"$kver"_*.deb | head -n1)
	fi
	rm -rf "$dir.tmp"
	dpkg-deb -x "$deb" "$dir.tmp"
	cp "$dir.tmp/boot/vmlinuz-$kver" "$dir.tmp/vmlinuz"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
}

extract_source()
{
	local stamp=$BUILD/src/.stamp tarball=/usr/src/linux-source-6.1.tar.xz

	[ -f "$stamp" ] && return 0
	log "extracting kselftest framework and checkpatch from $tarball"
	rm -rf "$BUILD/src"
	mkdir -p "$BUILD/src"
	tar -xJf "$tarball" -C "$BUILD/src" --strip-components=1 --wildcards \
		'linux-source-6.1/tools/testing/selftests/kselftest*' \
		'linux-source-6.1/tools/testing/selftests/lib.mk' \
		'linux-source-6.1/tools/testing/selftests/net/forwarding/lib.sh' \
		'linux-source-6.1/scripts/checkpatch.pl' \
		'linux-source-6.1/scripts/spelling.txt' \
		'linux-source-6.1/scripts/const_structs.checkpatch'
	touch "$stamp"
}

if [ "${1:-}" = --source-only ]; then
	is_installed linux-source-6.1 || apt_install linux-source-6.1
	extract_source
	exit 0
fi

missing=()
for p in "${PKGS[@]}"; do
	is_installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	apt_install "${missing[@]}"
fi

# The virtual clock (run.sh --clock virtual: -icount with two vCPUs) needs a
# QEMU newer than bookworm's 7.2, which hangs bringing up the second vCPU
# under icount; bookworm-backports has 10.x.
qemu_backports()
{
	local v

	v=$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null || true)
	if [ -n "$v" ] && is_installed qemu-system-x86 && dpkg --compare-versions "$v" ge 1:8; then
		return 0
	fi
	add_backports
	apt_install -t bookworm-backports qemu-system-x86
}
qemu_backports

# The kernel's YNL generator and CLI (scripts/ynl.sh, selftests/hotpath_ynl.sh)
# come from linux-source-6.12, in bookworm-backports.
if ! is_installed linux-source-6.12; then
	add_backports
	apt_install -t bookworm-backports linux-source-6.12
fi

for k in "$@"; do
	case $k in
	6.1|6.1.*) ;;
	*) add_backports ;;
	esac
done

for k in "$@"; do
	kver=$(resolve_kver "$k")
	if ! is_installed "linux-headers-$kver" && [ ! -d "/lib/modules/$kver/build" ]; then
		apt_install "linux-headers-$kver"
	fi
	fetch_image "$kver"
	echo "$k $kver"
done
extract_source
