#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the hotpath kselftests, in the style of
# tools/testing/selftests/net/forwarding/lib.sh.  Source it from a test:
#
#	source "$(dirname "$0")/lib.sh"
#	hp_mod_load pairs=1		# fresh module: hp0 <-> hp1
#	hp_pair_setup hp0 hp1		# hp0 in $NS_A (10.0.0.1, fd00::1), hp1 in $NS_B
#	RET=0
#	run_cmd ip netns exec "$NS_A" ping -c 1 -W 2 "$IP4_B"
#	check_err $? "ping failed"
#	log_test "ping"
#	exit "$EXIT_STATUS"
#
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.  Namespaces are named
# hp-<pid>-<suffix> and removed, with everything registered through
# hp_defer, by an EXIT trap.

ksft_pass=0
ksft_fail=1
ksft_skip=4

RET=0
EXIT_STATUS=0
retmsg=
HP_LIBDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HP_TOP=$(cd "$HP_LIBDIR/.." && pwd)
VERBOSE=${VERBOSE:-0}

# What the lab shares with the tests (ip, busywait*, hp_mod_insert/unload,
# hp_wait_dev, hp_ns_add, hp_port_setup, hp_pair_up, hp_carrier, hp_mac,
# hp_pin_neigh, hp_both, hp_ethtool_stat, hp_netstat): next to lib.sh where
# the suite is installed flat (a kselftest install, the VM), in tools/lab
# in the tree.
for HP_COMMON in "$HP_LIBDIR/hp-common.sh" "$HP_TOP/tools/lab/hp-common.sh" ""; do
	[ -f "$HP_COMMON" ] && break
done
[ -n "$HP_COMMON" ] || { echo "FAIL: no hp-common.sh next to $HP_LIBDIR/lib.sh or in $HP_TOP/tools/lab"; exit 1; }
# shellcheck source=../tools/lab/hp-common.sh
source "$HP_COMMON"

# hp_lab: the hotpath-lab to test: the tree's next to the tests, else the
# one on PATH
hp_lab()
{
	if [ -x "$HP_TOP/tools/lab/hotpath-lab" ]; then
		echo "$HP_TOP/tools/lab/hotpath-lab"
	else
		command -v hotpath-lab
	fi
}

IP4_A=10.0.0.1
IP4_B=10.0.0.2
IP6_A=fd00::1
IP6_B=fd00::2
NS_A=${NS_A:-}
NS_B=${NS_B:-}

##############################################################################
# Verdicts (forwarding/lib.sh style)

check_err()
{
	local err=$1
	local msg=$2

	if [[ $RET -eq 0 && $err -ne 0 ]]; then
		RET=$err
		retmsg=$msg
	fi
}

check_fail()
{
	local err=$1
	local msg=$2

	if [[ $RET -eq 0 && $err -eq 0 ]]; then
		RET=1
		retmsg=$msg
	fi
}

check_err_fail()
{
	local should_fail=$1; shift
	local err=$1; shift
	local what=$1; shift

	if ((should_fail)); then
		check_fail "$err" "$what succeeded, but should have failed"
	else
		check_err "$err" "$what failed"
	fi
}

# check_eq ACTUAL EXPECTED WHAT: exact comparison with a message naming both;
# returns 1 on a mismatch, so a caller can show more (cmd || show_more).
check_eq()
{
	local actual=$1 expected=$2 what=$3

	if [[ "$actual" != "$expected" ]]; then
		check_err 1 "$what: got '$actual', expected '$expected'"
		return 1
	fi
}

log_test()
{
	local test_name=$1
	local opt_str=${2:-}

	[[ -n $opt_str ]] && opt_str="($opt_str)"
	if [[ $RET -ne 0 ]]; then
		EXIT_STATUS=$ksft_fail
		printf "TEST: %-60s  [FAIL]\n" "$test_name $opt_str"
		[[ -n $retmsg ]] && printf "\t%s\n" "$retmsg"
		RET=0
		retmsg=
		return 1
	fi
	printf "TEST: %-60s  [ OK ]\n" "$test_name $opt_str"
	RET=0
	retmsg=
	return 0
}

