"""News for a seeker about her applications, where she reads it: by SMS or by email, as she
chose on her profile (User.notify_channel). Callers pass one JSON-serialisable context; the SMS
text (templates/sms/<name>.txt) and the email (templates/emails/<name>*.txt) are built from it.
"""

from momjobs.lib import tasks

from .models import Notify


def tell_seeker(*, user, template, context):
    channel = user.notify_channel
    if channel == Notify.SMS:
        tasks.queue_sms(to=user.phone, template=template, context=context, language=user.language)
    elif channel == Notify.EMAIL:
        tasks.queue_email(to=user.email, template=template, context=context, language=user.language)
