// SPDX-License-Identifier: GPL-2.0
/*
 * The attach hooks: the stages of another driver's path, for the devices
 * attached with `hotpath set DEV stats on` (attach.c).  Every boundary is a
 * core kernel tracepoint that Debian's 6.1 and 6.12 both have, found by
 * name as probes.c finds its own; one kprobe (skb_tstamp_tx) marks the
 * NIC's TX time stamp, which no tracepoint carries.
 *
 *   tx_stack, tx_qdisc  probes.c's, ended here at net:net_dev_start_xmit
 *   tx_desc      net:net_dev_start_xmit -> net:net_dev_xmit: the driver's
 *                ndo_start_xmit, descriptors and doorbell
 *   tx_complete  net:net_dev_xmit -> skb:consume_skb of the same skb (its
 *                last reference): how long NIC, TX interrupt and the
 *                completion poll hold the frame
 *   tx_nic       net:net_dev_xmit -> the NIC's TX time stamp (the kprobe
 *                sees it handed to skb_tstamp_tx; recorded at the free)
 *   wire         net:net_dev_xmit on one attached device -> the interrupt
 *                that delivers the same frame on another, matched by a
 *                hash of its headers (the wire table), hashed only while
 *                two or more devices are attached
 *   rx_nic       the NIC's RX time stamp -> irq:irq_handler_entry
 *   rx_poll      irq:irq_handler_entry on one of the device's vectors ->
 *                net:napi_gro_receive_entry / netif_receive_skb_entry, the
 *                driver handing the frame to the stack, on the CPU the
 *                interrupt scheduled the poll on; for a frame whose
 *                interrupt came inside its (attached) sender's xmit on the
 *                same CPU, from that xmit's net:net_dev_xmit (so that it
 *                and tx_desc do not both hold the handler)
 *   rx_busy_poll the NIC's RX time stamp -> a busy poller's handoff (task
 *                context); without a stamp only the pickup is counted
 *   rx_stack     the handoff -> napi:napi_poll, the end of the poll that
 *                handed it over: GRO holds frames it cannot merge until the
 *                poll completes, so by then the frame sits on its socket
 *   rx_wakeup    probes.c's, from napi:napi_poll to the application's copy
 *
 * A hardware time stamp is the PHC's time; user space tells the offset of
 * the PHC to CLOCK_MONOTONIC (phc-offset-ns), and without it the hardware
 * stages are absent, never guessed.
 *
 * Cost: every hook first looks the device up among the attached ones (a
 * pointer hash, compared by value), and none is registered while no device
 * is attached.  Hooks run with preemption disabled (tracepoints) and
 * record in the contexts stages.c allows; the per-CPU state below is
 * written by this CPU only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/kprobes.h>
#include <linux/interrupt.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <net/ip.h>

#include <trace/events/irq.h>
#include <trace/events/napi.h>
#include <trace/events/net.h>
#include <trace/events/skb.h>

#include "compat.h"
#include "nicpath.h"
#include "probes.h"
#include "stages.h"
#include "stamp.h"

/* A stamp older than this belongs to another packet at a reused address. */
#define HP_NIC_STALE_NS		NSEC_PER_SEC

/* Frames of one poll whose rx_stack ends with it. */
#define HP_NIC_PENDING		16

/* Attached devices by net_device address; RTNL writes, RCU reads. */
static DEFINE_HASHTABLE(hp_nic_table, 4);
static unsigned int hp_nic_count;	/* RTNL writes, the hooks read */

/* Every attached device's vectors, for the interrupt hook. */
struct hp_nic_irqs {
	unsigned int n;
	struct rcu_head rcu;
	struct {
		int irq;
		const struct net_device *dev;
		struct hp_nic *nic;
	} e[];
};

static struct hp_nic_irqs __rcu *hp_nic_irqs;

/*
 * TX: key the skb; t its start_xmit, then its xmit (doorbell); aux the
 * header hash, or the raw TX time stamp once flag[HP_NIC_TX_HWTS] is set;
 * ctx the device.  The completion, or the PTP work that hands over a
 * stamp, may run on another CPU before net_dev_xmit fires: each of the
 * three marks its own flag, and of xmit and free, whichever sees the
 * other's flag after setting its own records the frame (both barriers
 * full: one of them sees it).
 * Wire: key the header hash; t the doorbell, 0 until net_dev_xmit; seq the
 * sending CPU.
 */
