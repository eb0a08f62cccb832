#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The hotpath lab: toggle each low-latency technique on a hotpath pair and
# watch the stages it removes, with numbers measured in this run only.
#
#   lab.sh [demo] [--short] [--count N]   the three demos and the closing table
#   lab.sh bench [--short] [--count N]    ratios: hotpath vs veth, busy-poll vs
#                                         interrupt, accounting on vs off
#
# Runs as root with hotpath.ko loaded (or loadable from $HOTPATH_KO / modprobe)
# and hotpath, hotpath-bench, ip (iproute2), jq on PATH.  It puts hp0 and hp1
# (or a pair it creates) into two namespaces of its own and puts them back
# at exit.  `make demo` / `make bench` run it in the QEMU test VM.
#
# Every step also prints one machine-readable line for the tests:
#   # step d1.<name> total_ns=<one-way p50> rtt_ns=<rtt p50> path_ns=<stage p50s
#     on the one-way path> nic_ns=<its modelled part> sw_ns=<its measured part> ...
#   # step d2.frame sf_first_ns=... ct_first_ns=...   # step d3.<name> ...
# Exit status: 0 when every step ran, 1 when one failed, 2 on usage errors.
set -u
set -o pipefail

MODE=demo
SHORT=0
COUNT=
while [ $# -gt 0 ]; do
	case $1 in
	demo|bench) MODE=$1 ;;
	--short) SHORT=1 ;;
	--count) COUNT=$2; shift ;;
	-h|--help) sed -n '/^#   lab.sh/,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "lab.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done
# Enough datagrams per step that p50s are stable under QEMU TCG.
if [ -z "$COUNT" ]; then
	if [ $SHORT = 1 ]; then COUNT=100; else COUNT=500; fi
fi
ROUNDS=5
WARMUP=50
SIZE=64			# UDP payload: 106 B frame
FRAME_SIZE=1000		# Demo 2's frame payload: 1042 B frame
PORT=7100
# SO_BUSY_POLL budget per receive call.  It must outlast the wait for the
# next datagram, or the receiver sleeps and the frame takes the fallback
# watchdog: under QEMU TCG a round trip takes hundreds of microseconds.
BUSY_US=${LAB_BUSY_US:-20000}
# Client and server are not pinned: pinned to different CPUs of the QEMU
# test VM whole runs take a scheduler tick (4 ms) per one-way trip.
PIN=()

IP=/usr/bin/ip
[ -x "$IP" ] || IP=$(command -v ip)
for c in hotpath hotpath-bench jq; do
	command -v "$c" >/dev/null || { echo "lab.sh: $c not found on PATH" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "lab.sh: needs root" >&2; exit 1; }

TMP=$(mktemp -d /tmp/hplab.XXXXXX)
NS_A=hplab-$$-a
NS_B=hplab-$$-b
NS_VA=hplab-$$-va
NS_VB=hplab-$$-vb
DEV_A=
DEV_B=
CREATED_PAIR=0
LOADED=0
FAILED=0
TRACEFS=

##############################################################################
# Setup and cleanup

