// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath monitor: print every configuration change announced on the
 * "config" group (by `hotpath set` or ethtool), one line per change: the
 * port as `show` prints it, on one line (or one JSON object).  Another
 * driver's device has knobs of its own that ethtool changes without the
 * module knowing: ethtool's "monitor" group announces those, and an
 * attached device's line is printed for them too.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <netlink/netlink.h>

#include "hotpath.h"

static int print_change(const struct hp_port *p)
{
	struct hp_port copy = *p;

	if (copy.kind == HOTPATH_KIND_ATTACHED && copy.stats_enabled)
		nic_read(&copy);
	print_port(&copy);
	putchar('\n');
	fflush(stdout);
	return 0;
}

/* ethtool changed a knob of @dev: printed if it is an attached device. */
static int ethtool_change(const char *dev)
{
	struct hp_port p;

	/* a port's own ethtool changes come from the module, on "config" */
	if (hp_nl_find_port(dev, &p) || p.kind != HOTPATH_KIND_ATTACHED)
		return 0;
	return print_change(&p);
}

int cmd_monitor(int argc, char **argv)
{
	struct nl_sock *socks[2];
	struct pollfd fds[2];
	unsigned int i, n = 0;
	int err;

	(void)argv;
	if (argc != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (hp_nl_open() < 0)
		return EXIT_FAIL;
	socks[n] = hp_nl_monitor_sock(print_change);
	if (!socks[n])
		return EXIT_FAIL;
	n++;
	/* without ethtool's netlink (rare), the module's changes still come */
	socks[n] = hp_ethtool_monitor_sock(ethtool_change);
	if (socks[n])
		n++;
	print_oneline(true);
	for (i = 0; i < n; i++)
		fds[i] = (struct pollfd){ .fd = nl_socket_get_fd(socks[i]), .events = POLLIN };
	for (;;) {
		if (poll(fds, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: monitor: %s\n", prog, strerror(errno));
			return EXIT_FAIL;
		}
		for (i = 0; i < n; i++) {
			if (!(fds[i].revents & POLLIN))
				continue;
			err = nl_recvmsgs_default(socks[i]);
			if (err < 0 && err != -NLE_INTR && err != -NLE_AGAIN) {
				fprintf(stderr, "%s: monitor: %s\n", prog, nl_geterror(err));
				return EXIT_FAIL;
			}
		}
	}
}
