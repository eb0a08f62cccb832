/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the C tests share with the shell tests: commands run through bash
 * with lib.sh (so "ip" is iproute2, not busybox's), and entering the
 * namespaces lib.sh creates.  hp_libdir_init() first, in main().
 */
#ifndef HP_SH_H
#define HP_SH_H

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The directory of the test binary, where lib.sh and bpf/ are. */
static char libdir[PATH_MAX];

static inline int hp_libdir_init(void)
{
	char *slash;

	if (!realpath("/proc/self/exe", libdir))
		return -1;
	slash = strrchr(libdir, '/');
	*slash = '\0';
	return 0;
}

/*
 * main() of a C test run as root beside lib.sh: kselftest_harness.h's
 * test_harness_run() once lib.sh is found; KSFT_SKIP without root.  Expand
 * it after including the harness, as TEST_HARNESS_MAIN.
 */
#define HP_HARNESS_MAIN						\
	int main(int argc, char **argv)				\
	{							\
		if (hp_libdir_init())				\
			return KSFT_FAIL;			\
		if (geteuid())					\
			return KSFT_SKIP;			\
		return test_harness_run(argc, argv);		\
	}

/* Run a command with bash and lib.sh; system()'s status. */
static inline int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	setenv("HP_LIBDIR_C", libdir, 1);
	setenv("HP_CMD", cmd, 1);
	return system("bash -c 'source \"$HP_LIBDIR_C/lib.sh\"; trap - EXIT; eval \"$HP_CMD\"'");
}

/* Move this thread into the network namespace /run/netns/@ns. */
static inline int enter_ns(const char *ns)
{
	char path[128];
	int fd, err;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	err = setns(fd, CLONE_NEWNET);
	close(fd);
	return err;
}

#endif
