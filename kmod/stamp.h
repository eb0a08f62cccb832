/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stamp tables: a time (and a little context) left by one probe for a
 * later one that sees the same packet, in a small global table indexed by
 * a hash of a key both ends can name without touching the packet (the
 * skb's address, its data buffer, a hash of its headers).  Entries are
 * written and consumed with plain stores (no locks, no atomics): the key is
 * written last and checked again after the payload was read, so a reader
 * never uses a half-written entry of another packet; a collision
 * overwrites the older entry, whose stage is then not recorded.  The
 * tables are sized for the packets in flight of a lab (1024).
 */
#ifndef _HP_STAMP_H
#define _HP_STAMP_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/hash.h>
#include <linux/types.h>

#define HP_STAMP_BITS	10
#define HP_STAMP_SLOTS	BIT(HP_STAMP_BITS)

struct hp_stamp_val {
	u64 t;			/* hp_stages_now() */
	u64 aux;		/* the table's own second time or key */
	const void *ctx;	/* the table's own pointer, never dereferenced stale */
	u32 seq;
	u32 len;
	u8 flag[4];		/* the table's own marks, one writer each */
};

struct hp_stamp {
	const void *key;	/* NULL: empty */
	struct hp_stamp_val v;
};

static inline struct hp_stamp *hp_stamp_slot(struct hp_stamp *table, const void *key)
{
	return &table[hash_ptr(key, HP_STAMP_BITS)];
}

static inline void hp_stamp_put(struct hp_stamp *e, const void *key,
				const struct hp_stamp_val *v)
{
	WRITE_ONCE(e->key, NULL);
	smp_wmb();	/* hide the entry while it changes */
	e->v = *v;
	smp_wmb();	/* payload before key */
	WRITE_ONCE(e->key, key);
}

/* Read @key's entry into @out, leaving it (@take false) or consuming it. */
static inline bool hp_stamp_get(struct hp_stamp *e, const void *key,
				struct hp_stamp_val *out, bool take)
{
	if (READ_ONCE(e->key) != key)
		return false;
	smp_rmb();	/* key before payload: pairs with hp_stamp_put() */
	*out = e->v;
	smp_rmb();	/* payload read before the key is checked again */
	if (READ_ONCE(e->key) != key)
		return false;
	if (take)
		WRITE_ONCE(e->key, NULL);
	return true;
}

static inline bool hp_stamp_take(struct hp_stamp *e, const void *key,
				 struct hp_stamp_val *out)
{
	return hp_stamp_get(e, key, out, true);
}

#endif /* _HP_STAMP_H */
