// SPDX-License-Identifier: GPL-2.0
/*
 * The server: echoes PINGs stamped with its receive time, counts stream DATA,
 * and at FIN reports the session (counts, one-way latency, its own CPU time)
 * back to the client, so the client can print both sides of the price.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "proto.h"

/* Wake up this often to check the idle bound and signals. */
#define SERVER_TICK_NS		200000000ULL
/* A --once server answers repeated FINs this long after the first. */
#define SERVER_LINGER_NS	2000000000ULL

struct session {
	bool active, finished;
	struct sockaddr_storage peer;
	unsigned int peerlen;
	uint32_t mode;
	uint64_t received, seq_span, first_rx, last_rx;
	uint64_t user0, sys0;
	bool measuring;		/* a measured (not warm-up) PING came */
	struct bench_samples ow;
	struct hb_result result;	/* resent on a repeated FIN */
};

static void session_start(struct session *s, const struct sockaddr_storage *peer,
			  unsigned int peerlen, uint32_t mode)
{
	bench_samples_free(&s->ow);
	memset(s, 0, sizeof(*s));
	s->active = true;
	s->mode = mode;
	memcpy(&s->peer, peer, peerlen);
	s->peerlen = peerlen;
	if (bench_samples_init(&s->ow, 1 << 16, BENCH_MAX_SAMPLES))
		fprintf(stderr, "hotpath-bench server: out of memory for samples\n");
	bench_cpu_usage(&s->user0, &s->sys0);
}

static void session_report(const struct bench_opts *o, const struct session *s,
			   const struct bench_stats *ow, uint64_t user, uint64_t sys)
{
	char peer[80];
	uint64_t gaps = s->seq_span > s->received ? s->seq_span - s->received : 0;

	bench_addr_str(&s->peer, peer, sizeof(peer));
	if (o->json) {
		printf("{\"peer\":\"%s\",\"mode\":\"%s\",\"received\":%llu,\"gaps\":%llu,"
		       "\"one_way\":", peer, s->mode == BENCH_STREAM ? "stream" : "pingpong",
		       (unsigned long long)s->received, (unsigned long long)gaps);
		bench_stats_json(stdout, ow);
		printf(",\"cpu\":{\"server_user_us\":%llu,\"server_sys_us\":%llu}}\n",
		       (unsigned long long)user, (unsigned long long)sys);
	} else {
		printf("session %s %s: received %llu, sequence gaps %llu, "
		       "cpu user %llu us sys %llu us\n", peer,
		       s->mode == BENCH_STREAM ? "stream" : "pingpong",
		       (unsigned long long)s->received, (unsigned long long)gaps,
		       (unsigned long long)user, (unsigned long long)sys);
		if (ow->f[BST_COUNT]) {
			bench_stats_print_header(stdout);
			bench_stats_print_row(stdout, "one-way", ow, gaps);
		}
	}
	fflush(stdout);
}

static void session_finish(const struct bench_opts *o, struct session *s)
{
	struct hb_result *r = &s->result;
	struct bench_stats ow;
	uint64_t user, sys;
	int i;

	bench_cpu_usage(&user, &sys);
	user -= s->user0;
	sys -= s->sys0;
	bench_stats_compute(&s->ow, &ow);

	memset(r, 0, sizeof(*r));
	hb_hdr_put(&r->hdr, HB_RESULT, 0, 0, 0);
	r->received = htobe64(s->received);
	r->seq_span = htobe64(s->seq_span);
	r->first_rx_ns = htobe64(s->first_rx);
	r->last_rx_ns = htobe64(s->last_rx);
	r->user_us = htobe64(user);
	r->sys_us = htobe64(sys);
	for (i = 0; i < BENCH_STAT_FIELDS; i++)
		r->ow[i] = htobe64(ow.f[i]);
	s->finished = true;
	if (!o->quiet)
		session_report(o, s, &ow, user, sys);
}

static bool same_peer(const struct session *s, const struct sockaddr_storage *peer,
		      unsigned int len)
{
	return s->active && s->peerlen == len && !memcmp(&s->peer, peer, len);
}

