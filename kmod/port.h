/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct hp_port: the private data of a hotpath net_device, shared by the
 * driver's datapath files (device.c, tx.c, rx.c, irq.c, xdp.c, xsk.c), the
 * NIC's hardware behind them (engine.c) and the two that reach into a
 * port's state for the control plane (tstamp.c, the PHC ethtool -T names;
 * fault.c, the injection knobs) and by nothing else; the rest of the
 * module goes through device.h.
 *
 * Who writes what (the datapath takes no locks of its own):
 *  - TX ring: descriptors and @prod are written by this port's xmit, which
 *    runs under the device's single TX queue lock; the NIC engine runs
 *    inline in that xmit (see engine.c) and writes @fetched, the completion
 *    ring and @done; this port's NAPI reaps completions and writes @reaped.
 *  - RX ring: this port's NAPI posts buffers (@posted) and reaps frames
 *    (@reaped); the *peer's* engine, under the peer's TX queue lock, is the
 *    single producer of frames and RX completions (@filled).
 *  Indices are free running u32, published with smp_store_release() and
 *  read with smp_load_acquire().
 *
 * Calls between these files run one way (make style checks it with
 * scripts/callgraph.py): device.c (the netdev ops) calls the rest; xsk.c
 * (a pool's bind) calls rx.c and tx.c; rx.c (NAPI) calls xdp.c and tx.c;
 * xdp.c calls tx.c; tx.c rings engine.c's doorbell; engine.c runs on
 * model.c's figures and ptp.c's clocks; engine.c, fault.c and rx.c raise or
 * re-arm irq.c's vectors, rx.c feeds dim.c their adaptive moderation; rx.c's
 * refill tells engine.c of posted buffers (the 802.3x XON), device.c and
 * xsk.c set up and take down the engine's pause.
 * Below them all: stages.c.
 */
#ifndef _HP_PORT_H
#define _HP_PORT_H

#include <linux/bpf.h>
#include <linux/dim.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/u64_stats_sync.h>
#include <linux/atomic.h>
#include <linux/rtnetlink.h>
#include <net/xdp.h>

#include "config.h"
#include "device.h"
#include "stages.h"
#include "xsk.h"

/* A TX descriptor as the driver writes it into host memory. */
struct hp_tx_desc {
	struct sk_buff *skb;	/* the "buffer address" the NIC reads from */
	struct xdp_frame *xdpf;	/* or an XDP frame (XDP_TX, ndo_xdp_xmit) */
	void *xsk_data;		/* or a UMEM frame from the XSK TX ring */
	u32 len;
	u32 seq;		/* per-port sequence number, for the stages */
	u64 xmit_ns;		/* driver entry, 0 when accounting is off */
};

#define HP_TXC_OK		0
#define HP_TXC_DROPPED		1	/* not sent: reason already counted */

/* A TX completion as the NIC writes it. */
struct hp_tx_cmpl {
	u32 status;		/* HP_TXC_* */
	u32 seq;
	u64 hwts_ns;		/* PHC time of the first bit, if stamped */
};

struct hp_tx_ring {
	u32 size;		/* power of two */
	struct hp_tx_desc *desc;
	struct hp_tx_cmpl *cmpl;	/* completion i belongs to descriptor i */

	/* written by xmit (driver + inline engine) */
	u32 prod ____cacheline_aligned_in_smp;
	u32 fetched;		/* NIC: descriptors taken */
	u32 done;		/* NIC: completions written */
	u32 seq;

	/* written by NAPI */
	u32 reaped ____cacheline_aligned_in_smp;
	u64 bytes;		/* of the frames reaped, for DIM */
};

#define HP_RXC_TOO_LONG		BIT(1)	/* buffer too small: not written */
#define HP_RXC_HWTS		BIT(2)	/* hwts_ns holds the RX stamp */

/* An RX completion as the NIC writes it. */
struct hp_rx_cmpl {
	u32 len;
	u32 status;		/* HP_RXC_* */
	u32 seq;
	u64 done_ns;		/* frame complete in host memory */
	u64 hwts_ns;		/* PHC time of the last bit (HP_RXC_HWTS) */
};

/*
 * Where the peer's engine writes a frame into a posted buffer: the XDP
 * headroom (an attached program may grow the head, xdp_frame lives there)
 * plus the IP alignment.  The same with or without a program, so attaching
 * one never reposts the ring.
 */
#define HP_RX_HEADROOM		(XDP_PACKET_HEADROOM + NET_IP_ALIGN)

/*
 * A posted RX buffer: a page fragment the stack gets with build_skb, or,
 * while an AF_XDP pool is bound (xsk.c), a UMEM frame (@xsk).
 */
struct hp_rx_buf {
	void *data;
	struct xdp_buff *xsk;
	u32 off;		/* where the NIC writes the frame, from @data */
	u32 truesize;
	u32 cap;		/* frame bytes it can take */
};

struct hp_rx_ring {
	u32 size;		/* power of two */
	struct hp_rx_buf *buf;
	struct hp_rx_cmpl *cmpl;	/* completion i fills buffer i */

	/* written by NAPI */
	u32 posted ____cacheline_aligned_in_smp;
	u32 reaped;
	u64 bytes;		/* of the frames reaped, for DIM */

	/* written by the peer's engine */
	u32 filled ____cacheline_aligned_in_smp;
};

/* struct hp_port's @tx_pause */
enum {
	HP_PAUSE_NONE,		/* transmitting */
	HP_PAUSE_HELD,		/* PAUSE received: the engine stopped at @fetched */
	HP_PAUSE_STORM,		/* the peer stopped asking (storm prevention) */
};

enum {
	HP_IRQ_RX,
	HP_IRQ_TX,
	HP_IRQ_NUM
};

/* One emulated MSI-X vector. */
struct hp_irq {
	struct hp_port *port;
	unsigned int vec;	/* HP_IRQ_RX or HP_IRQ_TX */
	int irq;		/* Linux IRQ number, 0: handler run from irq_work */
	/* its descriptor, looked up once: the delivery skips the IRQ lookup */
	struct irq_desc *desc;
	bool requested;
	/*
	 * The event queue's "primed" bit: the vector may fire.  Cleared by
	 * whoever fires it (xchg, so it fires once), set again by NAPI when
	 * it completes.  A cleared bit is the masked interrupt.
	 */
	bool armed;
	struct irq_work work;	/* self-IPI: the hard-IRQ delivery */
	struct hrtimer timer;	/* coalescing: rx-usecs / tx-usecs */
	char name[IFNAMSIZ + 4];
};

/* The netdev software counters (ndo_get_stats64), per CPU. */
struct hp_pcpu_sw_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t rx_dropped;
	u64_stats_t tx_dropped;
	u64_stats_t rx_crc_errors;
	struct u64_stats_sync syncp;
};

