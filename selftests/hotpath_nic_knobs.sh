#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The technique switches on a real NIC (issue 27): `hotpath set DEV KEY
# VALUE` on an attached igb or e1000e of the test VM (lib.sh hp_nic_pair),
# each key through the kernel's own knob, all or nothing:
#  - coalescing through ethtool's netlink: a value round-trips, igb's
#    rx-usecs 3 reads back as the mode it is (and says so), e1000e rounds
#    900 to 902 (it stores an interrupt rate) and both hotpath and ethtool
#    read back what it granted; without stats attached the knobs are
#    refused and nothing changes;
#  - refusals name the driver or the attribute and change nothing, across
#    the keys of one request: rx-frames (igb has no frame count), tx-push
#    (no driver here offers it), a value the driver refuses, a model key
#    (hp ports only) and ctpio (Onload's, with the reason);
#  - rx-mode busy-poll sets napi_defer_hard_irqs and gro_flush_timeout to
#    the kernel's recipe, interrupt restores exactly what it found, and so
#    does stats off; a sysfs change shows in `show`, an `ethtool -C` in
#    `monitor`;
#  - busy polling (igb, e1000e): in a hotpath-bench --busy-poll
#    --prefer-busy-poll ping-pong of COUNT datagrams with both ends in
#    busy-poll, busy pollers pick up at least 8 in 10 of them (the rest:
#    an interrupt's poll, or the gro_flush_timeout timer's when a poller
#    missed one).  QEMU's e1000e masks a vector that fired, so there the
#    receiver's RX vectors raise fewer interrupts than a tenth of the
#    datagrams, and fewer than in rx-mode interrupt with the same sockets.
#    QEMU's igb does not auto-mask (its model leaves EIMS set under igb's
#    GPIE.EIAME), so the driver's leaving the interrupt masked, which the
#    kernel's deferral asks of it, cannot hold the vector quiet there: it
#    keeps firing, about twice per datagram at rx-usecs 0 in either mode,
#    and finds the NAPI instance owned by the busy poller (printed; on a
#    real 82576 the masked vector stays quiet); there fewer than a tenth
#    of the frames are received by an interrupt's NAPI poll (rx_poll's
#    count);
#  - coalescing on igb: rx-usecs on the server's end holds its RX vector's
#    interrupts that far apart (the 82576's EITR, which QEMU models), so in
#    a ping-pong (one interrupt per round trip) at rx-usecs 100 the round
#    trip waits for it, in the stage before the interrupt, wire
#    (test_coalesce);
#    a stream paced at one datagram per 10 us raises at most one RX
#    interrupt per 50 us on it, against about one per datagram at 0.
# The virtual clock: the busy-poll recipe's 200 us is a lab box's figure,
# under TCG's real clock a round trip alone takes longer.
# hp-vm-clock: virtual
source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq ethtool

BENCH=$(command -v hotpath-bench || echo "$HP_TOP/tools/bench/hotpath-bench")
[ -x "$BENCH" ] || hp_skip "hotpath-bench not found (make -C tools/bench)"

COUNT=${HP_NIC_COUNT:-500}
MON_OUT=$(mktemp)
MON_PID=
ERR=$(mktemp)
hp_defer rm -f "$MON_OUT" "$ERR"
hp_defer hp_stop_bg MON_PID

# hp NS ARGS...: hotpath in NS, printed; stdout in OUT, stderr in ERR
hp()
{
	local ns=$1 rc

	shift
	echo "COMMAND: ip netns exec $ns hotpath $*"
	OUT=$(ip netns exec "$ns" hotpath "$@" 2>"$ERR")
	rc=$?
	[ -z "$OUT" ] || echo "$OUT" | sed 's/^/    /'
	[ -s "$ERR" ] && sed 's/^/    stderr: /' "$ERR"
	return $rc
}

# coalesce NS DEV FIELD: ethtool -c's value of FIELD ("rx-usecs")
coalesce()
{
	ip netns exec "$1" ethtool -c "$2" | awk -v f="$3:" '$1 == f { print $2 }'
}

# shown NS DEV FILTER: jq FILTER over hotpath -j show DEV
shown()
{
	ip netns exec "$1" hotpath -j show "$2" | jq -r ".[0] | $3"
}

sysfs()
{
	ip netns exec "$1" cat "/sys/class/net/$2/$3"
}

