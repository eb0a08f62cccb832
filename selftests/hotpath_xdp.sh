#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Native XDP on hotpath ports (issue 9), exact counts for a known number of
# frames.  hp0 (in NS_A) sends N raw frames to hp1 (NS_B), where a program
# from bpf/hp_xdp.bpf.o (loaded by bpftool, attached with ip ... xdpdrv)
# runs in hp1's NAPI poll:
# - DROP: xdp_drop +N, nothing reaches the stack, the NIC counted N received;
# - PASS: xdp_pass +N, the stack gets N (rx_packets), and the program saw
#   N frames of LEN bytes (its own map);
# - TX: xdp_tx +N, hp1 puts N on the wire, hp0 receives N with the MAC
#   addresses swapped back to it;
# - REDIRECT into a devmap holding hp2 (also in NS_B): xdp_redirect +N on
#   hp1, hp2's ndo_xdp_xmit takes N (xdp_xmit), hp3 (NS_C) receives N;
# - ABORTED and an unknown verdict: counted as such and as rx_dropped;
# - MTU rules: no attach above the single-buffer bound (extack), no MTU
#   above it while attached;
# - xdp-tools' xdp-bench drop, pass, tx, redirect and redirect-map in native
#   mode on hp1: the same exact counts while it runs, frames sent once its
#   baseline is read and counted by its samples, detached after.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq hotpath bpftool xdp-bench

N=64
LEN=100
SEND=$(hp_helper tech_send)
SIGDFL=$(hp_helper sig_default)
OBJ=$HP_LIBDIR/bpf/hp_xdp.bpf.o
[ -f "$OBJ" ] || hp_fail "$OBJ not built (make -C selftests)"

# libbpf pins under paths it sanitises (no dots): not mktemp's name
TMP=/tmp/hp-xdp-$$
mkdir -p "$TMP" || exit 1
hp_defer rm -rf "$TMP"
NS_A=hp-$$-a
NS_B=hp-$$-b
NS_C=hp-$$-c

# port_up NS DEV: into NS, no IPv6 (no ND/MLD: counts are the test's own), up
port_up()
{
	local ns=$1 dev=$2

	ip link set dev "$dev" netns "$ns" || return 1
	ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" || return 1
	ip -n "$ns" link set dev "$dev" up
}

setup()
{
	hp_mod_load pairs=2 || return 1
	hp_ns_add "$NS_A" && hp_ns_add "$NS_B" && hp_ns_add "$NS_C" || return 1
	port_up "$NS_A" hp0 && port_up "$NS_B" hp1 && port_up "$NS_B" hp2 &&
		port_up "$NS_C" hp3 || return 1
	busywait_eq 5000 1 hp_carrier "$NS_A" hp0 >/dev/null &&
		busywait_eq 5000 1 hp_carrier "$NS_C" hp3 >/dev/null || return 1
	mkdir -p "$TMP/bpf" && mount -t bpf bpf "$TMP/bpf" || return 1
	hp_defer umount "$TMP/bpf"
	run_cmd bpftool prog loadall "$OBJ" "$TMP/bpf/p" type xdp pinmaps "$TMP/bpf/m"
}

RET=0
setup
check_err $? "setup (module, namespaces, bpftool prog loadall)"
log_test "setup: hp0 | hp1 hp2 | hp3, programs loaded" || exit "$EXIT_STATUS"

MAC0=$(hp_mac "$NS_A" hp0)
IFINDEX2=$(ip netns exec "$NS_B" cat /sys/class/net/hp2/ifindex)

attach()	# PROG: replaces the one attached
{
	ip -n "$NS_B" link set dev hp1 xdpdrv off
	run_cmd ip -n "$NS_B" link set dev hp1 xdpdrv pinned "$TMP/bpf/p/$1"
}

detach()
{
	run_cmd ip -n "$NS_B" link set dev hp1 xdpdrv off
}

# xdp_mode NS DEV: iproute2's attach mode (1: driver/native), "" when none
xdp_mode()
{
	ip -n "$1" -j -d link show dev "$2" | jq -r '.[0].xdp.mode // empty'
}

reset_all()
{
	ip netns exec "$NS_A" hotpath reset hp0 &&
		ip netns exec "$NS_B" hotpath reset hp1 &&
		ip netns exec "$NS_B" hotpath reset hp2 &&
		ip netns exec "$NS_C" hotpath reset hp3
}

