#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build hotpath for one kernel, boot that kernel in QEMU (TCG) with an
# initramfs holding the module, tools and kselftests, run the tests, and
# judge the run from the KTAP stream (second serial port), the console and
# the isa-debug-exit status.
#
#   selftests/vm/run.sh [--kernel 6.1|6.12|KVER] [--test NAME]... [--shell]
#                       [--timeout SECONDS] [--ko PATH] [--no-deps] [--append ARGS]
#                       [--run COMMAND] [--debug] [--clock real|virtual]
#                       [--artefacts DIR] [--clock-filter]
#
# --test takes a test file name (hotpath_basic.sh, test_busy_poll) or a glob
# ('hotpath_ctl_*'); repeat it for several.  Default: every test.
# --shell boots to an interactive shell on the console instead.
# --run runs COMMAND (e.g. "hotpath-lab") in the VM instead of the tests and prints
# its output; the exit status is COMMAND's.
# --debug boots the debug kernel (selftests/vm/debug-kernel.sh: KASAN,
# lockdep, kmemleak, UBSAN, ...; built once, cached) with panic_on_warn; the
# VM scans kmemleak after the tests and any report fails the run.
# --clock real (default): two truly parallel vCPUs (multi-threaded TCG) on the
# host's time, which is what finds races.  --clock virtual: QEMU's instruction
# counter is the guest's clock (-icount shift=0,sleep=off: one guest
# instruction = 1 ns, idle time skipped), so timings are reproducible; the lab
# and the quantitative end-to-end tests run there.  A test says which clock it
# wants with a line "# hp-vm-clock: virtual"; without --test each clock runs
# its own tests; with --clock-filter the --test matches are narrowed to the
# clock's tests too (none left: nothing boots, exit 0; make check uses it).
# The guest sees the clock as $HOTPATH_VM_CLOCK.
# Logs and artefacts: build/vm/KVER/ (real) or build/vm/KVER-virtual/
# (virtual): console.log, ktap.log, initramfs.cpio.gz, and artefacts/NAME for
# each file the guest exported with hp-vm-export (third serial port);
# --artefacts DIR copies those to DIR too.
# Exit: 0 when every test passed and the console is clean, 1 otherwise.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$TOP/build
KSFT_DIR=$BUILD/src/tools/testing/selftests
KERNEL=6.1
TESTS=()
SHELL_MODE=0
WALL=${HP_VM_TIMEOUT:-}
KO=
DEPS=1
APPEND=
RUN_CMD=
DEBUG=0
CLOCK=${HP_VM_CLOCK:-real}
ARTEFACTS=
CLOCK_FILTER=0
JOBS=${JOBS:-2}

usage()
{
	sed -n '/^#   selftests/,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//'
	exit "${1:-2}"
}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel|-k) KERNEL=$2; shift 2 ;;
	--test|-t) TESTS+=($2); shift 2 ;;
	--shell) SHELL_MODE=1; shift ;;
	--timeout) WALL=$2; shift 2 ;;
	--ko) KO=$(realpath "$2"); shift 2 ;;
	--no-deps) DEPS=0; shift ;;
	--append) APPEND=$2; shift 2 ;;
	--run) RUN_CMD=$2; shift 2 ;;
	--debug) DEBUG=1; KERNEL=debug; shift ;;
	--clock) CLOCK=$2; shift 2 ;;
	--artefacts) ARTEFACTS=$2; shift 2 ;;
	--clock-filter) CLOCK_FILTER=1; shift ;;
	-h|--help) usage 0 ;;
	*) echo "run.sh: unknown argument $1" >&2; usage ;;
	esac
done

case $CLOCK in
real|virtual) ;;
*) echo "run.sh: --clock takes real or virtual, not '$CLOCK'" >&2; usage ;;
esac

say() { echo "[vm $KERNEL $CLOCK] $*"; }

