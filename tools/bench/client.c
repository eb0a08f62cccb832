// SPDX-License-Identifier: GPL-2.0
/*
 * The client: optionally starts the server in a named network namespace,
 * runs ping-pong or stream against it, collects the server's side of the
 * session and prints the report.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "proto.h"
#include "report.h"

#define NETNS_RUN_DIR		"/var/run/netns"	/* iproute2's */
#define NETNS_RUN_DIR_ALT	"/run/netns"
/* Handshake: how long to keep knocking (the server may still be starting). */
#define HELLO_TOTAL_NS		10000000000ULL
#define HELLO_RETRY_NS		100000000ULL
#define FIN_TRIES		10
#define REAP_WAIT_MS		3000

struct run {
	const struct bench_opts *o;
	int fd;
	unsigned char *buf, *rbuf;
	uint64_t sent, lost, send_errors;
	uint64_t t_start, t_end;	/* measured phase */
	uint64_t user_us, sys_us;	/* client CPU in the measured phase */
	struct bench_samples rtt, ow;
	/* --hw-timestamps: the one-way trip split by the NICs' stamps */
	struct bench_samples host_tx, wire, host_rx;
	struct bench_hwts hw;
	uint64_t hw_missing;		/* pings without both stamps */
	struct hb_result res;		/* host byte order once received */
	bool have_res;
	pid_t server;			/* started by us, or -1 */
};

static pid_t spawn_server(const struct bench_opts *o, int family, int client_fd)
{
	struct bench_opts so = *o;
	char path[256];
	pid_t pid;
	int nsfd;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("hotpath-bench: fork");
		return -1;
	}
	if (pid)
		return pid;

	/* The server must not outlive an aborted client. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	close(client_fd);
	/* What `ip netns exec` does, minus the mount namespace. */
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, o->server_netns);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0 && errno == ENOENT) {
		/* Where /var/run is not the /run symlink (minimal images). */
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR_ALT, o->server_netns);
		nsfd = open(path, O_RDONLY | O_CLOEXEC);
		if (nsfd < 0)
			snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, o->server_netns);
	}
	if (nsfd < 0) {
		fprintf(stderr, "hotpath-bench: netns %s: %s\n", path, strerror(errno));
		_exit(2);
	}
	if (setns(nsfd, CLONE_NEWNET)) {
		fprintf(stderr, "hotpath-bench: setns %s: %s\n", path, strerror(errno));
		_exit(2);
	}
	close(nsfd);
	so.addr = NULL;
	so.family = family;
	so.cpu = o->server_cpu;
	so.once = true;
	so.quiet = true;
	so.json = false;
	so.idle_timeout_s = 10 + 3 * (o->timeout_ms / 1000);
	_exit(bench_server_run(&so));
}

