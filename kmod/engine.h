/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated NIC's hardware (engine.c) as its driver sees it: the one
 * register the driver writes, the TX doorbell, and the MAC's flow control
 * (802.3x PAUSE), which the driver's RX refill releases.  What comes back
 * is what a NIC gives back: completions in the rings' memory (port.h) and
 * interrupts (irq.c).
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

/*
 * 802.3x flow control (see engine.c).  hp_engine_xon(): @port's receive
 * side posted buffers (its driver's RX tail moved), went away, or stops
 * asking for PAUSE: a peer held by it transmits again.  BH off.
 * hp_engine_pause_changed(): @port's pause settings were published (RTNL).
 * hp_engine_tx_flush(): the NIC completes the descriptors it holds as
 * dropped (engine lock held).  hp_engine_init() and hp_engine_stop():
 * ndo_init and ndo_stop (RTNL, xmit quiesced, NAPI disabled).
 */
void hp_engine_xon(struct hp_port *port);
void hp_engine_pause_changed(struct hp_port *port);
void hp_engine_tx_flush(struct hp_port *port);
void hp_engine_init(struct hp_port *port);
void hp_engine_stop(struct hp_port *port);

#endif /* _HP_ENGINE_H */
