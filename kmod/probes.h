/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-path probes: tx_stack and rx_wakeup, timed from probes on core
 * kernel tracepoints, and tx_qdisc's start (the skb reaching the device
 * queue).
 */
#ifndef _HP_PROBES_H
#define _HP_PROBES_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

struct hp_config;
struct hp_stats;

/*
 * A port's configuration changes from @old to @new (@old NULL: the port is
 * being created, @new NULL: destroyed).  Applies cfg->stats_enabled and
 * cfg->probes to the port's accounting and registers the core tracepoint
 * probes when the first port needs them and unregisters them (waiting for
 * running probes) when the last stops.  RTNL held, process context: call it
 * from hp_device_publish_config() and on port creation/destruction.
 */
void hp_probes_config(struct net_device *dev, const struct hp_config *old,
		      const struct hp_config *new);

/* Module exit: unregister whatever is still registered. */
void hp_probes_exit(void);

/*
 * TX, in ndo_start_xmit once the frame has its sequence number, when the
 * port's stats are on: records tx_qdisc (the skb reaching the device
 * queue, net_dev_queue, until @now) and, with probes on, tx_stack (its
 * send() syscall entry until the device queue).  Records nothing for skbs
 * whose queueing was not seen.  BH disabled.
 */
void hp_probes_tx_xmit(struct hp_stats *st, const struct net_device *dev,
		       const struct sk_buff *skb, u32 seq, u64 now);

/*
 * RX: call right before handing @skb to the stack (napi_gro_receive,
 * netif_receive_skb), with the frame's sequence number ...
 */
void hp_probes_rx_handoff(struct hp_stats *st, const struct sk_buff *skb,
			  u32 seq);
/*
 * ... and right after that call returned, with the value of skb->head read
 * BEFORE the handoff (never dereferenced: the stack owns the skb now) and
 * hp_stages_now(), the moment rx_stack ends (the frame is on the socket
 * queue) and rx_wakeup starts.  Both are no-ops unless the port's probes
 * are on.  BH disabled.
 */
void hp_probes_rx_queued(struct hp_stats *st, const void *head, u64 now);

#endif /* _HP_PROBES_H */
