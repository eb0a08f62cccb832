#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The install and packaging paths of a lab box, checked without touching this
# host: every artefact goes under build/ (DKMS runs with its own
# --dkmstree/--sourcetree and signing key there).
#
#   scripts/pkg.sh check KVER...     host checks (KTAP on stdout), from
#                                    scripts/check.sh; "PASS FAIL SKIP" in
#                                    build/pkg/result
#   scripts/pkg.sh stage KVER OUT    what selftests/hotpath_pkg.sh checks in the
#                                    VM, from selftests/vm/run.sh
#
# check: the uapi header is what the YNL spec generates (scripts/ynl.sh
# check); `make deb` builds hotpath-dkms and hotpath-tools of VERSION; their
# files (dpkg-deb -c) are exactly the documented ones; DKMS builds the
# packaged source against each kernel's headers, the module carries VERSION,
# and the host's DKMS tree, /usr/src and /lib/modules are as before;
# make dkms-install and dkms-remove work (on trees under build/); a
# VERSION whose major is not the family version builds neither CLI nor module.
# stage writes OUT/:
#   root/         make install DESTDIR=... KVER=KVER (default PREFIX)
#   uninstalled/  a copy of root/ after make uninstall DESTDIR=...
#   dkms/         the module DKMS built for KVER from the hotpath-dkms package
#   deb-tools/    the hotpath-tools package unpacked
#   dpkg/         the module the hotpath-dkms postinst installed for KVER in
#                 check's dpkg -i, when check ran on these packages
#   mismatch/     a hotpath CLI built for the next family version
#   VERSION       the tree's VERSION
#   readme-layout the paths of README's `make install` table ($KVER as is)
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$TOP/build
PKG=$BUILD/pkg
VERSION=$(cat "$TOP/VERSION")
ARCH=$(dpkg --print-architecture)
DEB_DKMS=$BUILD/deb/hotpath-dkms_${VERSION}_all.deb
DEB_TOOLS=$BUILD/deb/hotpath-tools_${VERSION}_$ARCH.deb
DKMS=$PKG/dkms

log() { echo "pkg: $*" >&2; }

# make deb, quietly unless it fails (make skips it when nothing changed).
build_debs()
{
	local out

	out=$(make -s -C "$TOP" deb 2>&1) || { echo "$out" >&2; return 1; }
	[ -f "$DEB_DKMS" ] && [ -f "$DEB_TOOLS" ]
}

# The module DKMS built for $1 from the hotpath-dkms package, built now unless
# one from the current package is there.  Prints its path.
dkms_module()
{
	local kver=$1 mod src=$DKMS/root/usr/src sum

	# A new package whose module source is the same (only the tools or the
	# docs changed) keeps the modules DKMS built.
	if [ ! -d "$src/hotpath-$VERSION" ] || [ "$DEB_DKMS" -nt "$DKMS/stamp" ]; then
		rm -rf "$DKMS/new"
		mkdir -p "$DKMS"
		dpkg-deb -x "$DEB_DKMS" "$DKMS/new" || return 1
		sum=$(cd "$DKMS/new/usr/src" && find . -type f | LC_ALL=C sort | xargs sha256sum |
		      sha256sum)
		if [ ! -d "$src/hotpath-$VERSION" ] || [ "$sum" != "$(cat "$DKMS/sum" 2>/dev/null)" ]; then
			rm -rf "$DKMS/root" "$DKMS/tree" "$DKMS/tmp" "$DKMS/sum"
			mv "$DKMS/new" "$DKMS/root"
			mkdir -p "$DKMS/tree" "$DKMS/tmp"
			dkms_run add -m hotpath -v "$VERSION" > "$DKMS/add.log" 2>&1 ||
				{ cat "$DKMS/add.log" >&2; return 1; }
			echo "$sum" > "$DKMS/sum"
		fi
		rm -rf "$DKMS/new"
		touch "$DKMS/stamp"
	fi
	mod=$(ls "$DKMS/tree/hotpath/$VERSION/$kver"/*/module/hotpath.ko* 2>/dev/null | head -n1)
	if [ -z "$mod" ]; then
		log "dkms build hotpath/$VERSION for $kver (log: $DKMS/build-$kver.log)"
		if ! dkms_run build -m hotpath -v "$VERSION" -k "$kver" > "$DKMS/build-$kver.log" 2>&1; then
			cat "$DKMS/build-$kver.log" >&2
			return 1
		fi
		mod=$(ls "$DKMS/tree/hotpath/$VERSION/$kver"/*/module/hotpath.ko* 2>/dev/null | head -n1)
	fi
	[ -n "$mod" ] && echo "$mod"
}

