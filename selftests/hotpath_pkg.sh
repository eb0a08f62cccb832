#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab-box install path (issue 15), on what scripts/pkg.sh stage made on
# the host for this kernel (the VM has it in $HP_PKG, default /pkg):
#  - `make install DESTDIR=... KVER=$(uname -r)` gave exactly the documented
#    files and modes, the paths of README's table; `make uninstall` with the
#    same DESTDIR removed every one;
#  - that tree, copied into /, lets depmod + `modprobe hotpath` load the
#    module and the installed hotpath show its ports; the installed bash
#    completion loads and completes a key, a value and the ports;
#  - hotpath --version, hotpath-bench --version, modinfo and sysfs all say
#    VERSION, and the family versions agree;
#  - the installed hotpath-lab runs the installed Python package
#    (share/hotpath/hotpath_lab, and refuses without it), the packaged one
#    the package's;
#  - the module DKMS built from the hotpath-dkms package loads and works, and
#    so do the programs of the hotpath-tools package;
#  - a hotpath built for another family version refuses with the message;
#  - the module the hotpath-dkms postinst installed (dpkg -i in scripts/pkg.sh
#    check) loads, and the packaged hotpath shows its ports.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd depmod modprobe modinfo jq

PKG=${HP_PKG:-/pkg}
[ -d "$PKG" ] || hp_skip "no $PKG (selftests/vm/run.sh stages it with scripts/pkg.sh)"
[ -s "$PKG/VERSION" ] || hp_fail "$PKG/VERSION missing: scripts/pkg.sh stage failed (build/vm/KVER/pkg.log)"
VERSION=$(cat "$PKG/VERSION")
MAJOR=${VERSION%%.*}
KVER=$(uname -r)
MODDIR=/lib/modules/$KVER
# make install's default PREFIX.
P=/usr/local

# The documented layout of make install, "MODE PATH" per file.
expected_layout()
{
	{
		cat <<-EOF
		644 lib/modules/$KVER/extra/hotpath.ko
		755 usr/local/bin/hotpath-bench
		755 usr/local/sbin/hotpath
		755 usr/local/sbin/hotpath-lab
		644 usr/local/share/bash-completion/completions/hotpath
		644 usr/local/share/hotpath/hp-common.sh
		644 usr/local/share/man/man8/hotpath.8
		EOF
		lab_py | sed 's|^|644 usr/local/share/hotpath/hotpath_lab/|'
	} | LC_ALL=C sort -k2
}

# The lab's Python package, one file name a line: the tree's, as the VM
# has it (/usr/share/hotpath/hotpath_lab, from selftests/vm/mkinitramfs.sh)
lab_py()
{
	(cd /usr/share/hotpath/hotpath_lab && ls -- *.py)
}

# "MODE PATH" of every non-directory under $1, by path (busybox find has no
# -printf).
layout()
{
	local f

	(cd "$1" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort |
		while read -r f; do echo "$(stat -c %a "$f") $f"; done)
}

# ports CLI: the ports `CLI -j show` lists, by name on one line
ports()
{
	"$1" -j show 2>&1 | jq -r '[.[].ifname] | join(" ")' 2>&1
}

# insmod_ports KO WHAT CLI PAIRS: insmod KO pairs=PAIRS (the module WHAT
# names, built elsewhere than the VM's); its ports hp0.. appear and CLI
# -j show lists exactly them.
insmod_ports()
{
	local ko=$1 what=$2 cli=$3 pairs=$4 want='' i

	for ((i = 0; i < 2 * pairs; i++)); do
		want+="${want:+ }hp$i"
	done
	run_cmd insmod "$ko" pairs="$pairs"
	check_err $? "insmod of the $what $(basename "$ko") failed"
	HP_UNLOAD_AT_EXIT=1
	hp_wait_dev "hp$((2 * pairs - 1))"
	check_err $? "$what module: no $want"
	check_eq "$(ports "$cli")" "$want" "$cli -j show on the $what module"
}

