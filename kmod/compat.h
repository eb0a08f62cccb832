/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place where differences between the supported kernels (Debian's
 * 6.1 and 6.12) are handled.  Everything else is written against the API
 * both share; so far the datapath needs nothing version specific beyond
 * the names below:
 *  - netif_napi_add() has no weight argument in either (6.1 dropped it);
 *  - get_random_u32_below() (6.2) is backported to Debian's 6.1;
 *  - napi_complete_done() returning false while a busy poller owns the
 *    NAPI, and NAPI_STATE_IN_BUSY_POLL, exist in both;
 *  - XDP feature flags (dev->xdp_features, uapi linux/netdev.h) exist from
 *    6.3 on; detected by that header's family name, which netdevice.h then
 *    includes, not by version.
 *  - the AF_XDP driver API (xdp_sock_drv.h) xsk.c, rx.c and tx.c use:
 *    xsk_pool_dma_map, xsk_buff_alloc, xsk_buff_set_size,
 *    xsk_tx_peek_desc/release, xsk_tx_completed, xsk_*_need_wakeup,
 *    xsk_pool_get_rx_frame_size;
 *  - struct nla_policy's range pointers: 6.1's are not const, so
 *    netlink.c's range tables are not const (valid for both);
 *  - xdp_do_redirect() needs the per-task bpf_net_context (6.11) only where
 *    NAPI or busy poll set it up: xdp.c never runs it elsewhere (both);
 * and those that differ:
 *  - ethtool's get_ts_info takes a struct ethtool_ts_info up to 6.10 and a
 *    struct kernel_ethtool_ts_info (same field names) from 6.11; Kbuild
 *    looks for the latter in the kernel's headers.
 *  - xsk_buff_dma_sync_for_cpu() lost its pool argument in 6.10; Kbuild
 *    looks for the new form in the kernel's headers;
 *  - the consume_skb tracepoint gained a "location" argument in 6.3; the
 *    probe is chosen by the type of register_trace_consume_skb();
 *  - from 6.3 xp_assign_dev() grants zero-copy only to a device whose
 *    xdp_features hold BASIC, REDIRECT and XSK_ZEROCOPY (before 6.3 the
 *    ndo_bpf and ndo_xsk_wakeup ops are all it checks);
 *  - an ftrace callback's struct ftrace_regs is a struct pt_regs wrapper
 *    on 6.1 and opaque, read with ftrace_regs_get_argument(), by 6.12.
 */
#ifndef _HP_COMPAT_H
#define _HP_COMPAT_H

#include <linux/netdevice.h>
#include <linux/random.h>
#include <net/xdp_sock_drv.h>

/* Uniform random number in [0, @ceil). */
#define hp_random_below(ceil)	get_random_u32_below(ceil)

/* HP_KERNEL_TS_INFO: Kbuild found struct kernel_ethtool_ts_info (6.11) */
#ifdef HP_KERNEL_TS_INFO
#define hp_ethtool_ts_info	kernel_ethtool_ts_info
#else
#define hp_ethtool_ts_info	ethtool_ts_info
#endif

/* What the port advertises in dev->xdp_features (6.3+), before register. */
#ifdef NETDEV_FAMILY_NAME
static inline void hp_compat_set_xdp_features(struct net_device *dev)
{
	dev->xdp_features = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
			    NETDEV_XDP_ACT_NDO_XMIT | NETDEV_XDP_ACT_XSK_ZEROCOPY;
}
#else
static inline void hp_compat_set_xdp_features(struct net_device *dev)
{
}
#endif

/* HP_XSK_SYNC_NO_POOL: Kbuild found the one-argument form (6.10) */
#ifdef HP_XSK_SYNC_NO_POOL
#define hp_compat_xsk_sync_for_cpu(xdp, pool)	xsk_buff_dma_sync_for_cpu(xdp)
#else
#define hp_compat_xsk_sync_for_cpu(xdp, pool)	xsk_buff_dma_sync_for_cpu(xdp, pool)
#endif

/*
 * The consume_skb tracepoint probe: @plain (void *, struct sk_buff *) up to
 * 6.2, @loc (..., void *location) from 6.3.  Expanded where
 * trace/events/skb.h is included (probes.c).
 */
#define hp_compat_consume_skb_probe(plain, loc)				\
	__builtin_choose_expr(__same_type(&register_trace_consume_skb,	\
			int (*)(void (*)(void *, struct sk_buff *), void *)),	\
		plain, loc)

/*
 * Argument @n of the function an ftrace callback (ftrace_func_t) was called
 * for; x86-64 saves the argument registers for every callback (WITH_ARGS).
 * Expanded where linux/ftrace.h is included (probes.c).
 */
#ifdef ftrace_regs_get_argument
#define hp_compat_ftrace_arg(fregs, n)	ftrace_regs_get_argument(fregs, n)
#else
#define hp_compat_ftrace_arg(fregs, n)	regs_get_kernel_argument(&(fregs)->regs, n)
#endif

#endif /* _HP_COMPAT_H */
