"""Absolute links for emails, feeds, the API, QR codes and structured data: SITE_URL joined to
a path, written once. Objects give their path through get_absolute_url()."""

from django.conf import settings


def absolute_url(path_or_object):
    path = getattr(path_or_object, "get_absolute_url", None)
    return settings.SITE_URL + (path() if path else path_or_object)