enum { HP_NIC_TX_XMIT, HP_NIC_TX_FREED, HP_NIC_TX_HWTS };

/* A TX stamp this much before the doorbell says the PHC mapping is off. */
#define HP_NIC_EARLY_NS		(100 * NSEC_PER_USEC)

static struct hp_stamp hp_nic_tx[HP_STAMP_SLOTS];
static struct hp_stamp hp_nic_wire[HP_STAMP_SLOTS];

struct hp_nic_pend {
	const struct net_device *dev;
	const void *head;
	u64 t;
	u32 len;
};

/* Devices whose interrupts one CPU follows at once (they nest). */
#define HP_NIC_IRQ_SLOTS	4

struct hp_nic_cpu {
	/*
	 * Per device, the first interrupt on this CPU since its last poll
	 * here (hardirq writes, the poll's end clears): another device's
	 * vector may fire, even nested, before this one's poll runs.
	 */
	struct {
		const struct net_device *dev;
		u64 t;
	} irq[HP_NIC_IRQ_SLOTS];
	/* frames handed to the stack in the running poll (softirq, BH off) */
	unsigned int n;
	struct hp_nic_pend pend[HP_NIC_PENDING];
};

static DEFINE_PER_CPU(struct hp_nic_cpu, hp_nic_cpu);

struct hp_nic *hp_nicpath_find(const struct net_device *dev)
{
	struct hp_nic *nic;

	hash_for_each_possible_rcu_notrace(hp_nic_table, nic, node, (unsigned long)dev)
		if (nic->dev == dev)
			return nic;
	return NULL;
}

struct hp_nic *hp_nicpath_any(void)
{
	struct hp_nic *nic;
	unsigned int bkt;

	ASSERT_RTNL();
	hash_for_each(hp_nic_table, bkt, nic, node)
		return nic;
	return NULL;
}

struct hp_acct *hp_nicpath_acct(const struct net_device *dev)
{
	struct hp_nic *nic;

	if (!READ_ONCE(hp_nic_count))
		return NULL;
	nic = hp_nicpath_find(dev);
	return nic ? nic->acct : NULL;
}

/* A PHC time as the stages' clock, 0 when unknown. */
static u64 hp_nic_hw_ns(const struct hp_nic *nic, ktime_t hw)
{
	s64 t;

	if (!hw || !READ_ONCE(nic->phc_mapped))
		return 0;
	t = ktime_to_ns(hw) - READ_ONCE(nic->phc_offset_ns);
	return t > 0 ? t : 0;
}

static u64 hp_nic_since(u64 from, u64 to)
{
	return to > from ? to - from : 0;
}

/*
 * A hash of what the frame's headers carry on both sides of the wire:
 * the IP header (no router between two cabled ports changes it), the L4
 * ports and whatever tells the frames of one flow apart (UDP length and
 * payload start, TCP sequence numbers, ICMP id and sequence), never the L4
 * checksum, which the sender may leave to the NIC.  @off is the network
 * header's offset in the skb's data.  Never 0 (an empty slot).
 */
