"""The contenders: how each one is started, found ready, inspected, reloaded and stopped."""
import os
import signal
import subprocess
import time

from . import probe, procs

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NODE_DIR = os.path.join(REPO, "bench", "node")
WORKER_DIR = os.path.join(REPO, "Worker", "bin", "Release", "net10.0")
PRIMARY_DIR = os.path.join(REPO, "Primary", "bin", "Release", "net10.0")
WORKER_EXE = os.path.join(WORKER_DIR, "ClusterTemplate.Worker")
# The Native AOT worker, published by run.sh (dotnet publish Worker -p:WorkerAot=true) when clang is there.
AOT_WORKER_DIR = os.path.join(REPO, "Worker", "bin", "Release", "aot")
AOT_WORKER_EXE = os.path.join(AOT_WORKER_DIR, "ClusterTemplate.Worker")
PRIMARY_EXE = os.path.join(PRIMARY_DIR, "ClusterTemplate.Primary")
PM2 = os.path.join(NODE_DIR, "node_modules", ".bin", "pm2")

READY_TIMEOUT_S = 30.0
# Timestamps in the .NET logs (bench/out/run-*/), to read a restart's timeline afterwards.
DOTNET_LOG_ENV = {"Logging__Console__FormatterOptions__TimestampFormat": "HH:mm:ss.fff "}
STOP_TIMEOUT_S = 15.0


class NotAvailable(Exception):
    """The contender cannot run here (e.g. the primary rejects the mode with exit code 2)."""