/*
 * Adaptive moderation of one vector (dim.c): @dim and @active are NAPI's
 * (lib/dim's work resets dim.state, as its protocol has it), @events the
 * vector's handler's, @usecs and @frames the moderation DIM chose (its work
 * and NAPI write them, whoever raises the vector reads them).
 */
struct hp_dim {
	struct dim dim;
	struct hp_port *port;
	unsigned int vec;
	bool active;
	u16 events;
	u32 usecs;
	u32 frames;
};

struct hp_port {
	struct net_device *dev;
	struct hp_port __rcu *peer;
	struct hp_config __rcu *cfg;
	/* The peer's engine may write our RX ring (set at open, RCU). */
	bool rx_enabled;

	struct napi_struct napi;
	/* first interrupt/watchdog entry since NAPI last completed, ns */
	u64 napi_entry_ns;
	/* the same for the RX vector (or the watchdog) alone: rx_irq's end */
	u64 rx_entry_ns;
	/*
	 * A busy poller owns the NAPI (a poll saw NAPI_STATE_IN_BUSY_POLL):
	 * the next poll without that bit is busy_poll_stop()'s last one.
	 * Written by the NAPI owner only.
	 */
	bool busy_owned;

	struct hp_tx_ring tx;
	struct hp_rx_ring rx;
	u32 rx_ring_size;	/* configured (ethtool -G) */
	u32 tx_ring_size;

	struct hp_irq irq[HP_IRQ_NUM];
	struct hp_dim dim[HP_IRQ_NUM];	/* adaptive-rx, adaptive-tx */
	struct hrtimer watchdog;	/* busy-poll fallback */
	u64 watchdog_ns;		/* its bound, from the config */

	/* fault.c: a TX completion held back, released by the timer */
	bool tx_held;
	struct hrtimer tx_release;
	/*
	 * 802.3x flow control (engine.c): the transmitter's pause state,
	 * HP_PAUSE_*, written by this port's engine under the TX queue lock;
	 * read by the peer's RX refill (the XON: it schedules our NAPI, which
	 * runs the held descriptors again) and by our NAPI.  @tx_pause_ns:
	 * when the pause began; @tx_pause_timer: the peer's storm bound.
	 */
	u8 tx_pause;
	u64 tx_pause_ns;
	struct hrtimer tx_pause_timer;
	/* native XDP (xdp.c): set under RTNL, read in NAPI */
	struct bpf_prog __rcu *xdp_prog;
	struct xdp_rxq_info xdp_rxq;	/* registered while up */
	/*
	 * AF_XDP zero-copy (xsk.c): the UMEM pool bound to queue 0, set under
	 * RTNL while NAPI is disabled and the peer's engine kept out; read by
	 * NAPI and ndo_xsk_wakeup.  @xsk_fill_empty: NAPI's last refill found
	 * the fill ring empty (the engine's drop reason), written by NAPI.
	 */
	struct xsk_buff_pool *xsk_pool;
	bool xsk_fill_empty;

