"""When Redis is down the portal degrades, it does not break (docs/architecture.md, "When Redis is
down"): searches are computed without the cache, rate limits let requests through, a publish
goes through, mails are sent from the web process, and a change to what can be found made during
the outage is not forgotten when Redis is back.

The outage is real: the cache and the broker point at a port nothing listens on.
"""

import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse

from directory.models import PhaseStatus
from directory.subscriptions import tasks as digest_tasks
from momjobs.lib import cache as soft_cache
from momjobs.lib import search_version
from momjobs.lib.tasks import queue_email
from tests.factories import make_bureau, make_employer, make_phase, make_posting, publish
from tests.services import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The cache away (settings change: Django rebuilds its cache handler)."""
    live = settings.CACHES
    dead = {"default": {**live["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}
    settings.CACHES = dead
    yield live
    settings.CACHES = live
    soft_cache._down_until = 0.0
    search_version._pending = False


def qingdao_posting(title="社区早餐帮厨"):
    posting = make_posting(make_employer(region_code="370202"), title=title)
    publish(make_phase(make_bureau("370200"), status=PhaseStatus.IN_REVIEW), [posting])
    return posting


def test_cache_calls_answer_as_a_miss_while_redis_is_down(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="momjobs.lib.cache"):
        assert cache.get("anything", "default") == "default"
    assert "cache unavailable" in caplog.text
    assert not soft_cache.available()
    # Asked no more for a while: every call answers at once.
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.set("a", 1) is None
    with pytest.raises(ValueError):
        cache.incr("a")
    assert cache.get_or_set("a", lambda: 42) == 42


def test_search_works_without_the_cache(client, redis_down, settings):
    settings.CACHES = redis_down  # publish with Redis up
    posting = qingdao_posting()
    settings.CACHES = {
        "default": {**redis_down["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    }
    for url in ("/jobs/", "/jobs/?q=帮厨&region=370200", "/en/jobs/?q=帮厨"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert posting.title in response.content.decode(), url
    api = client.get("/api/v1/postings/", {"q": "帮厨", "region": "370200"})
    assert api.status_code == 200 and api.json()["count"] == 1


def test_sign_in_failures_still_count_while_redis_is_down(client, redis_down, personas, settings):
    """The per-account throttle lives in PostgreSQL: it holds (fails closed) while Redis is
    away, for officers and admins above all; once the wait is over, the right password works."""
    from datetime import timedelta

    from momjobs.users.models import SignInFailure

    url = reverse("users:login")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = client.post(url, {"username": personas.seeker_a.email, "password": "wrong"})
        assert response.status_code == 200
    right = {"username": personas.seeker_a.email, "password": "correct-horse-battery-staple-42"}
    assert client.post(url, right).status_code == 429
    SignInFailure.objects.update(at=F("at") - timedelta(minutes=5))
    assert client.post(url, right).status_code == 302


def test_a_publish_during_the_outage_is_not_forgotten(redis_down, settings):
    settings.CACHES = redis_down
    before = search_version.current()
    settings.CACHES = {
        "default": {**redis_down["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    }
    posting = qingdao_posting()  # publishing bumps the version: lost, for now
    posting.refresh_from_db()
    assert posting.status == "live"
    assert search_version._pending
    # Redis is back with what it held before: the first request makes the missed change.
    settings.CACHES = redis_down
    soft_cache._down_until = 0.0
    assert search_version.current() != before
    assert not search_version._pending


def test_mail_is_sent_from_the_web_process_when_the_broker_is_down(
    broker_down, caplog, django_capture_on_commit_callbacks
):
    logger = "momjobs.lib.queueing"
    with caplog.at_level(logging.WARNING, logger), django_capture_on_commit_callbacks(execute=True):
        queue_email(
            to="mum@example.test",
            template="verify_email",
            context={"verify_url": "https://example.test/v/1/"},
        )
    assert [m.to for m in mail.outbox] == [["mum@example.test"]]
    assert "broker unavailable" in caplog.text


def test_publishing_does_not_wait_for_the_broker(broker_down, caplog):

    posting = qingdao_posting()
    with caplog.at_level(logging.WARNING):
        digest_tasks.relay_soon()  # what the publish view does after the commit
    posting.refresh_from_db()
    assert posting.status == "live"
    assert "digest relay not queued" in caplog.text
