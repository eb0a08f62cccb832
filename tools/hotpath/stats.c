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

/* One port's stages and counters, each field once for text and JSON. */
static void print_stats(const struct hp_stats *s)
{
	/* name(13) source(9) bar mean(8) count(10) p50 p90 p99 p99.9 (8 each) */
	const unsigned int fixed = 13 + 9 + 1 + 8 + 10 + 4 * 8 + 2;
	unsigned int width = term_width(), bar_max, i, j, col_n = 0;
	uint64_t top = 0;
	const char *name;
	char buf[32];

	bar_max = width > fixed + 10 ? width - fixed : 10;
	for (i = 0; i < s->n_stages; i++)
		if (s->stages[i].mean_ns > top)
			top = s->stages[i].mean_ns;

	open_json_object(NULL);
	print_colour_string(PRINT_ANY, COL_BOLD, "ifname", "%s", s->ifname);
	print_uint(PRINT_ANY, "ifindex", " (ifindex %llu)", s->ifindex);
	print_string(PRINT_JSON, "kind", NULL, kind_name(s->kind));
	if (s->kind == HOTPATH_KIND_ATTACHED)
		print_string(PRINT_ANY, "driver", " %s, attached", s->driver);
	else
		print_string(PRINT_JSON, "driver", NULL, s->driver);
	print_text("\n");
	print_text("  %-12s %-8s %-*s %8s %10s %7s %7s %7s %7s\n", "stage", "source", bar_max, "",
		   "mean", "count", "p50", "p90", "p99", "p99.9");
	open_json_array("stages");
	for (i = 0; i < s->n_stages; i++) {
		const struct hp_stage *g = &s->stages[i];
		unsigned int len = top ? (unsigned int)((g->mean_ns * bar_max + top / 2) / top) : 0;
		bool modelled = g->source == HOTPATH_SOURCE_MODELLED;

		if (g->mean_ns && !len)
			len = 1;
		open_json_object(NULL);
		print_string(PRINT_ANY, "name", "  %-12s", g->name);
		print_uint(PRINT_JSON, "id", NULL, g->id);
		print_string(PRINT_ANY, "source", " %-8s ", source_name(g->source));
		/* the bar: text only */
		print_text("%s", col(modelled ? COL_CYAN : COL_GREEN));
		for (j = 0; j < len; j++)
			print_text("#");
		print_text("%s%*s", col(COL_RESET), bar_max - len, "");
		print_ns(PRINT_ANY, "mean_ns", " %8s", g->mean_ns);
		print_uint(PRINT_ANY, "count", " %10llu", g->count);
		print_uint(PRINT_JSON, "sum_ns", NULL, g->sum_ns);
		print_uint(PRINT_JSON, "min_ns", NULL, g->min_ns);
		print_ns(PRINT_ANY, "p50_ns", " %7s", g->p50_ns);
		print_ns(PRINT_ANY, "p90_ns", " %7s", g->p90_ns);
		print_ns(PRINT_ANY, "p99_ns", " %7s", g->p99_ns);
		print_ns(PRINT_ANY, "p999_ns", " %7s", g->p999_ns);
		print_uint(PRINT_JSON, "max_ns", NULL, g->max_ns);
		close_json_object();
		print_text("\n");
	}
	close_json_array();

	print_text("  counters:\n");
	open_json_object("counters");
	for (i = 1; i < HP_COUNTERS_MAX; i++) {
		if (!s->has_counter[i])
			continue;
		name = counter_name(i, buf, sizeof(buf));
		print_text("    %-22s", name);
		print_uint(PRINT_ANY, name, " %12llu", s->counters[i]);
		if (++col_n % 3 == 0)
			print_text("\n");
	}
	if (col_n % 3)
		print_text("\n");
	close_json_object();
	close_json_object();
}

static int show_once(const char *dev)
{
	struct hp_stats *stats = NULL;
	unsigned int n, i;

	if (hp_nl_get_stats(dev, "stats", &stats, &n)) {
		free(stats);
		return EXIT_FAIL;
	}
	open_json_array(NULL);
	for (i = 0; i < n; i++) {
		if (i)
			print_text("\n");
		print_stats(&stats[i]);
	}
	close_json_array();
	print_json_nl();
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
	if (hp_nl_open() < 0 || hp_nl_load_counter_names("stats"))
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
