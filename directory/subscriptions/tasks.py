"""The digest fan-out: the outbox relay and the Celery tasks that send (directory/subscriptions/
digests.py builds and sends each digest).

Every task here may run twice (acks_late, redelivery after a worker dies): its effect may not.
"""

import logging

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from directory.models import (
    OUTBOX_PHASE_PUBLISHED,
    DeliveryStatus,
    DigestDelivery,
    OutboxEvent,
    Phase,
)
from directory.subscriptions import digests, retention
from directory.subscriptions.digests import batch_size, lease, matching_subscription_ids

log = logging.getLogger(__name__)


@shared_task(name="directory.relay_outbox")
def relay_outbox(event_id=None):
    if event_id is None:
        return relay_pending_events()
    return relay_event(event_id)


@shared_task(
    name="directory.send_digests",
    bind=True,
    max_retries=5,
    # The whole batch is the unit of work: rows already sent are not claimable again.
    acks_late=True,
)
def send_digests(self, phase_id, subscription_ids):
    try:
        return digests.send_batch(phase_id, subscription_ids)
    except digests.TransientSendError as error:
        # The mail server is unwell: try the rest later (the sweep too, after the lease).
        raise self.retry(countdown=30 * 2**self.request.retries, exc=error) from error


@shared_task(name="directory.sweep_digests")
def sweep_digests():
    return sweep()


@shared_task(
    name="directory.send_subscription_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
)
def send_subscription_email(subscription_id, kind):
    digests.send_subscription_email(subscription_id, kind)


# ---------------------------------------------------------------------------------------------
# Relaying the outbox


def relay_soon():
    """Ask a worker to relay the outbox now. Called after a publish commits; when the broker is
    down this only logs: the OutboxEvent is committed and the beat sweep relays it later.
    """
    from directory.subscriptions.tasks import relay_outbox

    try:
        relay_outbox.apply_async(retry=False)
    except Exception:  # the broker's errors vary by transport
        log.warning("digest relay not queued (broker unavailable); the sweep will relay it")


def relay_pending_events():
    """Relay every unprocessed phase_published event; returns how many were relayed."""
    ids = OutboxEvent.objects.filter(
        kind=OUTBOX_PHASE_PUBLISHED, processed_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(relay_event(event_id) for event_id in list(ids))


def relay_event(event_id):
    """Create the deliveries of one outbox event, a batch per transaction, and queue each
    batch's send task as soon as its transaction commits.

    Each batch locks the event row (SKIP LOCKED: a second relay of the same event, e.g. the
    sweep's, returns at once instead of waiting) and keeps its progress in the event's payload
    (`after`, the last subscription id done), so a relay cut short by a crash carries on where
    it stopped. Why a batch per transaction: with one transaction for all, the first digest of
    a 100,000-subscriber fan-out waited for every batch to be selected.
    Returns 1 if this call finished the event, else 0.
    """
    batches = 0
    while True:
        with transaction.atomic():
            event = (
                OutboxEvent.objects.select_for_update(skip_locked=True)
                .filter(pk=event_id, processed_at__isnull=True)
                .first()
            )
            if event is None:
                return 0
            phase_id = event.payload["phase_id"]
            ids = []
            if Phase.objects.filter(pk=phase_id).exists():
                ids = matching_subscription_ids(phase_id, after=event.payload.get("after", 0))
            if ids:
                now = timezone.now()
                DigestDelivery.objects.bulk_create(
                    [
                        DigestDelivery(
                            subscription_id=sid,
                            phase_id=phase_id,
                            message_id=DigestDelivery.deterministic_message_id(sid, phase_id),
                            claimed_at=now,
                        )
                        for sid in ids
                    ],
                    ignore_conflicts=True,
                    batch_size=batch_size(),
                )
                event.payload = {**event.payload, "after": ids[-1]}
                event.save(update_fields=["payload"])
                transaction.on_commit(lambda p=phase_id, ids=ids: _queue(p, [ids]))
                batches += 1
                continue
            event.processed_at = timezone.now()
            event.attempts += 1
            event.save(update_fields=["processed_at", "attempts"])
        log.info("digest relay: phase %s, %s batches", phase_id, batches)
        return 1


def _queue(phase_id, batches):
    from directory.subscriptions.tasks import send_digests

    for ids in batches:
        try:
            send_digests.apply_async(args=[phase_id, ids], retry=False)
        except Exception:
            # The rows are committed as pending: the sweep re-queues them after the lease.
            log.warning("digest batch not queued for phase %s; the sweep will", phase_id)
            return


def sweep():
    """Relay forgotten outbox events; re-queue deliveries pending or sending past the lease."""
    relayed = relay_pending_events()
    now = timezone.now()
    stale = Q(status=DeliveryStatus.PENDING) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease())
    ) | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - lease())
    requeued = 0
    while True:
        with transaction.atomic():
            rows = list(
                DigestDelivery.objects.select_for_update(skip_locked=True)
                .filter(stale)
                .order_by("phase_id", "subscription_id")
                .values_list("pk", "phase_id", "subscription_id")[: batch_size()]
            )
            if not rows:
                break
            # Back to pending, handed out now: the next sweep leaves them alone for a lease.
            DigestDelivery.objects.filter(pk__in=[r[0] for r in rows]).update(
                status=DeliveryStatus.PENDING, claimed_at=now
            )
            by_phase = {}
            for _pk, phase_id, sid in rows:
                by_phase.setdefault(phase_id, []).append(sid)
            transaction.on_commit(
                lambda by_phase=by_phase: [_queue(p, [ids]) for p, ids in by_phase.items()]
            )
        requeued += len(rows)
    return {"relayed": relayed, "requeued": requeued}


@shared_task(name="directory.purge_subscriptions")
def purge_subscriptions():
    return retention.subscriptions_purge()
