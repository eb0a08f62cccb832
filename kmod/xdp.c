// SPDX-License-Identifier: GPL-2.0
/*
 * Native XDP: the program attached with ndo_bpf runs in the receiving
 * port's NAPI poll (or a busy poller owning it), on the posted RX buffer the
 * peer's engine wrote, before any skb exists.  rx.c runs it on its buffers
 * (page fragments or UMEM frames) through hp_xdp_act(), which acts on the
 * verdict here.  Verdicts:
 *  - PASS: the (possibly moved or resized) frame goes to the stack;
 *  - DROP: the buffer stays posted, nothing is allocated;
 *  - TX: the buffer becomes an xdp_frame on this port's own TX ring, written
 *    under the TX queue lock; one doorbell at the end of the poll;
 *  - REDIRECT: xdp_do_redirect(), xdp_do_flush() once at the end of the poll
 *    (a devmap into another hp port ends in its ndo_xdp_xmit below);
 *  - ABORTED and unknown verdicts drop with trace_xdp_exception(), unknown
 *    ones also warn (bpf_warn_invalid_xdp_action()).
 * Each verdict and each failure has its counter.
 *
 * Never inside the peer's inline engine: xdp_do_redirect() needs the
 * per-task bpf_net_context (6.11+) that NAPI and busy poll set up.
 *
 * Buffers are page fragments (MEM_TYPE_PAGE_SHARED), single buffer: while a
 * program is attached the MTU is bounded so that a frame, the XDP headroom
 * and the skb_shared_info tailroom fit in a page, like in-tree drivers
 * without multi-buffer support.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <net/xdp.h>

#include "compat.h"
#include "port.h"

/* The largest MTU whose frames fit one page with headroom and tailroom. */
static int hp_xdp_max_mtu(const struct net_device *dev)
{
	return PAGE_SIZE - SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) -
	       HP_RX_HEADROOM - dev->hard_header_len - VLAN_HLEN;
}

void hp_xdp_setup(struct net_device *dev)
{
	hp_compat_set_xdp_features(dev);
}

/* ndo_change_mtu: refuse an MTU the single-buffer XDP path cannot take. */
int hp_xdp_check_mtu(struct hp_port *port, int mtu)
{
	int max = hp_xdp_max_mtu(port->dev);

	if (rcu_access_pointer(port->xdp_prog) && mtu > max) {
		netdev_warn(port->dev, "MTU %d too large for the attached XDP program (at most %d)\n",
			    mtu, max);
		return -EINVAL;
	}
	return 0;
}

/* ndo_bpf XDP_SETUP_PROG: attach @prog (NULL: detach). */
int hp_xdp_setup_prog(struct net_device *dev, struct bpf_prog *prog,
		      struct netlink_ext_ack *extack)
{
	struct hp_port *port = hp_port(dev);
	struct bpf_prog *old;

	ASSERT_RTNL();
	if (prog && (int)READ_ONCE(dev->mtu) > hp_xdp_max_mtu(dev)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "MTU too large for XDP: frames must fit one page (MTU at most 3500 with 4 KiB pages)");
		return -ERANGE;
	}
	/* NAPI reads it under RCU; the old program is freed after a grace period */
	old = rcu_replace_pointer(port->xdp_prog, prog, lockdep_rtnl_is_held());
	if (old)
		bpf_prog_put(old);
	return 0;
}

/* Unregistering: the core detached the program already; be sure. */
void hp_xdp_uninit(struct hp_port *port)
{
	struct bpf_prog *old;

	old = rcu_replace_pointer(port->xdp_prog, NULL, lockdep_rtnl_is_held());
	if (old)
		bpf_prog_put(old);
}

/* ndo_open, NAPI enabled (its napi_id is known). */
int hp_xdp_open(struct hp_port *port)
{
	int err;

	err = xdp_rxq_info_reg(&port->xdp_rxq, port->dev, 0, port->napi.napi_id);
	if (err)
		return err;
	/* an AF_XDP pool stays bound across down and up (xsk.c) */
	err = xdp_rxq_info_reg_mem_model(&port->xdp_rxq, port->xsk_pool ?
					 MEM_TYPE_XSK_BUFF_POOL : MEM_TYPE_PAGE_SHARED,
					 NULL);
	if (err) {
		xdp_rxq_info_unreg(&port->xdp_rxq);
		return err;
	}
	return 0;
}

/* ndo_stop, NAPI disabled. */
void hp_xdp_stop(struct hp_port *port)
{
	if (xdp_rxq_info_is_reg(&port->xdp_rxq))
		xdp_rxq_info_unreg(&port->xdp_rxq);
}

/*
 * ndo_xdp_xmit: frames redirected to this port (devmap, bpf_redirect) go on
 * its TX ring under the TX queue lock, the doorbell rings on XDP_XMIT_FLUSH.
 * Returns the frames taken; the caller frees the others.
 */
