// SPDX-License-Identifier: GPL-2.0
/*
 * Frame senders for the technique tests (hotpath_tech_*.sh) that the other
 * helpers cannot make:
 *
 *   tech_send raw IFNAME LEN COUNT
 *	COUNT raw Ethernet frames of LEN bytes (14 B header included, no
 *	FCS) on IFNAME through an AF_PACKET socket, one sendto() each, to
 *	the broadcast address with the local experimental EtherType 0x88b5.
 *	UDP cannot make a frame shorter than 42 B; this makes CTPIO runts
 *	(< 29 B).  Paced like "udp".
 *   tech_send udp ADDR PORT COUNT SIZE
 *	COUNT UDP datagrams of SIZE bytes, one at a time: after each send()
 *	wait until the socket's send queue is empty (SIOCOUTQ, i.e. the
 *	driver reaped the TX completion and freed the skb), so every frame
 *	finds the device's TX ring empty whatever the scheduling.
 *   tech_send mmsg ADDR PORT COUNT SIZE [GROUP]
 *	COUNT UDP datagrams of SIZE bytes in sendmmsg() calls of GROUP
 *	(default COUNT: one call), waiting between calls until the send
 *	queue is empty as "udp" does.
 *
 * Datagrams are in the format `hp_xfer udp-server` verifies (u32 seq, u32
 * size, bytes derived from both), so the receiver checks every one arrived
 * intact.  Pin the sender to one CPU (taskset) to have the softirq work
 * the frames raised there (NAPI of both ports) done before it sends again.
 *
 * Prints "sent=N"; exit 0 when all COUNT went out, 1 otherwise.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "hp_dgram.h"

#define ETH_P_EXPERIMENTAL	0x88b5
#define MAX_COUNT		1024

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Until the socket has nothing in flight (its skbs were freed): 0, or -1. */
static int wait_sent(int fd)
{
	double end = now() + 5;
	int outq;

	for (;;) {
		if (ioctl(fd, SIOCOUTQ, &outq))
			die("SIOCOUTQ");
		if (!outq)
			return 0;
		if (now() > end) {
			fprintf(stderr, "send queue still holds %d bytes after 5 s\n", outq);
			return -1;
		}
		usleep(20);
	}
}

/*
 * COUNT sends of the @len bytes at @buf on @fd (to @to, or where it is
 * connected), @fill(buf, i, len) first when given, each waited out of the
 * ring.  Prints sent=N; 0 when all went out.
 */
static int send_each(int fd, const struct sockaddr *to, socklen_t tolen, unsigned char *buf,
		     unsigned int len, unsigned int count,
		     void (*fill)(unsigned char *buf, uint32_t i, uint32_t len))
{
	unsigned int i, sent = 0;

	for (i = 0; i < count; i++) {
		if (fill)
			fill(buf, i, len);
		if (sendto(fd, buf, len, 0, to, tolen) != (ssize_t)len) {
			perror("sendto");
			break;
		}
		if (wait_sent(fd))
			break;
		sent++;
	}
	printf("sent=%u\n", sent);
	return sent == count ? 0 : 1;
}

static int send_raw(const char *ifname, unsigned int len, unsigned int count)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = ETH_ALEN };
	unsigned char frame[ETH_FRAME_LEN];
	unsigned int i;
	int fd;

	if (len < ETH_HLEN || len > sizeof(frame)) {
		fprintf(stderr, "raw: LEN must be %d..%zu\n", ETH_HLEN, sizeof(frame));
		return 2;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("socket(AF_PACKET)");
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		die(ifname);
	memset(sll.sll_addr, 0xff, ETH_ALEN);

	memset(frame, 0xff, ETH_ALEN);			/* destination: broadcast */
	memcpy(frame + ETH_ALEN, "\x02\x00\x00\x00\x00\x01", ETH_ALEN);
	frame[12] = ETH_P_EXPERIMENTAL >> 8;
	frame[13] = ETH_P_EXPERIMENTAL & 0xff;
	for (i = ETH_HLEN; i < len; i++)
		frame[i] = i;

	return send_each(fd, (struct sockaddr *)&sll, sizeof(sll), frame, len, count, NULL);
}

static int udp_connect(const char *addr, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd;

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", addr);
		exit(2);
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect");
	return fd;
}

static int send_paced(const char *addr, int port, unsigned int count, unsigned int size)
{
	unsigned char buf[65507];
	int fd;

	if (size < 8 || size > sizeof(buf)) {
		fprintf(stderr, "udp: SIZE 8..%zu\n", sizeof(buf));
		return 2;
	}
	fd = udp_connect(addr, port);
	return send_each(fd, NULL, 0, buf, size, count, make_dgram);
}

static int send_mmsg(const char *addr, int port, unsigned int count, unsigned int size,
		     unsigned int group)
{
	static struct mmsghdr msgs[MAX_COUNT];
	static struct iovec iov[MAX_COUNT];
	unsigned int i, sent = 0;
	unsigned char *bufs;
	int fd, n;

	if (!group)
		group = count;
	if (count < 1 || count > MAX_COUNT || size < 8 || size > 65507 || group > count) {
		fprintf(stderr, "mmsg: COUNT 1..%d, SIZE 8..65507, GROUP 1..COUNT\n", MAX_COUNT);
		return 2;
	}
	bufs = malloc((size_t)count * size);
	if (!bufs)
		die("malloc");
	fd = udp_connect(addr, port);
	for (i = 0; i < count; i++) {
		make_dgram(bufs + (size_t)i * size, i, size);
		iov[i].iov_base = bufs + (size_t)i * size;
		iov[i].iov_len = size;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (sent < count) {
		unsigned int want = count - sent < group ? count - sent : group;

		n = sendmmsg(fd, msgs + sent, want, 0);
		if (n < 0) {
			perror("sendmmsg");
			break;
		}
		sent += n;
		if ((unsigned int)n != want || wait_sent(fd))
			break;
	}
	printf("sent=%u\n", sent);
	return sent == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "raw"))
		return send_raw(argv[2], strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0));
	if (argc == 6 && !strcmp(argv[1], "udp"))
		return send_paced(argv[2], atoi(argv[3]), strtoul(argv[4], NULL, 0),
				  strtoul(argv[5], NULL, 0));
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "mmsg"))
		return send_mmsg(argv[2], atoi(argv[3]), strtoul(argv[4], NULL, 0),
				 strtoul(argv[5], NULL, 0),
				 argc == 7 ? strtoul(argv[6], NULL, 0) : 0);
	fprintf(stderr, "usage: tech_send raw IFNAME LEN COUNT\n"
		"       tech_send udp ADDR PORT COUNT SIZE\n"
		"       tech_send mmsg ADDR PORT COUNT SIZE [GROUP]\n");
	return 2;
}
