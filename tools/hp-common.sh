# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shell helpers the hotpath lab (tools/lab.sh, installed as hotpath-lab) and
# the kselftests (selftests/lib.sh) share, so that both set up a pair, poll
# and read counters the same way.  Sourced, never run: it defines functions
# and variables, installs no trap and prints nothing.
#
# Where it is found:
#   tree       tools/hp-common.sh, next to tools/lab.sh
#   installed  $PREFIX/share/hotpath/hp-common.sh (make install-tools, the
#              hotpath-tools package; the VM's initramfs puts it there too),
#              ../share/hotpath from $PREFIX/sbin/hotpath-lab
#   kselftest  next to lib.sh when the suite is installed flat
#
# The functions use NS_A/DEV_A and NS_B/DEV_B, the two ends of the pair,
# where they act on both; ip is the real iproute2, never busybox's applet.

# The real iproute2, never busybox's ip applet.
hp_find_ip()
{
	local p

	for p in /usr/bin/ip /usr/sbin/ip /sbin/ip /bin/ip; do
		if [ -x "$p" ] && [ "$(readlink -f "$p")" != "$(readlink -f /bin/busybox 2>/dev/null)" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
IP=${IP:-$(hp_find_ip)}
ip() { "$IP" "$@"; }

##############################################################################
# Polling instead of sleeping

hp_now_ms()
{
	local t=${EPOCHREALTIME/./}

	echo $((t / 1000))
}

# busywait TIMEOUT_MS CMD...: until CMD succeeds; prints CMD's last output.
busywait()
{
	local timeout=$1; shift
	local start out ret

	start=$(hp_now_ms)
	while true; do
		out=$("$@")
		ret=$?
		if ((!ret)); then
			echo -n "$out"
			return 0
		fi
		if (($(hp_now_ms) - start > timeout)); then
			echo -n "$out"
			return 1
		fi
		sleep 0.01
	done
}

# busywait_eq TIMEOUT_MS EXPECTED CMD...: until CMD prints EXPECTED.
_hp_eq() { local want=$1; shift; local out; out=$("$@"); echo -n "$out"; [ "$out" = "$want" ]; }
busywait_eq()
{
	local timeout=$1 want=$2; shift 2

	busywait "$timeout" _hp_eq "$want" "$@"
}

# busywait_ge TIMEOUT_MS MIN CMD...: until CMD prints a number >= MIN.
_hp_ge() { local min=$1; shift; local out; out=$("$@"); echo -n "$out"; [ "${out:-0}" -ge "$min" ]; }
busywait_ge()
{
	local timeout=$1 min=$2; shift 2

	busywait "$timeout" _hp_ge "$min" "$@"
}

##############################################################################
# The module

hp_mod_loaded()
{
	[ -d /sys/module/hotpath ]
}

# Unload it, waiting out users that are still going away (a namespace being
# deleted holds its ports for a moment).
hp_mod_unload()
{
	local i

	hp_mod_loaded || return 0
	for i in $(seq 50); do
		rmmod hotpath 2>/dev/null && return 0
		sleep 0.1
	done
	rmmod hotpath
}

# hp_wait_dev DEV [TIMEOUT_MS]: until DEV exists in this namespace (a
# freshly loaded module registers its ports from its init).
hp_wait_dev()
{
	busywait "${2:-5000}" test -d "/sys/class/net/$1" >/dev/null
}

##############################################################################
# Namespaces and ports

HP_NAMESPACES=()

# hp_ns_add NS: a new namespace with lo up, listed in HP_NAMESPACES for the
# caller's cleanup to remove.
hp_ns_add()
{
	local ns=$1

	ip netns add "$ns" || return 1
	HP_NAMESPACES+=("$ns")
	ip -n "$ns" link set lo up
}

hp_carrier()
{
	local ns=$1 dev=$2

	ip netns exec "$ns" cat "/sys/class/net/$dev/carrier" 2>/dev/null
}

hp_mac()
{
	local ns=$1 dev=$2

	ip netns exec "$ns" cat "/sys/class/net/$dev/address"
}

# hp_pin_neigh NS DEV PEER_MAC ADDR...: permanent neighbour entries (no ARP/ND).
hp_pin_neigh()
{
	local ns=$1 dev=$2 mac=$3 a
	shift 3

	for a in "$@"; do
		ip -n "$ns" neigh replace "$a" lladdr "$mac" dev "$dev" nud permanent || return 1
	done
}

##############################################################################
# Control and counters

# hp_both CMD [ARGS...]: `hotpath CMD DEV_A ARGS` in NS_A, then the same for
# DEV_B in NS_B (hp_both reset, hp_both set rx-mode busy-poll)
hp_both()
{
	local cmd=$1; shift

	ip netns exec "$NS_A" hotpath "$cmd" "$DEV_A" "$@" &&
		ip netns exec "$NS_B" hotpath "$cmd" "$DEV_B" "$@"
}

# hp_ethtool_stat NS DEV NAME: one `ethtool -S` counter; empty if absent.
hp_ethtool_stat()
{
	local ns=$1 dev=$2 name=$3

	if [ -n "$ns" ]; then
		ip netns exec "$ns" ethtool -S "$dev" 2>/dev/null
	else
		ethtool -S "$dev" 2>/dev/null
	fi | awk -v n="$name" -F: '{gsub(/^[ \t]+/, "", $1)} $1 == n {gsub(/[ \t]/, "", $2); print $2; exit}'
}

# hp_netstat NS FIELD: a /proc/net/netstat or /proc/net/snmp counter
# (e.g. BusyPollRxPackets, InDatagrams as "Udp:InDatagrams").
hp_netstat()
{
	local ns=$1 field=$2 sect=

	case $field in
	*:*) sect=${field%%:*}; field=${field#*:} ;;
	esac
	ip netns exec "$ns" cat /proc/net/netstat /proc/net/snmp |
		awk -v s="$sect" -v f="$field" '
		{ key = $1 }
		seen[key] && (s == "" || key == s ":") {
			for (i = 2; i <= NF; i++) if (hdr[key, i] == f) { print $i; found = 1; exit }
		}
		!seen[key] { seen[key] = 1; for (i = 2; i <= NF; i++) hdr[key, i] = $i }
		END { if (!found) print "" }'
}