static u64 hp_nic_hkey(const struct sk_buff *skb, unsigned int off)
{
	u8 buf[sizeof(struct ipv6hdr) + 24], l4buf[24];
	unsigned int nh, l4 = 0, n = 0;
	const u8 *p;
	u8 proto;

	if (skb->protocol == htons(ETH_P_IP)) {
		nh = sizeof(struct iphdr);
		p = skb_header_pointer(skb, off, nh, buf);
		if (!p)
			return 0;
		proto = ((const struct iphdr *)p)->protocol;
		l4 = ((const struct iphdr *)p)->ihl * 4;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		nh = sizeof(struct ipv6hdr);
		p = skb_header_pointer(skb, off, nh, buf);
		if (!p)
			return 0;
		proto = ((const struct ipv6hdr *)p)->nexthdr;
		l4 = nh;
	} else {
		return 0;
	}
	if (p != buf)
		memcpy(buf, p, nh);
	n = nh;

	/* one look at the L4 header (no copy when it is linear, as it is) */
	switch (proto) {
	case IPPROTO_UDP:	/* ports, length; payload after the checksum */
		p = skb_header_pointer(skb, off + l4, 24, l4buf);
		if (p) {
			memcpy(buf + n, p, 6);
			memcpy(buf + n + 6, p + 8, 16);
			n += 22;
			break;
		}
		/* less than 16 B of payload */
		p = skb_header_pointer(skb, off + l4, 6, l4buf);
		if (p) {
			memcpy(buf + n, p, 6);
			n += 6;
		}
		break;
	case IPPROTO_TCP:	/* ports, sequence and ack numbers */
		p = skb_header_pointer(skb, off + l4, 12, l4buf);
		if (p) {
			memcpy(buf + n, p, 12);
			n += 12;
		}
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:	/* type, code; id and sequence */
		p = skb_header_pointer(skb, off + l4, 8, l4buf);
		if (p) {
			memcpy(buf + n, p, 2);
			memcpy(buf + n + 2, p + 4, 4);
			n += 6;
		}
		break;
	}
	/*
	 * One 32-bit hash: two frames in flight at once with the same one
	 * (1 in 2^32 a pair) would share a wire entry and lose one sample.
	 */
	return (u64)jhash(buf, n, 0x68707468) << 1 | 1;
}

/*
 * The wire stage needs a frame's two ends attached: with one device (a lab
 * box whose peer is another machine) the header hash has nothing to meet.
 */
static bool hp_nic_wired(void)
{
	return READ_ONCE(hp_nic_count) > 1;
}

/* --- TX -------------------------------------------------------------------- */

static void hp_nic_start_xmit(void *data, const struct sk_buff *skb,
			      const struct net_device *dev)
{
	struct hp_stage_sample s[2];
	struct hp_nic *nic = hp_nicpath_find(dev);
	unsigned int n;
	u64 key, now;

	if (!nic)
		return;
	/* BH is off in __dev_queue_xmit(): the recorders' context */
	now = hp_stages_now();
	n = hp_probes_tx_xmit(skb, now, s);
	if (n)
		hp_stages_record_n(nic->acct, nic->dev, s, n, 0, skb->len);
	key = hp_nic_wired() ? hp_nic_hkey(skb, skb_network_offset(skb)) : 0;
	/*
	 * The wire entry before the doorbell: a NIC that delivers at once
	 * (QEMU's, synchronously in the doorbell write) can interrupt the
	 * peer before net_dev_xmit fires; its doorbell time (t) follows then.
	 */
	if (key)
		hp_stamp_put(hp_stamp_slot(hp_nic_wire, (void *)(unsigned long)key),
			     (void *)(unsigned long)key,
			     &(struct hp_stamp_val){ .ctx = dev, .seq = smp_processor_id() });
	/* one clock read ends tx_qdisc and starts tx_desc (the bookkeeping in it) */
	hp_stamp_put(hp_stamp_slot(hp_nic_tx, skb), skb,
		     &(struct hp_stamp_val){ .t = now, .aux = key, .ctx = dev, .len = skb->len });
}

/*
 * tx_complete and tx_nic of a frame whose doorbell was at @t_xmit and that
 * was freed at @now (0: freed before its xmit returned, as a completion on
 * another CPU can be); @v its TX entry.
 */
static unsigned int hp_nic_tx_done(const struct hp_nic *nic, const struct hp_stamp_val *v,
				   u64 t_xmit, u64 now, struct hp_stage_sample *s)
{
	unsigned int n = 0;
	u64 hw;

	s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_TX_COMPLETE,
					   hp_nic_since(t_xmit, now) };
	hw = v->flag[HP_NIC_TX_HWTS] ? hp_nic_hw_ns(nic, ns_to_ktime(v->aux)) : 0;
	/* a NIC stamping at the doorbell write itself comes out as 0 */
	if (hw && hw + HP_NIC_EARLY_NS > t_xmit)
		s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_TX_NIC,
						   hp_nic_since(t_xmit, hw) };
	return n;
}

/*
 * After ndo_start_xmit: the skb is the driver's now and may already be
 * freed (its completion can run on another CPU): only its address is used.
 */
