"""Seekers with a mobile number: sign-up, sign-in, adding a number, codes and their limits,
the job she chose kept through it all, SMS updates, withdrawing with a confirmation, and the
number's privacy. SMS go to the memory transport (momjobs/lib/sms.py `outbox`)."""

import json
import re
import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from employers import services
from employers.models import Application, ApplicationStatus, EmployerMembership
from momjobs.users import phones
from momjobs.users.models import Notify, PhoneCode, Role, SeekerProfile, User
from tests.factories import (
    make_seeker,
    make_user,
)

pytestmark = pytest.mark.django_db
NUMBER = "13812345678"


def last_code(outbox, number=NUMBER):
    texts = [m.text for m in outbox if m.to.endswith(number) and m.template == "code"]
    assert texts, "no code was sent to this number"
    return re.search(r"\d{6}", texts[-1]).group(0)


def start(client, number=NUMBER, *, sign_up=False, name="王丽", next_url=""):
    if sign_up:
        data = {"method": "phone", "m-phone": number, "m-name": name, "m-consent": "on"}
        url = reverse("users:sign_up")
    else:
        data = {"method": "phone", "m-phone": number}
        url = reverse("users:login")
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


def send_code(client, code):
    return client.post(reverse("users:phone_code"), {"code": code})


# -- what people type ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "008613812345678",
        "86 13812345678",
        "１３８１２３４５６７８",  # full-width digits from a Chinese keyboard
        " 138 1234 5678 ",
    ],
)
def test_numbers_as_people_type_them(typed):
    assert phones.normalize(typed) == NUMBER


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("0532-88886666", "landline"),
        ("88886666", "landline"),
        ("+1 415 555 0100", "foreign"),
        ("0044 20 7946 0958", "foreign"),
        ("138abcd5678", "not_digits"),
        ("1" * 200, "too_long"),
        ("1381234567", "length"),
        ("138123456789", "length"),
        ("12012345678", "prefix"),
    ],
)
def test_numbers_that_are_not_mobile_numbers(typed, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        phones.normalize(typed)
    assert caught.value.code == code


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_bad_number_gets_a_clear_message_in_her_language(client, language, sms_outbox):
    prefix = "/en" if language == "en" else ""
    response = client.post(
        prefix + reverse("users:login"), {"method": "phone", "m-phone": "0532-88886666"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert ("座机" in page) if language == "zh-hans" else ("landline" in page)
    assert not sms_outbox and not PhoneCode.objects.exists()


# -- sign-up and sign-in -------------------------------------------------------------------------


def test_sign_up_with_a_number_creates_the_account_only_after_the_code(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, sign_up=True)
    assert response.url == reverse("users:phone_code")
    assert not User.objects.exists()  # nothing half-created
    code_page = client.get(reverse("users:phone_code")).content.decode()
    assert "138****5678" in code_page
    stored = PhoneCode.objects.get()
    assert last_code(sms_outbox) not in stored.code_hash  # kept hashed
    response = send_code(client, last_code(sms_outbox))
    user = User.objects.get(phone=NUMBER)
    assert response.url == reverse("users:profile")
    assert user.is_seeker and user.email is None and not user.has_usable_password()
    assert user.phone_verified_at and user.is_contact_verified
    assert user.notify_by == Notify.SMS
    profile = SeekerProfile.objects.get(user=user)
    assert profile.name == "王丽" and profile.privacy_consent_at
    assert client.get(reverse("users:profile")).status_code == 200


def test_the_answer_is_the_same_whether_or_not_the_number_has_an_account(
    client, django_capture_on_commit_callbacks
):
    User.objects.create_user(
        email=None, phone="13900000001", phone_verified_at=timezone.now(), role=Role.SEEKER
    )
    pages = []
    for number in ("13900000001", "13900000002"):
        client.cookies.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = start(client, number)
        assert response.status_code == 302 and response.url == reverse("users:phone_code")
        page = client.get(reverse("users:phone_code")).content.decode()
        # Differences allowed: the masked number, the CSRF token and the CSP nonce.
        page = re.sub(r'(value|nonce)="[^"]+"', "", page)
        pages.append(re.sub(r"139\*\*\*\*000\d", "", page))
    assert pages[0] == pages[1]


def test_a_new_number_on_the_sign_in_page_is_asked_its_name_then_made(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start(client)
    response = send_code(client, last_code(sms_outbox))
    assert response.url == reverse("users:phone_finish")
    assert not User.objects.exists()
    missing = client.post(reverse("users:phone_finish"), {"name": "王丽"})
    assert "需要同意隐私说明" in missing.content.decode()
    assert not User.objects.exists()
    done = client.post(reverse("users:phone_finish"), {"name": "王丽", "consent": "on"})
    assert done.url == reverse("users:profile")
    assert User.objects.get(phone=NUMBER).display_name == "王丽"


def test_a_known_number_signs_in_to_its_account(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    user = User.objects.create_user(
        email=None, phone=NUMBER, phone_verified_at=timezone.now(), role=Role.SEEKER
    )
    with django_capture_on_commit_callbacks(execute=True):
        start(client, "+86 138-1234-5678")
    response = send_code(client, last_code(sms_outbox))
    assert response.url == reverse("users:dashboard")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert User.objects.count() == 1


def test_staff_cannot_sign_in_with_a_number(client, sms_outbox, django_capture_on_commit_callbacks):
    make_user(role=Role.BUREAU, phone=NUMBER, phone_verified_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        start(client)
    response = send_code(client, last_code(sms_outbox))
    assert response.url == reverse("users:login")
    assert "_auth_user_id" not in client.session


# -- codes ----------------------------------------------------------------------------------------


def test_wrong_codes_count_down_then_the_code_is_dead(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start(client, sign_up=True)
    right = last_code(sms_outbox)
    wrong = "000000" if right != "000000" else "111111"
    page = send_code(client, wrong).content.decode()
    assert "还可以再试4次" in page
    for _ in range(4):
        page = send_code(client, wrong).content.decode()
    assert "输错次数太多" in page
    assert "输错次数太多" in send_code(client, right).content.decode()
    assert not User.objects.exists()


def test_an_expired_code_is_refused(client, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start(client, sign_up=True)
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert "已过期" in send_code(client, last_code(sms_outbox)).content.decode()
    assert not User.objects.exists()


def test_a_code_works_once(client, sms_outbox, django_capture_on_commit_callbacks):
    from momjobs.users import codes

    with django_capture_on_commit_callbacks(execute=True):
        start(client, sign_up=True)
    code = last_code(sms_outbox)
    codes.confirm(phone=NUMBER, purpose=PhoneCode.Purpose.SIGN_IN, code=code)
    assert "已经用过" in send_code(client, code).content.decode()
    assert not User.objects.exists()


def test_a_code_for_another_number_does_not_work(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    other = client.__class__()
    with django_capture_on_commit_callbacks(execute=True):
        start(other, "13900000009", sign_up=True)
        start(client, sign_up=True)
    foreign_code = last_code(sms_outbox, "13900000009")
    own_code = last_code(sms_outbox)
    if foreign_code != own_code:
        assert "不正确" in send_code(client, foreign_code).content.decode()
    assert not User.objects.filter(phone=NUMBER).exists()


def test_one_code_a_minute_and_ten_a_day_per_number(
    client, settings, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start(client)
        again = start(client)
    assert again.status_code == 200 and "秒后再试" in again.content.decode()
    assert len(sms_outbox) == 1
    from momjobs.lib import ratelimit

    ratelimit.reset("sms-minute", NUMBER, 60)
    for _ in range(settings.SMS_CODES_PER_DAY - 1):
        ratelimit.hit("sms-day", NUMBER, 86400)
    refused = start(client)
    assert "已达上限" in refused.content.decode()
    assert len(sms_outbox) == 1


def test_codes_are_limited_per_client_address(client, settings, sms_outbox):
    settings.SMS_CODES_PER_CLIENT_HOUR = 2
    start(client, "13900000001")
    start(client, "13900000002")
    refused = start(client, "13900000003")
    assert "一小时后再试" in refused.content.decode()
    assert PhoneCode.objects.count() == 2


def test_resend_replaces_the_old_code(client, sms_outbox, django_capture_on_commit_callbacks):
    from momjobs.lib import ratelimit

    with django_capture_on_commit_callbacks(execute=True):
        start(client, sign_up=True)
    first = last_code(sms_outbox)
    ratelimit.reset("sms-minute", NUMBER, 60)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("users:phone_code"), {"resend": "1"})
    assert len(sms_outbox) == 2
    second = last_code(sms_outbox)
    if first != second:
        assert send_code(client, first).status_code == 200
    assert send_code(client, second).status_code == 302
    assert User.objects.filter(phone=NUMBER).exists()


# -- the job she chose is kept --------------------------------------------------------------------


def test_apply_while_signed_out_comes_back_to_the_apply_step(
    client, live, sms_outbox, django_capture_on_commit_callbacks
):
    apply_url = reverse("seeker:apply", args=[live.pk])
    to_login = client.get(apply_url)
    assert to_login.status_code == 302 and "next=" in to_login.url
    login_page = client.get(to_login.url).content.decode()
    # The sign-in page links to sign-up and both keep where she was going.
    assert reverse("users:sign_up") + "?next=" in login_page
    with django_capture_on_commit_callbacks(execute=True):
        start(client, sign_up=True, next_url=apply_url)
    response = send_code(client, last_code(sms_outbox))
    assert response.url == apply_url
    assert "第3步" in client.get(apply_url).content.decode()


def test_email_sign_up_keeps_the_job_through_the_confirmation_email(
    client, live, django_capture_on_commit_callbacks
):
    apply_url = reverse("seeker:apply", args=[live.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("users:sign_up"),
            {
                "email": "mama@example.test",
                "name": "王丽",
                "password1": "a-long-and-unusual-passphrase-2026",
                "password2": "a-long-and-unusual-passphrase-2026",
                "consent": "on",
                "next": apply_url,
            },
        )
    assert response.url == reverse("users:sign_up_sent")
    link = re.search(r"https?://[^/\s]+(/\S+/verify/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).url == apply_url


def test_next_never_leads_off_site(client, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start(client, sign_up=True, next_url="https://evil.example/")
    response = send_code(client, last_code(sms_outbox))
    assert response.url == reverse("users:profile")


# -- applying, updates by SMS, withdrawing -------------------------------------------------------


def phone_seeker(number=NUMBER):
    from momjobs.users.services import seeker_sign_up_by_phone

    return seeker_sign_up_by_phone(phone=number, name="王丽", language="zh-hans")


def test_her_number_reaches_the_employer_only_if_she_agrees(client, live):
    staff = make_user(role=Role.EMPLOYER)
    EmployerMembership.objects.create(employer=live.employer, user=staff, role="owner")
    seeker = phone_seeker()
    client.force_login(seeker)
    page = client.get(reverse("seeker:apply", args=[live.pk])).content.decode()
    assert NUMBER in page and 'name="share_phone"' in page
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    application = Application.objects.get()
    assert application.contact_phone == ""
    client.force_login(staff)
    detail = client.get(reverse("employers:application_detail", args=[application.pk]))
    assert NUMBER not in detail.content.decode()
    export = client.get(reverse("employers:application_export", args=[live.pk, "csv"]))
    assert NUMBER.encode() not in export.content

    other = phone_seeker("13900000005")
    client.force_login(other)
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": "", "share_phone": "on"})
    shared = Application.objects.get(seeker=other)
    assert shared.contact_phone == "13900000005"
    client.force_login(staff)
    detail = client.get(reverse("employers:application_detail", args=[shared.pk])).content
    assert b'href="tel:13900000005"' in detail


def test_an_interview_reaches_her_by_sms_with_time_place_and_link(
    client, live, sms_outbox, django_capture_on_commit_callbacks
):
    seeker = phone_seeker()
    client.force_login(seeker)
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    application = Application.objects.get()
    when = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_set_status(
            application=application,
            status=ApplicationStatus.INTERVIEW,
            by=None,
            interview_at=when,
            interview_place="香港中路1号",
        )
    message = sms_outbox[-1]
    assert message.to == "+86" + NUMBER and message.template == "application_status"
    assert "香港中路1号" in message.text
    assert timezone.localtime(when).strftime("%H:%M") in message.text
    assert reverse("seeker:applications") in message.text
    assert not mail.outbox


def test_english_speakers_get_english_sms(
    client, live, sms_outbox, django_capture_on_commit_callbacks
):
    seeker = phone_seeker()
    seeker.language = "en"
    seeker.save()
    client.force_login(seeker)
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    with django_capture_on_commit_callbacks(execute=True):
        services.application_set_status(
            application=Application.objects.get(),
            status=ApplicationStatus.VIEWED,
            by=None,
        )
    text = sms_outbox[-1].text
    assert "Viewed" in text or "viewed" in text
    assert not re.search(
        r"[\u4e00-\u9fff]", text.replace(live.title, "").replace(live.employer.name, "")
    )


def test_email_updates_link_to_my_applications(client, live, django_capture_on_commit_callbacks):
    seeker = make_seeker()
    seeker.email_verified_at = timezone.now()
    seeker.save()
    client.force_login(seeker)
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_set_status(
            application=Application.objects.get(), status=ApplicationStatus.VIEWED, by=None
        )
    assert mail.outbox[0].to == [seeker.email]
    assert reverse("seeker:applications") in mail.outbox[0].body


def test_she_chooses_where_updates_go(client):
    seeker = make_seeker()
    client.force_login(seeker)
    page = client.get(reverse("users:profile")).content.decode()
    assert 'name="notify_by"' in page
    refused = client.post(reverse("users:profile"), {"name": "王丽", "notify_by": "sms"})
    assert "请先添加并验证手机号码" in refused.content.decode()
    seeker.refresh_from_db()
    assert seeker.notify_by == Notify.EMAIL


def test_withdraw_asks_first_tells_the_employer_and_she_may_apply_again(
    client, live, django_capture_on_commit_callbacks
):
    staff = make_user(role=Role.EMPLOYER)
    EmployerMembership.objects.create(employer=live.employer, user=staff, role="owner")
    seeker = phone_seeker()
    client.force_login(seeker)
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    application = Application.objects.get()
    url = reverse("seeker:withdraw", args=[application.pk])
    page = client.get(url).content.decode()
    assert "确定撤回" in page and "重新申请" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED  # looking is not withdrawing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "撤回" in mail.outbox[0].subject
    listing = client.get(reverse("seeker:applications")).content.decode()
    assert "重新申请" in listing
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": "again"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.note == "again"
    assert Application.objects.count() == 1


def test_another_seeker_cannot_see_or_withdraw_her_application(client, live):
    seeker = phone_seeker()
    client.force_login(seeker)
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    application = Application.objects.get()
    client.force_login(phone_seeker("13900000007"))
    url = reverse("seeker:withdraw", args=[application.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


# -- an email account adds a number --------------------------------------------------------------


def test_an_email_account_adds_a_number(client, sms_outbox, django_capture_on_commit_callbacks):
    seeker = make_seeker()
    client.force_login(seeker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("users:phone_add"), {"phone": "138 1234 5678"})
    assert response.url == reverse("users:phone_code")
    send_code(client, last_code(sms_outbox))
    seeker.refresh_from_db()
    assert seeker.phone == NUMBER and seeker.phone_verified_at


def test_a_number_belongs_to_one_account(client, sms_outbox, django_capture_on_commit_callbacks):
    phone_seeker()
    seeker = make_seeker()
    client.force_login(seeker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("users:phone_add"), {"phone": NUMBER})
    response = send_code(client, last_code(sms_outbox))
    seeker.refresh_from_db()
    assert seeker.phone is None
    assert "另一个账户" in client.get(response.url).content.decode()


# -- privacy --------------------------------------------------------------------------------------


def test_her_number_is_in_her_data_and_gone_with_her_account(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    seeker = phone_seeker()
    client.force_login(seeker)
    archive = zipfile.ZipFile(BytesIO(client.get(reverse("users:my_data")).content))
    data = json.loads(archive.read("my-data.json"))
    assert data["account"]["phone"] == NUMBER
    # No password: deleting is confirmed with a code sent to her number.
    page = client.get(reverse("users:delete_account")).content.decode()
    assert 'name="password"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("users:delete_account"), {"send": "1"})
    wrong = client.post(
        reverse("users:delete_account"),
        {"code": "000000" if last_code(sms_outbox) != "000000" else "111111"},
    )
    assert User.objects.filter(pk=seeker.pk).exists() and "不正确" in wrong.content.decode()
    client.post(reverse("users:delete_account"), {"code": last_code(sms_outbox)})
    assert not User.objects.filter(phone=NUMBER).exists()
    assert not SeekerProfile.objects.filter(phone=NUMBER).exists()


# -- "save my hours" and "subscribe to this search" keep where she was -------------------------


SEARCH = "region=370200&hours=school"


def test_save_my_hours_from_a_search_survives_signing_up(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    results = client.get(reverse("job_list") + "?" + SEARCH).content.decode()
    save_url = reverse("save_hours") + "?query="
    assert save_url in results
    link = re.search(r'href="(' + re.escape(save_url) + r'[^"]+)"', results).group(1)
    link = link.replace("&amp;", "&")
    to_login = client.get(link)
    assert to_login.status_code == 302 and "next=" in to_login.url
    with django_capture_on_commit_callbacks(execute=True):
        start(client, sign_up=True, next_url=link)
    back_here = send_code(client, last_code(sms_outbox))
    assert back_here.url == link
    page = client.get(link).content.decode()
    assert "周一至周五" in page
    saved = client.post(reverse("save_hours"), {"query": SEARCH})
    assert saved.url == reverse("job_list") + "?" + SEARCH
    profile = SeekerProfile.objects.get(user__phone=NUMBER)
    assert profile.free_windows and all(w["days"] == [1, 2, 3, 4, 5] for w in profile.free_windows)
    # Her hours are now the "my hours" preset; the save link no longer shows for them.
    again = client.get(reverse("job_list") + "?" + SEARCH).content.decode()
    assert save_url not in again


def test_save_hours_without_hours_in_the_search_goes_back(client):
    client.force_login(make_seeker())
    response = client.get(reverse("save_hours") + "?query=region%3D370200")
    assert response.url == reverse("job_list") + "?region=370200"


def test_subscribing_from_a_search_without_an_email_finishes_on_the_form(client):
    client.force_login(phone_seeker())
    response = client.post(reverse("subscribe:from_search"), {"query": SEARCH})
    assert response.url.startswith(reverse("subscribe:form") + "?")
    assert "region=370200" in response.url and "email=" not in response.url


@pytest.mark.parametrize("event", ["closed", "taken_down"])
def test_a_closed_or_taken_down_post_reaches_her_by_sms(
    client, live, sms_outbox, django_capture_on_commit_callbacks, event
):
    seeker = phone_seeker()
    client.force_login(seeker)
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    with django_capture_on_commit_callbacks(execute=True):
        if event == "closed":
            services.posting_close(posting=live, by=None, reason="已招满")
        else:
            services.posting_take_down(posting=live, by=None, reason="要求交押金")
    message = sms_outbox[-1]
    assert message.template == f"posting_{event}" and live.title in message.text
    assert ("已结束招聘" if event == "closed" else "要求交押金") in message.text


def test_a_message_from_the_employer_reaches_her_by_sms(
    client, live, sms_outbox, django_capture_on_commit_callbacks
):
    seeker = phone_seeker()
    client.force_login(seeker)
    client.post(reverse("seeker:apply", args=[live.pk]), {"note": ""})
    with django_capture_on_commit_callbacks(execute=True):
        services.application_send_message(
            application=Application.objects.get(), by=None, message="请周三上午来电"
        )
    message = sms_outbox[-1]
    assert message.template == "application_message" and "请周三上午来电" in message.text
