// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath-bench: a UDP ping-pong / stream load generator for one hotpath
 * pair, with exact percentiles and both sides' CPU time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bench.h"
#include "proto.h"

#define DEFAULT_PORT		"9000"
#define DEFAULT_SIZE		64
#define DEFAULT_PP_COUNT	1000
#define DEFAULT_STREAM_COUNT	100000
#define DEFAULT_WARMUP		10
#define DEFAULT_TIMEOUT_MS	1000
#define DEFAULT_IDLE_S		300
#define AF_XDP_MAX_SIZE		1472	/* 1500 - IPv4 - UDP */

volatile sig_atomic_t bench_stop;

static void usage(FILE *f)
{
	fprintf(f,
		"NAME\n"
		"    hotpath-bench - UDP ping-pong and stream load generator for a hotpath pair\n"
		"\n"
		"SYNOPSIS\n"
		"    hotpath-bench server [--bind ADDR] [--port P] [--busy-poll USEC]\n"
		"                         [--prefer-busy-poll] [--cpu N] [--once]\n"
		"                         [--idle-timeout SEC] [-6] [--json] [-q]\n"
		"    hotpath-bench client ADDR [--port P] [--mode pingpong|stream]\n"
		"                         [--size BYTES] [--count N | --duration SEC]\n"
		"                         [--warmup N] [--rate PPS] [--jitter NS] [--timeout MS]\n"
		"                         [--busy-poll USEC] [--prefer-busy-poll] [--cpu N]\n"
		"                         [--server-netns NAME] [--server-cpu N] [-6] [--json]\n"
		"    hotpath-bench client ADDR --af-xdp zero-copy|copy|skb --dev IF\n"
		"                         --server-dev IF --server-netns NAME\n"
		"                         [--mode pingpong|stream] [--size BYTES]\n"
		"                         [--count N | --duration SEC] [--warmup N]\n"
		"                         [--timeout MS] [--busy-poll USEC] [--prefer-busy-poll]\n"
		"                         [--cpu N] [--server-cpu N] [--json]\n"
		"    hotpath-bench --version\n"
		"\n"
		"DESCRIPTION\n"
		"    The server echoes ping-pong datagrams stamped with its receive time and\n"
		"    counts stream datagrams. The client sends them and reports latency\n"
		"    percentiles (exact, from every sample), a log-bucket histogram, stream\n"
		"    rates and drops, and the CPU time (user+sys, getrusage) that each side\n"
		"    spent in the measured phase, so the price of busy polling shows next to\n"
		"    its saving. At the end the server reports its own counts and CPU time\n"
		"    back to the client over the socket.\n"
		"\n"
		"    Both ends are meant to run in one kernel (two network namespaces joined\n"
		"    by a hotpath pair or veth, or loopback): CLOCK_MONOTONIC is then shared,\n"
		"    so the one-way time (client send -> server receive) is a real measure.\n"
		"    RTT is client send -> client receive of the echo.\n"
		"\n"
		"    With --server-netns NAME the client starts the server itself inside the\n"
		"    network namespace /var/run/netns/NAME (as `ip netns exec` does) and\n"
		"    stops it at the end.\n"
		"\n"
		"MODES\n"
		"    pingpong  one datagram in flight: RTT and one-way per datagram. A\n"
		"              datagram with no echo within --timeout counts as lost.\n"
		"    stream    send as fast as possible (or at --rate); the server counts.\n"
		"              Reports packets/s sent and received, drops (sent - received)\n"
		"              and the server-side one-way latency.\n"
		"\n"
		"OPTIONS\n"
		"    --mode MODE          pingpong (default) or stream\n"
		"    --port P             UDP port (default " DEFAULT_PORT ")\n"
		"    --bind ADDR          server: local address (default: any)\n"
		"    --size BYTES         UDP payload, %u..%u (default %u)\n"
		"    --count N            measured datagrams (default %u pingpong, %u stream;\n"
		"                         with --duration: no limit but the hard one)\n"
		"    --duration SEC       measure for this long (fractions allowed, max %.0f)\n"
		"    --warmup N           unmeasured datagrams sent first (default %u)\n"
		"    --rate PPS           pace the client to PPS datagrams/s (default: no pacing)\n"
		"    --jitter NS          ping-pong: spin a pseudo-random 0..NS ns (fixed seed)\n"
		"                         before each send, so the send instant samples every\n"
		"                         phase of a periodic poller on the other side\n"
		"    --timeout MS         per-datagram loss timeout (default %u, max %u)\n"
		"    --busy-poll USEC     SO_BUSY_POLL on the socket(s): the receive call spins\n"
		"                         in the driver's NAPI poll for up to USEC first\n"
		"    --prefer-busy-poll   SO_PREFER_BUSY_POLL (Linux >= 5.11); refused: error\n"
		"    --cpu N              pin this process to CPU N\n"
		"    --server-netns NAME  client: start the server in netns NAME (it uses the\n"
		"                         same --port, --busy-poll and --prefer-busy-poll)\n"
		"    --server-cpu N       client: pin the started server to CPU N\n"
		"    --hw-timestamps      client, pingpong: NIC hardware stamps on both ends\n"
		"                         split the one-way trip into host TX (send -> TX\n"
		"                         stamp), wire (TX stamp -> peer RX stamp) and host\n"
		"                         RX (RX stamp -> recv); needs CAP_NET_ADMIN\n"
		"    --af-xdp MODE        client: ping-pong or stream (--mode) over AF_XDP\n"
		"                         sockets, the kernel stack\n"
		"                         bypassed: zero-copy (native XDP, XDP_ZEROCOPY), copy\n"
		"                         (native XDP, XDP_COPY) or skb (generic XDP). Both\n"
		"                         ends run in this process (the echo end a thread in\n"
		"                         --server-netns), each with its own UMEM, XSKMAP and\n"
		"                         XDP program on queue 0 of --dev / --server-dev; the\n"
		"                         tool builds its Ethernet/IPv4/UDP frames itself (ADDR\n"
		"                         is the echo end's IPv4 address) and spins on its\n"
		"                         rings. The bind the kernel granted is reported.\n"
		"                         Needs CAP_NET_ADMIN and CAP_BPF (root)\n"
		"    --dev IF             --af-xdp: the client's device\n"
		"    --server-dev IF      --af-xdp: the echo end's device, in --server-netns\n"
		"    --once               server: exit after one session\n"
		"    --idle-timeout SEC   server: exit after SEC without datagrams (default %u,\n"
		"                         0: never)\n"
		"    -6                   IPv6\n"
		"    --json               one JSON object (keys: tools/bench/README.md)\n"
		"    -q, --quiet          server: print nothing but errors\n"
		"    -h, --help           this text\n"
		"\n"
		"EXIT STATUS\n"
		"    0 when the run completed (losses are reported, not an error); 1 on\n"
		"    errors, including a server that never answered or sent no results;\n"
		"    2 on usage errors; 130 when interrupted.\n"
		"\n"
		"EXAMPLES\n"
		"    hotpath-bench server --busy-poll 50\n"
		"    hotpath-bench client 127.0.0.1 --count 10000 --size 64\n"
		"    ip netns exec hpa hotpath-bench client 10.0.0.2 --server-netns hpb \\\n"
		"        --mode stream --duration 2 --json\n",
		HB_HDR_LEN, BENCH_MAX_SIZE, DEFAULT_SIZE, DEFAULT_PP_COUNT,
		DEFAULT_STREAM_COUNT, BENCH_MAX_DURATION_S, DEFAULT_WARMUP,
		DEFAULT_TIMEOUT_MS, BENCH_MAX_TIMEOUT_MS, DEFAULT_IDLE_S);
}

