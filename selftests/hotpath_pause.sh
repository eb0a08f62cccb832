#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IEEE 802.3x flow control (ethtool -A, kmod/engine.c).  The receiver that
# does not drain is hp1 in busy-poll rx-mode with nobody polling and the
# longest fallback (1 s): its 64-descriptor RX ring fills and stays full
# until the fallback's NAPI run or a switch back to interrupts, which the
# test makes once it has seen what it checks.
#  - ethtool -a/-A and the storm tunable read back what was set; off by
#    default; autoneg refused;
#  - pause off: the frames that find no buffer are dropped and counted
#    (rx_ring_drops), as hotpath_ring.sh checks in detail;
#  - pause on at both ends: the same traffic loses nothing.  hp1 sends
#    PAUSE (tx_pause_frames), hp0 holds its transmitter (rx_pause_frames),
#    its ring and the UDP socket behind it back up, and once hp1 drains
#    every datagram arrives, none dropped anywhere;
#  - an MTU change on hp1 while hp0 is held: the ring is quiesced and
#    posted again, and its XON releases hp0 (which is held again at once);
#  - storm prevention: with pfc-prevention-tout 100 ms hp1 stops asking
#    after 100 ms held (tx_pause_storm_events) and the frames drop as
#    without pause, every one accounted for;
#  - teardown while held: hp1 going down releases hp0 (its held frames
#    drop for no carrier), and deleting the link while held neither hangs
#    nor leaks (the module unloads at exit; the VM checks the console).
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ethtool

XFER=$(hp_helper hp_xfer)
HOTPATH=$(command -v hotpath || echo "$HP_TOP/tools/hotpath/hotpath")
[ -x "$HOTPATH" ] || hp_skip "the hotpath CLI is not built"
TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

hp_mod_load pairs=1 || hp_fail "insmod failed"
run_cmd ethtool -G hp1 rx 64 || hp_fail "ethtool -G hp1 rx 64"
RING=64
hp_pair_setup hp0 hp1 || hp_fail "pair setup failed"
hp_pair_quiet || hp_fail "cannot quiet the link"
hp_wait_quiet "$NS_A" hp0 || hp_fail "the link does not go quiet"
COUNT=$((RING * 4 + 200))

# pause_of NS DEV rx|tx: "on" or "off" from ethtool -a
pause_of()
{
	ip netns exec "$1" ethtool -a "$2" |
		awk -v k="$3" 'tolower($1) == k ":" {print $2; exit}'
}

# st NS DEV NAME: an ethtool -S counter
st() { hp_ethtool_stat "$1" "$2" "$3"; }

# stalled: hp1 in busy-poll with nobody polling, the longest fallback
stalled()
{
	run_ns "$NS_B" "$HOTPATH" set hp1 rx-mode busy-poll busy-poll-fallback-us 1000000
}

# drained: hp1 back to interrupts, its ring drains
drained()
{
	run_ns "$NS_B" "$HOTPATH" set hp1 rx-mode interrupt
}

# held_since N: hp0's rx_pause_frames minus N (busywait_ge polls it)
held_since() { echo $(($(st "$NS_A" hp0 rx_pause_frames) - $1)); }

RET=0
check_eq "$(pause_of "$NS_A" hp0 rx)/$(pause_of "$NS_A" hp0 tx)" off/off "hp0 default pause"
run_ns "$NS_A" ethtool -A hp0 rx on tx off
check_err $? "ethtool -A hp0 rx on tx off"
check_eq "$(pause_of "$NS_A" hp0 rx)/$(pause_of "$NS_A" hp0 tx)" on/off "hp0 pause read back"
run_ns "$NS_A" ethtool -A hp0 rx off tx on
check_eq "$(pause_of "$NS_A" hp0 rx)/$(pause_of "$NS_A" hp0 tx)" off/on "hp0 pause read back"
run_ns "$NS_A" ethtool -A hp0 autoneg on
check_fail $? "ethtool -A hp0 autoneg on accepted"
run_ns "$NS_A" ethtool -A hp0 rx off tx off
check_eq "$(pause_of "$NS_A" hp0 rx)/$(pause_of "$NS_A" hp0 tx)" off/off "hp0 pause read back"
check_eq "$(ip netns exec "$NS_B" ethtool --get-tunable hp1 pfc-prevention-tout |
	awk '{print $2}')" 500 "hp1 pfc-prevention-tout default (auto)"
run_ns "$NS_B" ethtool --set-tunable hp1 pfc-prevention-tout 0
check_err $? "ethtool --set-tunable pfc-prevention-tout 0"
check_eq "$(ip netns exec "$NS_B" ethtool --get-tunable hp1 pfc-prevention-tout |
	awk '{print $2}')" 0 "hp1 pfc-prevention-tout read back"
