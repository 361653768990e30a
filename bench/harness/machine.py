"""What the run ran on: cores, memory, kernel, tool versions, load."""
import os
import platform
import subprocess

from . import contenders


def _first_line(cmd):
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60,
                             stdin=subprocess.DEVNULL).stdout
        return out.strip().splitlines()[0] if out.strip() else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def _read(path, prefix):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "?"


def _package_version(name):
    try:
        import json
        with open(os.path.join(contenders.NODE_DIR, "node_modules", name, "package.json")) as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def describe():
    mem_kb = _read("/proc/meminfo", "MemTotal")
    return {
        "cores": os.cpu_count(),
        "cpu": _read("/proc/cpuinfo", "model name"),
        "memory": f"{int(mem_kb.split()[0]) / 1024 / 1024:.1f} GiB" if mem_kb != "?" else "?",
        "kernel": platform.release(),
        "os": _read("/etc/os-release", "PRETTY_NAME="),
        "dotnet": _first_line(["dotnet", "--version"]),
        "node": _first_line(["node", "--version"]),
        "express": _package_version("express"),
        "pm2": _package_version("pm2"),
        "wrk": _first_line(["wrk", "-v"]),
    }


def tcp_migrate_req():
    """net.ipv4.tcp_migrate_req (reuseport: migrate queued connections off a closing listener); our primary
    turns it on when it may (root)."""
    try:
        with open("/proc/sys/net/ipv4/tcp_migrate_req") as f:
            return f.read().strip()
    except OSError:
        return "unavailable"


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"
