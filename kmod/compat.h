/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place where differences between the supported kernels (Debian's
 * 6.1 and 6.12) are handled.  Everything else is written against the API
 * both share; so far the datapath needs nothing version specific beyond
 * the names below:
 *  - netif_napi_add() has no weight argument in either (6.1 dropped it);
 *  - get_random_u32_below() (6.2) is backported to Debian's 6.1;
 *  - napi_complete_done() returning false while a busy poller owns the
 *    NAPI, and NAPI_STATE_IN_BUSY_POLL, exist in both.
 */
#ifndef _HP_COMPAT_H
#define _HP_COMPAT_H

#include <linux/random.h>

/* Uniform random number in [0, @ceil). */
#define hp_random_below(ceil)	get_random_u32_below(ceil)

#endif /* _HP_COMPAT_H */
