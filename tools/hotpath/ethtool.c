// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's ethtool interface, for another driver's device: its
 * coalescing and TX push through ethtool's own generic netlink family
 * (what `ethtool -c/-C/-g/-G` speak), the family's "monitor" group for
 * changes made by anyone, and the ioctl for what netlink does not carry
 * on 6.1 (driver name, `ethtool -S`).  hotpath drives the knobs the
 * kernel has rather than keeping copies of them: what the driver granted
 * is what is read back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/sockios.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "hotpath.h"

/* One request type of the family, and its header attribute. */
struct ethnl_msg {
	uint8_t get, set, ntf;
	uint16_t header;
};

static const struct ethnl_msg ethnl_coalesce = {
	ETHTOOL_MSG_COALESCE_GET, ETHTOOL_MSG_COALESCE_SET, ETHTOOL_MSG_COALESCE_NTF,
	ETHTOOL_A_COALESCE_HEADER,
};

static const struct ethnl_msg ethnl_rings = {
	ETHTOOL_MSG_RINGS_GET, ETHTOOL_MSG_RINGS_SET, ETHTOOL_MSG_RINGS_NTF,
	ETHTOOL_A_RINGS_HEADER,
};

/* The knobs, in enum hp_knob_id order: hotpath's key, ethtool's attribute. */
const struct hp_knob hp_knob_list[HP_KNOBS] = {
	[HP_KNOB_RX_USECS]	= { "rx-usecs", "rx_usecs", &ethnl_coalesce,
				    ETHTOOL_A_COALESCE_RX_USECS, false },
	[HP_KNOB_RX_FRAMES]	= { "rx-frames", "rx_frames", &ethnl_coalesce,
				    ETHTOOL_A_COALESCE_RX_MAX_FRAMES, false },
	[HP_KNOB_TX_USECS]	= { "tx-usecs", "tx_usecs", &ethnl_coalesce,
				    ETHTOOL_A_COALESCE_TX_USECS, false },
	[HP_KNOB_TX_FRAMES]	= { "tx-frames", "tx_frames", &ethnl_coalesce,
				    ETHTOOL_A_COALESCE_TX_MAX_FRAMES, false },
	[HP_KNOB_ADAPTIVE_RX]	= { "adaptive-rx", "adaptive_rx", &ethnl_coalesce,
				    ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX, true },
	[HP_KNOB_ADAPTIVE_TX]	= { "adaptive-tx", "adaptive_tx", &ethnl_coalesce,
				    ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX, true },
	[HP_KNOB_TX_PUSH]	= { "tx-push", "tx_push", &ethnl_rings,
				    ETHTOOL_A_RINGS_TX_PUSH, true },
};

/* The attributes of either message a reply or notification can carry. */
#define ETHNL_MAX	((int)ETHTOOL_A_COALESCE_MAX > (int)ETHTOOL_A_RINGS_MAX ? \
			 (int)ETHTOOL_A_COALESCE_MAX : (int)ETHTOOL_A_RINGS_MAX)

static struct nl_sock *esk;
static int efamily = -1;

static int ethnl_connect(struct nl_sock **s)
{
	*s = hp_nl_socket();
	if (!*s)
		return -ENOMEM;
	if (efamily < 0)
		efamily = genl_ctrl_resolve(*s, ETHTOOL_GENL_NAME);
	if (efamily < 0) {
		fprintf(stderr, "%s: %s\n", prog,
			"the kernel has no ethtool netlink family (CONFIG_ETHTOOL_NETLINK)");
		nl_socket_free(*s);
		*s = NULL;
		return -ENOENT;
	}
	return 0;
}

static struct nl_msg *ethnl_request(uint8_t cmd, uint16_t header, const char *dev)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *h;

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, efamily, 0, 0, cmd,
			 ETHTOOL_GENL_VERSION))
		goto err;
	h = nla_nest_start(msg, header);
	if (!h || nla_put_string(msg, ETHTOOL_A_HEADER_DEV_NAME, dev) < 0)
		goto err;
	nla_nest_end(msg, h);
	return msg;
