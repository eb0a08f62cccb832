#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, then for each kernel build and run
# every kselftest in QEMU (selftests/vm/run.sh).  Ends with the line
# "N passed, N failed" summed over the kernels; exits non-zero on any failure.
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
		res=$TOP/build/vm/$kver/result
		rm -f "$res"
		echo "==== ${tag}kernel $kver ($series) ===="
		"$TOP/selftests/vm/run.sh" --no-deps --kernel "$kver" "${targs[@]}"
		if [ -f "$res" ]; then
			read -r p f s secs status < "$res"
		else
			p=0 f=1 s=0 secs=? status=error
		fi
		total_pass=$((total_pass + p))
		total_fail=$((total_fail + f))
		total_skip=$((total_skip + s))
		summary+=("$(printf '%s%-24s %-5s %3s passed %3s failed %3s skipped  boot+test %ss' \
			"$tag" "$kver" "$status" "$p" "$f" "$s" "$secs")")
	done <<< "$resolved"
	[ "$REPEAT" = 1 ] || summary+=("${tag}took $(( $(date +%s) - run_start ))s")
done

echo
echo "==== summary ===="
printf '%s\n' "${summary[@]}"
[ "$total_skip" = 0 ] || echo "($total_skip skipped)"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
