"""Place names in a sheet (district, city, "沂河新区") matched to regions of the bureau's
jurisdiction."""

import logging

from directory.imports.reader import BRACKETED
from momjobs.regions.models import COUNTY_LEVEL, Region, RegionKind

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Places


def _short_name(name):
    for suffix in ("新区", "区", "县", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


class Places:
    """County-level places and functional zones inside a bureau's jurisdiction, by name: full
    (崂山区), short (崂山) and with their city (济南市市中区). A name two places share is
    ambiguous, never guessed."""

    AMBIGUOUS = object()

    def __init__(self, jurisdiction):
        self.root = jurisdiction
        self.root_full = jurisdiction.full_name
        regions = list(
            Region.objects.within(jurisdiction)
            .filter(kind__in=[*COUNTY_LEVEL, RegionKind.ZONE])
            .select_related("parent")
        )
        names = {jurisdiction.name: {jurisdiction}}
        searchable = set()
        for region in regions:
            keys = {region.name}
            short = _short_name(region.name)
            if short:
                keys.add(short)
            city = region.parent
            if (
                city is not None
                and city.pk != jurisdiction.pk
                and city.path.startswith(jurisdiction.path)
            ):
                keys.add(city.name + region.name)
                searchable.add(city.name + region.name)
                if short:
                    keys.add(city.name + short)
            searchable.add(region.name)
            for key in keys:
                names.setdefault(key, set()).add(region)
        self.unique = {name: next(iter(found)) for name, found in names.items() if len(found) == 1}
        self.ambiguous = {name for name, found in names.items() if len(found) > 1}
        # Only full names are looked for in addresses (城阳 is also a road in 市北区).
        self.searchable = sorted(
            (name for name in searchable if name in self.unique), key=len, reverse=True
        )
        self.example = next((r.name for r in regions if r.kind in COUNTY_LEVEL), jurisdiction.name)
        self._outside = {}

    def named(self, text):
        """The region, None, or AMBIGUOUS."""
        plain = BRACKETED.sub("", text).replace(" ", "")
        for candidate in (
            plain,
            plain.removeprefix(self.root_full),
            plain.removeprefix(self.root.name),
        ):
            if candidate in self.unique:
                return self.unique[candidate]
            if candidate in self.ambiguous:
                return self.AMBIGUOUS
        return None

    def in_address(self, text):
        for name in self.searchable:
            if name in text:
                return self.unique[name]
        return None

    def is_elsewhere(self, text):
        if text not in self._outside:
            plain = BRACKETED.sub("", text).replace(" ", "")
            self._outside[text] = Region.objects.filter(name=plain).exists()
        return self._outside[text]
