"""How long subscribers' data is kept (docs/privacy.md), applied by a daily task."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from directory.models import Subscription


@transaction.atomic
def subscriptions_purge(now=None):
    """Retention (docs/privacy.md): a subscription never confirmed is deleted
    UNCONFIRMED_SUBSCRIPTION_DAYS after it was asked for; an unsubscribed one keeps nothing about
    the person UNSUBSCRIBED_RETENTION_DAYS after unsubscribing (the row stays, without address
    or filters, so past digest counts still add up). Idempotent."""
    now = now or timezone.now()
    unconfirmed = Subscription.objects.filter(
        confirmed_at__isnull=True,
        created_at__lt=now - timedelta(days=settings.UNCONFIRMED_SUBSCRIPTION_DAYS),
    )
    deleted = unconfirmed.delete()[0]
    cleared = (
        Subscription.objects.filter(
            unsubscribed_at__lt=now - timedelta(days=settings.UNSUBSCRIBED_RETENTION_DAYS)
        )
        .exclude(email="")
        .update(
            email="",
            sector="",
            work_form="",
            pay_min_hourly=None,
            contract="",
            insurance="",
            school_run=False,
            weekends_off=False,
            fits="",
            fits_mask=None,
        )
    )
    return {"deleted": deleted, "cleared": cleared}
