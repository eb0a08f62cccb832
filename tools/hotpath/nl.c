// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing of the CLI: one socket to the "hotpath" family,
 * requests with extended acks, dumps retried when the kernel flags them
 * inconsistent, and parsing of the port and stats trees.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>

#include "hotpath.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static struct nl_sock *sk;
static int family_id;

/*
 * One version (VERSION, passed in by the Makefile): its major number is the
 * family version this CLI was written for.
 */
#if HOTPATH_VERSION_MAJOR != HOTPATH_GENL_VERSION
#error "the major number in VERSION must equal HOTPATH_GENL_VERSION (uapi hotpath.h)"
#endif

static int connect_sock(struct nl_sock **out, bool quiet)
{
	struct nl_sock *s;
	int one = 1, err;

	s = nl_socket_alloc();
	*out = s;
	if (!s) {
		fprintf(stderr, "%s: cannot allocate a netlink socket\n", prog);
		return -ENOMEM;
	}
	err = genl_connect(s);
	if (err < 0) {
		if (!quiet)
			fprintf(stderr, "%s: netlink: %s\n", prog, nl_geterror(err));
		return -ECONNREFUSED;
	}
	/* Error messages and the offending attribute come back in the ack. */
	setsockopt(nl_socket_get_fd(s), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/*
	 * Receive into 32 KiB, the most the kernel puts in one part of a dump
	 * (libnl's default peeks with a page, and the kernel then sizes every
	 * part to a page): a dump of many ports takes a few parts instead of
	 * dozens, so it is quicker and far less likely to straddle a change
	 * (NLM_F_DUMP_INTR) and be retried.
	 */
	nl_socket_set_msg_buf_size(s, 32768);
	return 0;
}

struct nl_sock *hp_nl_socket(void)
{
	struct nl_sock *s;

	if (connect_sock(&s, false)) {
		if (s)
			nl_socket_free(s);
		return NULL;
	}
	return s;
}

/* The family's id and version from the kernel's controller; -ENOENT if absent. */
static int resolve_family(unsigned int *version)
{
	struct genl_family *fam;
	struct nl_cache *cache;
	int err;

	err = genl_ctrl_alloc_cache(sk, &cache);
	if (err < 0)
		return -ENOENT;
	fam = genl_ctrl_search_by_name(cache, HOTPATH_GENL_NAME);
	nl_cache_free(cache);
	if (!fam)
		return -ENOENT;
	family_id = genl_family_get_id(fam);
	*version = genl_family_get_version(fam);
	genl_family_put(fam);
	return 0;
}

int hp_nl_family_version(unsigned int *version)
{
	int err = connect_sock(&sk, true);

	if (!err)
		err = resolve_family(version);
	hp_nl_close();
	return err;
}

int hp_nl_open(void)
{
	unsigned int version;
	int err;

	err = connect_sock(&sk, false);
	if (err)
		return err;
	if (resolve_family(&version) < 0) {
		fprintf(stderr, "%s: family \"%s\" not found: is hotpath.ko loaded?\n", prog,
			HOTPATH_GENL_NAME);
		return -ENOENT;
	}
	/*
	 * Another family version means another protocol: attribute numbers and
	 * meanings may differ, so nothing is sent rather than misread.
	 */
	if (version != HOTPATH_GENL_VERSION) {
		fprintf(stderr,
			"%s: version mismatch: the loaded hotpath module speaks family version %u, "
			"this hotpath %s was built for version %u; install the module and the tools "
			"of one release (hotpath --version)\n",
			prog, version, HOTPATH_VERSION, HOTPATH_GENL_VERSION);
		return -EPROTO;
	}
	return 0;
}

void hp_nl_close(void)
{
	if (sk)
		nl_socket_free(sk);
	sk = NULL;
}

struct nl_msg *hp_nl_new_request(uint8_t cmd, const char *dev, bool dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family_id, 0,
			 dump ? NLM_F_DUMP : 0, cmd, HOTPATH_GENL_VERSION))
		goto err;
	if (dev && nla_put_string(msg, HOTPATH_A_IFNAME, dev) < 0)
		goto err;
	return msg;
