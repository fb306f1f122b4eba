"""Writes on the bureau side: multi-row changes, atomic, keyword-only."""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employers import services as employer_services
from employers.models import PostingStatus

from . import audit, digests
from .filters import LIVE_COUNT_KEY
from .models import AuditAction, EntryDecision, OutboxEvent, Phase, PhaseEntry, PhaseStatus

OUTBOX_PHASE_PUBLISHED = "phase_published"


@transaction.atomic
def phase_publish(*, phase, by=None, at=None):
    """Freeze the phase and its approved entries, make their postings live, and write the
    digest fan-out to the outbox in the same transaction.
    """
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    if phase.is_public:
        raise ValidationError(_("该批次已经发布，不能重复发布。"), code="already_published")
    at = at or timezone.now()
    entries = list(
        PhaseEntry.objects.filter(phase=phase, decision=EntryDecision.APPROVED).select_related(
            "posting__employer", "posting__region__parent__parent"
        )
    )
    if not entries:
        raise ValidationError(_("没有审核通过的岗位，不能发布。"), code="empty_phase")
    for entry in entries:
        entry.snapshot = employer_services.posting_snapshot(entry.posting)
    PhaseEntry.objects.bulk_update(entries, ["snapshot"])
    employer_services.postings_go_live(postings=[e.posting for e in entries], at=at)
    # Entries still pending when the phase goes out are not part of it.
    PhaseEntry.objects.filter(phase=phase, decision=EntryDecision.PENDING).update(
        decision=EntryDecision.WITHDRAWN, reason=_("发布时未完成审核")
    )
    # The previous published phase of this catalog is superseded.
    Phase.objects.filter(catalog=phase.catalog, status=PhaseStatus.PUBLISHED).exclude(
        pk=phase.pk
    ).update(status=PhaseStatus.SUPERSEDED, superseded_at=at)
    phase.status = PhaseStatus.PUBLISHED
    phase.published_at = at
    phase.published_by = by
    phase.save(update_fields=["status", "published_at", "published_by"])
    OutboxEvent.objects.create(kind=OUTBOX_PHASE_PUBLISHED, payload={"phase_id": phase.pk})
    audit.record(
        actor=by,
        action=AuditAction.PHASE_PUBLISH,
        obj=phase,
        bureau=phase.catalog.bureau,
        detail=str(len(entries)),
    )
    # Relay at once after the commit; if the broker is down, the beat sweep relays it later.
    transaction.on_commit(digests.relay_soon)
    transaction.on_commit(lambda: cache.delete(LIVE_COUNT_KEY))
    return phase


@transaction.atomic
def entry_decide(*, entry, decision, by=None, reason=""):
    if entry.phase.is_frozen:
        raise ValidationError(_("已发布的批次不能再修改审核结果。"), code="frozen")
    if decision in (EntryDecision.REJECTED, EntryDecision.CHANGES_REQUESTED) and not reason:
        raise ValidationError(_("不通过或退回修改时必须填写理由。"), code="reason_required")
    entry.decision = decision
    entry.reason = reason
    entry.decided_by = by
    entry.decided_at = timezone.now()
    entry.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    status = {
        EntryDecision.APPROVED: PostingStatus.APPROVED,
        EntryDecision.REJECTED: PostingStatus.REJECTED,
        EntryDecision.CHANGES_REQUESTED: PostingStatus.DRAFT,
    }.get(decision)
    if status:
        employer_services.postings_set_status(postings=[entry.posting], status=status)
    action = {
        EntryDecision.APPROVED: AuditAction.ENTRY_APPROVE,
        EntryDecision.REJECTED: AuditAction.ENTRY_REJECT,
        EntryDecision.CHANGES_REQUESTED: AuditAction.ENTRY_CHANGES,
    }.get(decision)
    if action and by is not None:
        audit.record(
            actor=by,
            action=action,
            obj=entry.posting,
            bureau=entry.phase.catalog.bureau,
            detail=reason,
        )
    return entry


def submission_filer(*, phase):
    """The function employers.services.posting_submit uses to file a posting in this phase."""

    def file(posting):
        locked = Phase.objects.select_for_update().get(pk=phase.pk)
        if locked.status != PhaseStatus.OPEN:
            raise ValidationError(_("该批次目前不接受岗位提交。"), code="phase_closed")
        if locked.submission_deadline and locked.submission_deadline < timezone.now():
            raise ValidationError(_("该批次的征集已经截止。"), code="deadline_passed")
        if not locked.catalog.bureau.covers(posting.region):
            raise ValidationError(
                _("岗位所在地区不在该人社部门的管辖范围内，请选择当地的批次。"), code="jurisdiction"
            )
        entry, _created = PhaseEntry.objects.update_or_create(
            phase=locked,
            posting=posting,
            defaults={
                "decision": EntryDecision.PENDING,
                "reason": "",
                "submitted_at": timezone.now(),
                "decided_by": None,
                "decided_at": None,
            },
        )
        return entry

    return file


