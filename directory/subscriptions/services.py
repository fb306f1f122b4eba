"""Subscribing: sign-up (double opt-in), confirmation, unsubscribing."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from directory.models import Subscription
from directory.subscriptions.digests import PREFERENCE_FIELDS
from directory.subscriptions.tasks import send_subscription_email
from momjobs.lib.queueing import enqueue_or_run

DEFAULTS = {
    "language": settings.LANGUAGE_CODE,
    "sector": "",
    "work_form": "",
    "pay_min_hourly": None,
    "contract": "",
    "insurance": "",
    "school_run": False,
    "weekends_off": False,
    "fits": "",
    "fits_mask": None,
}


@transaction.atomic
def subscription_request(*, email, region, preferences, confirmed=False):
    """Sign-up for (email, region). Returns the subscription.

    New or still unconfirmed: saved with these preferences and sent the confirmation (nothing
    else ever goes to an unconfirmed address). Already confirmed: the preferences are NOT
    changed (anyone can type anyone's address) and the owner is mailed her manage link.
    `confirmed=True` is for a signed-in seeker whose address is already verified.
    The page says the same in every case, so it does not tell who is subscribed.
    """

    email = email.strip().lower()
    subscription = (
        Subscription.objects.select_for_update()
        .filter(email=email, region=region, unsubscribed_at__isnull=True)
        .first()
    )
    if subscription is not None and subscription.confirmed_at is not None:
        transaction.on_commit(
            lambda: enqueue_or_run(send_subscription_email, subscription.pk, "exists")
        )
        return subscription
    subscription = subscription or Subscription(email=email, region=region)
    for name in PREFERENCE_FIELDS:
        setattr(subscription, name, preferences.get(name, DEFAULTS.get(name)))
    if confirmed:
        subscription.confirmed_at = timezone.now()
    subscription.save()
    if not confirmed:
        transaction.on_commit(
            lambda: enqueue_or_run(send_subscription_email, subscription.pk, "confirm")
        )
    return subscription


def subscription_confirm(*, subscription):
    Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )


def subscription_unsubscribe(*, subscription):
    """Idempotent: a second click changes nothing."""
    Subscription.objects.filter(pk=subscription.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
