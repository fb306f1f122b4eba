"""One value that changes whenever what seekers can find may have changed.

Cached search results and pages (directory/search/cache.py) are keyed by it, so a cached answer
is never served after a change: every write that changes the set of live postings or what a
live posting shows calls `bump()` (publishing a phase, closing, taking down, an approved
revision: employers/services.py, directory/catalog/services.py). A posting also stops being live at
midnight after its `valid_through` without any write, so the value includes today's date;
and a new release renders pages differently, so it includes the release (momjobs/lib/release.py).

It lives here, below both apps, so that `employers` can bump it without importing `directory`.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from momjobs.lib import release
from momjobs.lib.cache import available as cache_available

KEY = "search-version"


_pending = False  # a change made while the cache could not be reached


def current(stored=None):
    """`stored`: KEY's value, when the caller has read it already (with other keys at once)."""
    if _pending and cache_available():
        # The cache answers again: make the change it missed, so that nothing it kept from
        # before the outage is served as current.
        _change()
        stored = None
    version = stored if stored is not None else cache.get(KEY)
    if version is None:
        # Redis was flushed or never had it: any new value leaves every old entry unreachable.
        cache.add(KEY, time.time_ns(), timeout=None)
        version = cache.get(KEY)
    return f"{version}-{timezone.localdate():%Y%m%d}-{release.token()}"


def bump():
    """Change the version now and again once the transaction commits.

    Now: this process (and a test inside a transaction) never sees its own stale answers.
    After the commit: a request that read the new version before the commit, and so cached what
    the database showed then, is made unreachable too.
    """
    _change()
    transaction.on_commit(_change)


def _change():
    global _pending
    try:
        cache.incr(KEY)
    except ValueError:  # missing: a new start is as good (or the cache is away: see below)
        cache.add(KEY, time.time_ns(), timeout=None)
    # While Redis cannot be reached the change is lost (momjobs/lib/cache.py answers without it);
    # this process makes it again once Redis answers.
    _pending = not cache_available()


def cached(name, load, timeout=600):
    """`load()`'s value, kept under the current version: what only a change to what seekers can
    find (or midnight, or a release) changes, computed once instead of on every request."""
    return cache.get_or_set(f"{name}:{current()}", load, timeout)
