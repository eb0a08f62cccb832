// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath-bench --af-xdp MODE: ping-pong or stream over AF_XDP sockets on
 * both ends of a pair, the kernel's stack bypassed.  One process: the client end in
 * the caller's network namespace, the echo end in a thread that entered
 * --server-netns (setns() moves only the calling thread).  Each end:
 *  - a UMEM of NFRAMES frames, the lower half posted on the fill ring, the
 *    upper half the client's TX frames;
 *  - an XSKMAP of one entry and a five-instruction XDP program
 *    (bpf_redirect_map(&xsks, 0, XDP_PASS)) loaded with libbpf and attached
 *    in native mode (zero-copy, copy) or generic mode (skb);
 *  - one socket on queue 0 through libxdp's xsk API (its own program load
 *    inhibited), bound with XDP_USE_NEED_WAKEUP and XDP_ZEROCOPY or
 *    XDP_COPY; the bind the kernel granted (XDP_OPTIONS) is reported.
 * The client builds Ethernet/IPv4/UDP frames itself (the addresses of the
 * two devices, UDP checksum 0), carrying the UDP mode's hb_hdr; the echo
 * end stamps t_srv_rx when it takes the frame off its RX ring, swaps the
 * addresses in place and transmits that same UMEM frame (zero-copy echo),
 * returning it to the fill ring when its completion comes back.
 * Stream (--mode stream): the client sends --warmup WARM frames, then
 * --count DATA frames as fast as its TX ring takes them, waits for every
 * completion, then for the echo end to have seen them all (or --timeout of
 * silence); the echo end counts and stamps them (one-way samples) and
 * returns each to its fill ring.  Frames sent and not received were
 * dropped on the way: the port counts them (rx_ring_drops,
 * xsk_fill_empty_drops, xdp_redirect_errors) or, in skb mode, the socket
 * (XDP_STATISTICS, reported in af_xdp.server_xsk).
 * Both ends spin on their rings: bypass owns a core.  With --busy-poll the
 * sockets get SO_BUSY_POLL (+ SO_PREFER_BUSY_POLL, SO_BUSY_POLL_BUDGET)
 * and every empty look at the RX ring is a recvfrom(), which busy-polls
 * the port's NAPI.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __SSE2__
#include <immintrin.h>
#endif

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>

#include "bench.h"
#include "proto.h"
#include "report.h"
#include "stats.h"

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL	69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET	70
#endif

#define NFRAMES		2048
#define FRAME		XSK_UMEM__DEFAULT_FRAME_SIZE	/* 4096 */
#define RING		(NFRAMES / 2)
#define HDRS		(14 + 20 + 8)			/* Ethernet, IPv4, UDP */
#define BUSY_BUDGET	64
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* a spin loop's hint to the CPU, like the kernel's cpu_relax() (PAUSE) */
static inline void cpu_relax(void)
{
#ifdef __SSE2__
	_mm_pause();
#else
	__asm__ volatile("" ::: "memory");
#endif
}

struct xend {
	const char *ifname;
	const char *netns;		/* NULL: the caller's */
	int ifindex;
	unsigned char mac[6];
	struct in_addr ip;
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fq, tx;
	struct xsk_ring_cons cq, rx;
	int prog_fd, map_fd;
	__u32 xdp_flags;
	bool attached;
	bool zc;			/* granted */
	__u64 tx_free[RING];		/* client: free TX frames */
	unsigned int n_free;
	uint64_t user_us, sys_us;	/* echo end: its thread's CPU time */
	struct xdp_statistics xs;	/* XDP_STATISTICS at the end */
};

struct xrun {
	const struct bench_opts *o;
	struct xend cli, srv;
	struct bench_samples rtt, ow;
	uint64_t sent, lost, send_errors, t_start, t_end;
	uint64_t user_us, sys_us;
	pthread_t thread;
	volatile int srv_state;		/* 0 setting up, 1 ready, -1 failed */
	volatile int srv_stop;
	/* stream: the echo end's counts (written by it, read by the client) */
	uint64_t srv_data, srv_warm, first_rx_ns, last_rx_ns;
	/*
	 * Set by the client once its warm-up is done: the echo end's CPU time
	 * counts from then, not from its own setup, so that the client's
	 * (variable) socket and program setup and the warm-up are not billed
	 * to the measured datagrams.
	 */
	volatile int measuring;
};

static const char *mode_str(enum bench_af_xdp m)
{
	return m == BENCH_XDP_ZC ? "zero-copy" : m == BENCH_XDP_COPY ? "copy" : "skb";
}

