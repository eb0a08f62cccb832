# SPDX-License-Identifier: GPL-2.0
"""The lab's text, rendered from the results alone (results.py checked
them).  A run prints each part as it finishes; `hotpath-lab render` prints
them all, and the two are the same text.

Colour (on a terminal, not with NO_COLOR) marks NIC (modelled) and host
(measured) stages; without colour the glyphs tell them apart: '=' and
upper case for the NIC, '#' and lower case for the host.
"""

from .steps import STAGE_KEYS

BAR_W = 50      # per-stage bars: the step's largest stage fills this
PATH_W = 72     # stacked bars: the baseline's one-way path fills this


class Colours:
    def __init__(self, on):
        self.nic, self.host, self.off = ('\033[36m', '\033[33m', '\033[0m') if on else ('', '', '')


def bars(rows, c):
    """Stage rows as bars scaled to the largest stage (never clipped)."""
    out = []
    mx = max([r['p50_ns'] for r in rows] + [0])
    for r in rows:
        w = int(r['p50_ns'] * BAR_W / mx + 0.5) if mx else 0
        nic = r['source'] == 'modelled'
        bar = ('=' if nic else '#') * w
        pad = ' ' * max(BAR_W - w, 0)
        out.append('    %-13s %-8s %s%s%s%s %8d ns  (mean %d, n=%d)%s' % (
            r['name'], r['source'], c.nic if nic else c.host, bar, c.off, pad, r['p50_ns'],
            r['mean_ns'], r['count'], '' if r['summed'] else ', too few samples: not summed'))
    return out


KEY = dict(STAGE_KEYS)


def stacked(label, rows, sc, ov, c):
    """The summed stage rows as one bar, each stage a segment (OV ns of
    tx_wire run under tx_dma and are not drawn twice)."""
    cum = 0
    line = ''
    for r in rows:
        if not r['summed']:
            continue
        v = r['p50_ns'] - (ov if r['name'] == 'tx_wire' else 0)
        v = max(v, 0)
        a = int(cum / sc + 0.5)
        cum += v
        b = int(cum / sc + 0.5)
        seg = KEY.get(r['name'], '?') * (b - a)
        if seg:
            line += (c.nic if r['source'] == 'modelled' else c.host) + seg + c.off
    return '    %-11s |%s| %d ns' % (label, line, cum)


def stacked_key():
    items = ['%s %s' % (k, n) for n, k in STAGE_KEYS]
    lines = []
    for i in range(0, len(items), 7):
        lines.append('      ' + ', '.join(items[i:i + 7]))
    lines.append('      upper case: NIC (modelled, waited); lower case: host (measured)')
    return lines


def scale(path, width=PATH_W):
    """ns per character, as the lab rounds it (to 0.001)."""
    return float('%.3f' % (path / width if path > 0 else 1))


def d1_scale(d1):
    return scale(d1['steps'][0]['path_ns'])


def d3_scale(d3):
    m = max([sum(r['p50_ns'] for r in s['stages'] if r['summed']) for s in d3['steps']] + [0])
    return scale(m)


def header(r):
    m = r['meta']
    return ['hotpath lab on %s: %s <-> %s, %d datagrams per step' % (
        m['kernel'], m['dev_a'], m['dev_b'], m['count'])]


##############################################################################
# Demo 1

def demo1_head(r, d1):
    m = r['meta']
    return ['', '=== Demo 1: the transmit path, one technique at a time ===',
            'Ping-pong %s (%s, 10.0.0.1) <-> %s (%s, 10.0.0.2), %d datagrams of %d B each step; '
            'bars: one-way path %s TX -> %s RX, stage p50s.' % (
                m['dev_a'], m['ns_a'], m['dev_b'], m['ns_b'], m['count'], m['size'], m['dev_a'],
                m['dev_b']),
            'Timing enforced: the NIC engine waits every modelled delay, so the application feels it.',
            'Measuring: %d rounds of the %d steps (and of ctpio sf/ct at 25 Gb/s for the closing '
            'table) in turn; each step shows its median round.' % (m['rounds'], len(d1['steps']))]


