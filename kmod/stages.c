// SPDX-License-Identifier: GPL-2.0
/*
 * Per-stage latency accounting: per-port, per-CPU log-linear histograms of
 * every stage and the technique counters, their tracepoints, and the reader
 * that merges the CPUs for netlink and ethtool.
 *
 * Layout: a port's struct hp_acct points at one struct hp_cpu per possible
 * CPU (allocated on that CPU's node; a histogram set is too large for the
 * per-CPU allocator).  Each hp_cpu has two contexts, one written only
 * outside hardirq (xmit with BH off, NAPI, timers) and one written only in
 * hardirq (the emulated MSI-X handler): a hardirq interrupting a softirq
 * update therefore never writes the memory being updated, without disabling
 * interrupts on the datapath.  Hardirqs do not nest, so each context has a
 * single writer at any time.
 *
 * Consistency: every histogram and every counter block has its own
 * seqcount, written by that single writer (no atomics: a seqcount write is
 * two increments and two write barriers) and read with retries, so a
 * reader never sees a count without its sum and buckets.
 *
 * Reset: the port's generation is bumped; a histogram or counter block
 * whose generation is older is empty to readers, and its writer zeroes it
 * in its own context before the next update.  Reset thus never writes
 * another CPU's memory and cannot race with a writer; a sample recorded
 * concurrently with the reset may be lost, never half-counted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/math64.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/cpumask.h>
#include <linux/jump_label.h>
#include <linux/stringify.h>

#include "counters.h"
#include "stage_list.h"
#include "stages.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/*
 * Log-linear buckets: values below HP_HIST_SUB are exact; above, every
 * power of two [2^m, 2^(m+1)) is split into HP_HIST_SUB linear buckets of
 * width 2^(m - HP_HIST_SUB_BITS).  The middle of a bucket is within half a
 * width of any value in it, i.e. within 1 / (2 * HP_HIST_SUB) = 3.125%.
 */
#define HP_HIST_SUB_BITS	4
#define HP_HIST_SUB		BIT(HP_HIST_SUB_BITS)
#define HP_HIST_MAX_BITS	34	/* 2^34 ns = 17 s; beyond: last bucket */
#define HP_HIST_BUCKETS		(HP_HIST_SUB + \
				 (HP_HIST_MAX_BITS - HP_HIST_SUB_BITS) * HP_HIST_SUB)

/* A reader gives up insisting on a clean snapshot of a busy CPU. */
#define HP_READ_RETRIES		16

struct hp_hist {
	seqcount_t seq;
	u32 gen;
	u64 count;
	u64 sum;
	u64 min;
	u64 max;
	u64 bucket[HP_HIST_BUCKETS];
};

struct hp_counters {
	seqcount_t seq;
	u32 gen;
	u64 val[__HOTPATH_CNT_MAX];
};

struct hp_ctx {
	struct hp_counters cnt;
	struct hp_hist hist[__HOTPATH_STAGE_MAX];
};

enum { HP_CTX_TASK, HP_CTX_HARDIRQ, HP_NR_CTX };

struct hp_cpu {
	struct hp_ctx ctx[HP_NR_CTX];
};

/*
 * On while any hotpath event has a probe (trace.h's reg/unreg hooks): the
 * recorders skip the per-event dispatch with one patched-out jump when no
 * one traces, which is nearly always.
 */
static DEFINE_STATIC_KEY_FALSE(hp_trace_key);

int hp_stages_trace_reg(void)
{
	static_branch_inc(&hp_trace_key);
	return 0;
}

void hp_stages_trace_unreg(void)
{
	static_branch_dec(&hp_trace_key);
}

/*
 * stage_list.h's list at the uapi ids, as for the counters below: each
 * entry's position must be its HOTPATH_STAGE_ value and the list must end
 * where the enum does.  The tables are then indexed by the stage's id.
 */