send_n()
{
	run_cmd ip netns exec "$NS_A" "$SEND" raw hp0 $LEN $N
}

# expect NS DEV COUNTER VALUE: the counter reaches VALUE (bounded wait for
# the NAPI run the last frame raised) and stays there
expect()
{
	local ns=$1 dev=$2 name=$3 want=$4 got

	got=$(busywait_eq 5000 "$want" hp_counter "$ns" "$dev" "$name")
	check_eq "$got" "$want" "$dev $name"
}

expect_stat()	# NS DEV STAT BEFORE DELTA
{
	local got

	got=$(busywait_eq 5000 $(($4 + $5)) hp_stat "$1" "$2" "$3")
	check_eq "$((got - $4))" "$5" "$2 $3 delta"
}

# stage_count NS DEV STAGE: how often the stage was recorded
stage_count()
{
	ip netns exec "$1" hotpath -j stats "$2" |
		jq -r --arg s "$3" '.[0].stages[] | select(.name == $s) | .count'
}

# only the verdict's own counter moved on hp1, and the program's run was
# timed once per frame (the xdp_prog stage, recorded after the verdict's
# counter: a bounded wait), with the frame's pickup by the interrupt's NAPI
# run (rx_irq, rx_napi: recorded with xdp_prog, no busy poller here)
expect_only()
{
	local keep=$1 c got

	for c in xdp_pass xdp_drop xdp_tx xdp_redirect xdp_aborted xdp_invalid \
		 xdp_tx_errors xdp_redirect_errors; do
		[ "$c" = "$keep" ] && continue
		check_eq "$(hp_counter "$NS_B" hp1 "$c")" 0 "hp1 $c"
	done
	got=$(busywait_eq 5000 $N stage_count "$NS_B" hp1 xdp_prog)
	check_eq "$got" $N "hp1 xdp_prog stage count"
	for c in rx_irq rx_napi; do
		check_eq "$(stage_count "$NS_B" hp1 $c)" $N "hp1 $c stage count"
	done
	check_eq "$(stage_count "$NS_B" hp1 rx_busy_poll)" 0 "hp1 rx_busy_poll stage count"
}

# --- DROP -------------------------------------------------------------------
RET=0
reset_all
rx1=$(hp_stat "$NS_B" hp1 rx_packets)
attach xdp_drop_all
check_err $? "attach xdp_drop_all"
check_eq "$(xdp_mode "$NS_B" hp1)" 1 "hp1 XDP attach mode (1 = native)"
send_n
check_err $? "send"
expect "$NS_B" hp1 xdp_drop $N
expect_stat "$NS_B" hp1 rx_packets "$rx1" $N
check_eq "$(hp_counter "$NS_B" hp1 rx_packets)" 0 "hp1 frames to the stack"
expect_only xdp_drop
log_test "XDP_DROP: $N frames, xdp_drop=$N, none to the stack"

# --- PASS -------------------------------------------------------------------
RET=0
reset_all
run_cmd bpftool map update pinned "$TMP/bpf/m/seen" key 0 0 0 0 value 0 0 0 0 0 0 0 0 &&
	run_cmd bpftool map update pinned "$TMP/bpf/m/seen" key 1 0 0 0 value 0 0 0 0 0 0 0 0
check_err $? "clear the program's map"
attach xdp_pass_count
check_err $? "attach xdp_pass_count"
send_n
check_err $? "send"
expect "$NS_B" hp1 xdp_pass $N
expect "$NS_B" hp1 rx_packets $N
expect_only xdp_pass
seen=$(bpftool -j map lookup pinned "$TMP/bpf/m/seen" key 0 0 0 0 | jq -r '.formatted.value // .value')
check_eq "$seen" $N "frames the program saw"
seen=$(bpftool -j map lookup pinned "$TMP/bpf/m/seen" key 1 0 0 0 | jq -r '.formatted.value // .value')
check_eq "$seen" $((N * LEN)) "bytes the program saw"
log_test "XDP_PASS: $N frames of $LEN B seen by the program and the stack"