cleanup()
{
	local ns

	trace_off 2>/dev/null
	for ns in "$NS_A:$DEV_A" "$NS_B:$DEV_B"; do
		[ -n "${ns#*:}" ] || continue
		"$IP" -n "${ns%%:*}" link set "${ns#*:}" netns 1 2>/dev/null
	done
	for ns in "$NS_A" "$NS_B" "$NS_VA" "$NS_VB"; do
		"$IP" netns del "$ns" 2>/dev/null
	done
	[ $CREATED_PAIR = 1 ] && "$IP" link del "$DEV_A" 2>/dev/null
	[ $LOADED = 1 ] && rmmod hotpath 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die()
{
	echo "lab.sh: $*" >&2
	exit 1
}

# A step failed: say so, remember it, carry on with the next one.
fail()
{
	echo "lab.sh: FAILED: $*" >&2
	echo "# fail $*"
	FAILED=1
}

wait_for()
{
	local i

	for i in $(seq 500); do
		"$@" && return 0
		sleep 0.01
	done
	return 1
}

load_module()
{
	if [ ! -d /sys/module/hotpath ]; then
		if [ -n "${HOTPATH_KO:-}" ] && [ -f "$HOTPATH_KO" ]; then
			insmod "$HOTPATH_KO" pairs=1 || die "insmod $HOTPATH_KO failed"
		else
			modprobe hotpath pairs=1 || die "hotpath.ko is not loaded and modprobe failed"
		fi
		LOADED=1
		wait_for test -d /sys/class/net/hp1 || die "hp0/hp1 did not appear"
	fi
	if [ -d /sys/class/net/hp0 ] && [ -d /sys/class/net/hp1 ] &&
	   [ "$(hotpath -j show hp0 | jq -r '.[0].peer')" = hp1 ]; then
		DEV_A=hp0
		DEV_B=hp1
	else
		# hp0/hp1 are busy elsewhere: a pair of our own
		"$IP" link add hplab0 type hotpath || die "cannot create a hotpath pair"
		CREATED_PAIR=1
		DEV_A=hplab0
		DEV_B=$(hotpath -j show hplab0 | jq -r '.[0].peer')
		[ -n "$DEV_B" ] && [ "$DEV_B" != null ] || die "no peer for hplab0"
	fi
}

mac_of()
{
	"$IP" -n "$1" -j link show dev "$2" | jq -r '.[0].address'
}

# NS DEV ADDR: move, address, up; no IPv6 so the link carries only our frames
port_setup()
{
	"$IP" netns add "$1" || return 1
	"$IP" -n "$1" link set lo up
	"$IP" link set "$2" netns "$1" || return 1
	"$IP" netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
	"$IP" -n "$1" addr add "$3/24" dev "$2" || return 1
	"$IP" -n "$1" link set "$2" up
}

pair_setup()
{
	port_setup "$NS_A" "$DEV_A" 10.0.0.1 || die "cannot set up $DEV_A in $NS_A"
	port_setup "$NS_B" "$DEV_B" 10.0.0.2 || die "cannot set up $DEV_B in $NS_B"
	wait_for sh -c "$IP netns exec $NS_A cat /sys/class/net/$DEV_A/carrier 2>/dev/null | grep -qx 1" ||
		die "no carrier on $DEV_A"
	# permanent neighbours: no ARP frames between the measured ones
	"$IP" -n "$NS_A" neigh replace 10.0.0.2 lladdr "$(mac_of "$NS_B" "$DEV_B")" \
		dev "$DEV_A" nud permanent || die "neighbour on $DEV_A"
	"$IP" -n "$NS_B" neigh replace 10.0.0.1 lladdr "$(mac_of "$NS_A" "$DEV_A")" \
		dev "$DEV_B" nud permanent || die "neighbour on $DEV_B"
}

##############################################################################
# Control

hpa() { "$IP" netns exec "$NS_A" hotpath "$@"; }
hpb() { "$IP" netns exec "$NS_B" hotpath "$@"; }

# set_both KEY VALUE...: the same settings on both ends
set_both()
{
	hpa set "$DEV_A" "$@" && hpb set "$DEV_B" "$@"
}

# The baseline every demo starts from: published figures, timing enforced
# (the application feels the model), interrupts without coalescing, no push,
# no CTPIO, accounting and the core-path probes on.
baseline()
{
	set_both profile realistic timing enforced rx-mode interrupt tx-push off \
		ctpio off ctpio-underrun-ppm 0 rx-usecs 0 rx-frames 1 tx-usecs 0 tx-frames 1 \
		stats on probes on
}

reset_both()
{
	hpa reset "$DEV_A" && hpb reset "$DEV_B"
}

# model KEY: a figure of DEV_A's model (hotpath -j show)
model()
{
	hpa -j show "$DEV_A" | jq -r ".[0].model.$1"
}

##############################################################################
# Measuring

# pingpong OUT [BUSY_US] [SIZE] [NS_CLIENT NS_SERVER ADDR]: a ping-pong run,
# its JSON in OUT.json
pingpong()
{
	local out=$1 busy=${2:-0} size=${3:-$SIZE}
	local nsc=${4:-$NS_A} nss=${5:-$NS_B} addr=${6:-10.0.0.2}
	local args=(client "$addr" --server-netns "$nss" --port $PORT --size "$size"
		    --count "$COUNT" --warmup $WARMUP --timeout 2000 --json "${PIN[@]}")

	[ "$busy" != 0 ] && args+=(--busy-poll "$busy")
	if ! "$IP" netns exec "$nsc" hotpath-bench "${args[@]}" > "$out.json" 2> "$out.err"; then
		cat "$out.err" >&2
		return 1
	fi
	[ "$(jq -r .lost "$out.json")" = 0 ] || {
		echo "lab.sh: $(jq -r .lost "$out.json") datagrams lost" >&2
		return 1
	}
}

# Stats of both ports after a run: OUT.a.json, OUT.b.json
snap()
{
	hpa -j stats "$DEV_A" > "$1.a.json" && hpb -j stats "$DEV_B" > "$1.b.json"
}

# stage_rows OUT: the one-way path client -> server: DEV_A's TX stages, then
# DEV_B's RX stages; "name source p50 mean count" per line, stages with counts
stage_rows()
{
	jq -r '.[0].stages[] | select(.count > 0 and (.name | startswith("tx_"))) |
		"\(.name) \(.source) \(.p50_ns) \(.mean_ns) \(.count)"' "$1.a.json"
	jq -r '.[0].stages[] | select(.count > 0 and (.name | startswith("rx_"))) |
		"\(.name) \(.source) \(.p50_ns) \(.mean_ns) \(.count)"' "$1.b.json"
}

# stage OUT a|b NAME FIELD
stage()
{
	jq -r --arg n "$3" '[.[0].stages[] | select(.name == $n) | .'"$4"'] | .[0] // 0' "$1.$2.json"
}

counter()
{
	jq -r ".[0].counters.$3 // 0" "$1.$2.json"
}

bench()
{
	jq -r "$2" "$1.json"
}

# bars OUT SCALE_NS: one bar per stage, one char per SCALE_NS of its p50
bars()
{
	local out=$1 scale=$2

	stage_rows "$out" | awk -v scale="$scale" '
	{
		w = int($3 / scale + 0.5)
		if (w > 60) w = 60
		bar = ""
		for (i = 0; i < w; i++) bar = bar "#"
		if ($3 / scale > 60) bar = bar ">"
		printf "    %-13s %-8s %-62s %8d ns  (mean %d, n=%d)\n", $1, $2, bar, $3, $4, $5
	}'
}

# path_sums OUT: "path_ns model_ns" over the one-way path's stage p50s
path_sums()
{
	stage_rows "$1" | awk '{ p += $3; if ($2 == "modelled") m += $3 } END { printf "%d %d\n", p, m }'
}

# ct_overlap OUT LEN: ns of tx_wire that run under the PIO write in ct
# (the wire starts once ctpio-thresh bytes are written; the write of those
# bytes is the frame's recorded write time pro rata, after the descriptor)
ct_overlap()
{
	local dma wire thresh desc len=$2

	dma=$(stage "$1" a tx_dma p50_ns)
	wire=$(stage "$1" a tx_wire p50_ns)
	thresh=$(hpa -j show "$DEV_A" | jq -r '.[0].ctpio.thresh')
	desc=$(model desc_ns)
	[ "$thresh" -gt "$len" ] && thresh=$len
	awk -v d="$dma" -v w="$wire" -v t="$thresh" -v c="$desc" -v l="$len" 'BEGIN {
		pt = c + (d - c) * t / l; crit = (d > pt + w) ? d : pt + w
		printf "%d\n", d + w - crit
	}'
}

