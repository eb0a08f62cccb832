#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real-NIC mode: stage accounting attached to another driver's devices, the
# test VM's igb and e1000e pairs (lib.sh hp_nic_pair), each end in its own
# namespace.  For each driver:
#  - `hotpath set DEV stats on` attaches: show says attached and names the
#    driver; a hotpath-bench ping-pong of COUNT datagrams (after a warm-up
#    run of WARMUP, before the stages' reset, so that the stages and
#    hotpath-bench's figures hold the same frames)
#    counts every stage of the device's path at least COUNT times and at
#    most as often as the link counted frames (both drivers count a sent
#    frame at its completion, as tx_complete does: one sent before the reset
#    may complete inside the run), every p50 positive but wire's (QEMU's NIC delivers in
#    the doorbell write: the peer's interrupt may come first, 0), and the
#    NIC's stamp stages are absent (no stamping asked for);
#  - on the virtual clock the one-way stages of the client's direction (its
#    tx_stack, tx_qdisc, tx_desc, wire to the server's interrupt, the
#    server's rx_poll, rx_stack, rx_wakeup) add up to hotpath-bench's
#    one-way trip: their means sum to within 10% of its one-way mean, at
#    rx-usecs 0 (one latency mode; e1000e's ping-pong paced past QEMU's
#    interrupt throttle), the whole path on one vCPU (below).  Means, as the
#    mean of a sum is the sum of the means; p50s are not additive (e1000e's
#    rx_poll takes one of two values from run to run, and a run mixing them
#    has a sum of p50s 17% off the one-way p50): their sum is printed;
#  - the interrupts counted on the device's vectors equal what
#    /proc/interrupts counted on them over the run;
# for igb:
#  - with TX hardware stamping on (hwstamp_ctl), `stats on` maps the PHC and
#    the stamped frames record tx_nic, under 1 ms (a mapping off by more
#    than 100 us records none; QEMU's igb stamps in the doorbell write, so
#    its tx_nic is about 0): at least half of 20 (a frame whose skb address
#    is reused before its free was seen loses its sample, 2-4 of 20 here);
#    with stamping off it stays absent (above);
#  - perf stat -e 'hotpath:*' over a ping-pong counts the stage events of
#    both ends, between the ping-pong's own frames and the stages' counts;
# and the access rules: an unprivileged `set` gets EPERM and changes
# nothing, a device in another namespace is invisible, `stats off` detaches
# (attached_alive back to 0).
# hp-vm-clock: virtual
source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq ethtool hwstamp_ctl setpriv

BENCH=$(command -v hotpath-bench || echo "$HP_TOP/tools/bench/hotpath-bench")
[ -x "$BENCH" ] || hp_skip "hotpath-bench not found (make -C tools/bench)"
HWTS=$(hp_helper hwts)

COUNT=${HP_NIC_COUNT:-500}
WARMUP=50
ALIVE=/sys/module/hotpath/parameters/attached_alive
TX_STAGES="tx_stack tx_qdisc tx_desc tx_complete"
RX_STAGES="wire rx_poll rx_stack rx_wakeup"
ONE_WAY="tx_stack tx_qdisc tx_desc wire rx_poll rx_stack rx_wakeup"
OUT=

bench()
{
	hp_bench 300 "$NS_A" client "$IP4_B" --server-netns "$NS_B" "$@"
}

# attach NS DEV: stats on (detached again at exit, if it still exists)
attach()
{
	hp_set "$1" "$2" stats on || return 1
	hp_defer ip netns exec "$1" hotpath set "$2" stats off
}

# snap NS DEV VAR: `hotpath -j stats DEV` into VAR
snap()
{
	printf -v "$3" '%s' "$(ip netns exec "$1" hotpath -j stats "$2")"
}

# st JSON STAGE FIELD
st()
{
	jq -r --arg n "$2" ".[0].stages[] | select(.name == \$n) | .$3" <<<"$1"
}

