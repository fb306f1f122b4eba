"""Hires and follow-ups (issue "Did the posts work?", employers/followups.py): a hire has a start
date; at 1, 3 and 6 months the mother (by SMS or email, as she chose) and the employer are each
asked once, moving time forward; answers come from a signed link without signing in, can be
changed for a week, and bad links, late answers and second answers lose nothing and record
nothing twice."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from employers import followups, services
from employers.models import (
    Application,
    ApplicationStatus,
    FollowUp,
    FollowUpSource,
    Party,
)
from employers.tasks import anonymise_old_applications
from momjobs.users.models import Notify
from tests.factories import make_employer, make_posting, make_seeker, make_user
from tests.helpers import force_login_verified

pytestmark = pytest.mark.django_db


def _hire(start, *, seeker=None, staff=None, sms=False, applied=None):
    """A hire by a real employer member through the service, with `start` as start date."""
    staff = staff or make_user(role="employer")
    employer = make_employer(staff=staff)
    posting = make_posting(employer)
    seeker = seeker or make_seeker()
    if sms:
        seeker.phone = "13800001111"
        seeker.phone_verified_at = timezone.now()
        seeker.notify_by = Notify.SMS
        seeker.save()
    application = Application.objects.create(
        posting=posting, seeker=seeker, applicant_name="王丽", status=ApplicationStatus.SUBMITTED
    )
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.make_aware(
            timezone.datetime.combine(
                applied or start - timedelta(days=10), timezone.datetime.min.time()
            )
        )
    )
    application.refresh_from_db()
    services.application_set_status(
        application=application, status=ApplicationStatus.HIRED, by=staff, start_date=start
    )
    application.refresh_from_db()
    return application, staff


def _run(day, captured):
    """The beat task's work on `day`, its messages sent once the transactions commit."""
    with captured(execute=True):
        return followups.send_due(today=day)


def _follow_up_mails(outbox):
    return [m for m in outbox if "回访" in m.subject]


def test_hire_needs_a_start_date_and_checks_it(client, personas):
    staff = make_user(role="employer")
    force_login_verified(client, staff)
    employer = make_employer(staff=staff)
    posting = make_posting(employer)
    application = Application.objects.create(
        posting=posting, seeker=make_seeker(), applicant_name="王丽"
    )
    url = reverse("employers:application_detail", args=[application.pk])
    page = client.post(url, {"status": "hired", "start_date": ""}).content.decode()
    assert "录用时请填写入职日期。" in page
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = client.post(url, {"status": "hired", "start_date": yesterday}).content.decode()
    assert "入职日期不能早于求职者投递申请的日期" in page
    far = (timezone.localdate() + timedelta(days=400)).isoformat()
    page = client.post(url, {"status": "hired", "start_date": far}).content.decode()
    assert "入职日期太远了" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.start_date is None
    start = timezone.localdate() + timedelta(days=7)
    response = client.post(url, {"status": "hired", "start_date": start.isoformat()})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.HIRED and application.start_date == start
    # The employer corrects it later; the correction is in the history she sees.
    later = start + timedelta(days=3)
    assert client.post(url, {"start_date": later.isoformat()}).status_code == 302
    application.refresh_from_db()
    assert application.start_date == later
    assert application.events.filter(message__contains=later.isoformat()).exists()
    page = client.post(url, {"start_date": "2020-01-01"}).content.decode()
    assert "入职日期不能早于" in page
    application.refresh_from_db()
    assert application.start_date == later


