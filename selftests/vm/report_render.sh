#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab's HTML report (hotpath-lab --report) rendered by Debian's chromium,
# headless, on the host, after the VM run that wrote it:
# - --dump-dom: the rendered document holds Demo 1's stacked walk and one
#   waterfall per step with its stage rectangles, Demo 2's three frame-lane
#   diagrams (sf, ct, poisoned) with their "first bit" notes, Demo 3's
#   receive paths with their CPU cost, and the closing table with its rows;
#   no element refers to anything outside the file;
# - --screenshot: the page is not blank (more than a few colours, and far
#   from all background).
#
# With --nic, the report of the walk on a real pair (hotpath-lab nic): its
# section, one stage table per measured step, the unsupported steps with
# their reason, and the table of the steps, real beside the model.
#
#   selftests/vm/report_render.sh [--nic] REPORT.html
# Prints KTAP; exit 0 when both checks pass, 1 otherwise, 4 (skip) without
# chromium.
set -u

NIC=0
[ "${1:-}" = --nic ] && { NIC=1; shift; }
REPORT=${1:?usage: report_render.sh [--nic] REPORT.html}
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
WORK=$(mktemp -d /tmp/hp-report.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

echo "TAP version 13"
echo "1..2"
if [ -z "$CHROMIUM" ]; then
	echo "ok 1 report renders: dom # SKIP no chromium"
	echo "ok 2 report renders: screenshot # SKIP no chromium"
	exit 4
fi
if [ ! -s "$REPORT" ]; then
	echo "# no report at $REPORT (did the lab test run on the virtual clock?)"
	echo "not ok 1 report renders: dom"
	echo "not ok 2 report renders: screenshot"
	exit 1
fi
REPORT=$(realpath "$REPORT")
# A private profile and no network: the report must stand alone.
CHROME=("$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run
	--user-data-dir="$WORK/profile" --proxy-server=127.0.0.1:9 --hide-scrollbars)
rc=0
what="the three demos and the closing table"
[ $NIC = 0 ] || what="the real pair's steps and the table beside the model"

# check WHAT COUNT_CMD OP N: the DOM has OP N matches
fail=()
need()
{
	local what=$1 pat=$2 min=$3 n

	n=$(grep -oE "$pat" "$WORK/dom.html" | wc -l)
	echo "# $what: $n (want >= $min)"
	[ "$n" -ge "$min" ] || fail+=("$what: $n, want >= $min")
}

timeout 120 "${CHROME[@]}" --dump-dom "file://$REPORT" > "$WORK/dom.html" 2> "$WORK/dom.err"
if [ ! -s "$WORK/dom.html" ]; then
	sed 's/^/# /' "$WORK/dom.err" | tail -n 20
	fail+=("chromium printed no DOM")
elif [ $NIC = 1 ]; then
	need "section nic" '<section id="nic"' 1
	need "stage tables of the measured steps" '<table class="stages"' 4
	need "steps not supported, with the reason" 'not supported by [a-z0-9]+: ' 1
	need "the table of the steps" '<table id="nic-table"' 1
	need "its rows, real beside the model" '<tr><td>' 8
else
	need "section demo1" '<section id="demo1"' 1
	need "Demo 1 stacked walk" '<svg class="walk"' 1
	need "Demo 1 waterfalls (one per step)" '<svg class="waterfall"' 5
	need "Demo 1 stage rectangles" '<rect class="stage"' 40
	need "section demo2" '<section id="demo2"' 1
	need "Demo 2 lane diagrams (sf, ct, poisoned)" '<svg class="lanes"' 3
	need "Demo 2 first-bit notes" 'first bit at [0-9]+ ns' 2
	need "Demo 2 poisoned lane" 'poisoned frame from [0-9]+ ns' 1
	need "section demo3" '<section id="demo3"' 1
	need "Demo 3 receive paths" '<svg class="rxpaths"' 1
	need "Demo 3 CPU cost" 'CPU [0-9]+%, [0-9]+ ns/datagram' 3
	need "closing table" '<table id="closing-table"' 1
	need "closing table rows" '<tr><td>' 8
	need "TX push row" '<td>TX push</td>' 1
fi
if [ -s "$WORK/dom.html" ] && grep -qE '(src|href)="(https?:)?//' "$WORK/dom.html"; then
	fail+=("the report refers to something outside itself")
fi
if [ ${#fail[@]} -eq 0 ]; then
	echo "ok 1 report renders: dom has $what"
else
	printf '# %s\n' "${fail[@]}"
	echo "not ok 1 report renders: dom has $what"
	rc=1
fi

timeout 120 "${CHROME[@]}" --window-size=1200,2400 --screenshot="$WORK/shot.png" \
	"file://$REPORT" > "$WORK/shot.err" 2>&1
if [ ! -s "$WORK/shot.png" ]; then
	sed 's/^/# /' "$WORK/shot.err" | tail -n 20
	echo "not ok 2 report renders: screenshot (none written)"
	rc=1
elif python3 - "$WORK/shot.png" <<'PY'
import struct, sys, zlib
# Decode the PNG (8-bit RGB/RGBA, as chromium writes it) and count colours.
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
i, idat, w = 8, b"", 0
while i < len(d):
    n, t = struct.unpack(">I4s", d[i:i + 8]); c = d[i + 8:i + 8 + n]; i += 12 + n
    if t == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", c[:10])
    elif t == b"IDAT":
        idat += c
bpp = {2: 3, 6: 4}[ctype]
raw, stride = zlib.decompress(idat), w * bpp
prev, pos, colours, bg, total = bytearray(stride), 0, {}, 0, 0
for y in range(h):
    f = raw[pos]; row = bytearray(raw[pos + 1:pos + 1 + stride]); pos += 1 + stride
    for x in range(stride):
        a = row[x - bpp] if x >= bpp else 0
        b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: row[x] = (row[x] + a) & 255
        elif f == 2: row[x] = (row[x] + b) & 255
        elif f == 3: row[x] = (row[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = row
    for x in range(0, stride, bpp * 4):
        px = bytes(row[x:x + 3]); colours[px] = colours.get(px, 0) + 1; total += 1
top = max(colours.values())
print("# screenshot %dx%d: %d colours, %.1f%% of the sampled pixels not background" %
      (w, h, len(colours), 100.0 * (total - top) / total))
sys.exit(0 if len(colours) >= 8 and total - top >= total // 100 else 1)
PY
then
	echo "ok 2 report renders: screenshot is not blank"
else
	echo "not ok 2 report renders: screenshot is not blank"
	rc=1
fi
exit $rc