##############################################################################
# Interleaved rounds: an emulator's (or a shared box's) slow spells last
# seconds, so every configuration of a demo is measured in ROUNDS short
# runs taken in turn, and each step shows its median run (by one-way p50):
# a slow spell then hits every configuration alike instead of one of them.

# config NAME: apply a configuration (absolute: baseline plus its switches)
declare -A CFG_SET CFG_BUSY
config()
{
	# shellcheck disable=SC2086
	baseline && { [ -z "${CFG_SET[$1]}" ] || set_both ${CFG_SET[$1]}; }
}

# rounds PREFIX NAME...: ROUNDS runs of each NAME in turn, then the median
# run of NAME in PREFIX-NAME.{json,a.json,b.json}
rounds()
{
	local pre=$1 r n out med; shift

	for r in $(seq "$ROUNDS"); do
		for n in "$@"; do
			out=$pre-$n-r$r
			if [ "$n" = veth ]; then
				pingpong "$out" 0 "$SIZE" "$NS_VA" "$NS_VB" 10.9.0.2 ||
					{ fail "veth ping-pong (round $r)"; return 1; }
				cp "$out.json" "$out.a.json"; cp "$out.json" "$out.b.json"
				continue
			fi
			config "$n" || { fail "$n: settings"; return 1; }
			reset_both || { fail "$n: reset"; return 1; }
			pingpong "$out" "${CFG_BUSY[$n]}" || { fail "$n: ping-pong (round $r)"; return 1; }
			snap "$out" || { fail "$n: stats"; return 1; }
		done
	done
	for n in "$@"; do
		med=$(for r in $(seq "$ROUNDS"); do
			echo "$(bench "$pre-$n-r$r" .one_way.p50_ns) $r"
		done | sort -n | awk -v k=$(( (ROUNDS + 1) / 2 )) 'NR == k { print $2 }')
		for f in json a.json b.json; do
			cp "$pre-$n-r$med.$f" "$pre-$n.$f"
		done
		ROUND_P50S[$n]=$(for r in $(seq "$ROUNDS"); do
			printf '%s ' "$(bench "$pre-$n-r$r" .one_way.p50_ns)"; done)
		BEST[$n]=$(echo "${ROUND_P50S[$n]}" | tr ' ' '\n' | grep . | sort -n | head -n1)
	done
}

##############################################################################
# Demo 1: the transmit path

declare -A TOTAL RTT PATH_NS MODEL_NS ROUND_P50S BEST

# d1_step NAME BUSY_US [ct]: measure, draw, summarise, compare with PREV.
# The NIC part of the path is the modelled stages the engine waited
# (timing enforced), less what cut-through overlaps; the software part is
# the measured stages.
PREV=
d1_step()
{
	local name=$1 ct=${2:-} out=$TMP/d1-$1 p m saved ov=0

	[ -f "$out.b.json" ] || return 1
	read -r p m < <(path_sums "$out")
	[ -n "$ct" ] && ov=$(ct_overlap "$out" $((SIZE + 42)))
	TOTAL[$name]=$(bench "$out" .one_way.p50_ns)
	RTT[$name]=$(bench "$out" .rtt.p50_ns)
	PATH_NS[$name]=$((p - ov))
	MODEL_NS[$name]=$((m - ov))
	bars "$out" "$D1_SCALE"
	[ "$ov" -gt 0 ] && printf '    %-22s %d ns of tx_wire run under the PIO write (cut-through)\n' \
		"overlap:" "$ov"
	printf '    %-22s one-way p50 %d ns, RTT p50 %d ns (%d datagrams of %d B;' \
		"measured end to end:" "${TOTAL[$name]}" "${RTT[$name]}" "$COUNT" "$SIZE"
	echo " median of rounds with one-way p50s ${ROUND_P50S[$name]% }ns)"
	printf '    %-22s NIC %d ns (modelled, waited) + software %d ns (measured stage p50s)\n' \
		"one-way path:" "${MODEL_NS[$name]}" $((p - m))
	if [ -n "$PREV" ]; then
		saved=$((TOTAL[$PREV] - TOTAL[$name]))
		printf '    saved against %s: NIC %d ns (exact: the model), end to end %d ns (median' \
			"$PREV" $((MODEL_NS[$PREV] - MODEL_NS[$name])) "$saved"
		printf ' rounds), %d ns (best rounds)' $((BEST[$PREV] - BEST[$name]))
		echo "; measured p50s, the emulator's noise is larger than a few hundred ns"
	fi
	echo "# step d1.$name total_ns=${TOTAL[$name]} best_ns=${BEST[$name]} rtt_ns=${RTT[$name]} path_ns=${PATH_NS[$name]}" \
	     "nic_ns=${MODEL_NS[$name]} sw_ns=$((p - m)) pcie_rtt_ns=$(model pcie_rtt_ns) overlap_ns=$ov" \
	     "tx_fetch_ns=$(stage "$out" a tx_fetch p50_ns) tx_dma_ns=$(stage "$out" a tx_dma p50_ns)" \
	     "tx_push_hits=$(counter "$out" a tx_push_hits) tx_push_misses=$(counter "$out" a tx_push_misses)" \
	     "ctpio_success=$(counter "$out" a ctpio_success)" \
	     "busy_poll_pickups=$(counter "$out" b busy_poll_pickups) interrupts=$(counter "$out" b interrupts)" \
	     "count=$COUNT"
	PREV=$name
}

