from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Role, SeekerProfile, User


@transaction.atomic
def seeker_sign_up(*, email, password, name, language):
    user = User.objects.create_user(
        email=email, password=password, role=Role.SEEKER, display_name=name, language=language
    )
    SeekerProfile.objects.create(
        user=user,
        name=name,
        privacy_policy_version=settings.PRIVACY_POLICY_VERSION,
        privacy_consent_at=timezone.now(),
    )
    return user


@transaction.atomic
def seeker_delete(*, user):
    """Her rows and files gone; applications kept only as anonymous counts (see employers.privacy)."""
    for path in settings.MOMJOBS_SEEKER_DATA:
        import_module(path).erase_seeker(user)
    profile = SeekerProfile.objects.filter(user=user).first()
    if profile and profile.cv:
        name = profile.cv.name
        storage = profile.cv.storage
        transaction.on_commit(lambda: storage.delete(name))
    user.delete()
