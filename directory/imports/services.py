"""Starting an import: the upload is stored and its check queued."""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation

from directory.imports.tasks import enqueue
from directory.models import (
    ImportJob,
)

logger = logging.getLogger(__name__)


def import_start(*, catalog, title, default_sector, upload, by):
    """Store the upload (private storage) and queue its check once the job row is committed."""
    with transaction.atomic():
        job = ImportJob(
            bureau=catalog.bureau,
            catalog=catalog,
            phase_title=title,
            uploaded_by=by,
            original_name=(upload.name or "")[-200:],
            size=upload.size,
            summary={
                "options": {
                    "default_sector": default_sector,
                    "language": translation.get_language() or settings.LANGUAGE_CODE,
                },
                "stage": "queued",
            },
        )
        extension = Path(upload.name or "").suffix.lower()
        job.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
        job.save()
        transaction.on_commit(lambda: enqueue(job.pk))
    return job
