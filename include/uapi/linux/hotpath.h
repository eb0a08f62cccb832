/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/hotpath.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_HOTPATH_H
#define _UAPI_LINUX_HOTPATH_H

#define HOTPATH_GENL_NAME	"hotpath"
#define HOTPATH_GENL_VERSION	1

#define HOTPATH_PHC_DRIFT_MAX	1000000
#define HOTPATH_CTPIO_MIN_FRAME	29
#define HOTPATH_CTPIO_MAX_FRAME	4092

/**
 * enum hotpath_rx_mode - How received frames reach the stack.
 * @HOTPATH_RX_MODE_INTERRUPT: MSI-X interrupt (coalesced) schedules NAPI. On
 *   an attached device: napi-defer-hard-irqs or gro-flush-timeout-ns is 0, and
 *   setting it restores the two values busy-poll found.
 * @HOTPATH_RX_MODE_BUSY_POLL: The RX interrupt stays masked while busy pollers
 *   (SO_BUSY_POLL, net.core.busy_read/busy_poll) pick frames up; a watchdog
 *   schedules NAPI for frames left unpolled longer than busy-poll-fallback-us.
 *   On an attached device: the kernel's recipe, napi-defer-hard-irqs 2 and
 *   gro-flush-timeout-ns 200000 (the application still polls, with
 *   SO_PREFER_BUSY_POLL for the interrupt to stay masked); set while both are
 *   non-zero.
 */
enum hotpath_rx_mode {
	HOTPATH_RX_MODE_INTERRUPT,
	HOTPATH_RX_MODE_BUSY_POLL,

	/* private: */
	__HOTPATH_RX_MODE_MAX,
	HOTPATH_RX_MODE_MAX = (__HOTPATH_RX_MODE_MAX - 1)
};

/**
 * enum hotpath_ctpio_mode - CTPIO, the CPU writes the frame to the NIC (PIO)
 *   instead of DMA.
 * @HOTPATH_CTPIO_OFF: CTPIO off, every frame by DMA.
 * @HOTPATH_CTPIO_CT: Cut-through, the wire starts after thresh bytes were
 *   written.
 * @HOTPATH_CTPIO_SF: Store-and-forward, whole frame buffered, then sent; may
 *   poison.
 * @HOTPATH_CTPIO_SF_NP: Store-and-forward, never poisons.
 */
enum hotpath_ctpio_mode {
	HOTPATH_CTPIO_OFF,
	HOTPATH_CTPIO_CT,
	HOTPATH_CTPIO_SF,
	HOTPATH_CTPIO_SF_NP,

	/* private: */
	__HOTPATH_CTPIO_MAX,
	HOTPATH_CTPIO_MAX = (__HOTPATH_CTPIO_MAX - 1)
};

/**
 * enum hotpath_timing - Whether modelled delays are waited.
 * @HOTPATH_TIMING_ENFORCED: The engine busy-waits every modelled delay,
 *   applications see it.
 * @HOTPATH_TIMING_ACCOUNTED: Modelled delays are recorded in the stages but
 *   not waited.
 */
enum hotpath_timing {
	HOTPATH_TIMING_ENFORCED,
	HOTPATH_TIMING_ACCOUNTED,

	/* private: */
	__HOTPATH_TIMING_MAX,
	HOTPATH_TIMING_MAX = (__HOTPATH_TIMING_MAX - 1)
};

/**
 * enum hotpath_profile - Hardware model profiles (write only, model.profile of
 *   port-set).
 * @HOTPATH_PROFILE_REALISTIC: Published figures (Documentation/model.md).
 * @HOTPATH_PROFILE_SEED: Classic teaching figures, doorbell 60, fetch 300, DMA
 *   250, PHY 80.
 */
enum hotpath_profile {
	HOTPATH_PROFILE_REALISTIC,
	HOTPATH_PROFILE_SEED,

	/* private: */
	__HOTPATH_PROFILE_MAX,
	HOTPATH_PROFILE_MAX = (__HOTPATH_PROFILE_MAX - 1)
};

