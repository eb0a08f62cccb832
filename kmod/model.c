// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware model's formulas.  Nothing here keeps state or takes locks:
 * the TX engine calls these per frame with the port's current figures.
 * Documentation/model.md gives each formula with its sources.
 */
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/rtnetlink.h>

#include "config.h"
#include "model.h"

/* Time to move @bytes at @mbps megabits per second; 0 Mb/s means free. */
static u64 hp_model_xfer_ps(u32 bytes, u32 mbps)
{
	/* bits * 1e12 ps/s / (mbps * 1e6 b/s) */
	if (!mbps)
		return 0;
	return div_u64((u64)bytes * 8 * 1000000, mbps);
}

u64 hp_model_doorbell_ps(const struct hp_model *m)
{
	return (u64)m->doorbell_ns * 1000;
}

u64 hp_model_fetch_ps(const struct hp_model *m)
{
	return (u64)m->pcie_rtt_ns * 1000;
}

u64 hp_model_tx_dma_ps(const struct hp_model *m, u32 len)
{
	return (u64)m->dma_ns * 1000 + hp_model_xfer_ps(len, m->pcie_mbps);
}

/* Serialisation of a @len byte frame (no FCS) plus preamble/IFG. */
static u64 hp_model_serialise_ps(const struct hp_model *m, u32 len)
{
	/* 64 B (with FCS) at 10 Gb/s: (64 + 20) * 8 bits = 67.2 ns */
	u32 slot = max_t(u32, len + HP_ETH_FCS_LEN, HP_ETH_MIN_FRAME) + HP_ETH_PREAMBLE_IFG;

	return hp_model_xfer_ps(slot, m->link_mbps);
}

u64 hp_model_tx_wire_ps(const struct hp_model *m, u32 len)
{
	return hp_model_serialise_ps(m, len) + (u64)m->phy_ns * 1000;
}

u64 hp_model_rx_dma_ps(const struct hp_model *m, u32 len)
{
	return (u64)m->rx_dma_ns * 1000 + hp_model_xfer_ps(len, m->pcie_mbps);
}

u64 hp_model_pio_ps(const struct hp_model *m, u32 len)
{
	return (u64)m->desc_ns * 1000 + hp_model_xfer_ps(len, m->host_pio_mbps);
}

bool hp_model_ct_underruns(const struct hp_model *m, u32 len, u32 thresh)
{
	return m->host_pio_mbps && m->host_pio_mbps < m->link_mbps && len > thresh;
}
