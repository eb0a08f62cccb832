// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware timestamping configuration, the usual way: SIOCSHWTSTAMP and
 * SIOCGHWTSTAMP through ndo_eth_ioctl (both supported kernels route the
 * ioctls there for drivers without ndo_hwtstamp_set; the core has already
 * checked CAP_NET_ADMIN, the flags and the enum ranges), and ethtool -T.
 *
 * The granted setting is part of the port's configuration (hwts_tx,
 * hwts_rx), so it is published with RCU to the datapath, shown by
 * `hotpath show` and announced on the "config" group like any change.
 * The NIC stamps every received frame or none: any rx_filter other than
 * NONE is granted as ALL, and the reply says so, as drivers without
 * per-class filters do (ptp4l accepts ALL for its PTP filters).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "config.h"
#include "device.h"
#include "netlink.h"
#include "port.h"
#include "ptp.h"
#include "tstamp.h"

static int hp_tstamp_get(struct net_device *dev, struct ifreq *ifr)
{
	const struct hp_config *cfg = hp_device_config(dev);
	struct hwtstamp_config hc = {
		.tx_type = cfg->hwts_tx,
		.rx_filter = cfg->hwts_rx,
	};

	return copy_to_user(ifr->ifr_data, &hc, sizeof(hc)) ? -EFAULT : 0;
}

/* The filter granted for @filter, or -ERANGE. */
static int hp_tstamp_grant_rx(int filter)
{
	switch (filter) {
	case HWTSTAMP_FILTER_NONE:
		return HWTSTAMP_FILTER_NONE;
	case HWTSTAMP_FILTER_ALL:
	case HWTSTAMP_FILTER_SOME:
	case HWTSTAMP_FILTER_PTP_V1_L4_EVENT:
	case HWTSTAMP_FILTER_PTP_V1_L4_SYNC:
	case HWTSTAMP_FILTER_PTP_V1_L4_DELAY_REQ:
	case HWTSTAMP_FILTER_PTP_V2_L4_EVENT:
	case HWTSTAMP_FILTER_PTP_V2_L4_SYNC:
	case HWTSTAMP_FILTER_PTP_V2_L4_DELAY_REQ:
	case HWTSTAMP_FILTER_PTP_V2_L2_EVENT:
	case HWTSTAMP_FILTER_PTP_V2_L2_SYNC:
	case HWTSTAMP_FILTER_PTP_V2_L2_DELAY_REQ:
	case HWTSTAMP_FILTER_PTP_V2_EVENT:
	case HWTSTAMP_FILTER_PTP_V2_SYNC:
	case HWTSTAMP_FILTER_PTP_V2_DELAY_REQ:
	case HWTSTAMP_FILTER_NTP_ALL:
		return HWTSTAMP_FILTER_ALL;
	}
	return -ERANGE;
}

static int hp_tstamp_set(struct net_device *dev, struct ifreq *ifr)
{
	struct hwtstamp_config hc;
	struct hp_config *cfg;
	int rx, err;

	if (copy_from_user(&hc, ifr->ifr_data, sizeof(hc)))
		return -EFAULT;
	/* HWTSTAMP_FLAG_BONDED_PHC_INDEX is for bonds, not for a NIC */
	if (hc.flags)
		return -EINVAL;
	if (hc.tx_type != HWTSTAMP_TX_OFF && hc.tx_type != HWTSTAMP_TX_ON)
		return -ERANGE;		/* one-step sync needs PTP parsing */
	rx = hp_tstamp_grant_rx(hc.rx_filter);
	if (rx < 0)
		return rx;

	cfg = kmemdup(hp_device_config(dev), sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->hwts_tx = hc.tx_type;
	cfg->hwts_rx = rx;
	err = hp_netlink_publish(dev, cfg, NULL);
	kfree(cfg);
	if (err)
		return err;

	hc.rx_filter = rx;
	return copy_to_user(ifr->ifr_data, &hc, sizeof(hc)) ? -EFAULT : 0;
}

int hp_tstamp_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd)
{
	ASSERT_RTNL();

	switch (cmd) {
	case SIOCSHWTSTAMP:
		return hp_tstamp_set(dev, ifr);
	case SIOCGHWTSTAMP:
		return hp_tstamp_get(dev, ifr);
	}
	return -EOPNOTSUPP;
}

int hp_tstamp_get_ts_info(struct net_device *dev, struct hp_ethtool_ts_info *info)
{
	info->so_timestamping = SOF_TIMESTAMPING_TX_HARDWARE |
				SOF_TIMESTAMPING_RX_HARDWARE |
				SOF_TIMESTAMPING_RAW_HARDWARE |
				SOF_TIMESTAMPING_TX_SOFTWARE |
				SOF_TIMESTAMPING_RX_SOFTWARE |
				SOF_TIMESTAMPING_SOFTWARE;
	info->phc_index = hp_ptp_index(hp_port(dev)->ptp);
	info->tx_types = BIT(HWTSTAMP_TX_OFF) | BIT(HWTSTAMP_TX_ON);
	info->rx_filters = BIT(HWTSTAMP_FILTER_NONE) | BIT(HWTSTAMP_FILTER_ALL);
	return 0;
}
