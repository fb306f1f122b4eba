"""Writes on the bureau side: multi-row changes, atomic, keyword-only."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import audit
from directory.catalog import changes as phase_changes
from directory.exports.tasks import render_documents_soon
from directory.models import (
    OUTBOX_PHASE_PUBLISHED,
    AuditAction,
    EntryDecision,
    OutboxEvent,
    Phase,
    PhaseEntry,
    PhaseStatus,
)
from directory.subscriptions.tasks import relay_soon
from employers import services as employer_services
from employers.models import Posting, PostingStatus
from momjobs.lib import search_version
from momjobs.lib.records import record_language
from momjobs.lib.tasks import queue_email


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
    entries = _withdraw_stale_carried(phase=phase, entries=entries)
    if not entries:
        raise ValidationError(_("没有审核通过的岗位，不能发布。"), code="empty_phase")
    for entry in entries:
        entry.snapshot = employer_services.posting_snapshot(entry.posting)
    PhaseEntry.objects.bulk_update(entries, ["snapshot"])
    # Carried-over postings are live already and keep their first publication date.
    new = [e.posting for e in entries if not e.carried_over]
    employer_services.postings_go_live(postings=new, at=at)
    # Entries still pending when the phase goes out are not part of it; their employers are
    # told (the submit page promised an email with the outcome).
    with record_language():
        unfinished = _("发布时未完成审核")
    left_out = list(
        PhaseEntry.objects.filter(phase=phase, decision=EntryDecision.PENDING).select_related(
            "posting__employer"
        )
    )
    PhaseEntry.objects.filter(pk__in=[e.pk for e in left_out]).update(
        decision=EntryDecision.WITHDRAWN, reason=unfinished
    )
    for entry in left_out:
        employer_services.tell_staff(
            entry.posting.employer,
            "entry_left_out",
            {"title": entry.posting.title, "phase": phase.title, "url": _posting_url(entry)},
        )
    # The previous published phase of this catalog is superseded; its postings not carried
    # over stop recruiting (docs/bureaus.md).
    _close_not_carried(phase=phase, kept=entries, by=by)
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
    transaction.on_commit(relay_soon)
    search_version.bump()  # what the search shows has changed (cached pages, phase lines)
    # Its PDF and XLSX are rendered once, by a worker (directory/exports/documents.py).

    transaction.on_commit(lambda: render_documents_soon(phase.pk))
    return phase


# The confirmation page names at most this many posts per list (a phase imported from a big
# sheet has thousands); the counts above the lists are always complete.
PUBLISH_LIST_LIMIT = 100


def publish_summary(*, phase):
    """What publishing `phase` would do, for the confirmation page: the entries going in, those
    left out (by decision, with the reason), the employers emailed about a post left out, and
    how many subscribers a matching post would be sent to (posts new in this phase). A fixed
    number of queries whatever the size of the phase."""
    from directory.subscriptions.digests import count_matching_for_entries

    entries = PhaseEntry.objects.filter(phase=phase).exclude(decision=EntryDecision.WITHDRAWN)
    going_in = entries.filter(decision=EntryDecision.APPROVED)
    left_out = entries.exclude(decision=EntryDecision.APPROVED)
    listed = ("posting__employer__name", "posting__title", "pk")

    def names(queryset):
        return list(
            queryset.select_related("posting__employer").order_by(*listed)[:PUBLISH_LIST_LIMIT]
        )

    new_posts = going_in.filter(carried_over=False).values("posting_id")
    return {
        "phase": phase,
        "going_in": names(going_in),
        "left_out": names(left_out),
        "going_in_count": going_in.count(),
        "left_out_count": left_out.count(),
        "employers_in": going_in.values("posting__employer").distinct().count(),
        "employers_told": left_out.filter(decision=EntryDecision.PENDING)
        .values("posting__employer")
        .distinct()
        .count(),
        "subscribers": count_matching_for_entries(new_posts),
        "list_limit": PUBLISH_LIST_LIMIT,
    }


@transaction.atomic
def entry_decide(*, entry, decision, by=None, reason=""):
    if entry.phase.is_frozen:
        raise ValidationError(_("已发布的批次不能再修改审核结果。"), code="frozen")
    if decision in (EntryDecision.REJECTED, EntryDecision.CHANGES_REQUESTED) and not reason:
        raise ValidationError(_("不通过或退回修改时必须填写理由。"), code="reason_required")
    if entry.carried_over and decision == EntryDecision.CHANGES_REQUESTED:
        raise ValidationError(
            _("延续的岗位正在招聘，不能退回修改；不再延续时请选择“不通过”。"), code="carried"
        )
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
    # A carried-over posting stays live in the published phase whatever this review decides.
    if status and not entry.carried_over:
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
    if action:
        # The outcome the submit page promised: approved, returned with the reason, rejected.
        employer_services.tell_staff(
            entry.posting.employer,
            "entry_decided",
            {
                "title": entry.posting.title,
                "phase": entry.phase.title,
                "decision": decision,
                "reason": reason,
                "url": _posting_url(entry),
            },
        )
    return entry


def _posting_url(entry):
    from django.urls import reverse

    from momjobs.lib.links import absolute_url

    return absolute_url(reverse("employers:posting_preview", args=[entry.posting_id]))


@transaction.atomic
def posting_submit(*, posting, phase_id, by):
    """An employer submits a draft (or a rejected posting, changed) to an open phase whose
    bureau covers the posting's region, for review."""
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    if not posting.employer.can_submit:
        raise ValidationError(_("单位通过核验后才能提交岗位。"), code="not_verified")
    if not posting.can_submit:
        raise ValidationError(_("只有草稿或未通过的岗位可以提交。"), code="not_draft")
    posting.full_clean()
    phase = Phase.objects.select_for_update().filter(pk=phase_id).first()
    if phase is None:
        raise ValidationError(_("请选择一个正在征集的批次。"), code="no_phase")
    if phase.status != PhaseStatus.OPEN:
        raise ValidationError(_("该批次目前不接受岗位提交。"), code="phase_closed")
    if phase.submission_deadline and phase.submission_deadline < timezone.now():
        raise ValidationError(_("该批次的征集已经截止。"), code="deadline_passed")
    if not phase.catalog.bureau.covers(posting.region):
        raise ValidationError(
            _("岗位所在地区不在该人社部门的管辖范围内，请选择当地的批次。"), code="jurisdiction"
        )
    entry, _created = PhaseEntry.objects.update_or_create(
        phase=phase,
        posting=posting,
        defaults={
            "decision": EntryDecision.PENDING,
            "reason": "",
            "submitted_at": timezone.now(),
            "decided_by": None,
            "decided_at": None,
        },
    )
    posting.status = PostingStatus.SUBMITTED
    posting.save(update_fields=["status", "updated_at"])
    return entry


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
def phase_create(*, catalog, title, by, carry_over=False):
    number = (catalog.phases.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    phase = Phase.objects.create(catalog=catalog, number=number, title=title)
    audit.record(actor=by, action=AuditAction.PHASE_CREATE, obj=phase, bureau=catalog.bureau)
    if carry_over:
        phase_carry_over(phase=phase, posting_ids=None, by=by)
    return phase


@transaction.atomic
def phase_carry_over(*, phase, posting_ids, by, scope=None):
    """Choose which still-open postings of the published phase this one follows carry over
    (`posting_ids`; None: all), among the candidates whose posting is in `scope` (None: every
    candidate; a page of the form decides only for the postings it showed). Ticked ones become approved entries marked carried_over (they
    were reviewed before); the others are recorded as not carried (rejected, with a reason), so
    the choice survives and publishing closes them. Returns (carried, not carried)."""
    phase = (
        Phase.objects.select_for_update(of=("self",))
        .select_related("catalog__bureau")
        .get(pk=phase.pk)
    )
    if phase.is_frozen:
        raise ValidationError(_("已发布的批次不能再修改审核结果。"), code="frozen")
    source, candidates = phase_changes.carry_candidates_query(phase)
    if scope is not None:
        candidates = candidates.filter(posting_id__in=scope)
    candidates = list(candidates)
    chosen = {e.posting_id for e in candidates} if posting_ids is None else set(posting_ids)
    existing = {
        e.posting_id: e
        for e in PhaseEntry.objects.filter(
            phase=phase, posting_id__in=[c.posting_id for c in candidates]
        )
    }
    now = timezone.now()
    counts = [0, 0]
    with record_language():
        not_carried = str(phase_changes.CARRY_REASON_NOT)
        carried_from = _("延续自%(phase)s") % {"phase": source.title} if source else ""
    created, changed, lines = [], [], []
    for candidate in candidates:
        carry = candidate.posting_id in chosen
        counts[0 if carry else 1] += 1
        decision = EntryDecision.APPROVED if carry else EntryDecision.REJECTED
        reason = "" if carry else not_carried
        entry = existing.get(candidate.posting_id)
        if entry is not None and (not entry.carried_over or entry.decision == decision):
            continue  # unchanged (or, oddly, submitted anew: its review decides)
        if entry is None:
            entry = PhaseEntry(phase=phase, posting_id=candidate.posting_id, carried_over=True)
            created.append(entry)
        else:
            changed.append(entry)
        entry.decision, entry.reason = decision, reason
        entry.decided_by, entry.decided_at, entry.submitted_at = by, now, now
        action = AuditAction.ENTRY_APPROVE if carry else AuditAction.ENTRY_REJECT
        lines.append((action, candidate.posting, carried_from if carry else reason))
    # In a few statements, whatever the number (a province carries thousands of posts over).
    PhaseEntry.objects.bulk_create(created, batch_size=2000)
    PhaseEntry.objects.bulk_update(
        changed,
        ["decision", "reason", "decided_by", "decided_at", "submitted_at"],
        batch_size=2000,
    )
    audit.record_many(actor=by, lines=lines, bureau=phase.catalog.bureau)
    return tuple(counts)


def _withdraw_stale_carried(*, phase, entries):
    """Carried entries whose posting stopped recruiting since (closed, expired, taken down)
    are not part of the phase; returns the entries that stay."""
    open_ids = set(
        Posting.objects.live()
        .filter(pk__in=[e.posting_id for e in entries if e.carried_over])
        .values_list("pk", flat=True)
    )
    stale = [e.pk for e in entries if e.carried_over and e.posting_id not in open_ids]
    if stale:
        with record_language():
            gone = _("发布前岗位已结束招聘或被下架")
        PhaseEntry.objects.filter(pk__in=stale).update(
            decision=EntryDecision.WITHDRAWN, reason=gone
        )
    return [e for e in entries if e.pk not in stale]


def _close_not_carried(*, phase, kept, by):
    """Close the live postings of the phase(s) this one supersedes that were not carried over,
    unless another catalog's published phase still lists them; applicants and employers are
    told. Returns how many were closed."""
    superseded = Phase.objects.filter(
        catalog_id=phase.catalog_id, status=PhaseStatus.PUBLISHED
    ).exclude(pk=phase.pk)
    elsewhere = PhaseEntry.objects.filter(
        decision=EntryDecision.APPROVED, phase__status=PhaseStatus.PUBLISHED
    ).exclude(phase__catalog_id=phase.catalog_id)
    postings = (
        Posting.objects.filter(
            status=PostingStatus.LIVE,
            phase_entries__phase__in=superseded,
            phase_entries__decision=EntryDecision.APPROVED,
        )
        .exclude(pk__in=[e.posting_id for e in kept])
        .exclude(pk__in=elsewhere.values("posting_id"))
        .select_related("employer")
        .distinct()
        .order_by("pk")
    )
    with record_language():
        reason = _("未延续到%(phase)s") % {"phase": phase.title}
    closed = 0
    for posting in postings:
        employer_services.posting_close(posting=posting, by=by, reason=reason)
        for email, language in posting.employer.memberships.values_list(
            "user__email", "user__language"
        ):
            queue_email(
                to=email,
                template="posting_not_carried",
                context={"title": posting.title, "phase": phase.title, "reason": reason},
                language=language,
            )
        closed += 1
    return closed


@transaction.atomic
def phase_open_call(*, phase, by):
    """Open the phase for submissions (the form has set text, sectors and deadline)."""
    if phase.status not in (PhaseStatus.DRAFT, PhaseStatus.OPEN, PhaseStatus.IN_REVIEW):
        raise ValidationError(_("已发布的批次不能再征集。"), code="published")
    phase.status = PhaseStatus.OPEN
    phase.opened_at = phase.opened_at or timezone.now()
    phase.save()
    search_version.bump()  # the home page lists open calls (cached pages)
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
