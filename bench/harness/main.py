"""The benchmark: interleaved rounds of every contender on every workload, then the operations, then the report."""
import argparse
import datetime
import json
import os
import signal
import sys
import time

from . import contenders as cs
from . import machine, migration, nodes, operations, procs, report, wrk

WORKLOADS = [
    # key, title, path (cpu n filled in), connections option, fresh connection per request
    ("hello-ka", "hello, keep-alive", "/", "connections", False),
    ("hello-close", "hello, fresh connection per request", "/", "connections", True),
    ("cpu", "CPU-bound /work?n={n}, keep-alive", "/work?n={n}", "cpu_connections", False),
]

# --quick's contenders unless --only names others: the baseline, the default listener mode and the seed's design.
QUICK_CONTENDERS = "single,reuseport,node"

# The columns of --quick's closing ratio table: workload key, short title.
QUICK_COLUMNS = [("hello-ka", "hello keep-alive"), ("hello-close", "hello fresh"), ("cpu", "CPU-bound")]

# The rolling restart with net.ipv4.tcp_migrate_req off: key, label, mode, value of the sysctl, extra environment.
# Cluster__EnableListenerMigration=false keeps a reuseport primary (running as root) from turning it back on.
MIGRATION_OFF_VARIANTS = [
    ("reuseport-off", "cluster reuseport, migration off", "reuseport", "0", {"Cluster__EnableListenerMigration": "false"}),
    ("shared-off", "cluster shared, migration off", "shared", "0", {"Cluster__EnableListenerMigration": "false"}),
]
MIGRATION_ON_REFERENCE = ("reuseport-on", "cluster reuseport, migration on (reference)", "reuseport", "1", {})


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__)
    p.add_argument("--quick", action="store_true",
                   help="everyday run: single, reuseport and node; hello and CPU-bound, 2 rounds of 5 s; 4 kills per "
                        "contender; no rolling restarts; prints the ratios; writes only bench/out/")
    p.add_argument("--repeats", type=int, help="rounds of every contender on every workload (default 5; quick 2)")
    p.add_argument("--duration", type=int, help="seconds per measured wrk run (default 10; quick 5)")
    p.add_argument("--warmup", type=int, help="seconds of unmeasured wrk per workload before each run (default 2; quick 1)")
    p.add_argument("--workers", type=int, default=os.cpu_count(), help="workers per cluster (default: cores)")
    p.add_argument("--connections", type=int, default=64, help="wrk connections for hello (default 64)")
    p.add_argument("--cpu-connections", type=int, default=16, help="wrk connections for the CPU-bound endpoint (default 16)")
    p.add_argument("--cpu-n", type=int, default=5_000_000, help="n of /work?n= (default 5000000: a few ms per request)")
    p.add_argument("--kills", type=int, help="kill -9 restarts measured per contender (default 10; quick 4)")
    p.add_argument("--rollouts", type=int, help="rolling restarts under load per contender (default 5; quick 0)")
    p.add_argument("--rolling-duration", type=int, help="seconds of load around each rollout (default 15)")
    p.add_argument("--cluster-env", action="append", default=[], metavar="NAME=VALUE",
                   help="extra environment for our primary and its workers, e.g. Cluster__ShareProcessors=false (repeatable)")
    p.add_argument("--only", help="comma-separated contenders: single,reuseport,shared,shared-balanced,proxy,single-aot,reuseport-aot,"
                                  "node,pm2 (single always runs; quick: single,reuseport,node)")
    p.add_argument("--skip-operations", action="store_true",
                   help="throughput and memory only (no restarts, rolling restarts or migration-off round)")
    p.add_argument("--migration-off-rollouts", type=int,
                   help="rolling restarts per variant with net.ipv4.tcp_migrate_req=0 (default 5; quick 0)")
    p.add_argument("--skip-migration-off", action="store_true",
                   help="skip the rolling restarts with listener migration off (which need root to write the sysctl)")
    p.add_argument("--from-json", metavar="RESULTS_JSON",
                   help="run nothing: render the report again from a run's results.json (with --record, into RESULTS.md)")
    p.add_argument("--record", dest="record", action="store_true", default=None, help="write bench/RESULTS.md (default unless --quick)")
    p.add_argument("--no-record", dest="record", action="store_false")
    a = p.parse_args(argv)
    quick = a.quick
    a.repeats = a.repeats if a.repeats is not None else (2 if quick else 5)
    a.duration = a.duration if a.duration is not None else (5 if quick else 10)
    a.warmup = a.warmup if a.warmup is not None else (1 if quick else 2)
    a.kills = a.kills if a.kills is not None else (4 if quick else 10)
    a.rollouts = a.rollouts if a.rollouts is not None else (0 if quick else 5)
    a.rolling_duration = a.rolling_duration if a.rolling_duration is not None else 15
    a.migration_off_rollouts = (a.migration_off_rollouts if a.migration_off_rollouts is not None
                                else (0 if quick else 5))
    a.only = a.only if a.only is not None or not quick else QUICK_CONTENDERS
    a.record = (not quick) if a.record is None else a.record
    return a


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def memory_snapshot(contender):
    """RSS, private and PSS bytes of every process of the contender, by role."""
    counted = [(role, procs.memory(pid)) for role, pid in contender.processes()]
    counted = [(role, mem) for role, mem in counted if mem is not None]
    primary = [mem for role, mem in counted if role in ("primary", "daemon")]
    workers = [mem for role, mem in counted if role == "worker"]
    return {
        "count": len(counted),
        "primary": primary[0]["rss"] if primary else None,
        "workers": [m["rss"] for m in workers],
        "workers_private": [m["private"] for m in workers],
        "total": sum(m["rss"] for _, m in counted),
        "total_pss": sum(m["pss"] or 0 for _, m in counted),
    }