log_test_skip()
{
	printf "TEST: %-60s  [SKIP]\n" "$1 ${2:-}"
	return 0
}

log_info()
{
	echo "INFO: $*"
}

# Skip the whole test file (kselftest exit code 4).
hp_skip()
{
	echo "SKIP: $*"
	exit $ksft_skip
}

hp_fail()
{
	echo "FAIL: $*"
	exit $ksft_fail
}

require_root()
{
	[ "$(id -u)" = 0 ] || hp_skip "needs root"
}

require_cmd()
{
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || hp_skip "needs $c"
	done
}

##############################################################################
# Commands

# Print each command, then run it; the output follows unless it succeeded
# quietly with VERBOSE=0 and HP_QUIET=1.  Returns the command's status.
run_cmd()
{
	local out rc

	echo "COMMAND: $*"
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && [ "${HP_QUIET:-0}" != 1 -o $rc != 0 -o "$VERBOSE" = 1 ] &&
		echo "$out" | sed 's/^/    /'
	return $rc
}

# run_ns NS CMD...: run_cmd inside a namespace.
run_ns()
{
	local ns=$1; shift

	run_cmd ip netns exec "$ns" "$@"
}

# Path of a helper program built from selftests/*.c.
hp_helper()
{
	local p=$HP_LIBDIR/$1

	[ -x "$p" ] || hp_fail "helper $1 not built (make -C selftests)"
	echo "$p"
}

##############################################################################
# Cleanup

HP_DEFERRED=()

# hp_defer CMD...: run CMD at exit (last registered first).
hp_defer()
{
	HP_DEFERRED+=("$(printf '%q ' "$@")")
}

# hp_bench SECS NS ARGS...: hotpath-bench ARGS in namespace NS, killed after
# SECS; the command and its output printed, the output left in OUT
hp_bench()
{
	local secs=$1 ns=$2 rc

	shift 2
	echo "COMMAND: ip netns exec $ns $BENCH $*"
	OUT=$(ip netns exec "$ns" timeout "$secs" "$BENCH" "$@" 2>&1)
	rc=$?
	echo "$OUT" | sed 's/^/    /'
	return $rc
}

# hp_bg VAR OUT NS CMD...: CMD in netns NS in the background, printed, its
# output to OUT; VAR gets the pid of CMD itself (ip netns exec execs it), so
# that kill reaches it.  Not `ip netns exec ... &`: ip is a function
# (hp-common.sh), and a function in the background runs in a subshell, whose
# pid $! is: a kill then ends the subshell and leaves CMD running.
hp_bg()
{
	local var=$1 out=$2 ns=$3; shift 3

	echo "COMMAND: ip netns exec $ns $* &"
	"$IP" netns exec "$ns" "$@" >"$out" 2>&1 &
	printf -v "$var" '%s' "$!"
}

# hp_stop_bg VAR: end the background job whose pid VAR holds (none: a
# no-op) and reap it; VAR is emptied, so that a second call does nothing.
hp_stop_bg()
{
	local pid=${!1}

	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	printf -v "$1" '%s' ''
}

