// SPDX-License-Identifier: GPL-2.0
/*
 * The offset of a NIC's PHC to CLOCK_MONOTONIC, which the module needs to
 * put the NIC's hardware time stamps on the clock its stages use (the
 * kernel has no in-kernel way to read another driver's PHC).  As phc2sys
 * and phc_ctl do: PTP_SYS_OFFSET_EXTENDED brackets each PHC reading with
 * two system clock readings (CLOCK_REALTIME), the narrowest bracket wins,
 * and CLOCK_REALTIME is taken to CLOCK_MONOTONIC by the same bracketing
 * in user space.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/ptp_clock.h>

#include "hotpath.h"

#define PHC_SAMPLES	9

static int64_t pct_ns(const struct ptp_clock_time *t)
{
	return (int64_t)t->sec * 1000000000LL + t->nsec;
}

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* CLOCK_REALTIME minus CLOCK_MONOTONIC, from the narrowest of a few brackets. */
static int64_t realtime_to_monotonic(void)
{
	int64_t best = 0, width = INT64_MAX;
	struct timespec a, r, b;
	int i;

	for (i = 0; i < PHC_SAMPLES; i++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_REALTIME, &r);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (ts_ns(&b) - ts_ns(&a) < width) {
			width = ts_ns(&b) - ts_ns(&a);
			best = ts_ns(&r) - (ts_ns(&a) + width / 2);
		}
	}
	return best;
}

int phc_offset_to_monotonic(const char *op, unsigned int index, int64_t *offset_ns)
{
	struct ptp_sys_offset_extended req;
	int64_t width = INT64_MAX, phc = 0, real = 0;
	char path[32];
	unsigned int i;
	int fd, err;

	snprintf(path, sizeof(path), "/dev/ptp%u", index);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "%s: %s: %s: %s\n", prog, op, path, strerror(-err));
		return err;
	}
	memset(&req, 0, sizeof(req));
	req.n_samples = PHC_SAMPLES;
	if (ioctl(fd, PTP_SYS_OFFSET_EXTENDED, &req) < 0) {
		err = -errno;
		fprintf(stderr, "%s: %s: %s: PTP_SYS_OFFSET_EXTENDED: %s\n", prog, op, path,
			strerror(-err));
		close(fd);
		return err;
	}
	close(fd);
	for (i = 0; i < req.n_samples; i++) {
		int64_t pre = pct_ns(&req.ts[i][0]), post = pct_ns(&req.ts[i][2]);

		if (post - pre < width) {
			width = post - pre;
			real = pre + width / 2;
			phc = pct_ns(&req.ts[i][1]);
		}
	}
	*offset_ns = phc - (real - realtime_to_monotonic());
	return 0;
}
