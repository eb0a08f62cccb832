#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CTPIO (issue 5), exact counter deltas:
# - for each mode (ct, sf, sf-np) on hp0 at 10G: the default max frame
#   (1518 in ct, else 500); qualifying frames (29 B, 142 B, exactly the max)
#   go by PIO (ctpio_success, no tx_fetch); a frame one byte over the max
#   counts ctpio_fallback_long, a 28 B raw frame ctpio_fallback_runt, and a
#   burst reaching hp0's xmit within one BH section (forwarded by another
#   port's NAPI poll, so no TX completion is reaped in between) 1 success
#   and the rest ctpio_fallback_busy; every datagram arrives;
# - underrun: ct at 25G with the default host PIO bandwidth (20 Gb/s)
#   poisons every frame longer than ctpio-thresh, the peer counts exactly as
#   many rx_crc_errors (hotpath counter and rtnl stats), and every datagram
#   still arrives (the fallback DMA copy); a frame that fits in the threshold
#   is complete before the wire starts and cannot underrun;
#   ctpio-underrun-ppm 1000000 poisons every frame in sf and ct and never in
#   sf-np; sf does not poison at 25G by itself;
# - tx_wire overlaps tx_dma in ct: with known figures (timing accounted) the
#   stages match the model and their sum exceeds the ct path
#   max(pio(len), pio(thresh) + wire(len)); in sf the path is their sum.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq hotpath

PORT=7102
MTU=2000
XFER=$(hp_helper hp_xfer)
SEND=$(hp_helper tech_send)

# udp COUNT PAYLOAD: COUNT datagrams hp0 -> hp1, each sent once the
# previous one's TX completion was reaped (so each finds the ring empty);
# the receiver verifies every one arrived intact and once
udp()
{
	local count=$1 size=$2 rc

	hp_bg SERVER "$TMP/server" "$NS_B" "$XFER" udp-server $PORT "$count" 3000
	hp_wait_listen "$NS_B" u $PORT
	run_cmd ip netns exec "$NS_A" "$SEND" udp "$IP4_B" $PORT "$count" "$size"
	rc=$?
	wait $SERVER || rc=1
	echo "    server: $(tail -n 1 "$TMP/server")"
	return $rc
}

# the namespace of hp2 for hp_fwd_setup/hp_fwd_burst (lib.sh)
NS_S=hp-$$-s
# raw COUNT LEN: COUNT raw frames of LEN bytes from hp0
raw()
{
	run_cmd ip netns exec "$NS_A" "$SEND" raw "$DEV_A" "$2" "$1"
}

# expect_ctpio WHAT SUCCESS POISONED BUSY LONG RUNT: hp0's CTPIO counters
expect_ctpio()
{
	local what=$1

	echo "    $DEV_A: $(ip netns exec "$NS_A" hotpath -j stats "$DEV_A" |
		jq -c '.[0].counters | with_entries(select(.key | startswith("ctpio")))')"
	check_eq "$(hp_counter "$NS_A" "$DEV_A" ctpio_success)" "$2" "$what: ctpio_success"
	check_eq "$(hp_counter "$NS_A" "$DEV_A" ctpio_poisoned)" "$3" "$what: ctpio_poisoned"
	check_eq "$(hp_counter "$NS_A" "$DEV_A" ctpio_fallback_busy)" "$4" "$what: ctpio_fallback_busy"
	check_eq "$(hp_counter "$NS_A" "$DEV_A" ctpio_fallback_long)" "$5" "$what: ctpio_fallback_long"
	check_eq "$(hp_counter "$NS_A" "$DEV_A" ctpio_fallback_runt)" "$6" "$what: ctpio_fallback_runt"
}

# expect_crc WHAT N: the peer dropped exactly N poisoned frames
expect_crc()
{
	check_eq "$(hp_counter "$NS_B" "$DEV_B" rx_crc_errors)" "$2" "$1: $DEV_B rx_crc_errors"
	check_eq "$(($(hp_stat "$NS_B" "$DEV_B" rx_crc_errors) - CRC0))" "$2" \
		"$1: $DEV_B rtnl rx_crc_errors delta"
}

# within ACTUAL EXPECTED WHAT: |actual - expected| <= expected / 32 + 1
within()
{
	awk -v a="$1" -v e="$2" 'BEGIN { d = a - e; if (d < 0) d = -d; exit !(d <= e / 32 + 1) }'
	check_err $? "$3: $1, model $2"
	echo "    $3: $1 (model $2)"
}

TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