err:
	nlmsg_free(msg);
	return NULL;
}

struct req_state {
	hp_msg_cb cb;
	void *arg;
	struct nl_msg *req;
	bool done;
	bool intr;
	int error;
	char extack[256];
	int bad_offset;
};

/*
 * Describe the attribute at @offset of our own request ("rx-usecs", or
 * "device 'eth9'" for the port name) into @buf; false if none is there.
 */
static bool attr_at_offset(struct nl_msg *req, int offset, char *buf, size_t len)
{
	struct nlmsghdr *nlh = nlmsg_hdr(req);
	int hdrlen = NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlattr *attr, *inner, *hit = NULL;
	const char *key;
	int rem, irem, parent = 0;

	nla_for_each_attr(attr, (struct nlattr *)((char *)nlh + hdrlen),
			  nlh->nlmsg_len - hdrlen, rem) {
		int aoff = (char *)attr - (char *)nlh;

		if (aoff == offset) {
			hit = attr;
			break;
		}
		if (offset > aoff && offset < aoff + nla_len(attr) + NLA_HDRLEN) {
			hit = attr;
			nla_for_each_nested(inner, attr, irem) {
				if ((char *)inner - (char *)nlh == offset) {
					parent = nla_type(attr);
					hit = inner;
				}
			}
			break;
		}
	}
	if (!hit)
		return false;
	key = attr_key_name(parent, nla_type(hit));
	if (!key)
		return false;
	if (!parent && nla_type(hit) == HOTPATH_A_IFNAME)
		snprintf(buf, len, "%s '%.*s'", key, nla_len(hit) ? nla_len(hit) - 1 : 0,
			 (char *)nla_data(hit));
	else
		snprintf(buf, len, "%s", key);
	return true;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *outer = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct req_state *st = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { 0 };
	struct nlattr *tlvs;
	int len;

	(void)nla;
	st->done = true;
	st->error = e->error;
	if (!(outer->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;

	tlvs = (struct nlattr *)((char *)e + sizeof(*e));
	if (!(outer->nlmsg_flags & NLM_F_CAPPED))
		tlvs = (struct nlattr *)((char *)tlvs + NLMSG_ALIGN(e->msg.nlmsg_len) -
					 NLMSG_HDRLEN);
	len = (int)outer->nlmsg_len - (int)((char *)tlvs - (char *)outer);
	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, tlvs, len, NULL) < 0)
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(st->extack, sizeof(st->extack), "%s",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS])
		st->bad_offset = (int)nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;

	return st->cb ? st->cb(msg, st->arg) : NL_OK;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;

	(void)msg;
	st->done = true;
	return NL_STOP;
}

static int on_intr(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;

	(void)msg;
	st->intr = true;
	return NL_OK;
}

static void report(const char *op, struct req_state *st)
{
	char what[64];

	fprintf(stderr, "%s: %s: %s", prog, op, strerror(-st->error));
	if (st->extack[0])
		fprintf(stderr, ": %s", st->extack);
	/* name the offending attribute as the user wrote it */
	if (st->bad_offset && attr_at_offset(st->req, st->bad_offset, what, sizeof(what)) &&
	    !strstr(st->extack, what))
		fprintf(stderr, " (%s)", what);
	fputc('\n', stderr);
}

/* Send @msg on @s and take the replies into @st; 0 or -EIO, printed. */
static int exec_on(struct nl_sock *s, struct nl_msg *msg, const char *op, struct req_state *st)
{
	struct nl_cb *nlcb;
	int err;

	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb)
		return -ENOMEM;
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, st);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, st);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, on_done, st);
	nl_cb_set(nlcb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_intr, st);
	nl_cb_err(nlcb, NL_CB_CUSTOM, on_error, st);

	err = nl_send_auto(s, msg);
	if (err < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, op, nl_geterror(err));
		nl_cb_put(nlcb);
		return -EIO;
	}
	while (!st->done) {
		err = nl_recvmsgs(s, nlcb);
		if (err < 0 && !st->done) {
			fprintf(stderr, "%s: %s: %s\n", prog, op, nl_geterror(err));
			nl_cb_put(nlcb);
			return -EIO;
		}
	}
	nl_cb_put(nlcb);
	return 0;
}