# pace DRIVER: hotpath-bench's pacing for DRIVER's ping-pong.  QEMU's e1000e
# spaces one vector's interrupts at least 128 us apart whatever its ITR
# (selftests/README.md), so an unpaced ping-pong (about 50 us a round trip)
# alternates between a prompt and a throttled interrupt: two modes, and a
# p50 of each stage from different ones.  2000 round trips a second keep
# every interrupt outside the throttle; igb's ping-pong is not throttled.
pace()
{
	[ "$1" = e1000e ] && echo "--rate 2000"
}

# pct A B: (A - B) / B as a signed percentage with one decimal
pct()
{
	local p=$(( ($1 - $2) * 1000 / $2 ))

	echo "$([ "$p" -lt 0 ] && echo -)$(( ${p#-} / 10 )).$(( ${p#-} % 10 ))%"
}

# freed NS DEV: every frame the device sent has been freed (a completion
# racing the sender's net_dev_xmit may go uncounted: callers bound it)
freed()
{
	local s

	snap "$1" "$2" s
	[ "$(st "$s" tx_complete count)" -ge "$(st "$s" tx_desc count)" ]
}

# The device's IRQs: its PCI function's MSI/MSI-X vectors.
dev_irqs()
{
	ls "$(ip netns exec "$1" readlink -f "/sys/class/net/$2/device")/msi_irqs"
}

# proc_irqs IRQ...: their interrupts so far, summed over the CPUs
proc_irqs()
{
	awk -v list=" $* " 'NR == 1 { cpus = NF; next }
		index(list, " " substr($1, 1, length($1) - 1) " ") {
			for (i = 2; i <= cpus + 1; i++) n += $i
		}
		END { print n + 0 }' /proc/interrupts
}

# irq_snap NS DEV: "proc module" from one instant: /proc/interrupts read
# before and after the module's counter, equal (no interrupt in between)
irq_snap()
{
	local irqs p0 p1 m i

	irqs=$(dev_irqs "$1" "$2")
	for i in $(seq 20); do
		p0=$(proc_irqs $irqs)
		m=$(hp_counter "$1" "$2" interrupts)
		p1=$(proc_irqs $irqs)
		[ "$p0" = "$p1" ] && { echo "$p0 $m"; return 0; }
	done
	return 1
}