# dkms with every tree under build/: the source tree is the unpacked package,
# the key DKMS signs with is generated there too (never /var/lib/dkms).
dkms_run()
{
	TMPDIR=$DKMS/tmp mok_signing_key=$DKMS/mok.key mok_certificate=$DKMS/mok.pub \
		dkms "$@" --dkmstree "$DKMS/tree" --sourcetree "$DKMS/root/usr/src"
}

# What DKMS, dpkg and make install could have left on the host.
host_state()
{
	ls -A /var/lib/dkms 2>/dev/null
	ls -d /usr/src/hotpath* 2>/dev/null
	find /lib/modules -name 'hotpath.ko*' 2>/dev/null | sort
	# depmod would rewrite these.
	stat -c '%n %Y' /lib/modules/*/modules.dep 2>/dev/null
}

# Files of a .deb (no directories) as "MODE PATH", sorted.
deb_files()
{
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ {sub(/^\.\//, "", $6); print $1, $6}' | sort -k2
}

expected_dkms()
{
	local s=usr/src/hotpath-$VERSION f

	{
		echo "-rw-r--r-- usr/share/doc/hotpath-dkms/changelog.gz"
		echo "-rw-r--r-- usr/share/doc/hotpath-dkms/copyright"
		for f in Kbuild VERSION dkms.conf kmod/Kbuild; do
			echo "-rw-r--r-- $s/$f"
		done
		# Every source file of the module, whatever kmod/ holds today.
		(cd "$TOP" && ls kmod/*.c kmod/*.h include/uapi/linux/*.h include/hotpath/*.h) |
			grep -v '\.mod\.c$' |
			sed "s|^|-rw-r--r-- $s/|"
	} | sort -k2
}

expected_tools()
{
	{
		cat <<-EOF
		-rwxr-xr-x usr/bin/hotpath-bench
		-rwxr-xr-x usr/sbin/hotpath
		-rwxr-xr-x usr/sbin/hotpath-lab
		-rw-r--r-- usr/share/bash-completion/completions/hotpath
		-rw-r--r-- usr/share/doc/hotpath-tools/changelog.gz
		-rw-r--r-- usr/share/doc/hotpath-tools/copyright
		-rw-r--r-- usr/share/hotpath/hp-common.sh
		-rw-r--r-- usr/share/man/man8/hotpath.8.gz
		EOF
		lab_py | sed 's|^|-rw-r--r-- usr/share/hotpath/hotpath_lab/|'
	} | sort -k2
}

# The lab's Python package, one file name a line (what make install puts
# in share/hotpath/hotpath_lab).
lab_py()
{
	(cd "$TOP/tools/lab/hotpath_lab" && ls -- *.py)
}

# A README row for share/hotpath/hotpath_lab/*.py stands for each of them.
lab_py_expand()
{
	local l

	while read -r l; do
		if [[ $l == */hotpath_lab/\*.py ]]; then
			lab_py | sed "s|^|${l%\*.py}|"
		else
			echo "$l"
		fi
	done
}

# The README's `make install` table, one path a line, PREFIX the default
# (usr/local), KVER left as "$KVER".
readme_install_layout()
{
	awk '/^`make install` puts/ { on = 1; next }
	     on && /^\| `/ { split($0, c, "`"); print c[2]; rows++; next }
	     on && rows && /^$/ { exit }' "$TOP/README.md" |
		sed 's|^\$PREFIX/|/usr/local/|; s|^/||' | lab_py_expand | LC_ALL=C sort
}

# The files the README's package table gives hotpath-tools (its docs aside).
readme_tools_files()
{
	grep '^| `hotpath-tools`' "$TOP/README.md" | cut -d'|' -f3 | grep -o '`/[^`]*`' |
		tr -d '`' | sed 's|^/||' | lab_py_expand | LC_ALL=C sort
}