# refused WHAT PATTERN NS ARGS...: hotpath ARGS fails with exit 1 and an
# error matching PATTERN
refused()
{
	local what=$1 pattern=$2 ns=$3

	shift 3
	hp "$ns" "$@"
	check_eq "$?" 1 "$what: exit status"
	grep -Eq -- "$pattern" "$ERR"
	check_err $? "$what: error does not match '$pattern'"
}

test_attach_needed()
{
	local before

	RET=0
	before=$(coalesce "$NS_B" "$DEV_B" rx-usecs)
	refused "rx-usecs without stats" "No such device: rx-usecs: $DEV_B is not a hotpath port, nor a device with stats attached" \
		"$NS_B" set "$DEV_B" rx-usecs 40
	check_eq "$(coalesce "$NS_B" "$DEV_B" rx-usecs)" "$before" "rx-usecs unchanged"
	log_test "$DRV: the knobs need stats attached; refused, nothing changes"
}

test_roundtrip()
{
	RET=0
	hp "$NS_B" set "$DEV_B" stats on rx-usecs 50
	check_err $? "set stats on rx-usecs 50"
	hp_defer ip netns exec "$NS_B" hotpath set "$DEV_B" stats off
	grep -qx "$DEV_B: $DRV granted rx-usecs 50" <<< "$OUT"
	check_err $? "granted line"
	check_eq "$(coalesce "$NS_B" "$DEV_B" rx-usecs)" 50 "ethtool -c rx-usecs"
	check_eq "$(shown "$NS_B" "$DEV_B" .coalesce.rx_usecs)" 50 "show .coalesce.rx_usecs"
	check_eq "$(shown "$NS_B" "$DEV_B" .coalesce.rx_frames)" null "show .coalesce.rx_frames"
	check_eq "$(shown "$NS_B" "$DEV_B" .driver)" "$DRV" "show .driver"
	log_test "$DRV: stats on rx-usecs 50 in one request: granted, read back by ethtool and show"

	RET=0
	if [ "$DRV" = igb ]; then
		hp "$NS_B" set "$DEV_B" rx-usecs 3
		check_err $? "set rx-usecs 3"
		grep -qx "$DEV_B: igb granted rx-usecs 3" <<< "$OUT"
		check_err $? "granted line"
		grep -q "reads rx-usecs 1 to 4 as moderation modes" <<< "$OUT"
		check_err $? "no word that 3 is a mode"
		check_eq "$(coalesce "$NS_B" "$DEV_B" rx-usecs)" 3 "ethtool -c rx-usecs"
		log_test "igb: rx-usecs 3 is granted as igb's dynamic mode, and said so"
	else
		hp "$NS_B" set "$DEV_B" rx-usecs 900
		check_err $? "set rx-usecs 900"
		grep -qx "$DEV_B: e1000e granted rx-usecs 902 (asked 900)" <<< "$OUT"
		check_err $? "granted line"
		check_eq "$(coalesce "$NS_B" "$DEV_B" rx-usecs)" 902 "ethtool -c rx-usecs"
		check_eq "$(shown "$NS_B" "$DEV_B" .coalesce.rx_usecs)" 902 "show .coalesce.rx_usecs"
		log_test "e1000e: rx-usecs 900 is granted as 902 (an interrupt rate), read back so"
	fi
	hp "$NS_B" set "$DEV_B" rx-usecs 50 >/dev/null
}

# every refusal leaves rx-usecs 50 and rx-mode interrupt as they are
test_refusals()
{
	local keys

	RET=0
	keys="rx-usecs 60 rx-frames 8"
	refused "$keys" "rx-frames: not supported by $DRV \(ethtool: cannot modify an unsupported parameter\)" \
		"$NS_B" set "$DEV_B" $keys
	refused "tx-push on" "tx-push: not supported by $DRV \(ethtool: setting tx push not supported\)" \
		"$NS_B" set "$DEV_B" rx-usecs 60 tx-push on
	refused "rx-usecs 5" "Invalid argument: rx-usecs: $DRV refused the values" \
		"$NS_B" set "$DEV_B" rx-mode busy-poll rx-usecs 5
	refused "pcie-rtt" "model \(HOTPATH_A_MODEL\): not a hotpath port" \
		"$NS_B" set "$DEV_B" rx-usecs 60 pcie-rtt 500
	refused "ctpio ct" "ctpio \(HOTPATH_A_CTPIO\): .*sfc driver has no CTPIO control; Onload sets it per application \(EF_CTPIO\)" \
		"$NS_B" set "$DEV_B" ctpio ct
	check_eq "$(coalesce "$NS_B" "$DEV_B" rx-usecs)" 50 "rx-usecs after the refusals"
	check_eq "$(shown "$NS_B" "$DEV_B" .rx_mode)" interrupt "rx-mode after the refusals"
	log_test "$DRV: refusals name the driver or the attribute, and change nothing"
}

