/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotpath-bench --json: the one writer of the report object, shared by the
 * UDP client (client.c) and the AF_XDP runs (afxdp.c), so that both print
 * the same keys in the same order (tools/bench/README.md).
 */
#ifndef HP_BENCH_REPORT_H
#define HP_BENCH_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "stats.h"

struct bench_report {
	const char *mode;		/* "pingpong" or "stream" */
	unsigned int size;
	uint64_t count, lost, warmup, duration_ns, send_errors;
	unsigned int busy_poll_us;
	bool prefer_busy_poll;
	const struct bench_stats *rtt;	/* NULL: null (stream) */
	const struct bench_stats *ow;
	uint64_t cli_user_us, cli_sys_us, srv_user_us, srv_sys_us;
	bool stream;			/* the stream object, else null */
	uint64_t st_sent, st_received, st_dropped;
	double pps_sent, pps_received;
	/* hw_timestamps: its object, NULL prints null */
	void (*hw_timestamps)(FILE *f, const void *arg);
	/* af_xdp: its object, NULL leaves the key out (UDP runs) */
	void (*af_xdp)(FILE *f, const void *arg);
	const void *arg;		/* for both */
	const struct bench_samples *hist_rtt, *hist_ow;	/* sorted */
};

void bench_report_json(FILE *f, const struct bench_report *r);

#endif /* HP_BENCH_REPORT_H */
