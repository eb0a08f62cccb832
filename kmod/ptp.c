// SPDX-License-Identifier: GPL-2.0
/*
 * The PTP hardware clock (PHC) of a hotpath port.
 *
 * One clock per port, not per pair: each end of a pair stands for the NIC
 * of a different machine (tests and the lab put the ends in two network
 * namespaces), and a real NIC carries its own oscillator.  Two clocks are
 * what makes synchronising them (ptp4l across the pair) real work.
 *
 * The clock is a linear function of the host's CLOCK_MONOTONIC, the clock
 * the NIC model keeps its time in (the engine's base is ktime_get_ns()), so
 * a modelled instant converts to PHC time exactly:
 *
 *   phc(host) = phc0 + d + d * drift_ppb / 1e9 + d * adj / (65536 * 1e6)
 *   with d = host - host0
 *
 * (phc0, host0, adj) form an epoch: an immutable object published with RCU
 * and replaced by every settime/adjtime/adjfine (and drift change), which
 * start a new epoch at "now" continuing the old line, so readers (the TX
 * engines stamping frames, in softirq) take no lock and see one consistent
 * line.  Writers (the ptp ops in process context, the config under RTNL)
 * are serialised by a mutex.  drift_ppb is the oscillator's own error
 * (per-port setting phc-drift-ppb, 0 by default); adj is what the servo
 * (ptp4l, phc_ctl) asked for through adjfine, in scaled ppm.  Each clock
 * starts at CLOCK_REALTIME plus its own offset, so two ends of a pair never
 * agree until something synchronises them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/ptp_clock_kernel.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "ptp.h"

/* ptp4l's servo clamps to this; far beyond any configured drift. */
#define HP_PTP_MAX_ADJ_PPB	10000000

struct hp_ptp_epoch {
	u64 host0;		/* CLOCK_MONOTONIC, ns */
	s64 phc0;		/* PHC time at host0, ns */
	s32 drift_ppb;
	long adj;		/* scaled ppm (ppm * 2^16) */
	struct rcu_head rcu;
};

struct hp_ptp {
	struct ptp_clock_info info;
	struct ptp_clock *clock;
	struct hp_ptp_epoch __rcu *epoch;
	struct mutex lock;	/* serialises epoch writers */
};

/* d * num / den for signed d and num, without overflow in the product. */
static s64 hp_ptp_scale(s64 d, s64 num, u64 den)
{
	bool neg = (d < 0) != (num < 0);
	u64 v;

	if (!d || !num)
		return 0;
	v = mul_u64_u64_div_u64(d < 0 ? -(u64)d : d, num < 0 ? -(u64)num : num, den);
	return neg ? -(s64)v : (s64)v;
}

static s64 hp_ptp_at(const struct hp_ptp_epoch *e, u64 host)
{
	s64 d = (s64)(host - e->host0);

	return e->phc0 + d + hp_ptp_scale(d, e->drift_ppb, NSEC_PER_SEC) +
	       hp_ptp_scale(d, e->adj, 65536ULL * 1000000);
}

u64 hp_ptp_time(struct hp_ptp *ptp, u64 host_ns)
{
	const struct hp_ptp_epoch *e;
	s64 t;

	rcu_read_lock();
	e = rcu_dereference(ptp->epoch);
	t = hp_ptp_at(e, host_ns);
	rcu_read_unlock();
	return t;
}

/* Start a new epoch at now, continuing the current line.  Lock held. */
static int hp_ptp_new_epoch(struct hp_ptp *ptp, const s64 *set, s64 delta,
			    const long *adj, const s32 *drift)
{
	struct hp_ptp_epoch *old = rcu_dereference_protected(ptp->epoch,
							      lockdep_is_held(&ptp->lock));
	struct hp_ptp_epoch *e;
	u64 now;

	e = kmalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	now = ktime_get_ns();
	e->host0 = now;
	e->phc0 = (set ? *set : hp_ptp_at(old, now)) + delta;
	e->adj = adj ? *adj : old->adj;
	e->drift_ppb = drift ? *drift : old->drift_ppb;
	rcu_assign_pointer(ptp->epoch, e);
	kfree_rcu(old, rcu);
	return 0;
}

static struct hp_ptp *hp_ptp_of(struct ptp_clock_info *info)
{
	return container_of(info, struct hp_ptp, info);
}

