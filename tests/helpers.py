import pyotp
from django.urls import reverse

from momjobs.users.models import TOTPDevice
from tests.factories import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_device(user, secret=SECRET):
    return TOTPDevice.objects.create(user=user, secret=secret)


def sign_in(client, user, *, password=PASSWORD, secret=SECRET):
    """The whole sign-in as a person does it, with the code step where the user has a device."""
    response = client.post(reverse("users:login"), {"username": user.email, "password": password})
    if response.status_code == 302 and response.url == reverse("users:two_factor_verify"):
        response = client.post(
            reverse("users:two_factor_verify"), {"code": pyotp.TOTP(secret).now()}
        )
    return response


def force_login_verified(client, user):
    """Signed in with the second factor already given (for tests about what comes after)."""
    client.force_login(user)
    session = client.session
    session["2fa_verified"] = True
    session.save()


def status_for(params):
    """200, or 400 when a NUL is anywhere in the query (refused up front: momjobs/lib/hostile.py)."""
    text = "".join(
        str(k) + "".join(map(str, v if isinstance(v, list | tuple) else [v]))
        for k, v in params.items()
    )
    return 400 if "\x00" in text else 200
