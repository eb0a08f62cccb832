// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath set DEV KEY VALUE [KEY VALUE ...]: one PORT_SET request carrying
 * every pair, so the kernel applies all of them or none.  Values are only
 * parsed here; ranges are the kernel's to check, so its message is the one
 * the user sees.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "hotpath.h"

enum val_kind {
	V_RX_MODE, V_ONOFF, V_CTPIO, V_TIMING, V_PROFILE,
	V_UINT, V_USECS, V_NS, V_MBPS, V_LINK, V_SINT,
};

/* The value kinds of the model's figures (include/hotpath/figures.h). */
#define V_FIGURE_ns	V_NS
#define V_FIGURE_mbps	V_MBPS
#define V_FIGURE_link	V_LINK

/* ... and of the other numeric settings (include/hotpath/settings.h). */
#define V_SETTING_usecs	V_USECS
#define V_SETTING_count	V_UINT
#define NEST_port	0
#define NEST_ctpio	HOTPATH_A_CTPIO
#define NEST_coalesce	HOTPATH_A_COALESCE
#define HP_SET_SETTING(nest, a, field, key, kind, min, max, def)	\
	{ key, NEST_##nest, HOTPATH_##a, V_SETTING_##kind },
#define V_SWITCH_rx_mode	V_RX_MODE
#define V_SWITCH_onoff	V_ONOFF
#define HP_SET_SWITCH(nest, a, field, key, words, max, def)		\
	{ key, NEST_##nest, HOTPATH_##a, V_SWITCH_##words },

static const struct set_key {
	const char *key;
	int nest;	/* 0: top level, else HOTPATH_A_CTPIO/COALESCE/MODEL */
	int attr;
	enum val_kind kind;
} set_keys[] = {
	HP_PORT_SWITCHES(HP_SET_SWITCH)
	HP_PORT_SETTINGS(HP_SET_SETTING)
	{ "ctpio", HOTPATH_A_CTPIO, HOTPATH_CTPIO_A_MODE, V_CTPIO },
	HP_CTPIO_SETTINGS(HP_SET_SETTING)
	HP_COALESCE_SETTINGS(HP_SET_SETTING)
	HP_COALESCE_SWITCHES(HP_SET_SWITCH)
	{ "profile", HOTPATH_A_MODEL, HOTPATH_MODEL_A_PROFILE, V_PROFILE },
	{ "timing", HOTPATH_A_MODEL, HOTPATH_MODEL_A_TIMING, V_TIMING },
#define HP_SET_FIGURE(a, field, key, kind, realistic, seed, row)	\
	{ key, HOTPATH_A_MODEL, HOTPATH_MODEL_A_##a, V_FIGURE_##kind },
	HP_MODEL_FIGURES(HP_SET_FIGURE)
#undef HP_SET_FIGURE
	{ "phc-drift-ppb", 0, HOTPATH_A_PHC_DRIFT_PPB, V_SINT },
#undef HP_SET_SETTING
#undef HP_SET_SWITCH
};

#define N_KEYS (ARRAY_SIZE(set_keys))

static int word(const char *s, const char *const *words, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (words[i] && !strcmp(s, words[i]))
			return i;
	return -1;
}

static int pick(const char *s, const char *const *words, unsigned int n, uint64_t *out)
{
	int v = word(s, words, n);

	if (v < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* A non-negative number with an optional unit; @units lists suffix/scale. */
static int scaled(const char *s, const char *const *suffix, const double *scale,
		  unsigned int n, uint64_t *out)
{
	char *end;
	double v;
	unsigned int i;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	v = strtod(s, &end);
	if (end == s || !isfinite(v))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!strcmp(end, suffix[i]))
			break;
	if (i == n)
		return -EINVAL;
	v = v * scale[i];
	if (v > UINT32_MAX || v != floor(v))
		return -ERANGE;
	*out = (uint64_t)v;
	return 0;
}

/* A signed 32-bit integer, stored as its two's complement in @out. */
static int sint(const char *s, uint64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end)
		return -EINVAL;
	if (errno || v < INT32_MIN || v > INT32_MAX)
		return -ERANGE;
	*out = (uint32_t)(int32_t)v;
	return 0;
}

static const char *const onoff[] = { "off", "on" };
static const char *const links[] = { "1g", "10g", "25g", "40g", "100g" };

/*
 * What each kind of value looks like: the words of an enumerated one (their
 * index is the value sent), or the placeholder of `hotpath help` and the
 * example of the error message.  `help`, the parser and the messages all
 * read this table.
 */
static const struct {
	const char *const *words;
	unsigned int n_words;
	const char *syntax;	/* help: after the words, or alone */
	const char *expected;	/* error: after the words, or alone */
	const char *shown;	/* in place of the words, in their users' order */
} kinds[] = {
	[V_RX_MODE] = { hp_rx_mode_words, ARRAY_SIZE(hp_rx_mode_words) },
	[V_ONOFF] = { onoff, ARRAY_SIZE(onoff), .shown = "on|off" },
	[V_CTPIO] = { hp_ctpio_words, ARRAY_SIZE(hp_ctpio_words) },
	[V_TIMING] = { hp_timing_words, ARRAY_SIZE(hp_timing_words) },
	[V_PROFILE] = { hp_profile_words, ARRAY_SIZE(hp_profile_words) },
	[V_UINT] = { NULL, 0, "N", "a number" },
	[V_USECS] = { NULL, 0, "US", "microseconds, e.g. 50 or 50us" },
	[V_NS] = { NULL, 0, "T", "nanoseconds, e.g. 300, 300ns or 1.5us" },
	[V_MBPS] = { NULL, 0, "BW", "Mb/s or with a unit, e.g. 26g or 500m" },
	/* the words are examples here: any bandwidth goes */
	[V_LINK] = { links, ARRAY_SIZE(links), "BW", "Mb/s" },
	[V_SINT] = { NULL, 0, "INT", "an integer, e.g. -2500" },
};

static int parse_value(const struct set_key *k, const char *s, uint64_t *out)
{
	static const char *const ns_sfx[] = { "", "ns", "us", "ms" };
	static const double ns_scale[] = { 1, 1, 1e3, 1e6 };
	static const char *const us_sfx[] = { "", "us", "ms", "s" };
	static const double us_scale[] = { 1, 1, 1e3, 1e6 };
	static const char *const bw_sfx[] = { "", "m", "M", "g", "G", "mbit", "gbit" };
	static const double bw_scale[] = { 1, 1, 1, 1e3, 1e3, 1, 1e3 };
	static const char *const int_sfx[] = { "" };
	static const double int_scale[] = { 1 };

	switch (k->kind) {
	case V_RX_MODE:
	case V_ONOFF:
	case V_CTPIO:
	case V_TIMING:
	case V_PROFILE:
		return pick(s, kinds[k->kind].words, kinds[k->kind].n_words, out);
	case V_UINT:
		return scaled(s, int_sfx, int_scale, 1, out);
	case V_USECS:
		return scaled(s, us_sfx, us_scale, 4, out);
	case V_NS:
		return scaled(s, ns_sfx, ns_scale, 4, out);
	case V_MBPS:
	case V_LINK:
		return scaled(s, bw_sfx, bw_scale, 7, out);
	case V_SINT:
		return sint(s, out);
	}
	return -EINVAL;
}

/* The words joined by '|', then " or "/"|" @tail: "on|off", "1g|...|100g or Mb/s". */
static void print_kind(FILE *f, enum val_kind kind, bool help)
{
	const char *tail = help ? kinds[kind].syntax : kinds[kind].expected;
	unsigned int i;

	if (kinds[kind].shown)
		fputs(kinds[kind].shown, f);
	for (i = 0; !kinds[kind].shown && i < kinds[kind].n_words; i++)
		fprintf(f, "%s%s", i ? "|" : "", kinds[kind].words[i]);
	if (tail)
		fprintf(f, "%s%s", !kinds[kind].n_words ? "" : help ? "|" : " or ", tail);
}

/* `hotpath help`: every key of the table with its value. */
void set_print_keys(FILE *f)
{
	unsigned int i;

	for (i = 0; i < N_KEYS; i++) {
		fprintf(f, "  %-22s ", set_keys[i].key);
		print_kind(f, set_keys[i].kind, true);
		fputc('\n', f);
	}
}

static int put(struct nl_msg *msg, const struct set_key *k, uint64_t v)
{
	switch (k->kind) {
	case V_RX_MODE: case V_ONOFF: case V_CTPIO: case V_TIMING: case V_PROFILE:
		return nla_put_u8(msg, k->attr, (uint8_t)v);
	default:
		return nla_put_u32(msg, k->attr, (uint32_t)v);
	}
}

/*
 * Stats on for another driver's device with a PHC: tell the module where
 * the PHC stands against CLOCK_MONOTONIC, so that the NIC's time stamps
 * become stages (tx_nic, rx_nic).  Setting stats on again remaps (a free-
 * running PHC drifts by its oscillator's error).  A device without a PHC
 * has no hardware stages: nothing to do.
 */
static int map_phc(const char *dev)
{
	struct hp_port *ports = NULL;
	struct nl_msg *msg;
	unsigned int n;
	int64_t offset;
	int err;

	err = hp_nl_get_ports(dev, "set", &ports, &n);
	if (err || n != 1 || ports[0].kind != HOTPATH_KIND_ATTACHED || !ports[0].has_phc)
		goto out;
	err = phc_offset_to_monotonic("set", ports[0].phc_index, &offset);
	if (err)
		goto out;
	msg = hp_nl_new_request(HOTPATH_CMD_PORT_SET, dev, false);
	if (!msg || nla_put_s64(msg, HOTPATH_A_PHC_OFFSET_NS, offset) < 0) {
		nlmsg_free(msg);
		err = -ENOMEM;
		goto out;
	}
	err = hp_nl_exec(msg, "set", NULL, NULL);
	nlmsg_free(msg);
out:
	free(ports);
	return err;
}

int set_send(const char *dev, const struct set_key *const *keys, const uint64_t *vals,
	     unsigned int n)
{
	static const int nests[] = { 0, HOTPATH_A_CTPIO, HOTPATH_A_COALESCE, HOTPATH_A_MODEL };
	struct nl_msg *msg;
	unsigned int i, j;
	int err;

	msg = hp_nl_new_request(HOTPATH_CMD_PORT_SET, dev, false);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(nests); i++) {
		struct nlattr *nest = NULL;
		bool any = false;

		for (j = 0; j < n; j++)
			any |= keys[j]->nest == nests[i];
		if (!any)
			continue;
		if (nests[i]) {
			nest = nla_nest_start(msg, nests[i]);
			if (!nest)
				goto err_size;
		}
		for (j = 0; j < n; j++)
			if (keys[j]->nest == nests[i] && put(msg, keys[j], vals[j]) < 0)
				goto err_size;
		if (nest)
			nla_nest_end(msg, nest);
	}
	err = hp_nl_exec(msg, "set", NULL, NULL);
	nlmsg_free(msg);
	return err;

err_size:
	nlmsg_free(msg);
	fprintf(stderr, "%s: set: %s\n", prog, strerror(EMSGSIZE));
	return -EMSGSIZE;
}

/*
 * Another driver's device: the keys its driver has a knob for go to
 * ethtool (nic.c), the rest to the module, in one all-or-nothing request.
 */
static int set_nic(const char *dev, const struct set_key *const *keys, const uint64_t *vals,
		   unsigned int n, const struct hp_port *p, bool found)
{
	const struct set_key *rest[N_KEYS];
	uint64_t rest_vals[N_KEYS];
	bool want[HP_KNOBS] = { false }, attached = found && p->stats_enabled;
	uint32_t val[HP_KNOBS] = { 0 };
	unsigned int i, n_rest = 0;
	int knob;

	for (i = 0; i < n; i++) {
		knob = nic_knob_of(keys[i]->key);
		if (knob >= 0) {
			want[knob] = true;
			val[knob] = (uint32_t)vals[i];
			continue;
		}
		if (keys[i]->attr == HOTPATH_A_STATS_ENABLED)
			attached = vals[i];
		rest[n_rest] = keys[i];
		rest_vals[n_rest++] = vals[i];
	}
	return nic_set(dev, want, val, attached, rest, rest_vals, n_rest);
}

int cmd_set(int argc, char **argv)
{
	const struct set_key *keys[N_KEYS];
	uint64_t vals[N_KEYS];
	struct hp_port port;
	unsigned int i, j, n = 0;
	bool knobs = false, found;
	int err;

	if (argc < 4 || (argc - 2) % 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 2; i < (unsigned int)argc; i += 2) {
		const struct set_key *k = NULL;

		for (j = 0; j < N_KEYS; j++)
			if (!strcmp(argv[i], set_keys[j].key))
				k = &set_keys[j];
		if (!k) {
			fprintf(stderr, "%s: set: %s: unknown key '%s'\n", prog,
				strerror(EINVAL), argv[i]);
			return EXIT_USAGE;
		}
		err = parse_value(k, argv[i + 1], &vals[n]);
		if (err) {
			fprintf(stderr, "%s: set: %s: %s: '%s' is not valid (expected ", prog,
				strerror(-err), k->key, argv[i + 1]);
			print_kind(stderr, k->kind, false);
			fprintf(stderr, ")\n");
			return EXIT_USAGE;
		}
		/* a repeated key: the last one wins */
		for (j = 0; j < n; j++)
			if (keys[j] == k)
				break;
		keys[j] = k;
		vals[j] = vals[n];
		if (j == n)
			n++;
		knobs |= nic_knob_of(k->key) >= 0;
	}

	if (hp_nl_open() < 0)
		return EXIT_FAIL;
	/*
	 * The module names what it refuses, for a port or not, and a device
	 * that does not exist; the knobs of another driver's device are
	 * ethtool's.
	 */
	found = knobs && !hp_nl_find_port(argv[1], &port);
	if (knobs && (found ? port.kind == HOTPATH_KIND_ATTACHED : !!if_nametoindex(argv[1])))
		err = set_nic(argv[1], keys, vals, n, &port, found);
	else
		err = set_send(argv[1], keys, vals, n);
	if (err)
		return EXIT_FAIL;
	for (i = 0; i < n; i++)
		if (keys[i]->attr == HOTPATH_A_STATS_ENABLED && vals[i])
			return map_phc(argv[1]) ? EXIT_FAIL : 0;
	return 0;
}