def phases_open_to(employer_or_region):
    """Open phases whose bureau covers a region, deadline not passed."""
    region = getattr(employer_or_region, "region", employer_or_region)
    return [
        phase
        for phase in Phase.objects.open_for_submissions().select_related(
            "catalog__bureau__jurisdiction"
        )
        if phase.catalog.bureau.covers(region)
    ]


@transaction.atomic
def employer_decide(*, employer, by, status, reason=""):
    """Bureau staff verify, reject or remove an employer inside their jurisdiction."""
    from employers import services as employers_services

    from .models import Bureau

    if not any(b.covers(employer.region) for b in Bureau.objects.for_user(by)):
        raise PermissionDenied
    employer = employers_services.employer_set_status(
        employer=employer, status=status, by=by, reason=reason
    )
    action = {
        "verified": AuditAction.EMPLOYER_VERIFY,
        "rejected": AuditAction.EMPLOYER_REJECT,
        "removed": AuditAction.EMPLOYER_REMOVE,
    }.get(status)
    if action:
        audit.record(actor=by, action=action, obj=employer, region=employer.region, detail=reason)
    return employer


def submission_filer_for(phase_id):
    phase = (
        Phase.objects.filter(pk=phase_id).select_related("catalog__bureau__jurisdiction").first()
    )
    if phase is None:
        raise ValidationError(_("请选择一个正在征集的批次。"), code="no_phase")
    return submission_filer(phase=phase)


@transaction.atomic
def phase_create(*, catalog, title, by):
    number = (catalog.phases.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    phase = Phase.objects.create(catalog=catalog, number=number, title=title)
    audit.record(actor=by, action=AuditAction.PHASE_CREATE, obj=phase, bureau=catalog.bureau)
    return phase


@transaction.atomic
def phase_open_call(*, phase, by):
    """Open the phase for submissions (the form has set text, sectors and deadline)."""
    if phase.status not in (PhaseStatus.DRAFT, PhaseStatus.OPEN, PhaseStatus.IN_REVIEW):
        raise ValidationError(_("已发布的批次不能再征集。"), code="published")
    phase.status = PhaseStatus.OPEN
    phase.opened_at = phase.opened_at or timezone.now()
    phase.save()
    deadline = f"{phase.submission_deadline:%Y-%m-%d %H:%M}" if phase.submission_deadline else ""
    audit.record(
        actor=by,
        action=AuditAction.PHASE_CALL,
        obj=phase,
        bureau=phase.catalog.bureau,
        detail=deadline,
    )
    return phase


@transaction.atomic
def entries_bulk_approve(*, phase, entry_ids, by):
    entries = PhaseEntry.objects.filter(
        phase=phase, pk__in=entry_ids, decision=EntryDecision.PENDING
    ).select_related("phase", "posting")
    count = 0
    for entry in entries:
        entry_decide(entry=entry, decision=EntryDecision.APPROVED, by=by)
        count += 1
    return count


@transaction.atomic
def posting_take_down(*, posting, by, reason):
    """Bureau staff take a posting down inside their jurisdiction; applicants are told."""
    from employers import services as employers_services

    from .models import Bureau

    if not any(b.covers(posting.region) for b in Bureau.objects.for_user(by)):
        raise PermissionDenied
    posting = employers_services.posting_take_down(posting=posting, by=by, reason=reason)
    audit.record(
        actor=by,
        action=AuditAction.POSTING_TAKE_DOWN,
        obj=posting,
        region=posting.region,
        detail=reason,
    )
    return posting


@transaction.atomic
def revision_decide(*, revision, approve, by, reason=""):
    """Approve or refuse an employer's change to a live posting (the view has checked the
    officer's jurisdiction); logged."""
    revision = employer_services.revision_decide(
        revision=revision, approve=approve, by=by, reason=reason
    )
    audit.record(
        actor=by,
        action=AuditAction.REVISION_APPROVE if approve else AuditAction.REVISION_REJECT,
        obj=revision.posting,
        region=revision.posting.region,
        detail=reason,
    )
    return revision
