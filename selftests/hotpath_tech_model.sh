#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The hardware model and its profiles (issue 5):
# - `profile seed` then `show --json` gives exactly the seed figures
#   (doorbell 60, pcie-rtt 300, dma 250, phy 80, rx-dma 200, desc 40) and
#   `profile realistic` the defaults (see kmod/config.c for the sources);
#   loading a profile keeps `timing`;
# - with timing accounted, each model parameter moves its stage as the
#   formula says (means within the histogram's bound, 1/32 + 1 ns):
#     tx_doorbell = doorbell
#     tx_fetch    = pcie-rtt
#     tx_dma      = dma + len * 8 / pcie-bw           (DMA path)
#                 = desc + len * 8 / host-pio-bw      (CTPIO sf)
#     tx_wire     = (max(len + 4, 64) + 20) * 8 / link-speed + phy
#     rx_dma      = rx-dma + len * 8 / pcie-bw        (the receiver's)
#   changing one parameter at a time, and every link speed.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq hotpath

PORT=7105
PAYLOAD=458
LEN=$((PAYLOAD + 42))	# 500 B frame without FCS
N=10
PP=$(hp_helper stages_pingpong)

model()
{
	ip netns exec "$NS_A" hotpath -j show "$DEV_A" | jq -r ".[0].model.$1"
}

both()
{
	hp_set "$NS_A" "$DEV_A" "$@" && hp_set "$NS_B" "$DEV_B" "$@"
}

# within ACTUAL EXPECTED WHAT: |actual - expected| <= expected / 32 + 1
within()
{
	awk -v a="$1" -v e="$2" 'BEGIN { d = a - e; if (d < 0) d = -d; exit !(d <= e / 32 + 1) }'
	check_err $? "$3: $1 ns, model $2 ns"
	echo "    $3: $1 ns (model $2 ns)"
}

# measure WHAT: reset, N ping-pongs, each stage's mean against the formula
# with the figures read back from `show`
measure()
{
	local what=$1 ctpio=${2:-off} db rtt dma bw phy rxdma link desc pio e

	run_cmd ip netns exec "$NS_A" hotpath reset "$DEV_A" >/dev/null
	run_cmd ip netns exec "$NS_B" hotpath reset "$DEV_B" >/dev/null
	hp_pingpong $N $PAYLOAD
	check_err $? "$what: ping-pong failed"
	db=$(model doorbell_ns); rtt=$(model pcie_rtt_ns); dma=$(model dma_ns)
	bw=$(model pcie_mbps); phy=$(model phy_ns); rxdma=$(model rx_dma_ns)
	link=$(model link_mbps); desc=$(model desc_ns); pio=$(model host_pio_mbps)

	within "$(hp_stage "$NS_A" "$DEV_A" tx_doorbell mean_ns)" "$db" "$what: tx_doorbell"
	if [ "$ctpio" = off ]; then
		within "$(hp_stage "$NS_A" "$DEV_A" tx_fetch mean_ns)" "$rtt" "$what: tx_fetch"
		e=$(awk -v d="$dma" -v l=$LEN -v b="$bw" 'BEGIN { printf "%.2f", d + l * 8000 / b }')
	else
		check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_fetch)" 0 "$what: tx_fetch count (CTPIO)"
		e=$(awk -v d="$desc" -v l=$LEN -v b="$pio" 'BEGIN { printf "%.2f", d + l * 8000 / b }')
	fi
	within "$(hp_stage "$NS_A" "$DEV_A" tx_dma mean_ns)" "$e" "$what: tx_dma"
	e=$(awk -v l=$LEN -v s="$link" -v p="$phy" \
		'BEGIN { f = l + 4; if (f < 64) f = 64; printf "%.2f", (f + 20) * 8000 / s + p }')
	within "$(hp_stage "$NS_A" "$DEV_A" tx_wire mean_ns)" "$e" "$what: tx_wire"
	e=$(awk -v d="$rxdma" -v l=$LEN -v b="$bw" 'BEGIN { printf "%.2f", d + l * 8000 / b }')
	within "$(hp_stage "$NS_B" "$DEV_B" rx_dma mean_ns)" "$e" "$what: $DEV_B rx_dma"
	check_eq "$(hp_stage "$NS_A" "$DEV_A" tx_wire)" $N "$what: tx_wire count"
}

