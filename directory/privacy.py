"""A seeker's data held by the directory app: exported with hers, erased with her account.
Reached by momjobs.users through settings.MOMJOBS_SEEKER_DATA (like employers.privacy)."""

from django.db import transaction

from .models import Report, Subscription


def export_seeker(user):
    reports = [
        {
            "posting": report.posting.title,
            "posting_id": report.posting_id,
            "reason": report.reason,
            "details": report.details,
            "contact": report.contact,
            "reported_at": report.created_at.isoformat(),
            "status": report.status,
        }
        for report in Report.objects.filter(reporter=user).select_related("posting")
    ]
    # Digest subscriptions are made without an account; those to her address are hers too.
    subscriptions = [
        {
            "email": s.email,
            "region": s.region.code,
            "language": s.language,
            "created_at": s.created_at.isoformat(),
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
            "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
        }
        # (An account made with a mobile number may have no address: then none is hers.)
        for s in (
            Subscription.objects.filter(email__iexact=user.email).select_related("region")
            if user.email
            else []
        )
    ]
    return {"reports": reports, "subscriptions": subscriptions}


@transaction.atomic
def erase_seeker(user):
    """Her reports stay with the bureau as reports about a posting, without anything that points
    to her. Subscriptions are not tied to the account: each digest carries its own unsubscribe
    link, and deleting the account does not silently stop them."""
    Report.objects.filter(reporter=user).update(reporter=None, contact="")
