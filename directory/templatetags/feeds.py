"""The catalogs whose feeds the home and search pages link to (directory/exports/feeds.py)."""

from django import template
from django.core.cache import cache

register = template.Library()

CATALOG_FEEDS_KEY = "catalog-feeds"


@register.simple_tag
def catalog_feeds():
    """[{"pk", "name"}] of the catalogs with a public phase; kept five minutes, so the busiest
    pages do not ask the database each time, and keyed by the search version, so a publish shows
    a new catalog's feed at once."""
    from directory.exports.feeds import catalogs_with_public_phases
    from momjobs.lib import search_version

    def load():
        return list(catalogs_with_public_phases().order_by("name").values("pk", "name"))

    return cache.get_or_set(f"{CATALOG_FEEDS_KEY}:{search_version.current()}", load, 300)
