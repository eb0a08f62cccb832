#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Pairs: pairs=3 gives hp0..hp5 wired hp0<->hp1, hp2<->hp3, hp4<->hp5 (proved
# by traffic, and by iflink where the driver reports it); pairs past the bound
# is rejected and leaves nothing behind; `ip link add NAME type hotpath`
# makes a working pair and `ip link del` of either end removes both.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq

ifnames() { ip -j link show | jq -r '.[].ifname' | sort; }
# Names in $2 that are not in $1.
added() { grep -vxF -f <(echo "$1") <(echo "$2"); }

# connected DEV_X DEV_Y: ping across X and Y, each in its own namespace.
connected()
{
	local x=$1 y=$2 nx=hp-$$-$1 ny=hp-$$-$2 rc

	hp_ns_add "$nx" && hp_ns_add "$ny" || return 2
	hp_port_setup "$nx" "$x" 10.9.0.1 "" || return 2
	hp_port_setup "$ny" "$y" 10.9.0.2 "" || return 2
	run_ns "$nx" ping -c 1 -W 2 10.9.0.2
	rc=$?
	# Back to this namespace for the next check.
	ip -n "$nx" link set "$x" netns 1
	ip -n "$ny" link set "$y" netns 1
	ip netns del "$nx"
	ip netns del "$ny"
	return $rc
}

test_pairs3()
{
	local i peer

	RET=0
	hp_mod_load pairs=3
	check_err $? "insmod pairs=3 failed"
	for i in 0 1 2 3 4 5; do
		[ -e /sys/class/net/hp$i ]
		check_err $? "hp$i missing"
	done
	[ ! -e /sys/class/net/hp6 ]
	check_err $? "hp6 exists with pairs=3"
	log_test "pairs=3 gives hp0..hp5"

	RET=0
	for i in 0 2 4; do
		connected hp$i hp$((i + 1))
		check_err $? "no traffic across hp$i <-> hp$((i + 1))"
	done
	log_test "hp0<->hp1, hp2<->hp3, hp4<->hp5 carry traffic"

	RET=0
	connected hp0 hp3
	check_fail $? "traffic crosses hp0 and hp3, which are not a pair"
	connected hp1 hp2
	check_fail $? "traffic crosses hp1 and hp2, which are not a pair"
	log_test "ports of different pairs are not connected"

	# iflink (ip link shows "hp0@hp1") names the peer when the driver
	# implements ndo_get_iflink.
	RET=0
	peer=$(ip -j link show dev hp0 | jq -r '.[0].link // empty')
	if [ -z "$peer" ]; then
		log_test_skip "iflink names the peer" "driver does not report it"
	else
		for i in 0 1 2 3 4 5; do
			peer=$(ip -j link show dev hp$i | jq -r '.[0].link // empty')
			check_eq "$peer" "hp$((i ^ 1))" "peer of hp$i"
		done
		log_test "iflink names the peer"
	fi
	hp_mod_unload
}

test_bound()
{
	local n rc bound

	# The bound as the module states it ("0..64" in the parameter's text).
	bound=$(modinfo -p "$(hp_ko)" | sed -n 's/^pairs:.*0\.\.\([0-9][0-9]*\).*/\1/p')
	if [ -n "$bound" ]; then
		RET=0
		hp_mod_load "pairs=$bound"
		check_err $? "pairs=$bound (the bound) rejected"
		[ -e "/sys/class/net/hp$((2 * bound - 1))" ] && [ ! -e "/sys/class/net/hp$((2 * bound))" ]
		check_err $? "pairs=$bound did not give hp0..hp$((2 * bound - 1))"
		hp_mod_unload
		check_err $? "rmmod with $bound pairs failed"
		log_test "pairs=$bound (the bound) gives $((2 * bound)) ports"
	fi

	RET=0
	hp_mod_unload
	for n in ${bound:+$((bound + 1))} 100000 4294967295; do
		echo "COMMAND: insmod $(hp_ko) pairs=$n"
		insmod "$(hp_ko)" "pairs=$n" 2>&1 | sed 's/^/    /'
		rc=${PIPESTATUS[0]}
		check_fail "$rc" "pairs=$n accepted"
		[ ! -d /sys/module/hotpath ] && [ ! -e /sys/class/net/hp0 ]
		check_err $? "pairs=$n left the module or ports behind"
		hp_mod_unload
	done
	dmesg | grep -i hotpath | tail -n 3 | sed 's/^/    dmesg: /'
	log_test "pairs past the bound is rejected"
}

test_link_add()
{
	local before after new peer

	RET=0
	hp_mod_load pairs=1
	before=$(ifnames)
	run_cmd ip link add hpt0 type hotpath
	check_err $? "ip link add type hotpath failed"
	after=$(ifnames)
	new=$(added "$before" "$after" | tr '\n' ' ')
	peer=$(added "$before" "$after" | grep -vx hpt0)
	check_eq "$(echo "$new" | wc -w)" 2 "new interfaces ($new)"
	log_test "ip link add type hotpath makes a pair ($new)"

	RET=0
	run_cmd ip -d link show dev hpt0
	connected hpt0 "$peer"
	check_err $? "no traffic across hpt0 <-> $peer"
	log_test "the new pair carries traffic"

	RET=0
	run_cmd ip link del hpt0
	check_err $? "ip link del failed"
	[ ! -e /sys/class/net/hpt0 ] && [ ! -e "/sys/class/net/$peer" ]
	check_err $? "an end survives ip link del"
	log_test "ip link del removes both ends"

	RET=0
	run_cmd ip link add hpt1 type hotpath
	check_err $? "second ip link add failed"
	after=$(ifnames)
	peer=$(added "$before" "$after" | grep -vx hpt1)
	run_cmd ip link del "$peer"
	check_err $? "ip link del $peer failed"
	[ ! -e /sys/class/net/hpt1 ] && [ ! -e "/sys/class/net/$peer" ]
	check_err $? "an end survives deleting the peer"
	log_test "deleting the kernel-named end removes both"

	RET=0
	[ "$(ifnames)" = "$before" ]
	check_err $? "interfaces differ from before: $(ifnames | tr '\n' ' ')"
	run_cmd rmmod hotpath
	check_err $? "rmmod failed"
	log_test "module unloads after link add/del"
}

test_pairs3
test_bound
test_link_add
exit "$EXIT_STATUS"
