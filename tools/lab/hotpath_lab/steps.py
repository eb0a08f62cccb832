# SPDX-License-Identifier: GPL-2.0
"""The lab's steps: they measure and fill in the results (results.py says
what each key means); they print nothing themselves but hand each finished
section to the caller's `show`, which renders it from the results alone.

Demo 1 walks the transmit path one technique at a time, Demo 2 follows one
CTPIO frame through the tracepoints, Demo 3 the receive path with its CPU
cost; the closing table's inputs follow from the three.  `bench` measures
the ratios with their goals.
"""

import os
import re
import subprocess
import sys
import tempfile

from . import net
from .net import NetError

SIZE = 64               # UDP payload: 106 B frame
FRAME_SIZE = 1000       # Demo 2's frame payload: 1042 B frame
PORT = 7100
ROUNDS = 5
WARMUP = 50
STREAM_RATE = 40000     # Demo 3's paced stream
# The letter each stage's segment is drawn with in a stacked bar.
STAGE_KEYS = [('tx_stack', 's'), ('tx_qdisc', 'q'), ('tx_desc', 'd'), ('tx_doorbell', 'B'),
              ('tx_fetch', 'F'), ('tx_dma', 'D'), ('tx_wire', 'W'), ('rx_dma', 'R'),
              ('rx_irq', 'i'), ('rx_napi', 'n'), ('rx_busy_poll', 'p'), ('rx_stack', 'k'),
              ('rx_wakeup', 'w'), ('xsk_tx', 'x'), ('xdp_prog', 'P'), ('xsk_rx', 'y')]

# The baseline every demo starts from: published figures, timing enforced
# (the application feels the model), interrupts without coalescing, no push,
# no CTPIO, accounting and the core-path probes on.
BASELINE = ('profile realistic timing enforced rx-mode interrupt tx-push off ctpio off '
            'ctpio-underrun-ppm 0 rx-usecs 0 rx-frames 1 tx-usecs 0 tx-frames 1 '
            'adaptive-rx off adaptive-tx off stats on probes on')

# Demo 1's steps in the order they are walked: name, title, what it
# removes, settings on top of the baseline, busy-poll budget (us), AF_XDP
# bind (hotpath-bench --af-xdp; None: kernel UDP), the step it is set
# against (None: the one before).  A technique that joins the lab adds its
# line here, in the seed's order; the rounds, bars, stacked path, report and
# closing table follow the table.  The NIC techniques after zero-copy are
# measured on the kernel UDP path, against the baseline: on AF_XDP their
# stages are the same, but this lab's model agreement checks were made on
# UDP (see the closing note).
D1_STEPS = [
    ('baseline', 'baseline: kernel UDP, interrupts, no TX push, no CTPIO', '', '', 0, None, None),
    ('bypass', '+ kernel bypass (AF_XDP, copy mode: hotpath-bench --af-xdp copy)',
     'the application drives the socket\'s rings and builds its own frames: no syscall per '
     'datagram, no UDP/IP stack, no socket queue; tx_stack, tx_qdisc, rx_stack and rx_wakeup '
     'leave the path (the kernel still copies between its buffers and the UMEM)',
     '', 0, 'copy', None),
    ('zero-copy', '+ zero-copy (AF_XDP zero-copy: hotpath-bench --af-xdp zero-copy)',
     'the NIC reads from and writes into the application\'s UMEM: xsk_tx (XSK ring to '
     'descriptor), xdp_prog (the program\'s run) and xsk_rx (hand-off to the socket) are the '
     'host\'s whole share', '', 0, 'zero-copy', None),
    ('busy-poll', '+ busy-poll receive (rx-mode busy-poll, SO_BUSY_POLL {BUSY} us; kernel UDP)',
     'the receiving task spins in the driver\'s NAPI poll: rx_irq + rx_napi become rx_busy_poll',
     'rx-mode busy-poll', '{BUSY}', None, 'baseline'),
    ('tx-push', '+ TX push (tx-push on)',
     'the descriptor travels with the doorbell: no tx_fetch (PCIe read, pcie-rtt {RTT} ns)',
     'rx-mode busy-poll tx-push on', '{BUSY}', None, None),
    ('ctpio-sf', '+ CTPIO store-and-forward (ctpio sf)',
     'the CPU writes the frame to the NIC (PIO): no fetch, no payload DMA read',
     'rx-mode busy-poll tx-push on ctpio sf', '{BUSY}', None, None),
    ('ctpio-ct', '+ CTPIO cut-through (ctpio ct, threshold {THRESH} B)',
     'the wire starts after the threshold: tx_wire overlaps the PIO write (tx_dma)',
     'rx-mode busy-poll tx-push on ctpio ct', '{BUSY}', None, None),
]
# The closing table's two extra runs: every frame at 25 Gb/s in ct is
# poisoned (host PIO below the link), against sf.
D1_EXTRA = [('25g-sf', 'rx-mode busy-poll tx-push on ctpio sf link-speed 25g'),
            ('25g-ct', 'rx-mode busy-poll tx-push on ctpio ct link-speed 25g')]

D3_STEPS = [
    ('irq', 'interrupt, no coalescing (rx-usecs 0, rx-frames 1)', '', '', 0),
    ('coalesce', 'interrupt with coalescing (rx-usecs 50, rx-frames 0)',
     ': the interrupt waits for company', 'rx-usecs 50 rx-frames 0', 0),
    ('adaptive', 'interrupt with adaptive moderation (adaptive-rx on: lib/dim picks the wait)',
     ': tuned for rates, a lone frame waits DIM\'s timer', 'adaptive-rx on', 0),
    ('busy-poll', 'busy-poll (rx-mode busy-poll, SO_BUSY_POLL {BUSY} us)', '', 'rx-mode busy-poll',
     '{BUSY}'),
]

