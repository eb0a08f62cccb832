// SPDX-License-Identifier: GPL-2.0
/*
 * rx-mode on another driver's device.  The device's driver keeps its
 * interrupts; what the kernel offers every NAPI driver is the deferral of
 * their re-enabling (Documentation/networking/napi.rst, "Software IRQ
 * coalescing" and "IRQ mitigation"): with napi_defer_hard_irqs non-zero a
 * poll that ends does not unmask the interrupt but arms a timer of
 * gro_flush_timeout, and a socket with SO_PREFER_BUSY_POLL that keeps
 * polling keeps it masked; the timer is the safety net when it stops.
 * busy-poll sets the two knobs to the values of the series that added
 * preferred busy polling ("Introduce preferred busy-polling", Linux 5.11;
 * its AF_XDP example uses 2 and 200 us) and remembers what it found;
 * interrupt puts that back exactly, and so does a detach
 * (attach.c), so that hotpath leaves a device as it found it.  A device
 * whose knobs someone else set reads busy-poll while both are non-zero;
 * interrupt then clears them.
 *
 * The fields are the ones the sysfs files write (net-sysfs.c: under RTNL,
 * WRITE_ONCE, read locklessly by NAPI).
 */
#include <linux/rtnetlink.h>
#include <uapi/linux/hotpath.h>

#include "nicmode.h"

#define HP_NICMODE_DEFER_HARD_IRQS	2
#define HP_NICMODE_GRO_FLUSH_TIMEOUT_NS	(200 * NSEC_PER_USEC)

u32 hp_nicmode_defer_hard_irqs(const struct net_device *dev)
{
	return READ_ONCE(dev->napi_defer_hard_irqs);
}

u64 hp_nicmode_gro_flush_timeout(const struct net_device *dev)
{
	return READ_ONCE(dev->gro_flush_timeout);
}

u8 hp_nicmode_get(const struct net_device *dev)
{
	return hp_nicmode_defer_hard_irqs(dev) && hp_nicmode_gro_flush_timeout(dev) ?
	       HOTPATH_RX_MODE_BUSY_POLL : HOTPATH_RX_MODE_INTERRUPT;
}

static void hp_nicmode_write(struct net_device *dev, u32 defer, unsigned long timeout)
{
	WRITE_ONCE(dev->napi_defer_hard_irqs, defer);
	WRITE_ONCE(dev->gro_flush_timeout, timeout);
}

void hp_nicmode_set(struct net_device *dev, struct hp_nicmode *m, u8 mode)
{
	ASSERT_RTNL();
	if (mode == HOTPATH_RX_MODE_BUSY_POLL) {
		if (!m->held) {
			m->defer_hard_irqs = READ_ONCE(dev->napi_defer_hard_irqs);
			m->gro_flush_timeout = READ_ONCE(dev->gro_flush_timeout);
			m->held = true;
		}
		hp_nicmode_write(dev, HP_NICMODE_DEFER_HARD_IRQS,
				 HP_NICMODE_GRO_FLUSH_TIMEOUT_NS);
		return;
	}
	if (m->held)
		hp_nicmode_release(dev, m);
	else if (hp_nicmode_get(dev) == HOTPATH_RX_MODE_BUSY_POLL)
		hp_nicmode_write(dev, 0, 0);
}

void hp_nicmode_release(struct net_device *dev, struct hp_nicmode *m)
{
	ASSERT_RTNL();
	if (!m->held)
		return;
	hp_nicmode_write(dev, m->defer_hard_irqs, m->gro_flush_timeout);
	m->held = false;
}
