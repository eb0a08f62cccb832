#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test VM's initramfs.
#
#   mkinitramfs.sh KVER IMAGE_DIR HOTPATH_KO OUT.cpio.gz TEST...
#
# IMAGE_DIR is the unpacked linux-image package (build/kernels/KVER).  Holds
# busybox (applets in /bin), bash and the real iproute2/ethtool/coreutils
# timeout/jq/kmod with their shared libraries, hotpath.ko, the tools, the
# kernel's YNL CLI with the spec and the python3 it needs (/opt/ynl), the
# kselftests with the kselftest runner, and selftests/vm/init as /init.
# The real NICs' drivers (igb, e1000e) and the kernel modules named in
# $HP_VM_MODULES, with their dependencies, are added from the image.  $HP_VM_PKG (scripts/pkg.sh stage output) becomes /pkg.
set -euo pipefail

KVER=$1 IMAGE_DIR=$2 KO=$3 OUT=$4
shift 4
TOP=$(cd "$(dirname "$0")/../.." && pwd)
KSFT=${KSFT_DIR:-$TOP/build/src/tools/testing/selftests}
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/hp-initramfs.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT
# mktemp -d makes it 0700 and cpio's "." entry gives the VM's / that mode:
# an unprivileged process (setpriv --reuid) could not even load its libraries.
chmod 755 "$ROOT"

mkdir -p "$ROOT"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,var,usr/bin,usr/sbin,lib,lib64}
mkdir -p "$ROOT"/lib/x86_64-linux-gnu "$ROOT/etc/hotpath" "$ROOT/selftests/hotpath"
ln -s ../run "$ROOT/var/run"

# Copy a host file to the same path in the initramfs, following symlinks.
put()
{
	local src=$1 dst=${2:-$1}

	mkdir -p "$ROOT$(dirname "$dst")"
	cp -L "$src" "$ROOT$dst"
}

# Copy a dynamic executable and the shared libraries it loads.
put_bin()
{
	local src=$1 dst=${2:-$1} lib

	put "$src" "$dst"
	for lib in $(ldd "$src" 2>/dev/null | awk '/=> \// {print $3} /^\t\/.*ld-linux/ {print $1}'); do
		[ -e "$ROOT$lib" ] || put "$lib"
	done
}

# Host binaries, at their canonical /usr path (the host has merged /usr, the
# initramfs does not: busybox applets live in /bin and lose to these in PATH).
for b in bash ip ethtool timeout jq kmod setpriv nstat ss tc taskset stdbuf sha256sum \
	 od head tail nproc ptp4l phc_ctl hwstamp_ctl bpftool xdp-bench perf; do
	p=$(command -v "$b" 2>/dev/null) || { echo "mkinitramfs: no $b on host" >&2; continue; }
	p=$(readlink -f "$p")
	case $p in /usr/*) ;; *) p=/usr$p ;; esac
	put_bin "$p"
done
ln -sf /usr/bin/bash "$ROOT/bin/bash"
for l in insmod rmmod lsmod modprobe modinfo depmod; do
	ln -sf /usr/bin/kmod "$ROOT/usr/sbin/$l"
done
# coreutils' stdbuf preloads this.
[ -e /usr/libexec/coreutils/libstdbuf.so ] && put /usr/libexec/coreutils/libstdbuf.so

put /bin/busybox /bin/busybox
for a in $(/bin/busybox --list); do
	[ -e "$ROOT/bin/$a" ] || ln -s busybox "$ROOT/bin/$a"
done

cat > "$ROOT/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
P
cat > "$ROOT/etc/group" <<'P'
root:x:0:
nogroup:x:65534:
P
echo "hosts: files" > "$ROOT/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$ROOT/etc/hosts"
: > "$ROOT/etc/fstab"

# Kernel modules: hotpath.ko plus any the tests need from the image.
MODDIR=/lib/modules/$KVER
mkdir -p "$ROOT$MODDIR/extra"
cp "$KO" "$ROOT$MODDIR/extra/hotpath.ko"
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ -e "$IMAGE_DIR$MODDIR/$f" ] && cp "$IMAGE_DIR$MODDIR/$f" "$ROOT$MODDIR/"
done
# A module by name and, recursively, what its modinfo says it depends on,
# from the image's tree (its .ko or .ko.xz); read from the files, so the
# image needs no modules.dep (depmod would write into the image's tree).
# Built-in modules (modules.builtin) need nothing.
put_mod()
{
	local m=${1//-/_} ko d

	grep -qE "/${m//_/[-_]}\.ko\$" "$IMAGE_DIR$MODDIR/modules.builtin" 2>/dev/null && return 0
	ko=$(find "$IMAGE_DIR$MODDIR/kernel" -regextype posix-extended \
		-regex ".*/${m//_/[-_]}\.ko(\.xz|\.zst|\.gz)?" | head -n1)
	[ -n "$ko" ] || { echo "mkinitramfs: no module $1 for $KVER" >&2; return 1; }
	[ -e "$ROOT${ko#"$IMAGE_DIR"}" ] && return 0
	mkdir -p "$ROOT$(dirname "${ko#"$IMAGE_DIR"}")"
	cp "$ko" "$ROOT${ko#"$IMAGE_DIR"}"
	for d in $(modinfo -F depends "$ko" | tr , ' '); do
		put_mod "$d" || return 1
	done
}
# Always: the drivers of the VM's real NICs (run.sh: igb, e1000e), loaded by
# the tests that use them (lib.sh hp_nic_pair), never at boot.
for m in igb e1000e ${HP_VM_MODULES:-}; do
	put_mod "$m"
done
depmod -b "$ROOT" "$KVER"

# Tools: every executable directly under tools/ or tools/*/.
if [ -d "$TOP/tools" ]; then
	find "$TOP/tools" -maxdepth 2 -type f -perm -u+x | while read -r t; do
		case $t in *.o|*.a) continue ;; esac
		if [ "$(head -c 4 "$t" | tail -c 3)" = ELF ]; then
			put_bin "$t" "/usr/sbin/$(basename "$t")"
		else
			put "$t" "/usr/sbin/$(basename "$t")"
		fi
	done
