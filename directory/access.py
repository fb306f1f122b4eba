"""One access helper per owned object on the bureau side. Outsiders get 404 (the object's
existence is not confirmed); signed-in users without the role get 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import Bureau, Phase


def staff_jurisdictions_q(user, path_field):
    """Q matching rows whose region path lies inside one of the user's bureaus' jurisdictions."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    paths = list(
        Bureau.objects.filter(staff__user=user).values_list("jurisdiction__path", flat=True)
    )
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def require_bureau_staff(user):
    if not (user.is_authenticated and user.bureau_memberships.exists()):
        raise PermissionDenied


def get_phase_for_staff(user, pk):
    require_bureau_staff(user)
    return get_object_or_404(Phase.objects.for_staff(user).select_related("catalog__bureau"), pk=pk)


def get_bureau_for_staff(user, pk):
    require_bureau_staff(user)
    return get_object_or_404(Bureau.objects.for_user(user), pk=pk)
