import csv
import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.catalog import services as catalog_services
from directory.models import EntryDecision, PhaseEntry, PhaseStatus
from employers import services
from employers.models import (
    Application,
    ApplicationStatus,
    EmployerStatus,
    Posting,
    PostingRevision,
    PostingStatus,
)
from momjobs.users.models import SeekerProfile
from tests.factories import make_bureau, make_employer, make_phase, make_posting, publish

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "社区食堂午市帮厨",
        "description": "协助午市备餐和出餐，工作时间固定，方便接送孩子。",
        "requirements": "",
        "sector": "catering",
        "openings": "2",
        "work_form": "part_time",
        "schedule_note": "",
        "region": "",
        "address": "市南区香港中路1号",
        "place": "on_site",
        "pay_min": "22",
        "pay_max": "26",
        "pay_unit": "hour",
        "contract": "part_time_agreement",
        "insurance": "injury_only",
        "career_route": "",
        "contact_name": "刘经理",
        "contact_phone": "0532-80000000",
        "valid_through": "",
        "school_run": "on",
        "win-TOTAL_FORMS": "4",
        "win-INITIAL_FORMS": "0",
        "win-MIN_NUM_FORMS": "0",
        "win-MAX_NUM_FORMS": "14",
        "win-0-days": ["1", "2", "3", "4", "5"],
        "win-0-start": "10:30",
        "win-0-end": "13:30",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def staff(client, personas):
    employer = personas.employer_a
    client.force_login(personas.employer_a_staff)
    return employer


def create(client, employer, **overrides):
    data = form_data(region=str(employer.region_id), **overrides)
    return client.post(reverse("employers:posting_create"), data)


def test_write_a_posting_on_the_editor(client, staff):
    response = create(client, staff)
    assert response.status_code == 302
    posting = Posting.objects.get(title="社区食堂午市帮厨")
    assert posting.status == PostingStatus.DRAFT
    assert posting.schedule == [{"days": [1, 2, 3, 4, 5], "start": "10:30", "end": "13:30"}]
    assert posting.weekly_minutes == 15 * 60
    preview = client.get(response.url)
    html = preview.content.decode()
    assert "社区食堂午市帮厨" in html and "22–26 元/小时" in html
    assert "仅工伤保险" in html  # a badge, as seekers will see it


