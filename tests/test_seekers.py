import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from employers.models import Application, ApplicationEvent, ApplicationStatus, PostingStatus
from employers.tasks import anonymise_old_applications
from momjobs.users.models import SeekerProfile, User

pytestmark = pytest.mark.django_db
STRONG = "a-long-and-unusual-passphrase-2026"


def sign_up(client, email="mama@example.test", **overrides):
    data = {
        "email": email,
        "name": "王丽",
        "password1": STRONG,
        "password2": STRONG,
        "consent": "on",
    }
    data.update(overrides)
    return client.post(reverse("users:sign_up"), data)


def verify_from_mail(client, message):
    link = re.search(r"https?://[^/\s]+(/\S+/verify/\S+/)", message.body).group(1)
    return client.get(link)


def test_sign_up_verify_and_consent(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.url == reverse("users:sign_up_sent")
    user = User.objects.get(email="mama@example.test")
    profile = SeekerProfile.objects.get(user=user)
    assert profile.privacy_policy_version and profile.privacy_consent_at
    assert user.email_verified_at is None
    assert len(mailoutbox) == 1
    # The link confirms the address and signs her in (once).
    assert verify_from_mail(client, mailoutbox[0]).url == reverse("users:profile")
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password1": "password123", "password2": "password123"}, "password1"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1"),
        ({"password2": "something-else-entirely"}, "password2"),
        ({"consent": ""}, "consent"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_sign_up_refusals(client, overrides, field):
    response = sign_up(client, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.exists()


def test_a_taken_address_gets_the_same_page_and_its_owner_a_note(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    """Sign-up does not tell who has an account: the same page as a new address, and the
    owner is emailed that someone tried (issue: sign-up enumeration)."""
    taken = personas.seeker_a.email
    with django_capture_on_commit_callbacks(execute=True):
        first = sign_up(client, email=taken)
    page_taken = client.get(first.url).content.decode()
    other = client.__class__()
    with django_capture_on_commit_callbacks(execute=True):
        second = other.post(
            reverse("users:sign_up"),
            {
                "email": "brand.new@example.test",
                "name": "王丽",
                "password1": STRONG,
                "password2": STRONG,
                "consent": "on",
            },
        )
    page_new = other.get(second.url).content.decode()
    assert first.url == second.url == reverse("users:sign_up_sent")

    def plain(page):
        return (
            re.sub(r'(value|nonce)="[^"]+"', "", page)
            .replace(taken, "X")
            .replace("brand.new@example.test", "X")
        )

    assert plain(page_taken) == plain(page_new)
    assert User.objects.filter(email=taken).count() == 1
    note = next(m for m in mailoutbox if m.to == [taken])
    assert "有人用您的邮箱" in note.subject and "/accounts/password-reset/" in note.body
    assert "_auth_user_id" not in client.session


def test_tampered_verification_link(client):
    assert client.get(reverse("users:verify_email", args=["abc:def"])).status_code == 400


def profile_post(client, **overrides):
    data = {
        "name": "王丽",
        "phone": "13900001111",
        "district": "370213",
        "skills": "收银、保洁",
        "experience": "超市收银三年",
        "win-TOTAL_FORMS": "4",
        "win-INITIAL_FORMS": "0",
        "win-MIN_NUM_FORMS": "0",
        "win-MAX_NUM_FORMS": "14",
        "win-0-days": ["1", "2", "3", "4", "5"],
        "win-0-start": "08:30",
        "win-0-end": "15:30",
    }
    data.update(overrides)
    return client.post(reverse("users:profile"), data)


def test_profile_with_free_hours(client, personas):
    client.force_login(personas.seeker_a)
    response = profile_post(client)
    assert response.status_code == 302
    profile = SeekerProfile.objects.get(user=personas.seeker_a)
    assert profile.free_windows == [{"days": [1, 2, 3, 4, 5], "start": "08:30", "end": "15:30"}]
    assert profile.district.name == "李沧区"
    html = client.get(reverse("users:profile")).content.decode()
    assert "fits=1-5%4008%3A30-15%3A30" in html


def pdf():
    return SimpleUploadedFile("我的简历.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")


def docx(entries=None, big=0):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(entries or 0):
            archive.writestr(f"word/media/{n}.xml", "x")
        if big:
            archive.writestr("word/media/huge.bin", b"\0" * big)
    return SimpleUploadedFile("cv.docx", buffer.getvalue())


@pytest.mark.parametrize(
    ("upload", "ok"),
    [
        (pdf, True),
        (docx, True),
        (lambda: SimpleUploadedFile("cv.pdf", b"<html><script>alert(1)</script></html>"), False),
        (lambda: SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 an executable"), False),
        (lambda: SimpleUploadedFile("cv.docx", b"PK\x03\x04 not really a zip"), False),
        (lambda: docx(big=30 * 1024 * 1024), False),  # a zip bomb: tiny, unpacks to 30 MB
        (lambda: docx(entries=1001), False),
        (lambda: SimpleUploadedFile("cv.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024)), False),
        (lambda: SimpleUploadedFile("cv.zip", _zip_without_document()), False),
    ],
)
def test_cv_checked_by_content(client, personas, upload, ok):
    client.force_login(personas.seeker_a)
    response = profile_post(client, cv=upload())
    profile = SeekerProfile.objects.get(user=personas.seeker_a)
    if ok:
        assert response.status_code == 302
        assert profile.cv.name.startswith("cv/") and "简历" not in profile.cv.name
        download = client.get(reverse("users:cv_download"))
        assert download["Content-Disposition"].startswith("attachment")
        assert download["X-Content-Type-Options"] == "nosniff"
    else:
        assert response.status_code == 200
        assert "cv" in response.context["form"].errors
        assert not profile.cv


def _zip_without_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


@pytest.fixture
def verified(personas):
    user = personas.seeker_a
    user.email_verified_at = timezone.now()
    user.save()
    return user


def test_apply_in_three_steps(client, verified, live, django_capture_on_commit_callbacks):
    from employers.models import EmployerMembership

    staff = User.objects.create_user(email="boss@example.test", password=STRONG, role="employer")
    EmployerMembership.objects.create(employer=live.employer, user=staff, role="owner")
    client.force_login(verified)
    page = client.get(reverse("seeker:apply", args=[live.pk])).content.decode()
    assert "第1步" in page and "第3步" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("seeker:apply", args=[live.pk]), {"note": "下午三点后方便接电话"}
        )
    assert response.url == reverse("seeker:applications")
    application = Application.objects.get(posting=live, seeker=verified)
    assert application.note == "下午三点后方便接电话"
    assert [m.to for m in mail.outbox] == [["boss@example.test"]]
    again = client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    assert "已经申请过" in again.content.decode()
    assert Application.objects.filter(posting=live).count() == 1


def test_unverified_cannot_apply(client, personas, live):
    client.force_login(personas.seeker_a)
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    assert not Application.objects.exists()


def test_closed_posting_gives_a_clear_error(client, verified, live):
    live.status = PostingStatus.CLOSED
    live.save()
    client.force_login(verified)
    response = client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    assert "已结束招聘" in response.content.decode()
    assert not Application.objects.exists()


def test_my_applications_history_and_withdraw(client, verified, live, personas):
    from employers import services

    client.force_login(verified)
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    application = Application.objects.get()
    services.application_set_status(
        application=application,
        status=ApplicationStatus.INTERVIEW,
        by=None,
        interview_at=timezone.now() + timedelta(days=2),
        interview_place="香港中路1号",
    )
    html = client.get(reverse("seeker:applications")).content.decode()
    assert "邀请面试" in html and "香港中路1号" in html and "已投递" in html
    other = personas.seeker_b
    client.force_login(other)
    assert client.post(reverse("seeker:withdraw", args=[application.pk])).status_code == 404
    client.force_login(verified)
    client.post(reverse("seeker:withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_a_taken_down_post_is_named_not_linked_in_my_applications(client, verified, live):
    """Her application stays readable after a take-down: the title, the employer and why, and
    no link to a page that no longer exists for the public."""
    from directory.models import Bureau, BureauStaff
    from directory.moderation.services import posting_take_down
    from tests.factories import make_user

    officer = make_user(role="bureau")
    BureauStaff.objects.create(bureau=Bureau.objects.get(jurisdiction__code="370200"), user=officer)
    client.force_login(verified)
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    link = reverse("posting_detail", args=[live.pk])
    assert f'href="{link}"' in client.get(reverse("seeker:applications")).content.decode()
    posting_take_down(posting=live, by=officer, reason="虚假岗位")
    html = client.get(reverse("seeker:applications")).content.decode()
    assert live.title in html and f'href="{link}"' not in html
    assert "已被人社部门下架" in html and "虚假岗位" in html
    assert client.get(link).status_code == 404
    english = client.get("/en" + reverse("seeker:applications")).content.decode()
    assert "taken down" in english and "虚假岗位" in english


def test_download_my_data(client, verified, live):
    client.force_login(verified)
    profile_post(client, cv=pdf())
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": "你好"})
    response = client.get(reverse("users:my_data"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("my-data.json"))
    assert data["account"]["email"] == verified.email
    assert data["profile"]["phone"] == "13900001111"
    assert data["applications"][0]["sent_to_employer"]["note"] == "你好"
    assert any(name.startswith("cv/") for name in archive.namelist())


def test_delete_my_account(client, verified, live, django_capture_on_commit_callbacks):
    client.force_login(verified)
    profile_post(client, cv=pdf())
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": "私人附言"})
    profile = SeekerProfile.objects.get(user=verified)
    storage, name = profile.cv.storage, profile.cv.name
    assert storage.exists(name)
    wrong = client.post(reverse("users:delete_account"), {"password": "nope"})
    assert "密码不正确" in wrong.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("users:delete_account"), {"password": "correct-horse-battery-staple-42"}
        )
    assert not User.objects.filter(pk=verified.pk).exists()
    assert not SeekerProfile.objects.filter(pk=profile.pk).exists()
    assert not storage.exists(name)
    application = Application.objects.get(posting=live)
    assert application.seeker_id is None and application.note == "" and application.anonymised_at
    assert not ApplicationEvent.objects.filter(by_id=verified.pk).exists()


def test_old_applications_are_anonymised(verified, live, settings):
    settings.APPLICATION_RETENTION_DAYS = 30
    Application.objects.create(posting=live, seeker=verified, note="x")
    assert anonymise_old_applications() == 0
    live.status = PostingStatus.CLOSED
    live.closed_at = timezone.now() - timedelta(days=31)
    live.save()
    assert anonymise_old_applications() == 1
    assert Application.objects.get().seeker_id is None
    assert anonymise_old_applications() == 0


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.text(max_size=80),
    phone=st.text(max_size=25),
    district=st.text(max_size=12),
    skills=st.text(max_size=200),
    start=st.text(max_size=6),
    note=st.text(max_size=600),
)
def test_profile_and_apply_forms_never_fail_badly(
    client, verified, live, name, phone, district, skills, start, note
):
    client.force_login(verified)
    response = profile_post(
        client, name=name, phone=phone, district=district, skills=skills, **{"win-0-start": start}
    )
    assert response.status_code in (200, 302)
    before = Application.objects.count()
    response = client.post(reverse("seeker:apply", args=[live.pk]), {"note": note})
    assert response.status_code in (200, 302)
    assert Application.objects.count() - before in (0, 1)


def test_her_reports_and_subscriptions_are_in_her_data_and_end_with_her_account(
    client, verified, live
):
    from directory.models import Report, ReportReason, Subscription
    from tests.factories import region

    Report.objects.create(
        posting=live, reason=ReportReason.FEES, details="要交押金", contact="139", reporter=verified
    )
    Report.objects.create(posting=live, reason=ReportReason.OTHER, details="别人的举报")
    Subscription.objects.create(email=verified.email.upper(), region=region("370200"))
    client.force_login(verified)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("users:my_data")).content))
    data = json.loads(archive.read("my-data.json"))
    assert [r["details"] for r in data["reports"]] == ["要交押金"]
    assert [s["region"] for s in data["subscriptions"]] == ["山东省青岛市"]
    client.post(reverse("users:delete_account"), {"password": "correct-horse-battery-staple-42"})
    # The report stays with the bureau, with nothing of hers: no account, contact or words.
    report = Report.objects.get(reason=ReportReason.FEES)
    assert report.reporter_id is None and report.contact == "" and report.details == ""
    # Her subscription ends with her account.
    assert not Subscription.objects.filter(email__iexact=verified.email).exists()
