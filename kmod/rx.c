// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: a ring of buffers the driver posts (page fragments sized for the
 * MTU, handed to the stack with build_skb, so RX is zero-copy past the
 * "DMA"), filled by the peer's NIC (engine.c), which writes one RX
 * completion per frame.  NAPI reaps TX completions, turns RX completions
 * into skbs, hands them to the stack and posts fresh buffers.
 *
 * Single producer (the peer's engine, under the peer's TX queue lock),
 * single consumer (this port's NAPI or a busy poller owning it), so the
 * ring is lock free: indices are published with release/acquire.  A frame
 * that finds no posted buffer is dropped and counted, as on hardware.
 *
 * With an XDP program attached (xdp.c) it runs on each buffer before any
 * skb exists; only XDP_PASS frames continue below.  With an AF_XDP pool
 * bound (xsk.c) the buffers are UMEM frames from its fill ring, and each
 * frame goes to the program or, without one, to the stack as a copy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/filter.h>
#include <net/busy_poll.h>
#include <net/xdp_sock_drv.h>

#include "compat.h"
#include "engine.h"
#include "fault.h"
#include "port.h"
#include "probes.h"
#include "tstamp.h"

static u32 hp_rx_buf_cap(const struct hp_port *port)
{
	const struct net_device *dev = port->dev;

	return READ_ONCE(dev->mtu) + dev->hard_header_len + VLAN_HLEN;
}

static bool hp_rx_buf_alloc(struct hp_rx_buf *b, u32 cap, bool napi)
{
	u32 truesize = SKB_DATA_ALIGN(HP_RX_HEADROOM + cap) +
		       SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	void *data;

	if (hp_fault_rx_alloc())
		data = NULL;
	else
		data = napi ? napi_alloc_frag(truesize) : netdev_alloc_frag(truesize);
	if (!data)
		return false;
	b->data = data;
	b->xsk = NULL;
	b->off = HP_RX_HEADROOM;
	b->truesize = truesize;
	b->cap = cap;
	return true;
}

/* The refill, NAPI owner, a pool bound (xsk.c): post one UMEM frame in @b. */
static bool hp_rx_xsk_alloc(struct hp_port *port, struct hp_rx_buf *b)
{
	struct xsk_buff_pool *pool = port->xsk_pool;
	struct xdp_buff *xdp = xsk_buff_alloc(pool);

	if (!xdp)
		return false;
	b->xsk = xdp;
	b->data = xdp->data;
	b->off = 0;
	b->truesize = xsk_pool_get_rx_frame_size(pool);
	b->cap = b->truesize;
	return true;
}

static void hp_rx_xsk_free(struct hp_rx_buf *b)
{
	xsk_buff_free(b->xsk);
	b->xsk = NULL;
	b->data = NULL;
}

/*
 * End of a refill, before it publishes the ring: @full tells whether the
 * fill ring gave every buffer wanted.  The flag is the engine's drop
 * reason; need_wakeup tells the application when NAPI waits for it.
 */
static void hp_rx_xsk_end(struct hp_port *port, bool full)
{
	struct xsk_buff_pool *pool = port->xsk_pool;

	WRITE_ONCE(port->xsk_fill_empty, !full);
	if (!xsk_uses_need_wakeup(pool))
		return;
	if (full)
		xsk_clear_rx_need_wakeup(pool);
	else
		xsk_set_rx_need_wakeup(pool);
}

/* Post buffers up to a full ring.  Returns the number of posted buffers. */
static u32 hp_rx_refill(struct hp_port *port, bool napi)
{
	struct hp_rx_ring *rx = &port->rx;
	u32 mask = rx->size - 1;
	u32 posted = rx->posted, limit = rx->reaped + rx->size;
	u32 cap = hp_rx_buf_cap(port);
	bool xsk = port->xsk_pool;

	hp_port_assert_napi_owner(port);
	for (; posted != limit; posted++) {
		struct hp_rx_buf *b = &rx->buf[posted & mask];

		/* UMEM frames come from the fill ring (xsk.c), sized by the pool */
		if (xsk) {
			if (!b->data && !hp_rx_xsk_alloc(port, b))
				break;
			continue;
		}
		/* a recycled buffer too small for a raised MTU is replaced */
		if (b->data && b->cap < cap) {
			skb_free_frag(b->data);
			b->data = NULL;
		}
		if (!b->data && !hp_rx_buf_alloc(b, cap, napi)) {
			hp_port_count(port, HOTPATH_CNT_RX_ALLOC_FAILS);
			break;
		}
	}
	if (xsk)
		hp_rx_xsk_end(port, posted == limit);
	/* the ring's tail, which the NIC reads: pairs with hp_engine_rx_claim() */
	smp_store_release(&rx->posted, posted);
	/*
	 * 802.3x: the NIC sends XON for the buffers, if it may have paused
	 * the peer; not while the ring is quiesced (hp_rx_ring_resume() does)
	 */
	if (unlikely(hp_port_cfg(port)->pause_tx) && READ_ONCE(port->rx_enabled))
		hp_engine_xon(port);
	return posted - READ_ONCE(rx->filled);
}

/*
 * The pickup stages of a frame picked up at @pick, into @s (up to two):
 * from a busy poller (also the last poll of busy_poll_stop()), or by a NAPI
 * run that an interrupt or the watchdog scheduled, entered at @entry (0:
 * none, e.g. a repoll).  Returns how many.
 */
static unsigned int hp_rx_pickup(struct hp_stage_sample *s, u64 done, bool busy,
				 u64 entry, u64 pick)
{
	if (!done || pick < done)
		return 0;
	if (busy) {
		s[0] = (struct hp_stage_sample){ HOTPATH_STAGE_RX_BUSY_POLL, pick - done };
		return 1;
	}
	/* no entry to wait for (or one stamped while stats were off): at once */
	if (entry < done)
		entry = done;
	s[0] = (struct hp_stage_sample){ HOTPATH_STAGE_RX_IRQ, entry - done };
	s[1] = (struct hp_stage_sample){ HOTPATH_STAGE_RX_NAPI, pick - entry };
	return 2;
}

/*
 * After acting on the verdict for completion @c, with stage accounting on
 * (@clk->start set): one record of the frame's pickup, which the program's
 * start ended (one clock read for the boundary), the program's run
 * (xdp_prog) and, if @xsk_end, the hand-off to an AF_XDP socket that
 * followed it (xsk_rx, ending at @xsk_end).
 */
static void hp_rx_xdp_record(struct hp_port *port, const struct hp_rx_cmpl *c,
			     const struct hp_xdp_poll *xp, const struct hp_xdp_clock *clk,
			     u64 xsk_end)
{
	struct hp_stage_sample s[4];
	unsigned int n;

	n = hp_rx_pickup(s, c->done_ns, xp->busy, xp->entry, clk->start);
	s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_XDP_PROG, clk->end - clk->start };
	if (xsk_end)
		s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_XSK_RX, xsk_end - clk->end };
	hp_stages_record_n(port->acct, port->dev, s, n, c->seq, c->len);
}

