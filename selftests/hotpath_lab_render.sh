#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab's renderer against the letter (issue 26): a fixed results.json
# of a demo run, a bench run and a real-pair run (selftests/golden/lab/, written by
# real runs on the VM's virtual clock) rendered by `hotpath-lab render` to
# text and to the HTML report, compared exactly with the golden files next
# to them; and files that cannot be rendered (not JSON, not an object, an
# older or newer schema, another schema, a field missing, of the wrong
# type or out of its set, a file that is not there) refused with exit
# status 2 and one line naming the file and the field, never a traceback.
# Needs no module, no root and no VM: it runs on the host too
# (selftests/hotpath_lab_render.sh from the tree).
#
# HP_GOLDEN_OUT=DIR writes the renderings to DIR instead of comparing (to
# update the files after a deliberate change of the output).
source "$(dirname "$0")/lib.sh"

require_cmd jq diff python3

LAB=$(hp_lab) || hp_skip "hotpath-lab not found"
GOLDEN=$(dirname "$0")/golden/lab
WORK=$(mktemp -d)
hp_defer rm -rf "$WORK"
export NO_COLOR=1

##############################################################################
# golden: the text and the HTML of each fixed results file

for name in demo bench nic; do
	RET=0
	echo "COMMAND: $LAB render $GOLDEN/$name.json --html $WORK/$name.html"
	"$LAB" render "$GOLDEN/$name.json" --html "$WORK/$name.html" > "$WORK/$name.txt" 2> "$WORK/err"
	check_err $? "render $name.json failed: $(head -n 3 "$WORK/err")"
	[ -s "$WORK/err" ] && check_err 1 "render $name.json wrote to stderr: $(head -n 3 "$WORK/err")"
	if [ -n "${HP_GOLDEN_OUT:-}" ]; then
		[ "$RET" = 0 ] || { log_test "render $name.json"; continue; }
		mkdir -p "$HP_GOLDEN_OUT"
		cp "$WORK/$name.txt" "$WORK/$name.html" "$HP_GOLDEN_OUT/"
	else
		for f in $name.txt $name.html; do
			diff -u "$GOLDEN/$f" "$WORK/$f" | head -n 40
			check_err "${PIPESTATUS[0]}" "$f differs from golden/lab/$f"
		done
	fi
	# no colour when stdout is no terminal, even without NO_COLOR
	env -u NO_COLOR "$LAB" render "$GOLDEN/$name.json" | grep -q $'\e' &&
		check_err 1 "render $name.json: colour codes on a pipe"
	log_test "render $name.json: text and HTML as golden/lab/$name.{txt,html}"
done

##############################################################################
# files that cannot be rendered

# refused WHAT FILE MESSAGE: render FILE fails with status 2 and one line
# "hotpath-lab: FILE: MESSAGE", no traceback
refused()
{
	local what=$1 f=$2 want=$3 out rc

	RET=0
	echo "COMMAND: $LAB render $f   # $what"
	out=$("$LAB" render "$f" --html "$WORK/no.html" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    /'
	check_eq "$rc" 2 "$what: exit status"
	check_eq "$out" "hotpath-lab: $f: $want" "$what: the message"
	grep -q Traceback <<< "$out" && check_err 1 "$what: a traceback"
	[ -e "$WORK/no.html" ] && check_err 1 "$what: an HTML file was written"
	log_test "render refuses $what"
}

# variant NAME JQ [FILE]: golden demo.json (or FILE) changed by JQ, as
# $WORK/NAME.json
variant()
{
	jq "$2" "$GOLDEN/${3:-demo.json}" > "$WORK/$1.json" || hp_fail "jq $2"
	echo "$WORK/$1.json"
}

printf '{"schema": "hotpath-lab/1", "mode": "demo",\n' > "$WORK/cut.json"
refused "a file that is not JSON" "$WORK/cut.json" \
	"not JSON: Expecting property name enclosed in double quotes: line 2 column 1 (char 44)"
echo '[1, 2]' > "$WORK/list.json"
refused "a list instead of an object" "$WORK/list.json" \
	'the file holds a list, expected an object with "schema": "hotpath-lab/1"'
refused "an older schema version" "$(variant old '.schema = "hotpath-lab/0"')" \
	'field schema: "hotpath-lab/0" is an older version; this hotpath-lab reads "hotpath-lab/1" (run the lab again, or render it with the hotpath-lab that wrote it)'
refused "a newer schema version" "$(variant new '.schema = "hotpath-lab/2"')" \
	'field schema: "hotpath-lab/2" is a newer version; this hotpath-lab reads "hotpath-lab/1" (render it with a newer hotpath-lab)'
refused "another schema" "$(variant other '.schema = "sockperf/1"')" \
	'field schema: "sockperf/1" is not a hotpath-lab results schema (expected "hotpath-lab/1")'
refused "no schema field" "$(variant noschema 'del(.schema)')" \
	'field schema: missing (not a hotpath-lab results file?)'
refused "a missing field" "$(variant missing 'del(.demo1.steps[3].one_way_p50_ns)')" \
	'field demo1.steps[3].one_way_p50_ns: missing'
refused "a field of the wrong type" "$(variant type '.meta.count = "500"')" \
	'field meta.count: a string, expected an integer'
refused "a stage of an unknown source" "$(variant enum '.demo1.steps[0].stages[2].source = "guessed"')" \
	'field demo1.steps[0].stages[2].source: "guessed", expected one of "measured", "modelled"'
refused "a section of the wrong type" "$(variant section '.closing = [1]')" \
	'field closing: a list, expected an object'
refused "an unknown mode" "$(variant mode '.mode = "soak"')" \
	'field mode: "soak", expected one of "demo", "bench", "nic"'
refused "a real pair's walk without its baseline" \
	"$(variant nicbase 'del(.nic.steps[] | select(.name == "interrupt"))' nic.json)" \
	'field nic.steps: no measured step "interrupt" (the baseline)'
refused "an unsupported step without its reason" \
	"$(variant nicreason 'del(.nic.steps[] | select(.name == "adaptive") | .reason)' nic.json)" \
	'field nic.steps[7].reason: missing'
refused "a file that is not there" "$WORK/none.json" \
	"cannot read: No such file or directory"

exit "$EXIT_STATUS"