int hp_nl_exec_on(struct nl_sock *s, struct nl_msg *msg, const char *op, hp_msg_cb cb,
		  void *arg, char *extack, size_t len)
{
	struct req_state st = { .cb = cb, .arg = arg, .req = msg };
	int err = exec_on(s, msg, op, &st);

	if (err)
		return err;
	snprintf(extack, len, "%s", st.extack);
	return st.error;
}

/* Returns 0, -EINTR for an interrupted dump, or the negative errno. */
static int hp_nl_exec_once(struct nl_msg *msg, const char *op, hp_msg_cb cb, void *arg,
			   bool quiet_intr, bool quiet_err)
{
	struct req_state st = { .cb = cb, .arg = arg, .req = msg };
	int err = exec_on(sk, msg, op, &st);

	if (err)
		return err;
	if (st.error) {
		if (!quiet_err)
			report(op, &st);
		return st.error;
	}
	if (st.intr) {
		if (!quiet_intr)
			fprintf(stderr, "%s: %s: dump interrupted\n", prog, op);
		return -EINTR;
	}
	return 0;
}

int hp_nl_exec(struct nl_msg *msg, const char *op, hp_msg_cb cb, void *arg)
{
	return hp_nl_exec_once(msg, op, cb, arg, false, false);
}

static int parse_nested_u32(struct nlattr *nest, struct nlattr **tb, int max)
{
	return nla_parse_nested(tb, max, nest, NULL);
}

static void get_u32(uint32_t *dst, struct nlattr *a)
{
	if (a && nla_len(a) >= 4)
		*dst = nla_get_u32(a);
}

static void get_u8(uint8_t *dst, struct nlattr *a)
{
	if (a && nla_len(a) >= 1)
		*dst = nla_get_u8(a);
}

static uint64_t get_u64(struct nlattr *a)
{
	return a && nla_len(a) >= 8 ? nla_get_u64(a) : 0;
}

static void get_str(char *dst, size_t len, struct nlattr *a)
{
	if (a)
		snprintf(dst, len, "%.*s", nla_len(a), (char *)nla_data(a));
}

/* The settings of include/hotpath/settings.h: where each one goes. */
struct setting_slot {
	int attr;
	size_t offset;		/* in struct hp_port */
	size_t size;		/* 1 (uint8_t) or 4 (uint32_t) */
};

#define HP_SETTING_SLOT(nest, a, field, key, kind, min, max, def)	\
	{ HOTPATH_##a, offsetof(struct hp_port, field), sizeof(uint32_t) },
#define HP_SWITCH_SLOT(nest, a, field, key, words, max, def)		\
	{ HOTPATH_##a, offsetof(struct hp_port, field), sizeof(uint8_t) },
static const struct setting_slot port_slots[] = {
	HP_PORT_SWITCHES(HP_SWITCH_SLOT)
	HP_PORT_SETTINGS(HP_SETTING_SLOT)
};

static const struct setting_slot ctpio_slots[] = { HP_CTPIO_SETTINGS(HP_SETTING_SLOT) };
static const struct setting_slot coalesce_slots[] = {
	HP_COALESCE_SETTINGS(HP_SETTING_SLOT)
	HP_COALESCE_SWITCHES(HP_SWITCH_SLOT)
};

#undef HP_SWITCH_SLOT
#undef HP_SETTING_SLOT

static void get_settings(struct hp_port *p, const struct setting_slot *s, size_t n,
			 struct nlattr **tb)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *dst = (char *)p + s[i].offset;

		if (s[i].size == sizeof(uint8_t))
			get_u8((uint8_t *)dst, tb[s[i].attr]);
		else
			get_u32((uint32_t *)dst, tb[s[i].attr]);
	}
}

