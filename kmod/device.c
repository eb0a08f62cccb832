// SPDX-License-Identifier: GPL-2.0
/*
 * The hotpath port as a net_device: pairs wired back to back (like veth),
 * rtnl_link_ops "hotpath", open/stop of the rings, NAPI and the vectors,
 * carrier following the peer, stats64, and the interface the control plane
 * uses (device.h).
 *
 * Teardown order for what the datapath sees: the peer stops reaching our
 * RX ring (rx_enabled cleared, or the peer pointers unpublished in
 * dellink), synchronize_net() waits for engines already inside, then NAPI,
 * timers and self-IPIs stop, and the rings are drained, counting each drop.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <linux/module.h>
#include <linux/ptp_clock_kernel.h>
#include <linux/slab.h>
#include <net/rtnetlink.h>

#include "config.h"
#include "device.h"
#include "engine.h"
#include "ethtool.h"
#include "fault.h"
#include "port.h"
#include "probes.h"
#include "ptp.h"
#include "stages.h"

#define DRV_NAME	"hotpath"
#define HP_MTU_MAX	9000
#define HP_RING_DEFAULT	512

/*
 * IFLA_INFO_DATA of kind "hotpath": the peer's ifinfomsg and attributes,
 * like VETH_INFO_PEER (same value), for "peer name X" requests.
 */
enum {
	HP_INFO_UNSPEC,
	HP_INFO_PEER,
	__HP_INFO_MAX
};

#define HP_INFO_MAX	(__HP_INFO_MAX - 1)

static const struct net_device_ops hp_netdev_ops;

bool hp_device_is_port(const struct net_device *dev)
{
	return dev->netdev_ops == &hp_netdev_ops;
}

const struct hp_config *hp_device_config(const struct net_device *dev)
{
	return rtnl_dereference(hp_port(dev)->cfg);
}

struct hp_acct *hp_device_acct(const struct net_device *dev)
{
	return hp_device_is_port(dev) ? hp_port(dev)->acct : NULL;
}

int hp_device_phc_index(const struct net_device *dev)
{
	return hp_ptp_index(hp_port(dev)->ptp);
}

struct net_device *hp_device_peer(const struct net_device *dev)
{
	struct hp_port *peer = rtnl_dereference(hp_port(dev)->peer);

	return peer ? peer->dev : NULL;
}

void hp_device_publish_config(struct net_device *dev, struct hp_config *cfg)
{
	struct hp_port *port = hp_port(dev);
	struct hp_config *old = rtnl_dereference(port->cfg);

	ASSERT_RTNL();
	rcu_assign_pointer(port->cfg, cfg);
	hp_probes_config(port->acct, old, cfg);
	hp_irq_config_changed(port, cfg);
	/* a transmitter held under the old pause settings looks again */
	if (old && (old->pause_rx != cfg->pause_rx || old->pause_tx != cfg->pause_tx ||
		    old->pause_storm_ms != cfg->pause_storm_ms))
		hp_engine_pause_changed(port);
	/* a new epoch of the same line: only an allocation can fail */
	if (hp_ptp_set_drift(port->ptp, cfg->phc_drift_ppb))
		netdev_warn(dev, "phc-drift-ppb %d not applied: no memory\n",
			    cfg->phc_drift_ppb);
	kfree_rcu(old, rcu);
}

void hp_device_ring_sizes(const struct net_device *dev, u32 *rx, u32 *tx)
{
	*rx = hp_port(dev)->rx_ring_size;
	*tx = hp_port(dev)->tx_ring_size;
}

int hp_device_set_ring_sizes(struct net_device *dev, u32 rx, u32 tx,
			     struct netlink_ext_ack *extack)
{
	struct hp_port *port = hp_port(dev);
	struct hp_rx_ring rx_ring = {};
	struct hp_tx_ring tx_ring = {};
	int err;

	ASSERT_RTNL();
	if (rx < HP_RING_MIN || rx > HP_RING_MAX || !is_power_of_2(rx) ||
	    tx < HP_RING_MIN || tx > HP_RING_MAX || !is_power_of_2(tx)) {
		NL_SET_ERR_MSG_MOD(extack, "ring sizes are powers of two in 64..4096");
		return -EINVAL;
	}
	if (rx == port->rx_ring_size && tx == port->tx_ring_size)
		return 0;
	/* the rings are in use (by the peer's engine too) while we are up */
	if (netif_running(dev)) {
		NL_SET_ERR_MSG_MOD(extack, "cannot resize the rings while the port is up");
		return -EBUSY;
	}

