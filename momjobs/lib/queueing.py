"""Queue a task, or do it here when the broker cannot be reached.

Emails after a sign-up, a subscription or an application are queued after the commit. While
Redis is down, queuing raises after the data is saved: the person would get an error page for
something that was done, and the mail would be lost. Instead the task runs in this process (the
mail goes out a second later than usual) and the outage is logged. docs/architecture.md,
"When Redis is down".
"""

import logging

log = logging.getLogger(__name__)


def enqueue_or_run(task, *args, **kwargs):
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:  # the broker's errors vary by transport
        log.warning("broker unavailable: running %s in this process", task.name, exc_info=True)
        try:
            task(*args, **kwargs)
        except Exception:
            # What was saved stays saved; the failure is in the log for the operators.
            log.exception("%s failed while the broker was unavailable", task.name)