int hp_nl_parse_port(struct nl_msg *msg, struct hp_port *p)
{
	struct nlattr *tb[HOTPATH_A_MAX + 1];
	struct nlattr *ct[HOTPATH_CTPIO_A_MAX + 1];
	struct nlattr *co[HOTPATH_COALESCE_A_MAX + 1];
	struct nlattr *mo[HOTPATH_MODEL_A_MAX + 1];
	unsigned int i;

	memset(p, 0, sizeof(*p));
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, HOTPATH_A_MAX, NULL) < 0)
		return -EINVAL;
	get_u32(&p->ifindex, tb[HOTPATH_A_IFINDEX]);
	get_str(p->ifname, sizeof(p->ifname), tb[HOTPATH_A_IFNAME]);
	get_u32(&p->kind, tb[HOTPATH_A_KIND]);
	get_str(p->driver, sizeof(p->driver), tb[HOTPATH_A_DRIVER]);
	p->has_phc = !!tb[HOTPATH_A_PHC_INDEX];
	if (tb[HOTPATH_A_PHC_OFFSET_NS] && nla_len(tb[HOTPATH_A_PHC_OFFSET_NS]) >= 8) {
		p->has_phc_offset = true;
		p->phc_offset_ns = (int64_t)nla_get_u64(tb[HOTPATH_A_PHC_OFFSET_NS]);
	}
	p->has_peer = !!tb[HOTPATH_A_PEER_IFINDEX];
	get_u32(&p->peer_ifindex, tb[HOTPATH_A_PEER_IFINDEX]);
	get_str(p->peer_ifname, sizeof(p->peer_ifname), tb[HOTPATH_A_PEER_IFNAME]);
	get_settings(p, port_slots, ARRAY_SIZE(port_slots), tb);
	get_u32(&p->rx_ring, tb[HOTPATH_A_RX_RING_SIZE]);
	get_u32(&p->tx_ring, tb[HOTPATH_A_TX_RING_SIZE]);
	get_u32(&p->phc_index, tb[HOTPATH_A_PHC_INDEX]);
	if (tb[HOTPATH_A_PHC_DRIFT_PPB])
		p->phc_drift_ppb = (int32_t)nla_get_u32(tb[HOTPATH_A_PHC_DRIFT_PPB]);
	get_u8(&p->hwts_tx, tb[HOTPATH_A_HWTSTAMP_TX]);
	get_u8(&p->hwts_rx, tb[HOTPATH_A_HWTSTAMP_RX_FILTER]);
	get_u32(&p->napi_defer_hard_irqs, tb[HOTPATH_A_NAPI_DEFER_HARD_IRQS]);
	p->gro_flush_timeout_ns = get_u64(tb[HOTPATH_A_GRO_FLUSH_TIMEOUT_NS]);
	if (tb[HOTPATH_A_CTPIO] &&
	    !parse_nested_u32(tb[HOTPATH_A_CTPIO], ct, HOTPATH_CTPIO_A_MAX)) {
		get_u8(&p->ctpio_mode, ct[HOTPATH_CTPIO_A_MODE]);
		get_settings(p, ctpio_slots, ARRAY_SIZE(ctpio_slots), ct);
	}
	if (tb[HOTPATH_A_COALESCE] &&
	    !parse_nested_u32(tb[HOTPATH_A_COALESCE], co, HOTPATH_COALESCE_A_MAX)) {
		get_settings(p, coalesce_slots, ARRAY_SIZE(coalesce_slots), co);
	}
	if (tb[HOTPATH_A_MODEL] &&
	    !parse_nested_u32(tb[HOTPATH_A_MODEL], mo, HOTPATH_MODEL_A_MAX)) {
		get_u8(&p->timing, mo[HOTPATH_MODEL_A_TIMING]);
		for (i = 0; i < hp_nr_figures; i++)
			get_u32(hp_port_figure(p, &hp_figures[i]), mo[hp_figures[i].attr]);
	}
	return 0;
}

