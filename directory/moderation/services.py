"""Reports from the public about postings, and how a bureau handles them.

Anyone may report a public posting (live or closed). The report lands in the queue of every
bureau whose jurisdiction covers the posting's region. An officer decides per posting: the
reports are unfounded (dismissed, with a note), or the posting is taken down (the reason is
told to its applicants and employer; every open report of it is then marked acted).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import audit
from directory.access import require_jurisdiction
from directory.models import AuditAction, Report, ReportStatus
from employers import services as employers_services
from employers.models import Posting, PostingStatus

DISMISS, TAKE_DOWN = "dismiss", "take_down"


def reportable_postings():
    return Posting.objects.public()


@transaction.atomic
def report_create(*, posting, reason, details="", contact="", reporter=None):
    if not posting.is_public:
        raise ValidationError(_("该岗位不在公开招聘中，无法举报。"), code="not_public")
    if reporter is not None and not reporter.is_authenticated:
        reporter = None
    return Report.objects.create(
        posting=posting, reason=reason, details=details, contact=contact, reporter=reporter
    )


def reports_mark_acted(*, posting, by, resolution):
    """The posting was taken down: its open reports are answered (called by the take-down
    service, inside its transaction). Returns how many."""
    count = Report.objects.filter(posting=posting, status=ReportStatus.OPEN).update(
        status=ReportStatus.ACTED,
        handled_by=by,
        handled_at=timezone.now(),
        resolution=resolution[:500],
    )
    if count:
        audit.record(
            actor=by,
            action=AuditAction.REPORT_HANDLE,
            obj=posting,
            region=posting.region,
            detail=_("下架岗位，处理举报 %(n)s 条：%(reason)s")
            % {"n": count, "reason": resolution},
        )
    return count


@transaction.atomic
def report_handle(*, report, by, action, note):
    """Decide on the open reports of `report`'s posting, up to `report` (the newest one the
    officer saw) for a dismissal; a take-down answers them all. Returns how many reports."""
    posting = (
        Posting.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=report.posting_id)
    )
    require_jurisdiction(by, posting.region)
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请填写处理说明。"), code="note_required")
    open_reports = Report.objects.filter(posting=posting, status=ReportStatus.OPEN)
    if not open_reports.filter(pk__lte=report.pk).exists():
        raise ValidationError(_("这些举报已经处理过了。"), code="handled")
    if action == TAKE_DOWN:
        if posting.status == PostingStatus.TAKEN_DOWN:
            return reports_mark_acted(posting=posting, by=by, resolution=note)
        count = open_reports.count()
        posting_take_down(posting=posting, by=by, reason=note)
        return count
    if action != DISMISS:
        raise ValidationError(_("请选择处理方式。"), code="action")
    count = open_reports.filter(pk__lte=report.pk).update(
        status=ReportStatus.DISMISSED, handled_by=by, handled_at=timezone.now(), resolution=note
    )
    audit.record(
        actor=by,
        action=AuditAction.REPORT_HANDLE,
        obj=posting,
        region=posting.region,
        detail=_("举报不成立 %(n)s 条：%(note)s") % {"n": count, "note": note},
    )
    return count


def reports_erase_contacts(now=None):
    """The optional contact of a report is kept REPORT_CONTACT_RETENTION_DAYS after the report
    was made (the bureau may need to ask the reporter something), then erased, whether or not
    the report was handled: a report left open does not keep a contact for ever. Returns how
    many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REPORT_CONTACT_RETENTION_DAYS)
    return Report.objects.filter(created_at__lt=cutoff).exclude(contact="").update(contact="")


@transaction.atomic
def posting_take_down(*, posting, by, reason):
    """Bureau staff take a posting down inside their jurisdiction; applicants are told."""
    require_jurisdiction(by, posting.region)
    return take_down(posting=posting, by=by, reason=reason)


def take_down(*, posting, by, reason):
    """The take-down itself, for callers that have checked the jurisdiction (the removal of an
    employer takes its postings down wherever they are)."""
    posting = employers_services.posting_take_down(posting=posting, by=by, reason=reason)
    audit.record(
        actor=by,
        action=AuditAction.POSTING_TAKE_DOWN,
        obj=posting,
        region=posting.region,
        detail=reason,
    )
    # Reports about it are answered by the take-down, whichever page it was done from.
    reports_mark_acted(posting=posting, by=by, resolution=reason)
    return posting
