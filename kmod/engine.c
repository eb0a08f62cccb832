// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated NIC's hardware: the engine behind the doorbell, and the
 * peer NIC's receive side it drives.  The driver (tx.c, rx.c) shares
 * memory with it and one entry point (engine.h):
 *  - in: the doorbell, hp_engine_doorbell(): the TX descriptors written
 *    since the last one are there to run;
 *  - out: the completions it writes into the rings' memory (port.h: struct
 *    hp_tx_cmpl on this port, the frame in a posted buffer and struct
 *    hp_rx_cmpl on the peer), published by their ring indices, and the
 *    interrupts it raises (hp_irq_event(), irq.c).
 * Besides, it reads what a NIC reads of its rings: the TX descriptors and
 * producer index, and the peer's posted RX buffers (@posted is the peer
 * driver's RX doorbell) and how far it reaped.
 *
 * The engine runs inline, on the CPU that wrote the doorbell, inside the
 * xmit call.  That keeps the model deterministic: no cross-CPU scheduling
 * noise (large under TCG) between the doorbell and the wire, and the single
 * TX queue lock the stack already holds makes this port's engine the only
 * writer of the peer's RX ring, so that ring needs no lock.  The engine
 * fetches the descriptor (skipped by TX push), "DMAs" the payload (or takes
 * the CPU's PIO write, CTPIO), puts it on the wire, stamps it against both
 * PHCs and has the peer's NIC write it into a posted RX buffer: one real
 * memcpy, since both NICs sit in the same host.  In "enforced" timing it
 * busy-waits each modelled deadline so that the application sees them.
 *
 * The lab runs under QEMU TCG on an instruction-counting clock, and the
 * engine is written so that the emulator adds nothing of its own to the
 * modelled times: the doorbell reads the clock after the driver's
 * bookkeeping (hp_engine_doorbell()), the waits spin without PAUSE
 * (hp_engine_wait()), the stage records wait until the peer has the frame
 * (struct hp_engine), and one PAUSE after the RX completion lets a busy
 * poller on the other vCPU see it at once (hp_engine_deliver()).
 *
 * IEEE 802.3x flow control (ethtool -A; off by default): when a frame would
 * find no posted buffer on the peer and the peer sends PAUSE (its tx pause)
 * and this port honours it (its rx pause), the frame is not dropped: the
 * engine stops at its descriptor, which stays on the TX ring (@fetched does
 * not pass it), and the port is held (hp_engine_pause()).  The driver sees
 * what a paused NIC shows it: no completions, a ring that fills, a queue
 * that stops.  The peer's driver posting buffers is the XON
 * (hp_engine_xon(), from its refill): it cannot run our engine, which wants
 * our TX queue lock, so it schedules our NAPI, which rings the doorbell
 * again (hp_tx_resume(), tx.c).  No wakeup is lost: the engine publishes
 * "held" and the refill its buffers, each followed by a full barrier and a
 * read of the other's; one of the two sees the other.  A peer that keeps
 * us paused longer than its storm bound (pfc-prevention-tout) stops asking
 * (HP_PAUSE_STORM): frames drop again, counted as without pause, until it
 * posts a buffer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_vlan.h>
#include <linux/ktime.h>
#include <linux/skbuff.h>
#include <net/xdp.h>

#include "compat.h"
#include "engine.h"
#include "fault.h"
#include "model.h"
#include "port.h"
#include "ptp.h"
#include "tstamp.h"

/* Longest single busy-wait: a bad figure must not hang the CPU. */
#define HP_ENGINE_MAX_WAIT_NS	(200 * NSEC_PER_USEC)

/* Stage records one frame can collect before it is delivered. */
#define HP_ENGINE_PENDING		8

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
	struct hp_stage_sample pend[HP_ENGINE_PENDING];
};

