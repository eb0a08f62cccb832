#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Carrier follows the peer: peer down -> carrier off, up -> on, peer deleted
# -> the pair is gone.  Deleting a namespace with a port inside removes the
# pair cleanly (no leaked port, module unloads).
source "$(dirname "$0")/lib.sh"

require_root

alive() { cat /sys/module/hotpath/parameters/ports_alive 2>/dev/null; }

hp_mod_load pairs=1 || hp_fail "insmod failed"
hp_pair_setup hp0 hp1 || hp_fail "pair setup failed"

RET=0
check_eq "$(hp_carrier "$NS_A" hp0)$(hp_carrier "$NS_B" hp1)" 11 "carrier with both ends up"
log_test "carrier on with both ends up"

RET=0
run_cmd ip -n "$NS_B" link set hp1 down
busywait_eq 5000 0 hp_carrier "$NS_A" hp0 >/dev/null
check_err $? "hp0 carrier still $(hp_carrier "$NS_A" hp0) with hp1 down"
run_ns "$NS_A" ping -c 1 -W 1 "$IP4_B" >/dev/null
check_fail $? "ping works with the peer down"
log_test "peer down: carrier off"

RET=0
run_cmd ip -n "$NS_B" link set hp1 up
busywait_eq 5000 1 hp_carrier "$NS_A" hp0 >/dev/null
check_err $? "hp0 carrier $(hp_carrier "$NS_A" hp0) after hp1 up"
busywait_eq 5000 1 hp_carrier "$NS_B" hp1 >/dev/null
check_err $? "hp1 carrier $(hp_carrier "$NS_B" hp1) after up"
run_ns "$NS_A" ping -c 1 -W 5 "$IP4_B"
check_err $? "no ping after the peer came back"
log_test "peer up: carrier on, traffic flows"

RET=0
run_cmd ip -n "$NS_A" link set hp0 down
busywait_eq 5000 0 hp_carrier "$NS_B" hp1 >/dev/null
check_err $? "hp1 carrier still on with hp0 down"
run_cmd ip -n "$NS_A" link set hp0 up
busywait_eq 5000 1 hp_carrier "$NS_B" hp1 >/dev/null
check_err $? "hp1 carrier off after hp0 up"
log_test "the other direction too"

RET=0
run_cmd ip -n "$NS_B" link del hp1
check_err $? "ip link del hp1 failed"
hp_wait_gone "$NS_A" hp0 5000
check_err $? "hp0 survives the deletion of its peer"
log_test "peer deleted: the pair is gone"

# A namespace deleted with a port inside, traffic flowing into it.
RET=0
run_cmd ip link add hpn0 type hotpath
check_err $? "ip link add failed"
peer=$(ip -j link show | jq -r '.[].ifname' | grep -vx -e lo -e hpn0 | grep '^hp' | head -n1)
NS_C=hp-$$-c
hp_ns_add "$NS_C"
hp_port_setup "$NS_C" hpn0 10.8.0.1 "" && ip addr add 10.8.0.2/24 dev "$peer" &&
	ip link set "$peer" up
check_err $? "setup of hpn0/$peer failed"
busywait_eq 5000 1 cat "/sys/class/net/$peer/carrier" >/dev/null
ping -c 1 -W 5 10.8.0.1 >/dev/null
check_err $? "no traffic into $NS_C"
ping -f -c 100000 -w 30 10.8.0.1 >/dev/null 2>&1 &
flood=$!
hp_defer kill $flood
busywait_ge 5000 50 cat "/sys/class/net/$peer/statistics/tx_packets" >/dev/null
run_cmd ip netns del "$NS_C"
check_err $? "ip netns del failed"
hp_wait_gone "" "$peer"
check_err $? "$peer survives the deletion of the namespace holding hpn0"
kill $flood 2>/dev/null
wait $flood 2>/dev/null
log_test "netns deleted with a port inside (under traffic): pair gone"

RET=0
busywait_eq 5000 0 alive >/dev/null
check_err $? "ports_alive $(alive) after every pair was deleted"
run_cmd rmmod hotpath
check_err $? "rmmod failed"
log_test "no port left behind, module unloads"

exit "$EXIT_STATUS"
