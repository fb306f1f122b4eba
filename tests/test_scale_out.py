"""Beyond one machine, shown (issue #18 item 10): two web replicas behind a small reverse proxy
and two Celery workers, against one PostgreSQL and the two Redis roles (broker, cache). An officer
signs in through the proxy (her session works on both replicas), the requests reach both, she
publishes a phase, and each subscriber gets its digest exactly once with both workers running.

The compose file's `scale` profile runs the same shape with nginx (tests/test_compose.py checks
it); here the proxy is a few lines of Python so that CI, without Docker, runs the real thing.
"""

import http.client
import http.server
import itertools
import os
import re
import socketserver
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pyotp
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from directory.models import DeliveryStatus, DigestDelivery, PhaseStatus
from tests.factories import PASSWORD, add_entry, make_bureau, make_phase, make_user
from tests.helpers import SECRET, give_device
from tests.services import free_port, start_redis
from tests.test_digests_worker import (  # noqa: F401 - fixtures
    broker,
    database_url,
    qingdao_posts,
    regions,
    reload_regions_afterwards,
    sink,
    start_worker,
    subscribers,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class Proxy(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, backends):
        self.backends = itertools.cycle(backends)
        self.served = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", free_port()), ProxyHandler)


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    """Round-robin to the replicas; appends the client address to X-Forwarded-For."""

    def log_message(self, *args):
        pass

    def _forward(self):
        with self.server.lock:
            port = next(self.server.backends)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        headers["Host"] = "localhost"
        forwarded = self.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = f"{forwarded}, 127.0.0.1" if forwarded else "127.0.0.1"
        upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        upstream.request(self.command, self.path, body=body or None, headers=headers)
        response = upstream.getresponse()
        data = response.read()
        with self.server.lock:
            self.server.served.append(port)
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _forward


class Browser:
    """Just enough of a browser: cookies and the CSRF token."""

    def __init__(self, port):
        self.port = port
        self.cookies = SimpleCookie()

    def request(self, method, path, data=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items()),
            **(headers or {}),
        }
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://localhost{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        return response.status, response.getheader("Location"), response.read().decode()

    def post_form(self, path, data):
        _status, _location, page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **data})


def start_replicas(tmp_path, redis_broker, cache, count=2, **overrides):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": redis_broker.url,
        "CACHE_REDIS_URL": cache.url,
        "CELERY_BROKER_URL": redis_broker.url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "http://localhost",
        "BEHIND_TLS_PROXY": "0",
        "TRUSTED_PROXIES": "1",
        "RATE_LIMITS_ENABLED": "1",
        **overrides,
    }
    ports = [free_port() for _ in range(count)]
    processes = []
    for n, port in enumerate(ports):
        log = (tmp_path / f"web{n}.log").open("wb")
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "momjobs.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                    "--no-control-socket",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    for port in ports:
        wait_for(lambda p=port: _answers(p), 60, f"web replica on {port}")
    return ports, processes


def stop_replicas(processes):
    for process in processes:
        os.killpg(process.pid, 15)
        process.wait(20)


@pytest.fixture
def replicas(tmp_path, broker):  # noqa: F811
    cache = start_redis()
    ports, processes = start_replicas(tmp_path, broker, cache)
    proxy = Proxy(ports)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    yield proxy, ports
    proxy.shutdown()
    stop_replicas(processes)
    cache.stop()


def _answers(port):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz", headers={"Host": "localhost"})
        return connection.getresponse().status in (200, 503)
    except OSError:
        return False


def test_two_replicas_two_workers_one_digest_each(replicas, start_worker, sink):  # noqa: F811
    proxy, ports = replicas
    start_worker()
    start_worker()
    officer = make_user("officer.scale@example.test", role="bureau")
    # The replicas use the production hashers (the tests' fast one is theirs only).
    hasher = PBKDF2PasswordHasher()
    officer.password = hasher.encode(PASSWORD, hasher.salt())
    officer.save()
    bureau = make_bureau("370200", name="青岛人社（扩容演示）", staff=officer)
    give_device(officer)
    phase = make_phase(bureau, number=5, status=PhaseStatus.IN_REVIEW)
    for posting in qingdao_posts():
        add_entry(phase, posting)
    emails = subscribers(12)

    browser = Browser(proxy.server_address[1])
    status, location, _ = browser.post_form(
        "/accounts/login/", {"username": officer.email, "password": PASSWORD}
    )
    assert status == 302 and location.endswith("/accounts/2fa/"), (status, location)
    status, _location, _ = browser.post_form("/accounts/2fa/", {"code": pyotp.TOTP(SECRET).now()})
    assert status == 302
    # Her session holds on whichever replica answers.
    for _ in range(4):
        assert browser.request("GET", "/bureau/phases/")[0] == 200
    assert set(proxy.served) == set(ports), "both replicas served requests"
    status, location, _ = browser.post_form(f"/bureau/phases/{phase.pk}/publish/", {})
    assert status == 302, status

    wait_for(
        lambda: (
            DigestDelivery.objects.filter(phase=phase, status=DeliveryStatus.SENT).count()
            == len(emails)
        ),
        120,
        "every digest sent",
    )
    time.sleep(3)  # a duplicate would arrive now, if either worker sent one twice
    received = sink.by_recipient()
    assert sorted(received) == sorted(emails)
    assert all(len(ids) == 1 for ids in received.values()), received


@pytest.mark.parametrize(("trusted", "shared"), [("1", False), ("0", True)])
def test_rate_limits_count_each_visitor_through_gunicorn(
    tmp_path,
    broker,  # noqa: F811
    trusted,
    shared,
):
    """Ten sign-ups an hour per address, through a real gunicorn: with the proxy setting each
    visitor (the address the proxy appended) has her own bucket; without it, the header is
    ignored and everyone behind the proxy shares one."""
    cache = start_redis()
    [port], processes = start_replicas(tmp_path, broker, cache, count=1, TRUSTED_PROXIES=trusted)
    try:

        def sign_up(visitor):
            browser = Browser(port)
            _s, _l, page = browser.request("GET", "/accounts/sign-up/?with=email")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            return browser.request(
                "POST",
                "/accounts/sign-up/",
                {"csrfmiddlewaretoken": token, "email": "not an address"},
                headers={"X-Forwarded-For": visitor},
            )[0]

        assert all(sign_up("198.51.100.1") == 200 for _ in range(10))
        assert sign_up("198.51.100.1") == 429
        assert sign_up("198.51.100.2") == (429 if shared else 200)
    finally:
        stop_replicas(processes)
        cache.stop()
