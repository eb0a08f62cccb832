// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware timestamping helper for the hotpath_ptp_*.sh tests.
 *
 *   hwts set DEV TX_TYPE RX_FILTER [FLAGS]
 *	SIOCSHWTSTAMP; prints the granted "tx=N rx=N", or "errno=NAME" and
 *	exits 1 when refused.
 *   hwts get DEV
 *	SIOCGHWTSTAMP; prints "tx=N rx=N".
 *   hwts pp NS_A DEV_A NS_B DEV_B LEN COUNT
 *	COUNT ping-pongs of LEN-byte raw Ethernet frames (EtherType 0x88b5,
 *	header included, no FCS) over AF_PACKET sockets opened in the two
 *	namespaces (/run/netns/NS): A sends, B receives, B sends, A receives.
 *	Every send must yield a TX hardware stamp and every receive an RX
 *	hardware stamp (SO_TIMESTAMPING, raw PHC time) within 2 s.  Prints
 *	per exchange "ab TX RX SW" and "ba TX RX SW": the sender's hardware
 *	TX stamp, the receiver's hardware RX stamp and the sender's software
 *	TX stamp (OPT_TX_SWHW), in ns.  Sets both devices' stamping on.
 *   hwts hold DEV COUNT
 *	Requests TX hardware stamps on COUNT frames sent on DEV (this
 *	namespace) as fast as possible, until the device goes away, then
 *	reads the error queue: prints "sent=N stamps=M wmem=W", where W is
 *	the socket's outstanding send memory (SO_MEMINFO), 0 once every skb
 *	was freed; fails on a stamp for a frame never sent or one stamped
 *	twice.
 *   hwts tx DEV COUNT
 *	Sends COUNT broadcast frames on DEV (this namespace), one at a time,
 *	each with a TX hardware stamp requested, and waits up to 2 s for the
 *	stamp of each before the next; fails on a missing stamp or one not
 *	later than the one before.  The device's stamping config is left as
 *	it is (hwstamp_ctl sets it: igb's 82576 refuses rx filter ALL, which
 *	pp asks for).  Prints "sent=N stamps=N first=NS last=NS" (raw PHC).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ETH_P_EXPERIMENTAL	0x88b5
#define MAX_LEN			9014

static void die(const char *what)
{
	fprintf(stderr, "hwts: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fail(const char *msg)
{
	fprintf(stderr, "hwts: %s\n", msg);
	exit(1);
}

static int hwts_ioctl(const char *dev, unsigned long cmd, struct hwtstamp_config *hc)
{
	struct ifreq ifr;
	int fd, err;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ifr.ifr_data = (void *)hc;
	err = ioctl(fd, cmd, &ifr);
	if (err)
		err = errno;
	close(fd);
	return err;
}

static const char *errno_name(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case EPERM: return "EPERM";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENODEV: return "ENODEV";
	}
	return strerror(e);
}

static int cmd_set(int argc, char **argv)
{
	struct hwtstamp_config hc = { 0 };
	int err;

	if (argc < 5)
		fail("usage: set DEV TX_TYPE RX_FILTER [FLAGS]");
	hc.tx_type = atoi(argv[3]);
	hc.rx_filter = atoi(argv[4]);
	hc.flags = argc > 5 ? atoi(argv[5]) : 0;
	err = hwts_ioctl(argv[2], SIOCSHWTSTAMP, &hc);
	if (err) {
		printf("errno=%s\n", errno_name(err));
		return 1;
	}
	printf("tx=%d rx=%d\n", hc.tx_type, hc.rx_filter);
	return 0;
}

static int cmd_get(int argc, char **argv)
{
	struct hwtstamp_config hc = { 0 };
	int err;

	if (argc < 3)
		fail("usage: get DEV");
	err = hwts_ioctl(argv[2], SIOCGHWTSTAMP, &hc);
	if (err) {
		printf("errno=%s\n", errno_name(err));
		return 1;
	}
	printf("tx=%d rx=%d\n", hc.tx_type, hc.rx_filter);
	return 0;
}

static void enter_ns(const char *ns)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	if (setns(fd, CLONE_NEWNET))
		die("setns");
	close(fd);
}

struct port {
	int fd;
	int ifindex;
	unsigned char mac[6];
};

/*
 * @sw: software TX stamps too (a second error queue message per frame);
 * @cfg: switch the device's stamping on (TX on, RX filter ALL)
 */
