/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "hotpath" trace system: one event per stage (hotpath:tx_stack ...
 * hotpath:xdp_prog, named like the stage; stage_list.h) and one per counted
 * point event, named like its counter (hotpath:tx_push_hits,
 * hotpath:ctpio_poisoned, hotpath:interrupts, ...; counters.h).  Every
 * event carries the port's ifindex, the queue, the per-packet sequence
 * number the datapath gives the frame (TX and RX sequence spaces are per port), the
 * frame length and the stage's duration in ns (0 for technique events,
 * which are points in time), so trace-cmd, perf or bpftrace can rebuild a
 * packet's timeline: group by (ifindex, seq) and order by stage.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM hotpath

#if !defined(_HP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _HP_TRACE_H

#include <linux/tracepoint.h>

#include "counters.h"
#include "stage_list.h"

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

/* stages, in path order (enum hotpath_stage; stage_list.h) */
#define HP_TRACE_STAGE(id, name, src, kind) HP_TRACE_EVENT(name);
HP_STAGES(HP_TRACE_STAGE)

/*
 * Counter events: one per counter of counters.h's list marked E, named
 * like the counter (hotpath:tx_push_hits ... hotpath:rx_crc_errors).
 */
#define HP_TRACE_COUNTER(id, name) HP_TRACE_EVENT(name);
HP_COUNTERS(HP_CNT_NONE, HP_TRACE_COUNTER)

#endif /* _HP_TRACE_H */

/* out of tree: the header is found through -I$(src) (kmod/Kbuild) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