static void hp_nic_xmit(void *data, struct sk_buff *skb, int rc,
			struct net_device *dev, unsigned int skb_len)
{
	struct hp_stamp *e = hp_stamp_slot(hp_nic_tx, skb);
	struct hp_stage_sample s[3];
	struct hp_stamp_val v;
	struct hp_nic *nic;
	unsigned int n = 0;
	u64 now;

	nic = hp_nicpath_find(dev);
	if (!nic || !hp_stamp_get(e, skb, &v, false))
		return;
	now = hp_stages_now();
	if (rc != NETDEV_TX_OK) {
		hp_stamp_take(e, skb, &v);
		return;
	}
	hp_stages_count(nic->acct, nic->dev, HOTPATH_CNT_TX_PACKETS, 0, skb_len);
	s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_TX_DESC, hp_nic_since(v.t, now) };
	/* tx_complete and tx_nic start at the doorbell */
	WRITE_ONCE(e->v.t, now);
	WRITE_ONCE(e->v.flag[HP_NIC_TX_XMIT], 1);
	smp_mb();	/* our flag before theirs: pairs with hp_nic_freed() */
	if (READ_ONCE(e->v.flag[HP_NIC_TX_FREED]) && hp_stamp_take(e, skb, &v)) {
		/* completed already: that was at once, as far as we can tell */
		hp_stages_count(nic->acct, nic->dev, HOTPATH_CNT_TX_COMPLETIONS, 0, skb_len);
		n += hp_nic_tx_done(nic, &v, now, now, s + n);
	}
	hp_stages_record_n(nic->acct, nic->dev, s, n, 0, skb_len);
	if (v.aux && !v.flag[HP_NIC_TX_HWTS]) {
		const void *key = (const void *)(unsigned long)v.aux;
		struct hp_stamp *w = hp_stamp_slot(hp_nic_wire, key);

		/* still there unless the peer took it already */
		if (READ_ONCE(w->key) == key)
			WRITE_ONCE(w->v.t, now);
	}
}

/* The skb's last reference is gone (its completion, or its stamp's work). */
static void hp_nic_freed(struct sk_buff *skb)
{
	struct hp_stamp *e = hp_stamp_slot(hp_nic_tx, skb);
	struct hp_stage_sample s[2];
	struct hp_stamp_val v;
	struct hp_nic *nic;
	unsigned int n;
	bool bh;
	u64 now;

	/* the common case, any skb of the box: one load and out */
	if (READ_ONCE(e->key) != skb)
		return;
	now = hp_stages_now();
	WRITE_ONCE(e->v.flag[HP_NIC_TX_FREED], 1);
	smp_mb();	/* our flag before theirs: pairs with hp_nic_xmit() */
	/* before net_dev_xmit on the sending CPU: that records it */
	if (!READ_ONCE(e->v.flag[HP_NIC_TX_XMIT]) || !hp_stamp_take(e, skb, &v) ||
	    now - v.t > HP_NIC_STALE_NS)
		return;
	nic = hp_nicpath_find(v.ctx);
	if (!nic)
		return;
	n = hp_nic_tx_done(nic, &v, v.t, now, s);
	/* the recorders want BH off outside interrupts (a PTP worker frees) */
	bh = !in_interrupt() && !irqs_disabled();
	if (bh)
		local_bh_disable();
	hp_stages_count(nic->acct, nic->dev, HOTPATH_CNT_TX_COMPLETIONS, 0, v.len);
	hp_stages_record_n(nic->acct, nic->dev, s, n, 0, v.len);
	if (bh)
		local_bh_enable();
}

static void hp_nic_consume(void *data, struct sk_buff *skb)
{
	hp_nic_freed(skb);
}

static void hp_nic_consume_loc(void *data, struct sk_buff *skb, void *loc)
{
	hp_nic_freed(skb);
}

#define HP_NIC_CONSUME	hp_compat_consume_skb_probe(hp_nic_consume, hp_nic_consume_loc)

/*
 * skb_tstamp_tx(orig_skb, hwtstamps): the driver hands over the NIC's TX
 * stamp of a frame it sent.  Only noted in the skb's entry (a kprobe
 * handler should do little); the free that follows records tx_nic.
 */