# The last Demo 1 step once more, split by the NICs' hardware stamps
# (hotpath-bench --hw-timestamps) and set against the stage p50s.
d1_hwts()
{
	local out=$TMP/d1-hwts tx rx wire

	config ctpio-ct && reset_both || { fail "hwts: settings"; return 1; }
	if ! "$IP" netns exec "$NS_A" hotpath-bench client 10.0.0.2 --server-netns "$NS_B" \
		--port $PORT --size "$SIZE" --count "$COUNT" --warmup $WARMUP --timeout 2000 \
		--busy-poll "$BUSY_US" --hw-timestamps --json "${PIN[@]}" > "$out.json" 2> "$out.err"; then
		echo "    (no hardware-stamped run: $(head -n1 "$out.err"))"
		return 0
	fi
	snap "$out"
	tx=$(stage_rows "$out" | awk '$1 ~ /^tx_/ && $1 != "tx_wire" { s += $3 } END { print s + 0 }')
	rx=$(stage_rows "$out" | awk '$1 ~ /^rx_/ { s += $3 } END { print s + 0 }')
	wire=$(stage "$out" a tx_wire p50_ns)
	printf '    %-36s p50 %7d ns   stages tx_stack..tx_dma: %d ns\n' "host TX (send -> first bit out):" \
		"$(bench "$out" .hw_timestamps.host_tx.p50_ns)" "$tx"
	printf '    %-36s p50 %7d ns   stage tx_wire (model): %d ns\n' "wire (-> last bit in at $DEV_B):" \
		"$(bench "$out" .hw_timestamps.wire.p50_ns)" "$wire"
	printf '    %-36s p50 %7d ns   stages rx_dma..rx_wakeup: %d ns\n' "host RX (-> the server's recv):" \
		"$(bench "$out" .hw_timestamps.host_rx.p50_ns)" "$rx"
	echo "    stamps from each NIC's PTP clock, mapped to CLOCK_MONOTONIC within" \
	     "$(bench "$out" .hw_timestamps.phc_map_window_ns) ns; under ct the first bit leaves" \
	     "before the PIO write ends, so host TX is less than its stages' sum"
	echo "# step d1.hwts host_tx_ns=$(bench "$out" .hw_timestamps.host_tx.p50_ns)" \
	     "wire_ns=$(bench "$out" .hw_timestamps.wire.p50_ns) host_rx_ns=$(bench "$out" .hw_timestamps.host_rx.p50_ns)" \
	     "tx_stages_ns=$tx tx_wire_ns=$wire rx_stages_ns=$rx"
}

demo1()
{
	echo
	echo "=== Demo 1: the transmit path, one technique at a time ==="
	echo "Ping-pong $DEV_A ($NS_A, 10.0.0.1) <-> $DEV_B ($NS_B, 10.0.0.2), $COUNT datagrams of" \
	     "$SIZE B each step; bars: one-way path $DEV_A TX -> $DEV_B RX, stage p50s."
	echo "Timing enforced: the NIC engine waits every modelled delay, so the application feels it."
	D1_SCALE=25
	PREV=
	CFG_SET[baseline]=; CFG_BUSY[baseline]=0
	CFG_SET[busy-poll]="rx-mode busy-poll"; CFG_BUSY[busy-poll]=$BUSY_US
	CFG_SET[tx-push]="rx-mode busy-poll tx-push on"; CFG_BUSY[tx-push]=$BUSY_US
	CFG_SET[ctpio-sf]="rx-mode busy-poll tx-push on ctpio sf"; CFG_BUSY[ctpio-sf]=$BUSY_US
	CFG_SET[ctpio-ct]="rx-mode busy-poll tx-push on ctpio ct"; CFG_BUSY[ctpio-ct]=$BUSY_US
	echo "Measuring: $ROUNDS rounds of the five steps in turn; each step shows its median round."
	rounds "$TMP/d1" baseline busy-poll tx-push ctpio-sf ctpio-ct || return

	echo
	echo "--- 1. baseline: interrupts, no TX push, no CTPIO ---"
	d1_step baseline

	echo
	echo "--- 2. + busy-poll receive (rx-mode busy-poll, SO_BUSY_POLL $BUSY_US us) ---"
	echo "    the receiving task spins in the driver's NAPI poll: rx_irq + rx_napi become rx_busy_poll"
	d1_step busy-poll

	echo
	echo "--- 3. + TX push (tx-push on) ---"
	echo "    the descriptor travels with the doorbell: no tx_fetch (PCIe read, pcie-rtt $(model pcie_rtt_ns) ns)"
	d1_step tx-push

	echo
	echo "--- 4. + CTPIO store-and-forward (ctpio sf) ---"
	echo "    the CPU writes the frame to the NIC (PIO): no fetch, no payload DMA read"
	d1_step ctpio-sf

	echo
	echo "--- 5. + CTPIO cut-through (ctpio ct, threshold $(hpa -j show "$DEV_A" | jq -r '.[0].ctpio.thresh') B) ---"
	echo "    the wire starts after the threshold: tx_wire overlaps the PIO write (tx_dma)"
	d1_step ctpio-ct ct

	echo
	echo "--- the same step split by hardware timestamps (ethtool -T, SO_TIMESTAMPING) ---"
	d1_hwts

	echo
	echo "--- next: kernel bypass (ef_vi/AF_XDP-style) and zero-copy: not available yet ---"
	echo "    they would remove tx_stack/rx_stack/rx_wakeup and the copies; no number is shown"
	echo "    because none was measured."
	echo
	local s
	printf '  Demo 1, one-way p50 end to end: baseline %s' "${TOTAL[baseline]:-?}"
	for s in busy-poll tx-push ctpio-sf ctpio-ct; do
		printf ' -> %s %s' "$s" "${TOTAL[$s]:-?}"
	done
	echo " ns"
	printf '  Demo 1, NIC part of the path:   baseline %s' "${MODEL_NS[baseline]:-?}"
	for s in busy-poll tx-push ctpio-sf ctpio-ct; do
		printf ' -> %s %s' "$s" "${MODEL_NS[$s]:-?}"
	done
	echo " ns"
}

