// SPDX-License-Identifier: GPL-2.0
/*
 * AF_XDP zero-copy on hotpath ports.  hp0 sits in namespace A, hp1 in B,
 * IPv6 off before link up (no ND/MLD: every frame on the link is the
 * test's own).  On hp1 a program (bpf/hp_xsk.bpf.o, loaded with libbpf,
 * attached in native mode) redirects every frame into an XSKMAP holding
 * one AF_XDP socket, bound with XDP_ZEROCOPY | XDP_USE_NEED_WAKEUP through
 * libxdp's xsk API (libxdp's own program load inhibited).  On hp0 an
 * AF_PACKET socket sends and receives raw frames of a local EtherType.
 *  - rx: the socket reports XDP_OPTIONS_ZEROCOPY; N frames sent on hp0
 *    arrive on the socket exactly once each, with the bytes sent;
 *    xsk_rx_packets +N, no fill-ring drops; the bypass path's RX stages
 *    xdp_prog and xsk_rx counted N times, as is each frame's pickup
 *    (rx_napi or rx_busy_poll), the stack's rx_stack not once;
 *  - tx: N frames written into the UMEM and put on the XSK TX ring arrive
 *    on hp0 with their bytes, N completions come back; xsk_tx_packets +N;
 *    the bypass path's TX stage xsk_tx counted N times, the stack's
 *    tx_stack, tx_qdisc and tx_desc not once (ethtool -S STAGE_count);
 *  - fill_empty: with K fill entries posted, K + M frames sent: K arrive,
 *    xsk_fill_empty_drops +M exactly;
 *  - teardown: while frames flow in both directions, the socket closed,
 *    the program detached, the link taken down, several cycles each, then
 *    the module removed with a socket still bound; ports_alive and
 *    buffers_alive stay what they were between cycles (the console is
 *    scanned for splats by the VM runner).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>

#include "kselftest_harness.h"
#include "hp_sh.h"

#define ETH_P_HPTEST	0x88b5		/* IEEE local experimental */
#define NUM_FRAMES	1024
#define FRAME_SIZE	XSK_UMEM__DEFAULT_FRAME_SIZE
#define RING_SIZE	512
/*
 * Fill entries the RX tests post: one less than the driver's RX ring, so
 * that NAPI's refill asks the fill ring once more after the last one and
 * the kernel then publishes its consumer index (it does so lazily): the
 * test sees every entry taken.
 */
#define FILL_N		(RING_SIZE - 1)
#define FLEN		128
#define N		200
#define TIMEOUT_MS	10000

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* A driver counter of DEV in NS, from ethtool -S (-1: not found). */
static long long counter(const char *ns, const char *dev, const char *name)
{
	char cmd[256], line[256], key[128];
	long long v = -1, x;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "/usr/bin/ip netns exec %s ethtool -S %s 2>/dev/null", ns, dev);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " %127[^:]: %lld", key, &x) == 2 && !strcmp(key, name))
			v = x;
	pclose(f);
	return v;
}

/* frames @dev's NAPI runs or busy pollers picked up (their pickup stages) */
static long long pickups(const char *ns, const char *dev)
{
	long long napi = counter(ns, dev, "rx_napi_count");
	long long busy = counter(ns, dev, "rx_busy_poll_count");

	return napi < 0 || busy < 0 ? -1 : napi + busy;
}

static long long param(const char *name)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/hotpath/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Frame @seq: broadcast, our EtherType, then a pattern the receiver checks. */
static void frame_fill(unsigned char *p, const unsigned char *src, unsigned int seq)
{
	unsigned int i;

	memset(p, 0xff, ETH_ALEN);
	memcpy(p + ETH_ALEN, src, ETH_ALEN);
	p[12] = ETH_P_HPTEST >> 8;
	p[13] = ETH_P_HPTEST & 0xff;
	memcpy(p + 14, &seq, sizeof(seq));
	for (i = 18; i < FLEN; i++)
		p[i] = (unsigned char)(seq * 7 + i);
}

/* Which frame @p (of @len bytes) is, or -1 if its bytes are not ours. */
static int frame_check(const unsigned char *p, unsigned int len, const unsigned char *src)
{
	unsigned char want[FLEN];
	unsigned int seq;

	if (len != FLEN)
		return -1;
	memcpy(&seq, p + 14, sizeof(seq));
	frame_fill(want, src, seq);
	return memcmp(p, want, FLEN) ? -1 : (int)seq;
}