def _clean_env(extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DOTNET_", "ASPNETCORE_", "Cluster__", "PM2_", "NODE_APP_INSTANCE"))}
    env.update(extra)
    return env


class Contender:
    """Base: a process tree rooted at one pid, serving HTTP on one port."""
    key = ""
    label = ""
    has_primary = True
    can_reload = False
    can_restart = True

    def __init__(self, workers, workdir):
        self.workers = workers
        self.workdir = workdir
        self.port = None
        self.proc = None
        self.log_path = None

    # --- lifecycle -------------------------------------------------------------------------
    def _spawn(self, cmd, cwd, env):
        self.log_path = os.path.join(self.workdir, f"{self.key}-{self.port}.log")
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        procs.REGISTRY.track(self.proc.pid)

    def start(self, port):
        raise NotImplementedError

    def root_pid(self):
        return self.proc.pid if self.proc else None

    def exited(self):
        """The root's exit code if it is gone, else None."""
        return self.proc.poll() if self.proc else None

    def worker_pids(self):
        root = self.root_pid()
        return procs.children(root) if root else []

    def processes(self):
        """(role, pid) of every process of the contender."""
        root = self.root_pid()
        if root is None:
            return []
        return [("primary", root)] + [("worker", p) for p in self.worker_pids()]

    def wait_ready(self, timeout_s=READY_TIMEOUT_S):
        """Polls (bounded) until every expected worker has answered a fresh-connection GET /; returns seconds."""
        begin = time.monotonic()
        seen = set()
        while time.monotonic() - begin < timeout_s:
            code = self.exited()
            if code is not None:
                raise NotAvailable(f"exited with code {code}: {self._last_log_line()}")
            status, pid = probe.try_get(self.port, "/", timeout=1.0)
            if status == 200 and pid:
                seen.add(pid)
                if len(seen & set(self.worker_pids())) >= self.workers:
                    for p in self.worker_pids():
                        procs.REGISTRY.track(p)
                    return time.monotonic() - begin
            time.sleep(0.05)
        raise NotAvailable(f"no {self.workers} workers serving on port {self.port} within {timeout_s:.0f} s")

    def _last_log_line(self):
        try:
            with open(self.log_path, "rb") as f:
                lines = [l for l in f.read().decode("utf-8", "replace").splitlines() if l.strip()]
            return lines[-1].strip() if lines else "(no output)"
        except OSError:
            return "(no log)"

    def stop(self):
        """SIGTERM the root (bounded wait), then SIGKILL the root and anything left of its tree."""
        root = self.root_pid()
        if root is None:
            return
        tree = [root] + procs.descendants(root)
        for pid in tree:
            procs.REGISTRY.track(pid)
        if self.proc and self.proc.poll() is None:
            try:
                os.kill(root, signal.SIGTERM)
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
            except OSError:
                pass
        procs.kill_stragglers(tree, procs.REGISTRY)
        self.proc = None

    def reload(self):
        """Rolling restart of every worker. Returns (succeeded, message)."""
        raise NotImplementedError


def _require_aot_worker():
    if not os.path.exists(AOT_WORKER_EXE):
        raise NotAvailable(f"no Native AOT worker at {AOT_WORKER_EXE} (run.sh publishes it when clang or clang-14 is installed)")


class SingleWorker(Contender):
    """One ClusterTemplate.Worker process alone: the ceiling."""
    key, label, has_primary, can_restart = "single", "single Worker", False, False

    def __init__(self, workdir, aot=False):
        super().__init__(1, workdir)
        self.aot = aot
        if aot:
            self.key, self.label = "single-aot", "single Worker, Native AOT"

    def start(self, port):
        self.port = port
        if self.aot:
            _require_aot_worker()
        exe, cwd = (AOT_WORKER_EXE, AOT_WORKER_DIR) if self.aot else (WORKER_EXE, WORKER_DIR)
        self._spawn([exe, "--urls", f"http://127.0.0.1:{port}"], cwd, _clean_env(DOTNET_LOG_ENV))

    def worker_pids(self):
        root = self.root_pid()
        return [root] if root and self.exited() is None else []

    def processes(self):
        return [("worker", p) for p in self.worker_pids()]


class OurCluster(Contender):
    """ClusterTemplate.Primary with N workers in one listener mode."""
    can_reload = True

    def __init__(self, mode, workers, workdir, extra_env=None, key=None, label=None, aot=False):
        super().__init__(workers, workdir)
        self.mode = mode
        self.aot = aot
        self.key = key or (f"{mode}-aot" if aot else mode)
        self.label = label or (f"cluster {mode}, Native AOT workers" if aot else f"cluster {mode}")
        self.extra_env = dict(extra_env or {})
        if aot:
            self.extra_env["Cluster__WorkerPath"] = AOT_WORKER_EXE
        self.runtime_dir = None

    @property
    def control_socket(self):
        return os.path.join(self.runtime_dir, "control.sock")

    def start(self, port):
        self.port = port
        if self.aot:
            _require_aot_worker()
        self.runtime_dir = os.path.join(self.workdir, f"rt-{self.mode}-{port}")
        env = _clean_env({**DOTNET_LOG_ENV, **self.extra_env, "Cluster__RuntimeDirectory": self.runtime_dir})
        self._spawn([PRIMARY_EXE, "--workers", str(self.workers), "--port", str(port), "--mode", self.mode],
                    PRIMARY_DIR, env)

    def status(self):
        return probe.control(self.control_socket, "GET", "/control/status", timeout=10)

    def reload(self):
        status, body = probe.control(self.control_socket, "POST", "/control/reload", timeout=300)
        message = body.get("message") if isinstance(body, dict) else str(body)
        return status == 200, f"HTTP {status}: {message}"


class NodeCluster(Contender):
    """The seed's design: node cluster.js forking N Express 5 workers."""
    key, label = "node", "Node.js cluster"

    def start(self, port):
        self.port = port
        env = _clean_env({"PORT": str(port), "WORKERS": str(self.workers), "NODE_ENV": "production"})
        self._spawn(["node", os.path.join(NODE_DIR, "cluster.js")], NODE_DIR, env)


class Pm2Cluster(Contender):
    """PM2 cluster mode running the same Express app; its own PM2_HOME so ~/.pm2 is never touched."""
    key, label, can_reload = "pm2", "PM2 cluster", True

    def __init__(self, workers, workdir):
        super().__init__(workers, workdir)
        self.home = None
        self.daemon = None

    def _pm2(self, *args, timeout=120):
        env = _clean_env({"PM2_HOME": self.home, "PORT": str(self.port), "WORKERS": str(self.workers)})
        with open(os.path.join(self.workdir, f"pm2-cli-{self.port}.log"), "ab") as log:
            done = subprocess.run([PM2, *args], cwd=NODE_DIR, env=env, stdin=subprocess.DEVNULL,
                                  stdout=log, stderr=subprocess.STDOUT, timeout=timeout)
        return done.returncode

    def start(self, port):
        self.port = port
        self.home = os.path.join(self.workdir, f"pm2home-{port}")
        os.makedirs(self.home, exist_ok=True)
        self.log_path = os.path.join(self.workdir, f"pm2-cli-{port}.log")
        code = self._pm2("start", os.path.join(NODE_DIR, "ecosystem.config.js"))
        pid_file = os.path.join(self.home, "pm2.pid")
        if os.path.exists(pid_file):
            with open(pid_file) as f:
                self.daemon = int(f.read().strip())
            procs.REGISTRY.track(self.daemon)
        if code != 0:
            raise NotAvailable(f"pm2 start exited with code {code}: {self._last_log_line()}")

    def root_pid(self):
        return self.daemon

    def exited(self):
        if self.daemon is None:
            return -1
        return None if procs.start_time(self.daemon) is not None else -1

    def processes(self):
        if self.daemon is None:
            return []
        return [("daemon", self.daemon)] + [("worker", p) for p in self.worker_pids()]

    def reload(self):
        code = self._pm2("reload", "bench", timeout=300)
        return code == 0, f"pm2 reload exited with code {code}"

    def stop(self):
        if self.daemon is None:
            return
        tree = [self.daemon] + procs.descendants(self.daemon)
        for pid in tree:
            procs.REGISTRY.track(pid)
        try:
            self._pm2("kill", timeout=60)
        except subprocess.TimeoutExpired:
            pass
        procs.kill_stragglers(tree, procs.REGISTRY)
        self.daemon = None