##############################################################################
# Demo 2: CTPIO cut-through, frame by frame

trace_find()
{
	local t

	for t in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -d "$t/events/hotpath" ] && { TRACEFS=$t; return 0; }
	done
	return 1
}

TRACE_EVENTS="tx_doorbell tx_fetch tx_dma tx_wire rx_dma ctpio_success ctpio_poison rx_crc_error"

trace_on()
{
	local e

	echo 0 > "$TRACEFS/tracing_on"
	: > "$TRACEFS/trace"
	for e in $TRACE_EVENTS; do
		echo 1 > "$TRACEFS/events/hotpath/$e/enable" || return 1
	done
	echo 1 > "$TRACEFS/tracing_on"
}

trace_off()
{
	local e

	[ -n "$TRACEFS" ] || return 0
	echo 0 > "$TRACEFS/tracing_on"
	for e in $TRACE_EVENTS; do
		echo 0 > "$TRACEFS/events/hotpath/$e/enable"
	done
}

# send_one: exactly one UDP datagram of FRAME_SIZE bytes DEV_A -> DEV_B
# (neighbours are pinned, IPv6 is off: the only frame on the link)
send_one()
{
	"$IP" netns exec "$NS_A" bash -c \
		"printf '%${FRAME_SIZE}s' x > /dev/udp/10.0.0.2/$((PORT + 1))"
}

# capture OUT: one frame's events as "event seq len ns" lines (DEV_A's TX
# events and DEV_B's RX events), in the order they fired
capture()
{
	local out=$1 ia ib

	ia=$(hpa -j show "$DEV_A" | jq -r '.[0].ifindex')
	ib=$(hpb -j show "$DEV_B" | jq -r '.[0].ifindex')
	reset_both
	trace_on || return 1
	send_one || return 1
	wait_for sh -c "grep -q 'rx_dma:.*ifindex=$ib ' $TRACEFS/trace" || return 1
	# the peer's counters settle once the frame is through its RX path
	sleep 0.2
	echo 0 > "$TRACEFS/tracing_on"
	sed -n 's/.* \([a-z_]*\): ifindex=\([0-9]*\) queue=[0-9]* seq=\([0-9]*\) len=\([0-9]*\) ns=\([0-9]*\).*/\1 \2 \3 \4 \5/p' \
		"$TRACEFS/trace" | awk -v ia="$ia" -v ib="$ib" '
		($1 ~ /^tx_|^ctpio/ && $2 == ia) || ($1 ~ /^rx_/ && $2 == ib) { print $1, $3, $4, $5 }' \
		> "$out.events"
	trace_off
	snap "$out"
	[ -s "$out.events" ]
}

# ev OUT EVENT [N]: ns of the N-th (default 1st) EVENT of the frame
ev()
{
	awk -v e="$2" -v n="${3:-1}" '$1 == e { if (++i == n) { print $4; f = 1; exit } }
		END { if (!f) print 0 }' "$1.events"
}

# lane LABEL START_NS LEN_NS SCALE CHAR NOTE
lane()
{
	awk -v l="$1" -v s="$2" -v n="$3" -v sc="$4" -v c="$5" -v note="$6" 'BEGIN {
		a = int(s / sc + 0.5); b = int((s + n) / sc + 0.5); if (b <= a && n > 0) b = a + 1
		line = ""
		for (i = 0; i < a; i++) line = line " "
		for (; i < b; i++) line = line c
		printf "    %-18s|%-72s| %s\n", l, line, note
	}'
}

axis()
{
	awk -v sc="$1" 'BEGIN {
		line = ""; for (i = 0; i < 72; i++) line = line ((i % 10) ? "-" : "+")
		printf "    %-18s|%s| ns, one char = %d ns, + every %d ns\n", "", line, sc, 10 * sc
	}'
}

