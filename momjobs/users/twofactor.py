"""Two-factor sign-in with an authenticator app (TOTP).

Sign-in is two steps when a user has a device: the password step stores the user's id in the
session (not logged in yet), the code step logs her in. Roles in TWO_FACTOR_REQUIRED_ROLES who
have no device are logged in but confined to the setup page until they add one.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

SESSION_VERIFIED = "2fa_verified"
SESSION_PENDING = "2fa_pending_user"
SESSION_NEW_SECRET = "2fa_new_secret"  # noqa: S105 - a session key, not a secret


def required_for(user):
    return user.is_authenticated and (
        user.role in settings.TWO_FACTOR_REQUIRED_ROLES or user.is_superuser
    )


def has_device(user):
    from .models import TOTPDevice

    return TOTPDevice.objects.filter(user=user).exists()


class TwoFactorRequiredMiddleware:
    """Bureau staff and admins reach nothing but the 2FA setup page until they have verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and required_for(user) and not request.session.get(SESSION_VERIFIED):
            allowed = {
                reverse("users:two_factor_setup"),
                reverse("users:logout"),
            }
            path = request.path_info
            stripped = path[3:] if path.startswith("/en/") else path
            if path not in allowed and stripped not in allowed and not _exempt(path):
                return redirect("users:two_factor_setup")
        return self.get_response(request)


def _exempt(path):
    return path.startswith(settings.STATIC_URL) or path == "/healthz"
