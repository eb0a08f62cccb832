#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# AF_XDP on a hotpath pair with the kernel's own test, xskxceiver
# (tools/testing/selftests/bpf of linux-source-6.1, built by
# selftests/Makefile into build/xsk): hp0 sends, hp1 (in its own namespace)
# receives, through every test type xskxceiver has, in SKB (generic XDP),
# DRV (native XDP, copy mode: XDP_REDIRECT into an XSKMAP) and ZC (native
# XDP, zero-copy: the UMEM pool bound to the port, kmod/xsk.c) modes.
# xskxceiver probes zero-copy itself (XDP_ZEROCOPY | XDP_USE_NEED_WAKEUP)
# and runs the ZC mode only when that bind succeeds: the plan must be
# exactly SKB + DRV + ZC.  It runs twice: as it comes (interrupts), and
# with -b, busy polling on every socket, where NAPI itself must do the XSK
# TX (below).
# Skipped: STAT_RX_DROPPED (the 6.1 tree's test asks for a UMEM headroom
# its own xdp_umem_reg() refuses; the build turns it into a skip, see
# selftests/Makefile; in ZC mode xskxceiver skips it itself), and SKB and
# DRV STAT_TX_INVALID (below) and ZC STAT_TX_INVALID failing in one shape (below),
# nothing else.  The build also raises the receive loop's time bound for
# TCG (selftests/Makefile).
# xskxceiver assumes a lossless link, as a lab pair with flow control is
# (igb and e1000e default to it): 802.3x flow control is on at both ends
# (ethtool -A rx on tx on, kmod/engine.c), so a receiver the loaded host
# descheduled pauses the sender instead of losing the frames its RX ring
# or fill ring had no buffer for (issue 24: 64 frames in one ZC POLL_RX,
# 576 in one ZC TEARDOWN, under `make check LOAD=1`).  After each run hp1
# must have dropped nothing for want of a buffer but the 512 frames of ZC
# STAT_RX_FILL_EMPTY, whose receiver never fills its fill ring again: its
# sender stays paused until hp1's storm bound (pfc-prevention-tout, 500
# ms) ends the pause and those frames drop, counted, as the test wants.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq

XSKX=$(hp_helper xskxceiver)
NS=hp-$$-x
TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

RET=0
hp_mod_load pairs=1
check_err $? "insmod"
hp_ns_add "$NS"
check_err $? "netns"
# no IPv6 (its RS/MLD frames would reach the sockets: xskxceiver wants only its own)
ip link set dev hp1 netns "$NS" && sysctl -qw net.ipv6.conf.hp0.disable_ipv6=1 &&
	ip netns exec "$NS" sysctl -qw net.ipv6.conf.hp1.disable_ipv6=1 &&
	ip link set dev hp0 mtu 1500 &&
	ip -n "$NS" link set dev hp1 mtu 1500 && ip link set dev hp0 up &&
	ip -n "$NS" link set dev hp1 up
check_err $? "ports up"
# xskxceiver gives each run 3 s: no modelled waits, no stage clocks (TCG is slow)
run_cmd hotpath set hp0 timing accounted stats off &&
	run_cmd ip netns exec "$NS" hotpath set hp1 timing accounted stats off
check_err $? "hotpath set timing accounted stats off"
# flow control: the lossless link xskxceiver assumes (see above)
run_cmd ethtool -A hp0 rx on tx on &&
	run_cmd ip netns exec "$NS" ethtool -A hp1 rx on tx on
check_err $? "ethtool -A rx on tx on"
busywait_eq 5000 1 cat /sys/class/net/hp0/carrier >/dev/null
check_err $? "carrier"
log_test "setup: hp0 | hp1 in $NS" || exit "$EXIT_STATUS"

# the UNALIGNED tests want 2 MiB huge pages for their UMEM
hp=$(cat /proc/sys/vm/nr_hugepages)
hp_defer sh -c "echo $hp > /proc/sys/vm/nr_hugepages"
echo 64 > /proc/sys/vm/nr_hugepages
# a kernel without 2 MiB pages to give (the debug kernel): xskxceiver skips
# the UNALIGNED tests itself, and says why
skip_ok='STAT_RX_DROPPED|Can not run RX_DROPPED test for ZC mode'
if [ "$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)" -eq 0 ]; then
	log_info "no 2 MiB huge pages: the UNALIGNED tests will be skipped"
	skip_ok="$skip_ok|No 2M huge pages present"
