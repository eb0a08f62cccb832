#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TX push (issue 5), exact counter deltas on the sending port hp0:
# - push on, one-at-a-time ping-pong of N datagrams: every doorbell finds the
#   ring empty with one descriptor added (sfc efx_nic_may_push_tx_desc()),
#   so exactly N hits, 0 misses, and tx_fetch takes no time: every one of
#   its N samples is 0 ns (the PCIe round trip is gone; the stage keeps
#   its sample so that every TX stage counts each frame once);
# - push on, a burst of B datagrams reaching hp0's xmit within one BH
#   section (forwarded from another port's NAPI poll, so no TX completion is
#   reaped in between): 1 hit (empty ring) and B-1 misses (ring not empty:
#   the descriptors are fetched);
# - push off: neither hits nor misses, tx_fetch = pcie-rtt for every frame.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq hotpath

N=20
B=16
PORT=7101
SIZE=18
RTT=550
PP=$(hp_helper stages_pingpong)
XFER=$(hp_helper hp_xfer)

reset_both()
{
	run_cmd ip netns exec "$NS_A" hotpath reset "$DEV_A" &&
		run_cmd ip netns exec "$NS_B" hotpath reset "$DEV_B"
}

# pingpong COUNT: COUNT round trips hp0 -> hp1 -> hp0, one in flight
pingpong()
{
	local count=$1 rc

	ip netns exec "$NS_B" "$PP" server $PORT "$count" >"$TMP/server" 2>&1 &
	SERVER=$!
	busywait 5000 sh -c "$IP netns exec $NS_B ss -Hlun | grep -q ':$PORT '" >/dev/null
	run_cmd ip netns exec "$NS_A" "$PP" client "$IP4_B" $PORT "$count" $SIZE
	rc=$?
	wait $SERVER || rc=1
	echo "    server: $(cat "$TMP/server")"
	return $rc
}

# fwd_setup: hp2 in NS_S (10.0.1.1) routes to hp1 through hp3 (10.0.1.2),
# which sits in NS_A with hp0.  hp3 holds what it receives (busy-poll
# rx-mode, no poller, 1 s watchdog), then its one NAPI poll forwards it all
# out of hp0: a burst that reaches hp0's xmit within one BH section, so
# hp0's NAPI cannot reap a TX completion in between, whatever the timing.
NS_S=hp-$$-s
fwd_setup()
{
	hp_ns_add "$NS_S" || return 1
	hp_port_setup "$NS_S" hp2 10.0.1.1 "" || return 1
	hp_port_setup "$NS_A" hp3 10.0.1.2 "" || return 1
	busywait_eq 5000 1 hp_carrier "$NS_S" hp2 >/dev/null || return 1
	hp_quiet_link "$NS_S" hp2 "$(hp_mac "$NS_A" hp3)" 10.0.1.2 || return 1
	hp_quiet_link "$NS_A" hp3 "$(hp_mac "$NS_S" hp2)" 10.0.1.1 || return 1
	ip -n "$NS_S" route add 10.0.0.0/24 via 10.0.1.2 || return 1
	ip netns exec "$NS_A" sysctl -qw net.ipv4.ip_forward=1 || return 1
	ip netns exec "$NS_A" hotpath set hp3 timing accounted rx-mode busy-poll \
		busy-poll-fallback-us 1000000
}

# fwd_burst COUNT PAYLOAD: COUNT datagrams hp2 -> hp3 -> (forwarded) hp0 ->
# hp1 in one burst; the receiver verifies every one arrived intact
fwd_burst()
{
	local count=$1 size=$2 rc

	ip netns exec "$NS_B" "$XFER" udp-server $PORT "$count" 5000 >"$TMP/server" 2>&1 &
	SERVER=$!
	busywait 5000 sh -c "$IP netns exec $NS_B ss -Hlun | grep -q ':$PORT '" >/dev/null
	run_cmd ip netns exec "$NS_S" "$XFER" udp-client "$IP4_B" $PORT "$count" "$size"
	rc=$?
	wait $SERVER || rc=1
	echo "    server: $(tail -n 1 "$TMP/server")"
	return $rc
}

TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

hp_mod_load pairs=2 || hp_fail "insmod failed"
hp_pair_setup || hp_fail "pair setup failed"
hp_pair_quiet || hp_fail "quiet link setup failed"
fwd_setup || hp_fail "forwarding setup failed"
for d in "$NS_A $DEV_A" "$NS_B $DEV_B"; do
	set -- $d
	hp_set "$1" "$2" timing accounted pcie-rtt $RTT
done

##############################################################################
RET=0
hp_set "$NS_A" "$DEV_A" tx-push on
check_eq "$(ip netns exec "$NS_A" hotpath -j show "$DEV_A" | jq -r '.[0].tx_push')" true \
	"show tx_push"
reset_both
pingpong $N
check_err $? "ping-pong failed"
check_eq "$(hp_counter "$NS_A" "$DEV_A" tx_push_hits)" $N "tx_push_hits after $N ping-pongs"
check_eq "$(hp_counter "$NS_A" "$DEV_A" tx_push_misses)" 0 "tx_push_misses after $N ping-pongs"
check_eq "$(hp_counter "$NS_A" "$DEV_A" tx_packets)" $N "tx_packets"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch)" $N "tx_fetch count with push hits"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch sum_ns)" 0 "tx_fetch sum_ns with push hits"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch max_ns)" 0 "tx_fetch max_ns with push hits"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_doorbell)" $N "tx_doorbell count"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_dma)" $N "tx_dma count"
# the peer did not push
check_eq "$(hp_counter "$NS_B" "$DEV_B" tx_push_hits)" 0 "$DEV_B tx_push_hits (push off there)"
check_eq "$(hp_stage "$NS_B" "$DEV_B" tx_fetch min_ns)" $RTT "$DEV_B tx_fetch min_ns (push off)"
log_test "TX push: one-at-a-time ping-pong gives $N hits and no fetch time"

##############################################################################
RET=0
reset_both
fwd_burst $B $SIZE
check_err $? "burst failed"
check_eq "$(hp_counter "$NS_A" "$DEV_A" tx_push_hits)" 1 "tx_push_hits in a burst of $B"
check_eq "$(hp_counter "$NS_A" "$DEV_A" tx_push_misses)" $((B - 1)) "tx_push_misses in a burst of $B"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch)" $B "tx_fetch count"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch sum_ns)" $(((B - 1) * RTT)) \
	"tx_fetch sum_ns (only the $((B - 1)) misses fetch)"
check_eq "$(hp_counter "$NS_A" "$DEV_A" tx_packets)" $B "tx_packets (forwarded)"
log_test "TX push: a burst into a non-empty ring gives 1 hit, $((B - 1)) misses"

##############################################################################
RET=0
hp_set "$NS_A" "$DEV_A" tx-push off
reset_both
pingpong $N
check_err $? "ping-pong failed"
fwd_burst $B $SIZE
check_err $? "burst failed"
check_eq "$(hp_counter "$NS_A" "$DEV_A" tx_push_hits)" 0 "tx_push_hits with push off"
check_eq "$(hp_counter "$NS_A" "$DEV_A" tx_push_misses)" 0 "tx_push_misses with push off"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch)" $((N + B)) "tx_fetch count with push off"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch min_ns)" $RTT "tx_fetch min_ns with push off"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch max_ns)" $RTT "tx_fetch max_ns with push off"
log_test "TX push off: no hits, no misses, every frame fetched"

exit "$EXIT_STATUS"
