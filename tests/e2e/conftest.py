"""Browser tests: Debian's Chromium, driven by Playwright, against a real gunicorn.

The fixture `server` builds everything once for all the browser tests (docs/testing.md); it is
package-scoped, so a full `pytest tests/` stops it as soon as the last browser test is done:
1. a database of its own, `momjobs_e2e_<pid>`, on the PostgreSQL server of DATABASE_URL (a
   crashed run's database is dropped by the next run), migrated and filled with the demo data
   (`load_demo`), plus a few accounts the demo does not have (see support.py);
2. static files collected into a temporary folder (the production storage, with its manifest);
3. gunicorn, started with the command of tools/commands.py and production-like settings
   (DEBUG=0, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1) on a free port, with a Redis
   database of its own so the rate-limit counters can be reset before each test.
It yields once /healthz answers 200 and, at the end, stops gunicorn and drops the database.

The tests speak HTTP only: they never touch pytest-django's test database. A failed test leaves
a full-page screenshot in tests/e2e/screenshots/ and the server log's tail in the report.
"""

import contextlib
import email
import email.policy
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pyotp
import pytest
import redis
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from commands import WEB_CMD  # noqa: E402 - tools/ is not a package

from tests.e2e.support import (  # noqa: E402
    FORGETFUL,
    FRESH_EMPLOYER,
    NEW_OFFICERS,
    PASSWORD,
    QINGDAO,
    QINGDAO_PHASE,
    TOTP_SECRET,
)

E2E_DIR = Path(__file__).resolve().parent
SCREENSHOTS = E2E_DIR / "screenshots"
# One database per test run (two runs may share a PostgreSQL server); a crashed run's is
# dropped by the next one.
DB_PREFIX = "momjobs_e2e_"
DB_NAME = f"{DB_PREFIX}{os.getpid()}"
BIN = Path(sys.executable).parent  # the virtualenv's bin: gunicorn lives next to python

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PREPARE = """
import shutil
import django
from django.core.management import call_command

django.setup()
if shutil.which("msgfmt"):
    call_command("compilemessages", ignore_patterns=[".venv", ".data"], verbosity=0)
call_command("migrate", interactive=False, verbosity=0)
call_command("load_demo", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)

from directory.models import Bureau, BureauStaff
from employers.models import Employer, EmployerMembership
from momjobs.users.models import Role, User

def make(email, role, name):
    return User.objects.create_user(email, PASSWORD, role=role, display_name=name)

user = make(FRESH_EMPLOYER, Role.EMPLOYER, "新同事")
EmployerMembership.objects.create(employer=Employer.objects.order_by("id").first(), user=user)
qingdao = Bureau.objects.get(staff__user__email=QINGDAO)
for email in NEW_OFFICERS:
    BureauStaff.objects.create(bureau=qingdao, user=make(email, Role.BUREAU, "新科员"))
for email in FORGETFUL:
    make(email, Role.SEEKER, "健忘的妈妈")

# What the tests open: the Qingdao phase, a posting with full rights, one with the fewest.
import json
from directory.models import Phase
from employers.models import Posting

phase = Phase.objects.get(title=QINGDAO_PHASE)
live = Posting.objects.live().filter(phase_entries__phase=phase).order_by("id")
good = live.filter(contract="labour", insurance="full").first()
poor = live.exclude(contract="labour").filter(insurance__in=["none", "not_stated"]).first()
poor = poor or live.exclude(pk=good.pk).first()
ids = {"phase": phase.pk, "good": good.pk, "poor": poor.pk}
# Who answers for each employer (its first member): the journeys act as the employer of a post.
ids["staff"] = {
    m.employer.name: m.user.email
    for m in EmployerMembership.objects.select_related("employer", "user").order_by("-id")
}
print("E2E_IDS " + json.dumps(ids))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_path(url, path):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=path))


def admin_connection(database_url):
    # DROP/CREATE DATABASE from the maintenance database, outside a transaction.
    url = with_path(database_url, "/postgres")
    return psycopg.connect(url, autocommit=True)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def drop_database(database_url, name=DB_NAME):
    with admin_connection(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drop_stale_databases(database_url):
    """Databases of earlier runs on this machine whose process is gone."""
    with admin_connection(database_url) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [DB_PREFIX + "%"]
            )
        ]
    for name in names:
        suffix = name.removeprefix(DB_PREFIX)
        if name == DB_NAME or (suffix.isdigit() and not pid_alive(int(suffix))):
            drop_database(database_url, name)


def healthy(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def stop(process):
    # SIGTERM: gunicorn's graceful shutdown; then whatever is left of its process group.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@dataclass
class Server:
    url: str
    env: dict
    log: Path
    mail: Path
    redis_url: str
    process: subprocess.Popen = None
    # SMS_URL's folder: one .txt file per text message (momjobs/lib/sms.py).
    sms: Path = None
    # Primary keys the tests open: phase (Qingdao Phase I), good and poor (two of its postings).
    ids: dict = field(default_factory=dict)
    # Last TOTP step used per account: the server refuses a step twice (replay protection).
    used_steps: dict = field(default_factory=dict)

    def log_tail(self, lines=25):
        """The server's last lines, without the requests for static files."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        kept = [line for line in text.splitlines() if '"GET /static/' not in line]
        return "\n".join(kept[-lines:])

    def sms_to(self, number):
        """Texts the server sent to `number` (11 digits), oldest first."""
        if self.sms is None or not self.sms.exists():
            return []
        files = sorted(
            self.sms.glob("*.txt"), key=lambda path: (path.stat().st_mtime_ns, path.name)
        )
        texts = [path.read_text(encoding="utf-8") for path in files]
        return [text for text in texts if f"+86{number}" in text.split("\n", 1)[0]]

    def mail_to(self, address):
        """Messages the server sent to `address` (the file backend: one file per connection,
        messages separated by a line of 79 dashes), oldest first."""
        found = []
        files = sorted(self.mail.glob("*.log"), key=lambda path: path.stat().st_mtime_ns)
        for path in files:
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if not raw.strip():
                    continue
                message = email.message_from_bytes(raw, policy=email.policy.default)
                if address in str(message["To"]):
                    found.append(message)
        return found

    def reset_rate_limits(self):
        client = redis.Redis.from_url(self.redis_url)
        try:
            client.flushdb()
        finally:
            client.close()

    def totp_code(self, email):
        """A code the server will accept for `email`, never one it has seen.

        The server accepts the previous, current and next 30-s step, each once; so a second
        sign-in within one step uses the next step's code, and only a third waits.
        """
        totp = pyotp.TOTP(TOTP_SECRET)
        while True:
            now = int(time.time()) // totp.interval
            step = max(now, self.used_steps.get(email, 0) + 1)
            if step <= now + 1:
                self.used_steps[email] = step
                return totp.at(step * totp.interval)
            time.sleep((now + 1) * totp.interval - time.time() + 0.2)


