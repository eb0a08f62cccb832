# SPDX-License-Identifier: GPL-2.0
"""The setup and the traffic the lab stands on, in one place.

Namespaces, the module, a pair of ports with addresses and pinned
neighbours, `hotpath -j`, `hotpath-bench --json` ping-pongs and streams,
tracefs and counters: the kernel's tools/testing/selftests/drivers/net/lib/py
shape (a small helper that runs `ip` and the tools and hands back parsed
JSON).  The lab uses it, and so do the kselftests through its command line
(`python3 -m hotpath_lab.net ...`, which selftests/lib.sh wraps as
hp_mod_load, hp_port_setup and hp_pair_setup): one implementation of each.

Everything runs the real iproute2 (never busybox's applet) and polls for
readiness with a bound instead of sleeping a fixed time.
"""

import json
import os
import shlex
import subprocess
import sys
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


def mod_unload():
    """Unload it, waiting out users still going away (a namespace being
    deleted holds its ports for a moment)."""
    if not mod_loaded():
        return True
    if busywait(5000, lambda: run(['rmmod', 'hotpath'], check=False) is not None
                and not mod_loaded(), interval=0.1):
        return True
    run(['rmmod', 'hotpath'])
    return True


def wait_dev(dev, timeout_ms=5000, ns=None):
    """Until DEV exists (in NS)."""
    if ns:
        return busywait(timeout_ms, lambda: subprocess.run(
            in_ns(ns, ['test', '-d', '/sys/class/net/' + dev])).returncode == 0) is not None
    return busywait(timeout_ms, lambda: os.path.isdir('/sys/class/net/' + dev)) is not None


def mod_load(params=(), ko=None, fresh=True, must_appear=True):
    """(Re)load the module with PARAMS (["pairs=1"]) and wait (5 s at most)
    for hp0; must_appear: its absence then is an error.  ko: a file for
    insmod; None: $HOTPATH_KO, else modprobe."""
    if fresh:
        mod_unload()
    ko = ko or ko_path()
    if ko:
        run(['insmod', ko] + list(params))
    else:
        run(['modprobe', 'hotpath'] + list(params))
    if not wait_dev('hp0') and must_appear:
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


def port_setup(ns, dev, ip4=None, ip6=None, quiet=False):
    """Move DEV into NS, address it and bring it up.  With IPv6: no DAD
    (addresses usable at once) and no router solicitations (they would
    spoil exact counters).  quiet: IPv6 off altogether, so the link carries
    only the caller's frames (pin the neighbours with pin_neigh)."""
    ip('link', 'set', 'dev', dev, 'netns', ns)
    if quiet:
        ns_run(ns, 'sysctl', '-qw', 'net.ipv6.conf.%s.disable_ipv6=1' % dev, check=False)
    else:
        ns_run(ns, 'sysctl', '-qw', 'net.ipv6.conf.%s.accept_dad=0' % dev,
               'net.ipv6.conf.%s.router_solicitations=0' % dev, check=False)
    if ip4:
        ip('-n', ns, 'addr', 'add', ip4 + '/24', 'dev', dev)
    if ip6:
        ip('-n', ns, 'addr', 'add', ip6 + '/64', 'dev', dev, 'nodad')
    ip('-n', ns, 'link', 'set', 'dev', dev, 'up')


def pin_neigh(ns, dev, peer_mac, *addrs):
    """Permanent neighbour entries (no ARP/ND)."""
    for a in addrs:
        ip('-n', ns, 'neigh', 'replace', a, 'lladdr', peer_mac, 'dev', dev, 'nud', 'permanent')


def wait_carrier(ns, dev, timeout_ms=5000):
    return busywait(timeout_ms, lambda: carrier(ns, dev) == '1') is not None


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
        for ns in (self.ns_a, self.ns_b):
            ns_add(ns)
            self.namespaces.append(ns)
        port_setup(self.ns_a, self.dev_a, self.ip4_a, self.ip6_a, quiet)
        port_setup(self.ns_b, self.dev_b, self.ip4_b, self.ip6_b, quiet)
        if not (wait_carrier(self.ns_a, self.dev_a, timeout_ms) and
                wait_carrier(self.ns_b, self.dev_b, timeout_ms)):
            raise NetError('no carrier on %s/%s' % (self.dev_a, self.dev_b))
        if quiet:
            pin_neigh(self.ns_a, self.dev_a, mac(self.ns_b, self.dev_b), self.ip4_b)
            pin_neigh(self.ns_b, self.dev_b, mac(self.ns_a, self.dev_a), self.ip4_a)

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


##############################################################################
# The command line selftests/lib.sh uses, so that the shell tests set up
# what the lab sets up, the same way:
#   python3 -m hotpath_lab.net mod-load KO [PARAM=VALUE...]   (fresh; hp0 awaited
#                                                           5 s, not required)
#   python3 -m hotpath_lab.net mod-unload
#   python3 -m hotpath_lab.net port-setup NS DEV [IP4 [IP6]] [--quiet]
#   python3 -m hotpath_lab.net pair-setup NS_A DEV_A IP4_A IP6_A NS_B DEV_B IP4_B IP6_B
# (the namespaces exist already: lib.sh makes them, to remove them at exit;
# an empty IP4/IP6 is none).

def main(argv):
    if not argv:
        print('usage: python3 -m hotpath_lab.net mod-load|mod-unload|port-setup|pair-setup ARGS',
              file=sys.stderr)
        return 2
    cmd, args = argv[0], argv[1:]
    try:
        if cmd == 'mod-load':
            if not args:
                raise NetError('mod-load KO [PARAM=VALUE...]')
            mod_load(args[1:], ko=args[0], must_appear=False)
        elif cmd == 'mod-unload':
            mod_unload()
        elif cmd == 'port-setup':
            quiet = '--quiet' in args
            args = [a for a in args if a != '--quiet']
            if len(args) < 2:
                raise NetError('port-setup NS DEV [IP4 [IP6]] [--quiet]')
            port_setup(args[0], args[1], (args[2:3] or [None])[0] or None,
                       (args[3:4] or [None])[0] or None, quiet)
        elif cmd == 'pair-setup':
            if len(args) != 8:
                raise NetError('pair-setup NS_A DEV_A IP4_A IP6_A NS_B DEV_B IP4_B IP6_B')
            port_setup(args[0], args[1], args[2] or None, args[3] or None)
            port_setup(args[4], args[5], args[6] or None, args[7] or None)
            if not (wait_carrier(args[0], args[1]) and wait_carrier(args[4], args[5])):
                raise NetError('no carrier on %s/%s' % (args[1], args[5]))
        else:
            raise NetError('unknown command %s' % cmd)
    except NetError as e:
        print('hotpath_lab.net: %s' % e, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
