#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab on a real pair (hotpath-lab nic --short --dev A --peer B, issue
# 27), the test VM's two igb ports wired back to back, asserted on the
# results.json it writes, never on its text:
# - it runs to completion (exit 0), schema hotpath-lab/1, mode nic, no
#   failures, the report written; `hotpath-lab render` of the file alone
#   prints exactly the run's text;
# - every step of the walk is there, in order; each one igb cannot do is
#   kept with the reason the kernel gave (adaptive-rx: ethtool's "cannot
#   modify an unsupported parameter"; AF_XDP zero-copy where the driver has
#   none), never dropped; each measured step has its stages from both
#   attached ends (client A's tx_stack..., server B's rx_stack...) and the
#   same technique on the emulated pair beside it;
# - the techniques do what their knobs say, each a bound the mechanism
#   gives: busy polling moves receives to busy pollers (pickups > 0, none
#   without it); the coalescing step's rx-usecs 100 (igb's EITR interval)
#   raises fewer RX interrupts than rx-usecs 0; the AF_XDP steps leave the
#   socket layer: no rx_wakeup on B;
# - afterwards both ports are back in init_net under their names, with the
#   knobs as the walk found them and stats detached.
# The report goes to the host (hp-vm-export nic-report.html), which renders
# it in chromium (selftests/vm/report_render.sh --nic).
# hp-vm-clock: virtual
source "$(dirname "$0")/lib.sh"

require_root
require_cmd jq ethtool hotpath hotpath-bench

LAB=$(hp_lab) || hp_skip "hotpath-lab not found"
DRV=igb
hp_nic_present "$DRV" || hp_skip "no $DRV NICs (the test VM's, selftests/vm/run.sh)"
[ -d /sys/module/$DRV ] || { run_cmd modprobe $DRV || hp_skip "cannot load $DRV"; hp_defer modprobe -r $DRV; }
read -r A B <<< "$(hp_nic_find $DRV)" || hp_skip "no $DRV netdevs with the test VM's MACs"

WORK=$(mktemp -d /tmp/hplab-nic.XXXXXX)
hp_defer rm -rf "$WORK"
RES=$WORK/results.json
REPORT=$WORK/report.html
OUT=$WORK/out.txt
hp_mod_load pairs=1 || hp_fail "insmod failed"
usecs_a=$(ethtool -c "$A" | awk '$1 == "rx-usecs:" { print $2 }')

echo "COMMAND: $LAB nic --short --dev $A --peer $B --results $RES --report $REPORT"
NO_COLOR=1 "$LAB" nic --short --dev "$A" --peer "$B" --results "$RES" --report "$REPORT" \
	> "$OUT" 2> "$WORK/err.txt"
rc=$?
sed 's/^/    /' "$OUT" "$WORK/err.txt"

q() { jq -r "$1" "$RES"; }
# step NAME FILTER: FILTER over the step named NAME
step() { q ".nic.steps[] | select(.name == \"$1\") | $2"; }

RET=0
check_eq "$rc" 0 "hotpath-lab nic exit status"
check_eq "$(q .schema)" hotpath-lab/1 "results schema"
check_eq "$(q .mode)" nic "results mode"
check_eq "$(q '.failures | length')" 0 "failures ($(q '.failures | join("; ")'))"
check_eq "$(q .nic.driver)" "$DRV" "driver"
[ -s "$REPORT" ] && grep -q '</html>' "$REPORT"
check_err $? "no complete report"
if [ -n "${HOTPATH_VM:-}" ] && [ -s "$REPORT" ]; then
	hp-vm-export nic-report.html "$REPORT"
	check_err $? "cannot hand the report to the host"
fi
log_test "hotpath-lab nic --short on $A -> $B: runs to completion, results and report"

RET=0
NO_COLOR=1 "$LAB" render "$RES" --html "$WORK/again.html" > "$WORK/render.txt" 2>&1
check_err $? "render failed"
diff -u "$WORK/render.txt" <(grep -v -e '^Results: ' -e '^Report: ' "$OUT" | sed '$ { /^$/d }')
check_err $? "the run's text is not what render prints from its results.json"
cmp "$REPORT" "$WORK/again.html"
check_err $? "the run's report is not what render --html writes"
log_test "render: the text and the report come from results.json alone"

RET=0
check_eq "$(q '[.nic.steps[].name] | join(" ")')" \
	"interrupt no-moderation busy-poll af-xdp-skb af-xdp-copy af-xdp-zero-copy coalesce adaptive" \
	"the walk's steps"
check_eq "$(step adaptive .supported)" false "adaptive supported"
grep -q "adaptive-rx: not supported by igb (ethtool: cannot modify an unsupported parameter)" \
	<<< "$(step adaptive .reason)"
check_err $? "adaptive: the reason is not the kernel's"
check_eq "$(q '[.nic.steps[] | select(.supported == false and ((.reason // "") | length) == 0)] | length')" \
	0 "unsupported steps without a reason"
for s in $(q '.nic.steps[] | select(.supported) | .name'); do
	# the bypass steps' frames take none of the stack's hooks but NAPI's
	for st in a:tx_stack a:tx_desc b:rx_stack; do
		[ "${s#af-xdp}" != "$s" ] && continue
		[ "$(step "$s" "[.stages[] | select(.port == \"${st%%:*}\" and .name == \"${st#*:}\" and .count > 0)] | length")" = 1 ]
		check_err $? "$s: no $st stage with samples"
	done
	[ "$(step "$s" '.model.one_way_p50_ns > 0')" = true ]
	check_err $? "$s: no model step beside it"
done
log_test "every step is there, the unsupported ones with the kernel's reason; stages from both ends, the model beside"

RET=0
check_eq "$(step interrupt .busy_poll_pickups)" 0 "busy-poll pickups without busy polling"
[ "$(step busy-poll .busy_poll_pickups)" -gt 0 ]
check_err $? "busy-poll: no busy-poll pickups"
i0=$(step no-moderation .rx_interrupts) i100=$(step coalesce .rx_interrupts)
[ "$i100" -lt "$i0" ]
check_err $? "rx-usecs 100: $i100 RX interrupts, not fewer than $i0 at rx-usecs 0"
for s in af-xdp-skb af-xdp-copy; do
	[ "$(step $s .supported)" = true ] || continue
	check_eq "$(step $s '[.stages[] | select(.name == "rx_wakeup")] | length')" \
		0 "$s: a socket reader's wakeup on B"
done
log_test "busy-poll picks up, rx-usecs 100 raises fewer interrupts ($i100 vs $i0), AF_XDP leaves the socket layer"

RET=0
for d in "$A" "$B"; do
	ip link show dev "$d" >/dev/null 2>&1
	check_err $? "$d not back in init_net"
done
check_eq "$(ethtool -c "$A" | awk '$1 == "rx-usecs:" { print $2 }')" "$usecs_a" "$A's rx-usecs"
check_eq "$(cat /sys/class/net/$B/napi_defer_hard_irqs)" 0 "$B's napi_defer_hard_irqs"
check_eq "$(cat /sys/module/hotpath/parameters/attached_alive)" 0 "attached devices"
log_test "afterwards: both ports back, their knobs as found, stats detached"
exit "$EXIT_STATUS"
