#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hotpath-bench over a hotpath pair: hp0 in one namespace, hp1 in another;
# the client starts the server in the peer namespace itself.
#  - ping-pong reports exactly the count asked for, with zero loss, and its
#    JSON parses and carries every documented key (tools/bench/README.md);
#  - the same with SO_BUSY_POLL (the driver's NAPI poll run by the receiver),
#    and over IPv6;
#  - stream mode reports packets/s > 0 and received + dropped == sent;
#  - a standalone server prints its session report.
#
# HP_BENCH_LINK=veth runs the same checks over a veth pair instead, to check
# the tool on a machine without the module.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq

BENCH=$(command -v hotpath-bench || echo "$HP_TOP/tools/bench/hotpath-bench")
[ -x "$BENCH" ] || hp_skip "hotpath-bench not found (make -C tools/bench)"

PP_COUNT=200
STREAM_COUNT=2000
OUT=

# bench NS ARGS...: run hotpath-bench in NS, print the command and its output;
# the output is left in $OUT.
bench()
{
	hp_bench 120 "$@"
}

# jqv EXPR: evaluate EXPR on the JSON in $OUT.
jqv()
{
	jq -r "$1" <<< "$OUT"
}

setup()
{
	if [ "${HP_BENCH_LINK:-hotpath}" = veth ]; then
		ip link add hpb-v0 type veth peer name hpb-v1 || hp_fail "veth"
		hp_defer ip link del hpb-v0
		hp_pair_setup hpb-v0 hpb-v1 || hp_fail "veth pair setup failed"
	else
		hp_require_module
		hp_pair_setup hp0 hp1 || hp_fail "hp0/hp1 namespace setup failed"
	fi
	# Resolve the peers once, so no test depends on ARP timing.
	run_ns "$NS_A" ping -c 1 -W 5 "$IP4_B" >/dev/null
	run_ns "$NS_A" ping -6 -c 1 -W 5 "$IP6_B" >/dev/null
}

# Every key tools/bench/README.md documents, as jq paths.
KEYS_TOP="mode size count lost warmup busy_poll_us prefer_busy_poll duration_ns send_errors
	  one_way_direction rtt one_way cpu stream histogram"
KEYS_LAT="count min_ns p50_ns p90_ns p99_ns p999_ns max_ns mean_ns"
KEYS_CPU="client_user_us client_sys_us server_user_us server_sys_us"
KEYS_STREAM="sent received dropped pps_sent pps_received"

