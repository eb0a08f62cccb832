// SPDX-License-Identifier: GPL-2.0
/*
 * Socket setup: address resolution, busy-poll options, timeouts, CPU pinning.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

/* Older libc headers lack these; the values are the kernel's ABI. */
#ifndef SO_BUSY_POLL
#define SO_BUSY_POLL		46
#endif
#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL	69
#endif

static int set_busy_poll(int fd, const struct bench_opts *o)
{
	int val;

	if (o->busy_poll_us) {
		val = (int)o->busy_poll_us;
		if (setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &val, sizeof(val))) {
			fprintf(stderr, "hotpath-bench: setsockopt(SO_BUSY_POLL, %d): %s%s\n",
				val, strerror(errno),
				errno == EPERM ? " (raising it needs CAP_NET_ADMIN)" : "");
			return -1;
		}
	}
	if (o->prefer_busy_poll) {
		val = 1;
		if (setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &val, sizeof(val))) {
			fprintf(stderr,
				"hotpath-bench: setsockopt(SO_PREFER_BUSY_POLL): %s%s\n",
				strerror(errno),
				errno == ENOPROTOOPT ?
				" (this kernel refuses it: it needs Linux >= 5.11)" :
				errno == EPERM ? " (needs CAP_NET_ADMIN)" : "");
			return -1;
		}
	}
	return 0;
}

static void ns_to_tv(uint64_t ns, struct timeval *tv)
{
	/* A zero timeval means "wait forever": never ask for that. */
	if (ns < 1000)
		ns = 1000;
	tv->tv_sec = (time_t)(ns / 1000000000ULL);
	tv->tv_usec = (suseconds_t)((ns % 1000000000ULL) / 1000);
}

int bench_sock_set_rcvtimeo(int fd, uint64_t ns)
{
	struct timeval tv;

	ns_to_tv(ns, &tv);
	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

int bench_sock_set_timeouts(int fd, uint64_t rcv_ns, uint64_t snd_ns)
{
	struct timeval tv;

	if (bench_sock_set_rcvtimeo(fd, rcv_ns))
		return -1;
	ns_to_tv(snd_ns, &tv);
	return setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/*
 * Client: a socket connected to the server, so only the server's datagrams
 * reach it. Server: a socket bound to --bind (or the wildcard) and --port.
 * Returns the fd, and the resolved address in @ss.
 */
int bench_sock_open(const struct bench_opts *o, bool server,
		    struct sockaddr_storage *ss, unsigned int *sslen)
{
	struct addrinfo hints, *res = NULL;
	const char *node = o->addr;
	int fd, err, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = o->family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	hints.ai_flags = AI_NUMERICSERV;
	if (server) {
		hints.ai_flags |= AI_PASSIVE;
		if (!node && o->family == AF_UNSPEC)
			hints.ai_family = AF_INET;
	}
	err = getaddrinfo(node, o->port, &hints, &res);
	if (err) {
		fprintf(stderr, "hotpath-bench: %s port %s: %s\n", node ? node : "(any)",
			o->port, gai_strerror(err));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0) {
		perror("hotpath-bench: socket");
		goto err_free;
	}
	if (set_busy_poll(fd, o))
		goto err_close;
	if (server) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, res->ai_addr, res->ai_addrlen)) {
			perror("hotpath-bench: bind");
			goto err_close;
		}
	} else if (connect(fd, res->ai_addr, res->ai_addrlen)) {
		perror("hotpath-bench: connect");
		goto err_close;
	}
	freeaddrinfo(res);
	return fd;

err_close:
	close(fd);
err_free:
	freeaddrinfo(res);
	return -1;
}

int bench_pin_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "hotpath-bench: pin to CPU %d: %s\n", cpu, strerror(errno));
		return -1;
	}
	return 0;
}

const char *bench_addr_str(const struct sockaddr_storage *ss, char *buf, unsigned int len)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned int port = 0;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		port = ntohs(sin->sin_port);
		snprintf(buf, len, "%s:%u", host, port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		port = ntohs(sin6->sin6_port);
		snprintf(buf, len, "[%s]:%u", host, port);
	} else {
		snprintf(buf, len, "?");
	}
	return buf;
}

void bench_cpu_usage(uint64_t *user_us, uint64_t *sys_us)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*user_us = (uint64_t)ru.ru_utime.tv_sec * 1000000ULL + (uint64_t)ru.ru_utime.tv_usec;
	*sys_us = (uint64_t)ru.ru_stime.tv_sec * 1000000ULL + (uint64_t)ru.ru_stime.tv_usec;
}
