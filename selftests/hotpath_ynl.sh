#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The YNL spec (Documentation/netlink/specs/hotpath.yaml) drives the module
# through the kernel's own YNL CLI (tools/net/ynl/cli.py of linux-source-6.12,
# packed into the VM under /opt/ynl): --do and --dump of each get, a set read
# back through the family and ethtool, refused sets whose extack names the
# attribute (decoded by cli.py from the offset, with the policy's range),
# EPERM without CAP_NET_ADMIN, a stats reset, and the port-ntf notification
# on the "config" group.  A spec that disagrees with the module (a name, a
# type, a nest) fails here: cli.py encodes and decodes by the spec alone.
# The module's policies, reported by the kernel (CTRL_CMD_GETPOLICY through
# cli.py's nlctrl spec), are compared with the spec's requests, types and
# ranges attribute by attribute (ynl_policy.py).
source "$(dirname "$0")/lib.sh"

require_root
require_cmd python3 jq ethtool ping setpriv hotpath

YNL_DIR=${YNL_DIR:-/opt/ynl}
CLI=$YNL_DIR/tools/net/ynl/cli.py
SPEC=$YNL_DIR/Documentation/netlink/specs/hotpath.yaml
[ -f "$CLI" ] && [ -f "$SPEC" ] || hp_skip "no YNL CLI at $YNL_DIR"

STAGES="tx_stack tx_qdisc tx_desc tx_doorbell tx_fetch tx_dma tx_wire rx_dma rx_irq rx_napi rx_busy_poll rx_stack rx_wakeup xsk_tx xsk_rx xdp_prog"

# ynl ARGS...: cli.py with the spec, JSON out; the schema was checked on the
# host (scripts/ynl.sh), the VM has no jsonschema.
ynl()
{
	python3 "$CLI" --no-schema --spec "$SPEC" --output-json "$@"
}

# ynl_ns NS ARGS...: the same inside a namespace.
ynl_ns()
{
	local ns=$1; shift

	ip netns exec "$ns" python3 "$CLI" --no-schema --spec "$SPEC" --output-json "$@"
}

test_do_get()
{
	local by_name by_index ifindex

	RET=0
	ifindex=$(cat /sys/class/net/hp0/ifindex)
	by_name=$(ynl --do port-get --json '{"ifname": "hp0"}')
	check_err $? "port-get by ifname: $by_name"
	by_index=$(ynl --do port-get --json "{\"ifindex\": $ifindex}")
	check_err $? "port-get by ifindex: $by_index"
	check_eq "$by_index" "$by_name" "port-get by ifindex and by ifname"
	check_eq "$(jq -r '.ifindex' <<<"$by_name")" "$ifindex" "ifindex"
	check_eq "$(jq -r '."peer-ifname"' <<<"$by_name")" hp1 "peer-ifname"
	check_eq "$(jq -r '."peer-ifindex"' <<<"$by_name")" "$(cat /sys/class/net/hp1/ifindex)" \
		"peer-ifindex"
	check_eq "$(jq -r '."rx-ring-size"' <<<"$by_name")" \
		"$(ethtool -g hp0 | awk '/^RX:/ {v = $2} END {print v}')" "rx-ring-size vs ethtool -g"
	check_eq "$(jq -r '.coalesce."rx-usecs"' <<<"$by_name")" \
		"$(ethtool -c hp0 | awk '/^rx-usecs:/ {print $2}')" "coalesce.rx-usecs vs ethtool -c"
	check_eq "$(jq -r '."phc-index"' <<<"$by_name")" \
		"$(ethtool -T hp0 | awk '/PTP Hardware Clock:/ {print $4}')" "phc-index vs ethtool -T"
	# enums come back by their spec names, as hotpath(8) names them
	check_eq "$(jq -r '."rx-mode"' <<<"$by_name")" "$(hotpath -j show hp0 | jq -r '.[0].rx_mode')" \
		"rx-mode"
	check_eq "$(jq -r '.ctpio.mode' <<<"$by_name")" "$(hotpath -j show hp0 | jq -r '.[0].ctpio.mode')" \
		"ctpio.mode"
	check_eq "$(jq -r '.model.timing' <<<"$by_name")" \
		"$(hotpath -j show hp0 | jq -r '.[0].model.timing')" "model.timing"
	log_test "port-get --do by ifname and ifindex: the port as ethtool and hotpath see it"
}

