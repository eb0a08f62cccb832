#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Control plane: every `hotpath set` key round-trips through `show --json`,
# ethtool -C/-G and the netlink family see each other's changes, the JSON
# carries every documented key, and every invalid request is refused with
# the right errno, a message naming the attribute, a non-zero exit and no
# change at all.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd hotpath jq ethtool

ERANGE_MSG="Numerical result out of range"

# show_key DEV JQ: one value of `hotpath -j show DEV`.
show_key()
{
	hotpath -j show "$1" | jq -r ".[0]$2"
}

# roundtrip KEY VALUE JQ EXPECTED
roundtrip()
{
	local key=$1 val=$2 path=$3 want=$4 got

	RET=0
	run_cmd hotpath set hp0 "$key" "$val"
	check_err $? "hotpath set hp0 $key $val failed"
	got=$(show_key hp0 "$path")
	check_eq "$got" "$want" "show $path after set $key $val"
	log_test "set $key $val round-trips ($path = $want)"
}

test_roundtrip()
{
	roundtrip rx-mode busy-poll .rx_mode busy-poll
	roundtrip rx-mode interrupt .rx_mode interrupt
	roundtrip tx-push on .tx_push true
	roundtrip tx-push off .tx_push false
	roundtrip busy-poll-fallback-us 250 .busy_poll_fallback_us 250
	roundtrip stats off .stats false
	roundtrip stats on .stats true
	roundtrip probes on .probes true
	roundtrip probes off .probes false
	roundtrip ctpio-thresh 128 .ctpio.thresh 128
	roundtrip ctpio ct .ctpio.mode ct
	roundtrip ctpio sf .ctpio.mode sf
	roundtrip ctpio sf-np .ctpio.mode sf-np
	roundtrip ctpio-max-frame 1000 .ctpio.max_frame 1000
	roundtrip ctpio-underrun-ppm 5000 .ctpio.underrun_ppm 5000
	roundtrip ctpio off .ctpio.mode off
	roundtrip rx-usecs 50 .coalesce.rx_usecs 50
	roundtrip rx-frames 8 .coalesce.rx_frames 8
	roundtrip tx-usecs 20us .coalesce.tx_usecs 20
	roundtrip tx-frames 4 .coalesce.tx_frames 4
	roundtrip timing accounted .model.timing accounted
	roundtrip timing enforced .model.timing enforced
	roundtrip link-speed 25g .model.link_mbps 25000
	roundtrip link-speed 1g .model.link_mbps 1000
	roundtrip link-speed 40000 .model.link_mbps 40000
	roundtrip link-speed 100g .model.link_mbps 100000
	roundtrip link-speed 10g .model.link_mbps 10000
	roundtrip pcie-rtt 1.5us .model.pcie_rtt_ns 1500
	roundtrip doorbell 60 .model.doorbell_ns 60
	roundtrip pcie-bw 16g .model.pcie_mbps 16000
	roundtrip dma 300ns .model.dma_ns 300
	roundtrip phy 90 .model.phy_ns 90
	roundtrip rx-dma 210 .model.rx_dma_ns 210
	roundtrip desc 45 .model.desc_ns 45
	roundtrip host-pio-bw 12000 .model.host_pio_mbps 12000
}

# ctpio-max-frame follows the mode's default (500, 1518 in ct) unless set.
test_ctpio_default()
{
	RET=0
	hp_mod_load >/dev/null || return
	check_eq "$(show_key hp0 .ctpio.max_frame)" 500 "default max_frame"
	check_eq "$(show_key hp0 .ctpio.thresh)" 64 "default thresh"
	run_cmd hotpath set hp0 ctpio ct
	check_eq "$(show_key hp0 .ctpio.max_frame)" 1518 "max_frame in ct"
	run_cmd hotpath set hp0 ctpio sf
	check_eq "$(show_key hp0 .ctpio.max_frame)" 500 "max_frame back in sf"
	run_cmd hotpath set hp0 ctpio-max-frame 800 ctpio ct
	check_eq "$(show_key hp0 .ctpio.max_frame)" 800 "explicit max_frame kept in ct"
	log_test "ctpio-max-frame default follows the mode (500, 1518 in ct)"
}

