"""The phases an employer may submit to, for the employer's dashboard (the employers app may not
import the directory, so its template asks through this tag)."""

from django import template

from directory.catalog.services import phases_open_to

register = template.Library()


@register.simple_tag
def open_phases(employer):
    return phases_open_to(employer) if employer.can_submit else []
