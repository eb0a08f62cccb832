/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-port configuration: what the control plane (netlink, ethtool) sets and
 * the datapath reads.  A port's configuration is an immutable object
 * published with RCU: writers (under RTNL) copy, change, validate and
 * replace it; the datapath reads it under rcu_read_lock() (or the BH-RCU it
 * already runs in) without locks or atomics.
 */
#ifndef _HP_CONFIG_H
#define _HP_CONFIG_H

#include <linux/types.h>
#include <linux/string.h>
#include <linux/stddef.h>
#include <linux/rcupdate.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <uapi/linux/hotpath.h>
#include <hotpath/figures.h>

struct netlink_ext_ack;

/*
 * Hardware model of one port: @timing and the figures of
 * include/hotpath/figures.h (units as in enum hotpath_model_attr), each a
 * u32 named as there.
 */
struct hp_model {
	HP_MODEL_FIGURES(HP_MODEL_FIGURE_FIELD)
	u8 timing;		/* enum hotpath_timing */
};

/*
 * The figures as a table, for the code that treats them alike: netlink's
 * fill and parse, the checks.  hp_model_figure() reads the figure @f of
 * @m, hp_model_set_figure() writes it.
 */
struct hp_model_figure {
	u16 attr;			/* HOTPATH_MODEL_A_* */
	u16 offset;			/* in struct hp_model */
	u32 min, max;			/* its kind's range */
	const char *msg;		/* the extack message of a value outside */
};

extern const struct hp_model_figure hp_config_figures[];
extern const unsigned int hp_config_nr_figures;

static inline u32 hp_model_figure(const struct hp_model *m, const struct hp_model_figure *f)
{
	return *(const u32 *)((const u8 *)m + f->offset);
}

static inline void hp_model_set_figure(struct hp_model *m, const struct hp_model_figure *f,
				       u32 v)
{
	*(u32 *)((u8 *)m + f->offset) = v;
}

struct hp_config {
	u8 rx_mode;			/* enum hotpath_rx_mode */
	bool tx_push;
	bool stats_enabled;
	bool probes;
	u32 busy_poll_fallback_us;

	u8 ctpio_mode;			/* enum hotpath_ctpio_mode */
	u32 ctpio_thresh;		/* bytes */
	u32 ctpio_max_frame;		/* bytes */
	u32 ctpio_underrun_ppm;

	u32 rx_usecs;
	u32 rx_frames;
	u32 tx_usecs;
	u32 tx_frames;

	/* hardware timestamps (tstamp.c), as granted by SIOCSHWTSTAMP */
	u8 hwts_tx;			/* HWTSTAMP_TX_OFF or _ON */
	u8 hwts_rx;			/* HWTSTAMP_FILTER_NONE or _ALL */
	s32 phc_drift_ppb;		/* the PHC oscillator's error (ptp.c) */

	struct hp_model model;
	struct rcu_head rcu;
};

/* Fill @model with the figures of @profile (enum hotpath_profile). */
void hp_config_load_profile(struct hp_model *model, u8 profile);

/* A freshly allocated default configuration (realistic profile), or NULL. */
struct hp_config *hp_config_alloc_default(void);

/*
 * Set the CTPIO mode; a max_frame still at the old mode's default (500, or
 * 1518 in ct) moves to the new mode's default.
 */
void hp_config_set_ctpio_mode(struct hp_config *cfg, u8 mode);

bool hp_config_link_mbps_valid(u32 mbps);

/* Check every field of @cfg, and the coalescing frames against the rings. */
int hp_config_validate(const struct hp_config *cfg, u32 rx_ring, u32 tx_ring,
		       struct netlink_ext_ack *extack);

/* Whether @a and @b configure the port alike (the RCU head aside). */
static inline bool hp_config_equal(const struct hp_config *a,
				   const struct hp_config *b)
{
	return !memcmp(a, b, offsetof(struct hp_config, rcu));
}

#endif /* _HP_CONFIG_H */
