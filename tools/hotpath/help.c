// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath help: the usage, the subcommands and the keys of `set`, all from
 * their tables.
 */
#include <string.h>

#include "hotpath.h"

int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	printf("\nsubcommands:\n");
	print_subcommands(stdout);
	printf("\nset keys:\n");
	set_print_keys(stdout);
	printf("T: nanoseconds (300, 300ns, 1.5us); US: microseconds (50, 50us);\n"
	       "BW: Mb/s or with a unit (26g, 500m); ranges: hotpath(8), the kernel's message.\n"
	       "Exit status: 0 success, 1 the operation failed, 2 usage error.\n"
	       "\nAF_XDP on a port (queue 0, an XDP program redirecting into an XSKMAP):\n"
	       "  zero-copy  native XDP, XDP_ZEROCOPY: the NIC writes into, sends from the UMEM\n"
	       "  copy       native XDP, XDP_COPY: the kernel copies to and from the UMEM\n"
	       "  skb        generic XDP, XDP_COPY: after the driver built an skb\n"
	       "  counters xdp_* (verdicts), xsk_rx_packets, xsk_tx_packets,\n"
	       "  xsk_fill_empty_drops, xsk_wakeups; stages xsk_tx (XSK TX ring to\n"
	       "  descriptor), xdp_prog (the program's run, native and zero-copy),\n"
	       "  xsk_rx (hand-off to the socket, zero-copy).\n"
	       "  Try: hotpath-bench client ADDR --af-xdp zero-copy --dev hp0 --server-dev hp1\n"
	       "  --server-netns NS [--mode stream].\n"
	       "See hotpath(8).\n");
	return 0;
}

/*
 * hotpath --version: this CLI's release and family version, and the loaded
 * module's (its MODULE_VERSION in sysfs, its family version from the genl
 * controller), so a user sees at once whether the two belong together.
 */
int cmd_version(void)
{
	char modver[64] = "";
	unsigned int version;
	FILE *f;

	printf("hotpath %s, netlink family \"%s\" version %u\n", HOTPATH_VERSION,
	       HOTPATH_GENL_NAME, HOTPATH_GENL_VERSION);
	if (hp_nl_family_version(&version) < 0) {
		printf("module: not loaded\n");
		return 0;
	}
	f = fopen("/sys/module/hotpath/version", "r");
	if (f) {
		if (!fgets(modver, sizeof(modver), f))
			modver[0] = '\0';
		modver[strcspn(modver, "\n")] = '\0';
		fclose(f);
	}
	printf("module: hotpath %s, family version %u%s\n", modver[0] ? modver : "(unknown)",
	       version, version == HOTPATH_GENL_VERSION ? "" : " (mismatch)");
	return 0;
}
