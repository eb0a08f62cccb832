// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the protocol's enums and attributes as the CLI and its JSON show
 * them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotpath.h"

static const char *name(const char *const *tbl, size_t n, unsigned int v)
{
	return v < n && tbl[v] ? tbl[v] : "unknown";
}

/* The enums' words: what `show` prints and what `set` takes (set.c). */
const char *const hp_rx_mode_words[HOTPATH_RX_MODE_MAX + 1] = {
	[HOTPATH_RX_MODE_INTERRUPT] = "interrupt",
	[HOTPATH_RX_MODE_BUSY_POLL] = "busy-poll",
};

const char *const hp_ctpio_words[HOTPATH_CTPIO_MAX + 1] = {
	[HOTPATH_CTPIO_OFF] = "off",
	[HOTPATH_CTPIO_CT] = "ct",
	[HOTPATH_CTPIO_SF] = "sf",
	[HOTPATH_CTPIO_SF_NP] = "sf-np",
};

const char *const hp_timing_words[HOTPATH_TIMING_MAX + 1] = {
	[HOTPATH_TIMING_ENFORCED] = "enforced",
	[HOTPATH_TIMING_ACCOUNTED] = "accounted",
};

const char *const hp_profile_words[HOTPATH_PROFILE_MAX + 1] = {
	[HOTPATH_PROFILE_REALISTIC] = "realistic",
	[HOTPATH_PROFILE_SEED] = "seed",
};

static const char *const sources[] = {
	[HOTPATH_SOURCE_MEASURED] = "measured",
	[HOTPATH_SOURCE_MODELLED] = "modelled",
};

static const char *const kinds[] = {
	[HOTPATH_KIND_PORT] = "port",
	[HOTPATH_KIND_ATTACHED] = "attached",
};

/*
 * Counter names, the JSON keys: the kernel's (counter-names-get), loaded by
 * hp_nl_load_counter_names() before anything is printed.
 */
static char *counters[HP_COUNTERS_MAX];

/* CLI keys of the attributes, to name the one the kernel rejected. */
#define HP_NAME_SETTING(nest, a, field, key, kind, min, max, def)	\
	[HOTPATH_##a] = key,
#define HP_NAME_SWITCH(nest, a, field, key, words, max, def)		\
	[HOTPATH_##a] = key,
static const char *const port_keys[] = {
	[HOTPATH_A_IFINDEX] = "ifindex",
	[HOTPATH_A_IFNAME] = "device",
	[HOTPATH_A_PEER_IFINDEX] = "peer-ifindex",
	[HOTPATH_A_PEER_IFNAME] = "peer",
	HP_PORT_SWITCHES(HP_NAME_SWITCH)
	HP_PORT_SETTINGS(HP_NAME_SETTING)
	[HOTPATH_A_RX_RING_SIZE] = "rx-ring",
	[HOTPATH_A_TX_RING_SIZE] = "tx-ring",
	[HOTPATH_A_CTPIO] = "ctpio",
	[HOTPATH_A_COALESCE] = "coalesce",
	[HOTPATH_A_MODEL] = "model",
	[HOTPATH_A_PHC_INDEX] = "phc-index",
	[HOTPATH_A_PHC_DRIFT_PPB] = "phc-drift-ppb",
	[HOTPATH_A_HWTSTAMP_TX] = "hwtstamp-tx",
	[HOTPATH_A_HWTSTAMP_RX_FILTER] = "hwtstamp-rx-filter",
};

static const char *const ctpio_keys[] = {
	[HOTPATH_CTPIO_A_MODE] = "ctpio",
	HP_CTPIO_SETTINGS(HP_NAME_SETTING)
};

static const char *const coalesce_keys[] = {
	HP_COALESCE_SETTINGS(HP_NAME_SETTING)
	HP_COALESCE_SWITCHES(HP_NAME_SWITCH)
};

static const char *const model_keys[] = {
	[HOTPATH_MODEL_A_PROFILE] = "profile",
	[HOTPATH_MODEL_A_TIMING] = "timing",
#define HP_NAME_FIGURE(a, field, key, kind, realistic, seed, row)	\
	[HOTPATH_MODEL_A_##a] = key,
	HP_MODEL_FIGURES(HP_NAME_FIGURE)
#undef HP_NAME_FIGURE
};

#define HP_FIGURE_BW_ns		false
#define HP_FIGURE_BW_mbps	true
#define HP_FIGURE_BW_link	true
#define HP_FIGURE(a, field, key, kind, realistic, seed, row)			\
	{ HOTPATH_MODEL_A_##a, offsetof(struct hp_port, field), key, #field,	\
	  HP_FIGURE_BW_##kind, row },
const struct hp_figure hp_figures[] = {
	HP_MODEL_FIGURES(HP_FIGURE)
};

#undef HP_FIGURE

const unsigned int hp_nr_figures = ARRAY_SIZE(hp_figures);

const char *rx_mode_name(unsigned int v)
{
	return name(hp_rx_mode_words, ARRAY_SIZE(hp_rx_mode_words), v);
}

const char *ctpio_name(unsigned int v)
{
	return name(hp_ctpio_words, ARRAY_SIZE(hp_ctpio_words), v);
}

const char *timing_name(unsigned int v)
{
	return name(hp_timing_words, ARRAY_SIZE(hp_timing_words), v);
}

const char *source_name(unsigned int v)
{
	return name(sources, ARRAY_SIZE(sources), v);
}

const char *kind_name(unsigned int v)
{
	return name(kinds, ARRAY_SIZE(kinds), v);
}

int counter_name_set(unsigned int id, const char *v)
{
	char *copy;

	if (id >= ARRAY_SIZE(counters))
		return 0;
	copy = strdup(v);
	if (!copy)
		return -ENOMEM;
	free(counters[id]);
	counters[id] = copy;
	return 0;
}

const char *counter_name(unsigned int id, char *buf, size_t len)
{
	if (id < ARRAY_SIZE(counters) && counters[id])
		return counters[id];
	snprintf(buf, len, "counter_%u", id);
	return buf;
}

const char *attr_key_name(int parent, int type)
{
	const char *const *tbl = port_keys;
	size_t n = ARRAY_SIZE(port_keys);

	switch (parent) {
	case HOTPATH_A_CTPIO:
		tbl = ctpio_keys;
		n = ARRAY_SIZE(ctpio_keys);
		break;
	case HOTPATH_A_COALESCE:
		tbl = coalesce_keys;
		n = ARRAY_SIZE(coalesce_keys);
		break;
	case HOTPATH_A_MODEL:
		tbl = model_keys;
		n = ARRAY_SIZE(model_keys);
		break;
	}
	return type >= 0 && (size_t)type < n ? tbl[type] : NULL;
}