# The bench's configurations: hotpath's default (stats on, probes off) with
# timing accounted, so that its software is compared with veth's, and one
# mechanism changed at a time.  accounted: the NIC model's times are
# recorded, not waited, which leaves the driver's own software cost against
# veth's; enforced: waited.  tx-coalesced: the sender's TX completion
# interrupt and the NAPI run it schedules (one per frame at the default
# coalescing: a latency lab) taken away by moderating TX completions (sfc's
# default is 150 us); coalesced: the receiver's RX interrupts moderated too,
# as a NIC runs for throughput (XDP_DROP only).  veth has no interrupt.
BENCH_DEFAULT = 'timing accounted stats on probes off'
BENCH_CFGS = [
    # name, settings, busy-poll (us), AF_XDP, tracepoints on
    ('veth', None, 0, None, False),
    ('default', BENCH_DEFAULT, 0, None, False),
    ('enforced', 'timing enforced stats on probes off', 0, None, False),
    ('busy-poll', BENCH_DEFAULT + ' rx-mode busy-poll', '{BUSY}', None, False),
    ('probes-on', 'timing accounted stats on probes on', 0, None, False),
    ('stats-off', 'timing accounted stats off probes off', 0, None, False),
    ('tx-coalesced', BENCH_DEFAULT + ' tx-usecs 200 tx-frames 64', 0, None, False),
    ('trace', BENCH_DEFAULT, 0, None, True),
    ('af-xdp-zc', BENCH_DEFAULT, 0, 'zero-copy', False),
]
# hotpath's default as the igb configs run: both programs on CPU 0
BENCH_PINNED = ('cpu0', 'default, both programs on CPU 0 (as igb)')
# A real driver beside hotpath (issues: the igb anchor, real-NIC cost): the
# test VM's two igb NICs (QEMU's 82576, whose device model costs no guest
# instructions under icount) at rx-usecs 0, not attached; attached (stats
# on both ends: the attach hooks' cost); not attached while another device
# (a veth end) is (the hooks' filter).  Only where the NICs are.  Both
# programs and igb's vectors on CPU 0: left to the scheduler, where the
# two programs and the interrupts land changes from run to run, and igb's
# one-way p50 with it (17.4 to 23.3 us on 6.12); hotpath's anchor config
# (cpu0) runs its default the same way.
BENCH_NIC = 'igb'
BENCH_PIN = ('--cpu', '0', '--server-cpu', '0')
BENCH_NIC_CFGS = [
    # name, what the devices attached are, described
    ('igb', (), 'igb pair, rx-usecs 0, not attached'),
    ('igb-attached', ('a', 'b'), 'igb pair, rx-usecs 0, stats on both ends (attached)'),
    ('igb-other', ('veth',), 'igb pair, rx-usecs 0, not attached; a veth end attached'),
]
BENCH_COALESCED = BENCH_DEFAULT + ' tx-usecs 200 tx-frames 64 rx-usecs 200 rx-frames 64'
# adaptive: lib/dim moderates both vectors, no hand-set values (XDP_DROP only)
BENCH_ADAPTIVE = BENCH_DEFAULT + ' adaptive-rx on adaptive-tx on'
XDP_CFGS = ('default', 'veth', 'stats-off', 'tx-coalesced', 'coalesced', 'adaptive')
# ratio rows: what, A config (or key), A's label, B config, B's label, goal
BENCH_RATIOS = [
    ('hotpath / veth', 'hotpath', 'default', 'veth', 'veth', ''),
    ('stream pps hotpath / veth', 'hotpath', 'stream:hotpath', 'veth', 'stream:veth', '>= 1.0'),
    ('XDP_DROP pps, adaptive / veth', 'adaptive', 'xdp:adaptive', 'veth', 'xdp:veth', '>= 1.0'),
    ('XDP_DROP pps hotpath / veth', 'hotpath', 'xdp:default', 'veth', 'xdp:veth', ''),
    ('XDP_DROP pps, coalesced / veth', 'coalesced', 'xdp:coalesced', 'veth', 'xdp:veth', ''),
    ('busy-poll / interrupt', 'busy-poll', 'busy-poll', 'interrupt', 'default', '<= 0.75'),
    ('stats on / off (probes off)', 'on', 'default', 'off', 'stats-off', '<= 1.03'),
    ('probes on / off', 'on', 'probes-on', 'off', 'default', '<= 1.05'),
    ('tracepoints enabled / disabled', 'enabled', 'trace', 'disabled', 'default', ''),
    ('AF_XDP zero-copy / UDP', 'af-xdp-zc', 'af-xdp-zc', 'udp', 'default', '<= 0.5'),
]
# with the igb pair
BENCH_NIC_RATIOS = [
    ('hotpath / igb', 'hotpath', 'cpu0', 'igb', 'igb', '<= 1.00'),
    ('stream pps hotpath / igb', 'hotpath', 'stream:hotpath', 'igb', 'stream:igb', '>= 1.0'),
    ('XDP_DROP pps hotpath / igb', 'hotpath', 'xdp:default', 'igb', 'xdp:igb', ''),
    ('igb attached / not attached', 'attached', 'igb-attached', 'not', 'igb', '<= 1.05'),
    ('igb, another attached / none', 'other', 'igb-other', 'none', 'igb', '<= 1.00'),
]
BENCH_IPP = [
    ('stage accounting (stats)', 'default', 'stats-off'),
    ('core-path probes', 'probes-on', 'default'),
    ('tracepoints enabled', 'trace', 'default'),
    ('TX completion interrupt', 'default', 'tx-coalesced'),
    ('hotpath over veth', 'default', 'veth'),
    ('hotpath over veth, stats off', 'stats-off', 'veth'),
]
BENCH_NIC_IPP = [
    ('hotpath over igb', 'cpu0', 'igb'),
    ('igb attached (its stages)', 'igb-attached', 'igb'),
    ('igb, another device attached', 'igb-other', 'igb'),
]

TRACE_EVENTS = ('tx_doorbell tx_fetch tx_dma tx_wire rx_dma ctpio_success ctpio_poisoned '
                'rx_crc_errors').split()
TRACE_RE = re.compile(r' ([a-z_]*): ifindex=(\d*) queue=\d* seq=(\d*) len=(\d*) ns=(\d*)')


class StepFailed(Exception):
    pass


