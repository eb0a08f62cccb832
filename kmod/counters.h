/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of technique and datapath counters, in enum hotpath_counter
 * order (include/net/dropreason-core.h's practice).  Everything in the
 * module that enumerates counters expands it: the name table (ethtool -S
 * strings and the counter-names nest of stats-get, which hotpath(8) prints
 * as its JSON keys), the point tracepoints (trace.h) and their dispatch
 * (stages.c).  stages.c checks at build time that every entry sits at its
 * uapi id, so the list and the YNL spec cannot drift apart.
 *
 * HP_COUNTERS(C, E) calls, per counter,
 *   C(ID, name)  for a counter without a tracepoint,
 *   E(ID, name)  for one that also fires the point event hotpath:<name>;
 * ID is the suffix of HOTPATH_CNT_<ID>, name the counter's name: its JSON
 * key and ethtool -S string, and its event's name.  The names are the
 * documented contract (Documentation/cli.md, hotpath(8)): the lower-case
 * ID, except tx_completions_delayed.
 *
 * Adding a counter: append it to the spec's counters set (make regen), then
 * here, at the end; it is named over netlink, in ethtool -S and the CLI.
 */
#ifndef _HP_COUNTERS_H
#define _HP_COUNTERS_H

#define HP_COUNTERS(C, E)					\
	E(TX_PUSH_HITS,		tx_push_hits)			\
	E(TX_PUSH_MISSES,	tx_push_misses)			\
	E(CTPIO_SUCCESS,	ctpio_success)			\
	E(CTPIO_POISONED,	ctpio_poisoned)			\
	E(CTPIO_FALLBACK_BUSY,	ctpio_fallback_busy)		\
	E(CTPIO_FALLBACK_LONG,	ctpio_fallback_long)		\
	E(CTPIO_FALLBACK_RUNT,	ctpio_fallback_runt)		\
	E(INTERRUPTS,		interrupts)			\
	E(TX_INTERRUPTS,	tx_interrupts)			\
	E(BUSY_POLL_PICKUPS,	busy_poll_pickups)		\
	E(WATCHDOG_FIRES,	watchdog_fires)			\
	C(NAPI_POLLS,		napi_polls)			\
	C(RX_PACKETS,		rx_packets)			\
	C(TX_PACKETS,		tx_packets)			\
	C(TX_COMPLETIONS,	tx_completions)			\
	E(RX_RING_DROPS,	rx_ring_drops)			\
	E(RX_CRC_ERRORS,	rx_crc_errors)			\
	C(TX_DROP_NO_CARRIER,	tx_drop_no_carrier)		\
	C(TX_DROP_TOO_BIG,	tx_drop_too_big)		\
	C(RX_DROP_ALLOC,	rx_drop_alloc)			\
	C(TX_DROP_TEARDOWN,	tx_drop_teardown)		\
	C(INTERRUPTS_TIMER,	interrupts_timer)		\
	C(RX_DROP_TEARDOWN,	rx_drop_teardown)		\
	C(RX_ALLOC_FAILS,	rx_alloc_fails)			\
	C(TX_CMPL_DELAYED,	tx_completions_delayed)		\
	C(XDP_PASS,		xdp_pass)			\
	C(XDP_DROP,		xdp_drop)			\
	C(XDP_TX,		xdp_tx)				\
	C(XDP_REDIRECT,		xdp_redirect)			\
	C(XDP_ABORTED,		xdp_aborted)			\
	C(XDP_INVALID,		xdp_invalid)			\
	C(XDP_TX_ERRORS,	xdp_tx_errors)			\
	C(XDP_REDIRECT_ERRORS,	xdp_redirect_errors)		\
	C(XDP_XMIT,		xdp_xmit)			\
	C(XDP_XMIT_ERRORS,	xdp_xmit_errors)		\
	C(XSK_RX_PACKETS,	xsk_rx_packets)			\
	C(XSK_TX_PACKETS,	xsk_tx_packets)			\
	C(XSK_FILL_EMPTY_DROPS,	xsk_fill_empty_drops)		\
	C(XSK_WAKEUPS,		xsk_wakeups)			\
	E(DIM_RX_MOVES,		dim_rx_moves)			\
	E(DIM_TX_MOVES,		dim_tx_moves)			\
	E(TX_PAUSE_FRAMES,	tx_pause_frames)		\
	E(RX_PAUSE_FRAMES,	rx_pause_frames)		\
	E(TX_PAUSE_STORM_EVENTS, tx_pause_storm_events)

/*
 * The counters an attached device (attach.c, nicpath.c) moves, which are
 * all stats-get reports for one: interrupts on its vectors, busy-poll
 * pickups, its NAPI polls, the frames it received and sent, and their TX
 * completions.  A port reports every counter.
 */
#define HP_NIC_COUNTERS(N)						\
	N(INTERRUPTS) N(BUSY_POLL_PICKUPS) N(NAPI_POLLS) N(RX_PACKETS)	\
	N(TX_PACKETS) N(TX_COMPLETIONS)

/* An HP_COUNTERS() argument that expands to nothing. */
#define HP_CNT_NONE(id, name)

#endif /* _HP_COUNTERS_H */