test_rx_mode()
{
	RET=0
	# values of someone else's, which interrupt must give back exactly
	ip netns exec "$NS_B" sh -c "echo 0 > /sys/class/net/$DEV_B/napi_defer_hard_irqs &&
		echo 1000 > /sys/class/net/$DEV_B/gro_flush_timeout"
	check_err $? "sysfs writes"
	check_eq "$(shown "$NS_B" "$DEV_B" .gro_flush_timeout_ns)" 1000 "show after a sysfs write"
	hp "$NS_B" set "$DEV_B" rx-mode busy-poll
	check_err $? "rx-mode busy-poll"
	check_eq "$(sysfs "$NS_B" "$DEV_B" napi_defer_hard_irqs)" 2 "napi_defer_hard_irqs"
	check_eq "$(sysfs "$NS_B" "$DEV_B" gro_flush_timeout)" 200000 "gro_flush_timeout"
	check_eq "$(shown "$NS_B" "$DEV_B" .rx_mode)" busy-poll "show .rx_mode"
	hp "$NS_B" show "$DEV_B"
	grep -q "the application polls: SO_BUSY_POLL" <<< "$OUT"
	check_err $? "show does not say the application must poll"
	hp "$NS_B" set "$DEV_B" rx-mode interrupt
	check_err $? "rx-mode interrupt"
	check_eq "$(sysfs "$NS_B" "$DEV_B" napi_defer_hard_irqs)" 0 "napi_defer_hard_irqs restored"
	check_eq "$(sysfs "$NS_B" "$DEV_B" gro_flush_timeout)" 1000 "gro_flush_timeout restored"
	check_eq "$(shown "$NS_B" "$DEV_B" .rx_mode)" interrupt "show .rx_mode"

	hp "$NS_B" set "$DEV_B" rx-mode busy-poll && hp "$NS_B" set "$DEV_B" stats off
	check_err $? "busy-poll, then stats off"
	check_eq "$(sysfs "$NS_B" "$DEV_B" gro_flush_timeout)" 1000 "gro_flush_timeout after stats off"
	refused "rx-mode detached" "rx-mode \(HOTPATH_A_RX_MODE\): the device has no stats attached" \
		"$NS_B" set "$DEV_B" rx-mode busy-poll
	check_eq "$(sysfs "$NS_B" "$DEV_B" napi_defer_hard_irqs)" 0 "napi_defer_hard_irqs untouched"
	hp "$NS_B" set "$DEV_B" stats on
	ip netns exec "$NS_B" sh -c "echo 0 > /sys/class/net/$DEV_B/gro_flush_timeout"
	log_test "$DRV: rx-mode busy-poll sets the kernel's recipe, interrupt and stats off restore it"
}

_mon_primed()
{
	ip netns exec "$NS_B" hotpath set "$DEV_B" rx-mode interrupt >/dev/null 2>&1
	[ -s "$MON_OUT" ]
}

mon_has()
{
	grep -q -- "$1" "$MON_OUT"
}

test_monitor()
{
	RET=0
	: >"$MON_OUT"
	hp_bg MON_PID "$MON_OUT" "$NS_B" hotpath monitor
	busywait 10000 _mon_primed >/dev/null
	check_err $? "monitor did not report the priming change"
	run_ns "$NS_B" ethtool -C "$DEV_B" rx-usecs 20
	busywait 5000 mon_has "^$DEV_B: .*coalesce rx-usecs 20 " >/dev/null
	check_err $? "monitor missed ethtool -C rx-usecs 20"
	hp_stop_bg MON_PID
	sed 's/^/    /' "$MON_OUT"
	log_test "$DRV: monitor prints an attached device's ethtool -C change"
}