static void on_signal(int sig)
{
	(void)sig;
	bench_stop = 1;
}

static int parse_u64(const char *name, const char *s, uint64_t min, uint64_t max,
		     uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max) {
		fprintf(stderr, "hotpath-bench: %s: '%s' is not an integer in %llu..%llu\n",
			name, s, (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

enum {
	OPT_BIND = 256, OPT_PORT, OPT_BUSY_POLL, OPT_PREFER, OPT_JSON, OPT_MODE,
	OPT_SIZE, OPT_COUNT, OPT_DURATION, OPT_WARMUP, OPT_TIMEOUT, OPT_CPU,
	OPT_SERVER_CPU, OPT_SERVER_NETNS, OPT_RATE, OPT_ONCE, OPT_IDLE, OPT_HWTS, OPT_JITTER,
	OPT_AF_XDP, OPT_DEV, OPT_SERVER_DEV,
};

static const struct option long_opts[] = {
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "busy-poll", required_argument, NULL, OPT_BUSY_POLL },
	{ "prefer-busy-poll", no_argument, NULL, OPT_PREFER },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "server-cpu", required_argument, NULL, OPT_SERVER_CPU },
	{ "server-netns", required_argument, NULL, OPT_SERVER_NETNS },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "jitter", required_argument, NULL, OPT_JITTER },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE },
	{ "hw-timestamps", no_argument, NULL, OPT_HWTS },
	{ "af-xdp", required_argument, NULL, OPT_AF_XDP },
	{ "dev", required_argument, NULL, OPT_DEV },
	{ "server-dev", required_argument, NULL, OPT_SERVER_DEV },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Options that only make sense for one role are rejected for the other. */