static int hp_nic_tstamp_tx(struct kprobe *kp, struct pt_regs *regs)
{
	const struct sk_buff *skb = (const void *)regs_get_kernel_argument(regs, 0);
	const struct skb_shared_hwtstamps *hw = (const void *)regs_get_kernel_argument(regs, 1);
	struct hp_stamp *e = hp_stamp_slot(hp_nic_tx, skb);

	if (READ_ONCE(e->key) != skb || !hw)
		return 0;
	WRITE_ONCE(e->v.aux, ktime_to_ns(hw->hwtstamp));
	smp_wmb();	/* the stamp before its flag */
	WRITE_ONCE(e->v.flag[HP_NIC_TX_HWTS], 1);
	return 0;
}

static struct kprobe hp_nic_tstamp_kp;

/* --- RX -------------------------------------------------------------------- */

static void hp_nic_irq(void *data, int irq, struct irqaction *action)
{
	struct hp_nic_irqs *t = rcu_dereference_sched(hp_nic_irqs);
	const struct net_device *dev;
	struct hp_nic_cpu *c;
	unsigned int i, j;

	if (!t)
		return;
	for (i = 0; i < t->n && t->e[i].irq != irq; i++)
		;
	if (i == t->n)
		return;
	dev = t->e[i].dev;
	hp_stages_count(t->e[i].nic->acct, dev, HOTPATH_CNT_INTERRUPTS, 0, 0);
	c = this_cpu_ptr(&hp_nic_cpu);
	/*
	 * The device's slot, or a free one, takes the latest interrupt: with
	 * several of the device's vectors on this CPU (a TX queue's, an RX
	 * queue's) the one that brought the frame is the last before its poll;
	 * the first would charge the frame with another queue's wait.
	 */
	for (j = 0; j < HP_NIC_IRQ_SLOTS; j++)
		if (c->irq[j].dev == dev || !c->irq[j].dev)
			break;
	if (j < HP_NIC_IRQ_SLOTS) {
		WRITE_ONCE(c->irq[j].t, hp_stages_now());
		WRITE_ONCE(c->irq[j].dev, dev);
	}
}

/* @dev's interrupt slot on this CPU (or another's, @c) is free again. */
static void hp_nic_irq_forget(struct hp_nic_cpu *c, const struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < HP_NIC_IRQ_SLOTS; i++)
		if (READ_ONCE(c->irq[i].dev) == dev)
			WRITE_ONCE(c->irq[i].dev, NULL);
}

/* The latest interrupt of @dev on this CPU not yet polled, 0: none. */
static u64 hp_nic_irq_time(const struct hp_nic_cpu *c, const struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < HP_NIC_IRQ_SLOTS; i++)
		if (READ_ONCE(c->irq[i].dev) == dev)
			return READ_ONCE(c->irq[i].t);
	return 0;
}

/* The driver hands @skb to the stack (GRO or not); data at its L3 header. */
static void hp_nic_rx(const struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct hp_stage_sample s[3];
	struct hp_stamp_val w;
	struct hp_nic_cpu *c;
	struct hp_nic *nic;
	unsigned int n = 0;
	u64 now, hw, key, t_irq;

	nic = dev ? hp_nicpath_find(dev) : NULL;
	if (!nic)
		return;
	now = hp_stages_now();
	c = this_cpu_ptr(&hp_nic_cpu);
	hw = hp_nic_hw_ns(nic, skb_hwtstamps((struct sk_buff *)skb)->hwtstamp);

	t_irq = in_serving_softirq() ? hp_nic_irq_time(c, dev) : 0;
	if (!in_serving_softirq()) {
		/* a busy poller (napi_busy_loop, BH off in its task) */
		hp_stages_count(nic->acct, dev, HOTPATH_CNT_BUSY_POLL_PICKUPS, 0, skb->len);
		if (hw)
			s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_RX_BUSY_POLL,
							   hp_nic_since(hw, now) };
	} else if (t_irq) {
		u64 t_poll = t_irq;

		if (hw)
			s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_RX_NIC,
							   hp_nic_since(hw, t_irq) };
		key = hp_nic_wired() ? hp_nic_hkey(skb, 0) : 0;
		if (key && hp_stamp_take(hp_stamp_slot(hp_nic_wire, (void *)(unsigned long)key),
					 (void *)(unsigned long)key, &w) &&
		    w.ctx != dev) {
			/* t 0: the interrupt beat the sender's xmit returning */
			s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_WIRE,
							   w.t ? hp_nic_since(w.t, t_irq) : 0 };
			/*
			 * The interrupt came inside the sender's xmit on this
			 * CPU (a NIC that delivers in the doorbell write): the
			 * poll could not run before that xmit returned, and
			 * the time up to then is the sender's tx_desc already.
			 */
			if (w.t > t_irq && w.seq == smp_processor_id())
				t_poll = w.t;
		}
		s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_RX_POLL,
						   hp_nic_since(t_poll, now) };
	}
	hp_stages_count(nic->acct, dev, HOTPATH_CNT_RX_PACKETS, 0, skb->len);
	if (n)
		hp_stages_record_n(nic->acct, dev, s, n, 0, skb->len);

	/* rx_stack ends with this poll (hp_nic_poll) */
	if (c->n < HP_NIC_PENDING) {
		/* the clock read that ended the pickup starts rx_stack */
		c->pend[c->n++] = (struct hp_nic_pend){
			.dev = dev, .head = skb->head, .len = skb->len, .t = now,
		};
		hp_probes_rx_expect(skb->head);
	}
}

