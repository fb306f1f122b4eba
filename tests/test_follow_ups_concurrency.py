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
from tests.test_digests_worker import (  # noqa: F401 - fixtures: regions back after the flush
    regions,
    reload_regions_afterwards,
)
from tests.test_follow_ups import _follow_up_mails, _hire


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
