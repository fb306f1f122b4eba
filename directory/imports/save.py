"""Saving a checked sheet: one transaction creates the phase, new employers and every posting
(bulk inserts via COPY); nothing is saved unless every row passed."""

import logging

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import audit
from directory.catalog import services
from directory.columns import COLUMNS
from directory.models import (
    AuditAction,
    Catalog,
    EntryDecision,
    ImportJob,
    ImportStatus,
    PhaseEntry,
    PhaseStatus,
)
from employers.models import (
    DirectoryEvent,
    Employer,
    EmployerStatus,
    EmployerStatusEvent,
    Posting,
)
from momjobs.lib.records import record_language

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Saving


@transaction.atomic
def save_checked(checked, *, job, at=None):
    """The new phase with every posting, or nothing (one transaction). Returns the phase, or
    None when another run of the same job got there first."""
    assert checked.ok, "save_checked() needs a table without errors"
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.RUNNING or job.phase_id:
        return None
    at = at or timezone.now()
    by = job.uploaded_by
    # Locked, so two imports into one catalog cannot take the same phase number.
    catalog = Catalog.objects.select_for_update().select_related("bureau").get(pk=job.catalog_id)
    phase = services.phase_create(catalog=catalog, title=job.phase_title, by=by)
    phase.status = PhaseStatus.IN_REVIEW
    phase.save(update_fields=["status"])

    employers = list(checked.new_employers.values())
    with record_language():
        listed = _("由%(bureau)s导入岗位汇总表时登记") % {"bureau": catalog.bureau}
        reason = _("%(bureau)s导入岗位汇总表《%(file)s》，登记入录并视为已核验") % {
            "bureau": catalog.bureau,
            "file": job.original_name,
        }
        imported = _("人社部门导入")
    for employer in employers:
        employer.status_reason = listed
        employer.status_changed_at = at
    Employer.objects.bulk_create(employers)
    EmployerStatusEvent.objects.bulk_create(
        EmployerStatusEvent(
            employer=e, kind=kind, status=EmployerStatus.VERIFIED, reason=reason, at=at, by=by
        )
        for e in employers
        for kind in (DirectoryEvent.LISTED, DirectoryEvent.VERIFIED)
    )
    postings = []
    for posting, _code in checked.postings:
        # Assigning again copies the id of an employer saved just above into employer_id, so
        # prepare() (the derived columns save() would compute) sees the employer's name.
        posting.employer = posting.employer
        postings.append(posting.prepare())
    copy_insert(Posting, postings)
    copy_insert(
        PhaseEntry,
        [
            PhaseEntry(
                phase=phase,
                posting=posting,
                decision=EntryDecision.APPROVED,
                reason=imported,
                decided_by=by,
                decided_at=at,
                submitted_at=at,
            )
            for posting in postings
        ],
    )
    audit.record(
        actor=by,
        action=AuditAction.IMPORT,
        obj=phase,
        bureau=catalog.bureau,
        detail=_("%(n)s 行，来自《%(file)s》") % {"n": len(postings), "file": job.original_name},
    )
    job.status = ImportStatus.DONE
    job.phase = phase
    job.rows_done = len(postings)
    job.finished_at = timezone.now()
    job.errors = []
    job.summary = {
        **job.summary,
        **summary_of(checked),
        "stage": "done",
        "postings": len(postings),
        "employers_created": sorted(e.name for e in employers),
        "employers_matched": len(checked.matched),
    }
    job.save()
    transaction.on_commit(lambda: discard_file(job.pk))
    return phase


def copy_insert(model, objects):
    """What bulk_create does, through COPY: ids drawn from the table's sequence first, then every
    column's value as Django prepares it for the database (auto_now, JSON, the week mask).

    bulk_create sends 10,000 postings as INSERTs of about 40 parameters a row, and building and
    splitting those statements in Python took longer than the rest of the import together
    (docs/performance.md, "Import"); COPY streams the same values in a fraction of the time.
    """
    if not objects:
        return objects
    meta = model._meta
    db = connections[DEFAULT_DB_ALIAS]  # the thread's connection itself, not the proxy
    fields = [f for f in meta.concrete_fields if not f.generated and not f.primary_key]
    # Most values are str, int, bool or None already, which get_db_prep_save() returns as they
    # are for these fields; only JSON, auto_now and other types take the full path.
    direct = [
        not isinstance(f, models.JSONField)
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
        for f in fields
    ]
    plain_types = (str, int, bool, type(None))
    quote = db.ops.quote_name
    columns = ", ".join(quote(c) for c in [meta.pk.column, *(f.column for f in fields)])
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj, pk in zip(objects, ids, strict=True):
                obj._prepare_related_fields_for_save(operation_name="copy_insert")
                obj.pk = pk
                row = [pk]
                for field, is_direct in zip(fields, direct, strict=True):
                    value = getattr(obj, field.attname) if is_direct else None
                    if not is_direct or type(value) not in plain_types:
                        value = field.get_db_prep_save(field.pre_save(obj, True), db)
                    row.append(value)
                copy.write_row(row)
                obj._state.adding = False
                obj._state.db = db.alias
    return objects


def summary_of(checked):
    table = checked.table
    return {
        "sheet": table.sheet,
        "header_row": table.header_row,
        "rows": len(table.rows),
        "skipped": table.skipped,
        "ignored_columns": table.ignored,
        "missing_columns": [str(c.header) for c in COLUMNS if c.key not in table.columns],
        "counts": checked.counts,
    }


def discard_file(job_id):
    """The uploaded sheet holds contact names and phone numbers: once the import has finished
    (saved or refused) only the postings keep what they need, the file itself is deleted."""
    job = ImportJob.objects.filter(pk=job_id).only("file").first()
    if job is None or not job.file:
        return
    try:
        job.file.storage.delete(job.file.name)
    except OSError:
        logger.warning("import %s: could not delete %s", job_id, job.file.name)
        return
    ImportJob.objects.filter(pk=job_id).update(file="")
