// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit, the driver's half: ndo_start_xmit writes a TX descriptor and
 * rings the doorbell, XDP (xdp.c) and AF_XDP (xsk.c) frames go on the same
 * ring, and NAPI reaps the completions.
 *
 * The NIC behind the doorbell is engine.c: it runs the descriptors inline,
 * in the doorbell write, and reports each in a TX completion ring, through
 * the (coalesced) TX vector to NAPI, which frees the skbs: never in xmit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <net/xdp.h>
#include <net/xdp_sock_drv.h>

#include "compat.h"
#include "engine.h"
#include "port.h"
#include "probes.h"
#include "tstamp.h"

/* XDP frames carry no skb, so no stamp request. */
static bool hp_tx_stamp_wanted(const struct hp_tx_desc *d)
{
	return d->skb && hp_tstamp_tx_wanted(d->skb);
}

static u32 hp_tx_in_use(const struct hp_tx_ring *tx)
{
	/* pairs with smp_store_release() in hp_tx_reap() */
	return tx->prod - smp_load_acquire(&tx->reaped);
}

/*
 * Write the next TX descriptor: one buffer, an skb, an XDP frame or a UMEM
 * frame (the other two NULL), @now its driver entry (0: accounting off).
 * The ring's producer only (TX queue lock), room already checked.
 */
static struct hp_tx_desc *hp_tx_desc_write(struct hp_tx_ring *tx,
					   struct sk_buff *skb,
					   struct xdp_frame *xdpf,
					   void *xsk_data, u32 len, u64 now)
{
	struct hp_tx_desc *d = &tx->desc[tx->prod & (tx->size - 1)];

	d->skb = skb;
	d->xdpf = xdpf;
	d->xsk_data = xsk_data;
	d->len = len;
	d->seq = tx->seq++;
	d->xmit_ns = now;
	tx->prod++;
	return d;
}

netdev_tx_t hp_tx_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct hp_port *port = hp_port(dev);
	const struct hp_config *cfg = hp_port_cfg(port);
	struct hp_tx_ring *tx = &port->tx;
	struct hp_stage_sample s[3];
	struct hp_tx_desc *d;
	u64 now = 0, desc_end;
	unsigned int n;

	/* the TX queue lock makes this the ring's only producer */
	hp_port_assert_engine(port);
	/* tx_qdisc (and tx_stack with probes on) end here, tx_desc starts */
	if (cfg->stats_enabled)
		now = hp_stages_now();

	if (unlikely(hp_tx_in_use(tx) >= tx->size)) {
		/* the queue should have been stopped: the stack requeues */
		if (now) {
			n = hp_probes_tx_xmit(skb, now, s);
			hp_stages_record_n(port->acct, dev, s, n, tx->seq, skb->len);
		}
		netif_stop_queue(dev);
		return NETDEV_TX_BUSY;
	}

	d = hp_tx_desc_write(tx, skb, NULL, NULL, skb->len, now);
	if (now) {
		/* the driver's stages in one record, none of it timed */
		desc_end = hp_stages_now();
		n = hp_probes_tx_xmit(skb, now, s);
		s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_TX_DESC, desc_end - now };
		hp_stages_record_n(port->acct, dev, s, n, d->seq, d->len);
	}
	hp_tstamp_xmit(cfg, skb);
	skb_tx_timestamp(skb);

	if (hp_tx_in_use(tx) >= tx->size) {
		netif_stop_queue(dev);
		/* pairs with smp_mb() in hp_tx_reap(): see its wake check */
		smp_mb();
		if (hp_tx_in_use(tx) < tx->size)
			netif_start_queue(dev);
	}

	if (!netdev_xmit_more() || netif_queue_stopped(dev))
		hp_engine_doorbell(port, cfg);
	return NETDEV_TX_OK;
}

/*
 * An XDP frame (XDP_TX from our NAPI, ndo_xdp_xmit) onto the ring, TX queue
 * lock held; the doorbell is hp_tx_kick()'s.  -ENOSPC when the ring is full.
 */
int hp_tx_xdp_frame(struct hp_port *port, struct xdp_frame *xdpf)
{
	const struct hp_config *cfg = hp_port_cfg(port);
	struct hp_tx_ring *tx = &port->tx;
	struct hp_tx_desc *d;
	u64 now = 0;

	hp_port_assert_engine(port);
	if (unlikely(hp_tx_in_use(tx) >= tx->size))
		return -ENOSPC;
	if (cfg->stats_enabled)
		now = hp_stages_now();
	d = hp_tx_desc_write(tx, NULL, xdpf, NULL, xdpf->len, now);
	if (now)
		hp_port_stage(port, HOTPATH_STAGE_TX_DESC, hp_stages_now() - now,
			      d->seq, d->len);
	return 0;
}

