"""Reads about a phase and the one before it: which still-open postings may be carried over, and
what changed between the two (new, carried over, withdrawn). Used by the public phase page and
the bureau's review page; the writes are in directory/catalog/services.py.

"The phase before" is the catalog's latest public phase with a lower number. A phase that is
not published yet compares itself with it as it would look if published now.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import EntryDecision, Phase, PhaseEntry, PhaseStatus
from employers.models import Posting, PostingStatus

CARRY_REASON_NOT = _("不延续到本批次")


def previous_phase(phase):
    return (
        Phase.objects.published()
        .filter(catalog_id=phase.catalog_id, number__lt=phase.number)
        .order_by("-number")
        .first()
    )


def carry_candidates(phase):
    """(source phase, its approved entries whose posting is still open) for a phase not yet
    published. Only the catalog's current published phase is a source: its postings are the
    ones seekers can find today."""
    source = previous_phase(phase)
    if phase.is_public or source is None or source.status != PhaseStatus.PUBLISHED:
        return source, []
    entries = (
        PhaseEntry.objects.filter(
            phase=source,
            decision=EntryDecision.APPROVED,
            posting__in=Posting.objects.live(),
        )
        .select_related("posting__employer", "posting__region__parent__parent")
        .order_by("posting__employer__name", "posting__title", "id")
    )
    return source, list(entries)


def carried_choice(phase, candidates):
    """Posting ids ticked in the carry-over form: what she chose, or all when she has not
    chosen yet (no carried entry in the phase)."""
    carried = dict(
        PhaseEntry.objects.filter(phase=phase, carried_over=True).values_list(
            "posting_id", "decision"
        )
    )
    if not carried:
        return {e.posting_id for e in candidates}
    return {pid for pid, decision in carried.items() if decision == EntryDecision.APPROVED}


@dataclass
class ChangeRow:
    posting_id: int
    title: str
    employer: str
    region: str
    # The posting's page answers (live or closed); taken-down and unpublished ones do not.
    public: bool
    why: str = ""


@dataclass
class PhaseChanges:
    previous: Phase = None
    new: list = field(default_factory=list)
    carried: list = field(default_factory=list)
    withdrawn: list = field(default_factory=list)
    # Postings of this phase taken down by a bureau after it was published.
    taken_down: list = field(default_factory=list)


def _row(entry, why=""):
    posting = entry.posting
    public = posting.is_public
    if entry.snapshot:
        s = entry.snapshot
        title, employer, region = s.get("title"), s.get("employer_name"), s.get("region_name")
        return ChangeRow(posting.pk, title or "", employer or "", region or "", public, why)
    return ChangeRow(
        posting.pk, posting.title, posting.employer.name, posting.region.full_name, public, why
    )


def _why_withdrawn(posting, phase, today):
    if posting.status == PostingStatus.TAKEN_DOWN:
        return _("被人社部门下架")
    # Expired before this phase went out (or, not published yet, before today).
    cutoff = timezone.localdate(phase.published_at) if phase.published_at else today
    if posting.valid_through is not None and posting.valid_through < cutoff:
        return _("已过有效期")
    if posting.status == PostingStatus.CLOSED:
        if phase.published_at and posting.closed_at and posting.closed_at >= phase.published_at:
            return _("未延续到本批次，已结束招聘")
        return _("单位已结束招聘")
    if phase.is_public:
        return _("未延续到本批次")
    return _("未选择延续，发布本批次时将结束招聘")


def phase_changes(phase):
    """What changed since the previous phase, from the entries (snapshots once published).
    A catalog's first phase has nothing to compare with: its entries are not read at all."""
    previous = previous_phase(phase)
    if previous is None:
        return PhaseChanges(previous=None)
    current = list(
        PhaseEntry.objects.filter(phase=phase, decision=EntryDecision.APPROVED)
        .select_related("posting__employer", "posting__region__parent__parent")
        .order_by("id")
    )
    changes = PhaseChanges(previous=previous)
    for entry in current:
        (changes.carried if entry.carried_over else changes.new).append(_row(entry))
        if phase.is_public and entry.posting.status == PostingStatus.TAKEN_DOWN:
            changes.taken_down.append(_row(entry))
    if previous is not None:
        today = timezone.localdate()
        kept = {entry.posting_id for entry in current}
        gone = (
            PhaseEntry.objects.filter(phase=previous, decision=EntryDecision.APPROVED)
            .exclude(posting_id__in=kept)
            .select_related("posting__employer", "posting__region__parent__parent")
            .order_by("id")
        )
        changes.withdrawn = [_row(e, _why_withdrawn(e.posting, phase, today)) for e in gone]
    return changes
