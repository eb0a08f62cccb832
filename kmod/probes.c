// SPDX-License-Identifier: GPL-2.0
/* Kernel-path probes (stub: being written). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rtnetlink.h>

#include "config.h"
#include "stages.h"
#include "probes.h"

void hp_probes_config(struct net_device *dev, const struct hp_config *old,
		      const struct hp_config *new)
{
	struct hp_stats *st = hp_device_stats(dev);

	if (st && new) {
		hp_stages_set_enabled(st, new->stats_enabled);
		hp_stages_set_probes(st, new->probes);
	}
}

void hp_probes_exit(void)
{
}

void hp_probes_tx_xmit(struct hp_stats *st, const struct net_device *dev,
		       const struct sk_buff *skb, u32 seq, u64 now)
{
}

void hp_probes_rx_handoff(struct hp_stats *st, const struct sk_buff *skb,
			  u32 seq)
{
}

void hp_probes_rx_queued(struct hp_stats *st, const void *head, u64 now)
{
}
