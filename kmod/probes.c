// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-path probes: the stages that happen outside the driver.
 *
 *   tx_stack   the socket's sendmsg to the device queue: a function
 *              trace callback on inet_sendmsg/inet6_sendmsg (every send(),
 *              sendto(), sendmsg(), sendmmsg() message, write() of an
 *              IPv4/IPv6 socket: UDP, TCP, raw, ping) stamps the task,
 *              socket and time in a per-CPU slot; net:net_dev_queue of an
 *              skb of that socket, in the same task on the same CPU, ends
 *              it.  The task's next inet_recvmsg/inet6_recvmsg forgets the
 *              slot, so an ACK that receive sends is not credited to the
 *              send.  No tracepoint marks the start of a send on both
 *              kernels (sock:sock_send_length fires at its end), and a
 *              probe on raw_syscalls:sys_enter sends every system call of
 *              every task through the slow syscall path; an ftrace_ops on
 *              the four functions costs only their callers, and less than
 *              kprobes there (no pt_regs, no probe lookup).  The core-path
 *              probes per one-way trip of make bench's ping-pong on 6.12:
 *              704 instructions with sys_enter, 869 with kprobes, 614 so.
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
 * stats or probes on (tx_qdisc needs it), the sendmsg/recvmsg callbacks,
 * skb_copy_datagram_iovec and consume_skb while any port has probes on:
 * with probes off they are not registered at all.  The core tracepoints
 * are not exported to modules, so they are found by name with
 * for_each_kernel_tracepoint(); the probes' prototypes are checked against
 * the kernel's TP_PROTO at build time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <net/net_namespace.h>

#include <trace/events/net.h>
#include <trace/events/skb.h>

#include "compat.h"
#include "config.h"
#include "stages.h"
#include "probes.h"
#include "stamp.h"

/* A sendmsg whose first packet is queued later than this is not timed. */
#define HP_TX_STACK_MAX_NS	NSEC_PER_SEC

/* TX: the skb; t its queueing, aux its sendmsg entry.  RX: the buffer. */
static struct hp_stamp hp_tx_table[HP_STAMP_SLOTS];
static struct hp_stamp hp_rx_table[HP_STAMP_SLOTS];

/* The sendmsg the task on this CPU is in, on socket sk. */
struct hp_send_slot {
	const struct task_struct *task;
	const struct sock *sk;
	u64 t;
};

static DEFINE_PER_CPU(struct hp_send_slot, hp_send_slot);

