# SPDX-License-Identifier: GPL-2.0
"""The setup and the traffic the lab stands on, in one place.

Namespaces, the module, a pair of ports with addresses and pinned
neighbours, `hotpath -j`, `hotpath-bench --json` ping-pongs and streams,
tracefs and counters: the kernel's tools/testing/selftests/drivers/net/lib/py
shape (a small helper that runs `ip` and the tools and hands back parsed
JSON).  Loading the module and setting up ports and pairs is the shell
helper the kselftests source (hp-common.sh beside this package), run as a
command: one implementation of each, and the tests' hundreds of calls stay
free of a Python start.

Everything runs the real iproute2 (never busybox's applet) and polls for
readiness with a bound instead of sleeping a fixed time.
"""

import json
import os
import shlex
import subprocess
import time


class NetError(Exception):
    """A command the setup or a measurement needed failed; stderr: what
    it printed there."""

    def __init__(self, msg, stderr=''):
        super().__init__(msg)
        self.stderr = stderr


def find_ip():
    """The real iproute2 `ip`, never busybox's applet."""
    busybox = os.path.realpath('/bin/busybox') if os.path.exists('/bin/busybox') else None
    for p in ('/usr/bin/ip', '/usr/sbin/ip', '/sbin/ip', '/bin/ip'):
        if os.access(p, os.X_OK) and os.path.realpath(p) != busybox:
            return p
    raise NetError('no iproute2 ip (only busybox\'s, or none) in /usr/bin, /usr/sbin, /sbin, /bin')


IP = os.environ.get('IP') or None


def ip_cmd():
    global IP
    if not IP:
        IP = find_ip()
    return IP


def run(args, check=True, stdin=None, env=None):
    """Run ARGS; its stdout as text.  check: a non-zero exit raises NetError
    with the command and its stderr."""
    p = subprocess.run(args, stdin=subprocess.DEVNULL if stdin is None else None,
                       input=stdin, capture_output=True, text=True, encoding='utf-8',
                       errors='replace', env=env)
    if check and p.returncode != 0:
        err = (p.stderr or p.stdout).strip().splitlines()
        raise NetError('%s: exit %d%s' % (' '.join(shlex.quote(a) for a in args), p.returncode,
                                          (': ' + err[-1]) if err else ''), p.stderr)
    return p.stdout


def ip(*args, check=True):
    return run([ip_cmd()] + [str(a) for a in args], check=check)


def in_ns(ns, args):
    """ARGS run inside netns NS (none: here)."""
    args = [str(a) for a in args]
    return [ip_cmd(), 'netns', 'exec', ns] + args if ns else args


def ns_run(ns, *args, check=True):
    return run(in_ns(ns, args), check=check)


def busywait(timeout_ms, fn, interval=0.01):
    """Poll FN until it returns a true value (returned) or TIMEOUT_MS pass
    (None).  A bound, not a sleep: only a failing wait waits it out."""
    end = time.monotonic() + timeout_ms / 1000.0
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > end:
            return None
        time.sleep(interval)


##############################################################################
# The module

def mod_loaded():
    return os.path.isdir('/sys/module/hotpath')


def ko_path(top=None):
    """hotpath.ko: $HOTPATH_KO (the VM sets it), the tree's kmod/, or None
    (modprobe then)."""
    ko = os.environ.get('HOTPATH_KO')
    if ko and os.path.isfile(ko):
        return ko
    if top and os.path.isfile(os.path.join(top, 'kmod', 'hotpath.ko')):
        return os.path.join(top, 'kmod', 'hotpath.ko')
    return None


def common_sh():
    """hp-common.sh: beside this package, in the tree (tools/lab) and where
    make install and the package put both (share/hotpath)."""
    p = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     'hp-common.sh')
    if not os.path.isfile(p):
        raise NetError('no %s (the setup helper installed beside the hotpath_lab package)' % p)
    return p


def common(fn, *args, carrier_ms=None):
    """FN ARGS of hp-common.sh (hp_mod_insert, hp_mod_unload, hp_port_setup,
    hp_pair_up), the setup the kselftests run too."""
    env = None
    if carrier_ms:
        env = dict(os.environ, HP_CARRIER_MS=str(carrier_ms))
    return run(['bash', common_sh(), fn] + ['' if a is None else str(a) for a in args], env=env)


def mod_unload():
    """Unload it, waiting out users still going away (a namespace being
    deleted holds its ports for a moment)."""
    if mod_loaded():
        common('hp_mod_unload')
    return True


