// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware timestamping: what the NIC can stamp (ethtool -T) and which
 * SIOCSHWTSTAMP request it grants.  The NIC stamps every received frame or
 * none: any rx_filter other than NONE is granted as ALL, as drivers without
 * per-class filters do (ptp4l accepts ALL for its PTP filters).
 *
 * The ioctl itself is control plane (ethtool.c): the granted setting is part
 * of the port's configuration (hwts_tx, hwts_rx), published like any change.
 * This file sits below it with the datapath's stamping hooks (tstamp.h) and
 * calls nothing above the port.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ethtool.h>
#include <linux/net_tstamp.h>

#include "port.h"
#include "ptp.h"
#include "tstamp.h"

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

int hp_tstamp_grant(struct hwtstamp_config *hc)
{
	int rx;

	/* HWTSTAMP_FLAG_BONDED_PHC_INDEX is for bonds, not for a NIC */
	if (hc->flags)
		return -EINVAL;
	if (hc->tx_type != HWTSTAMP_TX_OFF && hc->tx_type != HWTSTAMP_TX_ON)
		return -ERANGE;		/* one-step sync needs PTP parsing */
	rx = hp_tstamp_grant_rx(hc->rx_filter);
	if (rx < 0)
		return rx;
	hc->rx_filter = rx;
	return 0;
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
