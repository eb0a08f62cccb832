#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The module's netlink policies are the spec's (hotpath_ynl.sh, in the VM).

The kernel reports every operation's policy (CTRL_CMD_GETPOLICY, decoded by
the kernel's YNL CLI with its nlctrl spec); this compares it, attribute by
attribute, with Documentation/netlink/specs/hotpath.yaml: for each op and
each of do/dump, the attributes the kernel accepts are the spec's request
attributes, each with the spec's type and range (an unchecked integer takes
its type's whole range), nests followed into their attribute set.  The
kernel's policy tables are written by hand in kmod/netlink.c; this is what
keeps them the spec's.

  ynl_policy.py SPEC GETPOLICY.json
Prints one "ok"/"not ok" line per operation; exit 1 if any differs.
"""
import json
import sys

import yaml

KTYPE = {"u8": "u8", "u16": "u16", "u32": "u32", "u64": "u64",
         "s8": "s8", "s16": "s16", "s32": "s32", "s64": "s64",
         "string": "nul-string", "nest": "nested", "flag": "flag"}
UMAX = {"u8": 0xff, "u16": 0xffff, "u32": 0xffffffff, "u64": 0xffffffffffffffff}
SRANGE = {"s8": 7, "s16": 15, "s32": 31, "s64": 63}


def spec_limit(spec_consts, v):
    return spec_consts[v] if isinstance(v, str) and v in spec_consts else v


def expected(spec, consts, aset, name):
    """What the kernel's policy should report for attribute @name of @aset."""
    attr = next(a for a in spec["attribute-sets"] if a["name"] == aset)
    a = next(x for x in attr["attributes"] if x["name"] == name)
    t = a["type"]
    want = {"type": KTYPE[t]}
    checks = a.get("checks", {})
    if t in UMAX:
        top = UMAX[t]
        if "enum" in a:
            # an enum takes its values only, as ynl-gen-c's policies say
            e = next(d for d in spec["definitions"] if d["name"] == a["enum"])
            top = e.get("value-start", 0) - 1
            for x in e["entries"]:
                top = x["value"] if isinstance(x, dict) and "value" in x else top + 1
        want["min-value-u"] = spec_limit(consts, checks.get("min", 0))
        want["max-value-u"] = spec_limit(consts, checks.get("max", top))
    elif t in SRANGE:
        lo, hi = -(1 << SRANGE[t]), (1 << SRANGE[t]) - 1
        # 6.12.95's schema takes no negative limit: the spec's docs and
        # its phc-drift-max const carry this one (scripts/ynl.sh)
        if name == "phc-drift-ppb":
            lo, hi = -consts["phc-drift-max"], consts["phc-drift-max"]
        want["min-value-s"] = spec_limit(consts, checks.get("min", lo))
        want["max-value-s"] = spec_limit(consts, checks.get("max", hi))
    elif t == "string" and "max-len" in checks:
        want["max-length"] = spec_limit(consts, checks["max-len"])
    return a, want


def attr_ids(spec, aset):
    """name -> attribute id of @aset (ids count from 1, or from value)."""
    s = next(a for a in spec["attribute-sets"] if a["name"] == aset)
    ids, nxt = {}, 1
    for a in s["attributes"]:
        nxt = a.get("value", nxt)
        ids[a["name"]] = nxt
        nxt += 1
    return ids


def main():
    spec = yaml.safe_load(open(sys.argv[1]))
    msgs = json.load(open(sys.argv[2]))
    consts = {d["name"]: d["value"] for d in spec.get("definitions", [])
              if d["type"] == "const"}

    ops, pols = {}, {}
    for m in msgs:
        if "op-policy" in m:
            p = m["op-policy"]
            ops[p["op-id"]] = p
        if "policy" in m:
            p = dict(m["policy"])
            pols.setdefault(p.pop("policy-id"), {})[p.pop("attr-id")] = p

    failed = 0

    def compare(pid, aset, names, where, out):
        ids = attr_ids(spec, aset)
        byid = {v: k for k, v in ids.items()}
        got = pols.get(pid, {})
        for aid in sorted(set(got) - {ids[n] for n in names}):
            out.append(f"{where}: the kernel accepts {byid.get(aid, aid)} "
                       "the spec does not list")
        for n in names:
            a, want = expected(spec, consts, aset, n)
            k = got.get(ids[n])
            if k is None:
                out.append(f"{where}: {n} is not in the kernel's policy")
                continue
            if a["type"] == "nest":
                sub = next(s for s in spec["attribute-sets"]
                           if s["name"] == a["nested-attributes"])
                compare(k.get("policy-idx"), sub["name"],
                        [x["name"] for x in sub["attributes"]
                         if x["type"] not in ("unused", "pad")],
                        f"{where}.{n}", out)
                k = {"type": k.get("type")}
            diff = {f: (k.get(f), v) for f, v in want.items() if k.get(f) != v}
            if diff:
                out.append(f"{where}: {n}: " + ", ".join(
                    f"{f} {g} (spec {v})" for f, (g, v) in diff.items()))

    value = 0
    for op in spec["operations"]["list"]:
        value = op.get("value", value + 1)
        for kind in ("do", "dump"):
            if kind not in op:
                continue
            req = op[kind].get("request", {}).get("attributes", [])
            out = []
            pid = ops.get(value, {}).get(kind)
            if pid is None:
                if req:
                    out.append(f"{op['name']} {kind}: the kernel reports no policy")
            else:
                compare(pid, op["attribute-set"], req, f"{op['name']} {kind}", out)
            ok = not out
            failed += not ok
            print(("ok - " if ok else "not ok - ") +
                  f"{op['name']} {kind}: the kernel's policy is the spec's request")
            for line in out:
                print("#   " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