def test_flexible_hours_need_no_windows(client, staff):
    response = create(
        client,
        staff,
        flexible_hours="on",
        **{"win-0-days": None, "win-0-start": "", "win-0-end": ""},
    )
    assert response.status_code == 302
    assert Posting.objects.get().flexible_hours is True


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"pay_min": "", "pay_max": ""}, "pay_min", "必填"),
        ({"pay_min": "30", "pay_max": "20"}, "pay_max", "不能低于"),
        ({"pay_min": "-5"}, "pay_min", ""),
        ({"contract": ""}, "contract", ""),
        ({"contract": "not_stated"}, "contract", ""),
        ({"insurance": "not_stated"}, "insurance", ""),
        ({"openings": "0"}, "openings", ""),
        ({"title": "限女性帮厨"}, "title", "妇女权益保障法"),
        ({"description": "入职交押金200元"}, "description", "劳动合同法》第九条"),
        ({"requirements": "已婚已育优先"}, "requirements", "妇女权益保障法"),
    ],
)
def test_refused_with_a_clear_message(client, staff, overrides, field, text):
    response = create(client, staff, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert text in " ".join(errors[field])
    assert not Posting.objects.exists()


@pytest.mark.parametrize(
    ("windows", "text"),
    [
        ({"win-0-days": None, "win-0-start": "", "win-0-end": ""}, "至少填写一个工作时间段"),
        ({"win-1-days": ["1"], "win-1-start": "12:00", "win-1-end": "14:00"}, "重叠"),
        (
            {
                "win-0-days": ["1", "2", "3", "4", "5", "6"],
                "win-0-start": "09:00",
                "win-0-end": "14:00",
            },
            "第六十八条",
        ),
        ({"win-1-days": ["6"], "win-1-start": "09:00"}, "每个时间段都要"),
    ],
)
def test_schedule_refusals(client, staff, windows, text):
    response = create(client, staff, **windows)
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not Posting.objects.exists()


def test_warnings_are_shown_but_do_not_refuse(client, staff):
    response = create(client, staff, insurance="none", contract="service")
    html = client.get(response.url).content.decode()
    assert "非全日制用工也应当缴纳工伤保险" in html
    assert "没有写明转全职或晋升通道" in html


def test_unverified_employer_can_draft_but_not_submit(client, personas):
    employer = make_employer(
        region_code="371302", status=EmployerStatus.PENDING, staff=personas.employer_a_staff
    )
    make_phase(make_bureau("371300"))
    client.force_login(personas.employer_a_staff)
    posting = make_posting(employer)
    page = client.get(reverse("posting_submit", args=[posting.pk]))
    assert "通过核验后才能提交" in page.content.decode()
    with pytest.raises(Exception, match="核验"):
        catalog_services.posting_submit(posting=posting, phase_id=0, by=personas.employer_a_staff)


def test_submit_to_an_open_phase_of_the_covering_bureau(client, staff, personas):
    qingdao_phase = make_phase(personas.qingdao)
    linyi_phase = make_phase(personas.linyi)
    posting = make_posting(staff)
    page = client.get(reverse("posting_submit", args=[posting.pk])).content.decode()
    assert qingdao_phase.title in page and linyi_phase.title not in page
    # Another bureau's phase cannot be forced in either.
    refused = client.post(reverse("posting_submit", args=[posting.pk]), {"phase": linyi_phase.pk})
    assert refused.status_code == 200
    assert not PhaseEntry.objects.filter(phase=linyi_phase).exists()
    ok = client.post(reverse("posting_submit", args=[posting.pk]), {"phase": qingdao_phase.pk})
    assert ok.status_code == 302
    posting.refresh_from_db()
    assert posting.status == PostingStatus.SUBMITTED
    assert (
        PhaseEntry.objects.get(phase=qingdao_phase, posting=posting).decision
        == EntryDecision.PENDING
    )


def test_no_submission_after_the_deadline(staff, personas):
    phase = make_phase(personas.qingdao)
    phase.submission_deadline = timezone.now() - timedelta(minutes=1)
    phase.save()
    posting = make_posting(staff)
    with pytest.raises(Exception, match="截止"):
        catalog_services.posting_submit(
            posting=posting, phase_id=phase.pk, by=personas.employer_a_staff
        )
    posting.refresh_from_db()
    assert posting.status == PostingStatus.DRAFT


@pytest.fixture
def live_posting(staff, personas):
    posting = make_posting(staff)
    publish(make_phase(personas.qingdao, status=PhaseStatus.IN_REVIEW), [posting])
    posting.refresh_from_db()
    return posting


def test_editing_a_live_posting_goes_back_to_review(client, staff, live_posting, personas):
    data = form_data(
        region=str(live_posting.region_id),
        title="早餐店帮厨（新）",
        **{"win-0-start": "06:30", "win-0-end": "09:30"},
    )
    response = client.post(reverse("employers:posting_edit", args=[live_posting.pk]), data)
    assert response.status_code == 302
    live_posting.refresh_from_db()
    assert live_posting.title == "早餐店帮厨"  # unchanged until approved
    revision = PostingRevision.objects.get(posting=live_posting)
    assert revision.data["title"] == "早餐店帮厨（新）"
    services.revision_decide(revision=revision, approve=True, by=personas.bureau_inside)
    live_posting.refresh_from_db()
    assert live_posting.title == "早餐店帮厨（新）"
    assert live_posting.status == PostingStatus.LIVE
    # The published phase keeps what it published.
    entry = PhaseEntry.objects.get(posting=live_posting)
    assert entry.snapshot["title"] == "早餐店帮厨"


def test_duplicate_into_a_new_draft(client, staff, live_posting):
    response = client.post(reverse("employers:posting_duplicate", args=[live_posting.pk]))
    copy = Posting.objects.exclude(pk=live_posting.pk).get()
    assert copy.status == PostingStatus.DRAFT and copy.title.startswith("早餐店帮厨")
    assert response.url == reverse("employers:posting_edit", args=[copy.pk])


def test_closing_tells_the_applicants(
    client, staff, live_posting, personas, mailoutbox, django_capture_on_commit_callbacks
):
    Application.objects.create(posting=live_posting, seeker=personas.seeker_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("employers:posting_close", args=[live_posting.pk]), {"reason": "已招满"}
        )
    live_posting.refresh_from_db()
    assert live_posting.status == PostingStatus.CLOSED
    assert [m.to for m in mailoutbox] == [[personas.seeker_a.email]]
    assert "已招满" in mailoutbox[0].body


# -- applicants ---------------------------------------------------------------------------------


@pytest.fixture
def application(live_posting, personas):
    profile = SeekerProfile.objects.get(user=personas.seeker_a)
    profile.phone = "13900000000"
    profile.skills = '=HYPERLINK("http://evil")'
    profile.cares_for_child_under_12 = True
    profile.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    # What she sent, as applying does; she agreed on the apply step to give her number.
    from employers.services import take_snapshot

    application = Application(posting=live_posting, seeker=personas.seeker_a, note="+1 电话联系")
    take_snapshot(application, personas.seeker_a, share_phone=True)
    application.save()
    return application


def test_applicants_list_and_detail(
    client, staff, application, mailoutbox, django_capture_on_commit_callbacks
):
    page = client.get(reverse("employers:application_list", args=[application.posting_id]))
    assert "王丽" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        detail = client.get(reverse("employers:application_detail", args=[application.pk]))
    html = detail.content.decode()
    assert "13900000000" in html
    # The eligibility self-declaration is never shown to employers.
    main = html.split("<main", 1)[1].split("</main>")[0]
    assert "12岁以下" not in main and "照护" not in main
    application.refresh_from_db()
    assert application.status == ApplicationStatus.VIEWED
    assert len(mailoutbox) == 1


def test_interview_needs_time_and_place_and_tells_the_seeker(
    client, staff, application, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("employers:application_detail", args=[application.pk])
    missing = client.post(url, {"status": "interview"})
    assert missing.status_code == 200
    assert "面试时间" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(
            url,
            {
                "status": "interview",
                "interview_at": "2026-12-01T10:00",
                "interview_place": "市南区香港中路1号3楼",
                "message": "带身份证",
            },
        )
    assert ok.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEW
    assert application.events.filter(status="interview").exists()
    body = mailoutbox[-1].body
    assert "2026-12-01 10:00" in body and "香港中路" in body and "带身份证" in body


def test_status_moves_only_forwards_and_a_message_changes_nothing_else(
    client, staff, application, mailoutbox, django_capture_on_commit_callbacks
):
    """The interviewed applicant is not moved back to 已查看 by a note (issue: status slips)."""
    url = reverse("employers:application_detail", args=[application.pk])
    client.post(
        url,
        {
            "status": "interview",
            "interview_at": "2026-12-01T10:00",
            "interview_place": "市南区香港中路1号3楼",
        },
    )
    page = client.get(url).content.decode()
    # The control offers the next steps only, none chosen; 已查看 is not among them.
    assert '<option value="" selected>' in page
    assert 'value="viewed"' not in page and 'value="submitted"' not in page
    assert 'value="hired"' in page and 'value="declined"' in page
    backwards = client.post(url, {"status": "viewed"})
    assert backwards.status_code == 200
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"text": "请带上身份证复印件"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEW
    assert application.interview_place == "市南区香港中路1号3楼"
    event = application.events.last()
    assert event.is_message and event.message == "请带上身份证复印件"
    assert "请带上身份证复印件" in mailoutbox[-1].body and "留言" in mailoutbox[-1].subject
    client.force_login(application.seeker)
    mine = client.get(reverse("seeker:applications")).content.decode()
    assert "单位留言：请带上身份证复印件" in mine and "香港中路1号3楼" in mine
    # The service refuses a step backwards whoever calls it.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.application_set_status(
            application=application, status=ApplicationStatus.VIEWED, by=staff
        )


def test_a_decision_is_final_but_messages_still_go(client, staff, application):
    url = reverse("employers:application_detail", args=[application.pk])
    client.post(url, {"status": "declined", "message": "感谢关注"})
    page = client.get(url).content.decode()
    assert "已作出决定" in page and 'name="status"' not in page
    assert client.post(url, {"status": "hired"}).status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    client.post(url, {"text": "欢迎以后再申请"})
    assert application.events.filter(is_message=True).count() == 1


def test_private_notes(client, staff, application):
    url = reverse("employers:application_detail", args=[application.pk])
    client.post(url, {"employer_notes": "电话沟通过，周一面试"})
    application.refresh_from_db()
    assert application.employer_notes == "电话沟通过，周一面试"


def test_exports_neutralise_formulas(client, staff, application):
    response = client.get(
        reverse("employers:application_export", args=[application.posting_id, "csv"])
    )
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "王丽"
    assert rows[1][5] == '\'=HYPERLINK("http://evil")'
    assert rows[1][6] == "'+1 电话联系"
    xlsx = client.get(
        reverse("employers:application_export", args=[application.posting_id, "xlsx"])
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=6).value == '\'=HYPERLINK("http://evil")'
    assert (
        client.get(
            reverse("employers:application_export", args=[application.posting_id, "exe"])
        ).status_code
        == 404
    )


def test_cv_download_is_an_attachment_for_that_employer_only(client, staff, application, personas):
    response = client.get(reverse("employers:application_cv", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(personas.employer_b_staff)
    personas.employer_b  # noqa: B018
    assert client.get(reverse("employers:application_cv", args=[application.pk])).status_code == 404


def test_other_employers_get_404(client, personas):
    posting = make_posting(personas.employer_a)
    personas.employer_b  # noqa: B018
    client.force_login(personas.employer_b_staff)
    for name in [
        "employers:posting_preview",
        "employers:posting_edit",
        "posting_submit",
        "employers:application_list",
    ]:
        assert client.get(reverse(name, args=[posting.pk])).status_code == 404, name
    assert client.post(reverse("employers:posting_duplicate", args=[posting.pk])).status_code == 404
    client.force_login(personas.seeker_a)
    assert client.get(reverse("employers:posting_preview", args=[posting.pk])).status_code == 403


def test_dashboard(client, staff, live_posting, personas):
    Application.objects.create(posting=live_posting, seeker=personas.seeker_a)
    make_phase(personas.qingdao, number=2)
    html = client.get(reverse("employers:dashboard")).content.decode()
    assert "1 份新申请等待查看" in html
    assert "（第2批）" in html  # a phase it can submit to, with its deadline
    assert "早餐店帮厨" in html


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=st.text(max_size=120),
    description=st.text(max_size=300),
    pay_min=st.one_of(st.text(max_size=12), st.integers(-(10**6), 10**7).map(str)),
    pay_max=st.one_of(st.text(max_size=12), st.integers(-(10**6), 10**7).map(str)),
    openings=st.text(max_size=6),
    start=st.text(max_size=8),
    end=st.text(max_size=8),
)
def test_posting_form_never_fails_badly(
    client, staff, title, description, pay_min, pay_max, openings, start, end
):
    before = Posting.objects.count()
    response = create(
        client,
        staff,
        title=title,
        description=description,
        pay_min=pay_min,
        pay_max=pay_max,
        openings=openings,
        **{"win-0-start": start, "win-0-end": end},
    )
    assert response.status_code in (200, 302)
    after = Posting.objects.count()
    assert after == before + (1 if response.status_code == 302 else 0)


def test_employer_dashboard_links_new_applications_and_counts_applicants(
    client, staff, application
):
    page = client.get(reverse("employers:dashboard")).content.decode()
    link = reverse("employers:application_list", args=[application.posting_id])
    assert f'<a href="{link}">1 份新申请等待查看</a>' in page
    assert "1 人申请" in page


def test_a_draft_can_be_deleted_after_a_confirmation(client, staff, personas):
    from tests.factories import make_posting

    draft = make_posting(personas.employer_a, title="写错的草稿")
    url = reverse("employers:posting_delete", args=[draft.pk])
    preview = client.get(reverse("employers:posting_preview", args=[draft.pk])).content.decode()
    assert url in preview
    assert "确认删除" in client.get(url).content.decode()
    assert Posting.objects.filter(pk=draft.pk).exists()
    assert client.post(url).url == reverse("employers:dashboard")
    assert not Posting.objects.filter(pk=draft.pk).exists()


def test_a_submitted_posting_cannot_be_deleted(client, staff, application):
    posting = application.posting
    response = client.post(reverse("employers:posting_delete", args=[posting.pk]))
    assert response.status_code == 302 and Posting.objects.filter(pk=posting.pk).exists()


def test_the_long_posting_form_opens_with_an_error_summary_and_chinese_empty_choices(client, staff):
    page = client.post(reverse("employers:posting_create"), {"title": ""}).content.decode()
    assert "error-summary" in page and 'href="#id_title"' in page
    assert "---------" not in page and "请选择" in page