static void hp_nic_gro_entry(void *data, const struct sk_buff *skb)
{
	hp_nic_rx(skb);
}

/* A poll (softirq, or a busy poller's) is over: its frames are delivered. */
static void hp_nic_poll(void *data, struct napi_struct *napi, int work, int budget)
{
	struct net_device *dev = napi->dev;
	struct hp_nic_cpu *c;
	struct hp_nic *nic;
	unsigned int i, kept = 0, done = 0;
	u64 now;

	nic = hp_nicpath_find(dev);
	if (!nic)
		return;
	now = hp_stages_now();
	c = this_cpu_ptr(&hp_nic_cpu);
	hp_stages_add(nic->acct, HOTPATH_CNT_NAPI_POLLS, 1);
	for (i = 0; i < c->n; i++) {
		struct hp_nic_pend *p = &c->pend[i];

		if (p->dev != dev) {
			/* another device's poll is still running; a detached one's never ends */
			if (hp_nicpath_find(p->dev))
				c->pend[kept++] = *p;
			continue;
		}
		hp_stages_record(nic->acct, dev, HOTPATH_STAGE_RX_STACK,
				 hp_nic_since(p->t, now), 0, p->len);
		hp_probes_rx_delivered(p->head, 0, now);
		done++;
	}
	c->n = kept;
	/*
	 * A poll that delivered frames (@work counts RX, by the NAPI
	 * convention) used up the interrupt; one that only reaped TX (another
	 * queue's vector) leaves it for the RX poll after it.
	 */
	if ((work > 0 || done) && in_serving_softirq())
		hp_nic_irq_forget(c, dev);
}

/* --- registration ------------------------------------------------------------ */

/* The prototypes must be the kernel's: these fail to build otherwise. */
static inline void hp_nic_check_prototypes(void)
{
	check_trace_callback_type_net_dev_start_xmit(hp_nic_start_xmit);
	check_trace_callback_type_net_dev_xmit(hp_nic_xmit);
	check_trace_callback_type_consume_skb(HP_NIC_CONSUME);
	check_trace_callback_type_irq_handler_entry(hp_nic_irq);
	check_trace_callback_type_napi_gro_receive_entry(hp_nic_gro_entry);
	check_trace_callback_type_netif_receive_skb_entry(hp_nic_gro_entry);
	check_trace_callback_type_napi_poll(hp_nic_poll);
}

struct hp_nic_hook {
	const char *name;
	void *func;
	struct tracepoint *tp;
};

/* In path order; registered in this order, unregistered in reverse. */
static struct hp_nic_hook hp_nic_hooks[] = {
	{ "net_dev_start_xmit",		hp_nic_start_xmit },
	{ "net_dev_xmit",		hp_nic_xmit },
	{ "consume_skb",		HP_NIC_CONSUME },
	{ "irq_handler_entry",		hp_nic_irq },
	{ "napi_gro_receive_entry",	hp_nic_gro_entry },
	{ "netif_receive_skb_entry",	hp_nic_gro_entry },
	{ "napi_poll",			hp_nic_poll },
};

