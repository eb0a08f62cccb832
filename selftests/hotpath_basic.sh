#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module load and unload: the default load gives one pair hp0 <-> hp1 driven
# by "hotpath"; unloading removes both.
source "$(dirname "$0")/lib.sh"

require_root

test_load()
{
	RET=0
	hp_mod_load
	check_err $? "insmod failed"
	run_cmd ip -d link show dev hp0
	check_err $? "hp0 missing"
	run_cmd ip -d link show dev hp1
	check_err $? "hp1 missing"
	[ ! -e /sys/class/net/hp2 ]
	check_err $? "default load made more than one pair"
	log_test "load gives hp0 and hp1"
}

test_driver()
{
	local drv

	RET=0
	drv=$(ethtool -i hp0 | awk '/^driver:/ {print $2}')
	check_eq "$drv" hotpath "ethtool -i hp0 driver"
	log_test "ethtool -i reports driver hotpath"
}

test_unload()
{
	RET=0
	run_cmd rmmod hotpath
	check_err $? "rmmod failed"
	[ ! -e /sys/class/net/hp0 ] && [ ! -e /sys/class/net/hp1 ]
	check_err $? "ports survive rmmod"
	[ ! -d /sys/module/hotpath ]
	check_err $? "module still listed"
	log_test "unload removes the ports"
}

test_load
test_driver
test_unload
exit "$EXIT_STATUS"