int bench_server_run(const struct bench_opts *o)
{
	static unsigned char buf[65536];
	char ctrl[256];
	struct bench_hwts hw;
	bool hwts = false;
	struct sockaddr_storage local, peer;
	uint64_t now, last_activity, linger_end = 0;
	struct session s;
	unsigned int locallen;
	int fd, ret = 0;
	char name[80];

	memset(&s, 0, sizeof(s));
	if (bench_pin_cpu(o->cpu))
		return 1;
	fd = bench_sock_open(o, true, &local, &locallen);
	if (fd < 0)
		return 1;
	if (bench_sock_set_timeouts(fd, SERVER_TICK_NS, SERVER_TICK_NS)) {
		perror("hotpath-bench server: SO_RCVTIMEO");
		close(fd);
		return 1;
	}
	if (!o->quiet && !o->json)
		fprintf(stderr, "hotpath-bench server: listening on %s%s\n",
			bench_addr_str(&local, name, sizeof(name)),
			o->busy_poll_us ? " (busy polling)" : "");

	last_activity = bench_now_ns();
	while (!bench_stop) {
		socklen_t plen = sizeof(peer);
		struct hb_hdr h;
		ssize_t n;
		int type;

		/*
		 * A blocking receive, not poll(): SO_BUSY_POLL spins in the
		 * receive call itself (sk_busy_loop) before sleeping.
		 */
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr msg = {
			.msg_name = &peer, .msg_namelen = plen, .msg_iov = &iov,
			.msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof(ctrl),
		};

		n = recvmsg(fd, &msg, 0);
		now = bench_now_ns();
		plen = msg.msg_namelen;
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				fprintf(stderr, "hotpath-bench server: recv: %s\n",
					strerror(errno));
			if (linger_end && now > linger_end)
				break;
			if (o->idle_timeout_s &&
			    now - last_activity > o->idle_timeout_s * 1000000000ULL) {
				if (!o->quiet)
					fprintf(stderr,
						"hotpath-bench server: idle %u s, exiting\n",
						o->idle_timeout_s);
				ret = s.finished || !o->once ? 0 : 1;
				break;
			}
			continue;
		}
		type = hb_hdr_get(buf, n, &h);
		if (!type)
			continue;
		last_activity = now;

		switch (type) {
		case HB_PING:
			/*
			 * The client marks warm-up PINGs (t_srv_rx 1): the CPU
			 * time counts from the first measured one, the same
			 * window as the client's, so the two add up to at most
			 * the CPUs there are.
			 */
			if (same_peer(&s, &peer, plen) && !s.finished && !s.measuring &&
			    !h.t_srv_rx) {
				s.measuring = true;
				bench_cpu_usage(&s.user0, &s.sys0);
			}
			if (same_peer(&s, &peer, plen) && !s.finished) {
				if (!s.received)
					s.first_rx = now;
				s.last_rx = now;
				s.received++;
			}
			/* Echo whatever the client sent, stamped; the client matches seq. */
			hb_hdr_put((struct hb_hdr *)buf, HB_PONG, h.seq, h.t_tx, now);
			if (hwts && n >= (ssize_t)HB_HWTS_LEN) {
				uint64_t t = bench_hwts_cmsg(&msg);
				uint64_t be = htobe64(t ? bench_hwts_mono(&hw, t) : 0);

				memcpy(buf + HB_HDR_LEN, &be, sizeof(be));
			}
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, plen);
			break;
		case HB_DATA:
			if (!same_peer(&s, &peer, plen) || s.finished)
				break;
			if (!s.received)
				s.first_rx = now;
			s.last_rx = now;
			s.received++;
			if ((uint64_t)h.seq + 1 > s.seq_span)
				s.seq_span = (uint64_t)h.seq + 1;
			if (now > h.t_tx)
				bench_samples_add(&s.ow, now - h.t_tx);
			break;
		case HB_WARM:
			break;
		case HB_HELLO: {
			const struct hb_hello *hello = (const void *)buf;

			if (n < (ssize_t)sizeof(*hello))
				break;
			/* A repeated HELLO (lost ACK) must not reset a running session. */
			if (!same_peer(&s, &peer, plen) || s.finished || s.received) {
				uint32_t mode = be32toh(hello->mode);

				session_start(&s, &peer, plen, mode & ~HB_MODE_HWTS);
				/* the NIC the client's datagrams arrive on */
				if ((mode & HB_MODE_HWTS) && !hwts)
					hwts = !bench_hwts_open(fd, false, NULL, &hw);
			}
			hb_hdr_put(&h, HB_HELLO_ACK, h.seq, h.t_tx, now);
			sendto(fd, &h, sizeof(h), 0, (struct sockaddr *)&peer, plen);
			break;
		}
		case HB_FIN:
			if (!same_peer(&s, &peer, plen))
				break;
			if (!s.finished) {
				session_finish(o, &s);
				if (o->once)
					linger_end = now + SERVER_LINGER_NS;
			}
			sendto(fd, &s.result, sizeof(s.result), 0, (struct sockaddr *)&peer, plen);
			break;
		case HB_BYE:
			if (o->once && same_peer(&s, &peer, plen) && s.finished)
				goto out;
			break;
		default:
			break;
		}
		if (linger_end && now > linger_end)
			break;
	}
out:
	bench_samples_free(&s.ow);
	close(fd);
	return ret;
}
