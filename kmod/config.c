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
		.size = sizeof(u32),					\
		.min = HP_MODEL_MIN_##kind,				\
		.max = HP_MODEL_MAX_##kind,				\
		.msg = KBUILD_MODNAME ": " key " (HOTPATH_MODEL_A_" #a "): must be " \
		       HP_MODEL_RANGE_##kind,				\
	},
static const struct hp_config_field hp_config_figure_list[] = {
	HP_MODEL_FIGURES(HP_FIGURE_ENTRY)
};

/* Every model attribute but PROFILE and TIMING is a figure of the list. */
static_assert(ARRAY_SIZE(hp_config_figure_list) == HOTPATH_MODEL_A_MAX - HOTPATH_MODEL_A_TIMING);

#define HP_SETTING_ENTRY(nest, a, f, key, kind, lo, hi, dflt)		\
	{								\
		.attr = HOTPATH_##a,					\
		.offset = offsetof(struct hp_config, f),		\
		.size = sizeof(u32),					\
		.min = lo,						\
		.max = hi,						\
		.def = dflt,						\
		.msg = KBUILD_MODNAME ": " key " (HOTPATH_" #a "): must be " \
		       __stringify(lo) ".." __stringify(hi),		\
	},
#define HP_SWITCH_ENTRY(nest, a, f, key, words, hi, dflt)		\
	{								\
		.attr = HOTPATH_##a,					\
		.offset = offsetof(struct hp_config, f),		\
		.size = sizeof(u8),					\
		.max = hi,						\
		.def = dflt,						\
		.msg = KBUILD_MODNAME ": " key " (HOTPATH_" #a "): unknown value", \
	},
static const struct hp_config_field hp_config_port_list[] = {
	HP_PORT_SWITCHES(HP_SWITCH_ENTRY)
	HP_PORT_SETTINGS(HP_SETTING_ENTRY)
};

static const struct hp_config_field hp_config_ctpio_list[] = {
	HP_CTPIO_SETTINGS(HP_SETTING_ENTRY)
};

static const struct hp_config_field hp_config_coalesce_list[] = {
	HP_COALESCE_SETTINGS(HP_SETTING_ENTRY)
	HP_COALESCE_SWITCHES(HP_SWITCH_ENTRY)
};

const struct hp_config_table hp_config_port_fields = {
	hp_config_port_list, ARRAY_SIZE(hp_config_port_list)
};

const struct hp_config_table hp_config_ctpio_fields = {
	hp_config_ctpio_list, ARRAY_SIZE(hp_config_ctpio_list)
};

const struct hp_config_table hp_config_coalesce_fields = {
	hp_config_coalesce_list, ARRAY_SIZE(hp_config_coalesce_list)
};

const struct hp_config_table hp_config_figures = {
	hp_config_figure_list, ARRAY_SIZE(hp_config_figure_list)
};

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

static u32 hp_config_ctpio_default_max_frame(u8 mode)
{
	if (mode == HOTPATH_CTPIO_CT)
		return HP_CTPIO_DEFAULT_MAX_FRAME_CT;
	return HP_CTPIO_DEFAULT_MAX_FRAME;
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

static void hp_config_fields_default(struct hp_config *cfg, const struct hp_config_table *t)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		hp_config_field_set(cfg, &t->e[i], t->e[i].def);
}

/* Defaults: no CTPIO, and include/hotpath/settings.h's. */
struct hp_config *hp_config_alloc_default(void)
{
	struct hp_config *cfg;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return NULL;

	cfg->ctpio_mode = HOTPATH_CTPIO_OFF;
	hp_config_fields_default(cfg, &hp_config_port_fields);
	hp_config_fields_default(cfg, &hp_config_ctpio_fields);
	hp_config_fields_default(cfg, &hp_config_coalesce_fields);

	/*
	 * Flow control off (pause_rx, pause_tx 0), as the pair always behaved:
	 * a receiver that does not keep up drops, counted (rx_ring_drops).
	 * ethtool -A turns it on; its storm bound starts at ethtool's "auto".
	 */
	cfg->pause_storm_ms = HP_PAUSE_STORM_AUTO_MS;
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

/* A value of @t outside its range: the table's message, at no attribute. */
static int hp_config_check_fields(const void *base, const struct hp_config_table *t,
				  struct netlink_ext_ack *extack)
{
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		const struct hp_config_field *f = &t->e[i];
		u32 v = hp_config_field_get(base, f);

		if (v < f->min || v > f->max ||
		    (t == &hp_config_figures && f->attr == HOTPATH_MODEL_A_LINK_MBPS &&
		     !hp_config_link_mbps_valid(v))) {
			/* NL_SET_ERR_MSG() of a message the table holds */
			do_trace_netlink_extack(f->msg);
			if (extack)
				extack->_msg = f->msg;
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The netlink policy already range-checks what arrives over netlink; this
 * repeats the ranges for ethtool and internal callers, and adds the checks
 * that involve more than one field or the port itself.
 */
int hp_config_validate(const struct hp_config *cfg, u32 rx_ring, u32 tx_ring,
		       struct netlink_ext_ack *extack)
{
	int err;

	if (cfg->ctpio_mode > HOTPATH_CTPIO_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "ctpio (HOTPATH_CTPIO_A_MODE): unknown mode");
		return -EINVAL;
	}
	if (cfg->model.timing > HOTPATH_TIMING_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "timing (HOTPATH_MODEL_A_TIMING): unknown timing");
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
	err = hp_config_check_fields(cfg, &hp_config_port_fields, extack);
	if (!err)
		err = hp_config_check_fields(cfg, &hp_config_ctpio_fields, extack);
	if (!err)
		err = hp_config_check_fields(cfg, &hp_config_coalesce_fields, extack);
	if (!err)
		err = hp_config_check_fields(&cfg->model, &hp_config_figures, extack);
	return err;
}
