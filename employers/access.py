"""One access helper per owned object on the employer side: employer staff reach only their own
organisation's rows. Outsiders get 404; signed-in users of another role get 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Application, Employer, Posting


def require_employer_staff(user):
    if not (user.is_authenticated and user.employer_memberships.exists()):
        raise PermissionDenied


def get_employer_for_user(user, pk):
    require_employer_staff(user)
    return get_object_or_404(Employer.objects.for_user(user), pk=pk)


def get_posting_for_user(user, pk):
    require_employer_staff(user)
    return get_object_or_404(
        Posting.objects.for_employer_user(user).select_related("employer", "region"), pk=pk
    )


def get_application_for_employer_user(user, pk):
    require_employer_staff(user)
    return get_object_or_404(
        Application.objects.for_employer_user(user).select_related("posting", "seeker"), pk=pk
    )


def get_application_for_seeker(user, pk):
    if not user.is_authenticated:
        raise PermissionDenied
    return get_object_or_404(Application.objects.for_seeker(user).select_related("posting"), pk=pk)
