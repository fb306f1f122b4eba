"""Reads about a phase and the one before it: which still-open postings may be carried over, and
what changed between the two (new, carried over, withdrawn). Used by the public phase page and
the bureau's review page; the writes are in directory/catalog/services.py.

"The phase before" is the catalog's latest public phase with a lower number. A phase that is
not published yet compares itself with it as it would look if published now.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
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


def carry_candidates_query(phase):
    """(source phase, a query of its approved entries whose posting is still open) for a phase
    not yet published. Only the catalog's current published phase is a source: its postings are
    the ones seekers can find today."""
    source = previous_phase(phase)
    if phase.is_public or source is None or source.status != PhaseStatus.PUBLISHED:
        return source, PhaseEntry.objects.none()
    entries = (
        PhaseEntry.objects.filter(
            phase=source,
            decision=EntryDecision.APPROVED,
            posting__in=Posting.objects.live(),
        )
        .select_related("posting__employer", "posting__region__parent__parent")
        .order_by("posting__employer__name", "posting__title", "id")
    )
    return source, entries


def carry_candidates(phase):
    """carry_candidates_query's entries as a list."""
    source, entries = carry_candidates_query(phase)
    return source, list(entries)


def carried_choice(phase, candidates):
    """Posting ids of `candidates` ticked in the carry-over form: what she chose, or all when she
    has not chosen yet (no carried entry in the phase)."""
    ids = [e.posting_id for e in candidates]
    carried = PhaseEntry.objects.filter(phase=phase, carried_over=True)
    if not carried.exists():
        return set(ids)
    return set(
        carried.filter(posting_id__in=ids, decision=EntryDecision.APPROVED).values_list(
            "posting_id", flat=True
        )
    )


@dataclass
class ChangeRow:
    posting_id: int
    title: str
    employer: str
    region: str
    # The posting's page answers (live or closed); taken-down and unpublished ones do not.
    public: bool
    why: str = ""


# Rows listed per kind of change: a provincial phase carries thousands of postings and its page
# is read on phones; the counts are always whole (counted in SQL), the lists stop here.
CHANGES_LISTED = 50


@dataclass
class PhaseChanges:
    previous: Phase = None
    # The first CHANGES_LISTED rows of each kind, and how many there are in all.
    new: list = field(default_factory=list)
    carried: list = field(default_factory=list)
    withdrawn: list = field(default_factory=list)
    # Postings of this phase taken down by a bureau after it was published.
    taken_down: list = field(default_factory=list)
    counts: dict = field(
        default_factory=lambda: {"new": 0, "carried": 0, "withdrawn": 0, "taken_down": 0}
    )

    @property
    def unlisted(self):
        """How many rows of each kind are counted but not listed."""
        return {kind: n - len(getattr(self, kind)) for kind, n in self.counts.items()}


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


def phase_changes(phase, listed=None):
    """What changed since the previous phase, from the entries (snapshots once published):
    counts of every kind, and the first `listed` rows of each. A catalog's first phase has
    nothing to compare with: its entries are not read at all. The queries are the same whatever
    the size of the phases (counts in SQL, rows limited)."""
    listed = CHANGES_LISTED if listed is None else listed
    previous = previous_phase(phase)
    if previous is None:
        return PhaseChanges(previous=None)
    related = ("posting__employer", "posting__region__parent__parent")
    current = PhaseEntry.objects.filter(phase=phase, decision=EntryDecision.APPROVED)
    gone = PhaseEntry.objects.filter(phase=previous, decision=EntryDecision.APPROVED).exclude(
        posting_id__in=current.values("posting_id")
    )
    taken_down = current.filter(posting__status=PostingStatus.TAKEN_DOWN)
    counted = current.aggregate(
        new=Count("pk", filter=Q(carried_over=False)),
        carried=Count("pk", filter=Q(carried_over=True)),
    )
    changes = PhaseChanges(previous=previous)
    changes.counts.update(counted, withdrawn=gone.count())
    for kind, carried in (("new", False), ("carried", True)):
        if counted[kind]:
            rows = current.filter(carried_over=carried).select_related(*related).order_by("id")
            setattr(changes, kind, [_row(e) for e in rows[:listed]])
    if phase.is_public:
        changes.counts["taken_down"] = taken_down.count()
        if changes.counts["taken_down"]:
            rows = taken_down.select_related(*related).order_by("id")[:listed]
            changes.taken_down = [_row(e) for e in rows]
    if changes.counts["withdrawn"]:
        today = timezone.localdate()
        rows = gone.select_related(*related).order_by("id")[:listed]
        changes.withdrawn = [_row(e, _why_withdrawn(e.posting, phase, today)) for e in rows]
    return changes
