#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Adaptive interrupt moderation (lib/dim) on hp ports: adaptive-rx and
# adaptive-tx, set with hotpath and ethtool -C, read back by both; and
# DIM's moves, counted and traced.  What makes a move certain: DIM starts
# at its default profile (1 of 0..4: 8 us) with no previous measurement;
# its first complete measurement (64 of the vector's interrupts after the
# sample that starts it) compares better than none, so it leaves the top
# and steps (net_dim_exit_parking), to profile 0 (1 us): one move.  Every
# case below raises each frame's interrupt on its own, so N frames are N
# interrupts, N - 1 >= 64:
# - a one-at-a-time ping-pong hp0 -> hp1, echoed back over hp2 -> hp3 so
#   that hp1 never transmits (a TX completion would run hp1's NAPI, shared
#   by both vectors, and could pick a request up before its interrupt):
#   hp1's RX vector fires once per request, with adaptive-rx on hp1;
# - a paced one-way stream hp0 -> hp1 (each send waits until its TX
#   completion was reaped, hp1 never sends): hp0's TX vector fires once per
#   frame, with adaptive-tx on hp0.
# Off, the same traffic moves nothing.  While on, every RX interrupt waits
# for DIM's timer (1 or 8 us, counted from the frame): rx_irq's minimum is
# at least 1 us, the latency a ping-pong pays on a NIC that ships with it.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq hotpath ethtool taskset

N=100
PORT=7104
SIZE=18
TRACEFS=/sys/kernel/tracing
PP=$(hp_helper stages_pingpong)
XFER=$(hp_helper hp_xfer)
SEND=$(hp_helper tech_send)
TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

hp_mod_load pairs=2 || hp_fail "insmod failed"
hp_pair_setup || hp_fail "pair setup failed"
hp_pair_quiet || hp_fail "quiet link setup failed"
# replies from NS_B to hp0's address take hp2 -> hp3
hp_echo_path hp2 hp3 10.0.2 || hp_fail "echo path hp2 -> hp3"
for d in "$NS_A $DEV_A" "$NS_B $DEV_B"; do
	set -- $d
	hp_set "$1" "$2" timing accounted
done

# adaptive NS DEV: "rx tx" as hotpath show -j says them
adaptive()
{
	ip netns exec "$1" hotpath -j show "$2" |
		jq -r '.[0].coalesce | "\(.adaptive_rx) \(.adaptive_tx)"'
}

# ethtool_adaptive NS DEV: "rx tx" as ethtool -c says them
ethtool_adaptive()
{
	ip netns exec "$1" ethtool -c "$2" |
		sed -n 's/^Adaptive RX: *\([a-z]*\) *TX: *\([a-z]*\).*/\1 \2/p'
}

##############################################################################
# the switches: hotpath and ethtool -C set them, both read them back

RET=0
check_eq "$(adaptive "$NS_B" "$DEV_B")" "false false" "default adaptive rx/tx in show"
check_eq "$(ethtool_adaptive "$NS_B" "$DEV_B")" "off off" "default in ethtool -c"
run_cmd ip netns exec "$NS_B" ethtool -C "$DEV_B" adaptive-rx on ||
	check_err 1 "ethtool -C adaptive-rx on"
check_eq "$(adaptive "$NS_B" "$DEV_B")" "true false" "show after ethtool -C adaptive-rx on"
hp_set "$NS_B" "$DEV_B" adaptive-tx on
check_eq "$(ethtool_adaptive "$NS_B" "$DEV_B")" "on on" "ethtool -c after hotpath set adaptive-tx on"
hp_set "$NS_B" "$DEV_B" adaptive-rx off adaptive-tx off
check_eq "$(ethtool_adaptive "$NS_B" "$DEV_B")" "off off" "ethtool -c after both off"
# a bad value: refused by the CLI naming the key, nothing changed
out=$(ip netns exec "$NS_B" hotpath set "$DEV_B" rx-usecs 7 adaptive-rx maybe 2>&1)
rc=$?
echo "    $out"
check_fail $rc "adaptive-rx maybe accepted"
[[ $out == *adaptive-rx* ]]
check_err $? "the error does not name adaptive-rx: $out"
check_eq "$(ip netns exec "$NS_B" hotpath -j show "$DEV_B" | jq '.[0].coalesce.rx_usecs')" 0 \
	"rx-usecs after the refused request"
