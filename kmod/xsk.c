// SPDX-License-Identifier: GPL-2.0
/*
 * AF_XDP zero-copy: a UMEM pool bound to the port's only queue with ndo_bpf
 * XDP_SETUP_XSK_POOL.  This file binds and unbinds it and answers
 * ndo_xsk_wakeup; the ring code that uses the pool is rx.c's and tx.c's,
 * beside their other ring code (as igc_main.c holds igc's).  While a pool
 * is bound:
 *  - RX (rx.c): NAPI posts UMEM frames from the fill ring (xsk_buff_alloc,
 *    only from NAPI or with NAPI disabled) instead of page fragments, and
 *    the peer's engine writes each frame straight into one: that write is
 *    the "DMA", the only copy.  The attached program runs on the frame;
 *    XDP_REDIRECT into an XSKMAP hands the UMEM frame to the socket
 *    (xdp_do_redirect, flushed once per poll), XDP_PASS copies it into an
 *    skb for the stack, XDP_TX copies it into an xdp_frame for our own TX
 *    ring, XDP_DROP returns it to the pool.  A frame that finds no posted
 *    buffer because the fill ring ran dry is counted (xsk_fill_empty_drops).
 *  - TX (tx.c): NAPI (or a busy poller owning it) takes descriptors from the
 *    XSK TX ring under the TX queue lock and rings the doorbell; the engine
 *    copies from the UMEM frame onto the wire; completions, in ring order,
 *    return the frames through the completion ring (xsk_tx_completed).
 *  - need_wakeup: TX always asks for a wakeup once NAPI has taken what it
 *    could (NAPI does not poll the TX ring by itself); RX asks for one when
 *    the fill ring left the RX ring empty.  ndo_xsk_wakeup raises the
 *    port's TX vector, whose handler schedules NAPI, like a driver's
 *    software-triggered interrupt.
 *
 * Bind and unbind go through the RX ring's quiesce sequence (rx.c): the
 * peer's engine is kept out, NAPI disabled, the ring drained, the pool
 * swapped with the rxq memory model, buffers posted again, NAPI enabled.
 *
 * xsk_pool_dma_map() needs a DMA-capable device: one platform device,
 * registered at module load with a 64-bit mask, so that the UMEM maps
 * through dma-direct with no sync.  Where a sync would be needed (e.g.
 * swiotlb=force) the engine's write would go to the UMEM page and not to
 * the bounce buffer the mapping describes, so zero-copy is refused there.
 * XDP_SETUP_XSK_POOL carries no extack: the reason goes to the log and the
 * bind fails with EOPNOTSUPP (or falls back to copy mode if not forced).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/platform_device.h>
#include <net/xdp.h>
#include <net/xdp_sock_drv.h>

#include "engine.h"
#include "port.h"

#define HP_XSK_DMA_ATTR		DMA_ATTR_SKIP_CPU_SYNC

static struct platform_device *hp_xsk_pdev;

int hp_xsk_init(void)
{
	struct platform_device *pdev;
	int err;

	pdev = platform_device_register_simple(KBUILD_MODNAME, PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err) {
		pr_err("no 64-bit DMA for the AF_XDP device: %d\n", err);
		platform_device_unregister(pdev);
		return err;
	}
	hp_xsk_pdev = pdev;
	return 0;
}

void hp_xsk_exit(void)
{
	platform_device_unregister(hp_xsk_pdev);
	hp_xsk_pdev = NULL;
}

/* The rxq memory model follows the buffers the ring posts.  RTNL, NAPI off. */
static int hp_xsk_mem_model(struct hp_port *port)
{
	struct xdp_rxq_info *rxq = &port->xdp_rxq;

	if (!xdp_rxq_info_is_reg(rxq))
		return 0;	/* down: hp_xdp_open() registers the right one */
	xdp_rxq_info_unreg_mem_model(rxq);
	if (port->xsk_pool)
		return xdp_rxq_info_reg_mem_model(rxq, MEM_TYPE_XSK_BUFF_POOL, NULL);
	return xdp_rxq_info_reg_mem_model(rxq, MEM_TYPE_PAGE_SHARED, NULL);
}

/*
 * Swap the pool (NULL: none) with the ring quiesced if the port is up.
 * The TX descriptors of the old pool were all run (the engine runs them in
 * the doorbell, under the lock NAPI took them in), or PAUSE holds them and
 * the NIC completes them as dropped now (hp_engine_tx_flush()), before
 * the UMEM goes; hp_tx_reap() completes them, except one a fault hold
 * keeps back, which then completes as an ordinary descriptor, the socket
 * no longer waiting for it.
 */
