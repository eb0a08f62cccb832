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
# Run the whole check this many times in a row (flake hunting).
REPEAT	?= 1
# LOAD=1: run the check while stress-ng keeps every host core busy.
LOAD	?= 0
# The VM clock of `make demo`/`make bench`: virtual (instruction counting,
# reproducible) or real (the host's time).  `make check` picks per test.
CLOCK	?= virtual
PREFIX	?= /usr/local
DESTDIR	?=

TOP	:= $(CURDIR)
BUILD	:= $(TOP)/build
KSFT_DIR := $(BUILD)/src/tools/testing/selftests
TOOL_DIRS := $(patsubst %/Makefile,%,$(wildcard tools/hotpath/Makefile tools/bench/Makefile))
# The one version (VERSION): MODULE_VERSION, --version of the tools, the
# packages, DKMS; its major number is the genl family version.
VERSION	:= $(shell cat $(TOP)/VERSION)
# A relative DESTDIR (make install DESTDIR=tmp) means the same to the tools'
# own Makefiles, which run in their directories.
DEST	:= $(if $(DESTDIR),$(abspath $(DESTDIR)))
# Where install-src puts the module source (DKMS's layout).
SRCDIR	?= /usr/src/hotpath-$(VERSION)
# dkms-install/-remove: the dkms command and its source tree (scripts/pkg.sh
# points both under build/ to test them without touching the host).
DKMS	?= dkms
DKMS_SRC ?= /usr/src
# The module source DKMS and hotpath-dkms ship: what kbuild needs, nothing built.
MOD_SRCS := Kbuild VERSION kmod/Kbuild \
	$(filter-out %.mod.c,$(sort $(wildcard kmod/*.c kmod/*.h include/uapi/linux/*.h \
						 include/hotpath/*.h)))
DEB_DIR	:= $(BUILD)/deb
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEBS	:= $(DEB_DIR)/hotpath-dkms_$(VERSION)_all.deb \
	   $(DEB_DIR)/hotpath-tools_$(VERSION)_$(DEB_ARCH).deb
# The lab: its command and its Python package (tools/lab/).
LAB_PY	:= $(sort $(wildcard tools/lab/hotpath_lab/*.py))
DEB_INPUTS := Makefile dkms.conf $(MOD_SRCS) tools/lab/hotpath-lab tools/lab/hp-common.sh $(LAB_PY) \
	scripts/mkdeb.sh \
	$(wildcard debian/* debian/source/* tools/*/Makefile tools/*/*.[ch8] \
		   tools/hotpath/completion/*)

.PHONY: all modules tools selftests check check-debug vm-shell demo bench install install-module \
	install-tools install-src uninstall dkms-install dkms-remove deb style clean help \
	ksft-src regen

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
	$(TOP)/scripts/check.sh --kernels "$(KERNELS)" $(if $(TESTS),--tests "$(TESTS)") \
		--repeat "$(REPEAT)" $(if $(filter 1,$(LOAD)),--load)

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

# The lab (tools/lab/hotpath-lab) in the VM; on a lab box run hotpath-lab
# directly.  Each writes one results.json and the HTML report rendered from
# it (`hotpath-lab render` renders either again, anywhere): build/demo/ and
# build/bench/.  The VM's serial port is a terminal: colour only when ours
# is one.
LAB_RUN = hotpath-lab $(1) --results /root/results.json --report /root/report.html; rc=\$$?; \
	for f in results.json report.html; do [ ! -s /root/\$$f ] || hp-vm-export \$$f /root/\$$f; done; \
	exit \$$rc

# make demo NIC=igb (or e1000e): the walk on the VM's two NICs of that
# driver, wired back to back (hotpath-lab nic), beside hotpath's model.
NIC ?=
LAB_NIC = modprobe $(NIC) && set -- \$$(bash /usr/share/hotpath/hp-common.sh hp_nic_find $(NIC)) && \
	[ -n \"\$$2\" ] && $(call LAB_RUN,nic --dev \$$1 --peer \$$2)

demo:
	@rm -f $(BUILD)/demo/report.html $(BUILD)/demo/results.json
	@$(TOP)/selftests/vm/run.sh --kernel $(firstword $(KERNELS)) --clock $(CLOCK) \
		--artefacts $(BUILD)/demo --run "$$([ -t 1 ] || echo "export NO_COLOR=1; ")$(if $(NIC),$(LAB_NIC),$(call LAB_RUN,demo))"
	@echo "make demo: $(BUILD)/demo/results.json, $(BUILD)/demo/report.html"

bench:
	@rm -f $(BUILD)/bench/report.html $(BUILD)/bench/results.json
	@HP_VM_MODULES="veth pktgen" $(TOP)/selftests/vm/run.sh --kernel $(firstword $(KERNELS)) \
		--clock $(CLOCK) --artefacts $(BUILD)/bench \
		--run "$$([ -t 1 ] || echo "NO_COLOR=1 ")$(call LAB_RUN,bench)"
	@echo "make bench: $(BUILD)/bench/results.json, $(BUILD)/bench/report.html"

# make install [KVER=] [PREFIX=/usr/local] [DESTDIR=]: the module to
# /lib/modules/$(KVER)/extra (never under PREFIX: modprobe looks there only),
# the tools through their own Makefiles.  depmod runs only for the live
# system (no DESTDIR); with DESTDIR run `depmod -b DESTDIR KVER` yourself.
install: install-module install-tools

install-module: modules
	install -D -m 0644 kmod/hotpath.ko $(DEST)/lib/modules/$(KVER)/extra/hotpath.ko
	$(if $(DEST),,depmod -a $(KVER))

install-tools: tools
	@for d in $(TOOL_DIRS); do \
		$(MAKE) -C $$d install DESTDIR=$(DEST) PREFIX=$(PREFIX) || exit 1; \
	done
	install -D -m 0755 tools/lab/hotpath-lab $(DEST)$(PREFIX)/sbin/hotpath-lab
	install -D -m 0644 tools/lab/hp-common.sh $(DEST)$(PREFIX)/share/hotpath/hp-common.sh
	@for f in $(LAB_PY); do \
		echo "install -D -m 0644 $$f $(DEST)$(PREFIX)/share/hotpath/hotpath_lab/$${f##*/}"; \
		install -D -m 0644 $$f $(DEST)$(PREFIX)/share/hotpath/hotpath_lab/$${f##*/} || exit 1; \
	done

# Every file install put there (directories that may be shared stay).
uninstall:
	rm -f $(DEST)/lib/modules/$(KVER)/extra/hotpath.ko
	$(if $(DEST),,[ ! -d /lib/modules/$(KVER) ] || depmod -a $(KVER))
	@for d in $(TOOL_DIRS); do \
		$(MAKE) -C $$d uninstall DESTDIR=$(DEST) PREFIX=$(PREFIX) || exit 1; \
	done
	rm -f $(DEST)$(PREFIX)/sbin/hotpath-lab $(DEST)$(PREFIX)/share/hotpath/hp-common.sh \
		$(addprefix $(DEST)$(PREFIX)/share/hotpath/hotpath_lab/,$(notdir $(LAB_PY)))
	rmdir $(DEST)$(PREFIX)/share/hotpath/hotpath_lab $(DEST)$(PREFIX)/share/hotpath 2>/dev/null || true

# The module source in DKMS's layout (SRCDIR), for dkms-install and the
# hotpath-dkms package; dkms.conf is written by whoever registers it.
install-src:
	@for f in $(MOD_SRCS); do \
		install -D -m 0644 $$f $(DEST)$(SRCDIR)/$$f || exit 1; \
	done

# DKMS rebuilds the module for every kernel the box installs.
dkms-install:
	@if dpkg-query -W -f='$${Status}' hotpath-dkms 2>/dev/null | grep -q 'ok installed'; then \
		echo "dkms-install: the hotpath-dkms package is installed; use apt or dpkg" >&2; \
		exit 1; \
	fi
	command -v dkms >/dev/null || apt-get install -y --no-install-recommends dkms
	$(MAKE) dkms-remove
	$(MAKE) install-src DESTDIR= SRCDIR=$(DKMS_SRC)/hotpath-$(VERSION)
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf > $(DKMS_SRC)/hotpath-$(VERSION)/dkms.conf
	$(DKMS) add hotpath/$(VERSION)
	$(DKMS) build hotpath/$(VERSION) -k $(KVER)
	$(DKMS) install hotpath/$(VERSION) -k $(KVER)

# Every version of hotpath DKMS knows (an older make dkms-install's too).
dkms-remove:
	@command -v dkms >/dev/null || exit 0; \
	for v in $$($(DKMS) status -m hotpath 2>/dev/null | \
		    sed -n 's|^hotpath/\([^,:]*\).*|\1|p' | sort -u); do \
		echo "dkms remove hotpath/$$v --all"; \
		$(DKMS) remove hotpath/$$v --all || exit 1; \
		rm -rf $(DKMS_SRC)/hotpath-$$v; \
	done

# hotpath-dkms and hotpath-tools, built by dpkg-buildpackage in a copy of the
# tree under build/deb (the .debs land there too).
deb: $(DEBS)

$(DEBS) &: $(DEB_INPUTS)
	$(TOP)/scripts/mkdeb.sh $(DEB_DIR)

# The uapi header from the YNL spec (Documentation/netlink/specs/hotpath.yaml)
# with the kernel's ynl-gen-c.py (linux-source-6.12, unpacked under
# build/ynl).  The output is committed; `make check` (scripts/pkg.sh) fails
# when regenerating would change it.  Only the header: scripts/ynl.sh says
# why kmod/netlink.c keeps its own policy and op tables.
regen:
	$(TOP)/scripts/ynl.sh regen

# checkpatch --strict, sparse (C=2) and a W=1 build; any warning fails.
style: $(KSFT_DIR)/lib.mk
	$(TOP)/scripts/style.sh $(KDIR)

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean 2>/dev/null
	-@for d in $(TOOL_DIRS); do $(MAKE) -C $$d clean; done
	-$(MAKE) -C selftests KSFT_DIR=$(KSFT_DIR) clean 2>/dev/null
	rm -rf $(BUILD)/mod $(BUILD)/vm $(BUILD)/deb $(BUILD)/pkg

help:
	@echo 'hotpath $(VERSION)'
	@echo
	@echo '  make [all]             module (KVER=/KDIR= pick the kernel), tools, selftests'
	@echo '  make modules|tools|selftests'
	@echo '  make check             all tests in QEMU on Debian 6.1 and 6.12 (installs deps)'
	@echo '     KERNELS="6.1"       only these kernels (6.1, 6.12 or an ABI name)'
	@echo '     TESTS="hotpath_basic.sh test_busy_poll"   only these tests (globs ok)'
	@echo '     REPEAT=5            the whole check 5 times in a row (flake hunting)'
	@echo '  make check-debug       the suite on a KASAN/lockdep/kmemleak/UBSAN kernel (built once, cached)'
	@echo '  make vm-shell          interactive shell in the test VM (KERNELS=6.12 for 6.12)'
	@echo '  selftests/vm/run.sh --kernel 6.1 --test NAME   one test on one kernel'
	@echo '  make demo / bench      the lab in the VM (hotpath-lab), virtual clock; build/demo/ and'
	@echo '                         build/bench/ get results.json and report.html'
	@echo '     CLOCK=real          on the host'"'"'s time instead'
	@echo '  make install           module to /lib/modules/$$KVER/extra (depmod), hotpath and'
	@echo '                         hotpath-lab to $(PREFIX)/sbin, hotpath-bench to $(PREFIX)/bin,'
	@echo '                         man page, bash completion (DESTDIR=, PREFIX= honoured)'
	@echo '  make uninstall         removes what make install installed (same KVER/PREFIX/DESTDIR)'
	@echo '  make dkms-install      register, build and install the module with DKMS'
	@echo '  make dkms-remove       remove every hotpath version from DKMS'
	@echo '  make deb               build/deb/hotpath-dkms_$(VERSION)_all.deb and hotpath-tools'
	@echo '  make style             checkpatch --strict, sparse, W=1; fails on any warning'
	@echo '  make regen             include/uapi/linux/hotpath.h from the YNL spec (Documentation/netlink/specs)'
	@echo '  make clean'
	@echo
	@echo 'On a lab box with the module loaded: make -C selftests run_tests'
