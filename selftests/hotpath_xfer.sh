#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data integrity and exact device counters across a pair:
#  - a 10 MB TCP transfer arrives intact (FNV-1a over the stream, both ends),
#    over IPv4 and IPv6, and each end's tx equals the other's rx;
#  - a burst of UDP datagrams arrives intact (each one verified) and the
#    counters move by exactly the datagrams sent: packets and bytes, on both
#    ends, no drops.
# Neighbours are pinned and the link left to go quiet (MLD/RS after link up)
# first, so the only frames counted are the test's.
source "$(dirname "$0")/lib.sh"

require_root

XFER=$(hp_helper hp_xfer)
TCP_BYTES=$((10 * 1024 * 1024))
UDP_COUNT=${UDP_COUNT:-500}
UDP_SIZE=1200
TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

hp_mod_load pairs=1 || hp_fail "insmod failed"
hp_pair_setup hp0 hp1 || hp_fail "pair setup failed"

# counters: "A.tx A.rx B.tx B.rx" packets, then bytes, then drops.
snapshot()
{
	local f

	for f in tx_packets rx_packets tx_bytes rx_bytes tx_dropped rx_dropped; do
		echo -n "$(hp_stat "$NS_A" hp0 "$f") $(hp_stat "$NS_B" hp1 "$f") "
	done
}

# tcp_settled: since the snapshot s0 (the caller's), hp1 received what hp0
# sent and the other way round
tcp_settled()
{
	local s=($(snapshot))

	[ $((s[3] - s0[3])) = $((s[0] - s0[0])) ] && [ $((s[2] - s0[2])) = $((s[1] - s0[1])) ]
}

tcp_xfer()
{
	local addr=$1 fam=$2 port=$3 srv cli s0 s1

	RET=0
	s0=($(snapshot))
	hp_bg srv "$TMP/srv" "$NS_B" timeout 300 "$XFER" tcp-server "$port"
	hp_wait_listen "$NS_B" t "$port" || check_err 1 "server did not listen"
	echo "COMMAND: ip netns exec $NS_A hp_xfer tcp-client $addr $port $TCP_BYTES"
	cli=$(ip netns exec "$NS_A" timeout 300 "$XFER" tcp-client "$addr" "$port" "$TCP_BYTES" 2>&1)
	check_err $? "client failed: $cli"
	wait $srv
	check_err $? "server failed: $(cat "$TMP/srv")"
	# The last ACK (of the server's FIN) leaves as the client reads EOF:
	# it may still be on its way, counted by hp0 (the engine counts a frame
	# when it is in the peer's ring), not yet by hp1's NAPI.  Until every
	# frame either end sent arrived (bounded: a lost one fails below).
	busywait 5000 tcp_settled >/dev/null
	s1=($(snapshot))
	echo "    client: $cli"
	echo "    server: $(cat "$TMP/srv")"
	check_eq "$(cat "$TMP/srv")" "$cli" "stream received vs sent"
	# [0]=hp0 tx [1]=hp1 tx [2]=hp0 rx [3]=hp1 rx
	echo "    hp0 tx +$((s1[0] - s0[0])) rx +$((s1[2] - s0[2])); hp1 tx +$((s1[1] - s0[1])) rx +$((s1[3] - s0[3]))"
	check_eq "$((s1[3] - s0[3]))" "$((s1[0] - s0[0]))" "hp1 rx_packets vs hp0 tx_packets"
	check_eq "$((s1[2] - s0[2]))" "$((s1[1] - s0[1]))" "hp0 rx_packets vs hp1 tx_packets"
	check_eq "$((s1[7] - s0[7]))" "$((s1[4] - s0[4]))" "hp1 rx_bytes vs hp0 tx_bytes"
	check_eq "$((s1[6] - s0[6]))" "$((s1[5] - s0[5]))" "hp0 rx_bytes vs hp1 tx_bytes"
	[ $((s1[4] - s0[4])) -ge "$TCP_BYTES" ]
	check_err $? "hp0 tx_bytes +$((s1[4] - s0[4])) is less than the payload"
	check_eq "$((s1[8] + s1[9] + s1[10] + s1[11] - s0[8] - s0[9] - s0[10] - s0[11]))" 0 "drops"
	log_test "10 MB TCP transfer intact, $fam, tx == peer rx"
}

udp_burst()
{
	local addr=$1 port=$2 srv cli s0 s1 bytes

	RET=0
	s0=($(snapshot))
	ip netns exec "$NS_B" timeout 300 "$XFER" udp-server "$port" "$UDP_COUNT" 10000 \
		> "$TMP/usrv" 2>&1 &
	srv=$!
	hp_wait_listen "$NS_B" u "$port" || check_err 1 "server did not bind"
	echo "COMMAND: ip netns exec $NS_A hp_xfer udp-client $addr $port $UDP_COUNT $UDP_SIZE 65536"
	cli=$(ip netns exec "$NS_A" "$XFER" udp-client "$addr" "$port" "$UDP_COUNT" "$UDP_SIZE" 65536 2>&1)
	check_err $? "client failed: $cli"
	wait $srv
	check_err $? "server: $(tail -n 1 "$TMP/usrv")"
	s1=($(snapshot))
	echo "    client: $cli; server: $(tail -n 1 "$TMP/usrv")"
	# Ethernet 14 + IPv4 20 + UDP 8 around each payload.
	bytes=$((UDP_COUNT * (UDP_SIZE + 42)))
	check_eq "$((s1[0] - s0[0]))" "$UDP_COUNT" "hp0 tx_packets delta"
	check_eq "$((s1[3] - s0[3]))" "$UDP_COUNT" "hp1 rx_packets delta"
	check_eq "$((s1[1] - s0[1]))" 0 "hp1 tx_packets delta"
	check_eq "$((s1[2] - s0[2]))" 0 "hp0 rx_packets delta"
	check_eq "$((s1[4] - s0[4]))" "$bytes" "hp0 tx_bytes delta"
	check_eq "$((s1[7] - s0[7]))" "$bytes" "hp1 rx_bytes delta"
	check_eq "$((s1[8] + s1[9] + s1[10] + s1[11] - s0[8] - s0[9] - s0[10] - s0[11]))" 0 "drops"
	log_test "UDP burst of $UDP_COUNT x $UDP_SIZE B intact, counters exact"
}

hp_pin_neigh "$NS_A" hp0 "$(hp_mac "$NS_B" hp1)" "$IP4_B" "$IP6_B" &&
	hp_pin_neigh "$NS_B" hp1 "$(hp_mac "$NS_A" hp0)" "$IP4_A" "$IP6_A" ||
	hp_fail "cannot pin neighbours"
hp_wait_quiet "$NS_A" hp0 || hp_fail "the link does not go quiet"

tcp_xfer "$IP4_B" IPv4 5001
tcp_xfer "$IP6_B" IPv6 5002
udp_burst "$IP4_B" 5003

exit "$EXIT_STATUS"
