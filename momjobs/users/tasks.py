"""Retention of accounts (docs/privacy.md): accounts nobody ever confirmed are deleted after
UNCONFIRMED_ACCOUNT_DAYS; records of expired sessions are forgotten."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import sessions, throttle
from .models import Role, User
from .services import seeker_delete


@shared_task(name="users.purge_unconfirmed_accounts")
def purge_unconfirmed_accounts():
    """Seekers' accounts whose email was never confirmed (and that have no confirmed number)
    are deleted, with everything attached, like a deletion she asked for. Idempotent."""
    cutoff = timezone.now() - timedelta(days=settings.UNCONFIRMED_ACCOUNT_DAYS)
    stale = User.objects.filter(
        role=Role.SEEKER,
        email_verified_at__isnull=True,
        phone_verified_at__isnull=True,
        date_joined__lt=cutoff,
    )
    count = 0
    for user in stale.iterator():
        seeker_delete(user=user)
        count += 1
    return {
        "accounts": count,
        "session_records": sessions.sweep_records(),
        "sign_in_failures": throttle.sweep(),
    }
