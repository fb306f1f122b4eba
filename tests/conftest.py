import pytest
from django.utils import translation

from tests.factories import Personas


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Regions are reference data every test needs: load them once into the test database.
    from momjobs.regions.loader import load_regions

    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture
def personas(db):
    return Personas()


@pytest.fixture
def live(db):
    """A live Qingdao posting, published in a phase (modules may define their own `live`)."""
    from directory.models import PhaseStatus
    from tests.factories import make_bureau, make_employer, make_phase, make_posting, publish

    posting = make_posting(make_employer("青岛海之味餐饮管理有限公司", "370202"))
    publish(make_phase(make_bureau("370200"), status=PhaseStatus.IN_REVIEW), [posting])
    posting.refresh_from_db()
    return posting


@pytest.fixture
def broker_down():
    """The Celery broker points at a port nothing listens on (queued work runs in-process)."""
    from momjobs.celery import app
    from tests.services import free_port

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    app._pool = None
    app.amqp._producer_pool = None
    yield
    for key, value in saved.items():
        app.conf[key] = value
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests only need a correct one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    # Like Django's mail.outbox: text messages are kept in memory, never written to .data/sms.
    from momjobs.lib import sms

    settings.SMS_URL = "memory://"
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture(autouse=True)
def default_language(settings):
    # A request under /en/ leaves English active in the thread; start and end each test in Chinese.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def clear_cache():
    # Rate-limit counters live in the (throwaway, per-run) Redis: each test starts from zero.
    from django.core.cache import cache

    from momjobs.regions import lookup

    cache.clear()
    # The region tree kept in memory: a test's rollback sends no signal.
    lookup.forget()
    yield


@pytest.fixture(autouse=True, scope="session")
def celery_eager():
    # Unit tests run tasks in-process (the real task code, no worker); tests/test_digests and the
    # browser journeys use a real worker process instead.
    from momjobs.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


# Fails a whole-suite run when a template is never rendered by a test (issue 3, guards).
pytest_plugins = ["tests.template_coverage"]
