"""Digests with real parts: a throwaway redis-server broker, a real Celery worker process
(prefork, with embedded beat for the sweep) and a real SMTP server (aiosmtpd) on 127.0.0.1.

The worker reads the test database, so these tests commit (transaction=True). Each test is
bounded: every wait is a polling loop with a deadline.
"""

import email.parser
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import (
    OUTBOX_PHASE_PUBLISHED,
    DeliveryStatus,
    DigestDelivery,
    OutboxEvent,
    Subscription,
)
from directory.subscriptions import digests
from directory.subscriptions import tasks as digest_tasks
from momjobs.celery import app
from momjobs.regions.models import Region
from tests.factories import make_bureau, make_employer, make_phase, make_posting, publish, region
from tests.services import free_port, start_redis

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent


# -- the SMTP sink --------------------------------------------------------------------------------


class Sink:
    """Collects (recipient, Message-ID) of every message accepted."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.content)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.messages.append((rcpt, headers["Message-ID"], headers))
        return "250 OK"

    def count(self):
        with self.lock:
            return len(self.messages)

    def by_recipient(self):
        with self.lock:
            result = {}
            for rcpt, message_id, _headers in self.messages:
                result.setdefault(rcpt, []).append(message_id)
            return result


@pytest.fixture
def sink():
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    handler = Sink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


# -- the broker, the worker -----------------------------------------------------------------------


@pytest.fixture
def broker():
    server = start_redis()
    # This process sends to the same broker, for real (not eagerly), while the test runs.
    saved = {
        key: app.conf[key]
        for key in ("task_always_eager", "broker_url", "broker_transport_options")
    }
    app.conf.task_always_eager = False
    app.conf.broker_url = server.url
    app.conf.broker_transport_options = {"visibility_timeout": 5}
    app._pool = None
    app.amqp._producer_pool = None
    yield server
    server.stop()
    for key, value in saved.items():
        app.conf[key] = value
    app._pool = None
    app.amqp._producer_pool = None


def database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


class Worker:
    def __init__(self, process, log):
        self.process = process
        self.log = log

    def kill(self):
        """SIGKILL the whole worker: the main process, its pool children and embedded beat."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def log_tail(self):
        return self.log.read_text(errors="replace")[-3000:]


@pytest.fixture
def start_worker(tmp_path, broker, sink):
    workers = []

    def start(**env_overrides):
        log = tmp_path / f"worker{len(workers)}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DB_CONN_MAX_AGE": "0",
            "REDIS_URL": broker.url,
            "CELERY_BROKER_URL": broker.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "CELERY_VISIBILITY_TIMEOUT": "5",
            "DIGEST_LEASE_SECONDS": "6",
            "DIGEST_SWEEP_SECONDS": "1",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            **env_overrides,
        }
        command = [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "momjobs",
            "worker",
            # Both queues: the default one and the documents one (tools/commands.py).
            "-Q",
            "celery,documents",
            "--concurrency",
            "2",
            "-P",
            "prefork",
            "--beat",
            "--schedule",
            str(tmp_path / f"beat{len(workers)}"),
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ]
        with log.open("wb") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as a whole
            )
        worker = Worker(process, log)
        workers.append(worker)
        wait_for(lambda: b" ready." in log.read_bytes(), 60, "worker ready", worker)
        return worker

    yield start
    for worker in workers:
        worker.kill()


def wait_for(predicate, timeout, what, worker=None, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    tail = worker.log_tail() if worker else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{tail}")


@pytest.fixture(scope="module", autouse=True)
def reload_regions_afterwards(django_db_blocker):
    # Transactional tests end with a flush, which empties the regions other modules rely on.
    yield
    from momjobs.regions.loader import load_regions

    with django_db_blocker.unblock():
        if not Region.objects.exists():
            load_regions()


@pytest.fixture(autouse=True)
def regions(transactional_db):
    from momjobs.regions.loader import load_regions

    if not Region.objects.exists():
        load_regions()


# -- the world ------------------------------------------------------------------------------------


def qingdao_posts():
    employer = make_employer(region_code="370202")
    return [
        make_posting(employer),
        make_posting(employer, title="超市理货员", sector="retail", school_run=False),
    ]


def subscribers(n, *, code="370200", prefix="mum", **extra):
    now = timezone.now()
    Subscription.objects.bulk_create(
        [
            Subscription(
                email=f"{prefix}{i}@example.test",
                region=region(code),
                token=f"{prefix}-token-{i}",
                **{"confirmed_at": now, **extra},
            )
            for i in range(n)
        ]
    )
    return [f"{prefix}{i}@example.test" for i in range(n)]


def publish_phase(number=1, posts=None):
    bureau = make_bureau("370200", name=f"青岛人社{number}")
    phase = make_phase(bureau, number=number)
    publish(phase, posts or qingdao_posts())
    # What the publish view does after commit; with the broker down it only logs.
    digest_tasks.relay_soon()
    return phase


def all_sent(phase, n):
    return DigestDelivery.objects.filter(phase=phase, status=DeliveryStatus.SENT).count() == n


def database_settled():
    """No outbox event left to relay and no delivery pending or sending: every delivery is in a
    final state, so no task, queued or to come, can send a digest any more."""
    unrelayed = OutboxEvent.objects.filter(kind=OUTBOX_PHASE_PUBLISHED, processed_at__isnull=True)
    unsent = DigestDelivery.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    )
    return not unrelayed.exists() and not unsent.exists()


def unacked_tags(broker):
    """The messages delivered to a worker and not acknowledged yet (Celery's Redis transport
    keeps them in the `unacked` hash; the tasks are acks_late, so a running task is there)."""
    client = redis.Redis.from_url(broker.url)
    try:
        return set(client.hkeys("unacked"))
    finally:
        client.close()