/* The first frame not seen exactly once, or -1. */
static int not_once(const unsigned char *seen)
{
	int i;

	for (i = 0; i < N; i++)
		if (seen[i] != 1)
			return i;
	return -1;
}

struct xsk {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *sock;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp, rx;
};

FIXTURE(zc)
{
	char ns_a[32], ns_b[32];
	int root_ns;
	int pkt;			/* AF_PACKET on hp0 */
	int ifindex_a, ifindex_b;
	unsigned char mac_a[ETH_ALEN], mac_b[ETH_ALEN];
	struct bpf_object *obj;
	int prog_fd, map_fd;
	struct xsk x;
};

static int xsk_open(struct xsk *x, __u16 bind_flags)
{
	struct xsk_umem_config ucfg = {
		.fill_size = RING_SIZE * 2,
		.comp_size = RING_SIZE * 2,
		.frame_size = FRAME_SIZE,
	};
	struct xsk_socket_config scfg = {
		.rx_size = RING_SIZE * 2,
		.tx_size = RING_SIZE,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.xdp_flags = XDP_FLAGS_DRV_MODE,
		.bind_flags = bind_flags,
	};
	int err;

	memset(x, 0, sizeof(*x));
	x->area = mmap(NULL, (size_t)NUM_FRAMES * FRAME_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->area == MAP_FAILED)
		return -errno;
	err = xsk_umem__create(&x->umem, x->area, (__u64)NUM_FRAMES * FRAME_SIZE,
			       &x->fill, &x->comp, &ucfg);
	if (err)
		return err;
	return xsk_socket__create(&x->sock, "hp1", 0, x->umem, &x->rx, &x->tx, &scfg);
}

static void xsk_close(struct xsk *x)
{
	if (x->sock)
		xsk_socket__delete(x->sock);
	if (x->umem)
		xsk_umem__delete(x->umem);
	if (x->area && x->area != MAP_FAILED)
		munmap(x->area, (size_t)NUM_FRAMES * FRAME_SIZE);
	memset(x, 0, sizeof(*x));
}

/* Post @n fill entries (frames 0..n-1, the RX half of the UMEM). */
static int xsk_post_fill(struct xsk *x, unsigned int n)
{
	__u32 idx, i;

	if (xsk_ring_prod__reserve(&x->fill, n, &idx) != n)
		return -1;
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&x->fill, idx + i) = (__u64)i * FRAME_SIZE;
	xsk_ring_prod__submit(&x->fill, n);
	if (xsk_ring_prod__needs_wakeup(&x->fill))
		recvfrom(xsk_socket__fd(x->sock), NULL, 0, MSG_DONTWAIT, NULL, NULL);
	return 0;
}

/* Until the driver took every fill entry (NAPI posted them, FILL_N), bounded. */
static int xsk_wait_fill_taken(struct xsk *x)
{
	long long end = now_ms() + TIMEOUT_MS;

	while (xsk_prod_nb_free(&x->fill, RING_SIZE * 2) != RING_SIZE * 2) {
		if (now_ms() > end)
			return -1;
		if (xsk_ring_prod__needs_wakeup(&x->fill))
			recvfrom(xsk_socket__fd(x->sock), NULL, 0, MSG_DONTWAIT, NULL, NULL);
		usleep(1000);
	}
	return 0;
}

/* Receive up to @want frames into @seen (counts per seq); returns the number. */
static int xsk_receive(struct xsk *x, const unsigned char *src, unsigned char *seen,
		       int want, int *bad, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;
	struct pollfd pfd = { .fd = xsk_socket__fd(x->sock), .events = POLLIN };
	int got = 0;

	while (got < want && now_ms() < end) {
		__u32 idx, n, i;

		n = xsk_ring_cons__peek(&x->rx, RING_SIZE, &idx);
		if (!n) {
			poll(&pfd, 1, 100);
			continue;
		}
		for (i = 0; i < n; i++) {
			const struct xdp_desc *d = xsk_ring_cons__rx_desc(&x->rx, idx + i);
			int seq = frame_check(xsk_umem__get_data(x->area, d->addr), d->len, src);

			if (seq < 0 || seq >= N)
				(*bad)++;
			else
				seen[seq]++;
		}
		xsk_ring_cons__release(&x->rx, n);
		got += n;
	}
	return got;
}

