// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath set on another driver's device: its coalescing and TX push are
 * the driver's own, reached through ethtool's netlink (ethtool.c); the
 * rest of the request (stats, rx-mode's busy-poll knobs) is the module's.
 * The request is all or nothing, as one PORT_SET is for a port:
 *  1. what the driver reports now is read (the values to go back to);
 *  2. each knob is checked without a change: ethtool refuses a parameter
 *     the driver does not offer before it compares values, so setting a
 *     knob to the value it has tells whether the driver takes it at all;
 *  3. the knobs are set, one ethtool request per message (coalescing,
 *     rings); a driver that refuses a value leaves them as step 1 read;
 *  4. the module's part, the last step, is one request the kernel applies
 *     whole or refuses whole; refused, the knobs go back to step 1's.
 * What the driver granted is then read back and printed: drivers round
 * and reinterpret (e1000e stores an interrupt rate, igb and e1000e take
 * small rx-usecs as modes).
 */
#include <errno.h>
#include <string.h>

#include "hotpath.h"

int nic_knob_of(const char *key)
{
	unsigned int i;

	for (i = 0; i < HP_KNOBS; i++)
		if (!strcmp(key, hp_knob_list[i].key))
			return (int)i;
	return -1;
}

/* show and monitor only: set needs no counters */
void nic_read(struct hp_port *p)
{
	p->knobs.read = !hp_ethtool_read(p->ifname, &p->knobs);
	if (p->knobs.read)
		hp_ethtool_ctpio_counters(p->ifname, &p->knobs);
}

/* "rx-usecs, tx-usecs": the knobs of @want, for messages. */
static const char *knob_list(const bool *want, char *buf, size_t len)
{
	unsigned int i;
	size_t off = 0;

	buf[0] = '\0';
	for (i = 0; i < HP_KNOBS && off < len; i++)
		if (want[i])
			off += snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
					hp_knob_list[i].key);
	return buf;
}

/* Back to what @before read; says so if even that fails. */
static void restore(const char *dev, const bool *want, const struct hp_knobs *before)
{
	bool back[HP_KNOBS] = { false };
	char extack[256];
	unsigned int i;
	int err;

	for (i = 0; i < HP_KNOBS; i++)
		back[i] = want[i] && before->have[i];
	err = hp_ethtool_set(dev, back, before->val, extack, sizeof(extack));
	if (err)
		fprintf(stderr, "%s: set: %s: could not put %s back: %s%s%s\n", prog, dev,
			knob_list(back, extack, sizeof(extack)), strerror(-err),
			extack[0] ? ": " : "", extack);
}

/* Step 2: each knob the driver does not take, refused by name. */
static int check_offered(const char *dev, const char *driver, const bool *want,
			 const struct hp_knobs *now)
{
	char extack[256];
	unsigned int i;
	int err;

	for (i = 0; i < HP_KNOBS; i++) {
		bool one[HP_KNOBS] = { false };

		if (!want[i])
			continue;
		one[i] = true;
		err = hp_ethtool_set(dev, one, now->val, extack, sizeof(extack));
		if (!err)
			continue;
		fprintf(stderr, "%s: set: %s: %s: not supported by %s%s%s%s\n", prog,
			strerror(-err), hp_knob_list[i].key, driver,
			extack[0] ? " (ethtool: " : "", extack, extack[0] ? ")" : "");
		return err;
	}
	return 0;
}

/* What the driver granted, against what was asked. */
static void print_granted(const char *dev, const char *driver, const bool *want,
			  const uint32_t *val)
{
	struct hp_knobs after;
	bool mode = false;
	unsigned int i;

	if (hp_ethtool_read(dev, &after))
		return;
	printf("%s: %s granted", dev, driver);
	for (i = 0; i < HP_KNOBS; i++) {
		if (!want[i])
			continue;
		if (hp_knob_list[i].u8)
			printf(" %s %s", hp_knob_list[i].key, after.val[i] ? "on" : "off");
		else
			printf(" %s %u", hp_knob_list[i].key, after.val[i]);
		if (after.val[i] != val[i])
			printf(" (asked %u)", val[i]);
		mode |= (i == HP_KNOB_RX_USECS || i == HP_KNOB_TX_USECS) &&
			after.val[i] >= 1 && after.val[i] <= 4;
	}
	putchar('\n');
	if (mode && (!strcmp(driver, "igb") || !strcmp(driver, "e1000e")))
		printf("%s: %s reads rx-usecs 1 to 4 as %s\n", dev, driver,
		       "moderation modes (1 and 3: dynamic), not microseconds");
}

int nic_set(const char *dev, const bool *want, const uint32_t *val, bool attached,
	    const struct set_key *const *rest, const uint64_t *rest_vals, unsigned int n_rest)
{
	struct hp_knobs before;
	char driver[HP_DRIVER_LEN], extack[256], keys[128];
	int err;

	/* the knobs are set through hotpath only while it accounts the device */
	if (!attached) {
		fprintf(stderr, "%s: set: %s: %s: %s is %s (set %s stats on, %s)\n", prog,
			strerror(ENODEV), knob_list(want, keys, sizeof(keys)), dev,
			"not a hotpath port, nor a device with stats attached", dev,
			"in this request or before");
		return -ENODEV;
	}
	hp_ethtool_driver(dev, driver, sizeof(driver));
	err = hp_ethtool_read(dev, &before);
	if (err) {
		fprintf(stderr, "%s: set: %s: %s's ethtool settings: %s\n", prog, dev, driver,
			strerror(-err));
		return err;
	}
	err = check_offered(dev, driver, want, &before);
	if (err)
		return err;
	err = hp_ethtool_set(dev, want, val, extack, sizeof(extack));
	if (err) {
		restore(dev, want, &before);
		fprintf(stderr, "%s: set: %s: %s: %s refused the values%s%s%s\n", prog,
			strerror(-err), knob_list(want, keys, sizeof(keys)), driver,
			extack[0] ? " (ethtool: " : "", extack, extack[0] ? ")" : "");
		return err;
	}
	if (n_rest) {
		err = set_send(dev, rest, rest_vals, n_rest);
		if (err) {
			restore(dev, want, &before);
			return err;
		}
	}
	print_granted(dev, driver, want, val);
	return 0;
}
