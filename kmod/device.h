/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hotpath port as the rest of the module sees it: a net_device whose
 * private data (struct hp_port, private to the datapath files) holds the
 * rings, NAPI, the emulated interrupt and the published configuration.
 */
#ifndef _HP_DEVICE_H
#define _HP_DEVICE_H

#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/atomic.h>
#include <net/rtnetlink.h>
#include <hotpath/settings.h>	/* HP_RING_MIN/MAX */

struct hp_config;

bool hp_device_is_port(const struct net_device *dev);

/* The current configuration.  RTNL held. */
const struct hp_config *hp_device_config(const struct net_device *dev);

/*
 * Publish @cfg (ownership passes to the port) as the port's configuration,
 * apply its side effects on the running datapath (interrupt masking, timers)
 * and free the previous one after an RCU grace period.  RTNL held; @cfg has
 * been validated by hp_netlink_publish().
 */
void hp_device_publish_config(struct net_device *dev, struct hp_config *cfg);

/* The other end of the pair, or NULL while it is being destroyed.  RTNL. */
struct net_device *hp_device_peer(const struct net_device *dev);

/* Versions the pairs (see hp_device_link()); with dev_base_seq, dumps. */
unsigned int hp_device_generation(void);

void hp_device_ring_sizes(const struct net_device *dev, u32 *rx, u32 *tx);
/* ethtool -G; fails with EBUSY while the port is up. RTNL held. */
int hp_device_set_ring_sizes(struct net_device *dev, u32 rx, u32 tx,
			     struct netlink_ext_ack *extack);

/* N of the port's /dev/ptpN. */
int hp_device_phc_index(const struct net_device *dev);

/*
 * The port's stage accounting object (stages.c allocates it, the port owns
 * it), NULL if @dev is no hotpath port.  Valid while the net_device is;
 * any context (the core tracepoint probes call it, via hp_probes_init()).
 */
struct hp_acct;
struct hp_acct *hp_device_acct(const struct net_device *dev);

/* Module init/exit (main.c): the link type and the pairs made at load. */
extern struct rtnl_link_ops hp_device_link_ops;
int hp_device_create_pair(struct net *net);

/* Module-wide leak accounting (slow paths only), defined in main.c. */
extern atomic_long_t hp_ports_alive;
extern atomic_long_t hp_buffers_alive;

#endif /* _HP_DEVICE_H */