static int pkt_send(int fd, int ifindex, const unsigned char *src, unsigned int seq)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
		.sll_halen = ETH_ALEN,
	};
	unsigned char f[FLEN];

	frame_fill(f, src, seq);
	memset(sll.sll_addr, 0xff, ETH_ALEN);
	return sendto(fd, f, FLEN, 0, (struct sockaddr *)&sll, sizeof(sll)) == FLEN ? 0 : -1;
}

static int attach_prog(FIXTURE_DATA(zc) *self)
{
	return bpf_xdp_attach(self->ifindex_b, self->prog_fd, XDP_FLAGS_DRV_MODE, NULL);
}

static int bind_xsk(FIXTURE_DATA(zc) *self)
{
	__u32 k = 0;
	__u64 zero = 0;
	long long end = now_ms() + TIMEOUT_MS;
	int err;

	/*
	 * A socket just closed releases its pool from a work item: until then
	 * the queue is busy (EBUSY from xsk_bind).  Bounded retry.
	 */
	while ((err = xsk_open(&self->x, XDP_ZEROCOPY | XDP_USE_NEED_WAKEUP)) == -EBUSY &&
	       now_ms() < end) {
		xsk_close(&self->x);
		usleep(10000);
	}
	if (err)
		return err;
	bpf_map_update_elem(bpf_map__fd(bpf_object__find_map_by_name(self->obj, "seen")),
			    &k, &zero, 0);
	return xsk_socket__update_xskmap(self->x.sock, self->map_fd);
}

static void get_mac(const char *ns, const char *dev, unsigned char *mac)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/usr/bin/ip netns exec %s cat /sys/class/net/%s/address", ns, dev);
	f = popen(path, "r");
	if (!f)
		return;
	if (fscanf(f, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2],
		   &mac[3], &mac[4], &mac[5]) != 6)
		memset(mac, 0, ETH_ALEN);
	pclose(f);
}

FIXTURE_SETUP(zc)
{
	char obj[PATH_MAX + 32];
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int rcvbuf = 4 << 20;

	snprintf(self->ns_a, sizeof(self->ns_a), "hp-%d-a", getpid());
	snprintf(self->ns_b, sizeof(self->ns_b), "hp-%d-b", getpid());
	self->root_ns = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->root_ns);
	ASSERT_EQ(0, sh("hp_mod_load pairs=1 >/dev/null && "
			"for x in a:hp0 b:hp1; do ns=hp-%d-${x%%:*} d=${x#*:}; "
			"ip netns add $ns && ip link set $d netns $ns && "
			"ip netns exec $ns sysctl -qw net.ipv6.conf.$d.disable_ipv6=1 && "
			"ip -n $ns link set $d up || exit 1; done && "
			"busywait_eq 5000 1 hp_carrier hp-%d-b hp1 >/dev/null",
			getpid(), getpid())) {
		TH_LOG("module load or namespace setup failed");
	}
	get_mac(self->ns_a, "hp0", self->mac_a);
	get_mac(self->ns_b, "hp1", self->mac_b);

	snprintf(obj, sizeof(obj), "%s/bpf/hp_xsk.bpf.o", libdir);
	self->obj = bpf_object__open_file(obj, NULL);
	ASSERT_NE(NULL, self->obj) TH_LOG("open %s: %s", obj, strerror(errno));
	ASSERT_EQ(0, bpf_object__load(self->obj));
	self->prog_fd = bpf_program__fd(bpf_object__find_program_by_name(self->obj,
									 "xdp_xsk_redirect"));
	self->map_fd = bpf_map__fd(bpf_object__find_map_by_name(self->obj, "xsks"));
	ASSERT_LE(0, self->prog_fd);
	ASSERT_LE(0, self->map_fd);

	ASSERT_EQ(0, enter_ns(self->ns_a));
	self->ifindex_a = if_nametoindex("hp0");
	self->pkt = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_HPTEST));
	ASSERT_LE(0, self->pkt);
	sll.sll_protocol = htons(ETH_P_HPTEST);
	sll.sll_ifindex = self->ifindex_a;
	ASSERT_EQ(0, bind(self->pkt, (struct sockaddr *)&sll, sizeof(sll)));
	ASSERT_EQ(0, setsockopt(self->pkt, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	setsockopt(self->pkt, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));

	ASSERT_EQ(0, enter_ns(self->ns_b));
	self->ifindex_b = if_nametoindex("hp1");
	ASSERT_NE(0, self->ifindex_b);
	ASSERT_EQ(0, attach_prog(self));
	ASSERT_EQ(0, bind_xsk(self)) TH_LOG("zero-copy bind on hp1: %s", strerror(errno));
}

