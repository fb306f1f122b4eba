import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from directory.access import get_phase_for_staff
from employers.access import (
    get_application_for_employer_user,
    get_application_for_seeker,
    get_posting_for_user,
)
from employers.models import Application
from momjobs.users.models import Role, User
from tests.factories import PASSWORD, make_phase, make_posting
from tests.helpers import give_device, sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["seeker_a", "employer_a_staff", "bureau_inside", "admin"])
def test_every_role_signs_in_and_out(client, personas, persona):
    user = getattr(personas, persona)
    if persona in ("bureau_inside", "admin"):
        give_device(user)  # two-factor sign-in is required for these roles
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response.url == reverse("users:dashboard")
    dashboard = client.get(reverse("users:dashboard"))
    assert dashboard.status_code == 200
    assert user.get_role_display() in dashboard.content.decode()
    assert client.post(reverse("users:logout")).status_code == 302
    assert client.get(reverse("users:dashboard")).status_code == 302


def test_wrong_password_gives_a_clear_error(client, personas):
    response = client.post(
        reverse("users:login"), {"username": personas.seeker_a.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "邮箱或密码不正确" in response.content.decode()


def test_email_is_case_insensitive_at_creation():
    user = User.objects.create_user(email="Mixed.Case@Example.TEST", password=PASSWORD)
    assert user.email == "mixed.case@example.test"


def test_password_reset_end_to_end(client, personas, mailoutbox):
    user = personas.seeker_a
    response = client.post(reverse("users:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/\S+/)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new_password = "a-brand-new-passphrase-2026"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert client.login(email=user.email, password=new_password)


def test_unknown_address_reset_sends_nothing_and_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("users:password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mailoutbox == []


# -- access helpers: outsiders get 404, other roles 403 ----------------------------------------


def test_posting_helper_scopes_to_the_employer(personas):
    posting = make_posting(personas.employer_a)
    assert get_posting_for_user(personas.employer_a_staff, posting.pk) == posting
    personas.employer_b  # noqa: B018 - creates employer B and its staff membership
    with pytest.raises(Http404):
        get_posting_for_user(personas.employer_b_staff, posting.pk)
    with pytest.raises(PermissionDenied):
        get_posting_for_user(personas.seeker_a, posting.pk)
    with pytest.raises(PermissionDenied):
        get_posting_for_user(personas.bureau_inside, posting.pk)


def test_application_helpers(personas):
    posting = make_posting(personas.employer_a)
    application = Application.objects.create(posting=posting, seeker=personas.seeker_a)
    assert get_application_for_seeker(personas.seeker_a, application.pk) == application
    with pytest.raises(Http404):
        get_application_for_seeker(personas.seeker_b, application.pk)
    assert get_application_for_employer_user(personas.employer_a_staff, application.pk)
    personas.employer_b  # noqa: B018
    with pytest.raises(Http404):
        get_application_for_employer_user(personas.employer_b_staff, application.pk)


def test_phase_helper_respects_jurisdiction(personas):
    phase = make_phase(personas.qingdao)
    personas.linyi  # noqa: B018
    assert get_phase_for_staff(personas.bureau_inside, phase.pk) == phase
    with pytest.raises(Http404):
        get_phase_for_staff(personas.bureau_outside, phase.pk)
    with pytest.raises(PermissionDenied):
        get_phase_for_staff(personas.seeker_a, phase.pk)


def test_roles_are_explicit():
    assert {choice for choice, _ in Role.choices} == {"seeker", "employer", "bureau", "admin"}