static void port_open_cfg(struct port *p, const char *ns, const char *dev, bool sw,
			  bool cfg)
{
	int flags = SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RX_HARDWARE |
		    SOF_TIMESTAMPING_RAW_HARDWARE | SOF_TIMESTAMPING_OPT_ID |
		    SOF_TIMESTAMPING_OPT_TSONLY;
	struct hwtstamp_config hc = { .tx_type = HWTSTAMP_TX_ON,
				      .rx_filter = HWTSTAMP_FILTER_ALL };
	struct sockaddr_ll sll = { 0 };
	struct ifreq ifr;
	int err;

	if (sw)
		flags |= SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
			 SOF_TIMESTAMPING_OPT_TX_SWHW;
	if (ns)
		enter_ns(ns);
	err = cfg ? hwts_ioctl(dev, SIOCSHWTSTAMP, &hc) : 0;
	if (err) {
		errno = err;
		die("SIOCSHWTSTAMP");
	}
	p->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_EXPERIMENTAL));
	if (p->fd < 0)
		die("socket(AF_PACKET)");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(p->fd, SIOCGIFHWADDR, &ifr))
		die("SIOCGIFHWADDR");
	memcpy(p->mac, ifr.ifr_hwaddr.sa_data, 6);
	p->ifindex = if_nametoindex(dev);
	if (!p->ifindex)
		die("if_nametoindex");
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_EXPERIMENTAL);
	sll.sll_ifindex = p->ifindex;
	if (bind(p->fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind");
	if (setsockopt(p->fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)))
		die("SO_TIMESTAMPING");
}

static void port_open(struct port *p, const char *ns, const char *dev, bool sw)
{
	port_open_cfg(p, ns, dev, sw, true);
}

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ULL + t->tv_nsec;
}

/* Wait up to 2 s for a message on @fd (error queue if @err). */
static int wait_msg(int fd, bool err)
{
	struct pollfd pfd = { .fd = fd, .events = err ? POLLERR : POLLIN };
	int n = poll(&pfd, 1, 2000);

	if (n < 0)
		die("poll");
	return n;
}

/*
 * The stamps of the cmsgs of @msg: hw (ts[2]) and sw (ts[0]); each may
 * come in its own message (OPT_TX_SWHW), so they are merged by the caller.
 */
static void read_stamps(struct msghdr *msg, uint64_t *hw, uint64_t *sw)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPING) {
			struct scm_timestamping *ts = (void *)CMSG_DATA(c);

			if (ts->ts[2].tv_sec || ts->ts[2].tv_nsec)
				*hw = ts_ns(&ts->ts[2]);
			if (ts->ts[0].tv_sec || ts->ts[0].tv_nsec)
				*sw = ts_ns(&ts->ts[0]);
		}
	}
}

/* The hardware and software TX stamps of the frame just sent. */
static void tx_stamps(int fd, uint64_t *hw, uint64_t *sw)
{
	char ctrl[512];
	struct msghdr msg;

	*hw = *sw = 0;
	while (!*hw || !*sw) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_control = ctrl;
		msg.msg_controllen = sizeof(ctrl);
		if (!wait_msg(fd, true))
			fail(*hw ? "no software TX stamp within 2 s" :
				   "no hardware TX stamp within 2 s");
		if (recvmsg(fd, &msg, MSG_ERRQUEUE) < 0)
			die("recvmsg(MSG_ERRQUEUE)");
		read_stamps(&msg, hw, sw);
	}
}

static uint64_t rx_stamp(int fd, unsigned char *buf, size_t len)
{
	char ctrl[512];
	struct iovec iov = { .iov_base = buf, .iov_len = MAX_LEN };
	struct msghdr msg;
	uint64_t hw = 0, sw = 0;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctrl;
	msg.msg_controllen = sizeof(ctrl);
	if (!wait_msg(fd, false))
		fail("frame not received within 2 s");
	n = recvmsg(fd, &msg, 0);
	if (n < 0)
		die("recvmsg");
	if ((size_t)n != len)
		fail("received frame of the wrong length");
	read_stamps(&msg, &hw, &sw);
	if (!hw)
		fail("received frame without a hardware RX stamp");
	return hw;
}

static void send_frame(struct port *from, const struct port *to, unsigned char *buf,
		       size_t len)
{
	memcpy(buf, to->mac, 6);
	memcpy(buf + 6, from->mac, 6);
	buf[12] = ETH_P_EXPERIMENTAL >> 8;
	buf[13] = ETH_P_EXPERIMENTAL & 0xff;
	if (send(from->fd, buf, len, 0) != (ssize_t)len)
		die("send");
}

static int cmd_pp(int argc, char **argv)
{
	static unsigned char buf[MAX_LEN], rbuf[MAX_LEN];
	struct port a, b;
	size_t len;
	int i, count;

	if (argc < 8)
		fail("usage: pp NS_A DEV_A NS_B DEV_B LEN COUNT");
	len = atoi(argv[6]);
	count = atoi(argv[7]);
	if (len < 14 || len > MAX_LEN)
		fail("LEN must be 14..9014");
	port_open(&a, argv[2], argv[3], true);
	port_open(&b, argv[4], argv[5], true);
	memset(buf, 0x5a, sizeof(buf));

	for (i = 0; i < count; i++) {
		uint64_t tx, sw, rx;

		send_frame(&a, &b, buf, len);
		tx_stamps(a.fd, &tx, &sw);
		rx = rx_stamp(b.fd, rbuf, len);
		printf("ab %llu %llu %llu\n", (unsigned long long)tx,
		       (unsigned long long)rx, (unsigned long long)sw);
		send_frame(&b, &a, buf, len);
		tx_stamps(b.fd, &tx, &sw);
		rx = rx_stamp(a.fd, rbuf, len);
		printf("ba %llu %llu %llu\n", (unsigned long long)tx,
		       (unsigned long long)rx, (unsigned long long)sw);
	}
	return 0;
}

