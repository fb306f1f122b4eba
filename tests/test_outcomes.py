"""Did the posts work? The bureau's 录用与留任 figures (directory/outcomes), checked against
hand-built hires and answers: per phase, sector, district and employer; both parties' answers
and their disagreements; "<5" for small counts on the page, in the CSV and XLSX, on the public
phase page and in the recognition panel and its audit line; jurisdiction; constant queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from directory.models import AuditAction, AuditEntry
from directory.outcomes import figures
from employers.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    FollowUp,
    FollowUpSource,
    Party,
)
from tests.factories import make_phase, make_posting, publish
from tests.helpers import force_login_verified

pytestmark = pytest.mark.django_db

OUTCOMES = reverse("bureau:outcomes")


def _hire(posting, start, *, seeker_says=None, employer_says=None, reason="pay"):
    """An anonymous hire (as retention leaves them) with its one-month answers."""
    application = Application.objects.create(
        posting=posting, status=ApplicationStatus.HIRED, start_date=start
    )
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - timedelta(days=100)
    )
    ApplicationEvent.objects.create(application=application, status=ApplicationStatus.INTERVIEW)
    for party, says in ((Party.SEEKER, seeker_says), (Party.EMPLOYER, employer_says)):
        row = FollowUp(
            application=application,
            month=1,
            party=party,
            source=FollowUpSource.ASKED,
            due_on=start + timedelta(days=30),
            sent_at=timezone.now() - timedelta(days=5),
        )
        if says is not None:
            row.still_working = says
            row.answered_at = timezone.now() - timedelta(days=4)
            if not says:
                row.ended_on, row.reason = start + timedelta(days=20), reason
        row.save()
    return application


@pytest.fixture
def world(personas):
    """Qingdao's phase with two posts: six hires at A's (one left by her word, two by the
    employer's: one disagreement) and two at B's; a declined applicant."""
    qingdao = personas.qingdao
    a = make_posting(personas.employer_a, sector="catering")
    b = make_posting(personas.employer_b, sector="domestic")
    phase = make_phase(qingdao, status="open")
    Application.objects.all().delete()
    phase = publish(phase, [a, b])
    from directory.models import Phase

    Phase.objects.filter(pk=phase.pk).update(published_at=timezone.now() - timedelta(days=200))
    phase.refresh_from_db()
    start = timezone.localdate() - timedelta(days=60)
    answers = [(True, True)] * 4 + [(False, False), (True, False)]
    for seeker_says, employer_says in answers:
        _hire(a, start, seeker_says=seeker_says, employer_says=employer_says)
    _hire(b, start, seeker_says=True, employer_says=None)
    _hire(b, start)
    declined = Application.objects.create(posting=a, status=ApplicationStatus.DECLINED)
    Application.objects.filter(pk=declined.pk).update(
        created_at=timezone.now() - timedelta(days=100)
    )
    return {"phase": phase, "a": a, "b": b}


def test_the_figures_add_up(world, personas):
    found = figures.for_jurisdiction([personas.qingdao.jurisdiction.path])
    totals = found.totals()
    assert (totals.posts, totals.applications, totals.interviews) == (2, 9, 8)
    assert (totals.hires, totals.started, totals.not_started) == (8, 8, 0)
    month = totals.months[1]
    assert month.answered == {Party.SEEKER: 7, Party.EMPLOYER: 6}
    assert month.working == {Party.SEEKER: 6, Party.EMPLOYER: 4}
    assert month.disagree == 1
    assert totals.reasons == {(Party.SEEKER, "pay"): 1, (Party.EMPLOYER, "pay"): 2}
    by_sector = {row.key: row for row in found.rows("sector")}
    assert by_sector["catering"].hires == 6 and by_sector["domestic"].hires == 2
    assert by_sector["catering"].posts == by_sector["domestic"].posts == 1
    by_phase = found.rows("phase")
    assert [(r.key, r.hires) for r in by_phase] == [(world["phase"].pk, 8)]
    by_employer = {row.key: row for row in found.rows("employer")}
    assert by_employer[personas.employer_a.pk].months[1].working[Party.SEEKER] == 5
    assert by_employer[personas.employer_a.pk].label == personas.employer_a.name
    by_district = found.rows("district")
    assert {r.label for r in by_district} == {"山东省青岛市市南区", "山东省青岛市市北区"}
    assert sum(r.hires for r in by_district) == 8
    # A later phase shows only what it counts.
    only = figures.for_jurisdiction([personas.qingdao.jurisdiction.path], world["phase"])
    assert only.totals().hires == 8


def test_the_page_and_files_hide_small_counts(client, world, personas):
    force_login_verified(client, personas.bureau_inside)
    page = client.get(OUTCOMES + "?by=sector").content.decode()
    assert "6 / 7" in page  # her answers: 6 still working of 7 who answered
    assert "&lt;5 / 6" in page  # the employer's: 4 of 6
    assert "餐饮服务" in page and "家政服务" in page
    by_district = client.get(OUTCOMES + "?by=district").content.decode()
    assert '<th scope="row">市南区</th>' in by_district  # below her jurisdiction
    assert '<svg class="bar-chart" role="img"' in page
    # B's two hires are a small count.
    row = page.split("家政服务", 1)[1].split("</tr>", 1)[0]
    assert "&lt;5" in row and ">2<" not in row
    text = client.get(reverse("bureau:outcomes_file", args=["csv"]) + "?by=sector").content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    catering = next(r for r in rows if r and r[0] == "餐饮服务")
    assert catering[1:5] == ["1", "7", "6", "6"]
    domestic = next(r for r in rows if r and r[0] == "家政服务")
    assert domestic[4] == "<5"
    response = client.get(reverse("bureau:outcomes_file", args=["xlsx"]))
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["说明", "批次", "行业", "区县", "用人单位"]
    values = [[c.value for c in r] for r in book["用人单位"].iter_rows()]
    assert any(r[0] == personas.employer_a.name and r[4] == 6 for r in values)
    assert client.get(reverse("bureau:outcomes_file", args=["pdf"])).status_code == 404
    # A bad filter is said on the page, not sent as a file.
    bad = client.get(reverse("bureau:outcomes_file", args=["csv"]) + "?by=nonsense")
    assert bad["Content-Type"].startswith("text/html")


def test_another_jurisdiction_sees_none_of_it(client, world, personas):
    personas.linyi  # noqa: B018
    force_login_verified(client, personas.bureau_outside)
    page = client.get(OUTCOMES).content.decode()
    assert personas.employer_a.name not in page
    found = figures.for_jurisdiction([personas.linyi.jurisdiction.path])
    assert found.totals().hires == 0


def test_the_public_phase_page_shows_totals_only(client, world, personas):
    page = client.get(reverse("phase_detail", args=[world["phase"].pk])).content.decode()
    section = page.split('id="outcomes-heading"', 1)[1].split("</section>", 1)[0]
    assert "本人答 6 / 7" in section and "单位答 &lt;5 / 6" in section
    assert personas.employer_a.name not in section


def test_recognition_shows_the_figures_and_the_audit_keeps_them(client, world, personas):
    force_login_verified(client, personas.bureau_inside)
    employer = personas.employer_a
    page = client.get(reverse("bureau:employer_detail", args=[employer.pk])).content.decode()
    assert "录用与留任（本单位全部岗位）" in page and "本人答 5 / 6" in page
    response = client.post(
        reverse("bureau:employer_recognise", args=[employer.pk]),
        {"title": "妈妈岗就业基地", "year": timezone.localdate().year, "reason": ""},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.EMPLOYER_RECOGNISE)
    assert "录用 6" in entry.detail and "1个月在岗 本人5 / 6 单位&lt;5" not in entry.detail
    assert "1个月在岗 本人5 / 6 单位<5 / 6" in entry.detail


def test_the_page_costs_the_same_queries_with_more_data(client, world, personas):
    force_login_verified(client, personas.bureau_inside)
    client.get(OUTCOMES + "?by=employer")
    with CaptureQueriesContext(connection) as small:
        client.get(OUTCOMES + "?by=employer")
    start = timezone.localdate() - timedelta(days=100)
    for _n in range(20):
        _hire(world["a"], start, seeker_says=True, employer_says=False)
        _hire(world["b"], start, seeker_says=False, employer_says=True, reason="hours")
    with CaptureQueriesContext(connection) as large:
        client.get(OUTCOMES + "?by=employer")
    assert len(large) == len(small)