demo2()
{
	local sf=$TMP/d2-sf ct=$TMP/d2-ct ps=$TMP/d2-poison
	local len db pio wire thresh desc pio_t sc sf_first ct_first sf_end ct_end

	echo
	echo "=== Demo 2: CTPIO cut-through, frame by frame ==="
	trace_find || { fail "d2: no hotpath tracepoints (tracefs not mounted?)"; return; }
	baseline && set_both ctpio sf ctpio-max-frame 1518 || { fail "d2 settings"; return; }
	echo "One UDP datagram of $FRAME_SIZE B, $DEV_A -> $DEV_B, at $(( $(model link_mbps) / 1000 )) Gb/s," \
	     "captured with the hotpath:tx_* tracepoints ($TRACEFS)."
	capture "$sf" || { fail "d2: no events for the sf frame"; return; }
	set_both ctpio ct ctpio-max-frame 1518 || { fail "d2 ct settings"; return; }
	capture "$ct" || { fail "d2: no events for the ct frame"; return; }

	len=$(awk '$1 == "tx_dma" { print $3; exit }' "$sf.events")
	thresh=$(hpa -j show "$DEV_A" | jq -r '.[0].ctpio.thresh')
	desc=$(model desc_ns)
	for m in sf ct; do
		local o=$TMP/d2-$m
		[ "$(counter "$o" a ctpio_success)" = 1 ] ||
			fail "d2 $m: ctpio_success $(counter "$o" a ctpio_success), expected 1"
	done
	# sf: the whole frame is written (tx_dma = PIO write), then the wire
	db=$(ev "$sf" tx_doorbell); pio=$(ev "$sf" tx_dma); wire=$(ev "$sf" tx_wire)
	sf_first=$((db + pio)); sf_end=$((sf_first + wire))
	SF_DB=$db SF_PIO=$pio SF_WIRE=$wire
	# ct: the wire starts once `thresh` bytes of the write are in; the PIO
	# time of those bytes is the frame's recorded write time pro rata
	db=$(ev "$ct" tx_doorbell); pio=$(ev "$ct" tx_dma); wire=$(ev "$ct" tx_wire)
	pio_t=$(( desc + (pio - desc) * thresh / len ))
	ct_first=$((db + pio_t)); ct_end=$((ct_first + wire))
	[ $((db + pio)) -gt $ct_end ] && ct_end=$((db + pio))
	sc=$(( (sf_end + 71) / 72 )); [ "$sc" -lt 1 ] && sc=1

	echo "Frame: $len B; recorded stages (ns): doorbell, PIO write (tx_dma), wire (tx_wire incl. PHY):"
	echo "  sf seq $(awk 'NR==1 {print $2}' "$sf.events"): $SF_DB, $SF_PIO, $SF_WIRE;" \
	     "ct seq $(awk 'NR==1 {print $2}' "$ct.events"): $db, $pio, $wire"
	echo
	echo "  store-and-forward (ctpio sf): the NIC buffers the whole frame, then sends"
	axis "$sc"
	lane "doorbell" 0 "$SF_DB" "$sc" "D" "$SF_DB ns"
	lane "over PCIe (PIO)" "$SF_DB" "$SF_PIO" "$sc" "=" "arrived complete at $((SF_DB + SF_PIO)) ns"
	lane "on the wire" "$sf_first" "$SF_WIRE" "$sc" "#" "first bit at $sf_first ns, last at $sf_end ns"
	echo
	echo "  cut-through (ctpio ct): the wire starts after $thresh B of the write"
	axis "$sc"
	lane "doorbell" 0 "$db" "$sc" "D" "$db ns"
	lane "over PCIe (PIO)" "$db" "$pio" "$sc" "=" "arrived complete at $((db + pio)) ns"
	lane "on the wire" "$ct_first" "$wire" "$sc" "#" "first bit at $ct_first ns, last at $ct_end ns"
	echo
	echo "  cut-through puts the first bit on the wire $((sf_first - ct_first)) ns earlier" \
	     "and the last bit $((sf_end - ct_end)) ns earlier"
	CT_SAVED=$((sf_end - ct_end))
	echo "# step d2.frame sf_first_ns=$sf_first ct_first_ns=$ct_first sf_end_ns=$sf_end ct_end_ns=$ct_end len=$len"

	# the price: at 25G the host cannot feed the link; the frame is poisoned
	echo
	echo "  The price: the same frame at 25 Gb/s in ct (host PIO $(model host_pio_mbps) Mb/s < link)"
	set_both link-speed 25g ctpio ct ctpio-max-frame 1518 || { fail "d2 25g settings"; return; }
	capture "$ps" || { fail "d2: no events for the 25G frame"; return; }
	local pdb ppio pwire pfetch pdma pwire2 poisoned crc rxp t1 t2 t3 end
	pdb=$(ev "$ps" tx_doorbell); ppio=$(ev "$ps" tx_dma 1); pwire=$(ev "$ps" tx_wire 1)
	pfetch=$(ev "$ps" tx_fetch); pdma=$(ev "$ps" tx_dma 2); pwire2=$(ev "$ps" tx_wire 2)
	poisoned=$(counter "$ps" a ctpio_poisoned)
	crc=$(counter "$ps" b rx_crc_errors)
	rxp=$(counter "$ps" b rx_packets)
	pio_t=$(( desc + (ppio - desc) * thresh / len ))
	t1=$((pdb + pio_t))			# poisoned frame's first bit
	t2=$((t1 + pwire)); [ $((pdb + ppio)) -gt $t2 ] && t2=$((pdb + ppio))
	t3=$((t2 + pfetch + pdma))		# fallback copy's first bit
	end=$((t3 + pwire2))
	sc=$(( (end + 71) / 72 )); [ "$sc" -lt 1 ] && sc=1
	axis "$sc"
	lane "doorbell" 0 "$pdb" "$sc" "D" "$pdb ns"
	lane "over PCIe (PIO)" "$pdb" "$ppio" "$sc" "=" "written by $((pdb + ppio)) ns"
	lane "on the wire" "$t1" "$pwire" "$sc" "X" "poisoned frame from $t1 ns (bad FCS)"
	lane "fallback fetch+DMA" "$t2" "$((pfetch + pdma))" "$sc" "=" "$pfetch + $pdma ns"
	lane "on the wire" "$t3" "$pwire2" "$sc" "#" "good copy from $t3 ns, last bit $end ns"
	echo "  counters: $DEV_A ctpio_poisoned $poisoned, $DEV_B rx_crc_errors $crc," \
	     "$DEV_B rx_packets $rxp (the fallback copy arrived)"
	[ "$poisoned" = 1 ] || fail "d2 25g: ctpio_poisoned $poisoned, expected 1"
	[ "$crc" = 1 ] || fail "d2 25g: peer rx_crc_errors $crc, expected 1"
	[ "$rxp" = 1 ] || fail "d2 25g: peer rx_packets $rxp, expected 1"
	POISON_COST=$((end - ct_end))
	echo "  poisoning cost this frame $((end)) ns to its last good bit instead of $ct_end ns at 10G ct"
	echo "# step d2.poison poisoned=$poisoned rx_crc_errors=$crc rx_packets=$rxp end_ns=$end"
	set_both link-speed 10g || fail "d2: back to 10g"
}

