// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool ops of a hotpath port, and the hardware timestamping ioctls
 * (ndo_eth_ioctl).  Settings shared with the netlink family (coalescing,
 * tx-push, the stamping setting) go through hp_netlink_publish(), so a change
 * made here is validated the same way, seen by `hotpath show` and announced
 * on the "config" group.
 *
 *   ethtool -C rx-usecs/rx-frames/tx-usecs/tx-frames
 *	= HOTPATH_COALESCE_A_{RX,TX}_{USECS,FRAMES}
 *   ethtool -C adaptive-rx/adaptive-tx = HOTPATH_COALESCE_A_ADAPTIVE_{RX,TX}
 *   ethtool -G tx-push = HOTPATH_A_TX_PUSH
 *   ethtool -G rx/tx   = HOTPATH_A_{RX,TX}_RING_SIZE (read only in netlink)
 *   ethtool -S         = HOTPATH_A_COUNTERS, each stage's count and mean
 *   ethtool -T         = what tstamp.c says the NIC can stamp
 *   ethtool -a/-A      = 802.3x flow control, rx and tx pause (autoneg off:
 *			  the pair has no link negotiation); no netlink
 *			  attribute, `hotpath stats` shows its counters
 *   ethtool -I -a      = the PAUSE frame counters (tx/rx_pause_frames)
 *   ethtool --set-tunable pfc-prevention-tout
 *			= the pause storm bound of the receive side (ms;
 *			  0 never gives up, "auto" 500 ms)
 *   SIOCSHWTSTAMP      = HOTPATH_A_HWTSTAMP_{TX,RX_FILTER}, as tstamp.c grants
 *
 * Both supported kernels route SIOCSHWTSTAMP and SIOCGHWTSTAMP to
 * ndo_eth_ioctl for drivers without ndo_hwtstamp_set; the core has already
 * checked CAP_NET_ADMIN, the flags and the enum ranges.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "config.h"
#include "device.h"
#include "ethtool.h"
#include "netlink.h"
#include "stages.h"
#include "tstamp.h"

#define HP_DRV_NAME	"hotpath"

/*
 * -S: counters (ids 1..MAX), then count and mean per stage a port records,
 * then the peer.
 */
#define HP_ETH_N_COUNTERS	(__HOTPATH_CNT_MAX - 1)

static unsigned int hp_ethtool_stages(u8 *ids)
{
	return hp_stages_of_kind(HOTPATH_KIND_PORT, ids);
}

static void hp_ethtool_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	strscpy(info->driver, HP_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, HOTPATH_VERSION, sizeof(info->version));
	strscpy(info->bus_info, "emulated", sizeof(info->bus_info));
}

static int hp_ethtool_get_coalesce(struct net_device *dev, struct ethtool_coalesce *ec,
				   struct kernel_ethtool_coalesce *kec,
				   struct netlink_ext_ack *extack)
{
	const struct hp_config *cfg = hp_device_config(dev);

	ec->rx_coalesce_usecs = cfg->rx_usecs;
	ec->rx_max_coalesced_frames = cfg->rx_frames;
	ec->tx_coalesce_usecs = cfg->tx_usecs;
	ec->tx_max_coalesced_frames = cfg->tx_frames;
	ec->use_adaptive_rx_coalesce = cfg->adaptive_rx;
	ec->use_adaptive_tx_coalesce = cfg->adaptive_tx;
	return 0;
}

static int hp_ethtool_set_coalesce(struct net_device *dev, struct ethtool_coalesce *ec,
				   struct kernel_ethtool_coalesce *kec,
				   struct netlink_ext_ack *extack)
{
	struct hp_config *cfg;
	int err;

	cfg = kmemdup(hp_device_config(dev), sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->rx_usecs = ec->rx_coalesce_usecs;
	cfg->rx_frames = ec->rx_max_coalesced_frames;
	cfg->tx_usecs = ec->tx_coalesce_usecs;
	cfg->tx_frames = ec->tx_max_coalesced_frames;
	cfg->adaptive_rx = !!ec->use_adaptive_rx_coalesce;
	cfg->adaptive_tx = !!ec->use_adaptive_tx_coalesce;
	err = hp_netlink_publish(dev, cfg, extack);
	kfree(cfg);
	return err;
}

static void hp_ethtool_get_ringparam(struct net_device *dev, struct ethtool_ringparam *ring,
				     struct kernel_ethtool_ringparam *kring,
				     struct netlink_ext_ack *extack)
{
	const struct hp_config *cfg = hp_device_config(dev);
	u32 rx, tx;

