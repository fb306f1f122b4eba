import re
import time

import pyotp
import pytest
from django.urls import reverse

from momjobs.users import twofactor
from momjobs.users.models import TOTPDevice
from tests.factories import PASSWORD
from tests.helpers import SECRET, give_device, sign_in

pytestmark = pytest.mark.django_db

PAGES = ["/", "/en/", "/phases/", "/jobs/", "/accounts/login/", "/accounts/password-reset/"]


# -- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_csp_with_nonce_and_no_unsafe_script(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'nonce-" in script
    assert "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_without_the_nonce(client):
    response = client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    for tag in re.findall(r"<script[^>]*>", response.content.decode()):
        assert "src=" in tag or f'nonce="{nonce}"' in tag, tag


# -- rate limits ----------------------------------------------------------------------------------


def test_sign_in_failures_are_refused_after_the_limit(client, personas, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = personas.seeker_a
    for _ in range(3):
        response = client.post(reverse("users:login"), {"username": user.email, "password": "x"})
        assert response.status_code == 200
    refused = client.post(reverse("users:login"), {"username": user.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert "分钟后再试" in refused.content.decode()


def test_failures_on_one_account_lock_it_from_other_addresses(client, personas, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    user = personas.seeker_a
    for n in range(2):
        client.post(
            reverse("users:login"),
            {"username": user.email, "password": "x"},
            REMOTE_ADDR=f"10.0.0.{n}",
        )
    refused = client.post(
        reverse("users:login"),
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert refused.status_code == 429


def test_another_account_is_not_locked_by_someone_elses_failures(client, personas, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(
            reverse("users:login"),
            {"username": personas.seeker_a.email, "password": "x"},
            REMOTE_ADDR="10.0.0.1",
        )
    ok = client.post(
        reverse("users:login"),
        {"username": personas.seeker_b.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert ok.status_code == 302


def test_password_reset_is_rate_limited(client, personas, mailoutbox):
    for _ in range(5):
        assert (
            client.post(
                reverse("users:password_reset"), {"email": personas.seeker_a.email}
            ).status_code
            == 302
        )
    assert (
        client.post(reverse("users:password_reset"), {"email": personas.seeker_a.email}).status_code
        == 429
    )
    assert len(mailoutbox) == 5


# -- two-factor sign-in -----------------------------------------------------------------------------


def test_bureau_staff_without_a_device_are_confined_to_setup(client, personas):
    personas.qingdao  # noqa: B018
    response = sign_in(client, personas.bureau_inside)
    assert response.status_code == 302
    assert client.get(reverse("users:dashboard")).url == reverse("users:two_factor_setup")
    assert client.get("/admin/").status_code == 302
    # Public pages too: a staff session without the second factor is not a staff session.
    assert client.get("/phases/").url == reverse("users:two_factor_setup")


def test_setting_up_a_device_unlocks_the_account(client, personas):
    user = personas.admin
    sign_in(client, user)
    page = client.get(reverse("users:two_factor_setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    secret = client.session["2fa_new_secret"]
    wrong = client.post(reverse("users:two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    done = client.post(reverse("users:two_factor_setup"), {"code": pyotp.TOTP(secret).now()})
    # The recovery codes are shown once, on the answer to the code.
    assert done.status_code == 200
    assert done.content.decode().count("<code>") == twofactor.RECOVERY_CODE_COUNT
    assert TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/admin/").status_code == 200


def test_sign_in_with_a_device_needs_the_code(client, personas):
    user = personas.employer_a_staff
    give_device(user)
    response = client.post(reverse("users:login"), {"username": user.email, "password": PASSWORD})
    assert response.url == reverse("users:two_factor_verify")
    # Not signed in yet.
    assert client.get(reverse("users:dashboard")).status_code == 302
    wrong = client.post(reverse("users:two_factor_verify"), {"code": "123456"})
    assert wrong.status_code == 200
    right = client.post(reverse("users:two_factor_verify"), {"code": pyotp.TOTP(SECRET).now()})
    assert right.status_code == 302
    assert client.get(reverse("users:dashboard")).status_code == 200


def test_a_code_cannot_be_replayed(personas):
    device = give_device(personas.employer_a_staff)
    code = pyotp.TOTP(SECRET).now()
    assert device.verify(code)
    assert not device.verify(code)


def test_an_old_code_is_refused(personas):
    device = give_device(personas.employer_a_staff)
    old = pyotp.TOTP(SECRET).at(time.time() - 300)
    assert not device.verify(old)


def test_required_roles_replace_rather_than_disable_2fa(client, personas):
    user = personas.bureau_inside
    give_device(user)
    sign_in(client, user)
    response = client.post(reverse("users:two_factor_disable"))
    # The old authenticator stops working and she is held on the setup page until a new one
    # is confirmed: a required role is never without 2FA.
    assert response.url == reverse("users:two_factor_setup")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(reverse("bureau:phase_list")).url == reverse("users:two_factor_setup")


def test_optional_roles_can_disable_2fa(client, personas):
    user = personas.employer_a_staff
    give_device(user)
    sign_in(client, user)
    client.post(reverse("users:two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_admin_login_goes_through_the_portal_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("users:login"))


def test_rate_limit_keys_are_short_whatever_was_typed():
    """Sign-in counts failures per typed address: anything, of any length, in the cache key."""
    from momjobs.lib import ratelimit

    long_key, _ = ratelimit._window_key("login", "x" * 5000 + "\x00\U0010ffff", 60)
    assert len(long_key) < 80 and long_key.isascii() and " " not in long_key
    same, _ = ratelimit._window_key("login", "x" * 5000 + "\x00\U0010ffff", 60)
    other, _ = ratelimit._window_key("login", "x" * 5001, 60)
    assert same == long_key != other


def test_a_stranger_slows_an_account_but_cannot_lock_it_and_the_holder_is_told(
    client, personas, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.db.models import F

    from momjobs.users.models import SignInFailure

    settings.LOGIN_FAILURE_LIMIT = 3
    officer = personas.bureau_inside
    url = reverse("users:login")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            client.post(
                url, {"username": officer.email, "password": "x"}, REMOTE_ADDR=f"10.0.0.{n}"
            )
    # The holder is emailed once, at the limit.
    [note] = [m for m in mailoutbox if m.to == [officer.email]]
    assert "登录失败" in note.subject and "/accounts/password-reset/" in note.body
    slowed = client.post(url, {"username": officer.email, "password": PASSWORD})
    assert slowed.status_code == 429 and int(slowed["Retry-After"]) <= 30
    # Half a minute later the next try is allowed (a slowdown, not a lock).
    SignInFailure.objects.update(at=F("at") - timedelta(seconds=31))
    assert client.post(url, {"username": officer.email, "password": PASSWORD}).status_code == 302
    assert not SignInFailure.objects.exists()  # success clears the count


def test_one_busy_address_does_not_lock_a_whole_office(client, personas, settings):
    """Failures on several accounts from one shared address: far more than one account's limit
    before the address itself is refused."""
    settings.LOGIN_FAILURE_LIMIT = 2
    url = reverse("users:login")
    for n in range(10):
        client.post(url, {"username": f"someone{n}@example.test", "password": "x"})
    ok = client.post(url, {"username": personas.seeker_a.email, "password": PASSWORD})
    assert ok.status_code == 302
