// SPDX-License-Identifier: GPL-2.0
/*
 * Latency samples, exact percentiles and a log-bucket text histogram.
 */
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* Four buckets per power of two: at most 19% relative width per bucket. */
#define HIST_SUB_BITS	2
#define HIST_SUB	(1U << HIST_SUB_BITS)
#define HIST_BUCKETS	(64 * HIST_SUB)
#define HIST_BAR_WIDTH	50

int bench_samples_init(struct bench_samples *s, uint64_t expect, uint64_t limit)
{
	memset(s, 0, sizeof(*s));
	s->limit = limit;
	s->cap = expect < limit ? expect : limit;
	if (s->cap < 1024)
		s->cap = limit > 1024 ? 1024 : limit;
	s->v = malloc(s->cap * sizeof(*s->v));
	return s->v ? 0 : -1;
}

void bench_samples_add(struct bench_samples *s, uint64_t ns)
{
	if (s->n == s->cap) {
		uint64_t ncap = s->cap * 2;
		uint64_t *nv;

		if (ncap > s->limit)
			ncap = s->limit;
		nv = ncap > s->cap ? realloc(s->v, ncap * sizeof(*nv)) : NULL;
		if (!nv) {
			s->dropped++;
			return;
		}
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = ns;
}

void bench_samples_free(struct bench_samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest sample with at least p/1000 of them at or below. */
static uint64_t rank(const struct bench_samples *s, unsigned int permille)
{
	uint64_t idx = (s->n * permille + 999) / 1000;

	return s->v[idx ? idx - 1 : 0];
}

void bench_stats_compute(struct bench_samples *s, struct bench_stats *st)
{
	long double sum = 0;
	uint64_t i;

	memset(st, 0, sizeof(*st));
	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	st->f[BST_COUNT] = s->n;
	st->f[BST_MIN] = s->v[0];
	st->f[BST_P50] = rank(s, 500);
	st->f[BST_P90] = rank(s, 900);
	st->f[BST_P99] = rank(s, 990);
	st->f[BST_P999] = rank(s, 999);
	st->f[BST_MAX] = s->v[s->n - 1];
	st->f[BST_MEAN] = (uint64_t)(sum / s->n + 0.5L);
}

void bench_stats_print_header(FILE *f)
{
	fprintf(f, "%-10s %9s %7s %10s %10s %10s %10s %10s %10s %10s\n",
		"(ns)", "count", "lost", "min", "p50", "p90", "p99", "p99.9", "max", "mean");
}

void bench_stats_print_row(FILE *f, const char *label, const struct bench_stats *st,
			   uint64_t lost)
{
	const uint64_t *v = st->f;

	fprintf(f, "%-10s %9llu %7llu %10llu %10llu %10llu %10llu %10llu %10llu %10llu\n",
		label, (unsigned long long)v[BST_COUNT], (unsigned long long)lost,
		(unsigned long long)v[BST_MIN], (unsigned long long)v[BST_P50],
		(unsigned long long)v[BST_P90], (unsigned long long)v[BST_P99],
		(unsigned long long)v[BST_P999], (unsigned long long)v[BST_MAX],
		(unsigned long long)v[BST_MEAN]);
}

void bench_stats_json(FILE *f, const struct bench_stats *st)
{
	const uint64_t *v = st->f;

	fprintf(f, "{\"count\":%llu,\"min_ns\":%llu,\"p50_ns\":%llu,\"p90_ns\":%llu,"
		"\"p99_ns\":%llu,\"p999_ns\":%llu,\"max_ns\":%llu,\"mean_ns\":%llu}",
		(unsigned long long)v[BST_COUNT], (unsigned long long)v[BST_MIN],
		(unsigned long long)v[BST_P50], (unsigned long long)v[BST_P90],
		(unsigned long long)v[BST_P99], (unsigned long long)v[BST_P999],
		(unsigned long long)v[BST_MAX], (unsigned long long)v[BST_MEAN]);
}

static unsigned int hist_idx(uint64_t v)
{
	unsigned int k;

	if (v < HIST_SUB)
		return (unsigned int)v;
	k = 63 - (unsigned int)__builtin_clzll(v);
	return k * HIST_SUB + (unsigned int)((v >> (k - HIST_SUB_BITS)) & (HIST_SUB - 1));
}

/* Lower bound of bucket @i; the inverse of hist_idx(). */
static uint64_t hist_lo(unsigned int i)
{
	unsigned int k = i / HIST_SUB, sub = i % HIST_SUB;

	if (i < HIST_SUB * (HIST_SUB_BITS + 1) && k < HIST_SUB_BITS)
		return i;
	return (uint64_t)(HIST_SUB + sub) << (k - HIST_SUB_BITS);
}

struct hist {
	uint64_t n[HIST_BUCKETS];
	unsigned int first, last;
	uint64_t max;
};

static bool hist_fill(const struct bench_samples *s, struct hist *h)
{
	uint64_t i;

	memset(h, 0, sizeof(*h));
	if (!s->n)
		return false;
	for (i = 0; i < s->n; i++)
		h->n[hist_idx(s->v[i])]++;
	h->first = hist_idx(s->v[0]);
	h->last = hist_idx(s->v[s->n - 1]);
	for (i = h->first; i <= h->last; i++)
		if (h->n[i] > h->max)
			h->max = h->n[i];
	return true;
}

void bench_hist_print(FILE *f, const char *title, const struct bench_samples *s)
{
	struct hist h;
	unsigned int i;

	if (!hist_fill(s, &h))
		return;
	fprintf(f, "%s histogram (ns, log buckets):\n", title);
	for (i = h.first; i <= h.last; i++) {
		unsigned int w = (unsigned int)((h.n[i] * HIST_BAR_WIDTH + h.max - 1) / h.max);
		char bar[HIST_BAR_WIDTH + 1];

		memset(bar, '#', w);
		bar[w] = '\0';
		fprintf(f, "  [%10llu, %10llu) %9llu %6.2f%% %s\n",
			(unsigned long long)hist_lo(i), (unsigned long long)hist_lo(i + 1),
			(unsigned long long)h.n[i], 100.0 * (double)h.n[i] / (double)s->n, bar);
	}
}

void bench_hist_json(FILE *f, const struct bench_samples *s)
{
	const char *sep = "";
	struct hist h;
	unsigned int i;

	fputc('[', f);
	if (hist_fill(s, &h)) {
		for (i = h.first; i <= h.last; i++) {
			if (!h.n[i])
				continue;
			fprintf(f, "%s{\"lo_ns\":%llu,\"hi_ns\":%llu,\"count\":%llu}", sep,
				(unsigned long long)hist_lo(i),
				(unsigned long long)hist_lo(i + 1),
				(unsigned long long)h.n[i]);
			sep = ",";
		}
	}
	fputc(']', f);
}
