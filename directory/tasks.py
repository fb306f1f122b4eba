"""Celery tasks of the directory app: the digest fan-out (directory/digests.py does the work).

Every task here may run twice (acks_late, redelivery after a worker dies): its effect may not.
"""

from celery import shared_task

from . import digests


@shared_task(name="directory.relay_outbox")
def relay_outbox(event_id=None):
    if event_id is None:
        return digests.relay_pending_events()
    return digests.relay_event(event_id)


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
    return digests.sweep()


@shared_task(
    name="directory.send_subscription_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
)
def send_subscription_email(subscription_id, kind):
    digests.send_subscription_email(subscription_id, kind)


# The phase documents' task lives with their rendering; imported here so workers register it.
from .exports import render_phase_documents  # noqa: E402, F401

# The spreadsheet import task lives with its parser (registered here for the worker).
from .imports import run_import  # noqa: E402, F401
