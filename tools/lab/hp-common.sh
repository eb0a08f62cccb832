# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The setup the lab (hotpath-lab) and the kselftests (selftests/lib.sh)
# share: loading the module, putting ports into namespaces with addresses,
# waiting for carrier, polling and reading counters.  One implementation:
# lib.sh sources it, and the lab's Python (hotpath_lab/net.py) runs it as a
# command, `bash hp-common.sh FUNCTION ARGS...`, for the few setup calls a
# run makes.  It is shell, not Python, because the tests call it hundreds
# of times and a Python start costs 2-4 s under TCG.
#
# Sourced it defines functions and variables, installs no trap and prints
# nothing.  Where it is:
#   tree       tools/lab/hp-common.sh, beside the package tools/lab/hotpath_lab
#   installed  $PREFIX/share/hotpath/hp-common.sh, beside share/hotpath/hotpath_lab
#              (make install-tools, the hotpath-tools package, the VM)
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
	local _

	hp_mod_loaded || return 0
	for _ in $(seq 50); do
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

# hp_mod_insert KO|- [PARAM=VALUE...]: load the module (insmod KO, or
# modprobe with -) and wait (5 s at most) for hp0, which its init registers;
# hp0's absence is no error here (pairs=0 has none): callers that need it
# check.
hp_mod_insert()
{
	local ko=$1; shift

	if [ "$ko" = - ]; then
		modprobe hotpath "$@" || return 1
	else
		insmod "$ko" "$@" || return 1
	fi
	hp_wait_dev hp0 || true
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

# hp_port_setup NS DEV IP4 IP6 [quiet]: move DEV into NS, address it and
# bring it up.  No DAD (addresses usable at once, link-local too) and no
# router solicitations (they would come every 4 s after link up and spoil
# exact counters); MLD reports after up are over within a second or two
# (lib.sh's hp_wait_quiet).  quiet: IPv6 off before the link comes up, so
# the link carries only the caller's frames (with pinned neighbours, see
# hp_pair_up).  IP4 or IP6 may be empty.
hp_port_setup()
{
	local ns=$1 dev=$2 ip4=${3:-} ip6=${4:-} quiet=${5:-}

	ip link set dev "$dev" netns "$ns" || return 1
	if [ "$quiet" = quiet ]; then
		ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" >/dev/null || return 1
	else
		ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.accept_dad=0" \
			"net.ipv6.conf.$dev.router_solicitations=0" >/dev/null 2>&1
	fi
	[ -n "$ip4" ] && { ip -n "$ns" addr add "$ip4/24" dev "$dev" || return 1; }
	[ -n "$ip6" ] && { ip -n "$ns" addr add "$ip6/64" dev "$dev" nodad || return 1; }
	ip -n "$ns" link set dev "$dev" up
}

# hp_pair_up NS_A DEV_A IP4_A IP6_A NS_B DEV_B IP4_B IP6_B [quiet]: both
# ends set up (hp_port_setup) in namespaces that exist, until both have
# carrier (HP_CARRIER_MS, 5 s by default).  quiet: no IPv6 and each end's
# IPv4 neighbour pinned (no ARP), so the only frames on the link are the
# caller's.
hp_pair_up()
{
	local ns_a=$1 dev_a=$2 ip4_a=$3 ip6_a=$4 ns_b=$5 dev_b=$6 ip4_b=$7 ip6_b=$8 quiet=${9:-}

	hp_port_setup "$ns_a" "$dev_a" "$ip4_a" "$ip6_a" "$quiet" || return 1
	hp_port_setup "$ns_b" "$dev_b" "$ip4_b" "$ip6_b" "$quiet" || return 1
	if ! busywait_eq "${HP_CARRIER_MS:-5000}" 1 hp_carrier "$ns_a" "$dev_a" >/dev/null ||
	   ! busywait_eq "${HP_CARRIER_MS:-5000}" 1 hp_carrier "$ns_b" "$dev_b" >/dev/null; then
		echo "no carrier on $dev_a/$dev_b" >&2
		return 1
	fi
	[ "$quiet" = quiet ] || return 0
	hp_pin_neigh "$ns_a" "$dev_a" "$(hp_mac "$ns_b" "$dev_b")" "$ip4_b" &&
		hp_pin_neigh "$ns_b" "$dev_b" "$(hp_mac "$ns_a" "$dev_a")" "$ip4_a"
}

##############################################################################
# Real NICs: the test VM's (selftests/vm/run.sh) two igb and two e1000e,
# each pair wired back to back through a QEMU hub, MACs 52:54:00:12:0N:01
# and :02 (N: hp_nic_net)

# hp_nic_net DRIVER: N of the driver's pair (its hub, MACs and subnet)
hp_nic_net()
{
	case $1 in
	igb) echo 1 ;;
	e1000e) echo 2 ;;
	*) return 1 ;;
	esac
}

# hp_nic_pci_id DRIVER: the PCI device id of QEMU's model (igb 82576,
# e1000e 82574L; vendor 8086)
hp_nic_pci_id()
{
	case $1 in
	igb) echo 10c9 ;;
	e1000e) echo 10d3 ;;
	*) return 1 ;;
	esac
}

