#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RX ring exhaustion: with the receiving port in busy-poll mode, a long
# fallback and nobody polling, its RX ring fills and a fast sender's frames
# are dropped and counted like hardware does (ethtool -S rx_ring_drops, and
# rx_dropped in stats64).  Every frame is accounted for exactly: hp0 sent =
# hp1 received + hp1 ring drops, and the socket got what hp1 received.  Then
# in interrupt mode everything arrives again with no new drop.
source "$(dirname "$0")/lib.sh"

require_root

XFER=$(hp_helper hp_xfer)
HOTPATH=$(command -v hotpath || echo "$HP_TOP/tools/hotpath/hotpath")
[ -x "$HOTPATH" ] || hp_skip "the hotpath CLI is not built"
TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

hp_mod_load pairs=1 || hp_fail "insmod failed"
# A small ring fills quickly (ring sizes change only while the port is down).
run_cmd ethtool -G hp1 rx 64
RING=$(ethtool -g hp1 | awk '/^Current/ {c = 1} c && /^RX:/ {print $2; exit}')
log_info "hp1 RX ring: $RING descriptors"
hp_pair_setup hp0 hp1 || hp_fail "pair setup failed"
hp_pair_quiet || hp_fail "cannot quiet the link"
hp_wait_quiet "$NS_A" hp0 || hp_fail "the link does not go quiet"

drops() { hp_ethtool_stat "$NS_B" hp1 rx_ring_drops; }
[ -n "$(drops)" ] || hp_fail "ethtool -S hp1 has no rx_ring_drops"

RET=0
COUNT=$((RING * 4 + 200))
run_ns "$NS_B" "$HOTPATH" set hp1 rx-mode busy-poll busy-poll-fallback-us 1000000
check_err $? "hotpath set rx-mode busy-poll failed"
tx0=$(hp_stat "$NS_A" hp0 tx_packets)
rx0=$(hp_stat "$NS_B" hp1 rx_packets)
rd0=$(hp_stat "$NS_B" hp1 rx_dropped)
d0=$(drops)
hp_bg srv "$TMP/srv" "$NS_B" "$XFER" udp-server 7001 "$COUNT" 4000
hp_wait_listen "$NS_B" u 7001
# No small send buffer: the sender runs ahead of the stopped receiver.
run_ns "$NS_A" "$XFER" udp-client "$IP4_B" 7001 "$COUNT" 100
check_err $? "sender failed"
# Back to interrupts: the ring drains.
run_ns "$NS_B" "$HOTPATH" set hp1 rx-mode interrupt
check_err $? "hotpath set rx-mode interrupt failed"
wait $srv
tx=$(($(hp_stat "$NS_A" hp0 tx_packets) - tx0))
rx=$(($(hp_stat "$NS_B" hp1 rx_packets) - rx0))
rd=$(($(hp_stat "$NS_B" hp1 rx_dropped) - rd0))
d=$(($(drops) - d0))
got=$(sed -n 's/.*received=\([0-9]*\) bad=\([0-9]*\).*/\1/p' "$TMP/srv")
bad=$(sed -n 's/.*received=\([0-9]*\) bad=\([0-9]*\).*/\2/p' "$TMP/srv")
log_info "sent $COUNT: hp0 tx $tx, hp1 rx $rx, rx_ring_drops $d, rx_dropped $rd; socket got $got"
check_eq "$tx" "$COUNT" "hp0 tx_packets"
[ "$d" -gt 0 ]
check_err $? "no ring drop with a stopped receiver ($COUNT frames, ring $RING)"
check_eq "$((rx + d))" "$COUNT" "hp1 rx_packets + rx_ring_drops"
check_eq "$rd" "$d" "stats64 rx_dropped vs rx_ring_drops"
check_eq "$got" "$rx" "datagrams at the socket vs hp1 rx_packets"
check_eq "$bad" 0 "corrupt datagrams"
log_test "RX ring exhaustion drops and counts exactly"

RET=0
d0=$(drops)
rx0=$(hp_stat "$NS_B" hp1 rx_packets)
hp_bg srv "$TMP/srv2" "$NS_B" "$XFER" udp-server 7002 300 10000
hp_wait_listen "$NS_B" u 7002
run_ns "$NS_A" "$XFER" udp-client "$IP4_B" 7002 300 100 16384
check_err $? "sender failed"
wait $srv
check_err $? "receiver: $(cat "$TMP/srv2")"
check_eq "$(($(drops) - d0))" 0 "new ring drops"
check_eq "$(($(hp_stat "$NS_B" hp1 rx_packets) - rx0))" 300 "hp1 rx_packets"
log_test "recovers: all 300 datagrams arrive in interrupt mode"

exit "$EXIT_STATUS"
