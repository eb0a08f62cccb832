#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The CLI's documentation agrees with its tables (host side, no module).

`hotpath help` prints the subcommands and the `set` keys from the tables in
tools/hotpath/main.c and set.c.  This checks against it:
  - hotpath(8): the commands of COMMANDS, the keys of KEYS and the words of
    each enumerated key;
  - the bash completion: the subcommands, the keys and the words it offers
    after each enumerated key;
  - hotpath(8)'s JSON section: the keys of `show` and `stats` against
    selftests/golden/show.json and stats.json (what the printer writes, as
    hotpath_golden.sh checks in the VM);
  - Documentation/cli.md's `set` key table: every key of the table;
  - the words of the enumerated keys against the spec's enums, in order;
  - Documentation/model.md's model table against include/hotpath/figures.h,
    and the range and default hotpath(8) and cli.md give each setting of
    include/hotpath/settings.h against that list;
  - the orientation: Documentation/stages.md's stage count and stage table
    against kmod/stage_list.h, Documentation/layout.md's kmod/ row against
    the files there;
  - the links: README links every reference page (Documentation/*.md and the
    spec), and every relative link of README, Documentation/, selftests/ and
    tools/*/README.md names a file that exists and, with #anchor, a heading
    of it.
Prints one "ok"/"not ok" line per check; exit 1 if any failed.

  scripts/cli_tables.py [HOTPATH]   (default: tools/hotpath/hotpath, built)

Debian's python3: the spec is read with python3-yaml (scripts/deps.sh).
"""
import glob
import json
import os
import re
import shlex
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI_DIR = os.path.join(TOP, "tools", "hotpath")
failed = 0


def check(ok, what, detail=""):
    global failed
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        failed += 1
        for line in detail.splitlines():
            print("#   " + line)


def differ(a, b, name_a, name_b):
    a, b = set(a), set(b)
    out = []
    if a - b:
        out.append(f"only in {name_a}: {' '.join(sorted(a - b))}")
    if b - a:
        out.append(f"only in {name_b}: {' '.join(sorted(b - a))}")
    return "\n".join(out)


def help_tables(cli):
    text = subprocess.run([cli, "help"], check=True, capture_output=True, text=True).stdout
    subs, keys, section = [], {}, None
    for line in text.splitlines():
        if line in ("subcommands:", "set keys:"):
            section = line
        elif not line.startswith("  "):
            section = None
        elif section == "subcommands:":
            subs.append(line.split()[0])
        elif section == "set keys:":
            key, value = line.split()
            # enumerated: the words; else a placeholder (N, T, BW, ...)
            words = [w for w in value.split("|") if not w.isupper()]
            keys[key] = words
    return subs, keys


def roff_words(line):
    """The bold words of a .B/.BR/.BI line, \\- unescaped."""
    macro, _, rest = line.partition(" ")
    rest = rest.replace("\\-", "-")
    if macro == ".B":
        return [re.sub(r"\\f[RBIP]", " ", rest).split()[0]], rest
    tokens = shlex.split(rest)
    bold = tokens[0::2] if macro in (".BR", ".BI") else tokens[1::2]
    return [t for t in bold if t.strip() and not t.startswith(" ")], rest


def man_paragraphs(path):
    """KEYS of hotpath(8): each key's paragraph as plain text."""
    lines = open(path, encoding="utf-8").read().split("\n")
    start = lines.index(".SH KEYS")
    paras, keys = {}, []
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.startswith(".SH "):
            break
        if line == ".TP":
            keys = roff_words(lines[i + 1])[0]
            for k in keys:
                paras[k] = ""
            continue
        text = re.sub(r"\\f[RBIP]", "", line.replace("\\-", "-"))
        text = re.sub(r"^\.[A-Z]+ ?", "", text).replace('"', "")
        for k in keys:
            paras[k] += " " + text
    return paras


def man_tables(path):
    sections, cur = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith(".SH "):
            cur = line[4:].strip()
            sections[cur] = []
        elif cur:
            sections[cur].append(line)
    cmds, keys = [], {}
    for name, dest in (("COMMANDS", cmds), ("KEYS", keys)):
        lines = sections.get(name, [])
        for i, line in enumerate(lines[:-1]):
            if line != ".TP":
                continue
            words, rest = roff_words(lines[i + 1])
            if name == "COMMANDS":
                if not words[0].startswith("-"):
                    dest.append(words[0])
                continue
            for w in words:
                dest[w] = []
            # ".B key a\fR|\fBb": the words of an enumerated key
            m = re.match(r"(\S+) (\S+\\fR\|.*)", rest)
            if m:
                dest[m.group(1)] = re.sub(r"\\f[RB]", "", m.group(2)).split("|")
    json_text = " ".join(sections.get("JSON", []))
    return cmds, keys, json_text


def completion_tables(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'local keys="([^"]*)"', text)
    keys = m.group(1).split() if m else []
    m = re.search(r'if \[\[ -z \$cmd \]\]; then\s*COMPREPLY=\(\$\(compgen -W "([^"]*)"', text)
    subs = [w for w in (m.group(1).split() if m else []) if not w.startswith("-")]
    values = {}
    for pat, words in re.findall(r'^\s*([a-z|-]+)\) COMPREPLY=\(\$\(compgen -W "([^"]*)"', text, re.M):
        for k in pat.split("|"):
            values[k] = words.split()
    return subs, keys, values


def json_keys(value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            json_keys(v, out)
    elif isinstance(value, list):
        for v in value:
            json_keys(v, out)
    return out


def main():
    if len(sys.argv) > 1:
        cli = sys.argv[1]
    else:
        subprocess.run(["make", "-s", "-C", CLI_DIR, "hotpath"], check=True)
        cli = os.path.join(CLI_DIR, "hotpath")
    subs, keys = help_tables(cli)
    man_cmds, man_keys, man_json = man_tables(os.path.join(CLI_DIR, "hotpath.8"))
    comp_subs, comp_keys, comp_values = completion_tables(
        os.path.join(CLI_DIR, "completion", "hotpath.bash"))

    check(subs and man_cmds == subs, "hotpath(8) COMMANDS lists the subcommands of the table, in order",
          f"table: {subs}\nman:   {man_cmds}")
    check(comp_subs == subs, "the completion offers the subcommands of the table",
          f"table: {subs}\ncompletion: {comp_subs}")
    check(set(man_keys) == set(keys), "hotpath(8) KEYS documents the keys of set's table",
          differ(keys, man_keys, "the table", "hotpath(8)"))
    check(set(comp_keys) == set(keys), "the completion offers the keys of set's table",
          differ(keys, comp_keys, "the table", "the completion"))
    for key, words in keys.items():
        if not words or key == "link-speed":
            continue
        check(sorted(man_keys.get(key, [])) == sorted(words),
              f"hotpath(8) gives {key} the words {'|'.join(words)}",
              f"hotpath(8): {man_keys.get(key)}")
        check(sorted(comp_values.get(key, [])) == sorted(words),
              f"the completion offers {key} the words {'|'.join(words)}",
              f"completion: {comp_values.get(key)}")
    check(comp_values.get("link-speed") == keys.get("link-speed"),
          "the completion offers link-speed the speeds help names",
          f"help: {keys.get('link-speed')}\ncompletion: {comp_values.get('link-speed')}")

    # JSON keys: every key the printer writes is documented, and no other
    doc = set(re.findall(r"\\fB([a-z0-9_]+)\\fR", man_json))
    for line in man_json.split(" ."):
        if line.startswith(("B ", "BR ")):
            words, _ = roff_words("." + line)
            doc |= set(w for w in words if re.fullmatch(r"[a-z0-9_]+", w))
    for name in ("show.json", "stats.json"):
        path = os.path.join(TOP, "selftests", "golden", name)
        with open(path, encoding="utf-8") as f:
            text = re.sub(r"@[A-Z0-9]+@", "0", f.read())
        keys_out = json_keys(json.loads(text), set())
        missing = keys_out - doc
        check(not missing, f"hotpath(8) JSON names every key of golden/{name}",
              f"undocumented: {' '.join(sorted(missing))}")
    check(set(keys) <= set(doc_keys()), f"{CLI_DOC}'s set key table names every key of set's table",
          f"missing: {' '.join(sorted(set(keys) - set(doc_keys())))}")
    enum_words(keys)
    model_tables()
    settings_tables()
    orientation()
    links()
    return 1 if failed else 0


# The reference pages the README links, and what this script reads of them.
CLI_DOC = "Documentation/cli.md"          # the `set` key table
MODEL_DOC = "Documentation/model.md"      # the model table
STAGES_DOC = "Documentation/stages.md"    # the stage count and table
LAYOUT_DOC = "Documentation/layout.md"    # the kmod/ row


def doc_section(page, title):
    """The lines of PAGE's section headed exactly TITLE (any level), up to
    the next heading."""
    out, inside = [], False
    with open(os.path.join(TOP, page), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                inside = line.lstrip("#").strip() == title
                continue
            if inside:
                out.append(line.rstrip("\n"))
    return out


def orientation():
    """stages.md's stage count and stage table and layout.md's kmod/ row are the tree's."""
    with open(os.path.join(TOP, "kmod", "stage_list.h"), encoding="utf-8") as f:
        stages = re.findall(r"^\s*S\(\w+,\s*(\w+),", f.read(), re.M)
    check(len(stages) > 0, "kmod/stage_list.h lists the stages")
    text = doc_section(STAGES_DOC, "Stages")
    count = re.search(r"split into (\d+) stages", " ".join(text))
    check(count is not None and int(count.group(1)) == len(stages),
          f"{STAGES_DOC} counts the {len(stages)} stages of stage_list.h",
          f"{STAGES_DOC} says: {count.group(0) if count else 'no count'}")
    table = [m.group(1) for line in text if (m := re.match(r"\|\s*`([a-z_]+)`\s*\|", line))]
    check(table == stages, f"{STAGES_DOC}'s stage table names stage_list.h's stages, in order",
          f"stage_list.h: {' '.join(stages)}\n{STAGES_DOC}: {' '.join(table)}")
    row = next((line for line in doc_section(LAYOUT_DOC, "Layout")
                if line.startswith("| `kmod/` |")), "")
    named = set(re.findall(r"`([a-z_]+\.[ch])`", row))
    files = {f for f in os.listdir(os.path.join(TOP, "kmod"))
             if f.endswith(".c") and not f.endswith(".mod.c")}
    files |= {f for f in os.listdir(os.path.join(TOP, "kmod")) if f == "port.h"}
    check(files <= named, f"{LAYOUT_DOC}'s table names every kmod/*.c file (and port.h)",
          differ(files, named & files, "kmod/", LAYOUT_DOC))


def slug(heading, seen):
    """GitHub's anchor of a heading: lower case, punctuation but - and _
    dropped, spaces to -; a repeated one gets -1, -2, ..."""
    s = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    s = re.sub(r"[^\w\- ]", "", s).replace(" ", "-")
    n = seen.get(s, 0)
    seen[s] = n + 1
    return f"{s}-{n}" if n else s


def md_links(path):
    """(target, anchor) of every [text](target#anchor) of a Markdown file,
    outside fenced code and code spans, and the anchors of its headings."""
    found, anchors, seen, fence = [], set(), {}, False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("```"):
                fence = not fence
                continue
            if fence:
                continue
            if line.startswith("#"):
                anchors.add(slug(line.lstrip("#"), seen))
            text = re.sub(r"`[^`]*`", "", line)
            for target in re.findall(r"\]\(([^)\s]+)\)", text):
                if re.match(r"[a-z]+:", target):
                    continue  # http:, https:, mailto:
                file, _, anchor = target.partition("#")
                found.append((file, anchor))
    return found, anchors


def links():
    """README links each reference page; every relative link resolves."""
    pages = sorted(glob.glob("Documentation/*.md", root_dir=TOP))
    pages.append("Documentation/netlink/specs/hotpath.yaml")
    readme, _ = md_links(os.path.join(TOP, "README.md"))
    linked = {os.path.normpath(file) for file, _ in readme if file}
    missing = [p for p in pages if p not in linked]
    check(not missing, "README links every reference page (Documentation/*.md, the spec)",
          f"not linked: {' '.join(missing)}")
    docs = ["README.md"] + sorted(glob.glob("Documentation/**/*.md", root_dir=TOP, recursive=True))
    docs += ["selftests/README.md"] + sorted(glob.glob("tools/*/README.md", root_dir=TOP))
    bad, n, heads = [], 0, {}
    for doc in docs:
        for file, anchor in md_links(os.path.join(TOP, doc))[0]:
            n += 1
            target = os.path.normpath(os.path.join(os.path.dirname(doc), file)) if file else doc
            if not os.path.exists(os.path.join(TOP, target)):
                bad.append(f"{doc}: {file}: no such file")
                continue
            if anchor and target.endswith(".md"):
                if target not in heads:
                    heads[target] = md_links(os.path.join(TOP, target))[1]
                if anchor not in heads[target]:
                    bad.append(f"{doc}: {file}#{anchor}: no such heading in {target}")
    check(n > 0 and not bad, f"the {n} relative links of README, Documentation/, selftests/ and "
          "tools/*/README.md resolve (file and #anchor)", "\n".join(bad))


def model_tables():
    """model.md's model table gives figures.h's keys, JSON names and values."""
    with open(os.path.join(TOP, "include", "hotpath", "figures.h"), encoding="utf-8") as f:
        src = f.read()
    figs = [dict(zip(("attr", "field", "key", "kind", "realistic", "seed", "row"),
                     (x.strip().strip('"') for x in m.group(1).split(","))))
            for m in re.finditer(r"^\s*F\(([^)]*)\)", src, re.M)]
    check(len(figs) > 0, "include/hotpath/figures.h lists the model's figures")
    # key (`hotpath set`) | JSON (`model`) | unit | realistic | seed | ...
    rows = {}
    with open(os.path.join(TOP, MODEL_DOC), encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) > 4 and re.fullmatch(r"`[a-z-]+`", cells[0]):
                rows.setdefault(cells[0].strip("`"), cells)
    bad = []
    for fig in figs:
        c = rows.get(fig["key"])
        want = [fig["realistic"], fig["seed"]]
        if c is None:
            bad.append(f"{fig['key']}: no row")
            continue
        if c[3:5] != want:
            bad.append(f"{fig['key']}: {c[3:5]}, figures.h {want}")
        if c[1] != f"`{fig['field']}`":
            bad.append(f"{fig['key']}: JSON {c[1]}, figures.h {fig['field']}")
    check(not bad, f"{MODEL_DOC}'s model table gives figures.h's keys, JSON names and both "
          "profiles' values", "\n".join(bad))


def enum_words(keys):
    """The words `set` takes for an enumerated key are the spec's entries, in value order."""
    import yaml  # python3-yaml: the kernel's YNL tools need it too
    with open(os.path.join(TOP, "Documentation", "netlink", "specs", "hotpath.yaml"),
              encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    enums = {d["name"]: [e["name"] if isinstance(e, dict) else e for e in d["entries"]]
             for d in spec["definitions"] if d["type"] == "enum"}
    bad = []
    for key, enum in (("rx-mode", "rx-mode"), ("ctpio", "ctpio-mode"),
                      ("timing", "timing"), ("profile", "profile")):
        if keys.get(key) != enums.get(enum):
            bad.append(f"{key}: set takes {keys.get(key)}, the spec's {enum} is {enums.get(enum)}")
    check(not bad, "set's words for rx-mode, ctpio, timing and profile are the spec's enums",
          "\n".join(bad))


def doc_keys():
    """cli.md's `set` key table: key -> its "values (default)" cell."""
    keys, inside = {}, False
    with open(os.path.join(TOP, CLI_DOC), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                inside = line.lstrip("#").strip() == "`set` keys"
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            if inside and len(cells) == 3 and cells[0].startswith("`"):
                for key in re.findall(r"`([a-z-]+)`", cells[0]):
                    keys.setdefault(key, cells[1])
    return keys


def settings_tables():
    """hotpath(8) and cli.md give each setting's range and default as settings.h."""
    defs = {}
    for hdr in (("include", "uapi", "linux", "hotpath.h"), ("include", "hotpath", "settings.h")):
        with open(os.path.join(TOP, *hdr), encoding="utf-8") as f:
            src = f.read()
        defs.update(re.findall(r"^#define\s+(\w+)\s+(\d+)\s*$", src, re.M))
    flat = src.replace("\\\n", " ")
    sets = [dict(zip(("nest", "attr", "field", "key", "kind", "min", "max", "def"),
                     (defs.get(v, v) for v in
                      (x.strip().strip('"') for x in m.group(1).split(",")))))
            for m in re.finditer(r"\bF\((\w+,[^)]*)\)", flat)
            if not m.group(1).startswith("nest,")]  # the comment's template
    check(len(sets) > 0, "include/hotpath/settings.h lists the settings")
    man = man_paragraphs(os.path.join(CLI_DIR, "hotpath.8"))
    doc = doc_keys()
    bad = []
    for st in sets:
        rng, key = f"{st['min']}..{st['max']}", st["key"]
        para = man.get(key, "")
        if rng not in para or not re.search(rf"\(default {st['def']}\b", para):
            bad.append(f"hotpath(8) {key}: wants {rng} and (default {st['def']}): {para.strip()}")
        cell = doc.get(key, "")
        if rng not in cell or not re.search(rf"\({st['def']}\b", cell):
            bad.append(f"{CLI_DOC} {key}: wants {rng} and ({st['def']}): {cell}")
    check(not bad, f"hotpath(8) and {CLI_DOC} give settings.h's range and default of every setting",
          "\n".join(bad))
    # the CTPIO mode moves ctpio-max-frame's default: both paragraphs say to what
    ct, other = defs.get("HP_CTPIO_DEFAULT_MAX_FRAME_CT"), defs.get("HP_CTPIO_DEFAULT_MAX_FRAME")
    wants = {"ctpio": f"({ct} in ct, otherwise {other})",
             "ctpio-max-frame": f"(default {other}, {ct} in ct)"}
    bad = [f"hotpath(8) {key}: wants {want}: {man.get(key, '').strip()}"
           for key, want in wants.items() if want not in " ".join(man.get(key, "").split())]
    check(ct is not None and other is not None and not bad,
          "hotpath(8) gives settings.h's per-mode ctpio-max-frame defaults", "\n".join(bad))


if __name__ == "__main__":
    sys.exit(main())
