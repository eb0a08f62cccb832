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

/* One JSON member: "key":value, with a comma before all but the first. */
static void jnum(FILE *f, const char *key, unsigned long long v)
{
	fprintf(f, ",\"%s\":%llu", key, v);
}

static void jword(FILE *f, const char *key, const char *v)
{
	fprintf(f, ",\"%s\":\"%s\"", key, v);
}

void print_port_json(FILE *f, const struct hp_port *p)
{
	fprintf(f, "{\"ifname\":");
	json_str(f, p->ifname);
	jnum(f, "ifindex", p->ifindex);
	fprintf(f, ",\"peer\":");
	if (p->has_peer) {
		json_str(f, p->peer_ifname);
		jnum(f, "peer_ifindex", p->peer_ifindex);
	} else {
		fprintf(f, "null,\"peer_ifindex\":null");
	}
	jword(f, "rx_mode", rx_mode_name(p->rx_mode));
	jword(f, "tx_push", onoff(p->tx_push));
	jnum(f, "busy_poll_fallback_us", p->busy_poll_fallback_us);
	jword(f, "stats", onoff(p->stats));
	jword(f, "probes", onoff(p->probes));
	fprintf(f, ",\"rings\":{\"rx\":%u,\"tx\":%u}", p->rx_ring, p->tx_ring);
	fprintf(f, ",\"ptp\":{\"phc_index\":%u,\"phc_drift_ppb\":%d", p->phc_index,
		p->phc_drift_ppb);
	jword(f, "hwtstamp_tx", onoff(p->hwts_tx));
	jword(f, "hwtstamp_rx_filter", p->hwts_rx ? "all" : "none");
	fprintf(f, "}");

	fprintf(f, ",\"ctpio\":{\"mode\":\"%s\"", ctpio_name(p->ctpio_mode));
	jnum(f, "thresh", p->ctpio_thresh);
	jnum(f, "max_frame", p->ctpio_max_frame);
	jnum(f, "underrun_ppm", p->ctpio_underrun_ppm);

	fprintf(f, "},\"coalesce\":{\"rx_usecs\":%u", p->rx_usecs);
	jnum(f, "rx_frames", p->rx_frames);
	jnum(f, "tx_usecs", p->tx_usecs);
	jnum(f, "tx_frames", p->tx_frames);

	fprintf(f, "},\"model\":{\"timing\":\"%s\"", timing_name(p->timing));
	jnum(f, "link_mbps", p->link_mbps);
	jnum(f, "pcie_rtt_ns", p->pcie_rtt_ns);
	jnum(f, "doorbell_ns", p->doorbell_ns);
	jnum(f, "pcie_mbps", p->pcie_mbps);
	jnum(f, "dma_ns", p->dma_ns);
	jnum(f, "phy_ns", p->phy_ns);
	jnum(f, "rx_dma_ns", p->rx_dma_ns);
	jnum(f, "desc_ns", p->desc_ns);
	jnum(f, "host_pio_mbps", p->host_pio_mbps);
	fprintf(f, "}}");
}

/* The port as `set` keys and values, one line (for monitor). */
void print_port_line(FILE *f, const struct hp_port *p)
{
	char link[16], pcie[16], pio[16];

	fmt_mbps(link, sizeof(link), p->link_mbps);
	fmt_mbps(pcie, sizeof(pcie), p->pcie_mbps);
	fmt_mbps(pio, sizeof(pio), p->host_pio_mbps);
	fprintf(f, "%s: peer %s rx-mode %s tx-push %s", p->ifname,
		p->has_peer ? p->peer_ifname : "-", rx_mode_name(p->rx_mode), onoff(p->tx_push));
	fprintf(f, " ctpio %s ctpio-thresh %u ctpio-max-frame %u ctpio-underrun-ppm %u",
		ctpio_name(p->ctpio_mode), p->ctpio_thresh, p->ctpio_max_frame,
		p->ctpio_underrun_ppm);
	fprintf(f, " rx-usecs %u rx-frames %u tx-usecs %u tx-frames %u",
		p->rx_usecs, p->rx_frames, p->tx_usecs, p->tx_frames);
	fprintf(f, " busy-poll-fallback-us %u stats %s probes %s rings %u/%u",
		p->busy_poll_fallback_us, onoff(p->stats), onoff(p->probes), p->rx_ring,
		p->tx_ring);
	fprintf(f, " timing %s link-speed %s pcie-rtt %uns doorbell %uns pcie-bw %s",
		timing_name(p->timing), link, p->pcie_rtt_ns, p->doorbell_ns, pcie);
	fprintf(f, " dma %uns phy %uns rx-dma %uns desc %uns host-pio-bw %s",
		p->dma_ns, p->phy_ns, p->rx_dma_ns, p->desc_ns, pio);
	fprintf(f, " phc %u phc-drift-ppb %d hwtstamp-tx %s hwtstamp-rx-filter %s\n",
		p->phc_index, p->phc_drift_ppb, onoff(p->hwts_tx), p->hwts_rx ? "all" : "none");
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