static void reap_server(pid_t pid)
{
	int i, status;

	for (i = 0; i < REAP_WAIT_MS / 10; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/*
 * Receive one of ours of type @want (and @seq when @match_seq) before the
 * absolute @deadline. Returns its length, 0 on timeout, -1 on stop.
 * Stale replies (late PONGs of earlier, already lost, datagrams) are skipped.
 */
static ssize_t recv_until(struct run *r, int want, bool match_seq, uint32_t seq,
			  uint64_t deadline, uint64_t *t_rx, struct hb_hdr *h, size_t cap)
{
	uint64_t full = (uint64_t)r->o->timeout_ms * 1000000ULL;
	uint64_t now = bench_now_ns();
	bool shortened = false;
	ssize_t n = 0;

	if (now >= deadline)
		return 0;
	/* The socket waits the per-datagram timeout; other waits set their own. */
	if (deadline - now + 1000000 < full || deadline - now > full + 1000000) {
		bench_sock_set_rcvtimeo(r->fd, deadline - now);
		shortened = true;
	}
	for (;;) {
		n = recv(r->fd, r->rbuf, cap, 0);
		*t_rx = bench_now_ns();
		if (n >= 0 && hb_hdr_get(r->rbuf, n, h) == want && (!match_seq || h->seq == seq))
			break;
		if (n < 0 && errno == EINTR && bench_stop) {
			n = -1;
			break;
		}
		/* Timeout, error (e.g. ICMP unreachable) or stale: wait only what is left. */
		if (*t_rx >= deadline) {
			n = 0;
			break;
		}
		if (n < 0 && errno == ECONNREFUSED)
			usleep(1000);	/* not listening yet: don't spin on the error */
		bench_sock_set_rcvtimeo(r->fd, deadline - *t_rx);
		shortened = true;
	}
	if (shortened)
		bench_sock_set_rcvtimeo(r->fd, full);
	return n;
}

static int handshake(struct run *r)
{
	uint64_t start = bench_now_ns(), t_rx;
	struct hb_hello hello;
	struct hb_hdr h;
	int status;
	uint32_t i;

	for (i = 0; !bench_stop && bench_now_ns() - start < HELLO_TOTAL_NS; i++) {
		memset(&hello, 0, sizeof(hello));
		hb_hdr_put(&hello.hdr, HB_HELLO, i, bench_now_ns(), 0);
		hello.mode = htobe32(r->o->mode | (r->o->hw_timestamps ? HB_MODE_HWTS : 0));
		hello.size = htobe32(r->o->size);
		if (send(r->fd, &hello, sizeof(hello), 0) < 0 && errno != ECONNREFUSED) {
			perror("hotpath-bench: send");
			return -1;
		}
		if (recv_until(r, HB_HELLO_ACK, false, 0, bench_now_ns() + HELLO_RETRY_NS,
			       &t_rx, &h, sizeof(struct hb_result)) > 0)
			return 0;
		if (r->server > 0 && waitpid(r->server, &status, WNOHANG) == r->server) {
			fprintf(stderr, "hotpath-bench: the server in netns %s exited (%d)\n",
				r->o->server_netns,
				WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			r->server = -1;
			return -1;
		}
	}
	fprintf(stderr, "hotpath-bench: no answer from the server within %llu s\n",
		HELLO_TOTAL_NS / 1000000000ULL);
	return -1;
}

static int finish(struct run *r)
{
	uint64_t wait = (uint64_t)r->o->timeout_ms * 1000000ULL, t_rx;
	struct hb_hdr h;
	int i, j;

	if (wait < 200000000ULL)
		wait = 200000000ULL;
	for (i = 0; i < FIN_TRIES && !bench_stop; i++) {
		hb_hdr_put(&h, HB_FIN, 0, 0, 0);
		send(r->fd, &h, sizeof(h), 0);
		if (recv_until(r, HB_RESULT, false, 0, bench_now_ns() + wait, &t_rx, &h,
			       sizeof(r->res)) >= (ssize_t)sizeof(r->res)) {
			struct hb_result *w = (void *)r->rbuf;

			r->res.received = be64toh(w->received);
			r->res.seq_span = be64toh(w->seq_span);
			r->res.first_rx_ns = be64toh(w->first_rx_ns);
			r->res.last_rx_ns = be64toh(w->last_rx_ns);
			r->res.user_us = be64toh(w->user_us);
			r->res.sys_us = be64toh(w->sys_us);
			for (j = 0; j < BENCH_STAT_FIELDS; j++)
				r->res.ow[j] = be64toh(w->ow[j]);
			r->have_res = true;
			hb_hdr_put(&h, HB_BYE, 0, 0, 0);
			send(r->fd, &h, sizeof(h), 0);
			return 0;
		}
	}
	fprintf(stderr, "hotpath-bench: the server sent no results\n");
	return -1;
}

/* Pace to --rate: sleep for long gaps, spin for short ones. Bounded by @end. */
static void pace(const struct run *r, uint64_t i)
{
	uint64_t due, now;

	if (!r->o->rate)
		return;
	due = r->t_start + (uint64_t)((long double)i * 1e9L / (long double)r->o->rate);
	while (!bench_stop && (now = bench_now_ns()) < due) {
		if (due - now > 100000) {
			struct timespec ts = { 0, (long)(due - now - 50000) };

			nanosleep(&ts, NULL);
		}
	}
}

/*
 * --jitter: spin a pseudo-random 0..jitter_ns before a send.  A busy poller
 * (or any periodic loop) on the other side then meets the datagram at every
 * phase of its loop alike, instead of at the one phase a tight ping-pong
 * locks into; on an instruction-counting clock that phase would otherwise
 * shift the p50 by up to a loop iteration from one configuration to the
 * next.  The seed is fixed, so runs repeat.
 */
void bench_jitter(uint64_t jitter_ns, uint64_t *state)
{
	uint64_t x = *state, until;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	until = bench_now_ns() + x % (jitter_ns + 1);
	while (!bench_stop && bench_now_ns() < until)
		;
}

static bool more(const struct run *r, uint64_t i, uint64_t limit)
{
	if (bench_stop || i >= limit)
		return false;
	if (r->o->duration > 0 && bench_now_ns() - r->t_start >= r->o->duration * 1e9)
		return false;
	return true;
}

/*
 * One ping's split, all in CLOCK_MONOTONIC: @t_tx the send, @t_hw the
 * client NIC's TX stamp (raw PHC), the server NIC's RX stamp the server
 * mapped to its monotonic clock (after the PONG's header), @t_srv_rx the
 * server's receive.
 */
static void hw_split(struct run *r, uint64_t t_tx, uint64_t t_hw, uint64_t t_srv_rx,
		     ssize_t n)
{
	uint64_t tx, rx, be;

	if (!t_hw || n < (ssize_t)HB_HWTS_LEN) {
		r->hw_missing++;
		return;
	}
	memcpy(&be, r->rbuf + HB_HDR_LEN, sizeof(be));
	rx = be64toh(be);
	if (!rx) {
		r->hw_missing++;
		return;
	}
	tx = bench_hwts_mono(&r->hw, t_hw);
	/* the maps' uncertainty may put a stamp a little out of order */
	bench_samples_add(&r->host_tx, tx > t_tx ? tx - t_tx : 0);
	bench_samples_add(&r->wire, rx > tx ? rx - tx : 0);
	bench_samples_add(&r->host_rx, t_srv_rx > rx ? t_srv_rx - rx : 0);
}

static void run_pingpong(struct run *r)
{
	const struct bench_opts *o = r->o;
	uint64_t timeout = (uint64_t)o->timeout_ms * 1000000ULL;
	uint64_t i, total = o->warmup + o->count, t_tx, t_rx, t_hw = 0;
	uint64_t seed = BENCH_JITTER_SEED;
	struct hb_hdr h;
	ssize_t n;

	for (i = 0; !bench_stop && i < total; i++) {
		bool warm = i < o->warmup;

		if (i == o->warmup) {
			r->t_start = bench_now_ns();
			bench_cpu_usage(&r->user_us, &r->sys_us);
		}
		if (!warm) {
			if (!more(r, i - o->warmup, o->count))
				break;
			pace(r, i - o->warmup);
		}
		/* stale stamps (handshake, a ping timed out) must not pair up */
		if (o->hw_timestamps)
			bench_hwts_drain(r->fd);
		if (o->jitter_ns)
			bench_jitter(o->jitter_ns, &seed);
		t_tx = bench_now_ns();
		/* t_srv_rx 1 marks warm-up: the server's CPU window starts after it */
		hb_hdr_put((struct hb_hdr *)r->buf, HB_PING, (uint32_t)i, t_tx, warm);
		if (send(r->fd, r->buf, o->size, 0) < 0) {
			if (errno == EINTR && bench_stop)
				break;
			if (!warm) {
				r->sent++;
				r->lost++;
				r->send_errors++;
			}
			continue;
		}
		if (o->hw_timestamps)
			t_hw = bench_hwts_tx(r->fd, o->timeout_ms);
		n = recv_until(r, HB_PONG, true, (uint32_t)i, t_tx + timeout, &t_rx, &h,
			       o->size);
		if (n < 0)
			break;
		if (warm)
			continue;
		r->sent++;
		if (!n) {
			r->lost++;
			continue;
		}
		bench_samples_add(&r->rtt, t_rx - t_tx);
		bench_samples_add(&r->ow, h.t_srv_rx > t_tx ? h.t_srv_rx - t_tx : 0);
		if (o->hw_timestamps)
			hw_split(r, t_tx, t_hw, h.t_srv_rx, n);
	}
	r->t_end = bench_now_ns();
}

static void run_stream(struct run *r)
{
	const struct bench_opts *o = r->o;
	uint64_t i;

	for (i = 0; !bench_stop && i < o->warmup; i++) {
		hb_hdr_put((struct hb_hdr *)r->buf, HB_WARM, (uint32_t)i, bench_now_ns(), 0);
		send(r->fd, r->buf, o->size, 0);
	}
	r->t_start = bench_now_ns();
	bench_cpu_usage(&r->user_us, &r->sys_us);
	for (i = 0; more(r, i, o->count); i++) {
		pace(r, i);
		hb_hdr_put((struct hb_hdr *)r->buf, HB_DATA, (uint32_t)r->sent, bench_now_ns(), 0);
		if (send(r->fd, r->buf, o->size, 0) < 0) {
			if (errno == EINTR && bench_stop)
				break;
			/* ENOBUFS/EAGAIN: the local queue is full; not sent, not lost. */
			r->send_errors++;
			continue;
		}
		r->sent++;
	}
	r->t_end = bench_now_ns();
}

static const char *mode_name(enum bench_mode m)
{
	return m == BENCH_STREAM ? "stream" : "pingpong";
}

static void stream_numbers(const struct run *r, uint64_t *recv, uint64_t *dropped,
			   double *pps_sent, double *pps_recv)
{
	double span = (double)(r->t_end - r->t_start) / 1e9;

	*recv = r->have_res ? r->res.received : 0;
	*dropped = r->sent > *recv ? r->sent - *recv : 0;
	*pps_sent = span > 0 ? (double)r->sent / span : 0;
	/* The receive rate as the server saw it: first to last arrival. */
	if (*recv >= 2 && r->res.last_rx_ns > r->res.first_rx_ns)
		*pps_recv = (double)(*recv - 1) * 1e9 /
			    (double)(r->res.last_rx_ns - r->res.first_rx_ns);
	else
		*pps_recv = span > 0 ? (double)*recv / span : 0;
}

/* --json's hw_timestamps object */
static void hw_json(FILE *f, const void *arg)
{
	struct run *r = (struct run *)arg;
	struct bench_stats st;

	fprintf(f, "{\"device\":\"%s\",\"phc_index\":%d,\"phc_map_window_ns\":%llu,"
		"\"missing\":%llu,\"host_tx\":", r->hw.ifname, r->hw.phc_index,
		(unsigned long long)r->hw.window_ns, (unsigned long long)r->hw_missing);
	bench_stats_compute(&r->host_tx, &st);
	bench_stats_json(f, &st);
	fprintf(f, ",\"wire\":");
	bench_stats_compute(&r->wire, &st);
	bench_stats_json(f, &st);
	fprintf(f, ",\"host_rx\":");
	bench_stats_compute(&r->host_rx, &st);
	bench_stats_json(f, &st);
	fprintf(f, "}");
}

static void report_json(struct run *r, const struct bench_stats *rtt,
			const struct bench_stats *ow)
{
	const struct bench_opts *o = r->o;
	bool stream = o->mode == BENCH_STREAM;
	struct bench_report j = {
		.mode = mode_name(o->mode), .size = o->size, .count = r->sent,
		.warmup = o->warmup, .duration_ns = r->t_end - r->t_start,
		.send_errors = r->send_errors, .busy_poll_us = o->busy_poll_us,
		.prefer_busy_poll = o->prefer_busy_poll, .rtt = stream ? NULL : rtt, .ow = ow,
		.cli_user_us = r->user_us, .cli_sys_us = r->sys_us,
		.srv_user_us = r->res.user_us, .srv_sys_us = r->res.sys_us,
		.stream = stream, .st_sent = r->sent,
		.hw_timestamps = o->hw_timestamps ? hw_json : NULL, .arg = r,
		.hist_rtt = &r->rtt, .hist_ow = &r->ow,
	};

	stream_numbers(r, &j.st_received, &j.st_dropped, &j.pps_sent, &j.pps_received);
	j.lost = stream ? j.st_dropped : r->lost;
	bench_report_json(stdout, &j);
}

static void report_text(struct run *r, const struct bench_stats *rtt,
			const struct bench_stats *ow)
{
	const struct bench_opts *o = r->o;
	uint64_t recv, dropped;
	double pps_s, pps_r;

	printf("hotpath-bench %s: %s port %s, payload %u B, warmup %llu, ",
	       mode_name(o->mode), o->addr, o->port, o->size, (unsigned long long)o->warmup);
	if (o->busy_poll_us)
		printf("busy-poll %u us%s\n", o->busy_poll_us,
		       o->prefer_busy_poll ? " (preferred)" : "");
	else
		printf("interrupt-driven receive\n");
	printf("measured %.3f s\n\n", (double)(r->t_end - r->t_start) / 1e9);

	if (o->mode == BENCH_PINGPONG) {
		bench_stats_print_header(stdout);
		bench_stats_print_row(stdout, "rtt", rtt, r->lost);
		bench_stats_print_row(stdout, "one-way", ow, r->lost);
		printf("one-way = client send -> server receive; valid because both ends read\n"
		       "the same CLOCK_MONOTONIC in one kernel. %llu sent, %llu lost "
		       "(no reply within %u ms).\n\n",
		       (unsigned long long)r->sent, (unsigned long long)r->lost, o->timeout_ms);
		if (o->hw_timestamps) {
			struct bench_stats st;

			bench_stats_print_header(stdout);
			bench_stats_compute(&r->host_tx, &st);
			bench_stats_print_row(stdout, "host-tx", &st, r->hw_missing);
			bench_stats_compute(&r->wire, &st);
			bench_stats_print_row(stdout, "wire", &st, r->hw_missing);
			bench_stats_compute(&r->host_rx, &st);
			bench_stats_print_row(stdout, "host-rx", &st, r->hw_missing);
			printf("hardware stamps (%s, /dev/ptp%d): host-tx = send -> first bit\n"
			       "on the wire, wire = first bit out -> last bit in at the server's\n"
			       "NIC, host-rx = that -> server receive; each PHC mapped to\n"
			       "CLOCK_MONOTONIC within %llu ns; %llu pings without both stamps.\n\n",
			       r->hw.ifname, r->hw.phc_index, (unsigned long long)r->hw.window_ns,
			       (unsigned long long)r->hw_missing);
		}
		bench_hist_print(stdout, "rtt", &r->rtt);
		printf("\n");
	} else {
		stream_numbers(r, &recv, &dropped, &pps_s, &pps_r);
		printf("stream: sent %llu (%.0f pps), received %llu (%.0f pps), dropped %llu "
		       "(%.3f%%), send errors %llu\n\n",
		       (unsigned long long)r->sent, pps_s, (unsigned long long)recv, pps_r,
		       (unsigned long long)dropped,
		       r->sent ? 100.0 * (double)dropped / (double)r->sent : 0.0,
		       (unsigned long long)r->send_errors);
		if (ow->f[BST_COUNT]) {
			bench_stats_print_header(stdout);
			bench_stats_print_row(stdout, "one-way", ow, dropped);
			printf("one-way measured by the server: client send -> server receive.\n");
		}
	}
	if (ow->f[BST_COUNT] && o->mode == BENCH_PINGPONG)
		bench_hist_print(stdout, "one-way", &r->ow);
	printf("\ncpu time (us)   user        sys\n");
	printf("  client    %10llu %10llu\n", (unsigned long long)r->user_us,
	       (unsigned long long)r->sys_us);
	if (r->have_res)
		printf("  server    %10llu %10llu\n", (unsigned long long)r->res.user_us,
		       (unsigned long long)r->res.sys_us);
	else
		printf("  server    (no report)\n");
}

int bench_client_run(const struct bench_opts *o)
{
	struct sockaddr_storage ss;
	struct bench_stats rtt, ow;
	unsigned int sslen;
	uint64_t t, expect;
	struct run r;
	int ret = 1;

	/* Stream samples live in the server; --duration runs grow as they go. */
	expect = o->mode == BENCH_STREAM ? 0 : o->count < (1 << 20) ? o->count : (1 << 20);
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.server = -1;
	r.buf = calloc(1, BENCH_MAX_SIZE);
	r.rbuf = calloc(1, BENCH_MAX_SIZE);
	if (!r.buf || !r.rbuf ||
	    bench_samples_init(&r.rtt, expect, BENCH_MAX_SAMPLES) ||
	    bench_samples_init(&r.ow, expect, BENCH_MAX_SAMPLES) ||
	    bench_samples_init(&r.host_tx, 0, BENCH_MAX_SAMPLES) ||
	    bench_samples_init(&r.wire, 0, BENCH_MAX_SAMPLES) ||
	    bench_samples_init(&r.host_rx, 0, BENCH_MAX_SAMPLES)) {
		fprintf(stderr, "hotpath-bench: out of memory\n");
		goto out_free;
	}
	r.fd = bench_sock_open(o, false, &ss, &sslen);
	if (r.fd < 0)
		goto out_free;
	t = (uint64_t)o->timeout_ms * 1000000ULL;
	if (bench_sock_set_timeouts(r.fd, t, t)) {
		perror("hotpath-bench: socket timeouts");
		goto out_close;
	}
	if (o->hw_timestamps && bench_hwts_open(r.fd, true, NULL, &r.hw))
		goto out_close;
	if (o->server_netns) {
		r.server = spawn_server(o, ss.ss_family, r.fd);
		if (r.server < 0)
			goto out_close;
	}
	if (bench_pin_cpu(o->cpu) || handshake(&r))
		goto out_server;

	if (o->mode == BENCH_PINGPONG)
		run_pingpong(&r);
	else
		run_stream(&r);
	{
		uint64_t u, s;

		bench_cpu_usage(&u, &s);
		r.user_us = u - r.user_us;
		r.sys_us = s - r.sys_us;
	}
	/* Without the server's counts a stream run has nothing to report. */
	if (finish(&r) && o->mode == BENCH_STREAM)
		goto out_server;

	bench_stats_compute(&r.rtt, &rtt);
	if (o->mode == BENCH_STREAM) {
		int j;

		for (j = 0; j < BENCH_STAT_FIELDS; j++)
			ow.f[j] = r.res.ow[j];
	} else {
		bench_stats_compute(&r.ow, &ow);
	}
	if (o->json)
		report_json(&r, &rtt, &ow);
	else
		report_text(&r, &rtt, &ow);
	fflush(stdout);
	ret = bench_stop ? 130 : r.have_res ? 0 : 1;

out_server:
	if (r.server > 0)
		reap_server(r.server);
out_close:
	close(r.fd);
out_free:
	bench_samples_free(&r.rtt);
	bench_samples_free(&r.ow);
	bench_samples_free(&r.host_tx);
	bench_samples_free(&r.wire);
	bench_samples_free(&r.host_rx);
	free(r.buf);
	free(r.rbuf);
	return ret;
}
