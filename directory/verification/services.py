"""Writes of the employer verification: verify, reject or remove an employer, recognise it as an
employment base; inside the officer's jurisdiction, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directory import audit
from directory.access import require_jurisdiction
from directory.models import AuditAction, EntryDecision, PhaseEntry, PhaseStatus
from directory.moderation.services import take_down
from directory.outcomes import figures as outcomes
from employers import services as employers_services
from employers.models import EmployerStatus, Posting, PostingStatus
from momjobs.lib.records import record_language


@transaction.atomic
def employer_decide(*, employer, by, status, reason=""):
    """Bureau staff verify, reject or remove an employer inside their jurisdiction."""
    require_jurisdiction(by, employer.region)
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
    if status == "removed":
        # A removed employer recruits no more through the portal: its live postings come down
        # (applicants are told) and its submissions still under review are withdrawn.
        with record_language():
            why = _("单位已移出用人单位名录：%(reason)s") % {"reason": reason}
        # (A posting of hers in another city comes down too: the removal is the bureau's act.)
        for posting in Posting.objects.filter(employer=employer, status=PostingStatus.LIVE):
            take_down(posting=posting, by=by, reason=why)
        PhaseEntry.objects.filter(
            posting__employer=employer,
            decision__in=[EntryDecision.PENDING, EntryDecision.APPROVED],
            phase__status__in=[PhaseStatus.DRAFT, PhaseStatus.OPEN, PhaseStatus.IN_REVIEW],
        ).update(decision=EntryDecision.WITHDRAWN, reason=why)
    return employer


def removal_summary(employer):
    """What removing `employer` would do, for the confirmation page."""
    from employers.models import Application

    live = Posting.objects.filter(employer=employer, status=PostingStatus.LIVE)
    return {
        "live_postings": live.count(),
        "applicants": Application.objects.filter(posting__in=live).open_ones().count(),
        "pending_entries": PhaseEntry.objects.filter(
            posting__employer=employer,
            decision__in=[EntryDecision.PENDING, EntryDecision.APPROVED],
            phase__status__in=[PhaseStatus.DRAFT, PhaseStatus.OPEN, PhaseStatus.IN_REVIEW],
        ).count(),
        "members": employer.memberships.count(),
    }


@transaction.atomic
def employer_recognise(*, employer, by, title="", year=None, reason=""):
    """Bureau staff set a recognition ("妈妈岗就业基地", year) on a verified employer inside
    their jurisdiction, or clear it (an empty title) with a reason; the directory history
    shows it publicly, the audit log keeps who did it."""
    require_jurisdiction(by, employer.region)
    title, reason = (title or "").strip(), (reason or "").strip()
    if title:
        if employer.status != EmployerStatus.VERIFIED:
            raise ValidationError(_("只有已核验的单位才能获得认定。"), code="not_verified")
        if not year:
            raise ValidationError(_("请填写认定年份。"), code="year_required")
        line = _("认定为%(year)s年度“%(title)s”") % {"year": year, "title": title}
        if reason:
            line = _("%(line)s（%(reason)s）") % {"line": line, "reason": reason}
        action_detail = f"{title} {year}"
    else:
        if not employer.recognition:
            raise ValidationError(_("该单位目前没有认定称号。"), code="not_recognised")
        if not reason:
            raise ValidationError(_("撤销认定时必须填写理由。"), code="reason_required")
        line = _("撤销%(year)s年度“%(title)s”认定：%(reason)s") % {
            "year": employer.recognised_year or "",
            "title": employer.recognition,
            "reason": reason,
        }
        year, action_detail = None, line
    employer = employers_services.employer_recognise(
        employer=employer, by=by, title=title, year=year, reason=line
    )
    # The hires and retention the officer had in front of her (the same panel on the page).
    with record_language():
        seen = outcomes.audit_line(outcomes.for_employer(employer))
    audit.record(
        actor=by,
        action=AuditAction.EMPLOYER_RECOGNISE,
        obj=employer,
        region=employer.region,
        detail=f"{action_detail} | {seen}",
    )
    return employer
