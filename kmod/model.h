/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardware model: pure functions turning a port's model figures
 * (struct hp_model, see config.h; the figures and their sources live in
 * config.c) and a frame length into the time each modelled stage takes.
 *
 * Times are in picoseconds so that sub-nanosecond serialisation slots
 * (64 B at 10 Gb/s = 67.2 ns, at 100 Gb/s = 6.72 ns) add up without
 * rounding; they are rounded to ns only when recorded.
 */
#ifndef _HP_MODEL_H
#define _HP_MODEL_H

#include <linux/types.h>

struct hp_model;

#define HP_ETH_FCS_LEN		4
#define HP_ETH_MIN_FRAME	64	/* with FCS: shorter frames are padded */
#define HP_ETH_PREAMBLE_IFG	20	/* 8 B preamble/SFD + 12 B inter-frame gap */

/* Doorbell: one uncached MMIO write. */
u64 hp_model_doorbell_ps(const struct hp_model *m);
/* Descriptor fetch: one PCIe read round trip (skipped by TX push). */
u64 hp_model_fetch_ps(const struct hp_model *m);
/* TX DMA: read request latency plus the payload at PCIe bandwidth. */
u64 hp_model_tx_dma_ps(const struct hp_model *m, u32 len);
/* tx_wire: serialisation plus PHY/SerDes latency. */
u64 hp_model_tx_wire_ps(const struct hp_model *m, u32 len);
/* RX DMA: the peer NIC writing the frame into a posted host buffer. */
u64 hp_model_rx_dma_ps(const struct hp_model *m, u32 len);
/* CTPIO: the CPU writing descriptor and @len bytes through the WC aperture. */
u64 hp_model_pio_ps(const struct hp_model *m, u32 len);
/*
 * CTPIO cut-through underrun: after the threshold the link drains the
 * NIC's buffer faster than the host fills it (host PIO bandwidth below
 * link speed) while the frame is longer than the threshold.
 */
bool hp_model_ct_underruns(const struct hp_model *m, u32 len, u32 thresh);

static inline u64 hp_model_ps_to_ns(u64 ps)
{
	return div_u64(ps + 500, 1000);
}

#endif /* _HP_MODEL_H */
