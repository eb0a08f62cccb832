#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `hotpath monitor` prints every configuration change, whoever made it:
# ethtool -C, ethtool -G and `hotpath set`; -j prints one JSON object per
# change.  Changes in another namespace are not announced here.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd hotpath jq ethtool

MON_OUT=$(mktemp)
MON_PID=
hp_defer rm -f "$MON_OUT"

hp_defer hp_stop_bg MON_PID

# mon_start [ARGS...]: start the monitor and wait until it is subscribed
# (a change it reports), without sleeping.
mon_start()
{
	local i=0

	: >"$MON_OUT"
	hotpath "$@" monitor >"$MON_OUT" 2>&1 &
	MON_PID=$!
	busywait 10000 _mon_primed >/dev/null
}

_mon_primed()
{
	# alternate busy-poll-fallback-us until one change shows up
	hotpath set hp0 busy-poll-fallback-us $((RANDOM % 1000 + 1)) >/dev/null 2>&1
	[ -s "$MON_OUT" ]
}

mon_has()
{
	grep -q -- "$1" "$MON_OUT"
}

test_monitor_plain()
{
	RET=0
	mon_start
	check_err $? "monitor did not report the priming change"

	run_cmd ethtool -C hp0 rx-usecs 77
	busywait 5000 mon_has "^hp0: .*rx-usecs 77 " >/dev/null
	check_err $? "monitor missed ethtool -C rx-usecs 77"

	run_cmd hotpath set hp0 tx-usecs 88 ctpio ct
	busywait 5000 mon_has "^hp0: .*ctpio ct .*tx-usecs 88 " >/dev/null
	check_err $? "monitor missed hotpath set tx-usecs 88 ctpio ct"

	run_cmd ethtool -G hp0 tx-push on
	busywait 5000 mon_has "^hp0: .*tx-push on " >/dev/null
	check_err $? "monitor missed ethtool -G tx-push on"
	hp_stop_bg MON_PID
	sed 's/^/    /' "$MON_OUT"
	log_test "monitor prints changes from ethtool -C/-G and hotpath set"
}

test_monitor_json()
{
	RET=0
	mon_start -j
	check_err $? "monitor -j did not report the priming change"

	run_cmd ethtool -C hp0 rx-frames 9
	busywait 5000 mon_has '"rx_frames":9' >/dev/null
	check_err $? "monitor -j missed ethtool -C rx-frames 9"
	run_cmd hotpath set hp0 link-speed 25g
	busywait 5000 mon_has '"link_mbps":25000' >/dev/null
	check_err $? "monitor -j missed hotpath set link-speed 25g"
	hp_stop_bg MON_PID
	sed 's/^/    /' "$MON_OUT"
	jq -e -s 'length >= 3 and all(.[]; .ifname == "hp0" and has("coalesce") and has("model"))' \
		"$MON_OUT" >/dev/null
	check_err $? "monitor -j lines are not one port object each"
	check_eq "$(tail -n 1 "$MON_OUT" | jq -r '.model.link_mbps')" 25000 "last object"
	log_test "monitor -j prints one JSON object per change"
}

test_monitor_netns()
{
	local ns=hp-$$-mon lines

	RET=0
	hp_ns_add "$ns" || return
	run_cmd ip link set hp1 netns "$ns"
	mon_start
	lines=$(grep -c . "$MON_OUT")
	run_cmd ip netns exec "$ns" hotpath set hp1 rx-usecs 31
	# a marker change here, after the one in the other namespace
	run_cmd hotpath set hp0 rx-usecs 32
	busywait 5000 mon_has "rx-usecs 32 " >/dev/null
	check_err $? "monitor missed the marker change"
	hp_stop_bg MON_PID
	sed 's/^/    /' "$MON_OUT"
	! mon_has "^hp1:"
	check_err $? "monitor saw a change of a port in another namespace"
	log_test "monitor announces only the changes of its namespace"
}

hp_mod_load || hp_fail "cannot load hotpath.ko"
test_monitor_plain
test_monitor_json
test_monitor_netns
exit "$EXIT_STATUS"
