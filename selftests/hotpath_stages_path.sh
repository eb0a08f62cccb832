#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-stage accounting along the path (issue 4):
# - after N ping-pong datagrams every stage on the path has exactly N counts
#   on the right port, stages off the path 0;
# - busy polling moves the counts from rx_irq/rx_napi to rx_busy_poll;
# - the hotpath tracepoints exist, fire once per packet per stage;
# - reset zeroes every stage and counter;
# - probes off: tx_stack/rx_wakeup stay 0 and the core probes are
#   unregistered.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq hotpath

N=50
PORT=7001
SIZE=18		# 42 + 18 = 60 B frame, 64 B with FCS
PP=$(hp_helper stages_pingpong)
TRACEFS=/sys/kernel/tracing
PARAM=/sys/module/hotpath/parameters/probes_registered

TX_STAGES="tx_stack tx_qdisc tx_desc tx_doorbell tx_fetch tx_dma tx_wire"
RX_IRQ_STAGES="rx_dma rx_irq rx_napi rx_stack rx_wakeup"
RX_BUSY_STAGES="rx_dma rx_busy_poll rx_stack rx_wakeup"

# stage NS DEV NAME [FIELD]: one stage's field (count) from `hotpath -j stats`
# counter NS DEV NAME
# hp_pingpong (lib.sh) with WARMUP round trips, then RESET_CMD (a reset of
# both ports' stats), then the COUNT round trips hp0 -> hp1 -> hp0
WARMUP=3
RESET_CMD=
# expect_counts NS DEV EXPECTED STAGES...
expect_counts()
{
	local ns=$1 dev=$2 want=$3 s; shift 3

	for s in "$@"; do
		check_eq "$(hp_stage "$ns" "$dev" "$s")" "$want" "$dev $s count"
	done
}

show_stats()
{
	ip netns exec "$NS_A" hotpath stats "$DEV_A" | sed 's/^/    /'
	ip netns exec "$NS_B" hotpath stats "$DEV_B" | sed 's/^/    /'
}

TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

hp_mod_load pairs=1 || hp_fail "insmod failed"
hp_pair_setup || hp_fail "pair setup failed"
hp_pair_quiet || hp_fail "quiet link setup failed"
hp_set "$NS_A" "$DEV_A" probes on
hp_set "$NS_B" "$DEV_B" probes on
HOTPATH=$(command -v hotpath)
RESET_CMD="$IP netns exec $NS_A $HOTPATH reset $DEV_A && $IP netns exec $NS_B $HOTPATH reset $DEV_B"

##############################################################################
# interrupt mode: every stage on the path counts N, rx_busy_poll 0

hp_pingpong $N $SIZE 0 0 $WARMUP "$RESET_CMD"
check_err $? "ping-pong failed"
show_stats
for d in "$NS_A $DEV_A" "$NS_B $DEV_B"; do
	set -- $d
	expect_counts "$1" "$2" $N $TX_STAGES $RX_IRQ_STAGES
	expect_counts "$1" "$2" 0 rx_busy_poll
done
log_test "interrupt mode: $N counts per stage on the path, 0 off it"

##############################################################################
# busy polling: rx_irq/rx_napi counts move to rx_busy_poll

# A watchdog bound (1 s) far above any busy poller's pickup time in TCG.
# Each receive polls until its datagram is there (stages_pingpong spins on
# busy-polling recv()s), so a poller is present however long the peer takes,
# the client's reset after the warm-up included; no busy-poll window has to
# outlast it.  The first warm-up datagram on each socket arrives through the
# watchdog (the socket has no NAPI id to poll yet); the rest are polled.
hp_set "$NS_A" "$DEV_A" rx-mode busy-poll busy-poll-fallback-us 1000000
hp_set "$NS_B" "$DEV_B" rx-mode busy-poll busy-poll-fallback-us 1000000
hp_pingpong $N $SIZE 50 50 $WARMUP "$RESET_CMD"
check_err $? "busy-poll ping-pong failed"
show_stats
# Each port sends as well as receives here, and its TX completion vector
# schedules the queue pair's one NAPI: a reply that lands while that run is
# pending and the poller is between busy-poll sessions (its vCPU taken away)
# is picked up by that NAPI run, not the poller (hotpath_tech_busypoll.sh
# echoes over a second pair to count pickups exactly).  What the mechanism
# guarantees: no RX interrupt, no watchdog, and every frame accounted once,
# in rx_busy_poll or (TX vector) rx_irq + rx_napi; the poller takes most.
for d in "$NS_A $DEV_A" "$NS_B $DEV_B"; do
	set -- $d
	check_eq "$(hp_counter "$1" "$2" watchdog_fires)" 0 "$2 watchdog fires (busy pollers present)"
	check_eq "$(hp_counter "$1" "$2" interrupts)" 0 "$2 RX interrupts in busy-poll mode"
	expect_counts "$1" "$2" $N $TX_STAGES rx_dma rx_stack rx_wakeup
	busy=$(hp_stage "$1" "$2" rx_busy_poll)
	napi=$(hp_stage "$1" "$2" rx_napi)
	echo "    $2: rx_busy_poll $busy, rx_napi (TX vector's NAPI) $napi"
	check_eq "$((busy + napi))" $N "$2 rx_busy_poll + rx_napi"
	check_eq "$(hp_stage "$1" "$2" rx_irq)" "$napi" "$2 rx_irq count (= rx_napi)"
	check_eq "$(hp_counter "$1" "$2" busy_poll_pickups)" "$busy" "$2 busy_poll_pickups (= rx_busy_poll)"
	[ "$napi" -le "$(hp_counter "$1" "$2" tx_interrupts)" ]
	check_err $? "$2: $napi NAPI pickups, more than the TX vector's runs"
	[ "$busy" -gt "$napi" ]
	check_err $? "$2: the busy poller took $busy of $N frames, not most"
