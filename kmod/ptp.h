/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PTP hardware clock of a port (ptp.c): registered with the kernel's PTP
 * core (/dev/ptpN), read by the TX engine to stamp frames.
 */
#ifndef _HP_PTP_H
#define _HP_PTP_H

#include <linux/types.h>

struct device;
struct hp_ptp;

/* A registered clock with its own start offset, or an ERR_PTR. */
struct hp_ptp *hp_ptp_create(const char *name, s32 drift_ppb, struct device *parent);
void hp_ptp_destroy(struct hp_ptp *ptp);

/* The PHC time, ns, at host CLOCK_MONOTONIC instant @host_ns.  Any context. */
u64 hp_ptp_time(struct hp_ptp *ptp, u64 host_ns);

/* The oscillator's frequency error (phc-drift-ppb).  Process context. */
int hp_ptp_set_drift(struct hp_ptp *ptp, s32 drift_ppb);

/* N of /dev/ptpN. */
int hp_ptp_index(const struct hp_ptp *ptp);

#endif /* _HP_PTP_H */