int hp_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		u32 flags)
{
	struct hp_port *port = hp_port(dev);
	int i;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	/* ndo_stop drains the ring only after a grace period: no race */
	if (unlikely(!netif_running(dev))) {
		hp_stages_add(port->acct, HOTPATH_CNT_XDP_XMIT_ERRORS, n);
		return -ENETDOWN;
	}

	hp_port_engine_lock(port);
	for (i = 0; i < n; i++)
		if (hp_tx_xdp_frame(port, frames[i]))
			break;
	if (flags & XDP_XMIT_FLUSH)
		hp_tx_kick(port);
	hp_port_engine_unlock(port);

	hp_stages_add(port->acct, HOTPATH_CNT_XDP_XMIT, i);
	if (i < n) {
		hp_stages_add(port->acct, HOTPATH_CNT_XDP_XMIT_ERRORS, n - i);
		net_dbg_ratelimited("%s: ndo_xdp_xmit: TX ring full, %d of %d frames refused\n",
				    dev->name, n - i, n);
	}
	return i;
}

/*
 * XDP_TX: the buffer becomes a frame on our own TX ring.  A UMEM frame is
 * copied into a page of its own first and goes back to the pool
 * (xdp_convert_buff_to_frame(), net/core/xdp.c), so a failure after the
 * copy frees the copy: *@gone says the buffer is no longer the caller's.
 * 0 or -errno.
 */
static int hp_xdp_tx(struct hp_port *port, struct xdp_buff *xdp, bool *gone)
{
	bool zc = xdp->rxq->mem.type == MEM_TYPE_XSK_BUFF_POOL;
	struct xdp_frame *xdpf = xdp_convert_buff_to_frame(xdp);
	int err;

	*gone = false;
	if (unlikely(!xdpf))
		return -EOVERFLOW;
	hp_port_engine_lock(port);
	err = hp_tx_xdp_frame(port, xdpf);
	hp_port_engine_unlock(port);
	if (unlikely(err) && zc) {
		xdp_return_frame(xdpf);
		*gone = true;
	}
	return err;
}

/*
 * Run @prog on @xdp (completion @c) and act on the verdict, counting it:
 * rx.c's native path (hp_rx_xdp_run()) and zero-copy one (hp_rx_xsk_frame())
 * share it.
 * Returns what became of the buffer:
 *  - XDP_PASS: the (possibly moved or resized) frame is for the stack;
 *  - XDP_DROP: the program dropped it or acting on the verdict failed (the
 *    failure traced and counted): the buffer is still the caller's;
 *  - XDP_TX, XDP_REDIRECT: it is gone (on a TX ring, redirected, or a UMEM
 *    frame's copy that could not be sent, freed).
 * With stage accounting on, @clk gets the program's run (xdp_prog): the
 * caller records it after its hand-off, whose stage starts at clk->end.
 */
u32 hp_xdp_act(struct hp_port *port, struct bpf_prog *prog,
	       struct xdp_buff *xdp, const struct hp_rx_cmpl *c,
	       struct hp_xdp_poll *xp, struct hp_xdp_clock *clk)
{
	struct net_device *dev = port->dev;
	bool gone = false;
	u32 act;

	clk->start = 0;
	if (hp_port_cfg(port)->stats_enabled)
		clk->start = hp_stages_now();
	act = bpf_prog_run_xdp(prog, xdp);
	if (clk->start)
		clk->end = hp_stages_now();

	switch (act) {
	case XDP_PASS:
		hp_port_count_pkt(port, HOTPATH_CNT_XDP_PASS, c->seq, c->len);
		return XDP_PASS;
	case XDP_DROP:
		hp_port_count_pkt(port, HOTPATH_CNT_XDP_DROP, c->seq, c->len);
		return XDP_DROP;
	case XDP_TX:
		if (unlikely(hp_xdp_tx(port, xdp, &gone))) {
			hp_port_count_pkt(port, HOTPATH_CNT_XDP_TX_ERRORS, c->seq, c->len);
			goto err;
		}
		xp->tx = true;
		hp_port_count_pkt(port, HOTPATH_CNT_XDP_TX, c->seq, c->len);
		return XDP_TX;
	case XDP_REDIRECT:
		if (unlikely(xdp_do_redirect(dev, xdp, prog))) {
			hp_port_count_pkt(port, HOTPATH_CNT_XDP_REDIRECT_ERRORS, c->seq, c->len);
			goto err;
		}
		xp->redirect = true;
		hp_port_count_pkt(port, HOTPATH_CNT_XDP_REDIRECT, c->seq, c->len);
		return XDP_REDIRECT;
	default:
		bpf_warn_invalid_xdp_action(dev, prog, act);
		hp_port_count_pkt(port, HOTPATH_CNT_XDP_INVALID, c->seq, c->len);
		goto err;
	case XDP_ABORTED:
		hp_port_count_pkt(port, HOTPATH_CNT_XDP_ABORTED, c->seq, c->len);
		goto err;
	}
err:
	/*
	 * The program's failure is traced, the drop counted.  A failed XDP_TX
	 * of a UMEM frame left nothing of the caller's (hp_xdp_tx()): XDP_DROP
	 * would have the caller give the buffer back a second time.
	 */
	trace_xdp_exception(dev, prog, act);
	hp_port_stats_rx_drop(port);
	return gone ? XDP_TX : XDP_DROP;
}

/* End of a poll that ran the program: one flush, one doorbell. */
void hp_xdp_poll_end(struct hp_port *port, struct hp_xdp_poll *xp)
{
	if (xp->redirect)
		xdp_do_flush();
	if (xp->tx) {
		hp_port_engine_lock(port);
		hp_tx_kick(port);
		hp_port_engine_unlock(port);
	}
}
