"""Several nodes behind HAProxy: a Kubernetes-style rollout reproduced with real parts.

Three 'nodes', each its own network namespace (a veth pair to the root namespace, its own net.ipv4.tcp_migrate_req)
running one ClusterTemplate primary with 2 workers, behind HAProxy (HTTP health checks on each node's /readyz).
Under keep-alive and fresh-connection load from the root namespace (two wrk), the scenarios:

- replace-drain: each node in turn is replaced as a Kubernetes rolling update does, with the orchestrator's part
  first (the endpoint leaves the load balancer: `set server ... state drain`, wait until no session is left on
  it, like endpoint removal + a preStop wait), then SIGTERM, wait for the exit, start a new primary, wait for
  its /readyz, put it back, wait until HAProxy has it UP, next;
- replace-sigterm: the same with no orchestrator part: SIGTERM straight away; the primary's /readyz turning 503
  is all HAProxy learns;
- kill: kill -9 of one node's primary (a different one each round); time until HAProxy marks it DOWN and until
  its workers are gone; then a new primary on that node;
- reload: each node's own rolling restart (POST /control/reload on its control socket) in turn.

Usage: bench/nodes.sh [--rounds N] [--lb retries,plain,observe] [--record]   (bench/nodes.sh --help)
"""
import argparse
import ctypes
import datetime
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time

from . import contenders as cs
from . import haproxy, machine, netns, probe, procs, report, wrk

NODES = 3
WORKERS = 2
NODE_PORT = 8080
HEALTH_PORT = 8081
STOP_TIMEOUT_S = 60.0
READY_TIMEOUT_S = 60.0
SECTION = "## Several nodes behind HAProxy"


def section_heading(args):
    """The run's heading in RESULTS.md: runs whose primaries wait a shutdown delay have a section of their own."""
    return SECTION + (", with a shutdown delay" if shutdown_delay(args) > 0 else "")


def shutdown_delay(args):
    """Seconds of Cluster:ShutdownDelay the nodes' primaries wait (0 in results recorded before the option)."""
    return getattr(args, "shutdown_delay", 0.0) or 0.0
SCENARIOS = ("replace-drain", "replace-sigterm", "kill", "reload")

_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_harness():
    """Runs in the child before exec: SIGKILL when the harness dies, even by kill -9 (PR_SET_PDEATHSIG = 1)."""
    _libc.prctl(1, signal.SIGKILL, 0, 0, 0)


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Node:
    """One node: a primary with its workers inside one namespace; a new generation per start."""

    def __init__(self, index, network, workdir, extra_env):
        self.index = index
        self.server = f"node{index}"
        self.net = network
        self.workdir = workdir
        self.extra_env = extra_env
        self.generation = 0
        self.proc = None
        self.runtime_dir = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self):
        self.generation += 1
        self.runtime_dir = os.path.join(self.workdir, f"rt-{self.server}-g{self.generation}")
        env = cs._clean_env({**cs.DOTNET_LOG_ENV, **self.extra_env, "Cluster__RuntimeDirectory": self.runtime_dir})
        cmd = self.net.exec_prefix() + [cs.PRIMARY_EXE, "--workers", str(WORKERS), "--port", str(NODE_PORT),
                                        "--mode", "reuseport", "--health-endpoint", f"http://*:{HEALTH_PORT}",
                                        "--Cluster:Health:MinReadyWorkers", str(WORKERS)]
        log_path = os.path.join(self.workdir, f"{self.server}-g{self.generation}.log")
        with open(log_path, "ab") as out:
            self.proc = subprocess.Popen(cmd, cwd=cs.PRIMARY_DIR, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_harness)
        procs.REGISTRY.track(self.proc.pid)

    def readyz(self, timeout=1.0):
        """The status of the node's /readyz from the root namespace, or None if it does not answer."""
        conn = http.client.HTTPConnection(self.net.node_ip, HEALTH_PORT, timeout=timeout)
        try:
            conn.request("GET", "/readyz")
            resp = conn.getresponse()
            resp.read()
            return resp.status
        except (OSError, http.client.HTTPException):
            return None
        finally:
            conn.close()

    def wait_ready(self, timeout_s=READY_TIMEOUT_S):
        """Polls /readyz (bounded) until 200; returns seconds."""
        begin = time.monotonic()
        while time.monotonic() - begin < timeout_s:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.server}: the primary exited with code {self.proc.returncode}")
            if self.readyz() == 200:
                for pid in procs.descendants(self.pid):
                    procs.REGISTRY.track(pid)
                return time.monotonic() - begin
            time.sleep(0.05)
        raise RuntimeError(f"{self.server}: /readyz not 200 within {timeout_s:.0f} s")

    def worker_pids(self):
        return procs.children(self.pid) if self.pid else []

    def terminate(self, on_poll=None):
        """SIGTERM to the primary and a bounded wait for its exit, polling its /readyz (and on_poll(seconds)) meanwhile.
        Returns (seconds to exit, exit code, seconds to the first /readyz 503, whether a 200 came after a 503)."""
        for pid in procs.descendants(self.pid):
            procs.REGISTRY.track(pid)
        begin = time.monotonic()
        os.kill(self.pid, signal.SIGTERM)
        first_503, ready_again = None, False
        while self.proc.poll() is None and time.monotonic() - begin < STOP_TIMEOUT_S:
            status = self.readyz(timeout=0.5)
            if status == 503 and first_503 is None:
                first_503 = time.monotonic() - begin
            elif status == 200 and first_503 is not None:
                ready_again = True
            if on_poll:
                on_poll(time.monotonic() - begin)
            time.sleep(0.01)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise RuntimeError(f"{self.server}: the primary did not exit within {STOP_TIMEOUT_S:.0f} s of SIGTERM")
        return time.monotonic() - begin, self.proc.returncode, first_503, ready_again

    def stop(self):
        """For teardown: SIGTERM, bounded wait, SIGKILL of anything left of the tree."""
        if self.proc is None:
            return
        tree = [self.pid] + procs.descendants(self.pid)
        for pid in tree:
            procs.REGISTRY.track(pid)
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        procs.kill_stragglers(tree, procs.REGISTRY)
        self.proc = None

    def reload(self):
        status, body = probe.control(os.path.join(self.runtime_dir, "control.sock"), "POST", "/control/reload", timeout=300)
        return status == 200, body.get("message") if isinstance(body, dict) else str(body)