test_dump_get()
{
	local out

	RET=0
	out=$(ynl --dump port-get)
	check_err $? "port-get dump: $out"
	check_eq "$(jq -r '[.[].ifname] | sort | join(" ")' <<<"$out")" "hp0 hp1" "ports dumped"
	check_eq "$(jq -r '.[] | select(.ifname == "hp1") | ."peer-ifname"' <<<"$out")" hp0 \
		"hp1's peer in the dump"
	check_eq "$(jq -c '.[] | select(.ifname == "hp0")' <<<"$out")" \
		"$(ynl --do port-get --json '{"ifname": "hp0"}' | jq -c .)" "hp0 in the dump vs --do"
	log_test "port-get --dump: every port, each as --do reports it"
}

test_set()
{
	local out

	RET=0
	out=$(ynl --do port-set --json '{"ifname": "hp0", "tx-push": 1,
		"busy-poll-fallback-us": 250, "phc-drift-ppb": -500,
		"ctpio": {"mode": "ct", "thresh": 128, "max-frame": 1000},
		"coalesce": {"rx-usecs": 50, "tx-frames": 4},
		"model": {"timing": "accounted", "link-mbps": 25000, "doorbell-ns": 77}}')
	check_err $? "port-set: $out"
	out=$(ynl --do port-get --json '{"ifname": "hp0"}')
	check_eq "$(jq -c '[."tx-push", ."busy-poll-fallback-us", ."phc-drift-ppb"]' <<<"$out")" \
		'[1,250,-500]' "tx-push, busy-poll-fallback-us, phc-drift-ppb"
	check_eq "$(jq -c '[.ctpio.mode, .ctpio.thresh, .ctpio."max-frame"]' <<<"$out")" \
		'["ct",128,1000]' "ctpio"
	check_eq "$(jq -c '[.coalesce."rx-usecs", .coalesce."tx-frames"]' <<<"$out")" '[50,4]' \
		"coalesce"
	check_eq "$(jq -c '[.model.timing, .model."link-mbps", .model."doorbell-ns"]' <<<"$out")" \
		'["accounted",25000,77]' "model"
	check_eq "$(ethtool -c hp0 | awk '/^rx-usecs:/ {print $2}')" 50 "ethtool -c rx-usecs"
	check_eq "$(hotpath -j show hp0 | jq -r '.[0].model.link_mbps')" 25000 "hotpath show link_mbps"
	log_test "port-set: every value read back (port-get, ethtool -c, hotpath show)"
}

# refused NAME JSON ERRNO_TEXT BAD_ATTR [MSG]: port-set JSON fails with
# ERRNO_TEXT, the extack's offset decodes to BAD_ATTR (and carries MSG), and
# no port's configuration changed (hotpath -j show: one cli.py run less, each
# costs seconds of YAML parsing on the emulated machine).  The output is left
# in REFUSED_OUT.
refused()
{
	local name=$1 json=$2 err=$3 attr=$4 msg=${5:-} before after rc

	RET=0
	before=$(hotpath -j show)
	REFUSED_OUT=$(ynl --do port-set --json "$json" 2>&1)
	rc=$?
	echo "$REFUSED_OUT" | sed 's/^/    /'
	check_eq "$rc" 1 "exit status"
	grep -qF "Netlink error: $err" <<<"$REFUSED_OUT"
	check_err $? "not '$err'"
	grep -qF "'bad-attr': '$attr'" <<<"$REFUSED_OUT"
	check_err $? "extack does not point at $attr"
	if [ -n "$msg" ]; then
		grep -qF "'msg': '$msg'" <<<"$REFUSED_OUT"
		check_err $? "extack message is not '$msg'"
	fi
	after=$(hotpath -j show)
	check_eq "$after" "$before" "configuration after the refused set"
	log_test "refused: $name"
}

