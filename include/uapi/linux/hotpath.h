/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hotpath: an emulated low-latency NIC whose datapath stages can be toggled
 * and measured.  This header is the generic netlink protocol specification.
 *
 * Family "hotpath", version HOTPATH_GENL_VERSION, multicast group "config".
 * The family is netns aware: a request only ever sees and changes the ports
 * of the caller's network namespace.  GET/dump commands need no privilege;
 * SET and STATS_RESET need CAP_NET_ADMIN in the namespace owning the port.
 *
 * Attribute tree (types in brackets, units in the enum comments):
 *
 *   HOTPATH_CMD_PORT_GET (doit: IFINDEX or IFNAME; dump: every port)
 *   reply / HOTPATH_CMD_PORT_NTF / HOTPATH_CMD_PORT_SET request:
 *     HOTPATH_A_IFINDEX                  [u32]
 *     HOTPATH_A_IFNAME                   [string]
 *     HOTPATH_A_PEER_IFINDEX             [u32]    read only
 *     HOTPATH_A_PEER_IFNAME              [string] read only
 *     HOTPATH_A_RX_MODE                  [u8]     enum hotpath_rx_mode
 *     HOTPATH_A_TX_PUSH                  [u8]     0 or 1
 *     HOTPATH_A_BUSY_POLL_FALLBACK_US    [u32]
 *     HOTPATH_A_STATS_ENABLED            [u8]     0 or 1
 *     HOTPATH_A_PROBES                   [u8]     0 or 1
 *     HOTPATH_A_RX_RING_SIZE             [u32]    read only (ethtool -G)
 *     HOTPATH_A_TX_RING_SIZE             [u32]    read only (ethtool -G)
 *     HOTPATH_A_PHC_INDEX                [u32]    read only (ethtool -T)
 *     HOTPATH_A_PHC_DRIFT_PPB            [s32]
 *     HOTPATH_A_HWTSTAMP_TX              [u8]     read only (SIOCSHWTSTAMP)
 *     HOTPATH_A_HWTSTAMP_RX_FILTER       [u8]     read only (SIOCSHWTSTAMP)
 *     HOTPATH_A_CTPIO                    [nest]
 *       HOTPATH_CTPIO_A_MODE             [u8]     enum hotpath_ctpio_mode
 *       HOTPATH_CTPIO_A_THRESH           [u32]
 *       HOTPATH_CTPIO_A_MAX_FRAME        [u32]
 *       HOTPATH_CTPIO_A_UNDERRUN_PPM     [u32]
 *     HOTPATH_A_COALESCE                 [nest]
 *       HOTPATH_COALESCE_A_RX_USECS      [u32]
 *       HOTPATH_COALESCE_A_RX_FRAMES     [u32]
 *       HOTPATH_COALESCE_A_TX_USECS      [u32]
 *       HOTPATH_COALESCE_A_TX_FRAMES     [u32]
 *     HOTPATH_A_MODEL                    [nest]
 *       HOTPATH_MODEL_A_PROFILE          [u8]     write only: load a profile
 *                                                 first, then the other
 *                                                 attributes of the request
 *       HOTPATH_MODEL_A_TIMING           [u8]     enum hotpath_timing
 *       HOTPATH_MODEL_A_LINK_MBPS        [u32]
 *       ... one u32 per model parameter, see enum hotpath_model_attr
 *
 *   HOTPATH_CMD_STATS_GET (doit: IFINDEX or IFNAME; dump: every port)
 *   reply:
 *     HOTPATH_A_IFINDEX, HOTPATH_A_IFNAME
 *     HOTPATH_A_STAGES                   [nest]
 *       HOTPATH_A_STAGE                  [nest], once per stage, in id order
 *         HOTPATH_STAGE_A_ID             [u32]    enum hotpath_stage
 *         HOTPATH_STAGE_A_NAME           [string]
 *         HOTPATH_STAGE_A_SOURCE         [u8]     enum hotpath_stage_source
 *         HOTPATH_STAGE_A_COUNT          [u64]
 *         HOTPATH_STAGE_A_SUM_NS ... HOTPATH_STAGE_A_P999_NS   [u64] each
 *     HOTPATH_A_COUNTERS                 [nest]
 *       one [u64] attribute per enum hotpath_counter, type = counter id
 *
 *   HOTPATH_CMD_STATS_RESET (IFINDEX or IFNAME): zero every stage and counter
 *   of the port.
 *
 * Error numbers:
 *   ENODEV      no hotpath port with that IFINDEX/IFNAME in the caller's netns
 *   EINVAL      a value outside its policy or an inconsistent combination; the
 *               extack message and offset name the attribute
 *   ERANGE      an integer outside its policy range (rejected by the core
 *               netlink validation before the command runs; the extack
 *               offset points at the attribute)
 *   EOPNOTSUPP  a read-only attribute was given to SET
 *   EPERM       SET/STATS_RESET without CAP_NET_ADMIN
 *   EMSGSIZE    reply does not fit (never expected)
 * A SET either applies completely or changes nothing.  Every successful SET,
 * and every change made through ethtool, is announced on the "config" group
 * as HOTPATH_CMD_PORT_NTF carrying the full port configuration.
 */