test_profiles()
{
	local m

	RET=0
	hp_mod_load >/dev/null || return
	m=$(show_key hp0 .model)
	check_eq "$(jq -c '[.timing,.link_mbps,.pcie_rtt_ns,.doorbell_ns,.pcie_mbps,.dma_ns,.phy_ns,.rx_dma_ns,.desc_ns,.host_pio_mbps]' <<<"$m")" \
		'["enforced",10000,550,100,26500,554,130,280,40,20000]' "default (realistic) model"
	run_cmd hotpath set hp0 timing accounted profile seed
	m=$(show_key hp0 .model)
	check_eq "$(jq -c '[.timing,.doorbell_ns,.pcie_rtt_ns,.dma_ns,.phy_ns,.rx_dma_ns,.desc_ns]' <<<"$m")" \
		'["accounted",60,300,250,80,200,40]' "seed model"
	# PROFILE is applied first, the other keys of the same request refine it
	run_cmd hotpath set hp0 doorbell 70 profile realistic
	m=$(show_key hp0 .model)
	check_eq "$(jq -c '[.doorbell_ns,.pcie_rtt_ns,.phy_ns]' <<<"$m")" '[70,550,130]' \
		"realistic profile with doorbell 70"
	log_test "profiles realistic and seed"
}

test_defaults()
{
	local p

	RET=0
	hp_mod_load >/dev/null || return
	p=$(hotpath -j show hp0)
	check_eq "$(jq -c '.[0] | [.rx_mode,.tx_push,.busy_poll_fallback_us,.stats,.probes]' <<<"$p")" \
		'["interrupt",false,100,true,false]' "default switches"
	check_eq "$(jq -c '.[0].coalesce | [.rx_usecs,.rx_frames,.tx_usecs,.tx_frames]' <<<"$p")" \
		'[0,1,0,1]' "default coalescing"
	check_eq "$(jq -c '.[0].ctpio | [.mode,.thresh,.max_frame,.underrun_ppm]' <<<"$p")" \
		'["off",64,500,0]' "default ctpio"
	log_test "defaults"
}

test_ethtool_to_hotpath()
{
	local rx

	RET=0
	run_cmd ethtool -C hp0 rx-usecs 33 rx-frames 5 tx-usecs 44 tx-frames 6
	check_err $? "ethtool -C failed"
	check_eq "$(show_key hp0 '.coalesce | [.rx_usecs,.rx_frames,.tx_usecs,.tx_frames] | @csv')" \
		"33,5,44,6" "coalesce after ethtool -C"
	run_cmd ethtool -G hp0 tx-push on
	check_err $? "ethtool -G tx-push on failed"
	check_eq "$(show_key hp0 .tx_push)" true "tx_push after ethtool -G tx-push on"
	run_cmd ethtool -G hp0 tx-push off
	check_eq "$(show_key hp0 .tx_push)" false "tx_push after ethtool -G tx-push off"

	run_cmd ip link set hp0 down
	rx=$(show_key hp0 .rings.rx)
	[ "$rx" = 256 ] && rx=512 || rx=256
	run_cmd ethtool -G hp0 rx "$rx" tx 128
	check_err $? "ethtool -G rx $rx tx 128 failed"
	check_eq "$(show_key hp0 '.rings | [.rx,.tx] | @csv')" "$rx,128" "rings after ethtool -G"
	log_test "ethtool -C/-G changes appear in hotpath show"
}