N=0 PASS=0 FAIL=0 SKIP=0
result()
{
	local rc=$1 what=$2

	N=$((N + 1))
	if [ "$rc" = 0 ] && [[ $what == *"# SKIP"* ]]; then
		echo "ok $N $what"
		SKIP=$((SKIP + 1))
	elif [ "$rc" = 0 ]; then
		echo "ok $N $what"
		PASS=$((PASS + 1))
	else
		echo "not ok $N $what"
		FAIL=$((FAIL + 1))
	fi
}

# A check's diagnostics as KTAP comments.
diag() { sed 's/^/# /'; }

check_debs()
{
	local rc=0 d v

	build_debs 2>&1 | diag
	[ -f "$DEB_DKMS" ] && [ -f "$DEB_TOOLS" ] || rc=1
	if [ $rc = 0 ]; then
		for d in "$DEB_DKMS" "$DEB_TOOLS"; do
			v=$(dpkg-deb -f "$d" Version)
			[ "$v" = "$VERSION" ] || { echo "# $(basename "$d"): Version $v, VERSION says $VERSION"; rc=1; }
		done
		# What hotpath (libnl-genl) and hotpath-lab (ip netns, python3) run.
		v=$(dpkg-deb -f "$DEB_TOOLS" Depends)
		for d in libnl-genl-3-200 iproute2 python3; do
			[[ ", $v," == *", $d"[\ ,]* ]] || { echo "# hotpath-tools Depends: $v (no $d)"; rc=1; }
		done
		v=$(ls "$BUILD"/deb/*.deb | wc -l)
		[ "$v" = 2 ] || { echo "# $v .deb files in build/deb, expected 2"; rc=1; }
	fi
	result $rc "make deb builds hotpath-dkms and hotpath-tools $VERSION (tools depend on libnl-genl, iproute2, python3)"
	[ $rc = 0 ]
}

check_contents()
{
	local name=$1 deb=$2 expect=$3 rc=0 got

	got=$(deb_files "$deb")
	if [ "$got" != "$($expect)" ]; then
		diff <($expect) <(echo "$got") | diag
		rc=1
	fi
	result $rc "$name contents (dpkg-deb -c) are the documented layout"
}

# README's lab-box section names the files the tools package holds.
check_readme_tools()
{
	local rc=0 want got

	want=$(expected_tools | awk '{print $2}' | grep -v '^usr/share/doc/' | LC_ALL=C sort)
	got=$(readme_tools_files)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got") | diag; rc=1; }
	result $rc "README's package table lists hotpath-tools' files"
}

# The packaged dkms.conf names hotpath/VERSION and the maintainer scripts
# register the module with DKMS on configure and remove it (every kernel) on
# remove, so removing the package leaves no module behind.
check_dkms_scripts()
{
	local rc=0 tmp=$PKG/ctrl

	rm -rf "$tmp"
	mkdir -p "$tmp"
	dpkg-deb -e "$DEB_DKMS" "$tmp/DEBIAN"
	dpkg-deb --fsys-tarfile "$DEB_DKMS" |
		tar -xO "./usr/src/hotpath-$VERSION/dkms.conf" > "$tmp/dkms.conf"
	grep -qx "PACKAGE_VERSION=\"$VERSION\"" "$tmp/dkms.conf" ||
		{ echo "# dkms.conf: $(grep PACKAGE_VERSION "$tmp/dkms.conf")"; rc=1; }
	grep -qx 'PACKAGE_NAME="hotpath"' "$tmp/dkms.conf" || { echo "# dkms.conf: no PACKAGE_NAME"; rc=1; }
	grep -q "^DKMS_VERSION=$VERSION\$" "$tmp/DEBIAN/postinst" &&
		grep -q '/usr/lib/dkms/common.postinst' "$tmp/DEBIAN/postinst" &&
		grep -q '\$DKMS_POSTINST \$DKMS_NAME \$DKMS_VERSION' "$tmp/DEBIAN/postinst" ||
		{ echo "# postinst does not run DKMS for hotpath $VERSION"; rc=1; }
	grep -q "^DKMS_VERSION=$VERSION\$" "$tmp/DEBIAN/prerm" &&
		grep -q 'dkms remove -m \$DKMS_NAME -v \$DKMS_VERSION --all' "$tmp/DEBIAN/prerm" ||
		{ echo "# prerm does not remove hotpath $VERSION from DKMS"; rc=1; }
	dpkg-deb -f "$DEB_DKMS" Depends | grep -q '^dkms' || { echo "# hotpath-dkms does not depend on dkms"; rc=1; }
	result $rc "hotpath-dkms: dkms.conf of $VERSION, postinst builds with DKMS, prerm removes"
}

check_dkms_build()
{
	local kver=$1 rc=0 mod v before after

	before=$(host_state)
	mod=$(dkms_module "$kver" 2> "$PKG/dkms-$kver.err") || rc=1
	diag < "$PKG/dkms-$kver.err"
	if [ $rc = 0 ]; then
		v=$(modinfo -F version "$mod")
		[ "$v" = "$VERSION" ] || { echo "# $mod: version '$v'"; rc=1; }
		v=$(modinfo -F vermagic "$mod")
		[ "${v%% *}" = "$kver" ] || { echo "# $mod: vermagic '$v'"; rc=1; }
	fi
	after=$(host_state)
	[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") | diag; rc=1; }
	result $rc "DKMS builds the packaged source for $kver under build/ (host untouched)"
}

# make dkms-install then make dkms-remove, with dkms's source, DKMS and
# install trees under build/ and no depmod: the module is installed for $1
# with VERSION, then every trace of it is gone.  Skipped (reported as such)
# when nothing they use changed since they last passed.
check_dkms_targets()
{
	local kver=$1 d=$PKG/dkms-make rc=0 before after out dk lib key

	# What they use: the module source, dkms.conf and the Makefile.
	key=$(cd "$TOP" && cat Makefile dkms.conf VERSION Kbuild kmod/Kbuild \
	      $(ls kmod/*.[ch] | grep -v '\.mod\.c$') include/uapi/linux/*.h include/hotpath/*.h |
	      sha256sum)
	if [ "$(cat "$d/passed" 2>/dev/null)" = "$key" ]; then
		result 0 "make dkms-install / dkms-remove for $kver # SKIP unchanged since they passed"
		return
	fi
	before=$(host_state)
	rm -rf "$d"
	lib=$d/lib
	mkdir -p "$d/tree" "$d/src" "$lib/$kver" "$d/tmp"
	dk="dkms --dkmstree $d/tree --sourcetree $d/src --installtree $lib --no-depmod"
	export TMPDIR=$d/tmp mok_signing_key=$d/mok.key mok_certificate=$d/mok.pub
	if ! make -s -C "$TOP" dkms-install DKMS="$dk" DKMS_SRC="$d/src" KVER="$kver" \
		> "$d/install.log" 2>&1; then
		tail -n 20 "$d/install.log" | diag
		rc=1
	fi
	out=$($dk status -m hotpath 2>/dev/null)
	[ "$out" = "hotpath/$VERSION, $kver, $(uname -m): installed" ] ||
		{ echo "# after dkms-install, dkms status: $out"; rc=1; }
	out=$(ls "$lib/$kver"/updates/dkms/hotpath.ko* 2>/dev/null)
	[ -n "$out" ] && [ "$(modinfo -F version "$out")" = "$VERSION" ] ||
		{ echo "# no hotpath.ko of $VERSION in the install tree: '$out'"; rc=1; }
	grep -qx "PACKAGE_VERSION=\"$VERSION\"" "$d/src/hotpath-$VERSION/dkms.conf" ||
		{ echo "# $d/src/hotpath-$VERSION/dkms.conf has no PACKAGE_VERSION=$VERSION"; rc=1; }
	if ! make -s -C "$TOP" dkms-remove DKMS="$dk" DKMS_SRC="$d/src" > "$d/remove.log" 2>&1; then
		tail -n 20 "$d/remove.log" | diag
		rc=1
	fi
	out=$($dk status -m hotpath 2>/dev/null)
	[ -z "$out" ] || { echo "# after dkms-remove, dkms status: $out"; rc=1; }
	out=$(find "$lib" "$d/src" "$d/tree" -name 'hotpath*' 2>/dev/null)
	[ -z "$out" ] || { echo "# left after dkms-remove:" $out; rc=1; }
	unset TMPDIR mok_signing_key mok_certificate
	after=$(host_state)
	[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") | diag; rc=1; }
	[ $rc = 0 ] && echo "$key" > "$d/passed"
	result $rc "make dkms-install / dkms-remove for $kver (trees under build/): installed, then gone"
}

# What apt install ./hotpath-*.deb and apt purge do on a lab box, done with
# dpkg itself on a root of our own: this host's / under an overlay whose
# upper layer is a tmpfs, in a private mount namespace (pkg.sh dpkg-root),
# chrooted.  Every write lands in the tmpfs and goes with the namespace.
# Installing both packages must run the hotpath-dkms postinst, which has DKMS
# build and install the module for each kernel ($@) and depmod it; the tools
# must run; purging both must leave the root as it was, file for file, but
# for dpkg's, debconf's and man-db's records, DKMS's own signing key (made
# at its first build, kept for every DKMS module of the box) and depmod's
# index of each kernel, which must not name hotpath any more.
# autoinstall_all_kernels (DKMS's framework setting) makes the postinst
# build for every kernel with headers: by default it takes the running one
# and the newest in /boot, which need not be the kernels under test; the
# root keeps only those kernels' /lib/modules.
# Skipped (reported as such) when neither package changed since it passed.
check_dpkg()
{
	local d=$PKG/dpkg rc=0 key

	key=$(dpkg_key; echo "$*")
	if [ "$(cat "$PKG/dpkg.passed" 2>/dev/null)" = "$key" ]; then
		result 0 "dpkg -i hotpath-dkms hotpath-tools, then --purge # SKIP unchanged since it passed"
		return
	fi
	rm -rf "$d" "$PKG/dpkg.passed"
	mkdir -p "$d/t"
	# A box that cannot make the root (a container without CAP_SYS_ADMIN,
	# no overlayfs) skips this check, saying so; everything else fails it.
	if ! unshare -m --propagation private true 2>/dev/null; then
		result 0 "dpkg -i hotpath-dkms hotpath-tools, then --purge # SKIP no mount namespace here (unshare -m needs CAP_SYS_ADMIN)"
		return
	fi
	unshare -m --propagation private "$TOP/scripts/pkg.sh" dpkg-root "$d" "$@" > "$d/diag" 2>&1
	rc=$?
	if [ $rc = 4 ]; then
		result 0 "dpkg -i hotpath-dkms hotpath-tools, then --purge # SKIP $(tail -n1 "$d/diag")"
		return
	fi
	diag < "$d/diag"
	[ $rc = 0 ] && echo "$key" > "$PKG/dpkg.passed"
	result $rc "dpkg -i hotpath-dkms hotpath-tools on a copy of this root: DKMS builds for $*, the tools run; --purge leaves nothing"
}

# What the overlay's upper layer $1 holds that the host's / does not (one line
# each): a file, link or directory that is new or differs, or a whiteout
# (something deleted); dpkg's, debconf's and man-db's records and DKMS's key
# excepted.
root_changes()
{
	local f h

	(cd "$1" && find . -mindepth 1 | sed 's|^\.||' | LC_ALL=C sort |
		grep -v -E '^/(var/lib/dpkg|var/log|var/cache/(debconf|man))(/|$)|^/var/lib/dkms/mok\.(key|pub)$' |
		while read -r f; do
			h=$1$f
			if [ -c "$h" ] && [ "$(stat -c %t:%T "$h")" = 0:0 ]; then
				echo "removed $f"
			elif [[ $f =~ ^(/usr)?/lib/modules/[^/]+/modules\.[a-z.]+$ ]]; then
				# depmod's index, rewritten by DKMS (and made when the
				# kernel had none: headers without the image): it
				# must not name hotpath any more.
				! grep -q -a hotpath "$h" || echo "left hotpath in $f"
			elif [ -L "$h" ]; then
				[ -L "$f" ] && [ "$(readlink "$h")" = "$(readlink "$f")" ] || echo "left $f"
			elif [ -d "$h" ]; then
				[ -d "$f" ] && [ ! -L "$f" ] || echo "left $f/"
			else
				[ -f "$f" ] && [ "$(stat -c %a "$h")" = "$(stat -c %a "$f")" ] &&
					cmp -s "$h" "$f" || echo "left $f"
			fi
		done)
}

# What check_dpkg's result (build/pkg/dpkg.passed: this, then the kernels)
# and modules belong to.
dpkg_key() { cat "$DEB_DKMS" "$DEB_TOOLS" "$TOP/scripts/pkg.sh" | sha256sum; }

# In the mount namespace of check_dpkg: $1 the directory to work in, then
# the kernels.  Diagnostics on stdout, logs in $1; exit status 4 (and the
# reason last) when the root cannot be made.
cmd_dpkg_root()
{
	local d=$1 t=$1/t r=$1/t/root rc=0 k out f left hidden
	shift

	mount -t tmpfs -o mode=0755 hp-dpkg "$t" || { echo "cannot mount a tmpfs"; return 4; }
	mkdir -p "$t/upper" "$t/work" "$r"
	mount -t overlay hp-dpkg -o "lowerdir=/,upperdir=$t/upper,workdir=$t/work" "$r" ||
		{ echo "no overlayfs here (an overlay of / on a tmpfs)"; return 4; }
	mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" &&
		mount --rbind -o ro /sys "$r/sys" || return 1
	# A lab box with just the kernels under test: any other kernel's
	# /lib/modules (the running one, say) is deleted in this root, so that
	# DKMS builds for exactly these and a kernel we do not support cannot
	# fail the postinst.  Its whiteout is not a change of the packages'.
	hidden=
	for f in "$r"/lib/modules/*; do
		k=${f##*/}
		[[ " $* " == *" $k "* ]] && continue
		rm -rf "$f"
		hidden+="removed /lib/modules/$k"$'\n'"removed /usr/lib/modules/$k"$'\n'
	done
	# The .debs are where they are on the host: / is the lower layer.
	inroot() { chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"; }

	if ! inroot autoinstall_all_kernels=1 dpkg -i "$DEB_DKMS" "$DEB_TOOLS" > "$d/install.log" 2>&1; then
		echo "dpkg -i failed:"
		tail -n 30 "$d/install.log"
		return 1
	fi
	for f in hotpath-dkms hotpath-tools; do
		out=$(inroot dpkg-query -W -f='${Status} ${Version}' $f 2>&1)
		[ "$out" = "install ok installed $VERSION" ] || { echo "dpkg-query $f: $out"; rc=1; }
	done
	for k in "$@"; do
		out=$(inroot dkms status -m hotpath -v "$VERSION" -k "$k" 2>/dev/null)
		[ "$out" = "hotpath/$VERSION, $k, $(uname -m): installed" ] ||
			{ echo "dkms status for $k: '$out'"; rc=1; }
		# Where modprobe will find it: depmod ran (modules.dep).
		f=$(inroot modinfo -k "$k" -n hotpath 2>&1)
		case $f in
		/lib/modules/$k/updates/dkms/hotpath.ko*) ;;
		*) echo "modinfo -k $k -n hotpath: '$f'"; rc=1; continue ;;
		esac
		out=$(inroot modinfo -k "$k" -F version hotpath 2>&1)
		[ "$out" = "$VERSION" ] || { echo "$f: version '$out'"; rc=1; }
		out=$(inroot modinfo -k "$k" -F vermagic hotpath 2>&1)
		[ "${out%% *}" = "$k" ] || { echo "$f: vermagic '$out'"; rc=1; }
		mkdir -p "$d/$k" && cp "$r$f" "$d/$k/"
	done
	# The tools (the module stays out of this host's kernel: nothing here
	# talks netlink to it; hotpath_pkg.sh does, in the VM).
	out=$(inroot hotpath-bench --version 2>&1)
	[ "$out" = "hotpath-bench $VERSION" ] || { echo "hotpath-bench --version: '$out'"; rc=1; }
	out=$(inroot hotpath --help 2>&1) && grep -q -- '--version' <<< "$out" ||
		{ echo "hotpath --help: '$(head -n 3 <<< "$out")'"; rc=1; }
	out=$(inroot hotpath-lab --help 2>&1) && grep -q '^  hotpath-lab bench' <<< "$out" ||
		{ echo "hotpath-lab --help: '$(head -n 3 <<< "$out")'"; rc=1; }
	# shellcheck disable=SC2016
	out=$(inroot bash -c 'source /usr/share/bash-completion/completions/hotpath &&
		COMP_WORDS=(hotpath st) COMP_CWORD=1 COMP_LINE="hotpath st" COMP_POINT=10 &&
		_hotpath hotpath st hotpath && echo "${COMPREPLY[*]}"' 2>&1)
	[ "$out" = stats ] || { echo "packaged completion of 'hotpath st': '$out'"; rc=1; }

	if ! inroot dpkg --purge hotpath-tools hotpath-dkms > "$d/purge.log" 2>&1; then
		echo "dpkg --purge failed:"
		tail -n 30 "$d/purge.log"
		return 1
	fi
	out=$(inroot dkms status -m hotpath 2>&1)
	[ -z "$out" ] || { echo "dkms status after --purge: $out"; rc=1; }
	left=$(root_changes "$t/upper" | grep -v -x -F -e "${hidden:-removed /nothing}")
	[ -z "$left" ] || { echo "after dpkg --purge, the root differs from the host's:"; echo "$left"; rc=1; }
	return $rc
}

