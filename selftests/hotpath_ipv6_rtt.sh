#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPv6 costs about what IPv4 costs on a pair (issue 12, "the IPv6 stall"):
# hotpath-bench UDP ping-pong over the same hp0 <-> hp1 pair, IPv4 then
# IPv6, interleaved over three rounds; IPv6's best round-trip p50 must be
# within 2x of IPv4's best.  Both neighbours are pinned (no ARP, no ND on the
# path) and DAD is off, so the two families differ only in the stack.
#
# Runs on the virtual clock (one instruction = 1 ns): on the real-time
# clock a descheduled vCPU thread of the emulator costs milliseconds, which
# drowns the comparison; on the virtual clock only the guest's own work
# counts.  The per-stage p50s are printed beside each run, so a difference
# shows where it sits.
# hp-vm-clock: virtual

source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq hotpath

BENCH=$(command -v hotpath-bench || echo "$HP_TOP/tools/bench/hotpath-bench")
[ -x "$BENCH" ] || hp_skip "hotpath-bench not found"
COUNT=200
ROUNDS=3

hp_mod_load pairs=1 || hp_fail "insmod failed"
hp_pair_setup hp0 hp1 || hp_fail "pair setup failed"
hp_pin_neigh "$NS_A" "$DEV_A" "$(hp_mac "$NS_B" "$DEV_B")" "$IP4_B" "$IP6_B" || hp_fail "neighbours"
hp_pin_neigh "$NS_B" "$DEV_B" "$(hp_mac "$NS_A" "$DEV_A")" "$IP4_A" "$IP6_A" || hp_fail "neighbours"
hp_wait_quiet "$NS_A" "$DEV_A" || hp_fail "link never went quiet"

# rtt FAMILY ADDR: one ping-pong run, prints the RTT p50 in ns
rtt()
{
	local fam=$1 addr=$2 out p50 d

	for d in "$NS_A $DEV_A" "$NS_B $DEV_B"; do
		set -- $d
		ip netns exec "$1" hotpath reset "$2" >/dev/null
	done
	out=$(ip netns exec "$NS_A" timeout 120 "$BENCH" client "$addr" $([ "$fam" = 6 ] && echo -6) \
		--server-netns "$NS_B" --count $COUNT --warmup 10 --timeout 2000 --json 2>&1) || {
		echo "hotpath-bench failed: $out" >&2
		return 1
	}
	p50=$(jq -r '.rtt.p50_ns' <<<"$out")
	echo "    IPv$fam rtt p50 $p50 ns; $DEV_B stage p50s:" \
		"$(ip netns exec "$NS_B" hotpath -j stats "$DEV_B" |
		   jq -r '[.[0].stages[] | select(.count > 0) | "\(.name)=\(.p50_ns)"] | join(" ")')" >&2
	echo "$p50"
}

RET=0
best4= best6=
for ((r = 1; r <= ROUNDS; r++)); do
	v4=$(rtt 4 "$IP4_B") || { check_err 1 "IPv4 ping-pong failed"; break; }
	v6=$(rtt 6 "$IP6_B") || { check_err 1 "IPv6 ping-pong failed"; break; }
	[ -z "$best4" ] || [ "$v4" -lt "$best4" ] && best4=$v4
	[ -z "$best6" ] || [ "$v6" -lt "$best6" ] && best6=$v6
done
if [ $RET = 0 ]; then
	echo "INFO: best RTT p50: IPv4 $best4 ns, IPv6 $best6 ns" \
	     "(ratio $(awk -v a="$best6" -v b="$best4" 'BEGIN { printf "%.2f", a / b }'))"
	[ "$best6" -le $((2 * best4)) ]
	check_err $? "IPv6 RTT p50 $best6 ns more than twice IPv4's $best4 ns"
fi
log_test "IPv6 ping-pong p50 within 2x of IPv4's on the same pair"

exit "$EXIT_STATUS"