	/* both new rings first: without memory for either, the old ones stay */
	err = hp_rx_ring_alloc(&rx_ring, rx);
	if (err)
		goto err_nomem;
	err = hp_tx_ring_alloc(&tx_ring, tx);
	if (err)
		goto err_free_rx;

	hp_rx_ring_free(&port->rx);
	port->rx = rx_ring;
	port->rx_ring_size = rx;
	/* the port's frame sequence goes on: stage records name frames by it */
	tx_ring.seq = port->tx.seq;
	hp_tx_ring_free(&port->tx);
	port->tx = tx_ring;
	port->tx_ring_size = tx;
	return 0;

err_free_rx:
	hp_rx_ring_free(&rx_ring);
err_nomem:
	NL_SET_ERR_MSG_MOD(extack, "no memory for the rings");
	return err;
}

static void hp_device_get_stats64(struct net_device *dev,
				  struct rtnl_link_stats64 *tot)
{
	struct hp_port *port = hp_port(dev);
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct hp_pcpu_sw_stats *s = per_cpu_ptr(port->stats, cpu);
		u64 rxp, rxb, txp, txb, rxd, txd, crc;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			rxp = u64_stats_read(&s->rx_packets);
			rxb = u64_stats_read(&s->rx_bytes);
			txp = u64_stats_read(&s->tx_packets);
			txb = u64_stats_read(&s->tx_bytes);
			rxd = u64_stats_read(&s->rx_dropped);
			txd = u64_stats_read(&s->tx_dropped);
			crc = u64_stats_read(&s->rx_crc_errors);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		tot->rx_packets += rxp;
		tot->rx_bytes += rxb;
		tot->tx_packets += txp;
		tot->tx_bytes += txb;
		tot->rx_dropped += rxd;
		tot->tx_dropped += txd;
		tot->rx_crc_errors += crc;
		tot->rx_errors += crc;
	}
}

/* Carrier follows the peer: on when both ends are up.  RTNL held. */
static void hp_device_update_carrier(struct hp_port *port)
{
	struct hp_port *peer = rtnl_dereference(port->peer);

	if (peer && netif_running(port->dev) && netif_running(peer->dev)) {
		netif_carrier_on(port->dev);
		netif_carrier_on(peer->dev);
	} else {
		netif_carrier_off(port->dev);
		if (peer)
			netif_carrier_off(peer->dev);
	}
}

static int hp_device_open(struct net_device *dev)
{
	struct hp_port *port = hp_port(dev);
	int err;

	ASSERT_RTNL();
	hp_tx_ring_reset(port);
	err = hp_rx_ring_open(port);
	if (err)
		goto err_drain_rx;
	err = hp_irq_open(port);
	if (err)
		goto err_drain_rx;
	napi_enable(&port->napi);
	err = hp_xdp_open(port);
	if (err)
		goto err_napi;
	/* the peer's engine may now write our ring; pairs with hp_engine_frame() */
	smp_store_release(&port->rx_enabled, true);
	netif_start_queue(dev);
	hp_device_update_carrier(port);
	return 0;

err_napi:
	napi_disable(&port->napi);
	hp_irq_stop(port);
err_drain_rx:
	hp_rx_drain(port);
	return err;
}

static int hp_device_stop(struct net_device *dev)
{
	struct hp_port *port = hp_port(dev);

	ASSERT_RTNL();
	netif_carrier_off(dev);
	hp_device_update_carrier(port);
	WRITE_ONCE(port->rx_enabled, false);
	/* engines of the peer already writing our ring finish first */
	synchronize_net();
	napi_disable(&port->napi);
	hp_dim_stop(port);
	hp_xdp_stop(port);
	hp_irq_stop(port);
	hp_fault_port_stop(port);
	hp_engine_stop(port);
	hp_tx_drain(port);
	hp_rx_drain(port);
	return 0;
}

