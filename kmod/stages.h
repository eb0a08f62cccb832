/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-stage latency accounting and technique counters, per port and per CPU.
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
const char *hp_stages_counter_name(unsigned int counter);

/* Sum every CPU's histogram of @stage on @dev. */
void hp_stages_read(const struct net_device *dev, unsigned int stage,
		    struct hp_stage_summary *out);
/* @out has __HOTPATH_CNT_MAX entries, indexed by enum hotpath_counter. */
void hp_stages_read_counters(const struct net_device *dev, u64 *out);
/* Zero every stage and counter of @dev. */
void hp_stages_reset(struct net_device *dev);

#endif /* _HP_STAGES_H */