err:
	nlmsg_free(msg);
	return NULL;
}

struct ethnl_reply {
	const struct ethnl_msg *m;
	struct hp_knobs *k;
};

/* A GET reply: the knobs of that message the driver reports. */
static int ethnl_read_cb(struct nl_msg *msg, void *arg)
{
	struct ethnl_reply *r = arg;
	struct nlattr *tb[ETHNL_MAX + 1];
	unsigned int i;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, ETHNL_MAX, NULL) < 0)
		return NL_OK;
	for (i = 0; i < HP_KNOBS; i++) {
		const struct nlattr *a = tb[hp_knob_list[i].attr];

		if (hp_knob_list[i].msg != r->m || !a)
			continue;
		r->k->have[i] = true;
		r->k->val[i] = hp_knob_list[i].u8 ? nla_get_u8((struct nlattr *)a) :
						nla_get_u32((struct nlattr *)a);
	}
	return NL_OK;
}

static int ethnl_read_msg(const char *dev, const struct ethnl_msg *m, struct hp_knobs *k)
{
	struct ethnl_reply r = { m, k };
	struct nl_msg *msg = ethnl_request(m->get, m->header, dev);
	char extack[256];
	int err;

	if (!msg)
		return -ENOMEM;
	err = hp_nl_exec_on(esk, msg, "ethtool", ethnl_read_cb, &r, extack, sizeof(extack));
	nlmsg_free(msg);
	/* a driver without coalescing or ring parameters: none of them */
	return err == -EOPNOTSUPP ? 0 : err;
}

int hp_ethtool_read(const char *dev, struct hp_knobs *k)
{
	int err;

	memset(k, 0, sizeof(*k));
	if (!esk && ethnl_connect(&esk))
		return -ENOENT;
	err = ethnl_read_msg(dev, &ethnl_coalesce, k);
	if (!err)
		err = ethnl_read_msg(dev, &ethnl_rings, k);
	return err;
}

int hp_ethtool_set(const char *dev, const bool *want, const uint32_t *val,
		   char *extack, size_t len)
{
	const struct ethnl_msg *msgs[] = { &ethnl_coalesce, &ethnl_rings };
	unsigned int i, j;
	int err = 0;

	if (!esk && ethnl_connect(&esk))
		return -ENOENT;
	for (j = 0; j < ARRAY_SIZE(msgs) && !err; j++) {
		struct nl_msg *msg = NULL;
		bool any = false;

		for (i = 0; i < HP_KNOBS; i++)
			any |= want[i] && hp_knob_list[i].msg == msgs[j];
		if (!any)
			continue;
		msg = ethnl_request(msgs[j]->set, msgs[j]->header, dev);
		if (!msg)
			return -ENOMEM;
		for (i = 0; i < HP_KNOBS && !err; i++) {
			const struct hp_knob *k = &hp_knob_list[i];

			if (!want[i] || k->msg != msgs[j])
				continue;
			err = k->u8 ? nla_put_u8(msg, k->attr, (uint8_t)val[i]) :
				      nla_put_u32(msg, k->attr, val[i]);
		}
		if (!err)
			err = hp_nl_exec_on(esk, msg, "ethtool", NULL, NULL, extack, len);
		else
			err = -EMSGSIZE;
		nlmsg_free(msg);
	}
	return err;
}

/* The family's notifications: the device a change of a knob was made on. */
static int (*ethnl_monitor_fn)(const char *dev);