test_refused()
{
	# Ranges are the core's policy checks; the policy the kernel reports
	# back (NLMSGERR_ATTR_POLICY) is the spec's range.
	refused "ctpio.thresh 5000 (ERANGE), tx-push beside it not applied" \
		'{"ifname": "hp0", "tx-push": 0, "ctpio": {"thresh": 5000}}' \
		"Numerical result out of range" ".ctpio.thresh"
	RET=0
	local max
	max=$(python3 -c 'import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
print(next(d["value"] for d in spec["definitions"] if d["name"] == "ctpio-max-frame"))' "$SPEC")
	[[ $max =~ ^[0-9]+$ ]]
	check_err $? "no ctpio-max-frame const in the spec: '$max'"
	grep -qF "'max-value': $max" <<<"$REFUSED_OUT"
	check_err $? "the policy reported for ctpio.thresh is not 0..$max"
	log_test "ctpio.thresh: the kernel's policy range is the spec's (max $max)"

	refused "busy-poll-fallback-us 0 (ERANGE)" \
		'{"ifname": "hp0", "busy-poll-fallback-us": 0}' \
		"Numerical result out of range" ".busy-poll-fallback-us"
	refused "phc-drift-ppb -1000001 (ERANGE)" \
		'{"ifname": "hp0", "phc-drift-ppb": -1000001}' \
		"Numerical result out of range" ".phc-drift-ppb"
	refused "model.link-mbps 2000 (EINVAL, message names it)" \
		'{"ifname": "hp0", "model": {"link-mbps": 2000}}' \
		"Invalid argument" ".model.link-mbps" \
		"link-speed (HOTPATH_MODEL_A_LINK_MBPS): must be 1000, 10000, 25000, 40000 or 100000"
	refused "rx-ring-size is read only (EOPNOTSUPP)" \
		'{"ifname": "hp0", "rx-ring-size": 512}' \
		"Operation not supported" ".rx-ring-size"
	refused "ifname nope0 (ENODEV)" \
		'{"ifname": "nope0", "tx-push": 1}' \
		"No such device" ".ifname" "ifname (HOTPATH_A_IFNAME): no such device"
}

test_eperm()
{
	local out rc before show

	RET=0
	before=$(ynl --do port-get --json '{"ifname": "hp0"}')
	show=$(hotpath -j show)
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		python3 "$CLI" --no-schema --spec "$SPEC" --do port-set \
		--json '{"ifname": "hp0", "tx-push": 0}' 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    /'
	check_eq "$rc" 1 "exit status without CAP_NET_ADMIN"
	grep -qF "Netlink error: Operation not permitted" <<<"$out"
	check_err $? "not EPERM"
	check_eq "$(hotpath -j show)" "$show" "configuration"
	# reading needs no privilege
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		python3 "$CLI" --no-schema --spec "$SPEC" --output-json --do port-get \
		--json '{"ifname": "hp0"}' 2>&1)
	check_err $? "port-get without privilege: $out"
	check_eq "$out" "$before" "port-get without privilege"
	log_test "port-set needs CAP_NET_ADMIN (EPERM, nothing changed); port-get does not"
}

# The notification through the YNL library (lib/ynl.py): one socket
# subscribed to "config", the set from another.  (6.12's cli.py cannot do
# both on one socket: a notification read on its own during a --do leaves it
# without the request's attribute set for the next read.)
ynl_ntf()
{
	python3 - "$YNL_DIR/tools/net/ynl" "$SPEC" "$1" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
from lib import YnlFamily
mon = YnlFamily(sys.argv[2], '')
mon.ntf_subscribe('config')
YnlFamily(sys.argv[2], '').do('port-set', json.loads(sys.argv[3]))
mon.check_ntf()
print(json.dumps(mon.async_msg_queue))
PY
}

