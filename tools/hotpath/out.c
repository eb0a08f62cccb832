// SPDX-License-Identifier: GPL-2.0
/*
 * Output helpers: JSON, colour (only on a terminal, and never with NO_COLOR
 * set), human-readable times and bandwidths, and the port in one line.
 */
#include <stdlib.h>
#include <unistd.h>

#include "hotpath.h"

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *onoff(unsigned int v)
{
	return v ? "on" : "off";
}

void print_port_json(FILE *f, const struct hp_port *p)
{
	fprintf(f, "{\"ifname\":");
	json_str(f, p->ifname);
	fprintf(f, ",\"ifindex\":%u,\"peer\":", p->ifindex);
	if (p->has_peer) {
		json_str(f, p->peer_ifname);
		fprintf(f, ",\"peer_ifindex\":%u", p->peer_ifindex);
	} else {
		fprintf(f, "null,\"peer_ifindex\":null");
	}
	fprintf(f, ",\"rx_mode\":\"%s\",\"tx_push\":\"%s\",\"busy_poll_fallback_us\":%u",
		rx_mode_name(p->rx_mode), onoff(p->tx_push), p->busy_poll_fallback_us);
	fprintf(f, ",\"stats\":\"%s\",\"probes\":\"%s\"", onoff(p->stats), onoff(p->probes));
	fprintf(f, ",\"rings\":{\"rx\":%u,\"tx\":%u}", p->rx_ring, p->tx_ring);
	fprintf(f, ",\"ctpio\":{\"mode\":\"%s\",\"thresh\":%u,\"max_frame\":%u,\"underrun_ppm\":%u}",
		ctpio_name(p->ctpio_mode), p->ctpio_thresh, p->ctpio_max_frame,
		p->ctpio_underrun_ppm);
	fprintf(f, ",\"coalesce\":{\"rx_usecs\":%u,\"rx_frames\":%u,\"tx_usecs\":%u,\"tx_frames\":%u}",
		p->rx_usecs, p->rx_frames, p->tx_usecs, p->tx_frames);
	fprintf(f, ",\"model\":{\"timing\":\"%s\",\"link_mbps\":%u,\"pcie_rtt_ns\":%u,"
		"\"doorbell_ns\":%u,\"pcie_mbps\":%u,\"dma_ns\":%u,\"phy_ns\":%u,"
		"\"rx_dma_ns\":%u,\"desc_ns\":%u,\"host_pio_mbps\":%u}}",
		timing_name(p->timing), p->link_mbps, p->pcie_rtt_ns, p->doorbell_ns,
		p->pcie_mbps, p->dma_ns, p->phy_ns, p->rx_dma_ns, p->desc_ns, p->host_pio_mbps);
}

void print_port_line(FILE *f, const struct hp_port *p)
{
	char link[16], pcie[16], pio[16];

	fmt_mbps(link, sizeof(link), p->link_mbps);
	fmt_mbps(pcie, sizeof(pcie), p->pcie_mbps);
	fmt_mbps(pio, sizeof(pio), p->host_pio_mbps);
	fprintf(f, "%s: peer %s rx-mode %s tx-push %s ctpio %s ctpio-thresh %u ctpio-max-frame %u "
		"ctpio-underrun-ppm %u rx-usecs %u rx-frames %u tx-usecs %u tx-frames %u "
		"busy-poll-fallback-us %u stats %s probes %s rings %u/%u timing %s link-speed %s "
		"pcie-rtt %uns doorbell %uns pcie-bw %s dma %uns phy %uns rx-dma %uns desc %uns "
		"host-pio-bw %s\n",
		p->ifname, p->has_peer ? p->peer_ifname : "-", rx_mode_name(p->rx_mode),
		onoff(p->tx_push), ctpio_name(p->ctpio_mode), p->ctpio_thresh,
		p->ctpio_max_frame, p->ctpio_underrun_ppm, p->rx_usecs, p->rx_frames,
		p->tx_usecs, p->tx_frames, p->busy_poll_fallback_us, onoff(p->stats),
		onoff(p->probes), p->rx_ring, p->tx_ring, timing_name(p->timing), link,
		p->pcie_rtt_ns, p->doorbell_ns, pcie, p->dma_ns, p->phy_ns, p->rx_dma_ns,
		p->desc_ns, pio);
}

bool colour_enabled(void)
{
	static int enabled = -1;

	if (enabled < 0)
		enabled = !json_output && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	return enabled;
}

/* An SGR escape for @code, or "" when colour is off. */
const char *col(const char *code)
{
	static char buf[4][16];
	static unsigned int i;

	if (!colour_enabled())
		return "";
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "\033[%sm", code);
	return buf[i];
}

void fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns < 10000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else
		snprintf(buf, len, "%.1fms", ns / 1e6);
}

void fmt_mbps(char *buf, size_t len, uint64_t mbps)
{
	if (mbps >= 1000 && mbps % 1000 == 0)
		snprintf(buf, len, "%llug", (unsigned long long)(mbps / 1000));
	else if (mbps >= 1000)
		snprintf(buf, len, "%.1fg", mbps / 1e3);
	else
		snprintf(buf, len, "%llum", (unsigned long long)mbps);
}