hp_cleanup()
{
	local i ns j

	for ((i = ${#HP_DEFERRED[@]} - 1; i >= 0; i--)); do
		eval "${HP_DEFERRED[i]}" >/dev/null 2>&1
	done
	HP_DEFERRED=()
	# Background jobs (servers, floods) must not outlive the test: they
	# would hold the runner's output pipe open.
	for j in $(jobs -p); do
		kill "$j" 2>/dev/null
	done
	for ns in "${HP_NAMESPACES[@]}"; do
		ip netns del "$ns" >/dev/null 2>&1
	done
	HP_NAMESPACES=()
	if [ "${HP_UNLOAD_AT_EXIT:-0}" = 1 ]; then
		hp_mod_unload >/dev/null 2>&1
	fi
}
trap hp_cleanup EXIT

##############################################################################
# The module

# Where hotpath.ko is: $HOTPATH_KO (the VM sets it), the tree's kmod/, or the
# one modprobe would load.
hp_ko()
{
	if [ -n "${HOTPATH_KO:-}" ]; then
		echo "$HOTPATH_KO"
	elif [ -f "$HP_TOP/kmod/hotpath.ko" ]; then
		echo "$HP_TOP/kmod/hotpath.ko"
	else
		modinfo -n hotpath 2>/dev/null
	fi
}

# hp_mod_load [PARAM=VALUE...]: (re)load the module fresh, wait (a bounded
# while) for hp0, unload it again at exit.
hp_mod_load()
{
	local ko

	ko=$(hp_ko)
	[ -n "$ko" ] && [ -f "$ko" ] || hp_skip "hotpath.ko not found (set HOTPATH_KO)"
	hp_mod_unload || hp_fail "cannot unload the running hotpath module"
	echo "COMMAND: insmod $ko $*"
	hp_mod_insert "$ko" "$@" || return 1
	HP_UNLOAD_AT_EXIT=1
	return 0
}

# Make sure the module is loaded and hp0/hp1 sit in this namespace; reload
# it (pairs=1) otherwise.
hp_require_module()
{
	hp_mod_loaded && [ -e /sys/class/net/hp0 ] && [ -e /sys/class/net/hp1 ] && return 0
	hp_mod_load pairs=1 || hp_skip "cannot load hotpath.ko"
}

##############################################################################
# Namespaces and pairs

# hp_ns_create SUFFIX: prints the name of a new namespace (lo up) removed at exit.
hp_ns_create()
{
	local ns=hp-$$-$1

	hp_ns_add "$ns" || return 1
	echo "$ns"
}

# hp_pair_setup [DEV_A DEV_B]: DEV_A (default hp0) into $NS_A with $IP4_A and
# $IP6_A, DEV_B (default hp1) into $NS_B with $IP4_B and $IP6_B, both up with
# carrier.  Sets DEV_A and DEV_B.
hp_pair_setup()
{
	DEV_A=${1:-hp0}
	DEV_B=${2:-hp1}
	NS_A=${NS_A:-hp-$$-a}
	NS_B=${NS_B:-hp-$$-b}

	hp_ns_add "$NS_A" && hp_ns_add "$NS_B" || return 1
	hp_pair_up "$NS_A" "$DEV_A" "$IP4_A" "$IP6_A" "$NS_B" "$DEV_B" "$IP4_B" "$IP6_B"
}

# hp_quiet_link NS DEV PEER_MAC PEER_IP4: no IPv6 (no ND/MLD/RS) and a
# permanent neighbour entry (no ARP), so the only packets on the link are
# the test's own and counter deltas are exact.
hp_quiet_link()
{
	local ns=$1 dev=$2 mac=$3 peer=$4

	ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" || return 1
	ip -n "$ns" neigh replace "$peer" lladdr "$mac" dev "$dev" nud permanent
}

# hp_wait_quiet NS DEV [WINDOW_MS] [MAX_MS]: until DEV's packet counters
# stay still for WINDOW_MS (default 1500): IPv6's MLD/RS after link up are
# over, so counter deltas that follow are the test's own.
_hp_pkts() { echo $(($(hp_stat "$1" "$2" tx_packets) + $(hp_stat "$1" "$2" rx_packets))); }
hp_wait_quiet()
{
	local ns=$1 dev=$2 window=${3:-1500} max=${4:-15000} start last now since

	start=$(hp_now_ms)
	last=$(_hp_pkts "$ns" "$dev")
	since=$start
	while true; do
		sleep 0.1
		now=$(_hp_pkts "$ns" "$dev")
		if [ "$now" != "$last" ]; then
			last=$now
			since=$(hp_now_ms)
		elif (($(hp_now_ms) - since >= window)); then
			return 0
		fi
		(($(hp_now_ms) - start > max)) && return 1
	done
}

# hp_wait_listen NS u|t PORT: until a UDP (u) or TCP listening (t) socket
# is bound to PORT in NS (start servers in the background, then this).
_hp_listening()
{
	local ns=$1 proto=$2 port=$3

	[ -n "$(ip netns exec "$ns" ss -H -n "-l$proto" "sport = :$port" 2>/dev/null)" ]
}
hp_wait_listen()
{
	busywait 10000 _hp_listening "$@" >/dev/null
}

# hp_wait_gone NS DEV: until DEV no longer exists in NS ("" = this one).
_hp_gone() { ! ip ${1:+-n "$1"} link show dev "$2" >/dev/null 2>&1; }
hp_wait_gone()
{
	busywait "${3:-10000}" _hp_gone "$1" "$2" >/dev/null
}

# hp_pair_quiet: hp_quiet_link both ends of the pair set up by hp_pair_setup.
hp_pair_quiet()
{
	hp_quiet_link "$NS_A" "$DEV_A" "$(hp_mac "$NS_B" "$DEV_B")" "$IP4_B" &&
		hp_quiet_link "$NS_B" "$DEV_B" "$(hp_mac "$NS_A" "$DEV_A")" "$IP4_A"
}

##############################################################################
# Traffic between the ends of the pair (hp_pair_setup: NS_A/DEV_A/IP4_A,
# NS_B/DEV_B/IP4_B).  The callers set PORT, TMP and the helper they use (PP:
# stages_pingpong, XFER: hp_xfer); the server's output is in $TMP/server,
# its pid in SERVER.

# hp_echo_path B A NET: replies from NS_B to IP4_A over a second pair, so
# that DEV_B never transmits (its TX completion would run its NAPI, shared
# by both vectors, and pick a request up before the request's interrupt):
# port B in NS_B (NET.1) -> port A in NS_A (NET.2), both quiet, NS_B's route
# to IP4_A through it; rp_filter off, since the replies arrive in NS_A on
# another port than the requests leave from
hp_echo_path()
{
	local b=$1 a=$2 net=$3 ns

	hp_port_setup "$NS_B" "$b" "$net.1" "" && hp_port_setup "$NS_A" "$a" "$net.2" "" ||
		return 1
	busywait_eq 5000 1 hp_carrier "$NS_B" "$b" >/dev/null || return 1
	hp_quiet_link "$NS_B" "$b" "$(hp_mac "$NS_A" "$a")" "$net.2" &&
		hp_quiet_link "$NS_A" "$a" "$(hp_mac "$NS_B" "$b")" "$net.1" || return 1
	for ns in "$NS_A" "$NS_B"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0
		ip netns exec "$ns" sysctl -qw net.ipv4.conf.default.rp_filter=0
	done
	ip netns exec "$NS_A" sysctl -qw "net.ipv4.conf.$a.rp_filter=0"
	run_cmd ip -n "$NS_B" route add "$IP4_A/32" via "$net.2" dev "$b" src "$IP4_B"
}

# hp_reset_both: zero the stages and counters of both ends
hp_reset_both()
{
	run_cmd hp_both reset
}

# hp_pingpong COUNT SIZE [SERVER_BUSY CLIENT_BUSY WARMUP [RESET_CMD]]: COUNT
# round trips of SIZE-byte datagrams NS_A -> NS_B -> NS_A, one in flight
# (stages_pingpong); with BUSY (SO_BUSY_POLL us, non-zero: each receive
# busy polls until its datagram is there) for the server and the client, and
# WARMUP round trips before the client runs RESET_CMD.
hp_pingpong()
{
	local count=$1 size=$2 sargs=("$1") cargs=("$1" "$2") rc

	if [ $# -gt 2 ]; then
		sargs+=("$3" "$5")
		cargs+=("$4" "$5")
		[ $# -gt 5 ] && cargs+=("$6")
	fi
	hp_bg SERVER "$TMP/server" "$NS_B" "$PP" server "$PORT" "${sargs[@]}"
	hp_wait_listen "$NS_B" u "$PORT"
	run_cmd ip netns exec "$NS_A" "$PP" client "$IP4_B" "$PORT" "${cargs[@]}"
	rc=$?
	wait $SERVER || rc=1
	echo "    server: $(cat "$TMP/server")"
	return $rc
}

# hp_fwd_setup: hp2 in NS_S (10.0.1.1) routes to IP4_B through hp3
# (10.0.1.2), which sits in NS_A with DEV_A.  hp3 holds what it receives
# (busy-poll rx-mode, no poller, 1 s watchdog), then its one NAPI poll
# forwards it all out of DEV_A: a burst that reaches DEV_A's xmit within one
# BH section, so DEV_A's NAPI cannot reap a TX completion in between,
# whatever the timing.  Needs hotpath pairs=2; the caller names NS_S.
hp_fwd_setup()
{
	hp_ns_add "$NS_S" || return 1
	hp_port_setup "$NS_S" hp2 10.0.1.1 "" || return 1
	hp_port_setup "$NS_A" hp3 10.0.1.2 "" || return 1
	busywait_eq 5000 1 hp_carrier "$NS_S" hp2 >/dev/null || return 1
	hp_quiet_link "$NS_S" hp2 "$(hp_mac "$NS_A" hp3)" 10.0.1.2 || return 1
	hp_quiet_link "$NS_A" hp3 "$(hp_mac "$NS_S" hp2)" 10.0.1.1 || return 1
	ip -n "$NS_S" route add 10.0.0.0/24 via 10.0.1.2 || return 1
	ip netns exec "$NS_A" sysctl -qw net.ipv4.ip_forward=1 || return 1
	ip netns exec "$NS_A" hotpath set hp3 timing accounted rx-mode busy-poll \
		busy-poll-fallback-us 1000000
}

# hp_fwd_burst COUNT PAYLOAD: COUNT datagrams hp2 -> hp3 -> (forwarded)
# DEV_A -> DEV_B (hp_xfer udp-server in NS_B)
hp_fwd_burst()
{
	local count=$1 size=$2 rc

	hp_bg SERVER "$TMP/server" "$NS_B" "$XFER" udp-server "$PORT" "$count" 5000
	hp_wait_listen "$NS_B" u "$PORT"
	run_cmd ip netns exec "$NS_S" "$XFER" udp-client "$IP4_B" "$PORT" "$count" "$size"
	rc=$?
	wait $SERVER || rc=1
	echo "    server: $(tail -n 1 "$TMP/server")"
	return $rc
}

##############################################################################
# Counters

# hp_stage NS DEV STAGE [FIELD]: a stage's field (default count) from
# `hotpath -j stats`
hp_stage()
{
	ip netns exec "$1" hotpath -j stats "$2" |
		jq -r --arg n "$3" ".[0].stages[] | select(.name == \$n) | .${4:-count}"
}

# hp_counter NS DEV NAME: a technique counter from `hotpath -j stats`
hp_counter()
{
	ip netns exec "$1" hotpath -j stats "$2" | jq -r ".[0].counters.$3"
}

# hp_snap NS DEV: one `hotpath -j stats` dump into HP_SNAP, so that several
# figures read with hp_snap_counter / hp_snap_stage come from one instant.
hp_snap()
{
	HP_SNAP=$(ip netns exec "$1" hotpath -j stats "$2")
}

# hp_snap_counter NAME: a technique counter of the last hp_snap
hp_snap_counter()
{
	jq -r ".[0].counters.$1" <<<"$HP_SNAP"
}

# hp_snap_stage STAGE [FIELD]: a stage's field (default count) of the last
# hp_snap
hp_snap_stage()
{
	jq -r --arg n "$1" ".[0].stages[] | select(.name == \$n) | .${2:-count}" <<<"$HP_SNAP"
}

# hp_set NS DEV KEY VALUE...: `hotpath set` inside NS, printed
hp_set()
{
	local ns=$1; shift

	run_cmd ip netns exec "$ns" hotpath set "$@"
}

# hp_stat NS DEV NAME: /sys/class/net/DEV/statistics/NAME (rx_packets, ...).
hp_stat()
{
	local ns=$1 dev=$2 name=$3

	if [ -n "$ns" ]; then
		ip netns exec "$ns" cat "/sys/class/net/$dev/statistics/$name"
	else
		cat "/sys/class/net/$dev/statistics/$name"
	fi
}

# hp_link_stat NS DEV JQPATH: from ip -s -j link, e.g. ".rx.packets",
# ".tx.dropped" (stats64).
hp_link_stat()
{
	local ns=$1 dev=$2 path=$3

	ip ${ns:+-n "$ns"} -s -j link show dev "$dev" | jq -r ".[0].stats64$path"
}

##############################################################################
# The test VM's real NICs (selftests/vm/run.sh): two igb (82576) wired back
# to back through a QEMU hub, two e1000e (82574) through another.  Each NIC
# has a fixed MAC, 52:54:00:12:0N:01 (the "a" end) and 52:54:00:12:0N:02
# (the "b" end), N = 1 for igb, 2 for e1000e; only NICs with these MACs are
# ever taken, so a lab box's own NICs are left alone (the test skips there).

# hp_nic_pair DRIVER: the VM's two DRIVER NICs (igb or e1000e) as the pair
# the traffic helpers use, as hp_pair_setup makes one of hp ports: modprobe
# DRIVER, the "a" end renamed DRIVER-a into NS_A (hp-PID-DRIVER-a) with IP4_A
# 10.20.N.1/24 and IP6_A fd00:20:N::1/64, the "b" end DRIVER-b into NS_B
# (hp-PID-DRIVER-b) with 10.20.N.2 and fd00:20:N::2 (N: hp_nic_net), no DAD,
# up; returns once both have carrier and a ping from a reaches b.  Sets
# NS_A NS_B DEV_A DEV_B IP4_A IP4_B IP6_A IP6_B (a later call, for the other
# driver, sets them anew).  At exit both ends go back to init_net under
# their old names, down, and DRIVER is unloaded if this loaded it.  Skips
# the test (exit 4) when the NICs are not there.  The steps are
# hp-common.sh's, which the lab's bench runs too.
hp_nic_pair()
{
	local drv=$1 net ids devs a b loaded=0

	net=$(hp_nic_net "$drv") || hp_fail "hp_nic_pair: no NIC pair for driver '$drv' (igb, e1000e)"
	ids=$(hp_nic_pci_id "$drv")
	hp_nic_present "$drv" ||
		hp_skip "no $drv NIC (PCI 8086:$ids): the test VM's (selftests/vm/run.sh) are not here"
	[ -d "/sys/module/$drv" ] && loaded=1
	if [ $loaded = 0 ]; then
		run_cmd modprobe "$drv" || hp_skip "cannot load the $drv driver"
		hp_defer modprobe -r "$drv"
	fi
	devs=$(hp_nic_find "$drv") ||
		hp_skip "no $drv netdevs with the test VM's MACs (52:54:00:12:0$net:01, :02) in this namespace"
	read -r a b <<<"$devs"
	DEV_A=$drv-a
	DEV_B=$drv-b
	NS_A=hp-$$-$drv-a
	NS_B=hp-$$-$drv-b
	IP4_A=10.20.$net.1
	IP4_B=10.20.$net.2
	IP6_A=fd00:20:$net::1
	IP6_B=fd00:20:$net::2
	hp_ns_add "$NS_A" && hp_ns_add "$NS_B" || return 1
	echo "COMMAND: $drv: $a -> $NS_A as $DEV_A, $b -> $NS_B as $DEV_B"
	hp_defer hp_nic_back "$NS_A" "$DEV_A" "$a"
	hp_nic_place "$NS_A" "$a" "$DEV_A" "$IP4_A" "$IP6_A" || return 1
	hp_defer hp_nic_back "$NS_B" "$DEV_B" "$b"
	hp_nic_place "$NS_B" "$b" "$DEV_B" "$IP4_B" "$IP6_B" || return 1
	hp_nic_wait
}

# hp_nic_wait: until both ends of the pair (hp_nic_pair) have carrier and a
# ping from a reaches b: after the setup, or after what resets the NIC
# (ethtool -L, -G).
hp_nic_wait()
{
	hp_nic_ready "$NS_A" "$DEV_A" "$NS_B" "$DEV_B" "$IP4_B" | sed 's/^/    /'
	return "${PIPESTATUS[0]}"
}

