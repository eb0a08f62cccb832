// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath-bench --af-xdp MODE: ping-pong over AF_XDP sockets on both ends
 * of a pair, the kernel's stack bypassed.  One process: the client end in
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

/* The echo end: every PING back as a PONG, from the same UMEM frame. */
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

			if (!frame_ours(f, d->len, port, &h) || h.type != HB_PING) {
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

static void report(struct xrun *r, const struct bench_stats *rtt, const struct bench_stats *ow)
{
	const struct bench_opts *o = r->o;
	const char *bind = r->cli.zc && r->srv.zc ? "zero-copy" :
			   !r->cli.zc && !r->srv.zc ? "copy" : "mixed";
	const char *xmode = o->af_xdp == BENCH_XDP_SKB ? "skb" : "native";

	if (!o->json) {
		printf("hotpath-bench af-xdp pingpong: %s -> %s (netns %s), requested %s, "
		       "granted %s, XDP %s, %u-byte UDP payload\n",
		       r->cli.ifname, r->srv.ifname, r->srv.netns, mode_str(o->af_xdp), bind,
		       xmode, o->size);
		printf("  %llu sent, %llu lost, %llu warm-up, %.3f s\n",
		       (unsigned long long)r->sent, (unsigned long long)r->lost,
		       (unsigned long long)o->warmup, (double)(r->t_end - r->t_start) / 1e9);
		bench_stats_print_header(stdout);
		bench_stats_print_row(stdout, "rtt", rtt, r->lost);
		bench_stats_print_row(stdout, "one-way", ow, r->lost);
		printf("  CPU: client %llu us user + %llu us sys, server %llu us user + "
		       "%llu us sys\n", (unsigned long long)r->user_us,
		       (unsigned long long)r->sys_us, (unsigned long long)r->srv.user_us,
		       (unsigned long long)r->srv.sys_us);
		return;
	}
	printf("{\"mode\":\"pingpong\",\"size\":%u,\"count\":%llu,\"lost\":%llu,\"warmup\":%llu,"
	       "\"busy_poll_us\":%u,\"prefer_busy_poll\":%s,\"duration_ns\":%llu,"
	       "\"send_errors\":%llu,\"one_way_direction\":\"client_to_server\",",
	       o->size, (unsigned long long)r->sent, (unsigned long long)r->lost,
	       (unsigned long long)o->warmup, o->busy_poll_us,
	       o->prefer_busy_poll ? "true" : "false",
	       (unsigned long long)(r->t_end - r->t_start),
	       (unsigned long long)r->send_errors);
	printf("\"rtt\":");
	bench_stats_json(stdout, rtt);
	printf(",\"one_way\":");
	bench_stats_json(stdout, ow);
	printf(",\"cpu\":{\"client_user_us\":%llu,\"client_sys_us\":%llu,"
	       "\"server_user_us\":%llu,\"server_sys_us\":%llu}",
	       (unsigned long long)r->user_us, (unsigned long long)r->sys_us,
	       (unsigned long long)r->srv.user_us, (unsigned long long)r->srv.sys_us);
	printf(",\"stream\":null,\"hw_timestamps\":null");
	printf(",\"af_xdp\":{\"requested\":\"%s\",\"bind\":\"%s\",\"xdp_mode\":\"%s\","
	       "\"client_dev\":\"%s\",\"server_dev\":\"%s\",\"server_netns\":\"%s\"}",
	       mode_str(o->af_xdp), bind, xmode, r->cli.ifname, r->srv.ifname, r->srv.netns);
	printf(",\"histogram\":{\"rtt\":");
	bench_hist_json(stdout, &r->rtt);
	printf(",\"one_way\":");
	bench_hist_json(stdout, &r->ow);
	printf("}}\n");
}

int bench_afxdp_run(const struct bench_opts *o)
{
	struct bench_stats rtt, ow;
	struct xrun *r;
	uint64_t i, u0, s0, u1, s1;
	uint64_t seed = BENCH_JITTER_SEED;
	uint32_t seq = 0;
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
	if (bench_samples_init(&r->rtt, o->count, BENCH_MAX_SAMPLES) ||
	    bench_samples_init(&r->ow, o->count, BENCH_MAX_SAMPLES))
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
	/* the first frames may find the peer's fill ring not yet posted */
	for (i = 0; i < o->warmup && !bench_stop; i++)
		ping(r, seq++, false);
	__atomic_store_n(&r->measuring, 1, __ATOMIC_RELEASE);
	thread_cpu(&u0, &s0);
	r->t_start = bench_now_ns();
	for (i = 0; i < o->count && !bench_stop; i++) {
		if (o->duration > 0 &&
		    bench_now_ns() - r->t_start > (uint64_t)(o->duration * 1e9))
			break;
		if (o->jitter_ns)
			bench_jitter(o->jitter_ns, &seed);
		r->sent++;
		if (!ping(r, seq++, true))
			r->lost++;
	}
	r->t_end = bench_now_ns();
	thread_cpu(&u1, &s1);
	r->user_us = u1 - u0;
	r->sys_us = s1 - s0;
	ret = bench_stop ? 130 : 0;
out_join:
	__atomic_store_n(&r->srv_stop, 1, __ATOMIC_RELEASE);
	pthread_join(r->thread, NULL);
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
