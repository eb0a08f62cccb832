// SPDX-License-Identifier: GPL-2.0
/*
 * --hw-timestamps: NIC hardware stamps (SO_TIMESTAMPING) on both ends of a
 * ping-pong, to split the client -> server trip into
 *   host TX  send()            -> the client NIC's TX stamp (first bit out)
 *   wire     client TX stamp   -> the server NIC's RX stamp (last bit in)
 *   host RX  server RX stamp   -> the server's recv() return
 * Each NIC stamps against its own PTP hardware clock; both ends run in one
 * kernel here, so each side maps its PHC onto CLOCK_MONOTONIC (the clock
 * the application stamps with) by reading both back to back, best of
 * several reads, as phc2sys does.  That mapping is exact only as long as
 * the PHC is not steered meanwhile (no ptp4l on these ports during a run);
 * its uncertainty is the read window, reported with the results.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define CLOCKFD			3
#define FD_TO_CLOCKID(fd)	((clockid_t)((~(unsigned int)(fd) << 3) | CLOCKFD))
#define HWTS_READS		50

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ULL + (uint64_t)t->tv_nsec;
}

/* Enable stamping on @ifname and map its PHC to CLOCK_MONOTONIC. */
static int hwts_dev(int fd, const char *ifname, struct bench_hwts *h)
{
	struct ethtool_ts_info info = { .cmd = ETHTOOL_GET_TS_INFO };
	struct hwtstamp_config hc = { .tx_type = HWTSTAMP_TX_ON,
				      .rx_filter = HWTSTAMP_FILTER_ALL };
	struct ifreq ifr;
	char path[32];
	int pfd, i;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&info;
	if (ioctl(fd, SIOCETHTOOL, &ifr) || info.phc_index < 0) {
		fprintf(stderr, "hotpath-bench: %s has no PTP hardware clock\n", ifname);
		return -1;
	}
	ifr.ifr_data = (void *)&hc;
	if (ioctl(fd, SIOCSHWTSTAMP, &ifr)) {
		fprintf(stderr, "hotpath-bench: SIOCSHWTSTAMP %s: %s\n", ifname, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "/dev/ptp%d", info.phc_index);
	pfd = open(path, O_RDONLY);
	if (pfd < 0) {
		fprintf(stderr, "hotpath-bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	h->window_ns = UINT64_MAX;
	for (i = 0; i < HWTS_READS; i++) {
		struct timespec a, p, b;
		uint64_t w;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (clock_gettime(FD_TO_CLOCKID(pfd), &p)) {
			fprintf(stderr, "hotpath-bench: reading %s: %s\n", path, strerror(errno));
			close(pfd);
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		w = ts_ns(&b) - ts_ns(&a);
		if (w < h->window_ns) {
			h->window_ns = w;
			h->phc_minus_mono = (int64_t)(ts_ns(&p) - (ts_ns(&a) + w / 2));
		}
	}
	close(pfd);
	snprintf(h->ifname, sizeof(h->ifname), "%s", ifname);
	h->phc_index = info.phc_index;
	return 0;
}

/* The interface holding the socket's local address. */
static int local_ifname(int fd, char *name, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct ifaddrs *ifa, *i;
	int ret = -1;

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) || getifaddrs(&ifa))
		return -1;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != ss.ss_family)
			continue;
		if ((ss.ss_family == AF_INET &&
		     ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr ==
		     ((struct sockaddr_in *)&ss)->sin_addr.s_addr) ||
		    (ss.ss_family == AF_INET6 &&
		     !memcmp(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr,
			     &((struct sockaddr_in6 *)&ss)->sin6_addr, 16))) {
			snprintf(name, len, "%s", i->ifa_name);
			ret = 0;
			break;
		}
	}
	freeifaddrs(ifa);
	return ret;
}

/* A wildcard-bound server: the first interface of this netns with a PHC. */
static int phc_ifname(int fd, char *name, size_t len)
{
	struct if_nameindex *ni, *i;
	int ret = -1;

	ni = if_nameindex();
	if (!ni)
		return -1;
	for (i = ni; i->if_index; i++) {
		struct ethtool_ts_info info = { .cmd = ETHTOOL_GET_TS_INFO };
		struct ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
		ifr.ifr_data = (void *)&info;
		if (!ioctl(fd, SIOCETHTOOL, &ifr) && info.phc_index >= 0) {
			snprintf(name, len, "%s", i->if_name);
			ret = 0;
			break;
		}
	}
	if_freenameindex(ni);
	return ret;
}

int bench_hwts_open(int fd, bool tx, const char *ifname, struct bench_hwts *h)
{
	int flags = SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE |
		    SOF_TIMESTAMPING_OPT_CMSG;
	char name[IF_NAMESIZE];

	if (tx)
		flags |= SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_OPT_TSONLY;
	if (!ifname) {
		if (local_ifname(fd, name, sizeof(name)) && phc_ifname(fd, name, sizeof(name))) {
			fprintf(stderr, "hotpath-bench: no interface with a PTP hardware clock\n");
			return -1;
		}
		ifname = name;
	}
	if (hwts_dev(fd, ifname, h))
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags))) {
		perror("hotpath-bench: SO_TIMESTAMPING");
		return -1;
	}
	return 0;
}

uint64_t bench_hwts_mono(const struct bench_hwts *h, uint64_t phc_ns)
{
	return (uint64_t)((int64_t)phc_ns - h->phc_minus_mono);
}

uint64_t bench_hwts_cmsg(struct msghdr *msg)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPING) {
			const struct timespec *ts = (const void *)CMSG_DATA(c);

			if (ts[2].tv_sec || ts[2].tv_nsec)
				return ts_ns(&ts[2]);
		}
	}
	return 0;
}

void bench_hwts_drain(int fd)
{
	char ctrl[256];
	struct msghdr msg;
	int i;

	for (i = 0; i < 1024; i++) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_control = ctrl;
		msg.msg_controllen = sizeof(ctrl);
		if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return;
	}
}

uint64_t bench_hwts_tx(int fd, unsigned int timeout_ms)
{
	char ctrl[256];
	struct msghdr msg;
	struct pollfd p = { .fd = fd, .events = 0 };

	for (;;) {
		uint64_t t;

		memset(&msg, 0, sizeof(msg));
		msg.msg_control = ctrl;
		msg.msg_controllen = sizeof(ctrl);
		if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) >= 0) {
			t = bench_hwts_cmsg(&msg);
			if (t)
				return t;
			continue;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return 0;
		/* POLLERR is reported whatever the events asked for */
		if (poll(&p, 1, (int)timeout_ms) <= 0)
			return 0;
	}
}