def server_cpu(contender):
    """CPU seconds used so far by every process of the contender."""
    return sum(procs.cpu_seconds(pid) or 0 for _, pid in contender.processes())


def worker_cpu(contender):
    """CPU seconds used so far by each worker of the contender, by pid."""
    return {pid: procs.cpu_seconds(pid) for role, pid in contender.processes() if role == "worker"}


def worker_shares(before, after):
    """Each worker's share of the workers' CPU time between two worker_cpu snapshots, largest first: how evenly the
    kernel (or the proxy) spread the work; None with fewer than two workers or no CPU used."""
    used = [after[p] - before[p] for p in before if p in after and before[p] is not None and after[p] is not None]
    total = sum(used)
    if len(used) < 2 or total <= 0:
        return None
    return sorted((u / total for u in used), reverse=True)


def throughput_rounds(args, contenders, results):
    unavailable = results["unavailable"]
    for rnd in range(args.repeats):
        shift = rnd % len(contenders)
        order = contenders[shift:] + contenders[:shift]
        for c in order:
            if c.key in unavailable:
                continue
            port = procs.free_port()
            try:
                c.start(port)
                ready = c.wait_ready()
            except cs.NotAvailable as error:
                unavailable[c.key] = str(error)
                log(f"round {rnd + 1}: {c.label} not available: {error}")
                c.stop()
                continue
            try:
                log(f"round {rnd + 1}/{args.repeats}: {c.label} on port {port} (ready in {ready:.2f} s)")
                for key, _, path, conn_attr, close in WORKLOADS:
                    url = f"http://127.0.0.1:{port}{path.format(n=args.cpu_n)}"
                    connections = getattr(args, conn_attr)
                    if args.warmup:
                        wrk.run(url, args.warmup, connections, close=close)
                    cpu_before = server_cpu(c)
                    workers_before = worker_cpu(c)
                    r = wrk.run(url, args.duration, connections, close=close)
                    r["cpu_us_per_req"] = (server_cpu(c) - cpu_before) * 1e6 / r["requests"] if r["requests"] else None
                    r["worker_cpu_shares"] = worker_shares(workers_before, worker_cpu(c))
                    if not r["ok"]:
                        log(f"  {key}: wrk failed: {r['raw'].strip()[-300:]}")
                    else:
                        log(f"  {key}: {r['rps']:.0f} req/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, errors {r['errors']}")
                    r.pop("raw", None)
                    results["throughput"][key].setdefault(c.key, [None] * args.repeats)[rnd] = r
                mem = memory_snapshot(c)
                results["memory"].setdefault(c.key, [None] * args.repeats)[rnd] = mem
                log(f"  memory: {mem['count']} processes, {mem['total'] / report.MB:.0f} MB in total")
            finally:
                c.stop()


