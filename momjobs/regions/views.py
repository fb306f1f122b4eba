"""Place names as they are typed (the district box's suggestions): JSON, from memory."""

import hashlib

from django.core.cache import cache
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from . import names

LIMIT = 8
# The browser keeps an answer for a day: the regions change once a year.
BROWSER_SECONDS = 86400
# Django's cache a little shorter, so that an edit in the admin shows within the hour.
CACHE_SECONDS = 3600


@require_safe
def region_suggest(request):
    """{"q": what was asked, "results": [{"code", "name", "label"}, ...]}, at most LIMIT; an
    empty list for what cannot be a place name."""
    asked = request.GET.get("q", "")
    prefix = names.clean(asked)
    results = []
    if prefix:
        # The labels are translated: one entry per language. Hashed: the key stays short and
        # plain whatever was typed.
        digest = hashlib.sha256(prefix.encode()).hexdigest()
        key = f"regions:suggest:{get_language()}:{digest}"
        results = cache.get(key)
        if results is None:
            results = [
                {"code": r.code, "name": r.name, "label": names.label(r)}
                for r in names.suggest(prefix, limit=LIMIT)
            ]
            cache.set(key, results, CACHE_SECONDS)
    # "q" lets the page drop answers to what is no longer in the box; a long text is cut.
    response = JsonResponse({"q": asked[: names.MAX_LENGTH * 2], "results": results})
    patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
    return response
