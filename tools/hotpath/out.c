// SPDX-License-Identifier: GPL-2.0
/*
 * Output helpers: colour (only on a terminal, and never with NO_COLOR set),
 * human-readable times and bandwidths.
 */
#include <stdlib.h>
#include <unistd.h>

#include "hotpath.h"

bool colour_enabled(void)
{
	static int enabled = -1;

	if (enabled < 0)
		enabled = !json_output && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	return enabled;
}

/* An SGR escape for @code, or "" when colour is off. */
const char *col(const char *code)
{
	static char buf[4][16];
	static unsigned int i;

	if (!colour_enabled())
		return "";
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "\033[%sm", code);
	return buf[i];
}

void fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns < 10000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else
		snprintf(buf, len, "%.1fms", ns / 1e6);
}

void fmt_mbps(char *buf, size_t len, uint64_t mbps)
{
	if (mbps >= 1000 && mbps % 1000 == 0)
		snprintf(buf, len, "%llug", (unsigned long long)(mbps / 1000));
	else if (mbps >= 1000)
		snprintf(buf, len, "%.1fg", mbps / 1e3);
	else
		snprintf(buf, len, "%llum", (unsigned long long)mbps);
}