#ifndef _UAPI_LINUX_HOTPATH_H
#define _UAPI_LINUX_HOTPATH_H

#define HOTPATH_GENL_NAME		"hotpath"
/*
 * The family version is the major number of the hotpath release (the
 * top-level VERSION file; the module and tools refuse to build when the two
 * differ).  It changes only when the protocol changes incompatibly; adding
 * attributes or commands does not change it.
 */
#define HOTPATH_GENL_VERSION		1
#define HOTPATH_MCGRP_CONFIG		"config"

enum hotpath_cmd {
	HOTPATH_CMD_UNSPEC,
	HOTPATH_CMD_PORT_GET,
	HOTPATH_CMD_PORT_SET,
	HOTPATH_CMD_PORT_NTF,
	HOTPATH_CMD_STATS_GET,
	HOTPATH_CMD_STATS_RESET,

	__HOTPATH_CMD_MAX,
	HOTPATH_CMD_MAX = __HOTPATH_CMD_MAX - 1
};

/* How received frames reach the stack. */
enum hotpath_rx_mode {
	/* MSI-X interrupt (coalesced) schedules NAPI */
	HOTPATH_RX_MODE_INTERRUPT,
	/*
	 * The RX interrupt stays masked while busy pollers (SO_BUSY_POLL,
	 * net.core.busy_read/busy_poll) pick frames up; a watchdog schedules
	 * NAPI for frames left unpolled longer than busy_poll_fallback_us.
	 */
	HOTPATH_RX_MODE_BUSY_POLL,

	__HOTPATH_RX_MODE_MAX,
	HOTPATH_RX_MODE_MAX = __HOTPATH_RX_MODE_MAX - 1
};

/* CTPIO: the CPU writes the frame to the NIC (PIO) instead of DMA. */
enum hotpath_ctpio_mode {
	HOTPATH_CTPIO_OFF,
	/* cut-through: the wire starts after THRESH bytes were written */
	HOTPATH_CTPIO_CT,
	/* store-and-forward: whole frame buffered, then sent; may poison */
	HOTPATH_CTPIO_SF,
	/* store-and-forward, never poisons */
	HOTPATH_CTPIO_SF_NP,

	__HOTPATH_CTPIO_MAX,
	HOTPATH_CTPIO_MAX = __HOTPATH_CTPIO_MAX - 1
};

enum hotpath_timing {
	/* the engine busy-waits every modelled delay: applications see it */
	HOTPATH_TIMING_ENFORCED,
	/* modelled delays are recorded in the stages but not waited */
	HOTPATH_TIMING_ACCOUNTED,

	__HOTPATH_TIMING_MAX,
	HOTPATH_TIMING_MAX = __HOTPATH_TIMING_MAX - 1
};

enum hotpath_profile {
	/* published figures (see README, "The hardware model") */
	HOTPATH_PROFILE_REALISTIC,
	/* classic teaching figures: doorbell 60, fetch 300, DMA 250, PHY 80 */
	HOTPATH_PROFILE_SEED,

	__HOTPATH_PROFILE_MAX,
	HOTPATH_PROFILE_MAX = __HOTPATH_PROFILE_MAX - 1
};