static bool hp_nic_kprobe_on;

static void hp_nic_unregister(unsigned int n)
{
	while (n-- > 0)
		tracepoint_probe_unregister(hp_nic_hooks[n].tp, hp_nic_hooks[n].func, NULL);
	if (hp_nic_kprobe_on) {
		unregister_kprobe(&hp_nic_tstamp_kp);
		hp_nic_kprobe_on = false;
	}
	tracepoint_synchronize_unregister();
}

static int hp_nic_register(void)
{
	unsigned int i;
	int err;

	hp_nic_check_prototypes();
	for (i = 0; i < ARRAY_SIZE(hp_nic_hooks); i++) {
		struct hp_nic_hook *h = &hp_nic_hooks[i];

		if (!h->tp)
			h->tp = hp_probes_tracepoint(h->name);
		if (!h->tp) {
			pr_warn("core tracepoint %s not found\n", h->name);
			err = -ENOENT;
			goto err_unregister;
		}
		err = tracepoint_probe_register(h->tp, h->func, NULL);
		if (err) {
			pr_warn("registering the %s hook failed: %d\n", h->name, err);
			goto err_unregister;
		}
	}
	/*
	 * Without it only tx_nic is missing: say so, go on.  A kprobe keeps
	 * state from its last registration: register a fresh one each time.
	 */
	hp_nic_tstamp_kp = (struct kprobe){
		.symbol_name	= "skb_tstamp_tx",
		.pre_handler	= hp_nic_tstamp_tx,
	};
	err = register_kprobe(&hp_nic_tstamp_kp);
	if (err)
		pr_warn("kprobe on skb_tstamp_tx failed (%d): no tx_nic stage\n", err);
	hp_nic_kprobe_on = !err;
	return 0;

err_unregister:
	hp_nic_unregister(i);
	return err;
}

/* Rebuild the interrupt hook's table from the attached devices.  RTNL. */
void hp_nicpath_irqs_changed(void)
{
	struct hp_nic_irqs *t, *old;
	struct hp_nic *nic;
	unsigned int bkt, n = 0;

	ASSERT_RTNL();
	hash_for_each(hp_nic_table, bkt, nic, node)
		n += nic->nr_irqs;
	t = n ? kzalloc(struct_size(t, e, n), GFP_KERNEL) : NULL;
	if (t) {
		hash_for_each(hp_nic_table, bkt, nic, node) {
			unsigned int i;

			for (i = 0; i < nic->nr_irqs; i++) {
				t->e[t->n].irq = nic->irqs[i];
				t->e[t->n].dev = nic->dev;
				t->e[t->n].nic = nic;
				t->n++;
			}
		}
	} else if (n) {
		pr_warn_ratelimited("no memory for the interrupt table: rx_poll stops\n");
	}
	old = rcu_replace_pointer(hp_nic_irqs, t, lockdep_rtnl_is_held());
	if (old)
		kfree_rcu(old, rcu);
}

int hp_nicpath_add(struct hp_nic *nic)
{
	int err;

	ASSERT_RTNL();
	if (!hp_nic_count) {
		err = hp_nic_register();
		if (err)
			return err;
	}
	hash_add_rcu(hp_nic_table, &nic->node, (unsigned long)nic->dev);
	WRITE_ONCE(hp_nic_count, hp_nic_count + 1);
	hp_nicpath_irqs_changed();
	return 0;
}

void hp_nicpath_del(struct hp_nic *nic)
{
	int cpu;

	ASSERT_RTNL();
	hash_del_rcu(&nic->node);
	WRITE_ONCE(hp_nic_count, hp_nic_count - 1);
	hp_nicpath_irqs_changed();
	if (!hp_nic_count)
		hp_nic_unregister(ARRAY_SIZE(hp_nic_hooks));
	/* no hook still runs with @nic (the hooks run under RCU-sched) */
	synchronize_rcu();
	/* this CPU's state names the device by address: forget it */
	for_each_possible_cpu(cpu) {
		struct hp_nic_cpu *c = per_cpu_ptr(&hp_nic_cpu, cpu);

		hp_nic_irq_forget(c, nic->dev);
	}
}
