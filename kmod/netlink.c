// SPDX-License-Identifier: GPL-2.0
/*
 * The "hotpath" generic netlink family: port configuration get/dump/set,
 * stage statistics get/dump/reset and the "config" multicast group.  The
 * protocol is specified in Documentation/netlink/specs/hotpath.yaml (YNL);
 * include/uapi/linux/hotpath.h is generated from it (make regen).
 *
 * Every handler runs under RTNL: the port configuration is RTNL-protected on
 * the writer side, and RTNL also keeps the ports from going away or moving
 * between namespaces while a message is built.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "attach.h"
#include "nicmode.h"
#include "config.h"
#include "counters.h"
#include "device.h"
#include "netlink.h"
#include "stages.h"

/*
 * One version: the release (VERSION, passed in by kmod/Kbuild) changes its
 * major number exactly when the protocol changes incompatibly, and that
 * number is the family version user space checks (hotpath(8) refuses to talk
 * to a family of another version).
 */
#if HOTPATH_VERSION_MAJOR != HOTPATH_GENL_VERSION
#error "the major number in VERSION must equal HOTPATH_GENL_VERSION (uapi hotpath.h)"
#endif

static struct genl_family hp_genl_family;
static bool hp_genl_registered;

enum hp_mcgrp {
	HP_MCGRP_CONFIG,
};

/* ethtool_drvinfo's driver field, the spec's driver max-len + 1 */
#define HP_NL_DRIVER_LEN	32

static const struct genl_multicast_group hp_mcgrps[] = {
	[HP_MCGRP_CONFIG] = { .name = HOTPATH_MCGRP_CONFIG },
};

/* Not const: 6.1's struct nla_policy points at them without const. */
static struct netlink_range_validation_signed hp_range_phc_drift = {
	.min = -HOTPATH_PHC_DRIFT_MAX,
	.max = HOTPATH_PHC_DRIFT_MAX,
};