static void thread_cpu(uint64_t *user_us, uint64_t *sys_us)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	*user_us = (uint64_t)ru.ru_utime.tv_sec * 1000000 + (uint64_t)ru.ru_utime.tv_usec;
	*sys_us = (uint64_t)ru.ru_stime.tv_sec * 1000000 + (uint64_t)ru.ru_stime.tv_usec;
}

/* MAC and IPv4 address of @e's device, in the calling thread's netns. */
static int dev_addrs(struct xend *e)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", e->ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		fprintf(stderr, "hotpath-bench: --af-xdp: %s: %s\n", e->ifname, strerror(errno));
		close(fd);
		return -1;
	}
	memcpy(e->mac, ifr.ifr_hwaddr.sa_data, 6);
	/* no address: the frames still carry one (the program takes them all) */
	if (ioctl(fd, SIOCGIFADDR, &ifr) == 0)
		e->ip = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;
	close(fd);
	return 0;
}

/* r1 = &xsks; r2 = 0; r3 = XDP_PASS; return bpf_redirect_map(r1, r2, r3) */
static int load_prog(struct xend *e)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_1,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = 0 },
		{ 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_3, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_redirect_map },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	e->map_fd = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "hp_bench_xsks", 4, 4, 1, NULL);
	if (e->map_fd < 0) {
		fprintf(stderr, "hotpath-bench: --af-xdp: XSKMAP: %s\n", strerror(-e->map_fd));
		return -1;
	}
	insns[0].imm = e->map_fd;
	e->prog_fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "hp_bench_xsk", "GPL", insns,
				   ARRAY_SIZE(insns), NULL);
	if (e->prog_fd < 0) {
		fprintf(stderr, "hotpath-bench: --af-xdp: XDP program: %s\n",
			strerror(-e->prog_fd));
		return -1;
	}
	return 0;
}

static void busy_poll_opts(const struct bench_opts *o, int fd)
{
	int v;

	if (!o->busy_poll_us)
		return;
	v = (int)o->busy_poll_us;
	if (setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &v, sizeof(v)))
		perror("hotpath-bench: SO_BUSY_POLL");
	v = 1;
	if (o->prefer_busy_poll &&
	    setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &v, sizeof(v)))
		perror("hotpath-bench: SO_PREFER_BUSY_POLL");
	v = BUSY_BUDGET;
	if (setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &v, sizeof(v)))
		perror("hotpath-bench: SO_BUSY_POLL_BUDGET");
}

/*
 * Zero-copy: the driver posts RX buffers from the fill ring only from NAPI,
 * and the ring was empty at bind; it asks for a wakeup (need_wakeup on the
 * fill ring) until a refill got every buffer it wanted.  Wait for that
 * (bounded), or the first frames find no buffer.  Copy mode receives into
 * the driver's own buffers and copies at the socket: nothing to wait for.
 */
static int fill_posted(struct xend *e)
{
	uint64_t end = bench_now_ns() + 5000000000ULL;

	while (e->zc && xsk_ring_prod__needs_wakeup(&e->fq)) {
		if (bench_now_ns() > end) {
			fprintf(stderr, "hotpath-bench: --af-xdp: %s took no fill ring entry "
				"in 5 s\n", e->ifname);
			return -1;
		}
		recvfrom(xsk_socket__fd(e->xsk), NULL, 0, MSG_DONTWAIT, NULL, NULL);
		usleep(100);
	}
	return 0;
}

