// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated MSI-X: one RX and one TX vector per port.
 *
 * Each vector owns a real IRQ descriptor (dummy chip, edge flow handler)
 * with a handler requested under the name "<dev>-rx"/"<dev>-tx", so it shows
 * in /proc/interrupts.  The NIC "raises" it by queueing an irq_work: a
 * self-IPI whose handler runs in hard-IRQ context, where generic_handle_irq()
 * runs the flow handler and our handler, like a device interrupt would.  If
 * no descriptor can be had, the irq_work runs the handler directly.
 *
 * Moderation follows the usual event-queue design: a vector is "primed"
 * (armed) when NAPI finished and may fire once; the NIC fires it when
 * rx-frames completions are pending or rx-usecs after the first pending
 * one, whichever comes first (0 or 1 frames and 0 usecs: at once).  Firing
 * clears the primed bit, which is the mask; NAPI primes it again only when
 * napi_complete_done() says it owns nothing more (a busy poller may own it).
 * With adaptive-rx/-tx on, lib/dim (dim.c) picks the usecs and frames.
 * In busy-poll rx-mode the RX vector is never primed; a watchdog schedules
 * NAPI for frames left unpolled longer than busy_poll_fallback_us.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/ktime.h>

#include "compat.h"
#include "port.h"

/*
 * rx-frames N with rx-usecs 0 has no timer in ethtool's sense; a trailing
 * batch shorter than N would then never be reported.  Hardware has the same
 * hole; we close it with a long guard timer instead of stranding frames.
 */
#define HP_COAL_GUARD_US	1000

static irqreturn_t hp_irq_handler(int irq, void *data)
{
	struct hp_irq *v = data;
	struct hp_port *port = v->port;
	/*
	 * The stamp ends rx_irq; only a NAPI run that accounts reads it
	 * (hp_rx_pickup()), so without stats it is only "entered": 1.
	 */
	u64 now = hp_stages_enabled(port->acct) ? ktime_get_ns() ?: 1 : 1;

	/* the hardirq stage context of stages.c is written from here only */
	lockdep_assert_in_irq();
	if (!READ_ONCE(port->napi_entry_ns))
		WRITE_ONCE(port->napi_entry_ns, now);
	if (v->vec == HP_IRQ_RX && !READ_ONCE(port->rx_entry_ns))
		WRITE_ONCE(port->rx_entry_ns, now);
	hp_port_count(port, v->vec == HP_IRQ_RX ? HOTPATH_CNT_INTERRUPTS :
						  HOTPATH_CNT_TX_INTERRUPTS);
	/* DIM's event counter (dim.c), written here only */
	WRITE_ONCE(port->dim[v->vec].events, port->dim[v->vec].events + 1);
	napi_schedule(&port->napi);
	return IRQ_HANDLED;
}

/* Hard-IRQ context (self-IPI): deliver the interrupt. */
static void hp_irq_work(struct irq_work *work)
{
	struct hp_irq *v = container_of(work, struct hp_irq, work);

	/* generic_handle_irq() without its per-call descriptor lookup */
	if (v->requested)
		generic_handle_irq_desc(v->desc);
	else
		hp_irq_handler(0, v);
}

static bool hp_irq_fire(struct hp_irq *v)
{
	if (!xchg(&v->armed, false))
		return false;
	/*
	 * A coalescing timer is pending only with rx-usecs/rx-frames set;
	 * without one skip the cancel's work (a timer started concurrently
	 * finds the vector masked and does nothing).
	 */
	if (hrtimer_is_queued(&v->timer))
		hrtimer_try_to_cancel(&v->timer);
	irq_work_queue(&v->work);
	return true;
}

/*
 * Counted apart from the threshold fires: how many interrupts a given
 * arrival pattern raises then follows from the counters alone, whatever the
 * scheduler did to the sender's pace.
 */
static enum hrtimer_restart hp_irq_coalesce_expired(struct hrtimer *timer)
{
	struct hp_irq *v = container_of(timer, struct hp_irq, timer);

	if (hp_irq_fire(v) && v->vec == HP_IRQ_RX)
		hp_port_count(v->port, HOTPATH_CNT_INTERRUPTS_TIMER);
	return HRTIMER_NORESTART;
}

