/* SPDX-License-Identifier: GPL-2.0 */
/* AF_XDP zero-copy (xsk.c): what module init/exit needs. */
#ifndef _HP_XSK_H
#define _HP_XSK_H

int hp_xsk_init(void);
void hp_xsk_exit(void);

#endif /* _HP_XSK_H */