run_ns "$NS_B" ethtool --set-tunable hp1 pfc-prevention-tout 20000
check_fail $? "pfc-prevention-tout 20000 (above 10 s) accepted"
run_ns "$NS_A" ethtool -I -a hp0
check_err $? "ethtool -I -a hp0 (pause statistics)"
log_test "ethtool -a/-A and pfc-prevention-tout round-trip; off by default"

# xfer PORT: COUNT datagrams of 100 B from hp0 to hp1 with hp1 stalled;
# the sender in the background (its pid in CLI), the server's in SRV
xfer_start()
{
	hp_bg SRV "$TMP/srv$1" "$NS_B" "$XFER" udp-server "$1" "$COUNT" 20000
	hp_wait_listen "$NS_B" u "$1"
	hp_bg CLI "$TMP/cli$1" "$NS_A" "$XFER" udp-client "$IP4_B" "$1" "$COUNT" 100
}

# got PORT: datagrams the server received, bad ones too
got() { sed -n 's/.*received=\([0-9]*\) bad=\([0-9]*\).*/\1/p' "$TMP/srv$1"; }
bad() { sed -n 's/.*received=\([0-9]*\) bad=\([0-9]*\).*/\2/p' "$TMP/srv$1"; }

RET=0
stalled
check_err $? "hotpath set hp1 rx-mode busy-poll"
d0=$(st "$NS_B" hp1 rx_ring_drops)
tx0=$(hp_stat "$NS_A" hp0 tx_packets)
xfer_start 7001
wait "$CLI"
check_err $? "sender failed"
drained
wait "$SRV"
d=$(($(st "$NS_B" hp1 rx_ring_drops) - d0))
log_info "pause off: sent $COUNT, hp1 rx_ring_drops $d, socket got $(got 7001)"
check_eq "$(($(hp_stat "$NS_A" hp0 tx_packets) - tx0))" "$COUNT" "hp0 tx_packets"
[ "$d" -gt 0 ]
check_err $? "no ring drop with a stalled receiver and pause off"
check_eq "$(($(got 7001) + d))" "$COUNT" "datagrams received + rx_ring_drops"
check_eq "$(st "$NS_A" hp0 rx_pause_frames)" 0 "hp0 rx_pause_frames with pause off"
log_test "pause off: a stalled receiver drops, counted as rx_ring_drops"

RET=0
for p in "$NS_A:hp0" "$NS_B:hp1"; do
	run_ns "${p%%:*}" ethtool -A "${p#*:}" rx on tx on
	check_err $? "ethtool -A ${p#*:} rx on tx on"
done
stalled
d0=$(st "$NS_B" hp1 rx_ring_drops)
f0=$(st "$NS_B" hp1 xsk_fill_empty_drops)
p0=$(st "$NS_A" hp0 rx_pause_frames)
t0=$(st "$NS_B" hp1 tx_pause_frames)
tx0=$(hp_stat "$NS_A" hp0 tx_packets)
txd0=$(hp_stat "$NS_A" hp0 tx_dropped)
xfer_start 7002
busywait_ge 20000 1 held_since "$p0" >/dev/null
check_err $? "hp0 never held by a PAUSE"
check_eq "$(($(st "$NS_B" hp1 rx_ring_drops) - d0))" 0 "hp1 rx_ring_drops while held"
drained
wait "$CLI"
check_err $? "sender failed"
wait "$SRV"
log_info "pause on: sent $COUNT, socket got $(got 7002), hp0 held $(held_since "$p0") times"
check_eq "$(got 7002)" "$COUNT" "datagrams received"
check_eq "$(bad 7002)" 0 "corrupt datagrams"
check_eq "$(($(hp_stat "$NS_A" hp0 tx_packets) - tx0))" "$COUNT" "hp0 tx_packets"
check_eq "$(($(hp_stat "$NS_A" hp0 tx_dropped) - txd0))" 0 "hp0 tx_dropped"
check_eq "$(($(st "$NS_B" hp1 rx_ring_drops) - d0))" 0 "hp1 rx_ring_drops"
check_eq "$(($(st "$NS_B" hp1 xsk_fill_empty_drops) - f0))" 0 "hp1 xsk_fill_empty_drops"
[ "$(($(st "$NS_B" hp1 tx_pause_frames) - t0))" -ge 1 ]
check_err $? "hp1 tx_pause_frames did not move"
# the standard statistics (ethtool -I -a) are the same counters
check_eq "$(ip netns exec "$NS_A" ethtool -I -a hp0 |
	awk '$1 == "rx_pause_frames:" {print $2}')" "$(st "$NS_A" hp0 rx_pause_frames)" \
	"ethtool -I -a hp0 rx_pause_frames"
log_test "pause on: a stalled receiver pauses the sender, nothing is lost"