def mod_load(params=(), ko=None, fresh=True, must_appear=True):
    """(Re)load the module with PARAMS (["pairs=1"]) and wait (5 s at most)
    for hp0; must_appear: its absence then is an error.  ko: a file for
    insmod; None: $HOTPATH_KO, else modprobe."""
    if fresh:
        mod_unload()
    common('hp_mod_insert', ko or ko_path() or '-', *params)
    if must_appear and not os.path.isdir('/sys/class/net/hp0'):
        raise NetError('hp0 did not appear after loading hotpath.ko')


##############################################################################
# Namespaces and ports

def ns_add(ns):
    """A new namespace with lo up."""
    ip('netns', 'add', ns)
    ip('-n', ns, 'link', 'set', 'lo', 'up')


def ns_del(ns):
    ip('netns', 'del', ns, check=False)


def sysfs(ns, dev, name):
    return ns_run(ns, 'cat', '/sys/class/net/%s/%s' % (dev, name), check=False).strip()


def carrier(ns, dev):
    return sysfs(ns, dev, 'carrier')


def mac(ns, dev):
    return sysfs(ns, dev, 'address')


class Pair:
    """Two ends of a link, each in its own namespace: DEV_A in NS_A with
    IP4_A, DEV_B in NS_B with IP4_B.  quiet: no IPv6 and pinned neighbours,
    so the only frames on the link are the caller's."""

    def __init__(self, ns_a, ns_b, dev_a='hp0', dev_b='hp1', ip4_a='10.0.0.1', ip4_b='10.0.0.2',
                 ip6_a=None, ip6_b=None):
        self.ns_a, self.ns_b = ns_a, ns_b
        self.dev_a, self.dev_b = dev_a, dev_b
        self.ip4_a, self.ip4_b = ip4_a, ip4_b
        self.ip6_a, self.ip6_b = ip6_a, ip6_b
        self.namespaces = []

    def setup(self, quiet=False, timeout_ms=5000):
        """The namespaces made, both ends up with carrier (TIMEOUT_MS at
        most): hp-common.sh's hp_pair_up, as the kselftests' hp_pair_setup."""
        for ns in (self.ns_a, self.ns_b):
            ns_add(ns)
            self.namespaces.append(ns)
        common('hp_pair_up', self.ns_a, self.dev_a, self.ip4_a, self.ip6_a,
               self.ns_b, self.dev_b, self.ip4_b, self.ip6_b, 'quiet' if quiet else '',
               carrier_ms=timeout_ms)

    def teardown(self):
        """The ports back into the init namespace, the namespaces gone."""
        for ns, dev in ((self.ns_a, self.dev_a), (self.ns_b, self.dev_b)):
            if ns in self.namespaces:
                ip('-n', ns, 'link', 'set', dev, 'netns', '1', check=False)
        for ns in self.namespaces:
            ns_del(ns)
        self.namespaces = []

    # hotpath on both ends: `hotpath CMD DEV_A ARGS` in NS_A, then DEV_B's
    def both(self, cmd, *args):
        hotpath(self.ns_a, cmd, self.dev_a, *args)
        hotpath(self.ns_b, cmd, self.dev_b, *args)

    def show(self, end='a'):
        ns, dev = self.end(end)
        return hotpath_json(ns, 'show', dev)[0]

    def stats(self, end='a'):
        ns, dev = self.end(end)
        return hotpath_json(ns, 'stats', dev)[0]

    def end(self, end):
        return (self.ns_a, self.dev_a) if end == 'a' else (self.ns_b, self.dev_b)


