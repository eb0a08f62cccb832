// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: the driver half (ndo_start_xmit writes a TX descriptor and rings
 * the doorbell) and the NIC engine behind the doorbell.
 *
 * The engine runs inline, on the CPU that wrote the doorbell, inside the
 * xmit call.  That keeps the model deterministic: no cross-CPU scheduling
 * noise (large under TCG) between the doorbell and the wire, and the single
 * TX queue lock the stack already holds makes this port's engine the only
 * writer of the peer's RX ring, so that ring needs no lock.  The engine
 * fetches the descriptor (skipped by TX push), "DMAs" the payload, puts it
 * on the wire and has the peer's NIC write it into a posted RX buffer: one
 * real memcpy, since both NICs sit in the same host.  In "enforced" timing
 * it busy-waits each modelled deadline so that the application sees them.
 *
 * Completions go to a TX completion ring, reported through the (coalesced)
 * TX vector to NAPI, which frees the skbs: never in xmit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <net/xdp.h>

#include "compat.h"
#include "fault.h"
#include "model.h"
#include "port.h"
#include "probes.h"
#include "ptp.h"
#include "tstamp.h"

/* Longest single busy-wait: a bad figure must not hang the CPU. */
#define HP_TX_MAX_WAIT_NS	(200 * NSEC_PER_USEC)

/* Stage records one frame can collect before it is delivered. */
#define HP_TX_PENDING		8

/* The engine's view of one doorbell. */
struct hp_engine {
	struct hp_port *port;
	const struct hp_config *cfg;
	const struct hp_model *m;
	bool enforce;		/* busy-wait the modelled deadlines */
	bool account;		/* record the stages */
	u64 base_ns;		/* the doorbell write started; 0: no clock */
	u64 t_ps;		/* modelled time since base_ns */
	u64 tx_hwts_ns;		/* TX stamp of the frame just sent (tstamp.h) */
	/*
	 * The frame's TX stages are recorded once it is delivered: their
	 * bookkeeping then runs after the peer has the frame, not inside
	 * the modelled time, where on an emulator's instruction-counting
	 * clock it would outlast a short modelled path (CTPIO) and be seen
	 * end to end in place of the model.
	 */
	unsigned int npend;
	struct hp_stage_sample pend[HP_TX_PENDING];
};

static void hp_tx_wait(const struct hp_engine *e)
{
	u64 deadline, now;

	if (!e->enforce)
		return;
	deadline = e->base_ns + hp_model_ps_to_ns(e->t_ps);
	now = ktime_get_ns();
	if (now >= deadline)
		return;
	if (deadline - now > HP_TX_MAX_WAIT_NS)
		deadline = now + HP_TX_MAX_WAIT_NS;
	/*
	 * No cpu_relax(): QEMU TCG, where the lab runs, hands the CPU to the
	 * next vCPU at every PAUSE, and on its instruction-counting clock
	 * that vCPU's loop iteration would then end the wait late by an
	 * amount that differs from one configuration to the next.  Without
	 * it the wait ends within one clock read of the deadline.  The spin
	 * is the modelled hardware's time, bounded by HP_TX_MAX_WAIT_NS.
	 */
	while (ktime_get_ns() < deadline)
		barrier();
}

static void hp_tx_stage(struct hp_engine *e, unsigned int stage, u64 ps,
			const struct hp_tx_desc *d)
{
	if (!e->account)
		return;
	if (e->npend < ARRAY_SIZE(e->pend)) {
		e->pend[e->npend].stage = stage;
		e->pend[e->npend].ns = hp_model_ps_to_ns(ps);
		e->npend++;
	} else {
		hp_port_stage(e->port, stage, hp_model_ps_to_ns(ps), d->seq, d->len);
	}
}

/* Record the stages hp_tx_stage() collected for frame @d, in order. */
static void hp_tx_stages_flush(struct hp_engine *e, const struct hp_tx_desc *d)
{
	if (!e->npend)
		return;
	hp_stages_record_n(e->port->acct, e->port->dev, e->pend, e->npend,
			   d->seq, d->len);
	e->npend = 0;
}

/* XDP frames carry no skb, so no stamp request. */
static bool hp_tx_stamp_wanted(const struct hp_tx_desc *d)
{
	return d->skb && hp_tstamp_tx_wanted(d->skb);
}