	struct hp_pcpu_sw_stats __percpu *stats;	/* ndo_get_stats64 */
	struct hp_acct *acct;			/* stages + counters (stages.c) */
	struct hp_ptp *ptp;			/* this NIC's PHC (ptp.c) */
};

static inline struct hp_port *hp_port(const struct net_device *dev)
{
	return netdev_priv(dev);
}

/*
 * The claims above, asserted (lockdep and DEBUG_NET kernels check them,
 * others compile them away).
 *
 * A port's engine runs inside its xmit, under its only TX queue's lock; so
 * does every write of the TX ring's producer side and of the peer's RX
 * ring.
 */
static inline void hp_port_assert_engine(const struct hp_port *port)
{
	lockdep_assert_held(&netdev_get_tx_queue(port->dev, 0)->_xmit_lock);
}

/*
 * The single producer of @port's RX ring is the peer's engine.  The peer
 * pointers are unpublished before the teardown's synchronize_net(): an
 * engine already inside may see none, and then has nothing to check.
 */
static inline void hp_port_assert_rx_producer(const struct hp_port *port)
{
	const struct hp_port *peer;

	if (!IS_ENABLED(CONFIG_LOCKDEP))
		return;
	peer = rcu_dereference_bh(port->peer);
	if (peer)
		hp_port_assert_engine(peer);
}

/*
 * NAPI-owned fields (RX @posted/@reaped, TX @reaped, @busy_owned) are
 * written by whoever owns NAPI_STATE_SCHED: the NAPI poll, a busy poller,
 * or open/stop while NAPI is disabled (which holds the bit too), in BH
 * context or under RTNL with NAPI disabled.
 */
static inline void hp_port_assert_napi_owner(const struct hp_port *port)
{
	DEBUG_NET_WARN_ON_ONCE(!test_bit(NAPI_STATE_SCHED, &port->napi.state));
}

/*
 * Datapath context: softirq or BH-disabled (NAPI, xmit), or IRQs off
 * (netpoll polls and transmits that way).
 */
static inline void hp_port_assert_bh(void)
{
	lockdep_assert_once((in_softirq() && !in_hardirq()) || irqs_disabled());
}

/*
 * The engine's lock outside xmit (XDP_TX, ndo_xdp_xmit, AF_XDP TX, the held
 * completions' release): the TX queue's, which the stack holds around xmit.
 * Taken with BH off or in softirq, never in hardirq, like the stack's.
 */
static inline void hp_port_engine_lock(struct hp_port *port)
	__acquires(&netdev_get_tx_queue(port->dev, 0)->_xmit_lock)
{
	hp_port_assert_bh();
	__netif_tx_lock(netdev_get_tx_queue(port->dev, 0), smp_processor_id());
}

static inline void hp_port_engine_unlock(struct hp_port *port)
	__releases(&netdev_get_tx_queue(port->dev, 0)->_xmit_lock)
{
	__netif_tx_unlock(netdev_get_tx_queue(port->dev, 0));
}

/*
 * Does the link partner's PAUSE hold this port's transmitter?  Any context:
 * a stale answer is followed by the XON's NAPI run (engine.c).
 */
static inline bool hp_port_tx_held(const struct hp_port *port)
{
	return READ_ONCE(port->tx_pause) == HP_PAUSE_HELD;
}

/* Datapath view of the configuration: BH (softirq, xmit) or RCU held. */
static inline const struct hp_config *hp_port_cfg(const struct hp_port *port)
{
	return rcu_dereference_bh(port->cfg);
}

/*
 * The netdev software counters (ndo_get_stats64), written only here: each
 * on this CPU's copy in datapath context, so no two writers meet on one.
 */
static inline void hp_port_stats_rx(struct hp_port *port, u32 len)
{
	struct hp_pcpu_sw_stats *s = this_cpu_ptr(port->stats);

	hp_port_assert_bh();
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->rx_packets);
	u64_stats_add(&s->rx_bytes, len);
	u64_stats_update_end(&s->syncp);
}

static inline void hp_port_stats_tx(struct hp_port *port, u32 len)
{
	struct hp_pcpu_sw_stats *s = this_cpu_ptr(port->stats);

	hp_port_assert_bh();
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->tx_packets);
	u64_stats_add(&s->tx_bytes, len);
	u64_stats_update_end(&s->syncp);
}

