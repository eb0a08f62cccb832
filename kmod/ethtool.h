/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HP_ETHTOOL_H
#define _HP_ETHTOOL_H

#include <linux/ethtool.h>
#include <linux/netdevice.h>

/*
 * The port's control-plane ops, for device.c to hand to the kernel: ethtool
 * and ndo_eth_ioctl (SIOCSHWTSTAMP, SIOCGHWTSTAMP; RTNL held).
 */
extern const struct ethtool_ops hp_ethtool_ops;
int hp_ethtool_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd);

#endif /* _HP_ETHTOOL_H */
