"""HAProxy in front of the nodes: a generated configuration, run in the foreground (never the system service), and
its runtime API on a Unix socket in the run's folder (server states, per-server counters, drain / ready)."""
import csv
import io
import os
import signal
import socket
import subprocess
import time

from . import procs

BACKEND = "nodes"


# What each profile adds to the defaults and to every server line.
PROFILES = {
    # a retry on another node after a refused connection, an empty response or a response timeout
    "retries": (["    retries 3", "    option redispatch 1", "    retry-on conn-failure empty-response response-timeout"], ""),
    # the client sees every failed attempt; only the health checks take a node out
    "plain": (["    retries 0", "    no option redispatch"], ""),
    # no retries, but the first failed connection or response on live traffic marks the node down at once
    "observe": (["    retries 0", "    no option redispatch"], " observe layer4 error-limit 1 on-error mark-down"),
}


def config(port, nodes, node_port, health_port, admin_socket, profile="retries", inter_ms=500, fall=2, rise=1):
    """The configuration: one frontend on 127.0.0.1:port, one backend of the nodes with /readyz health checks."""
    retry_lines, server_extra = PROFILES[profile]
    servers = [f"    server node{i} {n.node_ip}:{node_port} check port {health_port}{server_extra}" for i, n in enumerate(nodes, start=1)]
    return "\n".join([
        "global",
        f"    stats socket {admin_socket} mode 600 level admin",
        "    maxconn 4096",
        "    log stdout format raw local0 info",
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option httplog",
        "    option dontlog-normal",  # logs only the requests with an error, a retry or a redispatch
        "    timeout connect 1s",
        "    timeout client 30s",
        "    timeout server 10s",
        "    timeout check 1s",
        *retry_lines,
        "",
        "frontend fe",
        f"    bind 127.0.0.1:{port}",
        f"    default_backend {BACKEND}",
        "",
        f"backend {BACKEND}",
        "    balance roundrobin",
        "    option httpchk GET /readyz",
        "    http-check expect status 200",
        f"    default-server inter {inter_ms}ms fall {fall} rise {rise}",
        *servers,
        "",
    ])


class HAProxy:
    def __init__(self, workdir, port, nodes, node_port, health_port, profile, inter_ms, fall, rise):
        self.port = port
        self.admin_socket = os.path.join(workdir, "haproxy-admin.sock")
        self.config_path = os.path.join(workdir, f"haproxy-{profile}.cfg")
        self.log_path = os.path.join(workdir, f"haproxy-{profile}.log")
        self.inter_ms, self.fall, self.rise = inter_ms, fall, rise
        with open(self.config_path, "w") as f:
            f.write(config(port, nodes, node_port, health_port, self.admin_socket, profile, inter_ms, fall, rise))
        self.proc = None

    def start(self, preexec_fn=None):
        check = subprocess.run(["haproxy", "-c", "-q", "-f", self.config_path], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL, timeout=30)
        if check.returncode != 0:
            raise RuntimeError(f"haproxy rejects {self.config_path}: {check.stdout.strip()}")
        with open(self.log_path, "ab") as log:
            # -db: foreground, no daemon; -W off: one process, whose pid is ours to stop.
            self.proc = subprocess.Popen(["haproxy", "-db", "-f", self.config_path], stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                         preexec_fn=preexec_fn)
        procs.REGISTRY.track(self.proc.pid)
        end = time.monotonic() + 15
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"haproxy exited with code {self.proc.returncode}; see {self.log_path}")
            try:
                self.command("show info")
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("haproxy's runtime socket did not answer within 15 s")

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None

    def command(self, line, timeout=5.0):
        """One command on the runtime API; returns its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(self.admin_socket)
            s.sendall(line.encode() + b"\n")
            chunks = []
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", "replace")

    def stats(self):
        """`show stat` as {svname: row} for the backend's servers and the backend itself ('BACKEND')."""
        text = self.command("show stat").lstrip("# ")
        rows = {}
        for row in csv.DictReader(io.StringIO(text)):
            if row.get("pxname") == BACKEND:
                rows[row["svname"]] = row
        return rows

    def server_status(self, server):
        """The first word of the server's status: UP, DOWN, DRAIN, MAINT, NOLB (UP 1/2 = going down is UP)."""
        row = self.stats().get(server)
        return (row or {}).get("status", "?").split(" ")[0]

    def set_state(self, server, state):
        answer = self.command(f"set server {BACKEND}/{server} state {state}").strip()
        if answer:
            raise RuntimeError(f"haproxy: set server {server} state {state}: {answer}")

    def counters(self):
        """Backend-wide counters to compare before and after a scenario."""
        row = self.stats().get("BACKEND", {})
        keys = ("stot", "econ", "eresp", "wretr", "wredis", "hrsp_5xx", "cli_abrt", "srv_abrt")
        return {k: int(row.get(k) or 0) for k in keys}

    def wait_status(self, server, wanted, timeout_s, poll_s=0.01):
        """Polls until the server's status is one of `wanted`; returns the seconds it took, or None on timeout."""
        begin = time.monotonic()
        while time.monotonic() - begin < timeout_s:
            if self.server_status(server) in wanted:
                return time.monotonic() - begin
            time.sleep(poll_s)
        return None
