"""Every object the bureau side owns is fetched here, through one helper per object, scoped to
the user: staff reach their own bureaus' catalogs, phases and imports, and the postings,
employers, revisions and reports inside their jurisdiction. Outsiders get 404 (the object's
existence is not confirmed); signed-in users without the role get 403. Services check the same
rule once more with `require_jurisdiction` (a service may be called without a view).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from employers.models import Employer, Posting, PostingRevision

from .models import Bureau, Catalog, ImportJob, Phase, PhaseEntry, Report, in_jurisdiction_of


def require_bureau_staff(user):
    if not (user.is_authenticated and user.bureau_memberships.exists()):
        raise PermissionDenied


def require_jurisdiction(user, region):
    """For services: the acting officer's bureaus must cover the region."""
    if not any(bureau.covers(region) for bureau in Bureau.objects.for_user(user)):
        raise PermissionDenied


# Querysets scoped to the officer (lists); the helpers below fetch one object of each.


def phases_for_staff(user):
    """Phases of the catalogs of the officer's own bureaus."""
    require_bureau_staff(user)
    return Phase.objects.filter(catalog__bureau__staff__user=user).select_related(
        "catalog__bureau__jurisdiction"
    )


def catalogs_for_staff(user):
    return Catalog.objects.filter(bureau__in=Bureau.objects.for_user(user)).select_related("bureau")


def postings_for_staff(user):
    require_bureau_staff(user)
    return Posting.objects.filter(in_jurisdiction_of(user, "region__path"))


def revisions_for_staff(user):
    require_bureau_staff(user)
    return PostingRevision.objects.filter(in_jurisdiction_of(user, "posting__region__path"))


def employers_for_staff(user):
    require_bureau_staff(user)
    return Employer.objects.filter(in_jurisdiction_of(user, "region__path"))


def reports_for_staff(user):
    require_bureau_staff(user)
    return Report.objects.for_staff(user)


def import_jobs_for_staff(user):
    require_bureau_staff(user)
    return ImportJob.objects.filter(bureau__in=Bureau.objects.for_user(user)).select_related(
        "catalog", "phase", "uploaded_by"
    )


def get_phase_for_staff(user, pk):
    return get_object_or_404(phases_for_staff(user), pk=pk)


def get_entry_for_staff(user, pk):
    require_bureau_staff(user)
    return get_object_or_404(
        PhaseEntry.objects.filter(phase__catalog__bureau__staff__user=user).select_related(
            "phase", "posting__employer"
        ),
        pk=pk,
    )


def get_posting_for_staff(user, pk):
    return get_object_or_404(postings_for_staff(user).select_related("employer"), pk=pk)


def get_revision_for_staff(user, pk):
    return get_object_or_404(
        revisions_for_staff(user).select_related("posting__employer"),
        pk=pk,
    )


def get_employer_for_staff(user, pk):
    return get_object_or_404(
        employers_for_staff(user).select_related("region__parent__parent"), pk=pk
    )


def get_report_for_staff(user, pk):
    return get_object_or_404(reports_for_staff(user), pk=pk)


def get_import_job_for_staff(user, pk):
    return get_object_or_404(import_jobs_for_staff(user), pk=pk)
