#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hotpath-bench --af-xdp over a hotpath pair: hp0 in one namespace (the
# client), hp1 in another (the echo end, a thread of the same process), both
# links quiet (no IPv6, pinned neighbours), so every frame on the link is
# the tool's own.  For each bind mode, N measured pings after W warm-up ones:
#  - the JSON carries every documented key, count N, no loss, N RTT and N
#    one-way samples, each one-way sample below its RTT (so p50 too), and
#    the bind the kernel granted: zero-copy, copy, copy;
#  - the ports saw exactly W + N frames each way, on the path the mode
#    takes: zero-copy through the UMEM pool (xsk_tx_packets, xsk_rx_packets
#    and the bypass path's stages xsk_tx, xdp_prog, xsk_rx; the stack's tx_desc and
#    rx_stack not once), copy through native XDP's redirect (xdp_redirect,
#    no xsk_* counter), skb through generic XDP (no driver XDP counter);
#  - the tool detaches its programs: no XDP program is left on either port.
# Then for each mode a stream of SN frames after SW warm-up ones:
#  - the JSON has the UDP stream's keys (stream.sent/received/dropped,
#    pps_sent, pps_received) and af_xdp; SN sent, no send error, one
#    one-way sample per received frame, received + dropped = SN;
#  - the client's port sent all SW + SN (the tool waits for every TX
#    completion), on the mode's path (zero-copy: xsk_tx_packets, xsk_tx);
#  - every frame sent is received by the echo end or counted as a drop:
#    at the receiving port's NIC (rx_ring_drops, xsk_fill_empty_drops), at
#    its XDP redirect (xdp_redirect_errors, native modes) or at the socket
#    (XDP_STATISTICS rx_dropped + rx_ring_full, skb mode); what the echo end
#    received is exactly what the mode's hand-off counted (xsk_rx_packets,
#    xdp_redirect, rx_packets less the socket's drops).
source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq ethtool

BENCH=$(command -v hotpath-bench || echo "$HP_TOP/tools/bench/hotpath-bench")
[ -x "$BENCH" ] || hp_skip "hotpath-bench not found (make -C tools/bench)"

N=200
W=10
T=$((N + W))
SN=3000
SW=10
ST=$((SN + SW))

hp_require_module
hp_pair_setup hp0 hp1 || hp_fail "hp0/hp1 namespace setup failed"
hp_pair_quiet || hp_fail "quiet links"
hp_wait_quiet "$NS_A" hp0 || hp_fail "hp0 never went quiet"

WATCH="xsk_tx_packets xsk_rx_packets xsk_tx_count xsk_rx_count xdp_prog_count tx_desc_count
	rx_stack_count xdp_redirect xdp_redirect_errors rx_ring_drops xsk_fill_empty_drops tx_packets rx_packets"