test_notify()
{
	local ntf

	RET=0
	# the notification is multicast before the set's ACK: already queued
	ntf=$(ynl_ntf '{"ifname": "hp0", "rx-mode": "busy-poll"}')
	check_err $? "port-set with the config group subscribed: $ntf"
	check_eq "$(jq -r 'length' <<<"$ntf")" 1 "notifications"
	check_eq "$(jq -r '.[0].name' <<<"$ntf")" port-ntf "notification name"
	check_eq "$(jq -r '.[0].msg.ifname' <<<"$ntf")" hp0 "notification ifname"
	check_eq "$(jq -r '.[0].msg."rx-mode"' <<<"$ntf")" busy-poll "notified rx-mode"
	check_eq "$(jq -c '.[0].msg' <<<"$ntf")" \
		"$(ynl --do port-get --json '{"ifname": "hp0"}' | jq -c .)" \
		"the notification is the full port configuration"
	log_test "port-set is announced on the config group as port-ntf"
}

test_stats()
{
	local out dump names want

	RET=0
	hp_pair_setup && hp_pair_quiet
	check_err $? "pair setup"
	hp_wait_quiet "$NS_A" hp0
	check_err $? "hp0 did not go quiet"
	ynl_ns "$NS_A" --do stats-reset --json '{"ifname": "hp0"}' >/dev/null
	check_err $? "stats-reset"
	run_cmd ip netns exec "$NS_A" ping -c 5 -i 0.05 -W 5 "$IP4_B"
	check_err $? "ping"
	out=$(ynl_ns "$NS_A" --do stats-get --json '{"ifname": "hp0"}')
	check_err $? "stats-get: $out"
	names=$(jq -r '[.stages.stage[].name] | join(" ")' <<<"$out")
	check_eq "$names" "$STAGES" "stage names in id order"
	check_eq "$(jq -r '[.stages.stage[].id] | join(" ")' <<<"$out")" \
		"tx-stack tx-qdisc tx-desc tx-doorbell tx-fetch tx-dma tx-wire rx-dma rx-irq rx-napi rx-busy-poll rx-stack rx-wakeup xsk-tx xsk-rx xdp-prog" \
		"stage ids (enum stage)"
	check_eq "$(jq -r '.stages.stage[] | select(.name == "tx_wire") | .source' <<<"$out")" \
		modelled "tx_wire's source"
	check_eq "$(jq -r '.counters."tx-packets"' <<<"$out")" 5 "counters.tx-packets after 5 pings"
	check_eq "$(jq -r '.counters."rx-packets"' <<<"$out")" 5 "counters.rx-packets after 5 replies"
	check_eq "$(jq -r '.stages.stage[] | select(.name == "tx_wire") | .count' <<<"$out")" 5 \
		"tx_wire count after 5 pings"
	# every counter hotpath(8) shows, the same value under the same name;
	# nothing moves between the two reads: the link is quiet and the last
	# TX completion is reaped within tx-usecs (at most 10 ms) of the last
	# ping, long before cli.py has even parsed the spec
	# (hotpath names HOTPATH_CNT_TX_CMPL_DELAYED tx_completions_delayed)
	want=$(ip netns exec "$NS_A" hotpath -j stats hp0 | jq -c '.[0].counters')
	check_eq "$(jq -c '.counters | with_entries(.key |= (gsub("-"; "_") |
		sub("^tx_cmpl_delayed$"; "tx_completions_delayed")))' <<<"$out")" "$want" \
		"counters vs hotpath -j stats"
	log_test "stats-get --do: every stage in order, counters by name, exact after 5 pings"

	RET=0
	ynl_ns "$NS_A" --do stats-reset --json '{"ifname": "hp0"}' >/dev/null
	check_err $? "stats-reset"
	out=$(ynl_ns "$NS_A" --do stats-get --json '{"ifname": "hp0"}')
	check_eq "$(jq -r '[.counters[]] | add' <<<"$out")" 0 "sum of the counters after the reset"
	check_eq "$(jq -r '[.stages.stage[].count] | add' <<<"$out")" 0 "sum of stage counts"
	log_test "stats-reset --do: every counter and stage back to 0"

	RET=0
	dump=$(ynl_ns "$NS_A" --dump stats-get)
	check_err $? "stats-get dump: $dump"
	check_eq "$(jq -r '[.[].ifname] | join(" ")' <<<"$dump")" hp0 "ports in NS_A's dump"
	check_eq "$(jq -r '.[0].stages.stage | length' <<<"$dump")" \
		"$(jq -r '.stages.stage | length' <<<"$out")" "stages in the dump as in --do"
	dump=$(ynl_ns "$NS_B" --dump stats-get)
	check_eq "$(jq -r '[.[].ifname] | join(" ")' <<<"$dump")" hp1 "ports in NS_B's dump"
	check_eq "$(jq -r '.[0].counters."rx-packets"' <<<"$dump")" \
		"$(hp_counter "$NS_B" hp1 rx_packets)" "hp1 rx-packets vs hotpath -j stats"
	log_test "stats-get --dump: the ports of the caller's namespace only"
}

