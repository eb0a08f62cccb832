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

# the namespace of hp2 for hp_fwd_setup/hp_fwd_burst (lib.sh)
NS_S=hp-$$-s
TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

hp_mod_load pairs=2 || hp_fail "insmod failed"
hp_pair_setup || hp_fail "pair setup failed"
hp_pair_quiet || hp_fail "quiet link setup failed"
hp_fwd_setup || hp_fail "forwarding setup failed"
for d in "$NS_A $DEV_A" "$NS_B $DEV_B"; do
	set -- $d
	hp_set "$1" "$2" timing accounted pcie-rtt $RTT
done

##############################################################################
RET=0
hp_set "$NS_A" "$DEV_A" tx-push on
check_eq "$(ip netns exec "$NS_A" hotpath -j show "$DEV_A" | jq -r '.[0].tx_push')" true \
	"show tx_push"
hp_reset_both
hp_pingpong $N $SIZE
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
hp_reset_both
hp_fwd_burst $B $SIZE
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
hp_reset_both
hp_pingpong $N $SIZE
check_err $? "ping-pong failed"
hp_fwd_burst $B $SIZE
check_err $? "burst failed"
check_eq "$(hp_counter "$NS_A" "$DEV_A" tx_push_hits)" 0 "tx_push_hits with push off"
check_eq "$(hp_counter "$NS_A" "$DEV_A" tx_push_misses)" 0 "tx_push_misses with push off"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch)" $((N + B)) "tx_fetch count with push off"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch min_ns)" $RTT "tx_fetch min_ns with push off"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch max_ns)" $RTT "tx_fetch max_ns with push off"
log_test "TX push off: no hits, no misses, every frame fetched"

exit "$EXIT_STATUS"
