"""Single HTTP requests: one fresh TCP connection per probe, and HTTP over the primary's control socket."""
import http.client
import json
import socket


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


def get(port, path="/", timeout=1.0):
    """GET on a fresh connection (Connection: close). Returns (status, worker pid or None); raises OSError/HTTPException."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        resp = conn.getresponse()
        resp.read()
        pid = resp.getheader("X-Cluster-Worker-Pid")
        return resp.status, int(pid) if pid else None
    finally:
        conn.close()


def try_get(port, path="/", timeout=1.0):
    """Like get, but (None, None) on any connection error."""
    try:
        return get(port, path, timeout)
    except (OSError, http.client.HTTPException):
        return None, None


def control(socket_path, method, path, timeout=120.0):
    """A request to the primary's control socket. Returns (status, parsed JSON body or text)."""
    conn = _UnixConnection(socket_path, timeout)
    try:
        conn.request(method, path, headers={"Content-Length": "0"} if method == "POST" else {})
        resp = conn.getresponse()
        body = resp.read().decode("utf-8", "replace")
        try:
            return resp.status, json.loads(body)
        except ValueError:
            return resp.status, body
    finally:
        conn.close()