# One version: a VERSION whose major number is not HOTPATH_GENL_VERSION must
# not build, neither the CLI nor the module (kernel $1's headers).
check_version_guard()
{
	local kver=$1 src=$PKG/guard rc=0 out want

	want="the major number in VERSION must equal HOTPATH_GENL_VERSION"
	rm -rf "$src"
	mkdir -p "$src/tools"
	cp -r "$TOP/Kbuild" "$TOP/include" "$TOP/kmod" "$src/"
	rsync -a --exclude='*.o' --exclude='/hotpath/hotpath' "$TOP/tools/hotpath" "$src/tools/"
	find "$src/kmod" \( -name '*.o' -o -name '.*.cmd' -o -name '*.ko' -o -name '*.mod*' \) -delete
	echo "$((${VERSION%%.*} + 1)).0.0" > "$src/VERSION"
	out=$(make -s -C "$src/tools/hotpath" nl.o 2>&1) &&
		{ echo "# the CLI built with VERSION $(cat "$src/VERSION")"; rc=1; }
	grep -q "$want" <<< "$out" || { echo "$out" | tail -n 5 | diag; rc=1; }
	out=$(make -s -C "/lib/modules/$kver/build" M="$src" kmod/netlink.o 2>&1) &&
		{ echo "# the module built with VERSION $(cat "$src/VERSION")"; rc=1; }
	grep -q "$want" <<< "$out" || { echo "$out" | tail -n 5 | diag; rc=1; }
	rm -rf "$src"
	result $rc "a VERSION whose major is not HOTPATH_GENL_VERSION builds neither CLI nor module"
}

