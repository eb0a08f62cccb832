#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What users read, compared to the letter: `hotpath show` and `hotpath stats`
# in text and JSON, `hotpath help`, and every error message (a bad key, a
# value out of range with the kernel's extack naming the attribute, EPERM,
# an unknown device, usage errors) with its exit status, against the files in
# selftests/golden/.  The port has fixed figures: freshly loaded, `timing
# accounted`, a few settings changed, down (no traffic), so every number is
# the module's own.  The ifindexes and the PHC index are the only figures the
# test does not choose; the golden files name them @HP0@, @HP1@, @PHC0@ and
# the test puts in the values sysfs and ethtool -T report, so nothing is
# masked.
#
# HP_GOLDEN_OUT=DIR writes the outputs to DIR instead of comparing (to
# update the files after a deliberate change of the output).
source "$(dirname "$0")/lib.sh"

require_root
require_cmd hotpath jq ethtool setpriv diff

GOLDEN=$(dirname "$0")/golden
WORK=$(mktemp -d)
hp_defer rm -rf "$WORK"
# the width of the stats bars when stdout is no terminal
export COLUMNS=100 NO_COLOR=1

unpriv()
{
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}

# golden NAME: compare $WORK/NAME with golden/NAME (placeholders filled in)
golden()
{
	local name=$1 want=$WORK/$1.want

	if [ -n "${HP_GOLDEN_OUT:-}" ]; then
		mkdir -p "$HP_GOLDEN_OUT"
		sed -E -e "s/(ifindex\"?:? )$HP0\b/\1@HP0@/g; s/(ifindex\"?:? )$HP1\b/\1@HP1@/g" \
		    -e "s/(ifindex\":)$HP0\b/\1@HP0@/g; s/(ifindex\":)$HP1\b/\1@HP1@/g" \
		    -e "s|/dev/ptp$PHC0\b|/dev/ptp@PHC0@|; s/\"phc_index\":$PHC0,/\"phc_index\":@PHC0@,/" \
			"$WORK/$name" > "$HP_GOLDEN_OUT/$name"
		return 0
	fi
	sed -e "s/@HP0@/$HP0/g; s/@HP1@/$HP1/g; s/@PHC0@/$PHC0/g" "$GOLDEN/$name" > "$want"
	diff -u "$want" "$WORK/$name"
	check_err $? "$name differs from golden/$name"
}

# transcript CMD...: the command, its output (stdout and stderr) and its
# exit status, appended to $WORK/errors.txt
transcript()
{
	local out rc

	out=$("$@" 2>&1)
	rc=$?
	printf '$ %s\n%s\n[exit %s]\n' "$*" "$out" "$rc" >> "$WORK/errors.txt"
}

setup()
{
	hp_mod_load >/dev/null || hp_fail "cannot load the module"
	run_cmd hotpath set hp0 timing accounted ctpio ct rx-usecs 7 tx-frames 3 \
		phc-drift-ppb -250 || hp_fail "cannot configure hp0"
	run_cmd hotpath set hp1 timing accounted || hp_fail "cannot configure hp1"
	# down: no frame moves, so every stage and counter stays at zero
	run_cmd ip link set hp0 down
	run_cmd ip link set hp1 down
	run_cmd hotpath reset hp0 || hp_fail "cannot reset hp0"
	HP0=$(cat /sys/class/net/hp0/ifindex)
	HP1=$(cat /sys/class/net/hp1/ifindex)
	PHC0=$(ethtool -T hp0 | sed -n 's/^PTP Hardware Clock: *//p')
	[[ $HP0 =~ ^[0-9]+$ && $HP1 =~ ^[0-9]+$ && $PHC0 =~ ^[0-9]+$ ]] ||
		hp_fail "ifindexes '$HP0' '$HP1' or PHC index '$PHC0' not read"
}

# test_text_json CMD: `hotpath CMD hp0` and `hotpath -j CMD hp0` against
# golden/CMD.txt and golden/CMD.json
test_text_json()
{
	local cmd=$1

	RET=0
	hotpath "$cmd" hp0 > "$WORK/$cmd.txt" 2>&1
	check_err $? "hotpath $cmd hp0 failed"
	golden "$cmd.txt"
	hotpath -j "$cmd" hp0 > "$WORK/$cmd.json" 2>&1
	check_err $? "hotpath -j $cmd hp0 failed"
	jq -e . "$WORK/$cmd.json" >/dev/null
	check_err $? "hotpath -j $cmd hp0 is no JSON"
	golden "$cmd.json"
	log_test "hotpath $cmd hp0, text and JSON, as in golden/"
}

test_help()
{
	RET=0
	hotpath help > "$WORK/help.txt" 2>&1
	check_err $? "hotpath help failed"
	golden help.txt
	log_test "hotpath help as in golden/"
}

test_errors()
{
	local before

	RET=0
	before=$(hotpath -j show)
	: > "$WORK/errors.txt"
	# parsed by the CLI: usage errors, exit 2
	transcript hotpath
	transcript hotpath bogus
	transcript hotpath --bogus
	transcript hotpath set hp0 bogus 1
	transcript hotpath set hp0 rx-usecs
	transcript hotpath set hp0 tx-push maybe
	transcript hotpath set hp0 rx-mode sometimes
	transcript hotpath set hp0 ctpio fast
	transcript hotpath set hp0 timing never
	transcript hotpath set hp0 profile fast
	transcript hotpath set hp0 pcie-rtt -5
	transcript hotpath set hp0 link-speed 3x
	transcript hotpath set hp0 phc-drift-ppb 1.5
	transcript hotpath set hp0 rx-frames 4294967296
	transcript hotpath stats hp0 --watch 0
	transcript hotpath show hp0 hp1
	transcript hotpath reset
	transcript hotpath monitor now
	# refused by the kernel: the extack names the attribute, exit 1
	transcript hotpath set hp0 rx-usecs 10001
	transcript hotpath set hp0 tx-usecs 99999
	transcript hotpath set hp0 rx-frames 100000
	transcript hotpath set hp0 ctpio-thresh 4093
	transcript hotpath set hp0 ctpio-max-frame 5000
	transcript hotpath set hp0 ctpio-underrun-ppm 1000001
	transcript hotpath set hp0 busy-poll-fallback-us 0
	transcript hotpath set hp0 desc 100001
	transcript hotpath set hp0 pcie-bw 999
	transcript hotpath set hp0 host-pio-bw 2000000
	transcript hotpath set hp0 link-speed 3g
	transcript hotpath set hp0 phc-drift-ppb 1000001
	transcript hotpath set hp0 rx-usecs 30 tx-usecs 99999
	# without CAP_NET_ADMIN
	transcript unpriv hotpath set hp0 rx-usecs 9
	transcript unpriv hotpath reset hp0
	# devices
	transcript hotpath show nosuchdev
	transcript hotpath stats nosuchdev
	transcript hotpath set nosuchdev rx-usecs 1
	transcript hotpath set lo rx-usecs 1
	transcript hotpath reset nosuchdev
	golden errors.txt
	check_eq "$(hotpath -j show)" "$before" "the ports after the refused requests"
	log_test "every error message and exit status as in golden/errors.txt, nothing changed"
}

setup
test_text_json show
test_text_json stats
test_help
test_errors
exit "$EXIT_STATUS"
