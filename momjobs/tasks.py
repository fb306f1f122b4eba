from celery import shared_task

from . import emails


@shared_task(
    name="momjobs.send_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
)
def send_email(*, to, template, context, language=None):
    emails.send_now(to=to, template=template, context=context, language=language)