static int hp_device_init(struct net_device *dev)
{
	struct hp_port *port = hp_port(dev);
	char name[PTP_CLOCK_NAME_LEN];
	struct hp_config *cfg;
	int err = -ENOMEM;

	port->dev = dev;
	port->stats = netdev_alloc_pcpu_stats(struct hp_pcpu_sw_stats);
	if (!port->stats)
		return -ENOMEM;
	port->acct = hp_stages_alloc();
	if (!port->acct)
		goto err_free_stats;
	cfg = hp_config_alloc_default();
	if (!cfg)
		goto err_free_acct;
	RCU_INIT_POINTER(port->cfg, cfg);
	port->watchdog_ns = (u64)cfg->busy_poll_fallback_us * NSEC_PER_USEC;

	port->rx_ring_size = HP_RING_DEFAULT;
	port->tx_ring_size = HP_RING_DEFAULT;
	err = hp_rx_ring_alloc(&port->rx, port->rx_ring_size);
	if (err)
		goto err_free_cfg;
	err = hp_tx_ring_alloc(&port->tx, port->tx_ring_size);
	if (err)
		goto err_free_rx;

	/* ndo_init runs with the name resolved: "hotpath hp0" */
	snprintf(name, sizeof(name), "hotpath %s", dev->name);
	port->ptp = hp_ptp_create(name, cfg->phc_drift_ppb, NULL);
	if (IS_ERR(port->ptp)) {
		err = PTR_ERR(port->ptp);
		port->ptp = NULL;
		goto err_free_tx;
	}
	atomic_long_inc(&hp_buffers_alive);

	hp_irq_init(port);
	hp_dim_init(port);
	hp_fault_port_init(port);
	hp_engine_init(port);
	netif_napi_add(dev, &port->napi, hp_rx_poll);
	hp_probes_config(port->acct, NULL, cfg);
	atomic_long_inc(&hp_ports_alive);
	return 0;

err_free_tx:
	hp_tx_ring_free(&port->tx);
err_free_rx:
	hp_rx_ring_free(&port->rx);
err_free_cfg:
	RCU_INIT_POINTER(port->cfg, NULL);
	kfree(cfg);
err_free_acct:
	hp_stages_free(port->acct);
	port->acct = NULL;
err_free_stats:
	free_percpu(port->stats);
	port->stats = NULL;
	return err;
}

/* After unregistering (and synchronize_net()): nothing runs on the port. */
static void hp_device_uninit(struct net_device *dev)
{
	struct hp_port *port = hp_port(dev);
	struct hp_config *cfg = rtnl_dereference(port->cfg);

	hp_probes_config(port->acct, cfg, NULL);
	hp_xdp_uninit(port);
	netif_napi_del(&port->napi);
	hp_ptp_destroy(port->ptp);
	port->ptp = NULL;
	atomic_long_dec(&hp_buffers_alive);
	hp_tx_ring_free(&port->tx);
	hp_rx_ring_free(&port->rx);
	RCU_INIT_POINTER(port->cfg, NULL);
	kfree_rcu(cfg, rcu);
	atomic_long_dec(&hp_ports_alive);
}

/* Last reference gone: readers of stats (rtnl dumps) are done too. */
static void hp_device_free(struct net_device *dev)
{
	struct hp_port *port = hp_port(dev);

	hp_stages_free(port->acct);
	port->acct = NULL;
	free_percpu(port->stats);
	port->stats = NULL;
}

/*
 * A larger MTU while up makes the posted buffers too small: quiesce the ring
 * like ndo_stop (frames waiting are dropped, counted), post buffers of the
 * new size, resume.  If none can be posted the change fails and the old MTU
 * stays, so the error the caller sees changed nothing it can see; NAPI
 * refills the emptied ring once resumed.
 */
static int hp_device_change_mtu(struct net_device *dev, int new_mtu)
{
	struct hp_port *port = hp_port(dev);
	int old_mtu = dev->mtu;
	int err;

	ASSERT_RTNL();
	err = hp_xdp_check_mtu(port, new_mtu);
	if (err)
		return err;
	if (new_mtu <= old_mtu || !netif_running(dev)) {
		WRITE_ONCE(dev->mtu, new_mtu);
		return 0;
	}
	hp_rx_ring_quiesce(port);
	/* hp_rx_ring_open() sizes the buffers from dev->mtu */
	WRITE_ONCE(dev->mtu, new_mtu);
	err = hp_rx_ring_open(port);
	if (err)
		WRITE_ONCE(dev->mtu, old_mtu);
	hp_rx_ring_resume(port);
	return err;
}