static int hp_ptp_gettime64(struct ptp_clock_info *info, struct timespec64 *ts)
{
	*ts = ns_to_timespec64(hp_ptp_time(hp_ptp_of(info), ktime_get_ns()));
	return 0;
}

static int hp_ptp_settime64(struct ptp_clock_info *info, const struct timespec64 *ts)
{
	struct hp_ptp *ptp = hp_ptp_of(info);
	s64 set = timespec64_to_ns(ts);
	int err;

	mutex_lock(&ptp->lock);
	err = hp_ptp_new_epoch(ptp, &set, 0, NULL, NULL);
	mutex_unlock(&ptp->lock);
	return err;
}

static int hp_ptp_adjtime(struct ptp_clock_info *info, s64 delta)
{
	struct hp_ptp *ptp = hp_ptp_of(info);
	int err;

	mutex_lock(&ptp->lock);
	err = hp_ptp_new_epoch(ptp, NULL, delta, NULL, NULL);
	mutex_unlock(&ptp->lock);
	return err;
}

static int hp_ptp_adjfine(struct ptp_clock_info *info, long scaled_ppm)
{
	struct hp_ptp *ptp = hp_ptp_of(info);
	int err;

	mutex_lock(&ptp->lock);
	err = hp_ptp_new_epoch(ptp, NULL, 0, &scaled_ppm, NULL);
	mutex_unlock(&ptp->lock);
	return err;
}

static int hp_ptp_enable(struct ptp_clock_info *info, struct ptp_clock_request *rq, int on)
{
	return -EOPNOTSUPP;
}

int hp_ptp_set_drift(struct hp_ptp *ptp, s32 drift_ppb)
{
	int err = 0;

	mutex_lock(&ptp->lock);
	if (rcu_dereference_protected(ptp->epoch,
				      lockdep_is_held(&ptp->lock))->drift_ppb != drift_ppb)
		err = hp_ptp_new_epoch(ptp, NULL, 0, NULL, &drift_ppb);
	mutex_unlock(&ptp->lock);
	return err;
}

int hp_ptp_index(const struct hp_ptp *ptp)
{
	return ptp_clock_index(ptp->clock);
}

struct hp_ptp *hp_ptp_create(const char *name, s32 drift_ppb, struct device *parent)
{
	struct hp_ptp_epoch *e;
	struct hp_ptp *ptp;
	int err = -ENOMEM;

	ptp = kzalloc(sizeof(*ptp), GFP_KERNEL);
	if (!ptp)
		return ERR_PTR(-ENOMEM);
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		goto err_free_ptp;
	/* realtime plus up to ~1 s of this clock's own offset */
	e->host0 = ktime_get_ns();
	e->phc0 = ktime_get_real_ns() + hp_random_below(NSEC_PER_SEC);
	e->drift_ppb = drift_ppb;
	RCU_INIT_POINTER(ptp->epoch, e);
	mutex_init(&ptp->lock);

	ptp->info = (struct ptp_clock_info) {
		.owner		= THIS_MODULE,
		.max_adj	= HP_PTP_MAX_ADJ_PPB,
		.adjfine	= hp_ptp_adjfine,
		.adjtime	= hp_ptp_adjtime,
		.gettime64	= hp_ptp_gettime64,
		.settime64	= hp_ptp_settime64,
		.enable		= hp_ptp_enable,
	};
	strscpy(ptp->info.name, name, sizeof(ptp->info.name));

	ptp->clock = ptp_clock_register(&ptp->info, parent);
	if (IS_ERR_OR_NULL(ptp->clock)) {
		err = ptp->clock ? PTR_ERR(ptp->clock) : -EOPNOTSUPP;
		goto err_free_epoch;
	}
	return ptp;

err_free_epoch:
	mutex_destroy(&ptp->lock);
	kfree(e);
err_free_ptp:
	kfree(ptp);
	return ERR_PTR(err);
}

/* The port is unregistered: no engine can reach this clock any more. */
void hp_ptp_destroy(struct hp_ptp *ptp)
{
	if (!ptp)
		return;
	ptp_clock_unregister(ptp->clock);
	mutex_destroy(&ptp->lock);
	kfree_rcu(rcu_dereference_protected(ptp->epoch, true), rcu);
	kfree(ptp);
}
