"""Reports from the public: anyone reports a public posting (rate-limited), the report lands in
the queue of the bureau covering it, the officer dismisses it or takes the posting down (its
applicants and employer are told, every step audited)."""

import os
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from directory.models import (
    AuditAction,
    AuditEntry,
    PhaseStatus,
    Report,
    ReportReason,
    ReportStatus,
)
from directory.moderation import tasks as moderation_tasks
from employers.models import Application, Posting, PostingStatus
from tests import strategies as s
from tests.factories import make_employer, make_phase, make_posting, publish
from tests.helpers import force_login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(personas):
    """A live posting of employer A in Qingdao (Shinan), seeker A has applied to it."""
    posting = make_posting(personas.employer_a, title="电商客服（居家）")
    publish(make_phase(personas.qingdao, status=PhaseStatus.IN_REVIEW), [posting])
    posting.refresh_from_db()
    Application.objects.create(posting=posting, seeker=personas.seeker_a)
    return posting


@pytest.fixture
def linyi_live(personas):
    posting = make_posting(make_employer("临沂手工艺品有限公司", "371302"), title="手工串珠")
    publish(make_phase(personas.linyi, status=PhaseStatus.IN_REVIEW), [posting])
    posting.refresh_from_db()
    return posting


def report_url(posting):
    return reverse("report_posting", args=[posting.pk])


def officer_client(user):
    client = Client(REMOTE_ADDR="10.9.0.1")
    force_login_verified(client, user)
    return client


# -- reporting -----------------------------------------------------------------------------------


def test_the_posting_page_links_to_the_report_form(client, live):
    html = client.get(reverse("posting_detail", args=[live.pk])).content.decode()
    assert f'href="{report_url(live)}"' in html and "举报此岗位" in html


def test_anyone_reports_a_posting(client, live):
    form = client.get(report_url(live))
    html = form.content.decode()
    assert form.status_code == 200
    assert live.title in html and "12333" in html and reverse("privacy") in html
    for value, label in ReportReason.choices:
        assert f'value="{value}"' in html and str(label) in html
    response = client.post(
        report_url(live),
        {"reason": "fees", "details": "  面试时要求先交300元培训费  ", "contact": "13800000000"},
    )
    assert response.status_code == 302
    assert response.url == reverse("report_sent", args=[live.pk])
    report = Report.objects.get()
    assert (report.posting, report.reason, report.status) == (live, "fees", ReportStatus.OPEN)
    assert report.details == "面试时要求先交300元培训费" and report.contact == "13800000000"
    assert report.reporter is None
    thanks = client.get(response.url).content.decode()
    assert "举报已收到" in thanks and live.title in thanks


def test_a_signed_in_reporter_is_recorded(client, personas, live):
    client.force_login(personas.seeker_b)
    client.post(report_url(live), {"reason": "misleading", "details": "实际每天要干10小时"})
    assert Report.objects.get().reporter == personas.seeker_b


def test_a_closed_posting_can_be_reported(client, live):
    Posting.objects.filter(pk=live.pk).update(status=PostingStatus.CLOSED)
    assert client.post(report_url(live), {"reason": "fraud"}).status_code == 302
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "status", [PostingStatus.DRAFT, PostingStatus.SUBMITTED, PostingStatus.TAKEN_DOWN]
)
def test_postings_that_are_not_public_cannot_be_reported(client, live, status):
    Posting.objects.filter(pk=live.pk).update(status=status)
    assert client.get(report_url(live)).status_code == 404
    assert client.post(report_url(live), {"reason": "fraud"}).status_code == 404
    assert client.get(reverse("report_sent", args=[live.pk])).status_code == 404
    assert not Report.objects.exists()


