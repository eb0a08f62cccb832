// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-path probes: the stages that happen outside the driver.
 *
 *   tx_stack   send() entry to the device queue: raw_syscalls:sys_enter of
 *              the send family (sendto, sendmsg, sendmmsg, write, writev)
 *              stamps the task and time in a per-CPU slot; net:net_dev_queue
 *              of an skb of a hotpath port, in the same task on the same
 *              CPU, ends it.
 *   tx_qdisc   device queue to ndo_start_xmit: net:net_dev_queue stamps the
 *              skb, the datapath's xmit ends it (hp_probes_tx_xmit()).
 *   rx_wakeup  socket queue to the application's recv() copy: the datapath
 *              stamps the frame when its handoff to the stack returned
 *              (hp_probes_rx_queued(), the end of rx_stack); the first of
 *              skb:skb_copy_datagram_iovec (TCP, raw, ping sockets) or
 *              skb:consume_skb (linear UDP copies without a tracepoint and
 *              frees the skb in recvmsg) in the receiving task ends it.
 *
 * The stamps between two probes live in stamp tables (stamp.h) keyed by a
 * pointer that identifies the packet at both ends: the skb itself on TX
 * (queue and xmit see the same skb, possibly on different CPUs), its data
 * buffer skb->head on RX, because raw and ICMP (ping) sockets receive
 * clones and TCP may coalesce, but clones share the buffer.  An entry is
 * consumed once, so a packet read in several recv() calls counts once.
 * Only packets of hotpath ports and attached devices are stamped (skb->dev
 * on TX; on RX only the datapath or the attach hooks stamp, and the copy
 * probe finds the device from skb_iif in the reader's netns), only while
 * the device's probes (tx_stack, rx_wakeup) or stats (tx_qdisc) are on.
 *
 * Registration: under RTNL, net_dev_queue is registered while any port has
 * stats or probes on (tx_qdisc needs it), sys_enter,
 * skb_copy_datagram_iovec and consume_skb while any port has probes on: with probes off
 * they are not registered at all (and sys_enter's slow syscall path is
 * off).  The core tracepoints are not exported to modules, so they are
 * found by name with for_each_kernel_tracepoint(); the probes' prototypes
 * are checked against the kernel's TP_PROTO at build time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <linux/unistd.h>
#include <linux/compat.h>
#include <net/net_namespace.h>

#include <trace/events/net.h>
#include <trace/events/skb.h>
#include <trace/events/syscalls.h>

#include "compat.h"
#include "config.h"
#include "stages.h"
#include "probes.h"
#include "stamp.h"

/* A send() whose first packet is queued later than this is not timed. */
#define HP_TX_STACK_MAX_NS	NSEC_PER_SEC

/* TX: the skb; t its queueing, aux its send() entry.  RX: the buffer. */
static struct hp_stamp hp_tx_table[HP_STAMP_SLOTS];
static struct hp_stamp hp_rx_table[HP_STAMP_SLOTS];

/* The send-family syscall the task on this CPU is in. */
struct hp_sys_slot {
	const struct task_struct *task;
	u64 t;
};

static DEFINE_PER_CPU(struct hp_sys_slot, hp_sys_slot);

enum hp_probe_id {
	HP_PROBE_SYS_ENTER,
	HP_PROBE_NET_DEV_QUEUE,
	HP_PROBE_SKB_COPY,
	HP_PROBE_CONSUME,
	HP_NR_PROBES
};

struct hp_probe {
	const char *name;
	void *func;
	struct tracepoint *tp;
	bool registered;
};

static void hp_probe_sys_enter(void *data, struct pt_regs *regs, long id);
static void hp_probe_net_dev_queue(void *data, struct sk_buff *skb);
static void hp_probe_skb_copy(void *data, const struct sk_buff *skb, int len);
static void hp_probe_consume(void *data, struct sk_buff *skb);
static void hp_probe_consume_loc(void *data, struct sk_buff *skb, void *loc);

#define HP_CONSUME_PROBE	\
	hp_compat_consume_skb_probe(hp_probe_consume, hp_probe_consume_loc)

static struct hp_probe hp_probes[HP_NR_PROBES] = {
	[HP_PROBE_SYS_ENTER]	 = { "sys_enter", hp_probe_sys_enter },
	[HP_PROBE_NET_DEV_QUEUE] = { "net_dev_queue", hp_probe_net_dev_queue },
	[HP_PROBE_SKB_COPY]	 = { "skb_copy_datagram_iovec", hp_probe_skb_copy },
	[HP_PROBE_CONSUME]	 = { "consume_skb", HP_CONSUME_PROBE },
};

/* Ports and attached devices with stats on, with probes on; RTNL. */
static unsigned int hp_probes_nr_stats, hp_probes_nr_probes;

/*
 * The datapath's map from a net_device to its port's accounting (NULL for
 * any other device), handed over by hp_probes_init(): the core tracepoints
 * see the skbs of every device, and only the datapath knows which are its
 * own.  Set before any probe is registered, never changed.
 */
static struct hp_acct *(*hp_probes_acct_of)(const struct net_device *dev);

void hp_probes_init(struct hp_acct *(*acct_of)(const struct net_device *dev))
{
	hp_probes_acct_of = acct_of;
}

static bool hp_is_send_syscall(long id)
{
	switch (id) {
	case __NR_sendto:
	case __NR_sendmsg:
	case __NR_sendmmsg:
	case __NR_write:
	case __NR_writev:
		return true;
	default:
		return false;
	}
}

static void hp_probe_sys_enter(void *data, struct pt_regs *regs, long id)
{
	struct hp_sys_slot *slot;

	/* other ABIs number their syscalls differently */
	if (in_compat_syscall())
		return;

	slot = get_cpu_ptr(&hp_sys_slot);
	if (hp_is_send_syscall(id)) {
		slot->task = current;
		slot->t = hp_stages_now();
	} else if (slot->task == current) {
		/* the task's send is over: do not credit it to later packets */
		slot->task = NULL;
	}
	put_cpu_ptr(&hp_sys_slot);
}

static void hp_probe_net_dev_queue(void *data, struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct hp_sys_slot *slot;
	struct hp_acct *st;
	u64 now, t_sys = 0;

	if (!dev)
		return;
	st = hp_probes_acct_of(dev);
	if (!st || !hp_stages_enabled(st))
		return;

	now = hp_stages_now();
	/* __dev_queue_xmit() runs with BH off: no migration, no softirq */
	if (hp_stages_probes(st) && in_task()) {
		slot = this_cpu_ptr(&hp_sys_slot);
		if (slot->task == current && now - slot->t < HP_TX_STACK_MAX_NS)
			t_sys = slot->t;
	}
	hp_stamp_put(hp_stamp_slot(hp_tx_table, skb), skb,
		     &(struct hp_stamp_val){ .t = now, .aux = t_sys });
}

/*
 * Consume @skb's TX entry: the hp_stages_now() time the skb reached the
 * device queue, 0 if that was not seen or is more than a second older than
 * @now (a stale entry of a reused address); *@syscall_ns is its send()
 * syscall entry (0 if unknown, not a send() or probes off).
 */
static u64 hp_probes_tx_queued(const struct sk_buff *skb, u64 now, u64 *syscall_ns)
{
	struct hp_stamp_val s;

	*syscall_ns = 0;
	if (!hp_stamp_take(hp_stamp_slot(hp_tx_table, skb), skb, &s))
		return 0;
	/* a stale entry of a freed skb whose address was reused */
	if (now - s.t > HP_TX_STACK_MAX_NS)
		return 0;
	if (s.aux && s.aux <= s.t)
		*syscall_ns = s.aux;
	return s.t;
}

unsigned int hp_probes_tx_xmit(const struct sk_buff *skb, u64 now,
			       struct hp_stage_sample *s)
{
	unsigned int n = 0;
	u64 queued, t_sys;

	queued = hp_probes_tx_queued(skb, now, &t_sys);
	if (!queued)
		return 0;
	if (t_sys)
		s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_TX_STACK, queued - t_sys };
	s[n++] = (struct hp_stage_sample){ HOTPATH_STAGE_TX_QDISC,
					   now > queued ? now - queued : 0 };
	return n;
}

