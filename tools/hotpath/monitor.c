// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath monitor: print every configuration change announced on the
 * "config" group (by `hotpath set` or ethtool), one line per change: the
 * port as `show` prints it, on one line (or one JSON object).
 */
#include "hotpath.h"

static int print_change(const struct hp_port *p)
{
	print_port(p);
	putchar('\n');
	fflush(stdout);
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (hp_nl_open() < 0)
		return EXIT_FAIL;
	print_oneline(true);
	return hp_nl_monitor(print_change) ? EXIT_FAIL : 0;
}