# The module the VM booted with, put back (and depmod) when the test ends,
# along with every file the install tree brought into /.
restore()
{
	local f

	hp_mod_unload
	for f in $(layout "$PKG/root" | awk '{print $2}'); do
		rm -f "/$f"
	done
	cp /tmp/hotpath.ko.orig "$MODDIR/extra/hotpath.ko"
	depmod "$KVER"
}

test_layout()
{
	local got

	RET=0
	got=$(layout "$PKG/root")
	[ "$got" = "$(expected_layout)" ]
	check_err $? "make install DESTDIR layout differs: $(diff <(expected_layout) <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
	log_test "make install DESTDIR=build/pkg/destdir: exactly the documented files and modes"

	# The documentation itself: README's `make install` table.
	RET=0
	[ -s "$PKG/readme-layout" ]
	check_err $? "no $PKG/readme-layout (scripts/pkg.sh stage)"
	got=$(layout "$PKG/root" | awk '{print $2}')
	check_eq "$got" "$(sed "s|\\\$KVER|$KVER|" "$PKG/readme-layout" | LC_ALL=C sort)" \
		"make install's files against README's table"
	log_test "make install's files are README's make install table"

	RET=0
	[ -d "$PKG/uninstalled/usr/local/sbin" ]
	check_err $? "the uninstalled tree is not the one make install filled"
	got=$(layout "$PKG/uninstalled")
	[ -z "$got" ]
	check_err $? "make uninstall left: $(echo "$got" | tr '\n' ' ')"
	log_test "make uninstall DESTDIR=build/pkg/destdir removes every file"
}

test_installed()
{
	local out

	RET=0
	hp_mod_unload || hp_fail "cannot unload hotpath"
	cp -a "$PKG/root/." /
	run_cmd depmod "$KVER"
	check_err $? "depmod failed"
	check_eq "$(modinfo -n hotpath 2>&1)" "$MODDIR/extra/hotpath.ko" "modinfo -n hotpath"
	run_cmd modprobe hotpath
	check_err $? "modprobe hotpath failed"
	HP_UNLOAD_AT_EXIT=1
	hp_wait_dev hp1
	check_err $? "modprobe hotpath: no hp0/hp1"
	out=$("$P/sbin/hotpath" -j show 2>&1)
	check_err $? "installed hotpath show failed: $out"
	check_eq "$(echo "$out" | jq -r '[.[].ifname] | join(" ")' 2>&1)" "hp0 hp1" \
		"installed hotpath -j show ports"
	out=$("$P/sbin/hotpath" show hp0 2>&1)
	check_err $? "hotpath show hp0: $out"
	echo "$out" | grep -q 'hp1'
	check_err $? "hotpath show hp0 does not name the peer hp1: $out"
	log_test "installed tree: depmod, modprobe hotpath, $P/sbin/hotpath show"
}

# Complete "${@}" (the last word being completed) as bash would.
complete_words()
{
	bash -c '
		source "$1"; shift
		complete -p hotpath | grep -q -- "-F _hotpath" || { echo "no complete -F _hotpath"; exit 1; }
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_hotpath hotpath "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		echo "${COMPREPLY[*]}"' _ "${COMPFILE:-$P/share/bash-completion/completions/hotpath}" "$@"
}

test_completion()
{
	RET=0
	check_eq "$(complete_words hotpath set hp0 rx-m 2>&1)" "rx-mode" "completion of 'set hp0 rx-m'"
	check_eq "$(complete_words hotpath set hp0 rx-mode b 2>&1)" "busy-poll" \
		"completion of 'set hp0 rx-mode b'"
	check_eq "$(complete_words hotpath st 2>&1)" "stats" "completion of 'st'"
	check_eq "$(PATH=$P/sbin:$PATH complete_words hotpath show hp 2>&1)" "hp0 hp1" \
		"completion of 'show hp' (ports from hotpath -j show)"
	log_test "installed bash completion loads and completes keys, values, ports"
}

