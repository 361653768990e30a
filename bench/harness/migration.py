"""net.ipv4.tcp_migrate_req: read it, turn it off for one round, and always put the original value back.

Without listener migration, a SO_REUSEPORT listener that closes resets the connections still queued on it; the
`shared` mode has one accept queue that outlives every worker, so it should not depend on the setting."""
import atexit
import os

PATH = "/proc/sys/net/ipv4/tcp_migrate_req"


def read():
    """The current value as text, or None if the file is missing or unreadable."""
    try:
        with open(PATH) as f:
            return f.read().strip()
    except OSError:
        return None


def _write(value):
    with open(PATH, "w") as f:
        f.write(str(value))


class Guard:
    """Remembers the original value before the first change and restores it (idempotent): from the round's
    finally, from main's finally (errors, Ctrl+C, SIGTERM, SIGHUP) and at interpreter exit."""

    def __init__(self):
        self.original = None
        self.changed = False
        atexit.register(self.restore)

    def check(self):
        """None if the value can be changed here, else why not (missing file, not root, read-only /proc)."""
        if not os.path.exists(PATH):
            return f"{PATH} is missing (listener migration needs Linux 5.14+)"
        current = read()
        if current is None:
            return f"{PATH} is not readable"
        try:
            _write(current)  # writing the value it already has: a harmless test of permission
        except OSError as error:
            return f"{PATH} is not writable ({error.strerror or error}; needs root and a writable /proc/sys)"
        return None

    def set(self, value):
        if not self.changed:
            self.original = read()
            self.changed = True
        _write(value)

    def restore(self):
        """Writes the original value back if this guard changed it; returns the value now in effect."""
        if self.changed and self.original is not None:
            try:
                _write(self.original)
                self.changed = False
            except OSError:
                pass
        return read()


GUARD = Guard()
