/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotpath-bench latency samples: kept exactly (bounded), sorted once at the
 * end, so the percentiles are exact nearest-rank values, not estimates.
 */
#ifndef HP_BENCH_STATS_H
#define HP_BENCH_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct bench_samples {
	uint64_t *v;
	uint64_t n;
	uint64_t cap;		/* allocated */
	uint64_t limit;		/* never grow past this */
	uint64_t dropped;	/* samples not kept because of the limit */
};

/* The order is the wire order of hb_result.ow[]. */
enum bench_stat_field {
	BST_COUNT, BST_MIN, BST_P50, BST_P90, BST_P99, BST_P999, BST_MAX, BST_MEAN,
	BENCH_STAT_FIELDS
};

struct bench_stats {
	uint64_t f[BENCH_STAT_FIELDS];
};

int bench_samples_init(struct bench_samples *s, uint64_t expect, uint64_t limit);
void bench_samples_add(struct bench_samples *s, uint64_t ns);
void bench_samples_free(struct bench_samples *s);
/* Sorts the samples in place. */
void bench_stats_compute(struct bench_samples *s, struct bench_stats *st);

void bench_stats_print_row(FILE *f, const char *label, const struct bench_stats *st,
			   uint64_t lost);
void bench_stats_print_header(FILE *f);
void bench_stats_json(FILE *f, const struct bench_stats *st);
/* Samples must be sorted (bench_stats_compute). */
void bench_hist_print(FILE *f, const char *title, const struct bench_samples *s);
void bench_hist_json(FILE *f, const struct bench_samples *s);

#endif /* HP_BENCH_STATS_H */