/* ndo_bpf: an XDP program (xdp.c) or an AF_XDP pool (xsk.c). */
static int hp_device_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return hp_xdp_setup_prog(dev, bpf->prog, bpf->extack);
	case XDP_SETUP_XSK_POOL:
		return hp_xsk_setup_pool(dev, bpf->xsk.pool, bpf->xsk.queue_id);
	default:
		return -EOPNOTSUPP;
	}
}

static int hp_device_get_iflink(const struct net_device *dev)
{
	struct hp_port *peer;
	int iflink;

	rcu_read_lock();
	peer = rcu_dereference(hp_port(dev)->peer);
	iflink = peer ? READ_ONCE(peer->dev->ifindex) : 0;
	rcu_read_unlock();
	return iflink;
}

static const struct net_device_ops hp_netdev_ops = {
	.ndo_init		= hp_device_init,
	.ndo_uninit		= hp_device_uninit,
	.ndo_open		= hp_device_open,
	.ndo_stop		= hp_device_stop,
	.ndo_start_xmit		= hp_tx_xmit,
	.ndo_get_stats64	= hp_device_get_stats64,
	.ndo_change_mtu		= hp_device_change_mtu,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_get_iflink		= hp_device_get_iflink,
	.ndo_eth_ioctl		= hp_ethtool_ioctl,
	.ndo_bpf		= hp_device_bpf,
	.ndo_xdp_xmit		= hp_xdp_xmit,
	.ndo_xsk_wakeup		= hp_xsk_wakeup,
};

static void hp_device_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->netdev_ops = &hp_netdev_ops;
	dev->ethtool_ops = &hp_ethtool_ops;
	dev->rtnl_link_ops = &hp_device_link_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = hp_device_free;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = HP_MTU_MAX;
	hp_xdp_setup(dev);
	/*
	 * Unlike veth, keep ether_setup()'s qdisc queue: a NIC whose ring is
	 * full stops its queue and the backlog waits in the qdisc.
	 */
}

static int hp_device_validate(struct nlattr *tb[], struct nlattr *data[],
			      struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS], "invalid MAC address length");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS], "invalid MAC address");
			return -EADDRNOTAVAIL;
		}
	}
	if (tb[IFLA_MTU]) {
		u32 mtu = nla_get_u32(tb[IFLA_MTU]);

		if (mtu < ETH_MIN_MTU || mtu > HP_MTU_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MTU], "MTU must be 68..9000");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Bumped under RTNL whenever pairs are tied or untied: with dev_base_seq it
 * versions netlink dumps, whose messages name each port's peer.
 */
static unsigned int hp_device_pairs_gen;

unsigned int hp_device_generation(void)
{
	return READ_ONCE(hp_device_pairs_gen);
}

static void hp_device_bump_generation(void)
{
	ASSERT_RTNL();
	WRITE_ONCE(hp_device_pairs_gen, hp_device_pairs_gen + 1);
}

/* Tie two registered ports together.  RTNL held. */
static void hp_device_link(struct net_device *a, struct net_device *b)
{
	ASSERT_RTNL();
	rcu_assign_pointer(hp_port(a)->peer, hp_port(b));
	rcu_assign_pointer(hp_port(b)->peer, hp_port(a));
	hp_device_bump_generation();
}

static int hp_device_newlink(struct net *src_net, struct net_device *dev,
			     struct nlattr *tb[], struct nlattr *data[],
			     struct netlink_ext_ack *extack)
{
	struct nlattr *peer_tb[IFLA_MAX + 1], **tbp = tb;
	unsigned char name_assign_type;
	struct ifinfomsg *ifmp = NULL;
	struct net_device *peer;
	char ifname[IFNAMSIZ];
	struct net *net;
	int err;

	if (data && data[HP_INFO_PEER]) {
		struct nlattr *nla_peer = data[HP_INFO_PEER];

		ifmp = nla_data(nla_peer);
		err = rtnl_nla_parse_ifinfomsg(peer_tb, nla_peer, extack);
		if (err < 0)
			return err;
		err = hp_device_validate(peer_tb, NULL, extack);
		if (err < 0)
			return err;
		tbp = peer_tb;
	}

	if (ifmp && tbp[IFLA_IFNAME]) {
		nla_strscpy(ifname, tbp[IFLA_IFNAME], IFNAMSIZ);
		name_assign_type = NET_NAME_USER;
	} else {
		snprintf(ifname, IFNAMSIZ, "hp%%d");
		name_assign_type = NET_NAME_ENUM;
	}

