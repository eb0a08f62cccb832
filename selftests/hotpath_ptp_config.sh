#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hardware timestamping configuration: each port has its own PHC, listed by
# ethtool -T with the hardware and software flags; SIOCSHWTSTAMP round-trips
# through SIOCGHWTSTAMP and `hotpath show`, grants ALL for any RX filter but
# NONE, refuses bad values with EINVAL/ERANGE and changes nothing, and
# needs CAP_NET_ADMIN; phc-drift-ppb is set and range-checked through the
# netlink family.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd hotpath jq ethtool setpriv

HWTS=$(hp_helper hwts)
ERANGE_MSG="Numerical result out of range"

# The hardware stamping setting as seen by SIOCGHWTSTAMP and by hotpath show.
state()
{
	"$HWTS" get "$1"
	hotpath -j show "$1" | jq -c '.[0].ptp'
}

test_ethtool_t()
{
	local out idx0 idx1 f

	RET=0
	out=$(ethtool -T hp0)
	echo "$out" | sed 's/^/    /'
	for f in hardware-transmit hardware-receive hardware-raw-clock \
		 software-transmit software-receive software-system-clock; do
		grep -qw -- "$f" <<<"$out"
		check_err $? "ethtool -T hp0 lacks $f"
	done
	idx0=$(sed -n 's/^PTP Hardware Clock: *//p' <<<"$out")
	idx1=$(ethtool -T hp1 | sed -n 's/^PTP Hardware Clock: *//p')
	[[ "$idx0" =~ ^[0-9]+$ && "$idx1" =~ ^[0-9]+$ && "$idx0" != "$idx1" ]]
	check_err $? "PHC indexes '$idx0' '$idx1': want two different clocks"
	check_eq "$(hotpath -j show hp0 | jq -r '.[0].ptp.phc_index')" "$idx0" "show's phc_index"
	check_eq "$(cat "/sys/class/ptp/ptp$idx0/clock_name")" "hotpath hp0" "clock_name of ptp$idx0"
	[ -c "/dev/ptp$idx0" ]
	check_err $? "/dev/ptp$idx0 missing"
	grep -A3 "Transmit Timestamp Modes" <<<"$out" | grep -qw on
	check_err $? "tx type on not listed"
	grep -A3 "Receive Filter Modes" <<<"$out" | grep -qw all
	check_err $? "rx filter all not listed"
	log_test "ethtool -T: a PHC per port, hardware and software flags"
}

# set TX RX GRANT_TX GRANT_RX
grant()
{
	local out

	RET=0
	out=$("$HWTS" set hp0 "$1" "$2")
	check_err $? "SIOCSHWTSTAMP tx $1 rx $2 refused"
	check_eq "$out" "tx=$3 rx=$4" "SIOCSHWTSTAMP reply"
	check_eq "$("$HWTS" get hp0)" "tx=$3 rx=$4" "SIOCGHWTSTAMP"
	check_eq "$(hotpath -j show hp0 | jq -r '.[0].ptp | "\(.hwtstamp_tx) \(.hwtstamp_rx_filter)"')" \
		"$([ "$3" = 1 ] && echo true || echo false) $([ "$4" = 1 ] && echo all || echo none)" \
		"hotpath show"
	log_test "SIOCSHWTSTAMP tx_type $1 rx_filter $2 grants $3/$4"
}

test_roundtrip()
{
	check_eq "$("$HWTS" get hp0)" "tx=0 rx=0" "default setting"
	grant 1 1 1 1		# ON, ALL
	grant 0 0 0 0		# OFF, NONE
	grant 1 12 1 1		# PTP_V2_EVENT: granted as ALL
	grant 0 9 0 1		# PTP_V2_L2_EVENT
	grant 1 2 1 1		# SOME
	grant 1 15 1 1		# NTP_ALL
	grant 1 0 1 0
}

# refuse ERRNO TX RX [FLAGS]
refuse()
{
	local before out

	RET=0
	before=$(state hp0)
	out=$("$HWTS" set hp0 "$@")
	check_fail $? "SIOCSHWTSTAMP $* accepted"
	check_eq "$out" "errno=$WANT" "errno of SIOCSHWTSTAMP $*"
	check_eq "$(state hp0)" "$before" "setting after the refused request"
	log_test "SIOCSHWTSTAMP $* refused with $WANT, nothing changed"
}

test_refused()
{
	"$HWTS" set hp0 1 1 >/dev/null
	WANT=ERANGE refuse 2 1		# ONESTEP_SYNC: not offered
	WANT=ERANGE refuse 3 1		# ONESTEP_P2P
	WANT=ERANGE refuse 4 1		# beyond the enum (core)
	WANT=ERANGE refuse 1 16		# beyond the enum (core)
	WANT=EINVAL refuse 1 1 1	# BONDED_PHC_INDEX: not a bond
	WANT=EINVAL refuse 1 1 2	# unknown flag (core)
}

test_unprivileged()
{
	local before out

	RET=0
	[ "$(stat -c %a /)" = 700 ] && chmod 755 /
	before=$(state hp0)
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$HWTS" set hp0 0 0)
	check_fail $? "unprivileged SIOCSHWTSTAMP accepted"
	check_eq "$out" "errno=EPERM" "unprivileged SIOCSHWTSTAMP"
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$HWTS" get hp0)
	check_err $? "unprivileged SIOCGHWTSTAMP failed"
	check_eq "$(state hp0)" "$before" "setting after the unprivileged request"
	log_test "SIOCSHWTSTAMP unprivileged: EPERM; SIOCGHWTSTAMP allowed"
}

test_drift()
{
	local before out rc

	RET=0
	run_cmd hotpath set hp0 phc-drift-ppb -2500
	check_err $? "set phc-drift-ppb -2500 failed"
	check_eq "$(hotpath -j show hp0 | jq -r '.[0].ptp.phc_drift_ppb')" -2500 "phc_drift_ppb"
	check_eq "$(hotpath -j show hp1 | jq -r '.[0].ptp.phc_drift_ppb')" 0 "hp1's phc_drift_ppb"
	hotpath show hp0 | grep -q "phc-drift-ppb -2500"
	check_err $? "plain show lacks phc-drift-ppb -2500"
	before=$(hotpath -j show)
	for v in 1000001 -1000001; do
		out=$(hotpath set hp0 phc-drift-ppb $v 2>&1)
		rc=$?
		echo "    $out"
		check_eq "$rc" 1 "exit status of set phc-drift-ppb $v"
		grep -q "$ERANGE_MSG" <<<"$out" && grep -q phc-drift-ppb <<<"$out"
		check_err $? "set phc-drift-ppb $v: not ERANGE naming phc-drift-ppb"
	done
	out=$(hotpath set hp0 phc-index 3 2>&1)
	check_fail $? "phc-index accepted"
	check_eq "$(hotpath -j show)" "$before" "configuration after the refused requests"
	run_cmd hotpath set hp0 phc-drift-ppb 0
	log_test "phc-drift-ppb: set, shown, range-checked (ERANGE, extack)"
}

hp_mod_load pairs=1 || hp_fail "cannot load hotpath.ko"
test_ethtool_t
test_roundtrip
test_refused
test_unprivileged
test_drift
exit "$EXIT_STATUS"