static inline void hp_port_stats_rx_drop(struct hp_port *port)
{
	struct hp_pcpu_sw_stats *s = this_cpu_ptr(port->stats);

	hp_port_assert_bh();
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->rx_dropped);
	u64_stats_update_end(&s->syncp);
}

static inline void hp_port_stats_tx_drop(struct hp_port *port)
{
	struct hp_pcpu_sw_stats *s = this_cpu_ptr(port->stats);

	hp_port_assert_bh();
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->tx_dropped);
	u64_stats_update_end(&s->syncp);
}

/* A frame the MAC discarded for its FCS (rx_errors counts it too). */
static inline void hp_port_stats_rx_crc(struct hp_port *port)
{
	struct hp_pcpu_sw_stats *s = this_cpu_ptr(port->stats);

	hp_port_assert_bh();
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->rx_crc_errors);
	u64_stats_update_end(&s->syncp);
}

/* Stage and counter recording, owned by stages.c. */
static inline void hp_port_stage(struct hp_port *port, unsigned int stage,
				 u64 ns, u32 seq, u32 len)
{
	hp_stages_record(port->acct, port->dev, stage, ns, seq, len);
}

static inline void hp_port_count_pkt(struct hp_port *port, unsigned int counter,
				     u32 seq, u32 len)
{
	hp_stages_count(port->acct, port->dev, counter, seq, len);
}

static inline void hp_port_count(struct hp_port *port, unsigned int counter)
{
	hp_stages_count(port->acct, port->dev, counter, 0, 0);
}

/* tx.c */
netdev_tx_t hp_tx_xmit(struct sk_buff *skb, struct net_device *dev);
int hp_tx_ring_alloc(struct hp_tx_ring *tx, u32 size);
void hp_tx_ring_free(struct hp_tx_ring *tx);
void hp_tx_ring_reset(struct hp_port *port);
void hp_tx_reap(struct hp_port *port, int budget);
void hp_tx_drain(struct hp_port *port);
int hp_tx_xdp_frame(struct hp_port *port, struct xdp_frame *xdpf);
void hp_tx_kick(struct hp_port *port);
void hp_tx_resume(struct hp_port *port);
bool hp_tx_xsk_xmit(struct hp_port *port, int budget);

/* rx.c */
int hp_rx_poll(struct napi_struct *napi, int budget);
int hp_rx_ring_alloc(struct hp_rx_ring *rx, u32 size);
void hp_rx_ring_free(struct hp_rx_ring *rx);
int hp_rx_ring_open(struct hp_port *port);
void hp_rx_ring_quiesce(struct hp_port *port);
void hp_rx_ring_resume(struct hp_port *port);
void hp_rx_drain(struct hp_port *port);

/* xdp.c */
struct hp_xdp_poll {
	bool redirect;		/* xdp_do_flush() at the end of the poll */
	bool tx;		/* XDP_TX descriptors wait for the doorbell */
	/* how the poll was entered, for the frames' pickup (hp_rx_pickup()) */
	bool busy;
	u64 entry;
};

/* The program's run (the xdp_prog stage); start 0: stage accounting off. */
struct hp_xdp_clock {
	u64 start;
	u64 end;		/* also the start of the hand-off after it */
};

void hp_xdp_setup(struct net_device *dev);
int hp_xdp_setup_prog(struct net_device *dev, struct bpf_prog *prog,
		      struct netlink_ext_ack *extack);
int hp_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		u32 flags);
int hp_xdp_open(struct hp_port *port);
void hp_xdp_stop(struct hp_port *port);
void hp_xdp_uninit(struct hp_port *port);
int hp_xdp_check_mtu(struct hp_port *port, int mtu);
u32 hp_xdp_act(struct hp_port *port, struct bpf_prog *prog,
	       struct xdp_buff *xdp, const struct hp_rx_cmpl *c,
	       struct hp_xdp_poll *xp, struct hp_xdp_clock *clk);
void hp_xdp_poll_end(struct hp_port *port, struct hp_xdp_poll *xp);

/* xsk.c */
int hp_xsk_setup_pool(struct net_device *dev, struct xsk_buff_pool *pool, u16 qid);
int hp_xsk_wakeup(struct net_device *dev, u32 qid, u32 flags);

/* dim.c */
void hp_dim_init(struct hp_port *port);
void hp_dim_poll(struct hp_port *port, const struct hp_config *cfg);
void hp_dim_stop(struct hp_port *port);

/* irq.c */
void hp_irq_init(struct hp_port *port);
int hp_irq_open(struct hp_port *port);
void hp_irq_stop(struct hp_port *port);
void hp_irq_event(struct hp_port *port, const struct hp_config *cfg,
		  unsigned int vec, u32 pending);
void hp_irq_rearm(struct hp_port *port);
void hp_irq_config_changed(struct hp_port *port, const struct hp_config *cfg);

#endif /* _HP_PORT_H */