@pytest.fixture(scope="package")
def server(tmp_path_factory):
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/momjobs")
    base_redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    # A Redis database of its own (the unit tests flush theirs between tests).
    redis_db = (int(urlsplit(base_redis).path.strip("/") or 0) + 8) % 16
    redis_url = with_path(base_redis, f"/{redis_db}")

    tmp = tmp_path_factory.mktemp("e2e")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "momjobs.settings",
        "DATABASE_URL": with_path(database_url, f"/{DB_NAME}"),
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DEMO_MODE": "1",
        "SITE_URL": url,
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_ROOT": str(tmp / "private"),
        "EMAIL_URL": f"file://{tmp / 'mail'}",
        "SMS_URL": f"file://{tmp / 'sms'}",
        "CELERY_TASK_ALWAYS_EAGER": "1",  # no worker runs here
        "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port} --workers 2 --threads 4 --timeout 60",
        "PYTHONUNBUFFERED": "1",
    }
    srv = Server(
        url=url,
        env=env,
        log=tmp / "gunicorn.log",
        mail=tmp / "mail",
        redis_url=redis_url,
        sms=tmp / "sms",
    )

    drop_stale_databases(database_url)
    with admin_connection(database_url) as conn:
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    try:
        constants = (
            f"PASSWORD = {PASSWORD!r}\nFRESH_EMPLOYER = {FRESH_EMPLOYER!r}\n"
            f"QINGDAO = {QINGDAO!r}\nQINGDAO_PHASE = {QINGDAO_PHASE!r}\n"
            f"NEW_OFFICERS = {list(NEW_OFFICERS.values())!r}\n"
            f"FORGETFUL = {list(FORGETFUL.values())!r}\n"
        )
        prepared = subprocess.run(
            [sys.executable, "-c", constants + PREPARE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if prepared.returncode:
            pytest.fail(f"preparing the e2e database failed:\n{prepared.stdout}\n{prepared.stderr}")
        ids = next(line for line in prepared.stdout.splitlines() if line.startswith("E2E_IDS "))
        srv.ids = json.loads(ids.removeprefix("E2E_IDS "))

        with open(srv.log, "w") as log:
            srv.process = subprocess.Popen(
                [str(BIN / WEB_CMD[0]), *WEB_CMD[1:]],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: workers stop with it
            )
        deadline = time.monotonic() + 60
        while not healthy(f"{url}/healthz"):
            if srv.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not become healthy at {url}:\n{srv.log_tail()}")
            time.sleep(0.2)
        yield srv
    finally:
        if srv.process is not None:
            stop(srv.process)
        drop_database(database_url)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(server):
    # Each test starts with no sign-in failures or password-reset requests counted.
    server.reset_rate_limits()


@pytest.fixture(scope="package")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
        "locale": "zh-CN",
    },
    "desktop": {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"},
}


def _page(browser, server, kind):
    context = browser.new_context(base_url=server.url, **VIEWPORTS[kind])
    context.set_default_timeout(10_000)
    page = context.new_page()
    # A JavaScript error or a CSP refusal is a bug, whatever the test checks.
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda message: page.errors.append(message.text) if message.type == "error" else None,
    )
    return context, page


@pytest.fixture
def phone(browser, server):
    context, page = _page(browser, server, "phone")
    yield page
    context.close()


@pytest.fixture
def desktop(browser, server):
    context, page = _page(browser, server, "desktop")
    yield page
    context.close()


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser, server):
    """The same test once at each viewport; `page.viewport_kind` says which."""
    context, page = _page(browser, server, request.param)
    page.viewport_kind = request.param
    yield page
    context.close()


def pytest_collection_modifyitems(items):
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed or E2E_DIR not in item.path.parents:
        return
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.\[\]-]+", "_", item.name)
    pages = [
        (key, item.funcargs[key]) for key in ("page", "phone", "desktop") if key in item.funcargs
    ]
    for key, page in pages:
        suffix = "" if len(pages) == 1 else f"-{key}"
        path = SCREENSHOTS / f"{name}{suffix}.png"
        try:
            page.screenshot(path=path, full_page=True)
        except Exception as error:  # a closed page must not hide the test's own failure
            report.sections.append(("e2e screenshot", f"could not save {path}: {error}"))
        else:
            report.sections.append(("e2e screenshot", str(path.relative_to(ROOT))))
    server = item.funcargs.get("server")
    if server is not None:
        report.sections.append(("gunicorn log (tail)", server.log_tail()))