# --- TX ---------------------------------------------------------------------
RET=0
reset_all
rx0=$(hp_stat "$NS_A" hp0 rx_packets)
attach xdp_tx_swap
check_err $? "attach xdp_tx_swap"
send_n
check_err $? "send"
expect "$NS_B" hp1 xdp_tx $N
expect "$NS_B" hp1 tx_packets $N
expect_stat "$NS_A" hp0 rx_packets "$rx0" $N
expect_only xdp_tx
# the frames came back addressed to hp0 (their source before the swap)
check_eq "$(hp_counter "$NS_A" hp0 rx_packets)" $N "hp0 frames to its stack"
log_test "XDP_TX: $N frames back out of hp1 to hp0 ($MAC0)"

# --- REDIRECT (devmap -> hp2's ndo_xdp_xmit) -------------------------------
RET=0
reset_all
rx3=$(hp_stat "$NS_C" hp3 rx_packets)
v=$(printf '%d %d %d %d' $((IFINDEX2 & 255)) $((IFINDEX2 >> 8 & 255)) \
	$((IFINDEX2 >> 16 & 255)) $((IFINDEX2 >> 24 & 255)))
# shellcheck disable=SC2086
run_cmd ip netns exec "$NS_B" bpftool map update pinned "$TMP/bpf/m/tx_port" key 0 0 0 0 value $v
check_err $? "devmap slot 0 = hp2 (ifindex $IFINDEX2)"
attach xdp_redirect_dev
check_err $? "attach xdp_redirect_dev"
send_n
check_err $? "send"
expect "$NS_B" hp1 xdp_redirect $N
expect "$NS_B" hp2 xdp_xmit $N
expect "$NS_B" hp2 tx_packets $N
expect_stat "$NS_C" hp3 rx_packets "$rx3" $N
expect "$NS_B" hp2 xdp_xmit_errors 0
expect_only xdp_redirect
log_test "XDP_REDIRECT: devmap into hp2, ndo_xdp_xmit took $N, hp3 got $N"

# --- ABORTED, unknown verdict -----------------------------------------------
for v in aborted invalid; do
	RET=0
	reset_all
	d1=$(hp_stat "$NS_B" hp1 rx_dropped)
	attach "xdp_${v}_all"
	check_err $? "attach xdp_${v}_all"
	send_n
	check_err $? "send"
	expect "$NS_B" hp1 "xdp_$v" $N
	expect_stat "$NS_B" hp1 rx_dropped "$d1" $N
	expect_only "xdp_$v"
	log_test "XDP_${v^^}: $N frames dropped and counted as xdp_$v"
done

# --- MTU rules ----------------------------------------------------------------
RET=0
attach xdp_pass_all
check_err $? "attach"
ip -n "$NS_B" link set dev hp1 mtu 9000 2>/dev/null
check_fail $? "MTU 9000 with a program attached"
check_eq "$(ip netns exec "$NS_B" cat /sys/class/net/hp1/mtu)" 1500 "MTU after the refusal"
run_cmd ip -n "$NS_B" link set dev hp1 mtu 3500
check_err $? "MTU 3500 (the bound) with a program attached"
detach
run_cmd ip -n "$NS_B" link set dev hp1 mtu 9000
check_err $? "MTU 9000 without a program"
out=$(ip -n "$NS_B" link set dev hp1 xdpdrv pinned "$TMP/bpf/p/xdp_pass_all" 2>&1)
check_fail $? "attach at MTU 9000"
echo "    $out"
[[ $out == *"MTU too large for XDP"* ]]
check_err $? "extack names the MTU rule: '$out'"
check_eq "$(xdp_mode "$NS_B" hp1)" "" "no program after the refusal"
run_cmd ip -n "$NS_B" link set dev hp1 mtu 1500
check_err $? "MTU back to 1500"
log_test "MTU: attach refused above 3500 (extack), MTU capped while attached"

# --- xdp-bench (xdp-tools) in native mode -------------------------------------
# What xdp-bench (1.3) guarantees: after attaching it reads its counters once
# as the baseline, then every interval (-i 1) reads them again and prints one
# sample line ("Summary" or "hp1->hp2", then "N rx/s") with the difference;
# SIGINT ends it without a last sample, and its closing summary ("Packets
# received") is the sum of the printed samples' rx/s, printed only when
# nonzero.  So frames that arrive before the baseline is read (after the
# attach) count in no sample, and frames after the last sample neither: the
# test sends only once a first sample line is out (the baseline was read),
# and stops it only once a sample line shows the frames.  Its stdout goes to
# a file, so it is line buffered (stdbuf) for the lines to show as printed.

