"""A seeker's data held by the directory app: exported with hers, erased with her account.
Reached by momjobs.users through settings.MOMJOBS_SEEKER_DATA (like employers.privacy)."""

from django.db import transaction

from .models import Report, Subscription


def _her_subscriptions(user):
    """Digest subscriptions are made without an account; those to her address are hers once she
    proved the address is hers (a confirmed email). An unconfirmed address may be someone else's:
    its subscriptions are neither shown to her nor ended with her account."""
    if not (user.email and user.email_verified_at):
        return Subscription.objects.none()
    return Subscription.objects.filter(email__iexact=user.email)


def export_seeker(user):
    reports = [
        {
            "posting": report.posting.title,
            "posting_id": report.posting_id,
            "reason": report.get_reason_display(),
            "details": report.details,
            "contact": report.contact,
            "reported_at": report.created_at.isoformat(),
            "status": report.get_status_display(),
        }
        for report in Report.objects.filter(reporter=user).select_related("posting")
    ]
    subscriptions = [
        {
            "email": s.email,
            "region": s.region.full_name,
            "language": s.language,
            "sector": s.get_sector_display() if s.sector else None,
            "work_form": s.get_work_form_display() if s.work_form else None,
            "pay_min_hourly": str(s.pay_min_hourly) if s.pay_min_hourly is not None else None,
            "contract": s.get_contract_display() if s.contract else None,
            "insurance": s.get_insurance_display() if s.insurance else None,
            "school_run": s.school_run,
            "weekends_off": s.weekends_off,
            "free_hours": s.fits or None,
            "created_at": s.created_at.isoformat(),
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
            "paused_at": s.paused_at.isoformat() if s.paused_at else None,
            "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
        }
        for s in _her_subscriptions(user).select_related("region__parent__parent")
    ]
    return {"reports": reports, "subscriptions": subscriptions}


@transaction.atomic
def erase_seeker(user):
    """Her reports stay with the bureau as reports about a posting, with nothing that points to
    her: no account, no contact, not her own words. Her digest subscriptions end with her
    account (the delete page says so): the rows are deleted."""
    Report.objects.filter(reporter=user).update(reporter=None, contact="", details="")
    _her_subscriptions(user).delete()
