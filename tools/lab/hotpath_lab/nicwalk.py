# SPDX-License-Identifier: GPL-2.0
"""The walk on a real pair (hotpath-lab nic --dev A --peer B): the
techniques switched through the kernel's own knobs on two ports of one box
wired back to back, each step measured by the stage accounting attached to
both (`hotpath set DEV stats on`), beside the same technique on hotpath's
emulated pair.

Each step: the knobs set on both ends (`hotpath set`, all or nothing: a
driver that does not take them refuses, and the step is listed as not
supported by it with the reason), stats reset, a hotpath-bench ping-pong
client on A, server on B, then both ends' stages.  Steps the NIC cannot do
are kept with their reason, never dropped.  Before each step the knobs go
back to what the walk found (rx-mode interrupt, the driver's rx-usecs).

The programs and the devices' vectors are pinned (client and A's vectors
on CPU 0, server and B's on CPU 1, with two CPUs) and each device runs one
queue (`ethtool -L combined 1` where the driver takes it): a flow then has
one path, as the emulated pair's.
"""

from . import net
from .net import NetError
from .steps import SIZE, PORT, WARMUP, bench_figures, cpu_us, counter_of, path_rows, path_sums

# name, title, what it removes (or adds), the NIC's knobs (hotpath set,
# after the baseline's), hotpath-bench's options ({BUSY}: the busy-poll
# budget), AF_XDP mode, and the emulated pair's settings for the same
# technique (the lab's baseline plus these; None: no model step)
STEPS = [
    ('interrupt', 'kernel UDP, interrupts, the driver\'s moderation as found',
     'the baseline', '', (), None, 'timing enforced'),
    ('no-moderation', 'interrupt moderation off (rx-usecs 0)',
     'the interrupt throttle\'s wait', 'rx-usecs 0', (), None,
     'timing enforced rx-usecs 0 rx-frames 1'),
    ('busy-poll', 'busy polling: rx-mode busy-poll, SO_BUSY_POLL + SO_PREFER_BUSY_POLL',
     'the interrupt and the softirq\'s wakeup of the application', 'rx-usecs 0 rx-mode busy-poll',
     ('--busy-poll', '{BUSY}', '--prefer-busy-poll'), None,
     'timing enforced rx-mode busy-poll'),
    ('af-xdp-skb', 'kernel bypass: AF_XDP, generic XDP (skb)',
     'the socket layer (the skb stays)', 'rx-usecs 0', (), 'skb', 'timing enforced'),
    ('af-xdp-copy', 'kernel bypass: AF_XDP, native XDP, copy mode',
     'the skb and the socket layer', 'rx-usecs 0', (), 'copy', 'timing enforced'),
    ('af-xdp-zero-copy', 'kernel bypass and zero-copy: AF_XDP, native XDP, zero-copy',
     'the copy into the socket\'s buffer too', 'rx-usecs 0', (), 'zero-copy', 'timing enforced'),
    ('coalesce', 'coalescing: rx-usecs 100',
     'nothing: it adds a wait for the interrupt, and saves interrupts', 'rx-usecs 100', (), None,
     'timing enforced rx-usecs 100 rx-frames 0'),
    ('adaptive', 'adaptive interrupt moderation (adaptive-rx on)',
     'a fixed rx-usecs: the driver picks it from the traffic', 'adaptive-rx on', (), None,
     'timing enforced adaptive-rx on'),
]

# The one-way path client -> server over an attached pair: A's TX stages,
# then B's from the wire on; of B's two receive stages (an interrupt's
# NAPI poll, a busy poller's pickup) the one most frames took is summed.
A_STAGES = ('tx_stack', 'tx_qdisc', 'tx_desc', 'tx_nic')
B_STAGES = ('wire', 'rx_nic', 'rx_poll', 'rx_busy_poll', 'rx_stack', 'rx_wakeup')
STAGE_FIELDS = ('name', 'source', 'count', 'p50_ns', 'mean_ns')


