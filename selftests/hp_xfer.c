// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic with end-to-end checksums for the hotpath selftests.
 *
 *   hp_xfer tcp-server PORT                      receive one connection to EOF
 *   hp_xfer tcp-client ADDR PORT BYTES           send BYTES of seeded data
 *   hp_xfer udp-server PORT COUNT IDLE_MS        receive until COUNT or IDLE_MS idle
 *   hp_xfer udp-client ADDR PORT COUNT SIZE [SNDBUF]  (SIGTERM: stop, print sent=N)
 *   hp_xfer udp-flood ADDR PORT SECONDS SIZE     send until SECONDS pass, errors ignored
 *
 * Both TCP ends print "bytes=N fnv=HEX"; the test compares them.  Every UDP
 * datagram carries its sequence number and a payload derived from it; the
 * server verifies each and prints "received=N bad=N dup=N". Servers bind to
 * the IPv6 wildcard (dual stack), so IPv4 and IPv6 both work.  Exit 0 when
 * the transfer completed, 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hp_dgram.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define MAX_DGRAM 65507
#define FIRST_DGRAM_MS 60000	/* a server waits this long for its first datagram */

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
	while (n--) {
		h ^= *p++;
		h *= FNV_PRIME;
	}
	return h;
}

static int server_socket(int type, int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int one = 1, zero = 0, fd;

	fd = socket(AF_INET6, type, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		die("bind");
	return fd;
}

static int client_socket(int type, const char *addr, int port, struct sockaddr_storage *ss,
			 socklen_t *len)
{
	struct addrinfo hints = { .ai_socktype = type, .ai_flags = AI_NUMERICHOST }, *ai;
	char ports[16];
	int fd, err;

	snprintf(ports, sizeof(ports), "%d", port);
	err = getaddrinfo(addr, ports, &hints, &ai);
	if (err) {
		fprintf(stderr, "getaddrinfo %s: %s\n", addr, gai_strerror(err));
		exit(1);
	}
	fd = socket(ai->ai_family, type, 0);
	if (fd < 0)
		die("socket");
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return fd;
}

static int tcp_server(int port)
{
	static unsigned char buf[1 << 16];
	uint64_t h = FNV_OFFSET, total = 0;
	int lfd, fd;
	ssize_t n;

	lfd = server_socket(SOCK_STREAM, port);
	if (listen(lfd, 1))
		die("listen");
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		h = fnv(h, buf, n);
		total += n;
	}
	if (n < 0)
		die("read");
	printf("bytes=%llu fnv=%016llx\n", (unsigned long long)total, (unsigned long long)h);
	return 0;
}

static int tcp_client(const char *addr, int port, uint64_t bytes)
{
	static unsigned char buf[1 << 16];
	uint64_t h = FNV_OFFSET, left = bytes, state = 0x9e3779b97f4a7c15ULL;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	fd = client_socket(SOCK_STREAM, addr, port, &ss, &len);
	if (connect(fd, (struct sockaddr *)&ss, len))
		die("connect");
	while (left) {
		size_t chunk = left < sizeof(buf) ? left : sizeof(buf), off = 0;

		fill(buf, chunk, &state);
		h = fnv(h, buf, chunk);
		while (off < chunk) {
			ssize_t n = write(fd, buf + off, chunk - off);

			if (n < 0)
				die("write");
			off += n;
		}
		left -= chunk;
	}
	if (shutdown(fd, SHUT_WR))
		die("shutdown");
	/* Wait for the peer's close, so all data was acknowledged. */
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	printf("bytes=%llu fnv=%016llx\n", (unsigned long long)bytes, (unsigned long long)h);
	return 0;
}

static int udp_server(int port, uint32_t count, int idle_ms)
{
	static unsigned char buf[MAX_DGRAM + 1], want[MAX_DGRAM];
	uint32_t received = 0, bad = 0, dup = 0, seq, size;
	unsigned char *seen = calloc(count ? count : 1, 1);
	int fd, rcvbuf = 16 << 20;
	struct pollfd pfd;

	fd = server_socket(SOCK_DGRAM, port);
	/* The socket must never be the one dropping. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	pfd.fd = fd;
	pfd.events = POLLIN;
	printf("listening\n");
	fflush(stdout);
	while (received < count) {
		ssize_t n;
		/*
		 * Idle is counted from the last datagram, not from bind: the
		 * sender starts after "listening", and starting a process can
		 * take seconds on a debug kernel under TCG.  A server that timed
		 * out before the first datagram made the sender's connected
		 * socket fail with ECONNREFUSED (ICMP port unreachable).
		 */
		int r = poll(&pfd, 1, received || bad ? idle_ms :
			     (idle_ms > FIRST_DGRAM_MS ? idle_ms : FIRST_DGRAM_MS));

		if (r < 0)
			die("poll");
		if (!r)
			break;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			die("recv");
		if (n < 8) {
			bad++;
			continue;
		}
		memcpy(&seq, buf, 4);
		memcpy(&size, buf + 4, 4);
		if ((size_t)n != size || seq >= count) {
			bad++;
			continue;
		}
		make_dgram(want, seq, size);
		if (memcmp(want, buf, size)) {
			bad++;
			continue;
		}
		if (seen[seq]++)
			dup++;
		else
			received++;
	}
	printf("received=%u bad=%u dup=%u\n", received, bad, dup);
	return received == count && !bad && !dup ? 0 : 1;
}

