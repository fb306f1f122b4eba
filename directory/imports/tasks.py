"""The import's Celery task, and queueing it (the job fails plainly when the broker is down)."""

import logging

from celery import shared_task
from django.utils.translation import gettext as _

from directory.imports.jobs import fail, file_error, process_job

logger = logging.getLogger(__name__)


def enqueue(job_id):
    try:
        run_import.delay(job_id)
    except Exception:
        # The broker is down: say so on the job page instead of leaving it queued forever.
        logger.exception("import %s could not be queued", job_id)
        fail(
            job_id,
            [file_error(_("后台检查服务暂时不可用，表格没有导入。请稍后重新上传。"))],
            {},
        )


@shared_task(name="directory.run_import", acks_late=True)
def run_import(job_id):
    phase = process_job(job_id)
    return phase.pk if phase else None