/*
 * Hardware stamps (tstamp.h) at the model's instants: the first bit leaves
 * tx_wire before the last one arrives at @wire_end_ps.  Both are rounded to
 * ns once, the RX one as TX plus tx_wire, so RX - TX is exactly the model's
 * tx_wire in either clock's ns.  A frame sent again after a poisoned CTPIO
 * send is stamped again: the stamps are those of the copy that arrived.
 * Returns HP_RXC_HWTS if the peer's completion carries an RX stamp.
 */
static u32 hp_tx_stamp(struct hp_engine *e, struct hp_port *peer,
		       const struct hp_tx_desc *d, bool rx, u64 wire_end_ps)
{
	u64 wire_ps = hp_model_tx_wire_ps(e->m, d->len);
	u64 first_ns;

	if (!e->base_ns)	/* accounted timing: start now */
		e->base_ns = ktime_get_ns();
	first_ns = e->base_ns + hp_model_ps_to_ns(wire_end_ps - wire_ps);
	if (hp_tx_stamp_wanted(d))
		e->tx_hwts_ns = hp_ptp_time(e->port->ptp, first_ns);
	if (!rx)
		return 0;
	hp_rx_nic_stamp(peer, hp_ptp_time(peer->ptp, first_ns + hp_model_ps_to_ns(wire_ps)));
	return HP_RXC_HWTS;
}

/*
 * The frame is on the wire until @wire_end_ps; the peer's NIC writes it into
 * its next posted buffer (rx_dma, the peer's figures) and completes it, or,
 * @poisoned, discards it for its bad FCS.
 */
static void hp_tx_deliver(struct hp_engine *e, struct hp_port *peer,
			  const struct hp_tx_desc *d, bool poisoned, u64 wire_end_ps)
{
	const struct hp_config *pcfg = hp_port_cfg(peer);
	struct hp_rx_buf *buf;
	u64 rx_ps, done_ns = 0;
	u32 status = 0;
	bool rx_stamp;

	if (poisoned) {
		/* on the wire all the same; the peer's MAC drops it at the end */
		e->t_ps = wire_end_ps;
		hp_tx_wait(e);
		hp_rx_nic_drop_fcs(peer, d->seq, d->len);
		hp_tx_stages_flush(e, d);
		return;
	}

	buf = hp_rx_nic_claim(peer, d->len);
	/* the copy is DMA, wire and RX DMA at once: both NICs are in this host */
	if (buf && d->len > buf->cap)
		status |= HP_RXC_TOO_LONG;	/* posted before the MTU grew */
	else if (buf && d->xdpf)
		memcpy(buf->data + buf->off, d->xdpf->data, d->len);
	else if (buf && d->xsk_data)
		memcpy(buf->data + buf->off, d->xsk_data, d->len);
	else if (buf)
		skb_copy_bits(d->skb, 0, buf->data + buf->off, d->len);

	rx_stamp = buf && hp_tstamp_rx_wanted(pcfg);
	if (hp_tx_stamp_wanted(d) || rx_stamp)
		status |= hp_tx_stamp(e, peer, d, rx_stamp, wire_end_ps);

	e->t_ps = wire_end_ps;
	hp_tx_wait(e);
	if (!buf) {
		hp_tx_stages_flush(e, d);
		return;		/* no posted buffer: the peer counted the drop */
	}

	rx_ps = hp_model_rx_dma_ps(&pcfg->model, d->len);
	e->t_ps += rx_ps;
	hp_tx_wait(e);

	if (e->base_ns || e->account || pcfg->stats_enabled ||
	    pcfg->rx_mode == HOTPATH_RX_MODE_BUSY_POLL)
		done_ns = ktime_get_ns();
	hp_rx_nic_complete(peer, pcfg, d->len, status, d->seq, done_ns);
	/*
	 * A yield point: under QEMU TCG a PAUSE lets the other vCPU run, so a
	 * busy poller there picks the frame up now rather than after this
	 * CPU's whole return path; on hardware it is one PAUSE.
	 */
	cpu_relax();
	hp_tx_stages_flush(e, d);
	if (pcfg->stats_enabled)
		hp_port_stage(peer, HOTPATH_STAGE_RX_DMA, hp_model_ps_to_ns(rx_ps),
			      d->seq, d->len);
}

