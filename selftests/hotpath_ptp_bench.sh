#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hotpath-bench --hw-timestamps over hp0 (netns A) -> hp1 (netns B): every
# ping gets both NIC stamps; the split host TX + wire + host RX adds up to
# the one-way time; the wire part is the same for every ping (exact stamps,
# free-running clocks) and equals the modelled tx_wire within the bench's
# PHC-to-CLOCK_MONOTONIC maps.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd hotpath jq

BENCH=$(command -v hotpath-bench || echo "$HP_TOP/tools/bench/hotpath-bench")
[ -x "$BENCH" ] || hp_skip "hotpath-bench not found"
COUNT=200
SIZE=64

test_split()
{
	local out wire_min wire_max model stage sum ow win phy tol

	RET=0
	ip netns exec "$NS_A" hotpath reset hp0 >/dev/null
	echo "COMMAND: ip netns exec $NS_A hotpath-bench client $IP4_B --server-netns $NS_B" \
	     "--hw-timestamps --count $COUNT --size $SIZE --json"
	out=$(ip netns exec "$NS_A" timeout 120 "$BENCH" client "$IP4_B" --server-netns "$NS_B" \
		--hw-timestamps --count $COUNT --size $SIZE --warmup 10 --json)
	check_err $? "hotpath-bench --hw-timestamps failed"
	echo "    $out" | cut -c1-600
	check_eq "$(jq -r '.hw_timestamps.missing' <<<"$out")" 0 "pings without both stamps"
	check_eq "$(jq -r '.hw_timestamps.wire.count' <<<"$out")" $COUNT "wire samples"
	wire_min=$(jq -r '.hw_timestamps.wire.min_ns' <<<"$out")
	wire_max=$(jq -r '.hw_timestamps.wire.max_ns' <<<"$out")
	check_eq "$wire_max" "$wire_min" "wire max (constant for every ping)"
	# UDP/IPv4: 14 + 20 + 8 + SIZE bytes on the wire, + FCS, preamble, IFG
	phy=$(ip netns exec "$NS_A" hotpath -j show hp0 | jq -r '.[0].model.phy_ns')
	model=$(( ( (14 + 20 + 8 + SIZE + 4 + 20) * 8 * 1000000 / 10000 + phy * 1000 + 500) / 1000 ))
	# the stage also counts the bench's shorter control datagrams
	stage=$(hp_stage "$NS_A" hp0 tx_wire max_ns)
	echo "    hp0 tx_wire stage: max $stage ns (the pings and control datagrams)"
	win=$(jq -r '.hw_timestamps.phc_map_window_ns' <<<"$out")
	echo "    wire $wire_min ns, modelled tx_wire $model ns, PHC map window $win ns"
	# the two ends' maps each err by at most half their read window
	[ $((wire_min - model)) -le $((win + 20000)) ] && [ $((model - wire_min)) -le $((win + 20000)) ]
	check_err $? "wire $wire_min ns far from the modelled $model ns"
	sum=$(jq -r '.hw_timestamps | .host_tx.mean_ns + .wire.mean_ns + .host_rx.mean_ns' <<<"$out")
	ow=$(jq -r '.one_way.mean_ns' <<<"$out")
	echo "    mean host_tx + wire + host_rx = $sum ns, mean one-way $ow ns"
	# The parts add up exactly unless the bench clamped one at 0: the two
	# maps' error may put the RX stamp before the TX stamp (wire < 0 when
	# the error exceeds tx_wire); the clamped part then adds at most that
	# error, which the map windows bound.
	tol=3
	if [ "$wire_min" = 0 ] ||
	   [ "$(jq -r '.hw_timestamps | [.host_tx.min_ns, .host_rx.min_ns] | min' <<<"$out")" = 0 ]; then
		tol=$((win + 20000))
		echo "    a part was clamped at 0 (map error larger than it): tolerance $tol ns"
	fi
	[ $((sum - ow)) -le $tol ] && [ $((ow - sum)) -le $tol ]
	check_err $? "split does not add up to the one-way time (tolerance $tol ns)"
	log_test "hotpath-bench --hw-timestamps: host TX / wire / host RX split"
}

hp_mod_load pairs=1 || hp_fail "cannot load hotpath.ko"
IP6_A="" IP6_B=""
hp_pair_setup hp0 hp1 || hp_fail "pair setup failed"
# only the bench's datagrams on the link: the tx_wire stage is theirs
hp_quiet_link "$NS_A" hp0 "$(hp_mac "$NS_B" hp1)" "$IP4_B" || hp_fail "quiet link"
hp_quiet_link "$NS_B" hp1 "$(hp_mac "$NS_A" hp0)" "$IP4_A" || hp_fail "quiet link"
test_split
exit "$EXIT_STATUS"
