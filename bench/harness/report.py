"""Medians, ratios against the single Worker of the same round, the markdown tables and the targets."""
import re
import statistics

MB = 1024 * 1024


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def paired_ratio(values, baseline):
    """Median over rounds of value/baseline, pairing each round with the same round of the baseline."""
    ratios = [v / b for v, b in zip(values, baseline) if v is not None and b not in (None, 0)]
    return median(ratios)


def fmt(value, spec=".0f", suffix=""):
    return "n/a" if value is None else f"{value:{spec}}{suffix}"


def fx(value):
    return fmt(value, ".2f", "x")


def _field(runs, key):
    return [r[key] if r and r.get("ok") else None for r in runs]


def throughput_table(workload, contenders, runs, unavailable):
    """runs[key] = list per round of wrk results (None where not run)."""
    base = runs.get("single", [])
    rows = ["| contender | req/s | x single | p50 ms | x single | p99 ms | x single | CPU us/req | x single | errors (median / total) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c in contenders:
        if c.key in unavailable:
            rows.append(f"| {c.label} | not available: {unavailable[c.key]} |||||||||")
            continue
        r = runs.get(c.key, [])
        rps, p50, p99 = _field(r, "rps"), _field(r, "p50_ms"), _field(r, "p99_ms")
        errors = [x["errors"] for x in r if x and x.get("ok")]
        cpu = [x.get("cpu_us_per_req") if x and x.get("ok") else None for x in r]
        base_cpu = [x.get("cpu_us_per_req") if x and x.get("ok") else None for x in base]
        rows.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} |".format(
            c.label, fmt(median(rps)), fx(paired_ratio(rps, _field(base, "rps"))),
            fmt(median(p50), ".2f"), fx(paired_ratio(p50, _field(base, "p50_ms"))),
            fmt(median(p99), ".2f"), fx(paired_ratio(p99, _field(base, "p99_ms"))),
            fmt(median(cpu), ".0f"), fx(paired_ratio(cpu, base_cpu)),
            fmt(median(errors)), sum(errors)))
    return "\n".join(rows)


def ratio_summary(contenders, throughput, workloads, restarts, unavailable):
    """One row per contender: req/s and CPU us per request against the single Worker of the same round for each
    workload, and the restart median; then the single Worker's own req/s, the figures the ratios divide by."""
    titles = [title for _, title in workloads]
    rows = ["| contender | " + " | ".join(f"{t} req/s" for t in titles) + " | "
            + " | ".join(f"{t} CPU/req" for t in titles) + " | restart median |",
            "|---|" + "---:|" * (2 * len(workloads) + 1)]
    for c in contenders:
        if c.key == "single":
            continue
        if c.key in unavailable:
            rows.append(f"| {c.label} | not available: {unavailable[c.key]} |" + "|" * (2 * len(workloads)))
            continue
        rps, cpu = [], []
        for key, _ in workloads:
            runs, base = throughput.get(key, {}).get(c.key, []), throughput.get(key, {}).get("single", [])
            rps.append(fx(paired_ratio(_field(runs, "rps"), _field(base, "rps"))))
            cpu.append(fx(paired_ratio(_field(runs, "cpu_us_per_req"), _field(base, "cpu_us_per_req"))))
        kills = restarts.get(c.key, [])
        ok = [v * 1000 for v in kills if v is not None]
        restart = fmt(median(ok), ".0f", " ms") if c.can_restart and kills else "n/a"
        if len(ok) < len(kills):
            restart += f" ({len(kills) - len(ok)} of {len(kills)} not back in time)"
        rows.append(f"| {c.label} | " + " | ".join(rps + cpu) + f" | {restart} |")
    single = [fmt(median(_field(throughput.get(key, {}).get("single", []), "rps")), ",.0f") for key, _ in workloads]
    return "\n".join(rows) + "\n\nsingle Worker, median req/s: " + ", ".join(
        f"{t} {v}" for t, v in zip(titles, single)) + "."