test_versions()
{
	local out

	RET=0
	check_eq "$(modinfo -F version hotpath)" "$VERSION" "modinfo -F version hotpath"
	check_eq "$(cat /sys/module/hotpath/version 2>&1)" "$VERSION" "/sys/module/hotpath/version"
	out=$("$P/sbin/hotpath" --version 2>&1)
	check_err $? "hotpath --version failed"
	check_eq "$out" "hotpath $VERSION, netlink family \"hotpath\" version $MAJOR
module: hotpath $(modinfo -F version hotpath), family version $MAJOR" "hotpath --version"
	check_eq "$("$P/bin/hotpath-bench" --version 2>&1)" "hotpath-bench $VERSION" \
		"hotpath-bench --version"
	check_eq "$(ethtool -i hp0 | sed -n 's/^version: //p')" "$VERSION" "ethtool -i hp0 version"
	log_test "hotpath --version, hotpath-bench --version, modinfo, sysfs, ethtool: $VERSION"

	RET=0
	hp_mod_unload
	check_eq "$("$P/sbin/hotpath" --version 2>&1)" "hotpath $VERSION, netlink family \"hotpath\" version $MAJOR
module: not loaded" "hotpath --version without the module"
	log_test "hotpath --version without the module"
}

# lab_package LAB: the directory of the hotpath_lab package LAB
# (hotpath-lab) runs, and the hp-common.sh it runs for its setup: its
# start-up code run, then the package imported
lab_package()
{
	python3 -B -c 'import runpy, sys
runpy.run_path(sys.argv[1], run_name="probe")
import hotpath_lab
from hotpath_lab import net
print(hotpath_lab.__path__[0], net.common_sh())' "$1" 2>&1
}

# The installed hotpath-lab finds the installed package (../share/hotpath
# from its sbin/, no tree beside it) and refuses, naming where it looked,
# without it.
test_lab_common()
{
	local lab=$P/sbin/hotpath-lab pkg=$P/share/hotpath/hotpath_lab out rc

	RET=0
	check_eq "$(lab_package "$lab")" "$pkg $P/share/hotpath/hp-common.sh" \
		"the package and the setup helper the installed hotpath-lab runs"
	out=$("$lab" --help 2>&1)
	check_err $? "installed hotpath-lab --help failed: $out"
	grep -q '^  hotpath-lab bench' <<<"$out"
	check_err $? "installed hotpath-lab --help: no usage: $out"
	mv "$pkg" "$pkg.away"
	out=$("$lab" --help 2>&1)
	rc=$?
	mv "$pkg.away" "$pkg"
	check_eq "$rc" 1 "exit status of hotpath-lab without $pkg"
	check_eq "$out" "hotpath-lab: cannot find its package hotpath_lab in $P/sbin or $P/sbin/../share/hotpath" \
		"hotpath-lab without $pkg"
	[ -z "$(find "$pkg" -name __pycache__)" ]
	check_err $? "hotpath-lab left a __pycache__ in $pkg (make uninstall would not remove it)"
	log_test "installed hotpath-lab runs the installed $pkg"
}

test_dkms()
{
	local ko

	RET=0
	ko=$(ls "$PKG"/dkms/hotpath.ko* 2>/dev/null | head -n1)
	[ -n "$ko" ] || hp_fail "no DKMS-built module in $PKG/dkms (build/vm/$KVER/pkg.log)"
	hp_mod_unload
	check_eq "$(modinfo -F version "$ko")" "$VERSION" "modinfo -F version $(basename "$ko")"
	# DKMS signed it with the key scripts/pkg.sh gave it under build/.
	check_eq "$(modinfo -F signer "$ko")" "DKMS module signing key" "modinfo -F signer"
	insmod_ports "$ko" DKMS-built "$P/sbin/hotpath" 2
	check_eq "$(cat /sys/module/hotpath/version 2>&1)" "$VERSION" "DKMS-built module version in sysfs"
	log_test "the module DKMS built from hotpath-dkms loads (insmod $(basename "$ko"))"
}

