/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of per-packet stages, in enum hotpath_stage order
 * (include/net/dropreason-core.h's practice, as counters.h for counters).
 * Everything in the module that enumerates stages expands it: the name
 * table (the stage nest's name in stats-get, ethtool -S's <name>_count and
 * <name>_mean_ns), each stage's source, the stage tracepoints (trace.h) and
 * their dispatch (stages.c).  stages.c checks at build time that every entry
 * sits at its uapi id, so the list and the YNL spec cannot drift apart.
 *
 * HP_STAGES(S) calls S(ID, name, src) per stage: ID is the suffix of
 * HOTPATH_STAGE_<ID>, name the stage's name (its JSON key, ethtool -S
 * prefix and the event hotpath:<name>), src where its figures come from:
 *   MEASURED  timed by the driver on its own path,
 *   PROBE     timed by the core-path probes (probes.c, cfg->probes),
 *   MODELLED  from the hardware model (model.c) plus any real work.
 * The uapi knows measured and modelled (enum hotpath_stage_source): a
 * probe's stage is measured there.
 *
 * Adding a stage: append it to the spec's stage enum (make regen), then
 * here, at the end, and record it where it happens; it is then named over
 * netlink, in ethtool -S, the CLI and the trace system.
 */
#ifndef _HP_STAGE_LIST_H
#define _HP_STAGE_LIST_H

#define HP_STAGES(S)					\
	S(TX_STACK,	tx_stack,	PROBE)		\
	S(TX_QDISC,	tx_qdisc,	MEASURED)	\
	S(TX_DESC,	tx_desc,	MEASURED)	\
	S(TX_DOORBELL,	tx_doorbell,	MODELLED)	\
	S(TX_FETCH,	tx_fetch,	MODELLED)	\
	S(TX_DMA,	tx_dma,		MODELLED)	\
	S(TX_WIRE,	tx_wire,	MODELLED)	\
	S(RX_DMA,	rx_dma,		MODELLED)	\
	S(RX_IRQ,	rx_irq,		MEASURED)	\
	S(RX_NAPI,	rx_napi,	MEASURED)	\
	S(RX_BUSY_POLL,	rx_busy_poll,	MEASURED)	\
	S(RX_STACK,	rx_stack,	MEASURED)	\
	S(RX_WAKEUP,	rx_wakeup,	PROBE)		\
	S(XSK_TX,	xsk_tx,		MEASURED)	\
	S(XSK_RX,	xsk_rx,		MEASURED)	\
	S(XDP_PROG,	xdp_prog,	MEASURED)

/* src of HP_STAGES() as enum hotpath_stage_source */
#define HP_STAGE_SRC_MEASURED	HOTPATH_SOURCE_MEASURED
#define HP_STAGE_SRC_PROBE	HOTPATH_SOURCE_MEASURED
#define HP_STAGE_SRC_MODELLED	HOTPATH_SOURCE_MODELLED

#endif /* _HP_STAGE_LIST_H */