test_driver()
{
	local drv=$1 sa sb tx_a rx_a tx_b rx_b dev s stage n m lim role ow om sum msum d
	local i0a i0b i1a i1b m0a m0b m1a m1b

	hp_nic_pair "$drv" || hp_fail "$drv: pair setup failed"

	RET=0
	attach "$NS_A" "$DEV_A" && attach "$NS_B" "$DEV_B"
	check_err $? "stats on"
	check_eq "$(ip netns exec "$NS_A" hotpath -j show "$DEV_A" | jq -r '.[0] | "\(.kind) \(.driver) \(.stats)"')" \
		"attached $drv true" "show $DEV_A"
	check_eq "$(cat $ALIVE)" 2 "attached_alive"
	log_test "$drv: stats on attaches both ends (kind attached, driver $drv)"

	RET=0
	# no interrupt moderation: one latency mode to compare with
	run_ns "$NS_A" ethtool -C "$DEV_A" rx-usecs 0 && run_ns "$NS_B" ethtool -C "$DEV_B" rx-usecs 0
	check_err $? "ethtool -C rx-usecs 0"
	# The whole path on CPU 0: both programs and both devices' vectors.
	# QEMU's NICs deliver inside the doorbell write and, under icount, run
	# the vCPUs one at a time: a device interrupt for the other vCPU
	# switches to it in the middle of the sender's xmit, which then holds
	# the whole far side's work (tx_desc of 33 us where it takes 1.5, e1000e
	# on 6.1) and the stages overlap.  On one vCPU they follow each other
	# as on a lab box's two CPUs.
	hp_nic_irq_cpu "$DEV_A" 0 && hp_nic_irq_cpu "$DEV_B" 0
	check_err $? "cannot steer the vectors to CPU 0"
	# a warm-up ping-pong resolves the peers and faults the paths in
	bench --count $WARMUP --warmup 0 --timeout 2000 --json $(pace "$drv") --cpu 0 --server-cpu 0 \
		>/dev/null
	# the link's counts before the stages' reset, as they are read after
	# the stages' snapshot: the link's window holds the stages' (a stray
	# frame between the two reads counted by the stages alone broke the
	# bound once: tx_qdisc 556 against 555 frames)
	tx_a=$(hp_stat "$NS_A" "$DEV_A" tx_packets); rx_a=$(hp_stat "$NS_A" "$DEV_A" rx_packets)
	tx_b=$(hp_stat "$NS_B" "$DEV_B" tx_packets); rx_b=$(hp_stat "$NS_B" "$DEV_B" rx_packets)
	run_ns "$NS_A" hotpath reset "$DEV_A"
	run_ns "$NS_B" hotpath reset "$DEV_B"
	i0a=$(irq_snap "$NS_A" "$DEV_A") && i0b=$(irq_snap "$NS_B" "$DEV_B")
	check_err $? "no quiet instant to read the interrupt counts"
	bench --count "$COUNT" --warmup 0 --timeout 2000 --json $(pace "$drv") --cpu 0 --server-cpu 0
	check_err $? "hotpath-bench failed"
	check_eq "$(jq -r .lost <<<"$OUT")" 0 "datagrams lost"
	ow=$(jq -r .one_way.p50_ns <<<"$OUT")
	busywait 5000 freed "$NS_A" "$DEV_A"
	busywait 5000 freed "$NS_B" "$DEV_B"
	i1a=$(irq_snap "$NS_A" "$DEV_A") && i1b=$(irq_snap "$NS_B" "$DEV_B")
	check_err $? "no quiet instant to read the interrupt counts"
	# the stages first: the NIC counts a frame before any hook sees it
	snap "$NS_A" "$DEV_A" sa
	snap "$NS_B" "$DEV_B" sb
	tx_a=$(( $(hp_stat "$NS_A" "$DEV_A" tx_packets) - tx_a ))
	rx_a=$(( $(hp_stat "$NS_A" "$DEV_A" rx_packets) - rx_a ))
	tx_b=$(( $(hp_stat "$NS_B" "$DEV_B" tx_packets) - tx_b ))
	rx_b=$(( $(hp_stat "$NS_B" "$DEV_B" rx_packets) - rx_b ))
	ip netns exec "$NS_B" hotpath stats "$DEV_B" | sed 's/^/    /'
	for role in "a $DEV_A $tx_a $rx_a" "b $DEV_B $tx_b $rx_b"; do
		set -- $role
		[ "$1" = a ] && s=$sa || s=$sb
		dev=$2
		for stage in $TX_STAGES $RX_STAGES; do
			case " $TX_STAGES " in *" $stage "*) lim=$3 ;; *) lim=$4 ;; esac
			n=$(st "$s" "$stage" count)
			[ "$n" -ge "$COUNT" ] && [ "$n" -le "$lim" ]
			check_err $? "$dev $stage: count $n, want $COUNT..$lim (the link's frames)"
			[ "$stage" = wire ] || [ "$(st "$s" "$stage" p50_ns)" -gt 0 ]
			check_err $? "$dev $stage: p50 0"
		done
		check_eq "$(st "$s" tx_nic count) $(st "$s" rx_nic count)" "0 0" \
			"$dev tx_nic and rx_nic counts without stamping"
		check_eq "$(jq -r '[.[0].stages[].name] | join(" ")' <<<"$s")" \
			"tx_stack tx_qdisc tx_desc tx_nic wire rx_nic rx_poll rx_busy_poll rx_stack rx_wakeup tx_complete" \
			"$dev stages in path order"
	done
	log_test "$drv: $COUNT round trips: every stage counted $COUNT..(link frames) times, p50 > 0"

	RET=0
	sum=0
	msum=0
	for stage in $ONE_WAY; do
		case " $TX_STAGES " in *" $stage "*) s=$sa ;; *) s=$sb ;; esac
		n=$(st "$s" "$stage" p50_ns)
		m=$(st "$s" "$stage" mean_ns)
		log_info "  $stage p50 $n ns mean $m ns"
		sum=$((sum + n))
		msum=$((msum + m))
	done
	om=$(jq -r .one_way.mean_ns <<<"$OUT")
	log_info "$drv: one-way stages' p50s sum to $sum ns, hotpath-bench one-way p50 $ow ns" \
		"($(pct "$sum" "$ow"))"
	log_info "$drv: one-way stages' means sum to $msum ns, hotpath-bench one-way mean $om ns" \
		"($(pct "$msum" "$om"), $HOTPATH_VM_CLOCK clock)"
	if [ "$HOTPATH_VM_CLOCK" = virtual ]; then
		d=$(( (msum - om) * 1000 / om ))
		[ "${d#-}" -le 100 ]
		check_err $? "the stages' means sum to $msum ns, not within 10% of the one-way mean $om ns"
		log_test "$drv: the one-way stages' means sum to within 10% of hotpath-bench's one-way mean"
	fi

	RET=0
	set -- $i0a; i0a=$1; m0a=$2
	set -- $i1a; i1a=$1; m1a=$2
	check_eq "$((m1a - m0a))" "$((i1a - i0a))" "$DEV_A interrupts counted against /proc/interrupts"
	set -- $i0b; i0b=$1; m0b=$2
	set -- $i1b; i1b=$1; m1b=$2
	check_eq "$((m1b - m0b))" "$((i1b - i0b))" "$DEV_B interrupts counted against /proc/interrupts"
	[ $((m1a - m0a)) -ge "$COUNT" ]
	check_err $? "$DEV_A: $((m1a - m0a)) interrupts over $COUNT round trips"
	log_test "$drv: interrupts on the device's vectors as /proc/interrupts counts them ($((m1a - m0a)), $((m1b - m0b)))"
}

