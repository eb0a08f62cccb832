// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel busy polling on hotpath ports: hp0 and hp1 sit in two namespaces
 * (set up with lib.sh); a UDP socket with SO_BUSY_POLL on hp1's side
 *  - reports a non-zero SO_INCOMING_NAPI_ID (the driver marks its NAPI id);
 *  - receives every datagram while busy polling, and the kernel's busy-poll
 *    loop ran the driver's poll: BusyPollRxPackets in the namespace's
 *    /proc/net/netstat grows by the datagrams picked up that way; with hp1
 *    in rx-mode busy-poll (interrupt masked, fallback 1 s) by exactly all.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hp_sh.h"

#ifndef SO_INCOMING_NAPI_ID
#define SO_INCOMING_NAPI_ID 56
#endif
#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69
#endif

#define PORT 7100
#define COUNT 200

/* BusyPollRxPackets of the current namespace. */
static long long busy_poll_rx(void)
{
	char hdr[4096], val[4096];
	long long v = -1;
	FILE *f = fopen("/proc/net/netstat", "r");

	if (!f)
		return -1;
	while (fgets(hdr, sizeof(hdr), f) && fgets(val, sizeof(val), f)) {
		char *hs, *vs, *h = strtok_r(hdr, " \n", &hs), *x = strtok_r(val, " \n", &vs);

		while (h && x) {
			if (!strcmp(h, "BusyPollRxPackets"))
				v = atoll(x);
			h = strtok_r(NULL, " \n", &hs);
			x = strtok_r(NULL, " \n", &vs);
		}
	}
	fclose(f);
	return v;
}

FIXTURE(bp)
{
	char ns_a[32], ns_b[32];
	int root_ns;
	int tx, rx;		/* tx in ns_a on hp0, rx in ns_b on hp1 */
	int cli_set;		/* the hotpath CLI switched hp1 to busy-poll */
};

FIXTURE_SETUP(bp)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	struct timeval tv = { .tv_sec = 5 };
	int usec = 2000, one = 1, rcvbuf = 4 << 20;

	snprintf(self->ns_a, sizeof(self->ns_a), "hp-%d-a", getpid());
	snprintf(self->ns_b, sizeof(self->ns_b), "hp-%d-b", getpid());
	self->root_ns = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->root_ns);
	/* lib.sh does the module and the pair: one place for that logic. */
	ASSERT_EQ(0, sh("NS_A=%s NS_B=%s; hp_mod_load pairs=1 >/dev/null && "
			"hp_pair_setup hp0 hp1 && hp_pair_quiet", self->ns_a, self->ns_b)) {
		TH_LOG("module load or namespace setup failed");
	}
	self->cli_set = !sh("ip netns exec %s \"$(command -v hotpath || echo $HP_TOP/tools/hotpath/hotpath)\" set hp1 rx-mode busy-poll busy-poll-fallback-us 1000000 >/dev/null 2>&1",
			    self->ns_b);

	ASSERT_EQ(0, enter_ns(self->ns_b));
	self->rx = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->rx);
	ASSERT_EQ(0, setsockopt(self->rx, SOL_SOCKET, SO_BUSY_POLL, &usec, sizeof(usec)));
	setsockopt(self->rx, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof(one));
	setsockopt(self->rx, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	ASSERT_EQ(0, setsockopt(self->rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	inet_pton(AF_INET, "10.0.0.2", &a.sin_addr);
	ASSERT_EQ(0, bind(self->rx, (struct sockaddr *)&a, sizeof(a)));

	ASSERT_EQ(0, enter_ns(self->ns_a));
	self->tx = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->tx);
	ASSERT_EQ(0, connect(self->tx, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, setns(self->root_ns, CLONE_NEWNET));
}

FIXTURE_TEARDOWN(bp)
{
	setns(self->root_ns, CLONE_NEWNET);
	close(self->tx);
	close(self->rx);
	sh("ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null; rmmod hotpath 2>/dev/null",
	   self->ns_a, self->ns_b);
}

static void ping_one(struct __test_metadata *_metadata, FIXTURE_DATA(bp) *self, int seq)
{
	int got = -1;

	ASSERT_EQ((ssize_t)sizeof(seq), send(self->tx, &seq, sizeof(seq), 0));
	ASSERT_EQ((ssize_t)sizeof(got), recv(self->rx, &got, sizeof(got), 0)) {
		TH_LOG("datagram %d: %s", seq, strerror(errno));
	}
	ASSERT_EQ(seq, got);
}

TEST_F_TIMEOUT(bp, incoming_napi_id, 120)
{
	unsigned int id = 0;
	socklen_t len = sizeof(id);

	ping_one(_metadata, self, 1);
	ASSERT_EQ(0, getsockopt(self->rx, SOL_SOCKET, SO_INCOMING_NAPI_ID, &id, &len));
	TH_LOG("SO_INCOMING_NAPI_ID %u", id);
	/* NAPI ids start above NR_CPUS; 0 means the driver never marked one. */
	ASSERT_NE(0U, id);
}

TEST_F_TIMEOUT(bp, busy_poll_receives, 120)
{
	long long before, after;
	int i;

	/*
	 * In interrupt mode the datagram is usually on the socket before
	 * recv() starts polling, so the busy-poll path is only certain with
	 * the port's RX interrupt masked (the CLI's rx-mode busy-poll).
	 */
	if (!self->cli_set)
		SKIP(return, "hotpath set hp1 rx-mode busy-poll failed (no CLI?)");
	/* The first datagram marks the socket's NAPI id. */
	ping_one(_metadata, self, 0);
	ASSERT_EQ(0, enter_ns(self->ns_b));
	before = busy_poll_rx();
	ASSERT_EQ(0, setns(self->root_ns, CLONE_NEWNET));
	ASSERT_LE(0, before);

	for (i = 1; i <= COUNT; i++)
		ping_one(_metadata, self, i);

	ASSERT_EQ(0, enter_ns(self->ns_b));
	after = busy_poll_rx();
	ASSERT_EQ(0, setns(self->root_ns, CLONE_NEWNET));
	TH_LOG("BusyPollRxPackets +%lld for %d datagrams", after - before, COUNT);
	/* With the interrupt masked the busy poller is the only way in. */
	ASSERT_EQ(COUNT, after - before);
}

HP_HARNESS_MAIN
