# SPDX-License-Identifier: GPL-2.0
"""hotpath-lab: toggle each low-latency technique on a hotpath pair and watch
the stages it removes, with numbers measured in this run only.

  hotpath-lab [demo] [--short] [--count N] [--results FILE] [--report FILE.html]
      the three demos and the closing table; writes FILE (default
      results.json) and, with --report, the HTML report
  hotpath-lab bench [--short] [--count N] [--results FILE] [--report FILE.html]
      ratios with their goals: hotpath vs veth (one-way p50, 64 B stream
      pps, XDP_DROP pps), busy-poll vs interrupt, stats, probes and
      tracepoints on vs off, and their instructions per packet on the VM's
      virtual clock
  hotpath-lab nic --dev A --peer B [--short] [--count N] [--results FILE]
                [--report FILE.html]
      the techniques on a real pair, two ports of this box wired to each
      other: each through the kernel's own knobs (hotpath set), measured by
      the stage accounting attached to both, beside the same technique on
      hotpath's emulated pair; steps the driver cannot do are listed as not
      supported by it, with the reason
  hotpath-lab render FILE [--html OUT.html]
      the text (and the HTML report) of a results file, from that file alone

Colour only when stdout is a terminal and NO_COLOR is unset.  A run needs
root with hotpath.ko loaded (or loadable from $HOTPATH_KO / modprobe) and
hotpath, hotpath-bench and ip (iproute2) on PATH; it puts hp0 and hp1 (or a
pair it creates) into two namespaces of its own and puts them back at exit.
`make demo` / `make bench` run it in the QEMU test VM.
Exit status: 0 when every step ran, 1 when one failed, 2 on usage errors or
a results file that cannot be rendered.
"""

import argparse
import datetime
import os
import shutil
import signal
import sys

from . import net, nicwalk, render, report, results, steps

PROG = 'hotpath-lab'


def usage_error(msg):
    print('%s: %s' % (PROG, msg), file=sys.stderr)
    return 2


def colour_wanted():
    return sys.stdout.isatty() and not os.environ.get('NO_COLOR')


def writable(path):
    """Refuse a path that cannot be written now, before minutes of
    measuring (the file is written at the end)."""
    if os.path.isdir(path):
        return False
    d = os.path.dirname(os.path.abspath(path))
    return os.path.isdir(d) and os.access(d, os.W_OK) and \
        (not os.path.exists(path) or os.access(path, os.W_OK))


def version():
    """The tools' version (hotpath-bench --version: "hotpath-bench X.Y.Z")."""
    try:
        return net.run(['hotpath-bench', '--version']).split()[-1]
    except (net.NetError, IndexError, OSError):
        return 'unknown'


def write_html(r, path):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(report.html(r))


def cmd_render(a):
    try:
        r = results.load(a.file)
    except results.ResultsError as e:
        print('%s: %s' % (PROG, e), file=sys.stderr)
        return 2
    sys.stdout.write(render.text(r, colour_wanted()))
    if a.html:
        try:
            write_html(r, a.html)
        except OSError as e:
            print('%s: --html %s: %s' % (PROG, a.html, e.strerror), file=sys.stderr)
            return 2
    return 0


