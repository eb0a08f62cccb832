#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Dumps of 64 pairs (128 ports, several netlink messages) are complete, and
# stay complete while another process keeps changing settings: settings do
# not interrupt a dump (only port list and pair changes do, and the CLI
# retries those), so a busy writer cannot starve a reader.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd hotpath jq ethtool

PAIRS=64
PORTS=$((2 * PAIRS))
FLIP_PID=
TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

hp_defer hp_stop_bg FLIP_PID

# The names every dump must list: hp0 .. hp127.
expected_names()
{
	seq 0 $((PORTS - 1)) | sed 's/^/hp/' | sort | jq -R . | jq -s -c .
}

check_dumps()
{
	local what=$1 rounds=$2 want i names

	want=$(expected_names)
	for ((i = 0; i < rounds; i++)); do
		names=$(hotpath -j show 2>"$TMP/err" | jq -c 'map(.ifname) | sort')
		check_eq "$names" "$want" "$what: show dump $i" || sed 's/^/    stderr: /' "$TMP/err"
		names=$(hotpath -j stats 2>"$TMP/err" | jq -c 'map(.ifname) | sort')
		check_eq "$names" "$want" "$what: stats dump $i" || sed 's/^/    stderr: /' "$TMP/err"
		[ $RET -ne 0 ] && break
	done
}

test_dump()
{
	local nstages

	RET=0
	check_eq "$(hotpath -j show | jq length)" $PORTS "ports in one dump"
	check_dumps "idle" 3
	# as many stages as the module names: ethtool -S has a <stage>_mean_ns
	# per stage, from the module's own table, not from this dump
	nstages=$(ethtool -S hp0 | grep -c '_mean_ns:')
	check_err $(( nstages > 0 ? 0 : 1 )) "ethtool -S hp0 names no stage"
	check_eq "$(hotpath -j stats | jq -c '[.[].stages | length] | unique')" "[$nstages]" \
		"stages per port"
	log_test "dump of $PAIRS pairs is complete"
}

hotpath_rx_usecs()
{
	hotpath -j show "$1" | jq -r '.[0].coalesce.rx_usecs'
}

test_dump_under_changes()
{
	local n=0 push

	RET=0
	(
		while :; do
			if ((n % 2)); then push=on; else push=off; fi
			hotpath set hp5 rx-usecs $((n % 100)) tx-push $push >/dev/null 2>&1
			hotpath set hp77 ctpio-thresh $((n % 4000)) >/dev/null 2>&1
			n=$((n + 1))
		done
	) &
	FLIP_PID=$!
	# dump once the flipper changes settings (its second round sets
	# rx-usecs 1), and it must still run after the dumps: they overlapped
	busywait_ge 10000 1 hotpath_rx_usecs hp5 >/dev/null
	check_err $? "the flipper changed nothing"
	check_dumps "under changes" 20
	kill -0 "$FLIP_PID" 2>/dev/null
	check_err $? "the flipper died"
	hp_stop_bg FLIP_PID
	log_test "dump of $PAIRS pairs stays complete while settings change"
}

hp_mod_load pairs=$PAIRS || hp_fail "cannot load hotpath.ko pairs=$PAIRS"
busywait 20000 test -d /sys/class/net/hp$((PORTS - 1)) >/dev/null ||
	hp_fail "hp$((PORTS - 1)) did not appear"
test_dump
test_dump_under_changes
exit "$EXIT_STATUS"
