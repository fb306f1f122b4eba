"""Texts the system writes into records (a reason, a history line) are in the portal's language,
Chinese, whoever's request wrote them: like what staff type themselves, pages show them as
written. (They were in the language of the page that caused them, so an officer working in
English left English reasons that Chinese-speaking seekers and employers then read.)
"""

from django.conf import settings
from django.utils import translation


def record_language():
    """`with record_language(): reason = _("…")`."""
    return translation.override(settings.LANGUAGE_CODE)
