/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated NIC's hardware (engine.c) as its driver sees it: the one
 * register the driver writes, the TX doorbell.  What comes back is what a
 * NIC gives back: completions in the rings' memory (port.h) and interrupts
 * (irq.c).
 */
#ifndef _HP_ENGINE_H
#define _HP_ENGINE_H

struct hp_config;
struct hp_port;

/*
 * The TX doorbell: the NIC runs the descriptors written since the last one,
 * under @cfg, the configuration the driver read for them.  Engine lock
 * held (hp_port_engine_lock(), or the stack's around xmit), BH off.
 */
void hp_engine_doorbell(struct hp_port *port, const struct hp_config *cfg);

#endif /* _HP_ENGINE_H */
