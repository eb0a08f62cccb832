// SPDX-License-Identifier: GPL-2.0
/*
 * Per-port configuration: defaults, the model profiles, validation and the
 * copy-validate-publish step every change (netlink or ethtool) goes through,
 * so that both interfaces see the same settings and every change is
 * announced once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/stringify.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>

#include "config.h"

/* The profiles: include/hotpath/figures.h gives each figure's source. */
#define HP_FIGURE_REALISTIC(attr, field, key, kind, realistic, seed, row)	\
	.field = realistic,
#define HP_FIGURE_SEED(attr, field, key, kind, realistic, seed, row)	\
	.field = seed,
static const struct hp_model hp_model_realistic = {
	HP_MODEL_FIGURES(HP_FIGURE_REALISTIC)
};

static const struct hp_model hp_model_seed = {
	HP_MODEL_FIGURES(HP_FIGURE_SEED)
};

#define HP_FIGURE_ENTRY(a, f, key, kind, realistic, seed, row)		\
	{								\
		.attr = HOTPATH_MODEL_A_##a,				\
		.offset = offsetof(struct hp_model, f),			\
		.min = HP_MODEL_MIN_##kind,				\
		.max = HP_MODEL_MAX_##kind,				\
		.msg = KBUILD_MODNAME ": " key " (HOTPATH_MODEL_A_" #a "): must be " \
		       HP_MODEL_RANGE_##kind,				\
	},
const struct hp_model_figure hp_config_figures[] = {
	HP_MODEL_FIGURES(HP_FIGURE_ENTRY)
};

const unsigned int hp_config_nr_figures = ARRAY_SIZE(hp_config_figures);

/* Every model attribute but PROFILE and TIMING is a figure of the list. */
static_assert(ARRAY_SIZE(hp_config_figures) == HOTPATH_MODEL_A_MAX - HOTPATH_MODEL_A_TIMING);

/*
 * A profile sets every figure of the model but not @timing: whether the
 * engine waits is a separate switch, and loading figures should not change
 * it behind the user's back.
 */
void hp_config_load_profile(struct hp_model *model, u8 profile)
{
	u8 timing = model->timing;

	switch (profile) {
	case HOTPATH_PROFILE_SEED:
		*model = hp_model_seed;
		break;
	case HOTPATH_PROFILE_REALISTIC:
	default:
		*model = hp_model_realistic;
		break;
	}
	model->timing = timing;
}

/* Onload's EF_CTPIO_MAX_FRAME_LEN default: 1518 in ct, otherwise 500. */
static u32 hp_config_ctpio_default_max_frame(u8 mode)
{
	return mode == HOTPATH_CTPIO_CT ? 1518 : 500;
}

void hp_config_set_ctpio_mode(struct hp_config *cfg, u8 mode)
{
	u32 old_default = hp_config_ctpio_default_max_frame(cfg->ctpio_mode);

	/*
	 * The maximum frame length follows the mode's default unless it was
	 * set to something else: a value equal to the old mode's default is
	 * taken as "default" and moves with the mode.
	 */
	if (cfg->ctpio_max_frame == old_default)
		cfg->ctpio_max_frame = hp_config_ctpio_default_max_frame(mode);
	cfg->ctpio_mode = mode;
}

/*
 * Defaults: interrupts, no push, no CTPIO, stage accounting on, core probes
 * off (they cost on every socket of the system), and no interrupt
 * coalescing (rx/tx-usecs 0, frames 1): this is a latency lab, and an
 * immediate interrupt is the baseline the techniques are compared with;
 * sfc-like moderation (60/150 us) is one `set` or `ethtool -C` away.
 */
struct hp_config *hp_config_alloc_default(void)
{
	struct hp_config *cfg;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return NULL;

	cfg->rx_mode = HOTPATH_RX_MODE_INTERRUPT;
	cfg->tx_push = false;
	cfg->stats_enabled = true;
	cfg->probes = false;
	cfg->busy_poll_fallback_us = 100;

	cfg->ctpio_mode = HOTPATH_CTPIO_OFF;
	cfg->ctpio_thresh = 64;		/* EF_CTPIO_CT_THRESH default */
	cfg->ctpio_max_frame = hp_config_ctpio_default_max_frame(HOTPATH_CTPIO_OFF);
	cfg->ctpio_underrun_ppm = 0;

	cfg->rx_usecs = 0;
	cfg->rx_frames = 1;
	cfg->tx_usecs = 0;
	cfg->tx_frames = 1;

	cfg->model.timing = HOTPATH_TIMING_ENFORCED;
	hp_config_load_profile(&cfg->model, HOTPATH_PROFILE_REALISTIC);
	return cfg;
}

