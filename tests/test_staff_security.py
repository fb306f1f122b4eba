"""Staff accounts: 12-character passwords, 30-minute idle sessions for bureau staff and admins,
recovery codes for a lost authenticator (issued by an admin, written to the audit log)."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse

from directory.models import AuditAction, AuditEntry
from momjobs.users import twofactor
from momjobs.users.models import RecoveryCode, Role, User
from tests.factories import PASSWORD
from tests.helpers import give_device, sign_in

pytestmark = pytest.mark.django_db
ELEVEN = "Qz7-kettle!"  # 11 characters, otherwise a fine password


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.BUREAU, Role.ADMIN])
def test_staff_passwords_need_twelve_characters(role):
    with pytest.raises(ValidationError) as caught:
        password_validation.validate_password(ELEVEN, User(email="x@example.test", role=role))
    assert any(e.code == "password_too_short_for_staff" for e in caught.value.error_list)
    password_validation.validate_password(ELEVEN + "x", User(email="x@example.test", role=role))


def test_seekers_keep_eight_characters():
    password_validation.validate_password(ELEVEN, User(email="x@example.test", role=Role.SEEKER))


def test_employer_registration_refuses_a_short_password(client):
    response = client.post(
        reverse("employers:register"),
        {"email": "boss@example.test", "password1": ELEVEN, "password2": ELEVEN},
    )
    assert "至少需要12个字符" in response.content.decode()
    assert not User.objects.filter(email="boss@example.test").exists()


@pytest.mark.parametrize(
    ("persona", "idle"),
    [("bureau_inside", 1800), ("admin", 1800), ("employer_a_staff", None), ("seeker_a", None)],
)
def test_bureau_and_admin_sessions_end_after_thirty_idle_minutes(client, personas, persona, idle):
    user = getattr(personas, persona)
    give_device(user)
    sign_in(client, user)
    client.get(reverse("users:dashboard"))
    expiry = client.session.get("_session_expiry")
    assert expiry == idle
    if idle:
        assert client.session.get_expiry_age() == 1800


def test_a_recovery_code_signs_in_once(client, personas):
    personas.qingdao  # noqa: B018 - her bureau
    officer = personas.bureau_inside
    give_device(officer)
    codes = twofactor.issue_recovery_codes(officer)
    assert len(codes) == 10 and not RecoveryCode.objects.filter(code_hash__in=codes).exists()
    client.post(reverse("users:login"), {"username": officer.email, "password": PASSWORD})
    response = client.post(reverse("users:two_factor_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("bureau:phase_list")).status_code == 200
    assert twofactor.recovery_codes_left(officer) == 9
    client.logout()
    client.post(reverse("users:login"), {"username": officer.email, "password": PASSWORD})
    again = client.post(reverse("users:two_factor_verify"), {"code": codes[0]})
    assert again.status_code == 200 and "验证码不正确" in again.content.decode()


def test_an_admin_issues_new_codes_and_the_audit_log_says_so(client, personas):
    personas.qingdao  # noqa: B018 - her bureau
    officer = personas.bureau_inside
    give_device(officer)
    old = twofactor.issue_recovery_codes(officer)
    admin = personas.admin
    give_device(admin)
    sign_in(client, admin)
    response = client.post(
        reverse("admin:users_user_changelist"),
        {"action": "issue_recovery_codes", "_selected_action": [officer.pk]},
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.count("<code>") == 10
    assert not twofactor.use_recovery_code(officer, old[0])  # the old ones are void
    entry = AuditEntry.objects.get(action=AuditAction.RECOVERY_CODES)
    assert entry.object_id == str(officer.pk) and entry.actor == admin
    assert entry.bureau == officer.bureau_memberships.get().bureau
    # A bureau officer cannot reach the action.
    client.logout()
    other = personas.bureau_outside
    give_device(other)
    sign_in(client, other)
    refused = client.post(
        reverse("admin:users_user_changelist"),
        {"action": "issue_recovery_codes", "_selected_action": [officer.pk]},
    )
    assert refused.status_code in (302, 403)
    assert AuditEntry.objects.filter(action=AuditAction.RECOVERY_CODES).count() == 1


def test_codes_are_shown_once_after_setup_and_can_be_renewed(client, personas):
    user = personas.employer_a_staff
    give_device(user)
    sign_in(client, user)
    first = client.post(reverse("users:recovery_codes")).content.decode()
    second = client.post(reverse("users:recovery_codes")).content.decode()
    assert first.count("<code>") == second.count("<code>") == 10
    assert first != second
    assert RecoveryCode.objects.filter(user=user).count() == 10
