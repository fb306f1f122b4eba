"""`make run`: the whole portal on this machine, stopped cleanly by Ctrl-C.

1. PostgreSQL and Redis: DATABASE_URL / REDIS_URL if set, else embedded servers with their data
   in .data/dev (tools/devservices.py), reused on the next run.
2. compilemessages (if gettext is installed), migrate, load_regions, load_demo (all idempotent;
   load_demo prints the demo sign-ins).
3. The web server on 127.0.0.1:$PORT (default 8000), a Celery worker, the documents worker
   (the "documents" queue) and Celery beat, run with the commands of tools/commands.py, their
   output prefixed with their name.
Ctrl-C or SIGTERM stops the processes, then the embedded servers. A worker or beat that dies is
started again; if the web server dies, the others are stopped too and the exit code is 1.
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import devservices
from commands import BEAT_CMD, DOCUMENTS_CMD, WEB_CMD, WORKER_CMD

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / ".data" / "dev"
PIDS = DATA / "run.pids"
BIN = Path(sys.executable).parent  # the virtualenv's bin, where gunicorn and celery live

PREPARE = """
import glob, shutil
import django
from django.core.management import call_command, get_commands

django.setup()
if glob.glob("locale/*/LC_MESSAGES/*.po"):
    if shutil.which("msgfmt"):  # compiles only what changed
        call_command("compilemessages", ignore_patterns=[".venv", ".data"], verbosity=0)
    else:
        print("msgfmt (Debian package gettext) is missing: translations not compiled")
call_command("migrate", interactive=False)
call_command("load_regions")
if "load_demo" in get_commands():
    call_command("load_demo")
else:
    print("load_demo does not exist yet: no demo data loaded")