/* The settings of include/hotpath/settings.h: one range each, by nest. */
#define HP_NL_SETTING_RANGE(nest, a, field, key, kind, lo, hi, def)	\
	[HOTPATH_##a] = { .min = lo, .max = hi },
static struct netlink_range_validation hp_range_port[HOTPATH_A_MAX + 1] = {
	HP_PORT_SETTINGS(HP_NL_SETTING_RANGE)
};

static struct netlink_range_validation hp_range_ctpio[HOTPATH_CTPIO_A_MAX + 1] = {
	HP_CTPIO_SETTINGS(HP_NL_SETTING_RANGE)
};

static struct netlink_range_validation hp_range_coalesce[HOTPATH_COALESCE_A_MAX + 1] = {
	HP_COALESCE_SETTINGS(HP_NL_SETTING_RANGE)
};

#define HP_NL_SETTING_POLICY(nest, a, field, key, kind, lo, hi, def)	\
	[HOTPATH_##a] = NLA_POLICY_FULL_RANGE(NLA_U32, &hp_range_##nest[HOTPATH_##a]),
#define HP_NL_SWITCH_POLICY(nest, a, field, key, words, hi, def)	\
	[HOTPATH_##a] = NLA_POLICY_MAX(NLA_U8, hi),

/* The model's figures: one range per kind (include/hotpath/figures.h). */
static struct netlink_range_validation hp_range_link = {
	.min = HP_MODEL_MIN_link, .max = HP_MODEL_MAX_link,
};

static struct netlink_range_validation hp_range_ns = {
	.min = HP_MODEL_MIN_ns, .max = HP_MODEL_MAX_ns,
};

static struct netlink_range_validation hp_range_mbps = {
	.min = HP_MODEL_MIN_mbps, .max = HP_MODEL_MAX_mbps,
};

#define HP_NL_FIGURE_POLICY(attr, field, key, kind, realistic, seed, row)	\
	[HOTPATH_MODEL_A_##attr] = NLA_POLICY_FULL_RANGE(NLA_U32, &hp_range_##kind),

static const struct nla_policy hp_ctpio_policy[HOTPATH_CTPIO_A_MAX + 1] = {
	[HOTPATH_CTPIO_A_MODE]		= NLA_POLICY_MAX(NLA_U8, HOTPATH_CTPIO_MAX),
	HP_CTPIO_SETTINGS(HP_NL_SETTING_POLICY)
};

static const struct nla_policy hp_coalesce_policy[HOTPATH_COALESCE_A_MAX + 1] = {
	HP_COALESCE_SETTINGS(HP_NL_SETTING_POLICY)
	HP_COALESCE_SWITCHES(HP_NL_SWITCH_POLICY)
};

static const struct nla_policy hp_model_policy[HOTPATH_MODEL_A_MAX + 1] = {
	[HOTPATH_MODEL_A_PROFILE]	= NLA_POLICY_MAX(NLA_U8, HOTPATH_PROFILE_MAX),
	[HOTPATH_MODEL_A_TIMING]	= NLA_POLICY_MAX(NLA_U8, HOTPATH_TIMING_MAX),
	HP_MODEL_FIGURES(HP_NL_FIGURE_POLICY)
};

/* GET, STATS_GET, STATS_RESET: which port; nothing else is accepted. */
static const struct nla_policy hp_port_id_policy[HOTPATH_A_IFNAME + 1] = {
	[HOTPATH_A_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
	[HOTPATH_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

/*
 * SET takes the whole port tree so that a reply or notification can be sent
 * back as a request; its read-only attributes pass the policy and are then
 * refused with EOPNOTSUPP, as the protocol says.
 */
static const struct nla_policy hp_port_set_policy[HOTPATH_A_MAX + 1] = {
	[HOTPATH_A_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
	[HOTPATH_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[HOTPATH_A_PEER_IFINDEX]	= { .type = NLA_U32 },
	[HOTPATH_A_PEER_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	HP_PORT_SWITCHES(HP_NL_SWITCH_POLICY)
	HP_PORT_SETTINGS(HP_NL_SETTING_POLICY)
	[HOTPATH_A_RX_RING_SIZE]	= { .type = NLA_U32 },
	[HOTPATH_A_TX_RING_SIZE]	= { .type = NLA_U32 },
	[HOTPATH_A_CTPIO]		= NLA_POLICY_NESTED(hp_ctpio_policy),
	[HOTPATH_A_COALESCE]		= NLA_POLICY_NESTED(hp_coalesce_policy),
	[HOTPATH_A_MODEL]		= NLA_POLICY_NESTED(hp_model_policy),
	[HOTPATH_A_STAGES]		= { .type = NLA_REJECT },
	[HOTPATH_A_STAGE]		= { .type = NLA_REJECT },
	[HOTPATH_A_COUNTERS]		= { .type = NLA_REJECT },
	[HOTPATH_A_PHC_INDEX]		= { .type = NLA_U32 },
	[HOTPATH_A_PHC_DRIFT_PPB]	=
		NLA_POLICY_FULL_RANGE_SIGNED(NLA_S32, &hp_range_phc_drift),
	[HOTPATH_A_HWTSTAMP_TX]		= { .type = NLA_U8 },
	[HOTPATH_A_HWTSTAMP_RX_FILTER]	= { .type = NLA_U8 },
	[HOTPATH_A_COUNTER_NAMES]	= { .type = NLA_REJECT },
	[HOTPATH_A_KIND]		= NLA_POLICY_MAX(NLA_U32, HOTPATH_KIND_ATTACHED),
	[HOTPATH_A_DRIVER]		= { .type = NLA_NUL_STRING, .len = HP_NL_DRIVER_LEN - 1 },
	[HOTPATH_A_PHC_OFFSET_NS]	= { .type = NLA_S64 },
	[HOTPATH_A_NAPI_DEFER_HARD_IRQS] = { .type = NLA_U32 },
	[HOTPATH_A_GRO_FLUSH_TIMEOUT_NS] = { .type = NLA_U64 },
};

/*
 * COUNTER_NAMES_GET takes no attributes: every type the family knows is
 * NLA_UNSPEC here, which strict validation refuses, and any above it too.
 */
static const struct nla_policy hp_no_attr_policy[HOTPATH_A_MAX + 1] = {};

/* The device named by IFINDEX or IFNAME in the caller's namespace.  RTNL. */
static struct net_device *hp_nl_dev(struct net *net, struct nlattr **tb,
				    struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;

	ASSERT_RTNL();

	if (tb[HOTPATH_A_IFINDEX]) {
		dev = __dev_get_by_index(net, nla_get_u32(tb[HOTPATH_A_IFINDEX]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, tb[HOTPATH_A_IFINDEX],
					    "ifindex (HOTPATH_A_IFINDEX): no such device");
			return ERR_PTR(-ENODEV);
		}
		if (tb[HOTPATH_A_IFNAME] &&
		    nla_strcmp(tb[HOTPATH_A_IFNAME], dev->name)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[HOTPATH_A_IFNAME],
					    "ifname (HOTPATH_A_IFNAME): does not match ifindex");
			return ERR_PTR(-ENODEV);
		}
	} else if (tb[HOTPATH_A_IFNAME]) {
		char name[IFNAMSIZ];

		nla_strscpy(name, tb[HOTPATH_A_IFNAME], sizeof(name));
		dev = __dev_get_by_name(net, name);
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, tb[HOTPATH_A_IFNAME],
					    "ifname (HOTPATH_A_IFNAME): no such device");
			return ERR_PTR(-ENODEV);
		}
	} else {
		NL_SET_ERR_MSG(extack, "ifindex/ifname (HOTPATH_A_IFINDEX/IFNAME): missing");
		return ERR_PTR(-EINVAL);
	}
	return dev;
}

/* Whether netlink reports @dev: a port, or a device with accounting attached. */
static bool hp_nl_reported(const struct net_device *dev)
{
	return hp_device_is_port(dev) || hp_attach_is(dev);
}

/* The port or attached device named by the request.  RTNL. */
static struct net_device *hp_nl_port(struct net *net, struct nlattr **tb,
				     struct netlink_ext_ack *extack)
{
	struct net_device *dev = hp_nl_dev(net, tb, extack);

	if (!IS_ERR(dev) && !hp_nl_reported(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HOTPATH_A_IFINDEX] ?: tb[HOTPATH_A_IFNAME],
				    "ifindex/ifname: not a hotpath port, nor a device with stats attached (set DEV stats on)");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

/* The fields of @t, read from @base (the config, or its model). */
static int hp_nl_put_fields(struct sk_buff *skb, const void *base, const struct hp_config_table *t)
{
	unsigned int i;
	int err;

	for (i = 0; i < t->n; i++) {
		const struct hp_config_field *f = &t->e[i];

		if (f->size == sizeof(u8))
			err = nla_put_u8(skb, f->attr, hp_config_field_get(base, f));
		else
			err = nla_put_u32(skb, f->attr, hp_config_field_get(base, f));
		if (err)
			return err;
	}
	return 0;
}

/* The attribute space the fields of @t take in a message. */
static size_t hp_nl_fields_size(const struct hp_config_table *t)
{
	size_t size = 0;
	unsigned int i;

	for (i = 0; i < t->n; i++)
		size += nla_total_size(t->e[i].size);
	return size;
}

/* Which device this is, for every message about one. */
static int hp_nl_put_id(struct sk_buff *skb, struct net_device *dev)
{
	bool port = hp_device_is_port(dev);
	char driver[HP_NL_DRIVER_LEN];

	if (nla_put_u32(skb, HOTPATH_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, HOTPATH_A_IFNAME, dev->name) ||
	    nla_put_u32(skb, HOTPATH_A_KIND, port ? HOTPATH_KIND_PORT : HOTPATH_KIND_ATTACHED) ||
	    nla_put_string(skb, HOTPATH_A_DRIVER,
			   hp_attach_driver(dev, driver, sizeof(driver))))
		return -EMSGSIZE;
	return 0;
}

/*
 * Another driver's device: whether accounting is attached (a notification
 * after a detach says 0), its busy-poll knobs as they are now (whoever set
 * them), its PHC and the PHC's mapping.
 */
static int hp_nl_fill_attached_attrs(struct sk_buff *skb, struct net_device *dev)
{
	bool on = hp_attach_is(dev);
	int phc = hp_attach_phc_index(dev);
	s64 offset;

	if (nla_put_u8(skb, HOTPATH_A_STATS_ENABLED, on) ||
	    nla_put_u8(skb, HOTPATH_A_PROBES, on) ||
	    nla_put_u8(skb, HOTPATH_A_RX_MODE, hp_nicmode_get(dev)) ||
	    nla_put_u32(skb, HOTPATH_A_NAPI_DEFER_HARD_IRQS, hp_nicmode_defer_hard_irqs(dev)) ||
	    nla_put_u64_64bit(skb, HOTPATH_A_GRO_FLUSH_TIMEOUT_NS,
			      hp_nicmode_gro_flush_timeout(dev), HOTPATH_A_PAD))
		return -EMSGSIZE;
	if (phc >= 0 && nla_put_u32(skb, HOTPATH_A_PHC_INDEX, phc))
		return -EMSGSIZE;
	if (hp_attach_phc_offset(dev, &offset) &&
	    nla_put_s64(skb, HOTPATH_A_PHC_OFFSET_NS, offset, HOTPATH_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int hp_nl_fill_port_attrs(struct sk_buff *skb, struct net_device *dev)
{
	const struct hp_config *cfg;
	const struct hp_model *m;
	struct net_device *peer;
	struct nlattr *nest;
	u32 rx_ring, tx_ring;

	if (hp_nl_put_id(skb, dev))
		return -EMSGSIZE;
	if (!hp_device_is_port(dev))
		return hp_nl_fill_attached_attrs(skb, dev);

	cfg = hp_device_config(dev);
	m = &cfg->model;
	peer = hp_device_peer(dev);
	hp_device_ring_sizes(dev, &rx_ring, &tx_ring);
	if (peer && (nla_put_u32(skb, HOTPATH_A_PEER_IFINDEX, peer->ifindex) ||
		     nla_put_string(skb, HOTPATH_A_PEER_IFNAME, peer->name)))
		return -EMSGSIZE;
	if (hp_nl_put_fields(skb, cfg, &hp_config_port_fields) ||
	    nla_put_u32(skb, HOTPATH_A_RX_RING_SIZE, rx_ring) ||
	    nla_put_u32(skb, HOTPATH_A_TX_RING_SIZE, tx_ring))
		return -EMSGSIZE;
	if (nla_put_u32(skb, HOTPATH_A_PHC_INDEX, hp_device_phc_index(dev)) ||
	    nla_put_s32(skb, HOTPATH_A_PHC_DRIFT_PPB, cfg->phc_drift_ppb) ||
	    nla_put_u8(skb, HOTPATH_A_HWTSTAMP_TX, cfg->hwts_tx) ||
	    nla_put_u8(skb, HOTPATH_A_HWTSTAMP_RX_FILTER, cfg->hwts_rx))
		return -EMSGSIZE;

	nest = nla_nest_start(skb, HOTPATH_A_CTPIO);
	if (!nest ||
	    nla_put_u8(skb, HOTPATH_CTPIO_A_MODE, cfg->ctpio_mode) ||
	    hp_nl_put_fields(skb, cfg, &hp_config_ctpio_fields))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);

	nest = nla_nest_start(skb, HOTPATH_A_COALESCE);
	if (!nest || hp_nl_put_fields(skb, cfg, &hp_config_coalesce_fields))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);

	nest = nla_nest_start(skb, HOTPATH_A_MODEL);
	if (!nest ||
	    nla_put_u8(skb, HOTPATH_MODEL_A_TIMING, m->timing) ||
	    hp_nl_put_fields(skb, m, &hp_config_figures))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* A port's accounting or an attached device's.  RTNL. */
static struct hp_acct *hp_nl_acct(const struct net_device *dev)
{
	return hp_device_is_port(dev) ? hp_device_acct(dev) : hp_attach_acct(dev);
}

/* Whether an attached device reports @counter (counters.h). */
#define HP_NL_NIC_COUNTER(id)	HOTPATH_CNT_##id,
static bool hp_nl_nic_counter(unsigned int counter)
{
	static const u8 ids[] = { HP_NIC_COUNTERS(HP_NL_NIC_COUNTER) };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ids); i++)
		if (ids[i] == counter)
			return true;
	return false;
}

static int hp_nl_fill_stats_attrs(struct sk_buff *skb, struct net_device *dev)
{
	u64 counters[__HOTPATH_CNT_MAX];
	u8 ids[__HOTPATH_STAGE_MAX];
	struct hp_stage_summary s;
	struct nlattr *stages, *stage, *cnt;
	struct hp_acct *acct = hp_nl_acct(dev);
	bool port = hp_device_is_port(dev);
	unsigned int i, n;

	if (hp_nl_put_id(skb, dev))
		return -EMSGSIZE;

	stages = nla_nest_start(skb, HOTPATH_A_STAGES);
	if (!stages)
		return -EMSGSIZE;
	n = hp_stages_of_kind(port ? HOTPATH_KIND_PORT : HOTPATH_KIND_ATTACHED, ids);
	for (i = 0; i < n; i++) {
		hp_stages_read(acct, ids[i], &s);
		stage = nla_nest_start(skb, HOTPATH_A_STAGE);
		if (!stage ||
		    nla_put_u32(skb, HOTPATH_STAGE_A_ID, ids[i]) ||
		    nla_put_string(skb, HOTPATH_STAGE_A_NAME, hp_stages_name(ids[i])) ||
		    nla_put_u8(skb, HOTPATH_STAGE_A_SOURCE, hp_stages_source(ids[i])) ||
		    nla_put_u64_64bit(skb, HOTPATH_STAGE_A_COUNT, s.count, HOTPATH_STAGE_A_PAD) ||
		    nla_put_u64_64bit(skb, HOTPATH_STAGE_A_SUM_NS, s.sum_ns,
				      HOTPATH_STAGE_A_PAD) ||
		    nla_put_u64_64bit(skb, HOTPATH_STAGE_A_MIN_NS, s.min_ns,
				      HOTPATH_STAGE_A_PAD) ||
		    nla_put_u64_64bit(skb, HOTPATH_STAGE_A_MEAN_NS, s.mean_ns,
				      HOTPATH_STAGE_A_PAD) ||
		    nla_put_u64_64bit(skb, HOTPATH_STAGE_A_MAX_NS, s.max_ns,
				      HOTPATH_STAGE_A_PAD) ||
		    nla_put_u64_64bit(skb, HOTPATH_STAGE_A_P50_NS, s.p50_ns,
				      HOTPATH_STAGE_A_PAD) ||
		    nla_put_u64_64bit(skb, HOTPATH_STAGE_A_P90_NS, s.p90_ns,
				      HOTPATH_STAGE_A_PAD) ||
		    nla_put_u64_64bit(skb, HOTPATH_STAGE_A_P99_NS, s.p99_ns,
				      HOTPATH_STAGE_A_PAD) ||
		    nla_put_u64_64bit(skb, HOTPATH_STAGE_A_P999_NS, s.p999_ns,
				      HOTPATH_STAGE_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, stage);
	}
	nla_nest_end(skb, stages);

	memset(counters, 0, sizeof(counters));
	hp_stages_read_counters(acct, counters);
	cnt = nla_nest_start(skb, HOTPATH_A_COUNTERS);
	if (!cnt)
		return -EMSGSIZE;
	/* Counter ids start at 1; id 0 (UNSPEC) doubles as the pad attribute. */
	for (i = HOTPATH_CNT_UNSPEC + 1; i < __HOTPATH_CNT_MAX; i++)
		if ((port || hp_nl_nic_counter(i)) &&
		    nla_put_u64_64bit(skb, i, counters[i], HOTPATH_CNT_UNSPEC))
			return -EMSGSIZE;
	nla_nest_end(skb, cnt);
	return 0;
}

/* The module's counters: a counter-name nest {id, name} per counter. */
static int hp_nl_fill_counter_names(struct sk_buff *skb)
{
	struct nlattr *names, *entry;
	unsigned int i;

	names = nla_nest_start(skb, HOTPATH_A_COUNTER_NAMES);
	if (!names)
		return -EMSGSIZE;
	for (i = HOTPATH_CNT_UNSPEC + 1; i < __HOTPATH_CNT_MAX; i++) {
		entry = nla_nest_start(skb, i);
		if (!entry ||
		    nla_put_u32(skb, HOTPATH_COUNTER_NAME_A_ID, i) ||
		    nla_put_string(skb, HOTPATH_COUNTER_NAME_A_NAME, hp_stages_counter_name(i)))
			return -EMSGSIZE;
		nla_nest_end(skb, entry);
	}
	nla_nest_end(skb, names);
	return 0;
}

/*
 * Message sizes, attribute by attribute as the fills above put them (the
 * in-tree *_nlmsg_size() practice): a stats message grows with every stage
 * and counter and is near NLMSG_GOODSIZE already.  Names are sized by
 * their length, interface names by IFNAMSIZ.
 */
static size_t hp_nl_id_size(void)
{
	return nla_total_size(sizeof(u32)) +		/* IFINDEX */
	       nla_total_size(IFNAMSIZ) +		/* IFNAME */
	       nla_total_size(sizeof(u32)) +		/* KIND */
	       nla_total_size(HP_NL_DRIVER_LEN);	/* DRIVER */
}

/*
 * A port's message; an attached device's is smaller (id, three u8, the
 * knobs' u32 and u64, PHC).
 */
static size_t hp_nl_port_size(void)
{
	return hp_nl_id_size() +
	       nla_total_size_64bit(sizeof(s64)) +	/* PHC_OFFSET_NS */
	       nla_total_size(sizeof(u32)) +		/* PEER_IFINDEX */
	       nla_total_size(IFNAMSIZ) +		/* PEER_IFNAME */
	       2 * nla_total_size(sizeof(u8)) +		/* HWTSTAMP_TX, _RX_FILTER */
	       /* RX_/TX_RING_SIZE, PHC_INDEX, PHC_DRIFT_PPB */
	       4 * nla_total_size(sizeof(u32)) +
	       hp_nl_fields_size(&hp_config_port_fields) +
	       /* CTPIO: MODE, the settings */
	       nla_total_size(nla_total_size(sizeof(u8)) +
			      hp_nl_fields_size(&hp_config_ctpio_fields)) +
	       nla_total_size(hp_nl_fields_size(&hp_config_coalesce_fields)) +
	       /* MODEL: TIMING, the figures */
	       nla_total_size(nla_total_size(sizeof(u8)) +
			      hp_nl_fields_size(&hp_config_figures));
}

static size_t hp_nl_stats_size(void)
{
	size_t stages = 0;
	unsigned int i;

	for (i = 0; i < __HOTPATH_STAGE_MAX; i++)
		stages += nla_total_size(nla_total_size(sizeof(u32)) +		/* ID */
					 nla_total_size(strlen(hp_stages_name(i)) + 1) +
					 nla_total_size(sizeof(u8)) +		/* SOURCE */
					 /* COUNT, SUM, MIN, MEAN, MAX, P50, P90, P99, P999 */
					 9 * nla_total_size_64bit(sizeof(u64)));
	return hp_nl_id_size() + nla_total_size(stages) +
	       nla_total_size((__HOTPATH_CNT_MAX - 1) * nla_total_size_64bit(sizeof(u64)));
}

static size_t hp_nl_counter_names_size(void)
{
	size_t names = 0;
	unsigned int i;

	for (i = HOTPATH_CNT_UNSPEC + 1; i < __HOTPATH_CNT_MAX; i++)
		names += nla_total_size(nla_total_size(sizeof(u32)) +
					nla_total_size(strlen(hp_stages_counter_name(i)) + 1));
	return nla_total_size(names);
}

typedef int (*hp_nl_fill_t)(struct sk_buff *skb, struct net_device *dev);

static int hp_nl_fill(struct sk_buff *skb, struct net_device *dev, hp_nl_fill_t fill,
		      u32 portid, u32 seq, int flags, u8 cmd,
		      struct netlink_callback *cb)
{
	void *hdr;
	int err;

	hdr = genlmsg_put(skb, portid, seq, &hp_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	err = fill(skb, dev);
	if (err) {
		genlmsg_cancel(skb, hdr);
		return err;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * @msg was allocated for @size bytes of attributes: a fill that put more
 * is a size function that forgot an attribute.  The slab's slack would hide
 * it until a message grew past the slack, so check against @size itself.
 */
static void hp_nl_size_check(const struct sk_buff *msg, size_t size)
{
	DEBUG_NET_WARN_ON_ONCE(msg->len > nlmsg_total_size(genlmsg_msg_size(size)));
}

static int hp_nl_get_doit(struct sk_buff *skb, struct genl_info *info, hp_nl_fill_t fill,
			  size_t size, u8 cmd)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	dev = hp_nl_port(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto err_unlock;
	}
	err = hp_nl_fill(msg, dev, fill, info->snd_portid, info->snd_seq, 0, cmd, NULL);
	if (err)
		goto err_unlock;
	rtnl_unlock();
	hp_nl_size_check(msg, size);

	return genlmsg_reply(msg, info);

err_unlock:
	rtnl_unlock();
	nlmsg_free(msg);
	return err;
}

/*
 * Dump every port of the caller's namespace.  cb->args[0] is the number of
 * ports already sent; the port list is versioned by dev_base_seq and the
 * pairs by hp_device_generation(), so a dump that straddles a change of
 * either is flagged NLM_F_DUMP_INTR and the caller retries.  Configuration
 * changes do not interrupt a dump (nor do they rtnetlink's link dumps):
 * each port's message is one reading under RTNL, and a busy writer must
 * not starve a reader.
 */
static int hp_nl_dumpit(struct sk_buff *skb, struct netlink_callback *cb, hp_nl_fill_t fill,
			u8 cmd)
{
	struct net *net = sock_net(skb->sk);
	long skip = cb->args[0], idx = 0;
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	cb->seq = net->dev_base_seq + hp_device_generation();
	for_each_netdev(net, dev) {
		if (!hp_nl_reported(dev))
			continue;
		if (idx < skip) {
			idx++;
			continue;
		}
		err = hp_nl_fill(skb, dev, fill, NETLINK_CB(cb->skb).portid,
				 cb->nlh->nlmsg_seq, NLM_F_MULTI, cmd, cb);
		if (err)
			break;
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;

	/* A full skb ends this part of the dump; the next one resumes. */
	if (err == -EMSGSIZE && idx > skip)
		return skb->len;
	return err ?: skb->len;
}

static int hp_nl_port_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return hp_nl_get_doit(skb, info, hp_nl_fill_port_attrs, hp_nl_port_size(),
			      HOTPATH_CMD_PORT_GET);
}

static int hp_nl_port_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return hp_nl_dumpit(skb, cb, hp_nl_fill_port_attrs, HOTPATH_CMD_PORT_GET);
}

static int hp_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return hp_nl_get_doit(skb, info, hp_nl_fill_stats_attrs, hp_nl_stats_size(),
			      HOTPATH_CMD_STATS_GET);
}

/*
 * A dump's skbs are at least NLMSG_GOODSIZE (more if the reader's buffer is
 * larger); one port's stats message must fit in one, whatever the reader.
 */
static int hp_nl_stats_get_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = nlmsg_total_size(genlmsg_msg_size(hp_nl_stats_size()));
	return 0;
}

static int hp_nl_stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return hp_nl_dumpit(skb, cb, hp_nl_fill_stats_attrs, HOTPATH_CMD_STATS_GET);
}

static const int hp_nl_read_only[] = {
	HOTPATH_A_PEER_IFINDEX, HOTPATH_A_PEER_IFNAME,
	HOTPATH_A_RX_RING_SIZE, HOTPATH_A_TX_RING_SIZE,
	HOTPATH_A_PHC_INDEX, HOTPATH_A_HWTSTAMP_TX, HOTPATH_A_HWTSTAMP_RX_FILTER,
	HOTPATH_A_KIND, HOTPATH_A_DRIVER,
	HOTPATH_A_NAPI_DEFER_HARD_IRQS, HOTPATH_A_GRO_FLUSH_TIMEOUT_NS,
};

/*
 * What the emulated NIC alone has: refused on another driver's device,
 * naming the attribute (the technique switches of a real NIC go through
 * the kernel's own knobs).
 */
#define HP_NL_NOT_ATTACHED	": not a hotpath port; another driver's device takes stats, rx-mode and phc-offset-ns (its coalescing and TX push are ethtool's, which hotpath(8) drives)"
#define HP_NL_PORT_ONLY_SW(nest, a, field, key, words, hi, def)	\
	[HOTPATH_##a] = key " (HOTPATH_" #a ")" HP_NL_NOT_ATTACHED,
#define HP_NL_PORT_ONLY_SET(nest, a, field, key, kind, lo, hi, def)	\
	[HOTPATH_##a] = key " (HOTPATH_" #a ")" HP_NL_NOT_ATTACHED,
static const char * const hp_nl_port_only[HOTPATH_A_MAX + 1] = {
	HP_PORT_SWITCHES(HP_NL_PORT_ONLY_SW)
	HP_PORT_SETTINGS(HP_NL_PORT_ONLY_SET)
	/* why, as the real NIC that has CTPIO (sfc) sets it */
	[HOTPATH_A_CTPIO]		=
		"ctpio (HOTPATH_A_CTPIO): not settable on another driver's device: the in-tree sfc driver has no CTPIO control; Onload sets it per application (EF_CTPIO)",
	[HOTPATH_A_COALESCE]		= "coalesce (HOTPATH_A_COALESCE)" HP_NL_NOT_ATTACHED,
	[HOTPATH_A_MODEL]		= "model (HOTPATH_A_MODEL)" HP_NL_NOT_ATTACHED,
	[HOTPATH_A_PHC_DRIFT_PPB]	=
		"phc-drift-ppb (HOTPATH_A_PHC_DRIFT_PPB)" HP_NL_NOT_ATTACHED,
};

/*
 * SET on another driver's device: stats-enabled attaches or detaches,
 * rx-mode switches its busy-poll knobs, phc-offset-ns maps its PHC;
 * probes come with the attachment.  Checked whole before anything
 * changes.
 */
static int hp_nl_attached_set(struct net_device *dev, struct nlattr **tb,
			      struct netlink_ext_ack *extack)
{
	bool on = hp_attach_is(dev);
	unsigned int i;
	int err;

	for (i = 0; i <= HOTPATH_A_MAX; i++) {
		if (!tb[i] || i == HOTPATH_A_STATS_ENABLED || i == HOTPATH_A_PROBES ||
		    i == HOTPATH_A_RX_MODE)
			continue;
		if (hp_nl_port_only[i]) {
			/* a nest's first member is the key the user gave */
			struct nlattr *bad = tb[i];

			if ((i == HOTPATH_A_CTPIO || i == HOTPATH_A_COALESCE ||
			     i == HOTPATH_A_MODEL) && nla_len(bad) >= NLA_HDRLEN)
				bad = nla_data(bad);
			/* the table's strings are static, as NL_SET_ERR_MSG's */
			if (extack)
				extack->_msg = hp_nl_port_only[i];
			NL_SET_BAD_ATTR(extack, bad);
			return -EOPNOTSUPP;
		}
	}
	if (tb[HOTPATH_A_STATS_ENABLED])
		on = nla_get_u8(tb[HOTPATH_A_STATS_ENABLED]);
	if (tb[HOTPATH_A_PROBES] && nla_get_u8(tb[HOTPATH_A_PROBES]) != on) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HOTPATH_A_PROBES],
				    "probes (HOTPATH_A_PROBES): on exactly while stats are, on another driver's device");
		return -EINVAL;
	}
	if (tb[HOTPATH_A_PHC_OFFSET_NS] && !on) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HOTPATH_A_PHC_OFFSET_NS],
				    "phc-offset-ns (HOTPATH_A_PHC_OFFSET_NS): the device has no stats attached");
		return -EINVAL;
	}
	/* hotpath holds the knobs it changed while attached, to put them back */
	if (tb[HOTPATH_A_RX_MODE] && !on) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HOTPATH_A_RX_MODE],
				    "rx-mode (HOTPATH_A_RX_MODE): the device has no stats attached (set DEV stats on rx-mode ...)");
		return -EINVAL;
	}
	if (on == hp_attach_is(dev) && !tb[HOTPATH_A_PHC_OFFSET_NS] && !tb[HOTPATH_A_RX_MODE])
		return 0;

	err = hp_attach_set(dev, on, extack);
	if (err)
		return err;
	if (tb[HOTPATH_A_PHC_OFFSET_NS])
		hp_attach_set_phc_offset(dev, nla_get_s64(tb[HOTPATH_A_PHC_OFFSET_NS]));
	if (tb[HOTPATH_A_RX_MODE])
		hp_attach_set_rx_mode(dev, nla_get_u8(tb[HOTPATH_A_RX_MODE]));
	hp_netlink_notify(dev);
	return 0;
}

