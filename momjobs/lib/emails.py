"""Emails as subject/text/HTML template triples, built by one helper and sent by Celery after
the transaction that caused them commits (momjobs/lib/tasks.py queue_email). Nothing sends mail
from a signal or save().

Templates: templates/emails/<name>_subject.txt, <name>.txt and optionally <name>.html. The
context must be JSON-serialisable (it travels through the broker): pass ids, strings and
absolute URLs, not model instances.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def build(*, to, template, context, language=None, headers=None):
    language = language or settings.LANGUAGE_CODE
    context = {**context, "SITE_URL": settings.SITE_URL}
    with translation.override(language):
        # Subject and text part through the "text" engine (no HTML escaping); the HTML part
        # through the default one.
        subject = " ".join(
            render_to_string(f"emails/{template}_subject.txt", context, using="text").split()
        )
        text = render_to_string(f"emails/{template}.txt", context, using="text")
        try:
            html = render_to_string(f"emails/{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    return message


def send_now(**kwargs):
    return build(**kwargs).send()