	net = rtnl_link_get_net(src_net, tbp);
	if (IS_ERR(net))
		return PTR_ERR(net);
	peer = rtnl_create_link(net, ifname, name_assign_type, &hp_device_link_ops,
				tbp, extack);
	if (IS_ERR(peer)) {
		put_net(net);
		return PTR_ERR(peer);
	}
	if (!ifmp || !tbp[IFLA_ADDRESS])
		eth_hw_addr_random(peer);
	if (ifmp && dev->ifindex)
		peer->ifindex = ifmp->ifi_index;

	err = register_netdevice(peer);
	put_net(net);
	if (err < 0)
		goto err_free_peer;
	netif_carrier_off(peer);

	err = rtnl_configure_link(peer, ifmp, 0, NULL);
	if (err < 0)
		goto err_unregister_peer;

	if (!tb[IFLA_ADDRESS])
		eth_hw_addr_random(dev);
	if (tb[IFLA_IFNAME])
		nla_strscpy(dev->name, tb[IFLA_IFNAME], IFNAMSIZ);
	else
		snprintf(dev->name, IFNAMSIZ, "hp%%d");

	err = register_netdevice(dev);
	if (err < 0)
		goto err_unregister_peer;
	netif_carrier_off(dev);

	hp_device_link(dev, peer);
	return 0;

err_unregister_peer:
	unregister_netdevice(peer);
	return err;
err_free_peer:
	free_netdev(peer);
	return err;
}

/* Deleting either end deletes both (also for netns and module teardown). */
static void hp_device_dellink(struct net_device *dev, struct list_head *head)
{
	struct hp_port *port = hp_port(dev);
	struct hp_port *peer = rtnl_dereference(port->peer);

	/*
	 * The engines find no peer from now on; the devices are freed after
	 * unregister_netdevice_many()'s synchronize_net().
	 */
	RCU_INIT_POINTER(port->peer, NULL);
	unregister_netdevice_queue(dev, head);
	if (peer) {
		RCU_INIT_POINTER(peer->peer, NULL);
		unregister_netdevice_queue(peer->dev, head);
	}
	hp_device_bump_generation();
}

static struct net *hp_device_get_link_net(const struct net_device *dev)
{
	struct hp_port *peer = rtnl_dereference(hp_port(dev)->peer);

	return peer ? dev_net(peer->dev) : dev_net(dev);
}

static const struct nla_policy hp_device_policy[HP_INFO_MAX + 1] = {
	[HP_INFO_PEER]	= { .len = sizeof(struct ifinfomsg) },
};

struct rtnl_link_ops hp_device_link_ops = {
	.kind		= DRV_NAME,
	.priv_size	= sizeof(struct hp_port),
	.setup		= hp_device_setup,
	.validate	= hp_device_validate,
	.newlink	= hp_device_newlink,
	.dellink	= hp_device_dellink,
	.policy		= hp_device_policy,
	.maxtype	= HP_INFO_MAX,
	.get_link_net	= hp_device_get_link_net,
};

/* insmod pairs=N: one pair hpN/hpN+1 in @net.  RTNL held. */
int hp_device_create_pair(struct net *net)
{
	struct net_device *a, *b;
	int err = -ENOMEM;

	ASSERT_RTNL();
	a = alloc_netdev(sizeof(struct hp_port), "hp%d", NET_NAME_ENUM, hp_device_setup);
	if (!a)
		return -ENOMEM;
	b = alloc_netdev(sizeof(struct hp_port), "hp%d", NET_NAME_ENUM, hp_device_setup);
	if (!b)
		goto err_free_a;
	dev_net_set(a, net);
	dev_net_set(b, net);
	eth_hw_addr_random(a);
	eth_hw_addr_random(b);

	err = register_netdevice(a);
	if (err)
		goto err_free_b;
	netif_carrier_off(a);
	err = register_netdevice(b);
	if (err)
		goto err_unregister_a;
	netif_carrier_off(b);

	hp_device_link(a, b);
	return 0;

err_unregister_a:
	unregister_netdevice(a);
	free_netdev(b);
	return err;
err_free_b:
	free_netdev(b);
err_free_a:
	free_netdev(a);
	return err;
}
