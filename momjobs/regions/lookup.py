"""The region tree from memory: what every search asks (a code, and what lies under it).

Regions are reference data (3,214 rows, written by `load_regions` and now and then in the
admin), yet a search used to spend two queries and about 1.5 ms of Python on them
(docs/performance.md). Each process reads the whole table once and keeps it for MAX_AGE seconds.
It forgets it when this process saves or deletes a region (at once and after the commit), when
`load_regions` commits and when the database is flushed (tests); other processes see a change
within MAX_AGE.
"""

import bisect
import threading
import time

MAX_AGE = 300  # seconds

_lock = threading.Lock()
_tree = None


class _Tree:
    def __init__(self):
        from .models import Region

        self.by_code = {r.code: r for r in Region.objects.all()}
        self._paths = sorted((r.path, r.pk) for r in self.by_code.values())
        self._within = {}
        self.taken = time.monotonic()

    def within(self, region):
        ids = self._within.get(region.path)
        if ids is None:
            # Paths sort parents right before their descendants: one contiguous run.
            start = bisect.bisect_left(self._paths, (region.path, -1))
            ids = []
            for path, pk in self._paths[start:]:
                if not path.startswith(region.path):
                    break
                ids.append(pk)
            ids = self._within[region.path] = tuple(ids)
        return ids


def _current():
    global _tree
    tree = _tree
    if tree is None or time.monotonic() - tree.taken > MAX_AGE:
        with _lock:
            if _tree is None or time.monotonic() - _tree.taken > MAX_AGE:
                _tree = _Tree()
            tree = _tree
    return tree


def by_code(code):
    """The region with this code, or None."""
    return _current().by_code.get(code)


def ids_within(region):
    """The ids of the region and of everything under it, as `Region.objects.within`."""
    return _current().within(region)


def forget(*args, **kwargs):
    """Drop this process's copy."""
    global _tree
    _tree = None


def region_changed(*args, **kwargs):
    """A region saved or deleted (signal receiver): forget now, and again once the change is
    committed, so that no request in between keeps the tree as it was."""
    from django.db import transaction

    forget()
    transaction.on_commit(forget)
