// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath(8): show and change the hotpath NIC's techniques and read its
 * per-stage latencies over the "hotpath" generic netlink family.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hotpath.h"

const char *prog = "hotpath";
bool json_output;

static const struct {
	const char *name;
	/* each checks its arguments, then opens netlink (usage errors first) */
	int (*fn)(int argc, char **argv);
} subcommands[] = {
	{ "show", cmd_show },
	{ "set", cmd_set },
	{ "stats", cmd_stats },
	{ "reset", cmd_reset },
	{ "monitor", cmd_monitor },
	{ "help", cmd_help },
};

void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-j|--json] show [DEV]\n"
		"       %s set DEV KEY VALUE [KEY VALUE ...]\n"
		"       %s [-j|--json] stats [DEV] [--watch SECONDS]\n"
		"       %s reset DEV\n"
		"       %s monitor\n"
		"       %s help\n"
		"       %s --version\n",
		prog, prog, prog, prog, prog, prog, prog);
}

int main(int argc, char **argv)
{
	unsigned int i;
	int ret;

	argc--, argv++;
	while (argc && (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json"))) {
		json_output = true;
		argc--, argv++;
	}
	if (argc && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help")))
		return cmd_help(0, NULL);
	if (argc && (!strcmp(argv[0], "-V") || !strcmp(argv[0], "--version")))
		return cmd_version();
	if (argc && argv[0][0] == '-') {
		fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[0]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!argc) {
		usage(stderr);
		return EXIT_USAGE;
	}

	for (i = 0; i < ARRAY_SIZE(subcommands); i++) {
		if (strcmp(argv[0], subcommands[i].name))
			continue;
		ret = subcommands[i].fn(argc, argv);
		hp_nl_close();
		return ret;
	}
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[0]);
	usage(stderr);
	return EXIT_USAGE;
}
