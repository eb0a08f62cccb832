// SPDX-License-Identifier: GPL-2.0
/*
 * ctl_raw: send one malformed or forbidden request to the "hotpath" family
 * over a raw generic netlink socket (what the CLI never sends) and print
 * the kernel's answer:
 *
 *	err=<errno name> offs=<where the extack offset points> msg=<extack>
 *
 * Cases: ro-ring ro-peer unknown-attr bad-len bad-len-nested get-extra
 * get-none get-ifindex-zero.  Used by hotpath_ctl_raw.sh.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/hotpath.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct req {
	struct nlmsghdr nlh;
	struct genlmsghdr g;
	char buf[512];
};

static int fd;
static unsigned int seq;

static struct nlattr *put(struct req *r, int type, const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void nest_end(struct req *r, struct nlattr *nest)
{
	nest->nla_len = (char *)r + r->nlh.nlmsg_len - (char *)nest;
}

static void init(struct req *r, int family, int cmd)
{
	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = family;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->nlh.nlmsg_seq = ++seq;
	r->g.cmd = cmd;
	r->g.version = HOTPATH_GENL_VERSION;
}

/* Send @r; return the errno of its ack (0 or negative), fill msg/offs. */
static int transact(struct req *r, char *msg, size_t msglen, int *offs, char *reply,
		    size_t *replylen)
{
	char buf[16384];
	int n;

	*offs = -1;
	msg[0] = 0;
	if (send(fd, r, r->nlh.nlmsg_len, 0) < 0) {
		perror("send");
		exit(2);
	}
	for (;;) {
		struct nlmsghdr *h;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			perror("recv");
			exit(2);
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned int)n);
		     h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e;
			struct nlattr *a;
			int off, rem;

			if (h->nlmsg_type != NLMSG_ERROR) {
				if (reply && h->nlmsg_len <= *replylen) {
					memcpy(reply, h, h->nlmsg_len);
					*replylen = h->nlmsg_len;
				}
				continue;
			}
			e = NLMSG_DATA(h);
			if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
				return e->error;
			off = sizeof(*e);
			if (!(h->nlmsg_flags & NLM_F_CAPPED))
				off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
			a = (struct nlattr *)((char *)e + off);
			rem = h->nlmsg_len - NLMSG_HDRLEN - off;
			while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem) {
				if (a->nla_type == NLMSGERR_ATTR_MSG)
					snprintf(msg, msglen, "%s", (char *)a + NLA_HDRLEN);
				if (a->nla_type == NLMSGERR_ATTR_OFFS)
					*offs = *(__u32 *)((char *)a + NLA_HDRLEN);
				rem -= NLA_ALIGN(a->nla_len);
				a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
			}
			return e->error;
		}
	}
}

static int resolve_family(void)
{
	char reply[4096], msg[256];
	size_t len = sizeof(reply);
	struct req r;
	struct nlattr *a;
	int offs, rem, err;

	init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	r.g.version = 1;
	put(&r, CTRL_ATTR_FAMILY_NAME, HOTPATH_GENL_NAME, sizeof(HOTPATH_GENL_NAME));
	err = transact(&r, msg, sizeof(msg), &offs, reply, &len);
	if (err) {
		fprintf(stderr, "ctl_raw: family %s: %s\n", HOTPATH_GENL_NAME, strerror(-err));
		exit(2);
	}
	a = (struct nlattr *)(reply + NLMSG_LENGTH(GENL_HDRLEN));
	rem = len - NLMSG_LENGTH(GENL_HDRLEN);
	while (rem >= NLA_HDRLEN) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(__u16 *)((char *)a + NLA_HDRLEN);
		rem -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	fprintf(stderr, "ctl_raw: no family id\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *cs, *dev;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlattr *nest = NULL, *bad = NULL, *a;
	char msg[256];
	struct req r;
	int one = 1, family, err, offs;
	__u32 u32v = 4;
	__u8 u8v = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: ctl_raw CASE DEV\n");
		return 2;
	}
	cs = argv[1];
	dev = argv[2];
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink socket");
		return 2;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	family = resolve_family();

	if (!strncmp(cs, "get-", 4))
		init(&r, family, HOTPATH_CMD_PORT_GET);
	else
		init(&r, family, HOTPATH_CMD_PORT_SET);
	if (strcmp(cs, "get-none") && strcmp(cs, "get-ifindex-zero"))
		put(&r, HOTPATH_A_IFNAME, dev, strlen(dev) + 1);

	if (!strcmp(cs, "ro-ring")) {
		bad = put(&r, HOTPATH_A_RX_RING_SIZE, &u32v, 4);
	} else if (!strcmp(cs, "ro-peer")) {
		bad = put(&r, HOTPATH_A_PEER_IFNAME, "x", 2);
	} else if (!strcmp(cs, "unknown-attr")) {
		bad = put(&r, HOTPATH_A_MAX + 1, &u32v, 4);
	} else if (!strcmp(cs, "bad-len")) {
		/* u32 where the policy says u8 */
		bad = put(&r, HOTPATH_A_RX_MODE, &u32v, 4);
	} else if (!strcmp(cs, "bad-len-nested")) {
		/* u8 where the policy says u32 */
		nest = put(&r, HOTPATH_A_COALESCE | NLA_F_NESTED, NULL, 0);
		bad = put(&r, HOTPATH_COALESCE_A_RX_USECS, &u8v, 1);
		nest_end(&r, nest);
	} else if (!strcmp(cs, "get-extra")) {
		bad = put(&r, HOTPATH_A_RX_MODE, &u8v, 1);
	} else if (!strcmp(cs, "get-ifindex-zero")) {
		u32v = 0;
		bad = put(&r, HOTPATH_A_IFINDEX, &u32v, 4);
	} else if (strcmp(cs, "get-none")) {
		fprintf(stderr, "ctl_raw: unknown case %s\n", cs);
		return 2;
	}

	err = transact(&r, msg, sizeof(msg), &offs, NULL, NULL);
	a = offs >= 0 ? (struct nlattr *)((char *)&r + offs) : NULL;
	printf("err=%s offs=%s msg=%s\n",
	       err == 0 ? "0" : err == -EINVAL ? "EINVAL" : err == -EOPNOTSUPP ? "EOPNOTSUPP" :
	       err == -ERANGE ? "ERANGE" : err == -ENODEV ? "ENODEV" : err == -EPERM ? "EPERM" :
	       strerror(-err),
	       !a ? "none" : a == bad ? "bad-attr" : "other", msg);
	return 0;
}