# hp_nic_present DRIVER: the VM has DRIVER's NICs (loaded or not)
hp_nic_present()
{
	local pci id

	id=0x$(hp_nic_pci_id "$1") || return 1
	for pci in /sys/bus/pci/devices/*; do
		[ "$(cat "$pci/vendor")" = 0x8086 ] && [ "$(cat "$pci/device")" = "$id" ] && return 0
	done
	return 1
}

# _hp_nic_dev DRIVER MAC: the netdev of DRIVER's PCI device with MAC in this
# namespace, or nothing
_hp_nic_dev()
{
	local d

	for d in /sys/bus/pci/drivers/"$1"/*/net/*; do
		[ -e "$d/address" ] && [ "$(cat "$d/address")" = "$2" ] && { basename "$d"; return 0; }
	done
	return 1
}

# hp_nic_find DRIVER: "A B", the netdevs of the pair's two ends in this
# namespace, once the (loaded) driver has registered both (5 s at most)
hp_nic_find()
{
	local net a b

	net=$(hp_nic_net "$1") || return 1
	a=$(busywait 5000 _hp_nic_dev "$1" "52:54:00:12:0$net:01") &&
		b=$(busywait 5000 _hp_nic_dev "$1" "52:54:00:12:0$net:02") || return 1
	echo "$a $b"
}

# hp_nic_place NS DEV NAME IP4 IP6 [quiet]: DEV down, renamed NAME, into NS
# with its addresses and up (hp_port_setup, quiet too)
hp_nic_place()
{
	local ns=$1 dev=$2 name=$3

	ip link set dev "$dev" down && ip link set dev "$dev" name "$name" || return 1
	hp_port_setup "$ns" "$name" "$4" "$5" "${6:-}"
}

# hp_nic_back NS NAME OLD: NAME (in NS, or still here) down, back in init_net
# as OLD
hp_nic_back()
{
	local ns=$1 name=$2 old=$3

	if ip -n "$ns" link show dev "$name" >/dev/null 2>&1; then
		ip -n "$ns" link set dev "$name" down
		ip -n "$ns" link set dev "$name" netns 1 || return 1
	fi
	ip link show dev "$name" >/dev/null 2>&1 || return 0
	ip link set dev "$name" down
	ip link set dev "$name" name "$old"
}

# hp_nic_carrier NS_A DEV_A NS_B DEV_B: until both ends have carrier (30 s
# each at most: the drivers' watchdogs see the link up a second or two after
# the port comes up, or after a reset, as igb's for an XDP program)
hp_nic_carrier()
{
	local ns_a=$1 dev_a=$2 ns_b=$3 dev_b=$4

	busywait_eq 30000 1 hp_carrier "$ns_a" "$dev_a" >/dev/null &&
		busywait_eq 30000 1 hp_carrier "$ns_b" "$dev_b" >/dev/null ||
		{ echo "no carrier on $dev_a/$dev_b within 30 s"; return 1; }
}

# hp_nic_ready NS_A DEV_A NS_B DEV_B IP4_B: until both ends have carrier and
# a ping from A reaches B (30 s at most)
hp_nic_ready()
{
	local ns_a=$1 dev_a=$2 ns_b=$3 dev_b=$4 ip4_b=$5

	hp_nic_carrier "$ns_a" "$dev_a" "$ns_b" "$dev_b" || return 1
	busywait 30000 ip netns exec "$ns_a" ping -c 1 -W 1 "$ip4_b" >/dev/null ||
		{ echo "no ping $dev_a -> $dev_b ($ip4_b) within 30 s"; return 1; }
}

# hp_nic_irq_cpu DEV CPU: DEV's queue vectors (DEV-TxRx-N, DEV-rx-N,
# DEV-tx-N in /proc/interrupts) to CPU, each write printed
hp_nic_irq_cpu()
{
	local v

	for v in $(awk -v dev="$1" '$NF ~ ("^" dev "-(TxRx|rx|tx)-[0-9]+$") { sub(":", "", $1); print $1 }' \
		   /proc/interrupts); do
		echo "COMMAND: echo $2 > /proc/irq/$v/smp_affinity_list"
		echo "$2" > "/proc/irq/$v/smp_affinity_list" || return 1
	done
}

# hp_nic_irqs DEV: interrupts so far on DEV's queue vectors, summed over the
# CPUs (/proc/interrupts, which every namespace sees: DEV-TxRx-N for igb's
# paired queues, DEV-rx-N and DEV-tx-N for igb's and e1000e's separate ones;
# named when DEV is brought up, so after hp_nic_pair's renaming)
# hp_nic_irqs DEV rx: those of the vectors that serve its RX queues only
hp_nic_irqs()
{
	local kinds="TxRx|rx|tx"

	[ "${2:-}" = rx ] && kinds="TxRx|rx"
	awk -v dev="$1" -v kinds="$kinds" '
		NR == 1 { cpus = NF; next }
		$NF ~ ("^" dev "-(" kinds ")-[0-9]+$") {
			for (i = 2; i <= cpus + 1; i++) n += $i
		}
		END { print n + 0 }' /proc/interrupts
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

##############################################################################
# Run, not sourced: `bash hp-common.sh FUNCTION ARGS...` (hotpath_lab/net.py).
# Only the setup functions; their exit status is the command's.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case ${1:-} in
	hp_mod_insert | hp_mod_unload | hp_port_setup | hp_pair_up | hp_nic_present | \
	hp_nic_find | hp_nic_place | hp_nic_back | hp_nic_carrier | hp_nic_ready | hp_nic_irq_cpu | \
	hp_nic_irqs) \
		"$@"; exit ;;
	*) echo "usage: bash hp-common.sh hp_mod_insert|hp_mod_unload|hp_port_setup|hp_pair_up|hp_nic_*" \
		"ARGS..." >&2
	   exit 2 ;;
	esac
fi