# bp MODE: a --busy-poll 50 --prefer-busy-poll ping-pong of COUNT with both
# ends in rx-mode MODE; the server end's RX vector interrupts (IRQS), the
# frames an interrupt's NAPI poll received (BY_IRQ: rx_poll's count) and
# those busy pollers picked up (PICKED), of RX frames
bp()
{
	local b0 b1

	hp "$NS_A" set "$DEV_A" rx-mode "$1" >/dev/null && hp "$NS_B" set "$DEV_B" rx-mode "$1" &&
		hp "$NS_B" reset "$DEV_B"
	check_err $? "rx-mode $1 on both ends"
	b0=$(hp_nic_irqs "$DEV_B" rx)
	hp_bench 300 "$NS_A" client "$IP4_B" --server-netns "$NS_B" --count "$COUNT" \
		--warmup 0 --timeout 2000 --busy-poll 50 --prefer-busy-poll --json
	check_err $? "hotpath-bench --busy-poll 50 --prefer-busy-poll"
	b1=$(hp_nic_irqs "$DEV_B" rx)
	check_eq "$(jq -r .lost <<< "$OUT")" 0 "lost"
	IRQS=$((b1 - b0))
	hp "$NS_B" -j stats "$DEV_B" >/dev/null
	PICKED=$(jq -r '.[0].counters.busy_poll_pickups' <<< "$OUT")
	RX=$(jq -r '.[0].counters.rx_packets' <<< "$OUT")
	BY_IRQ=$(jq -r '.[0].stages[] | select(.name == "rx_poll") | .count' <<< "$OUT")
	log_info "rx-mode $1: $DEV_B received $RX frames: $BY_IRQ by an interrupt's poll," \
		"$PICKED by busy pollers; its RX vectors fired $IRQS times"
}

test_busy_poll()
{
	local irq0

	RET=0
	hp "$NS_A" set "$DEV_A" stats on
	hp_defer ip netns exec "$NS_A" hotpath set "$DEV_A" stats off
	if [ "$DRV" = e1000e ]; then
		bp interrupt
		irq0=$IRQS
	fi
	bp busy-poll
	# most datagrams come up by busy pollers (the rest: an interrupt's poll,
	# or the gro_flush_timeout timer's when a poller missed one)
	[ "$PICKED" -ge $((COUNT * 8 / 10)) ]
	check_err $? "busy-poll pickups $PICKED, want >= $((COUNT * 8 / 10)) of $COUNT"
	if [ "$DRV" = e1000e ]; then
		# QEMU's e1000e masks a vector that fired: the deferral holds it quiet
		[ "$IRQS" -lt $((COUNT / 10)) ] && [ "$IRQS" -lt "$irq0" ]
		check_err $? "$IRQS RX interrupts, want < $((COUNT / 10)) and < $irq0 (rx-mode interrupt)"
	else
		# QEMU's igb does not: who received is what the deferral changes there
		[ "$BY_IRQ" -lt $((COUNT / 10)) ]
		check_err $? "$BY_IRQ frames received by an interrupt's poll, want < $((COUNT / 10))"
	fi
	hp "$NS_B" set "$DEV_B" rx-mode interrupt >/dev/null &&
		hp "$NS_A" set "$DEV_A" rx-mode interrupt >/dev/null
	log_test "$DRV: busy-poll, ping-pong of $COUNT: $BY_IRQ frames by interrupt, $PICKED busy-poll pickups, $IRQS RX interrupts${irq0:+ ($irq0 in rx-mode interrupt)}"
}

# pp USECS: a ping-pong of COUNT at rx-usecs USECS on the server's end,
# the client on CPU 0 and the server on CPU 1 with their vectors (as
# hotpath_nic.sh's anchor: no cross-CPU wakeup); its RTT_MEAN, the server's
# WIRE_MEAN and RX vector interrupts (PP_IRQS), over its DURATION (ns).
# Means: they add up, and the wait does not fall on every round trip alike
pp()
{
	local b0 b1

	hp "$NS_B" set "$DEV_B" rx-usecs "$1" >/dev/null && hp "$NS_B" reset "$DEV_B"
	check_err $? "rx-usecs $1"
	b0=$(hp_nic_irqs "$DEV_B" rx)
	hp_bench 300 "$NS_A" client "$IP4_B" --server-netns "$NS_B" --count "$COUNT" \
		--warmup 0 --timeout 2000 --cpu 0 --server-cpu 1 --json
	check_err $? "hotpath-bench"
	b1=$(hp_nic_irqs "$DEV_B" rx)
	PP_IRQS=$((b1 - b0))
	RTT_MEAN=$(jq -r .rtt.mean_ns <<< "$OUT")
	DURATION=$(jq -r .duration_ns <<< "$OUT")
	hp "$NS_B" -j stats "$DEV_B" >/dev/null
	WIRE_MEAN=$(jq -r '.[0].stages[] | select(.name == "wire") | .mean_ns' <<< "$OUT")
}