FIXTURE_TEARDOWN(zc)
{
	xsk_close(&self->x);
	if (self->ifindex_b)
		bpf_xdp_detach(self->ifindex_b, XDP_FLAGS_DRV_MODE, NULL);
	setns(self->root_ns, CLONE_NEWNET);
	if (self->obj)
		bpf_object__close(self->obj);
	if (self->pkt >= 0)
		close(self->pkt);
	sh("ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null; hp_mod_unload",
	   self->ns_a, self->ns_b);
}

/* Send frames [from, to) on hp0 (namespace A). */
static int send_range(FIXTURE_DATA(zc) *self, int from, int to)
{
	int i;

	for (i = from; i < to; i++)
		if (pkt_send(self->pkt, self->ifindex_a, self->mac_a, i))
			return -1;
	return 0;
}

TEST_F_TIMEOUT(zc, rx, 120)
{
	struct xdp_options opts = {};
	socklen_t len = sizeof(opts);
	unsigned char seen[N] = {};
	long long rx0, drops0, rx1, drops1, xs0, st0, xp0, pk0;
	int got, bad = 0, i, fd = xsk_socket__fd(self->x.sock);

	ASSERT_EQ(0, getsockopt(fd, SOL_XDP, XDP_OPTIONS, &opts, &len));
	ASSERT_NE(0U, opts.flags & XDP_OPTIONS_ZEROCOPY) TH_LOG("flags %#x", opts.flags);

	rx0 = counter(self->ns_b, "hp1", "xsk_rx_packets");
	drops0 = counter(self->ns_b, "hp1", "xsk_fill_empty_drops");
	xs0 = counter(self->ns_b, "hp1", "xsk_rx_count");
	st0 = counter(self->ns_b, "hp1", "rx_stack_count");
	xp0 = counter(self->ns_b, "hp1", "xdp_prog_count");
	pk0 = pickups(self->ns_b, "hp1");
	ASSERT_LE(0, rx0);
	ASSERT_LE(0, xs0);
	ASSERT_LE(0, st0);
	ASSERT_LE(0, xp0);
	ASSERT_LE(0, pk0);
	ASSERT_EQ(0, xsk_post_fill(&self->x, FILL_N));
	ASSERT_EQ(0, xsk_wait_fill_taken(&self->x));
	ASSERT_EQ(0, send_range(self, 0, N));
	got = xsk_receive(&self->x, self->mac_a, seen, N, &bad, TIMEOUT_MS);
	ASSERT_EQ(N, got);
	ASSERT_EQ(0, bad);
	i = not_once(seen);
	ASSERT_EQ(-1, i) TH_LOG("frame %d seen %d times", i, (int)seen[i]);
	rx1 = counter(self->ns_b, "hp1", "xsk_rx_packets");
	drops1 = counter(self->ns_b, "hp1", "xsk_fill_empty_drops");
	ASSERT_EQ(N, rx1 - rx0);
	ASSERT_EQ(0, drops1 - drops0);
	/* the hand-off to the socket is the bypass path's RX stage, not the stack's */
	ASSERT_EQ(N, counter(self->ns_b, "hp1", "xsk_rx_count") - xs0);
	ASSERT_EQ(0, counter(self->ns_b, "hp1", "rx_stack_count") - st0);
	/* the program's run is its own stage, timed once per frame */
	ASSERT_EQ(N, counter(self->ns_b, "hp1", "xdp_prog_count") - xp0);
	/* and each frame's pickup, by a NAPI run or a busy poller, once */
	ASSERT_EQ(N, pickups(self->ns_b, "hp1") - pk0);
	/* nothing more: exactly once */
	ASSERT_EQ(0, xsk_receive(&self->x, self->mac_a, seen, 1, &bad, 300));
}

/* Read @n frames from hp0's packet socket into @seen; returns the number. */
static int pkt_receive(FIXTURE_DATA(zc) *self, unsigned char *seen, int n, int *bad,
		       int timeout_ms)
{
	long long end = now_ms() + timeout_ms;
	unsigned char buf[2048];
	int got = 0;

	while (got < n && now_ms() < end) {
		ssize_t r = recv(self->pkt, buf, sizeof(buf), 0);
		int seq;

		if (r < 0)
			continue;
		seq = frame_check(buf, r, self->mac_b);
		if (seq < 0 || seq >= N)
			(*bad)++;
		else
			seen[seq]++;
		got++;
	}
	return got;
}