# igb stamps what it sends once asked: tx_nic appears
test_igb_tx_nic()
{
	local s n p50 wire rx

	RET=0
	rx=1
	if ! run_ns "$NS_A" hwstamp_ctl -i "$DEV_A" -t 1 -r 1; then
		# the 82576 cannot stamp every frame it receives
		rx=12
		run_ns "$NS_A" hwstamp_ctl -i "$DEV_A" -t 1 -r $rx
		check_err $? "hwstamp_ctl"
	fi
	hp_defer ip netns exec "$NS_A" hwstamp_ctl -i "$DEV_A" -t 0 -r 0
	# stats on again maps the PHC (and keeps what was counted)
	hp_set "$NS_A" "$DEV_A" stats on
	check_err $? "stats on"
	check_eq "$(ip netns exec "$NS_A" hotpath -j show "$DEV_A" | jq -r '.[0].ptp.phc_offset_ns | type')" \
		number "phc_offset_ns after stats on"
	run_ns "$NS_A" hotpath reset "$DEV_A"
	run_ns "$NS_A" "$HWTS" tx "$DEV_A" 20
	check_err $? "hwts tx: frames without a hardware TX stamp"
	busywait 5000 freed "$NS_A" "$DEV_A"
	snap "$NS_A" "$DEV_A" s
	n=$(st "$s" tx_nic count)
	p50=$(st "$s" tx_nic p50_ns)
	[ "$n" -ge 10 ] && [ "$n" -le 20 ]
	check_err $? "tx_nic count $n, want 10..20"
	[ "$(st "$s" tx_nic max_ns)" -lt 1000000 ]
	check_err $? "tx_nic max $(st "$s" tx_nic max_ns) ns, want < 1 ms"
	log_info "igb tx_nic p50 $p50 ns over $n frames"
	log_test "igb: with TX stamping on, 20 stamped frames give tx_nic samples ($n)"
}

# perf_count STAT EVENT: EVENT's count in `perf stat -x,` output STAT
perf_count()
{
	awk -F, -v e="$2" '$3 == e { print $1 + 0; found = 1 } END { if (!found) print -1 }' <<<"$1"
}