# stream USECS: RX interrupts on the server's end over a stream of COUNT
# paced at 100000/s; STREAM_NS is its duration
stream()
{
	local b0 b1

	hp "$NS_B" set "$DEV_B" rx-usecs "$1" >/dev/null
	b0=$(hp_nic_irqs "$DEV_B" rx)
	hp_bench 300 "$NS_A" client "$IP4_B" --server-netns "$NS_B" --mode stream \
		--count "$COUNT" --warmup 0 --rate 100000 --cpu 0 --server-cpu 1 --json
	check_err $? "hotpath-bench stream"
	b1=$(hp_nic_irqs "$DEV_B" rx)
	STREAM_IRQS=$((b1 - b0))
	STREAM_NS=$(jq -r .duration_ns <<< "$OUT")
}

# igb: its EITR holds a vector's interrupts rx-usecs apart (QEMU models
# it as the 82576 has it: an interrupt fires at once unless one fired less
# than the interval before, else when the interval ends).  A ping-pong
# needs one server interrupt per round trip, so at an interval longer than
# its round trip (rx-usecs 100 against 50-60 us here) each round trip
# waits for the server's interrupt for the rest of the interval, in the
# wire stage (the peer's doorbell to this end's interrupt): its mean grows
# by at least half of (100 us - the round trip at rx-usecs 0), half left
# for what else moves; and the server's RX vector fires at most once per
# 100 us.  (QEMU's igb does not mask a vector that fired, and raises it
# for more than one cause a round trip: the waits come out longer than
# this bound, and unevenly, which is why means.)
test_coalesce()
{
	local rtt0 wire0 irqs0 wait

	RET=0
	hp "$NS_A" set "$DEV_A" rx-usecs 0 >/dev/null &&
		hp_nic_irq_cpu "$DEV_A" 0 && hp_nic_irq_cpu "$DEV_B" 1
	check_err $? "cannot set the client's end to rx-usecs 0 or steer the vectors"
	pp 0
	rtt0=$RTT_MEAN wire0=$WIRE_MEAN
	pp 100
	wait=$((100000 - rtt0))
	log_info "rx-usecs 0: RTT mean $rtt0 ns, wire mean $wire0 ns;" \
		"rx-usecs 100: RTT mean $RTT_MEAN ns, wire mean $WIRE_MEAN ns," \
		"$PP_IRQS RX interrupts over $DURATION ns"
	[ "$rtt0" -lt 90000 ]
	check_err $? "RTT mean $rtt0 ns at rx-usecs 0: not well under the 100 us interval"
	[ "$PP_IRQS" -le $((DURATION / 100000 + 2)) ]
	check_err $? "$PP_IRQS RX interrupts over $DURATION ns at rx-usecs 100, want <= one per 100 us"
	[ $((WIRE_MEAN - wire0)) -ge $((wait / 2)) ]
	check_err $? "wire mean grew by $((WIRE_MEAN - wire0)) ns at rx-usecs 100, want >= $((wait / 2))"
	log_test "igb: rx-usecs 100 spaces the interrupts; the ping-pong waits in wire (mean $wire0 -> $WIRE_MEAN ns)"

	RET=0
	stream 0
	irqs0=$STREAM_IRQS
	stream 50
	log_info "stream of $COUNT at 100000/s: $irqs0 RX interrupts at rx-usecs 0," \
		"$STREAM_IRQS at 50 over $STREAM_NS ns"
	[ "$STREAM_IRQS" -le $((STREAM_NS / 50000 + 2)) ]
	check_err $? "$STREAM_IRQS RX interrupts at rx-usecs 50 over $STREAM_NS ns, want <= one per 50 us"
	[ "$STREAM_IRQS" -lt "$irqs0" ]
	check_err $? "no fewer interrupts than at rx-usecs 0 ($irqs0)"
	hp "$NS_B" set "$DEV_B" rx-usecs 0 >/dev/null
	log_test "igb: a paced stream raises at most one RX interrupt per 50 us at rx-usecs 50"
}

hp_require_module
for DRV in igb e1000e; do
	hp_nic_pair "$DRV" || hp_fail "$DRV: pair setup failed"
	test_attach_needed
	test_roundtrip
	test_refusals
	test_rx_mode
	test_monitor
	test_busy_poll
	[ "$DRV" = igb ] && test_coalesce
done
exit "$EXIT_STATUS"
