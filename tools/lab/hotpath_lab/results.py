# SPDX-License-Identifier: GPL-2.0
"""results.json: the one file a lab run writes, its schema and its check.

Documentation/lab-results.md describes every key.  The renderers read only
what SCHEMA guarantees, and load() checks a file against it first, so a
malformed file or one of another version is refused with a message naming
the field, never a traceback.
"""

import json
import os

NAME = 'hotpath-lab'
VERSION = 1
SCHEMA_ID = '%s/%d' % (NAME, VERSION)


class ResultsError(Exception):
    """A results file that cannot be rendered: the message names the file
    and the field."""


def opt(t):
    return ('opt', t)


def listof(t):
    return ('list', t)


def maybe(t):
    """A key a file may leave out (one added within the version: an older
    file has no igb figures); present, it is T."""
    return ('maybe', t)


def mapof(t):
    return ('map', t)


COUNTERS = {'a': mapof('int'), 'b': mapof('int')}
LATENCY = {'count': 'int', 'min_ns': 'int', 'p50_ns': 'int', 'p90_ns': 'int', 'p99_ns': 'int',
           'max_ns': 'int', 'mean_ns': 'int'}
BENCH = {'count': 'int', 'duration_ns': 'int', 'one_way': LATENCY, 'rtt': opt(LATENCY),
         'cpu': {'client_user_us': 'int', 'client_sys_us': 'int', 'server_user_us': 'int',
                 'server_sys_us': 'int'}}
STAGE = {'port': ('enum', ('a', 'b')), 'name': 'str', 'source': ('enum', ('measured', 'modelled')),
         'count': 'int', 'p50_ns': 'int', 'mean_ns': 'int', 'summed': 'bool'}
ROUNDS = {'rounds_one_way_p50_ns': listof('int'), 'median_round': 'int'}

D1_STEP = dict(ROUNDS, **{
    'name': 'str', 'title': 'str', 'removes': 'str', 'settings': 'str', 'busy_poll_us': 'int',
    'af_xdp': opt('str'), 'against': opt('str'), 'compared_with': opt('str'),
    'best_ns': 'int', 'round_spread_pct': 'num', 'one_way_p50_ns': 'int', 'rtt_p50_ns': 'int',
    'path_ns': 'int', 'nic_ns': 'int', 'host_ns': 'int', 'overlap_ns': 'int',
    'cpu_ns_per_datagram': 'int', 'stages': listof(STAGE), 'counters': COUNTERS, 'bench': BENCH})
D1_EXTRA = dict(ROUNDS, **{
    'name': 'str', 'settings': 'str', 'busy_poll_us': 'int', 'one_way_p50_ns': 'int',
    'rtt_p50_ns': 'int', 'path_ns': 'int', 'nic_ns': 'int', 'host_ns': 'int', 'overlap_ns': 'int',
    'stages': listof(STAGE), 'counters': COUNTERS, 'bench': BENCH})
HWTS = {'ok': 'bool', 'error': ('if-not', 'ok', 'str'),
        'host_tx_ns': ('if', 'ok', 'int'), 'wire_ns': ('if', 'ok', 'int'),
        'host_rx_ns': ('if', 'ok', 'int'), 'phc_map_window_ns': ('if', 'ok', 'int'),
        'tx_stages_ns': ('if', 'ok', 'int'), 'tx_wire_ns': ('if', 'ok', 'int'),
        'rx_stages_ns': ('if', 'ok', 'int')}
DEMO1 = {'steps': listof(D1_STEP), 'extra': listof(D1_EXTRA), 'hwts': HWTS}

FRAME = {'seq': 'int', 'doorbell_ns': 'int', 'pio_ns': 'int', 'wire_ns': 'int', 'first_ns': 'int',
         'end_ns': 'int', 'events': listof(listof('any')), 'counters': COUNTERS}
POISON = {'doorbell_ns': 'int', 'pio_ns': 'int', 'wire_ns': 'int', 'fetch_ns': 'int',
          'dma_ns': 'int', 'wire2_ns': 'int', 'ctpio_poisoned': 'int', 'rx_crc_errors': 'int',
          'rx_packets': 'int', 'poison_first_ns': 'int', 'fallback_ns': 'int',
          'good_first_ns': 'int', 'end_ns': 'int', 'events': listof(listof('any')),
          'counters': COUNTERS}
DEMO2 = {'frame_payload': 'int', 'link_mbps': 'int', 'tracefs': 'str', 'len': 'int', 'thresh': 'int',
         'desc_ns': 'int', 'host_pio_mbps': 'int', 'sf': FRAME, 'ct': FRAME, 'poison': opt(POISON)}

D3_STEP = dict(ROUNDS, **{
    'name': 'str', 'title': 'str', 'note': 'str', 'settings': 'str', 'busy_poll_us': 'int',
    'rtt_p50_ns': 'int', 'stages': listof(STAGE), 'counters': COUNTERS, 'interrupts': 'int',
    'busy_poll_pickups': 'int', 'watchdog_fires': 'int', 'cpu_us': 'int', 'duration_ns': 'int',
    'cpu_pct': 'int', 'cpu_ns_per_datagram': 'int', 'bench': BENCH})
