/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "hotpath" trace system: one event per stage (hotpath:tx_stack ...
 * hotpath:rx_wakeup, named like the stage) and one per technique event
 * (hotpath:tx_push_hit, hotpath:ctpio_poison, ...).  Every event carries
 * the port's ifindex, the queue, the per-packet sequence number the
 * datapath gives the frame (TX and RX sequence spaces are per port), the
 * frame length and the stage's duration in ns (0 for technique events,
 * which are points in time), so trace-cmd, perf or bpftrace can rebuild a
 * packet's timeline: group by (ifindex, seq) and order by stage.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM hotpath

#if !defined(_HP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _HP_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(hotpath_pkt,
		    TP_PROTO(int ifindex, u16 queue, u32 seq, u32 len, u64 ns),
		    TP_ARGS(ifindex, queue, seq, len, ns),
		    TP_STRUCT__entry(__field(int, ifindex)
				     __field(u16, queue)
				     __field(u32, seq)
				     __field(u32, len)
				     __field(u64, ns)),
		    TP_fast_assign(__entry->ifindex = ifindex;
				   __entry->queue = queue;
				   __entry->seq = seq;
				   __entry->len = len;
				   __entry->ns = ns;),
		    TP_printk("ifindex=%d queue=%u seq=%u len=%u ns=%llu",
			      __entry->ifindex, __entry->queue, __entry->seq,
			      __entry->len, (unsigned long long)__entry->ns)
);

/*
 * Every event's first probe (ftrace, perf, bpf) turns hp_stages_trace_reg()'s
 * static key on and its last one turns it off (stages.c): with no event in
 * use the datapath passes the whole dispatch by one patched-out jump.
 */
int hp_stages_trace_reg(void);
void hp_stages_trace_unreg(void);

#define HP_TRACE_EVENT(name)						\
	DEFINE_EVENT_FN(hotpath_pkt, name,				\
		TP_PROTO(int ifindex, u16 queue, u32 seq, u32 len, u64 ns), \
		TP_ARGS(ifindex, queue, seq, len, ns),			\
		hp_stages_trace_reg, hp_stages_trace_unreg)

/* stages, in path order (enum hotpath_stage) */
HP_TRACE_EVENT(tx_stack);
HP_TRACE_EVENT(tx_qdisc);
HP_TRACE_EVENT(tx_desc);
HP_TRACE_EVENT(tx_doorbell);
HP_TRACE_EVENT(tx_fetch);
HP_TRACE_EVENT(tx_dma);
HP_TRACE_EVENT(tx_wire);
HP_TRACE_EVENT(rx_dma);
HP_TRACE_EVENT(rx_irq);
HP_TRACE_EVENT(rx_napi);
HP_TRACE_EVENT(rx_busy_poll);
HP_TRACE_EVENT(rx_stack);
HP_TRACE_EVENT(rx_wakeup);
/* the AF_XDP zero-copy path's own (appended, see the uapi header) */
HP_TRACE_EVENT(xsk_tx);
HP_TRACE_EVENT(xsk_rx);

/* technique events (enum hotpath_counter with a point event) */
HP_TRACE_EVENT(tx_push_hit);
HP_TRACE_EVENT(tx_push_miss);
HP_TRACE_EVENT(ctpio_success);
HP_TRACE_EVENT(ctpio_poison);
HP_TRACE_EVENT(ctpio_fallback_busy);
HP_TRACE_EVENT(ctpio_fallback_long);
HP_TRACE_EVENT(ctpio_fallback_runt);
HP_TRACE_EVENT(rx_interrupt);
HP_TRACE_EVENT(tx_interrupt);
HP_TRACE_EVENT(busy_poll_pickup);
HP_TRACE_EVENT(watchdog_fire);
HP_TRACE_EVENT(rx_ring_drop);
HP_TRACE_EVENT(rx_crc_error);

#endif /* _HP_TRACE_H */

/* out of tree: the header is found through -I$(src) (kmod/Kbuild) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
