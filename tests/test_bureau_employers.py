"""The bureau verifies employers in its jurisdiction (issue 5, item 1)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from directory.verification import services as verification
from employers.models import Employer, EmployerStatus, EmployerStatusEvent
from momjobs.users.models import Role
from tests.factories import make_employer, make_user
from tests.helpers import force_login_verified

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def licence_storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(Employer._meta.get_field("licence"), "storage", storage)
    return storage


@pytest.fixture
def qingdao_officer(client, personas):
    personas.qingdao  # noqa: B018 - the bureau and its officer
    force_login_verified(client, personas.bureau_inside)
    return personas.bureau_inside


def pending(name, region_code="370202", owner_email=None):
    owner = make_user(owner_email, Role.EMPLOYER)
    employer = make_employer(name, region_code, status=EmployerStatus.PENDING, staff=owner)
    employer.licence.save("licence.pdf", ContentFile(PDF))
    return employer


def detail(employer):
    return reverse("bureau:employer_detail", args=[employer.pk])


def decide(employer):
    return reverse("bureau:employer_decide", args=[employer.pk])


# -- the list ---------------------------------------------------------------------------------------


def test_list_shows_the_jurisdiction_pending_first_with_counts(client, personas, qingdao_officer):
    verified = make_employer("青岛已核验公司", "370202")
    waiting = pending("青岛待核验公司", "370203")
    rejected = make_employer("青岛未通过公司", "370211", status=EmployerStatus.REJECTED)
    linyi = pending("临沂待核验公司", "371302")
    response = client.get(reverse("bureau:employer_list"))
    assert response.status_code == 200
    listed = list(response.context["page"].object_list)
    assert listed[0] == waiting
    assert set(listed) == {verified, waiting, rejected}
    assert linyi not in listed
    counts = {value: n for value, _label, n in response.context["counts"]}
    assert counts == {"pending": 1, "verified": 1, "rejected": 1, "removed": 0}
    assert "临沂待核验公司" not in response.content.decode()


def test_list_filters(client, personas, qingdao_officer):
    verified = make_employer("青岛已核验公司", "370202")
    waiting = pending("青岛待核验公司", "370203")
    url = reverse("bureau:employer_list")
    assert list(client.get(url, {"status": "verified"}).context["page"].object_list) == [verified]
    assert list(client.get(url, {"q": "待核验"}).context["page"].object_list) == [waiting]
    code = waiting.uscc.lower()
    assert list(client.get(url, {"q": code}).context["page"].object_list) == [waiting]
    # A bad value is a field error; the page still answers.
    bad = client.get(url, {"status": "nonsense", "page": "x", "q": "ab"})
    assert bad.status_code == 200
    # A NUL is refused before the view, with a plain page (momjobs/lib/hostile.py).
    assert client.get(url, {"q": "a\x00b"}).status_code == 400


def test_list_queries_do_not_grow_with_the_rows(client, personas, qingdao_officer):
    url = reverse("bureau:employer_list")
    pending("青岛一号", "370202")
    client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        pending(f"青岛{n}号公司", "370203" if n % 2 else "370211")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 7
    assert len(many) == len(few)


# -- who may look -----------------------------------------------------------------------------------


def test_outsiders(client, personas):
    employer = pending("青岛待核验公司")
    personas.qingdao, personas.linyi  # noqa: B018
    urls = [
        ("get", reverse("bureau:employer_list")),
        ("get", detail(employer)),
        ("get", reverse("bureau:employer_licence", args=[employer.pk])),
        ("post", decide(employer)),
    ]
    for method, url in urls:
        client.logout()
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("users:login") in response.url, url
        for user in (personas.seeker_a, personas.employer_a_staff, personas.admin):
            force_login_verified(client, user)
            assert getattr(client, method)(url).status_code == 403, (user, url)
    # Linyi's officer: the Qingdao employer does not exist for her.
    force_login_verified(client, personas.bureau_outside)
    for method, url in urls[1:]:
        assert getattr(client, method)(url, {"status": "verified"}).status_code == 404, url
    assert client.get(reverse("bureau:employer_list")).status_code == 200
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.PENDING


def test_a_qingdao_officer_cannot_see_a_linyi_employer(client, personas, qingdao_officer):
    linyi = pending("临沂待核验公司", "371302")
    assert client.get(detail(linyi)).status_code == 404
    assert client.get(reverse("bureau:employer_licence", args=[linyi.pk])).status_code == 404
    assert client.post(decide(linyi), {"status": "verified"}).status_code == 404
    linyi.refresh_from_db()
    assert linyi.status == EmployerStatus.PENDING


# -- detail, licence -------------------------------------------------------------------------------


def test_detail_shows_registration_and_history(client, personas, qingdao_officer):
    employer = pending("青岛待核验公司", owner_email="owner.q@example.test")
    EmployerStatusEvent.objects.create(employer=employer, status="pending", reason="提交登记")
    response = client.get(detail(employer))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (employer.name, employer.uscc, "山东省青岛市市南区", "owner.q@example.test"):
        assert text in body
    assert "提交登记" in body
    assert reverse("bureau:employer_licence", args=[employer.pk]) in body
    assert f'action="{decide(employer)}"' in body


def test_licence_is_a_download_never_a_page(client, personas, qingdao_officer):
    employer = pending("青岛待核验公司")
    response = client.get(reverse("bureau:employer_licence", args=[employer.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_no_licence_is_not_found(client, personas, qingdao_officer):
    employer = make_employer("青岛无执照公司", status=EmployerStatus.PENDING)
    assert client.get(reverse("bureau:employer_licence", args=[employer.pk])).status_code == 404
    assert "未上传" in client.get(detail(employer)).content.decode()


# -- decisions --------------------------------------------------------------------------------------


def test_verify_lets_the_employer_submit_and_tells_its_staff(
    client, personas, qingdao_officer, mailoutbox, django_capture_on_commit_callbacks
):
    employer = pending("青岛待核验公司", owner_email="owner.q@example.test")
    assert not employer.can_submit
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide(employer), {"status": "verified", "reason": ""})
    assert response.status_code == 302 and response.url == detail(employer)
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.VERIFIED and employer.can_submit
    event = employer.status_events.get()
    assert (event.status, event.by) == ("verified", qingdao_officer)
    [message] = mailoutbox
    assert message.to == ["owner.q@example.test"]
    assert "已核验" in message.subject


def test_reject_needs_a_reason(client, personas, qingdao_officer, mailoutbox):
    employer = pending("青岛待核验公司")
    response = client.post(decide(employer), {"status": "rejected", "reason": "   "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert "必须填写理由" in response.content.decode()
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.PENDING
    assert not employer.status_events.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("status", ["rejected", "removed"])
def test_reject_or_remove_with_a_reason(
    client, personas, qingdao_officer, mailoutbox, django_capture_on_commit_callbacks, status
):
    employer = pending("青岛待核验公司", owner_email="owner.q@example.test")
    reason = "营业执照上的名称与登记名称不一致"
    data = {"status": status, "reason": reason}
    if status == "removed":
        # Removing asks first, saying what will happen; nothing changes until it is confirmed.
        first = client.post(decide(employer), data)
        assert first.status_code == 200 and "确认移出名录" in first.content.decode()
        employer.refresh_from_db()
        assert employer.status == "pending" and not mailoutbox
        data["confirmed"] = "1"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide(employer), data)
    assert response.status_code == 302
    employer.refresh_from_db()
    assert (employer.status, employer.status_reason) == (status, reason)
    assert not employer.can_submit
    [message] = mailoutbox
    assert reason in message.body


def test_the_removal_page_says_what_comes_down(client, personas, qingdao_officer):
    from employers.models import PostingStatus
    from tests.factories import make_posting

    employer = make_employer("青岛将被移出公司", "370202")
    posting = make_posting(employer)
    posting.status = PostingStatus.LIVE
    posting.save()
    page = client.post(decide(employer), {"status": "removed", "reason": "虚假招聘"})
    html = page.content.decode()
    assert "1 个招聘中的岗位会立即下架" in html and "虚假招聘" in html
    posting.refresh_from_db()
    assert posting.status == PostingStatus.LIVE


def test_a_decision_must_change_something(client, personas, qingdao_officer):
    employer = make_employer("青岛已核验公司", "370202")
    response = client.post(decide(employer), {"status": "verified"})
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    assert not employer.status_events.exists()


def test_decide_is_post_only(client, personas, qingdao_officer):
    employer = pending("青岛待核验公司")
    assert client.get(decide(employer)).status_code == 405


def test_removing_an_employer_takes_its_live_postings_down_and_withdraws_its_submissions(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    from directory.models import AuditAction, AuditEntry, EntryDecision, PhaseStatus
    from employers.models import Application, PostingStatus
    from tests.factories import add_entry, make_phase, make_posting, publish

    officer = personas.bureau_inside
    employer = personas.employer_a
    live, other_city, pending_one = (
        make_posting(employer),
        make_posting(employer, region_code="371302"),  # a Linyi posting of a Qingdao employer
        make_posting(employer),
    )
    untouched = make_posting(personas.employer_b)
    publish(make_phase(personas.qingdao, status=PhaseStatus.IN_REVIEW), [live, untouched])
    publish(make_phase(personas.linyi, status=PhaseStatus.IN_REVIEW), [other_city])
    entry = add_entry(make_phase(personas.qingdao, number=2), pending_one, EntryDecision.PENDING)
    Application.objects.create(posting=live, seeker=personas.seeker_a)
    mailoutbox.clear()

    # (From the English pages: the reason written into the postings is Chinese all the same.)
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        verification.employer_decide(
            employer=employer, by=officer, status="removed", reason="虚假招聘"
        )

    for posting in (live, other_city):
        posting.refresh_from_db()
        assert posting.status == PostingStatus.TAKEN_DOWN
        assert posting.status_reason == "单位已移出用人单位名录：虚假招聘"
    entry.refresh_from_db()
    assert entry.decision == EntryDecision.WITHDRAWN
    untouched.refresh_from_db()
    assert untouched.status == PostingStatus.LIVE
    assert personas.seeker_a.email in [m.to[0] for m in mailoutbox]
    assert AuditEntry.objects.filter(action=AuditAction.POSTING_TAKE_DOWN).count() == 2
