#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, then for each kernel build and run
# every kselftest in QEMU (selftests/vm/run.sh): one boot on the real clock
# (two parallel vCPUs: races) for most tests, a second on the virtual clock
# for those marked "# hp-vm-clock: virtual" (the lab and the quantitative
# end-to-end tests), after which the lab's HTML report is rendered in
# headless chromium on the host (selftests/vm/report_render.sh).  Ends
# with the line "N passed, N failed" summed over the kernels; exits non-zero
# on any failure.
#
#   scripts/check.sh [--kernels "6.1 6.12"] [--tests "NAME..."] [--repeat N]
#
# --repeat N runs the whole set N times in a row (a flake shows up as a
# failed run); the summary lists every run with its time.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
KERNELS="6.1 6.12"
TESTS=
REPEAT=1
while [ $# -gt 0 ]; do
	case $1 in
	--kernels) KERNELS=$2; shift 2 ;;
	--tests) TESTS=$2; shift 2 ;;
	--repeat) REPEAT=$2; shift 2 ;;
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
	while read -r series kver; do
		for clock in real virtual; do
			out=$TOP/build/vm/$kver
			[ $clock = real ] || out=$out-$clock
			res=$out/result
			rm -f "$res"
			echo "==== ${tag}kernel $kver ($series), $clock clock ===="
			"$TOP/selftests/vm/run.sh" --no-deps --kernel "$kver" --clock $clock --clock-filter \
				"${targs[@]}"
			if [ -f "$res" ]; then
				read -r p f s secs status < "$res"
			else
				p=0 f=1 s=0 secs=? status=error
			fi
			[ "$status" = none ] && continue
			# the lab test left its report: render it on the host
			if [ $clock = virtual ] && grep -q 'hotpath_lab.sh' "$out/ktap.txt" 2>/dev/null; then
				echo "==== $kver: the lab report in headless chromium ===="
				"$TOP/selftests/vm/report_render.sh" "$out/artefacts/report.html" |
					tee "$out/report_render.ktap"
				rk=$out/report_render.ktap
				p=$((p + $(grep '^ok ' "$rk" | grep -vc '# SKIP')))
				s=$((s + $(grep -c '^ok .*# SKIP' "$rk")))
				rf=$(grep -c '^not ok ' "$rk")
				grep -qE '^(not )?ok ' "$rk" || rf=1
				f=$((f + rf))
				[ "$rf" = 0 ] || status=fail
			fi
			total_pass=$((total_pass + p))
			total_fail=$((total_fail + f))
			total_skip=$((total_skip + s))
			summary+=("$(printf '%s%-24s %-7s %-5s %3s passed %3s failed %3s skipped  boot+test %ss' \
				"$tag" "$kver" "$clock" "$status" "$p" "$f" "$s" "$secs")")
		done
	done <<< "$resolved"
	[ "$REPEAT" = 1 ] || summary+=("${tag}took $(( $(date +%s) - run_start ))s")
done

echo
echo "==== summary ===="
printf '%s\n' "${summary[@]}"
[ "$total_skip" = 0 ] || echo "($total_skip skipped)"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