def memory_table(contenders, memory, unavailable):
    """memory[key] = list per round of memory snapshots (see main.memory_snapshot)."""
    base_total = [m["total"] if m else None for m in memory.get("single", [])]
    rows = ["| contender | processes | primary/daemon MB | per worker MB | per worker private MB | total MB | total PSS MB | per worker x single | total x single |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c in contenders:
        if c.key in unavailable:
            rows.append(f"| {c.label} | not available |||||||||")
            continue
        rounds = memory.get(c.key, [])
        m = [x for x in rounds if x]
        if not m:
            continue
        per_worker = [median(x["workers"]) if x else None for x in rounds]
        private = [median(x["workers_private"]) for x in m]
        totals = [x["total"] if x else None for x in rounds]
        primaries = [x["primary"] for x in m if x["primary"] is not None]
        rows.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            c.label, fmt(median([x["count"] for x in m])),
            _mb(median(primaries) if primaries else None), _mb(median(per_worker)), _mb(median(private)),
            _mb(median(totals)), _mb(median([x["total_pss"] for x in m])),
            fx(paired_ratio(per_worker, base_total)), fx(paired_ratio(totals, base_total))))
    return "\n".join(rows)


def _mb(value):
    return fmt(value / MB if value is not None else None)


def restart_table(contenders, restarts, unavailable):
    rows = ["| contender | kills | restart-to-serving median ms | min ms | max ms | not back in time |",
            "|---|---:|---:|---:|---:|---:|"]
    for c in contenders:
        if not c.can_restart:
            continue
        if c.key in unavailable:
            rows.append(f"| {c.label} | not available |||||")
            continue
        values = restarts.get(c.key, [])
        ok = [v * 1000 for v in values if v is not None]
        rows.append("| {} | {} | {} | {} | {} | {} |".format(
            c.label, len(values), fmt(median(ok)), fmt(min(ok) if ok else None), fmt(max(ok) if ok else None),
            len(values) - len(ok)))
    return "\n".join(rows)


def rolling_table(contenders, rolling, unavailable):
    rows = ["| contender | rollouts | failed requests per rollout | failed / requests in sum | p99 ms (median) | rollout s (median) | workers replaced | req/s during (median) |",
            "|---|---:|---|---:|---:|---:|---|---:|"]
    for c in contenders:
        if not c.has_primary:
            continue
        if c.key in unavailable:
            rows.append(f"| {c.label} | not available |||||")
            continue
        if not c.can_reload:
            rows.append(f"| {c.label} | n/a: the seed's design has no rolling restart |||||")
            continue
        runs = [r for r in rolling.get(c.key, []) if r]
        failed = ", ".join(str(r["errors"]) + ("" if r["reload_ok"] else " (reload failed)") for r in runs)
        rows.append("| {} | {} | {} | {} | {} | {} | {} | {} |".format(
            c.label, len(runs), failed or "n/a", _sum_failed(runs), fmt(median(_field(runs, "p99_ms")), ".1f"),
            fmt(median([r["rollout_s"] for r in runs]), ".2f"),
            ", ".join(f"{r['replaced']}/{r['workers_after']}" for r in runs) or "n/a",
            fmt(median(_field(runs, "rps")))))
    return "\n".join(rows)


def _sum_failed(runs):
    return f"{sum(r['errors'] for r in runs)} / {sum(r['requests'] for r in runs)}" if runs else "n/a"