hp_mod_load pairs=2 || hp_fail "insmod failed"
# before the ports go up, so the posted RX buffers are sized for it
run_cmd ip link set hp0 mtu $MTU && run_cmd ip link set hp1 mtu $MTU ||
	hp_fail "cannot set the MTU"
hp_pair_setup || hp_fail "pair setup failed"
hp_pair_quiet || hp_fail "quiet link setup failed"
hp_fwd_setup || hp_fail "forwarding setup failed"
for d in "$NS_A $DEV_A" "$NS_B $DEV_B"; do
	set -- $d
	hp_set "$1" "$2" timing accounted link-speed 10g
done

##############################################################################
# frame classes, per mode, at 10G

N=8
for mode in ct sf sf-np; do
	RET=0
	hp_set "$NS_A" "$DEV_A" ctpio $mode
	max=$(ip netns exec "$NS_A" hotpath -j show "$DEV_A" | jq -r '.[0].ctpio.max_frame')
	want=500
	[ $mode = ct ] && want=1518
	check_eq "$max" $want "$mode: default ctpio max_frame"
	max=${max:-$want}

	# qualifying: 142 B frames (UDP payload + 42 B of headers)
	hp_reset_both
	udp $N 100
	check_err $? "$mode: qualifying datagrams lost"
	expect_ctpio "$mode, $N x 142 B" $N 0 0 0 0
	check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch)" 0 "$mode: tx_fetch count (PIO, no fetch)"
	check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_dma)" $N "$mode: tx_dma count"
	check_eq "$(hp_counter "$NS_B" "$DEV_B" rx_packets)" $N "$mode: $DEV_B rx_packets"

	# exactly the max frame qualifies, one byte more falls back
	hp_reset_both
	udp $N $((max - 42))
	check_err $? "$mode: max-frame datagrams lost"
	udp $N $((max - 41))
	check_err $? "$mode: long datagrams lost"
	expect_ctpio "$mode, $N x $max B + $N x $((max + 1)) B" $N 0 0 $N 0
	check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch)" $N "$mode: tx_fetch count (long ones fetched)"

	# runts: shorter than 29 B; 29 B is the shortest CTPIO frame
	hp_reset_both
	raw $N 28
	check_err $? "$mode: raw send failed"
	raw $N 29
	check_err $? "$mode: raw send failed"
	expect_ctpio "$mode, $N x 28 B + $N x 29 B" $N 0 0 0 $N
	busywait_eq 5000 $((2 * N)) hp_counter "$NS_B" "$DEV_B" rx_packets >/dev/null
	check_err $? "$mode: $DEV_B rx_packets $(hp_counter "$NS_B" "$DEV_B" rx_packets), expected $((2 * N))"

	# ring busy: only the first of a burst finds it empty
	hp_reset_both
	hp_fwd_burst $N 100
	check_err $? "$mode: burst datagrams lost"
	expect_ctpio "$mode, burst of $N into a busy ring" 1 0 $((N - 1)) 0 0

	log_test "CTPIO $mode: success / long / runt / busy fallbacks at 10G"
done

##############################################################################
# underrun: poisoned frames, CRC errors at the peer, data still arrives

N=20
CRC0=$(hp_stat "$NS_B" "$DEV_B" rx_crc_errors)

RET=0
hp_set "$NS_A" "$DEV_A" ctpio ct link-speed 25g
hp_set "$NS_B" "$DEV_B" link-speed 25g
hp_reset_both
udp $N 100
check_err $? "ct at 25G: datagrams lost"
expect_ctpio "ct at 25G, $N x 142 B" 0 $N 0 0 0
expect_crc "ct at 25G" $N
check_eq "$(hp_counter "$NS_B" "$DEV_B" rx_packets)" $N "ct at 25G: $DEV_B rx_packets"
# the poisoned PIO send and the fallback DMA both went on the wire
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_wire)" $((2 * N)) "ct at 25G: tx_wire count"
check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch)" $N "ct at 25G: tx_fetch count (fallback DMA)"
log_test "CTPIO ct at 25G: every frame poisoned, $N CRC errors at the peer, all arrive"

RET=0
CRC0=$(hp_stat "$NS_B" "$DEV_B" rx_crc_errors)
hp_reset_both
udp $N 18
check_err $? "ct at 25G, 60 B: datagrams lost"
expect_ctpio "ct at 25G, $N x 60 B (within ctpio-thresh 64)" $N 0 0 0 0
expect_crc "ct at 25G, 60 B" 0
log_test "CTPIO ct at 25G: a frame within ctpio-thresh cannot underrun"