/* The skb this CPU's NAPI is handing to the stack, and its buffer. */
struct hp_rx_slot {
	const void *skb;
	const void *head;
};

static DEFINE_PER_CPU(struct hp_rx_slot, hp_rx_slot);

static bool hp_probes_port_on(const struct hp_acct *st)
{
	return hp_stages_probes(st) && hp_stages_enabled(st);
}

void hp_probes_rx_expect(const void *head)
{
	/* t = 0: queued "now" if a reader beats hp_probes_rx_delivered() */
	hp_stamp_put(hp_stamp_slot(hp_rx_table, head), head, &(struct hp_stamp_val){});
}

void hp_probes_rx_delivered(const void *head, u32 seq, u64 now)
{
	struct hp_stamp *e = hp_stamp_slot(hp_rx_table, head);

	if (READ_ONCE(e->key) != head)
		return;
	WRITE_ONCE(e->v.seq, seq);
	WRITE_ONCE(e->v.t, now);
}

void hp_probes_rx_handoff(const struct hp_acct *st, struct sk_buff *skb)
{
	struct hp_rx_slot *slot;

	if (!hp_probes_port_on(st))
		return;
	slot = this_cpu_ptr(&hp_rx_slot);
	slot->skb = skb;
	slot->head = skb->head;
	hp_probes_rx_expect(skb->head);
}