static void hp_engine_wait(const struct hp_engine *e)
{
	u64 deadline, now;

	if (!e->enforce)
		return;
	deadline = e->base_ns + hp_model_ps_to_ns(e->t_ps);
	now = ktime_get_ns();
	if (now >= deadline)
		return;
	if (deadline - now > HP_ENGINE_MAX_WAIT_NS)
		deadline = now + HP_ENGINE_MAX_WAIT_NS;
	/*
	 * No cpu_relax(): QEMU TCG, where the lab runs, hands the CPU to the
	 * next vCPU at every PAUSE, and on its instruction-counting clock
	 * that vCPU's loop iteration would then end the wait late by an
	 * amount that differs from one configuration to the next.  Without
	 * it the wait ends within one clock read of the deadline.  The spin
	 * is the modelled hardware's time, bounded by HP_ENGINE_MAX_WAIT_NS.
	 */
	while (ktime_get_ns() < deadline)
		barrier();
}

static void hp_engine_stage(struct hp_engine *e, unsigned int stage, u64 ps,
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

/* Record the stages hp_engine_stage() collected for frame @d, in order. */
static void hp_engine_stages_flush(struct hp_engine *e, const struct hp_tx_desc *d)
{
	if (!e->npend)
		return;
	hp_stages_record_n(e->port->acct, e->port->dev, e->pend, e->npend,
			   d->seq, d->len);
	e->npend = 0;
}

/* XDP frames carry no skb, so no stamp request. */
static bool hp_engine_stamp_wanted(const struct hp_tx_desc *d)
{
	return d->skb && hp_tstamp_tx_wanted(d->skb);
}

/*
 * The receiving NIC (the peer's MAC and RX DMA), run by this port's engine:
 * the single producer of the peer's RX ring (hp_port_assert_rx_producer()).
 */

/*
 * The peer's NIC: the next posted buffer for a frame, or NULL (counted)
 * when the ring is exhausted.  The caller copies the frame in and calls
 * hp_engine_rx_complete(), or leaves the buffer posted.
 */
static struct hp_rx_buf *hp_engine_rx_claim(struct hp_port *port, u32 len)
{
	struct hp_rx_ring *rx = &port->rx;

	hp_port_assert_rx_producer(port);
	/* pairs with smp_store_release() in hp_rx_refill() */
	if (rx->filled == smp_load_acquire(&rx->posted)) {
		/* NAPI wrote the flag before it published @posted */
		hp_port_count_pkt(port, READ_ONCE(port->xsk_fill_empty) ?
				  HOTPATH_CNT_XSK_FILL_EMPTY_DROPS :
				  HOTPATH_CNT_RX_RING_DROPS, 0, len);
		hp_port_stats_rx_drop(port);
		return NULL;
	}
	/* the caller checks b->cap: a too small buffer is completed as such */
	return &rx->buf[rx->filled & (rx->size - 1)];
}

/* The peer's NIC has a posted buffer for the next frame. */
static bool hp_engine_rx_room(struct hp_port *peer)
{
	/* pairs with smp_store_release() in hp_rx_refill() */
	return peer->rx.filled != smp_load_acquire(&peer->rx.posted);
}

/* Leave the pause (XON, or the pause no longer applies).  Engine context. */
static void hp_engine_pause_release(struct hp_port *port)
{
	if (likely(port->tx_pause == HP_PAUSE_NONE))
		return;
	WRITE_ONCE(port->tx_pause, HP_PAUSE_NONE);
	/* a timer still queued only schedules a NAPI run that finds nothing */
}

/* The storm bound of the peer's receive side, 0: none.  Engine context. */
static u64 hp_engine_storm_ns(const struct hp_config *pcfg)
{
	return (u64)pcfg->pause_storm_ms * NSEC_PER_MSEC;
}

/*
 * 802.3x: may the frame the engine is at go to @peer, or does a PAUSE hold
 * it?  Called for every frame while this port honours PAUSE (its rx pause
 * on); true: the engine stops at it.  The check comes before the frame's
 * fetch and DMA, as a paused MAC starts no new frame; the engine being the
 * peer's only RX producer, a buffer seen here is still there at delivery.
 */
static bool hp_engine_pause(struct hp_engine *e, struct hp_port *peer)
{
	struct hp_port *port = e->port;
	const struct hp_config *pcfg = hp_port_cfg(peer);
	u64 now, storm;

	if (!pcfg->pause_tx || hp_engine_rx_room(peer)) {
		hp_engine_pause_release(port);
		return false;
	}
	/* the peer gave up asking: it drops, until it posts a buffer again */
	if (port->tx_pause == HP_PAUSE_STORM)
		return false;

	storm = hp_engine_storm_ns(pcfg);
	now = ktime_get_ns();
	if (port->tx_pause == HP_PAUSE_NONE) {
		WRITE_ONCE(port->tx_pause, HP_PAUSE_HELD);
		/*
		 * Pairs with smp_mb() in hp_engine_xon() and in
		 * hp_engine_pause_changed(): either the peer's refill (or a
		 * new configuration) sees us held and schedules our NAPI, or
		 * we see its buffers (or the configuration) here.
		 */
		smp_mb();
		if (!hp_port_cfg(port)->pause_rx || !hp_port_cfg(peer)->pause_tx ||
		    hp_engine_rx_room(peer)) {
			WRITE_ONCE(port->tx_pause, HP_PAUSE_NONE);
			return false;
		}
		port->tx_pause_ns = now;
		/* the peer's MAC sent the XOFF, ours received it */
		hp_port_count(peer, HOTPATH_CNT_TX_PAUSE_FRAMES);
		hp_port_count(port, HOTPATH_CNT_RX_PAUSE_FRAMES);
	} else if (storm && now - port->tx_pause_ns >= storm) {
		/* mlx5's PFC storm prevention: the stalled receiver stops pausing */
		WRITE_ONCE(port->tx_pause, HP_PAUSE_STORM);
		hp_port_count(peer, HOTPATH_CNT_TX_PAUSE_STORM_EVENTS);
		return false;
	}
	/* the bound may have changed since: re-arm at its end */
	if (storm && (!hrtimer_is_queued(&port->tx_pause_timer) ||
		      ktime_to_ns(hrtimer_get_expires(&port->tx_pause_timer)) !=
		      port->tx_pause_ns + storm))
		hrtimer_start(&port->tx_pause_timer,
			      ns_to_ktime(port->tx_pause_ns + storm), HRTIMER_MODE_ABS_SOFT);
	return true;
}

/*
 * The storm bound ran out while held: our NAPI rings the doorbell again and
 * the engine finds the pause over.  A softirq hrtimer, BH context.
 */
static enum hrtimer_restart hp_engine_pause_expired(struct hrtimer *timer)
{
	struct hp_port *port = container_of(timer, struct hp_port, tx_pause_timer);

	if (hp_port_tx_held(port))
		napi_schedule(&port->napi);
	return HRTIMER_NORESTART;
}

/*
 * The peer of @port, if held by @port's PAUSE, must look again: @port's
 * driver posted buffers (the XON), its receive side went away, or the
 * pause settings changed.  BH context (or BH disabled).
 */
void hp_engine_xon(struct hp_port *port)
{
	struct hp_port *peer;

	hp_port_assert_bh();
	/* pairs with smp_mb() in hp_engine_pause(): see there */
	smp_mb();
	peer = rcu_dereference_bh(port->peer);
	if (peer && hp_port_tx_held(peer))
		napi_schedule(&peer->napi);
}

/*
 * A new configuration of @port was published (RTNL): its own transmitter,
 * or its peer's, may be held under pause settings that no longer apply.
 */
void hp_engine_pause_changed(struct hp_port *port)
{
	ASSERT_RTNL();
	local_bh_disable();
	/* pairs with smp_mb() in hp_engine_pause(), like the XON */
	smp_mb();
	if (hp_port_tx_held(port))
		napi_schedule(&port->napi);
	hp_engine_xon(port);
	local_bh_enable();
}

/*
 * The driver takes back the descriptors the NIC holds (paused): an AF_XDP
 * pool going away must not be read after.  Each is completed as dropped
 * (tx_drop_teardown), in ring order; the engine is no longer held.
 */
void hp_engine_tx_flush(struct hp_port *port)
{
	struct hp_tx_ring *tx = &port->tx;
	u32 mask = tx->size - 1;

	hp_port_assert_engine(port);
	for (; tx->fetched != tx->prod; tx->fetched++) {
		struct hp_tx_desc *d = &tx->desc[tx->fetched & mask];
		struct hp_tx_cmpl *c = &tx->cmpl[tx->fetched & mask];

		hp_port_count_pkt(port, HOTPATH_CNT_TX_DROP_TEARDOWN, d->seq, d->len);
		c->status = HP_TXC_DROPPED;
		c->hwts_ns = 0;
		c->seq = d->seq;
	}
	hp_engine_pause_release(port);
	/* a completion fault.c holds keeps these back too */
	if (!port->tx_held)
		/* pairs with smp_load_acquire() in hp_tx_reap() */
		smp_store_release(&tx->done, tx->fetched);
}

/* ndo_init: the storm timer. */
void hp_engine_init(struct hp_port *port)
{
	port->tx_pause = HP_PAUSE_NONE;
	hrtimer_init(&port->tx_pause_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	port->tx_pause_timer.function = hp_engine_pause_expired;
}

/*
 * ndo_stop, xmit quiesced and NAPI disabled: no pause outlives the port
 * (hp_tx_drain() counts the descriptors it held); our peer, if we held it,
 * finds our receive side gone.
 */
void hp_engine_stop(struct hp_port *port)
{
	ASSERT_RTNL();
	hrtimer_cancel(&port->tx_pause_timer);
	WRITE_ONCE(port->tx_pause, HP_PAUSE_NONE);
	local_bh_disable();
	hp_engine_xon(port);
	local_bh_enable();
}

/*
 * The peer's NIC: a frame with a bad FCS (a poisoned CTPIO send) is
 * discarded by the MAC, as a real NIC does: counted, never written to a
 * buffer, no completion, no interrupt, no work for the host.
 */
static void hp_engine_rx_drop_fcs(struct hp_port *port, u32 seq, u32 len)
{
	hp_port_assert_rx_producer(port);
	hp_port_count_pkt(port, HOTPATH_CNT_RX_CRC_ERRORS, seq, len);
	hp_port_stats_rx_crc(port);
}

/*
 * The peer's NIC: the RX stamp of the claimed buffer's frame, written before
 * hp_engine_rx_complete() with HP_RXC_HWTS in its status publishes it.
 */
static void hp_engine_rx_stamp(struct hp_port *port, u64 phc_ns)
{
	struct hp_rx_ring *rx = &port->rx;

	rx->cmpl[rx->filled & (rx->size - 1)].hwts_ns = phc_ns;
}

/* The peer's NIC: write the RX completion of the claimed buffer, raise RX. */
static void hp_engine_rx_complete(struct hp_port *port, const struct hp_config *cfg,
				  u32 len, u32 status, u32 seq, u64 done_ns)
{
	struct hp_rx_ring *rx = &port->rx;
	u32 filled = rx->filled;
	struct hp_rx_cmpl *c = &rx->cmpl[filled & (rx->size - 1)];

	hp_port_assert_rx_producer(port);
	c->len = len;
	c->status = status;
	c->seq = seq;
	c->done_ns = done_ns;
	/* pairs with smp_load_acquire() in hp_rx_receive() */
	smp_store_release(&rx->filled, filled + 1);
	hp_irq_event(port, cfg, HP_IRQ_RX, filled + 1 - READ_ONCE(rx->reaped));
}

/*
 * Hardware stamps (tstamp.h) at the model's instants: the first bit leaves
 * tx_wire before the last one arrives at @wire_end_ps.  Both are rounded to
 * ns once, the RX one as TX plus tx_wire, so RX - TX is exactly the model's
 * tx_wire in either clock's ns.  A frame sent again after a poisoned CTPIO
 * send is stamped again: the stamps are those of the copy that arrived.
 * Returns HP_RXC_HWTS if the peer's completion carries an RX stamp.
 */
static u32 hp_engine_stamp(struct hp_engine *e, struct hp_port *peer,
			   const struct hp_tx_desc *d, bool rx, u64 wire_end_ps)
{
	u64 wire_ps = hp_model_tx_wire_ps(e->m, d->len);
	u64 first_ns;

	if (!e->base_ns)	/* accounted timing: start now */
		e->base_ns = ktime_get_ns();
	first_ns = e->base_ns + hp_model_ps_to_ns(wire_end_ps - wire_ps);
	if (hp_engine_stamp_wanted(d))
		e->tx_hwts_ns = hp_ptp_time(e->port->ptp, first_ns);
	if (!rx)
		return 0;
	hp_engine_rx_stamp(peer, hp_ptp_time(peer->ptp, first_ns + hp_model_ps_to_ns(wire_ps)));
	return HP_RXC_HWTS;
}

/*
 * The frame is on the wire until @wire_end_ps; the peer's NIC writes it into
 * its next posted buffer (rx_dma, the peer's figures) and completes it, or,
 * @poisoned, discards it for its bad FCS.
 */
static void hp_engine_deliver(struct hp_engine *e, struct hp_port *peer,
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
		hp_engine_wait(e);
		hp_engine_rx_drop_fcs(peer, d->seq, d->len);
		hp_engine_stages_flush(e, d);
		return;
	}

	buf = hp_engine_rx_claim(peer, d->len);
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
	if (hp_engine_stamp_wanted(d) || rx_stamp)
		status |= hp_engine_stamp(e, peer, d, rx_stamp, wire_end_ps);

	e->t_ps = wire_end_ps;
	hp_engine_wait(e);
	if (!buf) {
		hp_engine_stages_flush(e, d);
		return;		/* no posted buffer: the peer counted the drop */
	}

	rx_ps = hp_model_rx_dma_ps(&pcfg->model, d->len);
	e->t_ps += rx_ps;
	hp_engine_wait(e);

	if (e->base_ns || e->account || pcfg->stats_enabled ||
	    pcfg->rx_mode == HOTPATH_RX_MODE_BUSY_POLL)
		done_ns = ktime_get_ns();
	hp_engine_rx_complete(peer, pcfg, d->len, status, d->seq, done_ns);
	/*
	 * A yield point: under QEMU TCG a PAUSE lets the other vCPU run, so a
	 * busy poller there picks the frame up now rather than after this
	 * CPU's whole return path; on hardware it is one PAUSE.
	 */
	cpu_relax();
	hp_engine_stages_flush(e, d);
	if (pcfg->stats_enabled)
		hp_port_stage(peer, HOTPATH_STAGE_RX_DMA, hp_model_ps_to_ns(rx_ps),
			      d->seq, d->len);
}

/* The normal path: fetch (unless pushed), DMA, wire. */
static void hp_engine_dma_path(struct hp_engine *e, struct hp_port *peer,
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
	hp_engine_stage(e, HOTPATH_STAGE_TX_FETCH, fetch_ps, d);
	hp_engine_wait(e);

	dma_ps = hp_model_tx_dma_ps(e->m, d->len);
	wire_ps = hp_model_tx_wire_ps(e->m, d->len);
	hp_engine_stage(e, HOTPATH_STAGE_TX_DMA, dma_ps, d);
	hp_engine_stage(e, HOTPATH_STAGE_TX_WIRE, wire_ps, d);
	hp_engine_deliver(e, peer, d, false, e->t_ps + dma_ps + wire_ps);
}

/*
 * CTPIO: the CPU writes descriptor and frame through the write-combining
 * aperture (replacing fetch and DMA).  In ct the wire starts once @thresh
 * bytes are in, so the write and the wire overlap and the path takes
 * max(pio(len), pio(thresh) + wire); sf and sf-np buffer the whole frame.
 * Returns true when the frame went out poisoned and must be sent again.
 */
static bool hp_engine_ctpio_path(struct hp_engine *e, struct hp_port *peer,
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

	hp_engine_stage(e, HOTPATH_STAGE_TX_DMA, pio_ps, d);
	hp_engine_stage(e, HOTPATH_STAGE_TX_WIRE, wire_ps, d);
	hp_engine_deliver(e, peer, d, poison, e->t_ps + path_ps);
	hp_port_count_pkt(e->port, poison ? HOTPATH_CNT_CTPIO_POISONED :
				   HOTPATH_CNT_CTPIO_SUCCESS, d->seq, d->len);
	return poison;
}

/* hp_engine_frame(): PAUSE holds the frame, the engine stops at it. */
#define HP_ENGINE_HELD		U32_MAX

/*
 * One descriptor through the NIC.  Returns its completion status, or
 * HP_ENGINE_HELD: not sent, no completion, the engine stops here.
 */
static u32 hp_engine_frame(struct hp_engine *e, const struct hp_tx_desc *d, bool sole)
{
	const struct hp_config *cfg = e->cfg;
	struct hp_port *port = e->port;
	struct hp_port *peer;
	bool pio = false;

	peer = rcu_dereference_bh(port->peer);
	/* pairs with smp_store_release() in hp_device_open() */
	if (!peer || !smp_load_acquire(&peer->rx_enabled)) {
		/* no link partner, no PAUSE */
		hp_engine_pause_release(port);
		hp_port_count_pkt(port, HOTPATH_CNT_TX_DROP_NO_CARRIER, d->seq, d->len);
		hp_engine_stages_flush(e, d);
		return HP_TXC_DROPPED;
	}
	if (d->len > READ_ONCE(peer->dev->mtu) + peer->dev->hard_header_len + VLAN_HLEN) {
		hp_port_count_pkt(port, HOTPATH_CNT_TX_DROP_TOO_BIG, d->seq, d->len);
		hp_engine_stages_flush(e, d);
		return HP_TXC_DROPPED;
	}
	/* one load when off: a pause left from before is released below */
	if (unlikely(cfg->pause_rx)) {
		if (hp_engine_pause(e, peer))
			return HP_ENGINE_HELD;
	} else if (unlikely(port->tx_pause != HP_PAUSE_NONE)) {
		hp_engine_pause_release(port);
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
	if (!pio || hp_engine_ctpio_path(e, peer, d))
		hp_engine_dma_path(e, peer, d, sole);

	hp_port_stats_tx(port, d->len);
	hp_port_count_pkt(port, HOTPATH_CNT_TX_PACKETS, d->seq, d->len);
	hp_engine_stages_flush(e, d);
	return HP_TXC_OK;
}

/*
 * The doorbell: the NIC learns of the descriptors [fetched, prod) and runs
 * them.  TX queue lock held, BH disabled.
 */
void hp_engine_doorbell(struct hp_port *port, const struct hp_config *cfg)
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
	 * clock when it needs one (hp_engine_stamp()).
	 */
	if (e.enforce)
		e.base_ns = ktime_get_ns();
	e.t_ps = hp_model_doorbell_ps(e.m);
	hp_engine_stage(&e, HOTPATH_STAGE_TX_DOORBELL, e.t_ps, &tx->desc[first & mask]);
	hp_engine_wait(&e);

	for (i = first; i != prod; i++) {
		struct hp_tx_desc *d = &tx->desc[i & mask];
		struct hp_tx_cmpl *c = &tx->cmpl[i & mask];
		u32 status = hp_engine_frame(&e, d, sole);

		if (unlikely(status == HP_ENGINE_HELD)) {
			/* its stages are those of the doorbell that sends it */
			e.npend = 0;
			break;
		}
		c->status = status;
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