done
log_test "busy-poll mode: rx_irq/rx_napi counts move to rx_busy_poll"
hp_set "$NS_A" "$DEV_A" rx-mode interrupt
hp_set "$NS_B" "$DEV_B" rx-mode interrupt

##############################################################################
# tracepoints: exist, once per packet per stage

[ -d $TRACEFS/events/hotpath ] || mount -t tracefs nodev $TRACEFS 2>/dev/null
for s in $TX_STAGES rx_dma rx_irq rx_napi rx_busy_poll rx_stack rx_wakeup xsk_tx xsk_rx xdp_prog \
	 tx_push_hits tx_push_misses ctpio_success ctpio_poisoned ctpio_fallback_busy \
	 ctpio_fallback_long ctpio_fallback_runt interrupts tx_interrupts busy_poll_pickups \
	 watchdog_fires rx_ring_drops rx_crc_errors; do
	[ -d $TRACEFS/events/hotpath/$s ]
	check_err $? "no tracepoint hotpath:$s in tracefs"
done
log_test "tracepoints: hotpath:<stage> and technique events in tracefs"

IFX_A=$(ip netns exec "$NS_A" cat /sys/class/net/$DEV_A/ifindex)
IFX_B=$(ip netns exec "$NS_B" cat /sys/class/net/$DEV_B/ifindex)
echo 0 >$TRACEFS/tracing_on
echo >$TRACEFS/trace
echo 4096 >$TRACEFS/buffer_size_kb
echo 1 >$TRACEFS/events/hotpath/enable
hp_defer sh -c "echo 0 > $TRACEFS/events/hotpath/enable"
# no warm-up here: the trace must hold exactly the measured packets
hp_reset_both
echo 1 >$TRACEFS/tracing_on
hp_pingpong $N $SIZE 0 0 0 "$RESET_CMD"
check_err $? "ping-pong failed"
echo 0 >$TRACEFS/tracing_on
cp $TRACEFS/trace "$TMP/trace"
echo 0 >$TRACEFS/events/hotpath/enable
echo "    $(grep -c ': ' "$TMP/trace") trace lines, e.g.:"
grep -m 3 ' tx_wire: ' "$TMP/trace" | sed 's/^/    /'
for ifx in $IFX_A $IFX_B; do
	for s in $TX_STAGES $RX_IRQ_STAGES; do
		n=$(grep -c " $s: ifindex=$ifx " "$TMP/trace")
		check_eq "$n" $N "hotpath:$s events on ifindex $ifx"
	done
	n=$(grep -c " rx_busy_poll: ifindex=$ifx " "$TMP/trace")
	check_eq "$n" 0 "hotpath:rx_busy_poll events on ifindex $ifx"
done
# every packet's timeline: the seq numbers of tx_wire events are distinct
n=$(grep " tx_wire: ifindex=$IFX_A " "$TMP/trace" | sed 's/.* seq=\([0-9]*\) .*/\1/' | sort -u | wc -l)
check_eq "$n" $N "distinct seq in hotpath:tx_wire on ifindex $IFX_A"
n=$(grep -c " interrupts: ifindex=$IFX_A " "$TMP/trace")
check_eq "$n" "$(hp_counter "$NS_A" "$DEV_A" interrupts)" "hotpath:interrupts events vs interrupts counter"
log_test "tracepoints: one event per packet per stage"

##############################################################################
# reset zeroes every stage and every counter

run_cmd ip netns exec "$NS_A" hotpath reset "$DEV_A"
nonzero=$(ip netns exec "$NS_A" hotpath -j stats "$DEV_A" |
	  jq '[.[0].stages[] | .count, .min_ns, .mean_ns, .max_ns, .p50_ns, .p999_ns] +
	      [.[0].counters[]] | map(select(. != 0)) | length')
check_eq "$nonzero" 0 "non-zero stage fields and counters after reset"
log_test "reset zeroes every stage and counter"

##############################################################################
# probes off: tx_stack/rx_wakeup 0, core probes unregistered

echo "    probes_registered: $(cat $PARAM)"
grep -q ftrace:inet_sendmsg $PARAM
check_err $? "inet_sendmsg not traced with probes on"
hp_set "$NS_A" "$DEV_A" probes off
hp_set "$NS_B" "$DEV_B" probes off
echo "    probes_registered: $(cat $PARAM)"
check_eq "$(cat $PARAM)" net_dev_queue "registered core probes with probes off"
hp_pingpong $N $SIZE 0 0 $WARMUP "$RESET_CMD"
check_err $? "ping-pong failed"
for d in "$NS_A $DEV_A" "$NS_B $DEV_B"; do
	set -- $d
	expect_counts "$1" "$2" 0 tx_stack rx_wakeup
	expect_counts "$1" "$2" $N tx_qdisc tx_desc tx_wire rx_irq rx_stack
done
hp_set "$NS_A" "$DEV_A" stats off
hp_set "$NS_B" "$DEV_B" stats off
check_eq "$(cat $PARAM)" none "registered core probes with stats and probes off"
log_test "probes off: tx_stack/rx_wakeup 0, probes unregistered"

exit "$EXIT_STATUS"
