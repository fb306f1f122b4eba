"""/healthz against the real PostgreSQL and Redis; 503 once a real Redis is stopped."""

import pytest

from tests.services import throwaway_redis  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_redis_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_redis_stops(client, settings, throwaway_redis):  # noqa: F811
    settings.REDIS_URL = throwaway_redis.url
    assert client.get("/healthz").status_code == 200

    throwaway_redis.stop()

    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error")
