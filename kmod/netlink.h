/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HP_NETLINK_H
#define _HP_NETLINK_H

#include <linux/netdevice.h>

int hp_netlink_init(void);
void hp_netlink_uninit(void);
struct hp_config;
struct netlink_ext_ack;

/*
 * Validate @new against the port (ring sizes etc.) and, if it is valid and
 * differs from the current one, publish a copy of it as the port's
 * configuration (the old one is freed after a grace period) and announce
 * it on the "config" multicast group.  RTNL held.  On error nothing
 * changes and @extack (may be NULL) says why.
 */
int hp_netlink_publish(struct net_device *dev, const struct hp_config *new,
		       struct netlink_ext_ack *extack);

/* Announce @dev's configuration on the "config" group.  RTNL held. */
void hp_netlink_notify(struct net_device *dev);

#endif /* _HP_NETLINK_H */