# hp1's MTU up while hp0 is held: hp1's ring is quiesced and posted again,
# and that XON releases hp0, which the still stalled ring holds again.
# What the quiesce drops is counted: frames hp1 had not reaped
# (rx_drop_teardown), and hp0's sent into the quiesce (tx_drop_no_carrier).
RET=0
stalled
p0=$(st "$NS_A" hp0 rx_pause_frames)
td0=$(st "$NS_B" hp1 rx_drop_teardown)
nc0=$(st "$NS_A" hp0 tx_drop_no_carrier)
tx0=$(hp_stat "$NS_A" hp0 tx_packets)
xfer_start 7003
busywait_ge 20000 1 held_since "$p0" >/dev/null
check_err $? "hp0 never held by a PAUSE"
run_ns "$NS_B" ip link set dev hp1 mtu 1600
check_err $? "hp1 mtu 1600 while hp0 is held"
busywait_ge 20000 2 held_since "$p0" >/dev/null
check_err $? "hp0 not held again after hp1's ring came back"
drained
wait "$CLI"
check_err $? "sender failed"
wait "$SRV"
sent=$(($(hp_stat "$NS_A" hp0 tx_packets) - tx0))
td=$(($(st "$NS_B" hp1 rx_drop_teardown) - td0))
nc=$(($(st "$NS_A" hp0 tx_drop_no_carrier) - nc0))
log_info "MTU change while held: hp0 sent $sent, dropped $nc for no carrier;" \
	"hp1 dropped $td at the quiesce, socket got $(got 7003)"
check_eq "$((sent + nc))" "$COUNT" "hp0 tx_packets + tx_drop_no_carrier"
check_eq "$(($(got 7003) + td))" "$sent" "datagrams received + hp1's quiesce drops"
check_eq "$(($(st "$NS_B" hp1 rx_ring_drops) - d0))" 0 "hp1 rx_ring_drops"
log_test "pause on: hp1's ring quiesced and posted again releases hp0"

RET=0
d0=$(st "$NS_B" hp1 rx_ring_drops)
p0=$(st "$NS_A" hp0 rx_pause_frames)
run_ns "$NS_B" ethtool --set-tunable hp1 pfc-prevention-tout 100
check_err $? "pfc-prevention-tout 100"
s0=$(st "$NS_B" hp1 tx_pause_storm_events)
stalled
xfer_start 7004
wait "$CLI"
check_err $? "sender failed"
drained
wait "$SRV"
d=$(($(st "$NS_B" hp1 rx_ring_drops) - d0))
s=$(($(st "$NS_B" hp1 tx_pause_storm_events) - s0))
log_info "storm bound 100 ms: socket got $(got 7004), hp1 rx_ring_drops $d, storm events $s"
[ "$s" -ge 1 ]
check_err $? "no pause storm event after 100 ms held"
[ "$d" -gt 0 ]
check_err $? "no ring drop once hp1 stopped asking"
check_eq "$(($(got 7004) + d))" "$COUNT" "datagrams received + rx_ring_drops"
log_test "pause storm prevention: hp1 stops pausing after pfc-prevention-tout"

RET=0
run_ns "$NS_B" ethtool --set-tunable hp1 pfc-prevention-tout 0
n0=$(st "$NS_A" hp0 tx_drop_no_carrier)
p0=$(st "$NS_A" hp0 rx_pause_frames)
stalled
xfer_start 7005
busywait_ge 20000 1 held_since "$p0" >/dev/null
check_err $? "hp0 never held by a PAUSE"
run_ns "$NS_B" ip link set dev hp1 down
check_err $? "hp1 down while hp0 is held"
# hp0's carrier is gone: the sender's datagrams go nowhere, it ends
busywait 20000 sh -c "! kill -0 $CLI 2>/dev/null" >/dev/null
check_err $? "the sender still runs after hp1 went down"
hp_stop_bg CLI
hp_stop_bg SRV
n=$(($(st "$NS_A" hp0 tx_drop_no_carrier) - n0))
log_info "hp1 down while hp0 held: hp0 dropped $n for no carrier"
[ "$n" -gt 0 ]
check_err $? "hp0's held frames not dropped for no carrier"
log_test "teardown: the peer going down releases the pause"

RET=0
run_ns "$NS_B" ip link set dev hp1 up
check_err $? "hp1 up"
busywait_eq 5000 1 hp_carrier "$NS_A" hp0 >/dev/null
check_err $? "no carrier on hp0"
run_ns "$NS_B" ip neigh replace "$IP4_A" lladdr "$(hp_mac "$NS_A" hp0)" dev hp1 nud permanent
stalled
p0=$(st "$NS_A" hp0 rx_pause_frames)
xfer_start 7006
busywait_ge 20000 1 held_since "$p0" >/dev/null
check_err $? "hp0 never held by a PAUSE"
run_ns "$NS_A" ip link del dev hp0
check_err $? "ip link del hp0 while held"
hp_wait_gone "$NS_B" hp1
check_err $? "hp1 still there"
hp_stop_bg CLI
hp_stop_bg SRV
log_test "teardown: deleting the link while held"

exit "$EXIT_STATUS"
