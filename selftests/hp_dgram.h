/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The datagram format of the traffic helpers (hp_xfer, tech_send): u32
 * sequence number, u32 size, then bytes from a generator seeded with both,
 * so that `hp_xfer udp-server` verifies every datagram whoever sent it.
 * One copy here, so the senders and the receiver cannot drift apart.
 */
#ifndef HP_DGRAM_H
#define HP_DGRAM_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Deterministic bytes: xorshift64 from a seed. */
static inline void fill(unsigned char *p, size_t n, uint64_t *state)
{
	uint64_t x = *state;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(i & 7)) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		p[i] = (unsigned char)(x >> ((i & 7) * 8));
	}
	*state = x;
}

/* Datagram: u32 seq, u32 size, then bytes from a seq-seeded generator. */
static inline void make_dgram(unsigned char *p, uint32_t seq, uint32_t size)
{
	uint64_t state = 0x2545f4914f6cdd1dULL ^ ((uint64_t)seq << 20 | size);

	memcpy(p, &seq, 4);
	memcpy(p + 4, &size, 4);
	fill(p + 8, size - 8, &state);
}

#endif