static volatile sig_atomic_t client_stop;

static void client_on_term(int sig)
{
	(void)sig;
	client_stop = 1;
}

/*
 * SIGTERM ends the client early, successfully: a test that needs a stream
 * to last until it has done something stops it then and learns from sent=N
 * how many datagrams the server must have.
 */
static int udp_client(const char *addr, int port, uint32_t count, uint32_t size, int sndbuf)
{
	static unsigned char buf[MAX_DGRAM];
	struct sockaddr_storage ss;
	uint32_t seq, sent = 0;
	struct sigaction sa;
	sigset_t term;
	socklen_t len;
	int fd;

	if (size < 8 || size > MAX_DGRAM) {
		fprintf(stderr, "size must be 8..%d\n", MAX_DGRAM);
		return 1;
	}
	fd = client_socket(SOCK_DGRAM, addr, port, &ss, &len);
	/*
	 * A small send buffer makes the sender wait for TX completions, so a
	 * burst is bounded by what the device has in flight rather than by
	 * the qdisc's length.
	 */
	if (sndbuf && setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)))
		die("SO_SNDBUFFORCE");
	if (connect(fd, (struct sockaddr *)&ss, len))
		die("connect");
	/* no SA_RESTART: a send() blocked on a full send buffer returns */
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = client_on_term;
	sa.sa_flags = 0;
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &term, NULL);
	for (seq = 0; seq < count && !client_stop; seq++) {
		make_dgram(buf, seq, size);
		if (send(fd, buf, size, 0) != (ssize_t)size) {
			if (errno == EINTR && client_stop)
				break;
			perror("send");
			break;
		}
		sent++;
	}
	printf("sent=%u\n", sent);
	return sent == count || (client_stop && seq == sent) ? 0 : 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int udp_flood(const char *addr, int port, double secs, uint32_t size)
{
	static unsigned char buf[MAX_DGRAM];
	struct sockaddr_storage ss;
	unsigned long long sent = 0, failed = 0;
	int sndbuf = 4 << 20;
	double end = now() + secs;
	socklen_t len;
	uint32_t seq = 0;
	int fd;

	fd = client_socket(SOCK_DGRAM, addr, port, &ss, &len);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	if (connect(fd, (struct sockaddr *)&ss, len))
		die("connect");
	while (now() < end) {
		make_dgram(buf, seq, size);
		if (send(fd, buf, size, MSG_DONTWAIT) == (ssize_t)size) {
			sent++;
			seq++;
		} else {
			failed++;
			if (errno == EAGAIN || errno == ENOBUFS)
				usleep(100);
		}
	}
	printf("sent=%llu failed=%llu\n", sent, failed);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: hp_xfer tcp-server PORT\n"
		"       hp_xfer tcp-client ADDR PORT BYTES\n"
		"       hp_xfer udp-server PORT COUNT IDLE_MS\n"
		"       hp_xfer udp-client ADDR PORT COUNT SIZE [SNDBUF]\n"
		"       hp_xfer udp-flood ADDR PORT SECONDS SIZE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3)
		usage();
	if (!strcmp(argv[1], "tcp-server"))
		return tcp_server(atoi(argv[2]));
	if (!strcmp(argv[1], "tcp-client") && argc == 5)
		return tcp_client(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 0));
	if (!strcmp(argv[1], "udp-server") && argc == 5)
		return udp_server(atoi(argv[2]), strtoul(argv[3], NULL, 0), atoi(argv[4]));
	if (!strcmp(argv[1], "udp-client") && (argc == 6 || argc == 7))
		return udp_client(argv[2], atoi(argv[3]), strtoul(argv[4], NULL, 0),
				  strtoul(argv[5], NULL, 0), argc == 7 ? atoi(argv[6]) : 0);
	if (!strcmp(argv[1], "udp-flood") && argc == 6)
		return udp_flood(argv[2], atoi(argv[3]), atof(argv[4]), strtoul(argv[5], NULL, 0));
	usage();
	return 2;
}