def demo1(r, d1, c):
    m = r['meta']
    out = []
    sc = d1_scale(d1)
    by = {s['name']: s for s in d1['steps']}
    for i, s in enumerate(d1['steps'], 1):
        out += ['', '--- %d. %s ---' % (i, s['title'])]
        if s['removes']:
            out.append('    ' + s['removes'])
        out += bars(s['stages'], c)
        out.append(stacked('to scale:', s['stages'], sc, s['overlap_ns'], c))
        if s['overlap_ns'] > 0:
            out.append('    %-22s %d ns of tx_wire run under the PIO write (cut-through)' % (
                'overlap:', s['overlap_ns']))
        out.append('    %-22s one-way p50 %d ns, RTT p50 %d ns (%d datagrams of %d B; median of '
                   'rounds with one-way p50s %sns)' % (
                       'measured end to end:', s['one_way_p50_ns'], s['rtt_p50_ns'], m['count'],
                       m['size'], ' '.join(str(x) for x in s['rounds_one_way_p50_ns'])))
        out.append('    %-22s NIC %d ns (modelled, waited) + host %d ns (measured stage p50s) = %d ns'
                   % ('one-way path:', s['nic_ns'], s['host_ns'], s['path_ns']))
        p = by.get(s['compared_with']) if s['compared_with'] else None
        if p:
            out.append('    saved against %s: NIC %d ns (the model), end to end %d ns (median '
                       'rounds), host stages %+d ns' % (
                           p['name'], p['nic_ns'] - s['nic_ns'],
                           p['one_way_p50_ns'] - s['one_way_p50_ns'], s['host_ns'] - p['host_ns']))
    out += ['', '--- the same step split by hardware timestamps (ethtool -T, SO_TIMESTAMPING) ---']
    h = d1['hwts']
    if not h['ok']:
        out.append('    (no hardware-stamped run: %s)' % h['error'])
    else:
        out.append('    %-36s p50 %7d ns   stages tx_stack..tx_dma: %d ns' % (
            'host TX (send -> first bit out):', h['host_tx_ns'], h['tx_stages_ns']))
        out.append('    %-36s p50 %7d ns   stage tx_wire (model): %d ns' % (
            'wire (-> last bit in at %s):' % m['dev_b'], h['wire_ns'], h['tx_wire_ns']))
        out.append('    %-36s p50 %7d ns   stages rx_dma..rx_wakeup: %d ns' % (
            'host RX (-> the server\'s recv):', h['host_rx_ns'], h['rx_stages_ns']))
        out.append('    stamps from each NIC\'s PTP clock, mapped to CLOCK_MONOTONIC within %d ns; '
                   'under ct the first bit leaves before the PIO write ends, so host TX is less '
                   'than its stages\' sum' % h['phc_map_window_ns'])
    out += ['', '  Demo 1, the one-way path of every step to one scale (%.0f ns per character):' % sc]
    for s in d1['steps']:
        out.append(stacked(s['name'], s['stages'], sc, s['overlap_ns'], c))
    out += stacked_key()
    out.append('')
    out.append('  Demo 1, one-way p50 end to end: ' + ' -> '.join(
        '%s %d' % (s['name'], s['one_way_p50_ns']) for s in d1['steps']) + ' ns')
    out.append('  Demo 1, NIC part of the path:   ' + ' -> '.join(
        '%s %d' % (s['name'], s['nic_ns']) for s in d1['steps']) + ' ns')
    return out


##############################################################################
# Demo 2

