"""Hello keep-alive only: the single Worker against cluster variants that differ in environment, interleaved rounds.

    python3 bench/variants.py --mode proxy --rounds 5 --duration 4 \\
        '{"as built": {}, "two epoll threads": {"DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT": "2"}}'

Prints every run, then per variant the median req/s, the median of the per-round ratios to the single Worker, and
the median CPU microseconds per request of all its processes and of the primary alone. Needs a Release build
(bench/run.sh makes one) and wrk; each contender is stopped after its run, also on an error or Ctrl+C.
"""
import argparse
import json
import os
import re
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import contenders as cs, procs, wrk  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("variants", help='JSON object: {"label": {"NAME": "value", ...}, ...}')
    p.add_argument("--mode", default="proxy", help="listener mode of every variant (default proxy)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--duration", type=int, default=4, help="seconds per measured run (default 4)")
    p.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load before each run (default 2)")
    p.add_argument("--connections", type=int, default=64)
    return p.parse_args(argv)


def measure(contender, args):
    port = procs.free_port()
    contender.start(port)
    try:
        contender.wait_ready()
        url = f"http://127.0.0.1:{port}/"
        wrk.run(url, args.warmup, args.connections)
        pids = contender.processes()
        before = {pid: procs.cpu_seconds(pid) or 0 for _, pid in pids}
        result = wrk.run(url, args.duration, args.connections)
        after = {pid: procs.cpu_seconds(pid) or 0 for _, pid in pids}
        requests = result["requests"] or 1
        total = sum(after[p] - before[p] for _, p in pids) * 1e6 / requests
        primary = sum(after[p] - before[p] for role, p in pids if role == "primary") * 1e6 / requests
        return result["rps"] or 0.0, total, primary, result["errors"]
    finally:
        contender.stop()


def main(argv):
    args = parse_args(argv)
    work = tempfile.mkdtemp(prefix="variants-")
    contenders = [cs.SingleWorker(work)] + [
        cs.OurCluster(args.mode, args.workers, work, env, key=re.sub(r"[^A-Za-z0-9._-]+", "-", label), label=label)
        for label, env in json.loads(args.variants).items()]
    runs = {c.label: [] for c in contenders}
    for rnd in range(args.rounds):
        shift = rnd % len(contenders)
        for c in contenders[shift:] + contenders[:shift]:
            rps, total, primary, errors = measure(c, args)
            runs[c.label].append((rps, total, primary))
            print(f"round {rnd + 1} {c.label:28s} {rps:8.0f} req/s, {total:6.1f} us CPU/req, primary {primary:6.1f}, errors {errors}",
                  flush=True)
    single = [r[0] for r in runs[contenders[0].label]]
    print(f"\n{'variant':28s} {'req/s':>8s} {'ratio':>6s} {'CPU us/req':>10s} {'primary':>8s}")
    for key, rows in runs.items():
        ratio = statistics.median(r[0] / s for r, s in zip(rows, single) if s)
        print(f"{key:28s} {statistics.median(r[0] for r in rows):8.0f} {ratio:6.3f} "
              f"{statistics.median(r[1] for r in rows):10.1f} {statistics.median(r[2] for r in rows):8.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