def restart_rounds(args, contenders, results):
    eligible = [c for c in contenders if c.can_restart and c.key not in results["unavailable"]]
    for c in eligible:
        results["restarts"][c.key] = []
    while any(len(results["restarts"][c.key]) < args.kills for c in eligible):
        for c in eligible:
            if len(results["restarts"][c.key]) >= args.kills:
                continue
            try:
                latencies = operations.restart_batch(c, procs.free_port())
            except cs.NotAvailable as error:
                log(f"restart: {c.label} not available: {error}")
                results["restarts"][c.key].append(None)
                continue
            results["restarts"][c.key].extend(latencies[:args.kills - len(results["restarts"][c.key])])
            shown = ", ".join("lost" if v is None else f"{v * 1000:.0f} ms" for v in latencies)
            log(f"restart: {c.label}: {shown}")


def rolling_rounds(args, contenders, results):
    eligible = [c for c in contenders if c.can_reload and c.key not in results["unavailable"]]
    for rnd in range(args.rollouts):
        shift = rnd % max(1, len(eligible))
        for c in eligible[shift:] + eligible[:shift]:
            lead = min(3.0, args.rolling_duration / 4)
            try:
                r = operations.rolling_once(c, procs.free_port(), args.rolling_duration, args.cpu_connections,
                                            lead, args.warmup)
            except cs.NotAvailable as error:
                log(f"rolling: {c.label} not available: {error}")
                continue
            r.pop("raw", None)
            results["rolling"].setdefault(c.key, []).append(r)
            log(f"rolling: {c.label}: {r['reload_message']}; {r['rollout_s']:.2f} s; replaced {r['replaced']}/{r['workers_after']}; "
                f"failed {r['errors']} (connect {r['connect']}, read {r['read']}, write {r['write']}, timeout {r['timeout']}, "
                f"non-2xx {r['non2xx']}) of {r['requests']}; p99 {r['p99_ms']} ms")


def migration_off_rounds(args, contenders, results, work_dir, live):
    """Rolling restarts under load with net.ipv4.tcp_migrate_req=0: reuseport (which then resets the connections
    queued on a stopping worker's listener) against shared (one accept queue for all). The reference, reuseport with
    migration on, is the rolling round's reuseport rollouts when there are any, else run here with the sysctl at 1.
    The original value is restored after the round (and by main's finally and at exit if the round is cut short)."""
    out = results["migration_off"] = {"runs": {}, "labels": {}, "unavailable": None, "reference": None,
                                      "original": migration.read(), "restored": None}
    selected = {c.key for c in contenders} - set(results["unavailable"])
    variants = [v for v in MIGRATION_OFF_VARIANTS if v[2] in selected]
    if not variants:
        out["unavailable"] = "neither reuseport nor shared is among the contenders"
        return
    reason = migration.GUARD.check()
    if reason:
        out["unavailable"] = reason
        log(f"migration off: not available: {reason}")
        return
    if "reuseport" in selected:
        if [r for r in results["rolling"].get("reuseport", []) if r]:
            out["reference"] = "rolling"
        else:
            variants.append(MIGRATION_ON_REFERENCE)
            out["reference"] = "this round"
    cluster_env = parse_cluster_env(args)
    runs = []
    for key, label, mode, value, extra in variants:
        c = cs.OurCluster(mode, args.workers, work_dir, {**cluster_env, **extra}, key=key, label=label)
        live.append(c)
        runs.append((c, value))
        out["labels"][key] = label
    lead = min(3.0, args.rolling_duration / 4)
    try:
        for rnd in range(args.migration_off_rollouts):
            shift = rnd % len(runs)
            for c, value in runs[shift:] + runs[:shift]:
                migration.GUARD.set(value)
                try:
                    r = operations.rolling_once(c, procs.free_port(), args.rolling_duration, args.cpu_connections,
                                                lead, args.warmup)
                except cs.NotAvailable as error:
                    log(f"migration off: {c.label} not available: {error}")
                    out["runs"].setdefault(c.key, [])
                    out.setdefault("errors", {})[c.key] = str(error)
                    continue
                r.pop("raw", None)
                out["runs"].setdefault(c.key, []).append(r)
                log(f"migration off: {c.label} (tcp_migrate_req {r['migrate_req']} during the rollout): "
                    f"{r['reload_message']}; {r['rollout_s']:.2f} s; replaced {r['replaced']}/{r['workers_after']}; "
                    f"failed {r['errors']} (connect {r['connect']}, read {r['read']}, write {r['write']}, "
                    f"timeout {r['timeout']}, non-2xx {r['non2xx']}) of {r['requests']}")
    finally:
        out["restored"] = migration.GUARD.restore()
        log(f"migration off: net.ipv4.tcp_migrate_req restored to {out['restored']} (was {out['original']})")


