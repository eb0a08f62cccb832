/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HP_NETLINK_H
#define _HP_NETLINK_H

#include <linux/netdevice.h>

int hp_netlink_init(void);
void hp_netlink_uninit(void);
/* Announce @dev's configuration on the "config" group.  RTNL held. */
void hp_netlink_notify(struct net_device *dev);

#endif /* _HP_NETLINK_H */
