"""Writes on the supply side. The directory app changes postings only through these."""

from django.db import transaction
from django.utils import timezone

from .models import Posting, PostingStatus

# The facts of a posting that a published phase freezes (and that the public API may show).
SNAPSHOT_FIELDS = (
    "title",
    "description",
    "requirements",
    "sector",
    "openings",
    "work_form",
    "schedule",
    "flexible_hours",
    "schedule_note",
    "weekly_minutes",
    "school_run",
    "weekends_off",
    "childcare_leave",
    "no_forced_overtime",
    "address",
    "place",
    "pay_unit",
    "contract",
    "insurance",
    "training",
    "career_route",
    "valid_through",
)


def posting_snapshot(posting):
    data = {name: getattr(posting, name) for name in SNAPSHOT_FIELDS}
    data["valid_through"] = posting.valid_through.isoformat() if posting.valid_through else None
    data["pay_min"] = str(posting.pay_min)
    data["pay_max"] = str(posting.pay_max)
    data["employer_id"] = posting.employer_id
    data["employer_name"] = posting.employer.name
    data["region_code"] = posting.region.code
    data["region_name"] = posting.region.full_name
    return data


@transaction.atomic
def postings_go_live(*, postings, at=None):
    """Called when a phase is published: the approved postings become findable."""
    at = at or timezone.now()
    ids = [p.pk for p in postings]
    return (
        Posting.objects.filter(pk__in=ids)
        .exclude(status__in=[PostingStatus.CLOSED, PostingStatus.TAKEN_DOWN])
        .update(status=PostingStatus.LIVE, published_at=at)
    )


@transaction.atomic
def postings_set_status(*, postings, status):
    ids = [p.pk for p in postings]
    return Posting.objects.filter(pk__in=ids).update(status=status)