if [ $DEBUG = 1 ]; then
	# host packages as for 6.1; the kernel is our own build
	[ $DEPS = 0 ] || "$TOP/scripts/deps.sh" 6.1 > /dev/null
	read -r KVER KDIR IMAGE_DIR < <("$TOP/selftests/vm/debug-kernel.sh")
	[ -n "${IMAGE_DIR:-}" ] || { say "no debug kernel"; exit 1; }
	# a WARN (lockdep, RCU, DEBUG_NET, our assertions) ends the run
	APPEND="panic_on_warn=1 $APPEND"
	# every check makes it ~10x slower under TCG: 3 load/unload cycles
	export HP_VM_ENV="CYCLES=${CYCLES:-3} ${HP_VM_ENV:-}"
elif [ $DEPS = 1 ]; then
	read -r _ KVER < <("$TOP/scripts/deps.sh" "$KERNEL")
else
	read -r _ KVER < <("$TOP/scripts/deps.sh" --no-install "$KERNEL")
fi
if [ $DEBUG = 0 ]; then
	KDIR=/lib/modules/$KVER/build
	IMAGE_DIR=$BUILD/kernels/$KVER
fi
OUT=$BUILD/vm/$KVER
[ "$CLOCK" = real ] || OUT=$BUILD/vm/$KVER-$CLOCK
mkdir -p "$OUT"
rm -rf "$OUT/result" "$OUT/artefacts"

# --- build -----------------------------------------------------------------
# The module is built in a per-kernel copy of the tree (kbuild writes objects
# next to the sources), so both kernels' builds can coexist.  The copy
# compares contents (-c) and does not keep the sources' times: a changed
# file lands with the copy's time, newer than any object built from it
# before, so kbuild rebuilds it even when the source's own time is older
# (a file taken from another work tree or an older commit).
if [ -z "$KO" ]; then
	MOD=$BUILD/mod/$KVER
	mkdir -p "$MOD"
	rsync -rlc --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='modules.order' \
		--exclude='Module.symvers' --exclude='*.a' --exclude='.tmp*' \
		"$TOP/Kbuild" "$TOP/VERSION" "$TOP/kmod" "$TOP/include" "$MOD/"
	say "building hotpath.ko against $KDIR"
	if ! make -s -C "$KDIR" M="$MOD" -j"$JOBS" modules > "$OUT/build.log" 2>&1; then
		cat "$OUT/build.log"
		say "module build failed"
		echo "0 1 0 0 build-failed" > "$OUT/result"
		exit 1
	fi
	grep -v -e '^$' -e 'Skipping BTF generation' "$OUT/build.log" || true
	KO=$MOD/kmod/hotpath.ko
fi
say "building tools and selftests"
# one build of the shared tree at a time: make check runs the two kernels'
# virtual-clock lanes side by side
flock "$BUILD/.tools.lock" make -s -C "$TOP" tools selftests KSFT_DIR="$KSFT_DIR" -j"$JOBS"
gcc -static -O2 -Wall -o "$OUT/qemu-exit" "$TOP/selftests/vm/qemu-exit.c"

# --- tests -------------------------------------------------------------------
# clock_of TEST: the clock a test asks for ("# hp-vm-clock: virtual")
clock_of()
{
	local f=$TOP/selftests/$1

	[ -f "$f.c" ] && f=$f.c
	sed -n 's/^\(#\|\/\/\) hp-vm-clock: \([a-z]*\).*/\2/p' "$f" 2>/dev/null | head -n1 |
		grep . || echo real
}