fi

# The kernel's YNL CLI (tools/net/ynl/cli.py of linux-source-6.12, unpacked
# by scripts/ynl.sh) with the hotpath spec, for hotpath_ynl.sh, in the
# kernel's layout under /opt/ynl; and the part of Debian's python3 it runs
# on: the interpreter and every module a run of cli.py loads, found by
# running it here in the VM's bare environment (env -i) on what needs no
# module or privilege: a do and a dump of nlctrl, a refused do, the hotpath
# spec parsed.
YNL=$("$TOP/scripts/ynl.sh" tree)
mkdir -p "$ROOT/opt/ynl/tools/net/ynl/lib" "$ROOT/opt/ynl/Documentation/netlink/specs"
cp "$YNL"/tools/net/ynl/cli.py "$ROOT/opt/ynl/tools/net/ynl/"
cp "$YNL"/tools/net/ynl/lib/*.py "$ROOT/opt/ynl/tools/net/ynl/lib/"
cp "$YNL"/Documentation/netlink/*.yaml "$ROOT/opt/ynl/Documentation/netlink/"
cp "$TOP/Documentation/netlink/specs/hotpath.yaml" "$YNL/Documentation/netlink/specs/nlctrl.yaml" \
	"$ROOT/opt/ynl/Documentation/netlink/specs/"
PY=$(readlink -f /usr/bin/python3)
# put_py_modules: the files a python3 run printed on stdin (one path a
# line), shared objects with their libraries
put_py_modules()
{
	local f

	while read -r f; do
		case $f in
		*.so) put_bin "$f" ;;
		*) put "$f" ;;
		esac
	done
}

put_bin "$PY"
ln -sf "$(basename "$PY")" "$ROOT/usr/bin/python3"
env -i "$PY" - "$YNL" "$TOP/Documentation/netlink/specs/hotpath.yaml" <<'PY' |
import contextlib, io, runpy, sys
ynl, spec = sys.argv[1], sys.argv[2]
cli = ynl + '/tools/net/ynl/cli.py'
sys.path.insert(0, ynl + '/tools/net/ynl')
nlctrl = ynl + '/Documentation/netlink/specs/nlctrl.yaml'
runs = [['--do', 'getfamily', '--json', '{"family-name": "nlctrl"}', '--output-json'],
        ['--dump', 'getfamily'],
        ['--do', 'getfamily', '--json', '{"family-name": "no-such-family"}']]
for args in runs:
    sys.argv = [cli, '--no-schema', '--spec', nlctrl] + args
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        runpy.run_path(cli, run_name='__main__')
import lib
lib.SpecFamily(spec, schema_path='')
for m in list(sys.modules.values()):
    f = getattr(m, '__file__', None)
    if f and f.startswith('/usr/'):
        print(f)
PY
put_py_modules

# The lab (tools/lab/hotpath-lab, put in /usr/sbin above) and its package
# where make install puts it, and the part of python3 it runs on: every
# module a run loads, found as for YNL above by importing it and rendering
# the golden results file (selftests/golden/lab/demo.json) to text and
# HTML in the VM's bare environment.
mkdir -p "$ROOT/usr/share/hotpath/hotpath_lab"
cp "$TOP"/tools/lab/hotpath_lab/*.py "$ROOT/usr/share/hotpath/hotpath_lab/"
put "$TOP/tools/lab/hp-common.sh" /usr/share/hotpath/hp-common.sh
env -i "$PY" -B - "$TOP/tools/lab" "$TOP/selftests/golden/lab/demo.json" <<'PY' |
import contextlib, io, os, sys, tempfile
sys.path.insert(0, sys.argv[1])
golden = sys.argv[2]
from hotpath_lab import cli, net, steps, results, render, report
with tempfile.TemporaryDirectory() as d, contextlib.redirect_stdout(io.StringIO()), \
        contextlib.redirect_stderr(io.StringIO()):
    for args in (['render', golden, '--html', os.path.join(d, 'r.html')], ['--help'],
                 ['render', os.path.join(d, 'none.json')]):
        with contextlib.suppress(SystemExit):
            cli.main(args)
for m in list(sys.modules.values()):
    f = getattr(m, '__file__', None)
    if f and f.startswith('/usr/'):
        print(f)
PY
put_py_modules

# Kselftests: the runner and this collection, flat in /selftests/hotpath.
mkdir -p "$ROOT/selftests/kselftest"
cp "$KSFT"/kselftest/runner.sh "$KSFT"/kselftest/prefix.pl "$ROOT/selftests/kselftest/"
S=$TOP/selftests
for f in "$S"/hotpath_*.sh "$S"/lib.sh "$TOP"/tools/lab/hp-common.sh "$S"/ynl_policy.py \
	"$S"/settings "$S"/config; do
	[ -e "$f" ] && cp -p "$f" "$ROOT/selftests/hotpath/"
done
for c in "$S"/*.c; do
	[ -e "$c" ] || continue
	b=${c%.c}
	[ -x "$b" ] || { echo "mkinitramfs: $b not built" >&2; exit 1; }
	put_bin "$b" "/selftests/hotpath/$(basename "$b")"
done
# BPF objects the tests load (built from selftests/bpf/*.bpf.c).
for o in "$S"/bpf/*.bpf.o; do
	[ -e "$o" ] || continue
	mkdir -p "$ROOT/selftests/hotpath/bpf"
	cp "$o" "$ROOT/selftests/hotpath/bpf/"
done
# The kernel's xskxceiver, built from linux-source-6.1 by selftests/Makefile.
# pthread_exit() dlopen()s libgcc_s, which ldd does not list.
if [ -x "$TOP/build/xsk/xskxceiver" ]; then
	put_bin "$TOP/build/xsk/xskxceiver" /selftests/hotpath/xskxceiver
	put /lib/x86_64-linux-gnu/libgcc_s.so.1
fi
# Extra data files a test may ship (selftests/data/ if present), and the
# expected outputs of hotpath_golden.sh.
[ -d "$S/data" ] && cp -a "$S/data" "$ROOT/selftests/hotpath/"
cp -a "$S/golden" "$ROOT/selftests/hotpath/"
# What scripts/pkg.sh staged for hotpath_pkg.sh (make install tree, DKMS
# module), as /pkg.
if [ -n "${HP_VM_PKG:-}" ] && [ -d "$HP_VM_PKG" ]; then
	cp -a "$HP_VM_PKG" "$ROOT/pkg"
fi

printf '%s\n' "$@" > "$ROOT/etc/hotpath/tests"
printf '%s\n' "${HP_VM_RUN:-}" > "$ROOT/etc/hotpath/run"
cat > "$ROOT/etc/hotpath/env" <<E
export HOTPATH_KO=$MODDIR/extra/hotpath.ko
export HOTPATH_VM=1
export HOTPATH_VM_CLOCK=${HP_VM_CLOCK:-real}
E
# NAME=VALUE words for the tests' environment (run.sh --debug: fewer cycles)
for kv in ${HP_VM_ENV:-}; do
	printf 'export %q\n' "$kv" >> "$ROOT/etc/hotpath/env"
done

cp "$S/vm/init" "$ROOT/init"
chmod 755 "$ROOT/init"
cp "$(dirname "$OUT")/qemu-exit" "$ROOT/usr/sbin/qemu-exit"
cp "$S/vm/hp-vm-export" "$ROOT/usr/sbin/hp-vm-export"
chmod 755 "$ROOT/usr/sbin/hp-vm-export"

(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