TMP=$(mktemp -d)
hp_defer rm -rf "$TMP"

hp_mod_load pairs=1 || hp_fail "insmod failed"
hp_pair_setup || hp_fail "pair setup failed"
hp_pair_quiet || hp_fail "quiet link setup failed"

##############################################################################
RET=0
show()
{
	ip netns exec "$NS_A" hotpath -j show "$DEV_A" | jq -c "[.[0].model | $1]"
}
KEYS='.link_mbps, .pcie_rtt_ns, .doorbell_ns, .pcie_mbps, .dma_ns, .phy_ns, .rx_dma_ns, .desc_ns, .host_pio_mbps'
check_eq "$(show "$KEYS")" "[10000,550,100,26500,554,130,280,40,20000]" "default (realistic) model"
check_eq "$(show .timing)" '["enforced"]' "default timing"
hp_set "$NS_A" "$DEV_A" timing accounted
hp_set "$NS_A" "$DEV_A" profile seed
check_eq "$(show '.doorbell_ns, .pcie_rtt_ns, .dma_ns, .phy_ns, .rx_dma_ns, .desc_ns')" \
	"[60,300,250,80,200,40]" "seed profile: doorbell, pcie_rtt, dma, phy, rx_dma, desc"
check_eq "$(show "$KEYS")" "[10000,300,60,26500,250,80,200,40,20000]" "seed profile, whole model"
check_eq "$(show .timing)" '["accounted"]' "timing kept by the profile"
hp_set "$NS_A" "$DEV_A" profile realistic
check_eq "$(show "$KEYS")" "[10000,550,100,26500,554,130,280,40,20000]" "realistic profile again"
# a profile loads first, then the other keys of the same request
hp_set "$NS_A" "$DEV_A" profile seed pcie-rtt 400
check_eq "$(show '.pcie_rtt_ns, .doorbell_ns')" "[400,60]" "profile seed pcie-rtt 400"
log_test "profiles: show --json gives exactly the seed and realistic figures"

##############################################################################
RET=0
both timing accounted profile seed
measure "seed"
log_test "seed figures: every modelled stage as the formula says"

for change in "pcie-rtt 600" "doorbell 120" "dma 500" "pcie-bw 10000" "phy 160" "rx-dma 400"; do
	RET=0
	both profile seed $change
	measure "seed, $change"
	log_test "model: $change moves its stage as the formula says"
done

RET=0
both profile seed
measure "seed" >/dev/null
fetch1=$(hp_stage "$NS_A" "$DEV_A" tx_fetch mean_ns)
both pcie-rtt 600
measure "pcie-rtt 600" >/dev/null
fetch2=$(hp_stage "$NS_A" "$DEV_A" tx_fetch mean_ns)
within "$fetch2" "$((2 * fetch1))" "doubling pcie-rtt: tx_fetch mean"
log_test "doubling pcie-rtt doubles tx_fetch"

for speed in 1g 25g 40g 100g; do
	RET=0
	both profile seed link-speed $speed
	measure "link-speed $speed"
	log_test "model: link-speed $speed gives tx_wire = serialisation + phy"
done

RET=0
both profile seed
hp_set "$NS_A" "$DEV_A" ctpio sf
measure "CTPIO sf" sf
hp_set "$NS_A" "$DEV_A" desc 80 host-pio-bw 10000
measure "CTPIO sf, desc 80 host-pio-bw 10000" sf
log_test "model: desc and host-pio-bw move tx_dma under CTPIO"

exit "$EXIT_STATUS"