# Same order as lib.mk's run_tests: generated (C) tests, then scripts.
all_tests()
{
	local f

	for f in "$TOP"/selftests/test_*.c; do
		[ -e "$f" ] && basename "${f%.c}"
	done
	for f in "$TOP"/selftests/hotpath_*.sh; do
		[ -e "$f" ] && basename "$f"
	done
	return 0
}
mapfile -t ALL < <(all_tests)
RUN=()
if [ ${#TESTS[@]} -eq 0 ]; then
	for t in "${ALL[@]}"; do
		[ "$(clock_of "$t")" = "$CLOCK" ] && RUN+=("$t")
	done
else
	for pat in "${TESTS[@]}"; do
		hit=0
		for t in "${ALL[@]}"; do
			# shellcheck disable=SC2053
			if [[ $t == $pat || $t == $pat.sh || $t == $pat.c ]]; then
				RUN+=("$t")
				hit=1
			fi
		done
		[ $hit = 1 ] || { say "no test matches '$pat' (have: ${ALL[*]})"; exit 2; }
	done
	if [ $CLOCK_FILTER = 1 ]; then
		mine=()
		for t in "${RUN[@]}"; do
			[ "$(clock_of "$t")" = "$CLOCK" ] && mine+=("$t")
		done
		RUN=("${mine[@]}")
	fi
fi
if [ ${#RUN[@]} -eq 0 ] && [ $CLOCK_FILTER = 1 ] && [ $SHELL_MODE = 0 ] && [ -z "$RUN_CMD" ]; then
	say "no tests for the $CLOCK clock"
	echo "0 0 0 0 none" > "$OUT/result"
	exit 0
fi
[ ${#RUN[@]} -gt 0 ] || [ $SHELL_MODE = 1 ] || [ -n "$RUN_CMD" ] || { say "no tests"; exit 1; }
[ -z "$RUN_CMD" ] || RUN=()

# hotpath_pkg.sh checks what make install and DKMS made on the host for this
# kernel; scripts/pkg.sh stages it (a failure shows in the test).
PKG_DIR=
for t in "${RUN[@]}"; do
	[ "$t" != hotpath_pkg.sh ] && continue
	PKG_DIR=$OUT/pkg
	say "staging make install, make deb and DKMS output for $t (log: $OUT/pkg.log)"
	"$TOP/scripts/pkg.sh" stage "$KVER" "$PKG_DIR" > "$OUT/pkg.log" 2>&1 ||
		say "staging failed, see $OUT/pkg.log"
done

HP_VM_PKG=$PKG_DIR HP_VM_CLOCK=$CLOCK HP_VM_RUN=$RUN_CMD "$TOP/selftests/vm/mkinitramfs.sh" "$KVER" "$IMAGE_DIR" "$KO" "$OUT/initramfs.cpio.gz" \
	"${RUN[@]}"

# --- boot --------------------------------------------------------------------
# panic=-1 with -no-reboot turns a panic into QEMU exiting (status 0, which is
# never a pass); oops=panic stops a run on the first oops rather than letting
# later tests hang on a broken kernel.  No "quiet": WARN splats print at
# KERN_WARNING and must reach the console log.
#
# tsc=reliable: QEMU derives every vCPU's TSC from one clock, so they are in
# step by construction, as a lab box's invariant TSC is; without it 6.1's
# sync check marks the TSC unstable ("TSCs unsynchronized") and every clock
# read the stages take becomes a system call on the HPET (6.12 keeps the TSC).
CMDLINE="console=ttyS0,115200 panic=-1 oops=panic loglevel=5 nokaslr tsc=reliable $APPEND"
QEMU=(qemu-system-x86_64 -machine q35 -accel tcg -cpu max -m 2048 -smp 2
      -nographic -no-reboot -nic none
      -kernel "$IMAGE_DIR/vmlinuz" -initrd "$OUT/initramfs.cpio.gz"
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
# Real NICs for the tests that run traffic over a real driver (lib.sh's
# hp_nic_pair): two igb (82576) wired back to back through QEMU hub 1 and two
# e1000e (82574) through hub 2, no host network behind either hub.  Each NIC
# sits behind its own PCIe root port (igb's VF functions collide otherwise).
# The MACs are fixed: 52:54:00:12:HUB:PORT, the port 1 end is "a".  The
# drivers are modules that nothing loads at boot (no udev, no uevent helper);
# hp_nic_pair modprobes them.  No option ROM (romfile=): nothing boots from
# them, and e1000e's iPXE ROM only costs boot time.
for nic in igb:1:1 igb:1:2 e1000e:2:1 e1000e:2:2; do
	IFS=: read -r model hub port <<<"$nic"
	QEMU+=(-device "pcie-root-port,id=hp-rp$hub$port,chassis=$hub$port"
	       -netdev "hubport,id=hp-$model-$port,hubid=$hub"
	       -device "$model,netdev=hp-$model-$port,bus=hp-rp$hub$port,mac=52:54:00:12:0$hub:0$port,romfile=")
done
# Under icount QEMU runs the vCPUs round-robin on one host thread; QEMU 7.2
# (Debian 12) hangs bringing up the second vCPU there, 10.0 (backports) boots.
[ "$CLOCK" = virtual ] && QEMU+=(-icount "shift=0,sleep=off")

if [ $SHELL_MODE = 1 ]; then
	say "interactive shell; leave with 'poweroff -f' (or Ctrl-a x)"
	exec "${QEMU[@]}" -serial mon:stdio -serial "file:$OUT/ktap.log" \
		-serial "file:$OUT/artefacts.log" \
		-append "$CMDLINE hp.shell"
fi

rm -f "$OUT/console.log" "$OUT/ktap.log" "$OUT/artefacts.log"
# The wall bound only catches a VM that stopped making progress (a test's
# own hang is the kselftest timeout's, a stuck task the hung-task panic's):
# 2400 s, or 80 s a test beyond 600 s for a long list, since a loaded host
# (make check LOAD=1) takes 6.1's 35 real-clock tests to 1965 s.
[ -n "$WALL" ] || WALL=$(( ${#RUN[@]} * 80 + 600 > 2400 ? ${#RUN[@]} * 80 + 600 : 2400 ))
say "booting $KVER with ${#RUN[@]} test(s): ${RUN[*]} (wall bound ${WALL}s)"
start=$(date +%s)
set +e
timeout -k 10 "$WALL" "${QEMU[@]}" -monitor none \
	-serial "file:$OUT/console.log" -serial "file:$OUT/ktap.log" \
	-serial "file:$OUT/artefacts.log" \
	-append "$CMDLINE" < /dev/null > "$OUT/qemu.log" 2>&1
qrc=$?
set -e
secs=$(( $(date +%s) - start ))
# The debug kernel has no X86_IOPL_IOPERM, so qemu-exit cannot reach
# isa-debug-exit and /init powers off instead (QEMU status 0, as for a
# panic).  Take init's verdict then, if the kernel did power down and did
# not panic.
if [ $DEBUG = 1 ] && [ $qrc = 0 ] &&
   grep -aq 'reboot: Power down' "$OUT/console.log" &&
   ! grep -aq 'Kernel panic' "$OUT/console.log"; then
	vrc=$(tr -d '\r' < "$OUT/ktap.log" | sed -n 's/^# hotpath-vm: done rc=\([0-9]*\).*/\1/p' | tail -n1)
	[ -z "$vrc" ] || qrc=$(( vrc == 0 ? 1 : 3 ))
fi

# Files the guest exported (hp_vm_export): base64 between marker lines.
if [ -s "$OUT/artefacts.log" ]; then
	mkdir -p "$OUT/artefacts"
	tr -d '\r' < "$OUT/artefacts.log" | awk -v dir="$OUT/artefacts" '
		/^=== hp-artefact end$/ { if (f != "") close(f); f = ""; next }
		/^=== hp-artefact [A-Za-z0-9._-]+$/ { f = dir "/" $3 ".b64"; printf "" > f; next }
		f != "" { print > f }'
	for b in "$OUT"/artefacts/*.b64; do
		[ -e "$b" ] || continue
		base64 -d < "$b" > "${b%.b64}" && rm -f "$b"
		say "artefact ${b%.b64}"
		if [ -n "$ARTEFACTS" ]; then
			mkdir -p "$ARTEFACTS"
			cp "${b%.b64}" "$ARTEFACTS/"
			say "  copied to $ARTEFACTS/$(basename "${b%.b64}")"
		fi
	done
fi

if [ -n "$RUN_CMD" ]; then
	tr -d '\r' < "$OUT/ktap.log" | grep -v '^# hotpath-vm:' || true
	rc=$(sed -n 's/^# hotpath-vm: done rc=\([0-9]*\).*/\1/p' "$OUT/ktap.log" | tail -n1)
	if grep -aqE 'BUG:|WARNING:|Oops|Kernel panic|Call Trace' "$OUT/console.log"; then
		say "kernel splat, see $OUT/console.log"
		rc=1
	fi
	say "'$RUN_CMD' exited ${rc:-?} after ${secs}s (QEMU status $qrc)"
	[ "${rc:-1}" = 0 ]
	exit
fi

# --- verdict -------------------------------------------------------------------
touch "$OUT/console.log" "$OUT/ktap.log"
tr -d '\r' < "$OUT/ktap.log" > "$OUT/ktap.txt"
KTAP=$OUT/ktap.txt
passed=$(grep -E '^ok [0-9]+ ' "$KTAP" | grep -vc '# SKIP' || true)
skipped=$(grep -E '^ok [0-9]+ .*# SKIP' "$KTAP" -c || true)
failed=$(grep -cE '^not ok [0-9]+ ' "$KTAP" || true)
plan=$(sed -n 's/^1\.\.\([0-9]\+\)$/\1/p' "$KTAP" | head -n1)
problems=()

[ $qrc = 124 ] || [ $qrc = 137 ] && problems+=("timeout after ${WALL}s")
[ $qrc = 1 ] || [ $qrc = 124 ] || [ $qrc = 137 ] ||
	problems+=("QEMU exit status $qrc (1 = guest reported pass, 3 = fail, 0 = panic/reset)")
if [ -z "$plan" ]; then
	problems+=("no KTAP plan")
	[ "$failed" -gt 0 ] || failed=1
fi
if [ -n "$plan" ] && [ $((passed + skipped + failed)) -ne "$plan" ]; then
	missing=$((plan - passed - skipped - failed))
	problems+=("KTAP plan 1..$plan but $((passed + skipped + failed)) results")
	failed=$((failed + missing))
fi
[ "$failed" -eq 0 ] || problems+=("$failed test(s) failed")
PAT='BUG:|WARNING:|Oops|Kernel panic|Call Trace|general protection fault|refcount_t:|list_(add|del) corruption|hung_task|soft lockup|rcu_.*stall|UBSAN:|unreferenced object|ODEBUG:|hotpath-vm: kmemleak'
if grep -aqE "$PAT" "$OUT/console.log"; then
	problems+=("kernel splat on the console")
	# The splat belongs to no test in particular: count it as one failure.
	[ "$failed" -gt 0 ] || failed=1
fi

echo
say "KTAP ($KTAP):"
awk '/^1\.\./ {print "  " $0}
     /^(ok|not ok) [0-9]+ / {if (l != "") print "  " l; l = $0; next}
     /^# hotpath-vm: took / {if (l != "") print "  " l "  [" $4 " s]"; l = ""}
     END {if (l != "") print "  " l}' "$KTAP"
if [ ${#problems[@]} -gt 0 ]; then
	say "FAILED: $(IFS=';'; echo "${problems[*]}")"
	if grep -aqE "$PAT" "$OUT/console.log"; then
		say "console excerpt ($OUT/console.log):"
		grep -anE -B5 -A40 "$PAT" "$OUT/console.log" | head -n 150 | sed 's/^/  /'
	else
		say "console tail ($OUT/console.log):"
		tail -n 40 "$OUT/console.log" | sed 's/^/  /'
	fi
	# Output of the failing tests.
	awk '/^# selftests: /{buf=""} {buf=buf "\n" $0} /^not ok [0-9]+ /{print buf}' "$KTAP" |
		tail -n 200 | sed 's/^/  /'
	status=fail
else
	status=pass
fi
say "$KVER: $passed passed, $failed failed, $skipped skipped; boot+test ${secs}s"
echo "$passed $failed $skipped $secs $status" > "$OUT/result"
[ $status = pass ]
