/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hardware timestamps (tstamp.c): which SIOCSHWTSTAMP setting the NIC
 * grants, ethtool -T, and the datapath hooks that stamp frames at the
 * modelled wire times against the port's PHC (ptp.c).
 *
 * What is stamped when (model times, see engine.c):
 *  - TX: the PHC time the frame's first bit goes on the wire (after the
 *    descriptor fetch and DMA, or the PIO write; in CTPIO ct as soon as
 *    ctpio-thresh bytes are in), reported with skb_tstamp_tx() when NAPI
 *    reaps the completion;
 *  - RX: the receiving port's PHC time the frame's last bit arrived, i.e.
 *    the sender's first bit plus its tx_wire (serialisation of frame, FCS,
 *    preamble and IFG at the link speed, plus PHY latency).
 * So with both clocks free running at the same rate, RX - TX of one frame
 * is exactly tx_wire (rounded to ns once) plus the two clocks' offset.
 */
#ifndef _HP_TSTAMP_H
#define _HP_TSTAMP_H

#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "compat.h"
#include "config.h"

/*
 * xmit: the skb asks for a TX hardware stamp and the port grants them
 * (tx_type ON): mark it in progress, before skb_tx_timestamp(), so the
 * stack leaves the software stamp to us (unless OPT_TX_SWHW).
 */
static inline void hp_tstamp_xmit(const struct hp_config *cfg, struct sk_buff *skb)
{
	if (unlikely(skb_shinfo(skb)->tx_flags & SKBTX_HW_TSTAMP) &&
	    cfg->hwts_tx == HWTSTAMP_TX_ON)
		skb_shinfo(skb)->tx_flags |= SKBTX_IN_PROGRESS;
}

/* Engine: does this frame want its TX stamp? */
static inline bool hp_tstamp_tx_wanted(const struct sk_buff *skb)
{
	return unlikely(skb_shinfo(skb)->tx_flags & SKBTX_IN_PROGRESS);
}

/* Completion reaped: report the stamp taken by the engine. */
static inline void hp_tstamp_tx_done(struct sk_buff *skb, u64 phc_ns)
{
	struct skb_shared_hwtstamps hwts = { .hwtstamp = ns_to_ktime(phc_ns) };

	skb_tstamp_tx(skb, &hwts);
}

/* Engine, on the receiving port: does it stamp received frames? */
static inline bool hp_tstamp_rx_wanted(const struct hp_config *cfg)
{
	return unlikely(cfg->hwts_rx != HWTSTAMP_FILTER_NONE);
}

static inline void hp_tstamp_rx(struct sk_buff *skb, u64 phc_ns)
{
	skb_hwtstamps(skb)->hwtstamp = ns_to_ktime(phc_ns);
}

/*
 * SIOCSHWTSTAMP: check @hc against what the NIC can do and turn its
 * rx_filter into the one granted.  0, or -EINVAL/-ERANGE (nothing granted).
 */
int hp_tstamp_grant(struct hwtstamp_config *hc);

/* ethtool get_ts_info. */
int hp_tstamp_get_ts_info(struct net_device *dev, struct hp_ethtool_ts_info *info);

#endif /* _HP_TSTAMP_H */
