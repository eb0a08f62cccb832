#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Modelled stages equal the hardware model, and the stages add up (issue 4):
# - timing accounted, known link speed, frame length and PCIe figures:
#   tx_wire, tx_fetch, tx_doorbell, rx_dma means (and p50s) match the
#   formula within the histogram's bound (1/32);
# - for the same datagrams, the application's one-way latency (sender and
#   receiver share CLOCK_MONOTONIC) and the sum of the stage means of that
#   direction agree within 20%.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq hotpath

PORT=7002
PP=$(hp_helper stages_pingpong)

# within ACTUAL EXPECTED PERMILLE WHAT: |actual - expected| <= expected * permille / 1000
within()
{
	local actual=$1 expected=$2 pm=$3 what=$4

	awk -v a="$actual" -v e="$expected" -v p="$pm" \
		'BEGIN { d = a - e; if (d < 0) d = -d; exit !(d <= e * p / 1000) }'
	check_err $? "$what: $actual, expected $expected within $pm permille"
	echo "    $what: $actual (model $expected)"
}

TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

hp_mod_load pairs=1 || hp_fail "insmod failed"
hp_pair_setup || hp_fail "pair setup failed"
hp_pair_quiet || hp_fail "quiet link setup failed"
HOTPATH=$(command -v hotpath)
RESET_CMD="$IP netns exec $NS_A $HOTPATH reset $DEV_A && $IP netns exec $NS_B $HOTPATH reset $DEV_B"

##############################################################################
# modelled stages against the formula

PHY=80
DOORBELL=60
RTT=300
RXDMA=200
for d in "$NS_A $DEV_A" "$NS_B $DEV_B"; do
	set -- $d
	hp_set "$1" "$2" timing accounted link-speed 10g phy $PHY doorbell $DOORBELL \
		pcie-rtt $RTT rx-dma $RXDMA
done

# UDP payload -> frame without FCS: 14 + 20 + 8 + payload
for size in 18 1000; do
	frame=$((42 + size))
	hp_pingpong 20 $size 0 0 1 "$RESET_CMD"
	check_err $? "ping-pong failed"
	# slot: max(frame + FCS, 64) + preamble/SFD + IFG = 20, at 10 bit/ns
	slot=$(( frame + 4 > 64 ? frame + 4 : 64 ))
	wire=$(awk -v s=$slot -v p=$PHY 'BEGIN { printf "%.1f", (s + 20) * 8 / 10 + p }')
	for f in mean_ns p50_ns; do
		within "$(hp_stage "$NS_A" "$DEV_A" tx_wire $f)" "$wire" 32 "tx_wire $f, $frame B frame"
		within "$(hp_stage "$NS_A" "$DEV_A" tx_fetch $f)" $RTT 32 "tx_fetch $f"
		within "$(hp_stage "$NS_A" "$DEV_A" tx_doorbell $f)" $DOORBELL 32 "tx_doorbell $f"
	done
	check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_wire)" 20 "tx_wire count"
done
log_test "modelled stages match the model (timing accounted, 10G)"

##############################################################################
# the stages add up to the application's one-way latency

for d in "$NS_A $DEV_A" "$NS_B $DEV_B"; do
	set -- $d
	hp_set "$1" "$2" timing enforced probes on
done
N=200
hp_pingpong $N 18 0 0 1 "$RESET_CMD"
check_err $? "ping-pong failed"
oneway=$(sed -n 's/.*oneway_mean_ns=\([0-9]*\).*/\1/p' "$TMP/server")
sum=0
for s in tx_stack tx_qdisc tx_desc tx_doorbell tx_fetch tx_dma tx_wire; do
	m=$(hp_stage "$NS_A" "$DEV_A" $s mean_ns)
	echo "    $DEV_A $s mean $m"
	sum=$((sum + m))
done
for s in rx_dma rx_irq rx_napi rx_busy_poll rx_stack rx_wakeup; do
	m=$(hp_stage "$NS_B" "$DEV_B" $s mean_ns)
	echo "    $DEV_B $s mean $m"
	sum=$((sum + m))
done
within "$sum" "$oneway" 200 "sum of $DEV_A->$DEV_B stage means vs application one-way"
log_test "stage means add up to the one-way latency within 20%"

exit "$EXIT_STATUS"