# The hotpath-tools package's programs, as dpkg would put them in /usr.
test_deb_tools()
{
	local d=$PKG/deb-tools out

	RET=0
	[ -x "$d/usr/sbin/hotpath" ] || hp_fail "no $d/usr/sbin/hotpath (build/vm/$KVER/pkg.log)"
	hp_mod_loaded || hp_fail "the module is not loaded"
	check_eq "$("$d/usr/sbin/hotpath" --version 2>&1 | head -n1)" \
		"hotpath $VERSION, netlink family \"hotpath\" version $MAJOR" "packaged hotpath --version"
	check_eq "$(ports "$d/usr/sbin/hotpath")" "hp0 hp1 hp2 hp3" "packaged hotpath -j show"
	check_eq "$("$d/usr/bin/hotpath-bench" --version 2>&1)" "hotpath-bench $VERSION" \
		"packaged hotpath-bench --version"
	out=$("$d/usr/sbin/hotpath-lab" --help 2>&1)
	check_err $? "packaged hotpath-lab --help failed: $out"
	[ -n "$out" ]
	check_err $? "packaged hotpath-lab --help printed nothing"
	check_eq "$(lab_package "$d/usr/sbin/hotpath-lab")" \
		"$d/usr/share/hotpath/hotpath_lab $d/usr/share/hotpath/hp-common.sh" \
		"the package and the setup helper the packaged hotpath-lab runs"
	check_eq "$(COMPFILE=$d/usr/share/bash-completion/completions/hotpath \
		complete_words hotpath set hp0 tx-p 2>&1)" "tx-push" "packaged completion"
	log_test "hotpath-tools package: hotpath, hotpath-bench, hotpath-lab, completion"
}

# The module `dpkg -i hotpath-dkms` gave: its postinst had DKMS build and
# install it (scripts/pkg.sh check, on an overlay of the host's root), with
# the hotpath-tools package's CLI.  Without that run (this test alone, not
# from make check) there is nothing to load: skipped.
test_dpkg_module()
{
	local ko

	ko=$(ls "$PKG"/dpkg/hotpath.ko* 2>/dev/null | head -n1)
	if [ -z "$ko" ]; then
		log_test_skip "the module dpkg -i hotpath-dkms installed" \
			"(no $PKG/dpkg: scripts/pkg.sh check did not run on these packages)"
		return
	fi
	RET=0
	hp_mod_unload
	check_eq "$(modinfo -F version "$ko")" "$VERSION" "modinfo -F version $(basename "$ko")"
	check_eq "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" "$KVER" "vermagic"
	insmod_ports "$ko" dpkg-installed "$PKG/deb-tools/usr/sbin/hotpath" 1
	check_eq "$("$PKG/deb-tools/usr/sbin/hotpath" --version 2>&1 | tail -n1)" \
		"module: hotpath $VERSION, family version $MAJOR" "packaged hotpath --version"
	log_test "the module dpkg -i hotpath-dkms installed loads; packaged hotpath shows it"
}

test_mismatch()
{
	local cli=$PKG/mismatch/hotpath out rc want

	RET=0
	[ -x "$cli" ] || hp_fail "no $cli (build/vm/$KVER/pkg.log)"
	hp_mod_loaded || hp_fail "the module is not loaded"
	out=$("$cli" show 2>&1)
	rc=$?
	check_eq "$rc" 1 "exit status of a hotpath built for family version $((MAJOR + 1))"
	want="hotpath: version mismatch: the loaded hotpath module speaks family version $MAJOR,"
	want+=" this hotpath $((MAJOR + 1)).0.0 was built for version $((MAJOR + 1));"
	want+=" install the module and the tools of one release (hotpath --version)"
	check_eq "$out" "$want" "hotpath show with another family version"
	out=$("$cli" set hp0 tx-push on 2>&1)
	check_eq "$?" 1 "set with another family version"
	check_eq "$("$P/sbin/hotpath" -j show hp0 | jq -r '.[0].tx_push' 2>&1)" "false" \
		"tx-push after a refused set"
	check_eq "$("$cli" --version 2>&1 | tail -n1)" \
		"module: hotpath $VERSION, family version $MAJOR (mismatch)" "--version of the mismatched CLI"
	log_test "a hotpath for family version $((MAJOR + 1)) refuses with the mismatch message"
}

cp "$MODDIR/extra/hotpath.ko" /tmp/hotpath.ko.orig || hp_fail "no $MODDIR/extra/hotpath.ko"
hp_defer restore

test_layout
test_installed
test_completion
test_lab_common
test_versions
test_dkms
test_deb_tools
test_mismatch
test_dpkg_module

exit "$EXIT_STATUS"