def cmd_run(a):
    if (a.mode == 'nic') != bool(a.dev and a.peer):
        return usage_error('--dev and --peer name the real pair, for nic (and only for it)')
    for opt, path in (('--results', a.results), ('--report', a.report)):
        if path and not writable(path):
            return usage_error('%s %s: cannot write that file (%s missing, not writable, or a '
                               'directory)' % (opt, path, os.path.dirname(path) or '.'))
    for c in ('hotpath', 'hotpath-bench'):
        if not shutil.which(c):
            print('%s: %s not found on PATH' % (PROG, c), file=sys.stderr)
            return 1
    if os.geteuid() != 0:
        print('%s: needs root' % PROG, file=sys.stderr)
        return 1
    # Enough datagrams per step that p50s are stable under QEMU TCG.
    count = a.count or (100 if a.short else 500)
    # SO_BUSY_POLL budget per receive call.  It must outlast the wait for
    # the next datagram, or the receiver sleeps and the frame takes the
    # fallback watchdog: under QEMU TCG a round trip takes hundreds of us.
    busy = int(os.environ.get('LAB_BUSY_US', 20000))
    # Spin a random 0..JITTER_NS before each ping (hotpath-bench --jitter),
    # so a busy poller meets datagrams at every phase of its loop: on the
    # virtual clock a fixed phase would shift a step's p50 by up to one
    # loop iteration.
    jitter = int(os.environ.get('LAB_JITTER_NS', 2000))
    meta = {'kernel': os.uname().release, 'clock': os.environ.get('HOTPATH_VM_CLOCK') or 'host',
            'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
            'version': version(), 'count': count, 'size': steps.SIZE, 'rounds': steps.ROUNDS,
            'warmup': steps.WARMUP, 'busy_poll_us': busy, 'jitter_ns': jitter,
            'ncpu': len(os.sched_getaffinity(0)), 'dev_a': '', 'dev_b': '', 'ns_a': '', 'ns_b': ''}
    r = results.new(a.mode, meta)
    colour = colour_wanted()

    def show(p):
        kind, data = p
        print('\n'.join(render.part(r, kind, data, colour)), flush=True)

    lab = steps.Lab(r, count, busy, jitter, show=show)

    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    rc = 0
    try:
        lab.setup()
        show(('header', None))
        if a.mode == 'nic':
            walk = nicwalk.NicWalk(lab, a.dev, a.peer)
            try:
                walk.setup()
                walk.run()
            finally:
                walk.teardown()
        elif a.mode == 'bench':
            lab.bench()
        else:
            lab.demo1()
            lab.demo2()
            lab.demo3()
            lab.closing()
    except KeyboardInterrupt:
        print('%s: interrupted' % PROG, file=sys.stderr)
        r['failures'].append('interrupted')
        rc = 130
    except (net.NetError, steps.StepFailed, OSError) as e:
        print('%s: %s' % (PROG, e), file=sys.stderr)
        r['failures'].append(str(e))
        rc = 1
    finally:
        lab.cleanup()
    if r['failures'] and not rc:
        rc = 1
    try:
        results.validate(r)
    except results.ResultsError as e:
        # a run cut short leaves a section out; the file says so
        r['failures'].append('incomplete results: %s' % e)
    results.dump(r, a.results)
    print('\nResults: %s' % a.results)
    if a.report:
        try:
            results.validate(r)
            write_html(r, a.report)
            print('Report: %s' % a.report)
        except (OSError, results.ResultsError) as e:
            print('%s: FAILED: report: cannot write %s: %s' % (PROG, a.report, e), file=sys.stderr)
            rc = rc or 1
    if rc == 1:
        print('%s: some steps failed (see \'FAILED\' above)' % PROG, file=sys.stderr)
    return rc


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['render']:
        p = argparse.ArgumentParser(prog=PROG + ' render',
                                    description='the text (and HTML report) of a results file')
        p.add_argument('file', help='results.json of a lab run')
        p.add_argument('--html', metavar='OUT.html', help='also write the HTML report there')
        return cmd_render(p.parse_args(argv[1:]))
    p = argparse.ArgumentParser(prog=PROG, description=' '.join(__doc__.split('\n\n')[0].split()),
                                usage='%(prog)s [demo|bench] [--short] [--count N] '
                                      '[--results FILE] [--report FILE.html]\n'
                                      '       %(prog)s nic --dev A --peer B [--short] '
                                      '[--count N] [--results FILE] [--report FILE.html]\n'
                                      '       %(prog)s render FILE [--html OUT.html]',
                                epilog=__doc__.split('\n\n', 1)[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('mode', nargs='?', choices=('demo', 'bench', 'nic'), default='demo')
    p.add_argument('--dev', help='nic: the client\'s port of a real pair')
    p.add_argument('--peer', help='nic: the server\'s port, wired to --dev')
    p.add_argument('--short', action='store_true', help='100 datagrams per step, not 500')
    p.add_argument('--count', type=int, help='datagrams per step')
    p.add_argument('--results', default='results.json', metavar='FILE',
                   help='where the results go (default: results.json)')
    p.add_argument('--report', metavar='FILE.html', help='also write the HTML report')
    return cmd_run(p.parse_args(argv))