static void hp_irq_watchdog_arm(struct hp_port *port, const struct hp_config *cfg)
{
	if (!hrtimer_is_queued(&port->watchdog))
		hrtimer_start(&port->watchdog,
			      ns_to_ktime((u64)cfg->busy_poll_fallback_us * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
}

static enum hrtimer_restart hp_irq_watchdog_expired(struct hrtimer *timer)
{
	struct hp_port *port = container_of(timer, struct hp_port, watchdog);
	struct hp_rx_ring *rx = &port->rx;
	u32 reaped = READ_ONCE(rx->reaped);
	u64 bound = READ_ONCE(port->watchdog_ns);
	u64 oldest, now;

	/* pairs with smp_store_release() in hp_engine_rx_complete() */
	if (smp_load_acquire(&rx->filled) == reaped)
		return HRTIMER_NORESTART;

	/* A stale read (NAPI reaping right now) only moves the fire. */
	oldest = READ_ONCE(rx->cmpl[reaped & (rx->size - 1)].done_ns);
	now = ktime_get_ns();
	if (oldest && now < oldest + bound) {
		hrtimer_set_expires(timer, ns_to_ktime(oldest + bound));
		return HRTIMER_RESTART;
	}

	hp_port_count(port, HOTPATH_CNT_WATCHDOG_FIRES);
	if (!READ_ONCE(port->napi_entry_ns))
		WRITE_ONCE(port->napi_entry_ns, now ?: 1);
	if (!READ_ONCE(port->rx_entry_ns))
		WRITE_ONCE(port->rx_entry_ns, now ?: 1);
	napi_schedule(&port->napi);
	return HRTIMER_NORESTART;
}

/*
 * The NIC wrote a completion for @vec; @pending are now unreaped.  Called by
 * the producer (the engine, BH) and by NAPI after priming again.
 */
void hp_irq_event(struct hp_port *port, const struct hp_config *cfg,
		  unsigned int vec, u32 pending)
{
	struct hp_irq *v = &port->irq[vec];
	const struct hp_dim *d = &port->dim[vec];
	u32 usecs, frames;

	hp_port_assert_bh();
	/*
	 * Pairs with the barrier in hp_irq_rearm(): either the producer sees
	 * the vector primed, or NAPI sees the new completion.
	 */
	smp_mb();
	if (!pending)
		return;

	if (vec == HP_IRQ_RX && cfg->rx_mode == HOTPATH_RX_MODE_BUSY_POLL) {
		hp_irq_watchdog_arm(port, cfg);
		return;
	}
	if (!READ_ONCE(v->armed))
		return;

	if (vec == HP_IRQ_RX ? cfg->adaptive_rx : cfg->adaptive_tx) {
		usecs = READ_ONCE(d->usecs);
		frames = READ_ONCE(d->frames);
	} else if (vec == HP_IRQ_RX) {
		usecs = cfg->rx_usecs;
		frames = cfg->rx_frames;
	} else {
		usecs = cfg->tx_usecs;
		frames = cfg->tx_frames;
	}

	if (frames == 1 || (!usecs && !frames) || (frames && pending >= frames)) {
		hp_irq_fire(v);
		return;
	}
	if (!hrtimer_is_queued(&v->timer))
		hrtimer_start(&v->timer,
			      ns_to_ktime((u64)(usecs ?: HP_COAL_GUARD_US) * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
}

static u32 hp_irq_rx_pending(struct hp_port *port)
{
	/* pairs with smp_store_release() in hp_engine_rx_complete() */
	return smp_load_acquire(&port->rx.filled) - port->rx.reaped;
}

static u32 hp_irq_tx_pending(struct hp_port *port)
{
	/* pairs with smp_store_release() in hp_engine_doorbell() */
	return smp_load_acquire(&port->tx.done) - port->tx.reaped;
}

/* NAPI completed and owns nothing: prime the vectors again.  BH context. */
void hp_irq_rearm(struct hp_port *port)
{
	const struct hp_config *cfg = hp_port_cfg(port);

	lockdep_assert_in_softirq();
	WRITE_ONCE(port->irq[HP_IRQ_TX].armed, true);
	if (cfg->rx_mode == HOTPATH_RX_MODE_INTERRUPT)
		WRITE_ONCE(port->irq[HP_IRQ_RX].armed, true);
	/* hp_irq_event()'s barrier orders the priming before the reads */
	hp_irq_event(port, cfg, HP_IRQ_TX, hp_irq_tx_pending(port));
	hp_irq_event(port, cfg, HP_IRQ_RX, hp_irq_rx_pending(port));
}

/*
 * A new configuration was published (RTNL).  Leaving busy-poll unmasks the
 * RX interrupt and reports what waits; entering it leaves the vector to
 * the next NAPI completion, which will not prime it again.
 */
void hp_irq_config_changed(struct hp_port *port, const struct hp_config *cfg)
{
	ASSERT_RTNL();
	WRITE_ONCE(port->watchdog_ns, (u64)cfg->busy_poll_fallback_us * NSEC_PER_USEC);
	if (!READ_ONCE(port->rx_enabled))
		return;

	rcu_read_lock_bh();
	cfg = hp_port_cfg(port);
	/*
	 * Priming while NAPI runs is harmless: a fire then only makes NAPI
	 * poll once more (NAPI_STATE_MISSED).
	 */
	WRITE_ONCE(port->irq[HP_IRQ_RX].armed,
		   cfg->rx_mode == HOTPATH_RX_MODE_INTERRUPT);
	/* Nothing waits for a timer of the old settings: re-evaluate now. */
	hp_irq_event(port, cfg, HP_IRQ_RX, hp_irq_rx_pending(port));
	hp_irq_event(port, cfg, HP_IRQ_TX, hp_irq_tx_pending(port));
	rcu_read_unlock_bh();
}

void hp_irq_init(struct hp_port *port)
{
	unsigned int i;

	for (i = 0; i < HP_IRQ_NUM; i++) {
		struct hp_irq *v = &port->irq[i];

		v->port = port;
		v->vec = i;
		/* MSI-X is delivered in hard-IRQ context, also on PREEMPT_RT */
		v->work = IRQ_WORK_INIT_HARD(hp_irq_work);
		hrtimer_init(&v->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		v->timer.function = hp_irq_coalesce_expired;
	}
	hrtimer_init(&port->watchdog, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	port->watchdog.function = hp_irq_watchdog_expired;
}

static void hp_irq_vector_release(struct hp_irq *v)
{
	if (v->requested) {
		free_irq(v->irq, v);
		v->requested = false;
		v->desc = NULL;
	}
	if (v->irq > 0) {
		irq_set_chip_and_handler(v->irq, NULL, NULL);
		irq_free_desc(v->irq);
		v->irq = 0;
	}
}

static void hp_irq_vector_setup(struct hp_irq *v, struct net_device *dev)
{
	int irq, err;

	snprintf(v->name, sizeof(v->name), "%s-%s", dev->name,
		 v->vec == HP_IRQ_RX ? "rx" : "tx");

	/*
	 * No owner module: request_irq() would pin it, and the module must
	 * unload with ports up (rtnl_link_unregister() frees the vectors).
	 */
	irq = __irq_alloc_descs(-1, 0, 1, NUMA_NO_NODE, NULL, NULL);
	if (irq < 0)
		goto fallback;
	v->irq = irq;
	/*
	 * The edge flow, as for MSI on x86: a vector raised while its handler
	 * still runs on another CPU is replayed (IRQS_PENDING), not lost as
	 * handle_simple_irq() would lose it.
	 */
	irq_set_chip_and_handler_name(irq, &dummy_irq_chip, handle_edge_irq, "hotpath");
	irq_modify_status(irq, IRQ_NOREQUEST | IRQ_NOAUTOEN, IRQ_NOPROBE);
	err = request_irq(irq, hp_irq_handler, 0, v->name, v);
	if (err)
		goto fallback;
	v->desc = irq_data_to_desc(irq_get_irq_data(irq));
	v->requested = true;
	return;

fallback:
	hp_irq_vector_release(v);
	netdev_info(dev, "no IRQ descriptor for %s, delivering from irq_work\n", v->name);
}

/* ndo_open: get the vectors and prime them.  RTNL held. */
int hp_irq_open(struct hp_port *port)
{
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; i < HP_IRQ_NUM; i++)
		hp_irq_vector_setup(&port->irq[i], port->dev);

	port->napi_entry_ns = 0;
	port->rx_entry_ns = 0;
	port->busy_owned = false;
	WRITE_ONCE(port->irq[HP_IRQ_TX].armed, true);
	WRITE_ONCE(port->irq[HP_IRQ_RX].armed,
		   rtnl_dereference(port->cfg)->rx_mode == HOTPATH_RX_MODE_INTERRUPT);
	return 0;
}

/*
 * ndo_stop, after the peer can no longer reach us (synchronize_net()) and
 * our own xmit is quiesced: mask, stop the timers, flush the self-IPIs.
 */
void hp_irq_stop(struct hp_port *port)
{
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; i < HP_IRQ_NUM; i++)
		WRITE_ONCE(port->irq[i].armed, false);
	hrtimer_cancel(&port->watchdog);
	for (i = 0; i < HP_IRQ_NUM; i++) {
		hrtimer_cancel(&port->irq[i].timer);
		irq_work_sync(&port->irq[i].work);
	}
	for (i = 0; i < HP_IRQ_NUM; i++)
		hp_irq_vector_release(&port->irq[i]);
}