fi

# Known failures, skipped by name (their result is not judged), on both
# kernels: SKB and DRV STAT_TX_INVALID, with or without busy polling.
#  - 6.1: the test's pacing (the sender waits while frames in flight fill
#    the UMEM) counts the invalid descriptors the receiver skips as received
#    although the sender never counted them as sent (pkts_in_flight "might
#    be negative", says its comment), so in this test nothing holds the
#    sender back; in copy mode a receiver slower than the sender (a loaded
#    TCG host) then finds its fill ring empty and the frames are dropped,
#    as on any NIC.  Seen in 1 run of 4 here.
#  - 6.12: this 6.1 test's expectation of how copy-mode TX skips an invalid
#    descriptor predates 6.12's handling of it; it fails on veth the same
#    way (checked in this VM: veth fails exactly these two).  Copy-mode TX
#    is the kernel's xsk_generic_xmit(), no driver code.
# ZC mode, where hotpath's NAPI takes the descriptors with
# xsk_tx_peek_desc(), must pass STAT_TX_INVALID on both kernels, with one
# exception that the same missing pacing causes: a receiver the loaded host
# descheduled leaves its fill ring empty while the unpaced sender runs on,
# and the frames that find no UMEM buffer are dropped, as a NIC drops
# them (xsk_fill_empty_drops, seen under `make check LOAD=1`: 96 frames
# in one 6.1 busy-poll run).  Such a failure is accepted only in that
# shape: xskxceiver found frames missing (a later sequence number than it
# expected, never an invalid descriptor's frame delivered), and the
# receiving port counted at least the valid frames missing (every other
# frame of the test is invalid) as dropped for an empty fill ring, a full
# socket ring or a full RX ring during the run.  With flow control the
# same missing pacing shows in a second shape: no frame is dropped, but a
# receiver that falls behind holds hp0 (PAUSE) with descriptors on its TX
# ring whose UMEM frames the sender, more than a UMEM ahead, already wrote
# its next packets into (xskxceiver writes a packet's payload into its
# frame when it sends it, and reuses the frame after num_frames = 1024
# packets without waiting for its completion); hp0 then sends the newer
# payload and the receiver finds a frame exactly a multiple of 1024
# sequence numbers ahead (seen on 6.12 busy-poll: expected 2496, got 3520).
# That shape is accepted only with hp0 held during the run.

# rx_drops: hp1's frames dropped for want of a buffer or socket room
rx_drops()
{
	local c sum=0

	for c in xsk_fill_empty_drops xdp_redirect_errors rx_ring_drops; do
		sum=$((sum + $(hp_ethtool_stat "$NS" hp1 $c)))
	done
	echo "$sum"
}

# seq_gap TEST: by how many sequence numbers TEST's receiver found itself
# ahead ("expected seqnum [A], got seqnum [B]", B - A); nothing if it did
# not fail that way
seq_gap()
{
	awk -v t="not ok [0-9]+ FAIL: $1\$" '
		/expected seqnum \[[0-9]+\], got seqnum \[[0-9]+\]/ { last = $0 }
		/^(not )?ok [0-9]+ / { if ($0 ~ t && last != "") { found = last }; last = "" }
		END {
			if (found == "") exit
			match(found, /expected seqnum \[[0-9]+\]/)
			a = substr(found, RSTART + 17, RLENGTH - 18)
			match(found, /got seqnum \[[0-9]+\]/)
			b = substr(found, RSTART + 12, RLENGTH - 13)
			if (b + 0 > a + 0) print b - a
		}' "$TMP/out"
}