/* The normal path: fetch (unless pushed), DMA, wire. */
static void hp_tx_dma_path(struct hp_engine *e, struct hp_port *peer,
			   const struct hp_tx_desc *d, bool sole)
{
	u64 fetch_ps = hp_model_fetch_ps(e->m);
	u64 dma_ps, wire_ps;

	if (e->cfg->tx_push) {
		/* sfc efx_nic_may_push_tx_desc(): empty ring, one descriptor */
		if (sole) {
			fetch_ps = 0;
			hp_port_count_pkt(e->port, HOTPATH_CNT_TX_PUSH_HITS, d->seq, d->len);
		} else {
			hp_port_count_pkt(e->port, HOTPATH_CNT_TX_PUSH_MISSES, d->seq, d->len);
		}
	}
	e->t_ps += fetch_ps;
	hp_tx_stage(e, HOTPATH_STAGE_TX_FETCH, fetch_ps, d);
	hp_tx_wait(e);

	dma_ps = hp_model_tx_dma_ps(e->m, d->len);
	wire_ps = hp_model_tx_wire_ps(e->m, d->len);
	hp_tx_stage(e, HOTPATH_STAGE_TX_DMA, dma_ps, d);
	hp_tx_stage(e, HOTPATH_STAGE_TX_WIRE, wire_ps, d);
	hp_tx_deliver(e, peer, d, false, e->t_ps + dma_ps + wire_ps);
}

/*
 * CTPIO: the CPU writes descriptor and frame through the write-combining
 * aperture (replacing fetch and DMA).  In ct the wire starts once @thresh
 * bytes are in, so the write and the wire overlap and the path takes
 * max(pio(len), pio(thresh) + wire); sf and sf-np buffer the whole frame.
 * Returns true when the frame went out poisoned and must be sent again.
 */
static bool hp_tx_ctpio_path(struct hp_engine *e, struct hp_port *peer,
			     const struct hp_tx_desc *d)
{
	const struct hp_config *cfg = e->cfg;
	u32 thresh = min(cfg->ctpio_thresh, d->len);
	u64 pio_ps = hp_model_pio_ps(e->m, d->len);
	u64 wire_ps = hp_model_tx_wire_ps(e->m, d->len);
	bool injected = false, poison = false;
	u64 path_ps;

	if (cfg->ctpio_underrun_ppm && cfg->ctpio_mode != HOTPATH_CTPIO_SF_NP)
		injected = hp_random_below(1000000) < cfg->ctpio_underrun_ppm;

	if (cfg->ctpio_mode == HOTPATH_CTPIO_CT) {
		path_ps = max(pio_ps, hp_model_pio_ps(e->m, thresh) + wire_ps);
		poison = injected || hp_model_ct_underruns(e->m, d->len, cfg->ctpio_thresh);
	} else {
		path_ps = pio_ps + wire_ps;
		poison = injected;	/* sf-np never computed one */
	}

	hp_tx_stage(e, HOTPATH_STAGE_TX_DMA, pio_ps, d);
	hp_tx_stage(e, HOTPATH_STAGE_TX_WIRE, wire_ps, d);
	hp_tx_deliver(e, peer, d, poison, e->t_ps + path_ps);
	hp_port_count_pkt(e->port, poison ? HOTPATH_CNT_CTPIO_POISONED :
				   HOTPATH_CNT_CTPIO_SUCCESS, d->seq, d->len);
	return poison;
}

/* One descriptor through the NIC.  Returns its completion status. */
static u32 hp_tx_frame(struct hp_engine *e, const struct hp_tx_desc *d, bool sole)
{
	const struct hp_config *cfg = e->cfg;
	struct hp_port *port = e->port;
	struct hp_port *peer;
	bool pio = false;

	peer = rcu_dereference_bh(port->peer);
	/* pairs with smp_store_release() in hp_device_open() */
	if (!peer || !smp_load_acquire(&peer->rx_enabled)) {
		hp_port_count_pkt(port, HOTPATH_CNT_TX_DROP_NO_CARRIER, d->seq, d->len);
		hp_tx_stages_flush(e, d);
		return HP_TXC_DROPPED;
	}
	if (d->len > READ_ONCE(peer->dev->mtu) + peer->dev->hard_header_len + VLAN_HLEN) {
		hp_port_count_pkt(port, HOTPATH_CNT_TX_DROP_TOO_BIG, d->seq, d->len);
		hp_tx_stages_flush(e, d);
		return HP_TXC_DROPPED;
	}

	if (cfg->ctpio_mode != HOTPATH_CTPIO_OFF) {
		if (d->len < HOTPATH_CTPIO_MIN_FRAME)
			hp_port_count_pkt(port, HOTPATH_CNT_CTPIO_FALLBACK_RUNT, d->seq, d->len);
		else if (d->len > cfg->ctpio_max_frame)
			hp_port_count_pkt(port, HOTPATH_CNT_CTPIO_FALLBACK_LONG, d->seq, d->len);
		else if (!sole)
			hp_port_count_pkt(port, HOTPATH_CNT_CTPIO_FALLBACK_BUSY, d->seq, d->len);
		else
			pio = true;
	}

	/* a poisoned CTPIO send is followed by the fallback DMA of the same frame */
	if (!pio || hp_tx_ctpio_path(e, peer, d))
		hp_tx_dma_path(e, peer, d, sole);

	hp_port_stats_tx(port, d->len);
	hp_port_count_pkt(port, HOTPATH_CNT_TX_PACKETS, d->seq, d->len);
	hp_tx_stages_flush(e, d);
	return HP_TXC_OK;
}

