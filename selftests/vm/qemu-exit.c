// SPDX-License-Identifier: GPL-2.0
/*
 * Leave QEMU through its isa-debug-exit device (iobase 0xf4): QEMU exits
 * with status (value << 1) | 1.  The runner starts QEMU with
 * -device isa-debug-exit,iobase=0xf4,iosize=0x04, so "qemu-exit 0" ends the
 * VM with status 1 (tests passed) and "qemu-exit 1" with status 3 (failed).
 * A panic with -no-reboot ends QEMU with status 0, which therefore never
 * counts as a pass.  Built static: the initramfs runs it as PID 1's last act.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/io.h>

#define DEBUG_EXIT_PORT 0xf4

int main(int argc, char **argv)
{
	unsigned long v = argc > 1 ? strtoul(argv[1], NULL, 0) : 0;

	sync();
	if (ioperm(DEBUG_EXIT_PORT, 4, 1)) {
		perror("ioperm");
		return 1;
	}
	outl((unsigned int)v, DEBUG_EXIT_PORT);
	/* Not under QEMU with the device: nothing happened. */
	fprintf(stderr, "qemu-exit: no isa-debug-exit device\n");
	return 1;
}