/* The fields of @t the request carries, into @base. */
static void hp_nl_get_fields(void *base, const struct hp_config_table *t, struct nlattr **tb)
{
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		const struct hp_config_field *f = &t->e[i];

		if (!tb[f->attr])
			continue;
		if (f->size == sizeof(u8))
			hp_config_field_set(base, f, nla_get_u8(tb[f->attr]));
		else
			hp_config_field_set(base, f, nla_get_u32(tb[f->attr]));
	}
}

/* Build @cfg from the request; only checks that need the attribute here. */
static int hp_nl_parse_set(struct hp_config *cfg, struct nlattr **tb,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *ct[HOTPATH_CTPIO_A_MAX + 1];
	struct nlattr *co[HOTPATH_COALESCE_A_MAX + 1];
	struct nlattr *mo[HOTPATH_MODEL_A_MAX + 1];
	struct hp_model *m = &cfg->model;
	int err;

	/* PROFILE first: the other attributes of the request refine it. */
	if (tb[HOTPATH_A_MODEL]) {
		err = nla_parse_nested(mo, HOTPATH_MODEL_A_MAX, tb[HOTPATH_A_MODEL],
				       hp_model_policy, extack);
		if (err)
			return err;
		if (mo[HOTPATH_MODEL_A_PROFILE])
			hp_config_load_profile(m, nla_get_u8(mo[HOTPATH_MODEL_A_PROFILE]));
		if (mo[HOTPATH_MODEL_A_TIMING])
			m->timing = nla_get_u8(mo[HOTPATH_MODEL_A_TIMING]);
		/* the one figure whose range has holes: say so at the attribute */
		if (mo[HOTPATH_MODEL_A_LINK_MBPS] &&
		    !hp_config_link_mbps_valid(nla_get_u32(mo[HOTPATH_MODEL_A_LINK_MBPS]))) {
			NL_SET_ERR_MSG_ATTR(extack, mo[HOTPATH_MODEL_A_LINK_MBPS],
					    "link-speed (HOTPATH_MODEL_A_LINK_MBPS): must be "
					    HP_MODEL_RANGE_link);
			return -EINVAL;
		}
		hp_nl_get_fields(m, &hp_config_figures, mo);
	}

	if (tb[HOTPATH_A_PHC_DRIFT_PPB])
		cfg->phc_drift_ppb = nla_get_s32(tb[HOTPATH_A_PHC_DRIFT_PPB]);
	hp_nl_get_fields(cfg, &hp_config_port_fields, tb);

	if (tb[HOTPATH_A_CTPIO]) {
		err = nla_parse_nested(ct, HOTPATH_CTPIO_A_MAX, tb[HOTPATH_A_CTPIO],
				       hp_ctpio_policy, extack);
		if (err)
			return err;
		/* The mode before MAX_FRAME: the mode may move its default. */
		if (ct[HOTPATH_CTPIO_A_MODE])
			hp_config_set_ctpio_mode(cfg, nla_get_u8(ct[HOTPATH_CTPIO_A_MODE]));
		hp_nl_get_fields(cfg, &hp_config_ctpio_fields, ct);
	}

	if (tb[HOTPATH_A_COALESCE]) {
		err = nla_parse_nested(co, HOTPATH_COALESCE_A_MAX, tb[HOTPATH_A_COALESCE],
				       hp_coalesce_policy, extack);
		if (err)
			return err;
		hp_nl_get_fields(cfg, &hp_config_coalesce_fields, co);
	}
	return 0;
}