"""


def say(message):
    print(f"[run] {message}", flush=True)


class AlreadyRunning(Exception):
    pass


class Stop(Exception):
    """Raised in the main thread by SIGINT, SIGTERM or SIGHUP."""


def on_signal(signum, frame):
    raise Stop(signal.Signals(signum).name)


def pump(name, stream):
    for line in stream:
        sys.stdout.write(f"{name:>6} | {line}")
        sys.stdout.flush()


def start_child(name, argv, env, cwd=REPO):
    # A session of its own, so Ctrl-C in the terminal reaches only us and we stop the children
    # in order; their pool processes share the child's process group, so killpg reaches them.
    process = subprocess.Popen(
        [str(BIN / argv[0]), *argv[1:]],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    threading.Thread(target=pump, args=(name, process.stdout), daemon=True).start()
    return process


class Supervisor:
    """Restarts a background process (worker, beat) that dies, and says so; the web server stays
    up meanwhile. One that dies again and again (MAX_RESTARTS within WINDOW seconds) is left down,
    with a message, rather than restarted in a tight loop."""

    MAX_RESTARTS = 5
    WINDOW = 60.0

    def __init__(self, children, commands, env, clock=time.monotonic):
        self.children = children
        self.commands = commands  # name -> (argv, cwd): the restartable ones
        self.env = env
        self.clock = clock
        self.restarts = {name: [] for name in commands}
        self.given_up = set()

    def check(self):
        """Returns the name of a process that cannot be restarted and has stopped, else None."""
        for name, process in list(self.children.items()):
            if process.poll() is None or name in self.given_up:
                continue
            if name not in self.commands:
                return name
            now = self.clock()
            recent = [t for t in self.restarts[name] if now - t < self.WINDOW]
            if len(recent) >= self.MAX_RESTARTS:
                say(
                    f"{name} exited with code {process.returncode} again ({len(recent)} restarts "
                    f"in {self.WINDOW:.0f} s); leaving it stopped, the web server stays up"
                )
                self.given_up.add(name)
                continue
            say(f"{name} exited with code {process.returncode}; restarting it")
            argv, cwd = self.commands[name]
            self.children[name] = start_child(name, argv, self.env, cwd=cwd)
            self.restarts[name] = [*recent, now]
            write_pids(self.children)
        return None


def write_pids(children):
    PIDS.write_text(
        " ".join(str(pid) for pid in [os.getpid(), *(p.pid for p in children.values())])
    )


def stop_children(children, timeout=20):
    for process in children.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # gunicorn and celery: graceful shutdown
    deadline = time.monotonic() + timeout
    for name, process in children.items():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop in {timeout} s; killing it")
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # Pool processes whose leader has exited.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    PIDS.unlink(missing_ok=True)


def stop_leftovers():
    """Refuse to run twice; stop what a previous run killed before its cleanup left behind.

    PIDS holds this supervisor's pid, then its children's (each the leader of its own group).
    """
    if not PIDS.exists():
        return
    supervisor, *children = map(int, PIDS.read_text().split())
    if supervisor != os.getpid() and devservices.pid_is(supervisor, "tools/run.py"):
        raise AlreadyRunning(f"`make run` is already running here (pid {supervisor})")
    for pid in children:
        if devservices.pid_is(pid, "gunicorn") or devservices.pid_is(pid, "celery"):
            say(f"stopping process {pid} left by an earlier run")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
                if not devservices.wait_until(lambda pid=pid: not devservices.pid_alive(pid), 20):
                    os.killpg(pid, signal.SIGKILL)
    PIDS.unlink()


def healthy(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our http URL
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main():
    started = time.monotonic()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        # Installed even where the shell made us ignore SIGINT (a background job).
        signal.signal(signum, on_signal)

    port = int(os.environ.get("PORT", "8000"))
    url = f"http://127.0.0.1:{port}/"
    DATA.mkdir(parents=True, exist_ok=True)
    try:
        stop_leftovers()
    except AlreadyRunning as error:
        say(str(error))
        return 1
    if not devservices.port_is_free(port):
        say(f"port {port} is in use; stop what runs there, or choose another: PORT=8001 make run")
        return 1
    PIDS.write_text(f"{os.getpid()}")

    env = dict(os.environ)
    services = None
    children = {}
    code = 0
    try:
        wanted = {"postgres": "DATABASE_URL" not in env, "redis": "REDIS_URL" not in env}
        if any(wanted.values()):
            services = devservices.Services(DATA)
            env.update(services.start(**wanted))
        mail = REPO / ".data" / "mail"
        mail.mkdir(parents=True, exist_ok=True)
        env.setdefault("EMAIL_URL", f"file://{mail}")
        texts = REPO / ".data" / "sms"
        texts.mkdir(parents=True, exist_ok=True)
        env.setdefault("SMS_URL", f"file://{texts}")
        env.setdefault("DJANGO_SETTINGS_MODULE", "momjobs.settings")
        env.setdefault("DEBUG", "1")
        env.setdefault("SITE_URL", url.rstrip("/"))
        env.setdefault("GUNICORN_CMD_ARGS", f"--bind 127.0.0.1:{port}")
        env.setdefault("WEB_CONCURRENCY", "2")
        # beat runs in .data/dev (where it keeps its schedule) and must still find the code.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        env["PYTHONUNBUFFERED"] = "1"
        say(f"database {env['DATABASE_URL']}, redis {env['REDIS_URL']}")

        subprocess.run([sys.executable, "-c", PREPARE], cwd=REPO, env=env, check=True)

        children["web"] = start_child("web", WEB_CMD, env)
        children["worker"] = start_child("worker", WORKER_CMD, env)
        children["documents"] = start_child("documents", DOCUMENTS_CMD, env)
        children["beat"] = start_child("beat", BEAT_CMD, env, cwd=DATA)
        write_pids(children)
        supervisor = Supervisor(
            children,
            {
                "worker": (WORKER_CMD, REPO),
                "documents": (DOCUMENTS_CMD, REPO),
                "beat": (BEAT_CMD, DATA),
            },
            env,
        )

        ready = False
        while True:
            stopped = supervisor.check()
            if stopped is not None:
                process = children[stopped]
                say(f"{stopped} exited with code {process.returncode}; stopping everything")
                return 1
            if not ready and healthy(f"{url}healthz"):
                ready = True
                say("")
                say(f"妈妈岗 Mom Jobs is ready at {url}  ({time.monotonic() - started:.1f} s)")
                say(f"  admin: {url}admin/   health: {url}healthz")
                say("  demo sign-ins: printed above by load_demo")
                if env["EMAIL_URL"].startswith("file://"):
                    say(f"  mail folder: {mail}")
                else:  # (only the scheme: an SMTP URL holds its password)
                    say(f"  mail: {env['EMAIL_URL'].partition(':')[0]}:// (EMAIL_URL)")
                if env["SMS_URL"].startswith("file://"):
                    say(f"  SMS folder: {env['SMS_URL'].removeprefix('file://')}")
                else:  # (only the scheme: a provider's URL holds its key)
                    say(f"  SMS: {env['SMS_URL'].partition(':')[0]}:// (SMS_URL)")
                say("  Ctrl-C stops everything")
                say("")
            time.sleep(0.3)
    except Stop as stop:
        say(f"{stop}: stopping")
    except subprocess.CalledProcessError as error:
        say(f"setup failed ({error.returncode}): {' '.join(map(str, error.cmd[:2]))} ...")
        code = 1
    except devservices.ServiceError as error:
        say(f"embedded services: {error}")
        code = 1
    finally:
        # A second Ctrl-C must not interrupt the cleanup.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        stop_children(children)
        if services:
            services.stop()
            say("embedded PostgreSQL and Redis stopped")
    return code


if __name__ == "__main__":
    sys.exit(main())
