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
#include <hotpath/settings.h>

struct netlink_ext_ack;

/*
 * Pause storm prevention (struct hp_config's @pause_storm_ms): ethtool's
 * pfc-prevention-tout "auto" is this; set values go up to the max.  Long
 * against a receiver the host descheduled (milliseconds, under load), short
 * against a receiver that is gone for good (an AF_XDP socket that stopped
 * filling).
 */
#define HP_PAUSE_STORM_AUTO_MS	500
#define HP_PAUSE_STORM_MAX_MS	10000

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
 * The switches and settings of one attribute nest as a table, for the code
 * that treats them alike: netlink's fill and parse, the defaults, the
 * checks.  @offset is into struct hp_config, or into struct hp_model for
 * the model's figures.
 */
struct hp_config_field {
	u16 attr;			/* HOTPATH_*_A_* */
	u16 offset;
	u8 size;			/* 1 (u8) or 4 (u32) */
	u32 min, max;			/* its range */
	u32 def;			/* a new port's (not a figure's: profiles) */
	const char *msg;		/* the extack message of a value outside */
};

struct hp_config_table {
	const struct hp_config_field *e;
	unsigned int n;
};

/* include/hotpath/settings.h's lists, and figures.h's */
extern const struct hp_config_table hp_config_port_fields, hp_config_ctpio_fields,
	hp_config_coalesce_fields, hp_config_figures;

static inline u32 hp_config_field_get(const void *base, const struct hp_config_field *f)
{
	const u8 *p = (const u8 *)base + f->offset;

	return f->size == sizeof(u8) ? *p : *(const u32 *)p;
}

static inline void hp_config_field_set(void *base, const struct hp_config_field *f, u32 v)
{
	u8 *p = (u8 *)base + f->offset;

	if (f->size == sizeof(u8))
		*p = v;
	else
		*(u32 *)p = v;
}

struct hp_config {
	/* include/hotpath/settings.h: rx_mode, tx_push, stats_enabled, probes */
	HP_PORT_SWITCHES(HP_SWITCH_FIELD)
	u8 ctpio_mode;			/* enum hotpath_ctpio_mode */

	/* include/hotpath/settings.h: fallback us, CTPIO bytes, coalescing, DIM */
	HP_PORT_SETTINGS(HP_SETTING_FIELD)
	HP_CTPIO_SETTINGS(HP_SETTING_FIELD)
	HP_COALESCE_SETTINGS(HP_SETTING_FIELD)
	HP_COALESCE_SWITCHES(HP_SWITCH_FIELD)

	/* hardware timestamps (tstamp.c), as granted by SIOCSHWTSTAMP */
	u8 hwts_tx;			/* HWTSTAMP_TX_OFF or _ON */
	u8 hwts_rx;			/* HWTSTAMP_FILTER_NONE or _ALL */
	s32 phc_drift_ppb;		/* the PHC oscillator's error (ptp.c) */

	/*
	 * IEEE 802.3x flow control (ethtool -A, ethtool.c; engine.c acts on
	 * it): @pause_tx, the MAC sends PAUSE when a frame finds no posted RX
	 * buffer; @pause_rx, it honours the link partner's PAUSE, holding
	 * its transmitter.  @pause_storm_ms: pause storm prevention (ethtool
	 * --set-tunable pfc-prevention-tout), how long the receive side may
	 * keep its partner paused before it stops asking (0: for ever).
	 */
	u8 pause_tx;
	u8 pause_rx;
	u16 pause_storm_ms;

	struct hp_model model;
	struct rcu_head rcu;
};

/* Fill @model with the figures of @profile (enum hotpath_profile). */
void hp_config_load_profile(struct hp_model *model, u8 profile);

/* A freshly allocated default configuration (realistic profile), or NULL. */
struct hp_config *hp_config_alloc_default(void);

/*
 * Set the CTPIO mode; a max_frame still at the old mode's default
 * (HP_CTPIO_DEFAULT_MAX_FRAME or, in ct, _CT) moves to the new mode's.
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