/* Per-packet stages, in path order.  Names are the CLI/JSON names. */
enum hotpath_stage {
	HOTPATH_STAGE_TX_STACK,		/* "tx_stack"     measured (probe) */
	HOTPATH_STAGE_TX_QDISC,		/* "tx_qdisc"     measured */
	HOTPATH_STAGE_TX_DESC,		/* "tx_desc"      measured */
	HOTPATH_STAGE_TX_DOORBELL,	/* "tx_doorbell"  modelled */
	HOTPATH_STAGE_TX_FETCH,		/* "tx_fetch"     modelled */
	HOTPATH_STAGE_TX_DMA,		/* "tx_dma"       modelled + real copy */
	HOTPATH_STAGE_TX_WIRE,		/* "tx_wire"      modelled */
	HOTPATH_STAGE_RX_DMA,		/* "rx_dma"       modelled + real copy */
	HOTPATH_STAGE_RX_IRQ,		/* "rx_irq"       measured */
	HOTPATH_STAGE_RX_NAPI,		/* "rx_napi"      measured */
	HOTPATH_STAGE_RX_BUSY_POLL,	/* "rx_busy_poll" measured */
	HOTPATH_STAGE_RX_STACK,		/* "rx_stack"     measured */
	HOTPATH_STAGE_RX_WAKEUP,	/* "rx_wakeup"    measured (probe) */

	__HOTPATH_STAGE_MAX,
	HOTPATH_STAGE_MAX = __HOTPATH_STAGE_MAX - 1
};

enum hotpath_stage_source {
	HOTPATH_SOURCE_MEASURED,	/* "measured": timed on the kernel path */
	HOTPATH_SOURCE_MODELLED,	/* "modelled": from the hardware model */
};

/*
 * Technique and datapath counters (u64, since load or the last reset).
 * JSON names are the lower-case suffix ("tx_push_hits", ...).
 */
enum hotpath_counter {
	HOTPATH_CNT_UNSPEC,
	HOTPATH_CNT_TX_PUSH_HITS,	/* descriptor pushed with the doorbell */
	HOTPATH_CNT_TX_PUSH_MISSES,	/* push on, ring not empty: fetched */
	HOTPATH_CNT_CTPIO_SUCCESS,	/* frame sent by PIO, not poisoned */
	HOTPATH_CNT_CTPIO_POISONED,	/* underrun: sent with bad FCS */
	HOTPATH_CNT_CTPIO_FALLBACK_BUSY,	/* ring not empty: DMA path */
	HOTPATH_CNT_CTPIO_FALLBACK_LONG,	/* longer than max_frame */
	HOTPATH_CNT_CTPIO_FALLBACK_RUNT,	/* shorter than 29 bytes */
	HOTPATH_CNT_INTERRUPTS,		/* RX MSI-X interrupts raised */
	HOTPATH_CNT_TX_INTERRUPTS,	/* TX completion interrupts raised */
	HOTPATH_CNT_BUSY_POLL_PICKUPS,	/* frames picked up by busy pollers */
	HOTPATH_CNT_WATCHDOG_FIRES,	/* busy-poll fallback watchdog fired */
	HOTPATH_CNT_NAPI_POLLS,		/* NAPI poll calls */
	HOTPATH_CNT_RX_PACKETS,		/* frames handed to the stack */
	HOTPATH_CNT_TX_PACKETS,		/* frames put on the wire */
	HOTPATH_CNT_TX_COMPLETIONS,	/* TX completions reaped */
	HOTPATH_CNT_RX_RING_DROPS,	/* drop: no posted RX buffer */
	HOTPATH_CNT_RX_CRC_ERRORS,	/* drop: bad FCS (poisoned frame) */
	HOTPATH_CNT_TX_DROP_NO_CARRIER,	/* drop: peer down or gone */
	HOTPATH_CNT_TX_DROP_TOO_BIG,	/* drop: frame larger than peer MTU */
	HOTPATH_CNT_RX_DROP_ALLOC,	/* drop: skb allocation failed */
	HOTPATH_CNT_TX_DROP_TEARDOWN,	/* drop: TX descriptor never run, port
					 * going down
					 */
	HOTPATH_CNT_INTERRUPTS_TIMER,	/* of INTERRUPTS: raised by the rx-usecs
					 * timer or the rx-frames guard timer,
					 * not by the rx-frames threshold
					 */
	HOTPATH_CNT_RX_DROP_TEARDOWN,	/* drop: received frame never reaped,
					 * port going down or its RX ring
					 * reposted (MTU growth)
					 */
	HOTPATH_CNT_RX_ALLOC_FAILS,	/* RX buffer allocation failed */
	HOTPATH_CNT_TX_CMPL_DELAYED,	/* TX completion held (fault knob) */
	/* native XDP: one per program verdict, then the failures */
	HOTPATH_CNT_XDP_PASS,		/* XDP_PASS: frame to the stack */
	HOTPATH_CNT_XDP_DROP,		/* XDP_DROP: buffer reposted */
	HOTPATH_CNT_XDP_TX,		/* XDP_TX: onto this port's TX ring */
	HOTPATH_CNT_XDP_REDIRECT,	/* XDP_REDIRECT: xdp_do_redirect() took it */
	HOTPATH_CNT_XDP_ABORTED,	/* drop: XDP_ABORTED (trace_xdp_exception) */
	HOTPATH_CNT_XDP_INVALID,	/* drop: unknown verdict */
	HOTPATH_CNT_XDP_TX_ERRORS,	/* drop: XDP_TX found the TX ring full */
	HOTPATH_CNT_XDP_REDIRECT_ERRORS,	/* drop: xdp_do_redirect() failed */
	HOTPATH_CNT_XDP_XMIT,		/* frames taken by ndo_xdp_xmit */
	HOTPATH_CNT_XDP_XMIT_ERRORS,	/* ndo_xdp_xmit refused: ring full/down */
	/* AF_XDP zero-copy (a UMEM pool bound to the queue) */
	HOTPATH_CNT_XSK_RX_PACKETS,	/* UMEM frames the program redirected */
	HOTPATH_CNT_XSK_TX_PACKETS,	/* descriptors taken from the XSK TX ring */
	HOTPATH_CNT_XSK_FILL_EMPTY_DROPS,	/* drop: no RX buffer, fill ring empty */
	HOTPATH_CNT_XSK_WAKEUPS,	/* ndo_xsk_wakeup calls that raised NAPI */

