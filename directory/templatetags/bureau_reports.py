"""The open-report count for the dashboard link (momjobs.users may not import directory, so its
template asks through this tag)."""

from django import template
from django.conf import settings

from directory.models import Report

register = template.Library()


@register.simple_tag
def open_report_count(user):
    return Report.objects.for_staff(user).open().count()


@register.simple_tag
def report_contact_days():
    """For the privacy notice: days a reporter's contact is kept after handling."""
    return settings.REPORT_CONTACT_RETENTION_DAYS
