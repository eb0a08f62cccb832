// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath reset DEV: zero every stage and counter of a port.
 */
#include <netlink/msg.h>

#include "hotpath.h"

int cmd_reset(int argc, char **argv)
{
	struct nl_msg *msg;
	int err;

	if (argc != 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (hp_nl_open() < 0)
		return EXIT_FAIL;
	msg = hp_nl_new_request(HOTPATH_CMD_STATS_RESET, argv[1], false);
	if (!msg)
		return EXIT_FAIL;
	err = hp_nl_exec(msg, "reset", NULL, NULL);
	nlmsg_free(msg);
	return err ? EXIT_FAIL : 0;
}