static int parse(int argc, char **argv, bool server, struct bench_opts *o)
{
	bool count_set = false;
	int idx = 0;
	uint64_t v;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "6qh", long_opts, &idx)) != -1) {
		switch (c) {
		case OPT_BIND:
			if (!server)
				goto role;
			o->addr = optarg;
			break;
		case OPT_PORT:
			if (parse_u64("--port", optarg, 1, 65535, &v))
				return -1;
			o->port = optarg;
			break;
		case OPT_BUSY_POLL:
			if (parse_u64("--busy-poll", optarg, 0, INT_MAX, &v))
				return -1;
			o->busy_poll_us = (unsigned int)v;
			break;
		case OPT_PREFER:
			o->prefer_busy_poll = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_MODE:
			if (server)
				goto role;
			if (!strcmp(optarg, "pingpong")) {
				o->mode = BENCH_PINGPONG;
			} else if (!strcmp(optarg, "stream")) {
				o->mode = BENCH_STREAM;
			} else {
				fprintf(stderr, "hotpath-bench: --mode: pingpong or stream\n");
				return -1;
			}
			break;
		case OPT_SIZE:
			if (server)
				goto role;
			if (parse_u64("--size", optarg, HB_HDR_LEN, BENCH_MAX_SIZE, &v))
				return -1;
			o->size = (unsigned int)v;
			break;
		case OPT_COUNT:
			if (server)
				goto role;
			if (parse_u64("--count", optarg, 1, BENCH_MAX_COUNT, &o->count))
				return -1;
			count_set = true;
			break;
		case OPT_DURATION:
			if (server)
				goto role;
			errno = 0;
			o->duration = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o->duration > 0) ||
			    o->duration > BENCH_MAX_DURATION_S) {
				fprintf(stderr, "hotpath-bench: --duration: seconds in (0, %.0f]\n",
					BENCH_MAX_DURATION_S);
				return -1;
			}
			break;
		case OPT_WARMUP:
			if (server)
				goto role;
			if (parse_u64("--warmup", optarg, 0, BENCH_MAX_COUNT, &o->warmup))
				return -1;
			break;
		case OPT_TIMEOUT:
			if (server)
				goto role;
			if (parse_u64("--timeout", optarg, 1, BENCH_MAX_TIMEOUT_MS, &v))
				return -1;
			o->timeout_ms = (unsigned int)v;
			break;
		case OPT_CPU:
			if (parse_u64("--cpu", optarg, 0, CPU_SETSIZE - 1, &v))
				return -1;
			o->cpu = (int)v;
			break;
		case OPT_SERVER_CPU:
			if (server)
				goto role;
			if (parse_u64("--server-cpu", optarg, 0, CPU_SETSIZE - 1, &v))
				return -1;
			o->server_cpu = (int)v;
			break;
		case OPT_SERVER_NETNS:
			if (server)
				goto role;
			if (!*optarg || strchr(optarg, '/') || !strcmp(optarg, ".") ||
			    !strcmp(optarg, "..")) {
				fprintf(stderr,
					"hotpath-bench: --server-netns: a name, not a path\n");
				return -1;
			}
			o->server_netns = optarg;
			break;
		case OPT_RATE:
			if (server)
				goto role;
			if (parse_u64("--rate", optarg, 1, 100000000, &o->rate))
				return -1;
			break;
		case OPT_JITTER:
			if (server)
				goto role;
			if (parse_u64("--jitter", optarg, 1, 1000000, &o->jitter_ns))
				return -1;
			break;
		case OPT_ONCE:
			if (!server)
				goto role;
			o->once = true;
			break;
		case OPT_HWTS:
			if (server)
				goto role;
			o->hw_timestamps = true;
			break;
		case OPT_AF_XDP:
			if (server)
				goto role;
			if (!strcmp(optarg, "zero-copy")) {
				o->af_xdp = BENCH_XDP_ZC;
			} else if (!strcmp(optarg, "copy")) {
				o->af_xdp = BENCH_XDP_COPY;
			} else if (!strcmp(optarg, "skb")) {
				o->af_xdp = BENCH_XDP_SKB;
			} else {
				fprintf(stderr,
					"hotpath-bench: --af-xdp: zero-copy, copy or skb\n");
				return -1;
			}
			break;
		case OPT_DEV:
		case OPT_SERVER_DEV:
			if (server)
				goto role;
			if (!*optarg || strlen(optarg) >= IF_NAMESIZE || strchr(optarg, '/')) {
				fprintf(stderr, "hotpath-bench: --%s: a device name\n",
					long_opts[idx].name);
				return -1;
			}
			if (c == OPT_DEV)
				o->dev = optarg;
			else
				o->server_dev = optarg;
			break;
		case OPT_IDLE:
			if (!server)
				goto role;
			if (parse_u64("--idle-timeout", optarg, 0, 86400, &v))
				return -1;
			o->idle_timeout_s = (unsigned int)v;
			break;
		case '6':
			o->family = AF_INET6;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (server) {
		if (optind != argc) {
			fprintf(stderr, "hotpath-bench: server: unexpected '%s'\n", argv[optind]);
			return -1;
		}
		return 0;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "hotpath-bench: client: need exactly one ADDR\n");
		return -1;
	}
	o->addr = argv[optind];
	if (o->hw_timestamps && (o->mode != BENCH_PINGPONG || o->size < HB_HWTS_LEN)) {
		fprintf(stderr, "hotpath-bench: --hw-timestamps needs --mode pingpong and "
			"--size >= %u\n", HB_HWTS_LEN);
		return -1;
	}
	if (o->af_xdp) {
		if (!o->dev || !o->server_dev || !o->server_netns) {
			fprintf(stderr, "hotpath-bench: --af-xdp needs --dev, --server-dev and "
				"--server-netns (both ends run in this process)\n");
			return -1;
		}
		if (o->family == AF_INET6 || o->hw_timestamps || o->rate) {
			fprintf(stderr, "hotpath-bench: --af-xdp: IPv4 only, unpaced (no -6, "
				"--hw-timestamps, --rate)\n");
			return -1;
		}
		if (o->size > AF_XDP_MAX_SIZE) {
			fprintf(stderr, "hotpath-bench: --af-xdp: --size at most %u (one frame "
				"of MTU 1500)\n", AF_XDP_MAX_SIZE);
			return -1;
		}
	} else if (o->dev || o->server_dev) {
		fprintf(stderr, "hotpath-bench: --dev and --server-dev are --af-xdp options\n");
		return -1;
	}
	if (!count_set)
		o->count = o->duration > 0 ? BENCH_MAX_COUNT :
			   o->mode == BENCH_STREAM ? DEFAULT_STREAM_COUNT : DEFAULT_PP_COUNT;
	return 0;

