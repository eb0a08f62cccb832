# SPDX-License-Identifier: GPL-2.0
"""The HTML report: one self-contained file (inline SVG and CSS, no script,
no network), drawn from the results alone.  selftests/vm/report_render.sh
checks it in chromium by its classes and ids (section#demo1, svg.walk,
svg.waterfall, rect.stage, svg.lanes, svg.rxpaths, table#closing-table)."""

from html import escape

from . import render

NIC, HOST = '#2b7bb9', '#e0902b'
W, L = 600, 90
W3 = W - 80     # Demo 3's longest path: room after it for its CPU figures

STYLE = '''<style>
body{font-family:sans-serif;margin:2em;max-width:1000px;color:#222}
h2{border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:2em}
svg text{font-family:monospace;font-size:12px}
.note{color:#555;font-size:90%}.fig{font-family:monospace;font-size:90%}
table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #bbb;padding:.25em .5em;text-align:left}
td.n{text-align:right;font-family:monospace}.key span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 1em}
.failed{color:#c0392b;font-weight:bold}
</style>'''


def esc(s):
    """&, <, > and " as entities (an apostrophe stays as it is)."""
    return escape(str(s), quote=False).replace('"', '&quot;')


def col(src):
    return NIC if src == 'modelled' else HOST


def head(r, title):
    m = r['meta']
    o = ['<!DOCTYPE html>',
         '<html lang="en"><head><meta charset="utf-8"><title>%s</title>' % esc(title),
         STYLE + '</head><body>']
    return o


def meta_line(r, what):
    m = r['meta']
    return ('<p class="meta">kernel %s, clock %s, %d datagrams of %d B %s, %s. Every figure is '
            'this run\'s own.</p>' % (esc(m['kernel']), esc(m['clock']), m['count'], m['size'], what,
                                     esc(m['date'])))


def key_line():
    return ('<p class="key">stages:<span style="background:%s"></span>NIC (modelled, waited)'
            '<span style="background:%s"></span>host (measured)</p>' % (NIC, HOST))


def demo1(d1):
    o = ['<section id="demo1"><h2>Demo 1: the transmit path, one technique at a time</h2>']
    steps = d1['steps']
    base = steps[0]['path_ns']
    if base <= 0:
        base = 1
    h = 24 * len(steps) + 10
    o.append('<svg class="walk" width="%d" height="%d" viewBox="0 0 %d %d" role="img"><title>the '
             'one-way path of every step to one scale</title>' % (L + W + 110, h, L + W + 110, h))
    for j, s in enumerate(steps):
        y = 5 + 24 * j
        x = 0.0
        o.append('<text x="0" y="%d">%s</text>' % (y + 14, esc(s['name'])))
        for st in s['stages']:
            if not st['summed']:
                continue
            v = st['p50_ns'] - (s['overlap_ns'] if st['name'] == 'tx_wire' else 0)
            v = max(v, 0)
            w = v * W / base
            o.append('<rect class="seg" data-stage="%s" x="%.1f" y="%d" width="%.1f" height="18" '
                     'fill="%s" stroke="#fff" stroke-width="0.5"><title>%s %d ns</title></rect>' % (
                         st['name'], L + x, y, w, col(st['source']), st['name'], st['p50_ns']))
            x += w
        o.append('<text x="%.1f" y="%d">%d ns</text>' % (L + x + 6, y + 14, s['path_ns']))
    o.append('</svg>')
    o.append('<p class="note">One bar per step: the stage p50s of the one-way path (hp TX to peer '
             'RX), each stage a segment, the baseline filling the width. Stages with too few '
             'samples are not summed.</p>')
    for i, s in enumerate(steps, 1):
        o.append('<div class="step" data-step="%s"><h3>%s</h3>' % (esc(s['name']),
                                                                  esc('%d. %s' % (i, s['title']))))
        if s['removes']:
            o.append('<p class="note">%s</p>' % esc(s['removes']))
        rows = s['stages']
        h = 18 * len(rows) + 24
        o.append('<svg class="waterfall" width="%d" height="%d" viewBox="0 0 %d %d" role="img">'
                 '<title>waterfall: %s</title>' % (L + 30 + W + 150, h, L + 30 + W + 150, h,
                                                   esc(s['name'])))
        x = 0
        for k, st in enumerate(rows):
            y = 4 + 18 * k
            v = st['p50_ns']
            start = x - (s['overlap_ns'] if st['name'] == 'tx_wire' else 0)
            start = max(start, 0)
            o.append('<text x="0" y="%d">%s</text>' % (y + 12, st['name']))
            if st['summed']:
                o.append('<rect class="stage" data-stage="%s" x="%.1f" y="%d" width="%.1f" '
                         'height="14" fill="%s"><title>%s %s %d ns (n=%d)</title></rect>' % (
                             st['name'], L + 30 + start * W / base, y, v * W / base,
                             col(st['source']), st['name'], st['source'], v, st['count']))
                o.append('<text x="%.1f" y="%d">%d ns</text>' % (
                    L + 30 + (start + v) * W / base + 4, y + 12, v))
                x = start + v
            else:
                o.append('<text x="%d" y="%d" fill="#888">%d ns, n=%d: too few samples, not '
                         'summed</text>' % (L + 30, y + 12, v, st['count']))
        o.append('</svg>')
        o.append('<p class="fig">end to end one-way p50 %d ns, RTT p50 %d ns; path: NIC %d ns + '
                 'host %d ns = %d ns; rounds: %s ns</p></div>' % (
                     s['one_way_p50_ns'], s['rtt_p50_ns'], s['nic_ns'], s['host_ns'], s['path_ns'],
                     esc(' '.join(str(x) for x in s['rounds_one_way_p50_ns']))))
    o.append('</section>')
    return o