test_hotpath_to_ethtool()
{
	local out

	RET=0
	run_cmd hotpath set hp0 rx-usecs 12 rx-frames 3 tx-usecs 21 tx-frames 2 tx-push on
	check_err $? "hotpath set failed"
	out=$(ethtool -c hp0)
	echo "$out" | sed 's/^/    /'
	check_eq "$(awk '/^rx-usecs:/ {print $2}' <<<"$out")" 12 "ethtool -c rx-usecs"
	check_eq "$(awk '/^rx-frames:/ {print $2}' <<<"$out")" 3 "ethtool -c rx-frames"
	check_eq "$(awk '/^tx-usecs:/ {print $2}' <<<"$out")" 21 "ethtool -c tx-usecs"
	check_eq "$(awk '/^tx-frames:/ {print $2}' <<<"$out")" 2 "ethtool -c tx-frames"
	out=$(ethtool -g hp0)
	echo "$out" | sed 's/^/    /'
	check_eq "$(awk -F: '/^TX Push/ {gsub(/[ \t]/, "", $2); print $2}' <<<"$out")" on \
		"ethtool -g TX Push"
	log_test "hotpath set changes appear in ethtool -c/-g"
}

test_ethtool_stats()
{
	local out

	RET=0
	out=$(ethtool -S hp0)
	check_err $? "ethtool -S failed"
	for k in tx_push_hits ctpio_poisoned interrupts rx_crc_errors tx_wire_mean_ns \
		 tx_wire_count rx_stack_mean_ns peer_ifindex; do
		grep -q "^ *$k:" <<<"$out"
		check_err $? "ethtool -S lacks $k"
	done
	check_eq "$(hp_ethtool_stat "" hp0 peer_ifindex)" "$(cat /sys/class/net/hp1/ifindex)" \
		"ethtool -S peer_ifindex"
	log_test "ethtool -S: counters, stage means and counts, peer_ifindex"
}

test_json_keys()
{
	local show stats

	RET=0
	show=$(hotpath -j show)
	check_err $? "hotpath -j show failed"
	jq -e 'type == "array" and length == 2' <<<"$show" >/dev/null
	check_err $? "show: not a list of the two ports"
	jq -e 'all(.[]; has("ifname") and has("ifindex") and has("peer") and has("rx_mode")
		and has("tx_push") and has("busy_poll_fallback_us") and has("stats")
		and has("probes") and (.rings | has("rx") and has("tx"))
		and (.ctpio | has("mode") and has("thresh") and has("max_frame") and has("underrun_ppm"))
		and (.coalesce | has("rx_usecs") and has("rx_frames") and has("tx_usecs") and has("tx_frames"))
		and (.model | has("timing") and has("link_mbps") and has("pcie_rtt_ns")
			and has("doorbell_ns") and has("pcie_mbps") and has("dma_ns") and has("phy_ns")
			and has("rx_dma_ns") and has("desc_ns") and has("host_pio_mbps")))' \
		<<<"$show" >/dev/null
	check_err $? "show: a documented key is missing"
	check_eq "$(jq -r '.[] | select(.ifname == "hp0") | .peer' <<<"$show")" hp1 "hp0's peer"

	stats=$(hotpath -j stats)
	check_err $? "hotpath -j stats failed"
	jq -e 'type == "array" and length == 2' <<<"$stats" >/dev/null
	check_err $? "stats: not a list of the two ports"
	check_eq "$(jq -c '.[0].stages | map(.name)' <<<"$stats")" \
		'["tx_stack","tx_qdisc","tx_desc","tx_doorbell","tx_fetch","tx_dma","tx_wire","rx_dma","rx_irq","rx_napi","rx_busy_poll","rx_stack","rx_wakeup","xsk_tx","xsk_rx","xdp_prog"]' \
		"stage names in path order"
	jq -e 'all(.[]; has("ifname") and all(.stages[]; has("name") and has("source")
		and has("count") and has("min_ns") and has("mean_ns") and has("p50_ns")
		and has("p90_ns") and has("p99_ns") and has("p999_ns") and has("max_ns")
		and (.source == "measured" or .source == "modelled")))' <<<"$stats" >/dev/null
	check_err $? "stats: a documented stage key is missing"
	jq -e 'all(.[]; .counters | has("tx_push_hits") and has("tx_push_misses")
		and has("ctpio_success") and has("ctpio_poisoned") and has("ctpio_fallback_busy")
		and has("ctpio_fallback_long") and has("ctpio_fallback_runt") and has("interrupts")
		and has("busy_poll_pickups") and has("watchdog_fires") and has("rx_ring_drops")
		and has("rx_crc_errors"))' <<<"$stats" >/dev/null
	check_err $? "stats: a documented counter is missing"
	check_eq "$(jq -r '.[0].stages[] | select(.name == "tx_wire") | .source' <<<"$stats")" \
		modelled "tx_wire source"
	check_eq "$(jq -r '.[0].stages[] | select(.name == "rx_stack") | .source' <<<"$stats")" \
		measured "rx_stack source"
	run_cmd hotpath stats hp0
	check_err $? "plain stats failed"
	run_cmd hotpath reset hp0
	check_err $? "reset failed"
	log_test "--json output parses and carries every documented key"
}

