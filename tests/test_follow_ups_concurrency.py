"""Follow-ups are asked exactly once even when two or three workers run the task at the same
time (employers/followups.py: one transaction per application under SELECT … FOR UPDATE SKIP
LOCKED, the row unique on (application, month, party), the message queued on commit). The
threads need committed data, so this module's test commits (transaction=True) and puts the
regions back after the flush that ends it."""

import threading
from datetime import date

import pytest
from django.db import connection

from employers import followups
from employers.models import FollowUp
from momjobs.regions.models import Region
from tests.test_follow_ups import _follow_up_mails, _hire


@pytest.fixture(scope="module", autouse=True)
def reload_regions_afterwards(django_db_blocker):
    # A transactional test ends with a flush, which empties the regions other modules rely on.
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


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_question_once(mailoutbox):
    start = date(2026, 1, 15)
    hires = [_hire(start)[0] for _ in range(6)]
    mailoutbox.clear()
    results = []

    def worker():
        try:
            results.append(followups.send_due(today=date(2026, 2, 16)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert FollowUp.objects.filter(application__in=hires).count() == 12
    assert sum(results) == 12
    assert len(_follow_up_mails(mailoutbox)) == 12
