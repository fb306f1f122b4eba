from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import followups
from .models import Application, PostingStatus
from .privacy import anonymise


@shared_task(name="employers.anonymise_old_applications")
def anonymise_old_applications():
    """Applications lose their personal data a while after their posting closed (PIPL: keep
    no longer than needed). A hire whose follow-ups are still to come waits until the last one
    is over (docs/followups.md). Idempotent: anonymised rows no longer match."""
    cutoff = timezone.now() - timedelta(days=settings.APPLICATION_RETENTION_DAYS)
    ended = Q(
        posting__status__in=[PostingStatus.CLOSED, PostingStatus.TAKEN_DOWN],
        posting__closed_at__lt=cutoff,
    ) | Q(posting__valid_through__lt=cutoff.date())
    return anonymise(
        Application.objects.filter(ended, seeker__isnull=False).exclude(
            pk__in=followups.still_following().values("pk")
        )
    )


@shared_task(name="employers.send_follow_ups")
def send_follow_ups():
    """Ask the follow-ups now due (employers/followups.py); idempotent and restartable."""
    return followups.send_due()


@shared_task(name="employers.fold_live_tally")
def fold_live_tally():
    """The live-post tally folded to one row a day (employers.models.LiveTally)."""
    from .models import LiveTally

    return LiveTally.fold()
