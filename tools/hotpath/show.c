// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath show [DEV]: the configuration of one port or of every port of
 * this network namespace.
 */
#include <stdlib.h>

#include "hotpath.h"

/*
 * The port, each field once for text and JSON.  No newline at the end: show
 * separates ports, monitor ends its line.
 */
/*
 * Another driver's device: its knobs as the kernel has them (rx-mode from
 * the busy-poll knobs, coalescing and TX push as ethtool reads them from
 * the driver; a knob the driver does not report is null), what CTPIO
 * counters the driver has, and the PHC mapping.
 */
static void print_knobs(const struct hp_port *p)
{
	const struct hp_knobs *k = &p->knobs;
	unsigned int i;
	char fmt[48];

	print_colour_string(PRINT_ANY, COL_GREEN, "rx_mode", "  rx-mode %s",
			    rx_mode_name(p->rx_mode));
	print_uint(PRINT_ANY, "napi_defer_hard_irqs", "  napi-defer-hard-irqs %llu",
		   p->napi_defer_hard_irqs);
	print_uint(PRINT_ANY, "gro_flush_timeout_ns", "  gro-flush-timeout %lluns",
		   p->gro_flush_timeout_ns);
	if (p->rx_mode == HOTPATH_RX_MODE_BUSY_POLL)
		print_text(" (the application polls: %s)",
			   "SO_BUSY_POLL with SO_PREFER_BUSY_POLL, or net.core.busy_read");
	print_nl();
	if (!k->read)
		return;
	open_json_object("coalesce");
	print_text("  coalesce");
	for (i = 0; i < HP_KNOBS; i++) {
		if (i == HP_KNOB_TX_PUSH)
			continue;
		snprintf(fmt, sizeof(fmt), " %s %s", hp_knob_list[i].key,
			 hp_knob_list[i].u8 ? "%s" : "%llu");
		if (!k->have[i])
			print_null(PRINT_JSON, hp_knob_list[i].json, NULL);
		else if (hp_knob_list[i].u8)
			print_bool(PRINT_ANY, hp_knob_list[i].json, fmt, k->val[i]);
		else
			print_uint(PRINT_ANY, hp_knob_list[i].json, fmt, k->val[i]);
	}
	close_json_object();
	print_nl();
	if (k->have[HP_KNOB_TX_PUSH])
		print_bool(PRINT_ANY, "tx_push", "  tx-push %s", k->val[HP_KNOB_TX_PUSH]);
	else
		print_null(PRINT_ANY, "tx_push", "  tx-push none");
	/* CTPIO is Onload's, per application: only the driver's counters are here */
	open_json_object("ctpio");
	print_null(PRINT_ANY, "mode", "  ctpio onload-only");
	open_json_object("counters");
	for (i = 0; i < k->n_ctpio; i++) {
		snprintf(fmt, sizeof(fmt), " %s %%llu", k->ctpio[i].name);
		print_uint(PRINT_ANY, k->ctpio[i].name, fmt, k->ctpio[i].value);
	}
	close_json_object();
	close_json_object();
	print_nl();
}

static void print_attached(const struct hp_port *p)
{
	print_string(PRINT_ANY, "driver", " driver %s", p->driver);
	print_nl();
	print_bool(PRINT_ANY, "stats", "  stats %s", p->stats_enabled);
	print_bool(PRINT_ANY, "probes", "  probes %s", p->probes);
	print_nl();
	print_knobs(p);
	open_json_object("ptp");
	if (p->has_phc)
		print_uint(PRINT_ANY, "phc_index", "  ptp /dev/ptp%llu", p->phc_index);
	else
		print_null(PRINT_ANY, "phc_index", "  ptp none");
	if (p->has_phc_offset)
		print_int(PRINT_ANY, "phc_offset_ns", "  phc-offset %lldns", p->phc_offset_ns);
	else
		print_null(PRINT_ANY, "phc_offset_ns", "  phc-offset unmapped");
	close_json_object();
	close_json_object();
}