class Load:
    """Keep-alive and fresh-connection wrk from the root namespace, running until stop() (SIGINT: wrk prints its figures)."""

    def __init__(self, url, connections):
        self.url, self.connections = url, connections
        self.procs = {}

    def start(self):
        for kind, close in (("keep-alive", False), ("fresh", True)):
            cmd = wrk.command(self.url, 3600, self.connections, threads=1, close=close)
            self.procs[kind] = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                                stdin=subprocess.DEVNULL, preexec_fn=_die_with_harness)
            procs.REGISTRY.track(self.procs[kind].pid)

    def stop(self):
        results = {}
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for kind, proc in self.procs.items():
            try:
                out, _ = proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, _ = proc.communicate()
            r = wrk.parse(out)
            results[kind] = {k: v for k, v in r.items() if k != "raw"}
            if not r["ok"]:
                results[kind]["raw"] = out[-500:]
        self.procs = {}
        return results

    def kill(self):
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.procs = {}


class Run:
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        self.network = None
        self.nodes = []
        self.lb = None
        self.load = None
        self.events = []

    def event(self, text):
        self.events.append((datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S.%f")[:-3], text))
        log(text)

    # --- set-up and teardown ------------------------------------------------------------------
    def setup(self):
        self.network = netns.Network(NODES, log, os.path.join(self.workdir, "made.txt"))
        nets = self.network.create()
        log(f"namespaces {', '.join(n.name for n in nets)} on {self.network.subnet}; "
            f"tcp_migrate_req in each: {', '.join(str(n.sysctl('net.ipv4.tcp_migrate_req')) for n in nets)}")
        extra = dict(item.split("=", 1) for item in self.args.cluster_env)
        if shutdown_delay(self.args) > 0:
            extra["Cluster__ShutdownDelay"] = str(datetime.timedelta(seconds=shutdown_delay(self.args)))
        self.nodes = [Node(i, n, self.workdir, extra) for i, n in enumerate(nets, start=1)]
        for node in self.nodes:
            node.start()
        for node in self.nodes:
            took = node.wait_ready()
            # ip netns exec replaces itself with the primary: the pid we hold is the primary's
            log(f"{node.server} ({node.net.node_ip}): primary {node.pid} ({procs.command_name(node.pid)}) "
                f"ready in {took:.2f} s, workers {node.worker_pids()}")

    def start_lb(self, profile):
        self.lb = haproxy.HAProxy(self.workdir, procs.free_port(), [n.net for n in self.nodes], NODE_PORT,
                                  HEALTH_PORT, profile, self.args.inter_ms, self.args.fall, self.args.rise)
        self.lb.start(preexec_fn=_die_with_harness)
        for node in self.nodes:
            if self.lb.wait_status(node.server, {"UP"}, 15) is None:
                raise RuntimeError(f"haproxy does not see {node.server} UP within 15 s")
        log(f"haproxy {self.lb.proc.pid} on 127.0.0.1:{self.lb.port}, profile {profile}, every node UP")

    def stop_lb(self):
        if self.lb:
            self.lb.stop()
            self.lb = None

    def teardown(self):
        if self.load:
            self.load.kill()
        self.stop_lb()
        for node in self.nodes:
            try:
                node.stop()
            except (OSError, subprocess.TimeoutExpired) as error:
                log(f"{node.server}: stop: {error}")
        problems = self.network.teardown() if self.network else []
        killed = procs.REGISTRY.kill_leftovers()
        if killed:
            log(f"killed leftover processes: {killed}")
        for problem in problems:
            log(f"teardown: {problem}")
        if self.network and not problems:
            log(f"removed namespaces and veths {self.network.prefix}-*, {self.network.prefix}h*")
        return problems

    # --- scenarios ----------------------------------------------------------------------------
    def _log_offset(self):
        try:
            return os.path.getsize(self.lb.log_path)
        except OSError:
            return 0

    def _log_lines(self, offset):
        """HAProxy's log lines (errors, retries, redispatches only: dontlog-normal) written since offset."""
        try:
            with open(self.lb.log_path, "rb") as f:
                f.seek(offset)
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return []
        # the client aborts of wrk's own stop (SIGINT) are no failures
        return [line for line in text.splitlines() if " fe " in line and "<BADREQ>" not in line]

    def scenario(self, name, rnd, action):
        """Load for the whole scenario: lead, the action, tail; wrk's figures, HAProxy's counters and log lines."""
        url = f"http://127.0.0.1:{self.lb.port}/"
        before = self.lb.counters()
        offset = self._log_offset()
        self.load = Load(url, self.args.connections)
        self.load.start()
        begin = time.monotonic()
        try:
            time.sleep(self.args.lead)  # steady load before the action: what the action changes is measured against it
            details = action()
            time.sleep(self.args.tail)
        finally:
            load = self.load.stop()
            self.load = None
        after = self.lb.counters()
        lines = self._log_lines(offset)
        failed = sum(r["errors"] for r in load.values())
        result = {"scenario": name, "round": rnd, "seconds": time.monotonic() - begin, "load": load,
                  "failed": failed, "requests": sum(r["requests"] for r in load.values()),
                  "haproxy": {k: after[k] - before[k] for k in after}, "haproxy_log": lines[:50],
                  "haproxy_log_lines": len(lines), **details}
        hx = result["haproxy"]
        log(f"{name} (round {rnd}): failed {failed} of {result['requests']} "
            f"(keep-alive {load['keep-alive']['errors']}/{load['keep-alive']['requests']}, "
            f"fresh {load['fresh']['errors']}/{load['fresh']['requests']}); haproxy retries {hx['wretr']}, "
            f"redispatches {hx['wredis']}, connect errors {hx['econ']}, response errors {hx['eresp']}, 5xx {hx['hrsp_5xx']}")
        for line in lines[:10]:
            log(f"  haproxy: {line.strip()[-200:]}")
        return result

    def replace(self, drain):
        steps = []
        for node in self.nodes:
            step = {"node": node.server, "old_primary": node.pid}
            if drain:
                self.lb.set_state(node.server, "drain")
                t = time.monotonic()
                # the orchestrator's preStop: wait (bounded) until HAProxy has no session left on the node
                while time.monotonic() - t < 10 and int(self.lb.stats()[node.server].get("scur") or 0) > 0:
                    time.sleep(0.01)
                step["drain_s"] = time.monotonic() - t
            self.event(f"{node.server}: SIGTERM to primary {node.pid}")
            down = []

            def watch_lb(seconds, server=node.server, down=down):
                if not down and self.lb.server_status(server) == "DOWN":
                    down.append(seconds)

            step["stop_s"], step["exit_code"], step["readyz_503_s"], step["readyz_200_after_503"] = node.terminate(watch_lb)
            step["lb_down_s"] = down[0] if down else None
            step["status_after_exit"] = self.lb.server_status(node.server)
            node.start()
            step["start_s"] = node.wait_ready()
            if drain:
                self.lb.set_state(node.server, "ready")
            up = self.lb.wait_status(node.server, {"UP"}, 15)
            step["lb_up_s"] = up
            self.event(f"{node.server}: exited {step['exit_code']} in {step['stop_s']:.2f} s (/readyz 503 after "
                       f"{_f(step['readyz_503_s'], '.3f')} s, DOWN in haproxy after {_f(step['lb_down_s'])} s), new primary {node.pid} ready in {step['start_s']:.2f} s, "
                       f"UP in haproxy {_f(up)} s later")
            steps.append(step)
        return {"steps": steps}

    def kill(self, rnd):
        node = self.nodes[(rnd - 1) % len(self.nodes)]
        workers = node.worker_pids()
        for pid in workers:
            procs.REGISTRY.track(pid)
        in_flight = int(self.lb.stats()[node.server].get("scur") or 0)
        self.event(f"{node.server}: kill -9 primary {node.pid} (workers {workers}, {in_flight} sessions on it)")
        begin = time.monotonic()
        os.kill(node.pid, signal.SIGKILL)
        gone_s = None
        down_s = None
        while time.monotonic() - begin < 10 and (gone_s is None or down_s is None):
            now = time.monotonic() - begin
            if gone_s is None and not any(procs.REGISTRY.alive(p) for p in workers):
                gone_s = now
            if down_s is None and self.lb.server_status(node.server) == "DOWN":
                down_s = now
            time.sleep(0.005)
        node.proc.wait(timeout=10)
        self.event(f"{node.server}: workers gone in {_f(gone_s, '.3f')} s, DOWN in haproxy {_f(down_s)} s")
        node.start()
        start_s = node.wait_ready()
        up_s = self.lb.wait_status(node.server, {"UP"}, 15)
        self.event(f"{node.server}: new primary {node.pid} ready in {start_s:.2f} s, UP in haproxy {_f(up_s)} s later")
        return {"node": node.server, "in_flight_sessions": in_flight, "workers_gone_s": gone_s, "marked_down_s": down_s,
                "check": f"inter {self.args.inter_ms}ms fall {self.args.fall}", "start_s": start_s, "lb_up_s": up_s}

    def reload(self):
        steps = []
        for node in self.nodes:
            before = set(node.worker_pids())
            t = time.monotonic()
            ok, message = node.reload()
            took = time.monotonic() - t
            after = set(node.worker_pids())
            steps.append({"node": node.server, "ok": ok, "message": message, "reload_s": took,
                          "replaced": len(before - after), "workers": len(after)})
            self.event(f"{node.server}: reload {'ok' if ok else 'FAILED'} in {took:.2f} s, replaced {len(before - after)}/{len(after)}: {message}")
        return {"steps": steps}

    def rounds(self, profile):
        results = []
        for rnd in range(1, self.args.rounds + 1):
            for name in self.args.scenarios:
                action = {"replace-drain": lambda: self.replace(drain=True),
                          "replace-sigterm": lambda: self.replace(drain=False),
                          "kill": lambda r=rnd: self.kill(r),
                          "reload": self.reload}[name]
                r = self.scenario(name, rnd, action)
                r["lb"] = profile
                results.append(r)
        return results


# --- report ---------------------------------------------------------------------------------------
def _f(value, spec=".2f"):
    return "n/a" if value is None else format(value, spec)


def _kinds(r):
    kinds = []
    for kind in ("keep-alive", "fresh"):
        x = r["load"][kind]
        parts = [f"{k} {x[k]}" for k in ("connect", "read", "write", "timeout", "non2xx") if x.get(k)]
        if parts:
            kinds.append(f"{kind}: " + ", ".join(parts))
    return "; ".join(kinds) or "-"


def _timings(r):
    if r["scenario"].startswith("replace"):
        return "; ".join(
            f"{s['node']}: " + (f"drain {_f(s.get('drain_s'))}, " if "drain_s" in s else "")
            + f"SIGTERM to /readyz 503 {_f(s['readyz_503_s'], '.3f')}, to DOWN {_f(s['lb_down_s'])}, "
            + f"to exit {_f(s['stop_s'])}, start {_f(s['start_s'])}, UP +{_f(s['lb_up_s'])}" for s in r["steps"])
    if r["scenario"] == "kill":
        return (f"{r['node']}: {r['in_flight_sessions']} sessions at the kill; DOWN in HAProxy {_f(r['marked_down_s'])} s; "
                f"workers gone {_f(r['workers_gone_s'], '.3f')} s; new primary ready {_f(r['start_s'])} s")
    return "; ".join(f"{s['node']}: {_f(s['reload_s'])} s, {s['replaced']}/{s['workers']} replaced"
                     + ("" if s["ok"] else " (FAILED)") for s in r["steps"])


def render(args, argv, results, info, started, finished, loads):
    delay = shutdown_delay(args)
    lines = [
        section_heading(args),
        "",
        f"Run: {started} to {finished} (UTC), {info['cores']} cores ({info['cpu']}), kernel {info['kernel']}, "
        f"{info['haproxy']}, {info['wrk']}; load average {loads[0]} before, {loads[1]} after (the machine was shared "
        "with other work: the failed-request counts are what this measures, not the throughput).",
        "",
        "Command:",
        "",
        "```",
        "bench/nodes.sh " + " ".join(argv),
        "```",
        "",
        f"{NODES} nodes, each a network namespace (a veth pair to the root namespace on its own /30, its own "
        f"`net.ipv4.tcp_migrate_req=1`) running `ClusterTemplate.Primary --workers {WORKERS} --mode reuseport --port "
        f"{NODE_PORT} --health-endpoint http://*:{HEALTH_PORT} --Cluster:Health:MinReadyWorkers {WORKERS}"
        f"{f' --shutdown-delay {datetime.timedelta(seconds=delay)}' if delay > 0 else ''}` under "
        f"`ip netns exec`. HAProxy (foreground, generated configuration) on 127.0.0.1: `balance roundrobin`, "
        f"`option httpchk GET /readyz`, `http-check expect status 200`, `inter {args.inter_ms}ms fall {args.fall} "
        f"rise {args.rise}`, `timeout connect 1s`, and one of three profiles: **retries**: `retries 3`, `option redispatch 1`, "
        "`retry-on conn-failure empty-response response-timeout` (a request whose connection was refused or got no "
        "answer is sent again to another node); **plain**: `retries 0`, no redispatch (every failed attempt reaches the "
        "client; only the health checks take a node out, as with a Kubernetes Service, where kube-proxy does not "
        "retry); **observe**: plain plus `observe layer4 error-limit 1 on-error mark-down` on each server (the first "
        "failed connection on live traffic marks the node DOWN, without waiting for the checks). "
        f"Load for each scenario, from the root namespace through HAProxy: wrk `GET /` with keep-alive and wrk with "
        f"`Connection: close` (a fresh connection per request), {args.connections} connections and 1 thread each, "
        f"from {args.lead:.0f} s before the action until {args.tail:.0f} s after it. Failed = wrk's connect, read, write "
        "and timeout errors plus non-2xx responses, both loads together. HAProxy's retries and redispatches are its "
        "backend counters over the scenario: failures it hid from the client.",
        "",
        "- replace-drain: per node, the orchestrator's part first (`set server nodes/nodeN state drain` on HAProxy's "
        "runtime API, then wait until no session is left on it: Kubernetes' endpoint removal and preStop wait), SIGTERM "
        "to the primary, wait for its exit, start a new primary, wait for its /readyz 200, `state ready`, wait until "
        "HAProxy has it UP, next node.",
        "- replace-sigterm: the same without the orchestrator's part: SIGTERM at once, the primary's /readyz turning 503 "
        "is the only thing HAProxy learns.",
        "- Timings of a replacement: from SIGTERM to the first /readyz 503 (polled every 10 ms), to DOWN in HAProxy "
        "(n/a: the primary had exited before HAProxy marked the node down), to the primary's exit; then from the new "
        "primary's start to its /readyz 200, and on to UP in HAProxy.",
        "- kill: `kill -9` of one node's primary (node 1, 2, 3 in rounds 1, 2, 3); DOWN = HAProxy's `show stat` status "
        "polled every 5 ms; workers gone = every worker pid of that node no longer alive; then a new primary on the node.",
        "- reload: `POST /control/reload` on each node's control socket in turn (each waits for its rollout).",
        "",
    ]
    for profile in args.lb:
        runs = [r for r in results if r["lb"] == profile]
        if not runs:
            continue
        lines += [f"### HAProxy profile: {profile}", "",
                  "| scenario | round | failed / requests | keep-alive failed / requests | fresh failed / requests | "
                  "failures by kind | HAProxy retries / redispatches / 5xx | timings (s) |",
                  "|---|---:|---:|---:|---:|---|---:|---|"]
        for r in runs:
            ka, fr, hx = r["load"]["keep-alive"], r["load"]["fresh"], r["haproxy"]
            lines.append(f"| {r['scenario']} | {r['round']} | {r['failed']} / {r['requests']} | {ka['errors']} / {ka['requests']} | "
                         f"{fr['errors']} / {fr['requests']} | {_kinds(r)} | {hx['wretr']} / {hx['wredis']} / {hx['hrsp_5xx']} | "
                         f"{_timings(r)} |")
        lines += ["", "| scenario | rounds | failed / requests in sum |", "|---|---:|---:|"]
        for name in args.scenarios:
            sel = [r for r in runs if r["scenario"] == name]
            if sel:
                lines.append(f"| {name} | {len(sel)} | {sum(r['failed'] for r in sel)} / {sum(r['requests'] for r in sel)} |")
        kills = [r for r in runs if r["scenario"] == "kill"]
        if kills:
            downs = [r["marked_down_s"] for r in kills if r["marked_down_s"] is not None]
            gones = [r["workers_gone_s"] for r in kills if r["workers_gone_s"] is not None]
            lines += ["", f"kill -9: marked DOWN after {', '.join(_f(d) for d in downs)} s (check interval "
                      f"{args.inter_ms} ms x fall {args.fall} = {args.inter_ms * args.fall / 1000:.1f} s); the node's workers "
                      f"gone after {', '.join(_f(g, '.3f') for g in gones)} s (PR_SET_PDEATHSIG)."]
        stops = [s for r in runs if r["scenario"].startswith("replace") for s in r["steps"]]
        if stops:
            firsts = [s["readyz_503_s"] for s in stops if s["readyz_503_s"] is not None]
            lines += ["", f"After SIGTERM, each primary's /readyz (polled every 10 ms) answered 503 after "
                      f"{_f(min(firsts), '.3f') if firsts else 'n/a'}-{_f(max(firsts), '.3f') if firsts else 'n/a'} s "
                      f"({len(firsts)} of {len(stops)} stops; 200 again after a 503: "
                      f"{sum(1 for s in stops if s['readyz_200_after_503'])} times)."]
        lines.append("")
    lines += findings(args, results)
    verdicts = targets(args, results)
    if verdicts:
        lines += ["### Targets", "", "| target | measured | verdict |", "|---|---|---|"]
        lines += [f"| {t} | {m} | {'met' if ok else 'MISSED'} |" for t, m, ok in verdicts]
        lines.append("")
    return "\n".join(lines)


def findings(args, results):
    """Which HAProxy settings the zeros depend on, from the sums of this run's profiles."""
    def total(profile, name):
        sel = [r for r in results if r["lb"] == profile and r["scenario"] == name]
        return (sum(r["failed"] for r in sel), sum(r["requests"] for r in sel)) if sel else None

    def by_profile(name):
        parts = [f"{p}: {t[0]} failed of {t[1]}" for p in args.lb if (t := total(p, name))]
        return ", ".join(parts) or "not run"

    def downs():
        parts = []
        for p in args.lb:
            d = [r["marked_down_s"] for r in results if r["lb"] == p and r["scenario"] == "kill" and r["marked_down_s"] is not None]
            if d:
                parts.append(f"{p} {min(d):.2f}-{max(d):.2f} s")
        return ", ".join(parts)

    window = args.inter_ms * args.fall / 1000
    delay = shutdown_delay(args)
    bullets = [
        f"- A replacement with the orchestrator's part (replace-drain: {by_profile('replace-drain')}) and each "
        f"node's own rolling restart (reload: {by_profile('reload')}) depend on no HAProxy retry: the node leaves "
        "HAProxy before its primary gets SIGTERM, and inside a node the primary starts each new worker and waits for "
        "it to be ready before it drains the old one.",
        (f"- A bare SIGTERM (replace-sigterm: {by_profile('replace-sigterm')}) needs no HAProxy retry with "
         f"`Cluster:ShutdownDelay` = {delay:g} s: the primary's /readyz turns 503 within tens of milliseconds of the "
         "SIGTERM while its workers keep accepting for the delay, which is longer than HAProxy needs to see the 503 "
         f"(up to inter x fall = {window:.1f} s, plus a check's own time), so the node is DOWN before it refuses "
         "anything; then the drain starts. This is kube-apiserver's `--shutdown-delay-duration`; in Kubernetes the "
         "manifests' preStop sleep plays that part instead." if delay >= window else
        f"- A bare SIGTERM (replace-sigterm: {by_profile('replace-sigterm')}) is 0 only with `retry-on conn-failure` "
        "and `option redispatch`: the primary's /readyz turns 503 within tens of milliseconds, but its workers close "
        "their listeners at once too, and HAProxy keeps sending new connections to the node until its checks see the "
        f"503 (up to inter x fall = {window:.1f} s), which the node refuses; HAProxy then resends them to another node "
        "(the redispatches in the table). Without retries they reach the client as 503; `observe layer4 on-error "
        "mark-down` takes the node out at the first refusal and leaves a few. A Kubernetes Service (kube-proxy) does "
        "not retry: there the 0 comes from the orchestrator's order (the endpoint is removed while a preStop hook "
        "waits, then SIGTERM), which is replace-drain here. A preStop sleep alone would not help in this setup: "
        "/readyz stays 200 until SIGTERM, so HAProxy takes the node out only with the runtime API, or when the primary "
        "keeps serving after its 503 (`--shutdown-delay`: the section 'with a shutdown delay')."),
        f"- kill -9 (kill: {by_profile('kill')}): with retries, the requests in flight on the killed node get an empty "
        "response or a reset and are resent to another node (`empty-response`), as are the connections refused until "
        "the node is DOWN: 0 failed. That is safe here because the load is GET; a request that is not idempotent may "
        "have run on the killed node before it died, and would then run twice; such requests are kept out of these "
        "retries (HAProxy: `http-request disable-l7-retry`), so those in flight would fail. Without retries, the client sees the requests in flight and every request "
        f"HAProxy sends to the node until it is DOWN (health checks: about inter x fall = {window:.1f} s; "
        f"measured: {downs() or 'not run'}).",
    ]
    ran = {r["scenario"] for r in results}
    # each bullet speaks of the scenarios it names first; one that did not run is left out
    bullets = [b for b, names in zip(bullets, (("replace-drain", "reload"), ("replace-sigterm",), ("kill",)))
               if ran & set(names)]
    return ["### What the 0 failed depends on", ""] + bullets + [""] if bullets else []


def targets(args, results):
    """The issue's targets as (target, measured, met). Zero failed for a replacement with the orchestrator's part and for
    the nodes' own reloads under every profile, and for a bare SIGTERM replacement where HAProxy retries; after kill -9,
    no more failures than sessions on the node, DOWN within one check interval past inter x fall, workers gone in 5 s."""
    found = []
    limit_down = args.inter_ms * (args.fall + 1) / 1000
    for profile in args.lb:
        runs = [r for r in results if r["lb"] == profile]
        delayed = shutdown_delay(args) >= args.inter_ms * args.fall / 1000
        for name in ("replace-drain", "reload") + (("replace-sigterm",) if profile == "retries" or delayed else ()):
            sel = [r for r in runs if r["scenario"] == name]
            if sel:
                failed = sum(r["failed"] for r in sel)
                ok = failed == 0 and all(s.get("ok", True) for r in sel for s in r.get("steps", []))
                found.append((f"{profile}: {name}, 0 failed", f"{failed} failed in {len(sel)}", ok))
        for r in (r for r in runs if r["scenario"] == "kill"):
            if profile == "retries":
                found.append((f"{profile}: kill round {r['round']}, failed <= sessions on the node",
                              f"{r['failed']} failed, {r['in_flight_sessions']} sessions", r["failed"] <= r["in_flight_sessions"]))
            down, gone = r["marked_down_s"], r["workers_gone_s"]
            found.append((f"{profile}: kill round {r['round']}, DOWN within {limit_down:.1f} s", f"{_f(down)} s",
                          down is not None and down <= limit_down))
            found.append((f"{profile}: kill round {r['round']}, workers gone within 5 s", f"{_f(gone, '.3f')} s",
                          gone is not None and gone <= 5))
    return found


def record(section):
    """Puts the section into bench/RESULTS.md, replacing an earlier one; bench/run.sh keeps it when it rewrites the file."""
    path = os.path.join(cs.REPO, "bench", "RESULTS.md")
    text = report.replace_section(report.read_text(path), section.split("\n", 1)[0], section)
    with open(path, "w") as f:
        f.write(text)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/nodes.sh", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3, help="rounds of every scenario (default 3)")
    p.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, in this order: {','.join(SCENARIOS)}")
    p.add_argument("--lb", default="retries",
                   help="HAProxy profiles to run every round under, in order (comma-separated): retries (retries and "
                        "redispatch on a refused or empty connection), plain (no retries), observe (no retries, the first "
                        "live-traffic error marks a node down); default retries")
    p.add_argument("--shutdown-delay", type=float, default=0.0, metavar="SECONDS",
                   help="Cluster:ShutdownDelay of every primary: it keeps serving this long after its /readyz turns 503 "
                        "on SIGTERM (default 0; its runs get a RESULTS.md section of their own)")
    p.add_argument("--connections", type=int, default=16, help="connections of each wrk (default 16)")
    p.add_argument("--lead", type=float, default=2.0, help="seconds of load before each scenario's action (default 2)")
    p.add_argument("--tail", type=float, default=2.0, help="seconds of load after it (default 2)")
    p.add_argument("--inter-ms", type=int, default=500, help="HAProxy health check interval in ms (default 500)")
    p.add_argument("--fall", type=int, default=2, help="failed checks before HAProxy marks a node DOWN (default 2)")
    p.add_argument("--rise", type=int, default=1, help="passed checks before it marks it UP (default 1)")
    p.add_argument("--cluster-env", action="append", default=[], metavar="NAME=VALUE",
                   help="extra environment for every node's primary (repeatable)")
    p.add_argument("--record", action="store_true", help="write the section into bench/RESULTS.md")
    p.add_argument("--check", action="store_true", help="exit with code 1 when a target is missed (for CI)")
    p.add_argument("--from-json", metavar="RESULTS_JSON", action="append",
                   help="run nothing: render a finished run's report again from its results.json (with --record, into "
                        "RESULTS.md); repeated, the further runs are added as summary rows")
    a = p.parse_args(argv)
    a.scenarios = [s for s in a.scenarios.split(",") if s]
    unknown = [s for s in a.scenarios if s not in SCENARIOS]
    if unknown:
        p.error(f"--scenarios: unknown {', '.join(unknown)}; accepted: {', '.join(SCENARIOS)}")
    a.lb = [x for x in a.lb.split(",") if x]
    unknown = [x for x in a.lb if x not in haproxy.PROFILES]
    if unknown or not a.lb:
        p.error(f"--lb: unknown {', '.join(unknown) or '(none)'}; accepted: {', '.join(haproxy.PROFILES)}")
    return a


def _times_of(results_json):
    """For a results.json written without its times: the start from the folder's name, the end from the file's time,
    the load averages from the report.md beside it."""
    folder = os.path.dirname(os.path.abspath(results_json))
    stamp = os.path.basename(folder).split("-", 1)[-1]
    try:
        started = datetime.datetime.strptime(stamp, "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M")
    except ValueError:
        started = "?"
    finished = datetime.datetime.fromtimestamp(os.path.getmtime(results_json), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    loads = ("?", "?")
    try:
        with open(os.path.join(folder, "report.md")) as f:
            m = re.search(r"load average (.+?) before, (.+?) after", f.read())
        if m:
            loads = (m.group(1), m.group(2))
    except OSError:
        pass
    return {"started": started, "finished": finished, "loads": loads}


def repeats_table(runs, argv):
    """One row per further run (from --from-json after the first): its command and per-scenario sums per profile."""
    lines = ["### Further runs", "",
             "Later runs with the same scenarios and settings, summed per profile (their own tables are in their folders' report.md). "
             f"This section was rendered with `bench/nodes.sh {' '.join(argv)}`.", "",
             "| run | command | profile | replace-drain failed / requests | replace-sigterm | kill | reload | kill: DOWN s, workers gone s |",
             "|---|---|---|---:|---:|---:|---:|---|"]
    for path, raw in runs:
        a = raw["args"]
        times = raw.get("times") or _times_of(path)
        for profile in a["lb"]:
            sel = [r for r in raw["results"] if r["lb"] == profile]
            cells = []
            for name in SCENARIOS:
                x = [r for r in sel if r["scenario"] == name]
                cells.append(f"{sum(r['failed'] for r in x)} / {sum(r['requests'] for r in x)}" if x else "not run")
            kills = "; ".join(f"{_f(r['marked_down_s'])}, {_f(r['workers_gone_s'], '.3f')}" for r in sel if r["scenario"] == "kill")
            lines.append(f"| {times['started']} | `bench/nodes.sh {' '.join(raw['argv'])}` | {profile} | " + " | ".join(cells)
                         + f" | {kills or 'n/a'} |")
    return lines + [""]


def rerender(args):
    """Renders a finished run's section again from its results.json; further results.json files (--from-json
    repeated) are added as one summary row per profile each."""
    loaded = []
    for path in args.from_json:
        with open(path) as f:
            loaded.append((path, json.load(f)))
    path, raw = loaded[0]
    run_args = argparse.Namespace(**{**raw["args"], "record": args.record})
    times = raw.get("times") or _times_of(path)
    text = render(run_args, raw["argv"], raw["results"], raw["machine"], times.get("started", "?"),
                  times.get("finished", "?"), tuple(times.get("loads", ("?", "?"))))
    if len(loaded) > 1:
        text = text.rstrip("\n") + "\n\n" + "\n".join(repeats_table(loaded[1:], args.argv))
    if args.record:
        record(text)
    print(text)
    return 0


def main(argv):
    args = parse_args(argv)
    args.argv = argv
    if args.from_json:
        return rerender(args)
    if os.geteuid() != 0:
        print("error: bench/nodes.sh needs root (network namespaces, veth pairs, per-namespace sysctl)", file=sys.stderr)
        return 2
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
    workdir = os.path.join(cs.REPO, "bench", "out", f"nodes-{stamp}")
    os.makedirs(workdir, exist_ok=True)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    info = machine.describe()
    info["haproxy"] = machine._first_line(["haproxy", "-v"]).split(" - ")[0]
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    load_before = machine.load_average()
    log(f"logs and raw results in {workdir}")
    run = Run(args, workdir)
    results = []
    problems = []
    try:
        run.setup()
        for profile in args.lb:
            run.start_lb(profile)
            try:
                results += run.rounds(profile)
            finally:
                run.stop_lb()
    except KeyboardInterrupt:
        log("interrupted: tearing everything down")
        raise
    finally:
        problems = run.teardown()
        with open(os.path.join(workdir, "results.json"), "w") as f:
            json.dump({"args": vars(args), "argv": argv, "machine": info, "results": results, "events": run.events,
                       "teardown_problems": problems}, f, indent=1)
    finished = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    loads = (load_before, machine.load_average())
    with open(os.path.join(workdir, "results.json"), "w") as f:
        json.dump({"args": vars(args), "argv": argv, "machine": info, "results": results, "events": run.events,
                   "teardown_problems": problems, "times": {"started": started, "finished": finished, "loads": loads}},
                  f, indent=1)
    text = render(args, argv, results, info, started, finished, loads)
    with open(os.path.join(workdir, "report.md"), "w") as f:
        f.write(text)
    if args.record:
        record(text)
    print()
    print(text)
    missed = [t for t, _, ok in targets(args, results) if not ok]
    if args.check and missed:
        print(f"missed: {'; '.join(missed)}", file=sys.stderr)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
