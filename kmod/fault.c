// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection, like netdevsim's debugfs knobs (Debian's kernels have no
 * CONFIG_FAULT_INJECTION, so the kernel's should_fail() attributes are not
 * there to use).  In /sys/kernel/debug/hotpath/, root only, module wide
 * (every port draws from the same budget):
 *
 *   fail_rx_alloc            the next N RX buffer allocations fail, as if
 *                            the page-fragment allocator had no memory.
 *                            Each is counted (rx_alloc_fails); the ring
 *                            runs short of posted buffers, frames that find
 *                            none are ring drops, and NAPI keeps refilling
 *                            (see hp_rx_poll()).  At ndo_open, a first
 *                            failure fails the open with -ENOMEM.
 *   delay_tx_completions     the next N TX completions are each held back
 *                            delay_tx_completions_us (default 10000, at
 *                            most 1 s) after
 *                            the frame went out, counted
 *                            (tx_completions_delayed).  Completions are in
 *                            order, so later ones wait behind a held one;
 *                            the ring fills and the queue stops as with a
 *                            slow completion path on hardware.
 *
 * Reading a knob gives what is left.  Writing 0 disarms it; held
 * completions are still released on time, or at ndo_stop.
 * (XSK fill-ring allocations get a knob once the AF_XDP path exists.)
 *
 * The release runs from a softirq hrtimer under the TX queue lock, so the
 * engine's claim (only writer of the TX ring's NIC side, under that lock)
 * holds for it too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/hrtimer.h>
#include <linux/netdevice.h>

#include "fault.h"
#include "port.h"

atomic_t hp_fault_rx_alloc_left = ATOMIC_INIT(0);
atomic_t hp_fault_tx_delay_left = ATOMIC_INIT(0);
static u32 hp_fault_tx_delay_us = 10000;
static struct dentry *hp_fault_dir;

/* Engine: this completion and every later one wait for the release. */
bool hp_fault_tx_hold_slow(struct hp_port *port)
{
	u32 us;

	hp_port_assert_engine(port);
	if (port->tx_held)
		return true;
	if (atomic_dec_if_positive(&hp_fault_tx_delay_left) < 0)
		return false;
	port->tx_held = true;
	hp_port_count(port, HOTPATH_CNT_TX_CMPL_DELAYED);
	/* a typo must not wedge the ring for an hour */
	us = min_t(u32, READ_ONCE(hp_fault_tx_delay_us), USEC_PER_SEC);
	hrtimer_start(&port->tx_release, ns_to_ktime((u64)us * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_SOFT);
	return true;
}

/* Publish every completion the engine wrote. */
static void hp_fault_tx_publish(struct hp_port *port)
{
	struct hp_tx_ring *tx = &port->tx;

	hp_port_assert_engine(port);
	port->tx_held = false;
	/* pairs with smp_load_acquire() in hp_tx_reap() */
	smp_store_release(&tx->done, tx->fetched);
}

static enum hrtimer_restart hp_fault_tx_release(struct hrtimer *timer)
{
	struct hp_port *port = container_of(timer, struct hp_port, tx_release);
	struct hp_tx_ring *tx = &port->tx;

	/* a softirq hrtimer: the engine's lock wants BH context, which this is */
	hp_port_engine_lock(port);
	if (port->tx_held) {
		hp_fault_tx_publish(port);
		hp_irq_event(port, hp_port_cfg(port), HP_IRQ_TX,
			     tx->done - READ_ONCE(tx->reaped));
	}
	hp_port_engine_unlock(port);
	return HRTIMER_NORESTART;
}

void hp_fault_port_init(struct hp_port *port)
{
	port->tx_held = false;
	hrtimer_init(&port->tx_release, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	port->tx_release.function = hp_fault_tx_release;
}

/*
 * ndo_stop, xmit quiesced and NAPI disabled: no release is pending any
 * more; what was held is published for hp_tx_drain() to reap.
 */
void hp_fault_port_stop(struct hp_port *port)
{
	ASSERT_RTNL();
	hrtimer_cancel(&port->tx_release);
	local_bh_disable();
	hp_port_engine_lock(port);
	if (port->tx_held)
		hp_fault_tx_publish(port);
	hp_port_engine_unlock(port);
	local_bh_enable();
}

int hp_fault_init(void)
{
	hp_fault_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	/* no debugfs is no error: the module works without its knobs */
	if (IS_ERR(hp_fault_dir))
		return 0;
	debugfs_create_atomic_t("fail_rx_alloc", 0600, hp_fault_dir,
				&hp_fault_rx_alloc_left);
	debugfs_create_atomic_t("delay_tx_completions", 0600, hp_fault_dir,
				&hp_fault_tx_delay_left);
	debugfs_create_u32("delay_tx_completions_us", 0600, hp_fault_dir,
			   &hp_fault_tx_delay_us);
	return 0;
}

void hp_fault_exit(void)
{
	debugfs_remove_recursive(hp_fault_dir);
	hp_fault_dir = NULL;
}