class NicPair(Pair):
    """The test VM's two DRIVER NICs (igb, e1000e; selftests/vm/run.sh),
    wired back to back, as a pair: DRIVER-a in NS_A with 10.20.N.1,
    DRIVER-b in NS_B with 10.20.N.2, quiet (no IPv6), up with carrier and a
    ping through; hp-common.sh's hp_nic_* steps, as the kselftests'
    hp_nic_pair.  teardown() puts them back under their old names."""

    NETS = {'igb': 1, 'e1000e': 2}

    def __init__(self, drv, ns_a, ns_b):
        n = self.NETS[drv]
        super().__init__(ns_a, ns_b, drv + '-a', drv + '-b', '10.20.%d.1' % n, '10.20.%d.2' % n)
        self.drv = drv
        self.orig = []
        self.loaded = False

    @staticmethod
    def present(drv):
        try:
            common('hp_nic_present', drv)
        except NetError:
            return False
        return True

    def find(self):
        """The two ends' names in this namespace now."""
        return common('hp_nic_find', self.drv).split()

    def setup(self, quiet=True, timeout_ms=None):
        if self.drv and not os.path.isdir('/sys/module/' + self.drv):
            run(['modprobe', self.drv])
            self.loaded = True
        a, b = self.find()
        for ns in (self.ns_a, self.ns_b):
            ns_add(ns)
            self.namespaces.append(ns)
        for ns, dev, name, ip4 in ((self.ns_a, a, self.dev_a, self.ip4_a),
                                   (self.ns_b, b, self.dev_b, self.ip4_b)):
            self.orig.append((ns, name, dev))
            common('hp_nic_place', ns, dev, name, ip4, '', 'quiet' if quiet else '')
        common('hp_nic_ready', self.ns_a, self.dev_a, self.ns_b, self.dev_b, self.ip4_b)

    def carrier(self):
        """Until both ends have carrier again (after a reset)."""
        common('hp_nic_carrier', self.ns_a, self.dev_a, self.ns_b, self.dev_b)

    def teardown(self):
        for ns, name, dev in reversed(self.orig):
            try:
                common('hp_nic_back', ns, name, dev)
            except NetError:
                pass
        self.orig = []
        for ns in self.namespaces:
            ns_del(ns)
        self.namespaces = []
        if self.loaded:
            run(['modprobe', '-r', self.drv], check=False)
            self.loaded = False


##############################################################################
# The tools

def hotpath(ns, *args):
    return ns_run(ns, 'hotpath', *args)


def hotpath_json(ns, *args):
    out = ns_run(ns, 'hotpath', '-j', *args)
    try:
        return json.loads(out)
    except ValueError as e:
        raise NetError('hotpath -j %s: not JSON (%s)' % (' '.join(args), e))


def bench(ns, args):
    """hotpath-bench ARGS --json in NS: its object."""
    out = ns_run(ns, 'hotpath-bench', *args)
    try:
        return json.loads(out)
    except ValueError as e:
        raise NetError('hotpath-bench: not JSON (%s)' % e)


def pingpong(ns_client, ns_server, addr, port, size, count, warmup=50, timeout_ms=2000,
             busy_us=0, jitter_ns=0, af_xdp=None, dev=None, server_dev=None, hw_timestamps=False,
             extra=()):
    """A hotpath-bench ping-pong NS_CLIENT -> ADDR (a server it starts in
    NS_SERVER) and back: its JSON object.  af_xdp: copy|zero-copy, AF_XDP
    sockets on DEV and SERVER_DEV instead of UDP ones."""
    args = ['client', addr, '--server-netns', ns_server, '--port', port, '--size', size,
            '--count', count, '--warmup', warmup, '--timeout', timeout_ms]
    if jitter_ns:
        args += ['--jitter', jitter_ns]
    if busy_us:
        args += ['--busy-poll', busy_us]
    if hw_timestamps:
        args += ['--hw-timestamps']
    args += ['--json'] + list(extra)
    if af_xdp:
        args += ['--af-xdp', af_xdp, '--dev', dev, '--server-dev', server_dev]
    return bench(ns_client, args)


def stream(ns_client, ns_server, addr, port, size, count, rate=None):
    """A hotpath-bench stream of COUNT datagrams (paced at RATE/s if given)."""
    args = ['client', addr, '--server-netns', ns_server, '--port', port, '--mode', 'stream',
            '--size', size, '--count', count, '--warmup', 0, '--json']
    if rate:
        args += ['--rate', rate]
    return bench(ns_client, args)


def netstat(ns, field):
    """A /proc/net/netstat or /proc/net/snmp counter in NS ("Udp:RcvbufErrors")."""
    sect, _, name = field.rpartition(':')
    hdr = {}
    for line in ns_run(ns, 'cat', '/proc/net/netstat', '/proc/net/snmp').splitlines():
        words = line.split()
        if not words:
            continue
        key = words[0]
        if key not in hdr:
            hdr[key] = words[1:]
        elif not sect or key == sect + ':':
            if name in hdr[key]:
                return int(words[1 + hdr[key].index(name)])
    return 0


def ethtool_stat(ns, dev, name):
    """One `ethtool -S` counter (0 if absent)."""
    for line in ns_run(ns, 'ethtool', '-S', dev, check=False).splitlines():
        k, sep, v = line.partition(':')
        if sep and k.strip() == name:
            try:
                return int(v.strip())
            except ValueError:
                return 0
    return 0


def tracefs():
    """Where tracefs is, with the hotpath events; None without them."""
    for t in ('/sys/kernel/tracing', '/sys/kernel/debug/tracing'):
        if os.path.isdir(t + '/events/hotpath'):
            return t
    return None


def write(path, value):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(str(value) + '\n')
