"""Drives a contender with wrk (--latency) and parses its report."""
import re
import subprocess

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def command(url, seconds, connections, threads=2, close=False, timeout_s=5):
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
           "--timeout", f"{timeout_s}s", "--latency"]
    if close:
        cmd += ["-H", "Connection: close"]
    return cmd + [url]


def start(url, seconds, connections, threads=2, close=False):
    """Starts wrk in the background; finish() collects it."""
    return subprocess.Popen(command(url, seconds, connections, threads, close),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL)


def finish(proc, seconds):
    try:
        out, _ = proc.communicate(timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return parse(out)


def run(url, seconds, connections, threads=2, close=False):
    return finish(start(url, seconds, connections, threads, close), seconds)


def _ms(value, unit):
    return float(value) * _UNITS_MS[unit]


def parse(text):
    """Requests/s, p50/p99 in ms, request count and error counts from wrk's output."""
    result = {"rps": None, "p50_ms": None, "p99_ms": None, "requests": 0,
              "connect": 0, "read": 0, "write": 0, "timeout": 0, "non2xx": 0, "raw": text}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if m:
        result["rps"] = float(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        if m:
            result[key] = _ms(m.group(1), m.group(2))
    m = re.search(r"(\d+) requests in", text)
    if m:
        result["requests"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        for i, key in enumerate(("connect", "read", "write", "timeout"), start=1):
            result[key] = int(m.group(i))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        result["non2xx"] = int(m.group(1))
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "timeout", "non2xx"))
    result["ok"] = result["rps"] is not None
    return result