role:
	fprintf(stderr, "hotpath-bench: --%s is a %s option\n", long_opts[idx].name,
		server ? "client" : "server");
	return -1;
}

int main(int argc, char **argv)
{
	struct bench_opts o = {
		.mode = BENCH_PINGPONG,
		.port = DEFAULT_PORT,
		.family = AF_UNSPEC,
		.size = DEFAULT_SIZE,
		.warmup = DEFAULT_WARMUP,
		.timeout_ms = DEFAULT_TIMEOUT_MS,
		.cpu = -1,
		.server_cpu = -1,
		.idle_timeout_s = DEFAULT_IDLE_S,
	};
	struct sigaction sa;
	bool server;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("hotpath-bench %s\n", HOTPATH_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "server")) {
		server = true;
	} else if (!strcmp(argv[1], "client")) {
		server = false;
	} else {
		fprintf(stderr, "hotpath-bench: unknown role '%s' (server or client)\n", argv[1]);
		return 2;
	}
	if (parse(argc - 1, argv + 1, server, &o)) {
		fprintf(stderr, "Try 'hotpath-bench --help'.\n");
		return 2;
	}

	/* No SA_RESTART: a blocking receive returns EINTR and the loops stop. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (server)
		return bench_server_run(&o);
	return o.af_xdp ? bench_afxdp_run(&o) : bench_client_run(&o);
}