# The stage tracepoints of an attached device, counted by perf: a ping-pong
# of PCOUNT datagrams under `perf stat -a -e 'hotpath:*'` counts each stage
# event at least as often as the ping-pong's own frames made it fire (both
# ends' tx_desc: 2 per datagram; the server's rx_poll: 1) and at most as
# often as the stage's count moved around perf's window.
test_perf()
{
	local pcount=100 a0 b0 a1 b1 out n lo hi

	RET=0
	command -v perf >/dev/null || { log_test_skip "perf: not in the VM"; return; }
	snap "$NS_A" "$DEV_A" a0
	snap "$NS_B" "$DEV_B" b0
	echo "COMMAND: perf stat -a -x, -e 'hotpath:*' -- ip netns exec $NS_A $BENCH client $IP4_B --server-netns $NS_B --count $pcount --warmup 0"
	out=$(perf stat -a -x, -e 'hotpath:*' -- ip netns exec "$NS_A" timeout 300 "$BENCH" \
		client "$IP4_B" --server-netns "$NS_B" --count $pcount --warmup 0 2>&1 >/dev/null)
	check_err $? "perf stat or hotpath-bench failed"
	grep -E ',hotpath:(tx_desc|rx_poll|tx_complete|tx_nic|rx_nic|wire),' <<<"$out" | sed 's/^/    /'
	busywait 5000 freed "$NS_A" "$DEV_A"
	busywait 5000 freed "$NS_B" "$DEV_B"
	snap "$NS_A" "$DEV_A" a1
	snap "$NS_B" "$DEV_B" b1

	n=$(perf_count "$out" hotpath:tx_desc)
	lo=$((2 * pcount))
	hi=$(( $(st "$a1" tx_desc count) - $(st "$a0" tx_desc count) +
	       $(st "$b1" tx_desc count) - $(st "$b0" tx_desc count) ))
	[ "$n" -ge "$lo" ] && [ "$n" -le "$hi" ]
	check_err $? "hotpath:tx_desc: perf counted $n, want $lo..$hi"
	n=$(perf_count "$out" hotpath:rx_poll)
	hi=$(( $(st "$a1" rx_poll count) - $(st "$a0" rx_poll count) +
	       $(st "$b1" rx_poll count) - $(st "$b0" rx_poll count) ))
	[ "$n" -ge "$pcount" ] && [ "$n" -le "$hi" ]
	check_err $? "hotpath:rx_poll: perf counted $n, want $pcount..$hi"
	check_eq "$(perf_count "$out" hotpath:rx_nic)" 0 "hotpath:rx_nic without stamps"
	log_test "perf stat -e 'hotpath:*' counts the stage events of the attached igb pair"
}

test_access()
{
	local out rc

	RET=0
	echo "COMMAND: setpriv --reuid=65534 ... hotpath set $DEV_A stats off"
	out=$(ip netns exec "$NS_A" setpriv --reuid=65534 --regid=65534 --clear-groups \
		hotpath set "$DEV_A" stats off 2>&1)
	rc=$?
	echo "    $out"
	check_eq "$rc" 1 "exit status"
	grep -q "Operation not permitted" <<<"$out"
	check_err $? "not EPERM"
	check_eq "$(ip netns exec "$NS_A" hotpath -j show "$DEV_A" | jq -r '.[0].stats')" true \
		"still attached"
	out=$(hotpath stats "$DEV_A" 2>&1)
	rc=$?
	echo "COMMAND: hotpath stats $DEV_A (init_net)"
	echo "    $out"
	check_eq "$rc" 1 "another namespace's device: exit status"
	grep -q "No such device" <<<"$out"
	check_err $? "another namespace's device: not ENODEV"
	check_eq "$(ip netns exec "$NS_A" hotpath -j show | jq -r '[.[].ifname] | join(" ")')" \
		"$DEV_A" "the namespace's dump"
	log_test "access: unprivileged set EPERM (nothing changed), another namespace's device invisible"

	RET=0
	hp_set "$NS_A" "$DEV_A" stats off && hp_set "$NS_B" "$DEV_B" stats off
	check_err $? "stats off"
	check_eq "$(cat $ALIVE)" 0 "attached_alive after stats off"
	out=$(ip netns exec "$NS_A" hotpath stats "$DEV_A" 2>&1)
	grep -q "not a hotpath port, nor a device with stats attached" <<<"$out"
	check_err $? "stats of a detached device: $out"
	log_test "stats off detaches (attached_alive 0, stats refused)"
}

hp_require_module
test_driver igb
test_perf
test_igb_tx_nic
test_access
test_driver e1000e
exit $EXIT_STATUS
