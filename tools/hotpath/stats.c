// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath stats [DEV] [--watch SECONDS]: each stage of the path as a bar as
 * wide as its mean latency, so the shape of the path shows at a glance,
 * with its source (measured on the kernel path, or modelled), count and
 * percentiles; then the technique counters.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "hotpath.h"

static unsigned int term_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	if (cols && atoi(cols) > 0)
		return atoi(cols);
	return 100;
}

static void jnum(const char *key, uint64_t v)
{
	printf(",\"%s\":%llu", key, (unsigned long long)v);
}

static void print_stats_json(const struct hp_stats *s)
{
	char buf[32];
	unsigned int i;
	bool first = true;

	printf("{\"ifname\":");
	json_str(stdout, s->ifname);
	printf(",\"ifindex\":%u,\"stages\":[", s->ifindex);
	for (i = 0; i < s->n_stages; i++) {
		const struct hp_stage *g = &s->stages[i];

		printf("%s{\"name\":", i ? "," : "");
		json_str(stdout, g->name);
		printf(",\"id\":%u,\"source\":\"%s\"", g->id, source_name(g->source));
		jnum("count", g->count);
		jnum("sum_ns", g->sum_ns);
		jnum("min_ns", g->min_ns);
		jnum("mean_ns", g->mean_ns);
		jnum("p50_ns", g->p50_ns);
		jnum("p90_ns", g->p90_ns);
		jnum("p99_ns", g->p99_ns);
		jnum("p999_ns", g->p999_ns);
		jnum("max_ns", g->max_ns);
		printf("}");
	}
	printf("],\"counters\":{");
	for (i = 1; i < __HOTPATH_CNT_MAX; i++) {
		if (!s->has_counter[i])
			continue;
		printf("%s\"%s\":%llu", first ? "" : ",", counter_name(i, buf, sizeof(buf)),
		       (unsigned long long)s->counters[i]);
		first = false;
	}
	printf("}}");
}

static void print_stats_plain(const struct hp_stats *s)
{
	/* name(13) source(9) bar mean(8) count(10) p50 p90 p99 p99.9 (8 each) */
	const unsigned int fixed = 13 + 9 + 1 + 8 + 10 + 4 * 8 + 2;
	unsigned int width = term_width(), bar_max, i, j, col_n = 0;
	uint64_t top = 0;
	char a[16], b[16], c[16], d[16], e[16], buf[32];

	bar_max = width > fixed + 10 ? width - fixed : 10;
	for (i = 0; i < s->n_stages; i++)
		if (s->stages[i].mean_ns > top)
			top = s->stages[i].mean_ns;

	printf("%s%s%s (ifindex %u)\n", col(COL_BOLD), s->ifname, col(COL_RESET), s->ifindex);
	printf("  %-12s %-8s %-*s %8s %10s %7s %7s %7s %7s\n", "stage", "source", bar_max, "",
	       "mean", "count", "p50", "p90", "p99", "p99.9");
	for (i = 0; i < s->n_stages; i++) {
		const struct hp_stage *g = &s->stages[i];
		unsigned int len = top ? (unsigned int)((g->mean_ns * bar_max + top / 2) / top) : 0;
		bool modelled = g->source == HOTPATH_SOURCE_MODELLED;

		if (g->mean_ns && !len)
			len = 1;
		fmt_ns(a, sizeof(a), g->mean_ns);
		fmt_ns(b, sizeof(b), g->p50_ns);
		fmt_ns(c, sizeof(c), g->p90_ns);
		fmt_ns(d, sizeof(d), g->p99_ns);
		fmt_ns(e, sizeof(e), g->p999_ns);
		printf("  %-12s %-8s %s", g->name, source_name(g->source),
		       col(modelled ? COL_CYAN : COL_GREEN));
		for (j = 0; j < len; j++)
			putchar('#');
		printf("%s%*s %8s %10llu %7s %7s %7s %7s\n", col(COL_RESET), bar_max - len, "", a,
		       (unsigned long long)g->count, b, c, d, e);
	}
	printf("  counters:\n");
	for (i = 1; i < __HOTPATH_CNT_MAX; i++) {
		if (!s->has_counter[i])
			continue;
		printf("%s    %-22s %12llu", col_n % 3 ? "" : "", counter_name(i, buf, sizeof(buf)),
		       (unsigned long long)s->counters[i]);
		if (++col_n % 3 == 0)
			printf("\n");
	}
	if (col_n % 3)
		printf("\n");
}

static int show_once(const char *dev)
{
	struct hp_stats *stats = NULL;
	unsigned int n, i;

	if (hp_nl_get_stats(dev, "stats", &stats, &n)) {
		free(stats);
		return EXIT_FAIL;
	}
	if (json_output) {
		printf("[");
		for (i = 0; i < n; i++) {
			if (i)
				printf(",");
			print_stats_json(&stats[i]);
		}
		printf("]\n");
	} else {
		for (i = 0; i < n; i++) {
			if (i)
				printf("\n");
			print_stats_plain(&stats[i]);
		}
	}
	fflush(stdout);
	free(stats);
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	const char *dev = NULL;
	long watch = 0;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--watch") || !strcmp(argv[i], "-w")) {
			char *end;

			if (i + 1 >= argc)
				goto usage;
			watch = strtol(argv[++i], &end, 10);
			if (*end || watch <= 0) {
				fprintf(stderr, "%s: stats: %s: --watch: '%s' is not seconds\n",
					prog, strerror(EINVAL), argv[i]);
				return EXIT_USAGE;
			}
		} else if (!dev && argv[i][0] != '-') {
			dev = argv[i];
		} else {
			goto usage;
		}
	}
	if (hp_nl_open() < 0)
		return EXIT_FAIL;
	if (!watch)
		return show_once(dev);

	/* until interrupted: SIGINT ends the process */
	for (;;) {
		if (!json_output && isatty(STDOUT_FILENO))
			printf("\033[H\033[2J");
		ret = show_once(dev);
		if (ret)
			return ret;
		sleep(watch);
	}

usage:
	usage(stderr);
	return EXIT_USAGE;
}
