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
 * HP_STAGES(S) calls S(ID, name, src, kind) per stage: ID is the suffix of
 * HOTPATH_STAGE_<ID>, name the stage's name (its JSON key, ethtool -S
 * prefix and the event hotpath:<name>), src where its figures come from:
 *   MEASURED  timed by the driver on its own path,
 *   PROBE     timed by the core-path probes (probes.c, cfg->probes),
 *   MODELLED  from the hardware model (model.c) plus any real work,
 *   NIC       timed on another driver's path by the attach hooks (nicpath.c);
 * kind which devices record it: PORT hotpath's ports, NIC devices of other
 * drivers with accounting attached (attach.c), ALL both.
 * The uapi knows measured and modelled (enum hotpath_stage_source): a
 * probe's stage is measured there.
 *
 * Adding a stage: append it to the spec's stage enum (make regen), then
 * here, at the end, and record it where it happens; it is then named over
 * netlink, in ethtool -S, the CLI and the trace system.
 */
#ifndef _HP_STAGE_LIST_H
#define _HP_STAGE_LIST_H

#define HP_STAGES(S)						\
	S(TX_STACK,	tx_stack,	PROBE,		ALL)		\
	S(TX_QDISC,	tx_qdisc,	MEASURED,	ALL)		\
	S(TX_DESC,	tx_desc,	MEASURED,	ALL)		\
	S(TX_DOORBELL,	tx_doorbell,	MODELLED,	PORT)		\
	S(TX_FETCH,	tx_fetch,	MODELLED,	PORT)		\
	S(TX_DMA,	tx_dma,		MODELLED,	PORT)		\
	S(TX_WIRE,	tx_wire,	MODELLED,	PORT)		\
	S(RX_DMA,	rx_dma,		MODELLED,	PORT)		\
	S(RX_IRQ,	rx_irq,		MEASURED,	PORT)		\
	S(RX_NAPI,	rx_napi,	MEASURED,	PORT)		\
	S(RX_BUSY_POLL,	rx_busy_poll,	MEASURED,	ALL)		\
	S(RX_STACK,	rx_stack,	MEASURED,	ALL)		\
	S(RX_WAKEUP,	rx_wakeup,	PROBE,		ALL)		\
	S(XSK_TX,	xsk_tx,		MEASURED,	PORT)		\
	S(XSK_RX,	xsk_rx,		MEASURED,	PORT)		\
	S(XDP_PROG,	xdp_prog,	MEASURED,	PORT)		\
	S(TX_COMPLETE,	tx_complete,	NIC,		NIC)		\
	S(TX_NIC,	tx_nic,		NIC,		NIC)		\
	S(WIRE,		wire,		NIC,		NIC)		\
	S(RX_NIC,	rx_nic,		NIC,		NIC)		\
	S(RX_POLL,	rx_poll,	NIC,		NIC)

/*
 * The stages of an attached device (kind NIC or ALL above) in the order its
 * path runs them, which is the order stats-get reports them in: the one-way
 * trip first (the NIC's hardware stages inside wire), then tx_complete,
 * which runs beside the trip.  A port reports its stages in id order.
 */
#define HP_NIC_PATH(N)							\
	N(TX_STACK) N(TX_QDISC) N(TX_DESC) N(TX_NIC) N(WIRE) N(RX_NIC)	\
	N(RX_POLL) N(RX_BUSY_POLL) N(RX_STACK) N(RX_WAKEUP) N(TX_COMPLETE)

/* src of HP_STAGES() as enum hotpath_stage_source */
#define HP_STAGE_SRC_MEASURED	HOTPATH_SOURCE_MEASURED
#define HP_STAGE_SRC_PROBE	HOTPATH_SOURCE_MEASURED
#define HP_STAGE_SRC_MODELLED	HOTPATH_SOURCE_MODELLED
#define HP_STAGE_SRC_NIC	HOTPATH_SOURCE_MEASURED

/* kind of HP_STAGES(): whether a port records the stage */
#define HP_STAGE_PORT_PORT	1
#define HP_STAGE_PORT_ALL	1
#define HP_STAGE_PORT_NIC	0

#endif /* _HP_STAGE_LIST_H */