# counter-names-get: the module's counter list, in id order, is what
# hotpath(8) prints as its keys (it takes them from there), what ethtool -S
# shows first, and every counter the spec has; an attribute is refused.
test_counter_names()
{
	local out names ids want rc

	RET=0
	out=$(ynl --do counter-names-get)
	check_err $? "counter-names-get: $out"
	names=$(jq -r '[."counter-names"[][] | .name] | join(" ")' <<<"$out")
	ids=$(jq -r '[."counter-names"[][] | .id] | join(" ")' <<<"$out")
	check_eq "$(jq -r '[."counter-names"[] | keys[0]] | join(" ")' <<<"$out")" "$ids" \
		"each entry's attribute type is its id"
	check_eq "$ids" "$(seq -s ' ' 1 "$(wc -w <<<"$ids")")" "ids 1..N in order"
	want=$(hotpath -j stats hp0 | jq -r '.[0].counters | keys_unsorted | join(" ")')
	check_eq "$names" "$want" "names vs hotpath -j stats keys"
	want=$(ethtool -S hp0 | awk 'NR > 1 { sub(":", "", $1); print $1 }' |
	       head -n "$(wc -w <<<"$names")" | tr '\n' ' ')
	check_eq "$names " "$want" "names vs the first ethtool -S strings"
	# the spec's counters set, in its order (cli.py's names, "-" for "_")
	want=$(ynl --do stats-get --json '{"ifname": "hp0"}' |
	       jq -r '.counters | keys_unsorted | join(" ")' | tr - _ |
	       sed 's/tx_cmpl_delayed/tx_completions_delayed/')
	check_eq "$names" "$want" "names vs the spec's counters"
	out=$(ynl --do counter-names-get --json '{"ifname": "hp0"}' 2>&1)
	rc=$?
	check_eq "$rc" 1 "counter-names-get with ifname: exit status"
	grep -qF "Netlink error: Invalid argument" <<<"$out"
	check_err $? "counter-names-get with ifname: not EINVAL: $out"
	log_test "counter-names-get: $(wc -w <<<"$names") counters, the names hotpath, ethtool -S and the spec use"
}

# The kernel's policies (CTRL_CMD_GETPOLICY through cli.py's nlctrl spec)
# against the spec, every op, attribute, type and range (ynl_policy.py).
test_policy()
{
	local out pol

	RET=0
	pol=$(mktemp)
	python3 "$CLI" --no-schema --spec "$YNL_DIR/Documentation/netlink/specs/nlctrl.yaml" \
		--output-json --dump getpolicy --json '{"family-name": "hotpath"}' > "$pol"
	check_err $? "getpolicy for hotpath failed: $(head -c 300 "$pol")"
	out=$(python3 "$(dirname "$0")/ynl_policy.py" "$SPEC" "$pol" 2>&1)
	check_err $? "$(grep -v '^ok' <<<"$out"; echo "getpolicy: $(head -c 2000 "$pol")")"
	echo "$out" | sed 's/^/# /'
	rm -f "$pol"
	log_test "policy: every op's attributes, types and ranges in the module are the spec's"
}

hp_mod_load pairs=1 || hp_fail "cannot load hotpath.ko"
test_policy
test_do_get
test_dump_get
test_set
test_refused
test_eperm
test_notify
test_counter_names
test_stats
exit "$EXIT_STATUS"