static int cmd_hold(int argc, char **argv)
{
	static unsigned char buf[128];
	static unsigned char seen[1 << 20];
	struct port p;
	char ctrl[512];
	unsigned int sent = 0, stamps = 0, count, mem[SK_MEMINFO_VARS];
	socklen_t ml = sizeof(mem);
	int i;

	if (argc < 4)
		fail("usage: hold DEV COUNT");
	count = atoi(argv[3]);
	if (count > sizeof(seen))
		fail("COUNT too large");
	port_open(&p, NULL, argv[2], false);
	memset(buf, 0xff, 12);
	buf[12] = ETH_P_EXPERIMENTAL >> 8;
	buf[13] = ETH_P_EXPERIMENTAL & 0xff;
	while (sent < count) {
		if (send(p.fd, buf, sizeof(buf), MSG_DONTWAIT) != sizeof(buf)) {
			if (errno == EAGAIN || errno == ENOBUFS) {
				usleep(100);
				continue;
			}
			break;		/* ENXIO, ENETDOWN: the device is gone */
		}
		sent++;
	}
	/* drain what the error queue holds, for a second at most */
	for (i = 0; i < 10; ) {
		struct sock_extended_err *ee = NULL;
		struct msghdr msg;
		struct cmsghdr *c;

		memset(&msg, 0, sizeof(msg));
		msg.msg_control = ctrl;
		msg.msg_controllen = sizeof(ctrl);
		if (recvmsg(p.fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
			if (errno != EAGAIN)
				die("recvmsg(MSG_ERRQUEUE)");
			usleep(100000);
			i++;
			continue;
		}
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_TX_TIMESTAMP)
				ee = (void *)CMSG_DATA(c);
		if (!ee || ee->ee_origin != SO_EE_ORIGIN_TIMESTAMPING)
			continue;
		if (ee->ee_info != SCM_TSTAMP_SND)
			continue;
		if (ee->ee_data >= sent)
			fail("stamp for a frame never sent");
		if (seen[ee->ee_data]++)
			fail("frame stamped twice");
		stamps++;
	}
	if (getsockopt(p.fd, SOL_SOCKET, SO_MEMINFO, mem, &ml))
		die("SO_MEMINFO");
	printf("sent=%u stamps=%u wmem=%u\n", sent, stamps, mem[SK_MEMINFO_WMEM_ALLOC]);
	return 0;
}

static int cmd_tx(int argc, char **argv)
{
	static unsigned char buf[64];
	uint64_t first = 0, prev = 0;
	unsigned int count, i;
	char ctrl[512];
	struct port p;

	if (argc < 4)
		fail("usage: tx DEV COUNT");
	count = atoi(argv[3]);
	port_open_cfg(&p, NULL, argv[2], false, false);
	memset(buf, 0xff, 6);
	memcpy(buf + 6, p.mac, 6);
	buf[12] = ETH_P_EXPERIMENTAL >> 8;
	buf[13] = ETH_P_EXPERIMENTAL & 0xff;
	for (i = 0; i < count; i++) {
		uint64_t hw = 0, sw = 0;
		struct msghdr msg;

		if (send(p.fd, buf, sizeof(buf), 0) != sizeof(buf))
			die("send");
		while (!hw) {
			memset(&msg, 0, sizeof(msg));
			msg.msg_control = ctrl;
			msg.msg_controllen = sizeof(ctrl);
			if (!wait_msg(p.fd, true)) {
				printf("sent=%u stamps=%u\n", i + 1, i);
				fail("no hardware TX stamp within 2 s");
			}
			if (recvmsg(p.fd, &msg, MSG_ERRQUEUE) < 0)
				die("recvmsg(MSG_ERRQUEUE)");
			read_stamps(&msg, &hw, &sw);
		}
		if (hw <= prev)
			fail("a TX stamp not later than the one before");
		if (!first)
			first = hw;
		prev = hw;
	}
	printf("sent=%u stamps=%u first=%llu last=%llu\n", count, count,
	       (unsigned long long)first, (unsigned long long)prev);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		fail("usage: hwts set|get|pp|hold|tx ...");
	if (!strcmp(argv[1], "set"))
		return cmd_set(argc, argv);
	if (!strcmp(argv[1], "get"))
		return cmd_get(argc, argv);
	if (!strcmp(argv[1], "pp"))
		return cmd_pp(argc, argv);
	if (!strcmp(argv[1], "hold"))
		return cmd_hold(argc, argv);
	if (!strcmp(argv[1], "tx"))
		return cmd_tx(argc, argv);
	fail("unknown command");
	return 1;
}