def test_a_missing_posting_is_404(client):
    assert client.get(reverse("report_posting", args=[987654])).status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "reason", "请选择举报原因"),
        ({"reason": "bribery"}, "reason", "请选择举报原因"),
        ({"reason": "other", "details": "   "}, "details", "请写明具体情况"),
        ({"reason": "fees", "details": "多" * 2001}, "details", "2000"),
        ({"reason": "fees", "contact": "1" * 101}, "contact", "100"),
    ],
)
def test_bad_reports_are_refused_with_a_message(client, live, data, field, message):
    response = client.post(report_url(live), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_reports_are_rate_limited_per_address(live):
    first = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(settings.REPORT_RATE):
        assert first.post(report_url(live), {"reason": "fees"}).status_code == 302
    refused = first.post(report_url(live), {"reason": "fees"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "操作太频繁" in refused.content.decode()
    assert Report.objects.count() == settings.REPORT_RATE
    # Reading the form is not counted, and another address is not affected.
    assert first.get(report_url(live)).status_code == 200
    other = Client(REMOTE_ADDR="10.1.1.2")
    assert other.post(report_url(live), {"reason": "fees"}).status_code == 302


# -- the bureau's queue --------------------------------------------------------------------------


def make_report(posting, reason=ReportReason.FEES, **extra):
    return Report.objects.create(posting=posting, reason=reason, **extra)


def test_the_queue_shows_reports_inside_the_jurisdiction_only(personas, live, linyi_live):
    make_report(live, details="要交押金", contact="13900000000")
    make_report(live, reason=ReportReason.DISCRIMINATION, details="只招已婚已育")
    make_report(linyi_live, details="临沂的举报")
    qingdao = officer_client(personas.bureau_inside).get(reverse("bureau:report_list"))
    html = qingdao.content.decode()
    assert qingdao.status_code == 200
    assert live.title in html and "要交押金" in html and "只招已婚已育" in html
    assert "13900000000" in html  # the bureau may call the reporter back
    assert "2 条举报" in html and "辖区内有 2 条举报待处理" in html
    assert linyi_live.title not in html and "临沂的举报" not in html
    linyi = officer_client(personas.bureau_outside).get(reverse("bureau:report_list"))
    assert linyi_live.title in linyi.content.decode() and live.title not in linyi.content.decode()


def test_the_queue_filters_by_reason_and_status(personas, live, linyi_live):
    other = make_posting(personas.employer_b, title="家政保洁员")
    Posting.objects.filter(pk=other.pk).update(status=PostingStatus.LIVE)
    make_report(live, reason=ReportReason.FEES)
    make_report(other, reason=ReportReason.FILLED)
    make_report(
        other,
        reason=ReportReason.FEES,
        status=ReportStatus.DISMISSED,
        resolution="已核实无此事",
        handled_at=timezone.now(),
    )
    client = officer_client(personas.bureau_inside)
    url = reverse("bureau:report_list")

    def cards(**query):
        html = client.get(url, query).content.decode()
        return html.split('class="plain-list report-groups"', 1)[1]

    assert live.title in cards() and other.title in cards()
    fees = cards(reason="fees")
    assert live.title in fees and other.title not in fees
    dismissed = cards(status="dismissed")
    assert other.title in dismissed and live.title not in dismissed and "已核实无此事" in dismissed
    everything = cards(status="all")
    assert "2 条举报" in everything  # the two reports of the cleaning post
    # Unknown filter values fall back to the open reports.
    assert live.title in cards(status="nonsense", reason="<script>")


def test_the_queue_is_for_bureau_staff(client, personas, live):
    url = reverse("bureau:report_list")
    assert client.get(url).status_code == 302
    for user in (personas.seeker_a, personas.employer_a_staff):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_dashboard_links_the_queue_with_the_open_count(personas, live, linyi_live):
    make_report(live)
    make_report(live)
    make_report(linyi_live)
    make_report(live, status=ReportStatus.DISMISSED)
    html = officer_client(personas.bureau_inside).get(reverse("users:dashboard")).content.decode()
    assert reverse("bureau:report_list") in html and "举报处理（2 条待处理）" in html
    seeker = Client()
    seeker.force_login(personas.seeker_a)
    assert (
        reverse("bureau:report_list") not in seeker.get(reverse("users:dashboard")).content.decode()
    )


def handle(client, report, **data):
    return client.post(reverse("bureau:report_handle", args=[report.pk]), data, follow=True)


def test_dismissing_needs_a_note_and_is_audited(personas, live):
    first = make_report(live)
    seen = make_report(live, reason=ReportReason.MISLEADING)
    client = officer_client(personas.bureau_inside)
    refused = handle(client, seen, action="dismiss", note="  ")
    assert "请填写处理说明" in refused.content.decode()
    assert Report.objects.open().count() == 2
    # A report that came in after the officer opened the queue is not dismissed unseen.
    newer = make_report(live, reason=ReportReason.FRAUD, details="新情况")
    done = handle(client, seen, action="dismiss", note="电话核实：不收费")
    assert "2 条举报不成立" in done.content.decode()
    for report in (first, seen):
        report.refresh_from_db()
        assert report.status == ReportStatus.DISMISSED
        assert report.handled_by == personas.bureau_inside and report.handled_at
        assert report.resolution == "电话核实：不收费"
    newer.refresh_from_db()
    assert newer.status == ReportStatus.OPEN
    live.refresh_from_db()
    assert live.status == PostingStatus.LIVE
    [line] = AuditEntry.objects.filter(action=AuditAction.REPORT_HANDLE)
    assert line.bureau == personas.qingdao and line.actor == personas.bureau_inside
    assert line.object_id == str(live.pk) and "电话核实：不收费" in line.detail
    # Handled already: said so, nothing changes.
    again = handle(client, seen, action="dismiss", note="再次")
    assert "已经处理过" in again.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.REPORT_HANDLE).count() == 1


def test_taking_down_tells_applicants_and_closes_every_report(
    client, personas, live, mailoutbox, django_capture_on_commit_callbacks
):
    reports_ = [make_report(live), make_report(live, reason=ReportReason.FRAUD)]
    officer = officer_client(personas.bureau_inside)
    with django_capture_on_commit_callbacks(execute=True):
        done = handle(officer, reports_[0], action="take_down", note="收取培训费，经核实属实")
    assert "岗位已下架" in done.content.decode()
    live.refresh_from_db()
    assert live.status == PostingStatus.TAKEN_DOWN
    assert live.status_reason == "收取培训费，经核实属实"
    for report in reports_:
        report.refresh_from_db()
        assert report.status == ReportStatus.ACTED
        assert report.resolution == "收取培训费，经核实属实"
    to = {message.to[0]: message for message in mailoutbox}
    applicant = to[personas.seeker_a.email]
    assert live.title in applicant.subject + applicant.body
    assert "收取培训费，经核实属实" in applicant.body
    assert "收取培训费，经核实属实" in to[personas.employer_a_staff.email].body
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {AuditAction.POSTING_TAKE_DOWN, AuditAction.REPORT_HANDLE} <= actions
    line = AuditEntry.objects.get(action=AuditAction.REPORT_HANDLE)
    assert line.bureau == personas.qingdao and "2" in line.detail
    # Gone from search and from its page.
    assert client.get(reverse("posting_detail", args=[live.pk])).status_code == 404
    assert live.title not in client.get(reverse("job_list"), {"q": "客服"}).content.decode()


def test_a_take_down_from_the_posting_page_closes_its_reports(personas, live):
    report = make_report(live)
    officer = officer_client(personas.bureau_inside)
    officer.post(reverse("bureau:posting_take_down", args=[live.pk]), {"reason": "虚假岗位"})
    report.refresh_from_db()
    assert (report.status, report.resolution) == (ReportStatus.ACTED, "虚假岗位")
    assert AuditEntry.objects.filter(action=AuditAction.REPORT_HANDLE).count() == 1


def test_reports_of_a_posting_already_taken_down_are_marked_acted(
    personas, live, mailoutbox, django_capture_on_commit_callbacks
):
    report = make_report(live)
    Posting.objects.filter(pk=live.pk).update(status=PostingStatus.TAKEN_DOWN)
    with django_capture_on_commit_callbacks(execute=True):
        handle(officer_client(personas.bureau_inside), report, action="take_down", note="已下架")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACTED
    assert mailoutbox == []  # nobody is told twice


def test_officers_outside_the_jurisdiction_get_404(personas, live):
    personas.linyi  # noqa: B018 - the Linyi bureau and its officer
    report = make_report(live)
    outsider = officer_client(personas.bureau_outside)
    response = outsider.post(
        reverse("bureau:report_handle", args=[report.pk]), {"action": "take_down", "note": "x"}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    live.refresh_from_db()
    assert report.status == ReportStatus.OPEN and live.status == PostingStatus.LIVE
    assert not AuditEntry.objects.filter(action=AuditAction.REPORT_HANDLE).exists()


def test_a_bad_handling_form_changes_nothing(personas, live):
    report = make_report(live)
    officer = officer_client(personas.bureau_inside)
    for data in ({}, {"action": "delete", "note": "x"}, {"action": "take_down"}):
        response = handle(officer, report, **data)
        assert response.status_code == 200
        assert 'class="message error"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert Posting.objects.get(pk=live.pk).status == PostingStatus.LIVE


def test_the_privacy_notice_covers_the_reporters_contact(client):
    html = client.get(reverse("privacy")).content.decode()
    assert "举报岗位的人" in html
    assert f"{settings.REPORT_CONTACT_RETENTION_DAYS} 天后删除" in html


def test_contacts_are_erased_after_the_retention_period(live):
    now = timezone.now()
    days = settings.REPORT_CONTACT_RETENTION_DAYS
    old = make_report(
        live,
        contact="old@example.test",
        status=ReportStatus.DISMISSED,
        created_at=now - timedelta(days=days + 2),
        handled_at=now - timedelta(days=days + 1),
    )
    recent = make_report(
        live,
        contact="recent@example.test",
        status=ReportStatus.ACTED,
        created_at=now - timedelta(days=days - 1),
        handled_at=now - timedelta(days=days - 2),
    )
    # Never handled: its contact is not kept for ever (the period runs from the report).
    waiting = make_report(live, contact="open@example.test", created_at=now - timedelta(days=400))
    # The daily beat task the worker knows about (its package is autodiscovered).
    from momjobs.celery import task_packages

    schedule = settings.CELERY_BEAT_SCHEDULE["erase-report-contacts"]
    assert schedule["task"] == moderation_tasks.erase_report_contacts.name
    assert moderation_tasks.__name__.rsplit(".", 1)[0] in task_packages()
    assert moderation_tasks.erase_report_contacts.delay().get() == 2
    contacts = {r.pk: r.contact for r in Report.objects.all()}
    assert contacts == {old.pk: "", recent.pk: "recent@example.test", waiting.pk: ""}


# -- fuzzing the form ----------------------------------------------------------------------------

hsettings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
ci = hsettings.get_profile("ci")


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@ci
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "reason": st.one_of(st.sampled_from(ReportReason.values), s.text),
            "details": s.text,
            "contact": s.text,
        },
    )
)
def test_report_form_fuzz(client, live, data):
    cache.clear()  # the rate limit is not what this test is about
    with rolled_back():
        response = client.post(report_url(live), data)
        assert response.status_code in (200, 302), response.status_code
        rows = list(Report.objects.all())
        if response.status_code == 302:
            [report] = rows
            assert report.reason in ReportReason.values
            assert len(report.details) <= 2000 and len(report.contact) <= 100
            assert "\x00" not in report.details + report.contact
            assert report.details == report.details.strip()
            if report.reason == ReportReason.OTHER:
                assert report.details
        else:
            assert rows == []
            assert response.context["form"].errors


def test_the_queue_costs_the_same_queries_for_many_postings(personas, live):
    client = officer_client(personas.bureau_inside)
    url = reverse("bureau:report_list")

    def queries():
        client.get(url)  # warm the session and the like
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_report(live, contact="13900000000")
    one = queries()
    for n in range(4):
        other = make_posting(personas.employer_b, title=f"保洁员{n}")
        Posting.objects.filter(pk=other.pk).update(status=PostingStatus.LIVE)
        make_report(other)
        make_report(other, reason=ReportReason.FRAUD, status=ReportStatus.DISMISSED)
    assert queries() == one
