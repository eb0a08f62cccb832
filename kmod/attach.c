// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching stage accounting to another driver's device: the attached
 * device's object (its accounting, its vectors, the PHC mapping), attach
 * and detach under RTNL, and the netdev notifier that detaches a device
 * being unregistered (driver unbind or rmmod, link deletion) or moved to
 * another netns, both of which send NETDEV_UNREGISTER.
 *
 * Teardown order, as for a port: put back the knobs rx-mode changed,
 * unpublish (nicpath.c, which waits until no hook sees the device),
 * release the core-path probes, free the accounting, drop the device
 * reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ethtool.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "attach.h"
#include "compat.h"
#include "nicmode.h"
#include "nicpath.h"
#include "probes.h"
#include "stages.h"

struct hp_attach {
	struct hp_nic nic;	/* first: what nicpath.c publishes */
	struct hp_nicmode mode;	/* rx-mode's knobs, put back on detach */
};

/* Attached devices that exist now, for the leak checks (control plane). */
static atomic_long_t hp_attach_alive = ATOMIC_LONG_INIT(0);

static struct hp_attach *hp_attach_of(const struct net_device *dev)
{
	struct hp_nic *nic;

	ASSERT_RTNL();
	nic = hp_nicpath_find(dev);
	return nic ? container_of(nic, struct hp_attach, nic) : NULL;
}

bool hp_attach_is(const struct net_device *dev)
{
	return hp_attach_of(dev);
}

struct hp_acct *hp_attach_acct(const struct net_device *dev)
{
	return hp_nicpath_acct(dev);
}

/*
 * The device's interrupt vectors: those of its PCI function (MSI-X, MSI or
 * the legacy line), which its NAPI instances' interrupts are.  A device
 * that is no PCI function (veth, a bond) has none: no rx_poll then.
 */
static void hp_attach_read_irqs(struct hp_nic *nic)
{
	struct device *parent = nic->dev->dev.parent;
	struct pci_dev *pdev;
	unsigned int i;
	int irq;

	nic->nr_irqs = 0;
	if (!parent || !dev_is_pci(parent))
		return;
	pdev = to_pci_dev(parent);
	for (i = 0; i < HP_NIC_MAX_IRQS; i++) {
		irq = pci_irq_vector(pdev, i);
		if (irq <= 0)
			break;
		nic->irqs[nic->nr_irqs++] = irq;
	}
}

const char *hp_attach_driver(const struct net_device *dev, char *buf, size_t len)
{
	struct ethtool_drvinfo info = {};
	const struct device *parent = dev->dev.parent;

	ASSERT_RTNL();
	if (dev->ethtool_ops && dev->ethtool_ops->get_drvinfo) {
		dev->ethtool_ops->get_drvinfo((struct net_device *)dev, &info);
		if (info.driver[0]) {
			strscpy(buf, info.driver, len);
			return buf;
		}
	}
	strscpy(buf, parent && parent->driver ? parent->driver->name : "unknown", len);
	return buf;
}

int hp_attach_phc_index(struct net_device *dev)
{
	struct hp_ethtool_ts_info info = { .phc_index = -1 };

	ASSERT_RTNL();
	if (!dev->ethtool_ops || !dev->ethtool_ops->get_ts_info ||
	    dev->ethtool_ops->get_ts_info(dev, &info))
		return -1;
	return info.phc_index;
}

void hp_attach_set_phc_offset(struct net_device *dev, s64 ns)
{
	struct hp_attach *a = hp_attach_of(dev);

	if (!a)
		return;
	WRITE_ONCE(a->nic.phc_offset_ns, ns);
	/* the offset before the flag: hooks read them in that order's reverse */
	smp_wmb();
	WRITE_ONCE(a->nic.phc_mapped, true);
}