def render(args, argv, results, info):
    contenders = results["contenders"]
    un = results["unavailable"]
    lines = [
        "# Benchmark results",
        "",
        f"Latest run: {results['started']} to {results['finished']} (UTC).",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} memory, kernel {info['kernel']}, {info['os']}; "
        f"load average {results['load_before']} before, {results['load_after']} after. "
        "The machine is shared with other work: treat single figures as noisy, compare the ratios.",
        "",
        f"Software: .NET SDK {info['dotnet']}, Node.js {info['node']}, Express {info['express']}, PM2 {info['pm2']}, {info['wrk']}. "
        f"net.ipv4.tcp_migrate_req: {results['migrate_before']} before the run, {results['migrate_after']} after "
        "(our primary turns it on in reuseport mode when it runs as root).",
        "",
        "Command:",
        "",
        "```",
        "bench/run.sh " + " ".join(argv),
        "```",
        "",
        f"Settings: {args.repeats} interleaved rounds (contender order rotated each round), {args.duration} s per measured run after "
        f"{args.warmup} s of warm-up; wrk 2 threads, {args.connections} connections for hello, {args.cpu_connections} for the "
        f"CPU-bound endpoint (n = {args.cpu_n}); {args.workers} workers per cluster. Figures are medians over the rounds; "
        "'x single' is the median over rounds of (contender / single Worker of the same round). Errors are wrk's socket "
        "errors (connect, read, write, timeout) plus non-2xx responses. 'CPU us/req' is the user + system CPU time "
        "of all the contender's processes during the measured run divided by the requests served: how much work a request "
        "costs the server, a figure less sensitive to the other load on the machine than req/s.",
        "",
    ]
    for key, title, *_ in WORKLOADS:
        lines += [f"## {title.format(n=args.cpu_n)}", "", report.throughput_table(key, contenders, results["throughput"][key], un), ""]
    lines += ["## Resident memory after the load (VmRSS)", "",
              "VmRSS per process and in total, as the targets ask; the ratios are against the single Worker's one process "
              "of the same round. VmRSS counts the shared, file-backed pages of the runtime and framework (about 58 MB of a "
              ".NET process, the same pages in every .NET process) in full in every process, so two more columns: private "
              "(RssAnon + RssShmem, the pages only that worker has) and the contender's total PSS (shared pages divided "
              "among the processes mapping them, including processes outside the benchmark).", "",
              report.memory_table(contenders, results["memory"], un), ""]
    if not args.skip_operations:
        lines += ["## Restart latency after kill -9 of a worker", "",
                  "Time from `kill -9` of a worker to the first fresh-connection `GET /` answered by a new worker pid "
                  "(a new probe every 5 ms, each waiting up to 3 s, so a probe that is queued does not delay the first answer). Each kill is the first crash of its worker slot in a freshly started cluster, "
                  "which our primary restarts at once (its backoff starts with the second crash in a row).", "",
                  report.restart_table(contenders, results["restarts"], un), ""]
    if not args.skip_operations and args.rollouts > 0:
        lines += ["## Rolling restart under load", "",
                  f"wrk with `Connection: close` (a fresh connection per request), {args.cpu_connections} connections, "
                  f"{args.rolling_duration} s; the rollout starts {min(3.0, args.rolling_duration / 4):.0f} s in: "
                  "`POST /control/reload` on the control socket for our modes, `pm2 reload` for PM2 "
                  "(wait_ready, listen_timeout 8 s, kill_timeout 1.6 s, graceful SIGINT handler). "
                  "Failed requests are every wrk error and non-2xx response in the window.", "",
                  report.rolling_table(contenders, results["rolling"], un), ""]
    if not args.skip_operations and args.migration_off_rollouts > 0:
        lines += ["## Rolling restart with listener migration off", "",
                  "What a planned restart loses when the kernel does not move the connections queued on a closing "
                  "SO_REUSEPORT listener to another (`net.ipv4.tcp_migrate_req=0`, the kernel's default). The harness "
                  "wrote 0 to `/proc/sys/net/ipv4/tcp_migrate_req` before each rollout of this round and put the "
                  "original value back afterwards; the reuseport primary ran with `Cluster__EnableListenerMigration=false` "
                  "so that it did not turn migration back on. Same load and rollout as above (`Connection: close`, "
                  f"{args.cpu_connections} connections, {args.rolling_duration} s, `POST /control/reload`), "
                  f"{args.migration_off_rollouts} rollouts per variant, interleaved. "
                  + {"rolling": "The reference, reuseport with migration on, is the rolling round's reuseport rollouts above. ",
                     "this round": "The reference, reuseport with migration on, ran in this round with the value at 1. "}.get(
                      (results.get("migration_off") or {}).get("reference"), "")
                  + "'tcp_migrate_req during' is the value read while each rollout ran.", "",
                  report.migration_off_table(results, args), ""]
    lines += ["## Work split across workers", "",
              "Each worker's share of the workers' CPU time during the measured run (user + system, from /proc), "
              "median over the rounds of the busiest worker's share; with 2 workers, 50% is an even split. SO_REUSEPORT "
              "hashes each connection to one listener; a shared accept queue hands each connection to whichever worker "
              "accepts first; the proxy and Node's cluster module (round-robin in the primary) spread them themselves.", "",
              report.split_table(contenders, results["throughput"], [(k, t.format(n=args.cpu_n)) for k, t, *_ in WORKLOADS], un), ""]
    lines += ["## Targets (2-core machine, same run)", "", report.targets(results), ""]
    if un:
        lines += ["## Not available in this run", ""] + [f"- {k}: {v}" for k, v in un.items()] + [""]
    if args.quick:
        # Last, so that it is what a quick run leaves on the screen.
        lines += ["## Ratios against the single Worker", "",
                  "Median over the rounds of (contender / single Worker of the same round): req/s (higher is better) "
                  "and CPU us per request (lower is better), per workload; restart after kill -9, median.", "",
                  report.ratio_summary(contenders, results["throughput"], QUICK_COLUMNS, results["restarts"], un), ""]
    return "\n".join(lines)