void print_port(const struct hp_port *p)
{
	unsigned int i;

	open_json_object(NULL);
	print_colour_string(PRINT_ANY, COL_BOLD, "ifname", "%s", p->ifname);
	print_uint(PRINT_ANY, "ifindex", ": ifindex %llu", p->ifindex);
	print_string(PRINT_JSON, "kind", NULL, kind_name(p->kind));
	if (p->kind == HOTPATH_KIND_ATTACHED) {
		print_attached(p);
		return;
	}
	print_string(PRINT_JSON, "driver", NULL, p->driver);
	if (p->has_peer) {
		print_string(PRINT_ANY, "peer", " peer %s", p->peer_ifname);
		print_uint(PRINT_ANY, "peer_ifindex", " (ifindex %llu)", p->peer_ifindex);
	} else {
		print_null(PRINT_JSON, "peer", NULL);
		print_null(PRINT_JSON, "peer_ifindex", NULL);
	}
	print_nl();
	print_colour_string(PRINT_ANY, COL_GREEN, "rx_mode", "  rx-mode %s",
			    rx_mode_name(p->rx_mode));
	print_uint(PRINT_ANY, "busy_poll_fallback_us", "  busy-poll-fallback-us %llu",
		   p->busy_poll_fallback_us);
	print_colour_bool(PRINT_ANY, COL_GREEN, "tx_push", "  tx-push %s", p->tx_push);
	print_bool(PRINT_ANY, "stats", "  stats %s", p->stats_enabled);
	print_bool(PRINT_ANY, "probes", "  probes %s", p->probes);
	print_nl();

	open_json_object("rings");
	print_uint(PRINT_ANY, "rx", "  rings rx %llu", p->rx_ring);
	print_uint(PRINT_ANY, "tx", " tx %llu", p->tx_ring);
	close_json_object();
	print_nl();

	open_json_object("ptp");
	print_uint(PRINT_ANY, "phc_index", "  ptp /dev/ptp%llu", p->phc_index);
	print_int(PRINT_ANY, "phc_drift_ppb", "  phc-drift-ppb %lld", p->phc_drift_ppb);
	print_bool(PRINT_ANY, "hwtstamp_tx", "  hwtstamp tx %s", p->hwts_tx);
	print_string(PRINT_ANY, "hwtstamp_rx_filter", " rx-filter %s", p->hwts_rx ? "all" : "none");
	close_json_object();
	print_nl();

	open_json_object("ctpio");
	print_colour_string(PRINT_ANY, COL_GREEN, "mode", "  ctpio %s", ctpio_name(p->ctpio_mode));
	print_uint(PRINT_ANY, "thresh", "  ctpio-thresh %llu", p->ctpio_thresh);
	print_uint(PRINT_ANY, "max_frame", "  ctpio-max-frame %llu", p->ctpio_max_frame);
	print_uint(PRINT_ANY, "underrun_ppm", "  ctpio-underrun-ppm %llu", p->ctpio_underrun_ppm);
	close_json_object();
	print_nl();

	open_json_object("coalesce");
	print_uint(PRINT_ANY, "rx_usecs", "  coalesce rx-usecs %llu", p->rx_usecs);
	print_uint(PRINT_ANY, "rx_frames", "  rx-frames %llu", p->rx_frames);
	print_uint(PRINT_ANY, "tx_usecs", "  tx-usecs %llu", p->tx_usecs);
	print_uint(PRINT_ANY, "tx_frames", "  tx-frames %llu", p->tx_frames);
	print_bool(PRINT_ANY, "adaptive_rx", "  adaptive-rx %s", p->adaptive_rx);
	print_bool(PRINT_ANY, "adaptive_tx", "  adaptive-tx %s", p->adaptive_tx);
	close_json_object();
	print_nl();

	open_json_object("model");
	print_string(PRINT_ANY, "timing", "  model timing %s", timing_name(p->timing));
	for (i = 0; i < hp_nr_figures; i++) {
		const struct hp_figure *f = &hp_figures[i];
		/* the second row starts under the first figure, "model" indent */
		bool wrap = f->row > 1 && (!i || hp_figures[i - 1].row == 1);
		char fmt[64];

		if (wrap)
			print_nl();
		snprintf(fmt, sizeof(fmt), "%s %s%s", wrap ? "       " : " ", f->key,
			 f->bandwidth ? " %s" : " %lluns");
		if (f->bandwidth)
			print_mbps(PRINT_ANY, f->json, fmt, hp_port_figure_get(p, f));
		else
			print_uint(PRINT_ANY, f->json, fmt, hp_port_figure_get(p, f));
	}
	close_json_object();
	close_json_object();
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
	open_json_array(NULL);
	for (i = 0; i < n; i++) {
		if (ports[i].kind == HOTPATH_KIND_ATTACHED)
			nic_read(&ports[i]);
		if (i)
			print_text("\n");
		print_port(&ports[i]);
		print_text("\n");
	}
	close_json_array();
	print_json_nl();
	free(ports);
	return 0;
}
