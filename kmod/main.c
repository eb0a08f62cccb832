// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath: an emulated low-latency NIC whose datapath stages can be toggled
 * and measured.  This file only wires module init and exit.
 *
 * Leak accounting: ports_alive and buffers_alive (read-only parameters in
 * /sys/module/hotpath/parameters/) count ports and ring allocations that
 * exist right now; both are 0 once every port is gone.  They are touched
 * only on slow paths.  At exit, anything still alive is reported with
 * pr_warn ("hotpath: exit: N ports, M buffers leaked") so a console scan
 * catches what the counters, gone with the module, no longer can.
 * attached_alive (attach.c) counts the devices of other drivers with
 * accounting attached.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "attach.h"
#include "device.h"
#include "fault.h"
#include "netlink.h"
#include "probes.h"
#include "xsk.h"

#define HP_PAIRS_MAX	64

static unsigned int pairs = 1;
module_param(pairs, uint, 0444);
MODULE_PARM_DESC(pairs,
		 "port pairs (hp0<->hp1, ...) created at load, 0.." __stringify(HP_PAIRS_MAX));

atomic_long_t hp_ports_alive = ATOMIC_LONG_INIT(0);
atomic_long_t hp_buffers_alive = ATOMIC_LONG_INIT(0);

static int hp_param_get_alive(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(kp->arg));
}

static const struct kernel_param_ops hp_param_alive_ops = {
	.get = hp_param_get_alive,
};

module_param_cb(ports_alive, &hp_param_alive_ops, &hp_ports_alive, 0444);
MODULE_PARM_DESC(ports_alive, "ports that exist now (read only)");
module_param_cb(buffers_alive, &hp_param_alive_ops, &hp_buffers_alive, 0444);
MODULE_PARM_DESC(buffers_alive, "ring allocations that exist now (read only)");

static int hp_create_pairs(unsigned int n)
{
	unsigned int i;
	int err = 0;

	rtnl_lock();
	for (i = 0; i < n && !err; i++)
		err = hp_device_create_pair(&init_net);
	rtnl_unlock();
	return err;
}

/* The core-path probes' view: a port's accounting, or an attached device's. */
static struct hp_acct *hp_acct_of(const struct net_device *dev)
{
	return hp_device_acct(dev) ?: hp_attach_acct(dev);
}

static int __init hp_init(void)
{
	int err;

	if (pairs > HP_PAIRS_MAX) {
		pr_err("pairs=%u is above the bound of %u\n", pairs, HP_PAIRS_MAX);
		return -EINVAL;
	}

	/* before any port: the probes find ports' accounting through it */
	hp_probes_init(hp_acct_of);
	err = hp_fault_init();
	if (err)
		return err;
	err = hp_xsk_init();
	if (err)
		goto err_fault;
	err = hp_attach_init();
	if (err)
		goto err_xsk;
	err = rtnl_link_register(&hp_device_link_ops);
	if (err)
		goto err_attach;
	err = hp_netlink_init();
	if (err)
		goto err_link;
	err = hp_create_pairs(pairs);
	if (err) {
		pr_err("creating %u pairs: %d\n", pairs, err);
		goto err_netlink;
	}
	return 0;

err_netlink:
	hp_netlink_uninit();
err_link:
	/* also deletes the pairs created before the failure */
	rtnl_link_unregister(&hp_device_link_ops);
	hp_probes_exit();
	rcu_barrier();
err_attach:
	hp_attach_exit();
err_xsk:
	hp_xsk_exit();
err_fault:
	hp_fault_exit();
	return err;
}

static void __exit hp_exit(void)
{
	long ports, buffers;

	hp_netlink_uninit();
	/* detaches every attached device (nothing attaches any more) */
	hp_attach_exit();
	/* deletes every pair in every netns */
	rtnl_link_unregister(&hp_device_link_ops);
	hp_probes_exit();
	/* kfree_rcu() of configurations and call_rcu() of the core */
	rcu_barrier();
	hp_xsk_exit();
	hp_fault_exit();

	ports = atomic_long_read(&hp_ports_alive);
	buffers = atomic_long_read(&hp_buffers_alive);
	if (ports || buffers)
		pr_warn("exit: %ld ports, %ld buffers leaked\n", ports, buffers);
}

module_init(hp_init);
module_exit(hp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("hotpath developers");
MODULE_DESCRIPTION("hotpath: emulated low-latency NIC with per-stage latency accounting");
/* From the top-level VERSION file (kmod/Kbuild); `hotpath --version` shows it too. */
MODULE_VERSION(HOTPATH_VERSION);
MODULE_ALIAS_RTNL_LINK("hotpath");