/*
 * The native path: run @prog on the page buffer @b.  Returns the verdict to
 * act on: XDP_PASS with *@off, *@len and *@meta describing the frame to
 * build an skb of, or XDP_DROP (buffer still ours: it stays posted), or
 * XDP_TX / XDP_REDIRECT (the buffer is gone: b->data is NULL).
 * Its stages are recorded after acting (hp_rx_xdp_record()).
 */
static u32 hp_rx_xdp_run(struct hp_port *port, struct bpf_prog *prog,
			 struct hp_rx_buf *b, const struct hp_rx_cmpl *c,
			 struct hp_xdp_poll *xp, u32 *off, u32 *len, u32 *meta)
{
	struct hp_xdp_clock clk;
	struct xdp_buff xdp;
	u32 act;

	xdp_init_buff(&xdp, b->truesize, &port->xdp_rxq);
	xdp_prepare_buff(&xdp, b->data, HP_RX_HEADROOM, c->len, true);
	act = hp_xdp_act(port, prog, &xdp, c, xp, &clk);
	if (act == XDP_PASS) {
		*off = xdp.data - xdp.data_hard_start;
		*len = xdp.data_end - xdp.data;
		*meta = xdp.data - xdp.data_meta;
	} else if (act != XDP_DROP) {
		b->data = NULL;
	}
	/* after acting, so the recording times neither xdp_prog nor what follows */
	if (clk.start)
		hp_rx_xdp_record(port, c, xp, &clk, 0);
	return act;
}