STREAM_RUN = {'interrupts': 'int', 'received': 'int', 'dim_moves': maybe('int'),
              'drops': mapof('int'), 'rcvbuf_errors': 'int'}
DEMO3 = {'steps': listof(D3_STEP),
         'stream': opt({'rate': 'int', 'count': 'int', 'irq': STREAM_RUN, 'coalesce': STREAM_RUN,
                        'adaptive': maybe(STREAM_RUN)})}

SAVING = {'against': 'str', 'model_ns': opt('int'), 'e2e_ns': 'int', 'host_ns': 'int',
          'agree': opt('bool')}
CLOSING = {'savings': {n: SAVING for n in ('busy-poll', 'tx-push', 'ctpio-sf', 'ctpio-ct',
                                           'poison-25g', 'bypass', 'zero-copy')},
           'ct_frame_saved_ns': opt('int'), 'coalesce_rtt_saved_ns': opt('int'),
           'stream_interrupts_irq': opt('int'), 'stream_interrupts_coalesce': opt('int')}

BENCH_CFG = dict(ROUNDS, **{
    'name': 'str', 'settings': opt('str'), 'busy_poll_us': 'int', 'af_xdp': opt('str'),
    'trace': 'bool', 'best_ns': 'int', 'round_spread_pct': 'num', 'one_way_p50_ns': 'int',
    'rtt_p50_ns': 'int', 'bench': BENCH, 'device': maybe('str'), 'desc': maybe('str')})
BENCH_MODE = {
    'configs': listof(BENCH_CFG),
    'stream': {'count': 'int', 'rounds': 'int', 'hotpath_pps': 'int', 'veth_pps': 'int',
               'igb_pps': maybe('int')},
    'xdp_drop': {'count': 'int', 'rounds': 'int',
                 'pps': dict({n: 'int' for n in ('default', 'veth', 'stats-off', 'tx-coalesced',
                                                 'coalesced')}, adaptive=maybe('int'),
                         igb=maybe('int'))},
    'ratios': listof({'what': 'str', 'a_name': 'str', 'a': 'int', 'b_name': 'str', 'b': 'int',
                      'ratio': 'num', 'goal': opt('str'), 'met': opt('bool')}),
    'ipp': listof({'what': 'str', 'on_name': 'str', 'on': 'int', 'off_name': 'str', 'off': 'int',
                   'delta': 'int'}),
    'model_hw_ns': 'int'}

NIC_STAGE = {'port': ('enum', ('a', 'b')), 'name': 'str',
             'source': ('enum', ('measured', 'modelled')), 'count': 'int', 'p50_ns': 'int',
             'mean_ns': 'int', 'summed': 'bool'}
NIC_STEP = {'name': 'str', 'title': 'str', 'removes': 'str', 'settings': 'str',
            'af_xdp': opt('str'), 'supported': 'bool', 'reason': ('if-not', 'supported', 'str'),
            'one_way_p50_ns': ('if', 'supported', 'int'), 'rtt_p50_ns': ('if', 'supported', 'int'),
            'path_ns': ('if', 'supported', 'int'), 'stages': ('if', 'supported', listof(NIC_STAGE)),
            'rx_interrupts': ('if', 'supported', 'int'),
            'busy_poll_pickups': ('if', 'supported', 'int'),
            'cpu_ns_per_datagram': ('if', 'supported', 'int'),
            'bench': ('if', 'supported', BENCH),
            'model': ('if', 'supported', opt({'settings': 'str', 'one_way_p50_ns': 'int',
                                              'path_ns': 'int', 'nic_ns': 'int',
                                              'stages': listof(STAGE)}))}
NIC_MODE = {'driver': 'str', 'dev_a': 'str', 'dev_b': 'str', 'steps': listof(NIC_STEP)}

META = {'kernel': 'str', 'clock': 'str', 'date': 'str', 'version': 'str', 'count': 'int',
        'size': 'int', 'rounds': 'int', 'warmup': 'int', 'busy_poll_us': 'int', 'jitter_ns': 'int',
        'ncpu': 'int', 'dev_a': 'str', 'dev_b': 'str', 'ns_a': 'str', 'ns_b': 'str'}
MODEL = {'link_mbps': 'int', 'pcie_rtt_ns': 'int', 'desc_ns': 'int', 'doorbell_ns': 'int',
         'dma_ns': 'int', 'phy_ns': 'int', 'rx_dma_ns': 'int', 'host_pio_mbps': 'int',
         'ctpio_thresh': 'int'}
TOP = {'schema': 'str', 'mode': ('enum', ('demo', 'bench', 'nic')), 'meta': META, 'model': MODEL,
       'failures': listof('str')}
BY_MODE = {'demo': {'demo1': opt(DEMO1), 'demo2': opt(DEMO2), 'demo3': opt(DEMO3),
                    'closing': opt(CLOSING)},
           'bench': {'bench': opt(BENCH_MODE)},
           'nic': {'nic': opt(NIC_MODE)}}

KIND = {'int': 'an integer', 'num': 'a number', 'str': 'a string', 'bool': 'true or false',
        'list': 'a list', 'dict': 'an object'}


