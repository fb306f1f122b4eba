"""docker-compose.yml (no Docker engine runs here): it parses, its services have health checks
and volumes, and web, worker and beat run the very commands of tools/commands.py, the ones
`make run` starts and these tests load."""

import importlib
import json
import re
from pathlib import Path

import pytest
import yaml

from tools.commands import BEAT_CMD, DOCUMENTS_CMD, WEB_CMD, WORKER_CMD

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_services_exist_with_health_checks(compose):
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    for name in ("web", "worker", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]


def test_web_worker_and_beat_run_the_project_commands(compose):
    services = compose["services"]
    assert services["web"]["command"] == WEB_CMD
    assert services["worker"]["command"] == WORKER_CMD
    assert services["documents"]["command"] == DOCUMENTS_CMD
    assert services["beat"]["command"] == BEAT_CMD


def test_documents_have_their_own_queue_and_worker():
    """Rendering a phase's PDF and XLSX never delays digests: its task goes to the "documents"
    queue, which only the documents worker reads; the main worker reads the default queue."""
    from momjobs.celery import app

    route = app.amqp.router.route({}, "directory.render_phase_documents")
    assert route["queue"].name == "documents"
    assert app.amqp.router.route({}, "directory.send_digests")["queue"].name == "celery"
    assert WORKER_CMD[WORKER_CMD.index("-Q") + 1] == "celery"
    assert DOCUMENTS_CMD[DOCUMENTS_CMD.index("-Q") + 1] == "documents"


def test_dockerfile_defaults_to_the_web_command():
    dockerfile = (REPO / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert json.loads(cmd.group(1)) == WEB_CMD
    assert re.search(r"^FROM python:3\.12", dockerfile, re.MULTILINE)
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)


def test_web_and_workers_wait_for_healthy_databases(compose):
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_postgres_and_redis_versions(compose):
    postgres = compose["services"]["postgres"]["image"]
    assert int(postgres.split(":")[1].split(".")[0]) >= 15
    assert compose["services"]["redis"]["image"].startswith("redis:")


def test_named_volumes_are_declared_and_used(compose):
    declared = set(compose["volumes"])
    assert {"pgdata", "redisdata", "media", "private", "beat"} <= declared
    used = set()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source, _, target = volume.partition(":")
            assert target.startswith("/"), volume
            used.add(source)
    assert declared <= used
    # beat's schedule file lands in its working directory, which must be on its volume.
    beat = compose["services"]["beat"]
    assert f"beat:{beat['working_dir']}" in beat["volumes"]


def test_app_services_get_their_configuration_from_the_environment(compose):
    env = compose["services"]["web"]["environment"]
    for key in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
        assert key in env
    assert env["DEBUG"] == "0"
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379")


def test_the_wsgi_application_named_by_the_web_command_loads():
    module, _, attribute = WEB_CMD[1].partition(":")
    application = getattr(importlib.import_module(module), attribute)
    assert callable(application)


@pytest.mark.django_db  # loading the task modules runs Django's checks, as a starting worker does
def test_the_celery_app_named_by_worker_and_beat_loads():
    from celery.app.utils import find_app
    from django.conf import settings

    name = WORKER_CMD[WORKER_CMD.index("-A") + 1]
    assert BEAT_CMD[BEAT_CMD.index("-A") + 1] == name
    app = find_app(name)  # what `celery -A momjobs` does
    assert app is importlib.import_module("momjobs.celery").app
    assert app.main == "momjobs"
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    app.loader.import_default_modules()
    assert "momjobs.ping" in app.tasks


def test_cache_and_broker_are_apart_each_with_its_memory_policy(compose):
    """An LRU limit on the cache must never evict queued tasks (issue: cache and broker apart)."""
    services = compose["services"]
    broker = " ".join(services["redis"]["command"])
    cache = " ".join(services["redis-cache"]["command"])
    assert "--maxmemory-policy noeviction" in broker
    assert "--maxmemory-policy allkeys-lru" in cache and "--maxmemory" in cache
    env = services["web"]["environment"]
    assert env["CACHE_REDIS_URL"].startswith("redis://redis-cache:")
    assert "redis-cache" in services["web"]["depends_on"]


def test_locally_the_cache_uses_another_database_than_the_broker(settings):
    from urllib.parse import urlsplit

    cache = urlsplit(settings.CACHES["default"]["LOCATION"])
    broker = urlsplit(settings.CELERY_BROKER_URL)
    assert (cache.hostname, cache.port) == (broker.hostname, broker.port)
    assert cache.path != broker.path


def test_the_scale_profile_runs_two_replicas_and_two_workers_behind_a_proxy(compose):
    services = compose["services"]
    scale = {name for name, service in services.items() if "scale" in service.get("profiles", [])}
    assert scale == {"web2", "worker2", "proxy"}
    assert services["web2"]["command"] == services["web"]["command"]
    assert services["worker2"]["command"][:4] == ["celery", "-A", "momjobs", "worker"]
    assert all("beat" not in " ".join(services[name]["command"]) for name in ("web2", "worker2"))
    conf = (REPO / "deploy" / "nginx-scale.conf").read_text()
    assert "server web:8000;" in conf and "server web2:8000;" in conf
    assert "$proxy_add_x_forwarded_for" in conf
    mount = services["proxy"]["volumes"][0]
    assert mount.startswith("./deploy/nginx-scale.conf:")
