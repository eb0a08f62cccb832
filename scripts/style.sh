#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make style: checkpatch --strict on the module, uapi header and tools;
# sparse (C=2) and a W=1 build of the module, whose objects' call graph
# must have no circle (scripts/callgraph.py).  Any warning fails.
#
#   scripts/style.sh [KDIR]
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
# Without a usable KDIR: every installed header tree of the supported series.
if [ $# -gt 0 ] && [ -d "$1" ]; then
	KDIRS=("$1")
else
	mapfile -t KDIRS < <(ls -d /lib/modules/6.1.*/build /lib/modules/6.12.*/build 2>/dev/null)
fi
CHECKPATCH=$TOP/build/src/scripts/checkpatch.pl
OUT=$TOP/build/style
rc=0

[ -f "$CHECKPATCH" ] || "$TOP/scripts/deps.sh" --source-only
cd "$TOP" || exit 1

mapfile -t kfiles < <(ls kmod/*.[ch] include/uapi/linux/*.h include/hotpath/*.h 2>/dev/null |
		      grep -v "\.mod\.c$")
mapfile -t ufiles < <(find tools -name '*.[ch]' 2>/dev/null | sort)
CP=(perl "$CHECKPATCH" --strict --no-tree --quiet --show-types --max-line-length=100)
echo "style: checkpatch --strict on ${#kfiles[@]} kernel and ${#ufiles[@]} tool files"
# counters.h, stage_list.h, figures.h and settings.h are X-macro lists (dropreason-core.h's form):
# each one macro is a list, not a value, and calls its arguments once per
# entry by design.  trace.h expands them into one DEFINE_EVENT_FN(...);
# per entry, a macro ending in the semicolon a trace event definition
# takes (include/trace/events/skb.h's FN() does the same).  Everything
# else checkpatch says holds for both.
mapfile -t klists < <(printf '%s\n' "${kfiles[@]}" |
		      grep -vx 'kmod/counters.h\|kmod/stage_list.h\|kmod/trace.h\|include/hotpath/figures.h\|include/hotpath/settings.h')
"${CP[@]}" -f "${klists[@]}" || rc=1
"${CP[@]}" --ignore COMPLEX_MACRO,MACRO_ARG_REUSE -f kmod/counters.h kmod/stage_list.h || rc=1
"${CP[@]}" --ignore TRAILING_SEMICOLON -f kmod/trace.h || rc=1
# figures.h and settings.h are the same form; their field macros end in the semicolon
# a struct member takes.
"${CP[@]}" --ignore COMPLEX_MACRO,MACRO_ARG_REUSE,TRAILING_SEMICOLON -f include/hotpath/figures.h \
	include/hotpath/settings.h || rc=1
# Userspace has no __packed, BIT() or u64, and C requires volatile
# sig_atomic_t for signal flags; long JSON/printf formats read better split.
# Everything else checkpatch says holds for the tools as for the module.
"${CP[@]}" --ignore PREFER_DEFINED_ATTRIBUTE_MACRO,BIT_MACRO,PREFER_KERNEL_TYPES,VOLATILE,SPLIT_STRING,EMBEDDED_FUNCTION_NAME \
	-f "${ufiles[@]}" || rc=1

# sparse and W=1 on a copy, so the tree's objects (maybe built for another
# kernel) are left alone and C=2 checks every file.
for KDIR in "${KDIRS[@]}"; do
	mkdir -p "$OUT"
	rsync -a --delete --delete-excluded --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod*' Kbuild VERSION kmod include "$OUT/"
	echo "style: sparse (C=2) and W=1 build against $KDIR"
	make -C "$KDIR" M="$OUT" C=2 W=1 -j2 modules > "$OUT/build.log" 2>&1
	brc=$?
	if [ $brc != 0 ] || grep -qE 'warning:|error:' "$OUT/build.log"; then
		grep -E 'warning:|error:' -A3 "$OUT/build.log" | sed "s|$OUT/||g"
		[ $brc = 0 ] || tail -n 20 "$OUT/build.log"
		rc=1
	fi
	# No two files call each other in a circle (the driver's calls run one
	# way down to the NIC's hardware, engine.c; the control plane's too).
	if [ $brc = 0 ] && [ "$(uname -m)" = x86_64 ]; then
		"$TOP/scripts/callgraph.py" "$OUT/kmod" || rc=1
	fi
done
[ ${#KDIRS[@]} -gt 0 ] || { echo "style: no kernel headers found"; rc=1; }

if [ $rc = 0 ]; then
	echo "style: clean"
else
	echo "style: FAILED"
fi
exit $rc