def record(text):
    """Writes the report to bench/RESULTS.md, keeping the sections bench/nodes.sh put there."""
    path = os.path.join(cs.REPO, "bench", "RESULTS.md")
    text = report.keep_sections(text, report.read_text(path), nodes.SECTION)
    with open(path, "w") as f:
        f.write(text)


def parse_cluster_env(args):
    return dict(item.split("=", 1) for item in args.cluster_env)


def make_contenders(args, work_dir):
    cluster_env = parse_cluster_env(args)
    workers = args.workers
    contenders = [cs.SingleWorker(work_dir), cs.OurCluster("reuseport", workers, work_dir, cluster_env),
                  cs.OurCluster("shared", workers, work_dir, cluster_env),
                  cs.OurCluster("shared", workers, work_dir, {"Cluster__AcceptBalance": "connections", **cluster_env},
                                key="shared-balanced", label="cluster shared, AcceptBalance connections"),
                  cs.OurCluster("proxy", workers, work_dir, cluster_env),
                  cs.SingleWorker(work_dir, aot=True),
                  cs.OurCluster("reuseport", workers, work_dir, cluster_env, aot=True),
                  cs.NodeCluster(workers, work_dir), cs.Pm2Cluster(workers, work_dir)]
    if args.only:
        wanted = set(args.only.split(","))
        contenders = [c for c in contenders if c.key in wanted or c.key == "single"]
    return contenders