/* XDP_PASS of a UMEM frame: the stack gets a copy, the frame goes back. */
static void hp_rx_xsk_pass(struct hp_port *port, struct xdp_buff *xdp,
			   const struct hp_rx_cmpl *c)
{
	u32 len = xdp->data_end - xdp->data;
	u32 meta = xdp->data - xdp->data_meta;
	struct sk_buff *skb;

	skb = napi_alloc_skb(&port->napi, meta + len);
	if (unlikely(!skb)) {
		xsk_buff_free(xdp);
		hp_port_count_pkt(port, HOTPATH_CNT_RX_DROP_ALLOC, c->seq, c->len);
		hp_port_stats_rx_drop(port);
		return;
	}
	skb_put_data(skb, xdp->data_meta, meta + len);
	if (meta) {
		__skb_pull(skb, meta);
		skb_metadata_set(skb, meta);
	}
	xsk_buff_free(xdp);
	skb->protocol = eth_type_trans(skb, port->dev);
	skb_mark_napi_id(skb, &port->napi);
	hp_port_count_pkt(port, HOTPATH_CNT_RX_PACKETS, c->seq, c->len);
	netif_receive_skb(skb);
}

/*
 * NAPI: the engine wrote completion @c into the UMEM frame of @b.  The
 * frame leaves the ring whatever the verdict (the refill posts another).
 */
static void hp_rx_xsk_frame(struct hp_port *port, struct bpf_prog *prog, struct hp_rx_buf *b,
			    const struct hp_rx_cmpl *c, struct hp_xdp_poll *xp)
{
	struct xdp_buff *xdp = b->xsk;
	struct hp_stage_sample s[2];
	struct hp_xdp_clock clk;
	unsigned int n;
	u64 end = 0;

	b->xsk = NULL;
	b->data = NULL;
	xsk_buff_set_size(xdp, c->len);
	hp_compat_xsk_sync_for_cpu(xdp, port->xsk_pool);
	if (!prog) {
		if (hp_port_cfg(port)->stats_enabled) {
			n = hp_rx_pickup(s, c->done_ns, xp->busy, xp->entry,
					 hp_stages_now());
			hp_stages_record_n(port->acct, port->dev, s, n, c->seq, c->len);
		}
		hp_rx_xsk_pass(port, xdp, c);
		return;
	}

	switch (hp_xdp_act(port, prog, xdp, c, xp, &clk)) {
	case XDP_REDIRECT:
		/* xsk_rx: the redirect onto the socket's RX ring, after the program */
		if (clk.start)
			end = hp_stages_now();
		hp_port_count_pkt(port, HOTPATH_CNT_XSK_RX_PACKETS, c->seq, c->len);
		break;
	case XDP_PASS:
		hp_rx_xsk_pass(port, xdp, c);
		break;
	case XDP_DROP:
		xsk_buff_free(xdp);
		break;
	}
	if (clk.start)
		hp_rx_xdp_record(port, c, xp, &clk, end);
}

static int hp_rx_receive(struct hp_port *port, const struct hp_config *cfg,
			 int budget, bool busy)
{
	struct napi_struct *napi = &port->napi;
	struct hp_rx_ring *rx = &port->rx;
	u32 mask = rx->size - 1;
	/* pairs with smp_store_release() in hp_engine_rx_complete() */
	u32 filled = smp_load_acquire(&rx->filled);
	u32 r = rx->reaped;
	/* rx_irq ends at the RX vector or watchdog, else at the TX vector */
	u64 entry = READ_ONCE(port->rx_entry_ns) ?: READ_ONCE(port->napi_entry_ns);
	bool account = cfg->stats_enabled;
	struct bpf_prog *prog = rcu_dereference_bh(port->xdp_prog);
	struct hp_xdp_poll xp = { .busy = busy, .entry = entry };
	int work = 0;

	for (; r != filled && work < budget; r++, work++) {
		const struct hp_rx_cmpl *c = &rx->cmpl[r & mask];
		struct hp_rx_buf *b = &rx->buf[r & mask];
		u32 off = HP_RX_HEADROOM, len = c->len, meta = 0;
		struct hp_stage_sample smp[3];
		unsigned int n = 0;
		struct sk_buff *skb;
		u64 pick, now;

		rx->bytes += c->len;
		if (busy)
			hp_port_count_pkt(port, HOTPATH_CNT_BUSY_POLL_PICKUPS, c->seq, c->len);

		if (unlikely(c->status & HP_RXC_TOO_LONG)) {
			/* the refill replaces the small buffer */
			hp_port_count_pkt(port, HOTPATH_CNT_RX_RING_DROPS, c->seq, c->len);
			hp_port_stats_rx_drop(port);
			continue;
		}
		if (prog || b->xsk) {
			/* the NIC received it, whatever the program decides */
			hp_port_stats_rx(port, c->len);
			/* their pickup stages are recorded with the program's */
			if (b->xsk) {
				hp_rx_xsk_frame(port, prog, b, c, &xp);
				continue;
			}
			if (hp_rx_xdp_run(port, prog, b, c, &xp, &off, &len, &meta) != XDP_PASS)
				continue;
		}
		skb = napi_build_skb(b->data, b->truesize);
		if (unlikely(!skb)) {
			hp_port_count_pkt(port, HOTPATH_CNT_RX_DROP_ALLOC, c->seq, c->len);
			hp_port_stats_rx_drop(port);
			continue;
		}
		b->data = NULL;
		skb_reserve(skb, off);
		skb_put(skb, len);
		if (meta)
			skb_metadata_set(skb, meta);
		skb->protocol = eth_type_trans(skb, port->dev);
		skb_mark_napi_id(skb, napi);
		if (c->status & HP_RXC_HWTS)
			hp_tstamp_rx(skb, c->hwts_ns);
		if (!prog)
			hp_port_stats_rx(port, c->len);
		hp_port_count_pkt(port, HOTPATH_CNT_RX_PACKETS, c->seq, c->len);

		if (!account) {
			netif_receive_skb(skb);
			continue;
		}
		/*
		 * Not GRO: delivery is synchronous in this softirq, so when
		 * netif_receive_skb() returns the frame sits on its socket.
		 * One clock read ends the pickup (rx_napi or rx_busy_poll)
		 * and starts rx_stack; the stages are recorded together after
		 * the handoff, so their bookkeeping times neither.
		 */
		hp_probes_rx_handoff(port->acct, skb);
		pick = hp_stages_now();
		netif_receive_skb(skb);
		now = hp_stages_now();
		if (!prog)
			n = hp_rx_pickup(smp, c->done_ns, busy, entry, pick);
		smp[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_RX_STACK, now - pick };
		hp_stages_record_n(port->acct, port->dev, smp, n, c->seq, c->len);
		hp_probes_rx_queued(port->acct, skb, c->seq, now);
	}
	/* pairs with the NIC reading it for ring space and moderation */
	smp_store_release(&rx->reaped, r);
	if (prog || xp.redirect)
		hp_xdp_poll_end(port, &xp);
	return work;
}