# refuse WANT_RC|nz ERRNO_TEXT NAME CMD...: fails as told, names NAME, changes
# nothing.
refuse()
{
	local want_rc=$1 errtext=$2 name=$3; shift 3
	local before after out rc

	RET=0
	before=$(hotpath -j show)
	echo "COMMAND: $*"
	out=$("$@" 2>&1)
	rc=$?
	echo "    $out"
	if [ "$want_rc" = nz ]; then
		[ "$rc" -ne 0 ]
		check_err $? "exit status 0"
	else
		check_eq "$rc" "$want_rc" "exit status"
	fi
	grep -q "$errtext" <<<"$out"
	check_err $? "message lacks '$errtext'"
	grep -q -- "$name" <<<"$out"
	check_err $? "message does not name '$name'"
	after=$(hotpath -j show)
	check_eq "$after" "$before" "configuration after the refused request"
	log_test "refused: ${*:2}"
}

test_invalid()
{
	local rx_ring

	hp_mod_load >/dev/null || return
	# the policy's ranges (core netlink validation): ERANGE, exit 1,
	# attribute named by the extack offset; checks in the family: EINVAL
	refuse 1 "$ERANGE_MSG" rx-usecs hotpath set hp0 rx-usecs 10001
	refuse 1 "$ERANGE_MSG" tx-usecs hotpath set hp0 tx-usecs 20ms
	refuse 1 "$ERANGE_MSG" busy-poll-fallback-us hotpath set hp0 busy-poll-fallback-us 0
	refuse 1 "$ERANGE_MSG" ctpio-thresh hotpath set hp0 ctpio-thresh 4093
	refuse 1 "$ERANGE_MSG" ctpio-max-frame hotpath set hp0 ctpio-max-frame 28
	refuse 1 "$ERANGE_MSG" ctpio-max-frame hotpath set hp0 ctpio-max-frame 4093
	refuse 1 "$ERANGE_MSG" ctpio-underrun-ppm hotpath set hp0 ctpio-underrun-ppm 1000001
	refuse 1 "$ERANGE_MSG" rx-frames hotpath set hp0 rx-frames 4097
	refuse 1 "Invalid argument" link-speed hotpath set hp0 link-speed 2g
	refuse 1 "$ERANGE_MSG" link-speed hotpath set hp0 link-speed 200g
	refuse 1 "$ERANGE_MSG" pcie-rtt hotpath set hp0 pcie-rtt 100001
	refuse 1 "$ERANGE_MSG" doorbell hotpath set hp0 doorbell 101us
	refuse 1 "$ERANGE_MSG" pcie-bw hotpath set hp0 pcie-bw 500m
	refuse 1 "$ERANGE_MSG" host-pio-bw hotpath set hp0 host-pio-bw 2000g
	refuse 1 "$ERANGE_MSG" phy hotpath set hp0 phy 100001
	refuse 1 "$ERANGE_MSG" dma hotpath set hp0 dma 100001
	refuse 1 "$ERANGE_MSG" rx-dma hotpath set hp0 rx-dma 100001
	refuse 1 "$ERANGE_MSG" desc hotpath set hp0 desc 100001
	rx_ring=$(show_key hp0 .rings.rx)
	if [ "$rx_ring" -lt 4096 ]; then
		refuse 1 "Invalid argument" rx-frames hotpath set hp0 rx-frames $((rx_ring + 1))
	fi
	# all or nothing: the valid first pair is not applied either
	refuse 1 "$ERANGE_MSG" tx-usecs hotpath set hp0 rx-usecs 30 tx-usecs 99999
	refuse 1 "Invalid argument" link-speed hotpath set hp0 profile seed link-speed 3g
	# ethtool goes through the same validation
	refuse nz "" "" ethtool -C hp0 rx-usecs 10001
	refuse nz "" "" ethtool -C hp0 rx-frames 5000
	refuse nz "" "" ethtool -C hp0 rx-usecs-irq 5
	# parsed by the CLI: usage errors, exit 2
	refuse 2 "Invalid argument" rx-usecs hotpath set hp0 rx-usecs abc
	refuse 2 "Invalid argument" rx-mode hotpath set hp0 rx-mode sometimes
	refuse 2 "Invalid argument" tx-push hotpath set hp0 tx-push maybe
	refuse 2 "Invalid argument" ctpio hotpath set hp0 ctpio fast
	refuse 2 "Invalid argument" timing hotpath set hp0 timing never
	refuse 2 "Invalid argument" pcie-rtt hotpath set hp0 pcie-rtt -5
	refuse 2 "Invalid argument" bogus hotpath set hp0 bogus 1
	refuse 2 "Usage" "set DEV" hotpath set hp0 rx-usecs
	# devices: ENODEV, exit 1
	refuse 1 "No such device" nosuchdev hotpath set nosuchdev rx-usecs 1
	refuse 1 "No such device" "no such device" hotpath show nosuchdev
	# another driver's device: its knobs only while attached, a model key never
	refuse 1 "No such device" "rx-usecs: lo is not a hotpath port, nor a device with stats attached" \
		hotpath set lo rx-usecs 1
	refuse 1 "Operation not supported" "not a hotpath port.*(pcie-rtt)" hotpath set lo pcie-rtt 300
	refuse 1 "No such device" "not a hotpath port, nor a device with stats attached" \
		hotpath stats lo
	refuse 1 "No such device" "no such device" hotpath reset nosuchdev
}

# A port in another namespace is invisible: ENODEV, and unchanged there.
test_other_netns()
{
	local ns=hp-$$-other before after out rc

	RET=0
	hp_ns_add "$ns" || return
	run_cmd ip link set hp1 netns "$ns"
	before=$(ip netns exec "$ns" hotpath -j show)
	out=$(hotpath set hp1 rx-usecs 7 2>&1)
	rc=$?
	echo "    $out"
	check_eq "$rc" 1 "exit status of set on a port in another netns"
	grep -q "No such device" <<<"$out"
	check_err $? "not ENODEV: $out"
	grep -q "HOTPATH_A_IFNAME\|DEV" <<<"$out"
	check_err $? "message does not name the device attribute"
	after=$(ip netns exec "$ns" hotpath -j show)
	check_eq "$after" "$before" "hp1's configuration in its netns"
	log_test "refused: a port in another namespace (ENODEV)"
}

hp_mod_load || hp_fail "cannot load hotpath.ko"
test_defaults
test_roundtrip
test_ctpio_default
test_profiles
hp_mod_load >/dev/null
test_ethtool_to_hotpath
test_hotpath_to_ethtool
test_ethtool_stats
test_json_keys
test_invalid
test_other_netns
exit "$EXIT_STATUS"
