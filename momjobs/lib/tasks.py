"""The cross-cutting Celery tasks: an email built by momjobs/lib/emails.py and a text message
built by momjobs/lib/sms.py, each queued after the transaction that caused it commits (sent
from this process when the broker is down)."""

from celery import shared_task
from django.db import transaction

from momjobs.lib import emails, sms
from momjobs.lib.queueing import enqueue_or_run


@shared_task(
    name="momjobs.send_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
)
def send_email(*, to, template, context, language=None):
    emails.send_now(to=to, template=template, context=context, language=language)


def queue_email(*, to, template, context, language=None):
    """Send after the current transaction commits (immediately when there is none)."""
    payload = {"to": to, "template": template, "context": context, "language": language}
    transaction.on_commit(lambda: enqueue_or_run(send_email, **payload))


@shared_task(
    name="momjobs.send_sms",
    # SmsError: the provider said no or did not answer; OSError: the file transport's disk.
    autoretry_for=(sms.SmsError, OSError),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
)
def send_sms(*, to, template, context, language=None):
    sms.send_now(to=to, template=template, context=context, language=language)


def queue_sms(*, to, template, context, language=None):
    """Send after the current transaction commits (immediately when there is none)."""
    payload = {"to": to, "template": template, "context": context, "language": language}
    transaction.on_commit(lambda: enqueue_or_run(send_sms, **payload))