/*
 * Is this poll a busy poller's?  napi_busy_loop() polls with
 * NAPI_STATE_IN_BUSY_POLL set; busy_poll_stop() clears it and polls once
 * more, still owning NAPI_STATE_SCHED, so no other poll runs in between:
 * the first poll without the bit after polls with it is that last one.
 * Any other poll is a NAPI run (softirq or thread) some entry scheduled.
 */
static bool hp_rx_busy_poll(struct hp_port *port)
{
	if (test_bit(NAPI_STATE_IN_BUSY_POLL, &port->napi.state)) {
		port->busy_owned = true;
		return true;
	}
	if (port->busy_owned) {
		port->busy_owned = false;
		return true;
	}
	return false;
}

/*
 * NAPI completes: clear the entry stamps first, so an interrupt racing with
 * the completion stamps anew.  If NAPI did not complete (a missed schedule
 * repolls at once, netpoll owns it), its entries still stand: put them
 * back unless a new one stamped meanwhile.
 */
static bool hp_rx_complete(struct hp_port *port, int work)
{
	u64 napi_entry = port->napi_entry_ns, rx_entry = port->rx_entry_ns;

	WRITE_ONCE(port->napi_entry_ns, 0);
	WRITE_ONCE(port->rx_entry_ns, 0);
	if (napi_complete_done(&port->napi, work))
		return true;
	if (!READ_ONCE(port->napi_entry_ns))
		WRITE_ONCE(port->napi_entry_ns, napi_entry);
	if (!READ_ONCE(port->rx_entry_ns))
		WRITE_ONCE(port->rx_entry_ns, rx_entry);
	return false;
}

int hp_rx_poll(struct napi_struct *napi, int budget)
{
	struct hp_port *port = container_of(napi, struct hp_port, napi);
	const struct hp_config *cfg = hp_port_cfg(port);
	bool busy, xsk_more;
	int work;

	hp_port_assert_bh();
	hp_port_assert_napi_owner(port);
	hp_stages_add(port->acct, HOTPATH_CNT_NAPI_POLLS, 1);
	/* a PAUSE released: the NIC sends what it held, reaped right below */
	hp_tx_resume(port);
	hp_tx_reap(port, budget);
	if (unlikely(!budget))
		return 0;	/* netpoll: TX completions only */

	/* AF_XDP TX: here, so that a busy poller (which skips the wakeup) sends */
	xsk_more = hp_tx_xsk_xmit(port, budget);
	busy = hp_rx_busy_poll(port);
	work = hp_rx_receive(port, cfg, budget, busy);
	/*
	 * An empty ring cannot recover by itself: poll again to refill, unless
	 * the fill ring is empty and the application wakes us (need_wakeup).
	 */
	if (!hp_rx_refill(port, true) && work < budget &&
	    !(port->xsk_pool && xsk_uses_need_wakeup(port->xsk_pool)))
		return budget;
	if (xsk_more)
		return budget;

	/*
	 * A busy poller keeps polling (napi_complete_done() would return
	 * false) and its entries wait for busy_poll_stop()'s last poll.
	 */
	if (work < budget && !test_bit(NAPI_STATE_IN_BUSY_POLL, &napi->state) &&
	    hp_rx_complete(port, work)) {
		hp_dim_poll(port, cfg);
		hp_irq_rearm(port);
	}
	return work;
}