static bool hp_tx_has_room(struct hp_port *port)
{
	return hp_tx_in_use(&port->tx) < port->tx.size;
}

/*
 * A UMEM frame from the XSK TX ring onto the ring, TX queue lock held, room
 * checked with hp_tx_has_room(); the doorbell is hp_tx_xsk_xmit()'s.
 * @start: when NAPI began taking it from the XSK ring (0: stats off), the
 * start of the bypass path's one TX stage, xsk_tx.
 */
static void hp_tx_xsk_frame(struct hp_port *port, void *data, u32 len, u64 start)
{
	struct hp_tx_desc *d;

	hp_port_assert_engine(port);
	d = hp_tx_desc_write(&port->tx, NULL, NULL, data, len, start);
	if (start)
		hp_port_stage(port, HOTPATH_STAGE_XSK_TX, hp_stages_now() - start,
			      d->seq, d->len);
}

/* Ring the doorbell for descriptors written and not yet run.  TX lock held. */
void hp_tx_kick(struct hp_port *port)
{
	hp_port_assert_engine(port);
	if (port->tx.fetched != port->tx.prod)
		hp_engine_doorbell(port, hp_port_cfg(port));
}

/*
 * NAPI: the link partner's XON (or the storm bound, or new pause settings)
 * scheduled us while the NIC held the ring (engine.c): ring the doorbell
 * again, under the lock the engine needs, for the descriptors it stopped
 * at.  One plain load when nothing is held.
 */
void hp_tx_resume(struct hp_port *port)
{
	if (likely(!hp_port_tx_held(port)))
		return;
	hp_port_assert_napi_owner(port);
	hp_port_engine_lock(port);
	hp_tx_kick(port);
	hp_port_engine_unlock(port);
}

/*
 * AF_XDP zero-copy TX (a pool bound, xsk.c), from NAPI before RX: move
 * descriptors from the XSK TX ring onto the TX ring (at most @budget, while
 * there is room) and ring the doorbell once.
 * Returns true if the XSK ring may hold more: NAPI polls again.
 */
bool hp_tx_xsk_xmit(struct hp_port *port, int budget)
{
	struct xsk_buff_pool *pool = READ_ONCE(port->xsk_pool);
	bool account = hp_port_cfg(port)->stats_enabled;
	struct xdp_desc desc;
	u64 start = 0;
	bool more;
	int n = 0;

	if (!pool)
		return false;
	hp_port_assert_napi_owner(port);
	hp_port_engine_lock(port);
	/* xsk_tx: from taking the descriptor off the XSK ring to ours written */
	while (n < budget && hp_tx_has_room(port)) {
		void *data;

		if (account)
			start = hp_stages_now();
		if (!xsk_tx_peek_desc(pool, &desc))
			break;
		data = xsk_buff_raw_get_data(pool, desc.addr);
		xsk_buff_raw_dma_sync_for_device(pool, xsk_buff_raw_get_dma(pool, desc.addr),
						 desc.len);
		hp_tx_xsk_frame(port, data, desc.len, start);
		n++;
	}
	if (n) {
		xsk_tx_release(pool);
		hp_tx_kick(port);
	}
	/*
	 * the inline engine ran them: the next poll reaps and makes room;
	 * unless PAUSE holds the NIC: then nothing will, and the XON
	 * schedules NAPI (polling on would spin until it came)
	 */
	more = (n == budget || (n && !hp_tx_has_room(port))) && !hp_port_tx_held(port);
	hp_port_engine_unlock(port);

	if (n)
		hp_stages_add(port->acct, HOTPATH_CNT_XSK_TX_PACKETS, n);
	/* NAPI does not look at the XSK TX ring unless woken */
	if (xsk_uses_need_wakeup(pool))
		xsk_set_tx_need_wakeup(pool);
	return more;
}

/* @n XSK descriptors done, in ring order: the application gets the frames. */
static void hp_tx_xsk_completed(struct hp_port *port, u32 n)
{
	struct xsk_buff_pool *pool = READ_ONCE(port->xsk_pool);

	/* unbind cleared the descriptors of a pool gone */
	if (!WARN_ON_ONCE(!pool))
		xsk_tx_completed(pool, n);
}

