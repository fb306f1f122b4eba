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


def idle_timeout_applies(user):
    """Bureau staff and admins: their sessions end after STAFF_IDLE_TIMEOUT without a request."""
    return user.is_authenticated and (
        user.role in settings.TWO_FACTOR_REQUIRED_ROLES or user.is_superuser
    )


class StaffIdleTimeoutMiddleware:
    """Every request of a bureau officer or admin restarts a 30-minute clock (the session's own
    expiry, so it holds in every process and across restarts); a shared office computer left
    signed in is signed out by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and idle_timeout_applies(user):
            request.session.set_expiry(settings.STAFF_IDLE_TIMEOUT)
        return self.get_response(request)


# -- recovery codes: for the day the phone with the authenticator app is lost --------------------

RECOVERY_CODE_COUNT = 10


def _recovery_digest(code):
    from .codes import keyed_hash

    return keyed_hash("".join(ch for ch in str(code).lower() if ch.isalnum()))


def issue_recovery_codes(user):
    """New codes replace all earlier ones; the plain codes are returned once and never stored."""
    import secrets

    from django.db import transaction

    from .models import RecoveryCode

    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    codes = [
        "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(2))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_recovery_digest(code)) for code in codes
        )
    return codes


def use_recovery_code(user, code):
    """True, and the code is spent, when it is one of her unused codes."""
    from django.utils import timezone

    from .models import RecoveryCode

    return bool(
        RecoveryCode.objects.filter(
            user=user, code_hash=_recovery_digest(code), used_at__isnull=True
        ).update(used_at=timezone.now())
    )


def recovery_codes_left(user):
    from .models import RecoveryCode

    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