	hp_device_ring_sizes(dev, &rx, &tx);
	ring->rx_max_pending = HP_RING_MAX;
	ring->tx_max_pending = HP_RING_MAX;
	ring->rx_pending = rx;
	ring->tx_pending = tx;
	kring->tx_push = cfg->tx_push;
}

static int hp_ethtool_set_ringparam(struct net_device *dev, struct ethtool_ringparam *ring,
				    struct kernel_ethtool_ringparam *kring,
				    struct netlink_ext_ack *extack)
{
	struct hp_config *cfg;
	u32 rx, tx;
	int err;

	ASSERT_RTNL();

	if (ring->rx_pending < HP_RING_MIN || ring->tx_pending < HP_RING_MIN) {
		NL_SET_ERR_MSG_MOD(extack, "ring sizes must be at least 64 descriptors");
		return -EINVAL;
	}

	cfg = kmemdup(hp_device_config(dev), sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->tx_push = !!kring->tx_push;

	/* Check the configuration against the new rings before touching them. */
	err = hp_config_validate(cfg, ring->rx_pending, ring->tx_pending, extack);
	if (err)
		goto out_free;

	hp_device_ring_sizes(dev, &rx, &tx);
	if (rx != ring->rx_pending || tx != ring->tx_pending) {
		err = hp_device_set_ring_sizes(dev, ring->rx_pending, ring->tx_pending, extack);
		if (err)
			goto out_free;
		/* Ring sizes are part of the announced port configuration. */
		if (cfg->tx_push == hp_device_config(dev)->tx_push)
			hp_netlink_notify(dev);
	}
	err = hp_netlink_publish(dev, cfg, extack);

out_free:
	kfree(cfg);
	return err;
}

/*
 * 802.3x flow control.  Off by default (config.c): the pair drops what a
 * slow receiver cannot take, as it always did, and a test or a user who
 * wants the lossless link of a lab pair with flow control turns it on.
 */
static void hp_ethtool_get_pauseparam(struct net_device *dev,
				      struct ethtool_pauseparam *pause)
{
	const struct hp_config *cfg = hp_device_config(dev);

	pause->autoneg = AUTONEG_DISABLE;
	pause->rx_pause = cfg->pause_rx;
	pause->tx_pause = cfg->pause_tx;
}

static int hp_ethtool_set_pauseparam(struct net_device *dev,
				     struct ethtool_pauseparam *pause)
{
	struct hp_config *cfg;
	int err;

	/* no autonegotiation on an emulated back-to-back link */
	if (pause->autoneg)
		return -EOPNOTSUPP;
	cfg = kmemdup(hp_device_config(dev), sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->pause_rx = !!pause->rx_pause;
	cfg->pause_tx = !!pause->tx_pause;
	err = hp_netlink_publish(dev, cfg, NULL);
	kfree(cfg);
	return err;
}

/* The core filled both with ETHTOOL_STAT_NOT_SET; a port counts both. */
static void hp_ethtool_get_pause_stats(struct net_device *dev,
				       struct ethtool_pause_stats *stats)
{
	u64 counters[__HOTPATH_CNT_MAX];

