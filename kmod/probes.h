/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-path probes: tx_stack and rx_wakeup, timed from probes on core
 * kernel tracepoints, and tx_qdisc's start (the skb reaching the device
 * queue).
 */
#ifndef _HP_PROBES_H
#define _HP_PROBES_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

struct hp_config;
struct hp_acct;
struct hp_stage_sample;

/*
 * Module init, before any port exists: @acct_of maps a net_device to its
 * port's accounting object, NULL for a device that is not a hotpath port
 * (the core tracepoints see every device).  It must be safe in any context
 * the core tracepoints fire in.
 */
void hp_probes_init(struct hp_acct *(*acct_of)(const struct net_device *dev));

/*
 * A port's configuration changes from @old to @new (@old NULL: the port is
 * being created, @new NULL: destroyed).  Applies cfg->stats_enabled and
 * cfg->probes to the port's accounting @st (may be NULL) and registers the core tracepoint
 * probes when the first port needs them and unregisters them (waiting for
 * running probes) when the last stops.  RTNL held, process context: call it
 * from hp_device_publish_config() and on port creation/destruction.
 */
void hp_probes_config(struct hp_acct *st, const struct hp_config *old,
		      const struct hp_config *new);

/* Module exit: unregister whatever is still registered. */
void hp_probes_exit(void);

/*
 * TX, in ndo_start_xmit, when the port's stats are on, with @now the clock
 * read at its entry (tx_qdisc's end).  Either
 *
 *   n = hp_probes_tx_xmit(skb, now, s);
 *   hp_stages_record_n(st, dev, s, n, seq, skb->len);
 *
 * (@s has room for two): the samples of tx_stack (sendmsg entry until
 * net_dev_queue, with probes on) and tx_qdisc (net_dev_queue until @now,
 * the caller's own clock read), recorded when the caller likes (after its
 * own timed work).  None when the skb's queueing was not seen or is more
 * than a second older than @now (a stale entry of a reused address).
 * Consumes the skb's entry.  BH disabled.
 */
unsigned int hp_probes_tx_xmit(const struct sk_buff *skb, u64 now,
			       struct hp_stage_sample *s);

/*
 * RX, in NAPI poll: call hp_probes_rx_handoff() right before handing @skb
 * to the stack (netif_receive_skb; not GRO, which may hold it) and
 * hp_probes_rx_queued() right after that call returned, with the same
 * pointer (not dereferenced: the stack owns the skb now), the frame's
 * sequence number and hp_stages_now(): the moment rx_stack ends (the frame
 * is on its socket queue) and rx_wakeup starts.  @st is the receiving
 * port's accounting; no-ops unless its stats and probes are on.  BH
 * disabled, same CPU for both calls.
 */
void hp_probes_rx_handoff(const struct hp_acct *st, struct sk_buff *skb);
void hp_probes_rx_queued(const struct hp_acct *st, const void *skb,
			 u32 seq, u64 now);

/*
 * The same for a driver path the module does not own (nicpath.c), in two
 * calls that need not be on one CPU: hp_probes_rx_expect() when the frame
 * whose data buffer is @head is handed to the stack, and
 * hp_probes_rx_delivered() once it sits on its socket queue (rx_stack's
 * end, rx_wakeup's start) at @now.  The caller checks the device's probes.
 */
void hp_probes_rx_expect(const void *head);
void hp_probes_rx_delivered(const void *head, u32 seq, u64 now);

/*
 * The core tracepoint called @name (they are not exported to modules), or
 * NULL; process context.
 */
struct tracepoint *hp_probes_tracepoint(const char *name);

/*
 * Hold (@on) or release the core-path probes for an attached device whose
 * accounting is @st, as hp_probes_config() does for a port with stats and
 * probes on.  RTNL held, process context.
 */
void hp_probes_attach(struct hp_acct *st, bool on);

#endif /* _HP_PROBES_H */
