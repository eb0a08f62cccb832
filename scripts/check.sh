#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, then for each kernel build and run
# every kselftest in QEMU (selftests/vm/run.sh): one boot on the real clock
# (two parallel vCPUs: races) for most tests, the kernels one after the
# other; then a boot on the virtual clock for those marked "# hp-vm-clock:
# virtual" (the lab and the quantitative end-to-end tests), both kernels
# side by side, after which the lab's HTML report is rendered in headless
# chromium on the host (selftests/vm/report_render.sh).  Ends
# with the line "N passed, N failed" summed over the kernels; exits non-zero
# on any failure.
#
#   scripts/check.sh [--kernels "6.1 6.12"] [--tests "NAME..."] [--repeat N] [--load]
#
# --repeat N runs the whole set N times in a row (a flake shows up as a
# failed run); the summary lists every run with its time.
# --load runs it all while a competing process keeps every host core busy
# (stress-ng --cpu NPROC at normal priority), as a shared CI machine may:
# the vCPUs then get about half the time they would, so a test that races
# its own background program, or bounds a time by the host's speed, fails
# here first.  The summary ends with every test's time per kernel and clock.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
KERNELS="6.1 6.12"
TESTS=
REPEAT=1
LOAD=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernels) KERNELS=$2; shift 2 ;;
	--tests) TESTS=$2; shift 2 ;;
	--repeat) REPEAT=$2; shift 2 ;;
	--load) LOAD=1; shift ;;
	*) echo "check.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

# shellcheck disable=SC2086
if ! resolved=$("$TOP/scripts/deps.sh" $KERNELS); then
	echo "check: installing dependencies failed"
	echo "0 passed, 1 failed"
	exit 1
fi

targs=()
for t in $TESTS; do
	targs+=(--test "$t")
done

case $REPEAT in
''|*[!0-9]*|0) echo "check: --repeat needs a positive number, not '$REPEAT'" >&2; exit 2 ;;
esac

# The competing load: its own process group, ended with this script.
LOAD_PID=
stop_load()
{
	[ -n "$LOAD_PID" ] || return 0
	kill -- -"$LOAD_PID" 2>/dev/null
	wait "$LOAD_PID" 2>/dev/null
	LOAD_PID=
}
if [ "$LOAD" = 1 ]; then
	command -v stress-ng > /dev/null || { echo "check: --load needs stress-ng"; exit 2; }
	setsid stress-ng --cpu "$(nproc)" --quiet > /dev/null 2>&1 &
	LOAD_PID=$!
	trap stop_load EXIT
	trap 'stop_load; exit 130' INT TERM
	echo "==== host load: stress-ng --cpu $(nproc) (pid $LOAD_PID) for the whole check ===="
fi

