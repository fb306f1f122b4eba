"""A seeker's data held by the employers app: exported with hers, erased with her account.
Reached by momjobs.users through settings.MOMJOBS_SEEKER_DATA."""

from django.db import transaction
from django.utils import timezone

from .models import Application, ApplicationEvent


def export_seeker(user):
    applications = []
    for application in Application.objects.filter(seeker=user).select_related("posting__employer"):
        applications.append(
            {
                "posting": application.posting.title,
                "employer": application.posting.employer.name,
                "status": application.status,
                "note": application.note,
                "phone_given_to_employer": application.contact_phone or None,
                "submitted_at": application.created_at.isoformat(),
                "interview_at": application.interview_at.isoformat()
                if application.interview_at
                else None,
                "interview_place": application.interview_place,
                "history": [
                    {"status": e.status, "at": e.at.isoformat(), "message": e.message}
                    for e in application.events.all()
                ],
            }
        )
    return {"applications": applications}


def anonymise(queryset):
    """Keep the row as an anonymous count for the bureau's statistics; nothing that points to her."""
    ids = list(queryset.values_list("pk", flat=True))
    ApplicationEvent.objects.filter(application_id__in=ids).update(message="", by=None)
    return Application.objects.filter(pk__in=ids).update(
        seeker=None,
        note="",
        contact_phone="",
        employer_notes="",
        interview_place="",
        interview_at=None,
        anonymised_at=timezone.now(),
    )


@transaction.atomic
def erase_seeker(user):
    ApplicationEvent.objects.filter(by=user).update(by=None)
    anonymise(Application.objects.filter(seeker=user))