TEST_F_TIMEOUT(zc, tx, 120)
{
	unsigned char seen[N] = {};
	static const char * const stack[] = { "tx_stack_count", "tx_qdisc_count",
					      "tx_desc_count" };
	long long tx0, tx1, end, xs0, st0[3];
	int sent = 0, got = 0, bad = 0, comps = 0, i;
	__u32 idx;

	tx0 = counter(self->ns_b, "hp1", "xsk_tx_packets");
	ASSERT_LE(0, tx0);
	xs0 = counter(self->ns_b, "hp1", "xsk_tx_count");
	ASSERT_LE(0, xs0);
	for (i = 0; i < 3; i++) {
		st0[i] = counter(self->ns_b, "hp1", stack[i]);
		ASSERT_LE(0, st0[i]) TH_LOG("stage %d of tx_stack, tx_qdisc, tx_desc missing", i);
	}
	/* TX frames from the upper half of the UMEM, in batches of 50 */
	while (sent < N) {
		int n = N - sent > 50 ? 50 : N - sent;

		ASSERT_EQ((__u32)n, xsk_ring_prod__reserve(&self->x.tx, n, &idx));
		for (i = 0; i < n; i++) {
			struct xdp_desc *d = xsk_ring_prod__tx_desc(&self->x.tx, idx + i);
			__u64 addr = (__u64)(NUM_FRAMES / 2 + sent + i) * FRAME_SIZE;

			frame_fill(xsk_umem__get_data(self->x.area, addr), self->mac_b, sent + i);
			d->addr = addr;
			d->len = FLEN;
		}
		xsk_ring_prod__submit(&self->x.tx, n);
		sent += n;
		/* need_wakeup: NAPI takes them only when woken */
		ASSERT_TRUE(xsk_ring_prod__needs_wakeup(&self->x.tx));
		sendto(xsk_socket__fd(self->x.sock), NULL, 0, MSG_DONTWAIT, NULL, 0);
		end = now_ms() + TIMEOUT_MS;
		while (comps < sent && now_ms() < end) {
			__u32 c = xsk_ring_cons__peek(&self->x.comp, RING_SIZE, &idx);

			if (!c) {
				usleep(1000);
				continue;
			}
			xsk_ring_cons__release(&self->x.comp, c);
			comps += c;
		}
		ASSERT_EQ(sent, comps);
		got += pkt_receive(self, seen, n, &bad, TIMEOUT_MS);
	}
	ASSERT_EQ(N, got);
	ASSERT_EQ(0, bad);
	i = not_once(seen);
	ASSERT_EQ(-1, i) TH_LOG("frame %d arrived %d times", i, (int)seen[i]);
	/* nothing more: exactly once */
	ASSERT_EQ(0, pkt_receive(self, seen, 1, &bad, 300));
	tx1 = counter(self->ns_b, "hp1", "xsk_tx_packets");
	ASSERT_EQ(N, tx1 - tx0);
	/* XSK ring to descriptor is the bypass path's one TX stage */
	ASSERT_EQ(N, counter(self->ns_b, "hp1", "xsk_tx_count") - xs0);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, counter(self->ns_b, "hp1", stack[i]) - st0[i])
			TH_LOG("stage %d of tx_stack, tx_qdisc, tx_desc moved", i);
}

TEST_F_TIMEOUT(zc, fill_empty, 120)
{
	const int K = 32, M = 16;
	unsigned char seen[N] = {};
	long long d0, ring0, d1 = 0, ring1, end;
	int got, bad = 0;

	d0 = counter(self->ns_b, "hp1", "xsk_fill_empty_drops");
	ring0 = counter(self->ns_b, "hp1", "rx_ring_drops");
	ASSERT_LE(0, d0);
	ASSERT_EQ(0, xsk_post_fill(&self->x, K));
	ASSERT_EQ(0, xsk_wait_fill_taken(&self->x));
	ASSERT_EQ(0, send_range(self, 0, K + M));
	got = xsk_receive(&self->x, self->mac_a, seen, K, &bad, TIMEOUT_MS);
	ASSERT_EQ(K, got);
	ASSERT_EQ(0, bad);
	end = now_ms() + TIMEOUT_MS;
	while (now_ms() < end) {
		d1 = counter(self->ns_b, "hp1", "xsk_fill_empty_drops");
		if (d1 - d0 >= M)
			break;
		usleep(10000);
	}
	ring1 = counter(self->ns_b, "hp1", "rx_ring_drops");
	TH_LOG("fill-ring-empty drops +%lld, ring drops +%lld", d1 - d0, ring1 - ring0);
	ASSERT_EQ(M, d1 - d0);
	ASSERT_EQ(0, ring1 - ring0);
	/* the M frames are gone, not late */
	ASSERT_EQ(0, xsk_receive(&self->x, self->mac_a, seen, 1, &bad, 300));
}