# xskx_run LABEL [ARGS]: one xskxceiver run (ARGS: -b) and its verdicts.
# Test names carry "BUSY-POLL " after the mode in a busy-poll run.
xskx_run()
{
	local label=$1 bp="" k kfail=0 plan pass fail skip rc m
	local known drops0 drops gap zc_fail ring0 fill0 storm0 fe held0 held

	shift
	[ "$*" = -b ] && bp="BUSY-POLL "
	known=("SKB ${bp}STAT_TX_INVALID" "DRV ${bp}STAT_TX_INVALID")
	RET=0
	drops0=$(rx_drops)
	ring0=$(hp_ethtool_stat "$NS" hp1 rx_ring_drops)
	fill0=$(hp_ethtool_stat "$NS" hp1 xsk_fill_empty_drops)
	storm0=$(hp_ethtool_stat "$NS" hp1 tx_pause_storm_events)
	held0=$(hp_ethtool_stat "" hp0 rx_pause_frames)
	echo "COMMAND: $XSKX $* -i hp0 -i hp1,$NS"
	"$XSKX" "$@" -i hp0 -i "hp1,$NS" >"$TMP/out" 2>&1
	rc=$?
	drops=$(($(rx_drops) - drops0))
	held=$(($(hp_ethtool_stat "" hp0 rx_pause_frames) - held0))
	sed 's/^/    /' "$TMP/out"
	# what the ports saw: drops by reason say where a frame went missing
	for p in "hp0:" "hp1:$NS"; do
		d=${p%%:*} n=${p#*:}
		echo "    ethtool -S $d (non-zero counters):"
		${n:+ip netns exec "$n"} ethtool -S "$d" |
			awk '$2 != 0 && $1 !~ /_mean_ns:/ {print "      " $0}'
	done
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$TMP/out" | head -n1)
	pass=$(grep -c '^ok [0-9]* PASS' "$TMP/out")
	fail=$(grep -c '^not ok' "$TMP/out")
	skip=$(grep -c '^ok [0-9]* # SKIP' "$TMP/out")
	for k in "${known[@]}"; do
		if grep -q "^not ok [0-9]* FAIL: $k\$" "$TMP/out"; then
			kfail=$((kfail + 1))
			log_info "skipped by name: $k (known failure, see the script)"
		fi
	done
	k="ZC ${bp}STAT_TX_INVALID"
	if grep -q "^not ok [0-9]* FAIL: $k\$" "$TMP/out"; then
		gap=$(seq_gap "$k")
		if [ "${gap:-0}" -gt 0 ] && [ $((gap % 1024)) -eq 0 ] && [ "$held" -gt 0 ]; then
			kfail=$((kfail + 1))
			log_info "$k: a frame $gap sequence numbers ahead, hp0 held by PAUSE" \
				"$held times: the unpaced sender rewrote UMEM frames still on hp0's" \
				"TX ring (see the script)"
		elif [ "${gap:-0}" -gt 0 ] && [ "$drops" -ge $((gap / 2)) ]; then
			kfail=$((kfail + 1))
			log_info "$k: frames missing (sequence gap $gap), hp1 counted $drops drops" \
				"for no buffer: the unpaced sender outran the receiver (see the script)"
		else
			log_info "$k: sequence gap '${gap}', hp1 counted $drops drops for no buffer"
		fi
	fi
	log_info "xskxceiver${*:+ $*}: plan $plan, $pass passed, $fail failed ($kfail known), $skip skipped"
	if [ "$fail" -eq "$kfail" ] && [ "$kfail" -gt 0 ]; then
		log_info "xskxceiver exit status $rc: only the known failures"
	else
		check_eq "$rc" 0 "xskxceiver exit status"
	fi
	check_eq "$((fail - kfail))" 0 "xskxceiver failures"
	[ -n "$plan" ] && [ $((pass + skip + kfail)) -eq "$plan" ]
	check_err $? "not every planned test passed or skipped"
	check_eq "$plan" 57 "plan: 19 test types in SKB, DRV and ZC mode"
	check_eq "$(grep '^ok [0-9]* # SKIP' "$TMP/out" |
		grep -vEc "$skip_ok")" 0 "skips other than the expected ones"
	for m in SKB DRV; do
		grep -q "^ok [0-9]* PASS: $m $bp" "$TMP/out"
		check_err $? "no $m ${bp}mode test passed"
	done
	# zero-copy: every test but RX_DROPPED (xskxceiver's own skip in ZC
	# mode) and, only in the shape above, STAT_TX_INVALID
	zc_fail=$(grep -c "^not ok [0-9]* FAIL: ZC ${bp}STAT_TX_INVALID\$" "$TMP/out")
	check_eq "$(grep -c "^ok [0-9]* PASS: ZC $bp" "$TMP/out")" \
		"$((18 - zc_fail - $(grep -c '^ok [0-9]* # SKIP No 2M huge pages' "$TMP/out") / 3))" \
		"ZC ${bp}tests passed"
	# flow control: nothing dropped for want of a buffer but ZC
	# STAT_RX_FILL_EMPTY's 512 (1536 sent, 1024 fill-ring buffers)
	check_eq "$(($(hp_ethtool_stat "$NS" hp1 rx_ring_drops) - ring0))" 0 \
		"hp1 rx_ring_drops with flow control"
	fe=0
	grep -q "^ok [0-9]* PASS: ZC ${bp}STAT_RX_FILL_EMPTY\$" "$TMP/out" && fe=512
	check_eq "$(($(hp_ethtool_stat "$NS" hp1 xsk_fill_empty_drops) - fill0))" "$fe" \
		"hp1 xsk_fill_empty_drops with flow control (ZC STAT_RX_FILL_EMPTY's $fe)"
	log_info "hp1 stopped pausing $(($(hp_ethtool_stat "$NS" hp1 tx_pause_storm_events) - storm0))" \
		"times (storm bound), hp1 sent $(hp_ethtool_stat "$NS" hp1 tx_pause_frames) PAUSE frames so far"
	log_test "xskxceiver $label: every test in SKB, DRV and ZC mode"
}