# snap VAR: every watched counter of both ports (ethtool -S; a stage's
# count is STAGE_count) into the associative array VAR, one read per port
snap()
{
	local -n out=$1
	local n s p k ns dev

	for p in "a:$NS_A:hp0" "b:$NS_B:hp1"; do
		IFS=: read -r k ns dev <<<"$p"
		s=$(ip netns exec "$ns" ethtool -S "$dev")
		for n in $WATCH; do
			out["$k.$n"]=$(awk -v n="$n" -F: '{gsub(/^[ \t]+/, "", $1)}
				$1 == n {gsub(/[ \t]/, "", $2); print $2; exit}' <<<"$s")
		done
		# the NIC's receive count (whatever XDP did next): the device's stats
		out["$k.nic_rx"]=$(ip netns exec "$ns" cat "/sys/class/net/$dev/statistics/rx_packets")
	done
}

# moved PORT NAME WANT: the counter's delta between the two snapshots
moved()
{
	local key=$1.$2 want=$3 d

	d=$((after[$key] - before[$key]))
	check_eq "$d" "$want" "$1 ($([ "$1" = a ] && echo hp0 || echo hp1)) $2 delta"
}

run_mode()
{
	local mode=$1 bind=$2 xmode=$3 out miss cnt lost rc oc below req got xm
	declare -gA before=() after=()

	RET=0
	snap before
	echo "COMMAND: ip netns exec $NS_A $BENCH client $IP4_B --af-xdp $mode --dev hp0" \
		"--server-dev hp1 --server-netns $NS_B --count $N --warmup $W --timeout 10000 --json"
	out=$(ip netns exec "$NS_A" timeout 120 "$BENCH" client "$IP4_B" --af-xdp "$mode" \
		--dev hp0 --server-dev hp1 --server-netns "$NS_B" --count "$N" --warmup "$W" \
		--timeout 10000 --json 2>&1)
	check_err $? "hotpath-bench --af-xdp $mode failed"
	echo "$out" | cut -c1-400 | sed 's/^/    /'
	snap after

	# one jq run (each costs a noticeable time under TCG): the keys missing
	# (after "missing:", so that the field is never empty), then the figures
	IFS=$'\t' read -r miss cnt lost rc oc below req got xm < <(jq -r '[
		"missing:" + ([["mode", "size", "count", "lost", "warmup", "busy_poll_us", "prefer_busy_poll",
		   "duration_ns", "send_errors", "one_way_direction", "rtt", "one_way", "cpu",
		   "stream", "histogram", "af_xdp"][] as $k | select(has($k) | not) | $k] +
		 [("rtt", "one_way") as $o | ["count", "min_ns", "p50_ns", "p90_ns", "p99_ns",
		   "p999_ns", "max_ns", "mean_ns"][] as $k |
		   select(.[$o] | has($k) | not) | "\($o).\($k)"] | join(",")),
		.count, .lost, .rtt.count, .one_way.count,
		(.one_way.p50_ns <= .rtt.p50_ns and .one_way.max_ns < .rtt.max_ns and .rtt.min_ns > 0),
		.af_xdp.requested, .af_xdp.bind, .af_xdp.xdp_mode] | map(tostring) | @tsv' <<<"$out")
	check_eq "$miss" "missing:" "JSON keys"
	check_eq "$cnt" "$N" "count"
	check_eq "$lost" 0 "lost"
	check_eq "$rc" "$N" "RTT samples"
	check_eq "$oc" "$N" "one-way samples"
	check_eq "$below" true "one-way below RTT"
	check_eq "$req" "$mode" "af_xdp.requested"
	check_eq "$got" "$bind" "af_xdp.bind granted"
	check_eq "$xm" "$xmode" "af_xdp.xdp_mode"

	case $mode in
	zero-copy)
		for p in a b; do
			moved $p xsk_tx_packets $T
			moved $p xsk_rx_packets $T
			moved $p xsk_tx_count $T
			moved $p xsk_rx_count $T
			moved $p xdp_prog_count $T
			moved $p tx_desc_count 0
			moved $p rx_stack_count 0
		done ;;
	copy)
		for p in a b; do
			moved $p xdp_redirect $T
			moved $p xdp_prog_count $T
			moved $p xsk_tx_packets 0
			moved $p xsk_rx_packets 0
			moved $p tx_packets $T
		done ;;
	skb)
		for p in a b; do
			moved $p xdp_redirect 0
			moved $p xdp_prog_count 0
			moved $p xsk_rx_packets 0
			moved $p tx_packets $T
			moved $p rx_packets $T
		done ;;
	esac
	for p in "$NS_A:hp0" "$NS_B:hp1"; do
		ip -n "${p%%:*}" -d link show dev "${p#*:}" | grep -q 'prog/xdp'
		check_fail $? "${p#*:}: an XDP program left attached"
	done
	log_test "hotpath-bench --af-xdp $mode: $N pings, $T frames each way, bind $bind"
}

# d PORT NAME: the counter's delta between the two snapshots
d()
{
	echo $((after[$1.$2] - before[$1.$2]))
}