static int hp_nl_port_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct net_device *dev;
	struct hp_config *cfg;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(hp_nl_read_only); i++) {
		if (tb[hp_nl_read_only[i]]) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[hp_nl_read_only[i]],
					    "read-only attribute (peer, ring sizes: use ethtool -G; PHC and stamping: ethtool -T, SIOCSHWTSTAMP)");
			return -EOPNOTSUPP;
		}
	}

	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;

	rtnl_lock();
	dev = hp_nl_dev(genl_info_net(info), tb, info->extack);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out_unlock;
	}
	if (!hp_device_is_port(dev)) {
		err = hp_nl_attached_set(dev, tb, info->extack);
		goto out_unlock;
	}
	if (tb[HOTPATH_A_PHC_OFFSET_NS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[HOTPATH_A_PHC_OFFSET_NS],
				    "phc-offset-ns (HOTPATH_A_PHC_OFFSET_NS): a port's PHC is hotpath's own clock, its stamps need no mapping");
		err = -EOPNOTSUPP;
		goto out_unlock;
	}
	/* Start from the current configuration: unnamed settings are kept. */
	memcpy(cfg, hp_device_config(dev), sizeof(*cfg));
	err = hp_nl_parse_set(cfg, tb, info->extack);
	if (err)
		goto out_unlock;
	err = hp_netlink_publish(dev, cfg, info->extack);