bool hp_attach_phc_offset(const struct net_device *dev, s64 *ns)
{
	struct hp_attach *a = hp_attach_of(dev);

	if (!a || !a->nic.phc_mapped)
		return false;
	*ns = a->nic.phc_offset_ns;
	return true;
}

int hp_attach_set_rx_mode(struct net_device *dev, u8 mode)
{
	struct hp_attach *a = hp_attach_of(dev);

	if (!a)
		return -ENODEV;
	hp_nicmode_set(dev, &a->mode, mode);
	return 0;
}

static int hp_attach_add(struct net_device *dev, struct netlink_ext_ack *extack)
{
	struct hp_attach *a;
	int err;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->nic.acct = hp_stages_alloc();
	if (!a->nic.acct) {
		err = -ENOMEM;
		goto err_free;
	}
	a->nic.dev = dev;
	hp_attach_read_irqs(&a->nic);
	netdev_hold(dev, &a->nic.tracker, GFP_KERNEL);
	hp_probes_attach(a->nic.acct, true);
	err = hp_nicpath_add(&a->nic);
	if (err) {
		NL_SET_ERR_MSG(extack,
			       "stats-enabled: the attach hooks' tracepoints could not be registered (kernel log)");
		goto err_probes;
	}
	atomic_long_inc(&hp_attach_alive);
	return 0;

err_probes:
	hp_probes_attach(a->nic.acct, false);
	netdev_put(dev, &a->nic.tracker);
	hp_stages_free(a->nic.acct);
err_free:
	kfree(a);
	return err;
}

static void hp_attach_del(struct hp_attach *a)
{
	struct net_device *dev = a->nic.dev;

	hp_nicmode_release(dev, &a->mode);
	hp_nicpath_del(&a->nic);
	hp_probes_attach(a->nic.acct, false);
	hp_stages_free(a->nic.acct);
	netdev_put(dev, &a->nic.tracker);
	kfree(a);
	atomic_long_dec(&hp_attach_alive);
}

int hp_attach_set(struct net_device *dev, bool on, struct netlink_ext_ack *extack)
{
	struct hp_attach *a = hp_attach_of(dev);

	if (!on) {
		if (a)
			hp_attach_del(a);
		return 0;
	}
	if (a)
		return 0;
	if (dev->reg_state != NETREG_REGISTERED) {
		NL_SET_ERR_MSG(extack, "ifindex/ifname: the device is going away");
		return -ENODEV;
	}
	return hp_attach_add(dev, extack);
}

static int hp_attach_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct hp_attach *a;

	switch (event) {
	case NETDEV_UNREGISTER:
		/* also sent before a move to another netns */
		a = hp_attach_of(dev);
		if (a)
			hp_attach_del(a);
		break;
	case NETDEV_UP:
		/* a driver may reallocate its vectors while down (ethtool -L) */
		a = hp_attach_of(dev);
		if (a) {
			hp_attach_read_irqs(&a->nic);
			hp_nicpath_irqs_changed();
		}
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block hp_attach_notifier = {
	.notifier_call = hp_attach_netdev_event,
};

int hp_attach_init(void)
{
	return register_netdevice_notifier(&hp_attach_notifier);
}

void hp_attach_exit(void)
{
	struct hp_nic *nic;

	rtnl_lock();
	while ((nic = hp_nicpath_any()))
		hp_attach_del(container_of(nic, struct hp_attach, nic));
	rtnl_unlock();
	unregister_netdevice_notifier(&hp_attach_notifier);
	if (atomic_long_read(&hp_attach_alive))
		pr_warn("exit: %ld attached devices leaked\n",
			atomic_long_read(&hp_attach_alive));
}

static int hp_attach_alive_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&hp_attach_alive));
}

static const struct kernel_param_ops hp_attach_alive_ops = {
	.get = hp_attach_alive_get,
};

module_param_cb(attached_alive, &hp_attach_alive_ops, NULL, 0444);
MODULE_PARM_DESC(attached_alive, "devices with accounting attached now (read only)");
