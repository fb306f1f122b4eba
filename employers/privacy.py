"""A seeker's data held by the employers app: exported with hers, erased with her account.
Reached by momjobs.users through settings.MOMJOBS_SEEKER_DATA."""

from django.db import transaction
from django.utils import timezone

from .models import Application, ApplicationEvent


def _when(value):
    return value.isoformat() if value else None


def export_seeker(user):
    """Every application of hers, with what the employer was given and what the employer wrote
    about her (its internal notes: personal data about her, PIPL art. 45), statuses in words."""
    applications = []
    rows = Application.objects.filter(seeker=user).select_related("posting__employer")
    for application in rows.prefetch_related("events", "follow_ups"):
        applications.append(
            {
                "posting": application.posting.title,
                "posting_id": application.posting_id,
                "employer": application.posting.employer.name,
                "status": application.get_status_display(),
                "submitted_at": _when(application.created_at),
                "consent_at": _when(application.consent_at),
                "privacy_policy_version": application.privacy_policy_version or None,
                "sent_to_employer": {
                    "name": application.applicant_name,
                    "district": application.applicant_district,
                    "skills": application.applicant_skills,
                    "experience": application.applicant_experience,
                    "email": application.contact_email or None,
                    "phone": application.contact_phone or None,
                    "cv": application.cv.name.rsplit("/", 1)[-1] if application.cv else None,
                    "note": application.note,
                },
                "employer_notes": application.employer_notes,
                "interview_at": _when(application.interview_at),
                "interview_place": application.interview_place,
                "start_date": _when(application.start_date),
                "said_did_not_start_at": _when(application.not_started_at),
                "follow_ups_stopped_at": _when(application.follow_ups_stopped_at),
                # Her answers and the employer's about her (both are about her).
                "follow_ups": [
                    {
                        "month": f.month,
                        "asked": f.get_party_display(),
                        "how": f.get_source_display(),
                        "sent_at": _when(f.sent_at),
                        "answered_at": _when(f.answered_at),
                        "still_working": f.still_working,
                        "ended_on": _when(f.ended_on),
                        "reason": f.get_reason_display() if f.reason else None,
                    }
                    for f in application.follow_ups.all()
                ],
                "history": [
                    {
                        "status": e.get_status_display(),
                        "at": _when(e.at),
                        "message": e.message,
                        "message_only": e.is_message,
                    }
                    for e in application.events.all()
                ],
            }
        )
    return {"applications": applications}


# What she sent to an employer: cleared when she withdraws, and when the row becomes anonymous.
APPLICANT_FIELDS = {
    "note": "",
    "applicant_name": "",
    "applicant_district": "",
    "applicant_skills": "",
    "applicant_experience": "",
    "contact_email": "",
    "contact_phone": "",
    "employer_notes": "",
    "interview_place": "",
    "interview_at": None,
    "cv": "",
}


def clear_applicant(queryset):
    """Clear what she sent (and the CV copies, once the transaction commits)."""
    ids = list(queryset.values_list("pk", flat=True))
    files = list(Application.objects.filter(pk__in=ids).exclude(cv="").values_list("cv", flat=True))
    storage = Application._meta.get_field("cv").storage
    if files:
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return Application.objects.filter(pk__in=ids).update(**APPLICANT_FIELDS)


def anonymise(queryset):
    """Keep the row as an anonymous count for the bureau's statistics; nothing that points to her."""
    ids = list(queryset.values_list("pk", flat=True))
    ApplicationEvent.objects.filter(application_id__in=ids).update(message="", by=None)
    clear_applicant(Application.objects.filter(pk__in=ids))
    return Application.objects.filter(pk__in=ids).update(seeker=None, anonymised_at=timezone.now())


@transaction.atomic
def erase_seeker(user):
    ApplicationEvent.objects.filter(by=user).update(by=None)
    anonymise(Application.objects.filter(seeker=user))
