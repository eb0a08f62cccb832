# SPDX-License-Identifier: GPL-2.0
#
# hotpath: the emulated low-latency NIC (kmod/), its CLI and bench (tools/),
# and the kselftests run in QEMU (selftests/).  `make help` lists the targets.

KVER	?= $(shell uname -r)
KDIR	?= /lib/modules/$(KVER)/build
JOBS	?= 2
# Kernels `make check` boots: a series (6.1, 6.12) or a full ABI name.
KERNELS	?= 6.1 6.12
# Tests to run (file names or globs); empty means all.
TESTS	?=
PREFIX	?= /usr/local
DESTDIR	?=

TOP	:= $(CURDIR)
BUILD	:= $(TOP)/build
KSFT_DIR := $(BUILD)/src/tools/testing/selftests
TOOL_DIRS := $(patsubst %/Makefile,%,$(wildcard tools/hotpath/Makefile tools/bench/Makefile))
VERSION	:= $(shell git -C $(TOP) describe --always --dirty 2>/dev/null || echo 0.1)
DKMS_VERSION := 0.1

.PHONY: all modules tools selftests check check-debug vm-shell demo bench install \
	dkms-install style clean help ksft-src

all: modules tools selftests

modules:
	$(MAKE) -C $(KDIR) M=$(TOP) -j$(JOBS) modules

tools:
	@for d in $(TOOL_DIRS); do $(MAKE) -C $$d || exit 1; done

# The kselftest framework (lib.mk, kselftest_harness.h, runner) comes from
# linux-source-6.1, unpacked into build/src by scripts/deps.sh.
$(KSFT_DIR)/lib.mk:
	$(TOP)/scripts/deps.sh --source-only

ksft-src: $(KSFT_DIR)/lib.mk

selftests: $(KSFT_DIR)/lib.mk
	$(MAKE) -C selftests KSFT_DIR=$(KSFT_DIR)

# Every test on every kernel in QEMU; ends with "N passed, N failed".
check:
	$(TOP)/scripts/check.sh --kernels "$(KERNELS)" $(if $(TESTS),--tests "$(TESTS)")

# The debug-kernel lane: linux-source-6.1 built with KASAN, KFENCE, lockdep,
# PROVE_RCU, DEBUG_OBJECTS, kmemleak, UBSAN and DEBUG_NET
# (selftests/vm/debug.config; built once under nice, cached by its hash in
# /var/cache/hotpath), booted with panic_on_warn; kmemleak is scanned after
# the tests.  Any report fails it.  TESTS= overrides the list.
DEBUG_TESTS ?= hotpath_fault.sh hotpath_carrier.sh hotpath_ring.sh hotpath_lifecycle.sh \
	hotpath_pairs.sh hotpath_basic.sh hotpath_ping.sh 'hotpath_ctl_*' test_busy_poll
check-debug:
	$(TOP)/selftests/vm/run.sh --debug $(foreach t,$(or $(TESTS),$(DEBUG_TESTS)),--test $(t))

# An interactive shell in the test VM (first kernel of KERNELS).
vm-shell:
	$(TOP)/selftests/vm/run.sh --kernel $(firstword $(KERNELS)) --shell

# The lab (tools/lab.sh) in the VM; on a lab box run tools/lab.sh directly.
demo:
	@if [ -x tools/lab.sh ]; then \
		$(TOP)/selftests/vm/run.sh --kernel $(firstword $(KERNELS)) --run "lab.sh"; \
	else echo "demo: tools/lab.sh is not there yet"; exit 1; fi

bench:
	@if [ -x tools/lab.sh ]; then \
		HP_VM_MODULES="veth" $(TOP)/selftests/vm/run.sh --kernel $(firstword $(KERNELS)) \
			--run "lab.sh bench"; \
	else echo "bench: tools/lab.sh is not there yet"; exit 1; fi

install: modules tools
	install -D -m 644 kmod/hotpath.ko $(DESTDIR)/lib/modules/$(KVER)/extra/hotpath.ko
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)
	@for b in tools/hotpath/hotpath tools/bench/hotpath-bench tools/lab.sh; do \
		[ ! -x $$b ] || install -D -m 755 $$b $(DESTDIR)$(PREFIX)/sbin/$$(basename $$b); \
	done
	@for m in $(wildcard tools/hotpath/*.8); do \
		install -D -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man8/$$(basename $$m); \
	done
	@for c in $(wildcard tools/hotpath/*completion*); do \
		install -D -m 644 $$c $(DESTDIR)/usr/share/bash-completion/completions/hotpath; \
	done

# DKMS rebuilds the module for every kernel the box installs.
dkms-install:
	command -v dkms >/dev/null || apt-get install -y --no-install-recommends dkms
	rm -rf /usr/src/hotpath-$(DKMS_VERSION)
	mkdir -p /usr/src/hotpath-$(DKMS_VERSION)
	cp -r Kbuild dkms.conf kmod include /usr/src/hotpath-$(DKMS_VERSION)/
	find /usr/src/hotpath-$(DKMS_VERSION) \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '*.mod' -o -name '*.mod.c' \) -delete
	dkms remove hotpath/$(DKMS_VERSION) --all 2>/dev/null || true
	dkms add hotpath/$(DKMS_VERSION)
	dkms build hotpath/$(DKMS_VERSION) -k $(KVER)
	dkms install hotpath/$(DKMS_VERSION) -k $(KVER)

# checkpatch --strict, sparse (C=2) and a W=1 build; any warning fails.
style: $(KSFT_DIR)/lib.mk
	$(TOP)/scripts/style.sh $(KDIR)

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean 2>/dev/null
	-@for d in $(TOOL_DIRS); do $(MAKE) -C $$d clean; done
	-$(MAKE) -C selftests KSFT_DIR=$(KSFT_DIR) clean 2>/dev/null
	rm -rf $(BUILD)/mod $(BUILD)/vm

help:
	@echo 'hotpath $(VERSION)'
	@echo
	@echo '  make [all]             module (KVER=/KDIR= pick the kernel), tools, selftests'
	@echo '  make modules|tools|selftests'
	@echo '  make check             all tests in QEMU on Debian 6.1 and 6.12 (installs deps)'
	@echo '     KERNELS="6.1"       only these kernels (6.1, 6.12 or an ABI name)'
	@echo '     TESTS="hotpath_basic.sh test_busy_poll"   only these tests (globs ok)'
	@echo '  make check-debug       the suite on a KASAN/lockdep/kmemleak/UBSAN kernel (built once, cached)'
	@echo '  make vm-shell          interactive shell in the test VM (KERNELS=6.12 for 6.12)'
	@echo '  selftests/vm/run.sh --kernel 6.1 --test NAME   one test on one kernel'
	@echo '  make demo / bench      the lab in the VM (tools/lab.sh)'
	@echo '  make install           module to /lib/modules/$$KVER/extra, tools to $(PREFIX)/sbin'
	@echo '  make dkms-install      register the module with DKMS'
	@echo '  make style             checkpatch --strict, sparse, W=1; fails on any warning'
	@echo '  make clean'
	@echo
	@echo 'On a lab box with the module loaded: make -C selftests run_tests'
