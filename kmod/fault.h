/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection (fault.c): debugfs knobs the datapath consults through
 * these narrow hooks.  Disarmed, a hook is one plain load of a shared,
 * read-mostly word; the atomic decrement runs only while a knob is armed.
 */
#ifndef _HP_FAULT_H
#define _HP_FAULT_H

#include <linux/atomic.h>

/* Only a pointer here: main.c includes this header, port.h is the datapath's. */
struct hp_port;

extern atomic_t hp_fault_rx_alloc_left;
extern atomic_t hp_fault_tx_delay_left;

int hp_fault_init(void);
void hp_fault_exit(void);

void hp_fault_port_init(struct hp_port *port);
void hp_fault_port_stop(struct hp_port *port);
bool hp_fault_tx_hold_slow(struct hp_port *port);

/* Should this RX buffer allocation fail?  Consumes one armed failure. */
static inline bool hp_fault_rx_alloc(void)
{
	if (likely(!atomic_read(&hp_fault_rx_alloc_left)))
		return false;
	return atomic_dec_if_positive(&hp_fault_rx_alloc_left) >= 0;
}

/*
 * The engine wrote a TX completion: true when it must not be published yet
 * (it starts a held completion, or one is held before it: @held, the
 * port's tx_held).  Engine context.
 */
static inline bool hp_fault_tx_hold(struct hp_port *port, bool held)
{
	if (likely(!held && !atomic_read(&hp_fault_tx_delay_left)))
		return false;
	return hp_fault_tx_hold_slow(port);
}

#endif /* _HP_FAULT_H */
