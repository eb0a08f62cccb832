#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hardware stamps at the modelled wire times.  Raw-frame ping-pongs between
# hp0 (netns A) and hp1 (netns B) with SO_TIMESTAMPING (selftests/hwts.c):
# every send gets a hardware TX stamp, every receive a hardware RX stamp,
# and for every frame, to the nanosecond,
#   RX(B) - TX(A) = tx_wire(len, link) + (PHC_B - PHC_A)
#   RX(A) - TX(B) = tx_wire(len, link) - (PHC_B - PHC_A)
# with tx_wire = round_ns((max(len + 4, 64) + 20) * 8 / link + phy) and one
# constant clock offset (both clocks free running at the host's rate) for
# every size and link speed.  Then CTPIO: ct puts the first bit on the wire
# (the TX stamp) earlier than sf by the modelled overlap of PIO write and
# wire, pio(len) - pio(thresh).  Last, a drifting clock: with phc-drift-ppb
# on hp1 the offset grows by exactly the interval times the drift.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd hotpath jq

HWTS=$(hp_helper hwts)
PHY=0

# tx_wire in ns as the model computes it (model.c), rounded once.
wire_ns()
{
	local len=$1 mbps=$2 slot

	slot=$((len + 4 > 64 ? len + 4 : 64))
	echo $(( ( (slot + 20) * 8 * 1000000 / mbps + PHY * 1000 + 500) / 1000 ))
}

# Set the model on both ports.
both()
{
	ip netns exec "$NS_A" hotpath set "$DEV_A" "$@" &&
		ip netns exec "$NS_B" hotpath set "$DEV_B" "$@"
}

test_exact()
{
	local mbps len dir tx rx sw w d off="" n=0 bad=0

	RET=0
	PHY=$(ip netns exec "$NS_A" hotpath -j show "$DEV_A" | jq -r '.[0].model.phy_ns')
	for mbps in 1000 10000 25000 100000; do
		both link-speed "$mbps" || { check_err 1 "link-speed $mbps"; break; }
		for len in 60 61 333 1514; do
			w=$(wire_ns "$len" "$mbps")
			while read -r dir tx rx sw; do
				if [ "$dir" = fail ]; then
					bad=$((bad + 1))
					continue
				fi
				d=$((rx - tx - w))
				[ "$dir" = ba ] && d=$((-d))
				[ -z "$off" ] && off=$d
				if [ "$d" != "$off" ]; then
					echo "    $mbps Mb/s $len B $dir: RX-TX-wire $d, expected $off"
					bad=$((bad + 1))
				fi
				n=$((n + 1))
			done < <("$HWTS" pp "$NS_A" "$DEV_A" "$NS_B" "$DEV_B" "$len" 3 ||
				 echo "fail")
		done
	done
	echo "    $n frames, clock offset PHC(hp1) - PHC(hp0) = $off ns"
	check_eq "$n" $((4 * 4 * 3 * 2)) "stamped frames (each pp gives a TX and an RX stamp)"
	check_eq "$bad" 0 "frames whose RX - TX is not tx_wire + offset"
	# both clocks start at CLOCK_REALTIME plus less than 1 s of their own
	[ -n "$off" ] && [ "${off#-}" -lt 1000000000 ]
	check_err $? "offset $off ns: not within the 1 s start offsets"
	log_test "RX - TX = tx_wire + clock offset, exactly, 4 sizes x 4 link speeds"
}

# Minimum over COUNT frames of hardware TX stamp minus software TX stamp:
# the software stamp is taken in xmit before the doorbell, so the minimum
# is the fixed driver path plus the modelled time to the first bit.
min_lead()
{
	local len=$1 dir tx rx sw min=""

	while read -r dir tx rx sw; do
		[ "$dir" = ab ] || continue
		if [ -z "$min" ] || [ $((tx - sw)) -lt "$min" ]; then
			min=$((tx - sw))
		fi
	done < <("$HWTS" pp "$NS_A" "$DEV_A" "$NS_B" "$DEV_B" "$len" 20)
	echo "$min"
}

test_ctpio()
{
	local len=1514 thresh=64 ct sf want before after

	RET=0
	# PIO as fast as the link: ct never underruns, so every send is PIO
	both link-speed 1000 host-pio-bw 1000 ctpio-thresh $thresh || check_err 1 "model"
	# pio(len) - pio(thresh) at 1000 Mb/s
	want=$(( (len - thresh) * 8 ))
	before=$(hp_counter "$NS_A" "$DEV_A" ctpio_success)
	both ctpio sf ctpio-max-frame 1518
	sf=$(min_lead $len)
	both ctpio ct
	ct=$(min_lead $len)
	both ctpio off
	after=$(hp_counter "$NS_A" "$DEV_A" ctpio_success)
	check_eq $((after - before)) 40 "ctpio_success (every frame sent by PIO)"
	echo "    min(TX hw - TX sw): sf $sf ns, ct $ct ns, difference $((sf - ct)) ns," \
	     "modelled overlap $want ns"
	# the two minima are the same driver path: a bound well inside the
	# 11.6 us overlap holds even on a loaded emulated machine
	[ -n "$sf" ] && [ -n "$ct" ] &&
		[ $((sf - ct)) -gt $((want - 3000)) ] && [ $((sf - ct)) -lt $((want + 3000)) ]
	check_err $? "ct not earlier than sf by the overlap ($want ns) +- 3 us"
	log_test "CTPIO ct stamps the first bit earlier than sf by the modelled overlap"
}

# phc-drift-ppb D on hp1: between two frames sent tx2 - tx1 apart (hp0's
# clock runs at the host's rate), the offset PHC(hp1) - PHC(hp0) grows by
# (tx2 - tx1) * D / 1e9, to the ns (each stamp truncates below 1 ns).
test_drift()
{
	local drift=100000 w dir tx rx sw prev_tx="" prev_off off exp bad=0 n=0

	RET=0
	both link-speed 10000 ctpio off || check_err 1 "model"
	ip netns exec "$NS_B" hotpath set "$DEV_B" phc-drift-ppb $drift || check_err 1 "drift"
	w=$(wire_ns 200 10000)
	while read -r dir tx rx sw; do
		[ "$dir" = ab ] || continue
		off=$((rx - tx - w))
		if [ -n "$prev_tx" ]; then
			exp=$(( (tx - prev_tx) * drift / 1000000000 ))
			if [ $((off - prev_off - exp)) -gt 2 ] || [ $((exp - off + prev_off)) -gt 2 ]; then
				echo "    offset moved $((off - prev_off)) ns in $((tx - prev_tx)) ns, expected $exp"
				bad=$((bad + 1))
			fi
			n=$((n + 1))
		fi
		prev_tx=$tx prev_off=$off
	done < <("$HWTS" pp "$NS_A" "$DEV_A" "$NS_B" "$DEV_B" 200 8)
	ip netns exec "$NS_B" hotpath set "$DEV_B" phc-drift-ppb 0
	check_eq "$n" 7 "intervals measured"
	check_eq "$bad" 0 "intervals whose offset change is not interval * drift"
	log_test "phc-drift-ppb $drift: the offset grows by interval x drift, to 2 ns"
}

hp_mod_load pairs=1 || hp_fail "cannot load hotpath.ko"
IP4_A="" IP4_B="" IP6_A="" IP6_B=""
hp_pair_setup hp0 hp1 || hp_fail "pair setup failed"
test_exact
test_ctpio
test_drift
exit "$EXIT_STATUS"