##############################################################################
# Demo 3: the receive path

declare -A CPU IRQS
d3_step()
{
	local name=$1 out=$TMP/d3-$1 cpu_us wall_us

	[ -f "$out.b.json" ] || return 1
	jq -r '.[0].stages[] | select(.count > 0 and (.name | startswith("rx_"))) |
		"\(.name) \(.source) \(.p50_ns) \(.mean_ns) \(.count)"' "$out.b.json" |
	awk -v scale="$D3_SCALE" '{
		w = int($3 / scale + 0.5); if (w > 60) w = 60
		bar = ""; for (i = 0; i < w; i++) bar = bar "#"
		if ($3 / scale > 60) bar = bar ">"
		printf "    %-13s %-8s %-62s %8d ns  (mean %d, n=%d)\n", $1, $2, bar, $3, $4, $5
	}'
	cpu_us=$(bench "$out" '.cpu.client_user_us + .cpu.client_sys_us + .cpu.server_user_us + .cpu.server_sys_us')
	wall_us=$(( $(bench "$out" .duration_ns) / 1000 ))
	CPU[$name]=0
	[ "$wall_us" -gt 0 ] && CPU[$name]=$((cpu_us * 100 / wall_us / 2))
	RTT[d3-$name]=$(bench "$out" .rtt.p50_ns)
	IRQS[$name]=$(counter "$out" b interrupts)
	printf '    RTT p50 %d ns; %d interrupts on %s, %d busy-poll pickups, %d watchdog fires\n' \
		"${RTT[d3-$name]}" "${IRQS[$name]}" "$DEV_B" "$(counter "$out" b busy_poll_pickups)" \
		"$(counter "$out" b watchdog_fires)"
	printf '    CPU, both ends, user+sys: %d us in %d us of wall time = %d%% of the two CPUs\n' \
		"$cpu_us" "$wall_us" "${CPU[$name]}"
	echo "# step d3.$name rtt_ns=${RTT[d3-$name]} rx_irq_ns=$(stage "$out" b rx_irq p50_ns)" \
	     "rx_napi_ns=$(stage "$out" b rx_napi p50_ns) rx_busy_poll_ns=$(stage "$out" b rx_busy_poll p50_ns)" \
	     "interrupts=$(counter "$out" b interrupts) busy_poll_pickups=$(counter "$out" b busy_poll_pickups)" \
	     "cpu_us=$cpu_us wall_us=$wall_us"
}

# stream_irqs NAME: interrupts DEV_B raised for a stream of COUNT datagrams
stream_irqs()
{
	local out=$TMP/d3-stream-$1

	reset_both || return 1
	"$IP" netns exec "$NS_A" hotpath-bench client 10.0.0.2 --server-netns "$NS_B" \
		--port $PORT --mode stream --size "$SIZE" --count "$COUNT" --warmup 0 --json \
		"${PIN[@]}" > "$out.json" 2> "$out.err" || { cat "$out.err" >&2; return 1; }
	snap "$out" || return 1
	echo "$(counter "$out" b interrupts) $(bench "$out" .stream.received)"
}

demo3()
{
	local i0 i1 r0 r1

	echo
	echo "=== Demo 3: the receive path ==="
	echo "Same ping-pong; bars: $DEV_B's RX stages (p50); $ROUNDS rounds in turn, median shown."
	D3_SCALE=1000
	CFG_SET[irq]=; CFG_BUSY[irq]=0
	CFG_SET[coalesce]="rx-usecs 50 rx-frames 0"; CFG_BUSY[coalesce]=0
	CFG_SET[busy-poll]="rx-mode busy-poll"; CFG_BUSY[busy-poll]=$BUSY_US
	rounds "$TMP/d3" irq coalesce busy-poll || return
	echo
	echo "--- interrupt, no coalescing (rx-usecs 0, rx-frames 1) ---"
	d3_step irq
	echo
	echo "--- interrupt with coalescing (rx-usecs 50, rx-frames 0): the interrupt waits for company ---"
	d3_step coalesce
	echo
	echo "--- busy-poll (rx-mode busy-poll, SO_BUSY_POLL $BUSY_US us) ---"
	d3_step busy-poll
	echo
	echo "--- what coalescing buys: a stream of $COUNT datagrams (no ping-pong) ---"
	config irq && read -r i0 r0 < <(stream_irqs irq) || { fail "d3: stream without coalescing"; return; }
	config coalesce && read -r i1 r1 < <(stream_irqs coalesce) || { fail "d3: stream with coalescing"; return; }
	echo "    $DEV_B raised $i0 interrupts for $r0 frames without coalescing, $i1 for $r1 with rx-usecs 50"
	IRQS[stream-irq]=$i0
	IRQS[stream-coalesce]=$i1
	echo "# step d3.stream interrupts_irq=$i0 received_irq=$r0 interrupts_coalesce=$i1 received_coalesce=$r1"
}

##############################################################################
# Closing table

