from importlib import import_module

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Notify, Role, SeekerProfile, User


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
def seeker_sign_up_by_phone(*, phone, name, language):
    """Called only once the SMS code for `phone` was confirmed: nothing exists before that."""
    user = User.objects.create_user(
        email=None,
        password=None,
        role=Role.SEEKER,
        display_name=name,
        language=language,
        phone=phone,
        phone_verified_at=timezone.now(),
        notify_by=Notify.SMS,
    )
    SeekerProfile.objects.create(
        user=user,
        name=name,
        phone=phone,
        privacy_policy_version=settings.PRIVACY_POLICY_VERSION,
        privacy_consent_at=timezone.now(),
    )
    return user


def profile_save_free_windows(*, user, windows):
    """Her free weekly hours (Window objects, momjobs.lib.schedule) saved on her profile."""
    from momjobs.lib.schedule import format_minutes

    profile, _created = SeekerProfile.objects.get_or_create(
        user=user, defaults={"name": user.display_name or ""}
    )
    profile.free_windows = [
        {"days": list(w.days), "start": format_minutes(w.start), "end": format_minutes(w.end)}
        for w in windows
    ]
    profile.save(update_fields=["free_windows", "updated_at"])
    return profile


@transaction.atomic
def phone_add(*, user, phone):
    """Her confirmed number becomes her sign-in number (and her contact number if she had none)."""
    if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise ValidationError(
            _("这个号码已经属于另一个账户。请用这个号码登录那个账户，或换一个号码。"),
            code="taken",
        )
    user.phone, user.phone_verified_at = phone, timezone.now()
    user.save(update_fields=["phone", "phone_verified_at"])
    profile = SeekerProfile.objects.filter(user=user).first()
    if profile is not None and not profile.phone:
        profile.phone = phone
        profile.save(update_fields=["phone", "updated_at"])
    return user


@transaction.atomic
def seeker_delete(*, user):
    """Her rows and files gone; applications kept only as anonymous counts (see employers.privacy)."""
    from .sessions import end_sessions

    for path in settings.MOMJOBS_SEEKER_DATA:
        import_module(path).erase_seeker(user)
    end_sessions(user)
    profile = SeekerProfile.objects.filter(user=user).first()
    if profile and profile.cv:
        name = profile.cv.name
        storage = profile.cv.storage
        transaction.on_commit(lambda: storage.delete(name))
    user.delete()