static void hp_tx_free_desc(struct hp_tx_desc *d, int budget, bool ok)
{
	if (d->xsk_data)
		;	/* the UMEM frame goes back through the completion ring */
	else if (d->xdpf)
		xdp_return_frame(d->xdpf);
	else if (ok)
		napi_consume_skb(d->skb, budget);
	else
		dev_kfree_skb_any(d->skb);
	d->skb = NULL;
	d->xdpf = NULL;
	d->xsk_data = NULL;
}

/* NAPI: reap TX completions and free their skbs.  Also with budget 0. */
void hp_tx_reap(struct hp_port *port, int budget)
{
	struct hp_tx_ring *tx = &port->tx;
	u32 mask = tx->size - 1;
	/* pairs with smp_store_release() in hp_engine_doorbell() */
	u32 done = smp_load_acquire(&tx->done);
	u32 r = tx->reaped, n = 0, nxsk = 0;

	/* napi_consume_skb() and the per-CPU stats want BH off */
	hp_port_assert_bh();
	hp_port_assert_napi_owner(port);
	for (; r != done; r++, n++) {
		struct hp_tx_desc *d = &tx->desc[r & mask];
		bool ok = tx->cmpl[r & mask].status == HP_TXC_OK;

		/* a dropped frame's pending stamp goes with its skb */
		if (ok && hp_tx_stamp_wanted(d))
			hp_tstamp_tx_done(d->skb, tx->cmpl[r & mask].hwts_ns);
		if (!ok)
			hp_port_stats_tx_drop(port);
		if (d->xsk_data)
			nxsk++;
		tx->bytes += d->len;
		hp_tx_free_desc(d, budget, ok);
	}
	if (!n)
		return;
	/* sent or dropped, in ring order: the application gets the frames back */
	if (nxsk)
		hp_tx_xsk_completed(port, nxsk);
	hp_stages_add(port->acct, HOTPATH_CNT_TX_COMPLETIONS, n);
	/* pairs with smp_load_acquire() in hp_tx_in_use() */
	smp_store_release(&tx->reaped, r);

	/* pairs with smp_mb() in hp_tx_xmit() after stopping the queue */
	smp_mb();
	if (unlikely(netif_queue_stopped(port->dev)) &&
	    READ_ONCE(tx->prod) - r < tx->size)
		netif_wake_queue(port->dev);
}

/*
 * ndo_stop, NAPI disabled and xmit quiesced: free what the NIC completed
 * and drop (counted) what it never ran.
 */
void hp_tx_drain(struct hp_port *port)
{
	struct hp_tx_ring *tx = &port->tx;
	u32 mask = tx->size - 1;

	u32 nxsk = 0;

	local_bh_disable();
	hp_tx_reap(port, 0);
	for (; tx->reaped != tx->prod; tx->reaped++) {
		struct hp_tx_desc *d = &tx->desc[tx->reaped & mask];

		hp_port_count(port, HOTPATH_CNT_TX_DROP_TEARDOWN);
		hp_port_stats_tx_drop(port);
		if (d->xsk_data)
			nxsk++;
		hp_tx_free_desc(d, 0, false);
	}
	if (nxsk)
		hp_tx_xsk_completed(port, nxsk);
	local_bh_enable();
}

static void hp_tx_ring_rewind(struct hp_tx_ring *tx)
{
	tx->prod = 0;
	tx->fetched = 0;
	tx->done = 0;
	tx->reaped = 0;
}

void hp_tx_ring_reset(struct hp_port *port)
{
	hp_tx_ring_rewind(&port->tx);
}

/* A ring of @size descriptors and completions, every index at 0. */
int hp_tx_ring_alloc(struct hp_tx_ring *tx, u32 size)
{
	tx->desc = kvcalloc(size, sizeof(*tx->desc), GFP_KERNEL);
	if (!tx->desc)
		return -ENOMEM;
	tx->cmpl = kvcalloc(size, sizeof(*tx->cmpl), GFP_KERNEL);
	if (!tx->cmpl)
		goto err_free_desc;
	tx->size = size;
	hp_tx_ring_rewind(tx);
	atomic_long_add(2, &hp_buffers_alive);
	return 0;

err_free_desc:
	kvfree(tx->desc);
	tx->desc = NULL;
	return -ENOMEM;
}

/* The port is down or the ring never installed: no descriptor is in flight. */
void hp_tx_ring_free(struct hp_tx_ring *tx)
{
	if (!tx->desc)
		return;
	kvfree(tx->cmpl);
	kvfree(tx->desc);
	tx->cmpl = NULL;
	tx->desc = NULL;
	atomic_long_sub(2, &hp_buffers_alive);
}
