/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotpath-bench wire format between client and server: a fixed header in
 * network byte order at the start of every datagram. Test datagrams (PING,
 * PONG, DATA, WARM) are padded to --size; control datagrams carry a body.
 */
#ifndef HP_BENCH_PROTO_H
#define HP_BENCH_PROTO_H

#include <endian.h>
#include <stdint.h>
#include <string.h>

#include "stats.h"

#define HB_MAGIC	0x4862		/* "Hb" */
#define HB_VERSION	1

enum hb_type {
	HB_HELLO = 1,	/* client -> server: start a session (body: hb_hello) */
	HB_HELLO_ACK,	/* server -> client */
	HB_PING,	/* client -> server: echo me, stamp t_srv_rx */
	HB_PONG,	/* server -> client: the PING, stamped */
	HB_DATA,	/* client -> server: stream datagram, counted */
	HB_WARM,	/* client -> server: warm-up datagram, not counted */
	HB_FIN,		/* client -> server: end of session, send results */
	HB_RESULT,	/* server -> client (body: hb_result) */
	HB_BYE,		/* client -> server: results received, a --once server exits */
};

/*
 * HELLO mode flag: stamp PINGs in the server's NIC and put the RX stamp,
 * mapped to the server's CLOCK_MONOTONIC, right after the PONG's header.
 */
#define HB_MODE_HWTS	0x100
#define HB_HWTS_LEN	(HB_HDR_LEN + 8)	/* the minimum --size then */

struct hb_hdr {
	uint16_t magic;
	uint8_t type;
	uint8_t version;
	uint32_t seq;
	uint64_t t_tx;		/* client send time, CLOCK_MONOTONIC ns */
	uint64_t t_srv_rx;	/* server receive time, CLOCK_MONOTONIC ns; PING: 1 = warm-up */
} __attribute__((packed));

#define HB_HDR_LEN	((unsigned int)sizeof(struct hb_hdr))	/* 24: the minimum --size */

struct hb_hello {
	struct hb_hdr hdr;
	uint32_t mode;
	uint32_t size;
} __attribute__((packed));

struct hb_result {
	struct hb_hdr hdr;
	uint64_t received;	/* DATA datagrams counted */
	uint64_t seq_span;	/* highest DATA seq + 1 */
	uint64_t first_rx_ns;
	uint64_t last_rx_ns;
	uint64_t user_us;	/* server CPU time during the session */
	uint64_t sys_us;
	uint64_t ow[BENCH_STAT_FIELDS];	/* server-side one-way latency (stream) */
} __attribute__((packed));

static inline void hb_hdr_put(struct hb_hdr *h, enum hb_type type, uint32_t seq,
			      uint64_t t_tx, uint64_t t_srv_rx)
{
	h->magic = htobe16(HB_MAGIC);
	h->type = type;
	h->version = HB_VERSION;
	h->seq = htobe32(seq);
	h->t_tx = htobe64(t_tx);
	h->t_srv_rx = htobe64(t_srv_rx);
}

/* Returns the type, or 0 when the datagram is not ours. */
static inline int hb_hdr_get(const void *buf, long len, struct hb_hdr *out)
{
	struct hb_hdr h;

	if (len < (long)HB_HDR_LEN)
		return 0;
	memcpy(&h, buf, sizeof(h));
	if (be16toh(h.magic) != HB_MAGIC || h.version != HB_VERSION)
		return 0;
	out->magic = HB_MAGIC;
	out->type = h.type;
	out->version = h.version;
	out->seq = be32toh(h.seq);
	out->t_tx = be64toh(h.t_tx);
	out->t_srv_rx = be64toh(h.t_srv_rx);
	return h.type;
}

#endif /* HP_BENCH_PROTO_H */
