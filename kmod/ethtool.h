/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HP_ETHTOOL_H
#define _HP_ETHTOOL_H

#include <linux/ethtool.h>

extern const struct ethtool_ops hp_ethtool_ops;

#endif /* _HP_ETHTOOL_H */