def what_is(v):
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'true or false'
    if isinstance(v, int):
        return 'an integer'
    if isinstance(v, float):
        return 'a number'
    if isinstance(v, str):
        return 'a string'
    if isinstance(v, list):
        return 'a list'
    return 'an object'


def check(v, t, path, parent=None):
    """V against the schema type T; ResultsError naming PATH if it is not."""
    def bad(want):
        raise ResultsError('field %s: %s, expected %s' % (path, what_is(v), want))
    if isinstance(t, dict):
        if not isinstance(v, dict):
            bad('an object')
        for k, sub in t.items():
            p = '%s.%s' % (path, k) if path else k
            cond = sub[0] if isinstance(sub, tuple) else None
            if cond in ('if', 'if-not'):
                if bool(v.get(sub[1])) != (cond == 'if'):
                    continue
                sub = sub[2]
            elif cond == 'maybe':
                if k not in v:
                    continue
                sub = sub[1]
            if k not in v:
                raise ResultsError('field %s: missing' % p)
            check(v[k], sub, p, v)
        return
    if isinstance(t, tuple):
        kind = t[0]
        if kind == 'opt':
            if v is not None:
                check(v, t[1], path, parent)
        elif kind == 'list':
            if not isinstance(v, list):
                bad('a list')
            for i, x in enumerate(v):
                check(x, t[1], '%s[%d]' % (path, i), v)
        elif kind == 'map':
            if not isinstance(v, dict):
                bad('an object')
            for k, x in v.items():
                check(x, t[1], '%s.%s' % (path, k), v)
        elif kind == 'enum':
            if v not in t[1]:
                raise ResultsError('field %s: %s, expected one of %s' % (
                    path, json.dumps(v), ', '.join(json.dumps(x) for x in t[1])))
        return
    if t == 'any':
        return
    if t == 'int':
        ok = isinstance(v, int) and not isinstance(v, bool)
    elif t == 'num':
        ok = isinstance(v, (int, float)) and not isinstance(v, bool)
    elif t == 'str':
        ok = isinstance(v, str)
    elif t == 'bool':
        ok = isinstance(v, bool)
    else:
        ok = False
    if not ok:
        bad(KIND[t])


def check_schema_field(r):
    if not isinstance(r, dict):
        raise ResultsError('the file holds %s, expected an object with "schema": "%s"'
                           % (what_is(r), SCHEMA_ID))
    if 'schema' not in r:
        raise ResultsError('field schema: missing (not a %s results file?)' % NAME)
    s = r['schema']
    if not isinstance(s, str):
        raise ResultsError('field schema: %s, expected a string "%s"' % (what_is(s), SCHEMA_ID))
    name, _, ver = s.partition('/')
    if name != NAME or not ver.isdigit():
        raise ResultsError('field schema: "%s" is not a %s results schema (expected "%s")'
                           % (s, NAME, SCHEMA_ID))
    if int(ver) < VERSION:
        raise ResultsError('field schema: "%s" is an older version; this hotpath-lab reads "%s" '
                           '(run the lab again, or render it with the hotpath-lab that wrote it)'
                           % (s, SCHEMA_ID))
    if int(ver) > VERSION:
        raise ResultsError('field schema: "%s" is a newer version; this hotpath-lab reads "%s" '
                           '(render it with a newer hotpath-lab)' % (s, SCHEMA_ID))


def validate(r):
    check_schema_field(r)
    check(r, TOP, '')
    check(r, BY_MODE[r['mode']], '')
    if r['mode'] == 'nic' and r['nic']:
        names = [s['name'] for s in r['nic']['steps']]
        if 'interrupt' not in names or not r['nic']['steps'][names.index('interrupt')]['supported']:
            raise ResultsError('field nic.steps: no measured step "interrupt" (the baseline)')
    if r['mode'] == 'demo':
        d1 = r['demo1']
        if d1 and not d1['steps']:
            raise ResultsError('field demo1.steps: empty')
        if r['closing']:
            names = [s['name'] for s in d1['steps']] if d1 else []
            for n in ('baseline', 'bypass'):
                if n not in names:
                    raise ResultsError('field demo1.steps: no step "%s" (the closing table '
                                       'needs it)' % n)
    return r


def load(path):
    """The results in PATH, checked; ResultsError naming the file and field."""
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise ResultsError('%s: cannot read: %s' % (path, getattr(e, 'strerror', None) or e))
    try:
        r = json.loads(text)
    except ValueError as e:
        raise ResultsError('%s: not JSON: %s' % (path, e))
    try:
        return validate(r)
    except ResultsError as e:
        raise ResultsError('%s: %s' % (path, e))


def new(mode, meta):
    r = {'schema': SCHEMA_ID, 'mode': mode, 'meta': meta, 'model': {}, 'failures': []}
    r.update({k: None for k in BY_MODE[mode]})
    return r


def dump(r, path):
    """Write the results (atomically: a reader never sees half a file)."""
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(r, f, indent=1, sort_keys=False)
        f.write('\n')
    os.replace(tmp, path)