void hp_probes_rx_queued(const struct hp_acct *st, const void *skb,
			 u32 seq, u64 now)
{
	struct hp_rx_slot *slot;

	if (!hp_probes_port_on(st))
		return;
	slot = this_cpu_ptr(&hp_rx_slot);
	if (slot->skb != skb)
		return;
	slot->skb = NULL;
	hp_probes_rx_delivered(slot->head, seq, now);
}

/*
 * The end of rx_wakeup, in the receiving task: the first copy of the
 * frame's data to user space (skb_copy_datagram_iovec: TCP, raw, ping,
 * non-linear UDP) or, for linear UDP, which copies without that
 * tracepoint, the frame being freed by recvmsg (consume_skb).  Softirq and
 * BH-disabled contexts (busy polling running the stack) are not the
 * application's copy.
 */
static void hp_rx_copied(const struct sk_buff *skb)
{
	struct hp_stamp *e = hp_stamp_slot(hp_rx_table, skb->head);
	struct net_device *dev;
	struct hp_stamp_val s;
	struct hp_acct *st;
	u64 now;

	/* the common case, any skb of any device: one load and out */
	if (READ_ONCE(e->key) != skb->head || in_interrupt() ||
	    !skb->skb_iif || !current->nsproxy)
		return;
	now = hp_stages_now();
	if (!hp_stamp_take(e, skb->head, &s))
		return;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(current->nsproxy->net_ns, skb->skb_iif);
	st = dev ? hp_probes_acct_of(dev) : NULL;
	if (st) {
		/* recorders run with BH off; this is task context */
		local_bh_disable();
		if (hp_stages_probes(st))
			hp_stages_record(st, dev, HOTPATH_STAGE_RX_WAKEUP,
					 s.t && now > s.t ? now - s.t : 0,
					 s.seq, skb->len);
		local_bh_enable();
	}
	rcu_read_unlock();
}

static void hp_probe_skb_copy(void *data, const struct sk_buff *skb, int len)
{
	hp_rx_copied(skb);
}

/* consume_skb without and with its "location" argument (compat.h) */
static void hp_probe_consume(void *data, struct sk_buff *skb)
{
	hp_rx_copied(skb);
}

static void hp_probe_consume_loc(void *data, struct sk_buff *skb, void *loc)
{
	hp_rx_copied(skb);
}

/* The prototypes must be the kernel's: these fail to build otherwise. */
static inline void hp_probes_check_prototypes(void)
{
	check_trace_callback_type_sys_enter(hp_probe_sys_enter);
	check_trace_callback_type_net_dev_queue(hp_probe_net_dev_queue);
	check_trace_callback_type_skb_copy_datagram_iovec(hp_probe_skb_copy);
	check_trace_callback_type_consume_skb(HP_CONSUME_PROBE);
}

struct hp_tp_lookup {
	const char *name;
	struct tracepoint *tp;
};

static void hp_probes_find(struct tracepoint *tp, void *priv)
{
	struct hp_tp_lookup *l = priv;

	if (!strcmp(tp->name, l->name))
		l->tp = tp;
}

