/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach hooks: stage accounting on the path of a device hotpath does
 * not drive (igb, e1000e, mlx5, ...), from probes on the core kernel's
 * tracepoints around that driver.  attach.c decides which devices are
 * attached (netlink, netdev notifier); this file times their packets.
 */
#ifndef _HP_NICPATH_H
#define _HP_NICPATH_H

#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct hp_acct;

/* Vectors of one device we follow: a multi-queue NIC's MSI-X vectors. */
#define HP_NIC_MAX_IRQS	64

/* An attached device, owned by attach.c, published here. */
struct hp_nic {
	struct hlist_node node;		/* the attached devices' table (RCU) */
	struct net_device *dev;		/* held (netdev_hold) while attached */
	netdevice_tracker tracker;
	struct hp_acct *acct;
	s64 phc_offset_ns;		/* its PHC minus CLOCK_MONOTONIC */
	bool phc_mapped;		/* phc_offset_ns was set */
	unsigned int nr_irqs;
	int irqs[HP_NIC_MAX_IRQS];	/* its interrupt vectors' IRQs */
};

/*
 * Publish @nic (RTNL): its packets are timed from now on.  The first
 * device registers the hooks; fails (nothing published) when a hook
 * cannot be registered.
 */
int hp_nicpath_add(struct hp_nic *nic);

/*
 * Unpublish @nic (RTNL, process context) and wait until no hook can still
 * see it; the last device unregisters the hooks.  The caller frees it.
 */
void hp_nicpath_del(struct hp_nic *nic);

/* @nic's vectors changed (RTNL): the interrupt hook's table follows. */
void hp_nicpath_irqs_changed(void);

/* The attached device @dev, or NULL; RCU (any context the hooks run in). */
struct hp_nic *hp_nicpath_find(const struct net_device *dev);

/* Any attached device, NULL when there is none.  RTNL. */
struct hp_nic *hp_nicpath_any(void);

/* @dev's accounting if it is attached, else NULL; any context. */
struct hp_acct *hp_nicpath_acct(const struct net_device *dev);

#endif /* _HP_NICPATH_H */
