#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module lifecycle under traffic:
#  - rmmod while TCP and UDP flow across a pair in two namespaces: the module
#    goes, its ports with it, the senders see errors, the kernel stays clean;
#  - 20 load/unload cycles, each with traffic, alternating between deleting
#    the namespaces first and unloading with the ports still inside them; the
#    module's ports_alive/buffers_alive counters return to 0 before every
#    unload and no netdev reference is left ("waiting for ... to become free").
source "$(dirname "$0")/lib.sh"

require_root

XFER=$(hp_helper hp_xfer)
CYCLES=${CYCLES:-20}
P=/sys/module/hotpath/parameters

param() { cat "$P/$1" 2>/dev/null; }

test_rmmod_under_traffic()
{
	local flood tcp srv usrv

	RET=0
	hp_mod_load pairs=1 || hp_fail "insmod failed"
	hp_pair_setup hp0 hp1 || hp_fail "pair setup failed"
	# hp_bg: their own pids, so that the kills below end them, not only
	# the subshells around them (a flood left running would load the VM
	# through the load/unload cycles for its 60 s)
	hp_bg srv /dev/null "$NS_B" "$XFER" tcp-server 6001
	hp_bg usrv /dev/null "$NS_B" "$XFER" udp-server 6002 1000000000 60000
	hp_defer kill $srv $usrv
	hp_wait_listen "$NS_B" t 6001 && hp_wait_listen "$NS_B" u 6002
	check_err $? "servers not bound to TCP 6001 and UDP 6002"
	hp_bg tcp /dev/null "$NS_A" "$XFER" tcp-client "$IP4_B" 6001 100000000000
	hp_bg flood /dev/null "$NS_A" "$XFER" udp-flood "$IP4_B" 6002 60 256
	hp_defer kill $tcp $flood
	busywait_ge 60000 2000 hp_stat "$NS_B" hp1 rx_packets >/dev/null
	check_err $? "traffic did not start"
	log_info "hp1 rx_packets $(hp_stat "$NS_B" hp1 rx_packets) before rmmod"
	run_cmd rmmod hotpath
	check_err $? "rmmod under traffic failed (refcnt $(cat /sys/module/hotpath/refcnt 2>/dev/null))"
	[ ! -d /sys/module/hotpath ]
	check_err $? "module still there"
	! ip -n "$NS_A" link show hp0 >/dev/null 2>&1 && ! ip -n "$NS_B" link show hp1 >/dev/null 2>&1
	check_err $? "ports survive rmmod"
	kill $tcp $flood $srv $usrv 2>/dev/null
	wait 2>/dev/null
	ip netns del "$NS_A"
	ip netns del "$NS_B"
	if hp_mod_loaded; then
		log_info "after the traffic stopped: refcnt $(cat /sys/module/hotpath/refcnt)," \
			"ports_alive $(param ports_alive), holders: $(ls /sys/module/hotpath/holders)"
		hp_mod_unload
		check_err $? "module still pinned after the traffic stopped and the namespaces went"
	fi
	log_test "rmmod while TCP and UDP flow"
}

# One cycle: load, pair in namespaces, traffic, then unload one of two ways.
cycle()
{
	local i=$1 out srv

	NS_A=hp-$$-a$i NS_B=hp-$$-b$i
	hp_mod_load pairs=2 >/dev/null || { check_err 1 "cycle $i: insmod failed"; return; }
	hp_pair_setup hp0 hp1 || { check_err 1 "cycle $i: pair setup failed"; return; }
	ip link add hpc0 type hotpath || check_err 1 "cycle $i: ip link add failed"
	ip netns exec "$NS_A" ping -c 2 -i 0.2 -W 5 "$IP4_B" >/dev/null ||
		check_err 1 "cycle $i: no ping"
	hp_bg srv /tmp/hp-$$-srv "$NS_B" "$XFER" udp-server 6003 100 10000
	hp_wait_listen "$NS_B" u 6003
	out=$(ip netns exec "$NS_A" "$XFER" udp-client "$IP4_B" 6003 100 1000 65536 2>&1)
	wait $srv || check_err 1 "cycle $i: UDP: $out / $(cat /tmp/hp-$$-srv)"
	if ((i % 2)); then
		# Delete everything first: the counters must fall back to zero.
		ip netns del "$NS_A"
		ip netns del "$NS_B"
		ip link del hpc0
		ip link del hp2
		busywait_eq 5000 0 param ports_alive >/dev/null ||
			check_err 1 "cycle $i: ports_alive $(param ports_alive) with no port left"
		busywait_eq 5000 0 param buffers_alive >/dev/null ||
			check_err 1 "cycle $i: buffers_alive $(param buffers_alive) with no port left"
		hp_mod_unload || check_err 1 "cycle $i: rmmod failed"
	else
		# Unload with the ports still in their namespaces.
		[ "$(param ports_alive)" = 6 ] ||
			check_err 1 "cycle $i: ports_alive $(param ports_alive), want 6"
		hp_mod_unload || check_err 1 "cycle $i: rmmod with ports in namespaces failed"
		ip netns del "$NS_A"
		ip netns del "$NS_B"
	fi
	[ ! -d /sys/module/hotpath ] || check_err 1 "cycle $i: module still loaded"
	rm -f /tmp/hp-$$-srv
}

test_cycles()
{
	local i

	RET=0
	hp_mod_load pairs=1 || hp_fail "insmod failed"
	[ -e "$P/ports_alive" ] && [ -e "$P/buffers_alive" ]
	if [ $? != 0 ]; then
		log_test_skip "load/unload cycles" "no ports_alive/buffers_alive in $P"
		return
	fi
	hp_mod_unload
	for i in $(seq "$CYCLES"); do
		cycle "$i"
		[ $RET = 0 ] || break
	done
	log_test "$CYCLES load/unload cycles with traffic, counters back to 0"

	RET=0
	dmesg | grep -E 'waiting for .* to become free|page_pool.*(stalled|leak)|hotpath:.*(leak|alive)' \
		| tail -n 5 | sed 's/^/    /'
	! dmesg | grep -qE 'waiting for .* to become free|page_pool.*(stalled|leak)'
	check_err $? "reference or page leak reported in dmesg"
	log_test "no netdev or page_pool leak reported"
}

test_rmmod_under_traffic
test_cycles
exit "$EXIT_STATUS"