struct tracepoint *hp_probes_tracepoint(const char *name)
{
	struct hp_tp_lookup l = { .name = name };

	for_each_kernel_tracepoint(hp_probes_find, &l);
	return l.tp;
}

static int hp_probe_set(struct hp_probe *p, bool on)
{
	int err;

	if (p->registered == on)
		return 0;
	if (!p->tp)
		p->tp = hp_probes_tracepoint(p->name);
	if (!p->tp) {
		pr_warn("core tracepoint %s not found\n", p->name);
		return -ENOENT;
	}
	if (on)
		err = tracepoint_probe_register(p->tp, p->func, NULL);
	else
		err = tracepoint_probe_unregister(p->tp, p->func, NULL);
	if (err) {
		pr_warn("%s probe on %s failed: %d\n",
			on ? "registering" : "unregistering", p->name, err);
		return err;
	}
	p->registered = on;
	return 0;
}

static void hp_probes_sync(void)
{
	bool probes = hp_probes_nr_probes > 0;
	bool queue = probes || hp_probes_nr_stats > 0;
	bool removed = false;
	unsigned int i;

	ASSERT_RTNL();
	hp_probes_check_prototypes();

	/* register in path order, unregister in reverse */
	if (probes) {
		hp_probe_set(&hp_probes[HP_PROBE_NET_DEV_QUEUE], true);
		hp_probe_set(&hp_probes[HP_PROBE_SYS_ENTER], true);
		hp_probe_set(&hp_probes[HP_PROBE_SKB_COPY], true);
		hp_probe_set(&hp_probes[HP_PROBE_CONSUME], true);
		return;
	}
	for (i = HP_NR_PROBES; i-- > 0;) {
		bool want = i == HP_PROBE_NET_DEV_QUEUE && queue;

		if (hp_probes[i].registered && !want) {
			hp_probe_set(&hp_probes[i], false);
			removed = true;
		} else if (!hp_probes[i].registered && want) {
			hp_probe_set(&hp_probes[i], true);
		}
	}
	/* no probe may still run (module text, ports) once we return */
	if (removed)
		tracepoint_synchronize_unregister();
}

void hp_probes_config(struct hp_acct *st, const struct hp_config *old,
		      const struct hp_config *new)
{
	ASSERT_RTNL();
	if (st) {
		hp_stages_set_enabled(st, new && new->stats_enabled);
		hp_stages_set_probes(st, new && new->probes);
	}
	hp_probes_nr_stats += (new && new->stats_enabled) - (old && old->stats_enabled);
	hp_probes_nr_probes += (new && new->probes) - (old && old->probes);
	hp_probes_sync();
}

void hp_probes_attach(struct hp_acct *st, bool on)
{
	ASSERT_RTNL();
	hp_stages_set_enabled(st, on);
	hp_stages_set_probes(st, on);
	hp_probes_nr_stats += on ? 1 : -1;
	hp_probes_nr_probes += on ? 1 : -1;
	hp_probes_sync();
}

void hp_probes_exit(void)
{
	rtnl_lock();
	hp_probes_nr_stats = 0;
	hp_probes_nr_probes = 0;
	hp_probes_sync();
	rtnl_unlock();
}

/* /sys/module/hotpath/parameters/probes_registered: which are registered */
static int hp_probes_registered_get(char *buf, const struct kernel_param *kp)
{
	int n = 0;
	unsigned int i;

	for (i = 0; i < HP_NR_PROBES; i++)
		if (READ_ONCE(hp_probes[i].registered))
			n += scnprintf(buf + n, PAGE_SIZE - n, "%s%s",
				       n ? "," : "", hp_probes[i].name);
	if (!n)
		n = scnprintf(buf, PAGE_SIZE, "none");
	n += scnprintf(buf + n, PAGE_SIZE - n, "\n");
	return n;
}

static const struct kernel_param_ops hp_probes_registered_ops = {
	.get = hp_probes_registered_get,
};

module_param_cb(probes_registered, &hp_probes_registered_ops, NULL, 0444);
MODULE_PARM_DESC(probes_registered,
		 "core tracepoints the module's probes are registered on (read only)");
