"""Did the posts work? Hires and how long they lasted (docs/followups.md, docs/dashboard.md):
per phase, sector, district or employer, from aggregate queries only (a fixed handful of
GROUP BY queries whatever the number of postings, applications or answers).

People counts from 1 to 4 are shown as "<5" (`shown`) wherever a figure leaves the database:
the dashboard, its files, the public phase page and the recognition panel. The figures are
counts; nothing here reads who a person is.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import EntryDecision, Phase, PhaseEntry
from employers.choices import Sector
from employers.models import (
    FOLLOW_UP_MONTHS,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Employer,
    FollowUp,
    FollowUpSource,
    LeaveReason,
    Party,
    Posting,
)
from momjobs.regions.models import Region

PUBLIC_PHASES = ("published", "superseded")
# Aggregates of people below this are not shown as such.
SMALL_COUNT = 5
DIMENSIONS = ("phase", "sector", "district", "employer")
# How long the public phase page's totals are kept (they change with answers, not with views).
PUBLIC_CACHE_SECONDS = 3600


def shown(n):
    """A count of people as it may be shown: 1 to 4 become "<5"."""
    return "<5" if 0 < n < SMALL_COUNT else n


def inside(paths, field_name):
    """Rows whose region path lies inside one of `paths` (a jurisdiction includes its tree)."""
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field_name}__startswith": path})
    return condition


def phase_in_force(prefix=""):
    """The phase an application counts under: the latest public phase that had published its
    posting when she applied. `prefix` reaches the application from another model."""
    return (
        PhaseEntry.objects.filter(
            posting_id=OuterRef(f"{prefix}posting_id"),
            decision=EntryDecision.APPROVED,
            phase__status__in=PUBLIC_PHASES,
            phase__published_at__lte=OuterRef(f"{prefix}created_at"),
        )
        .order_by("-phase__published_at", "-phase_id")
        .values("phase_id")[:1]
    )


def _key(dimension, prefix=""):
    """The grouping key of an application (reached through `prefix`)."""
    if dimension == "phase":
        return Subquery(phase_in_force(prefix))
    return F(
        {
            "sector": f"{prefix}posting__sector",
            "district": f"{prefix}posting__region_id",
            "employer": f"{prefix}posting__employer_id",
        }[dimension]
    )


@dataclass
class Month:
    asked: int = 0  # questions put (or answers carried over), per party
    answered: dict = field(default_factory=lambda: {Party.SEEKER: 0, Party.EMPLOYER: 0})
    working: dict = field(default_factory=lambda: {Party.SEEKER: 0, Party.EMPLOYER: 0})
    disagree: int = 0  # both answered, differently

    def cell(self, party):
        """ "still working / answered" as shown."""
        return f"{shown(self.working[party])} / {shown(self.answered[party])}"

    @property
    def seeker_cell(self):
        return self.cell(Party.SEEKER)

    @property
    def employer_cell(self):
        return self.cell(Party.EMPLOYER)

    @property
    def disagree_shown(self):
        return shown(self.disagree)


@dataclass
class Outcome:
    key: object
    label: str = ""
    posts: int = 0
    applications: int = 0
    interviews: int = 0
    hires: int = 0
    started: int = 0
    not_started: int = 0
    months: dict = field(default_factory=lambda: {m: Month() for m in FOLLOW_UP_MONTHS})
    # (party, reason) -> hires that party says ended for that reason
    reasons: dict = field(default_factory=dict)

    @property
    def people(self):
        """The people counts as shown ("<5" for 1 to 4)."""
        return {
            "applications": shown(self.applications),
            "interviews": shown(self.interviews),
            "hires": shown(self.hires),
            "started": shown(self.started),
            "not_started": shown(self.not_started),
        }

    def month_rows(self):
        return [(m, self.months[m]) for m in FOLLOW_UP_MONTHS]

    def reason_rows(self):
        """[(label, shown by her, shown by the employer, by her, by the employer)] for reasons
        someone gave, most given first."""
        rows = []
        for value, label in LeaveReason.choices:
            seeker = self.reasons.get((Party.SEEKER, value), 0)
            employer = self.reasons.get((Party.EMPLOYER, value), 0)
            if seeker or employer:
                rows.append((str(label), shown(seeker), shown(employer), seeker, employer))
        return sorted(rows, key=lambda row: (-(row[3] + row[4]), row[0]))

    @property
    def has_answers(self):
        return any(
            month.answered[party] for month in self.months.values() for party in month.answered
        )


class Outcomes:
    """The figures for the applications in `applications` (already limited to a jurisdiction,
    an employer or a phase) and the posts in `postings` (a Posting or PhaseEntry queryset,
    `posting_prefix` reaching the posting from it)."""

    def __init__(self, applications, postings=None, posting_prefix="", today=None):
        self.applications = applications
        self.postings = postings
        self.posting_prefix = posting_prefix
        self.today = today or timezone.localdate()

    def _follow_ups(self):
        ids = self.applications.values("pk")
        return FollowUp.objects.filter(application_id__in=ids).exclude(
            source=FollowUpSource.SKIPPED
        )

    def rows(self, dimension, region_label=None):
        """Outcome per key of `dimension`, labelled (districts by `region_label(region)` when
        given, else their full names), most hires first."""
        rows = {}

        def row(key):
            return rows.setdefault(key, Outcome(key=key))

        if self.postings is not None:
            p = self.posting_prefix
            postings, group = (
                self.postings,
                {
                    "phase": "phase_id",
                    "sector": f"{p}sector",
                    "district": f"{p}region_id",
                    "employer": f"{p}employer_id",
                }[dimension],
            )
            if dimension == "phase" and not p:
                # Posts per phase: the approved entries of the phases that published them.
                postings = PhaseEntry.objects.filter(
                    decision=EntryDecision.APPROVED,
                    phase__status__in=PUBLIC_PHASES,
                    posting__in=self.postings,
                )
            for item in postings.values(group).annotate(n=Count("pk")).order_by():
                row(item[group]).posts = item["n"]
        self._fill(self.applications, dimension, row)
        self._label(dimension, rows, region_label)
        return sorted(rows.values(), key=lambda r: (-r.hires, -r.applications, r.label))

    def totals(self):
        total = Outcome(key=None, label=_("合计"))
        if self.postings is not None:
            total.posts = self.postings.count()
        self._fill(self.applications, None, lambda _key: total)
        return total

    def _fill(self, applications, dimension, row):
        today = self.today
        key = _key(dimension) if dimension else None
        interviewed = Exists(
            ApplicationEvent.objects.filter(
                application=OuterRef("pk"), status=ApplicationStatus.INTERVIEW
            )
        )
        hired = Q(status=ApplicationStatus.HIRED)
        counts = {
            "applications": Count("pk"),
            "interviews": Count("pk", filter=Q(interviewed=True)),
            "hires": Count("pk", filter=hired),
            "started": Count(
                "pk", filter=hired & Q(start_date__lte=today, not_started_at__isnull=True)
            ),
            "not_started": Count("pk", filter=hired & Q(not_started_at__isnull=False)),
        }
        base = applications.annotate(interviewed=interviewed)
        if key is None:
            grouped = [base.aggregate(**counts)]
        else:
            grouped = base.annotate(k=key).values("k").annotate(**counts).order_by()
        for item in grouped:
            r = row(item.get("k"))
            for name in ("applications", "interviews", "hires", "started", "not_started"):
                setattr(r, name, item[name])
        follow_ups = self._follow_ups()
        fkey = _key(dimension, "application__") if dimension else None
        fbase = follow_ups.annotate(k=fkey) if fkey is not None else follow_ups
        keys = ["k"] if fkey is not None else []
        answers = (
            fbase.values(*keys, "month", "party")
            .annotate(
                answered=Count("pk", filter=Q(still_working__isnull=False)),
                working=Count("pk", filter=Q(still_working=True)),
            )
            .order_by()
        )
        for item in answers:
            month = row(item.get("k")).months[item["month"]]
            month.answered[item["party"]] += item["answered"]
            month.working[item["party"]] += item["working"]
        theirs = FollowUp.objects.filter(
            application_id=OuterRef("application_id"),
            month=OuterRef("month"),
            party=Party.EMPLOYER,
        ).values("still_working")[:1]
        disagreements = (
            fbase.filter(party=Party.SEEKER, still_working__isnull=False)
            .annotate(theirs=Subquery(theirs))
            .filter(theirs__isnull=False)
            .values(*keys, "month")
            .annotate(n=Count("pk", filter=~Q(still_working=F("theirs"))))
            .order_by()
        )
        for item in disagreements:
            row(item.get("k")).months[item["month"]].disagree += item["n"]
        reasons = (
            fbase.filter(still_working=False)
            .values(*keys, "party", "reason")
            .annotate(n=Count("application", distinct=True))
            .order_by()
        )
        for item in reasons:
            r = row(item.get("k"))
            pair = (item["party"], item["reason"])
            r.reasons[pair] = r.reasons.get(pair, 0) + item["n"]

    def _label(self, dimension, rows, region_label=None):
        keys = [k for k in rows if k is not None]
        if dimension == "phase":
            names = dict(Phase.objects.filter(pk__in=keys).values_list("pk", "title"))
        elif dimension == "sector":
            names = {k: str(v) for k, v in Sector.choices}
        elif dimension == "district":
            regions = Region.objects.filter(pk__in=keys).select_related("parent__parent")
            names = {r.pk: (region_label or (lambda x: x.full_name))(r) for r in regions}
        else:
            names = dict(Employer.objects.filter(pk__in=keys).values_list("pk", "name"))
        for key, item in rows.items():
            item.label = names.get(key, str(key)) if key is not None else _("未归入任何已发布批次")


# -- the three places that show them --------------------------------------------------------------


def for_jurisdiction(paths, phase=None, today=None):
    """The bureau's figures: applications to postings in `paths`, or those counted under
    `phase`; posts published there (or the phase's approved entries)."""
    applications = Application.objects.filter(inside(paths, "posting__region__path"))
    if phase is None:
        postings = Posting.objects.filter(inside(paths, "region__path"), published_at__isnull=False)
        return Outcomes(applications, postings, "", today)
    applications = applications.annotate(in_phase=Subquery(phase_in_force())).filter(
        in_phase=phase.pk
    )
    entries = PhaseEntry.objects.filter(phase=phase, decision=EntryDecision.APPROVED)
    return Outcomes(applications, entries, "posting__", today)


def for_employer(employer, today=None):
    """An employer's hires and retention over all its posts (the recognition panel)."""
    return Outcomes(
        Application.objects.filter(posting__employer=employer),
        Posting.objects.filter(employer=employer, published_at__isnull=False),
        "",
        today,
    ).totals()


def public_phase_totals(phase):
    """The phase page's totals (counts only, "<5" applied by the template through `people`),
    kept an hour: they change with answers, not with page views."""
    key = f"outcomes:phase:{phase.pk}:{timezone.localdate().isoformat()}"
    totals = cache.get(key)
    if totals is None:
        entries = PhaseEntry.objects.filter(phase=phase, decision=EntryDecision.APPROVED)
        applications = (
            Application.objects.filter(posting__in=entries.values("posting_id"))
            .annotate(in_phase=Subquery(phase_in_force()))
            .filter(in_phase=phase.pk)
        )
        totals = Outcomes(applications).totals()
        cache.set(key, totals, PUBLIC_CACHE_SECONDS)
    return totals


def audit_line(totals):
    """The figures an officer saw, as one line for the audit log."""
    parts = [
        _("录用 %(h)s，已入职 %(s)s") % {"h": shown(totals.hires), "s": shown(totals.started)},
    ]
    for m, month in totals.month_rows():
        parts.append(
            _("%(m)s个月在岗 本人%(a)s 单位%(b)s")
            % {"m": m, "a": month.cell(Party.SEEKER), "b": month.cell(Party.EMPLOYER)}
        )
    return "；".join(parts)
