"""The public employer directory /employers/ and its upkeep by the bureau (issue 6, item 6):
verified employers per region with their live postings and recognition; the directory history;
removed employers reachable but not listed; recognition set and cleared by the bureau inside its
jurisdiction, audited."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from directory.models import AuditAction, AuditEntry, PhaseStatus
from directory.verification import services as verification
from employers.choices import Sector
from employers.models import (
    DirectoryEvent,
    Employer,
    EmployerStatus,
    EmployerStatusEvent,
    Posting,
    PostingStatus,
)
from momjobs.lib import search_version
from tests import strategies as s
from tests.factories import make_employer, make_phase, make_posting, publish
from tests.helpers import force_login_verified

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

# As tests/test_fuzz.py's "ci" profile: derandomised, bounded.
FUZZ = hsettings(
    derandomize=True,
    database=None,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

DIRECTORY = reverse("employer_directory")


def page_of(employer):
    return reverse("employer_public", args=[employer.pk])


def listed(response):
    return [e.name for e in response.context["page"].object_list]


def live_posting(employer, bureau, number=1, **overrides):
    posting = make_posting(employer, **overrides)
    publish(make_phase(bureau, number=number, status=PhaseStatus.IN_REVIEW), [posting])
    posting.refresh_from_db()
    return posting


@pytest.fixture
def qingdao(personas):
    return personas.qingdao


# -- the list ---------------------------------------------------------------------------------------


def test_only_verified_employers_are_listed_recognised_first(client, qingdao):
    plain = make_employer("青岛乙保洁有限公司", "370203")
    based = make_employer("青岛丁餐饮有限公司", "370211")
    verification.employer_recognise(
        employer=based, by=qingdao.staff.get().user, title="妈妈岗就业基地", year=2025
    )
    make_employer("青岛待核验公司", "370202", status=EmployerStatus.PENDING)
    make_employer("青岛未通过公司", "370202", status=EmployerStatus.REJECTED)
    make_employer("青岛已移出公司", "370202", status=EmployerStatus.REMOVED)
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert listed(response) == ["青岛丁餐饮有限公司", "青岛乙保洁有限公司"]
    body = response.content.decode()
    assert "2025年度“妈妈岗就业基地”" in body
    for hidden in ("待核验", "未通过", "已移出"):
        assert f"青岛{hidden}公司" not in body
    assert plain.name in body


def test_each_employer_shows_its_count_of_live_postings(client, qingdao):
    employer = make_employer("青岛甲餐饮有限公司", "370202")
    titles = ["早餐帮厨", "午餐帮厨", "过期岗位", "已结束岗位"]
    postings = [make_posting(employer, title=title) for title in titles]
    publish(make_phase(qingdao, status=PhaseStatus.IN_REVIEW), postings)
    Posting.objects.filter(title="过期岗位").update(
        valid_through=timezone.localdate() - timedelta(days=1)
    )
    Posting.objects.filter(title="已结束岗位").update(status=PostingStatus.CLOSED)
    make_posting(employer, title="草稿岗位")  # never published
    response = client.get(DIRECTORY)
    (row,) = response.context["page"].object_list
    assert row.live_postings == 2
    assert "招聘中的岗位：2 个" in response.content.decode()


def test_filter_by_region_city_includes_its_districts(client, qingdao):
    make_employer("青岛市南公司", "370202")
    make_employer("青岛崂山公司", "370212")
    make_employer("临沂沂河公司", "371302")
    assert listed(client.get(DIRECTORY, {"region": "370200"})) == ["青岛崂山公司", "青岛市南公司"]
    assert listed(client.get(DIRECTORY, {"region": "370212"})) == ["青岛崂山公司"]
    assert listed(client.get(DIRECTORY, {"region": "370000"})) == [
        "临沂沂河公司",
        "青岛崂山公司",
        "青岛市南公司",
    ]
    # A place with no employers: an empty list, not an error.
    response = client.get(DIRECTORY, {"region": "110101"})
    assert response.status_code == 200 and listed(response) == []
    assert "没有符合条件的单位。" in response.content.decode()


def test_the_place_is_typed_by_its_name(client, qingdao):
    make_employer("青岛市南公司", "370202")
    make_employer("临沂沂河公司", "371302")
    response = client.get(DIRECTORY, {"region": "青岛"})
    assert listed(response) == ["青岛市南公司"]
    body = response.content.decode()
    assert 'name="region" value="青岛"' in body and '<option value="370202"' not in body
    assert listed(client.get(DIRECTORY, {"region": "市南区"})) == ["青岛市南公司"]
    # A shared name asks which one; an unknown one says so.
    body = client.get(DIRECTORY, {"region": "鼓楼区"}).content.decode()
    assert "有几个地方叫“鼓楼区”" in body
    body = client.get(DIRECTORY, {"region": "火星"}).content.decode()
    assert "没有找到“火星”这个地方" in body


def test_bad_filters_are_explained_and_ignored(client, qingdao):
    make_employer("青岛市南公司", "370202")
    response = client.get(DIRECTORY, {"region": "999999", "sector": "nonsense", "page": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "没有找到地区代码“999999”。" in body
    assert "部分条件有误" in body
    assert listed(response) == ["青岛市南公司"]


def test_filter_by_sector_and_recognition(client, qingdao):
    make_employer("青岛餐饮公司", "370202")
    cleaning = make_employer("青岛保洁公司", "370202")
    cleaning.sector = Sector.CLEANING
    cleaning.recognition, cleaning.recognised_year = "妈妈岗就业基地", 2025
    cleaning.save()
    assert listed(client.get(DIRECTORY, {"sector": "cleaning"})) == ["青岛保洁公司"]
    assert listed(client.get(DIRECTORY, {"recognised": "on"})) == ["青岛保洁公司"]
    assert listed(client.get(DIRECTORY, {"sector": "catering", "recognised": "on"})) == []


def test_paginated_with_the_filters_kept(client, qingdao):
    for n in range(settings.PAGE_SIZE + 3):
        make_employer(f"青岛测试公司{n:02d}", "370202")
    first = client.get(DIRECTORY, {"region": "370202"})
    assert len(first.context["page"].object_list) == settings.PAGE_SIZE
    assert "region=370202&amp;page=2" in first.content.decode()
    second = client.get(DIRECTORY, {"region": "370202", "page": 2})
    assert len(second.context["page"].object_list) == 3


def test_list_queries_do_not_grow_with_the_rows(client, qingdao):
    employer = make_employer("青岛一号公司", "370202")
    live_posting(employer, qingdao)
    client.get(DIRECTORY, {"region": "370200"})  # warm up: what is read once (the region tree)
    search_version.bump()  # the page as rendered, not as kept in the cache
    with CaptureQueriesContext(connection) as few:
        client.get(DIRECTORY, {"region": "370200"})
    for n in range(6):
        other = make_employer(f"青岛{n}号公司", "370203" if n % 2 else "370211")
        live_posting(other, qingdao, number=2 + n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(DIRECTORY, {"region": "370200"})
    assert len(response.context["page"].object_list) == 7
    assert len(many) == len(few)


def test_the_directory_is_in_the_site_navigation(client):
    response = client.get(reverse("home"))
    assert f'href="{DIRECTORY}"' in response.content.decode()
    assert "用人单位名录" in response.content.decode()


def test_english_directory(client, qingdao):
    make_employer("青岛市南公司", "370202")
    response = client.get("/en" + DIRECTORY)
    assert response.status_code == 200
    assert "青岛市南公司" in response.content.decode()


# -- one employer -----------------------------------------------------------------------------------


def test_employer_page_shows_public_facts_postings_and_history(client, personas, qingdao):
    employer = personas.employer_a
    employer.contact_name, employer.contact_phone = "张经理", "0532-1234-5678"
    employer.contact_email = "hr-secret@example.test"
    employer.address = "市南区香港中路99号"
    employer.description = "连锁早餐店。"
    employer.save()
    officer = qingdao.staff.get().user
    EmployerStatusEvent.objects.create(
        employer=employer, kind=DirectoryEvent.LISTED, status="pending", reason="提交登记"
    )
    EmployerStatusEvent.objects.create(
        employer=employer,
        kind=DirectoryEvent.REJECTED,
        status="rejected",
        reason="营业执照照片模糊",
        by=officer,
    )
    verification.employer_decide(
        employer=employer, by=officer, status="verified", reason="核验通过"
    )
    verification.employer_recognise(
        employer=employer, by=officer, title="妈妈岗就业基地", year=2025
    )
    posting = live_posting(employer, qingdao, title="早餐店帮厨")
    response = client.get(page_of(employer))
    assert response.status_code == 200
    body = response.content.decode()
    assert employer.name in body and employer.uscc in body
    assert "2025年度“妈妈岗就业基地”" in body
    assert reverse("posting_detail", args=[posting.pk]) in body
    assert "招聘中的岗位（1 个）" in body
    # The history: listed, verified, recognised; the rejection stays private.
    events = [e.kind for e in response.context["events"]]
    assert events == ["recognised", "verified", "listed"]
    assert "核验通过" in body and "认定为2025年度“妈妈岗就业基地”" in body
    assert "营业执照照片模糊" not in body
    # Never private data: contacts, address, licence, staff, who decided.
    for private in (
        "张经理",
        "0532-1234-5678",
        "hr-secret@example.test",
        "香港中路99号",
        "licence",
        personas.employer_a_staff.email,
        officer.email,
    ):
        assert private not in body, private


def test_employer_postings_page_through(client, personas, qingdao):
    employer = personas.employer_a
    postings = [make_posting(employer, title=f"岗位{n}") for n in range(settings.PAGE_SIZE + 1)]
    publish(make_phase(qingdao, status=PhaseStatus.IN_REVIEW), postings)
    first = client.get(page_of(employer))
    assert len(first.context["page"].object_list) == settings.PAGE_SIZE
    assert len(client.get(page_of(employer), {"page": 2}).context["page"].object_list) == 1


def test_a_removed_employer_says_when_and_why_and_is_not_listed(client, personas, qingdao):
    employer = personas.employer_a
    officer = qingdao.staff.get().user
    verification.employer_decide(
        employer=employer, by=officer, status="removed", reason="单位已注销"
    )
    assert listed(client.get(DIRECTORY)) == []
    response = client.get(page_of(employer))
    assert response.status_code == 200
    assert response.templates[0].name == "employers_public/removed.html"
    body = response.content.decode()
    today = timezone.localdate().isoformat()
    assert f"该单位已于 {today} 移出用人单位名录，原因：单位已注销" in body
    assert '<meta name="robots" content="noindex">' in body
    assert [e.kind for e in response.context["events"]] == ["removed"]


@pytest.mark.parametrize("status", [EmployerStatus.PENDING, EmployerStatus.REJECTED])
def test_employers_never_listed_are_not_found(client, status):
    employer = make_employer("青岛某公司", "370202", status=status)
    assert client.get(page_of(employer)).status_code == 404
    assert client.get(reverse("employer_public", args=[987654])).status_code == 404


def test_read_only(client, personas):
    assert client.post(DIRECTORY).status_code == 405
    assert client.post(page_of(personas.employer_a)).status_code == 405


def test_the_posting_page_links_to_its_employer(client, personas, qingdao):
    posting = live_posting(personas.employer_a, qingdao)
    body = client.get(reverse("posting_detail", args=[posting.pk])).content.decode()
    assert f'href="{page_of(personas.employer_a)}"' in body
    # An employer that is not in the directory is not linked (its page would not be found).
    employer = Employer.objects.get(pk=personas.employer_a.pk)
    employer.status = EmployerStatus.PENDING
    employer.save()  # (saving an employer drops the cached pages)
    body = client.get(reverse("posting_detail", args=[posting.pk])).content.decode()
    assert page_of(personas.employer_a) not in body


# -- recognition and removal by the bureau ------------------------------------------------------------


def recognise_url(employer):
    return reverse("bureau:employer_recognise", args=[employer.pk])


@pytest.fixture
def officer(client, personas):
    personas.qingdao  # noqa: B018
    force_login_verified(client, personas.bureau_inside)
    return personas.bureau_inside


def test_the_bureau_sets_a_recognition(client, personas, officer):
    employer = personas.employer_a
    detail = client.get(reverse("bureau:employer_detail", args=[employer.pk]))
    assert recognise_url(employer) in detail.content.decode()
    response = client.post(
        recognise_url(employer),
        {"title": "妈妈岗就业基地", "year": "2025", "reason": "青人社字〔2025〕1号"},
    )
    assert response.status_code == 302
    employer.refresh_from_db()
    assert (employer.recognition, employer.recognised_year) == ("妈妈岗就业基地", 2025)
    event = employer.status_events.get(kind=DirectoryEvent.RECOGNISED)
    assert event.reason == "认定为2025年度“妈妈岗就业基地”（青人社字〔2025〕1号）"
    assert event.by == officer
    line = AuditEntry.objects.get(action=AuditAction.EMPLOYER_RECOGNISE)
    assert line.bureau == personas.qingdao and line.actor == officer
    # With the hires and retention the officer saw (none yet here).
    assert line.detail.startswith("妈妈岗就业基地 2025 | 录用 0，已入职 0；1个月在岗 本人0 / 0")
    assert line.object_id == str(employer.pk)
    public = client.get(page_of(employer)).content.decode()
    assert "认定为2025年度“妈妈岗就业基地”（青人社字〔2025〕1号）" in public


def test_the_bureau_clears_a_recognition_with_a_reason(client, personas, officer):
    employer = personas.employer_a
    verification.employer_recognise(
        employer=employer, by=officer, title="妈妈岗就业基地", year=2025
    )
    response = client.post(recognise_url(employer), {"clear": "on", "reason": ""})
    assert response.status_code == 200
    assert "撤销认定时必须填写理由。" in response.content.decode()
    response = client.post(recognise_url(employer), {"clear": "on", "reason": "复核不达标"})
    assert response.status_code == 302
    employer.refresh_from_db()
    assert (employer.recognition, employer.recognised_year) == ("", None)
    assert employer.status_events.filter(
        kind=DirectoryEvent.RECOGNISED, reason="撤销2025年度“妈妈岗就业基地”认定：复核不达标"
    ).exists()
    assert AuditEntry.objects.filter(action=AuditAction.EMPLOYER_RECOGNISE).count() == 2
    body = client.get(page_of(employer)).content.decode()
    assert "撤销2025年度“妈妈岗就业基地”认定：复核不达标" in body
    assert 'class="badge good"' not in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "", "year": "2025"}, "title", "请填写认定称号。"),
        ({"title": "妈妈岗就业基地", "year": ""}, "year", "请填写认定年份。"),
        ({"title": "妈妈岗就业基地", "year": "1999"}, "year", None),
        ({"title": "妈妈岗就业基地", "year": "２０２５年"}, "year", None),
        ({"title": "基" * 61, "year": "2025"}, "title", None),
        ({"title": "妈妈岗\x00就业基地", "year": "2025"}, "title", None),
    ],
)
def test_bad_recognition_input_is_a_field_error(client, personas, officer, data, field, message):
    employer = personas.employer_a
    response = client.post(recognise_url(employer), data)
    assert response.status_code == 200
    form = response.context["recognition_form"]
    assert field in form.errors
    if message:
        assert message in form.errors[field]
    employer.refresh_from_db()
    assert employer.recognition == ""
    assert not AuditEntry.objects.exists()


def test_next_year_is_the_latest_year(client, personas, officer):
    year = timezone.localdate().year
    assert (
        client.post(
            recognise_url(personas.employer_a), {"title": "基地", "year": year + 2}
        ).status_code
        == 200
    )
    assert (
        client.post(
            recognise_url(personas.employer_a), {"title": "基地", "year": year + 1}
        ).status_code
        == 302
    )


def test_only_verified_employers_are_recognised(client, personas, officer):
    employer = make_employer("青岛待核验公司", "370202", status=EmployerStatus.PENDING)
    response = client.post(recognise_url(employer), {"title": "妈妈岗就业基地", "year": "2025"})
    assert response.status_code == 200
    assert "只有已核验的单位才能获得认定。" in response.content.decode()
    employer.refresh_from_db()
    assert employer.recognition == ""
    assert not AuditEntry.objects.exists()


def test_outside_the_jurisdiction_nothing_happens(client, personas):
    personas.linyi  # noqa: B018
    force_login_verified(client, personas.bureau_outside)
    employer = personas.employer_a
    assert (
        client.post(recognise_url(employer), {"title": "基地", "year": "2025"}).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        verification.employer_recognise(
            employer=employer, by=personas.bureau_outside, title="基地", year=2025
        )
    for user in (personas.seeker_a, personas.employer_a_staff, personas.admin):
        force_login_verified(client, user)
        assert (
            client.post(recognise_url(employer), {"title": "基地", "year": "2025"}).status_code
            == 403
        )
    employer.refresh_from_db()
    assert employer.recognition == "" and not AuditEntry.objects.exists()


def test_removal_reason_is_announced_as_public(client, personas, officer):
    body = client.get(
        reverse("bureau:employer_detail", args=[personas.employer_a.pk])
    ).content.decode()
    assert "移出名录的理由还会显示在公开的用人单位名录中" in body


# -- fuzzing -----------------------------------------------------------------------------------------


@FUZZ
@given(
    region=st.one_of(s.text, s.numbers_as_text, st.sampled_from(["370200", "370202", "3702"])),
    sector=st.one_of(s.short_text, st.sampled_from([c for c, _ in Sector.choices])),
    recognised=st.one_of(s.short_text, st.sampled_from(["on", "true", "1", ""])),
    page=st.one_of(s.numbers_as_text, s.short_text),
)
def test_fuzz_directory_filters(client, personas, region, sector, recognised, page):
    personas.employer_a  # noqa: B018
    response = client.get(
        DIRECTORY, {"region": region, "sector": sector, "recognised": recognised, "page": page}
    )
    assert response.status_code == 200


@FUZZ
@given(
    title=st.one_of(s.text, st.just("妈妈岗就业基地")),
    year=st.one_of(s.numbers_as_text, s.short_text, st.integers(-5000, 5000).map(str)),
    clear=st.sampled_from(["", "on"]),
    reason=s.text,
)
def test_fuzz_recognition_form(client, personas, officer, title, year, clear, reason):
    employer = personas.employer_a
    with transaction.atomic():
        response = client.post(
            recognise_url(employer),
            {"title": title, "year": year, "clear": clear, "reason": reason},
        )
        assert response.status_code in (200, 302)
        employer.refresh_from_db()
        if response.status_code == 302:
            assert AuditEntry.objects.filter(object_id=str(employer.pk)).exists()
        else:
            assert employer.recognition == ""
        transaction.set_rollback(True)


def test_saving_the_same_recognition_again_changes_nothing(client, personas, officer):
    employer = personas.employer_a
    verification.employer_recognise(
        employer=employer, by=officer, title="妈妈岗就业基地", year=2025
    )
    response = client.post(recognise_url(employer), {"title": "妈妈岗就业基地", "year": "2025"})
    assert response.status_code == 200
    assert "与现有认定相同，没有需要保存的变化。" in response.content.decode()
    assert employer.status_events.filter(kind=DirectoryEvent.RECOGNISED).count() == 1
