"""The embedded PostgreSQL and Redis of one benchmark (tools/devservices.py), in its own folder
under .data/ so that benchmarks never touch the dev or test data."""

import contextlib
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def say(message):
    print(f"[bench] {message}", flush=True)


class Services:
    def __init__(self, data):
        self.data = Path(data)

    def run(self, *args):
        """tools/devservices.py ARGS --dir <data>."""
        return subprocess.run(
            [
                sys.executable,
                str(REPO / "tools" / "devservices.py"),
                *args,
                "--dir",
                str(self.data),
            ],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        )

    def start(self, *, fast=False):
        """Start (or find running) both; returns their environment (DATABASE_URL, REDIS_URL).
        `fast`: fsync off, which only matters when the cluster is created (throwaway data)."""
        out = self.run("start", "--print-env", *(["--fast"] if fast else [])).stdout
        return dict(
            line.removeprefix("export ").split("=", 1)
            for line in out.splitlines()
            if line.startswith("export ")
        )

    def stop(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.run("stop")
        say(f"services stopped (data kept in {self.data.relative_to(REPO)})")


def pg_port(env):
    return int(re.search(r":(\d+)/", env["DATABASE_URL"]).group(1))


def machine():
    """What every benchmark prints of the machine it ran on."""
    import django

    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError):
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram": mem,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
    }