enum hp_probe_id {
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

static void hp_probe_net_dev_queue(void *data, struct sk_buff *skb);
static void hp_probe_skb_copy(void *data, const struct sk_buff *skb, int len);
static void hp_probe_consume(void *data, struct sk_buff *skb);
static void hp_probe_consume_loc(void *data, struct sk_buff *skb, void *loc);

#define HP_CONSUME_PROBE	\
	hp_compat_consume_skb_probe(hp_probe_consume, hp_probe_consume_loc)

static struct hp_probe hp_probes[HP_NR_PROBES] = {
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

/*
 * The traced socket calls, all (struct socket *sock, struct msghdr *, ...):
 * one ftrace_ops for the four, since each registration and unregistration
 * patches kernel text and waits for tasks in trampolines (~130 ms on TCG).
 */
static const char *const hp_sock_calls[] = {
	"inet_sendmsg", "inet6_sendmsg", "inet_recvmsg", "inet6_recvmsg",
};

/*
 * Whether the traced call at @ip is @sock's sendmsg (else its recvmsg):
 * ftrace's @ip is the function's patched call site, at its start or just
 * past its ENDBR64.
 */
static bool hp_sock_call_is_send(const struct socket *sock, unsigned long ip)
{
	unsigned long fn = (unsigned long)sock->ops->sendmsg;

	return ip - fn < 16;
}

/*
 * A module's ftrace_ops is called through ftrace_ops_assist_func():
 * preemption off (the slot stays this CPU's), recursion guarded.  A send
 * stamps the slot; a receive ends the task's send.
 */
static void hp_sock_call(unsigned long ip, unsigned long parent_ip,
			 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	const struct socket *sock = (void *)hp_compat_ftrace_arg(fregs, 0);
	struct hp_send_slot *slot = this_cpu_ptr(&hp_send_slot);

	if (hp_sock_call_is_send(sock, ip)) {
		slot->task = current;
		slot->sk = sock->sk;
		slot->t = hp_stages_now();
	} else if (slot->task == current) {
		slot->task = NULL;
	}
}

static struct ftrace_ops hp_sock_ops = { .func = hp_sock_call };
static bool hp_sock_ops_filtered;	/* its filter is set, until module exit */
static bool hp_sock_ops_registered;

static void hp_probe_net_dev_queue(void *data, struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct hp_send_slot *slot;
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
		slot = this_cpu_ptr(&hp_send_slot);
		if (slot->task == current && slot->sk == skb->sk &&
		    now - slot->t < HP_TX_STACK_MAX_NS)
			t_sys = slot->t;
	}
	hp_stamp_put(hp_stamp_slot(hp_tx_table, skb), skb,
		     &(struct hp_stamp_val){ .t = now, .aux = t_sys });
}

/*
 * Consume @skb's TX entry: the hp_stages_now() time the skb reached the
 * device queue, 0 if that was not seen or is more than a second older than
 * @now (a stale entry of a reused address); *@syscall_ns is its socket's
 * sendmsg entry (0 if unknown, not a send or probes off).
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

/*
 * A kernel where these cannot be traced (inlined or renamed, or no
 * function tracer) leaves tx_stack untimed; the rest works.
 */
static void hp_sock_ops_register(void)
{
	unsigned int i;
	int err;

	if (hp_sock_ops_registered)
		return;
	for (i = 0; !hp_sock_ops_filtered && i < ARRAY_SIZE(hp_sock_calls); i++) {
		err = ftrace_set_filter(&hp_sock_ops, (unsigned char *)hp_sock_calls[i],
					strlen(hp_sock_calls[i]), 0);
		if (err) {
			pr_warn("cannot trace %s: %d\n", hp_sock_calls[i], err);
			ftrace_free_filter(&hp_sock_ops);
			return;
		}
	}
	hp_sock_ops_filtered = true;
	err = register_ftrace_function(&hp_sock_ops);
	if (err) {
		pr_warn("tracing the socket calls failed: %d\n", err);
		return;
	}
	hp_sock_ops_registered = true;
}

/*
 * unregister_ftrace_function() returns once no callback of a dynamic ops
 * can still run (it synchronizes with tasks in the trampoline).
 */
static void hp_sock_ops_unregister(void)
{
	if (!hp_sock_ops_registered)
		return;
	unregister_ftrace_function(&hp_sock_ops);
	hp_sock_ops_registered = false;
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
		hp_sock_ops_register();
		hp_probe_set(&hp_probes[HP_PROBE_SKB_COPY], true);
		hp_probe_set(&hp_probes[HP_PROBE_CONSUME], true);
		return;
	}
	for (i = HP_NR_PROBES; i-- > 0;) {
		bool want = i == HP_PROBE_NET_DEV_QUEUE && queue;

		if (i == HP_PROBE_NET_DEV_QUEUE)
			hp_sock_ops_unregister();
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
	if (hp_sock_ops_filtered)
		ftrace_free_filter(&hp_sock_ops);
}

/*
 * /sys/module/hotpath/parameters/probes_registered: which are registered,
 * tracepoints by name, traced functions as ftrace:FUNCTION
 */
static int hp_probes_registered_get(char *buf, const struct kernel_param *kp)
{
	int n = 0;
	unsigned int i;

	for (i = 0; i < HP_NR_PROBES; i++)
		if (READ_ONCE(hp_probes[i].registered))
			n += scnprintf(buf + n, PAGE_SIZE - n, "%s%s",
				       n ? "," : "", hp_probes[i].name);
	for (i = 0; READ_ONCE(hp_sock_ops_registered) && i < ARRAY_SIZE(hp_sock_calls); i++)
		n += scnprintf(buf + n, PAGE_SIZE - n, "%sftrace:%s",
			       n ? "," : "", hp_sock_calls[i]);
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
		 "core tracepoints and functions the module's probes are registered on (read only)");