static int ethnl_monitor_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *g = genlmsg_hdr(nlmsg_hdr(msg));
	struct nlattr *tb[ETHNL_MAX + 1];
	struct nlattr *h[ETHTOOL_A_HEADER_MAX + 1];
	uint16_t header;
	char dev[IF_NAMESIZE];

	(void)arg;
	if (g->cmd == ETHTOOL_MSG_COALESCE_NTF)
		header = ETHTOOL_A_COALESCE_HEADER;
	else if (g->cmd == ETHTOOL_MSG_RINGS_NTF)
		header = ETHTOOL_A_RINGS_HEADER;
	else
		return NL_OK;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, ETHNL_MAX, NULL) < 0 || !tb[header] ||
	    nla_parse_nested(h, ETHTOOL_A_HEADER_MAX, tb[header], NULL) < 0 ||
	    !h[ETHTOOL_A_HEADER_DEV_NAME])
		return NL_OK;
	snprintf(dev, sizeof(dev), "%s", nla_get_string(h[ETHTOOL_A_HEADER_DEV_NAME]));
	return ethnl_monitor_fn(dev) ? NL_STOP : NL_OK;
}

struct nl_sock *hp_ethtool_monitor_sock(int (*cb)(const char *dev))
{
	struct nl_sock *s;
	int grp, err;

	if (ethnl_connect(&s))
		return NULL;
	grp = genl_ctrl_resolve_grp(s, ETHTOOL_GENL_NAME, ETHTOOL_MCGRP_MONITOR_NAME);
	err = grp < 0 ? grp : nl_socket_add_membership(s, grp);
	if (err < 0) {
		fprintf(stderr, "%s: monitor: ethtool's group \"%s\": %s\n", prog,
			ETHTOOL_MCGRP_MONITOR_NAME, nl_geterror(err));
		nl_socket_free(s);
		return NULL;
	}
	nl_socket_disable_seq_check(s);
	ethnl_monitor_fn = cb;
	nl_socket_modify_cb(s, NL_CB_VALID, NL_CB_CUSTOM, ethnl_monitor_cb, NULL);
	return s;
}

/* SIOCETHTOOL on @dev with @data; 0 or the negative errno. */
static int ethioc(const char *dev, void *data)
{
	struct ifreq ifr = { 0 };
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ifr.ifr_data = data;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		err = -errno;
	close(fd);
	return err;
}

const char *hp_ethtool_driver(const char *dev, char *buf, size_t len)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };

	if (ethioc(dev, &info) || !info.driver[0])
		snprintf(buf, len, "%s's driver", dev);
	else
		snprintf(buf, len, "%s", info.driver);
	return buf;
}

/*
 * The driver's CTPIO counters (`ethtool -S`, those named ctpio_*: sfc's
 * EF10 firmware counts cut-through sends and their fallbacks), none for
 * a driver without.
 */
void hp_ethtool_ctpio_counters(const char *dev, struct hp_knobs *k)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t len;
	} sset = { .hdr = { .cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ULL << ETH_SS_STATS } };
	struct ethtool_gstrings *strings = NULL;
	struct ethtool_stats *stats = NULL;
	uint32_t n, i;

	k->n_ctpio = 0;
	if (ethioc(dev, &sset) || !(sset.hdr.sset_mask & (1ULL << ETH_SS_STATS)))
		return;
	n = sset.len;
	strings = calloc(1, sizeof(*strings) + (size_t)n * ETH_GSTRING_LEN);
	stats = calloc(1, sizeof(*stats) + (size_t)n * sizeof(uint64_t));
	if (!n || !strings || !stats)
		goto out;
	strings->cmd = ETHTOOL_GSTRINGS;
	strings->string_set = ETH_SS_STATS;
	strings->len = n;
	stats->cmd = ETHTOOL_GSTATS;
	stats->n_stats = n;
	if (ethioc(dev, strings) || ethioc(dev, stats))
		goto out;
	for (i = 0; i < n && k->n_ctpio < ARRAY_SIZE(k->ctpio); i++) {
		const char *name = (const char *)strings->data + (size_t)i * ETH_GSTRING_LEN;

		if (strncmp(name, "ctpio_", 6))
			continue;
		snprintf(k->ctpio[k->n_ctpio].name, sizeof(k->ctpio[0].name), "%.*s",
			 ETH_GSTRING_LEN, name);
		k->ctpio[k->n_ctpio++].value = stats->data[i];
	}
out:
	free(strings);
	free(stats);
}