def lanes(d2):
    """The three frame diagrams: (group, title, text title, end_ns, scale,
    lanes of (label, start_ns, len_ns, char, note))."""
    sf, ct = d2['sf'], d2['ct']
    sc = max((sf['end_ns'] + 71) // 72, 1)
    groups = [
        ('sf', 'store-and-forward (ctpio sf): the NIC buffers the whole frame, then sends',
         sf['end_ns'], sc, [
             ('doorbell', 0, sf['doorbell_ns'], 'D', '%d ns' % sf['doorbell_ns']),
             ('over PCIe (PIO)', sf['doorbell_ns'], sf['pio_ns'], '=',
              'arrived complete at %d ns' % (sf['doorbell_ns'] + sf['pio_ns'])),
             ('on the wire', sf['first_ns'], sf['wire_ns'], '#',
              'first bit at %d ns, last at %d ns' % (sf['first_ns'], sf['end_ns']))]),
        ('ct', 'cut-through (ctpio ct): the wire starts after %d B of the write' % d2['thresh'],
         sf['end_ns'], sc, [
             ('doorbell', 0, ct['doorbell_ns'], 'D', '%d ns' % ct['doorbell_ns']),
             ('over PCIe (PIO)', ct['doorbell_ns'], ct['pio_ns'], '=',
              'arrived complete at %d ns' % (ct['doorbell_ns'] + ct['pio_ns'])),
             ('on the wire', ct['first_ns'], ct['wire_ns'], '#',
              'first bit at %d ns, last at %d ns' % (ct['first_ns'], ct['end_ns']))])]
    p = d2['poison']
    if p:
        psc = max((p['end_ns'] + 71) // 72, 1)
        groups.append((
            'poison', 'the same frame at 25 Gb/s in ct: poisoned (bad FCS), then the fallback DMA copy',
            p['end_ns'], psc, [
                ('doorbell', 0, p['doorbell_ns'], 'D', '%d ns' % p['doorbell_ns']),
                ('over PCIe (PIO)', p['doorbell_ns'], p['pio_ns'], '=',
                 'written by %d ns' % (p['doorbell_ns'] + p['pio_ns'])),
                ('on the wire', p['poison_first_ns'], p['wire_ns'], 'X',
                 'poisoned frame from %d ns (bad FCS)' % p['poison_first_ns']),
                ('fallback fetch+DMA', p['fallback_ns'], p['fetch_ns'] + p['dma_ns'], '=',
                 '%d + %d ns' % (p['fetch_ns'], p['dma_ns'])),
                ('on the wire', p['good_first_ns'], p['wire2_ns'], '#',
                 'good copy from %d ns, last bit %d ns' % (p['good_first_ns'], p['end_ns']))]))
    return groups


def lane(label, start, length, sc, ch, note):
    a = int(start / sc + 0.5)
    b = int((start + length) / sc + 0.5)
    if b <= a and length > 0:
        b = a + 1
    line = ' ' * a + ch * max(b - a, 0)
    return '    %-18s|%-72s| %s' % (label, line, note)


def axis(sc):
    line = ''.join('-' if i % 10 else '+' for i in range(72))
    return '    %-18s|%s| ns, one char = %d ns, + every %d ns' % ('', line, sc, 10 * sc)


def demo2_head(r, d2):
    out = ['', '=== Demo 2: CTPIO cut-through, frame by frame ===']
    if d2:
        out.append('One UDP datagram of %d B, %s -> %s, at %d Gb/s, captured with the hotpath:tx_* '
                   'tracepoints (%s).' % (d2['frame_payload'], r['meta']['dev_a'],
                                          r['meta']['dev_b'], d2['link_mbps'] // 1000, d2['tracefs']))
    return out


def demo2(r, d2, c):
    m = r['meta']
    sf, ct = d2['sf'], d2['ct']
    g = lanes(d2)
    out = ['Frame: %d B; recorded stages (ns): doorbell, PIO write (tx_dma), wire (tx_wire incl. PHY):'
           % d2['len'],
           '  sf seq %d: %d, %d, %d; ct seq %d: %d, %d, %d' % (
               sf['seq'], sf['doorbell_ns'], sf['pio_ns'], sf['wire_ns'], ct['seq'],
               ct['doorbell_ns'], ct['pio_ns'], ct['wire_ns'])]
    for name, title, end, sc, ls in g[:2]:
        out += ['', '  ' + title, axis(sc)]
        out += [lane(lb, s, n, sc, ch, note) for lb, s, n, ch, note in ls]
    out += ['', '  cut-through puts the first bit on the wire %d ns earlier and the last bit %d ns '
            'earlier' % (sf['first_ns'] - ct['first_ns'], sf['end_ns'] - ct['end_ns'])]
    out += ['', '  The price: the same frame at 25 Gb/s in ct (host PIO %d Mb/s < link)'
            % d2['host_pio_mbps']]
    p = d2['poison']
    if p:
        name, title, end, sc, ls = g[2]
        out.append(axis(sc))
        out += [lane(lb, s, n, sc, ch, note) for lb, s, n, ch, note in ls]
        out.append('  counters: %s ctpio_poisoned %d, %s rx_crc_errors %d, %s rx_packets %d (the '
                   'fallback copy arrived)' % (m['dev_a'], p['ctpio_poisoned'], m['dev_b'],
                                               p['rx_crc_errors'], m['dev_b'], p['rx_packets']))
        out.append('  poisoning cost this frame %d ns to its last good bit instead of %d ns at 10G ct'
                   % (p['end_ns'], ct['end_ns']))
    return out


##############################################################################
# Demo 3

def demo3_head(r, d3):
    m = r['meta']
    return ['', '=== Demo 3: the receive path ===',
            'Same ping-pong; bars: %s\'s RX stages (p50); %d rounds in turn, median shown.' % (
                m['dev_b'], m['rounds'])]


def demo3(r, d3, c):
    m = r['meta']
    out = []
    sc = d3_scale(d3)
    for s in d3['steps']:
        out += ['', '--- %s%s ---' % (s['title'], s['note'])]
        out += bars(s['stages'], c)
        out.append(stacked('to scale:', s['stages'], sc, 0, c))
        out.append('    RTT p50 %d ns; %d interrupts on %s, %d busy-poll pickups, %d watchdog fires'
                   % (s['rtt_p50_ns'], s['interrupts'], m['dev_b'], s['busy_poll_pickups'],
                      s['watchdog_fires']))
        out.append('    CPU, both ends, user+sys: %d us in %d us = %d%% of the %d CPUs; %d ns of CPU '
                   'per delivered datagram' % (s['cpu_us'], s['duration_ns'] // 1000, s['cpu_pct'],
                                               m['ncpu'], s['cpu_ns_per_datagram']))
    st = d3['stream']
    if st:
        i, k = st['irq'], st['coalesce']
        out += ['', '--- what coalescing buys: a stream of %d datagrams, %d/s (no ping-pong) ---' % (
            st['count'], st['rate'])]
        out.append('    %s raised %d interrupts for %d frames without coalescing, %d for %d with '
                   'rx-usecs 50' % (m['dev_b'], i['interrupts'], i['received'], k['interrupts'],
                                    k['received']))
        a = st.get('adaptive')
        if a:
            out.append('    with adaptive-rx on: %d interrupts for %d frames, DIM moved the RX vector '
                       '%d times' % (a['interrupts'], a['received'], a.get('dim_moves') or 0))
        if i['received'] != st['count'] or k['received'] != st['count']:
            def drops(d):
                return ','.join('%s=%d' % kv for kv in d.items()) or '-'
            out.append('    not received: %s\'s drops %s / %s, the server socket\'s overflows %d / %d'
                       % (m['dev_b'], drops(i['drops']), drops(k['drops']), i['rcvbuf_errors'],
                          k['rcvbuf_errors']))
    return out


##############################################################################
# The closing table

def closing_rows(r):
    """(technique, stage, NIC ns saved, end to end ns saved, agree, price)
    as display strings; the text and the HTML report draw the same rows."""
    c = r['closing']
    sv = c['savings']
    d3 = r.get('demo3')
    s1 = {s['name']: s for s in r['demo1']['steps']}
    s3 = {s['name']: s for s in d3['steps']} if d3 else {}

    def q(v):
        return '?' if v is None else str(v)

    def yn(v):
        return '' if v is None else ('yes' if v else 'no')
    cpu = (lambda n, k: s3[n][k] if n in s3 else None)
    rows = [('busy-poll receive', 'rx_irq + rx_napi -> rx_busy_poll', '-', str(sv['busy-poll']['e2e_ns']),
             '', 'CPU %s%% vs %s%% of %d; %s vs %s ns/datagram' % (
                 q(cpu('busy-poll', 'cpu_pct')), q(cpu('irq', 'cpu_pct')), r['meta']['ncpu'],
                 q(cpu('busy-poll', 'cpu_ns_per_datagram')), q(cpu('irq', 'cpu_ns_per_datagram'))))]
    for n, t, st, price in (('tx-push', 'TX push', 'tx_fetch (one PCIe read)', 'only when the ring is empty'),
                            ('ctpio-sf', 'CTPIO sf', 'tx_fetch + tx_dma -> PIO write',
                             'CPU writes the frame; <= max-frame'),
                            ('ctpio-ct', 'CTPIO ct', 'tx_wire overlaps the PIO write',
                             'at 25G poisoned: see below')):
        rows.append((t, st, q(sv[n]['model_ns']), str(sv[n]['e2e_ns']), yn(sv[n]['agree']), price))
    p = sv['poison-25g']
    rows.append(('  poisoned at 25G', 'ct frame resent by DMA (vs sf)', q(p['model_ns']),
                 str(p['e2e_ns']), yn(p['agree']), 'a CRC error at the peer per frame'))
    rows.append(('  1042 B frame', 'last bit on the wire (Demo 2)', q(c['ct_frame_saved_ns']), '', '', ''))
    rows.append(('rx coalescing 50 us', 'rx_irq grows by the wait', '',
                 q(c['coalesce_rtt_saved_ns']), '', 'RTT; stream: %s -> %s interrupts' % (
                     q(c['stream_interrupts_irq']), q(c['stream_interrupts_coalesce']))))
    rows.append(('kernel bypass', 'tx_stack+tx_qdisc, rx_stack+wakeup', '0', str(sv['bypass']['e2e_ns']),
                 '', 'own frames; spins: CPU %d vs %d ns/datagram; no routing/TCP/firewall' % (
                     s1['bypass']['cpu_ns_per_datagram'], s1['baseline']['cpu_ns_per_datagram'])))
    rows.append(('zero-copy', 'tx_desc -> xsk_tx, copy -> hand-off', '0', str(sv['zero-copy']['e2e_ns']),
                 '', 'UMEM frames the NIC owns; driver support (here: hotpath)'))
    return rows


CLOSING_NOTE = [
    '  NIC ns: the modelled one-way path (exact); end to end: the median round\'s one-way',
    '  p50 (hotpath-bench) against the previous Demo 1 step\'s (busy-poll: the baseline\'s,',
    '  it and the NIC steps after it run on kernel UDP); agree: within 25% or 100 ns',
    '  of the model.  What end to end adds to the model is the host\'s share: code that',
    '  runs on the path for the technique.  On the VM\'s virtual clock (1 ns = 1 guest',
    '  instruction) that includes the emulated NIC\'s own code where it outlasts the',
    '  modelled time (CTPIO\'s short path, a poisoned frame\'s second engine run), and with',
    '  busy polling where the sender\'s vCPU yields to the poller\'s (they take turns).',
    '  Coalescing: RTT p50 against no coalescing (negative: it costs).']


def closing(r, c_, c):
    row = '  %-20s %-34s %9s %11s %7s  %s'
    out = ['', '=== What each technique bought in this run ===',
           row % ('technique', 'stage it removes or shrinks', 'NIC ns', 'end to end', 'agree',
                  'its price'),
           row % ('', '', 'saved', 'ns saved', '', '')]
    out += [row % x for x in closing_rows(r)]
    return out + CLOSING_NOTE


##############################################################################
# bench

def bench_head(r, bn):
    m = r['meta']
    out = ['=== hotpath bench: one-way p50 ratios, %d datagrams of %d B per run ===' % (
        m['count'], m['size']),
        '%d rounds of every configuration in turn; the median round of each is compared.' % m['rounds']]
    if m['clock'] == 'virtual':
        out.append('Virtual clock: one ns is one guest instruction, idle time skipped; rounds repeat.')
    return out


def bench_configs(r, bn):
    out = ['  %-12s one-way p50 %9d ns  (rounds: %s ns)' % (
        c['name'], c['one_way_p50_ns'], ' '.join(str(x) for x in c['rounds_one_way_p50_ns']))
        for c in bn['configs']]
    return out + [
        '  default: stats on, probes off, timing accounted; the others change one thing:',
        '  enforced (the NIC model waited), busy-poll, probes-on, stats-off (and probes off),',
        '  tx-coalesced (TX completions moderated: tx-usecs 200 tx-frames 64), trace (every',
        '  hotpath tracepoint enabled, recording into the ring buffer), af-xdp-zc',
        '  (hotpath-bench --af-xdp zero-copy on both ends, spinning on their rings, against UDP)'] + [
        '  %s: %s' % (c['name'], c['desc']) for c in bn['configs'] if c.get('device')]


def per_frame(pps):
    return 1000000000 // pps if pps > 0 else 0


def bench(r, bn, c):
    m = r['meta']
    st, xd = bn['stream'], bn['xdp_drop']
    x = xd['pps']
    out = ['  %-10s %d packets/s received, veth %d%s (64 B stream of %d, median of %d)' % (
        'stream', st['hotpath_pps'], st['veth_pps'],
        ', igb %d' % st['igb_pps'] if 'igb_pps' in st else '', st['count'], st['rounds']),
        '  %-10s %d packets/s dropped by XDP, veth %d%s (xdp-bench drop -m native, pktgen' % (
            'xdp-drop', x['default'], x['veth'], ', igb %d' % x['igb'] if 'igb' in x else ''),
        '  %-10s %d frames of 60 B from the peer, median of %d)' % ('', xd['count'], xd['rounds']),
        '  %-10s ns per frame: hotpath %d, stats off %d, TX completions coalesced' % (
            '', per_frame(x['default']), per_frame(x['stats-off'])),
        '  %-10s (tx-usecs 200 tx-frames 64) %d, RX too (rx-usecs 200 rx-frames 64) %d,' % (
            '', per_frame(x['tx-coalesced']), per_frame(x['coalesced']))] + ([
        '  %-10s adaptive (adaptive-rx on adaptive-tx on: lib/dim) %d,' % (
            '', per_frame(x['adaptive']))] if 'adaptive' in x else []) + [
        '  %-10s veth %d%s' % ('', per_frame(x['veth']),
                               ', igb %d' % per_frame(x['igb']) if 'igb' in x else ''), '']
    total = {k['name']: k['one_way_p50_ns'] for k in bn['configs']}
    for i, q in enumerate(bn['ratios']):
        met = ''
        if q['goal']:
            met = '  goal %s%s' % (q['goal'], ': met' if q['met'] else ': NOT met')
        out.append('  %-30s %6.2f  (%s %d / %s %d)%s' % (q['what'], q['ratio'], q['a_name'], q['a'],
                                                        q['b_name'], q['b'], met))
        if i == 0:
            out.append('  %-30s %6s  (timing enforced: %d ns, the modelled NIC waited)' % (
                '', '', total.get('enforced', 0)))
    out.append('')
    unit = 'instructions' if m['clock'] == 'virtual' else 'ns'
    for p in bn['ipp']:
        out.append('  %-30s %6d %s per packet  (%s %d - %s %d)' % (
            p['what'], p['delta'], unit, p['on_name'], p['on'], p['off_name'], p['off']))
    out += ['',
            '  Disabled tracepoints are one patched-out jump per record (a static key their',
            '  registration turns on); against a build without them see tools/bench/README.md',
            '  (the breakdown).  hotpath timing accounted: the model\'s %d ns' % bn['model_hw_ns'],
            '  of hardware per direction (plus serialisation) are recorded, not waited; veth',
            '  has none.']
    return out


##############################################################################
# nic: the walk on a real pair

def nic_head(r, w):
    m = r['meta']
    return ['', '=== The techniques on a real pair: %s -> %s (%s) ===' % (
        w['dev_a'], w['dev_b'], w['driver']),
        'hotpath-bench ping-pong of %d datagrams of %d B per step, client on %s, server on %s;'
        % (m['count'], m['size'], w['dev_a'], w['dev_b']),
        'stages: stats attached to both ends; beside each step, the same technique on hotpath\'s',
        'emulated pair (%s -> %s).' % (m['dev_a'], m['dev_b'])]


def nic_step(r, s, c):
    out = ['', '--- %s: %s ---' % (s['name'], s['title'])]
    if not s['supported']:
        return out + ['    not supported by this driver: %s' % s['reason']]
    out.append('    removes: %s; knobs: %s%s' % (
        s['removes'], s['settings'] or 'as found',
        '; AF_XDP %s' % s['af_xdp'] if s['af_xdp'] else ''))
    out += bars(s['stages'], c)
    out.append('    one-way p50 %d ns (RTT p50 %d), summed stages %d ns; %d RX interrupts, %d '
               'busy-poll pickups; %d ns of CPU per datagram' % (
                   s['one_way_p50_ns'], s['rtt_p50_ns'], s['path_ns'], s['rx_interrupts'],
                   s['busy_poll_pickups'], s['cpu_ns_per_datagram']))
    mo = s.get('model')
    if mo:
        out.append('    the model (%s): one-way p50 %d ns, summed stages %d ns of which %d the '
                   'modelled NIC' % (mo['settings'], mo['one_way_p50_ns'], mo['path_ns'],
                                     mo['nic_ns']))
    return out


def nic_rows(w):
    """(step, real one-way p50, against the baseline, model one-way p50,
    against the model's baseline, RX interrupts, CPU ns per datagram) as
    display strings; the text and the HTML report draw the same rows."""
    base = next(s for s in w['steps'] if s['name'] == 'interrupt')
    mbase = (base.get('model') or {}).get('one_way_p50_ns')
    rows = []
    for s in w['steps']:
        if not s['supported']:
            rows.append((s['name'], 'not supported by %s' % w['driver'], '', '', '', '', ''))
            continue
        mo = (s.get('model') or {}).get('one_way_p50_ns')
        rows.append((s['name'], str(s['one_way_p50_ns']),
                     '%+d' % (s['one_way_p50_ns'] - base['one_way_p50_ns']),
                     '' if mo is None else str(mo),
                     '' if mo is None or mbase is None else '%+d' % (mo - mbase),
                     str(s['rx_interrupts']), str(s['cpu_ns_per_datagram'])))
    return rows


NIC_NOTE = [
    '  one-way p50 from hotpath-bench; against: the step less the interrupt baseline',
    '  (negative: it saves).  The model: the same technique on hotpath\'s emulated pair',
    '  (timing enforced: its NIC waits the modelled hardware).  Under QEMU the real',
    '  NIC\'s hardware costs no guest instructions, so the real pair has no PCIe or wire',
    '  time for the model\'s to set beside: what they share is the host\'s share.']


def nic_closing(r, w, c):
    row = '  %-17s %11s %9s %11s %9s %9s %9s'
    out = ['', '=== What each technique did on %s (%s) and on the model ===' % (
        w['dev_b'], w['driver']),
        row % ('step', 'one-way', 'against', 'model', 'against', 'RX', 'CPU ns'),
        row % ('', 'p50 ns', 'baseline', 'p50 ns', 'baseline', 'interrupts', '/datagram')]
    for x in nic_rows(w):
        if x[2] == '' and x[1].startswith('not supported'):
            out.append('  %-17s %s' % (x[0], x[1]))
        else:
            out.append(row % x)
    unsup = [s for s in w['steps'] if not s['supported']]
    if unsup:
        out.append('  not supported by %s:' % w['driver'])
        out += ['    %s: %s' % (s['name'], s['reason']) for s in unsup]
    return out + NIC_NOTE


##############################################################################

def part(r, kind, data, colour=False):
    """The text of one part of the run (kind, data) as lines."""
    c = Colours(colour)
    fn = {'header': lambda: header(r),
          'demo1-head': lambda: demo1_head(r, data), 'demo1': lambda: demo1(r, data, c),
          'demo2-head': lambda: demo2_head(r, data), 'demo2': lambda: demo2(r, data, c),
          'demo3-head': lambda: demo3_head(r, data), 'demo3': lambda: demo3(r, data, c),
          'closing': lambda: closing(r, data, c),
          'bench-head': lambda: bench_head(r, data), 'bench-configs': lambda: bench_configs(r, data),
          'bench': lambda: bench(r, data, c),
          'nic-head': lambda: nic_head(r, data), 'nic-step': lambda: nic_step(r, data, c),
          'nic-closing': lambda: nic_closing(r, data, c)}[kind]
    return fn()


def parts(r):
    """The parts of a whole run, in the order the run prints them."""
    out = [('header', None)]
    if r['mode'] == 'nic':
        w = r['nic']
        if w:
            out += [('nic-head', w)] + [('nic-step', s) for s in w['steps']]
            out.append(('nic-closing', w))
        return out
    if r['mode'] == 'bench':
        bn = r['bench']
        if bn:
            out += [('bench-head', bn), ('bench-configs', bn), ('bench', bn)]
        return out
    if r['demo1']:
        out += [('demo1-head', r['demo1']), ('demo1', r['demo1'])]
    out.append(('demo2-head', r['demo2']))
    if r['demo2']:
        out.append(('demo2', r['demo2']))
    if r['demo3']:
        out += [('demo3-head', r['demo3']), ('demo3', r['demo3'])]
    if r['closing'] and r['demo1']:
        out.append(('closing', r['closing']))
    return out


def failures(r):
    if not r['failures']:
        return []
    return ['', 'Failed steps:'] + ['  ' + f for f in r['failures']]


def text(r, colour=False):
    lines = []
    for kind, data in parts(r):
        lines += part(r, kind, data, colour)
    lines += failures(r)
    return '\n'.join(lines) + '\n'
