#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ping both ways across a pair whose ends sit in two namespaces, IPv4 and
# IPv6: the frames really cross hp0 <-> hp1 (each end counts them).
source "$(dirname "$0")/lib.sh"

require_root

hp_mod_load pairs=1 || hp_fail "insmod failed"
hp_pair_setup hp0 hp1 || hp_fail "pair setup failed"

# ping_dir NS FROM_DEV TO_DEV ADDR [-6]
ping_dir()
{
	local ns=$1 from=$2 to=$3 addr=$4 fam=${5:-} tx0 rx0 tx1 rx1 peer_ns

	[ "$ns" = "$NS_A" ] && peer_ns=$NS_B || peer_ns=$NS_A
	RET=0
	tx0=$(hp_stat "$ns" "$from" tx_packets)
	rx0=$(hp_stat "$peer_ns" "$to" rx_packets)
	run_ns "$ns" ping $fam -c 3 -W 5 "$addr"
	check_err $? "ping $addr from $ns failed"
	tx1=$(hp_stat "$ns" "$from" tx_packets)
	rx1=$(hp_stat "$peer_ns" "$to" rx_packets)
	# At least the three echo requests crossed this way (ARP/ND may add more).
	[ $((tx1 - tx0)) -ge 3 ] && [ $((rx1 - rx0)) -ge 3 ]
	check_err $? "counters: $from tx +$((tx1 - tx0)), $to rx +$((rx1 - rx0)), want >= 3"
	log_test "ping ${fam:--4} $from -> $to ($addr)"
}

ping_dir "$NS_A" hp0 hp1 "$IP4_B"
ping_dir "$NS_B" hp1 hp0 "$IP4_A"
ping_dir "$NS_A" hp0 hp1 "$IP6_B" -6
ping_dir "$NS_B" hp1 hp0 "$IP6_A" -6

# Larger than one page and up to the MTU.
RET=0
run_ns "$NS_A" ping -c 2 -W 5 -s 1472 "$IP4_B"
check_err $? "full-MTU ping failed"
log_test "ping with 1500-byte frames"

exit "$EXIT_STATUS"