# The uapi header is what the YNL spec generates (scripts/ynl.sh: the
# kernel's ynl-gen-c.py from linux-source-6.12 into a temporary directory).
check_ynl_regen()
{
	local rc=0 out

	out=$("$TOP/scripts/ynl.sh" check 2>&1) || rc=1
	[ $rc = 0 ] || echo "$out" | tail -n 40 | diag
	result $rc "include/uapi/linux/hotpath.h is what Documentation/netlink/specs/hotpath.yaml generates (make regen)"
}

# The CLI's man page and bash completion agree with its tables, and the man
# page names every JSON key the printer writes (scripts/cli_tables.py).
check_cli_tables()
{
	local rc=0 out

	out=$("$TOP/scripts/cli_tables.py" 2>&1) || rc=1
	[ $rc = 0 ] || echo "$out" | grep -v '^ok' | tail -n 40 | diag
	result $rc "hotpath(8) and the bash completion agree with the CLI's tables (scripts/cli_tables.py)"
}

cmd_check()
{
	local k

	mkdir -p "$PKG"
	echo "TAP version 13"
	echo "# hotpath packaging, host side: VERSION $VERSION"
	check_ynl_regen
	check_cli_tables
	if check_debs; then
		check_contents hotpath-dkms "$DEB_DKMS" expected_dkms
		check_contents hotpath-tools "$DEB_TOOLS" expected_tools
		check_readme_tools
		check_dkms_scripts
		for k in "$@"; do
			check_dkms_build "$k"
		done
		[ $# = 0 ] || check_dpkg "$@"
	fi
	if [ $# -gt 0 ]; then
		check_dkms_targets "$1"
		check_version_guard "$1"
	fi
	echo "1..$N"
	echo "# pkg: $PASS passed, $FAIL failed, $SKIP skipped"
	echo "$PASS $FAIL $SKIP" > "$PKG/result"
	[ "$FAIL" = 0 ]
}

# A copy of the CLI's sources with the next major version: a hotpath built
# for another family version than the module's.
build_mismatch()
{
	local out=$1 src=$PKG/mismatch-src major

	major=$((${VERSION%%.*} + 1))
	rm -rf "$src"
	mkdir -p "$src/tools" "$out"
	cp -r "$TOP/include" "$src/"
	rsync -a --exclude='*.o' --exclude='/hotpath/hotpath' "$TOP/tools/hotpath" "$src/tools/"
	echo "$major.0.0" > "$src/VERSION"
	sed -i "s/^\(#define HOTPATH_GENL_VERSION[[:space:]]*\)[0-9]*/\1$major/" \
		"$src/include/uapi/linux/hotpath.h"
	grep -q "^#define HOTPATH_GENL_VERSION.*$major\$" "$src/include/uapi/linux/hotpath.h" ||
		{ log "cannot set HOTPATH_GENL_VERSION in the copy"; return 1; }
	make -s -C "$src/tools/hotpath" && cp "$src/tools/hotpath/hotpath" "$out/hotpath"
}

cmd_stage()
{
	local kver=$1 out=$2 rc=0 mod

	rm -rf "$out"
	mkdir -p "$out/dkms"
	cp "$TOP/VERSION" "$out/VERSION"
	readme_install_layout > "$out/readme-layout"
	# The relative DESTDIR is part of the test: it must mean the same to the
	# tools' Makefiles.
	mkdir -p "$PKG"
	rm -rf "$PKG/destdir"
	if (cd "$TOP" && make -s install DESTDIR=build/pkg/destdir KVER="$kver"); then
		cp -a "$PKG/destdir" "$out/root"
		(cd "$TOP" && make -s uninstall DESTDIR=build/pkg/destdir KVER="$kver") &&
			mv "$PKG/destdir" "$out/uninstalled" || rc=1
	else
		log "make install DESTDIR=build/pkg/destdir KVER=$kver failed"
		rc=1
	fi
	if build_debs && mod=$(dkms_module "$kver"); then
		cp "$mod" "$out/dkms/"
		dpkg-deb -x "$DEB_TOOLS" "$out/deb-tools" || rc=1
	else
		log "no DKMS module for $kver"
		rc=1
	fi
	# The module the hotpath-dkms postinst built and installed in
	# check_dpkg, when that ran on the packages of now.
	mod=$(ls "$PKG/dpkg/$kver"/hotpath.ko* 2>/dev/null | head -n1)
	if [ -n "$mod" ] && [ "$(head -n1 "$PKG/dpkg.passed" 2>/dev/null)" = "$(dpkg_key)" ]; then
		mkdir -p "$out/dpkg" && cp "$mod" "$out/dpkg/"
	else
		log "no module from dpkg -i of these packages for $kver (scripts/pkg.sh check makes it)"
	fi
	build_mismatch "$out/mismatch" || rc=1
	return $rc
}

case ${1:-} in
check) shift; cmd_check "$@" ;;
dpkg-root) shift; cmd_dpkg_root "$@" ;;
stage) [ $# = 3 ] || { echo "usage: pkg.sh stage KVER OUT" >&2; exit 2; }; cmd_stage "$2" "$3" ;;
*) sed -n '/^#   scripts\/pkg.sh/,/^#$/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