out_unlock:
	rtnl_unlock();
	kfree(cfg);
	return err;
}

static int hp_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	dev = hp_nl_port(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		hp_stages_reset(hp_nl_acct(dev));
	rtnl_unlock();
	return err;
}

static int hp_nl_counter_names_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(hp_nl_counter_names_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &hp_genl_family, 0, HOTPATH_CMD_COUNTER_NAMES_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	err = hp_nl_fill_counter_names(msg);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	hp_nl_size_check(msg, hp_nl_counter_names_size());
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/*
 * Changes need CAP_NET_ADMIN over the namespace the port lives in: ports are
 * only looked up in the requester's namespace, so GENL_UNS_ADMIN_PERM
 * (capable in the user namespace owning that netns) is exactly that check,
 * and lets a container's root manage the ports it was given.
 */
static const struct genl_ops hp_genl_ops[] = {
	{
		.cmd		= HOTPATH_CMD_PORT_GET,
		.doit		= hp_nl_port_get_doit,
		.dumpit		= hp_nl_port_get_dumpit,
		.policy		= hp_port_id_policy,
		.maxattr	= ARRAY_SIZE(hp_port_id_policy) - 1,
	},
	{
		.cmd		= HOTPATH_CMD_PORT_SET,
		.doit		= hp_nl_port_set_doit,
		.policy		= hp_port_set_policy,
		.maxattr	= ARRAY_SIZE(hp_port_set_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= HOTPATH_CMD_STATS_GET,
		.doit		= hp_nl_stats_get_doit,
		.start		= hp_nl_stats_get_start,
		.dumpit		= hp_nl_stats_get_dumpit,
		.policy		= hp_port_id_policy,
		.maxattr	= ARRAY_SIZE(hp_port_id_policy) - 1,
	},
	{
		.cmd		= HOTPATH_CMD_STATS_RESET,
		.doit		= hp_nl_stats_reset_doit,
		.policy		= hp_port_id_policy,
		.maxattr	= ARRAY_SIZE(hp_port_id_policy) - 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= HOTPATH_CMD_COUNTER_NAMES_GET,
		.doit		= hp_nl_counter_names_get_doit,
		.policy		= hp_no_attr_policy,
		.maxattr	= ARRAY_SIZE(hp_no_attr_policy) - 1,
	},
};

static struct genl_family hp_genl_family __ro_after_init = {
	.name		= HOTPATH_GENL_NAME,
	.version	= HOTPATH_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= false,
	.module		= THIS_MODULE,
	.ops		= hp_genl_ops,
	.n_ops		= ARRAY_SIZE(hp_genl_ops),
	/* Every command validates strictly: no legacy leniency. */
	.resv_start_op	= HOTPATH_CMD_STATS_RESET + 1,
	.mcgrps		= hp_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(hp_mcgrps),
};

/*
 * The control plane's one way to change a port's configuration (netlink
 * SET; ethtool -C/-G and SIOCSHWTSTAMP, both in ethtool.c): validate,
 * publish through the datapath, announce.  Lives here so that calls run one
 * way: ethtool.c calls netlink.c, both call config.c (checks) and device.c
 * (publish), and device.c calls neither back (it names ethtool.c's handlers
 * only in the ops tables it gives the kernel); tstamp.c, below them, grants
 * a stamping setting and calls nothing of theirs.
 */
int hp_netlink_publish(struct net_device *dev, const struct hp_config *new,
		       struct netlink_ext_ack *extack)
{
	const struct hp_config *old;
	struct hp_config *cfg;
	u32 rx_ring, tx_ring;
	int err;

	ASSERT_RTNL();

	hp_device_ring_sizes(dev, &rx_ring, &tx_ring);
	err = hp_config_validate(new, rx_ring, tx_ring, extack);
	if (err)
		return err;

	/* Nothing to publish or announce for a change that changes nothing. */
	old = hp_device_config(dev);
	if (old && hp_config_equal(old, new))
		return 0;

	cfg = kmemdup(new, sizeof(*new), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;

	hp_device_publish_config(dev, cfg);
	hp_netlink_notify(dev);
	return 0;
}

void hp_netlink_notify(struct net_device *dev)
{
	struct net *net = dev_net(dev);
	struct sk_buff *msg;

	ASSERT_RTNL();

	if (!READ_ONCE(hp_genl_registered) ||
	    !genl_has_listeners(&hp_genl_family, net, HP_MCGRP_CONFIG))
		return;

	msg = genlmsg_new(hp_nl_port_size(), GFP_KERNEL);
	if (!msg)
		return;
	/* only a size function short of what the fill puts fails here */
	if (hp_nl_fill(msg, dev, hp_nl_fill_port_attrs, 0, 0, 0, HOTPATH_CMD_PORT_NTF, NULL)) {
		DEBUG_NET_WARN_ON_ONCE(1);
		nlmsg_free(msg);
		return;
	}
	hp_nl_size_check(msg, hp_nl_port_size());
	genlmsg_multicast_netns(&hp_genl_family, net, msg, 0, HP_MCGRP_CONFIG, GFP_KERNEL);
}

int hp_netlink_init(void)
{
	int err;

	err = genl_register_family(&hp_genl_family);
	if (err)
		return err;
	WRITE_ONCE(hp_genl_registered, true);
	return 0;
}

void hp_netlink_uninit(void)
{
	WRITE_ONCE(hp_genl_registered, false);
	genl_unregister_family(&hp_genl_family);
}