LANE_FILL = {'D': '#7a7a7a', '=': NIC, 'X': '#c0392b'}


def demo2(d2):
    o = ['<section id="demo2"><h2>Demo 2: CTPIO cut-through, frame by frame</h2>']
    for g, title, end, _, lanes in render.lanes(d2):
        if end <= 0:
            end = 1
        h = 22 * len(lanes) + 30
        o.append('<h3>%s</h3>' % esc(title))
        o.append('<svg class="lanes" data-group="%s" width="%d" height="%d" viewBox="0 0 %d %d" '
                 'role="img"><title>%s</title>' % (g, 940, h, 940, h, esc(title)))
        for t in range(11):
            tx = 140 + t * 48
            o.append('<line x1="%d" y1="0" x2="%d" y2="%d" stroke="#ddd"/>' % (tx, tx, h - 16))
            o.append('<text x="%d" y="%d" fill="#888" font-size="10">%d</text>' % (
                tx - 8, h - 4, end * t // 10))
        for k, (label, start, length, ch, note) in enumerate(lanes):
            y = 4 + 22 * k
            o.append('<text x="0" y="%d">%s</text>' % (y + 13, esc(label)))
            o.append('<rect class="lane" x="%.1f" y="%d" width="%.1f" height="16" fill="%s"><title>'
                     '%s: from %d ns for %d ns</title></rect>' % (
                         140 + start * 480 / end, y, max(length, 0) * 480 / end,
                         LANE_FILL.get(ch, '#27ae60'), esc(label), start, length))
            o.append('<text x="630" y="%d">%s</text>' % (y + 13, esc(note)))
        o.append('</svg>')
    o.append('<p class="note">Time in ns from the doorbell write; lanes from the hotpath '
             'tracepoints of one frame each.</p>')
    o.append('</section>')
    return o


def demo3(d3):
    o = ['<section id="demo3"><h2>Demo 3: the receive path</h2>']
    steps = d3['steps']
    sums = [sum(st['p50_ns'] for st in s['stages'] if st['summed']) for s in steps]
    m = max(sums + [1])
    h = 30 * len(steps) + 10
    o.append('<svg class="rxpaths" width="%d" height="%d" viewBox="0 0 %d %d" role="img"><title>'
             'receive paths</title>' % (L + W + 260, h, L + W + 260, h))
    for j, s in enumerate(steps):
        y = 5 + 30 * j
        x = 0.0
        o.append('<text x="0" y="%d">%s</text>' % (y + 14, esc(s['name'])))
        for st in s['stages']:
            if not st['summed']:
                continue
            w = st['p50_ns'] * W3 / m
            o.append('<rect class="seg" data-stage="%s" x="%.1f" y="%d" width="%.1f" height="18" '
                     'fill="%s" stroke="#fff" stroke-width="0.5"><title>%s %d ns</title></rect>' % (
                         st['name'], L + x, y, w, col(st['source']), st['name'], st['p50_ns']))
            x += w
        o.append('<text x="%.1f" y="%d">%d ns; CPU %d%%, %d ns/datagram</text>' % (
            L + x + 6, y + 14, sums[j], s['cpu_pct'], s['cpu_ns_per_datagram']))
    o.append('</svg>')
    o.append('<table class="rx"><tr><th>receive</th><th>RTT p50 ns</th><th>interrupts</th>'
             '<th>busy-poll pickups</th><th>CPU (both ends)</th><th>CPU ns per delivered '
             'datagram</th></tr>')
    for s in steps:
        o.append('<tr><td>%s</td><td class="n">%d</td><td class="n">%d</td><td class="n">%d</td>'
                 '<td class="n">%d%%</td><td class="n">%d</td></tr>' % (
                     esc(s['title']), s['rtt_p50_ns'], s['interrupts'], s['busy_poll_pickups'],
                     s['cpu_pct'], s['cpu_ns_per_datagram']))
    o.append('</table></section>')
    return o


def closing(r):
    o = ['<section id="closing"><h2>What each technique bought in this run</h2>',
         '<table id="closing-table"><tr><th>technique</th><th>stage it removes or shrinks</th>'
         '<th>NIC ns saved (model)</th><th>end to end ns saved</th><th>agrees</th>'
         '<th>its price</th></tr>']
    for row in render.closing_rows(r):
        o.append('<tr><td>%s</td><td>%s</td><td class="n">%s</td><td class="n">%s</td><td>%s</td>'
                 '<td>%s</td></tr>' % tuple(esc(x) for x in row))
    o.append('</table>')
    o.append('<p class="note">NIC ns: the modelled one-way path (exact). End to end: the median '
             'round\'s one-way p50 against the previous Demo 1 step\'s. Agrees: within 25% or '
             '100 ns of the model.</p>')
    o.append('</section>')
    return o


def failures(r):
    if not r['failures']:
        return []
    return (['<section id="failures"><h2 class="failed">Failed steps</h2><ul>'] +
            ['<li>%s</li>' % esc(f) for f in r['failures']] + ['</ul></section>'])


def bench(r, bn):
    o = ['<section id="bench"><h2>One-way p50 of each configuration</h2>',
         '<table id="bench-configs"><tr><th>configuration</th><th>settings</th>'
         '<th>one-way p50 ns</th><th>rounds ns</th></tr>']
    for c in bn['configs']:
        what = c.get('desc') or c['settings'] or 'veth pair'
        if c['busy_poll_us']:
            what += '; SO_BUSY_POLL %d us' % c['busy_poll_us']
        if c['trace']:
            what += '; every hotpath tracepoint enabled'
        if c['af_xdp']:
            what += '; AF_XDP %s sockets on both ends' % c['af_xdp']
        o.append('<tr><td>%s</td><td>%s</td><td class="n">%d</td><td class="n">%s</td></tr>' % (
            esc(c['name']), esc(what), c['one_way_p50_ns'],
            esc(' '.join(str(x) for x in c['rounds_one_way_p50_ns']))))
    o.append('</table>')
    o.append('<h2>Ratios and their goals</h2><table id="bench-ratios"><tr><th>ratio</th>'
             '<th>value</th><th>from</th><th>goal</th></tr>')
    for q in bn['ratios']:
        goal = '' if not q['goal'] else '%s: %s' % (q['goal'], 'met' if q['met'] else 'NOT met')
        o.append('<tr><td>%s</td><td class="n">%.2f</td><td>%s %d / %s %d</td><td%s>%s</td></tr>'
                 % (esc(q['what']), q['ratio'], esc(q['a_name']), q['a'], esc(q['b_name']), q['b'],
                    '' if q['met'] is not False else ' class="failed"', esc(goal)))
    o.append('</table>')
    unit = 'instructions' if r['meta']['clock'] == 'virtual' else 'ns'
    o.append('<h2>What a packet pays</h2><table id="bench-ipp"><tr><th>mechanism</th>'
             '<th>%s per packet</th><th>from</th></tr>' % unit)
    for p in bn['ipp']:
        o.append('<tr><td>%s</td><td class="n">%d</td><td>%s %d - %s %d</td></tr>' % (
            esc(p['what']), p['delta'], esc(p['on_name']), p['on'], esc(p['off_name']), p['off']))
    o.append('</table>')
    # the stream and XDP_DROP figures and the closing note, as the text has them
    text = render.bench(r, bn, render.Colours(False))
    first = text[:text.index('')]
    o.append('<h2>Stream and XDP_DROP rates</h2><pre class="fig">%s</pre>' % esc('\n'.join(first)))
    o.append('<p class="note">%s</p>' % esc(' '.join(x.strip() for x in text[-5:])))
    o.append('</section>')
    return o


def nic(r, w):
    o = ['<section id="nic"><h2>The techniques on a real pair: %s &rarr; %s (%s)</h2>' % (
        esc(w['dev_a']), esc(w['dev_b']), esc(w['driver']))]
    for s in w['steps']:
        o.append('<h3>%s: %s</h3>' % (esc(s['name']), esc(s['title'])))
        if not s['supported']:
            o.append('<p class="failed">not supported by %s: %s</p>' % (esc(w['driver']),
                                                                      esc(s['reason'])))
            continue
        o.append('<table class="stages"><tr><th>port</th><th>stage</th><th>p50 ns</th>'
                 '<th>mean ns</th><th>count</th></tr>')
        for x in s['stages']:
            o.append('<tr><td>%s</td><td>%s</td><td class="n">%d</td><td class="n">%d</td>'
                     '<td class="n">%d</td></tr>' % (esc(x['port']), esc(x['name']), x['p50_ns'],
                                                     x['mean_ns'], x['count']))
        o.append('</table>')
    o.append('<h2>What each technique did, real and model</h2><table id="nic-table"><tr>'
             '<th>step</th><th>one-way p50 ns</th><th>against baseline</th>'
             '<th>model one-way p50 ns</th><th>against model baseline</th>'
             '<th>RX interrupts</th><th>CPU ns per datagram</th></tr>')
    for row in render.nic_rows(w):
        o.append('<tr>%s</tr>' % ''.join('<td>%s</td>' % esc(x) for x in row))
    o.append('</table>')
    o.append('<p class="note">%s</p>' % esc(' '.join(x.strip() for x in render.NIC_NOTE)))
    o.append('</section>')
    return o


def html(r):
    o = head(r, {'demo': 'hotpath lab report', 'bench': 'hotpath bench report',
                 'nic': 'hotpath lab report: a real pair'}[r['mode']])
    if r['mode'] == 'nic':
        o.append('<h1>hotpath lab: a real pair</h1>')
        o.append(meta_line(r, 'per step'))
        if r['nic']:
            o += nic(r, r['nic'])
    elif r['mode'] == 'bench':
        o.append('<h1>hotpath bench</h1>')
        o.append(meta_line(r, 'per run'))
        if r['bench']:
            o += bench(r, r['bench'])
    else:
        o.append('<h1>hotpath lab</h1>')
        o.append(meta_line(r, 'per step'))
        o.append(key_line())
        if r['demo1']:
            o += demo1(r['demo1'])
        if r['demo2']:
            o += demo2(r['demo2'])
        if r['demo3']:
            o += demo3(r['demo3'])
        if r['closing'] and r['demo1']:
            o += closing(r)
    o += failures(r)
    o.append('</body></html>')
    return '\n'.join(o) + '\n'
