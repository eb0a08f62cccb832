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

/*
 * The subcommands: usage and `hotpath help` are printed from this table
 * (wireguard-tools' way), so a new subcommand is one line here.
 */
static const struct {
	const char *name;
	/* each checks its arguments, then opens netlink (usage errors first) */
	int (*fn)(int argc, char **argv);
	const char *args;	/* after the name in the usage line */
	bool json;		/* takes -j|--json */
	const char *desc;	/* for help */
} subcommands[] = {
	{ "show", cmd_show, " [DEV]", true, "the configuration of DEV or of every port" },
	{ "set", cmd_set, " DEV KEY VALUE [KEY VALUE ...]", false,
	  "change settings, all of them or none" },
	{ "stats", cmd_stats, " [DEV] [--watch SECONDS]", true,
	  "per-stage latencies and technique counters" },
	{ "reset", cmd_reset, " DEV", false, "zero the stages and counters of DEV" },
	{ "monitor", cmd_monitor, "", true, "print every configuration change" },
	{ "help", cmd_help, "", false, "this text and the keys of set" },
};

void usage(FILE *f)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "%s %s%s %s%s\n", i ? "      " : "Usage:", prog,
			subcommands[i].json ? " [-j|--json]" : "", subcommands[i].name,
			subcommands[i].args);
	fprintf(f, "       %s --version\n", prog);
}

/* For help: each subcommand and what it does. */
void print_subcommands(FILE *f)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name, subcommands[i].desc);
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