/* Traffic both ways for a moment: hp0 sends, the socket echoes nothing but TXes. */
static void churn(FIXTURE_DATA(zc) *self, int rounds)
{
	int r, i;
	__u32 idx;

	for (r = 0; r < rounds; r++) {
		send_range(self, 0, 32);
		if (self->x.sock && xsk_ring_prod__reserve(&self->x.tx, 16, &idx) == 16) {
			for (i = 0; i < 16; i++) {
				struct xdp_desc *d = xsk_ring_prod__tx_desc(&self->x.tx, idx + i);

				d->addr = (__u64)(NUM_FRAMES / 2 + i) * FRAME_SIZE;
				frame_fill(xsk_umem__get_data(self->x.area, d->addr),
					   self->mac_b, i);
				d->len = FLEN;
			}
			xsk_ring_prod__submit(&self->x.tx, 16);
			sendto(xsk_socket__fd(self->x.sock), NULL, 0, MSG_DONTWAIT, NULL, 0);
			xsk_ring_cons__release(&self->x.comp,
					       xsk_ring_cons__peek(&self->x.comp, RING_SIZE, &idx));
		}
		if (self->x.sock)
			xsk_ring_cons__release(&self->x.rx,
					       xsk_ring_cons__peek(&self->x.rx, RING_SIZE, &idx));
	}
}

#define CYCLES 20

TEST_F_TIMEOUT(zc, teardown_under_traffic, 480)
{
	long long ports0 = param("ports_alive"), bufs0 = param("buffers_alive");
	unsigned char seen[N];
	int c, bad = 0;

	ASSERT_LT(0, ports0);
	for (c = 0; c < CYCLES; c++) {
		/* socket closed under traffic */
		ASSERT_EQ(0, xsk_post_fill(&self->x, FILL_N));
		churn(self, 4);
		xsk_close(&self->x);
		churn(self, 1);
		ASSERT_EQ(0, bind_xsk(self)) TH_LOG("cycle %d: rebind", c);

		/* program detached under traffic, attached again */
		ASSERT_EQ(0, xsk_post_fill(&self->x, FILL_N));
		churn(self, 4);
		ASSERT_EQ(0, bpf_xdp_detach(self->ifindex_b, XDP_FLAGS_DRV_MODE, NULL));
		churn(self, 2);
		ASSERT_EQ(0, attach_prog(self));

		/* link down and up under traffic, socket bound */
		churn(self, 2);
		ASSERT_EQ(0, sh("ip -n %s link set hp1 down && ip -n %s link set hp1 up && "
				"busywait_eq 5000 1 hp_carrier %s hp1 >/dev/null",
				self->ns_b, self->ns_b, self->ns_b));
		churn(self, 2);
		ASSERT_EQ(ports0, param("ports_alive"));
		ASSERT_EQ(bufs0, param("buffers_alive"));
	}
	/* the socket still works after all that: receive again */
	xsk_close(&self->x);
	ASSERT_EQ(0, bind_xsk(self));
	memset(seen, 0, sizeof(seen));
	ASSERT_EQ(0, xsk_post_fill(&self->x, FILL_N));
	ASSERT_EQ(0, xsk_wait_fill_taken(&self->x));
	ASSERT_EQ(0, send_range(self, 0, N));
	ASSERT_EQ(N, xsk_receive(&self->x, self->mac_a, seen, N, &bad, TIMEOUT_MS));
	ASSERT_EQ(0, bad);

	/* the module goes with the socket still bound and traffic in flight */
	churn(self, 2);
	ASSERT_EQ(0, setns(self->root_ns, CLONE_NEWNET));
	ASSERT_EQ(0, sh("ip netns del %s; ip netns del %s; hp_mod_unload",
			self->ns_a, self->ns_b));
	ASSERT_EQ(-1, param("ports_alive"));
	xsk_close(&self->x);
	self->ifindex_b = 0;
}

HP_HARNESS_MAIN
