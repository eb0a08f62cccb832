/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place where the differences between the supported kernels
 * (Debian's 6.1 and 6.12) are handled.  Everything else is written against
 * the API both share.
 */
#ifndef _HP_COMPAT_H
#define _HP_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <linux/random.h>

/*
 * Uniform random number below @ceil.  get_random_u32_below() appeared in
 * 6.2; Debian's 6.1 carries the backport, older 6.1 builds only have
 * prandom_u32_max().
 */
#ifdef get_random_u32_below
#define hp_random_below(ceil)	get_random_u32_below(ceil)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
#define hp_random_below(ceil)	get_random_u32_below(ceil)
#else
#include <linux/prandom.h>
#define hp_random_below(ceil)	prandom_u32_max(ceil)
#endif

/*
 * netif_napi_set_irq() (6.8) tells netdev-genl which IRQ feeds a NAPI
 * instance; older kernels have nowhere to store it.
 */
static inline void hp_napi_set_irq(struct napi_struct *napi, int irq)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	netif_napi_set_irq(napi, irq);
#endif
}

#endif /* _HP_COMPAT_H */
