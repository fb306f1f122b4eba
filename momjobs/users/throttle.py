"""Failed sign-ins per account: slow, not locked, and the holder is told.

Counted in PostgreSQL, so the throttle holds while Redis is down (it protects bureau officers and
admins above all). After LOGIN_FAILURE_LIMIT failures within LOGIN_FAILURE_PERIOD, each further try
must wait longer (30 s, 1 min, 2 min … at most the period) after the last failure; a stranger can
make the holder wait a little, never lock her out for good, and guessing becomes very slow. At the
limit, the account holder is emailed once per period. The per-address limit (Redis) is separate.
"""

import hashlib
import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from momjobs.lib.links import absolute_url
from momjobs.lib.tasks import queue_email

from .models import SignInFailure, User

FIRST_WAIT = 30  # seconds, doubled with each failure beyond the limit


def _key(email):
    typed = (email or "").strip().lower()[:254]
    return hashlib.sha256(typed.encode("utf-8", "surrogatepass")).hexdigest()


def _recent(email):
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_PERIOD)
    return SignInFailure.objects.filter(account=_key(email), at__gte=since)


def wait_seconds(email):
    """How long this account must wait before the next try (0: go ahead)."""
    if not settings.RATE_LIMITS_ENABLED or not email:
        return 0
    recent = _recent(email)
    failures = recent.count()
    if failures < settings.LOGIN_FAILURE_LIMIT:
        return 0
    delay = min(
        FIRST_WAIT * 2 ** (failures - settings.LOGIN_FAILURE_LIMIT),
        settings.LOGIN_FAILURE_PERIOD,
    )
    last = recent.order_by("-at").values_list("at", flat=True).first()
    remaining = (last + timedelta(seconds=delay) - timezone.now()).total_seconds()
    return max(0, math.ceil(remaining))


def record_failure(email):
    if not email:
        return
    SignInFailure.objects.create(account=_key(email))
    if _recent(email).count() == settings.LOGIN_FAILURE_LIMIT:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is not None and user.email:
            queue_email(
                to=user.email,
                template="sign_in_failures",
                context={
                    "count": settings.LOGIN_FAILURE_LIMIT,
                    "reset_url": absolute_url("/accounts/password-reset/"),
                },
                language=user.language,
            )


def reset(email):
    SignInFailure.objects.filter(account=_key(email)).delete()


def sweep():
    """Forget failures older than the period (the daily account task calls this)."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_PERIOD)
    return SignInFailure.objects.filter(at__lt=since).delete()[0]