def migration_off_table(results, args):
    """Rolling restarts with net.ipv4.tcp_migrate_req=0 (reuseport, shared) and the migration-on reference."""
    mo = results.get("migration_off") or {}
    if not mo:
        return "Not run (`--skip-migration-off` or `--skip-operations`)."
    if mo.get("unavailable"):
        return f"Not available: {mo['unavailable']}."
    rows = ["| variant | tcp_migrate_req during | rollouts | failed / requests per rollout | failed / requests in sum | "
            "failures by kind (connect, read, write, timeout, non-2xx) | p99 ms (median) | rollout s (median) | workers replaced |",
            "|---|---|---:|---|---:|---|---:|---:|---|"]
    entries = [(key, mo["labels"].get(key, key), runs) for key, runs in mo.get("runs", {}).items()]
    if mo.get("reference") == "rolling":
        entries.append(("reuseport-on", "cluster reuseport, migration on (reference: the rolling round)",
                        [r for r in results["rolling"].get("reuseport", []) if r]))
    for key, label, runs in entries:
        if not runs:
            reason = (mo.get("errors") or {}).get(key, "no rollout finished")
            rows.append(f"| {label} | not available: {reason} ||||||||")
            continue
        values = sorted({str(r.get("migrate_req", "not recorded")) for r in runs})
        per = ", ".join(f"{r['errors']}/{r['requests']}" + ("" if r["reload_ok"] else " (reload failed)") for r in runs)
        kinds = ", ".join(str(sum(r[k] for r in runs)) for k in ("connect", "read", "write", "timeout", "non2xx"))
        rows.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            label, ", ".join(values), len(runs), per, _sum_failed(runs), kinds,
            fmt(median(_field(runs, "p99_ms")), ".1f"), fmt(median([r["rollout_s"] for r in runs]), ".2f"),
            ", ".join(f"{r['replaced']}/{r['workers_after']}" for r in runs)))
    restored = f"Value before the round: {mo.get('original')}; after it was restored: {mo.get('restored')}."
    return "\n".join(rows) + "\n\n" + restored


