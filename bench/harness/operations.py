"""Operations: restart latency after kill -9 of a worker, and a rolling restart under load."""
import os
import signal
import threading
import time

from . import contenders, migration, probe, procs, wrk

PROBE_INTERVAL_S = 0.005
PROBE_TIMEOUT_S = 3.0
MAX_OUTSTANDING_PROBES = 50
RESTART_DEADLINE_S = 30.0


def restart_once(contender):
    """kill -9 one worker; seconds until a fresh-connection GET / is answered by a worker that did not exist before.

    A new probe starts every PROBE_INTERVAL_S without waiting for earlier ones, so a probe connection that
    waits (e.g. queued for a worker that is still starting) neither hides nor delays the first answer."""
    before = set(contender.worker_pids())
    victim = min(before)
    answered = threading.Event()
    first = []
    lock = threading.Lock()

    def probe_once():
        status, pid = probe.try_get(contender.port, "/", timeout=PROBE_TIMEOUT_S)
        if status == 200 and pid and pid not in before:
            with lock:
                if not first:
                    first.append((time.monotonic(), pid))
            answered.set()

    probes = []
    begin = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    while not answered.wait(PROBE_INTERVAL_S) and time.monotonic() - begin < RESTART_DEADLINE_S:
        probes = [t for t in probes if t.is_alive()]
        if len(probes) < MAX_OUTSTANDING_PROBES:
            thread = threading.Thread(target=probe_once, daemon=True)
            thread.start()
            probes.append(thread)
    for thread in probes:
        thread.join(PROBE_TIMEOUT_S + 1)
    if not first:
        return None
    procs.REGISTRY.track(first[0][1])
    return first[0][0] - begin


def restart_batch(contender, port):
    """Starts the contender, kills each of its workers once (each kill is that slot's first crash), stops it.

    Returns a list of latencies in seconds (None for a worker that did not come back in time)."""
    latencies = []
    contender.start(port)
    try:
        contender.wait_ready()
        for _ in range(contender.workers):
            latencies.append(restart_once(contender))
            contender.wait_ready()
    finally:
        contender.stop()
    return latencies


def rolling_once(contender, port, seconds, connections, lead_s, warmup_s):
    """Fresh-connection load for `seconds`; `lead_s` into it, a rolling restart of every worker.

    Returns wrk's figures plus the rollout's duration, outcome and how many workers were replaced."""
    contender.start(port)
    try:
        contender.wait_ready()
        url = f"http://127.0.0.1:{port}/"
        if warmup_s > 0:
            wrk.run(url, warmup_s, connections, close=True)
        before = set(contender.worker_pids())
        load = wrk.start(url, seconds, connections, close=True)
        time.sleep(lead_s)  # place the rollout inside the load window
        begin = time.monotonic()
        try:
            succeeded, message = contender.reload()
        except (OSError, contenders.subprocess.TimeoutExpired) as error:
            succeeded, message = False, f"reload failed: {error}"
        rollout_s = time.monotonic() - begin
        migrate_req = migration.read()  # what the kernel did with queued connections during this rollout
        result = wrk.finish(load, seconds)
        after = set(contender.worker_pids())
        for pid in after:
            procs.REGISTRY.track(pid)
        result.update({
            "rollout_s": rollout_s,
            "reload_ok": succeeded,
            "reload_message": message,
            "replaced": len(before - after),
            "workers_after": len(after),
            "inside_window": lead_s + rollout_s < seconds,
            "migrate_req": migrate_req if migrate_req is not None else "missing",
        })
        return result
    finally:
        contender.stop()
