"""Processes: free ports, process trees from /proc, resident memory, and a registry that kills leftovers."""
import os
import signal
import socket
import time


def free_port():
    """A TCP port nothing listens on right now (bound to port 0 on all addresses, then released)."""
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
        s.bind(("::", 0))
        return s.getsockname()[1]


def start_time(pid):
    """The start time of pid in clock ticks (to tell a process from a later one with the same pid), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            return None
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def _parents():
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(entry)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            pass
    return parents


def children(pid):
    """Live direct children of pid."""
    return sorted(p for p, parent in _parents().items() if parent == pid)


def descendants(pid):
    """Live descendants of pid, breadth first."""
    parents = _parents()
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop(0)
        kids = sorted(p for p, parent in parents.items() if parent == current)
        found.extend(kids)
        frontier.extend(kids)
    return found


def rss_bytes(pid):
    """VmRSS of pid in bytes, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def memory(pid):
    """Resident memory of pid in bytes: rss (VmRSS), private (RssAnon + RssShmem: not shared with other
    processes' file mappings), pss (proportional set size: shared pages divided among their users); None if gone."""
    values = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key = line.split(":", 1)[0]
                if key in ("VmRSS", "RssAnon", "RssShmem"):
                    values[key] = int(line.split()[1]) * 1024
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    values["Pss"] = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    if "VmRSS" not in values:
        return None
    return {"rss": values["VmRSS"], "private": values.get("RssAnon", 0) + values.get("RssShmem", 0),
            "pss": values.get("Pss")}


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU time pid has used, in seconds, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return None


def command_name(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return "?"


class Registry:
    """Every process the harness started or saw under a contender, so that all of them can be killed at the end."""

    def __init__(self):
        self._entries = {}

    def track(self, pid):
        st = start_time(pid)
        if st is not None:
            self._entries[pid] = st

    def track_tree(self, pid):
        self.track(pid)
        for child in descendants(pid):
            self.track(child)

    def alive(self, pid):
        st = self._entries.get(pid)
        return st is not None and start_time(pid) == st

    def kill_leftovers(self, deadline_s=5.0):
        """SIGKILL every tracked process still alive (same pid and start time); returns the pids killed."""
        killed = [pid for pid in list(self._entries) if self.alive(pid)]
        for pid in killed:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        wait_gone(killed, self, deadline_s)
        for pid in list(self._entries):
            if not self.alive(pid):
                del self._entries[pid]
        return killed


def wait_gone(pids, registry, deadline_s):
    """Waits (bounded) until none of pids is alive."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if not any(registry.alive(p) for p in pids):
            return True
        time.sleep(0.02)
    return not any(registry.alive(p) for p in pids)


def kill_stragglers(pids, registry, deadline_s=5.0):
    """Waits (bounded) for pids to end after a graceful stop, SIGKILLs the ones still alive, and waits again."""
    wait_gone(pids, registry, deadline_s)
    for pid in pids:
        if registry.alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    wait_gone(pids, registry, deadline_s)


REGISTRY = Registry()