def tdiv(a, b):
    """Integer division truncating toward zero, as the shell's $(( a / b ))."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def agree(model, e2e):
    """End to end within 25% or 100 ns of the model."""
    b = abs(model) * 0.25
    return abs(e2e - model) <= max(b, 100)


def median_index(values):
    """The round (0-based) whose value is the median: sorted by value, then
    by round, the middle one."""
    order = sorted(range(len(values)), key=lambda i: (values[i], str(i + 1)))
    return order[(len(values) + 1) // 2 - 1]


def spread_pct(values):
    """(max - min) / median of the rounds, in per cent, to 0.1."""
    v = sorted(values)
    if not v:
        return 0.0
    return float('%.1f' % ((v[-1] - v[0]) * 100 / v[(len(v) + 1) // 2 - 1]))


def stage_of(stats, name, field='p50_ns'):
    for s in stats['stages']:
        if s['name'] == name:
            return s.get(field) or 0
    return 0


def counter_of(stats, name):
    return stats.get('counters', {}).get(name) or 0


STAGE_FIELDS = ('name', 'source', 'count', 'min_ns', 'mean_ns', 'p50_ns', 'p90_ns', 'p99_ns',
                'p999_ns', 'max_ns')


def path_rows(sa, sb, min_n, rx_only=False):
    """The one-way path client -> server: port a's TX stages, then port b's
    RX stages, those with counts, each with `summed`.  Stages fewer than
    half the run's datagrams went through are listed but not summed (rx_irq
    of a watchdog fire in busy-poll mode is not on the path the others
    took); of the two receive alternatives (rx_irq + rx_napi, or
    rx_busy_poll) only the one most frames took is summed.  The XDP and
    AF_XDP stages go where they run: xsk_tx first on a (XSK ring to
    descriptor); on b xdp_prog (the program's run) after the NIC's RX
    stages, then xsk_rx (the zero-copy hand-off to the socket).  rx_only:
    b's RX stages alone, in the order the module lists them."""
    rows = []
    ends = [('b', sb, 'rx_', ('xdp_prog', 'xsk_rx'))]
    if not rx_only:
        ends.insert(0, ('a', sa, 'tx_', ('xsk_tx',)))
    order = {'xsk_tx': 0, 'xdp_prog': 2, 'xsk_rx': 3}
    for port, st, prefix, own in ends:
        c = {s['name']: s.get('count') or 0 for s in st['stages']}
        alt = (('rx_irq', 'rx_napi') if c.get('rx_busy_poll', 0) >= c.get('rx_irq', 0)
               else ('rx_busy_poll',))
        sel = [s for s in st['stages']
               if (s.get('count') or 0) > 0 and (s['name'].startswith(prefix) or s['name'] in own)]
        if not rx_only:
            sel.sort(key=lambda s: order.get(s['name'], 1))
        for s in sel:
            r = {k: s[k] for k in STAGE_FIELDS if k in s}
            r['port'] = port
            r['summed'] = s['count'] >= min_n and s['name'] not in alt
            rows.append(r)
    return rows


def path_sums(rows):
    """(path, modelled part) over the summed stage p50s."""
    p = sum(r['p50_ns'] for r in rows if r['summed'])
    m = sum(r['p50_ns'] for r in rows if r['summed'] and r['source'] == 'modelled')
    return p, m


def bench_figures(b):
    """What the results keep of a hotpath-bench object."""
    keep = ('mode', 'size', 'count', 'lost', 'warmup', 'busy_poll_us', 'duration_ns', 'one_way',
            'rtt', 'cpu', 'stream', 'hw_timestamps')
    out = {k: b.get(k) for k in keep}
    if 'af_xdp' in b:
        out['af_xdp'] = {k: b['af_xdp'].get(k) for k in ('requested', 'bind', 'xdp_mode')}
    return out


def cpu_us(b):
    c = b['cpu']
    return c['client_user_us'] + c['client_sys_us'] + c['server_user_us'] + c['server_sys_us']


class Lab:
    """One run of the lab: the pair, its namespaces, the results."""

    def __init__(self, results, count, busy_us=20000, jitter_ns=2000, show=None, log=None):
        self.r = results
        self.count = count
        self.busy_us = busy_us
        self.jitter_ns = jitter_ns
        self.show = show or (lambda part: None)
        self.log = log or (lambda msg: print(msg, file=sys.stderr))
        pid = os.getpid()
        self.ns_a, self.ns_b = 'hplab-%d-a' % pid, 'hplab-%d-b' % pid
        self.ns_va, self.ns_vb = 'hplab-%d-va' % pid, 'hplab-%d-vb' % pid
        self.pair = None
        self.veth = None
        self.nic = None
        self.created_pair = False
        self.loaded = False
        self.tracefs = None
        self.pktgen_ns = None
        self.xdp_bench = None
        self.cfg = {}

    ##########################################################################
    # Setup and cleanup

    def fail(self, msg):
        """A step failed: say so, remember it, carry on with the next one."""
        self.log('hotpath-lab: FAILED: %s' % msg)
        self.r['failures'].append(msg)

    def setup(self):
        if not net.mod_loaded():
            net.mod_load(['pairs=1'], fresh=False)
            self.loaded = True
        dev_a, dev_b = 'hp0', 'hp1'
        if not (os.path.isdir('/sys/class/net/hp0') and os.path.isdir('/sys/class/net/hp1') and
                net.hotpath_json(None, 'show', 'hp0')[0].get('peer') == 'hp1'):
            # hp0/hp1 are busy elsewhere: a pair of our own
            net.ip('link', 'add', 'hplab0', 'type', 'hotpath')
            self.created_pair = True
            dev_a = 'hplab0'
            dev_b = net.hotpath_json(None, 'show', 'hplab0')[0].get('peer')
            if not dev_b:
                raise NetError('no peer for hplab0')
        self.pair = net.Pair(self.ns_a, self.ns_b, dev_a, dev_b)
        self.pair.setup(quiet=True, timeout_ms=20000)
        m = self.r['meta']
        m.update(dev_a=dev_a, dev_b=dev_b, ns_a=self.ns_a, ns_b=self.ns_b)
        show = self.pair.show('a')
        self.r['model'] = dict(show.get('model', {}))
        self.r['model']['ctpio_thresh'] = show['ctpio']['thresh']

    def cleanup(self):
        try:
            self.trace_events(False)
        except (OSError, NetError):
            pass
        if self.tracefs and self.r['mode'] == 'bench':
            try:
                self.trace_all(False)
            except OSError:
                pass
        self.xdp_drop_stop()
        if self.nic:
            self.nic.teardown()
        if self.pair:
            self.pair.teardown()
        for ns in (self.ns_va, self.ns_vb):
            if self.veth:
                net.ns_del(ns)
        if self.created_pair:
            net.ip('link', 'del', self.pair.dev_a if self.pair else 'hplab0', check=False)
        if self.loaded:
            try:
                net.mod_unload()
            except NetError:
                pass

    ##########################################################################
    # Control

    def model(self, key):
        return self.pair.show('a')['model'][key]

    def thresh(self):
        return self.pair.show('a')['ctpio']['thresh']

    def baseline(self):
        self.pair.both('set', *BASELINE.split())

    def config(self, name):
        """A configuration: the baseline plus its switches."""
        self.baseline()
        s = self.cfg[name]['settings']
        if s:
            self.pair.both('set', *s.split())

    def fill(self, text):
        text = text.replace('{BUSY}', str(self.busy_us))
        if '{RTT}' in text:
            text = text.replace('{RTT}', str(self.model('pcie_rtt_ns')))
        if '{THRESH}' in text:
            text = text.replace('{THRESH}', str(self.thresh()))
        return text

    def pingpong(self, busy=0, size=SIZE, ns=None, addr='10.0.0.2', af_xdp=None,
                 hw_timestamps=False, extra=()):
        nsc, nss = ns or (self.ns_a, self.ns_b)
        try:
            b = net.pingpong(nsc, nss, addr, PORT, size, self.count, WARMUP, 2000,
                             busy_us=busy, jitter_ns=0 if hw_timestamps else self.jitter_ns,
                             af_xdp=af_xdp, dev=self.pair.dev_a, server_dev=self.pair.dev_b,
                             hw_timestamps=hw_timestamps, extra=extra)
        except NetError as e:
            if e.stderr:
                self.log(e.stderr.rstrip())
            raise
        if not hw_timestamps and b.get('lost'):
            raise NetError('%d datagrams lost' % b['lost'])
        return b

    def snap(self):
        return self.pair.stats('a'), self.pair.stats('b')

    ##########################################################################
    # Interleaved rounds: an emulator's (or a shared box's) slow spells last
    # seconds, so every configuration is measured in ROUNDS short runs taken
    # in turn, and each step shows its median run (by one-way p50): a slow
    # spell then hits every configuration alike instead of one of them.

    def rounds(self, names):
        runs = {n: [] for n in names}
        for r in range(1, ROUNDS + 1):
            for n in names:
                c = self.cfg[n]
                if n == 'veth':
                    try:
                        b = self.pingpong(0, SIZE, (self.ns_va, self.ns_vb), '10.9.0.2')
                    except NetError as e:
                        raise StepFailed('veth ping-pong (round %d): %s' % (r, e))
                    runs[n].append((b, None, None))
                    continue
                if 'attach' in c:
                    runs[n].append(self.nic_round(n, c['attach'], r))
                    continue
                try:
                    self.config(n)
                except NetError as e:
                    raise StepFailed('%s: settings: %s' % (n, e))
                try:
                    self.pair.both('reset')
                except NetError as e:
                    raise StepFailed('%s: reset: %s' % (n, e))
                if c.get('trace'):
                    try:
                        self.trace_all(True)
                    except OSError as e:
                        raise StepFailed('%s: tracepoints: %s' % (n, e))
                try:
                    b = self.pingpong(c['busy'], af_xdp=c.get('xdp'), extra=c.get('pin', ()))
                except NetError as e:
                    raise StepFailed('%s: ping-pong (round %d): %s' % (n, r, e))
                if c.get('trace'):
                    self.trace_all(False)
                try:
                    sa, sb = self.snap()
                except NetError as e:
                    raise StepFailed('%s: stats: %s' % (n, e))
                runs[n].append((b, sa, sb))
        out = {}
        for n in names:
            p50s = [b['one_way']['p50_ns'] for b, _, _ in runs[n]]
            k = median_index(p50s)
            b, sa, sb = runs[n][k]
            out[n] = {'rounds_one_way_p50_ns': p50s, 'median_round': k + 1, 'best_ns': min(p50s),
                      'round_spread_pct': spread_pct(p50s), 'bench': b, 'a': sa, 'b': sb}
        return out

    ##########################################################################
    # Demo 1: the transmit path

    def d1_figures(self, name, run, thresh, desc):
        """A step's figures from its median round.  The NIC part of the path
        is the modelled stages the engine waited (timing enforced), less what
        cut-through overlaps; the host part is the measured stages."""
        b, sa, sb = run['bench'], run['a'], run['b']
        rows = path_rows(sa, sb, self.count // 2)
        p, m = path_sums(rows)
        ov = 0
        if name == 'ctpio-ct':
            ov = self.ct_overlap(sa, thresh, desc, SIZE + 42)
        return {
            'rounds_one_way_p50_ns': run['rounds_one_way_p50_ns'],
            'median_round': run['median_round'], 'best_ns': run['best_ns'],
            'round_spread_pct': run['round_spread_pct'],
            'one_way_p50_ns': b['one_way']['p50_ns'], 'rtt_p50_ns': b['rtt']['p50_ns'],
            'path_ns': p - ov, 'nic_ns': m - ov, 'host_ns': p - m, 'overlap_ns': ov,
            # both ends' CPU time over the measured pings, per datagram
            'cpu_ns_per_datagram': int(cpu_us(b) * 1000 / b['count']),
            'stages': rows,
            'counters': {'a': sa.get('counters', {}), 'b': sb.get('counters', {})},
            'bench': bench_figures(b),
        }

    @staticmethod
    def ct_overlap(sa, thresh, desc, length):
        """ns of tx_wire that run under the PIO write in ct (the wire starts
        once ctpio-thresh bytes are written; the write of those bytes is the
        frame's recorded write time pro rata, after the descriptor)."""
        d = stage_of(sa, 'tx_dma')
        w = stage_of(sa, 'tx_wire')
        t = min(thresh, length)
        pt = desc + (d - desc) * t / length
        crit = d if d > pt + w else pt + w
        return int(d + w - crit)

    def demo1(self):
        steps = []
        for name, title, removes, settings, busy, xdp, against in D1_STEPS:
            busy = int(self.fill(str(busy))) if busy else 0
            self.cfg[name] = {'settings': settings, 'busy': busy, 'xdp': xdp}
            steps.append({'name': name, 'title': self.fill(title), 'removes': self.fill(removes),
                          'settings': settings, 'busy_poll_us': busy, 'af_xdp': xdp,
                          'against': against})
        for name, settings in D1_EXTRA:
            self.cfg[name] = {'settings': settings, 'busy': self.busy_us, 'xdp': None}
        d1 = {'steps': steps, 'extra': [], 'hwts': None}
        self.show(('demo1-head', d1))
        names = [s['name'] for s in steps] + [n for n, _ in D1_EXTRA]
        try:
            runs = self.rounds(names)
        except StepFailed as e:
            self.fail(str(e))
            return
        thresh, desc = self.thresh(), self.model('desc_ns')
        prev = None
        for s in steps:
            s.update(self.d1_figures(s['name'], runs[s['name']], thresh, desc))
            prev = s['against'] or prev
            s['compared_with'] = prev
            prev = s['name']
        for name, settings in D1_EXTRA:
            e = {'name': name, 'settings': settings, 'busy_poll_us': self.busy_us}
            e.update(self.d1_figures(name, runs[name], thresh, desc))
            d1['extra'].append(e)
        d1['hwts'] = self.d1_hwts()
        self.r['demo1'] = d1
        self.show(('demo1', d1))

    def d1_hwts(self):
        """The last step once more, split by the NICs' hardware stamps
        (hotpath-bench --hw-timestamps) and set against the stage p50s."""
        try:
            self.config('ctpio-ct')
            self.pair.both('reset')
        except NetError as e:
            self.fail('hwts: settings: %s' % e)
            return {'ok': False, 'error': 'settings: %s' % e}
        try:
            b = net.pingpong(self.ns_a, self.ns_b, '10.0.0.2', PORT, SIZE, self.count, WARMUP,
                             2000, busy_us=self.busy_us, hw_timestamps=True)
        except NetError as e:
            first = (e.stderr or str(e)).strip().splitlines()
            return {'ok': False, 'error': first[0] if first else str(e)}
        sa, sb = self.snap()
        rows = path_rows(sa, sb, self.count // 2)
        hw = b['hw_timestamps']
        return {'ok': True,
                'host_tx_ns': hw['host_tx']['p50_ns'], 'wire_ns': hw['wire']['p50_ns'],
                'host_rx_ns': hw['host_rx']['p50_ns'],
                'phc_map_window_ns': hw['phc_map_window_ns'],
                'tx_stages_ns': sum(r['p50_ns'] for r in rows
                                    if r['name'].startswith('tx_') and r['name'] != 'tx_wire'),
                'tx_wire_ns': stage_of(sa, 'tx_wire'),
                'rx_stages_ns': sum(r['p50_ns'] for r in rows if r['name'].startswith('rx_'))}

    ##########################################################################
    # Demo 2: CTPIO cut-through, frame by frame

    def find_tracefs(self):
        if not self.tracefs:
            self.tracefs = net.tracefs()
        return self.tracefs

    def trace_events(self, on):
        if not self.tracefs:
            return
        net.write(self.tracefs + '/tracing_on', 0)
        if on:
            net.write(self.tracefs + '/trace', '')
        for e in TRACE_EVENTS:
            net.write('%s/events/hotpath/%s/enable' % (self.tracefs, e), 1 if on else 0)
        if on:
            net.write(self.tracefs + '/tracing_on', 1)

    def trace_all(self, on):
        """Every hotpath event on (recording into the ring buffer) or off."""
        if not self.find_tracefs():
            raise OSError('no tracefs with the hotpath events')
        net.write(self.tracefs + '/events/hotpath/enable', 1 if on else 0)
        net.write(self.tracefs + '/tracing_on', 1 if on else 0)
        if not on:
            net.write(self.tracefs + '/trace', '')

    def send_one(self):
        """Exactly one UDP datagram of FRAME_SIZE bytes a -> b (neighbours
        are pinned, IPv6 is off: the only frame on the link)."""
        net.ns_run(self.ns_a, sys.executable or 'python3', '-c',
                   'import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto('
                   '(" " * (int(sys.argv[3]) - 1) + "x").encode(), (sys.argv[1], int(sys.argv[2])))',
                   '10.0.0.2', PORT + 1, FRAME_SIZE)

    def capture(self):
        """One frame's events as (event, seq, len, ns) (a's TX events and b's
        RX events) in the order they fired, and both ports' stats after."""
        ia = self.pair.show('a')['ifindex']
        ib = self.pair.show('b')['ifindex']
        self.pair.both('reset')
        self.trace_events(True)
        self.send_one()
        trace = self.tracefs + '/trace'
        rx = re.compile(r'rx_dma:.*ifindex=%d ' % ib)

        def arrived():
            with open(trace, encoding='utf-8', errors='replace') as f:
                return rx.search(f.read())
        if not net.busywait(20000, arrived):
            raise StepFailed('no rx_dma event on the peer')
        # the peer's counters are final once the frame is through its RX path
        if not net.busywait(20000, lambda: counter_of(self.pair.stats('b'), 'rx_packets') >= 1):
            raise StepFailed('the peer never counted the frame received')
        net.write(self.tracefs + '/tracing_on', 0)
        events = []
        with open(trace, encoding='utf-8', errors='replace') as f:
            for line in f:
                m = TRACE_RE.search(line)
                if not m:
                    continue
                ev, ifi, seq, ln, ns = m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5)
                if ((ev.startswith('tx_') or ev.startswith('ctpio')) and ifi == ia) or \
                   (ev.startswith('rx_') and ifi == ib):
                    events.append((ev, int(seq), int(ln), int(ns)))
        self.trace_events(False)
        sa, sb = self.snap()
        if not events:
            raise StepFailed('no events')
        return events, sa, sb

    @staticmethod
    def ev(events, name, n=1):
        """ns of the N-th NAME event of the frame (0: none)."""
        i = 0
        for e in events:
            if e[0] == name:
                i += 1
                if i == n:
                    return e[3]
        return 0

    def demo2(self):
        d2 = {'frame_payload': FRAME_SIZE}
        if not self.find_tracefs():
            self.show(('demo2-head', None))
            self.fail('d2: no hotpath tracepoints (tracefs not mounted?)')
            return
        try:
            self.baseline()
            self.pair.both('set', 'ctpio', 'sf', 'ctpio-max-frame', '1518')
        except NetError as e:
            self.fail('d2 settings: %s' % e)
            return
        d2.update(link_mbps=self.model('link_mbps'), tracefs=self.tracefs)
        self.show(('demo2-head', d2))
        try:
            sf_ev, sf_a, sf_b = self.capture()
        except (StepFailed, NetError, OSError) as e:
            self.fail('d2: no events for the sf frame: %s' % e)
            return
        try:
            self.pair.both('set', 'ctpio', 'ct', 'ctpio-max-frame', '1518')
            ct_ev, ct_a, ct_b = self.capture()
        except (StepFailed, NetError, OSError) as e:
            self.fail('d2: no events for the ct frame: %s' % e)
            return
        ln = next((e[2] for e in sf_ev if e[0] == 'tx_dma'), 0)
        thresh, desc = self.thresh(), self.model('desc_ns')
        d2.update(len=ln, thresh=thresh, desc_ns=desc)
        for mode, sa in (('sf', sf_a), ('ct', ct_a)):
            if counter_of(sa, 'ctpio_success') != 1:
                self.fail('d2 %s: ctpio_success %d, expected 1' % (mode, counter_of(sa, 'ctpio_success')))
        for mode, evs, sa, sb in (('sf', sf_ev, sf_a, sf_b), ('ct', ct_ev, ct_a, ct_b)):
            db, pio, wire = self.ev(evs, 'tx_doorbell'), self.ev(evs, 'tx_dma'), self.ev(evs, 'tx_wire')
            if mode == 'sf':
                # sf: the whole frame is written (tx_dma = PIO write), then the wire
                first = db + pio
                end = first + wire
            else:
                # ct: the wire starts once `thresh` bytes of the write are in;
                # the PIO time of those bytes is the write time pro rata
                first = db + desc + tdiv((pio - desc) * thresh, ln)
                end = max(first + wire, db + pio)
            d2[mode] = {'seq': evs[0][1], 'doorbell_ns': db, 'pio_ns': pio, 'wire_ns': wire,
                        'first_ns': first, 'end_ns': end, 'events': [list(e) for e in evs],
                        'counters': {'a': sa.get('counters', {}), 'b': sb.get('counters', {})}}
        # the price: at 25G the host cannot feed the link; the frame is poisoned
        d2['host_pio_mbps'] = self.model('host_pio_mbps')
        d2['poison'] = None
        try:
            self.pair.both('set', 'link-speed', '25g', 'ctpio', 'ct', 'ctpio-max-frame', '1518')
            ps_ev, ps_a, ps_b = self.capture()
        except (StepFailed, NetError, OSError) as e:
            self.fail('d2: no events for the 25G frame: %s' % e)
            self.r['demo2'] = d2
            self.show(('demo2', d2))
            return
        p = {'doorbell_ns': self.ev(ps_ev, 'tx_doorbell'), 'pio_ns': self.ev(ps_ev, 'tx_dma', 1),
             'wire_ns': self.ev(ps_ev, 'tx_wire', 1), 'fetch_ns': self.ev(ps_ev, 'tx_fetch'),
             'dma_ns': self.ev(ps_ev, 'tx_dma', 2), 'wire2_ns': self.ev(ps_ev, 'tx_wire', 2),
             'ctpio_poisoned': counter_of(ps_a, 'ctpio_poisoned'),
             'rx_crc_errors': counter_of(ps_b, 'rx_crc_errors'),
             'rx_packets': counter_of(ps_b, 'rx_packets')}
        t1 = p['doorbell_ns'] + desc + tdiv((p['pio_ns'] - desc) * thresh, ln)  # poisoned first bit
        t2 = max(t1 + p['wire_ns'], p['doorbell_ns'] + p['pio_ns'])
        t3 = t2 + p['fetch_ns'] + p['dma_ns']                               # fallback's first bit
        p.update(poison_first_ns=t1, fallback_ns=t2, good_first_ns=t3, end_ns=t3 + p['wire2_ns'],
                 events=[list(e) for e in ps_ev],
                 counters={'a': ps_a.get('counters', {}), 'b': ps_b.get('counters', {})})
        d2['poison'] = p
        for k in ('ctpio_poisoned', 'rx_crc_errors', 'rx_packets'):
            if p[k] != 1:
                self.fail('d2 25g: %s %d, expected 1' % (('peer ' if k != 'ctpio_poisoned' else '') + k, p[k]))
        self.r['demo2'] = d2
        self.show(('demo2', d2))
        try:
            self.pair.both('set', 'link-speed', '10g')
        except NetError:
            self.fail('d2: back to 10g')

    ##########################################################################
    # Demo 3: the receive path

    def demo3(self):
        ncpu = self.r['meta']['ncpu']
        steps = []
        for name, title, note, settings, busy in D3_STEPS:
            busy = int(self.fill(str(busy))) if busy else 0
            self.cfg[name] = {'settings': settings, 'busy': busy, 'xdp': None}
            steps.append({'name': name, 'title': self.fill(title), 'note': note,
                          'settings': settings, 'busy_poll_us': busy})
        d3 = {'steps': steps, 'stream': None}
        self.show(('demo3-head', d3))
        try:
            runs = self.rounds([s['name'] for s in steps])
        except StepFailed as e:
            self.fail(str(e))
            return
        for s in steps:
            run = runs[s['name']]
            b, sa, sb = run['bench'], run['a'], run['b']
            c = cpu_us(b)
            d = b['duration_ns']
            # Client and server count CPU time (getrusage) over the same
            # measured window (hotpath-bench starts both after the warm-up),
            # so their sum over the window times the CPUs there are is a
            # share of at most 100%.
            s.update({
                'rounds_one_way_p50_ns': run['rounds_one_way_p50_ns'],
                'median_round': run['median_round'],
                'rtt_p50_ns': b['rtt']['p50_ns'],
                'stages': path_rows(sa, sb, self.count // 2, rx_only=True),
                'counters': {'a': sa.get('counters', {}), 'b': sb.get('counters', {})},
                'interrupts': counter_of(sb, 'interrupts'),
                'busy_poll_pickups': counter_of(sb, 'busy_poll_pickups'),
                'watchdog_fires': counter_of(sb, 'watchdog_fires'),
                'cpu_us': c, 'duration_ns': d,
                'cpu_pct': int((c * 1000 * 100 / (d * ncpu) if d > 0 else 0) + 0.5),
                'cpu_ns_per_datagram': int(c * 1000 / (2 * self.count) + 0.5),
                'bench': bench_figures(b),
            })
        # The stream is paced (hotpath-bench --rate): a sender running flat
        # out spaces its datagrams by however the scheduler interleaves it
        # with the receiver, so the interrupt count followed placement and
        # the server's socket sometimes overflowed.  Paced, the gap is fixed
        # and interrupts per datagram are what rx-usecs makes of it.
        st = {'rate': STREAM_RATE, 'count': self.count}
        for name in ('irq', 'coalesce', 'adaptive'):
            try:
                self.config(name)
                st[name] = self.stream_irqs()
            except NetError as e:
                self.fail('d3: stream, %s: %s' % (name, e))
                self.r['demo3'] = d3
                return
        d3['stream'] = st
        self.r['demo3'] = d3
        self.show(('demo3', d3))

    def stream_irqs(self):
        """Interrupts b raised for a stream of COUNT datagrams, the datagrams
        received and where the others went (b's drop counters, the server
        socket's receive-buffer overflows)."""
        self.pair.both('reset')
        rcv0 = net.netstat(self.ns_b, 'Udp:RcvbufErrors')
        b = net.stream(self.ns_a, self.ns_b, '10.0.0.2', PORT, SIZE, self.count, STREAM_RATE)
        sa, sb = self.snap()
        drops = {k: v for k, v in sb.get('counters', {}).items()
                 if re.search('drop|error', k) and v and v > 0}
        return {'interrupts': counter_of(sb, 'interrupts'), 'received': b['stream']['received'],
                'dim_moves': counter_of(sb, 'dim_rx_moves'), 'drops': drops,
                'rcvbuf_errors': net.netstat(self.ns_b, 'Udp:RcvbufErrors') - rcv0}

    ##########################################################################
    # The closing table's inputs

    def closing(self):
        d1, d2, d3 = self.r.get('demo1'), self.r.get('demo2'), self.r.get('demo3')
        if not d1:
            return
        st = {s['name']: s for s in d1['steps']}
        st.update({s['name']: s for s in d1['extra']})
        sv = {}

        def saving(name, prev, model=None):
            m = st[prev]['nic_ns'] - st[name]['nic_ns'] if model is None else model
            e = st[prev]['one_way_p50_ns'] - st[name]['one_way_p50_ns']
            sv[name] = {'against': prev, 'model_ns': m, 'e2e_ns': e,
                        'host_ns': st[prev]['host_ns'] - st[name]['host_ns'],
                        'agree': agree(m, e) if model is None else None}
        saving('busy-poll', 'baseline', model=0)
        sv['busy-poll']['model_ns'] = None
        prev = 'busy-poll'
        for n in ('tx-push', 'ctpio-sf', 'ctpio-ct'):
            saving(n, prev)
            prev = n
        # the modelled cost of a poisoned ct frame of the ping-pong's size at
        # 25 Gb/s against sf, on the engine's timeline: the ct send, then the
        # fallback (fetch skipped by TX push, which these steps have on) +
        # DMA + wire, instead of the sf write + wire.  The peer's MAC drops
        # the poisoned frame at its bad FCS (no RX DMA), so both end with
        # the good copy's one rx_dma, which cancels.
        thresh = self.r['model']['ctpio_thresh']
        desc = self.r['model']['desc_ns']
        sf = st['25g-sf']
        pio = next((r['p50_ns'] for r in sf['stages'] if r['port'] == 'a' and r['name'] == 'tx_dma'), 0)
        wire = next((r['p50_ns'] for r in sf['stages'] if r['port'] == 'a' and r['name'] == 'tx_wire'), 0)
        dma = next((r['p50_ns'] for r in st['baseline']['stages']
                    if r['port'] == 'a' and r['name'] == 'tx_dma'), 0)
        ln = SIZE + 42
        t = min(thresh, ln)
        pt = desc + (pio - desc) * t / ln
        ct = pio if pio > pt + wire else pt + wire
        cost_m = int(ct + dma + wire - (pio + wire))
        cost_e = st['25g-ct']['one_way_p50_ns'] - st['25g-sf']['one_way_p50_ns']
        sv['poison-25g'] = {'against': '25g-sf', 'model_ns': -cost_m, 'e2e_ns': -cost_e,
                            'host_ns': st['25g-sf']['host_ns'] - st['25g-ct']['host_ns'],
                            'agree': agree(cost_m, cost_e)}
        for n, prev in (('bypass', 'baseline'), ('zero-copy', 'bypass')):
            saving(n, prev, model=0)
        c = {'savings': sv,
             'ct_frame_saved_ns': (d2['sf']['end_ns'] - d2['ct']['end_ns'])
             if d2 and 'ct' in d2 else None,
             'coalesce_rtt_saved_ns': None, 'stream_interrupts_irq': None,
             'stream_interrupts_coalesce': None}
        if d3:
            s3 = {s['name']: s for s in d3['steps']}
            c['coalesce_rtt_saved_ns'] = s3['irq']['rtt_p50_ns'] - s3['coalesce']['rtt_p50_ns']
            if d3.get('stream'):
                c['stream_interrupts_irq'] = d3['stream']['irq']['interrupts']
                c['stream_interrupts_coalesce'] = d3['stream']['coalesce']['interrupts']
        self.r['closing'] = c
        self.show(('closing', c))

    ##########################################################################
    # bench: ratios

    def veth_setup(self):
        net.run(['modprobe', 'veth'], check=False)
        self.veth = True
        net.ns_add(self.ns_va)
        net.ns_add(self.ns_vb)
        net.ip('link', 'add', 'hplabv0', 'netns', self.ns_va, 'type', 'veth', 'peer', 'name',
               'hplabv1', 'netns', self.ns_vb)
        net.ip('-n', self.ns_va, 'addr', 'add', '10.9.0.1/24', 'dev', 'hplabv0')
        net.ip('-n', self.ns_vb, 'addr', 'add', '10.9.0.2/24', 'dev', 'hplabv1')
        net.ip('-n', self.ns_va, 'link', 'set', 'hplabv0', 'up')
        net.ip('-n', self.ns_vb, 'link', 'set', 'hplabv1', 'up')
        ping = net.in_ns(self.ns_va, ['ping', '-c1', '-W1', '10.9.0.2'])
        if not net.busywait(20000, lambda: subprocess.run(
                ping, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0):
            raise NetError('no ping across the veth pair')

    def nic_setup(self):
        """The igb pair for the bench, where the VM has it: None otherwise."""
        if not net.NicPair.present(BENCH_NIC):
            return None
        self.nic = net.NicPair(BENCH_NIC, self.ns_a + 'n', self.ns_b + 'n')
        self.nic.setup(quiet=True)
        for ns, dev in ((self.nic.ns_a, self.nic.dev_a), (self.nic.ns_b, self.nic.dev_b)):
            net.ns_run(ns, 'ethtool', '-C', dev, 'rx-usecs', '0')
            net.common('hp_nic_irq_cpu', dev, 0)
        return self.nic

    def nic_attach(self, which):
        """Stats on exactly for WHICH ('a', 'b': the igb ends; 'veth': a
        veth end), off for the others."""
        devs = {'a': (self.nic.ns_a, self.nic.dev_a), 'b': (self.nic.ns_b, self.nic.dev_b),
                'veth': (self.ns_va, 'hplabv0')}
        for k, (ns, dev) in devs.items():
            net.hotpath(ns, 'set', dev, 'stats', 'on' if k in which else 'off')

    def nic_round(self, name, which, r):
        try:
            self.nic_attach(which)
            b = self.pingpong(0, SIZE, (self.nic.ns_a, self.nic.ns_b), self.nic.ip4_b,
                              extra=BENCH_PIN)
            self.nic_attach(())
        except NetError as e:
            raise StepFailed('%s ping-pong (round %d): %s' % (name, r, e))
        return (b, None, None)

    def stream_pps(self, name):
        """The median of ROUNDS 64 B streams' received packets/s, veth or
        hotpath in the bench's default configuration."""
        v = []
        for _ in range(ROUNDS):
            if name == 'veth':
                b = net.stream(self.ns_va, self.ns_vb, '10.9.0.2', PORT, SIZE, self.stream_count)
            elif name == BENCH_NIC:
                b = net.stream(self.nic.ns_a, self.nic.ns_b, self.nic.ip4_b, PORT, SIZE,
                               self.stream_count)
            else:
                self.config('default')
                b = net.stream(self.ns_a, self.ns_b, '10.0.0.2', PORT, SIZE, self.stream_count)
            v.append(b['stream']['pps_received'])
        return int(sorted(v)[(ROUNDS + 1) // 2 - 1])

    def pktgen_run(self, ns, dev, dst, dst_mac, count):
        """The kernel's packet generator sends COUNT 60 B frames out of DEV
        from its CPU 0 thread, straight into the driver's ndo_start_xmit;
        the run's length in microseconds."""
        pg = '/proc/net/pktgen'
        script = ('echo rem_device_all > {pg}/kpktgend_0 && echo "add_device $0" > {pg}/kpktgend_0 && '
                  'for c in "count $1" "pkt_size 60" "delay 0" "clone_skb 0" "dst $2" "dst_mac $3" '
                  '"udp_dst_min 9" "udp_dst_max 9"; do echo "$c" > {pg}/$0 || exit 1; done && '
                  'echo start > {pg}/pgctrl && cat {pg}/$0').format(pg=pg)
        self.pktgen_ns = ns
        try:
            out = net.ns_run(ns, 'sh', '-c', script, dev, count, dst, dst_mac)
        finally:
            self.pktgen_ns = None
        m = re.search(r'Result: OK: (\d+)\(c', out)
        if not m:
            raise NetError('pktgen printed no result')
        return int(m.group(1))

    def xdp_bench_end(self):
        """Stop xdp-bench (it ends on SIGTERM as on SIGINT, detaching its
        program), forcibly if it does not, and take the program off its
        port should it still be there."""
        if not self.xdp_bench:
            return
        p, ns, dev = self.xdp_bench
        p.terminate()
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        if 'prog/xdp' in net.ip('-n', ns, '-d', 'link', 'show', 'dev', dev, check=False):
            net.ip('-n', ns, 'link', 'set', 'dev', dev, 'xdp', 'off', check=False)
        self.xdp_bench = None

    def xdp_drop_stop(self):
        """What the XDP_DROP step left running, stopped (cleanup)."""
        if self.pktgen_ns:
            net.ns_run(self.pktgen_ns, 'sh', '-c', 'echo stop > /proc/net/pktgen/pgctrl; '
                       'echo rem_device_all > /proc/net/pktgen/kpktgend_0', check=False)
            self.pktgen_ns = None
        try:
            self.xdp_bench_end()
        except NetError:
            pass

    def xdp_drop_pps(self, name):
        """The median of ROUNDS runs' XDP_DROP rate (packets/s) on the
        receiving end of veth's pair, of the igb pair (NAME igb, rx-usecs 0)
        or of hotpath's in configuration NAME: xdp-tools' `xdp-bench drop`
        in native mode, pktgen sending XDP_COUNT frames from the peer.  The
        rate is the frames the driver counted dropped by the program
        (hotpath xdp_drop, veth rx_queue_0_xdp_drops; igb has no XDP
        counter and counts a dropped frame in rx_packets, which nothing
        else moves on the bench's quiet pair) over pktgen's run time;
        frames lost before the program (a full ring) do not count."""
        if name == 'veth':
            ns_tx, dev_tx, ns_rx, dev_rx, dst = self.ns_va, 'hplabv0', self.ns_vb, 'hplabv1', '10.9.0.2'
            cnt = 'rx_queue_0_xdp_drops'
        elif name == BENCH_NIC:
            ns_tx, dev_tx, ns_rx, dev_rx = self.nic.ns_a, self.nic.dev_a, self.nic.ns_b, self.nic.dev_b
            dst, cnt = self.nic.ip4_b, 'rx_packets'
        else:
            ns_tx, dev_tx, ns_rx, dev_rx = self.ns_a, self.pair.dev_a, self.ns_b, self.pair.dev_b
            dst, cnt = '10.0.0.2', 'xdp_drop'
        if not os.path.isdir('/proc/net/pktgen'):
            net.run(['modprobe', 'pktgen'])
        rates = []
        for r in range(ROUNDS):
            if name not in ('veth', BENCH_NIC):
                self.config(name)
            log = tempfile.TemporaryFile()
            p = subprocess.Popen(net.in_ns(ns_rx, [
                'sh', '-c', 'mount -t bpf bpf /sys/fs/bpf 2>/dev/null; '
                'exec xdp-bench drop -m native -i 1 "$0"', dev_rx]),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            self.xdp_bench = (p, ns_rx, dev_rx)

            def attached():
                return 'prog/xdp' in net.ip('-n', ns_rx, '-d', 'link', 'show', 'dev', dev_rx,
                                            check=False) or p.poll() is not None
            if not net.busywait(20000, attached) or p.poll() is not None:
                self.xdp_bench_end()
                log.seek(0)
                out = log.read().decode(errors='replace')
                log.close()
                raise NetError('xdp-bench did not attach: %s' % out.strip())
            # igb resets to take a program (igb_xdp_setup(): close, open):
            # its receiver runs again once the link is back
            if name == BENCH_NIC:
                try:
                    self.nic.carrier()
                except NetError:
                    self.xdp_bench_end()
                    raise
            d0 = net.ethtool_stat(ns_rx, dev_rx, cnt)
            peer_mac = net.sysfs(ns_rx, dev_rx, 'address')
            try:
                us = self.pktgen_run(ns_tx, dev_tx, dst, peer_mac, self.xdp_count)
            except NetError:
                self.xdp_bench_end()
                raise
            d1 = net.ethtool_stat(ns_rx, dev_rx, cnt)
            self.xdp_bench_end()
            log.close()
            if not net.busywait(20000, lambda: 'prog/xdp' not in net.ip(
                    '-n', ns_rx, '-d', 'link', 'show', 'dev', dev_rx, check=False)):
                raise NetError('the XDP program stayed on %s' % dev_rx)
            if name == BENCH_NIC:
                self.nic.carrier()
            if us <= 0:
                raise NetError('pktgen ran no time')
            rates.append((d1 - d0) * 1000000 // us)
        return sorted(rates)[(ROUNDS + 1) // 2 - 1]

    def bench(self):
        self.stream_count = int(os.environ.get('LAB_STREAM_COUNT', 2000))
        self.xdp_count = int(os.environ.get('LAB_XDP_COUNT', 20000))
        cfgs = []
        for name, settings, busy, xdp, trace in BENCH_CFGS:
            busy = int(self.fill(str(busy))) if busy else 0
            self.cfg[name] = {'settings': settings, 'busy': busy, 'xdp': xdp, 'trace': trace}
            cfgs.append({'name': name, 'settings': settings, 'busy_poll_us': busy, 'af_xdp': xdp,
                         'trace': trace})
        self.cfg['coalesced'] = {'settings': BENCH_COALESCED, 'busy': 0, 'xdp': None}
        self.cfg['adaptive'] = {'settings': BENCH_ADAPTIVE, 'busy': 0, 'xdp': None}
        bn = {'configs': cfgs, 'stream': None, 'xdp_drop': None, 'ratios': [], 'ipp': [],
              'model_hw_ns': None}
        self.show(('bench-head', bn))
        self.veth_setup()
        if not self.find_tracefs():
            raise NetError('no tracefs with the hotpath events')
        try:
            nic = self.nic_setup()
        except NetError as e:
            self.fail('%s pair: %s' % (BENCH_NIC, e))
            nic = None
        if nic:
            name, desc = BENCH_PINNED
            self.cfg[name] = dict(self.cfg['default'], pin=BENCH_PIN)
            cfgs.append({'name': name, 'settings': BENCH_DEFAULT, 'busy_poll_us': 0, 'af_xdp': None,
                         'trace': False, 'desc': desc})
            for name, attach, desc in BENCH_NIC_CFGS:
                self.cfg[name] = {'attach': attach}
                cfgs.append({'name': name, 'settings': None, 'busy_poll_us': 0, 'af_xdp': None,
                             'trace': False, 'device': BENCH_NIC, 'desc': desc})
        try:
            runs = self.rounds([c['name'] for c in cfgs])
        except StepFailed as e:
            self.fail(str(e))
            return
        total = {}
        for c in cfgs:
            run = runs[c['name']]
            c.update({k: run[k] for k in ('rounds_one_way_p50_ns', 'median_round', 'best_ns',
                                          'round_spread_pct')})
            c['one_way_p50_ns'] = run['bench']['one_way']['p50_ns']
            c['rtt_p50_ns'] = run['bench']['rtt']['p50_ns']
            c['bench'] = bench_figures(run['bench'])
            if run['a'] is not None:
                c['stages'] = path_rows(run['a'], run['b'], self.count // 2)
                c['counters'] = {'a': run['a'].get('counters', {}), 'b': run['b'].get('counters', {})}
            total[c['name']] = c['one_way_p50_ns']
        self.show(('bench-configs', bn))
        try:
            st = {'count': self.stream_count, 'rounds': ROUNDS,
                  'hotpath_pps': self.stream_pps('default'), 'veth_pps': self.stream_pps('veth')}
            if nic:
                st['igb_pps'] = self.stream_pps(BENCH_NIC)
        except NetError as e:
            self.fail('64 B stream: %s' % e)
            st = {'count': self.stream_count, 'rounds': ROUNDS, 'hotpath_pps': 0, 'veth_pps': 0}
            if nic:
                st['igb_pps'] = 0
        bn['stream'] = st
        xd = {'count': self.xdp_count, 'rounds': ROUNDS, 'pps': {}}
        xdp_cfgs = XDP_CFGS + ((BENCH_NIC,) if nic else ())
        try:
            for n in xdp_cfgs:
                xd['pps'][n] = self.xdp_drop_pps(n)
        except NetError as e:
            self.fail('XDP_DROP: %s' % e)
            xd['pps'] = {n: 0 for n in xdp_cfgs}
        bn['xdp_drop'] = xd
        fig = dict(total)
        fig.update({'stream:hotpath': st['hotpath_pps'], 'stream:veth': st['veth_pps'],
                    'stream:igb': st.get('igb_pps', 0)})
        fig.update({'xdp:' + k: v for k, v in xd['pps'].items()})
        for what, an, ak, bname, bk, goal in BENCH_RATIOS + (BENCH_NIC_RATIOS if nic else []):
            a, b = fig[ak], fig[bk]
            r = a / b if b else 0
            met = None
            if goal:
                op, g = goal.split()
                v = float('%.2f' % r)
                met = v <= float(g) if op == '<=' else v >= float(g)
            bn['ratios'].append({'what': what, 'a_name': an, 'a': a, 'b_name': bname, 'b': b,
                                 'ratio': r, 'goal': goal or None, 'met': met})
        for what, on, off in BENCH_IPP + (BENCH_NIC_IPP if nic else []):
            bn['ipp'].append({'what': what, 'on_name': on, 'on': total[on], 'off_name': off,
                              'off': total[off], 'delta': total[on] - total[off]})
        m = self.pair.show('a')['model']
        bn['model_hw_ns'] = (m['doorbell_ns'] + m['pcie_rtt_ns'] + m['dma_ns'] + m['phy_ns'] +
                             m['rx_dma_ns'])
        self.r['bench'] = bn
        self.show(('bench', bn))
        try:
            self.pair.both('set', 'stats', 'on', 'probes', 'on', 'timing', 'enforced')
        except NetError:
            pass
