"""Network namespaces as 'nodes': one namespace per node, joined to the root namespace by a veth pair on a /30.

Every name carries a prefix unique to this run (ctn<pid>), every object is recorded the moment it exists, and
teardown() removes exactly those (the processes inside our namespaces, our veths, our namespaces), in reverse order,
even when an earlier step failed. A name that already exists (a crashed run that had the same pid) is refused, never
deleted: only what this run made is ever removed."""
import ipaddress
import os
import random
import signal
import subprocess
import time

from . import procs


class NetnsError(Exception):
    """A namespace or link could not be made (not root, no CAP_NET_ADMIN, a name already taken)."""


def _ip(*args, check=True):
    done = subprocess.run(["ip", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          stdin=subprocess.DEVNULL, timeout=30)
    if check and done.returncode != 0:
        raise NetnsError(f"ip {' '.join(args)}: {done.stdout.strip()}")
    return done.stdout


def existing_namespaces():
    return {line.split()[0] for line in _ip("netns", "list", check=False).splitlines() if line.strip()}


def existing_links():
    names = set()
    for line in _ip("-o", "link", "show", check=False).splitlines():
        parts = line.split(":", 2)
        if len(parts) > 1:
            names.add(parts[1].strip().split("@")[0])
    return names


def _free_subnet():
    """A 10.x.y.0/24 that no address or route of the root namespace overlaps (random, so two runs rarely try the same)."""
    used = []
    for line in _ip("-4", "-o", "addr", "show", check=False).splitlines() + _ip("-4", "route", "show", check=False).splitlines():
        for word in line.split():
            try:
                used.append(ipaddress.ip_network(word, strict=False))
            except ValueError:
                pass
    for _ in range(200):
        candidate = ipaddress.ip_network(f"10.{random.randint(200, 250)}.{random.randint(0, 255)}.0/24")
        if not any(candidate.overlaps(u) for u in used if u.prefixlen > 0):
            return candidate
    raise NetnsError("no free 10.x.y.0/24 for the nodes' links")


class NodeNetwork:
    """One namespace with loopback up, a veth to the root namespace and its own net.ipv4.tcp_migrate_req."""

    def __init__(self, name, host_if, node_if, host_ip, node_ip):
        self.name, self.host_if, self.node_if = name, host_if, node_if
        self.host_ip, self.node_ip = host_ip, node_ip

    def exec_prefix(self):
        """Command prefix that runs a program inside this namespace (ip netns exec replaces itself with it)."""
        return ["ip", "netns", "exec", self.name]

    def sysctl(self, key):
        """A sysctl as this namespace sees it (/proc/sys/net is per network namespace), or None."""
        out = subprocess.run(self.exec_prefix() + ["cat", f"/proc/sys/{key.replace('.', '/')}"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, stdin=subprocess.DEVNULL, timeout=30).stdout
        return out.strip() or None

    def set_sysctl(self, key, value):
        subprocess.run(self.exec_prefix() + ["sh", "-c", f"echo {value} > /proc/sys/{key.replace('.', '/')}"],
                       check=True, stdin=subprocess.DEVNULL, timeout=30)

    def pids(self):
        """Every process that runs in this namespace."""
        out = _ip("netns", "pids", self.name, check=False)
        return [int(p) for p in out.split() if p.isdigit()]


class Network:
    """The nodes' namespaces and links, and the record of what was made, for teardown()."""

    def __init__(self, count, log, manifest=None):
        self.prefix = f"ctn{os.getpid()}"
        self.manifest = manifest  # a file naming everything made, for a run killed before its teardown (kill -9)
        self.count = count
        self.log = log
        self.nodes = []
        self.subnet = None
        self._made = []  # ("netns", name) / ("link", name), in the order made

    def _record(self, kind, name):
        self._made.append((kind, name))
        if self.manifest:
            with open(self.manifest, "a") as f:
                # a shell line each, for `sh made.txt`; a link goes with its namespace, hence the test
                f.write(f"ip netns del {name}\n" if kind == "netns" else
                        f"ip link show {name} >/dev/null 2>&1 && ip link del {name}\n")

    def create(self):
        names = [f"{self.prefix}-{i}" for i in range(1, self.count + 1)]
        links = [f"{self.prefix}h{i}" for i in range(1, self.count + 1)]
        taken = (set(names) & existing_namespaces()) | (set(links) & existing_links())
        if taken:
            raise NetnsError(f"already present (from an earlier run with the same pid?), left alone: {', '.join(sorted(taken))}")
        self.subnet = _free_subnet()
        hosts = list(self.subnet.hosts())
        for i in range(1, self.count + 1):
            name, host_if, node_if = f"{self.prefix}-{i}", f"{self.prefix}h{i}", f"{self.prefix}n{i}"
            # a /30 per node: .4i+1 on the root side, .4i+2 in the node
            host_ip, node_ip = hosts[4 * (i - 1)], hosts[4 * (i - 1) + 1]
            _ip("netns", "add", name)
            self._record("netns", name)
            _ip("link", "add", host_if, "type", "veth", "peer", "name", node_if)
            self._record("link", host_if)
            _ip("link", "set", node_if, "netns", name)
            _ip("addr", "add", f"{host_ip}/30", "dev", host_if)
            _ip("link", "set", host_if, "up")
            ns = ["-n", name]
            _ip(*ns, "link", "set", "lo", "up")
            _ip(*ns, "addr", "add", f"{node_ip}/30", "dev", node_if)
            _ip(*ns, "link", "set", node_if, "up")
            node = NodeNetwork(name, host_if, node_if, str(host_ip), str(node_ip))
            node.set_sysctl("net.ipv4.tcp_migrate_req", 1)
            self.nodes.append(node)
        return self.nodes

    def teardown(self):
        """Kills what still runs in our namespaces, deletes our veths and namespaces; returns what could not be removed."""
        for node in self.nodes:
            for pid in node.pids():
                procs.REGISTRY.track(pid)
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(n.pids() for n in self.nodes):
            time.sleep(0.05)
        failed = []
        for kind, name in reversed(self._made):
            try:
                if kind == "link":
                    if name in existing_links():  # deleting the namespace may already have taken the pair with it
                        _ip("link", "del", name)
                else:
                    _ip("netns", "del", name)
            except (NetnsError, OSError, subprocess.TimeoutExpired) as error:
                failed.append(f"{kind} {name}: {error}")
        left = ({n for k, n in self._made if k == "netns"} & existing_namespaces()) | \
               ({n for k, n in self._made if k == "link"} & existing_links())
        failed += [f"still present: {n}" for n in sorted(left) if not any(n in f for f in failed)]
        if not failed:
            self._made = []
            if self.manifest and os.path.exists(self.manifest):
                os.remove(self.manifest)
        return failed
