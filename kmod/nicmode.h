/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rx-mode on another driver's device: the kernel's own busy-polling knobs
 * (napi_defer_hard_irqs, gro_flush_timeout), set to the busy-poll recipe
 * and put back as they were.
 */
#ifndef _HP_NICMODE_H
#define _HP_NICMODE_H

#include <linux/netdevice.h>
#include <linux/types.h>

struct netlink_ext_ack;

/* What busy-poll found, while hotpath holds the device in busy-poll. */
struct hp_nicmode {
	bool held;
	u32 defer_hard_irqs;
	unsigned long gro_flush_timeout;
};

/* The mode the knobs say now, whoever set them (enum hotpath_rx_mode). */
u8 hp_nicmode_get(const struct net_device *dev);

/* The knobs as they are now, for netlink. */
u32 hp_nicmode_defer_hard_irqs(const struct net_device *dev);
u64 hp_nicmode_gro_flush_timeout(const struct net_device *dev);

/* Switch @dev to @mode (enum hotpath_rx_mode).  RTNL. */
void hp_nicmode_set(struct net_device *dev, struct hp_nicmode *m, u8 mode);

/* Put back what busy-poll found, if it holds the device.  RTNL. */
void hp_nicmode_release(struct net_device *dev, struct hp_nicmode *m);

#endif /* _HP_NICMODE_H */