def rerender(args):
    """Renders the report of a finished run again from its results.json."""
    with open(args.from_json) as f:
        raw = json.load(f)
    argv = raw.get("argv", [])
    run_args = argparse.Namespace(**raw["args"])
    results = {k: v for k, v in raw.items() if k not in ("machine", "args", "argv")}
    results.setdefault("migrate_before", "not recorded")
    results.setdefault("migrate_after", "not recorded")
    results.setdefault("migration_off", {})
    for key, default in (("migration_off_rollouts", 0), ("skip_migration_off", True)):
        setattr(run_args, key, getattr(run_args, key, default))
    measured = set(results["unavailable"]) | {k for runs in results["throughput"].values() for k in runs}
    results["contenders"] = [c for c in make_contenders(run_args, os.path.dirname(os.path.abspath(args.from_json)))
                             if c.key in measured]
    text = render(run_args, argv, results, raw["machine"])
    if args.record:
        record(text)
    print(text)
    return 0


def main(argv):
    args = parse_args(argv)
    if args.from_json:
        return rerender(args)
    out_dir = os.path.join(cs.REPO, "bench", "out")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
    work_dir = os.path.join(out_dir, f"run-{stamp}")
    os.makedirs(work_dir, exist_ok=True)

    contenders = make_contenders(args, work_dir)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    info = machine.describe()
    results = {"contenders": contenders, "unavailable": {}, "throughput": {k: {} for k, *_ in WORKLOADS},
               "memory": {}, "restarts": {}, "rolling": {}, "migration_off": {},
               "started": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
               "load_before": machine.load_average(), "migrate_before": machine.tcp_migrate_req()}
    log(f"logs and raw results in {work_dir}")
    live = list(contenders)
    try:
        throughput_rounds(args, contenders, results)
        if not args.skip_operations:
            restart_rounds(args, contenders, results)
            rolling_rounds(args, contenders, results)
            if not args.skip_migration_off and args.migration_off_rollouts > 0:
                migration_off_rounds(args, contenders, results, work_dir, live)
    except KeyboardInterrupt:
        log("interrupted: stopping everything")
        raise
    finally:
        for c in live:
            c.stop()
        leftovers = procs.REGISTRY.kill_leftovers()
        if leftovers:
            log(f"killed leftover processes: {leftovers}")
        restored = migration.GUARD.restore()
        if results.get("migration_off", {}).get("original") not in (None, restored):
            log(f"warning: net.ipv4.tcp_migrate_req is {restored}, was {results['migration_off']['original']}")

    results["finished"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    results["load_after"] = machine.load_average()
    results["migrate_after"] = machine.tcp_migrate_req()
    raw = {k: v for k, v in results.items() if k != "contenders"}
    raw.update({"machine": info, "args": vars(args), "argv": argv})
    with open(os.path.join(work_dir, "results.json"), "w") as f:
        json.dump(raw, f, indent=1)
    text = render(args, argv, results, info)
    with open(os.path.join(work_dir, "report.md"), "w") as f:
        f.write(text)
    if args.record:
        record(text)
    print()
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