bool hp_config_link_mbps_valid(u32 mbps)
{
	switch (mbps) {
	case 1000:
	case 10000:
	case 25000:
	case 40000:
	case 100000:
		return true;
	}
	return false;
}

/*
 * The netlink policy already range-checks what arrives over netlink; this
 * repeats the ranges for ethtool and internal callers, and adds the checks
 * that involve more than one field or the port itself.
 */
int hp_config_validate(const struct hp_config *cfg, u32 rx_ring, u32 tx_ring,
		       struct netlink_ext_ack *extack)
{
	const struct hp_model *m = &cfg->model;
	unsigned int i;

	if (cfg->rx_mode > HOTPATH_RX_MODE_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "rx-mode (HOTPATH_A_RX_MODE): unknown mode");
		return -EINVAL;
	}
	if (cfg->busy_poll_fallback_us < 1 || cfg->busy_poll_fallback_us > 1000000) {
		NL_SET_ERR_MSG_MOD(extack,
				   "busy-poll-fallback-us (HOTPATH_A_BUSY_POLL_FALLBACK_US): must be 1..1000000");
		return -EINVAL;
	}
	if (cfg->ctpio_mode > HOTPATH_CTPIO_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "ctpio (HOTPATH_CTPIO_A_MODE): unknown mode");
		return -EINVAL;
	}
	if (cfg->ctpio_thresh > HOTPATH_CTPIO_MAX_FRAME) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ctpio-thresh (HOTPATH_CTPIO_A_THRESH): must be 0.."
				   __stringify(HOTPATH_CTPIO_MAX_FRAME));
		return -EINVAL;
	}
	if (cfg->ctpio_max_frame < HOTPATH_CTPIO_MIN_FRAME ||
	    cfg->ctpio_max_frame > HOTPATH_CTPIO_MAX_FRAME) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ctpio-max-frame (HOTPATH_CTPIO_A_MAX_FRAME): must be "
				   __stringify(HOTPATH_CTPIO_MIN_FRAME) ".."
				   __stringify(HOTPATH_CTPIO_MAX_FRAME));
		return -EINVAL;
	}
	if (cfg->ctpio_underrun_ppm > 1000000) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ctpio-underrun-ppm (HOTPATH_CTPIO_A_UNDERRUN_PPM): must be 0..1000000");
		return -EINVAL;
	}
	if (cfg->rx_usecs > 10000) {
		NL_SET_ERR_MSG_MOD(extack,
				   "rx-usecs (HOTPATH_COALESCE_A_RX_USECS): must be 0..10000");
		return -EINVAL;
	}
	if (cfg->tx_usecs > 10000) {
		NL_SET_ERR_MSG_MOD(extack,
				   "tx-usecs (HOTPATH_COALESCE_A_TX_USECS): must be 0..10000");
		return -EINVAL;
	}
	if (cfg->rx_frames > rx_ring) {
		NL_SET_ERR_MSG_MOD(extack,
				   "rx-frames (HOTPATH_COALESCE_A_RX_FRAMES): larger than the RX ring");
		return -EINVAL;
	}
	if (cfg->tx_frames > tx_ring) {
		NL_SET_ERR_MSG_MOD(extack,
				   "tx-frames (HOTPATH_COALESCE_A_TX_FRAMES): larger than the TX ring");
		return -EINVAL;
	}
	if (cfg->phc_drift_ppb < -HOTPATH_PHC_DRIFT_MAX ||
	    cfg->phc_drift_ppb > HOTPATH_PHC_DRIFT_MAX) {
		NL_SET_ERR_MSG_MOD(extack,
				   "phc-drift-ppb (HOTPATH_A_PHC_DRIFT_PPB): must be -"
				   __stringify(HOTPATH_PHC_DRIFT_MAX) ".."
				   __stringify(HOTPATH_PHC_DRIFT_MAX));
		return -EINVAL;
	}
	if (m->timing > HOTPATH_TIMING_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "timing (HOTPATH_MODEL_A_TIMING): unknown timing");
		return -EINVAL;
	}
	for (i = 0; i < hp_config_nr_figures; i++) {
		const struct hp_model_figure *f = &hp_config_figures[i];
		u32 v = hp_model_figure(m, f);

		if (v < f->min || v > f->max ||
		    (f->attr == HOTPATH_MODEL_A_LINK_MBPS && !hp_config_link_mbps_valid(v))) {
			/* NL_SET_ERR_MSG() of a message the table holds */
			do_trace_netlink_extack(f->msg);
			if (extack)
				extack->_msg = f->msg;
			return -EINVAL;
		}
	}
	return 0;
}
