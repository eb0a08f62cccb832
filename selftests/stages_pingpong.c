// SPDX-License-Identifier: GPL-2.0
/*
 * Exact UDP ping-pong for the stage tests: the client sends COUNT datagrams
 * of SIZE bytes, one in flight, each carrying its CLOCK_MONOTONIC send time
 * (taken right before send()); the server echoes exactly COUNT datagrams
 * and measures the one-way latency (after recv() returned minus the send
 * time: both ends run in one kernel, so they share the clock).
 *
 *   stages_pingpong server PORT COUNT [BUSY_POLL_US [WARMUP]]
 *	prints "oneway_mean_ns=N count=N" when done
 *   stages_pingpong client ADDR PORT COUNT SIZE [BUSY_POLL_US [WARMUP [CMD]]]
 *	prints "rtt_mean_ns=N count=N"
 *
 * No handshake: every datagram on the wire is counted.  WARMUP round trips
 * go first (busy polling needs a packet on each socket to learn the NAPI
 * id), then the client runs CMD (e.g. a stats reset), then COUNT measured
 * round trips follow.
 *
 * With BUSY_POLL_US (SO_BUSY_POLL) a receive spins on non-blocking recv()s,
 * each of which busy polls the socket's NAPI once, until its datagram is
 * there (or the socket's timeout passes): the poller is there however long
 * the peer takes (the client's CMD, a vCPU the host took away), where a
 * blocking recv() would stop polling after BUSY_POLL_US and sleep, leaving
 * the datagram to the driver's fallback.
 * Exit 0 when all COUNT round trips completed, 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_BUSY_POLL
#define SO_BUSY_POLL 46
#endif

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * recvfrom(), or with @busy a spin of non-blocking ones (one busy poll
 * each) until a datagram is there or @timeout_s passed (EAGAIN then, as
 * SO_RCVTIMEO gives).
 */
static ssize_t recv_dgram(int fd, void *buf, size_t len, struct sockaddr *peer,
			  socklen_t *plen, int busy, int timeout_s)
{
	uint64_t end = now_ns() + (uint64_t)timeout_s * 1000000000ULL;
	ssize_t n;

	if (!busy)
		return recvfrom(fd, buf, len, 0, peer, plen);
	for (;;) {
		n = recvfrom(fd, buf, len, MSG_DONTWAIT, peer, plen);
		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			return n;
		if (now_ns() > end) {
			errno = EAGAIN;
			return -1;
		}
	}
}

static int udp_socket(int busy_poll_us, int timeout_s)
{
	struct timeval tv = { .tv_sec = timeout_s };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("SO_RCVTIMEO");
		exit(1);
	}
	if (busy_poll_us &&
	    setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &busy_poll_us,
		       sizeof(busy_poll_us))) {
		perror("SO_BUSY_POLL");
		exit(1);
	}
	return fd;
}

static int server(int argc, char **argv)
{
	int port = atoi(argv[2]), count = atoi(argv[3]);
	int busy = argc > 4 ? atoi(argv[4]) : 0;
	int warmup = argc > 5 ? atoi(argv[5]) : 0;
	struct sockaddr_in addr = { .sin_family = AF_INET };
	struct sockaddr_in peer;
	socklen_t plen;
	unsigned char buf[65536];
	uint64_t sum = 0, t, sent;
	int fd, i;
	ssize_t n;

	fd = udp_socket(busy, 30);
	addr.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("bind");
		return 1;
	}
	for (i = 0; i < warmup + count; i++) {
		plen = sizeof(peer);
		n = recv_dgram(fd, buf, sizeof(buf), (struct sockaddr *)&peer, &plen, busy, 30);
		t = now_ns();
		if (n < (ssize_t)sizeof(sent)) {
			fprintf(stderr, "server: recv %d: %s\n", i, n < 0 ? strerror(errno) : "short");
			return 1;
		}
		memcpy(&sent, buf, sizeof(sent));
		if (i >= warmup)
			sum += t - sent;
		if (sendto(fd, buf, n, 0, (struct sockaddr *)&peer, plen) != n) {
			perror("server: sendto");
			return 1;
		}
	}
	printf("oneway_mean_ns=%llu count=%d\n", (unsigned long long)(sum / count), count);
	return 0;
}

static int client(int argc, char **argv)
{
	int port = atoi(argv[3]), count = atoi(argv[4]), size = atoi(argv[5]);
	int busy = argc > 6 ? atoi(argv[6]) : 0;
	int warmup = argc > 7 ? atoi(argv[7]) : 0;
	const char *cmd = argc > 8 ? argv[8] : NULL;
	struct sockaddr_in addr = { .sin_family = AF_INET };
	unsigned char buf[65536];
	uint64_t sum = 0, t;
	int fd, i;
	ssize_t n;

	if (size < 8 || size > 65000) {
		fprintf(stderr, "client: size 8..65000\n");
		return 2;
	}
	fd = udp_socket(busy, 5);
	addr.sin_port = htons(port);
	if (inet_pton(AF_INET, argv[2], &addr.sin_addr) != 1) {
		fprintf(stderr, "client: bad address %s\n", argv[2]);
		return 2;
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("connect");
		return 1;
	}
	memset(buf, 0x5a, size);
	for (i = -warmup; i < count; i++) {
		if (i == 0 && cmd && system(cmd)) {
			fprintf(stderr, "client: '%s' failed\n", cmd);
			return 1;
		}
		t = now_ns();
		memcpy(buf, &t, sizeof(t));
		if (send(fd, buf, size, 0) != size) {
			perror("client: send");
			return 1;
		}
		n = recv_dgram(fd, buf, sizeof(buf), NULL, NULL, busy, 5);
		if (n != size) {
			fprintf(stderr, "client: echo %d: %s\n", i, n < 0 ? strerror(errno) : "size");
			return 1;
		}
		if (i >= 0)
			sum += now_ns() - t;
	}
	printf("rtt_mean_ns=%llu count=%d\n", (unsigned long long)(sum / count), count);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "server"))
		return server(argc, argv);
	if (argc >= 6 && !strcmp(argv[1], "client"))
		return client(argc, argv);
	fprintf(stderr, "usage: %s server PORT COUNT [BUSY_POLL_US [WARMUP]]\n"
		"       %s client ADDR PORT COUNT SIZE [BUSY_POLL_US [WARMUP [CMD]]]\n", argv[0], argv[0]);
	return 2;
}