	memset(counters, 0, sizeof(counters));
	hp_stages_read_counters(hp_device_acct(dev), counters);
	stats->tx_pause_frames = counters[HOTPATH_CNT_TX_PAUSE_FRAMES];
	stats->rx_pause_frames = counters[HOTPATH_CNT_RX_PAUSE_FRAMES];
}

/* pfc-prevention-tout, the only tunable: the core checked its u16 type. */
static int hp_ethtool_get_tunable(struct net_device *dev,
				  const struct ethtool_tunable *tuna, void *data)
{
	const struct hp_config *cfg = hp_device_config(dev);

	if (tuna->id != ETHTOOL_PFC_PREVENTION_TOUT)
		return -EOPNOTSUPP;
	*(u16 *)data = cfg->pause_storm_ms;	/* 0 is PFC_STORM_PREVENTION_DISABLE */
	return 0;
}

static int hp_ethtool_set_tunable(struct net_device *dev,
				  const struct ethtool_tunable *tuna, const void *data)
{
	u16 ms = *(const u16 *)data;
	struct hp_config *cfg;
	int err;

	if (tuna->id != ETHTOOL_PFC_PREVENTION_TOUT)
		return -EOPNOTSUPP;
	if (ms == PFC_STORM_PREVENTION_AUTO)
		ms = HP_PAUSE_STORM_AUTO_MS;
	else if (ms > HP_PAUSE_STORM_MAX_MS)
		return -EINVAL;
	cfg = kmemdup(hp_device_config(dev), sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->pause_storm_ms = ms;
	err = hp_netlink_publish(dev, cfg, NULL);
	kfree(cfg);
	return err;
}

static int hp_ethtool_get_sset_count(struct net_device *dev, int sset)
{
	u8 ids[__HOTPATH_STAGE_MAX];

	switch (sset) {
	case ETH_SS_STATS:
		return HP_ETH_N_COUNTERS + 2 * hp_ethtool_stages(ids) + 1;
	default:
		return -EOPNOTSUPP;
	}
}

static void hp_ethtool_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	u8 ids[__HOTPATH_STAGE_MAX];
	unsigned int i, n;

	if (sset != ETH_SS_STATS)
		return;
	for (i = HOTPATH_CNT_UNSPEC + 1; i < __HOTPATH_CNT_MAX; i++)
		ethtool_sprintf(&data, "%s", hp_stages_counter_name(i));
	n = hp_ethtool_stages(ids);
	for (i = 0; i < n; i++) {
		ethtool_sprintf(&data, "%s_count", hp_stages_name(ids[i]));
		ethtool_sprintf(&data, "%s_mean_ns", hp_stages_name(ids[i]));
	}
	ethtool_sprintf(&data, "peer_ifindex");
}

static void hp_ethtool_get_stats(struct net_device *dev, struct ethtool_stats *stats, u64 *data)
{
	u64 counters[__HOTPATH_CNT_MAX];
	u8 ids[__HOTPATH_STAGE_MAX];
	struct hp_stage_summary s;
	struct net_device *peer;
	unsigned int i, n;

	memset(counters, 0, sizeof(counters));
	hp_stages_read_counters(hp_device_acct(dev), counters);
	for (i = HOTPATH_CNT_UNSPEC + 1; i < __HOTPATH_CNT_MAX; i++)
		*data++ = counters[i];
	n = hp_ethtool_stages(ids);
	for (i = 0; i < n; i++) {
		hp_stages_read(hp_device_acct(dev), ids[i], &s);
		*data++ = s.count;
		*data++ = s.mean_ns;
	}
	/* ethtool calls this under RTNL, which hp_device_peer() needs. */
	peer = hp_device_peer(dev);
	*data++ = peer ? peer->ifindex : 0;
}

static int hp_ethtool_get_hwtstamp(struct net_device *dev, struct ifreq *ifr)
{
	const struct hp_config *cfg = hp_device_config(dev);
	struct hwtstamp_config hc = {
		.tx_type = cfg->hwts_tx,
		.rx_filter = cfg->hwts_rx,
	};

	return copy_to_user(ifr->ifr_data, &hc, sizeof(hc)) ? -EFAULT : 0;
}

static int hp_ethtool_set_hwtstamp(struct net_device *dev, struct ifreq *ifr)
{
	struct hwtstamp_config hc;
	struct hp_config *cfg;
	int err;

	if (copy_from_user(&hc, ifr->ifr_data, sizeof(hc)))
		return -EFAULT;
	err = hp_tstamp_grant(&hc);
	if (err)
		return err;

	cfg = kmemdup(hp_device_config(dev), sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->hwts_tx = hc.tx_type;
	cfg->hwts_rx = hc.rx_filter;
	err = hp_netlink_publish(dev, cfg, NULL);
	kfree(cfg);
	if (err)
		return err;

	/* the reply says what was granted */
	return copy_to_user(ifr->ifr_data, &hc, sizeof(hc)) ? -EFAULT : 0;
}

int hp_ethtool_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd)
{
	ASSERT_RTNL();

	switch (cmd) {
	case SIOCSHWTSTAMP:
		return hp_ethtool_set_hwtstamp(dev, ifr);
	case SIOCGHWTSTAMP:
		return hp_ethtool_get_hwtstamp(dev, ifr);
	}
	return -EOPNOTSUPP;
}

const struct ethtool_ops hp_ethtool_ops = {
	.supported_coalesce_params	= ETHTOOL_COALESCE_USECS | ETHTOOL_COALESCE_MAX_FRAMES |
					  ETHTOOL_COALESCE_USE_ADAPTIVE,
	.supported_ring_params		= ETHTOOL_RING_USE_TX_PUSH,
	.get_drvinfo			= hp_ethtool_get_drvinfo,
	.get_link			= ethtool_op_get_link,
	.get_coalesce			= hp_ethtool_get_coalesce,
	.set_coalesce			= hp_ethtool_set_coalesce,
	.get_ringparam			= hp_ethtool_get_ringparam,
	.set_ringparam			= hp_ethtool_set_ringparam,
	.get_sset_count			= hp_ethtool_get_sset_count,
	.get_strings			= hp_ethtool_get_strings,
	.get_ethtool_stats		= hp_ethtool_get_stats,
	.get_ts_info			= hp_tstamp_get_ts_info,
	.get_pauseparam			= hp_ethtool_get_pauseparam,
	.set_pauseparam			= hp_ethtool_set_pauseparam,
	.get_pause_stats		= hp_ethtool_get_pause_stats,
	.get_tunable			= hp_ethtool_get_tunable,
	.set_tunable			= hp_ethtool_set_tunable,
};