	__HOTPATH_CNT_MAX,
	HOTPATH_CNT_MAX = __HOTPATH_CNT_MAX - 1
};

enum hotpath_attr {
	HOTPATH_A_UNSPEC,
	HOTPATH_A_PAD,
	HOTPATH_A_IFINDEX,		/* u32 */
	HOTPATH_A_IFNAME,		/* string, < IFNAMSIZ */
	HOTPATH_A_PEER_IFINDEX,		/* u32, in the peer's netns */
	HOTPATH_A_PEER_IFNAME,		/* string */
	HOTPATH_A_RX_MODE,		/* u8, enum hotpath_rx_mode */
	HOTPATH_A_TX_PUSH,		/* u8, 0 off, 1 on */
	HOTPATH_A_BUSY_POLL_FALLBACK_US,	/* u32, microseconds, 1..1000000 */
	HOTPATH_A_STATS_ENABLED,	/* u8, 0 off, 1 on: stage accounting */
	HOTPATH_A_PROBES,		/* u8, 0 off, 1 on: tx_stack/rx_wakeup */
	HOTPATH_A_RX_RING_SIZE,		/* u32, descriptors, read only */
	HOTPATH_A_TX_RING_SIZE,		/* u32, descriptors, read only */
	HOTPATH_A_CTPIO,		/* nest, enum hotpath_ctpio_attr */
	HOTPATH_A_COALESCE,		/* nest, enum hotpath_coalesce_attr */
	HOTPATH_A_MODEL,		/* nest, enum hotpath_model_attr */
	HOTPATH_A_STAGES,		/* nest of HOTPATH_A_STAGE */
	HOTPATH_A_STAGE,		/* nest, enum hotpath_stage_attr */
	HOTPATH_A_COUNTERS,		/* nest, u64 per enum hotpath_counter */
	HOTPATH_A_PHC_INDEX,		/* u32, N of the port's /dev/ptpN, read only */
	/* s32, ppb, frequency error of the port's PHC, -1000000..1000000 (0) */
	HOTPATH_A_PHC_DRIFT_PPB,
	/* u8, enum hwtstamp_tx_types granted by SIOCSHWTSTAMP, read only */
	HOTPATH_A_HWTSTAMP_TX,
	/* u8, enum hwtstamp_rx_filters granted (NONE or ALL), read only */
	HOTPATH_A_HWTSTAMP_RX_FILTER,

	__HOTPATH_A_MAX,
	HOTPATH_A_MAX = __HOTPATH_A_MAX - 1
};

