/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The port's settings outside the model (whose figures are figures.h's):
 * its switches and one list of numeric settings per attribute nest, read by
 * the module (struct hp_config, the defaults, the policy, the netlink fill
 * and parse, the checks) and by the CLI (its `set` keys, its port struct,
 * the parse of a port message, the names of attributes).  Adding a setting
 * is a line here and its attribute in the YNL spec; selftests/ynl_policy.py
 * holds the policy to the spec, scripts/cli_tables.py hotpath(8)'s and
 * Documentation/cli.md's ranges and defaults to this file.  What a setting
 * does is the datapath's; `hotpath show` prints each where it belongs.  The
 * CTPIO mode, the profile, timing and the PHC drift are not here: a mode
 * that moves another setting's default, an action, the model's nest and a
 * signed value each have their own code.
 *
 * S(nest, ATTR, field, key, words, max, def): a switch, u8
 *   words      the CLI's words of its values: an enum's (hp_<words>_words
 *              in tools/hotpath/names.c), or onoff for 0/1
 *   max        its largest value, the policy's and the checks'
 *   the others as below
 *
 * F(nest, ATTR, field, key, kind, min, max, def):
 *   nest       port (top level), ctpio or coalesce: the nest it travels in
 *   ATTR       the attribute, HOTPATH_<ATTR> (u32)
 *   field      its member of struct hp_config (module) and struct hp_port
 *              (CLI)
 *   key        the `hotpath set` key
 *   kind       usecs or count: the CLI's units
 *   min, max   its range: the spec's checks, the policy's and the checks'
 *   def        the default of a new port
 *
 * The coalescing frames are also held to the ring they count (the module
 * checks, as ethtool -C would need); CTPIO's maximum frame length follows
 * the mode's default (HP_CTPIO_DEFAULT_MAX_FRAME_*) until it is set.
 */
#ifndef _HOTPATH_SETTINGS_H
#define _HOTPATH_SETTINGS_H

#include <linux/types.h>

/* Ring sizes ethtool -G takes; a ring counts at most HP_RING_MAX frames. */
#define HP_RING_MIN	64
#define HP_RING_MAX	4096

/* Onload's EF_CTPIO_MAX_FRAME_LEN defaults: 1518 in ct, otherwise 500. */
#define HP_CTPIO_DEFAULT_MAX_FRAME_CT	1518
#define HP_CTPIO_DEFAULT_MAX_FRAME	500

/*
 * Defaults: interrupts, no push, stage accounting on, core probes off (they
 * cost on every socket of the system).
 */
#define HP_PORT_SWITCHES(S)						\
	S(port, A_RX_MODE, rx_mode, "rx-mode", rx_mode, HOTPATH_RX_MODE_MAX,	\
	  HOTPATH_RX_MODE_INTERRUPT)					\
	S(port, A_TX_PUSH, tx_push, "tx-push", onoff, 1, 0)		\
	S(port, A_STATS_ENABLED, stats_enabled, "stats", onoff, 1, 1)	\
	S(port, A_PROBES, probes, "probes", onoff, 1, 0)

#define HP_PORT_SETTINGS(F)						\
	F(port, A_BUSY_POLL_FALLBACK_US, busy_poll_fallback_us,		\
	  "busy-poll-fallback-us", usecs, 1, 1000000, 100)

/* 64: EF_CTPIO_CT_THRESH's default. */
#define HP_CTPIO_SETTINGS(F)						\
	F(ctpio, CTPIO_A_THRESH, ctpio_thresh, "ctpio-thresh", count,	\
	  0, HOTPATH_CTPIO_MAX_FRAME, 64)				\
	F(ctpio, CTPIO_A_MAX_FRAME, ctpio_max_frame, "ctpio-max-frame", count, \
	  HOTPATH_CTPIO_MIN_FRAME, HOTPATH_CTPIO_MAX_FRAME, HP_CTPIO_DEFAULT_MAX_FRAME) \
	F(ctpio, CTPIO_A_UNDERRUN_PPM, ctpio_underrun_ppm, "ctpio-underrun-ppm", count, \
	  0, 1000000, 0)

/*
 * No coalescing by default (usecs 0, frames 1): this is a latency lab, and
 * an immediate interrupt is the baseline the techniques are compared with;
 * sfc-like moderation (60/150 us) is one `set` or `ethtool -C` away.
 */
#define HP_COALESCE_SETTINGS(F)						\
	F(coalesce, COALESCE_A_RX_USECS, rx_usecs, "rx-usecs", usecs, 0, 10000, 0) \
	F(coalesce, COALESCE_A_RX_FRAMES, rx_frames, "rx-frames", count, 0, HP_RING_MAX, 1) \
	F(coalesce, COALESCE_A_TX_USECS, tx_usecs, "tx-usecs", usecs, 0, 10000, 0) \
	F(coalesce, COALESCE_A_TX_FRAMES, tx_frames, "tx-frames", count, 0, HP_RING_MAX, 1)

/*
 * Adaptive moderation (lib/dim, as mlx5, ice and ena use it): off by
 * default for the same reason; on, it picks the vector's usecs and frames
 * from its profiles and the four settings above wait until it is off.
 */
#define HP_COALESCE_SWITCHES(S)						\
	S(coalesce, COALESCE_A_ADAPTIVE_RX, adaptive_rx, "adaptive-rx", onoff, 1, 0) \
	S(coalesce, COALESCE_A_ADAPTIVE_TX, adaptive_tx, "adaptive-tx", onoff, 1, 0)

/* A switch or a setting as a member of a struct (hp_config, the CLI's hp_port). */
#define HP_SWITCH_FIELD(nest, a, field, key, words, max, def)		__u8 field;
#define HP_SETTING_FIELD(nest, a, field, key, kind, min, max, def)	__u32 field;

#endif /* _HOTPATH_SETTINGS_H */