/* ndo_open: empty ring, every buffer posted. */
int hp_rx_ring_open(struct hp_port *port)
{
	struct hp_rx_ring *rx = &port->rx;
	u32 posted;

	rx->posted = 0;
	rx->reaped = 0;
	rx->filled = 0;
	/* the counters are written with BH off (stages.c) */
	local_bh_disable();
	posted = hp_rx_refill(port, false);
	local_bh_enable();
	/* a UMEM's fill ring may be empty yet: NAPI refills once woken */
	return posted || port->xsk_pool ? 0 : -ENOMEM;
}

/*
 * The first half of a ring change while up (a larger MTU, an AF_XDP pool):
 * the peer's engine kept out, NAPI disabled, the ring drained.  RTNL held.
 */
void hp_rx_ring_quiesce(struct hp_port *port)
{
	ASSERT_RTNL();
	WRITE_ONCE(port->rx_enabled, false);
	synchronize_net();
	napi_disable(&port->napi);
	hp_rx_drain(port);
}

/* The second half, after hp_rx_ring_open() posted the new buffers. */
void hp_rx_ring_resume(struct hp_port *port)
{
	ASSERT_RTNL();
	napi_enable(&port->napi);
	/* pairs with smp_load_acquire() in hp_engine_frame() */
	smp_store_release(&port->rx_enabled, true);
	/* frames reaped, vectors as they were: let NAPI prime them again */
	local_bh_disable();
	napi_schedule(&port->napi);
	/* a peer our PAUSE held meanwhile: the buffers are posted now */
	hp_engine_xon(port);
	local_bh_enable();
}

/*
 * ndo_stop, after the peer's engine can no longer reach the ring and NAPI is
 * disabled: frames never reaped are dropped (counted), buffers freed.
 */
void hp_rx_drain(struct hp_port *port)
{
	struct hp_rx_ring *rx = &port->rx;
	u32 i;

	DEBUG_NET_WARN_ON_ONCE(READ_ONCE(port->rx_enabled));
	hp_port_assert_napi_owner(port);
	local_bh_disable();
	for (; rx->reaped != rx->filled; rx->reaped++) {
		hp_port_count(port, HOTPATH_CNT_RX_DROP_TEARDOWN);
		hp_port_stats_rx_drop(port);
	}
	local_bh_enable();

	for (i = 0; i < rx->size; i++) {
		if (rx->buf[i].xsk) {
			hp_rx_xsk_free(&rx->buf[i]);
		} else if (rx->buf[i].data) {
			skb_free_frag(rx->buf[i].data);
			rx->buf[i].data = NULL;
		}
	}
	rx->posted = 0;
	rx->reaped = 0;
	rx->filled = 0;
}

/* A ring of @size buffer slots and completions, none posted. */
int hp_rx_ring_alloc(struct hp_rx_ring *rx, u32 size)
{
	rx->buf = kvcalloc(size, sizeof(*rx->buf), GFP_KERNEL);
	if (!rx->buf)
		return -ENOMEM;
	rx->cmpl = kvcalloc(size, sizeof(*rx->cmpl), GFP_KERNEL);
	if (!rx->cmpl)
		goto err_free_buf;
	rx->size = size;
	rx->posted = 0;
	rx->reaped = 0;
	rx->filled = 0;
	atomic_long_add(2, &hp_buffers_alive);
	return 0;

err_free_buf:
	kvfree(rx->buf);
	rx->buf = NULL;
	return -ENOMEM;
}

/* The port is down or the ring never installed: no buffer is posted. */
void hp_rx_ring_free(struct hp_rx_ring *rx)
{
	if (!rx->buf)
		return;
	kvfree(rx->cmpl);
	kvfree(rx->buf);
	rx->cmpl = NULL;
	rx->buf = NULL;
	atomic_long_sub(2, &hp_buffers_alive);
}