/* Everything of one end, in the calling thread's netns. */
static int end_open(const struct bench_opts *o, struct xend *e)
{
	struct xsk_umem_config ucfg = {
		.fill_size = RING, .comp_size = RING, .frame_size = FRAME,
	};
	struct xsk_socket_config scfg = {
		.rx_size = RING, .tx_size = RING,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_USE_NEED_WAKEUP,
	};
	struct xdp_options opts = {};
	socklen_t olen = sizeof(opts);
	__u32 idx, i, key = 0;
	int err, fd;

	e->prog_fd = -1;
	e->map_fd = -1;
	e->ifindex = (int)if_nametoindex(e->ifname);
	if (!e->ifindex) {
		fprintf(stderr, "hotpath-bench: --af-xdp: no device %s%s%s\n", e->ifname,
			e->netns ? " in netns " : "", e->netns ? e->netns : "");
		return -1;
	}
	if (dev_addrs(e) || load_prog(e))
		return -1;
	e->xdp_flags = o->af_xdp == BENCH_XDP_SKB ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	err = bpf_xdp_attach(e->ifindex, e->prog_fd, e->xdp_flags, NULL);
	if (err) {
		fprintf(stderr, "hotpath-bench: --af-xdp: attaching XDP (%s mode) to %s: %s\n",
			o->af_xdp == BENCH_XDP_SKB ? "generic" : "native", e->ifname,
			strerror(-err));
		return -1;
	}
	e->attached = true;
	e->area = mmap(NULL, (size_t)NFRAMES * FRAME, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (e->area == MAP_FAILED) {
		e->area = NULL;
		perror("hotpath-bench: UMEM");
		return -1;
	}
	err = xsk_umem__create(&e->umem, e->area, (__u64)NFRAMES * FRAME, &e->fq, &e->cq,
			       &ucfg);
	if (err) {
		fprintf(stderr, "hotpath-bench: --af-xdp: UMEM: %s\n", strerror(-err));
		return -1;
	}
	scfg.bind_flags |= o->af_xdp == BENCH_XDP_ZC ? XDP_ZEROCOPY : XDP_COPY;
	err = xsk_socket__create(&e->xsk, e->ifname, 0, e->umem, &e->rx, &e->tx, &scfg);
	if (err) {
		fprintf(stderr, "hotpath-bench: --af-xdp %s: bind on %s queue 0: %s\n",
			mode_str(o->af_xdp), e->ifname, strerror(-err));
		e->xsk = NULL;
		return -1;
	}
	fd = xsk_socket__fd(e->xsk);
	if (getsockopt(fd, SOL_XDP, XDP_OPTIONS, &opts, &olen) == 0)
		e->zc = opts.flags & XDP_OPTIONS_ZEROCOPY;
	err = bpf_map_update_elem(e->map_fd, &key, &fd, 0);
	if (err) {
		fprintf(stderr, "hotpath-bench: --af-xdp: XSKMAP: %s\n", strerror(errno));
		return -1;
	}
	busy_poll_opts(o, fd);
	/* the lower half of the UMEM receives, the upper half sends */
	if (xsk_ring_prod__reserve(&e->fq, RING, &idx) != RING)
		return -1;
	for (i = 0; i < RING; i++)
		*xsk_ring_prod__fill_addr(&e->fq, idx + i) = (__u64)i * FRAME;
	xsk_ring_prod__submit(&e->fq, RING);
	for (i = 0; i < RING; i++)
		e->tx_free[i] = (__u64)(RING + i) * FRAME;
	e->n_free = RING;
	return fill_posted(e);
}

/* The socket's own drop counts, before it goes. */
static void end_stats(struct xend *e)
{
	socklen_t len = sizeof(e->xs);

	if (e->xsk && getsockopt(xsk_socket__fd(e->xsk), SOL_XDP, XDP_STATISTICS, &e->xs, &len))
		memset(&e->xs, 0, sizeof(e->xs));
}

static void end_close(struct xend *e)
{
	if (e->xsk)
		xsk_socket__delete(e->xsk);
	if (e->umem)
		xsk_umem__delete(e->umem);
	if (e->area)
		munmap(e->area, (size_t)NFRAMES * FRAME);
	if (e->attached)
		bpf_xdp_detach(e->ifindex, e->xdp_flags, NULL);
	if (e->prog_fd >= 0)
		close(e->prog_fd);
	if (e->map_fd >= 0)
		close(e->map_fd);
	e->xsk = NULL;
	e->umem = NULL;
	e->area = NULL;
	e->attached = false;
	e->prog_fd = -1;
	e->map_fd = -1;
}

/*
 * An empty look at the RX ring: busy-poll (or wake) the driver when asked
 * to, else one PAUSE, as the kernel's own poll loops do (a vCPU of an
 * instruction-counting VM then gives the other its turn).
 */
static void kick_rx(const struct bench_opts *o, struct xend *e)
{
	if (o->busy_poll_us || xsk_ring_prod__needs_wakeup(&e->fq))
		recvfrom(xsk_socket__fd(e->xsk), NULL, 0, MSG_DONTWAIT, NULL, NULL);
	else
		cpu_relax();
}

static int kick_tx(struct xend *e)
{
	/* copy mode transmits in the syscall (xsk_generic_xmit) */
	if (e->zc && !xsk_ring_prod__needs_wakeup(&e->tx))
		return 0;
	if (sendto(xsk_socket__fd(e->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
		return 0;
	/* the ring is full or the driver busy: the descriptors wait there */
	return errno == EAGAIN || errno == EBUSY || errno == ENOBUFS ? 0 : -1;
}

/* Completions: the client's TX frames back to its pool, the echo end's to the fill ring. */
static void reap_cq(struct xend *e, bool to_fill)
{
	__u32 idx, n, i, fidx;

	n = xsk_ring_cons__peek(&e->cq, RING, &idx);
	if (!n)
		return;
	if (to_fill) {
		while (xsk_ring_prod__reserve(&e->fq, n, &fidx) != n)
			;	/* the fill ring has room for every frame we own */
		for (i = 0; i < n; i++)
			*xsk_ring_prod__fill_addr(&e->fq, fidx + i) =
				*xsk_ring_cons__comp_addr(&e->cq, idx + i);
		xsk_ring_prod__submit(&e->fq, n);
	} else {
		for (i = 0; i < n && e->n_free < RING; i++)
			e->tx_free[e->n_free++] = *xsk_ring_cons__comp_addr(&e->cq, idx + i);
	}
	xsk_ring_cons__release(&e->cq, n);
}

static void recycle_rx(struct xend *e, __u64 addr)
{
	__u32 fidx;

	while (xsk_ring_prod__reserve(&e->fq, 1, &fidx) != 1)
		;
	*xsk_ring_prod__fill_addr(&e->fq, fidx) = xsk_umem__extract_addr(addr);
	xsk_ring_prod__submit(&e->fq, 1);
}

static uint16_t ip_csum(const void *p, unsigned int len)
{
	const uint16_t *w = p;
	uint32_t s = 0;

	for (; len > 1; len -= 2)
		s += *w++;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet/IPv4/UDP from @from to @to, UDP payload @size bytes at @f + HDRS. */
static void frame_headers(unsigned char *f, const struct xend *from, const struct xend *to,
			  uint16_t port, unsigned int size)
{
	unsigned char *ip = f + 14, *udp = ip + 20;
	uint16_t v;

	memcpy(f, to->mac, 6);
	memcpy(f + 6, from->mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	v = htons((uint16_t)(20 + 8 + size));
	memcpy(ip + 2, &v, 2);
	ip[6] = 0x40;			/* DF */
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &from->ip, 4);
	memcpy(ip + 16, &to->ip, 4);
	v = ip_csum(ip, 20);
	memcpy(ip + 10, &v, 2);
	v = htons(port);
	memcpy(udp, &v, 2);
	memcpy(udp + 2, &v, 2);
	v = htons((uint16_t)(8 + size));
	memcpy(udp + 4, &v, 2);
	memset(udp + 6, 0, 2);		/* no checksum (IPv4) */
}

/* Our frame?  Its hb_hdr in @h. */
static bool frame_ours(const unsigned char *f, __u32 len, uint16_t port, struct hb_hdr *h)
{
	uint16_t v;

	if (len < HDRS + HB_HDR_LEN || f[12] != 0x08 || f[13] != 0x00 || f[23] != IPPROTO_UDP)
		return false;
	memcpy(&v, f + 14 + 20 + 2, 2);
	if (ntohs(v) != port)
		return false;
	return hb_hdr_get(f + HDRS, len - HDRS, h) != 0;
}

/* Stream: one DATA frame at the echo end, stamped @now. */
static void stream_rx(struct xrun *r, const struct hb_hdr *h, uint64_t now)
{
	if (!r->srv_data)
		r->first_rx_ns = now;
	r->last_rx_ns = now;
	bench_samples_add(&r->ow, now > h->t_tx ? now - h->t_tx : 0);
	/* the client polls the count: published after the rest */
	__atomic_store_n(&r->srv_data, r->srv_data + 1, __ATOMIC_RELEASE);
}

/*
 * The echo end: every PING back as a PONG, from the same UMEM frame; every
 * stream frame counted.
 */
static void *echo_thread(void *arg)
{
	struct xrun *r = arg;
	const struct bench_opts *o = r->o;
	struct xend *e = &r->srv;
	uint16_t port = (uint16_t)atoi(o->port);
	uint64_t u0, s0, u1, s1;
	bool counting = false;
	char path[128];
	int nsfd;

	snprintf(path, sizeof(path), "/var/run/netns/%s", e->netns);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0 || setns(nsfd, CLONE_NEWNET)) {
		fprintf(stderr, "hotpath-bench: --server-netns %s: %s\n", e->netns,
			strerror(errno));
		if (nsfd >= 0)
			close(nsfd);
		__atomic_store_n(&r->srv_state, -1, __ATOMIC_RELEASE);
		return NULL;
	}
	close(nsfd);
	if (end_open(o, e)) {
		end_close(e);
		__atomic_store_n(&r->srv_state, -1, __ATOMIC_RELEASE);
		return NULL;
	}
	if (o->server_cpu >= 0)
		bench_pin_cpu(o->server_cpu);
	thread_cpu(&u0, &s0);
	__atomic_store_n(&r->srv_state, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&r->srv_stop, __ATOMIC_ACQUIRE) && !bench_stop) {
		__u32 idx, tidx, n, i;

		if (!counting && __atomic_load_n(&r->measuring, __ATOMIC_ACQUIRE)) {
			thread_cpu(&u0, &s0);
			counting = true;
		}
		reap_cq(e, true);
		n = xsk_ring_cons__peek(&e->rx, BUSY_BUDGET, &idx);
		if (!n) {
			kick_rx(o, e);
			continue;
		}
		for (i = 0; i < n; i++) {
			const struct xdp_desc *d = xsk_ring_cons__rx_desc(&e->rx, idx + i);
			unsigned char *f = xsk_umem__get_data(e->area, d->addr);
			uint64_t now = bench_now_ns();
			unsigned char tmp[6];
			struct hb_hdr h;

			bool ours = frame_ours(f, d->len, port, &h);

			if (!ours || h.type != HB_PING) {
				if (ours && h.type == HB_DATA)
					stream_rx(r, &h, now);
				else if (ours && h.type == HB_WARM)
					__atomic_store_n(&r->srv_warm, r->srv_warm + 1,
							 __ATOMIC_RELEASE);
				recycle_rx(e, d->addr);
				continue;
			}
			/* swap the addresses, stamp, send this very frame back */
			memcpy(tmp, f, 6);
			memcpy(f, f + 6, 6);
			memcpy(f + 6, tmp, 6);
			memcpy(tmp, f + 26, 4);
			memcpy(f + 26, f + 30, 4);
			memcpy(f + 30, tmp, 4);
			hb_hdr_put((struct hb_hdr *)(f + HDRS), HB_PONG, h.seq, h.t_tx, now);
			while (xsk_ring_prod__reserve(&e->tx, 1, &tidx) != 1) {
				reap_cq(e, true);
				kick_tx(e);
			}
			xsk_ring_prod__tx_desc(&e->tx, tidx)->addr = d->addr;
			xsk_ring_prod__tx_desc(&e->tx, tidx)->len = d->len;
			xsk_ring_prod__submit(&e->tx, 1);
		}
		xsk_ring_cons__release(&e->rx, n);
		kick_tx(e);
	}
	thread_cpu(&u1, &s1);
	e->user_us = u1 - u0;
	e->sys_us = s1 - s0;
	end_stats(e);
	/* detach in this thread: the netlink socket must be in the echo end's netns */
	end_close(e);
	return NULL;
}

/* One PING; its PONG (true) or the timeout (false). */
static bool ping(struct xrun *r, uint32_t seq, bool measured)
{
	const struct bench_opts *o = r->o;
	struct xend *e = &r->cli;
	uint16_t port = (uint16_t)atoi(o->port);
	uint64_t t_tx, deadline, now;
	unsigned char *f;
	__u32 idx;
	__u64 addr;

	reap_cq(e, false);
	while (!e->n_free) {
		kick_tx(e);
		reap_cq(e, false);
	}
	addr = e->tx_free[--e->n_free];
	f = xsk_umem__get_data(e->area, addr);
	frame_headers(f, e, &r->srv, port, o->size);
	memset(f + HDRS, 0, o->size);
	while (xsk_ring_prod__reserve(&e->tx, 1, &idx) != 1)
		reap_cq(e, false);
	xsk_ring_prod__tx_desc(&e->tx, idx)->addr = addr;
	xsk_ring_prod__tx_desc(&e->tx, idx)->len = HDRS + o->size;
	t_tx = bench_now_ns();
	hb_hdr_put((struct hb_hdr *)(f + HDRS), HB_PING, seq, t_tx, measured ? 0 : 1);
	xsk_ring_prod__submit(&e->tx, 1);
	if (kick_tx(e))
		r->send_errors++;
	deadline = t_tx + (uint64_t)o->timeout_ms * 1000000ULL;
	for (;;) {
		__u32 n, i;
		bool got = false;

		n = xsk_ring_cons__peek(&e->rx, BUSY_BUDGET, &idx);
		now = bench_now_ns();
		for (i = 0; i < n; i++) {
			const struct xdp_desc *d = xsk_ring_cons__rx_desc(&e->rx, idx + i);
			struct hb_hdr h;

			if (frame_ours(xsk_umem__get_data(e->area, d->addr), d->len, port, &h) &&
			    h.type == HB_PONG && h.seq == seq && h.t_tx == t_tx) {
				got = true;
				if (measured) {
					bench_samples_add(&r->rtt, now - t_tx);
					bench_samples_add(&r->ow, h.t_srv_rx - t_tx);
				}
			}
			recycle_rx(e, d->addr);
		}
		if (n)
			xsk_ring_cons__release(&e->rx, n);
		if (got)
			return true;
		if (now > deadline || bench_stop)
			return false;
		if (!n) {
			kick_rx(o, e);
			reap_cq(e, false);
		}
	}
}

static const char *bind_str(const struct xrun *r)
{
	return r->cli.zc && r->srv.zc ? "zero-copy" : !r->cli.zc && !r->srv.zc ? "copy" : "mixed";
}

static const char *xdp_mode_str(const struct bench_opts *o)
{
	return o->af_xdp == BENCH_XDP_SKB ? "skb" : "native";
}

/* --json's af_xdp object */
static void afxdp_json(FILE *f, const void *arg)
{
	const struct xrun *r = arg;
	const struct xdp_statistics *x = &r->srv.xs;

	fprintf(f, "{\"requested\":\"%s\",\"bind\":\"%s\",\"xdp_mode\":\"%s\","
		"\"client_dev\":\"%s\",\"server_dev\":\"%s\",\"server_netns\":\"%s\","
		"\"warmup_received\":%llu,\"server_xsk\":{\"rx_dropped\":%llu,"
		"\"rx_ring_full\":%llu,\"rx_invalid_descs\":%llu,"
		"\"rx_fill_ring_empty_descs\":%llu},\"client_xsk\":{\"tx_invalid_descs\":%llu,"
		"\"tx_ring_empty_descs\":%llu}}",
		mode_str(r->o->af_xdp), bind_str(r), xdp_mode_str(r->o), r->cli.ifname,
		r->srv.ifname, r->srv.netns, (unsigned long long)r->srv_warm,
		(unsigned long long)x->rx_dropped, (unsigned long long)x->rx_ring_full,
		(unsigned long long)x->rx_invalid_descs,
		(unsigned long long)x->rx_fill_ring_empty_descs,
		(unsigned long long)r->cli.xs.tx_invalid_descs,
		(unsigned long long)r->cli.xs.tx_ring_empty_descs);
}

/* Stream: received, dropped and both rates, as the UDP stream counts them. */
static void stream_numbers(const struct xrun *r, uint64_t *recv, uint64_t *dropped,
			   double *pps_sent, double *pps_recv)
{
	double span = (double)(r->t_end - r->t_start) / 1e9;

	*recv = r->srv_data;
	*dropped = r->sent > *recv ? r->sent - *recv : 0;
	*pps_sent = span > 0 ? (double)r->sent / span : 0;
	if (*recv >= 2 && r->last_rx_ns > r->first_rx_ns)
		*pps_recv = (double)(*recv - 1) * 1e9 / (double)(r->last_rx_ns - r->first_rx_ns);
	else
		*pps_recv = span > 0 ? (double)*recv / span : 0;
}

static void report(struct xrun *r, const struct bench_stats *rtt, const struct bench_stats *ow)
{
	const struct bench_opts *o = r->o;
	bool stream = o->mode == BENCH_STREAM;
	struct bench_report j = {
		.mode = stream ? "stream" : "pingpong", .size = o->size, .count = r->sent,
		.lost = r->lost, .warmup = o->warmup, .duration_ns = r->t_end - r->t_start,
		.send_errors = r->send_errors, .busy_poll_us = o->busy_poll_us,
		.prefer_busy_poll = o->prefer_busy_poll, .rtt = stream ? NULL : rtt, .ow = ow,
		.cli_user_us = r->user_us, .cli_sys_us = r->sys_us,
		.srv_user_us = r->srv.user_us, .srv_sys_us = r->srv.sys_us,
		.stream = stream, .st_sent = r->sent, .af_xdp = afxdp_json, .arg = r,
		.hist_rtt = &r->rtt, .hist_ow = &r->ow,
	};

	if (stream) {
		stream_numbers(r, &j.st_received, &j.st_dropped, &j.pps_sent, &j.pps_received);
		j.lost = j.st_dropped;
	}
	if (o->json) {
		bench_report_json(stdout, &j);
		return;
	}
	printf("hotpath-bench af-xdp %s: %s -> %s (netns %s), requested %s, "
	       "granted %s, XDP %s, %u-byte UDP payload\n", j.mode,
	       r->cli.ifname, r->srv.ifname, r->srv.netns, mode_str(o->af_xdp), bind_str(r),
	       xdp_mode_str(o), o->size);
	if (stream) {
		printf("  sent %llu (%.0f pps), received %llu (%.0f pps), dropped %llu, "
		       "%llu warm-up (%llu received), %.3f s\n",
		       (unsigned long long)r->sent, j.pps_sent,
		       (unsigned long long)j.st_received, j.pps_received,
		       (unsigned long long)j.st_dropped, (unsigned long long)o->warmup,
		       (unsigned long long)r->srv_warm, (double)j.duration_ns / 1e9);
		printf("  echo end's socket: %llu rx_dropped, %llu rx_ring_full\n",
		       (unsigned long long)r->srv.xs.rx_dropped,
		       (unsigned long long)r->srv.xs.rx_ring_full);
		bench_stats_print_header(stdout);
		bench_stats_print_row(stdout, "one-way", ow, j.st_dropped);
	} else {
		printf("  %llu sent, %llu lost, %llu warm-up, %.3f s\n",
		       (unsigned long long)r->sent, (unsigned long long)r->lost,
		       (unsigned long long)o->warmup, (double)j.duration_ns / 1e9);
		bench_stats_print_header(stdout);
		bench_stats_print_row(stdout, "rtt", rtt, r->lost);
		bench_stats_print_row(stdout, "one-way", ow, r->lost);
	}
	printf("  CPU: client %llu us user + %llu us sys, server %llu us user + "
	       "%llu us sys\n", (unsigned long long)r->user_us,
	       (unsigned long long)r->sys_us, (unsigned long long)r->srv.user_us,
	       (unsigned long long)r->srv.sys_us);
}

/* Stream: one frame of @type onto the TX ring; false when stopped or timed out. */
static bool stream_put(struct xrun *r, enum hb_type type, uint32_t seq, bool kick)
{
	const struct bench_opts *o = r->o;
	struct xend *e = &r->cli;
	uint64_t deadline = 0;
	unsigned char *f;
	__u32 idx;
	__u64 addr;

	while (!e->n_free) {
		if (!deadline)
			deadline = bench_now_ns() + (uint64_t)o->timeout_ms * 1000000ULL;
		if (kick_tx(e))
			r->send_errors++;
		reap_cq(e, false);
		if (bench_stop || bench_now_ns() > deadline)
			return false;
	}
	/* n_free frames are out of the TX ring, so it has room for one */
	addr = e->tx_free[--e->n_free];
	f = xsk_umem__get_data(e->area, addr);
	frame_headers(f, e, &r->srv, (uint16_t)atoi(o->port), o->size);
	memset(f + HDRS + HB_HDR_LEN, 0, o->size - HB_HDR_LEN);
	if (xsk_ring_prod__reserve(&e->tx, 1, &idx) != 1) {
		e->tx_free[e->n_free++] = addr;
		return false;
	}
	xsk_ring_prod__tx_desc(&e->tx, idx)->addr = addr;
	xsk_ring_prod__tx_desc(&e->tx, idx)->len = HDRS + o->size;
	hb_hdr_put((struct hb_hdr *)(f + HDRS), type, seq, bench_now_ns(), 0);
	xsk_ring_prod__submit(&e->tx, 1);
	if (kick && kick_tx(e))
		r->send_errors++;
	reap_cq(e, false);
	return true;
}

/*
 * Stream: every frame completed (back in the client's pool), then the echo
 * end has seen all @total, or nothing more arrived for --timeout.  Bounded.
 */
static void stream_drain(struct xrun *r, uint64_t total)
{
	uint64_t wait = (uint64_t)r->o->timeout_ms * 1000000ULL;
	uint64_t end = bench_now_ns() + wait, seen, last = 0;
	struct xend *e = &r->cli;

	while (e->n_free < RING && !bench_stop && bench_now_ns() < end) {
		kick_tx(e);
		reap_cq(e, false);
	}
	end = bench_now_ns() + wait;
	while (!bench_stop && bench_now_ns() < end) {
		seen = __atomic_load_n(&r->srv_data, __ATOMIC_ACQUIRE) +
		       __atomic_load_n(&r->srv_warm, __ATOMIC_ACQUIRE);
		if (seen >= total)
			break;
		if (seen != last) {
			last = seen;
			end = bench_now_ns() + wait;
		}
		usleep(1000);
	}
}

/* The measured phase: its clock and the client thread's CPU time. */
static void phase_begin(struct xrun *r)
{
	__atomic_store_n(&r->measuring, 1, __ATOMIC_RELEASE);
	thread_cpu(&r->user_us, &r->sys_us);
	r->t_start = bench_now_ns();
}

static void phase_end(struct xrun *r)
{
	uint64_t u, s;

	r->t_end = bench_now_ns();
	thread_cpu(&u, &s);
	r->user_us = u - r->user_us;
	r->sys_us = s - r->sys_us;
}

/* Another measured frame: within --count and --duration, not stopped. */
static bool more(const struct xrun *r, uint64_t i)
{
	const struct bench_opts *o = r->o;

	if (i >= o->count || bench_stop)
		return false;
	return !(o->duration > 0 && bench_now_ns() - r->t_start > (uint64_t)(o->duration * 1e9));
}

static void run_stream(struct xrun *r)
{
	const struct bench_opts *o = r->o;
	uint64_t i;

	for (i = 0; i < o->warmup && !bench_stop; i++)
		if (!stream_put(r, HB_WARM, (uint32_t)i, (i & 31) == 31 || i + 1 == o->warmup))
			break;
	phase_begin(r);
	for (i = 0; more(r, i); i++) {
		if (!stream_put(r, HB_DATA, (uint32_t)i, (i & 31) == 31 || i + 1 == o->count))
			break;
		r->sent++;
	}
	if (kick_tx(&r->cli))
		r->send_errors++;
	phase_end(r);
	stream_drain(r, o->warmup + r->sent);
}

static void run_pingpong(struct xrun *r)
{
	const struct bench_opts *o = r->o;
	uint64_t seed = BENCH_JITTER_SEED, i;
	uint32_t seq = 0;

	/* the first frames may find the peer's fill ring not yet posted */
	for (i = 0; i < o->warmup && !bench_stop; i++)
		ping(r, seq++, false);
	phase_begin(r);
	for (i = 0; more(r, i); i++) {
		if (o->jitter_ns)
			bench_jitter(o->jitter_ns, &seed);
		r->sent++;
		if (!ping(r, seq++, true))
			r->lost++;
	}
	phase_end(r);
}

int bench_afxdp_run(const struct bench_opts *o)
{
	struct bench_stats rtt, ow;
	struct xrun *r;
	uint64_t expect;
	int ret = 1;

	r = calloc(1, sizeof(*r));
	if (!r)
		return 1;
	r->o = o;
	r->cli.ifname = o->dev;
	r->srv.ifname = o->server_dev;
	r->srv.netns = o->server_netns;
	r->cli.prog_fd = -1;
	r->cli.map_fd = -1;
	r->srv.prog_fd = -1;
	r->srv.map_fd = -1;
	/* --duration runs grow their samples as they go */
	expect = o->count < (1 << 20) ? o->count : (1 << 20);
	if (bench_samples_init(&r->rtt, o->mode == BENCH_STREAM ? 0 : expect,
			       BENCH_MAX_SAMPLES) ||
	    bench_samples_init(&r->ow, expect, BENCH_MAX_SAMPLES))
		goto out;
	if (end_open(o, &r->cli))
		goto out;
	if (pthread_create(&r->thread, NULL, echo_thread, r)) {
		perror("hotpath-bench: echo thread");
		goto out;
	}
	/* bounded by the echo end's setup, which ends in ready or failed */
	while (!__atomic_load_n(&r->srv_state, __ATOMIC_ACQUIRE))
		usleep(1000);
	if (r->srv_state < 0)
		goto out_join;
	if (inet_pton(AF_INET, o->addr, &r->srv.ip) != 1) {
		fprintf(stderr, "hotpath-bench: --af-xdp: '%s' is not an IPv4 address\n",
			o->addr);
		goto out_join;
	}
	if (bench_pin_cpu(o->cpu))
		goto out_join;
	if (o->mode == BENCH_STREAM)
		run_stream(r);
	else
		run_pingpong(r);
	ret = bench_stop ? 130 : 0;
out_join:
	__atomic_store_n(&r->srv_stop, 1, __ATOMIC_RELEASE);
	pthread_join(r->thread, NULL);
	end_stats(&r->cli);
	if (!ret || ret == 130) {
		bench_stats_compute(&r->rtt, &rtt);
		bench_stats_compute(&r->ow, &ow);
		report(r, &rtt, &ow);
		fflush(stdout);
	}
out:
	end_close(&r->cli);
	bench_samples_free(&r->rtt);
	bench_samples_free(&r->ow);
	free(r);
	return ret;
}
