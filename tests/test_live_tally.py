"""The live-post tally (employers.models.LiveTally): PostgreSQL's triggers keep it as posts go
live and end, whoever writes them, and `Posting.objects.live_count()` always says what
`Posting.objects.live().count()` says; folding keeps the sum and shrinks the table."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.models import PhaseStatus
from employers import services
from employers.models import LiveTally, Posting, PostingStatus
from employers.tasks import fold_live_tally
from tests.factories import make_bureau, make_employer, make_phase, make_posting, publish

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


def agree(today=None):
    today = today or timezone.localdate()
    counted = Posting.objects.live(today=today).count()
    assert Posting.objects.live_count(today=today) == counted
    return counted


def test_every_way_of_writing_a_post_keeps_the_tally(personas):
    employer = personas.employer_a
    drafts = [make_posting(employer, title=f"收银员{n}") for n in range(6)]
    assert agree() == 0
    # Published through the services (a phase), as in production.
    publish(make_phase(make_bureau("370200"), status=PhaseStatus.IN_REVIEW), drafts[:4])
    assert agree() == 4
    # Closed by its employer, taken down by a bureau.
    services.posting_close(
        posting=Posting.objects.get(pk=drafts[0].pk), by=personas.employer_a_staff
    )
    assert agree() == 3
    Posting.objects.filter(pk=drafts[1].pk).update(status=PostingStatus.TAKEN_DOWN)
    assert agree() == 2
    # Its last day moved into the past, then back; an edit that changes neither.
    Posting.objects.filter(pk=drafts[2].pk).update(
        valid_through=timezone.localdate() - dt.timedelta(days=1)
    )
    assert agree() == 1
    Posting.objects.filter(pk=drafts[2].pk).update(valid_through=None)
    assert agree() == 2
    before = LiveTally.objects.count()
    Posting.objects.filter(pk__in=[d.pk for d in drafts]).update(title="新标题")
    assert LiveTally.objects.count() == before  # nothing changed that counts
    # Many at once, saved one by one, created live, deleted, and raw SQL.
    Posting.objects.filter(pk__in=[d.pk for d in drafts[4:]]).update(status=PostingStatus.LIVE)
    assert agree() == 4
    one = Posting.objects.get(pk=drafts[4].pk)
    one.status = PostingStatus.CLOSED
    one.save()
    assert agree() == 3
    created = make_posting(employer, status=PostingStatus.LIVE)
    assert agree() == 4
    Posting.objects.filter(pk=created.pk).delete()
    assert agree() == 3
    with connection.cursor() as cursor:
        cursor.execute("UPDATE employers_posting SET status = 'closed' WHERE status = 'live'")
    assert agree() == 0


def test_a_post_stops_counting_the_day_after_its_last_day(personas):
    employer = make_employer()
    make_posting(employer, status=PostingStatus.LIVE, valid_through=TODAY)
    make_posting(employer, status=PostingStatus.LIVE, valid_through=TODAY + dt.timedelta(days=30))
    make_posting(employer, status=PostingStatus.LIVE, valid_through=None)
    assert agree(TODAY) == 3
    assert agree(TODAY + dt.timedelta(days=1)) == 2
    assert agree(TODAY + dt.timedelta(days=31)) == 1


def test_folding_keeps_the_sum_and_drops_past_days(personas):
    employer = make_employer()
    posts = [
        make_posting(employer, status=PostingStatus.LIVE, valid_through=day)
        for day in (TODAY - dt.timedelta(days=3), TODAY, TODAY, None, None)
    ]
    for post in posts[:2]:
        post.status = PostingStatus.CLOSED
        post.save()
        post.status = PostingStatus.LIVE
        post.save()
    rows = LiveTally.objects.count()
    counted = agree(TODAY)
    assert LiveTally.fold(today=TODAY) == 2 < rows  # one row for today, one open-ended
    assert agree(TODAY) == counted == 4
    # The beat task does the same, and a fold with nothing to fold changes nothing.
    fold_live_tally()
    assert LiveTally.objects.count() == 2 and agree(TODAY) == 4


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["status", "day", "delete", "create"]),
            st.integers(0, 5),
            st.sampled_from(list(PostingStatus.values)),
            st.sampled_from([None, -2, 0, 5]),
        ),
        max_size=12,
    )
)
def test_any_sequence_of_writes_keeps_the_tally(steps):
    employer = make_employer()
    ids = [make_posting(employer, status=PostingStatus.LIVE).pk for _ in range(3)]
    for action, n, status, days in steps:
        pk = ids[n % len(ids)] if ids else None
        day = None if days is None else TODAY + dt.timedelta(days=days)
        if action == "create" or pk is None:
            ids.append(make_posting(employer, status=status, valid_through=day).pk)
        elif action == "status":
            Posting.objects.filter(pk__in=ids[: n + 1]).update(status=status)
        elif action == "day":
            Posting.objects.filter(pk=pk).update(valid_through=day)
        else:
            Posting.objects.filter(pk=pk).delete()
            ids.remove(pk)
        agree(TODAY)
    LiveTally.fold(today=TODAY)
    agree(TODAY)


def test_home_reads_the_tally_not_the_postings(client, personas):
    employer = make_employer()
    for _ in range(3):
        make_posting(employer, status=PostingStatus.LIVE)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home")).content.decode()
    assert "目前共有 3 个岗位在招。" in html
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "employers_livetally" in sql
    assert 'SELECT COUNT(*) AS "__count" FROM "employers_posting"' not in sql
