// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath show [DEV]: the configuration of one port or of every port of
 * this network namespace.
 */
#include <stdlib.h>

#include "hotpath.h"

static void print_port(const struct hp_port *p)
{
	char link[16], pcie[16], pio[16];

	fmt_mbps(link, sizeof(link), p->link_mbps);
	fmt_mbps(pcie, sizeof(pcie), p->pcie_mbps);
	fmt_mbps(pio, sizeof(pio), p->host_pio_mbps);

	printf("%s%s%s: ifindex %u", col(COL_BOLD), p->ifname, col(COL_RESET), p->ifindex);
	if (p->has_peer)
		printf(" peer %s (ifindex %u)", p->peer_ifname, p->peer_ifindex);
	printf("\n");
	printf("  rx-mode %s%s%s  busy-poll-fallback-us %u  tx-push %s%s%s  stats %s  probes %s\n",
	       col(COL_GREEN), rx_mode_name(p->rx_mode), col(COL_RESET),
	       p->busy_poll_fallback_us, col(COL_GREEN), p->tx_push ? "on" : "off",
	       col(COL_RESET), p->stats ? "on" : "off", p->probes ? "on" : "off");
	printf("  rings rx %u tx %u\n", p->rx_ring, p->tx_ring);
	printf("  ptp /dev/ptp%u  phc-drift-ppb %d  hwtstamp tx %s rx-filter %s\n",
	       p->phc_index, p->phc_drift_ppb, p->hwts_tx ? "on" : "off",
	       p->hwts_rx ? "all" : "none");
	printf("  ctpio %s%s%s  ctpio-thresh %u  ctpio-max-frame %u  ctpio-underrun-ppm %u\n",
	       col(COL_GREEN), ctpio_name(p->ctpio_mode), col(COL_RESET), p->ctpio_thresh,
	       p->ctpio_max_frame, p->ctpio_underrun_ppm);
	printf("  coalesce rx-usecs %u  rx-frames %u  tx-usecs %u  tx-frames %u\n",
	       p->rx_usecs, p->rx_frames, p->tx_usecs, p->tx_frames);
	printf("  model timing %s  link-speed %s  pcie-rtt %uns  doorbell %uns  pcie-bw %s\n"
	       "        dma %uns  phy %uns  rx-dma %uns  desc %uns  host-pio-bw %s\n",
	       timing_name(p->timing), link, p->pcie_rtt_ns, p->doorbell_ns, pcie,
	       p->dma_ns, p->phy_ns, p->rx_dma_ns, p->desc_ns, pio);
}

int cmd_show(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : NULL;
	struct hp_port *ports = NULL;
	unsigned int n, i;
	int err;

	if (argc > 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (hp_nl_open() < 0)
		return EXIT_FAIL;
	err = hp_nl_get_ports(dev, "show", &ports, &n);
	if (err) {
		free(ports);
		return EXIT_FAIL;
	}
	if (json_output) {
		printf("[");
		for (i = 0; i < n; i++) {
			if (i)
				printf(",");
			print_port_json(stdout, &ports[i]);
		}
		printf("]\n");
	} else {
		for (i = 0; i < n; i++) {
			if (i)
				printf("\n");
			print_port(&ports[i]);
		}
	}
	free(ports);
	return 0;
}
