/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-stage latency accounting and technique counters, per port and per CPU.
 *
 * Recording (datapath): hp_stages_record() and hp_stages_count() take no
 * locks and no atomics.  They must run with preemption disabled: softirq
 * (NAPI, timers), BH-disabled process context (ndo_start_xmit) or hardirq.
 * Every CPU has two private sets of histograms and counters, one written
 * only outside hardirq and one written only in hardirq, so a hardirq that
 * interrupts a softirq half way through an update never touches the same
 * memory; readers merge both.
 *
 * Histograms are log-linear: values below 16 ns are exact, above that every
 * power of two is split into 16 linear sub-buckets and a percentile reports
 * the middle of its bucket, clamped to [min, max].  The relative error of a
 * reported percentile is therefore at most 1/32 (3.125%) for values up to
 * 2^34 ns (17 s); larger values land in the last bucket.
 */
#ifndef _HP_STAGES_H
#define _HP_STAGES_H

#include <linux/netdevice.h>
#include <uapi/linux/hotpath.h>

struct hp_stage_summary {
	u64 count;
	u64 sum_ns;
	u64 min_ns;
	u64 max_ns;
	u64 mean_ns;
	u64 p50_ns;
	u64 p90_ns;
	u64 p99_ns;
	u64 p999_ns;
};

const char *hp_stages_name(unsigned int stage);
u8 hp_stages_source(unsigned int stage);	/* enum hotpath_stage_source */
/*
 * The stages a device of @kind (enum hotpath_kind) records, into @ids
 * (__HOTPATH_STAGE_MAX entries) in the order stats-get reports them: a
 * port's in id order, an attached device's in its path's order.  Returns
 * how many.
 */
unsigned int hp_stages_of_kind(u32 kind, u8 *ids);
const char *hp_stages_counter_name(unsigned int counter);

/*
 * struct hp_acct: the per-port stage accounting (histograms per stage,
 * technique counters), not to be confused with the netdev software
 * counters (struct hp_pcpu_sw_stats, port.h).  The datapath allocates one
 * per port (hp_stages_alloc() in its setup/newlink, process context),
 * stores it in its private struct hp_port, frees it with hp_stages_free()
 * after the port stopped (no recorder can still run), and hands it to
 * every stages.c and probes.c call.  Its flags are visible so that the per-packet checks
 * (hp_stages_enabled(), hp_stages_probes()) inline; the per-CPU
 * histograms stay stages.c's.
 */
struct hp_cpu;

struct hp_acct {
	bool enabled;		/* cfg->stats_enabled */
	bool probes;		/* cfg->probes */
	u32 gen;		/* bumped by reset */
	struct hp_cpu *cpu[];	/* nr_cpu_ids, possible CPUs allocated */
};

struct hp_acct *hp_stages_alloc(void);
void hp_stages_free(struct hp_acct *st);

/*
 * Readers (control plane: netlink, ethtool), handed the port's accounting
 * object by their caller (hp_device_acct()); a NULL @st reads as zeros.
 * Sum every CPU's histogram of @stage.
 */
void hp_stages_read(const struct hp_acct *st, unsigned int stage,
		    struct hp_stage_summary *out);
/* @out has __HOTPATH_CNT_MAX entries, indexed by enum hotpath_counter. */
void hp_stages_read_counters(const struct hp_acct *st, u64 *out);
/* Zero every stage and counter of @st. */
void hp_stages_reset(struct hp_acct *st);

/*
 * Add @ns to @stage's histogram and fire the stage's tracepoint
 * (hotpath:<stage name>) with @dev's ifindex, @queue, the per-packet
 * sequence number @seq, the frame length @len and @ns.  Does nothing when
 * the port's stats are off (see hp_stages_set_enabled()); the datapath
 * should not even take timestamps then (cfg->stats_enabled).
 * Preemption (or BH) disabled, or hardirq; see above.
 */
void hp_stages_record_q(struct hp_acct *st, const struct net_device *dev,
			unsigned int stage, u16 queue, u64 ns, u32 seq, u32 len);

/* One stage's sample, for hp_stages_record_n(). */
struct hp_stage_sample {
	unsigned int stage;
	u64 ns;
};

/*
 * hp_stages_record() of @n stages of one frame at once: the per-CPU
 * context is looked up once.  Same rules.
 */
void hp_stages_record_n(struct hp_acct *st, const struct net_device *dev,
			const struct hp_stage_sample *s, unsigned int n,
			u32 seq, u32 len);

static inline void hp_stages_record(struct hp_acct *st,
				    const struct net_device *dev,
				    unsigned int stage, u64 ns, u32 seq, u32 len)
{
	hp_stages_record_q(st, dev, stage, 0, ns, seq, len);
}

/*
 * Count one technique/datapath event (enum hotpath_counter) and fire its
 * tracepoint where it has one (hotpath:<counter name>, counters.h).
 * Counters count whether stats are on or off: they are cheap and the
 * technique tests rely on them.  Same context rules as hp_stages_record().
 */
void hp_stages_count(struct hp_acct *st, const struct net_device *dev,
		     unsigned int counter, u32 seq, u32 len);

/* Add @n to @counter without firing a tracepoint (bulk, e.g. NAPI). */
void hp_stages_add(struct hp_acct *st, unsigned int counter, u64 n);

/*
 * Stage accounting on or off for the port (cfg->stats_enabled).  Called by
 * hp_probes_config(); the datapath does not need to call it.
 */
void hp_stages_set_enabled(struct hp_acct *st, bool on);
/* The port's cfg->probes, for the kernel-path probes (probes.c). */
void hp_stages_set_probes(struct hp_acct *st, bool on);

/* Inline: the core-path probes ask on every packet of every device. */
static inline bool hp_stages_enabled(const struct hp_acct *st)
{
	return READ_ONCE(st->enabled);
}

static inline bool hp_stages_probes(const struct hp_acct *st)
{
	return READ_ONCE(st->probes);
}

/*
 * Monotonic clock used for every measured stage: valid across CPUs (the
 * same clock as CLOCK_MONOTONIC in user space).
 */
static inline u64 hp_stages_now(void)
{
	return ktime_get_ns();
}

#endif /* _HP_STAGES_H */
