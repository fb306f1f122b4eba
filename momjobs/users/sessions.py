"""Every sign-in records its session key, so that deleting an account can end her sessions on
every device (docs/privacy.md). The records of sessions that expired are swept daily."""

from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.utils import timezone

from .models import SessionRecord


@receiver(user_logged_in, dispatch_uid="momjobs.users.record_session")
def record_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    SessionRecord.objects.get_or_create(user=user, session_key=session.session_key)


def end_sessions(user):
    """Delete every session she signed in with (the caller deletes the account after)."""
    keys = list(SessionRecord.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    SessionRecord.objects.filter(user=user).delete()


def sweep_records():
    """Forget records whose session expired or no longer exists."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return SessionRecord.objects.exclude(session_key__in=live).delete()[0]
