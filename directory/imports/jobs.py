"""An ImportJob's run: read, check, save, keeping its progress and its error report."""

import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.imports.checker import check_table
from directory.imports.reader import MAX_STORED_ERRORS, FileError, read_table
from directory.imports.save import discard_file, save_checked, summary_of
from directory.models import (
    ImportJob,
    ImportStatus,
)
from employers.choices import Sector

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Jobs


def file_error(message):
    return {"row": None, "column": "", "letter": "", "message": str(message)}


def fail(job_id, errors, summary):
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED,
        errors=errors[:MAX_STORED_ERRORS],
        finished_at=timezone.now(),
    )
    job = ImportJob.objects.get(pk=job_id)
    job.summary = {
        **job.summary,
        **summary,
        "stage": "failed",
        "error_count": len(errors),
        "errors_truncated": len(errors) > MAX_STORED_ERRORS,
    }
    job.save(update_fields=["summary"])
    discard_file(job_id)


def _progress(job_id):
    def report(done):
        ImportJob.objects.filter(pk=job_id).update(rows_done=done)

    return report


def process_job(job_id):
    """Read, check and (all rows passing) save one ImportJob. Safe to run twice."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    ).update(status=ImportStatus.RUNNING, started_at=timezone.now(), rows_done=0)
    if not claimed:
        return None
    job = ImportJob.objects.select_related("bureau__jurisdiction", "catalog").get(pk=job_id)
    options = job.summary.get("options", {})
    with translation.override(options.get("language") or settings.LANGUAGE_CODE):
        try:
            return _process(job, options)
        except Exception:
            logger.exception("import %s failed", job_id)
            fail(
                job_id,
                [file_error(_("检查表格时出现内部错误，没有导入任何数据。请联系系统管理员。"))],
                {},
            )
            return None


def _process(job, options):
    try:
        if not job.file:
            raise FileError(_("上传的文件已不存在，请重新上传。"))
        with job.file.open("rb") as handle:
            data = handle.read(settings.IMPORT_MAX_BYTES + 1)
        table = read_table(data, job.original_name)
    except FileError as error:
        fail(job.pk, [file_error(error.args[0])], {})
        return None
    except OSError:
        fail(job.pk, [file_error(_("上传的文件已不存在，请重新上传。"))], {})
        return None
    ImportJob.objects.filter(pk=job.pk).update(
        rows_total=len(table.rows), summary={**job.summary, "stage": "checking"}
    )
    sector = options.get("default_sector")
    checked = check_table(
        table,
        bureau=job.bureau,
        default_sector=sector if sector in Sector.values else Sector.OTHER,
        progress=_progress(job.pk),
    )
    if not checked.ok:
        fail(
            job.pk,
            checked.errors,
            {**summary_of(checked), "rows_with_errors": checked.rows_with_errors},
        )
        return None
    ImportJob.objects.filter(pk=job.pk).update(
        rows_done=len(table.rows), summary={**job.summary, "stage": "saving"}
    )
    return save_checked(checked, job=job)
