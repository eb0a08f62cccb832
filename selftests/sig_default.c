// SPDX-License-Identifier: GPL-2.0
/*
 * sig_default CMD [ARG...]: run CMD with SIGINT and SIGQUIT at their
 * default disposition and unblocked.  A script's background jobs start with
 * both ignored (POSIX), and a tool that stops cleanly on Ctrl-C (xdp-bench
 * detaching its program) must be stoppable with kill -INT from a test.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	sigset_t set;

	if (argc < 2) {
		fprintf(stderr, "usage: sig_default CMD [ARG...]\n");
		return 2;
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
