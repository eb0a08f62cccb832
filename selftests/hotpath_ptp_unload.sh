#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module unload with hardware stamping on and TX stamps pending: a sender
# requests a TX hardware stamp on every frame while TX completions are held
# back by coalescing (tx-usecs 10000, tx-frames = ring), and the module is
# removed under it.  Every pending stamp is delivered (completion reaped at
# ndo_stop) or dropped with its skb: the socket gets no stamp twice and none
# for a frame it never sent, its send memory returns to 0 (every skb freed),
# the module reports no leak and the console no splat (the runner checks).
source "$(dirname "$0")/lib.sh"

require_root

HWTS=$(hp_helper hwts)

test_unload()
{
	local out sent stamps wmem pid

	RET=0
	hp_mod_load pairs=1 || { check_err 1 "cannot load hotpath.ko"; return; }
	run_cmd ip link set hp0 up
	run_cmd ip link set hp1 up
	run_cmd hotpath set hp0 tx-usecs 10000 tx-frames 512
	dmesg -c >/dev/null

	"$HWTS" hold hp0 1000000 >"$TMP/hold.out" 2>&1 &
	pid=$!
	busywait_ge 30000 2000 hp_stat "" hp0 tx_packets >/dev/null
	check_err $? "sender did not get 2000 frames out"
	run_cmd rmmod hotpath
	check_err $? "rmmod failed"
	HP_UNLOAD_AT_EXIT=0
	wait "$pid"
	check_err $? "hwts hold failed: $(cat "$TMP/hold.out")"
	out=$(tail -n1 "$TMP/hold.out")
	echo "    $out"
	sent=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' <<<"$out")
	stamps=$(sed -n 's/.*stamps=\([0-9]*\).*/\1/p' <<<"$out")
	wmem=$(sed -n 's/.*wmem=\([0-9]*\).*/\1/p' <<<"$out")
	[ -n "$sent" ] && [ -n "$stamps" ] && [ "$stamps" -ge 1 ] && [ "$stamps" -le "$sent" ]
	check_err $? "stamps $stamps for $sent frames sent"
	check_eq "$wmem" 0 "socket send memory after unload (skbs not freed)"
	dmesg | grep -q "leaked"
	check_fail $? "module reports a leak: $(dmesg | grep leaked)"
	log_test "rmmod with TX stamps pending: delivered or dropped with the skb, no leak"
}

TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"
test_unload
exit "$EXIT_STATUS"
