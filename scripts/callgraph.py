#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The module's file-level call graph, from its objects' relocations.

    scripts/callgraph.py DIR [--print]

DIR holds the built kmod/*.o.  File A calls file B when A's code has a call or
jump relocation (R_X86_64_PLT32 in a text section) to a global function B
defines.  Taking a symbol's address is not a call: device.c names ethtool.c's
handlers (and tx.c's xmit, rx.c's poll) in the ops tables it gives the
kernel, and the kernel makes those calls.  Exit 1, naming them, when some
files call each other in a circle (a strongly connected component of more
than one file); --print lists every edge with its functions.
"""
import os
import re
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def graph(objs):
    name = {o: os.path.basename(o)[:-2] for o in objs}
    defs = {}
    for o in objs:
        for line in run("nm", "--defined-only", o).splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in "TW":
                defs[f[2]] = name[o]
    calls = {}
    for o in objs:
        sec = ""
        for line in run("readelf", "-rW", o).splitlines():
            m = re.match(r"Relocation section '\.rela(\S+)'", line)
            if m:
                sec = m.group(1)
                continue
            f = line.split()
            if len(f) < 5 or f[2] != "R_X86_64_PLT32" or ".text" not in sec:
                continue
            callee = defs.get(re.split(r"[+-]", f[4])[0])
            if callee and callee != name[o]:
                calls.setdefault(name[o], {}).setdefault(callee, set()).add(
                    re.split(r"[+-]", f[4])[0])
    return sorted(name.values()), calls


def circles(nodes, edges):
    """Tarjan's strongly connected components of more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in nodes:
        if v not in index:
            visit(v)
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    objs = sorted(os.path.join(d, f) for f in os.listdir(d)
                  if f.endswith(".o") and not f.endswith(".mod.o") and f != "hotpath.o")
    if not objs:
        sys.exit(f"callgraph: no objects in {d}")
    nodes, calls = graph(objs)
    if "--print" in sys.argv:
        for a in nodes:
            for b, syms in sorted(calls.get(a, {}).items()):
                print(f"{a} -> {b}: {' '.join(sorted(syms))}")
    bad = circles(nodes, calls)
    for comp in bad:
        print("callgraph: files calling each other in a circle: " + ", ".join(comp))
        for a in comp:
            for b in comp:
                if b in calls.get(a, {}):
                    print(f"  {a} -> {b}: {' '.join(sorted(calls[a][b]))}")
    if bad:
        sys.exit(1)
    print(f"callgraph: {len(nodes)} files, {sum(len(v) for v in calls.values())} "
          "file-to-file call edges, no circle")


if __name__ == "__main__":
    main()
