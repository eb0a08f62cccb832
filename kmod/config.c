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

/*
 * The "realistic" profile: published figures; the sources are listed in
 * Documentation/model.md.
 *
 * link_mbps 10000: the 10 Gb/s links the X2/ef_vi latency figures are
 *   quoted for; 64 B occupies a 67.2 ns slot.
 * pcie_rtt_ns 550: a TX descriptor fetch is one small DMA read; pcie-bench
 *   measured 533-586 ns for 8 B and 546-600 ns for 64 B on Xeon E5
 *   (Neugebauer et al., "Understanding PCIe performance for end host
 *   networking", SIGCOMM 2018, data/lat_dma_sizes.txt).
 * dma_ns 554, pcie_mbps 26500: the payload read is fitted to the same data
 *   as latency = dma_ns + bytes * 8 / pcie_mbps: the medians of the 64 B
 *   (~573 ns) and 1520 B (~1013 ns) reads give a slope of 0.302 ns/B
 *   (26.5 Gb/s effective, a PCIe 3.0 x8 after TLP overheads) and an
 *   intercept of 554 ns.
 * doorbell_ns 100: uncached MMIO writes were seen 50-300 ns apart (same
 *   paper); there is no solid single figure, so this is a parameter and 100
 *   is a choice from the low end of that range (a single posted write).
 * phy_ns 130: Intel F-tile Ethernet IP user guide 750198 measures a 25G
 *   MAC+PCS+PMA serial loopback round trip of 255 ns without FEC: ~130 ns
 *   per direction.
 * rx_dma_ns 280: the NIC writing a frame into a posted buffer is a posted
 *   PCIe write: no completion comes back, so it costs about one direction
 *   of the 550 ns read round trip (275 ns), rounded to 280 ns.
 * desc_ns 40: the driver's descriptor write under CTPIO is a write-combined
 *   store, the fast path of the MMIO figures above; no published single
 *   figure, so the seed profile's 40 ns is kept.
 * host_pio_mbps 20000: the CPU's write-combining PIO bandwidth.  Onload's
 *   latency profile enables CTPIO cut-through only at <= 10 Gb/s because
 *   "at link speeds faster than 10Gb the CPU will generally not be able to
 *   keep up" (UG1586): 20 Gb/s keeps ahead of a 10G link and falls behind
 *   a 25G one, so ct succeeds at 10G and poisons at 25G and faster.
 */
static const struct hp_model hp_model_realistic = {
	.link_mbps	= 10000,
	.pcie_rtt_ns	= 550,
	.doorbell_ns	= 100,
	.pcie_mbps	= 26500,
	.dma_ns		= 554,
	.phy_ns		= 130,
	.rx_dma_ns	= 280,
	.desc_ns	= 40,
	.host_pio_mbps	= 20000,
};

/*
 * The "seed" profile: the classic teaching figures (Documentation/model.md,
 * [seed]): doorbell 60, NIC descriptor read 300, DMA + start TX 250,
 * PHY 80, RX DMA 200, descriptor write 40.  Link, PCIe and host PIO
 * bandwidths are not part of that set and keep the realistic figures.
 */
static const struct hp_model hp_model_seed = {
	.link_mbps	= 10000,
	.pcie_rtt_ns	= 300,
	.doorbell_ns	= 60,
	.pcie_mbps	= 26500,
	.dma_ns		= 250,
	.phy_ns		= 80,
	.rx_dma_ns	= 200,
	.desc_ns	= 40,
	.host_pio_mbps	= 20000,
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
	if (!hp_config_link_mbps_valid(m->link_mbps)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "link-speed (HOTPATH_MODEL_A_LINK_MBPS): must be 1000, 10000, 25000, 40000 or 100000");
		return -EINVAL;
	}
	if (m->pcie_rtt_ns > HP_MODEL_NS_MAX || m->doorbell_ns > HP_MODEL_NS_MAX ||
	    m->dma_ns > HP_MODEL_NS_MAX || m->phy_ns > HP_MODEL_NS_MAX ||
	    m->rx_dma_ns > HP_MODEL_NS_MAX || m->desc_ns > HP_MODEL_NS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "model (HOTPATH_A_MODEL): delays must be 0..100000 ns");
		return -EINVAL;
	}
	if (m->pcie_mbps < HP_MODEL_MBPS_MIN || m->pcie_mbps > HP_MODEL_MBPS_MAX) {
		NL_SET_ERR_MSG_MOD(extack,
				   "pcie-bw (HOTPATH_MODEL_A_PCIE_MBPS): must be 1000..1000000 Mb/s");
		return -EINVAL;
	}
	if (m->host_pio_mbps < HP_MODEL_MBPS_MIN || m->host_pio_mbps > HP_MODEL_MBPS_MAX) {
		NL_SET_ERR_MSG_MOD(extack,
				   "host-pio-bw (HOTPATH_MODEL_A_HOST_PIO_MBPS): must be 1000..1000000 Mb/s");
		return -EINVAL;
	}
	return 0;
}