static int parse_stats(struct nl_msg *msg, struct hp_stats *s)
{
	struct nlattr *tb[HOTPATH_A_MAX + 1];
	struct nlattr *st[HOTPATH_STAGE_A_MAX + 1];
	struct nlattr *a;
	int rem;

	memset(s, 0, sizeof(*s));
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, HOTPATH_A_MAX, NULL) < 0)
		return -EINVAL;
	get_u32(&s->ifindex, tb[HOTPATH_A_IFINDEX]);
	get_str(s->ifname, sizeof(s->ifname), tb[HOTPATH_A_IFNAME]);
	get_u32(&s->kind, tb[HOTPATH_A_KIND]);
	get_str(s->driver, sizeof(s->driver), tb[HOTPATH_A_DRIVER]);
	if (tb[HOTPATH_A_STAGES]) {
		nla_for_each_nested(a, tb[HOTPATH_A_STAGES], rem) {
			struct hp_stage *g;

			if (nla_type(a) != HOTPATH_A_STAGE || s->n_stages >= __HOTPATH_STAGE_MAX)
				continue;
			if (nla_parse_nested(st, HOTPATH_STAGE_A_MAX, a, NULL) < 0)
				continue;
			g = &s->stages[s->n_stages++];
			get_u32(&g->id, st[HOTPATH_STAGE_A_ID]);
			get_str(g->name, sizeof(g->name), st[HOTPATH_STAGE_A_NAME]);
			get_u8(&g->source, st[HOTPATH_STAGE_A_SOURCE]);
			g->count = get_u64(st[HOTPATH_STAGE_A_COUNT]);
			g->sum_ns = get_u64(st[HOTPATH_STAGE_A_SUM_NS]);
			g->min_ns = get_u64(st[HOTPATH_STAGE_A_MIN_NS]);
			g->mean_ns = get_u64(st[HOTPATH_STAGE_A_MEAN_NS]);
			g->max_ns = get_u64(st[HOTPATH_STAGE_A_MAX_NS]);
			g->p50_ns = get_u64(st[HOTPATH_STAGE_A_P50_NS]);
			g->p90_ns = get_u64(st[HOTPATH_STAGE_A_P90_NS]);
			g->p99_ns = get_u64(st[HOTPATH_STAGE_A_P99_NS]);
			g->p999_ns = get_u64(st[HOTPATH_STAGE_A_P999_NS]);
		}
	}
	if (tb[HOTPATH_A_COUNTERS]) {
		nla_for_each_nested(a, tb[HOTPATH_A_COUNTERS], rem) {
			int t = nla_type(a);

			/* type 0 is padding */
			if (t <= HOTPATH_CNT_UNSPEC || t >= HP_COUNTERS_MAX)
				continue;
			s->counters[t] = get_u64(a);
			s->has_counter[t] = true;
		}
	}
	return 0;
}

struct collect {
	void *items;
	size_t size;
	unsigned int n;
	hp_msg_cb parse;
};

static int collect_cb(struct nl_msg *msg, void *arg)
{
	struct collect *c = arg;
	void *items = realloc(c->items, (c->n + 1) * c->size);

	if (!items)
		return NL_STOP;
	c->items = items;
	if (c->parse(msg, (char *)items + c->n * c->size) == 0)
		c->n++;
	return NL_OK;
}

static int parse_port_cb(struct nl_msg *msg, void *p)
{
	return hp_nl_parse_port(msg, p);
}

static int parse_stats_cb(struct nl_msg *msg, void *s)
{
	return parse_stats(msg, s);
}

/* A get for one port, or a dump retried until the kernel says consistent. */
static int get_all(uint8_t cmd, const char *dev, const char *op, struct collect *c, bool quiet)
{
	int tries, err = 0;

	for (tries = 0; tries < 32; tries++) {
		struct nl_msg *msg = hp_nl_new_request(cmd, dev, !dev);

		if (!msg)
			return -ENOMEM;
		c->n = 0;
		err = hp_nl_exec_once(msg, op, collect_cb, c, tries < 31, quiet);
		nlmsg_free(msg);
		if (err != -EINTR)
			break;
	}
	return err;
}

int hp_nl_get_ports(const char *dev, const char *op, struct hp_port **ports, unsigned int *n)
{
	struct collect c = { .size = sizeof(struct hp_port), .parse = parse_port_cb };
	int err = get_all(HOTPATH_CMD_PORT_GET, dev, op, &c, false);

	*ports = c.items;
	*n = c.n;
	return err;
}