static int hp_xsk_swap(struct hp_port *port, struct xsk_buff_pool *pool)
{
	struct hp_tx_ring *tx = &port->tx;
	bool up = netif_running(port->dev);
	int err, err2;
	u32 i;

	ASSERT_RTNL();
	if (up) {
		hp_rx_ring_quiesce(port);
		local_bh_disable();
		/* what PAUSE holds is not sent from a UMEM going away */
		hp_port_engine_lock(port);
		hp_engine_tx_flush(port);
		hp_port_engine_unlock(port);
		hp_tx_reap(port, 0);
		hp_port_engine_lock(port);
		for (i = tx->reaped; i != tx->prod; i++)
			tx->desc[i & (tx->size - 1)].xsk_data = NULL;
		hp_port_engine_unlock(port);
		local_bh_enable();
	}
	WRITE_ONCE(port->xsk_pool, pool);
	port->xsk_fill_empty = false;
	if (pool)
		xsk_pool_set_rxq_info(pool, &port->xdp_rxq);
	err = hp_xsk_mem_model(port);
	if (!up)
		return err;
	err2 = hp_rx_ring_open(port);
	hp_rx_ring_resume(port);
	return err ?: err2;
}

static int hp_xsk_enable(struct hp_port *port, struct xsk_buff_pool *pool)
{
	struct net_device *dev = port->dev;
	int err;

	if (port->xsk_pool) {
		netdev_warn(dev, "AF_XDP: queue 0 has a pool bound already\n");
		return -EBUSY;
	}
	err = xsk_pool_dma_map(pool, &hp_xsk_pdev->dev, HP_XSK_DMA_ATTR);
	if (err) {
		netdev_warn(dev, "AF_XDP: mapping the UMEM for DMA failed: %d\n", err);
		return err;
	}
	/* a bounce buffer would hide the engine's write from the application */
	if (dma_need_sync(&hp_xsk_pdev->dev, xsk_buff_raw_get_dma(pool, 0))) {
		netdev_warn(dev, "AF_XDP zero-copy refused: DMA to the UMEM needs syncs (swiotlb bouncing?)\n");
		err = -EOPNOTSUPP;
		goto err_unmap;
	}
	err = hp_xsk_swap(port, pool);
	if (err)
		goto err_swap;
	return 0;

err_swap:
	hp_xsk_swap(port, NULL);
err_unmap:
	xsk_pool_dma_unmap(pool, HP_XSK_DMA_ATTR);
	return err;
}

static int hp_xsk_disable(struct hp_port *port)
{
	struct xsk_buff_pool *pool = port->xsk_pool;
	int err;

	if (!pool)
		return -EINVAL;
	err = hp_xsk_swap(port, NULL);
	/* the ring holds no UMEM frame and no descriptor points into it now */
	xsk_pool_dma_unmap(pool, HP_XSK_DMA_ATTR);
	return err;
}

/* ndo_bpf XDP_SETUP_XSK_POOL: bind (@pool) or unbind (NULL) queue @qid. */
int hp_xsk_setup_pool(struct net_device *dev, struct xsk_buff_pool *pool, u16 qid)
{
	struct hp_port *port = hp_port(dev);

	ASSERT_RTNL();
	if (qid >= dev->real_num_rx_queues) {
		netdev_warn(dev, "AF_XDP: no queue %u (the port has one, queue 0)\n", qid);
		return -EINVAL;
	}
	return pool ? hp_xsk_enable(port, pool) : hp_xsk_disable(port);
}

/* ndo_xsk_wakeup: the application put descriptors on a ring it shares. */
int hp_xsk_wakeup(struct net_device *dev, u32 qid, u32 flags)
{
	struct hp_port *port = hp_port(dev);

	if (unlikely(!netif_running(dev) || !READ_ONCE(port->rx_enabled)))
		return -ENETDOWN;
	if (unlikely(qid != 0 || !READ_ONCE(port->xsk_pool)))
		return -EINVAL;
	/* already running: it polls once more, and finds the new work */
	if (napi_if_scheduled_mark_missed(&port->napi))
		return 0;
	/* a syscall's context: the counters are written with BH off (stages.c) */
	local_bh_disable();
	hp_port_count(port, HOTPATH_CNT_XSK_WAKEUPS);
	/* the software-triggered interrupt: the TX vector's handler schedules NAPI */
	irq_work_queue(&port->irq[HP_IRQ_TX].work);
	local_bh_enable();
	return 0;
}