RET=0
CRC0=$(hp_stat "$NS_B" "$DEV_B" rx_crc_errors)
hp_set "$NS_A" "$DEV_A" ctpio sf
hp_reset_both
udp $N 100
check_err $? "sf at 25G: datagrams lost"
expect_ctpio "sf at 25G" $N 0 0 0 0
expect_crc "sf at 25G" 0
log_test "CTPIO sf at 25G: store-and-forward does not underrun by itself"

hp_set "$NS_A" "$DEV_A" link-speed 10g ctpio-underrun-ppm 1000000
hp_set "$NS_B" "$DEV_B" link-speed 10g
for mode in sf-np sf ct; do
	RET=0
	CRC0=$(hp_stat "$NS_B" "$DEV_B" rx_crc_errors)
	hp_set "$NS_A" "$DEV_A" ctpio $mode
	hp_reset_both
	udp $N 100
	check_err $? "$mode, underrun-ppm 1000000: datagrams lost"
	if [ $mode = sf-np ]; then
		expect_ctpio "$mode, underrun-ppm 1000000" $N 0 0 0 0
		expect_crc "$mode, underrun-ppm 1000000" 0
	else
		expect_ctpio "$mode, underrun-ppm 1000000" 0 $N 0 0 0
		expect_crc "$mode, underrun-ppm 1000000" $N
	fi
	check_eq "$(hp_counter "$NS_B" "$DEV_B" rx_packets)" $N "$mode: $DEV_B rx_packets"
	log_test "CTPIO $mode with ctpio-underrun-ppm 1000000: $([ $mode = sf-np ] &&
		echo never poisons || echo poisons every frame)"
done
hp_set "$NS_A" "$DEV_A" ctpio-underrun-ppm 0

##############################################################################
# tx_dma and tx_wire overlap in ct, not in sf

LEN=500			# frame without FCS: payload 458
DESC=40
PIO=20000		# Mb/s
PHY=80
THRESH=64
hp_set "$NS_A" "$DEV_A" link-speed 10g desc $DESC host-pio-bw $PIO phy $PHY ctpio-thresh $THRESH
# ns: pio(len) = desc + len * 8 / pio; wire = (max(len + 4, 64) + 20) * 8 / 10 + phy
pio=$(awk -v l=$LEN -v d=$DESC -v b=$PIO 'BEGIN { printf "%.1f", d + l * 8000 / b }')
pio_th=$(awk -v l=$THRESH -v d=$DESC -v b=$PIO 'BEGIN { printf "%.1f", d + l * 8000 / b }')
wire=$(awk -v l=$LEN -v p=$PHY 'BEGIN { s = l + 4; if (s < 64) s = 64; printf "%.1f", (s + 20) * 0.8 + p }')
ct_path=$(awk -v a="$pio" -v t="$pio_th" -v w="$wire" 'BEGIN { b = t + w; printf "%.1f", (a > b ? a : b) }')
sf_path=$(awk -v a="$pio" -v w="$wire" 'BEGIN { printf "%.1f", a + w }')
echo "    model: pio $pio ns, pio(thresh) $pio_th ns, wire $wire ns; path ct $ct_path ns, sf $sf_path ns"

for mode in ct sf; do
	RET=0
	hp_set "$NS_A" "$DEV_A" ctpio $mode
	hp_reset_both
	udp $N $((LEN - 42))
	check_err $? "$mode: datagrams lost"
	expect_ctpio "$mode, $N x $LEN B" $N 0 0 0 0
	dma=$(hp_stage "$NS_A" "$DEV_A" tx_dma mean_ns)
	w=$(hp_stage "$NS_A" "$DEV_A" tx_wire mean_ns)
	within "$dma" "$pio" "$mode: tx_dma mean (PIO write)"
	within "$w" "$wire" "$mode: tx_wire mean"
	sum=$((dma + w))
	if [ $mode = ct ]; then
		awk -v s=$sum -v p="$ct_path" 'BEGIN { exit !(s > p + p / 32 + 1) }'
		check_err $? "ct: tx_dma + tx_wire = $sum ns does not exceed the ct path $ct_path ns"
		log_test "CTPIO ct: tx_dma + tx_wire ($sum ns) > path ($ct_path ns): they overlap"
	else
		within "$sum" "$sf_path" "sf: tx_dma + tx_wire vs the sf path"
		log_test "CTPIO sf: tx_dma + tx_wire ($sum ns) = path ($sf_path ns): no overlap"
	fi
done

exit "$EXIT_STATUS"