enum hotpath_ctpio_attr {
	HOTPATH_CTPIO_A_UNSPEC,
	HOTPATH_CTPIO_A_MODE,		/* u8, enum hotpath_ctpio_mode */
	/* u32, bytes written before the wire starts in ct, 0..4092 (64) */
	HOTPATH_CTPIO_A_THRESH,
	/* u32, bytes, 29..4092; default 1518 in ct, else 500 */
	HOTPATH_CTPIO_A_MAX_FRAME,
	/* u32, parts per million of CTPIO sends forced to underrun, 0..1e6 */
	HOTPATH_CTPIO_A_UNDERRUN_PPM,

	__HOTPATH_CTPIO_A_MAX,
	HOTPATH_CTPIO_A_MAX = __HOTPATH_CTPIO_A_MAX - 1
};

enum hotpath_coalesce_attr {
	HOTPATH_COALESCE_A_UNSPEC,
	HOTPATH_COALESCE_A_RX_USECS,	/* u32, microseconds, 0..10000 */
	HOTPATH_COALESCE_A_RX_FRAMES,	/* u32, frames, 0..ring size */
	HOTPATH_COALESCE_A_TX_USECS,	/* u32, microseconds, 0..10000 */
	HOTPATH_COALESCE_A_TX_FRAMES,	/* u32, frames, 0..ring size */

	__HOTPATH_COALESCE_A_MAX,
	HOTPATH_COALESCE_A_MAX = __HOTPATH_COALESCE_A_MAX - 1
};

enum hotpath_model_attr {
	HOTPATH_MODEL_A_UNSPEC,
	HOTPATH_MODEL_A_PROFILE,	/* u8, enum hotpath_profile, write only */
	HOTPATH_MODEL_A_TIMING,		/* u8, enum hotpath_timing */
	/* u32, Mb/s: 1000, 10000, 25000, 40000 or 100000 */
	HOTPATH_MODEL_A_LINK_MBPS,
	/* u32, ns, PCIe read round trip = TX descriptor fetch, 0..100000 */
	HOTPATH_MODEL_A_PCIE_RTT_NS,
	/* u32, ns, doorbell MMIO write, 0..100000 */
	HOTPATH_MODEL_A_DOORBELL_NS,
	/* u32, Mb/s, PCIe DMA bandwidth for payload, 1000..1000000 */
	HOTPATH_MODEL_A_PCIE_MBPS,
	/* u32, ns, TX DMA start: payload read request to data, 0..100000 */
	HOTPATH_MODEL_A_DMA_NS,
	/* u32, ns, PHY/SerDes latency per direction, 0..100000 */
	HOTPATH_MODEL_A_PHY_NS,
	/* u32, ns, RX DMA: frame written to a posted buffer, 0..100000 */
	HOTPATH_MODEL_A_RX_DMA_NS,
	/* u32, ns, write of a TX descriptor by the driver (PIO path), 0..100000 */
	HOTPATH_MODEL_A_DESC_NS,
	/* u32, Mb/s, host PIO (write-combining) bandwidth for CTPIO, 1000..1000000 */
	HOTPATH_MODEL_A_HOST_PIO_MBPS,

	__HOTPATH_MODEL_A_MAX,
	HOTPATH_MODEL_A_MAX = __HOTPATH_MODEL_A_MAX - 1
};

enum hotpath_stage_attr {
	HOTPATH_STAGE_A_UNSPEC,
	HOTPATH_STAGE_A_PAD,
	HOTPATH_STAGE_A_ID,		/* u32, enum hotpath_stage */
	HOTPATH_STAGE_A_NAME,		/* string, e.g. "tx_wire" */
	HOTPATH_STAGE_A_SOURCE,		/* u8, enum hotpath_stage_source */
	HOTPATH_STAGE_A_COUNT,		/* u64, packets */
	HOTPATH_STAGE_A_SUM_NS,		/* u64, ns */
	HOTPATH_STAGE_A_MIN_NS,		/* u64, ns (0 when count is 0) */
	HOTPATH_STAGE_A_MEAN_NS,	/* u64, ns */
	HOTPATH_STAGE_A_MAX_NS,		/* u64, ns */
	/* u64, ns; percentiles from a log-linear histogram, see README */
	HOTPATH_STAGE_A_P50_NS,
	HOTPATH_STAGE_A_P90_NS,
	HOTPATH_STAGE_A_P99_NS,
	HOTPATH_STAGE_A_P999_NS,

	__HOTPATH_STAGE_A_MAX,
	HOTPATH_STAGE_A_MAX = __HOTPATH_STAGE_A_MAX - 1
};

#endif /* _UAPI_LINUX_HOTPATH_H */
