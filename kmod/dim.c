// SPDX-License-Identifier: GPL-2.0
/*
 * Adaptive interrupt moderation of a port's two vectors with the kernel's
 * lib/dim (net_dim), driven as mlx5, ice and ena drive it: when NAPI
 * completes it gives each vector's DIM a sample (the vector's interrupts,
 * the frames and bytes its ring has reaped so far); when DIM decides to
 * move, it schedules its work, which publishes the usecs and frames of
 * the profile DIM chose (net_dim_get_{rx,tx}_moderation, counting from the
 * event as irq.c's timer does: EQE mode) for hp_irq_event() and counts the
 * move.  Switched on, a vector starts at lib/dim's default profile;
 * switched off, irq.c's fixed settings apply again at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dim.h>
#include <linux/workqueue.h>

#include "config.h"
#include "port.h"
#include "stages.h"

/* lib/dim's default profile in EQE mode (net_dim.c NET_DIM_DEF_PROFILE_EQE) */
#define HP_DIM_DEF_PROFILE	1

static struct dim_cq_moder hp_dim_moder(const struct hp_dim *d)
{
	if (d->vec == HP_IRQ_RX)
		return net_dim_get_rx_moderation(d->dim.mode, d->dim.profile_ix);
	return net_dim_get_tx_moderation(d->dim.mode, d->dim.profile_ix);
}

static void hp_dim_publish(struct hp_dim *d)
{
	struct dim_cq_moder m = hp_dim_moder(d);

	WRITE_ONCE(d->usecs, m.usec);
	WRITE_ONCE(d->frames, m.pkts);
}

/* Process context: DIM chose dim.profile_ix. */
static void hp_dim_work(struct work_struct *work)
{
	struct dim *dim = container_of(work, struct dim, work);
	struct hp_dim *d = container_of(dim, struct hp_dim, dim);
	struct hp_port *port = d->port;

	hp_dim_publish(d);
	/* the counters are written with BH off (stages.c) */
	local_bh_disable();
	hp_stages_count(port->acct, port->dev,
			d->vec == HP_IRQ_RX ? HOTPATH_CNT_DIM_RX_MOVES :
					      HOTPATH_CNT_DIM_TX_MOVES,
			dim->profile_ix, 0);
	local_bh_enable();
	/* lib/dim's protocol: net_dim() measures again once this is seen */
	WRITE_ONCE(dim->state, DIM_START_MEASURE);
}

void hp_dim_init(struct hp_port *port)
{
	unsigned int i;

	for (i = 0; i < HP_IRQ_NUM; i++) {
		struct hp_dim *d = &port->dim[i];

		d->port = port;
		d->vec = i;
		INIT_WORK(&d->dim.work, hp_dim_work);
	}
}

/*
 * A fresh measurement from the default profile.  NAPI's: a work still
 * pending from the last time only republishes the profile it reads.
 */
static void hp_dim_start(struct hp_dim *d)
{
	struct dim *dim = &d->dim;

	dim->state = DIM_START_MEASURE;
	memset(&dim->prev_stats, 0, sizeof(dim->prev_stats));
	memset(&dim->start_sample, 0, sizeof(dim->start_sample));
	memset(&dim->measuring_sample, 0, sizeof(dim->measuring_sample));
	dim->mode = DIM_CQ_PERIOD_MODE_START_FROM_EQE;
	dim->profile_ix = HP_DIM_DEF_PROFILE;
	dim->tune_state = DIM_PARKING_ON_TOP;
	dim->steps_left = 0;
	dim->steps_right = 0;
	dim->tired = 0;
	hp_dim_publish(d);
	d->active = true;
}

static void hp_dim_sample(struct hp_dim *d, bool on, u32 frames, u64 bytes)
{
	struct dim_sample s = {};

	if (!on) {
		d->active = false;
		return;
	}
	if (!d->active)
		hp_dim_start(d);
	dim_update_sample(READ_ONCE(d->events), frames, bytes, &s);
	net_dim(&d->dim, s);
}

/* NAPI completed, before it primes the vectors again.  BH context. */
void hp_dim_poll(struct hp_port *port, const struct hp_config *cfg)
{
	hp_port_assert_napi_owner(port);
	if (likely(!cfg->adaptive_rx && !cfg->adaptive_tx &&
		   !port->dim[HP_IRQ_RX].active && !port->dim[HP_IRQ_TX].active))
		return;
	hp_dim_sample(&port->dim[HP_IRQ_RX], cfg->adaptive_rx, port->rx.reaped,
		      port->rx.bytes);
	hp_dim_sample(&port->dim[HP_IRQ_TX], cfg->adaptive_tx, port->tx.reaped,
		      port->tx.bytes);
}

/* ndo_stop, NAPI disabled: no work runs once this returns. */
void hp_dim_stop(struct hp_port *port)
{
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; i < HP_IRQ_NUM; i++) {
		cancel_work_sync(&port->dim[i].dim.work);
		port->dim[i].active = false;
	}
}
