#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Requests the CLI never sends, over a raw generic netlink socket (ctl_raw):
# read-only attributes in SET (EOPNOTSUPP), unknown attributes and wrong
# attribute types (EINVAL, strict validation), a missing or zero port id;
# each with an extack message and offset pointing at the attribute, and no
# change to the configuration.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd hotpath jq

CTL_RAW=$(hp_helper ctl_raw)

# expect CASE ERR OFFS: the answer to CASE is ERR, its offset OFFS
# (bad-attr: the offending attribute; none), with a message.
expect()
{
	local cs=$1 err=$2 offs=$3 out before after

	RET=0
	before=$(hotpath -j show)
	echo "COMMAND: ctl_raw $cs hp0"
	out=$("$CTL_RAW" "$cs" hp0)
	check_err $? "ctl_raw $cs failed"
	echo "    $out"
	check_eq "$(sed -n 's/^err=\([^ ]*\) .*/\1/p' <<<"$out")" "$err" "errno"
	check_eq "$(sed -n 's/.* offs=\([^ ]*\) .*/\1/p' <<<"$out")" "$offs" "extack offset"
	[ -n "$(sed -n 's/.* msg=//p' <<<"$out")" ]
	check_err $? "no extack message"
	after=$(hotpath -j show)
	check_eq "$after" "$before" "configuration after the request"
	log_test "raw $cs: $err, attribute pointed at ($offs)"
}

hp_mod_load || hp_fail "cannot load hotpath.ko"
expect ro-ring EOPNOTSUPP bad-attr
expect ro-peer EOPNOTSUPP bad-attr
expect unknown-attr EINVAL bad-attr
expect bad-len EINVAL bad-attr
expect bad-len-nested EINVAL bad-attr
expect get-extra EINVAL bad-attr
expect get-ifindex-zero ERANGE bad-attr
expect get-none EINVAL none
exit "$EXIT_STATUS"