int hp_nl_find_port(const char *dev, struct hp_port *port)
{
	struct collect c = { .size = sizeof(struct hp_port), .parse = parse_port_cb };
	int err = get_all(HOTPATH_CMD_PORT_GET, dev, "get", &c, true);

	if (!err && c.n == 1)
		*port = *(struct hp_port *)c.items;
	else if (!err)
		err = -ENODEV;
	free(c.items);
	return err;
}

int hp_nl_get_stats(const char *dev, const char *op, struct hp_stats **stats, unsigned int *n)
{
	struct collect c = { .size = sizeof(struct hp_stats), .parse = parse_stats_cb };
	int err = get_all(HOTPATH_CMD_STATS_GET, dev, op, &c, false);

	*stats = c.items;
	*n = c.n;
	return err;
}

static int counter_names_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[HOTPATH_A_MAX + 1];
	struct nlattr *e[HOTPATH_COUNTER_NAME_A_MAX + 1];
	struct nlattr *a;
	char name[64];
	uint32_t id;
	int rem;

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, HOTPATH_A_MAX, NULL) < 0 ||
	    !tb[HOTPATH_A_COUNTER_NAMES])
		return NL_OK;
	nla_for_each_nested(a, tb[HOTPATH_A_COUNTER_NAMES], rem) {
		if (nla_parse_nested(e, HOTPATH_COUNTER_NAME_A_MAX, a, NULL) < 0 ||
		    !e[HOTPATH_COUNTER_NAME_A_ID] || !e[HOTPATH_COUNTER_NAME_A_NAME])
			continue;
		id = 0;
		get_u32(&id, e[HOTPATH_COUNTER_NAME_A_ID]);
		get_str(name, sizeof(name), e[HOTPATH_COUNTER_NAME_A_NAME]);
		if (counter_name_set(id, name))
			return NL_STOP;
	}
	return NL_OK;
}

int hp_nl_load_counter_names(const char *op)
{
	struct nl_msg *msg = hp_nl_new_request(HOTPATH_CMD_COUNTER_NAMES_GET, NULL, false);
	int err;

	if (!msg)
		return -ENOMEM;
	/*
	 * A module of this family version without the command (EOPNOTSUPP):
	 * its counters are shown as counter_<id>, quietly.
	 */
	err = hp_nl_exec_once(msg, op, counter_names_cb, NULL, false, true);
	nlmsg_free(msg);
	if (err == -EOPNOTSUPP)
		return 0;
	if (err)
		fprintf(stderr, "%s: %s: counter names: %s\n", prog, op, strerror(-err));
	return err;
}

static int (*monitor_fn)(const struct hp_port *port);

static int monitor_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *g = genlmsg_hdr(nlmsg_hdr(msg));
	struct hp_port p;

	if (g->cmd != HOTPATH_CMD_PORT_NTF || hp_nl_parse_port(msg, &p))
		return NL_OK;
	(void)arg;
	return monitor_fn(&p) ? NL_STOP : NL_OK;
}

struct nl_sock *hp_nl_monitor_sock(int (*cb)(const struct hp_port *port))
{
	struct nl_sock *s = hp_nl_socket();
	int grp, err;

	if (!s)
		return NULL;
	grp = genl_ctrl_resolve_grp(s, HOTPATH_GENL_NAME, HOTPATH_MCGRP_CONFIG);
	if (grp < 0) {
		fprintf(stderr, "%s: monitor: multicast group \"%s\": %s\n", prog,
			HOTPATH_MCGRP_CONFIG, nl_geterror(grp));
		goto err;
	}
	err = nl_socket_add_membership(s, grp);
	if (err < 0) {
		fprintf(stderr, "%s: monitor: %s\n", prog, nl_geterror(err));
		goto err;
	}
	nl_socket_disable_seq_check(s);
	monitor_fn = cb;
	nl_socket_modify_cb(s, NL_CB_VALID, NL_CB_CUSTOM, monitor_cb, NULL);
	return s;
err:
	nl_socket_free(s);
	return NULL;
}

