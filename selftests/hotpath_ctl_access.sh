#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Control plane access: reads need no privilege, changes need CAP_NET_ADMIN
# (EPERM otherwise, nothing changed), and a caller sees and changes only the
# ports of its own network namespace.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd hotpath jq setpriv

# As the unprivileged user nobody, without any capability.
unpriv()
{
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}

test_unprivileged()
{
	local before after out rc cmd

	RET=0
	run_cmd unpriv hotpath show hp0
	check_err $? "unprivileged show failed"
	run_cmd unpriv hotpath -j show
	check_err $? "unprivileged show -j failed"
	run_cmd unpriv hotpath stats hp0
	check_err $? "unprivileged stats failed"
	run_cmd unpriv hotpath -j stats
	check_err $? "unprivileged stats -j failed"

	before=$(hotpath -j show)
	for cmd in "set hp0 rx-usecs 9" "set hp0 tx-push on" "reset hp0"; do
		echo "COMMAND: unpriv hotpath $cmd"
		# shellcheck disable=SC2086
		out=$(unpriv hotpath $cmd 2>&1)
		rc=$?
		echo "    $out"
		check_eq "$rc" 1 "exit status of unprivileged $cmd"
		grep -q "Operation not permitted" <<<"$out"
		check_err $? "unprivileged $cmd: not EPERM"
	done
	after=$(hotpath -j show)
	check_eq "$after" "$before" "configuration after unprivileged set"
	log_test "unprivileged: show/stats work, set/reset fail with EPERM"
}

test_netns_isolation()
{
	local ns=hp-$$-iso names

	RET=0
	hp_ns_add "$ns" || return
	run_cmd ip link set hp1 netns "$ns"
	check_err $? "moving hp1 failed"

	names=$(ip netns exec "$ns" hotpath -j show | jq -c 'map(.ifname)')
	check_eq "$names" '["hp1"]' "ports listed in the namespace holding hp1"
	names=$(hotpath -j show | jq -c 'map(.ifname)')
	check_eq "$names" '["hp0"]' "ports listed in the initial namespace"
	names=$(ip netns exec "$ns" hotpath -j stats | jq -c 'map(.ifname)')
	check_eq "$names" '["hp1"]' "stats listed in the namespace holding hp1"
	# the peer is still reported, though it lives elsewhere
	check_eq "$(ip netns exec "$ns" hotpath -j show hp1 | jq -r '.[0].peer')" hp0 "hp1's peer"

	run_cmd ip netns exec "$ns" hotpath set hp1 rx-usecs 17
	check_err $? "set inside the namespace failed"
	check_eq "$(ip netns exec "$ns" hotpath -j show hp1 | jq -r '.[0].coalesce.rx_usecs')" 17 \
		"rx_usecs set inside the namespace"
	check_eq "$(hotpath -j show hp0 | jq -r '.[0].coalesce.rx_usecs')" 0 \
		"hp0 untouched by the change of hp1"
	run_cmd ip netns exec "$ns" hotpath show hp0
	check_fail $? "hp0 visible from the other namespace"
	log_test "netns: a namespace holding only hp1 lists only hp1"
}

hp_mod_load || hp_fail "cannot load hotpath.ko"
# nobody must reach the shared libraries: mkinitramfs.sh gives / mode 755
[ "$(stat -c %a /)" = 755 ] || hp_fail "the VM's / is mode $(stat -c %a /), not 755 (mkinitramfs.sh)"
test_unprivileged
test_netns_isolation
exit "$EXIT_STATUS"
