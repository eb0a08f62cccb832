# SPDX-License-Identifier: GPL-2.0
"""hotpath-lab: the lab (demos, bench) as a program that writes one
results.json per run, and renders text and an HTML report from it.

  net.py      the setup and traffic it stands on (shared with selftests/lib.sh)
  steps.py    the demos, the closing table's inputs and the bench
  results.py  results.json: schema, check, load and write
  render.py   the text
  report.py   the HTML/SVG report
  cli.py      the command line
"""
