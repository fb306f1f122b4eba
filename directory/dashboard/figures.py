"""The bureau's figures: employers, postings, openings, applications and hires per phase, sector
and district, and digest deliveries per phase, over the signed-in officer's jurisdictions (a
provincial bureau sees all its cities). docs/dashboard.md defines every figure.

Every figure comes from an aggregate query (GROUP BY in PostgreSQL), never from a loop over
rows, so the page costs the same dozen queries whether a bureau has ten postings or a million.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, Q, Subquery, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from directory.models import (
    Bureau,
    DeliveryStatus,
    DigestDelivery,
    EntryDecision,
    Phase,
    PhaseEntry,
)
from directory.outcomes.figures import SMALL_COUNT, inside, phase_in_force
from employers.choices import Sector
from employers.models import Application, ApplicationStatus, Employer, Posting, PostingStatus
from momjobs.regions.models import Region

COUNTED_DECISIONS = [d for d in EntryDecision.values if d != EntryDecision.WITHDRAWN]
HIRED = Q(status=ApplicationStatus.HIRED)


def _openings(prefix=""):
    # What the phase published (its frozen snapshot), else the posting's figure today.
    return Coalesce(
        Cast(KeyTextTransform("openings", f"{prefix}snapshot"), IntegerField()),
        F(f"{prefix}posting__openings"),
        output_field=IntegerField(),
    )


def _total(expression, **extra):
    return Coalesce(Sum(expression, **extra), 0, output_field=IntegerField())


@dataclass
class Row:
    """One line of a breakdown (a sector or a district), or the totals."""

    key: object
    label: str = ""
    employers: int = 0
    postings: int = 0
    live: int = 0
    openings: int = 0
    applications: int = 0
    hires: int = 0


@dataclass
class PhaseRow:
    phase: Phase
    submitted: int
    approved: int
    employers: int
    openings: int
    applications: int = 0
    hires: int = 0
    digests: dict = field(
        default_factory=lambda: {"pending": 0, "sent": 0, "failed": 0, "skipped": 0}
    )


@dataclass
class Figures:
    phase: Phase | None
    employers: dict  # status -> count, and "recognised"
    totals: Row
    by_sector: list
    by_district: list
    # Applicants who declared, with its own consent, that they care for a child under 12.
    carers: int = 0

    @property
    def carers_shown(self):
        """Small counts could single someone out: 1 to 4 are shown as "<5"."""
        return "<5" if 0 < self.carers < SMALL_COUNT else str(self.carers)


class Dashboard:
    def __init__(self, user):
        self.bureaus = list(
            Bureau.objects.for_user(user)
            .select_related("jurisdiction__parent__parent")
            .order_by("jurisdiction__path")
        )
        self.paths = [bureau.jurisdiction.path for bureau in self.bureaus]
        self.today = timezone.localdate()
        # Applications to postings in the jurisdictions, whatever phase published them.
        self.applications = Application.objects.filter(inside(self.paths, "posting__region__path"))
        # Applications no phase of these bureaus published the posting of (see phase_rows).
        self.unattributed = Row(key=None, label=_("未归入本辖区批次"))

    # -- per phase --------------------------------------------------------------------------------

    @cached_property
    def phase_rows(self):
        approved = Q(entries__decision=EntryDecision.APPROVED)
        phases = (
            Phase.objects.filter(inside(self.paths, "catalog__bureau__jurisdiction__path"))
            .select_related("catalog__bureau")
            .annotate(
                # New submissions: not withdrawn, not carried over from the previous phase.
                n_submitted=Count(
                    "entries",
                    filter=Q(entries__decision__in=COUNTED_DECISIONS, entries__carried_over=False),
                ),
                n_approved=Count("entries", filter=approved),
            )
            .order_by("catalog__bureau__jurisdiction__path", "catalog__name", "-number")
        )
        rows = {
            phase.pk: PhaseRow(
                phase=phase,
                submitted=phase.n_submitted,
                approved=phase.n_approved,
                employers=0,
                openings=0,
            )
            for phase in phases
        }
        for item in self._approved_totals(list(rows)):
            rows[item["phase_id"]].employers += item["employers"]
            rows[item["phase_id"]].openings += item["openings"]
        deliveries = (
            DigestDelivery.objects.filter(phase_id__in=list(rows))
            .values("phase_id", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for item in deliveries:
            # As directory.subscriptions.digests.digest_counts: a digest being sent is not out yet.
            status = item["status"]
            if status == DeliveryStatus.SENDING:
                status = DeliveryStatus.PENDING
            counts = rows[item["phase_id"]].digests
            counts[status] = counts.get(status, 0) + item["n"]
        attributed = (
            self.applications.annotate(in_phase=Subquery(phase_in_force()))
            .values("in_phase")
            .annotate(applications=Count("pk"), hires=Count("pk", filter=HIRED))
            .order_by()
        )
        for item in attributed:
            row = rows.get(item["in_phase"]) or self.unattributed
            row.applications += item["applications"]
            row.hires += item["hires"]
        return list(rows.values())

    @staticmethod
    def _approved_totals(phase_ids):
        """Employers and openings of the approved entries, per phase. A published phase's
        entries carry both in their snapshot, read without touching the postings (a provincial
        phase has thousands); a phase not yet published reads its postings as they are today."""
        approved = PhaseEntry.objects.filter(
            phase_id__in=phase_ids, decision=EntryDecision.APPROVED
        ).order_by()
        frozen = (
            approved.filter(snapshot__isnull=False)
            .values("phase_id")
            .annotate(
                employers=Count(
                    Cast(KeyTextTransform("employer_id", "snapshot"), IntegerField()),
                    distinct=True,
                ),
                openings=_total(Cast(KeyTextTransform("openings", "snapshot"), IntegerField())),
            )
        )
        current = (
            approved.filter(snapshot__isnull=True)
            .values("phase_id")
            .annotate(
                employers=Count("posting__employer", distinct=True),
                openings=_total(F("posting__openings")),
            )
        )
        return [*frozen, *current]

    @property
    def phases(self):
        return [row.phase for row in self.phase_rows]

    # -- per sector and district ----------------------------------------------------------------

    def figures(self, phase=None):
        """Totals and breakdowns for every published posting in the jurisdictions, or for the
        postings `phase` published (and the applications counted under it)."""
        if phase is None:
            postings = Posting.objects.filter(
                inside(self.paths, "region__path"), published_at__isnull=False
            )
            p = ""
            openings = F("openings")
            applications = self.applications
        else:
            postings = PhaseEntry.objects.filter(phase=phase, decision=EntryDecision.APPROVED)
            p = "posting__"
            openings = _openings()
            applications = self.applications.annotate(in_phase=Subquery(phase_in_force())).filter(
                in_phase=phase.pk
            )
        live = Q(**{f"{p}status": PostingStatus.LIVE}) & (
            Q(**{f"{p}valid_through__isnull": True}) | Q(**{f"{p}valid_through__gte": self.today})
        )
        metrics = {
            "employers": Count(f"{p}employer", distinct=True),
            "postings": Count("pk"),
            "live": Count("pk", filter=live),
            "openings": _total(openings),
        }
        by_sector = self._breakdown(postings, f"{p}sector", metrics, applications, "sector")
        by_region = self._breakdown(postings, f"{p}region", metrics, applications, "region")
        labels = dict(Sector.choices)
        for row in by_sector:
            row.label = str(labels.get(row.key, row.key))
        regions = Region.objects.filter(pk__in=[row.key for row in by_region]).select_related(
            "parent__parent"
        )
        names = {region.pk: self.region_label(region) for region in regions}
        for row in by_region:
            row.label = names.get(row.key, "")
        totals = Row(key=None, label=_("合计"), **postings.aggregate(**metrics))
        totals.applications = sum(row.applications for row in by_sector)
        totals.hires = sum(row.hires for row in by_sector)
        return Figures(
            phase=phase,
            employers=self.employer_counts(),
            totals=totals,
            by_sector=_sorted(by_sector),
            by_district=_sorted(by_region),
            carers=self.carers(applications),
        )

    @staticmethod
    def carers(applications):
        """Distinct applicants whose profile carries the declaration and its consent."""
        return (
            applications.filter(
                seeker__seeker_profile__cares_for_child_under_12=True,
                seeker__seeker_profile__eligibility_consent_at__isnull=False,
            )
            .values("seeker_id")
            .distinct()
            .count()
        )

    def _breakdown(self, postings, key, metrics, applications, posting_field):
        rows = {}
        for item in postings.values(key).annotate(**metrics).order_by():
            rows[item[key]] = Row(key=item[key], **{name: item[name] for name in metrics})
        app_key = f"posting__{posting_field}"
        grouped = (
            applications.values(app_key)
            .annotate(applications=Count("pk"), hires=Count("pk", filter=HIRED))
            .order_by()
        )
        for item in grouped:
            row = rows.setdefault(item[app_key], Row(key=item[app_key]))
            row.applications = item["applications"]
            row.hires = item["hires"]
        return list(rows.values())

    def employer_counts(self):
        counts = {"pending": 0, "verified": 0, "rejected": 0, "removed": 0, "recognised": 0}
        grouped = (
            Employer.objects.filter(inside(self.paths, "region__path"))
            .values("status")
            .annotate(n=Count("pk"), recognised=Count("pk", filter=~Q(recognition="")))
            .order_by()
        )
        for item in grouped:
            counts[item["status"]] = item["n"]
            if item["status"] == "verified":
                counts["recognised"] = item["recognised"]
        return counts

    def region_label(self, region):
        """The region's name below the officer's jurisdiction: 市南区 for Qingdao's officer,
        青岛市市南区 for the province's."""
        name = region.full_name
        for bureau in sorted(self.bureaus, key=lambda b: -len(b.jurisdiction.path)):
            if region.path.startswith(bureau.jurisdiction.path):
                prefix = bureau.jurisdiction.full_name
                rest = name[len(prefix) :] if name.startswith(prefix) else name
                return rest or _("%(name)s（本级）") % {"name": region.name}
        return name


def _sorted(rows):
    return sorted(rows, key=lambda row: (-row.postings, -row.applications, row.label))