# bench_samples: sample lines xdp-bench printed so far
bench_samples()
{
	grep -c ' rx/s ' "$TMP/bench"
}

# bench_counted: a sample line with a nonzero rx/s
bench_counted()
{
	grep -qE '[^0-9][1-9][0-9,]* rx/s ' "$TMP/bench"
}

# bench CMD ARGS...: xdp-bench CMD ARGS on hp1 while N frames come.  In the
# namespace's own /sys, with a bpffs there (libxdp wants one).  SIGINT ends
# it (sig_default undoes the background job's ignored SIGINT; ip netns exec,
# sh, sig_default and stdbuf exec it: $! is its pid).
bench()
{
	local cmd=$1; shift

	detach >/dev/null
	echo "COMMAND: xdp-bench $cmd $* -i 1 (in $NS_B, background)"
	# "$IP", not the ip function: a function in the background is a subshell
	"$IP" netns exec "$NS_B" sh -c 'mount -t bpf bpf /sys/fs/bpf && exec "$0" stdbuf -oL xdp-bench "$@"' \
		"$SIGDFL" "$cmd" "$@" -i 1 >"$TMP/bench" 2>&1 &
	BENCH_PID=$!
	busywait_eq 10000 1 xdp_mode "$NS_B" hp1 >/dev/null
	check_err $? "xdp-bench $cmd did not attach natively: $(tr -d '\0' < "$TMP/bench")"
	# its baseline is read before its first sample line (1 s later)
	busywait_ge 10000 1 bench_samples >/dev/null
	check_err $? "xdp-bench $cmd printed no sample line: $(tr -d '\0' < "$TMP/bench")"
	send_n
	check_err $? "send"
}

# a zombie until waited for: gone once it is no longer running
bench_gone()
{
	! grep -qE 'State:.*[RSD]' "/proc/$BENCH_PID/status" 2>/dev/null
}

# bench_end: once a sample shows the frames (the program counted them before
# the driver's counters, checked before, moved: at most an interval and the
# print), stop it; it printed its closing summary and detached.  (Its own
# count is a sum of rates over about 1 s each, not exact: the exact counts
# are the driver's.)
bench_end()
{
	local rc

	busywait 10000 bench_counted
	check_err $? "no xdp-bench sample counted the frames"
	kill -INT "$BENCH_PID" 2>/dev/null
	busywait 10000 bench_gone >/dev/null || {
		echo "    xdp-bench still running: $(grep -E 'State|Sig' /proc/$BENCH_PID/status | tr '\n' ' ')"
		kill -KILL "$BENCH_PID" 2>/dev/null
	}
	wait "$BENCH_PID" 2>/dev/null
	rc=$?
	tr -d '\0' < "$TMP/bench" | sed 's/^/    /'
	check_eq "$rc" 0 "xdp-bench exit status after SIGINT"
	grep -qE "Packets received +: +[1-9]" "$TMP/bench"
	check_err $? "xdp-bench printed no closing summary"
	busywait_eq 5000 "" xdp_mode "$NS_B" hp1 >/dev/null
	check_err $? "xdp-bench left a program on hp1"
	detach >/dev/null
}

for m in drop pass tx; do
	RET=0
	reset_all
	rx0=$(hp_stat "$NS_A" hp0 rx_packets)
	bench "$m" -m native hp1
	expect "$NS_B" hp1 "xdp_$m" $N
	[ $m = tx ] && expect_stat "$NS_A" hp0 rx_packets "$rx0" $N
	[ $m = pass ] && expect "$NS_B" hp1 rx_packets $N
	expect_only "xdp_$m"
	bench_end
	log_test "xdp-bench $m -m native hp1: xdp_$m=$N"
done

for m in redirect redirect-map; do
	RET=0
	reset_all
	rx3=$(hp_stat "$NS_C" hp3 rx_packets)
	bench "$m" -m native hp1 hp2
	expect "$NS_B" hp1 xdp_redirect $N
	expect "$NS_B" hp2 xdp_xmit $N
	expect_stat "$NS_C" hp3 rx_packets "$rx3" $N
	expect_only xdp_redirect
	bench_end
	log_test "xdp-bench $m -m native hp1 hp2: ndo_xdp_xmit took $N"
done

exit "$EXIT_STATUS"