def split_table(contenders, throughput, workloads, unavailable):
    """Median over rounds of the busiest worker's share of the workers' CPU time, per workload."""
    rows = ["| contender | " + " | ".join(title for _, title in workloads) + " |",
            "|---|" + "---:|" * len(workloads)]
    for c in contenders:
        if c.workers < 2 or c.key in unavailable or not c.has_primary:
            continue
        cells = []
        for key, _ in workloads:
            shares = [r["worker_cpu_shares"][0] for r in throughput.get(key, {}).get(c.key, [])
                      if r and r.get("worker_cpu_shares")]
            cells.append("n/a" if not shares else
                         f"{median(shares) * 100:.0f}% (rounds {min(shares) * 100:.0f}-{max(shares) * 100:.0f}%)")
        rows.append(f"| {c.label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


CLUSTER_MODES = ("reuseport", "shared", "shared-balanced", "proxy")


def _modes(measured, unavailable):
    """Our cluster modes that were measured (or reported unavailable), in a fixed order."""
    return [k for k in CLUSTER_MODES if k in measured or k in unavailable]


def _verdict(value, ok):
    if value is None:
        return "not measured"
    return "met" if ok else "MISSED"


def targets(results):
    """The issue's targets, each with the measured value and met / MISSED / not measured."""
    tp, un = results["throughput"], results["unavailable"]
    rows = ["| target | measured | verdict |", "|---|---:|---|"]

    def ratio(workload, key, base):
        runs = tp.get(workload, {})
        if key in un or base in un:
            return None
        return paired_ratio(_field(runs.get(key, []), "rps"), _field(runs.get(base, []), "rps"))

    # shared balances in the kernel like reuseport (no hop through the primary), so it gets reuseport's floor.
    for key, floor in (("reuseport", 0.9), ("shared", 0.9), ("proxy", 0.5)):
        if key not in tp.get("hello-ka", {}) and key not in un:
            continue
        v = ratio("hello-ka", key, "single")
        rows.append(f"| {key} >= {floor}x single Worker, hello keep-alive | {fx(v)} | {_verdict(v, v is not None and v >= floor)} |")
    for key in _modes(tp.get("hello-ka", {}), un):
        for workload, floor in (("hello-ka", 3.5), ("hello-close", 3.5), ("cpu", 2.0)):
            v = ratio(workload, key, "node")
            rows.append(f"| {key} >= {floor}x Node.js cluster, {workload} | {fx(v)} | {_verdict(v, v is not None and v >= floor)} |")
    for key in _modes(results["restarts"], un):
        values = [v for v in results["restarts"].get(key, []) if v is not None]
        v = median(values) * 1000 if values else None
        missing = len(results["restarts"].get(key, [])) - len(values)
        ok = v is not None and v <= 500 and missing == 0
        rows.append(f"| {key} restart-to-serving median <= 500 ms | {fmt(v, '.0f', ' ms')} | {_verdict(v, ok)} |")
    for key in _modes(results["memory"], un):
        m = [x for x in results["memory"].get(key, []) if x]
        v = median([median(x["workers"]) for x in m]) if m else None
        v = v / MB if v else None
        rows.append(f"| {key} resident memory per worker <= 80 MB | {fmt(v, '.0f', ' MB')} | {_verdict(v, v is not None and v <= 80)} |")
    for key in _modes(results["rolling"], un):
        runs = [r for r in results["rolling"].get(key, []) if r]
        v = sum(r["errors"] for r in runs) if runs else None
        ok = runs and v == 0 and all(r["reload_ok"] and r["inside_window"] for r in runs)
        rows.append(f"| {key} rolling restart: zero failed requests | {fmt(v, 'd', ' failed')} in {len(runs)} | {_verdict(v, ok)} |")
    rows += _aot_targets(results)
    runs = [r for r in results["rolling"].get("pm2", []) if r]
    if runs:
        rows.append(f"| (PM2 reload, for comparison) | {sum(r['errors'] for r in runs)} failed in {len(runs)} | |")
    mo = results.get("migration_off") or {}
    for key, runs in (mo.get("runs") or {}).items():
        if runs:
            rows.append(f"| ({mo['labels'].get(key, key)}, for comparison) | "
                        f"{sum(r['errors'] for r in runs)} failed in {len(runs)} | |")
    return "\n".join(rows)


def _aot_targets(results):
    """Issue 16's targets: shared on the CPU-bound case, proxy on hello, and for the Native AOT workers
    (reuseport-aot) restart, memory per worker and PSS against Node."""
    tp, un, rows, key = results["throughput"], results["unavailable"], [], "reuseport-aot"
    for mode, workload, floor in (("shared", "cpu", 0.9), ("shared-balanced", "cpu", 0.9), ("proxy", "hello-ka", 0.45)):
        runs = tp.get(workload, {})
        if mode in runs and mode not in un and "single" not in un:
            v = paired_ratio(_field(runs.get(mode, []), "rps"), _field(runs.get("single", []), "rps"))
            rows.append(f"| {mode} >= {floor}x single Worker, {workload} (issue 16) | {fx(v)} | {_verdict(v, v is not None and v >= floor)} |")
    if key in un:
        return rows
    if key in results["restarts"]:
        values = [v for v in results["restarts"][key] if v is not None]
        v = median(values) * 1000 if values else None
        ok = v is not None and v <= 100 and len(values) == len(results["restarts"][key])
        rows.append(f"| {key} restart-to-serving median <= 100 ms | {fmt(v, '.0f', ' ms')} | {_verdict(v, ok)} |")
    m = [x for x in results["memory"].get(key, []) if x]
    if m:
        rss = median([median(x["workers"]) for x in m]) / MB
        private = median([median(x["workers_private"]) for x in m]) / MB
        rows.append(f"| {key} per worker VmRSS <= 40 MB, private <= 15 MB | {rss:.0f} MB, {private:.0f} MB | "
                    f"{_verdict(rss, rss <= 40 and private <= 15)} |")
        node = [x for x in results["memory"].get("node", []) if x]
        if node and "node" not in un:
            v = median([x["total_pss"] for x in m]) / median([x["total_pss"] for x in node])
            rows.append(f"| {key} total PSS <= 0.5x Node.js cluster's | {fx(v)} | {_verdict(v, v <= 0.5)} |")
    return rows


def read_text(path):
    """The file's text, or "" when there is none yet."""
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def keep_sections(text, old, prefix):
    """text with every section of old whose heading starts with prefix put back (replaced or appended)."""
    for heading in (line for line in old.splitlines() if line.startswith(prefix)):
        text = replace_section(text, heading, section(old, heading))
    return text


def section(text, heading):
    """The section of a markdown text that starts with the line `heading` and ends before the next '## ' heading, or None."""
    m = re.search(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", text, re.S | re.M)
    return m.group(0).rstrip("\n") + "\n" if m else None


def replace_section(text, heading, new_section):
    """text with the section under `heading` replaced by new_section, or new_section appended when there is none."""
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    body = new_section.rstrip("\n") + "\n"
    if pattern.search(text):
        return pattern.sub(lambda _: body + "\n", text, count=1).rstrip("\n") + "\n"
    return text.rstrip("\n") + ("\n\n" if text.strip() else "") + body