/**
 * enum hotpath_stage - Per-packet stages, in path order; names are the
 *   CLI/JSON names.
 * @HOTPATH_STAGE_TX_STACK: tx_stack, measured (probe).
 * @HOTPATH_STAGE_TX_QDISC: tx_qdisc, measured.
 * @HOTPATH_STAGE_TX_DESC: tx_desc, measured.
 * @HOTPATH_STAGE_TX_DOORBELL: tx_doorbell, modelled.
 * @HOTPATH_STAGE_TX_FETCH: tx_fetch, modelled.
 * @HOTPATH_STAGE_TX_DMA: tx_dma, modelled plus the real copy.
 * @HOTPATH_STAGE_TX_WIRE: tx_wire, modelled.
 * @HOTPATH_STAGE_RX_DMA: rx_dma, modelled plus the real copy.
 * @HOTPATH_STAGE_RX_IRQ: rx_irq, measured.
 * @HOTPATH_STAGE_RX_NAPI: rx_napi, measured: from the interrupt handler to the
 *   driver handing the frame to the stack, so the driver's own per-frame work
 *   in the poll (taking the completion, building the skb) is in it, as it is
 *   in a real driver's poll; rx_stack starts at the same clock read.
 * @HOTPATH_STAGE_RX_BUSY_POLL: rx_busy_poll, measured: from the completion to
 *   a busy poller handing the frame to the stack (replaces rx_irq and rx_napi;
 *   the same driver work as rx_napi is in it).
 * @HOTPATH_STAGE_RX_STACK: rx_stack, measured.
 * @HOTPATH_STAGE_RX_WAKEUP: rx_wakeup, measured (probe).
 * @HOTPATH_STAGE_XSK_TX: xsk_tx, measured: AF_XDP zero-copy, NAPI takes a
 *   descriptor from the socket's TX ring and writes the TX descriptor (the
 *   bypass path's tx_stack, tx_qdisc and tx_desc). Appended: the ids above are
 *   fixed.
 * @HOTPATH_STAGE_XSK_RX: xsk_rx, measured: AF_XDP zero-copy, the redirect and
 *   hand-off of the UMEM frame to the socket after the program (the bypass
 *   path's rx_stack); it starts at the clock read that ends xdp_prog.
 * @HOTPATH_STAGE_XDP_PROG: xdp_prog, measured: the XDP program's run
 *   (bpf_prog_run_xdp()), native or zero-copy; xsk_rx (REDIRECT of a UMEM
 *   frame) starts at the clock read that ends it, rx_stack follows for PASS.
 *   Appended: the ids above are fixed.
 * @HOTPATH_STAGE_TX_COMPLETE: tx_complete, measured, attached devices: from
 *   the driver's xmit returning (net:net_dev_xmit) to the sent skb's last
 *   reference being freed (skb:consume_skb), how long the NIC, the TX
 *   interrupt and the completion poll hold it: what tx-usecs moves.
 * @HOTPATH_STAGE_TX_NIC: tx_nic, measured, attached devices with TX hardware
 *   time stamps and a PHC mapped onto the kernel clock (phc-offset-ns): from
 *   the driver's xmit returning (the doorbell) to the NIC's TX time stamp.
 * @HOTPATH_STAGE_WIRE: wire, measured, two attached devices of one box cabled
 *   to each other: from the sender's doorbell (net:net_dev_xmit) to the
 *   receiver's interrupt handler entry, the same frame matched on both sides
 *   by its headers; its count is the frames matched.
 * @HOTPATH_STAGE_RX_NIC: rx_nic, measured, attached devices with RX hardware
 *   time stamps and a mapped PHC: from the NIC's RX time stamp to its
 *   interrupt handler entry.
 * @HOTPATH_STAGE_RX_POLL: rx_poll, measured, attached devices: from the NIC's
 *   interrupt handler entry (irq:irq_handler_entry on one of its vectors) to
 *   its NAPI poll handing the frame to the stack (napi_gro_receive or
 *   netif_receive_skb): the attached device's rx_irq and rx_napi.
 */
enum hotpath_stage {
	HOTPATH_STAGE_TX_STACK,
	HOTPATH_STAGE_TX_QDISC,
	HOTPATH_STAGE_TX_DESC,
	HOTPATH_STAGE_TX_DOORBELL,
	HOTPATH_STAGE_TX_FETCH,
	HOTPATH_STAGE_TX_DMA,
	HOTPATH_STAGE_TX_WIRE,
	HOTPATH_STAGE_RX_DMA,
	HOTPATH_STAGE_RX_IRQ,
	HOTPATH_STAGE_RX_NAPI,
	HOTPATH_STAGE_RX_BUSY_POLL,
	HOTPATH_STAGE_RX_STACK,
	HOTPATH_STAGE_RX_WAKEUP,
	HOTPATH_STAGE_XSK_TX,
	HOTPATH_STAGE_XSK_RX,
	HOTPATH_STAGE_XDP_PROG,
	HOTPATH_STAGE_TX_COMPLETE,
	HOTPATH_STAGE_TX_NIC,
	HOTPATH_STAGE_WIRE,
	HOTPATH_STAGE_RX_NIC,
	HOTPATH_STAGE_RX_POLL,

	/* private: */
	__HOTPATH_STAGE_MAX,
	HOTPATH_STAGE_MAX = (__HOTPATH_STAGE_MAX - 1)
};

/**
 * enum hotpath_stage_source - Where a stage's figures come from.
 * @HOTPATH_SOURCE_MEASURED: "measured": timed on the kernel path.
 * @HOTPATH_SOURCE_MODELLED: "modelled": from the hardware model.
 */