def test_time_moves_forward_each_party_is_asked_exactly_once(
    mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    start = date(2026, 1, 15)
    application, staff = _hire(start, sms=True)
    mailoutbox.clear()
    sms_outbox.clear()
    run = lambda day: _run(day, django_capture_on_commit_callbacks)  # noqa: E731
    assert run(date(2026, 2, 14)) == 0  # a day before one month
    assert run(date(2026, 2, 15)) == 2
    assert run(date(2026, 2, 15)) == 0  # again, the same day: nothing more
    assert run(date(2026, 3, 1)) == 0
    assert len(sms_outbox) == 1 and len(_follow_up_mails(mailoutbox)) == 1
    text = sms_outbox[0].text
    assert "满1个月" in text and "/follow-up/" in text
    assert _follow_up_mails(mailoutbox)[0].to == [staff.email]
    assert run(date(2026, 4, 15)) == 2  # three months
    assert run(date(2026, 7, 15)) == 2  # six months
    assert run(date(2026, 12, 31)) == 0
    assert len(sms_outbox) == 3 and len(_follow_up_mails(mailoutbox)) == 3
    rows = FollowUp.objects.filter(application=application)
    assert sorted(rows.values_list("party", "month")) == sorted(
        (p, m) for p in ("seeker", "employer") for m in (1, 3, 6)
    )
    assert set(rows.values_list("source", flat=True)) == {FollowUpSource.ASKED}


def test_she_left_at_one_month_so_she_is_not_asked_again(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    start = date(2026, 1, 15)
    application, _staff = _hire(start)
    _run(date(2026, 2, 15), django_capture_on_commit_callbacks)
    mine = FollowUp.objects.get(application=application, party=Party.SEEKER, month=1)
    url = reverse("followup:answer", args=[followups.token_for(mine)])
    response = client.post(url, {"still_working": "0", "ended_on": "2026-02-10", "reason": "pay"})
    assert response.status_code == 302
    mailoutbox.clear()
    assert _run(date(2026, 4, 15), django_capture_on_commit_callbacks) == 1  # the employer only
    carried = FollowUp.objects.get(application=application, party=Party.SEEKER, month=3)
    assert carried.source == FollowUpSource.CARRIED and carried.still_working is False
    assert carried.reason == "pay" and carried.sent_at is None
    assert [m.to for m in _follow_up_mails(mailoutbox)] == [[_staff.email]]


@pytest.mark.parametrize("how", ["deleted", "stopped", "not_started"])
def test_nobody_is_asked_after_she_deleted_stopped_or_did_not_start(
    how, client, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    start = date(2026, 1, 15)
    application, _staff = _hire(start)
    if how == "deleted":
        from momjobs.users.services import seeker_delete

        seeker_delete(user=application.seeker)
    elif how == "stopped":
        force_login_verified(client, application.seeker)
        url = reverse("seeker:stop_follow_ups", args=[application.pk])
        assert client.post(url).status_code == 302
    else:
        force_login_verified(client, application.seeker)
        url = reverse("seeker:not_started", args=[application.pk])
        assert "确认：我没有入职" in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url).status_code == 302
        application.refresh_from_db()
        assert application.not_started_at is not None
        assert any("没有入职" in m.subject for m in mailoutbox)  # the employer is told
    mailoutbox.clear()
    sms_outbox.clear()
    for day in (date(2026, 2, 15), date(2026, 4, 15), date(2026, 7, 15)):
        assert _run(day, django_capture_on_commit_callbacks) == 0
    assert not FollowUp.objects.exists()
    assert not _follow_up_mails(mailoutbox) and not sms_outbox


def test_a_start_date_given_late_asks_only_the_month_due_now(django_capture_on_commit_callbacks):
    start = date(2026, 1, 15)
    application, _staff = _hire(start, applied=date(2026, 1, 1))
    assert _run(date(2026, 4, 20), django_capture_on_commit_callbacks) == 2
    sources = dict(
        FollowUp.objects.filter(application=application, party=Party.SEEKER).values_list(
            "month", "source"
        )
    )
    assert sources == {1: FollowUpSource.SKIPPED, 3: FollowUpSource.ASKED}


def test_the_answer_link_one_tap_change_for_a_week_then_closed(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    start = timezone.localdate() - timedelta(days=40)
    application, _staff = _hire(start)
    mailoutbox.clear()
    _run(timezone.localdate(), django_capture_on_commit_callbacks)
    mail = next(m for m in mailoutbox if m.to == [application.seeker.email])
    yes_url = re.search(r"https?://\S+\?a=yes", mail.body).group(0)
    path = yes_url.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "还在做" in text and "不再回访" in text
    token_url = "/" + path.split("?")[0]
    assert client.post(token_url, {"still_working": "1"}).status_code == 302
    row = FollowUp.objects.get(application=application, party=Party.SEEKER, month=1)
    assert row.still_working is True and row.answered_at is not None
    first = row.answered_at
    # A second answer within the week changes the same row.
    client.post(token_url, {"still_working": "0", "ended_on": "", "reason": ""})
    row.refresh_from_db()
    assert row.still_working is True  # incomplete "no": nothing changed
    page = client.post(
        token_url, {"still_working": "0", "ended_on": start.isoformat(), "reason": "health"}
    )
    assert page.status_code == 302
    row.refresh_from_db()
    assert row.still_working is False and row.reason == "health" and row.answered_at == first
    assert FollowUp.objects.filter(application=application, party=Party.SEEKER).count() == 1
    # A week later the answer stands and the page says so.
    FollowUp.objects.filter(pk=row.pk).update(answered_at=timezone.now() - timedelta(days=8))
    page = client.post(token_url, {"still_working": "1"}).content.decode()
    assert "现在已经不能再改了" in page
    row.refresh_from_db()
    assert row.still_working is False


def test_bad_answers_and_bad_links(client, django_capture_on_commit_callbacks):
    start = timezone.localdate() - timedelta(days=40)
    application, _staff = _hire(start)
    _run(timezone.localdate(), django_capture_on_commit_callbacks)
    row = FollowUp.objects.get(application=application, party=Party.SEEKER, month=1)
    url = reverse("followup:answer", args=[followups.token_for(row)])
    before = (start - timedelta(days=1)).isoformat()
    page = client.post(url, {"still_working": "0", "ended_on": before, "reason": "pay"})
    assert "日期应在入职日期" in page.content.decode()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    page = client.post(url, {"still_working": "0", "ended_on": future, "reason": "pay"})
    assert "日期应在入职日期" in page.content.decode()
    page = client.post(url, {"still_working": "0", "ended_on": start.isoformat()})
    assert "请选择一个原因。" in page.content.decode()
    page = client.post(url, {"still_working": "maybe"})
    assert "请选择一个回答。" in page.content.decode()
    row.refresh_from_db()
    assert row.still_working is None and row.answered_at is None
    # Tampered: 400 with words, not a crash.
    token = followups.token_for(row)
    bad = client.get(reverse("followup:answer", args=[token[:-2] + "xx"]))
    assert bad.status_code == 400 and "链接不完整或已被改动" in bad.content.decode()
    other = client.get(reverse("followup:answer", args=["999999:" + token.split(":")[1]]))
    assert other.status_code == 400
    # Expired: never answered within the days allowed.
    FollowUp.objects.filter(pk=row.pk).update(sent_at=timezone.now() - timedelta(days=31))
    page = client.post(url, {"still_working": "1"}).content.decode()
    assert "这条回访已过期" in page
    row.refresh_from_db()
    assert row.still_working is None


def test_an_answer_for_a_deleted_account_is_refused(client, django_capture_on_commit_callbacks):
    from momjobs.users.services import seeker_delete

    start = timezone.localdate() - timedelta(days=40)
    application, _staff = _hire(start)
    _run(timezone.localdate(), django_capture_on_commit_callbacks)
    theirs = FollowUp.objects.get(application=application, party=Party.EMPLOYER, month=1)
    seeker_delete(user=application.seeker)
    url = reverse("followup:answer", args=[followups.token_for(theirs)])
    page = client.post(url, {"still_working": "1"}).content.decode()
    assert "这条回访已失效" in page
    theirs.refresh_from_db()
    assert theirs.still_working is None


def test_her_page_lists_open_questions_after_sign_in(client, django_capture_on_commit_callbacks):
    start = timezone.localdate() - timedelta(days=40)
    application, _staff = _hire(start)
    response = client.get(reverse("followup:mine"))
    assert response.status_code == 302 and "next=" in response.url
    force_login_verified(client, application.seeker)
    assert "现在没有需要回答的回访" in client.get(reverse("followup:mine")).content.decode()
    _run(timezone.localdate(), django_capture_on_commit_callbacks)
    page = client.get(reverse("followup:mine")).content.decode()
    assert "回答：还在那里工作吗？" in page
    page = client.get(reverse("seeker:applications")).content.decode()
    assert "入职日期：" in page and "入职 1 个月回访" in page


def test_retention_waits_for_the_follow_ups_then_keeps_the_counts(
    settings, django_capture_on_commit_callbacks
):
    settings.APPLICATION_RETENTION_DAYS = 30
    start = timezone.localdate() - timedelta(days=60)
    application, _staff = _hire(start)
    posting = application.posting
    posting.status = "closed"
    posting.closed_at = timezone.now() - timedelta(days=45)
    posting.save()
    assert anonymise_old_applications() == 0  # the 3- and 6-month questions are still to come
    _run(timezone.localdate(), django_capture_on_commit_callbacks)
    FollowUp.objects.filter(application=application).update(still_working=True)
    Application.objects.filter(pk=application.pk).update(start_date=start - timedelta(days=400))
    assert anonymise_old_applications() == 1
    application.refresh_from_db()
    assert application.seeker_id is None
    assert FollowUp.objects.filter(application=application, still_working=True).count() == 2