# Every test's wall time, from the "# hotpath-vm: took N s" line the VM's
# init writes after each result: TIME[test|lane], lanes in LANES's order.
declare -A TIME=()
LANES=()
TESTS_SEEN=()
record_times()
{
	local lane=$1 ktap=$2 t secs verdict

	[ -f "$ktap" ] || return 0
	LANES+=("$lane")
	while read -r t secs verdict; do
		[ -n "${TIME[$t|_]:-}" ] || { TESTS_SEEN+=("$t"); TIME[$t|_]=1; }
		TIME[$t|$lane]=$secs$verdict
	done < <(awk '/^(ok|not ok) [0-9]+ / {
			l = $0; sub(/ # .*/, "", l); n = split(l, w, " "); t = w[n]
			v = ($1 == "not") ? "!" : ""
			if ($0 ~ /# SKIP/) v = "s"
			next_t = 1; next }
		next_t && /^# hotpath-vm: took / { print t, $4, v; next_t = 0 }' "$ktap")
}

print_times()
{
	local t i v secs row sum col=() rows=()

	[ ${#LANES[@]} -gt 0 ] || return 0
	echo
	echo "==== per-test wall time, seconds (! failed, s skipped) ===="
	printf '%-30s' test
	printf ' %14s' "${LANES[@]}"
	echo
	# rows slowest first (by their sum over the lanes), then the lanes' totals
	for t in "${TESTS_SEEN[@]}"; do
		row=$(printf '%-30s' "$t")
		sum=0
		for i in "${!LANES[@]}"; do
			v=${TIME[$t|${LANES[i]}]:--}
			row+=$(printf ' %14s' "$v")
			secs=${v//[^0-9]/}
			sum=$((sum + ${secs:-0}))
			col[i]=$((${col[i]:-0} + ${secs:-0}))
		done
		rows+=("$sum $row")
	done
	printf '%s\n' "${rows[@]}" | sort -k1,1nr | cut -d' ' -f2-
	printf '%-30s' total
	printf ' %14s' "${col[@]}"
	echo
}

# report_check KTAP ARGS...: report_render.sh ARGS, its KTAP kept in KTAP
# and counted into lane_result's p, s, f and status
report_check()
{
	local rk=$1 rf

	shift
	"$TOP/selftests/vm/report_render.sh" "$@" | tee "$rk"
	p=$((p + $(grep '^ok ' "$rk" | grep -vc '# SKIP')))
	s=$((s + $(grep -c '^ok .*# SKIP' "$rk")))
	rf=$(grep -c '^not ok ' "$rk")
	grep -qE '^(not )?ok ' "$rk" || rf=1
	f=$((f + rf))
	[ "$rf" = 0 ] || status=fail
}

# lane_result SERIES KVER CLOCK: a finished lane's result counted and put in
# the summary (after the virtual lane with the lab, the lab's report
# rendered in headless chromium on the host)
lane_result()
{
	local series=$1 kver=$2 clock=$3 out res p f s secs status

	out=$TOP/build/vm/$kver
	[ "$clock" = real ] || out=$out-$clock
	res=$out/result
	if [ -f "$res" ]; then
		read -r p f s secs status < "$res"
	else
		p=0 f=1 s=0 secs='?' status=error
	fi
	[ "$status" = none ] && return 0
	if [ "$clock" = virtual ] && grep -q 'hotpath_lab.sh' "$out/ktap.txt" 2>/dev/null; then
		echo "==== $kver: the lab report in headless chromium ===="
		report_check "$out/report_render.ktap" "$out/artefacts/report.html"
	fi
	if [ "$clock" = virtual ] && grep -q '^ok .*hotpath_lab_nic.sh' "$out/ktap.txt" 2>/dev/null &&
		[ -s "$out/artefacts/nic-report.html" ]; then
		echo "==== $kver: the real pair's lab report in headless chromium ===="
		report_check "$out/report_render_nic.ktap" --nic "$out/artefacts/nic-report.html"
	fi
	record_times "$tag$series $clock" "$out/ktap.txt"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
	summary+=("$(printf '%s%-24s %-7s %-5s %3s passed %3s failed %3s skipped  boot+test %ss' \
		"$tag" "$kver" "$clock" "$status" "$p" "$f" "$s" "$secs")")
}

check_start=$(date +%s)
total_pass=0 total_fail=0 total_skip=0
summary=()
for ((run = 1; run <= REPEAT; run++)); do
	tag=
	[ "$REPEAT" = 1 ] || tag="run $run/$REPEAT "
	run_start=$(date +%s)
	# Host side (scripts/pkg.sh check): make deb, the packages' contents,
	# DKMS against every kernel's headers under build/.  Skipped when
	# --tests names only other tests.
	if [ -z "$TESTS" ] || [[ $TESTS == *pkg* ]]; then
		echo "==== ${tag}host: packages and DKMS ===="
		hstart=$(date +%s)
		rm -f "$TOP/build/pkg/result"
		# shellcheck disable=SC2046
		"$TOP/scripts/pkg.sh" check $(awk '{print $2}' <<< "$resolved")
		if [ -f "$TOP/build/pkg/result" ]; then
			read -r p f s < "$TOP/build/pkg/result"
		else
			p=0 f=1 s=0
		fi
		total_pass=$((total_pass + p))
		total_fail=$((total_fail + f))
		total_skip=$((total_skip + s))
		summary+=("$(printf '%s%-24s %-5s %3s passed %3s failed %3s skipped  host %ss' \
			"$tag" "host (packages)" "$([ "$f" = 0 ] && echo pass || echo fail)" "$p" "$f" "$s" \
			"$(($(date +%s) - hstart))")")
	fi
	# The real-clock lanes one after the other, alone on the host: they
	# measure and race on its time.  Then both kernels' virtual-clock
	# lanes side by side: under icount a VM runs its vCPUs on one host
	# thread and its results do not depend on the host's speed, so two of
	# them share the two cores at no cost to what they assert.
	while read -r series kver; do
		out=$TOP/build/vm/$kver
		rm -f "$out/result" "$out/ktap.txt"
		echo "==== ${tag}kernel $kver ($series), real clock ===="
		"$TOP/selftests/vm/run.sh" --no-deps --kernel "$kver" --clock real --clock-filter \
			"${targs[@]}"
		lane_result "$series" "$kver" real
	done <<< "$resolved"
	pids=()
	while read -r series kver; do
		out=$TOP/build/vm/$kver-virtual
		mkdir -p "$out"
		rm -f "$out/result" "$out/ktap.txt"
		echo "==== ${tag}kernel $kver ($series), virtual clock: started (log $out/lane.log) ===="
		"$TOP/selftests/vm/run.sh" --no-deps --kernel "$kver" --clock virtual --clock-filter \
			"${targs[@]}" < /dev/null > "$out/lane.log" 2>&1 &
		pids+=($!)
	done <<< "$resolved"
	for pid in "${pids[@]}"; do
		wait "$pid"
	done
	while read -r series kver; do
		echo "==== ${tag}kernel $kver ($series), virtual clock ===="
		cat "$TOP/build/vm/$kver-virtual/lane.log"
		lane_result "$series" "$kver" virtual
	done <<< "$resolved"
	[ "$REPEAT" = 1 ] || summary+=("${tag}took $(( $(date +%s) - run_start ))s")
done

print_times
echo
echo "==== summary ===="
printf '%s\n' "${summary[@]}"
[ "$LOAD" = 0 ] || echo "under load: stress-ng --cpu $(nproc); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "took $(( $(date +%s) - check_start )) s"
[ "$total_skip" = 0 ] || echo "($total_skip skipped)"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
