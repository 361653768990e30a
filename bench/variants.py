"""Keep-alive load on one path (hello by default): the single Worker against cluster variants that differ in environment, interleaved rounds.

    python3 bench/variants.py --mode proxy --rounds 5 --duration 4 \\
        '{"as built": {}, "two epoll threads": {"DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT": "2"}}'

Prints every run, then per variant the median req/s, the median of the per-round ratios to the single Worker, the
median CPU microseconds per request of all its processes and of the primary alone, and each worker's resident memory
after the run (VmRSS and private, the mean over its workers; total PSS of all its processes). `--aot` runs the Native
AOT worker (single and cluster), which bench/run.sh publishes; an environment variable of a variant reaches the
primary and, through it, the workers. Needs a Release build
(bench/run.sh makes one) and wrk; each contender is stopped after its run, also on an error or Ctrl+C. The
contenders' output goes to a temporary folder, removed at the end unless the run failed.
"""
import argparse
import json
import os
import re
import shutil
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
    p.add_argument("--path", default="/", help="request path (default /, hello; /work?n=5000000 is the CPU-bound case)")
    p.add_argument("--aot", action="store_true", help="Native AOT workers (and the single Native AOT worker)")
    return p.parse_args(argv)


def measure(contender, args):
    port = procs.free_port()
    contender.start(port)
    try:
        contender.wait_ready()
        url = f"http://127.0.0.1:{port}{args.path}"
        wrk.run(url, args.warmup, args.connections)
        pids = contender.processes()
        before = {pid: procs.cpu_seconds(pid) or 0 for _, pid in pids}
        result = wrk.run(url, args.duration, args.connections)
        after = {pid: procs.cpu_seconds(pid) or 0 for _, pid in pids}
        requests = result["requests"] or 1
        total = sum(after[p] - before[p] for _, p in pids) * 1e6 / requests
        primary = sum(after[p] - before[p] for role, p in pids if role == "primary") * 1e6 / requests
        return result["rps"] or 0.0, total, primary, result["errors"], memory(contender)
    finally:
        contender.stop()


def memory(contender):
    """Mean VmRSS and private MB of the contender's workers, and the total PSS MB of all its processes."""
    counted = [(role, procs.memory(pid)) for role, pid in contender.processes()]
    workers = [m for role, m in counted if role == "worker" and m]
    mb = 1024 * 1024
    if not workers:
        return 0.0, 0.0, 0.0
    return (statistics.mean(m["rss"] for m in workers) / mb, statistics.mean(m["private"] for m in workers) / mb,
            sum(m["pss"] or 0 for _, m in counted if m) / mb)


def main(argv):
    args = parse_args(argv)
    work = tempfile.mkdtemp(prefix="variants-")
    contenders = [cs.SingleWorker(work, aot=args.aot)] + [
        cs.OurCluster(args.mode, args.workers, work, env, key=re.sub(r"[^A-Za-z0-9._-]+", "-", label), label=label, aot=args.aot)
        for label, env in json.loads(args.variants).items()]
    try:
        runs = {c.label: [] for c in contenders}
        for rnd in range(args.rounds):
            shift = rnd % len(contenders)
            for c in contenders[shift:] + contenders[:shift]:
                rps, total, primary, errors, (rss, private, pss) = measure(c, args)
                runs[c.label].append((rps, total, primary, rss, private, pss))
                print(f"round {rnd + 1} {c.label:28s} {rps:8.0f} req/s, {total:6.1f} us CPU/req, primary {primary:6.1f}, errors {errors}, "
                      f"worker {rss:5.1f}/{private:5.1f} MB, PSS {pss:6.1f} MB", flush=True)
        single = [r[0] for r in runs[contenders[0].label]]
        print(f"\n{'variant':28s} {'req/s':>8s} {'ratio':>6s} {'CPU us/req':>10s} {'primary':>8s} {'worker MB':>9s} {'private':>7s} {'PSS MB':>7s}")
        for key, rows in runs.items():
            ratio = statistics.median(r[0] / s for r, s in zip(rows, single) if s)
            print(f"{key:28s} {statistics.median(r[0] for r in rows):8.0f} {ratio:6.3f} "
                  f"{statistics.median(r[1] for r in rows):10.1f} {statistics.median(r[2] for r in rows):8.1f} "
                  f"{statistics.median(r[3] for r in rows):9.1f} {statistics.median(r[4] for r in rows):7.1f} {statistics.median(r[5] for r in rows):7.1f}")
    except BaseException:
        print(f"the contenders' output is kept in {work}", file=sys.stderr)
        raise
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