enum hotpath_stage_source {
	HOTPATH_SOURCE_MEASURED,
	HOTPATH_SOURCE_MODELLED,
};

/**
 * enum hotpath_kind - What a device is to hotpath.
 * @HOTPATH_KIND_PORT: A hotpath port (the emulated NIC), every setting
 *   applies.
 * @HOTPATH_KIND_ATTACHED: Another driver's device with stage accounting
 *   attached (port-set stats-enabled 1 on it); only stats-enabled and
 *   phc-offset-ns apply.
 */
enum hotpath_kind {
	HOTPATH_KIND_PORT,
	HOTPATH_KIND_ATTACHED,
};

enum hotpath_attr {
	HOTPATH_A_UNSPEC,
	HOTPATH_A_PAD,
	HOTPATH_A_IFINDEX,
	HOTPATH_A_IFNAME,
	HOTPATH_A_PEER_IFINDEX,
	HOTPATH_A_PEER_IFNAME,
	HOTPATH_A_RX_MODE,
	HOTPATH_A_TX_PUSH,
	HOTPATH_A_BUSY_POLL_FALLBACK_US,
	HOTPATH_A_STATS_ENABLED,
	HOTPATH_A_PROBES,
	HOTPATH_A_RX_RING_SIZE,
	HOTPATH_A_TX_RING_SIZE,
	HOTPATH_A_CTPIO,
	HOTPATH_A_COALESCE,
	HOTPATH_A_MODEL,
	HOTPATH_A_STAGES,
	HOTPATH_A_STAGE,
	HOTPATH_A_COUNTERS,
	HOTPATH_A_PHC_INDEX,
	HOTPATH_A_PHC_DRIFT_PPB,
	HOTPATH_A_HWTSTAMP_TX,
	HOTPATH_A_HWTSTAMP_RX_FILTER,
	HOTPATH_A_COUNTER_NAMES,
	HOTPATH_A_KIND,
	HOTPATH_A_DRIVER,
	HOTPATH_A_PHC_OFFSET_NS,
	HOTPATH_A_NAPI_DEFER_HARD_IRQS,
	HOTPATH_A_GRO_FLUSH_TIMEOUT_NS,

	__HOTPATH_A_MAX,
	HOTPATH_A_MAX = (__HOTPATH_A_MAX - 1)
};

enum hotpath_ctpio_attr {
	HOTPATH_CTPIO_A_UNSPEC,
	HOTPATH_CTPIO_A_MODE,
	HOTPATH_CTPIO_A_THRESH,
	HOTPATH_CTPIO_A_MAX_FRAME,
	HOTPATH_CTPIO_A_UNDERRUN_PPM,

	__HOTPATH_CTPIO_A_MAX,
	HOTPATH_CTPIO_A_MAX = (__HOTPATH_CTPIO_A_MAX - 1)
};

enum hotpath_coalesce_attr {
	HOTPATH_COALESCE_A_UNSPEC,
	HOTPATH_COALESCE_A_RX_USECS,
	HOTPATH_COALESCE_A_RX_FRAMES,
	HOTPATH_COALESCE_A_TX_USECS,
	HOTPATH_COALESCE_A_TX_FRAMES,
	HOTPATH_COALESCE_A_ADAPTIVE_RX,
	HOTPATH_COALESCE_A_ADAPTIVE_TX,

	__HOTPATH_COALESCE_A_MAX,
	HOTPATH_COALESCE_A_MAX = (__HOTPATH_COALESCE_A_MAX - 1)
};

enum hotpath_model_attr {
	HOTPATH_MODEL_A_UNSPEC,
	HOTPATH_MODEL_A_PROFILE,
	HOTPATH_MODEL_A_TIMING,
	HOTPATH_MODEL_A_LINK_MBPS,
	HOTPATH_MODEL_A_PCIE_RTT_NS,
	HOTPATH_MODEL_A_DOORBELL_NS,
	HOTPATH_MODEL_A_PCIE_MBPS,
	HOTPATH_MODEL_A_DMA_NS,
	HOTPATH_MODEL_A_PHY_NS,
	HOTPATH_MODEL_A_RX_DMA_NS,
	HOTPATH_MODEL_A_DESC_NS,
	HOTPATH_MODEL_A_HOST_PIO_MBPS,

	__HOTPATH_MODEL_A_MAX,
	HOTPATH_MODEL_A_MAX = (__HOTPATH_MODEL_A_MAX - 1)
};