/*
 * The doorbell: the NIC learns of the descriptors [fetched, prod) and runs
 * them.  TX queue lock held, BH disabled.
 */
static void hp_tx_doorbell(struct hp_port *port, const struct hp_config *cfg)
{
	struct hp_tx_ring *tx = &port->tx;
	u32 mask = tx->size - 1;
	u32 first = tx->fetched, prod = tx->prod, i;
	/* the NIC's view: nothing outstanding (every completion reaped) */
	bool sole = first == smp_load_acquire(&tx->reaped) && prod - first == 1;
	struct hp_engine e = {
		.port = port,
		.cfg = cfg,
		.m = &cfg->model,
		.enforce = cfg->model.timing == HOTPATH_TIMING_ENFORCED,
		.account = cfg->stats_enabled,
	};

	hp_port_assert_engine(port);
	/*
	 * A clock read of its own, after the driver's bookkeeping: sharing
	 * tx_desc's would put that bookkeeping inside the modelled time,
	 * where the virtual clock sees it against short paths (CTPIO).
	 * Only enforced timing waits on it; accounted timing records the
	 * model's figures as they are, and a hardware stamp reads the
	 * clock when it needs one (hp_tx_stamp()).
	 */
	if (e.enforce)
		e.base_ns = ktime_get_ns();
	e.t_ps = hp_model_doorbell_ps(e.m);
	hp_tx_stage(&e, HOTPATH_STAGE_TX_DOORBELL, e.t_ps, &tx->desc[first & mask]);
	hp_tx_wait(&e);

	for (i = first; i != prod; i++) {
		struct hp_tx_desc *d = &tx->desc[i & mask];
		struct hp_tx_cmpl *c = &tx->cmpl[i & mask];

		c->status = hp_tx_frame(&e, d, sole);
		c->hwts_ns = e.tx_hwts_ns;
		c->seq = d->seq;
		tx->fetched = i + 1;
		/* a held completion (fault.c) keeps this one back too */
		if (unlikely(hp_fault_tx_hold(port, port->tx_held)))
			continue;
		/* pairs with smp_load_acquire() in hp_tx_reap() */
		smp_store_release(&tx->done, i + 1);
	}
	hp_irq_event(port, cfg, HP_IRQ_TX, tx->done - READ_ONCE(tx->reaped));
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
		hp_tx_doorbell(port, cfg);
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

bool hp_tx_has_room(struct hp_port *port)
{
	return hp_tx_in_use(&port->tx) < port->tx.size;
}

/*
 * A UMEM frame from the XSK TX ring (xsk.c) onto the ring, TX queue lock
 * held, room checked with hp_tx_has_room(); the doorbell is hp_tx_kick()'s.
 * @start: when NAPI began taking it from the XSK ring (0: stats off), the
 * start of the bypass path's one TX stage, xsk_tx.
 */
void hp_tx_xsk_frame(struct hp_port *port, void *data, u32 len, u64 start)
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
		hp_tx_doorbell(port, hp_port_cfg(port));
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
	/* pairs with smp_store_release() in hp_tx_doorbell() */
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
		hp_tx_free_desc(d, budget, ok);
	}
	if (!n)
		return;
	/* sent or dropped, in ring order: the application gets the frames back */
	if (nxsk)
		hp_xsk_tx_completed(port, nxsk);
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
		hp_xsk_tx_completed(port, nxsk);
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
