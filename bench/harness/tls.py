"""The TLS rows: HTTPS hello on keep-alive and on fresh connections (a full handshake per request) for the single
Worker and each listener mode, beside the same rows in plain HTTP, the CPU each costs per request, and HTTP/2 with
h2load against a single Worker. Run by bench/tls.py; certificates made with openssl in the run's folder."""
import argparse
import http.client
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time

from . import contenders as cs, procs, wrk

MODES = ("reuseport", "shared", "proxy")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/tls.py", description=__doc__)
    p.add_argument("--workers", type=int, default=os.cpu_count(), help="workers per cluster (default: cores)")
    p.add_argument("--duration", type=int, default=5, help="seconds per measured run (default 5)")
    p.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per contender and row (default 2)")
    p.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    p.add_argument("--h2-streams", type=int, default=10, help="h2load concurrent streams per connection (default 10)")
    return p.parse_args(argv)


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def make_certificate(folder):
    """An EC P-256 self-signed certificate for 127.0.0.1 and localhost, as an operator makes one."""
    cert, key = os.path.join(folder, "bench.crt"), os.path.join(folder, "bench.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-days", "2",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


class TlsSingleWorker(cs.SingleWorker):
    """One Worker alone on https://, with Kestrel's default certificate: the ceiling."""

    def __init__(self, workdir, certificate_env):
        super().__init__(workdir)
        self.key, self.label = "single-tls", "single Worker"
        self.certificate_env = certificate_env

    def start(self, port):
        self.port = port
        self._spawn([cs.WORKER_EXE, "--urls", f"https://127.0.0.1:{port}"], cs.WORKER_DIR,
                    cs._clean_env({**cs.DOTNET_LOG_ENV, **self.certificate_env}))


def https_get(port, timeout=1.0):
    """GET / over TLS on a fresh connection; (status, worker pid) or (None, None)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=context)
    try:
        conn.request("GET", "/", headers={"Connection": "close"})
        resp = conn.getresponse()
        resp.read()
        pid = resp.getheader("X-Cluster-Worker-Pid")
        return resp.status, int(pid) if pid else None
    except (OSError, http.client.HTTPException):
        return None, None
    finally:
        conn.close()


def wait_ready(contender, tls, timeout_s=cs.READY_TIMEOUT_S):
    """Bounded: until every worker answered a fresh-connection GET / (over TLS when the row is TLS)."""
    if not tls:
        return contender.wait_ready(timeout_s)
    begin, seen = time.monotonic(), set()
    while time.monotonic() - begin < timeout_s:
        if contender.exited() is not None:
            raise cs.NotAvailable(f"exited: {contender._last_log_line()}")
        status, pid = https_get(contender.port)
        if status == 200 and pid:
            seen.add(pid)
            if len(seen & set(contender.worker_pids())) >= contender.workers:
                for p in contender.worker_pids():
                    procs.REGISTRY.track(p)
                return time.monotonic() - begin
        time.sleep(0.05)
    raise cs.NotAvailable(f"no {contender.workers} workers serving TLS within {timeout_s:.0f} s")


def server_cpu(contender):
    return sum(procs.cpu_seconds(pid) or 0 for _, pid in contender.processes())


def measure(contender, url, args, close):
    wrk.run(url, args.warmup, args.connections, close=close)
    before = server_cpu(contender)
    r = wrk.run(url, args.duration, args.connections, close=close)
    r["cpu_us_per_req"] = (server_cpu(contender) - before) * 1e6 / r["requests"] if r["requests"] else None
    return r


def h2load(url, args):
    """HTTP/2 over TLS (ALPN h2) with h2load; requests/s and CPU are read like wrk's."""
    connections = max(1, args.connections // args.h2_streams)
    cmd = ["h2load", "-D", str(args.duration), "-c", str(connections), "-m", str(args.h2_streams), "-t", "2", url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.duration + 60).stdout
    m = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", out)
    done = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", out)
    return {"rps": float(m.group(1)) if m else None, "requests": int(done.group(2)) if done else 0,
            "errors": int(done.group(3)) + int(done.group(4)) if done else None, "raw": out}


def rows_for(contender, tls, args):
    """Keep-alive and fresh-connection hello for one contender, plus h2 for the single Worker over TLS."""
    scheme = "https" if tls else "http"
    url = f"{scheme}://127.0.0.1:{contender.port}/"
    rows = {"keepalive": measure(contender, url, args, close=False), "fresh": measure(contender, url, args, close=True)}
    if tls and contender.key == "single-tls" and shutil.which("h2load"):
        h2load(url, argparse.Namespace(**{**vars(args), "duration": args.warmup}))
        before = server_cpu(contender)
        r = h2load(url, args)
        r["cpu_us_per_req"] = (server_cpu(contender) - before) * 1e6 / r["requests"] if r["requests"] else None
        rows["h2"] = r
    return rows


def render(results, args):
    def f(value, digits=0):
        return "-" if value is None else f"{value:,.{digits}f}"

    lines = [f"HTTPS hello, {args.workers} workers per cluster, wrk 2 threads, {args.connections} connections, "
             f"{args.duration} s per row after {args.warmup} s of warm-up; one run, not rounds. CPU is every process of the "
             "contender (primary and workers) per request. TLS cost per fresh connection = CPU per request with TLS "
             "minus without, both on fresh connections: the handshake, mostly.", "",
             "| contender | plain keep-alive req/s | TLS keep-alive req/s | plain fresh req/s | TLS fresh req/s | "
             "CPU us/req plain fresh | CPU us/req TLS fresh | TLS cost per fresh connection (CPU us) | errors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, plain, tls in results:
        cost = (tls["fresh"]["cpu_us_per_req"] - plain["fresh"]["cpu_us_per_req"]
                if tls["fresh"].get("cpu_us_per_req") and plain["fresh"].get("cpu_us_per_req") else None)
        errors = sum(r.get("errors") or 0 for r in (*plain.values(), *tls.values()))
        lines.append(f"| {label} | {f(plain['keepalive']['rps'])} | {f(tls['keepalive']['rps'])} | {f(plain['fresh']['rps'])} | "
                     f"{f(tls['fresh']['rps'])} | {f(plain['fresh']['cpu_us_per_req'])} | {f(tls['fresh']['cpu_us_per_req'])} | "
                     f"{f(cost)} | {errors} |")
    h2 = next((tls["h2"] for _, _, tls in results if "h2" in tls), None)
    if h2:
        lines += ["", f"HTTP/2 over TLS against the single Worker (h2load, {max(1, args.connections // args.h2_streams)} "
                  f"connections x {args.h2_streams} streams): {f(h2['rps'])} req/s, {f(h2.get('cpu_us_per_req'))} CPU us/req, "
                  f"{h2['errors']} failed."]
    return "\n".join(lines)


def main(argv):
    args = parse_args(argv)
    for tool in ("wrk", "openssl"):
        if not shutil.which(tool):
            log(f"error: {tool} is required")
            return 1
    folder = tempfile.mkdtemp(prefix="bench-tls-")
    stopping = []

    def on_signal(signum, _frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    results = []
    try:
        cert, key = make_certificate(folder)
        certificate_env = {"Kestrel__Certificates__Default__Path": cert, "Kestrel__Certificates__Default__KeyPath": key}
        pairs = [("single Worker", cs.SingleWorker(folder), TlsSingleWorker(folder, certificate_env))]
        pairs += [(f"cluster {m}", cs.OurCluster(m, args.workers, folder), cs.OurCluster(m, args.workers, folder, certificate_env, key=f"{m}-tls"))
                  for m in MODES]
        for label, plain, tls in pairs:
            measured = []
            for contender, is_tls in ((plain, False), (tls, True)):
                log(f"{label} {'TLS' if is_tls else 'plain'}")
                contender.start(procs.free_port())
                try:
                    wait_ready(contender, is_tls)
                    measured.append(rows_for(contender, is_tls, args))
                finally:
                    contender.stop()
            results.append((label, *measured))
        print(render(results, args))
        return 0
    finally:
        procs.REGISTRY.kill_leftovers()
        shutil.rmtree(folder, ignore_errors=True)