stream_mode()
{
	local mode=$1 bind=$2 out miss cnt serr rcv drp owc got wr sxd sxf all
	declare -gA before=() after=()

	RET=0
	snap before
	echo "COMMAND: ip netns exec $NS_A $BENCH client $IP4_B --af-xdp $mode --mode stream" \
		"--dev hp0 --server-dev hp1 --server-netns $NS_B --count $SN --warmup $SW" \
		"--timeout 10000 --json"
	out=$(ip netns exec "$NS_A" timeout 120 "$BENCH" client "$IP4_B" --af-xdp "$mode" \
		--mode stream --dev hp0 --server-dev hp1 --server-netns "$NS_B" --count "$SN" \
		--warmup "$SW" --timeout 10000 --json 2>&1)
	check_err $? "hotpath-bench --af-xdp $mode --mode stream failed"
	echo "$out" | cut -c1-400 | sed 's/^/    /'
	snap after

	IFS=$'\t' read -r miss cnt serr rcv drp owc got wr sxd sxf < <(jq -r '[
		"missing:" + ([["mode", "size", "count", "lost", "warmup", "duration_ns", "send_errors",
		   "rtt", "one_way", "cpu", "stream", "hw_timestamps", "histogram", "af_xdp"][] as $k |
		   select(has($k) | not) | $k] +
		 [["sent", "received", "dropped", "pps_sent", "pps_received"][] as $k |
		   select(.stream | has($k) | not) | "stream.\($k)"] +
		 [["warmup_received", "server_xsk"][] as $k |
		   select(.af_xdp | has($k) | not) | "af_xdp.\($k)"] +
		 (if .mode != "stream" or .rtt != null then ["mode/rtt"] else [] end) | join(",")),
		.stream.sent, .send_errors, .stream.received, .stream.dropped, .one_way.count,
		.af_xdp.bind, .af_xdp.warmup_received, .af_xdp.server_xsk.rx_dropped,
		.af_xdp.server_xsk.rx_ring_full] | map(tostring) | @tsv' <<<"$out")
	check_eq "$miss" "missing:" "stream JSON keys"
	check_eq "$cnt" "$SN" "stream.sent"
	check_eq "$serr" 0 "send_errors"
	check_eq $((rcv + drp)) "$SN" "stream received + dropped"
	check_eq "$owc" "$rcv" "one-way samples (one per received frame)"
	check_eq "$got" "$bind" "af_xdp.bind granted"
	all=$((rcv + wr))

	moved a tx_packets $ST
	check_eq $(($(d b nic_rx) + $(d b rx_ring_drops) + $(d b xsk_fill_empty_drops))) \
		$ST "hp1 device rx_packets + NIC drops (every frame sent reached hp1's NIC)"
	case $mode in
	zero-copy)
		moved a xsk_tx_packets $ST
		moved a xsk_tx_count $ST
		moved a tx_desc_count 0
		moved b xsk_rx_packets $all
		moved b xsk_rx_count $all
		moved b rx_stack_count 0
		moved b nic_rx $((all + $(d b xdp_redirect_errors)))
		moved b xdp_redirect_errors $((sxd + sxf)) ;;
	copy)
		moved a xsk_tx_packets 0
		moved b xdp_redirect $all
		moved b nic_rx $((all + $(d b xdp_redirect_errors)))
		moved b xdp_redirect_errors $((sxd + sxf)) ;;
	skb)
		moved b xdp_redirect 0
		moved b nic_rx $((all + sxd + sxf))
		moved b rx_packets $((all + sxd + sxf)) ;;
	esac
	log_test "hotpath-bench --af-xdp $mode --mode stream: $ST frames, $rcv of $SN received"
}

run_mode zero-copy zero-copy native
run_mode copy copy native
run_mode skb copy skb
stream_mode zero-copy zero-copy
stream_mode copy copy
stream_mode skb copy

exit "$EXIT_STATUS"
