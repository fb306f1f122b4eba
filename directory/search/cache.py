"""Cached search (issue 4): results for everyone, whole pages for anonymous visitors.

Both are keyed by `momjobs.lib.search_version`, which every write that changes what seekers can find
bumps (publishing, closing, taking down, an approved revision) and which changes at midnight
(expiry): a cached answer is never served after such a change. Entries also expire on their own.

1. Results: the ordered ids of the first RESULT_CAP matches and the total, per *normalised* search
   (the validated filters, not the raw query string; no language, no user), so /jobs/, its English
   twin and the API share them. A page within the cap then costs one query by primary key.
2. Pages: the HTML of /jobs/ per language and exact query string, only for requests without a
   session or messages cookie. Such a visitor is anonymous and the page holds nothing about a
   person (no CSRF token, no messages, no profile link); the CSP nonce is put back per request.
"""

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from directory.search.filters import FREE_HOURS_PARAMS, Q_MAX_CHARS, hourly_equivalent
from employers import schedule as sched
from employers.text import query_words, typed_words
from momjobs.lib import search_version

# 50 pages of 20: deeper pages are read from the database each time.
RESULT_CAP = 1000
RESULT_TTL = 15 * 60
PAGE_TTL = 10 * 60
# Longer query strings are not worth a cache entry (and would let anyone fill the cache).
PAGE_MAX_QUERY = 600
_NONCE = b"\x00csp-nonce\x00"  # the CSP nonce's place in a stored page


def _digest(value):
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def normalised(search):
    """The search as the filters understood it: what decides the results and their order."""
    if not search.is_bound:
        return {}
    form = search.form
    form.is_valid()
    data = form.cleaned_data
    out = {}
    free = search.free_windows()
    if free:
        out["free"] = sched.format_fits(sched.windows_from_data(free))
    for name in search.filters:
        if name in FREE_HOURS_PARAMS:
            continue
        value = data.get(name)
        # (Not `in (None, "", False)`: a pay floor of 0 filters, and Decimal(0) == False.)
        if name in form.errors or name == "pay_unit" or value is None or value is False:
            continue
        if name == "q":
            text = value[:Q_MAX_CHARS]
            words = query_words(text)
            # The words it needs and, for the order, the words as typed (服务员 and 服务 need the
            # same word, 服务, and list the posts in different orders).
            value = f"{' '.join(words)} | {' '.join(typed_words(text))}" if words else ""
        elif name == "region":
            value = value.code
        elif name == "pay_min":
            value = str(hourly_equivalent(value, data))
        elif isinstance(value, list):
            value = ",".join(sorted(value))
        if value != "":
            out[name] = value if value is True else str(value)
    return out


def results_key(search):
    query = json.dumps(normalised(search), sort_keys=True, ensure_ascii=False)
    return f"search:results:{search.version}:{_digest(query)}"


class SearchResults:
    """A search's matches as Paginator wants them (count(), slicing), from the cached ids.

    `cards` is the queryset a page's postings are loaded from (with what the page shows).
    """

    def __init__(self, search, cards):
        self.search = search
        self.cards = cards
        key = results_key(search)
        entry = cache.get(key)
        if entry is None:
            entry = self._compute()
            cache.set(key, entry, RESULT_TTL)
        self.ids, self.total = entry

    def _compute(self):
        ids = list(self.search.qs.values_list("pk", flat=True)[: RESULT_CAP + 1])
        if len(ids) <= RESULT_CAP:
            return ids, len(ids)
        # Only large result sets are counted apart.
        return ids[:RESULT_CAP], self.search.qs.count()

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if stop is not None and stop <= len(self.ids):
            ids = self.ids[start:stop]
        else:
            # Beyond the cached ids: the same search, read from the database.
            ids = list(self.search.qs.values_list("pk", flat=True)[start:stop])
        found = self.cards.in_bulk(ids)
        # A posting closed a moment ago (before the version changed) is left out.
        return [found[pk] for pk in ids if pk in found]


# -- whole pages, anonymous visitors only ---------------------------------------------------------


def _stateless(request):
    """No session and no messages: the visitor is anonymous and nothing on the page is hers."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and len(request.META.get("QUERY_STRING", "")) <= PAGE_MAX_QUERY
    )


def _page_key(request, variant):
    # Without the version, which is read with the page in one round trip and kept in the entry.
    return f"search:page:{get_language()}:{variant}:{_digest(request.get_full_path())}"


def cached_page(variant):
    """A view decorator: serve the view's answer from the cache for stateless visitors, and
    store it after. `variant(request)`: what else, besides the language and the full path,
    selects the answer (a request header, for instance)."""
    return functools.partial(_cached_page, variant=variant)


def _cached_page(view, variant):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _stateless(request):
            return view(request, *args, **kwargs)
        key = _page_key(request, variant(request))
        found = cache.get_many([search_version.KEY, key])
        version = search_version.current(found.get(search_version.KEY))
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            _version, content_type, vary, body = entry
            if _NONCE in body:
                body = body.replace(_NONCE, str(get_nonce(request)).encode())
            response = HttpResponse(body, content_type=content_type)
            patch_vary_headers(response, vary)
        else:
            response = view(request, *args, **kwargs)
            # (A page echoing the marker, typed into the search box, is not kept.)
            if _storable(request, response) and _NONCE not in response.content:
                body = response.content
                nonce = get_nonce(request)
                if nonce:  # used by the page: put a marker in its place
                    body = body.replace(str(nonce).encode(), _NONCE)
                vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
                cache.set(key, (version, response["Content-Type"], vary, body), PAGE_TTL)
        # What the session middleware would say had the page been rendered: it depends on who.
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A page that asked for a CSRF token holds a secret of this visitor.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.user.is_authenticated
    )