closing()
{
	local row='  %-20s %-34s %9s %11s  %s\n'

	echo
	echo "=== What each technique bought in this run ==="
	printf "$row" technique "stage it removes or shrinks" "NIC ns" "end to end" "its price"
	printf "$row" "" "" "saved" "ns saved" ""
	printf "$row" "busy-poll receive" "rx_irq + rx_napi -> rx_busy_poll" "-" $((BEST[baseline] - BEST[busy-poll])) \
		"CPU ${CPU[busy-poll]:-?}% of 2 vs ${CPU[irq]:-?}% (Demo 3)"
	printf "$row" "TX push" "tx_fetch (one PCIe read)" \
		$((MODEL_NS[busy-poll] - MODEL_NS[tx-push])) $((BEST[busy-poll] - BEST[tx-push])) \
		"only when the ring is empty"
	printf "$row" "CTPIO sf" "tx_fetch + tx_dma -> PIO write" \
		$((MODEL_NS[tx-push] - MODEL_NS[ctpio-sf])) $((BEST[tx-push] - BEST[ctpio-sf])) \
		"CPU writes the frame; <= max-frame"
	printf "$row" "CTPIO ct" "tx_wire overlaps the PIO write" \
		$((MODEL_NS[ctpio-sf] - MODEL_NS[ctpio-ct])) $((BEST[ctpio-sf] - BEST[ctpio-ct])) \
		"at 25G poisoned: +${POISON_COST:-?} ns, a CRC error"
	printf "$row" "  1042 B frame" "last bit on the wire (Demo 2)" "${CT_SAVED:-?}" "" ""
	printf "$row" "rx coalescing 50 us" "rx_irq grows by the wait" "" \
		$((RTT[d3-irq] - RTT[d3-coalesce])) \
		"RTT; stream: ${IRQS[stream-irq]:-?} -> ${IRQS[stream-coalesce]:-?} interrupts"
	printf "$row" "kernel bypass" "tx_stack, rx_stack, rx_wakeup" "-" "-" "not available yet"
	printf "$row" "zero-copy" "the copies in tx_stack, rx_wakeup" "-" "-" "not available yet"
	echo "  NIC ns: the modelled one-way path (exact); end to end: the best round's one-way"
	echo "  p50 (hotpath-bench) against the previous Demo 1 step's (noisy under emulation);"
	echo "  coalescing: RTT p50 against no coalescing (negative: it costs)."
}

##############################################################################
# bench: ratios

veth_setup()
{
	modprobe veth 2>/dev/null
	"$IP" netns add "$NS_VA" && "$IP" netns add "$NS_VB" || return 1
	"$IP" -n "$NS_VA" link set lo up
	"$IP" -n "$NS_VB" link set lo up
	"$IP" link add hplabv0 netns "$NS_VA" type veth peer name hplabv1 netns "$NS_VB" || return 1
	"$IP" -n "$NS_VA" addr add 10.9.0.1/24 dev hplabv0
	"$IP" -n "$NS_VB" addr add 10.9.0.2/24 dev hplabv1
	"$IP" -n "$NS_VA" link set hplabv0 up
	"$IP" -n "$NS_VB" link set hplabv1 up
	wait_for sh -c "$IP netns exec $NS_VA ping -c1 -W1 10.9.0.2 >/dev/null"
}

ratio()
{
	local what=$1 a_name=$2 a=$3 b_name=$4 b=$5

	awk -v w="$what" -v an="$a_name" -v a="$a" -v bn="$b_name" -v b="$b" 'BEGIN {
		printf "  %-28s %6.2f  (%s %d ns / %s %d ns)\n", w, (b ? a / b : 0), an, a, bn, b
	}'
	echo "# ratio $what a=$a b=$b"
}

bench_mode()
{
	local n

	echo "=== hotpath bench: one-way p50 ratios, $COUNT datagrams of $SIZE B per run ==="
	echo "$ROUNDS rounds of every configuration in turn; the best round of each is compared"
	echo "(an emulated or shared box has slow spells lasting whole runs, for veth as well)."
	veth_setup || die "no veth pair (is the veth module available?)"
	CFG_SET[irq]=; CFG_BUSY[irq]=0
	CFG_SET[busy-poll]="rx-mode busy-poll"; CFG_BUSY[busy-poll]=$BUSY_US
	CFG_SET[stats-off]="stats off probes off"; CFG_BUSY[stats-off]=0
	rounds "$TMP/b" irq veth busy-poll stats-off || return
	for n in irq veth busy-poll stats-off; do
		TOTAL[$n]=${BEST[$n]}
		printf '  %-10s one-way p50 %9d ns  (rounds: %s ns)\n' "$n" "${TOTAL[$n]}" "${ROUND_P50S[$n]% }"
	done
	echo
	ratio "hotpath / veth" hotpath "${TOTAL[irq]}" veth "${TOTAL[veth]}"
	ratio "busy-poll / interrupt" busy-poll "${TOTAL[busy-poll]}" interrupt "${TOTAL[irq]}"
	ratio "accounting on / off" on "${TOTAL[irq]}" off "${TOTAL[stats-off]}"
	echo "  hotpath: interrupts, realistic model, timing enforced: the NIC waits"
	echo "  $(( $(model doorbell_ns) + $(model pcie_rtt_ns) + $(model dma_ns) + $(model phy_ns) + $(model rx_dma_ns) )) ns" \
	     "of modelled hardware per direction (plus serialisation); veth has none."
	set_both stats on probes on >/dev/null
}

##############################################################################

load_module
pair_setup
echo "hotpath lab on $(uname -r): $DEV_A <-> $DEV_B, $COUNT datagrams per step"
if [ "$MODE" = bench ]; then
	bench_mode
else
	demo1
	demo2
	demo3
	closing
fi
[ $FAILED = 0 ] || { echo "lab.sh: some steps failed (see 'FAILED' above)" >&2; exit 1; }
exit 0