def broker_idle(broker):
    """No message waiting in a queue and none delivered but not acknowledged."""
    client = redis.Redis.from_url(broker.url)
    try:
        queued = sum(
            client.llen(key) for key in client.scan_iter("celery*") if client.type(key) == b"list"
        )
        return queued == 0 and client.hlen("unacked") == 0
    finally:
        client.close()


def redeliver(tags):
    """Put a dead worker's unacknowledged messages back in their queue, as a worker does once
    the visibility timeout has passed (kombu's worker looks for them only every ~100 s)."""
    with app.connection_for_write() as conn:
        qos = conn.default_channel.qos
        for tag in tags:
            qos.restore_by_tag(tag)


def wait_until_settled(broker, worker, timeout=60, abandoned=()):
    """Wait until the whole fan-out is over: the database settled and the broker drained, seen
    twice in a row (the beat's sweep task passes through the queue every second). `abandoned`:
    the messages a killed worker held, redelivered first; they run again and must change
    nothing."""
    redeliver(abandoned)
    seen = []

    def settled():
        seen.append(broker_idle(broker) and database_settled())
        return seen[-2:] == [True, True]

    wait_for(settled, timeout, "the queue to drain and every delivery to be final", worker, 0.1)


# -- the tests ------------------------------------------------------------------------------------


def test_publish_sends_one_digest_to_each_matching_confirmed_subscriber(start_worker, broker, sink):
    worker = start_worker()
    wanted = subscribers(20)
    subscribers(3, prefix="unconfirmed", confirmed_at=None)
    subscribers(3, prefix="gone", unsubscribed_at=timezone.now())
    subscribers(3, prefix="linyi", code="371300")
    subscribers(3, prefix="security", sector="security")
    phase = publish_phase()
    wait_for(lambda: sink.count() >= len(wanted) and all_sent(phase, 20), 60, "digests", worker)
    # A second relay or sweep would have sent by the time everything is final and drained.
    wait_until_settled(broker, worker)
    received = sink.by_recipient()
    assert sorted(received) == sorted(wanted)
    assert all(len(ids) == 1 for ids in received.values())
    rcpt, message_id, headers = sink.messages[0]
    subscription = Subscription.objects.get(email=rcpt)
    assert message_id == DigestDelivery.deterministic_message_id(subscription.pk, phase.pk)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/subscribe/unsubscribe/" in headers["List-Unsubscribe"]
    assert digests.digest_counts(phase)["sent"] == 20


def test_killing_the_worker_loses_nothing_and_duplicates_nothing(start_worker, broker, sink):
    n = 300
    wanted = subscribers(n)
    worker = start_worker(DIGEST_BATCH_SIZE="50")
    phase = publish_phase()
    wait_for(lambda: sink.count() >= n // 3, 60, "a third of the digests", worker, 0.005)
    worker.kill()
    abandoned = unacked_tags(broker)  # the dead worker's messages: no other worker runs
    at_kill = sink.count()
    assert n // 3 <= at_kill <= 2 * n // 3, at_kill
    assert not all_sent(phase, n)

    worker = start_worker(DIGEST_BATCH_SIZE="50")
    wait_for(lambda: all_sent(phase, n), 90, "every digest after the restart", worker)
    # The dead worker's unacknowledged batches run again too before the counts.
    wait_until_settled(broker, worker, 90, abandoned)
    received = sink.by_recipient()
    assert sorted(received) == sorted(wanted)
    # A digest interrupted between SMTP and "sent" may go twice, but as the same message.
    assert all(len(set(ids)) == 1 for ids in received.values())
    duplicates = sum(len(ids) - 1 for ids in received.values())
    assert duplicates <= 4, duplicates  # at most the messages in flight at the kill


def test_a_publish_while_redis_is_down_is_delivered_when_it_returns(start_worker, broker, sink):
    wanted = subscribers(30)
    worker = start_worker()
    broker.stop()
    started = time.monotonic()
    phase = publish_phase()  # the outbox row is committed; relay_soon() only logs
    # Two tasks are queued after a publish (the digest relay and the phase documents); with
    # Redis down each gives up after redis-py's connection retries, about 6 s.
    assert time.monotonic() - started < 30
    assert DigestDelivery.objects.count() == 0
    process = start_redis(port=broker.port).process
    try:
        wait_for(lambda: all_sent(phase, 30), 90, "digests after Redis returned", worker)
        wait_until_settled(broker, worker)
        received = sink.by_recipient()
        assert sorted(received) == sorted(wanted)
        assert all(len(ids) == 1 for ids in received.values())
    finally:
        worker.kill()
        process.kill()
        process.wait(10)


def test_one_click_unsubscribe_stops_the_next_digest(start_worker, broker, sink):
    leaving, staying = subscribers(2)
    worker = start_worker()
    first = publish_phase(1)
    wait_for(lambda: all_sent(first, 2), 60, "the first digests", worker)

    subscription = Subscription.objects.get(email=leaving)
    url = reverse("subscribe:unsubscribe", args=[digests.link_token(subscription, "unsubscribe")])
    _rcpt, _id, headers = next(m for m in sink.messages if m[0] == leaving)
    assert headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{url}>"
    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200

    second = publish_phase(2)
    wait_for(lambda: all_sent(second, 1), 60, "the second digest", worker)
    wait_until_settled(broker, worker)
    received = sink.by_recipient()
    assert len(received[staying]) == 2
    assert len(received[leaving]) == 1
    assert not DigestDelivery.objects.filter(phase=second, subscription=subscription).exists()