xskx_run "(interrupts)"

# Busy polling (-b: SO_PREFER_BUSY_POLL, SO_BUSY_POLL 20 us, budget 64 on
# every socket).  The kernel then skips ndo_xsk_wakeup for a zero-copy
# socket (xsk_no_wakeup()): sendto() busy-polls the port's NAPI once and
# hp_rx_poll() itself takes the XSK TX descriptors (kmod/tx.c).  The
# receiving port's NAPI is owned by the receiver's busy poller most of the
# time, so it no longer runs from the interrupt on the sender's CPU right
# behind every batch: the receiver application, not the interrupt, paces
# the draining of the RX ring.  xskxceiver's pacing lets the sender run up
# to num_frames - BATCH_SIZE = 960 frames ahead of the receiver; at the
# default 512 descriptors a receiver the loaded host descheduled overflows
# the ring (counted as rx_ring_drops, as a NIC counts them: 3 ZC tests lost
# 960 frames so in one 6.1 run).  With RX rings of 1024 the buffers posted
# are bounded by the receiver's 1024-frame UMEM, not by the ring: the
# margin is then the same as in the interrupt run (a frame finds no buffer
# only if the receiver returned frames its NAPI has not posted yet while
# the sender is a whole UMEM ahead).
for p in "hp0:" "hp1:$NS"; do
	d=${p%%:*} n=${p#*:}
	if ! { ip ${n:+-n "$n"} link set dev "$d" down &&
		${n:+ip netns exec "$n"} ethtool -G "$d" rx 1024 &&
		ip ${n:+-n "$n"} link set dev "$d" up; }; then
		hp_fail "$d: RX ring of 1024"
	fi
done
busywait_eq 5000 1 cat /sys/class/net/hp0/carrier >/dev/null ||
	hp_fail "carrier after the ring resize"
bp0=$(hp_ethtool_stat "" hp0 busy_poll_pickups)
bp1=$(hp_ethtool_stat "$NS" hp1 busy_poll_pickups)
xskx_run "busy-poll" -b
# the receivers really busy-polled (both ports receive in BIDIRECTIONAL)
RET=0
[ "$(hp_ethtool_stat "" hp0 busy_poll_pickups)" -gt "$bp0" ]
check_err $? "hp0: no frame picked up by a busy poller"
[ "$(hp_ethtool_stat "$NS" hp1 busy_poll_pickups)" -gt "$bp1" ]
check_err $? "hp1: no frame picked up by a busy poller"
log_test "xskxceiver busy-poll: the receivers' NAPI ran from their busy pollers"

exit "$EXIT_STATUS"