#define HP_STAGE_POS(id, name, src, kind)	HP_STAGE_POS_##id,
enum { HP_STAGES(HP_STAGE_POS) HP_STAGE_POS_END };
#define HP_STAGE_AT_ID(id, name, src, kind)	\
	BUILD_BUG_ON_ZERO((int)HP_STAGE_POS_##id != (int)HOTPATH_STAGE_##id),
static const char hp_stage_at_id[] __maybe_unused = {
	HP_STAGES(HP_STAGE_AT_ID)
};

static_assert((int)HP_STAGE_POS_END == (int)__HOTPATH_STAGE_MAX,
	      "stage_list.h and enum hotpath_stage differ in length");

#define HP_STAGE_NAME(id, name, src, kind)	__stringify(name),
static const char * const hp_stage_names[__HOTPATH_STAGE_MAX] = {
	HP_STAGES(HP_STAGE_NAME)
};

#define HP_STAGE_SOURCE(id, name, src, kind)	HP_STAGE_SRC_##src,
static const u8 hp_stage_sources[__HOTPATH_STAGE_MAX] = {
	HP_STAGES(HP_STAGE_SOURCE)
};

/* Whether a port records the stage (stage_list.h's kind). */
#define HP_STAGE_ON_PORT(id, name, src, kind)	HP_STAGE_PORT_##kind,
static const bool hp_stage_on_port[__HOTPATH_STAGE_MAX] = {
	HP_STAGES(HP_STAGE_ON_PORT)
};

#define HP_NIC_STAGE(id)	HOTPATH_STAGE_##id,
static const u8 hp_nic_stages[] = { HP_NIC_PATH(HP_NIC_STAGE) };

unsigned int hp_stages_of_kind(u32 kind, u8 *ids)
{
	unsigned int i, n = 0;

	if (kind == HOTPATH_KIND_ATTACHED) {
		memcpy(ids, hp_nic_stages, sizeof(hp_nic_stages));
		return ARRAY_SIZE(hp_nic_stages);
	}
	for (i = 0; i < __HOTPATH_STAGE_MAX; i++)
		if (hp_stage_on_port[i])
			ids[n++] = i;
	return n;
}

/*
 * counters.h's list at the uapi ids: each entry's position in the list must
 * be its HOTPATH_CNT_ value, and the list must end where the enum does.
 * The tables below are then indexed by the counter's id.
 */
#define HP_CNT_POS(id, name)	HP_CNT_POS_##id,
enum { HP_CNT_POS_UNSPEC, HP_COUNTERS(HP_CNT_POS, HP_CNT_POS) HP_CNT_POS_END };
#define HP_CNT_AT_ID(id, name)	\
	BUILD_BUG_ON_ZERO((int)HP_CNT_POS_##id != (int)HOTPATH_CNT_##id),
static const char hp_cnt_at_id[] __maybe_unused = {
	HP_COUNTERS(HP_CNT_AT_ID, HP_CNT_AT_ID)
};

static_assert((int)HP_CNT_POS_END == (int)__HOTPATH_CNT_MAX,
	      "counters.h and enum hotpath_counter differ in length");

#define HP_CNT_NAME(id, name)	__stringify(name),
static const char * const hp_counter_names[__HOTPATH_CNT_MAX] = {
	NULL,	/* HOTPATH_CNT_UNSPEC */
	HP_COUNTERS(HP_CNT_NAME, HP_CNT_NAME)
};

const char *hp_stages_name(unsigned int stage)
{
	return stage < __HOTPATH_STAGE_MAX ? hp_stage_names[stage] : NULL;
}

u8 hp_stages_source(unsigned int stage)
{
	return stage < __HOTPATH_STAGE_MAX ? hp_stage_sources[stage] :
					     HOTPATH_SOURCE_MEASURED;
}

const char *hp_stages_counter_name(unsigned int counter)
{
	return counter < __HOTPATH_CNT_MAX ? hp_counter_names[counter] : NULL;
}

static unsigned int hp_hist_index(u64 v)
{
	unsigned int msb, shift;

	if (v < HP_HIST_SUB)
		return v;
	msb = fls64(v) - 1;
	if (msb >= HP_HIST_MAX_BITS)
		return HP_HIST_BUCKETS - 1;
	shift = msb - HP_HIST_SUB_BITS;
	return HP_HIST_SUB + shift * HP_HIST_SUB +
	       ((v >> shift) & (HP_HIST_SUB - 1));
}

/* The middle of bucket @i: the value a percentile in it reports. */
static u64 hp_hist_value(unsigned int i)
{
	unsigned int shift, sub;

	if (i < HP_HIST_SUB)
		return i;
	shift = (i - HP_HIST_SUB) / HP_HIST_SUB;
	sub = (i - HP_HIST_SUB) % HP_HIST_SUB;
	return ((u64)(HP_HIST_SUB + sub) << shift) + ((1ULL << shift) >> 1);
}

static void hp_hist_clear(struct hp_hist *h, u32 gen)
{
	h->gen = gen;
	h->count = 0;
	h->sum = 0;
	h->min = U64_MAX;
	h->max = 0;
	memset(h->bucket, 0, sizeof(h->bucket));
}

/*
 * The context this CPU writes from now.  Callers run with preemption
 * disabled (BH off, softirq or hardirq), so the CPU cannot change under us;
 * outside hardirq, BH (or IRQs) off is what keeps a softirq from writing
 * the task context half way through a task's update.
 */
static struct hp_ctx *hp_ctx_this(struct hp_acct *st)
{
	lockdep_assert_preemption_disabled();
	lockdep_assert_once(in_hardirq() || in_softirq() || irqs_disabled());
	return &st->cpu[smp_processor_id()]->ctx[in_hardirq() ?
						   HP_CTX_HARDIRQ : HP_CTX_TASK];
}

typedef void (*hp_trace_fn_t)(int ifindex, u16 queue, u32 seq, u32 len, u64 ns);

/* Each stage's event (stage_list.h); called with tracing on only. */
#define HP_STAGE_TRACE(id, name, src, kind)	trace_##name,
static const hp_trace_fn_t hp_trace_stages[__HOTPATH_STAGE_MAX] = {
	HP_STAGES(HP_STAGE_TRACE)
};

static void hp_trace_stage(unsigned int stage, int ifindex, u16 queue,
			   u32 seq, u32 len, u64 ns)
{
	if (stage < __HOTPATH_STAGE_MAX)
		hp_trace_stages[stage](ifindex, queue, seq, len, ns);
}

/* Each counter's event, NULL for one without; called with tracing on only. */
#define HP_CNT_NO_TRACE(id, name)	NULL,
#define HP_CNT_TRACE(id, name)		trace_##name,
static const hp_trace_fn_t hp_trace_counters[__HOTPATH_CNT_MAX] = {
	NULL,	/* HOTPATH_CNT_UNSPEC */
	HP_COUNTERS(HP_CNT_NO_TRACE, HP_CNT_TRACE)
};

static void hp_trace_counter(unsigned int counter, int ifindex, u32 seq,
			     u32 len)
{
	if (counter < __HOTPATH_CNT_MAX && hp_trace_counters[counter])
		hp_trace_counters[counter](ifindex, 0, seq, len, 0);
}

/*
 * One sample into @h, this context's histogram: no division, no atomics.
 * The bucket is found before the write section opens, so its arithmetic
 * is not repeated around the section's barriers.
 */
static __always_inline void hp_hist_add(struct hp_hist *h, u32 gen, u64 ns)
{
	unsigned int i = hp_hist_index(ns);

	raw_write_seqcount_begin(&h->seq);
	if (unlikely(h->gen != gen))
		hp_hist_clear(h, gen);
	h->count++;
	h->sum += ns;
	if (ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	h->bucket[i]++;
	raw_write_seqcount_end(&h->seq);
}

/*
 * The histograms of @n samples in this CPU's context.  A function of its
 * own: inlined into hp_stages_record_n(), the tracepoints' arguments live
 * across the loop and crowd out its pointers, which the compiler then
 * recomputes for every field (about 10 instructions a sample).
 */
static noinline void hp_hist_add_n(struct hp_acct *st, const struct hp_stage_sample *s,
				   unsigned int n)
{
	struct hp_hist *hist = hp_ctx_this(st)->hist;
	const struct hp_stage_sample *end = s + n;
	u32 gen = READ_ONCE(st->gen);

	for (; s < end; s++)
		if (likely(s->stage < __HOTPATH_STAGE_MAX))
			hp_hist_add(&hist[s->stage], gen, s->ns);
}

void hp_stages_record_q(struct hp_acct *st, const struct net_device *dev,
			unsigned int stage, u16 queue, u64 ns, u32 seq, u32 len)
{
	if (unlikely(!st || stage >= __HOTPATH_STAGE_MAX))
		return;
	if (!READ_ONCE(st->enabled))
		return;

	hp_hist_add(&hp_ctx_this(st)->hist[stage], READ_ONCE(st->gen), ns);
	if (static_branch_unlikely(&hp_trace_key))
		hp_trace_stage(stage, dev->ifindex, queue, seq, len, ns);
}

void hp_stages_record_n(struct hp_acct *st, const struct net_device *dev,
			const struct hp_stage_sample *s, unsigned int n,
			u32 seq, u32 len)
{
	unsigned int i;

	if (unlikely(!st) || !n || !READ_ONCE(st->enabled))
		return;

	hp_hist_add_n(st, s, n);
	if (static_branch_unlikely(&hp_trace_key))
		for (i = 0; i < n; i++)
			hp_trace_stage(s[i].stage, dev->ifindex, 0, seq, len, s[i].ns);
}

void hp_stages_add(struct hp_acct *st, unsigned int counter, u64 n)
{
	struct hp_counters *c;
	u32 gen;

	if (unlikely(!st || counter >= __HOTPATH_CNT_MAX))
		return;

	c = &hp_ctx_this(st)->cnt;
	gen = READ_ONCE(st->gen);

	raw_write_seqcount_begin(&c->seq);
	if (unlikely(c->gen != gen)) {
		memset(c->val, 0, sizeof(c->val));
		c->gen = gen;
	}
	c->val[counter] += n;
	raw_write_seqcount_end(&c->seq);
}

void hp_stages_count(struct hp_acct *st, const struct net_device *dev,
		     unsigned int counter, u32 seq, u32 len)
{
	hp_stages_add(st, counter, 1);
	if (static_branch_unlikely(&hp_trace_key))
		hp_trace_counter(counter, dev->ifindex, seq, len);
}

void hp_stages_set_enabled(struct hp_acct *st, bool on)
{
	WRITE_ONCE(st->enabled, on);
}

void hp_stages_set_probes(struct hp_acct *st, bool on)
{
	WRITE_ONCE(st->probes, on);
}

/*
 * Readers share one scratch snapshot and one merge buffer (a histogram is
 * ~4 KiB, too large for the stack); they are rare and never on the
 * datapath, so a spinlock (not a mutex: callers may hold rcu_read_lock)
 * serialising them costs nothing that matters.
 */
static DEFINE_SPINLOCK(hp_read_lock);
static struct hp_hist hp_read_snap;
static u64 hp_read_merged[HP_HIST_BUCKETS];

/* Copy @h into hp_read_snap; false if it is empty (or stale: reset). */
static bool hp_hist_snapshot(const struct hp_hist *h, u32 gen)
{
	unsigned int seq, tries = 0;

	do {
		seq = read_seqcount_begin(&h->seq);
		memcpy(&hp_read_snap, h, sizeof(*h));
	} while (read_seqcount_retry(&h->seq, seq) && ++tries < HP_READ_RETRIES);

	return hp_read_snap.gen == gen && hp_read_snap.count;
}

static u64 hp_percentile(u64 total, u32 num, u32 den, u64 min, u64 max)
{
	u64 rank = div_u64(total * num + den - 1, den), seen = 0;
	unsigned int i;

	if (!rank)
		rank = 1;
	for (i = 0; i < HP_HIST_BUCKETS; i++) {
		seen += hp_read_merged[i];
		if (seen >= rank)
			return clamp(hp_hist_value(i), min, max);
	}
	return max;
}

void hp_stages_read(const struct hp_acct *st, unsigned int stage,
		    struct hp_stage_summary *out)
{
	u64 total = 0, min = U64_MAX;
	unsigned int cpu, x, i;
	u32 gen;

	memset(out, 0, sizeof(*out));
	if (!st || stage >= __HOTPATH_STAGE_MAX)
		return;

	spin_lock(&hp_read_lock);
	memset(hp_read_merged, 0, sizeof(hp_read_merged));
	gen = READ_ONCE(st->gen);
	for_each_possible_cpu(cpu) {
		for (x = 0; x < HP_NR_CTX; x++) {
			if (!hp_hist_snapshot(&st->cpu[cpu]->ctx[x].hist[stage], gen))
				continue;
			out->count += hp_read_snap.count;
			out->sum_ns += hp_read_snap.sum;
			min = min(min, hp_read_snap.min);
			out->max_ns = max(out->max_ns, hp_read_snap.max);
			for (i = 0; i < HP_HIST_BUCKETS; i++)
				hp_read_merged[i] += hp_read_snap.bucket[i];
		}
	}
	if (out->count) {
		/* the buckets' own total, so ranks stay within them */
		for (i = 0; i < HP_HIST_BUCKETS; i++)
			total += hp_read_merged[i];
		out->min_ns = min;
		out->mean_ns = div64_u64(out->sum_ns, out->count);
		out->p50_ns = hp_percentile(total, 500, 1000, min, out->max_ns);
		out->p90_ns = hp_percentile(total, 900, 1000, min, out->max_ns);
		out->p99_ns = hp_percentile(total, 990, 1000, min, out->max_ns);
		out->p999_ns = hp_percentile(total, 999, 1000, min, out->max_ns);
	}
	spin_unlock(&hp_read_lock);
}

void hp_stages_read_counters(const struct hp_acct *st, u64 *out)
{
	u64 snap[__HOTPATH_CNT_MAX];
	unsigned int cpu, x, i, seq, tries;
	const struct hp_counters *c;
	u32 gen, cgen;

	memset(out, 0, sizeof(*out) * __HOTPATH_CNT_MAX);
	if (!st)
		return;

	gen = READ_ONCE(st->gen);
	for_each_possible_cpu(cpu) {
		for (x = 0; x < HP_NR_CTX; x++) {
			c = &st->cpu[cpu]->ctx[x].cnt;
			tries = 0;
			do {
				seq = read_seqcount_begin(&c->seq);
				cgen = c->gen;
				memcpy(snap, c->val, sizeof(snap));
			} while (read_seqcount_retry(&c->seq, seq) &&
				 ++tries < HP_READ_RETRIES);
			if (cgen != gen)
				continue;
			for (i = 0; i < __HOTPATH_CNT_MAX; i++)
				out[i] += snap[i];
		}
	}
}

void hp_stages_reset(struct hp_acct *st)
{
	if (st)
		WRITE_ONCE(st->gen, READ_ONCE(st->gen) + 1);
}

static void hp_ctx_init(struct hp_ctx *ctx)
{
	unsigned int s;

	seqcount_init(&ctx->cnt.seq);
	for (s = 0; s < __HOTPATH_STAGE_MAX; s++)
		seqcount_init(&ctx->hist[s].seq);
}

struct hp_acct *hp_stages_alloc(void)
{
	struct hp_acct *st;
	unsigned int cpu, x;

	st = kzalloc(struct_size(st, cpu, nr_cpu_ids), GFP_KERNEL);
	if (!st)
		return NULL;
	for_each_possible_cpu(cpu) {
		st->cpu[cpu] = kvzalloc_node(sizeof(*st->cpu[cpu]), GFP_KERNEL,
					     cpu_to_node(cpu));
		if (!st->cpu[cpu])
			goto err_free_cpus;
		for (x = 0; x < HP_NR_CTX; x++)
			hp_ctx_init(&st->cpu[cpu]->ctx[x]);
	}
	/* zeroed blocks have generation 0: empty until written */
	st->gen = 1;
	st->enabled = true;
	return st;

err_free_cpus:
	hp_stages_free(st);
	return NULL;
}

void hp_stages_free(struct hp_acct *st)
{
	unsigned int cpu;

	if (!st)
		return;
	for_each_possible_cpu(cpu)
		kvfree(st->cpu[cpu]);
	kfree(st);
}