enum hotpath_stage_attr {
	HOTPATH_STAGE_A_UNSPEC,
	HOTPATH_STAGE_A_PAD,
	HOTPATH_STAGE_A_ID,
	HOTPATH_STAGE_A_NAME,
	HOTPATH_STAGE_A_SOURCE,
	HOTPATH_STAGE_A_COUNT,
	HOTPATH_STAGE_A_SUM_NS,
	HOTPATH_STAGE_A_MIN_NS,
	HOTPATH_STAGE_A_MEAN_NS,
	HOTPATH_STAGE_A_MAX_NS,
	HOTPATH_STAGE_A_P50_NS,
	HOTPATH_STAGE_A_P90_NS,
	HOTPATH_STAGE_A_P99_NS,
	HOTPATH_STAGE_A_P999_NS,

	__HOTPATH_STAGE_A_MAX,
	HOTPATH_STAGE_A_MAX = (__HOTPATH_STAGE_A_MAX - 1)
};

enum hotpath_counter_name_attr {
	HOTPATH_COUNTER_NAME_A_UNSPEC,
	HOTPATH_COUNTER_NAME_A_ID,
	HOTPATH_COUNTER_NAME_A_NAME,

	__HOTPATH_COUNTER_NAME_A_MAX,
	HOTPATH_COUNTER_NAME_A_MAX = (__HOTPATH_COUNTER_NAME_A_MAX - 1)
};

enum hotpath_counter {
	HOTPATH_CNT_UNSPEC,
	HOTPATH_CNT_TX_PUSH_HITS,
	HOTPATH_CNT_TX_PUSH_MISSES,
	HOTPATH_CNT_CTPIO_SUCCESS,
	HOTPATH_CNT_CTPIO_POISONED,
	HOTPATH_CNT_CTPIO_FALLBACK_BUSY,
	HOTPATH_CNT_CTPIO_FALLBACK_LONG,
	HOTPATH_CNT_CTPIO_FALLBACK_RUNT,
	HOTPATH_CNT_INTERRUPTS,
	HOTPATH_CNT_TX_INTERRUPTS,
	HOTPATH_CNT_BUSY_POLL_PICKUPS,
	HOTPATH_CNT_WATCHDOG_FIRES,
	HOTPATH_CNT_NAPI_POLLS,
	HOTPATH_CNT_RX_PACKETS,
	HOTPATH_CNT_TX_PACKETS,
	HOTPATH_CNT_TX_COMPLETIONS,
	HOTPATH_CNT_RX_RING_DROPS,
	HOTPATH_CNT_RX_CRC_ERRORS,
	HOTPATH_CNT_TX_DROP_NO_CARRIER,
	HOTPATH_CNT_TX_DROP_TOO_BIG,
	HOTPATH_CNT_RX_DROP_ALLOC,
	HOTPATH_CNT_TX_DROP_TEARDOWN,
	HOTPATH_CNT_INTERRUPTS_TIMER,
	HOTPATH_CNT_RX_DROP_TEARDOWN,
	HOTPATH_CNT_RX_ALLOC_FAILS,
	HOTPATH_CNT_TX_CMPL_DELAYED,
	HOTPATH_CNT_XDP_PASS,
	HOTPATH_CNT_XDP_DROP,
	HOTPATH_CNT_XDP_TX,
	HOTPATH_CNT_XDP_REDIRECT,
	HOTPATH_CNT_XDP_ABORTED,
	HOTPATH_CNT_XDP_INVALID,
	HOTPATH_CNT_XDP_TX_ERRORS,
	HOTPATH_CNT_XDP_REDIRECT_ERRORS,
	HOTPATH_CNT_XDP_XMIT,
	HOTPATH_CNT_XDP_XMIT_ERRORS,
	HOTPATH_CNT_XSK_RX_PACKETS,
	HOTPATH_CNT_XSK_TX_PACKETS,
	HOTPATH_CNT_XSK_FILL_EMPTY_DROPS,
	HOTPATH_CNT_XSK_WAKEUPS,
	HOTPATH_CNT_DIM_RX_MOVES,
	HOTPATH_CNT_DIM_TX_MOVES,
	HOTPATH_CNT_TX_PAUSE_FRAMES,
	HOTPATH_CNT_RX_PAUSE_FRAMES,
	HOTPATH_CNT_TX_PAUSE_STORM_EVENTS,

	__HOTPATH_CNT_MAX,
	HOTPATH_CNT_MAX = (__HOTPATH_CNT_MAX - 1)
};

enum hotpath_cmd {
	HOTPATH_CMD_UNSPEC,
	HOTPATH_CMD_PORT_GET,
	HOTPATH_CMD_PORT_SET,
	HOTPATH_CMD_PORT_NTF,
	HOTPATH_CMD_STATS_GET,
	HOTPATH_CMD_STATS_RESET,
	HOTPATH_CMD_COUNTER_NAMES_GET,

	__HOTPATH_CMD_MAX,
	HOTPATH_CMD_MAX = (__HOTPATH_CMD_MAX - 1)
};

#define HOTPATH_MCGRP_CONFIG	"config"

#endif /* _UAPI_LINUX_HOTPATH_H */
