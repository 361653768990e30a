"""Medians, ratios against the single Worker of the same round, the markdown tables and the targets."""
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
    rows = ["| contender | rollouts | failed requests per rollout | p99 ms (median) | rollout s (median) | workers replaced | req/s during (median) |",
            "|---|---:|---|---:|---:|---|---:|"]
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
        rows.append("| {} | {} | {} | {} | {} | {} | {} |".format(
            c.label, len(runs), failed or "n/a", fmt(median(_field(runs, "p99_ms")), ".1f"),
            fmt(median([r["rollout_s"] for r in runs]), ".2f"),
            ", ".join(f"{r['replaced']}/{r['workers_after']}" for r in runs) or "n/a",
            fmt(median(_field(runs, "rps")))))
    return "\n".join(rows)


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

    for key, floor in (("reuseport", 0.9), ("proxy", 0.5)):
        v = ratio("hello-ka", key, "single")
        rows.append(f"| {key} >= {floor}x single Worker, hello keep-alive | {fx(v)} | {_verdict(v, v is not None and v >= floor)} |")
    for key in ("reuseport", "proxy"):
        for workload, floor in (("hello-ka", 3.5), ("hello-close", 3.5), ("cpu", 2.0)):
            v = ratio(workload, key, "node")
            rows.append(f"| {key} >= {floor}x Node.js cluster, {workload} | {fx(v)} | {_verdict(v, v is not None and v >= floor)} |")
    for key in ("reuseport", "proxy"):
        values = [v for v in results["restarts"].get(key, []) if v is not None]
        v = median(values) * 1000 if values else None
        missing = len(results["restarts"].get(key, [])) - len(values)
        ok = v is not None and v <= 500 and missing == 0
        rows.append(f"| {key} restart-to-serving median <= 500 ms | {fmt(v, '.0f', ' ms')} | {_verdict(v, ok)} |")
    for key in ("reuseport", "proxy"):
        m = [x for x in results["memory"].get(key, []) if x]
        v = median([median(x["workers"]) for x in m]) if m else None
        v = v / MB if v else None
        rows.append(f"| {key} resident memory per worker <= 80 MB | {fmt(v, '.0f', ' MB')} | {_verdict(v, v is not None and v <= 80)} |")
    for key in ("reuseport", "proxy"):
        runs = [r for r in results["rolling"].get(key, []) if r]
        v = sum(r["errors"] for r in runs) if runs else None
        ok = runs and v == 0 and all(r["reload_ok"] and r["inside_window"] for r in runs)
        rows.append(f"| {key} rolling restart: zero failed requests | {fmt(v, 'd', ' failed')} in {len(runs)} | {_verdict(v, ok)} |")
    runs = [r for r in results["rolling"].get("pm2", []) if r]
    if runs:
        rows.append(f"| (PM2 reload, for comparison) | {sum(r['errors'] for r in runs)} failed in {len(runs)} | |")
    return "\n".join(rows)
