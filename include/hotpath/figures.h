/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The figures of the NIC model: one list, read by the module (the model's
 * struct, both profiles, the policy, the netlink fill and parse, the
 * checks) and by the CLI (its `set` keys, its port struct, the parse of a
 * port message, `hotpath show` in text and JSON), as
 * include/net/dropreason-core.h lists drop reasons.  Adding a figure is a
 * line here and its attribute in the YNL spec; the model's use of it is
 * kmod/model.c's.  selftests/ynl_policy.py holds the policy to the spec.
 *
 * F(ATTR, field, key, kind, realistic, seed, row):
 *   ATTR       the attribute, HOTPATH_MODEL_A_<ATTR> (u32)
 *   field      its member of struct hp_model (module) and struct hp_port
 *              (CLI), and its JSON key in `hotpath -j show`
 *   key        the `hotpath set` key
 *   kind       ns, mbps or link (one of the Ethernet speeds): the range
 *              below (HP_MODEL_MIN_<kind>..HP_MODEL_MAX_<kind>), the
 *              policy's and the checks', and the CLI's units
 *   realistic, seed   the two profiles' values
 *   row        the line of `hotpath show` it is printed on (1 or 2)
 *
 * The realistic profile's figures are published ones; Documentation/model.md
 * gives each one's source:
 *   link_mbps 10000: the 10 Gb/s links the X2/ef_vi latency figures are
 *     quoted for; 64 B occupies a 67.2 ns slot.
 *   pcie_rtt_ns 550: a TX descriptor fetch is one small DMA read;
 *     pcie-bench measured 533-586 ns for 8 B and 546-600 ns for 64 B on
 *     Xeon E5 (Neugebauer et al., "Understanding PCIe performance for end
 *     host networking", SIGCOMM 2018, data/lat_dma_sizes.txt).
 *   dma_ns 554, pcie_mbps 26500: the payload read is fitted to the same
 *     data as latency = dma_ns + bytes * 8 / pcie_mbps: the medians of the
 *     64 B (~573 ns) and 1520 B (~1013 ns) reads give a slope of
 *     0.302 ns/B (26.5 Gb/s effective, a PCIe 3.0 x8 after TLP overheads)
 *     and an intercept of 554 ns.
 *   doorbell_ns 100: uncached MMIO writes were seen 50-300 ns apart (same
 *     paper); there is no solid single figure, so this is a parameter and
 *     100 is a choice from the low end of that range (a single posted
 *     write).
 *   phy_ns 130: Intel F-tile Ethernet IP user guide 750198 measures a 25G
 *     MAC+PCS+PMA serial loopback round trip of 255 ns without FEC: ~130 ns
 *     per direction.
 *   rx_dma_ns 280: the NIC writing a frame into a posted buffer is a posted
 *     PCIe write: no completion comes back, so it costs about one direction
 *     of the 550 ns read round trip (275 ns), rounded to 280 ns.
 *   desc_ns 40: the driver's descriptor write under CTPIO is a
 *     write-combined store, the fast path of the MMIO figures above; no
 *     published single figure, so the seed profile's 40 ns is kept.
 *   host_pio_mbps 20000: the CPU's write-combining PIO bandwidth.  Onload's
 *     latency profile enables CTPIO cut-through only at <= 10 Gb/s because
 *     "at link speeds faster than 10Gb the CPU will generally not be able
 *     to keep up" (UG1586): 20 Gb/s keeps ahead of a 10G link and falls
 *     behind a 25G one, so ct succeeds at 10G and poisons at 25G and faster.
 * The seed profile holds the classic teaching figures (Documentation/model.md,
 * [seed]): doorbell 60, NIC descriptor read 300, DMA + start TX 250, PHY 80,
 * RX DMA 200, descriptor write 40.  Link, PCIe and host PIO bandwidths are
 * not part of that set and keep the realistic figures.
 */
#ifndef _HOTPATH_FIGURES_H
#define _HOTPATH_FIGURES_H

#include <linux/types.h>

#define HP_MODEL_FIGURES(F)						\
	F(LINK_MBPS,	 link_mbps,	"link-speed",	link,	10000, 10000, 1) \
	F(PCIE_RTT_NS,	 pcie_rtt_ns,	"pcie-rtt",	ns,	550,   300,   1) \
	F(DOORBELL_NS,	 doorbell_ns,	"doorbell",	ns,	100,   60,    1) \
	F(PCIE_MBPS,	 pcie_mbps,	"pcie-bw",	mbps,	26500, 26500, 1) \
	F(DMA_NS,	 dma_ns,	"dma",		ns,	554,   250,   2) \
	F(PHY_NS,	 phy_ns,	"phy",		ns,	130,   80,    2) \
	F(RX_DMA_NS,	 rx_dma_ns,	"rx-dma",	ns,	280,   200,   2) \
	F(DESC_NS,	 desc_ns,	"desc",		ns,	40,    40,    2) \
	F(HOST_PIO_MBPS, host_pio_mbps,	"host-pio-bw",	mbps,	20000, 20000, 2)

/* A figure as a member of a struct (hp_model, the CLI's hp_port). */
#define HP_MODEL_FIGURE_FIELD(a, field, key, kind, realistic, seed, row)	__u32 field;

/*
 * Each kind's range: the spec's checks (ynl_policy.py compares the policy
 * made of them), and the words of the module's message for a value outside
 * (RANGE, expanded in the module only: __stringify() is the kernel's).  A
 * link speed must also be one of the Ethernet speeds (the module checks).
 */
#define HP_MODEL_MIN_ns		0
#define HP_MODEL_MAX_ns		100000
#define HP_MODEL_RANGE_ns	__stringify(HP_MODEL_MIN_ns) ".." __stringify(HP_MODEL_MAX_ns) " ns"
#define HP_MODEL_MIN_mbps	1000
#define HP_MODEL_MAX_mbps	1000000
#define HP_MODEL_RANGE_mbps	\
	__stringify(HP_MODEL_MIN_mbps) ".." __stringify(HP_MODEL_MAX_mbps) " Mb/s"
#define HP_MODEL_MIN_link	1000
#define HP_MODEL_MAX_link	100000
#define HP_MODEL_RANGE_link	"1000, 10000, 25000, 40000 or 100000"

#endif /* _HOTPATH_FIGURES_H */
