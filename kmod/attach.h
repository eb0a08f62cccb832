/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stage accounting attached to another driver's net_device: which devices
 * are attached, their lifetime (netlink attaches and detaches, the netdev
 * notifier detaches a device that unregisters or leaves its netns, module
 * exit detaches the rest), and what netlink reports of them.  The hooks
 * that time their packets are nicpath.c's.
 */
#ifndef _HP_ATTACH_H
#define _HP_ATTACH_H

#include <linux/netdevice.h>
#include <linux/types.h>

struct netlink_ext_ack;
struct hp_acct;

/* Whether @dev has accounting attached.  RTNL. */
bool hp_attach_is(const struct net_device *dev);

/*
 * Attach (@on) or detach accounting to @dev, a device of another driver.
 * Idempotent; RTNL, process context.
 */
int hp_attach_set(struct net_device *dev, bool on, struct netlink_ext_ack *extack);

/*
 * rx-mode (enum hotpath_rx_mode) of attached @dev through the kernel's
 * busy-poll knobs (nicmode.c); -ENODEV if not attached.  RTNL.
 */
int hp_attach_set_rx_mode(struct net_device *dev, u8 mode);

/* The offset of @dev's PHC to CLOCK_MONOTONIC.  RTNL; @dev attached. */
void hp_attach_set_phc_offset(struct net_device *dev, s64 ns);
bool hp_attach_phc_offset(const struct net_device *dev, s64 *ns);

/* @dev's driver as ethtool -i names it (any device).  RTNL. */
const char *hp_attach_driver(const struct net_device *dev, char *buf, size_t len);

/* N of @dev's /dev/ptpN, -1 for none (ethtool -T).  RTNL. */
int hp_attach_phc_index(struct net_device *dev);

/* @dev's accounting if attached, else NULL; any context (probes.c). */
struct hp_acct *hp_attach_acct(const struct net_device *dev);

/* Module init/exit (main.c). */
int hp_attach_init(void);
void hp_attach_exit(void);

#endif /* _HP_ATTACH_H */