log_test "adaptive-rx/-tx: hotpath and ethtool -C set them, both read them back"

##############################################################################
# adaptive-rx: the ping-pong's RX interrupts on hp1 make DIM move

[ -d $TRACEFS/events/hotpath ] || mount -t tracefs nodev $TRACEFS 2>/dev/null
RET=0
IFX_B=$(ip netns exec "$NS_B" cat /sys/class/net/$DEV_B/ifindex)
hp_set "$NS_B" "$DEV_B" adaptive-rx on
echo 0 >$TRACEFS/tracing_on
echo >$TRACEFS/trace
echo 1 >$TRACEFS/events/hotpath/dim_rx_moves/enable
hp_defer sh -c "echo 0 > $TRACEFS/events/hotpath/dim_rx_moves/enable"
hp_reset_both
echo 1 >$TRACEFS/tracing_on
hp_pingpong $N $SIZE
check_err $? "ping-pong failed"
echo 0 >$TRACEFS/tracing_on
irqs=$(hp_counter "$NS_B" "$DEV_B" interrupts)
moves=$(hp_counter "$NS_B" "$DEV_B" dim_rx_moves)
min=$(hp_stage "$NS_B" "$DEV_B" rx_irq min_ns)
events=$(grep -c " dim_rx_moves: ifindex=$IFX_B " $TRACEFS/trace)
echo "    $DEV_B: $irqs interrupts, $moves DIM moves ($events events), rx_irq min $min ns"
check_eq "$irqs" $N "$DEV_B interrupts (one per request)"
[ "${moves:-0}" -ge 1 ]
check_err $? "$DEV_B dim_rx_moves $moves after $N interrupts"
check_eq "$events" "$moves" "hotpath:dim_rx_moves events"
check_eq "$(hp_counter "$NS_B" "$DEV_B" dim_tx_moves)" 0 "$DEV_B dim_tx_moves (adaptive-tx off)"
check_eq "$(hp_counter "$NS_B" "$DEV_B" tx_packets)" 0 "$DEV_B tx_packets (echo over hp2)"
[ "${min:-0}" -ge 1000 ]
check_err $? "rx_irq min $min ns: a frame did not wait for DIM's timer (>= 1 us)"
log_test "adaptive-rx: $N lone frames, DIM moved the RX vector, every frame waited its timer"

RET=0
hp_set "$NS_B" "$DEV_B" adaptive-rx off
hp_reset_both
hp_pingpong $N $SIZE
check_err $? "ping-pong failed"
check_eq "$(hp_counter "$NS_B" "$DEV_B" dim_rx_moves)" 0 "$DEV_B dim_rx_moves with adaptive-rx off"
check_eq "$(hp_counter "$NS_B" "$DEV_B" interrupts)" $N "$DEV_B interrupts"
log_test "adaptive-rx off: the same ping-pong moves nothing"

##############################################################################
# adaptive-tx: a paced stream's TX completion interrupts on hp0

RET=0
hp_set "$NS_A" "$DEV_A" adaptive-tx on
hp_reset_both
hp_bg SERVER "$TMP/server" "$NS_B" "$XFER" udp-server $PORT $N 5000
hp_wait_listen "$NS_B" u $PORT
run_cmd ip netns exec "$NS_A" taskset -c 0 "$SEND" udp "$IP4_B" $PORT $N $SIZE
check_err $? "paced stream failed"
wait $SERVER
check_err $? "server: $(tail -n 1 "$TMP/server")"
irqs=$(hp_counter "$NS_A" "$DEV_A" tx_interrupts)
moves=$(hp_counter "$NS_A" "$DEV_A" dim_tx_moves)
echo "    $DEV_A: $irqs TX interrupts, $moves DIM moves"
check_eq "$irqs" $N "$DEV_A tx_interrupts (one per paced frame)"
[ "${moves:-0}" -ge 1 ]
check_err $? "$DEV_A dim_tx_moves $moves after $N TX interrupts"
check_eq "$(hp_counter "$NS_B" "$DEV_B" tx_packets)" 0 "$DEV_B tx_packets (one way)"
hp_set "$NS_A" "$DEV_A" adaptive-tx off
log_test "adaptive-tx: $N paced frames, DIM moved the TX vector"

exit "$EXIT_STATUS"
