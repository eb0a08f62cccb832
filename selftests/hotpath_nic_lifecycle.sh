#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real-NIC mode's lifetimes on the test VM's igb pair (lib.sh hp_nic_pair),
# CYCLES times each (default 20), with the run's console scanned for splats
# by the VM runner and attached_alive back to 0 after each:
#  - stats on / stats off on both ends while a hotpath-bench stream runs
#    through them; the stream's datagrams all accounted (received + dropped
#    == sent: detaching loses none silently);
#  - an attached device moved to another namespace: detached (the netdev
#    notifier), and attachable again there;
#  - rmmod hotpath while both ends are attached, under the stream: the
#    devices keep running, insmod attaches anew;
#  - rmmod igb while both ends are attached (the devices unregister): both
#    detached, the driver back with modprobe.
# The races live on the real clock.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq

BENCH=$(command -v hotpath-bench || echo "$HP_TOP/tools/bench/hotpath-bench")
[ -x "$BENCH" ] || hp_skip "hotpath-bench not found (make -C tools/bench)"

CYCLES=${CYCLES:-20}
RATE=2000
ALIVE=/sys/module/hotpath/parameters/attached_alive
TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"
STREAM=

alive()
{
	cat $ALIVE
}

# nsx NS CMD...: CMD in namespace NS, or in this one if NS is empty
nsx()
{
	local ns=$1; shift

	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

# A stream that must outlive a loop of cycles runs for longer than the
# kselftest timeout (settings: 600 s) and is stopped after the loop: how
# long the cycles take depends on the host (a loaded one doubles it).
LOOP_STREAM_S=3600

# stream_start SECONDS: a hotpath-bench stream A -> B in the background,
# paced (RATE packets/s): every hook stays busy, while each cycle patches
# the kernel's text at their tracepoints (static keys and calls) on both
# vCPUs; a flat-out stream made that text patching itself trip on TCG once
# (an int3 in consume_skb's caller during rmmod hotpath)
stream_start()
{
	hp_bg STREAM "$TMP/stream" "$NS_A" "$BENCH" client "$IP4_B" --server-netns "$NS_B" \
		--mode stream --rate "$RATE" --duration "$1" --json
}

# stream_check: the stream ended, every datagram accounted for
stream_check()
{
	local out

	wait "$STREAM"
	check_err $? "the stream failed: $(tail -n 3 "$TMP/stream")"
	STREAM=
	out=$(tail -n 1 "$TMP/stream")
	jq -e '.stream.received + .stream.dropped == .stream.sent and .stream.sent > 0' \
		<<<"$out" >/dev/null
	check_err $? "stream: received + dropped != sent: $out"
}

test_detach_under_traffic()
{
	local i

	RET=0
	stream_start $LOOP_STREAM_S
	for i in $(seq "$CYCLES"); do
		ip netns exec "$NS_A" hotpath set "$DEV_A" stats on &&
			ip netns exec "$NS_B" hotpath set "$DEV_B" stats on ||
			{ check_err 1 "cycle $i: stats on"; break; }
		ip netns exec "$NS_A" hotpath set "$DEV_A" stats off &&
			ip netns exec "$NS_B" hotpath set "$DEV_B" stats off ||
			{ check_err 1 "cycle $i: stats off"; break; }
		[ "$(alive)" = 0 ] || { check_err 1 "cycle $i: attached_alive $(alive)"; break; }
	done
	hp_stop_bg STREAM
	log_test "stats on/off on both ends $CYCLES times under a stream: attached_alive 0"

	# a whole stream with the devices attached: nothing lost silently
	RET=0
	hp_set "$NS_A" "$DEV_A" stats on && hp_set "$NS_B" "$DEV_B" stats on
	check_err $? "stats on"
	stream_start 2
	stream_check
	log_test "a stream through two attached devices: received + dropped == sent"
}

test_netns_move()
{
	local ns_c i

	RET=0
	ns_c=$(hp_ns_create nic-c) || hp_fail "netns"
	hp_set "$NS_A" "$DEV_A" stats off
	for i in $(seq "$CYCLES"); do
		ip netns exec "$NS_A" hotpath set "$DEV_A" stats on || { check_err 1 "stats on"; break; }
		ip -n "$NS_A" link set dev "$DEV_A" netns "$ns_c" || { check_err 1 "move"; break; }
		ip -n "$ns_c" link set dev "$DEV_A" up
		# the move unregistered it in NS_A: detached (B stays attached)
		[ "$(alive)" = 1 ] || { check_err 1 "cycle $i: attached_alive $(alive) after the move"; break; }
		ip netns exec "$ns_c" hotpath set "$DEV_A" stats on &&
			ip netns exec "$ns_c" hotpath set "$DEV_A" stats off ||
			{ check_err 1 "cycle $i: attach in the new namespace"; break; }
		ip -n "$ns_c" link set dev "$DEV_A" netns "$NS_A" || { check_err 1 "move back"; break; }
	done
	# back in NS_A without its addresses (a move drops them)
	ip -n "$NS_A" addr add "$IP4_A/24" dev "$DEV_A" &&
		ip -n "$NS_A" addr add "$IP6_A/64" dev "$DEV_A" nodad &&
		ip -n "$NS_A" link set dev "$DEV_A" up
	check_err $? "setting $DEV_A up again"
	busywait_eq 30000 1 hp_carrier "$NS_A" "$DEV_A" >/dev/null
	check_err $? "no carrier on $DEV_A again"
	busywait 30000 ip netns exec "$NS_A" ping -c 1 -W 1 "$IP4_B" >/dev/null
	check_err $? "no ping $DEV_A -> $DEV_B again"
	log_test "an attached device moved to another namespace $CYCLES times: detached each time"
}

test_rmmod_hotpath()
{
	local i

	RET=0
	stream_start $LOOP_STREAM_S
	for i in $(seq "$CYCLES"); do
		ip netns exec "$NS_A" hotpath set "$DEV_A" stats on &&
			ip netns exec "$NS_B" hotpath set "$DEV_B" stats on ||
			{ check_err 1 "cycle $i: stats on"; break; }
		rmmod hotpath || { check_err 1 "cycle $i: rmmod hotpath"; break; }
		insmod "$(hp_ko)" pairs=0 || { check_err 1 "cycle $i: insmod"; break; }
		[ "$(alive)" = 0 ] || { check_err 1 "cycle $i: attached_alive $(alive) after insmod"; break; }
	done
	kill -0 "$STREAM" 2>/dev/null
	check_err $? "the stream died with the module"
	hp_stop_bg STREAM
	log_test "rmmod hotpath with both ends attached under a stream, $CYCLES times"
}

test_rmmod_driver()
{
	local i devs a=$DEV_A b=$DEV_B na=$NS_A nb=$NS_B

	RET=0
	# the first cycle finds the ends in their namespaces, later ones in
	# this one, where modprobe brings them back
	for i in $(seq "$CYCLES"); do
		nsx "$na" hotpath set "$a" stats on && nsx "$nb" hotpath set "$b" stats on ||
			{ check_err 1 "cycle $i: attach"; break; }
		[ "$(alive)" = 2 ] || { check_err 1 "cycle $i: attached_alive $(alive)"; break; }
		modprobe -r igb || { check_err 1 "cycle $i: rmmod igb"; break; }
		[ "$(alive)" = 0 ] || { check_err 1 "cycle $i: attached_alive $(alive) after rmmod igb"; break; }
		modprobe igb || { check_err 1 "cycle $i: modprobe igb"; break; }
		devs=$(hp_nic_find igb) || { check_err 1 "cycle $i: no igb netdevs"; break; }
		read -r a b <<<"$devs"
		na='' nb=''
		ip link set dev "$a" up && ip link set dev "$b" up ||
			{ check_err 1 "cycle $i: up"; break; }
	done
	log_test "rmmod igb with both ends attached, $CYCLES times: both detached"
}

# timed TEST: the part's wall time, for the suite's budget
timed()
{
	local t0=$SECONDS

	"$@"
	log_info "$1 took $((SECONDS - t0)) s"
}

hp_mod_load pairs=0 || hp_fail "cannot load hotpath.ko"
timed hp_nic_pair igb || hp_fail "igb pair setup failed"
timed test_detach_under_traffic
timed test_netns_move
timed test_rmmod_hotpath
timed test_rmmod_driver
exit $EXIT_STATUS
