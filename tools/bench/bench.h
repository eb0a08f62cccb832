/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotpath-bench: shared options and helpers between the client, the server,
 * the socket setup and the statistics code.
 */
#ifndef HP_BENCH_H
#define HP_BENCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

enum bench_mode {
	BENCH_PINGPONG = 1,
	BENCH_STREAM = 2,
};

/* --af-xdp: the socket bind (and XDP attach mode) asked for */
enum bench_af_xdp {
	BENCH_XDP_NONE,
	BENCH_XDP_ZC,		/* native XDP, XDP_ZEROCOPY */
	BENCH_XDP_COPY,		/* native XDP, XDP_COPY */
	BENCH_XDP_SKB,		/* generic XDP, XDP_COPY */
};

/* Hard bounds: every loop in the tool is limited by these as well. */
#define BENCH_MAX_COUNT		100000000ULL	/* datagrams per run */
#define BENCH_MAX_DURATION_S	3600.0
#define BENCH_MAX_SAMPLES	10000000ULL	/* latency samples kept */
#define BENCH_MAX_TIMEOUT_MS	60000U
#define BENCH_MAX_SIZE		65000U		/* UDP payload */

struct bench_opts {
	enum bench_mode mode;
	const char *addr;		/* client: server; server: --bind */
	const char *port;
	int family;			/* AF_UNSPEC, or AF_INET6 with -6 */
	unsigned int size;		/* UDP payload bytes */
	uint64_t count;			/* 0: not given */
	double duration;		/* seconds, 0: not given */
	uint64_t warmup;
	uint64_t rate;			/* datagrams/s, 0: as fast as possible */
	uint64_t jitter_ns;		/* ping-pong: spin 0..jitter_ns before a send */
	unsigned int busy_poll_us;
	bool prefer_busy_poll;
	unsigned int timeout_ms;
	int cpu;			/* -1: not pinned */
	int server_cpu;
	bool json;
	bool quiet;
	const char *server_netns;
	bool once;			/* server: exit after one session */
	unsigned int idle_timeout_s;	/* server: exit when idle this long */
	bool hw_timestamps;		/* pingpong: NIC stamps, host/wire split */
	enum bench_af_xdp af_xdp;	/* client: AF_XDP ping-pong (afxdp.c) */
	const char *dev;		/* --af-xdp: the client's device */
	const char *server_dev;		/* --af-xdp: the echo end's, in server_netns */
};

extern volatile sig_atomic_t bench_stop;

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	/* Both ends run in one kernel, so CLOCK_MONOTONIC is a shared clock. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* sock.c */
struct sockaddr_storage;
int bench_sock_open(const struct bench_opts *o, bool server,
		    struct sockaddr_storage *ss, unsigned int *sslen);
int bench_sock_set_timeouts(int fd, uint64_t rcv_ns, uint64_t snd_ns);
int bench_sock_set_rcvtimeo(int fd, uint64_t ns);
int bench_pin_cpu(int cpu);
const char *bench_addr_str(const struct sockaddr_storage *ss, char *buf, unsigned int len);
void bench_cpu_usage(uint64_t *user_us, uint64_t *sys_us);

/* hwts.c: one end's NIC stamps and the map of its PHC to CLOCK_MONOTONIC */
struct msghdr;
struct bench_hwts {
	char ifname[16];
	int phc_index;
	int64_t phc_minus_mono;		/* ns */
	uint64_t window_ns;		/* uncertainty of that offset */
};

/* Stamping on @ifname (NULL: the one of the socket's local address). */
int bench_hwts_open(int fd, bool tx, const char *ifname, struct bench_hwts *h);
uint64_t bench_hwts_mono(const struct bench_hwts *h, uint64_t phc_ns);
/* The raw hardware stamp of a received message's cmsgs, 0 if none. */
uint64_t bench_hwts_cmsg(struct msghdr *msg);
/* Discard what the error queue holds. */
void bench_hwts_drain(int fd);
/* The TX hardware stamp of the datagram just sent, 0 after @timeout_ms. */
uint64_t bench_hwts_tx(int fd, unsigned int timeout_ms);

/* server.c */
int bench_server_run(const struct bench_opts *o);

/* client.c */
int bench_client_run(const struct bench_opts *o);
/* --jitter: spin 0..@jitter_ns (xorshift from @state, BENCH_JITTER_SEED) */
#define BENCH_JITTER_SEED	0x9e3779b97f4a7c15ULL
void bench_jitter(uint64_t jitter_ns, uint64_t *state);

/* afxdp.c: both ends in this process, the echo end in o->server_netns */
int bench_afxdp_run(const struct bench_opts *o);

#endif /* HP_BENCH_H */
