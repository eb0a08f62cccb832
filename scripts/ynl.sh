#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The YNL spec (Documentation/netlink/specs/hotpath.yaml) and what is
# generated from it, with the kernel's own generator: tools/net/ynl from
# linux-source-6.12 (bookworm-backports), unpacked under build/ynl, never
# copied into the tree.
#
#   scripts/ynl.sh regen         rewrite include/uapi/linux/hotpath.h
#   scripts/ynl.sh check         regenerate into a temporary directory and
#                                fail (with the diff) if it differs from the
#                                committed header: the kernel's ynl-regen.sh
#                                practice, run by scripts/pkg.sh check
#   scripts/ynl.sh tree          unpack build/ynl only; prints its path
#
# Only the uapi header is generated.  The kernel policy and op tables stay in
# kmod/netlink.c: 6.12's ynl-gen-c.py renders the genl_family (and so uses
# its multicast table) only for the "genetlink" protocol, while the family
# needs "genetlink-legacy" for uns-admin-perm; its range structs are
# `static const`, which 6.1's non-const nla_policy range pointer cannot take
# without a cast; and per-op policies for an op with both do and dump
# requests name a table it does not emit.  The spec's checks are the same
# ranges as netlink.c's policies (hotpath_ynl.sh drives them through cli.py).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
YNL=$BUILD/ynl
TARBALL=/usr/src/linux-source-6.12.tar.xz
SPEC=Documentation/netlink/specs/hotpath.yaml
UAPI=include/uapi/linux/hotpath.h
# Debian's python3 with python3-yaml and python3-jsonschema (a pyenv
# python3 earlier in PATH has neither).
PY=/usr/bin/python3

log() { echo "ynl: $*" >&2; }

# build/ynl: tools/net/ynl and the netlink schemas of linux-source-6.12.
tree()
{
	local stamp=$YNL/.stamp

	[ -f "$stamp" ] && [ "$stamp" -nt "$TARBALL" ] && return 0
	[ -f "$TARBALL" ] || { log "$TARBALL missing: apt-get install -t bookworm-backports linux-source-6.12 (scripts/deps.sh)"; return 1; }
	log "unpacking tools/net/ynl and Documentation/netlink from $TARBALL"
	rm -rf "$YNL"
	mkdir -p "$YNL"
	tar -xJf "$TARBALL" -C "$YNL" --strip-components=1 --wildcards \
		'linux-source-6.12/tools/net/ynl/*' \
		'linux-source-6.12/Documentation/netlink/*.yaml'
	# ynl-gen-c.py names the spec by its path below the directory holding
	# MAINTAINERS (the kernel root); the unpacked tree has none.
	: > "$YNL/MAINTAINERS"
	touch "$stamp"
}

# gen OUT: the uapi header generated from the spec.  The spec goes into the
# unpacked tree so that the generator finds the schema beside it
# (Documentation/netlink/genetlink-legacy.yaml) and validates against it.
gen()
{
	local out=$1

	tree
	mkdir -p "$YNL/Documentation/netlink/specs"
	cp "$TOP/$SPEC" "$YNL/$SPEC"
	"$PY" "$YNL/tools/net/ynl/ynl-gen-c.py" --mode uapi --header \
		--spec "$YNL/$SPEC" -o "$out"
}

# 6.12.95's schema takes only numbers as checks, so the CTPIO checks spell
# limits the spec also names as consts (the uapi's HOTPATH_CTPIO_*): fail
# if a number and its const differ.
limits()
{
	"$PY" - "$TOP/$SPEC" <<-'EOF'
	import sys, yaml
	spec = yaml.safe_load(open(sys.argv[1]))
	const = {d["name"]: d["value"] for d in spec["definitions"] if d["type"] == "const"}
	ctpio = {a["name"]: a.get("checks", {}) for s in spec["attribute-sets"]
	         if s["name"] == "ctpio" for a in s["attributes"]}
	want = {("thresh", "max"): "ctpio-max-frame",
	        ("max-frame", "min"): "ctpio-min-frame",
	        ("max-frame", "max"): "ctpio-max-frame"}
	bad = [f"ctpio.{a} {k} {ctpio[a].get(k)} is not {c} ({const[c]})"
	       for (a, k), c in want.items() if ctpio[a].get(k) != const[c]]
	for line in bad:
	    print("ynl: " + line, file=sys.stderr)
	sys.exit(1 if bad else 0)
	EOF
}

case ${1:-} in
regen)
	gen "$TOP/$UAPI"
	log "wrote $UAPI"
	;;
check)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	gen "$tmp/hotpath.h"
	if ! diff -u "$TOP/$UAPI" "$tmp/hotpath.h"; then
		log "$UAPI is not what $SPEC generates: run make regen"
		exit 1
	fi
	limits
	;;
tree)
	tree
	echo "$YNL"
	;;
*)
	echo "usage: $0 regen|check|tree" >&2
	exit 2
	;;
esac