def nic_rows(sa, sb, min_n):
    rows = []
    cnt = {s['name']: s.get('count') or 0 for s in sb['stages']}
    alt = 'rx_poll' if cnt.get('rx_busy_poll', 0) > cnt.get('rx_poll', 0) else 'rx_busy_poll'
    for port, st, names in (('a', sa, A_STAGES), ('b', sb, B_STAGES)):
        by = {s['name']: s for s in st['stages']}
        for n in names:
            s = by.get(n)
            if not s or not s.get('count'):
                continue
            r = {k: s.get(k) or 0 for k in STAGE_FIELDS}
            r['name'], r['source'], r['port'] = n, s['source'], port
            r['summed'] = r['count'] >= min_n and n != alt
            rows.append(r)
    return rows


class DevPair(net.NicPair):
    """Two named ports of this box wired to each other (--dev, --peer),
    each moved into a namespace of its own under its own name, with
    10.20.9.1 and 10.20.9.2: NicPair's setup and teardown, no driver to
    load, no names to find."""

    def __init__(self, dev_a, dev_b, ns_a, ns_b):
        net.Pair.__init__(self, ns_a, ns_b, dev_a, dev_b, '10.20.9.1', '10.20.9.2')
        self.drv = None
        self.orig = []
        self.loaded = False

    def find(self):
        return self.dev_a, self.dev_b