check_keys()
{
	local k obj

	for k in $KEYS_TOP; do
		[ "$(jqv "has(\"$k\")")" = true ] || check_err 1 "JSON lacks key $k"
	done
	for obj in rtt one_way; do
		[ "$(jqv ".$obj == null")" = true ] && continue
		for k in $KEYS_LAT; do
			[ "$(jqv ".$obj | has(\"$k\")")" = true ] || check_err 1 "JSON lacks $obj.$k"
		done
	done
	for k in $KEYS_CPU; do
		[ "$(jqv ".cpu | has(\"$k\")")" = true ] || check_err 1 "JSON lacks cpu.$k"
	done
	if [ "$(jqv .mode)" = stream ]; then
		for k in $KEYS_STREAM; do
			[ "$(jqv ".stream | has(\"$k\")")" = true ] || check_err 1 "JSON lacks stream.$k"
		done
	fi
	for k in rtt one_way; do
		[ "$(jqv ".histogram | has(\"$k\")")" = true ] || check_err 1 "JSON lacks histogram.$k"
	done
}

# check_pingpong WHAT: the run in $OUT measured $PP_COUNT datagrams, none lost.
check_pingpong()
{
	local what=$1 ordered

	jq -e . <<< "$OUT" >/dev/null
	check_err $? "$what: output is not JSON"
	check_keys
	check_eq "$(jqv .mode)" pingpong "$what: mode"
	check_eq "$(jqv .count)" "$PP_COUNT" "$what: count"
	check_eq "$(jqv .lost)" 0 "$what: lost"
	check_eq "$(jqv .rtt.count)" "$PP_COUNT" "$what: rtt.count"
	check_eq "$(jqv .one_way.count)" "$PP_COUNT" "$what: one_way.count"
	check_eq "$(jqv .stream)" null "$what: stream"
	ordered=$(jqv '.rtt | .min_ns > 0 and .min_ns <= .p50_ns and .p50_ns <= .p90_ns and
		   .p90_ns <= .p99_ns and .p99_ns <= .p999_ns and .p999_ns <= .max_ns')
	check_eq "$ordered" true "$what: rtt min <= p50 <= ... <= max"
	check_eq "$(jqv '.one_way.max_ns < .rtt.max_ns')" true "$what: one-way below RTT"
	check_eq "$(jqv '[.histogram.rtt[].count] | add')" "$PP_COUNT" "$what: histogram total"
}

# bench_pingpong WHAT DST [ARGS...]: PP_COUNT round trips to DST, the JSON checked
bench_pingpong()
{
	local what=$1 dst=$2

	shift 2
	bench "$NS_A" client "$dst" "$@" --server-netns "$NS_B" --count $PP_COUNT \
		--warmup 10 --timeout 2000 --json
	check_err $? "hotpath-bench failed"
	check_pingpong "$what"
}

test_pingpong()
{
	RET=0
	bench_pingpong "ping-pong" "$IP4_B"
	log_test "ping-pong: $PP_COUNT datagrams, zero loss, every JSON key"
}

test_pingpong_busy_poll()
{
	RET=0
	bench_pingpong "busy-poll ping-pong" "$IP4_B" --busy-poll 50 --prefer-busy-poll
	check_eq "$(jqv .busy_poll_us)" 50 "busy_poll_us"
	check_eq "$(jqv .prefer_busy_poll)" true "prefer_busy_poll"
	log_test "ping-pong with SO_BUSY_POLL, SO_PREFER_BUSY_POLL: zero loss"
}

test_pingpong_ipv6()
{
	RET=0
	bench_pingpong "IPv6 ping-pong" "$IP6_B" -6
	log_test "ping-pong over IPv6: zero loss"
}

test_stream()
{
	RET=0
	bench "$NS_A" client "$IP4_B" --server-netns "$NS_B" --mode stream \
		--count $STREAM_COUNT --size 256 --timeout 2000 --json
	check_err $? "hotpath-bench failed"
	jq -e . <<< "$OUT" >/dev/null
	check_err $? "output is not JSON"
	check_keys
	check_eq "$(jqv .mode)" stream "mode"
	check_eq "$(jqv .stream.sent)" $STREAM_COUNT "stream.sent"
	check_eq "$(jqv '.stream.pps_sent > 0')" true "stream.pps_sent > 0"
	check_eq "$(jqv '.stream.pps_received > 0')" true "stream.pps_received > 0"
	check_eq "$(jqv '.stream.received > 0')" true "stream.received > 0"
	check_eq "$(jqv '.stream.received + .stream.dropped')" $STREAM_COUNT \
		"received + dropped"
	check_eq "$(jqv '.lost == .stream.dropped')" true "lost == stream.dropped"
	check_eq "$(jqv .rtt)" null "rtt in stream mode"
	log_test "stream: packets/s > 0, received + dropped == sent"
}

test_standalone_server()
{
	local srv_out pid

	RET=0
	srv_out=$(mktemp)
	hp_defer rm -f "$srv_out"
	echo "COMMAND: ip netns exec $NS_B $BENCH server --port 9001 --once --json &"
	ip netns exec "$NS_B" timeout 120 "$BENCH" server --port 9001 --once --json \
		> "$srv_out" 2>&1 &
	pid=$!
	hp_defer kill "$pid"
	# the client's HELLO retries end after 10 s: start it once the server
	# is bound, not on the guess that the server starts within them
	hp_wait_listen "$NS_B" u 9001
	check_err $? "server not bound to port 9001"
	bench "$NS_A" client "$IP4_B" --port 9001 --count 50 --timeout 2000
	check_err $? "hotpath-bench client failed"
	grep -q '^rtt  *50  *0 ' <<< "$OUT"
	check_err $? "text report lacks the rtt row with 50 datagrams, 0 lost"
	grep -q 'p99.9' <<< "$OUT"
	check_err $? "text report lacks p99.9"
	grep -q 'histogram' <<< "$OUT"
	check_err $? "text report lacks the histogram"
	# The --once server exits after the client's BYE.
	busywait 10000 sh -c "! kill -0 $pid 2>/dev/null" >/dev/null
	check_err $? "--once server still running"
	sed 's/^/    /' "$srv_out"
	check_eq "$(jq -r .received "$srv_out")" 60 "server: received (50 + 10 warm-up)"
	log_test "standalone server: text report, --once exit"
}

setup
test_pingpong
test_pingpong_busy_poll
test_pingpong_ipv6
test_stream
test_standalone_server
exit "$EXIT_STATUS"
