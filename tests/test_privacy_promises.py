"""The privacy notice kept to the letter (issue: deletion ends everything, withdrawal ends the
employer's access, nobody asks about children). Each test checks the database (and files,
sessions) afterwards, not only the page."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from directory.models import Report, ReportReason, Subscription
from directory.moderation.services import reports_erase_contacts
from directory.subscriptions.retention import subscriptions_purge
from employers import services
from employers.models import Application, ApplicationStatus, EmployerMembership
from momjobs.regions.models import Region
from momjobs.users.models import Role, SeekerProfile, SessionRecord, User
from momjobs.users.services import seeker_delete
from momjobs.users.tasks import purge_unconfirmed_accounts
from tests.factories import (
    PASSWORD,
    make_seeker,
    make_user,
)
from tests.test_permission_matrix import private_files_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path, monkeypatch):
    private_files_in(tmp_path, monkeypatch)
    return tmp_path


@pytest.fixture
def staff(live):
    user = make_user(role=Role.EMPLOYER)
    EmployerMembership.objects.create(employer=live.employer, user=user, role="owner")
    return user


@pytest.fixture
def mother(files):
    user = make_seeker("mama@example.test", "王丽")
    user.email_verified_at = timezone.now()
    user.save()
    profile = user.seeker_profile
    profile.phone = "13912345678"
    profile.district = Region.objects.get(code="370203")
    profile.skills = "烹饪、收银"
    profile.experience = "做过三年收银员"
    profile.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 mine"), save=True)
    return user


def apply(client, user, posting, **data):
    client.force_login(user)
    return client.post(reverse("seeker:apply", args=[posting.pk]), {"note": "下午方便", **data})


# -- 1. deletion ends her subscriptions -----------------------------------------------------------


def test_deleting_the_account_ends_her_subscriptions(client, mother):
    region = Region.objects.get(code="370200")
    Subscription.objects.create(
        email=mother.email,
        region=region,
        school_run=True,
        fits="1-5@09:00-15:00",
        confirmed_at=timezone.now(),
    )
    someone_else = Subscription.objects.create(email="other@example.test", region=region)
    client.force_login(mother)
    client.post(reverse("users:delete_account"), {"password": PASSWORD})
    assert not User.objects.filter(pk=mother.pk).exists()
    assert not Subscription.objects.filter(email__iexact="mama@example.test").exists()
    assert Subscription.objects.filter(pk=someone_else.pk).exists()


def test_an_unconfirmed_address_neither_shows_nor_ends_someone_elses_subscription(client):
    impostor = make_seeker("victim@example.test")  # never confirmed: maybe not her address
    region = Region.objects.get(code="370200")
    theirs = Subscription.objects.create(
        email="victim@example.test", region=region, confirmed_at=timezone.now()
    )
    client.force_login(impostor)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("users:my_data")).content))
    assert json.loads(archive.read("my-data.json"))["subscriptions"] == []
    seeker_delete(user=impostor)
    assert Subscription.objects.filter(pk=theirs.pk).exists()


# -- 2. withdrawal ends the employer's access; the employer reads a snapshot ---------------------


def test_the_employer_reads_what_she_sent_not_her_live_profile(client, mother, live, staff):
    apply(client, mother, live, share_phone="on")
    application = Application.objects.get()
    profile = SeekerProfile.objects.get(user=mother)
    profile.name, profile.skills = "改过的名字", "后来加的技能"
    profile.save()
    client.force_login(staff)
    html = client.get(reverse("employers:application_detail", args=[application.pk])).content
    html = html.decode()
    assert "王丽" in html and "烹饪、收银" in html and "市北区" in html
    assert "改过的名字" not in html and "后来加的技能" not in html
    cv = client.get(reverse("employers:application_cv", args=[application.pk]))
    assert b"".join(cv.streaming_content) == b"%PDF-1.4 mine"


def test_after_withdrawal_the_employer_sees_only_that_it_was_withdrawn(
    client, mother, live, staff, django_capture_on_commit_callbacks
):
    apply(client, mother, live, share_phone="on")
    application = Application.objects.get()
    cv_name = application.cv.name
    storage = application.cv.storage
    assert storage.exists(cv_name)
    client.force_login(staff)
    client.post(
        reverse("employers:application_detail", args=[application.pk]),
        {"employer_notes": "电话沟通过，人很好"},
    )
    client.force_login(mother)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("seeker:withdraw", args=[application.pk]))
    application.refresh_from_db()
    for field in (
        "applicant_name",
        "applicant_district",
        "applicant_skills",
        "applicant_experience",
        "contact_email",
        "contact_phone",
        "note",
        "employer_notes",
        "cv",
    ):
        assert not getattr(application, field), field
    assert not storage.exists(cv_name)
    client.force_login(staff)
    detail = client.get(reverse("employers:application_detail", args=[application.pk]))
    html = detail.content.decode()
    assert "已撤回" in html
    for personal in ("王丽", "13912345678", "mama@example.test", "烹饪", "市北区", "下午方便"):
        assert personal not in html, personal
    assert client.get(reverse("employers:application_cv", args=[application.pk])).status_code == 404
    listing = client.get(reverse("employers:application_list", args=[live.pk])).content.decode()
    assert "王丽" not in listing and "已撤回" in listing
    export = client.get(reverse("employers:application_export", args=[live.pk, "csv"]))
    assert "王丽" not in export.content.decode("utf-8-sig")
    assert "mama@example.test" not in export.content.decode("utf-8-sig")


# -- 3. nobody asks about children (the wording rules: tests/test_rules.py) ----------------------


def test_the_apply_note_warns_her_not_to_write_her_childrens_details(client, mother, live):
    client.force_login(mother)
    page = client.get(reverse("seeker:apply", args=[live.pk])).content.decode()
    assert "请不要写孩子的姓名、年龄、出生日期" in page


# -- 4. sending is her recorded consent -----------------------------------------------------------


def test_the_apply_step_says_what_goes_where_and_sending_records_consent(
    client, settings, mother, live
):
    client.force_login(mother)
    page = client.get(reverse("seeker:apply", args=[live.pk])).content.decode()
    assert "所在区县" in page and "即表示您同意" in page
    assert f"{settings.APPLICATION_RETENTION_DAYS} 天后" in page
    before = timezone.now()
    apply(client, mother, live)
    application = Application.objects.get()
    assert application.consent_at >= before
    assert application.privacy_policy_version == settings.PRIVACY_POLICY_VERSION


# -- 5. download my data: everything held about her ----------------------------------------------


def test_my_data_holds_everything_the_database_holds_about_her(client, mother, live, staff):
    region = Region.objects.get(code="370200")
    subscription = Subscription.objects.create(
        email=mother.email,
        region=region,
        sector="catering",
        school_run=True,
        fits="1-5@09:00-15:00",
        confirmed_at=timezone.now(),
    )
    apply(client, mother, live, share_phone="on")
    application = Application.objects.get()
    application.employer_notes = "适合早班"
    application.save()
    services.application_set_status(
        application=application, status=ApplicationStatus.VIEWED, by=staff
    )
    Report.objects.create(
        posting=live, reason=ReportReason.FEES, details="要交押金", contact="139", reporter=mother
    )
    client.force_login(mother)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("users:my_data")).content))
    data = json.loads(archive.read("my-data.json"))
    mother.refresh_from_db()
    profile = SeekerProfile.objects.get(user=mother)
    account = data["account"]
    assert account["email"] == mother.email
    assert account["last_login"] == mother.last_login.isoformat()
    assert account["role"] == "求职者"
    assert data["profile"]["name"] == profile.name
    assert data["profile"]["phone"] == profile.phone
    assert data["profile"]["district"] == profile.district.full_name
    assert data["profile"]["skills"] == profile.skills
    assert data["profile"]["experience"] == profile.experience
    assert data["profile"]["cv"] == profile.cv.name.rsplit("/", 1)[-1]
    [sent] = data["applications"]
    application.refresh_from_db()
    assert sent["status"] == "已查看"  # the words she sees, not "viewed"
    assert sent["employer_notes"] == "适合早班"
    assert sent["consent_at"] == application.consent_at.isoformat()
    assert sent["sent_to_employer"] == {
        "name": application.applicant_name,
        "district": application.applicant_district,
        "skills": application.applicant_skills,
        "experience": application.applicant_experience,
        "email": application.contact_email,
        "phone": application.contact_phone,
        "cv": application.cv.name.rsplit("/", 1)[-1],
        "note": application.note,
    }
    assert [h["status"] for h in sent["history"]] == ["已投递", "已查看"]
    [sub] = data["subscriptions"]
    assert sub["free_hours"] == subscription.fits and sub["school_run"] is True
    assert sub["sector"] == "餐饮" or sub["sector"]
    assert sub["region"] == region.full_name
    [report] = data["reports"]
    assert report["details"] == "要交押金" and report["contact"] == "139"
    names = archive.namelist()
    assert any(name.startswith("cv/") for name in names)


# -- 6. the childcare declaration feeds one statistic, small counts hidden ----------------------


def test_the_bureau_sees_carers_as_a_count_with_small_numbers_hidden(client, live, personas):
    from directory.dashboard.figures import Dashboard

    officer = personas.bureau_inside
    personas.qingdao  # noqa: B018 - her bureau
    for n in range(3):
        seeker = make_seeker(f"carer{n}@example.test")
        seeker.email_verified_at = timezone.now()
        seeker.save()
        profile = seeker.seeker_profile
        profile.cares_for_child_under_12 = True
        profile.eligibility_consent_at = timezone.now()
        profile.save()
        services.application_submit(posting=live, seeker=seeker)
    figures = Dashboard(officer).figures()
    assert figures.carers == 3 and figures.carers_shown == "<5"
    from tests.helpers import force_login_verified

    force_login_verified(client, officer)
    page = client.get(reverse("bureau:dashboard")).content.decode()
    assert "自愿声明照护12岁以下儿童的申请人" in page and "&lt;5" in page


# -- 7. a deleted account's sessions end everywhere -----------------------------------------------


def test_deleting_the_account_ends_her_sessions_on_every_device(client, mother):
    from django.test import Client

    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.post(reverse("users:login"), {"username": mother.email, "password": PASSWORD})
    keys = list(SessionRecord.objects.filter(user=mother).values_list("session_key", flat=True))
    assert len(keys) == 2 and Session.objects.filter(session_key__in=keys).count() == 2
    laptop.post(reverse("users:delete_account"), {"password": PASSWORD})
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not SessionRecord.objects.exists()
    assert phone.get(reverse("users:profile")).status_code == 302  # signed out there too


# -- 8. the notice names the operator and the retention, and the code keeps to it ---------------


def test_the_privacy_page_names_the_operator_the_contact_and_every_period(client, settings):
    settings.PRIVACY_OPERATOR_NAME = "青岛市某某信息中心"
    settings.PRIVACY_OPERATOR_CONTACT = "privacy@qd.example"
    page = client.get(reverse("privacy")).content.decode()
    assert "青岛市某某信息中心" in page and "privacy@qd.example" in page
    for days in (
        settings.UNCONFIRMED_ACCOUNT_DAYS,
        settings.UNCONFIRMED_SUBSCRIPTION_DAYS,
        settings.UNSUBSCRIBED_RETENTION_DAYS,
        settings.APPLICATION_RETENTION_DAYS,
        settings.REPORT_CONTACT_RETENTION_DAYS,
    ):
        assert f"{days} 天" in page, days


def test_never_confirmed_accounts_are_purged_after_the_period(settings):
    old = make_seeker("old@example.test")
    User.objects.filter(pk=old.pk).update(
        date_joined=timezone.now() - timedelta(days=settings.UNCONFIRMED_ACCOUNT_DAYS + 1)
    )
    recent = make_seeker("recent@example.test")
    confirmed = make_seeker("ok@example.test")
    User.objects.filter(pk=confirmed.pk).update(
        email_verified_at=timezone.now(),
        date_joined=timezone.now() - timedelta(days=400),
    )
    staff = make_user(role=Role.EMPLOYER)
    User.objects.filter(pk=staff.pk).update(date_joined=timezone.now() - timedelta(days=400))
    result = purge_unconfirmed_accounts()
    assert result["accounts"] == 1
    assert not User.objects.filter(pk=old.pk).exists()
    assert not SeekerProfile.objects.filter(user_id=old.pk).exists()
    assert User.objects.filter(pk__in=[recent.pk, confirmed.pk, staff.pk]).count() == 3


def test_unconfirmed_and_unsubscribed_subscriptions_keep_nothing_after_the_period(settings):
    region = Region.objects.get(code="370200")
    long_ago = timezone.now() - timedelta(days=400)
    unconfirmed = Subscription.objects.create(email="a@example.test", region=region)
    Subscription.objects.filter(pk=unconfirmed.pk).update(created_at=long_ago)
    left = Subscription.objects.create(
        email="b@example.test",
        region=region,
        fits="1-5@09:00-15:00",
        school_run=True,
        confirmed_at=long_ago,
        unsubscribed_at=long_ago,
    )
    active = Subscription.objects.create(
        email="c@example.test", region=region, confirmed_at=long_ago
    )
    assert subscriptions_purge() == {"deleted": 1, "cleared": 1}
    assert not Subscription.objects.filter(pk=unconfirmed.pk).exists()
    left.refresh_from_db()
    assert left.email == "" and left.fits == "" and not left.school_run
    assert Subscription.objects.get(pk=active.pk).email == "c@example.test"
    assert subscriptions_purge() == {"deleted": 0, "cleared": 0}


# -- 9. reports: contacts erased whether handled or not; her words go with her account -----------


def test_an_unhandled_reports_contact_is_erased_after_the_period(settings, live):
    report = Report.objects.create(posting=live, reason=ReportReason.FEES, contact="13900000000")
    Report.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - timedelta(days=settings.REPORT_CONTACT_RETENTION_DAYS + 1)
    )
    fresh = Report.objects.create(posting=live, reason=ReportReason.FEES, contact="13900000001")
    assert reports_erase_contacts() == 1
    report.refresh_from_db()
    assert report.contact == "" and report.status == "open"
    assert Report.objects.get(pk=fresh.pk).contact == "13900000001"


def test_her_report_text_goes_with_her_account(mother, live):
    report = Report.objects.create(
        posting=live,
        reason=ReportReason.FEES,
        details="我叫王丽，面试时被要求交押金",
        contact="13912345678",
        reporter=mother,
    )
    seeker_delete(user=mother)
    report.refresh_from_db()
    assert report.reporter is None and report.contact == "" and report.details == ""
    assert report.reason == ReportReason.FEES  # the bureau still knows what was reported