class NicWalk:
    """The walk: LAB is the emulated pair's lab (its pair, config() and
    ping-pong), for the model beside each step."""

    def __init__(self, lab, dev_a, dev_b):
        self.lab = lab
        self.r = lab.r
        self.count = lab.count
        self.pair = DevPair(dev_a, dev_b, lab.ns_a + 'n', lab.ns_b + 'n')
        self.found = {}
        self.combined = {}

    def hp(self, end, *args):
        ns, dev = self.pair.end(end)
        return net.hotpath(ns, 'set', dev, *args)

    def setup(self):
        p = self.pair
        p.setup(quiet=True)
        ncpu = self.r['meta']['ncpu']
        for end in ('a', 'b'):
            ns, dev = p.end(end)
            # one queue where the driver takes it (not every one does)
            self.combined[end] = self.channels(ns, dev)
            if self.combined[end]:
                net.ns_run(ns, 'ethtool', '-L', dev, 'combined', '1', check=False)
        # carrier back after the reset, and a ping through
        net.common('hp_nic_ready', p.ns_a, p.dev_a, p.ns_b, p.dev_b, p.ip4_b)
        for end, cpu in (('a', 0), ('b', 1 if ncpu > 1 else 0)):
            ns, dev = p.end(end)
            net.common('hp_nic_irq_cpu', dev, cpu)
            self.hp(end, 'stats', 'on')
            show = net.hotpath_json(ns, 'show', dev)[0]
            self.found[end] = show
        self.pin = ('--cpu', '0', '--server-cpu', '1' if ncpu > 1 else '0')

    @staticmethod
    def channels(ns, dev):
        """The combined channels ethtool -l says DEV has now, or None."""
        out = net.ns_run(ns, 'ethtool', '-l', dev, check=False)
        now = out.split('Current hardware settings:')[-1]
        for line in now.splitlines():
            k, _, v = line.partition(':')
            if k.strip() == 'Combined' and v.strip().isdigit():
                return int(v)
        return None

    def teardown(self):
        for end in ('a', 'b'):
            ns, dev = self.pair.end(end)
            try:
                if end in self.found:
                    self.restore(end)
                    self.hp(end, 'stats', 'off')
                if self.combined.get(end):
                    net.ns_run(ns, 'ethtool', '-L', dev, 'combined', self.combined[end],
                               check=False)
            except NetError:
                pass
        self.pair.teardown()

    def restore(self, end):
        """The knobs as the walk found them."""
        co = self.found[end].get('coalesce') or {}
        args = ['rx-mode', 'interrupt']
        if co.get('adaptive_rx') is not None:
            args += ['adaptive-rx', 'on' if co['adaptive_rx'] else 'off']
        if co.get('rx_usecs') is not None:
            args += ['rx-usecs', str(co['rx_usecs'])]
        self.hp(end, *args)

    def run(self):
        p = self.pair
        drv = self.found['b'].get('driver') or '?'
        walk = {'driver': drv, 'dev_a': p.dev_a, 'dev_b': p.dev_b, 'steps': []}
        self.lab.show(('nic-head', walk))
        for name, title, removes, knobs, opts, af_xdp, model in STEPS:
            s = {'name': name, 'title': title, 'removes': removes, 'settings': knobs,
                 'af_xdp': af_xdp, 'supported': True, 'reason': None}
            opts = tuple(o.replace('{BUSY}', str(self.lab.busy_us)) for o in opts)
            try:
                self.step(s, knobs, opts, af_xdp)
            except NetError as e:
                s['supported'] = False
                s['reason'] = self.reason(e)
            if s['supported']:
                s['model'] = self.model(model, opts, af_xdp)
            walk['steps'].append(s)
            self.lab.show(('nic-step', s))
        self.r['nic'] = walk
        self.lab.show(('nic-closing', walk))

    @staticmethod
    def reason(e):
        lines = [ln for ln in (e.stderr or str(e)).strip().splitlines() if ln.strip()]
        return lines[-1] if lines else str(e)

    def step(self, s, knobs, opts, af_xdp):
        p = self.pair
        for end in ('a', 'b'):
            self.restore(end)
            if knobs:
                self.hp(end, *knobs.split())
        for end in ('a', 'b'):
            ns, dev = p.end(end)
            net.hotpath(ns, 'reset', dev)
        irq0 = int(net.common('hp_nic_irqs', p.dev_b, 'rx') or 0)
        b = net.pingpong(p.ns_a, p.ns_b, p.ip4_b, PORT, SIZE, self.count, WARMUP, 2000,
                         af_xdp=af_xdp, dev=p.dev_a, server_dev=p.dev_b,
                         extra=tuple(self.pin) + opts)
        irqs = int(net.common('hp_nic_irqs', p.dev_b, 'rx') or 0) - irq0
        if b.get('lost'):
            raise NetError('%d datagrams lost' % b['lost'])
        sa, sb = p.stats('a'), p.stats('b')
        rows = nic_rows(sa, sb, self.count // 2)
        s.update({
            'one_way_p50_ns': b['one_way']['p50_ns'],
            'rtt_p50_ns': (b.get('rtt') or {}).get('p50_ns') or 0,
            'path_ns': sum(r['p50_ns'] for r in rows if r['summed']),
            'stages': rows,
            'rx_interrupts': irqs,
            'busy_poll_pickups': counter_of(sb, 'busy_poll_pickups'),
            'cpu_ns_per_datagram': int(cpu_us(b) * 1000 / (2 * self.count) + 0.5),
            'bench': bench_figures(b),
        })

    def model(self, settings, opts, af_xdp):
        """The same technique on the emulated pair: its one-way p50 and its
        path's stages, or None where the model step failed (said)."""
        lab = self.lab
        try:
            lab.baseline()
            lab.pair.both('set', *settings.split())
            lab.pair.both('reset')
            b = lab.pingpong(0, af_xdp=af_xdp, extra=opts)
            sa, sb = lab.snap()
        except NetError as e:
            lab.fail('nic: model step (%s): %s' % (settings, e))
            return None
        rows = path_rows(sa, sb, self.count // 2)
        path, nic = path_sums(rows)
        return {'settings': settings, 'one_way_p50_ns': b['one_way']['p50_ns'],
                'path_ns': path, 'nic_ns': nic,
                'stages': [{k: r[k] for k in ('port', 'name', 'source', 'count', 'p50_ns',
                                              'mean_ns', 'summed')} for r in rows]}
