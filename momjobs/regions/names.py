"""A place typed as its name: "青岛", "崂山", "青岛市市南区", "山东青岛", "沂河新区".

People know their place's name, not its code. Everything here is answered from the in-memory
tree (lookup.py): no query once the tree is loaded. Codes still work, for shared links.

How a text is read: every piece of it that is a region's full name (青岛市) or short name (青岛)
is found; each region found scores the characters it covers together with the pieces that name
its own province and city ("青岛市南" is 市南区 under 青岛, covering all four characters). The best
score wins: the most characters covered, then the most covered by full names (朝阳区 beats
朝阳市's short name 朝阳). At least half of the text must be place names, else nothing is found
("平安的工作" is not 平安区). Over MAX_LENGTH characters, a text is not read at all.

When several regions tie, the biggest place wins if it is the only one of its size: a province
before a city, a city before a district or county (吉林 is 吉林省, 西安 is 西安市 and not the two
districts named 西安区, 和田 is 和田地区 which holds 和田市 and 和田县). Ties among places of one size
(朝阳区 in Beijing and in Changchun, four 鼓楼区) are not decided: `region` is None and the
candidates are offered. Candidates are ordered province, city, then county level, then by code.
(城区, 郊区 and 市区 are both districts' names and words for a city's areas: "青岛城区" is 青岛市.)
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext

from . import lookup
from .codes import CODE, normalise
from .models import Region, RegionKind

# Longer text is not one place (the longest name is 15 characters); it is not read at all.
MAX_LENGTH = 50

# Said around a place, never part of one (no region's name contains them).
AROUND = ("附近", "周边", "周围", "一带", "那边", "这边", "那块", "这块")

# Said after a city for its urban or outer area (青岛城区, 青岛郊区), and also the names of a few
# districts (晋城市's 城区), which win when the city before them is theirs.
AREA_WORDS = ("城区", "市区", "郊区")

_TIER = {
    RegionKind.PROVINCE: 0,
    RegionKind.AUTONOMOUS_REGION: 0,
    RegionKind.MUNICIPALITY: 0,
    RegionKind.SAR: 0,
    RegionKind.PREFECTURE: 1,
    RegionKind.PREFECTURE_OTHER: 1,
}
_NOT_WORD = re.compile(r"[\W_]+")
_ENGLISH_KINDS = re.compile(
    r"\b(province|city|district|county|prefecture|autonomous|region|new area|area|zone|"
    r"shi|qu|sheng)\b"
)
# Digits, maybe a zone's Z: a code, or a code being typed (ASCII only: \d would take any script).
_CODE_LIKE = re.compile(r"[0-9]+(Z[0-9]*)?", re.ASCII)
# Control characters, lone surrogates, private use, unassigned: not typed by a person.
_UNTYPABLE = {"Cc", "Cs", "Co", "Cn"}


@dataclass
class Found:
    region: Region | None = None  # the one region the text names
    candidates: list[Region] = field(default_factory=list)  # all it may name, when several
    code_typed: bool = False  # the text was shaped like a code (found or not)

    @property
    def ambiguous(self):
        return self.region is None and bool(self.candidates)

    def __bool__(self):
        return self.region is not None or bool(self.candidates)


def tier(region):
    """0 for a province, 1 for a city (prefecture level), 2 for a district, county or zone."""
    return _TIER.get(region.kind, 2)


def _order(region):
    return (tier(region), region.code)


def clean(text):
    """The text as names are written: NFKC (full-width letters and digits made ASCII), without
    spaces or punctuation, without 附近/周边/一带 around it. "" for anything that cannot be a
    place: not a string, longer than MAX_LENGTH, control characters or lone surrogates."""
    if not isinstance(text, str):
        return ""
    text = text.strip()
    if not text or len(text) > MAX_LENGTH:
        return ""
    if any(unicodedata.category(c) in _UNTYPABLE and not c.isspace() for c in text):
        return ""
    text = unicodedata.normalize("NFKC", text).lower()
    # Typed in English or pinyin ("Shinan District, Qingdao"): the administrative words go.
    text = _ENGLISH_KINDS.sub(" ", text)
    words = _NOT_WORD.sub("", text)
    trimmed = True
    while trimmed:
        trimmed = False
        for word in AROUND:
            if words.startswith(word) or words.endswith(word):
                words = words.removeprefix(word).removesuffix(word)
                trimmed = True
    # NFKC can lengthen a text (one character may become many).
    return words if len(words) <= MAX_LENGTH else ""


def resolve(text):
    """What a typed text names: a Found with `.region`, or `.candidates` when the name is shared,
    `.code_typed` when it was a code. Never raises; an empty Found when nothing fits."""
    words = clean(text)
    if not words:
        return Found()
    code = normalise(words)
    if _CODE_LIKE.fullmatch(code):
        region = lookup.by_code(code) if CODE.match(code) else None
        return Found(region=region, code_typed=True)
    return _by_name(words)


def _matches(words):
    # {region: [(start, end, exact), ...]} for every piece of the text that names a region.
    found = {}
    longest = lookup.longest_name()
    for start in range(len(words)):
        for end in range(start + 2, min(len(words), start + longest) + 1):
            for region, exact in lookup.named(words[start:end]):
                found.setdefault(region, []).append((start, end, exact))
    return found


def _best_cover(own, above):
    # The best (characters covered, of them by full names) using one of the region's own pieces
    # and at most one piece for each region above it, none overlapping.
    def score(spans):
        return (sum(e - s for s, e, _ in spans), sum(e - s for s, e, exact in spans if exact))

    def extend(chosen, rest):
        best = score(chosen)
        if rest:
            for span in rest[0]:
                if all(span[1] <= s or span[0] >= e for s, e, _ in chosen):
                    best = max(best, extend([*chosen, span], rest[1:]))
            best = max(best, extend(chosen, rest[1:]))
        return best

    return max(extend([span], above) for span in own)


def _by_name(words):
    found = _read(words)
    if found.region is None and len(words) > 2 and words.endswith(AREA_WORDS):
        broader = _read(words[:-2])
        if broader.region is not None:
            return broader
    return found


def _read(words):
    found = _matches(words)
    if not found:
        return Found()
    scores = {}
    for region, own in found.items():
        above = [found[a] for a in lookup.ancestors(region) if a in found]
        scores[region] = _best_cover(own, above)
    best = max(scores.values())
    if best[0] * 2 < len(words):
        return Found()
    winners = sorted((r for r, s in scores.items() if s == best), key=_order)
    if len(winners) == 1:
        return Found(region=winners[0])
    biggest = [r for r in winners if tier(r) == tier(winners[0])]
    return Found(region=biggest[0] if len(biggest) == 1 else None, candidates=winners)


def label(region):
    """The region with where it is: "市南区（山东省青岛市）", "青岛市（山东省）", "山东省"."""
    above = [a.name for a in lookup.ancestors(region)]
    if not above:
        return region.name
    where = above[0]
    for name in above[1:]:
        # Translators: a place after the bigger place holding it, as in an address: 山东省青岛市.
        # English names the smaller first: "%(inner)s, %(outer)s".
        where = gettext("%(outer)s%(inner)s") % {"outer": where, "inner": name}
    # Translators: a place and, in brackets, the province and city it lies in.
    return gettext("%(name)s（%(where)s）") % {"name": region.name, "where": where}


def suggest(prefix, limit=8):
    """Regions for a name being typed, best first: names starting with it (the one it spells
    in full or in short first, then province, city, district, then code), then names
    containing it; then places under a place already typed ("山东青" -> 青岛市, "青岛市市" ->
    市南区); then what `resolve` finds."""
    words = clean(prefix)
    if not words or limit <= 0:
        return []
    if _CODE_LIKE.fullmatch(normalise(words)):
        found = resolve(words)
        return [found.region] if found.region else []

    results = _ranked(words, lookup.starting_with(words))
    if len(results) < limit:
        inside = [r for r in lookup.containing(words) if not r.name.startswith(words)]
        results += _ranked(words, inside)
    if len(results) < limit:
        results += _under_typed_place(words)
    if len(results) < limit:
        found = resolve(words)
        results += [found.region] if found.region else found.candidates
    return list(dict.fromkeys(results))[:limit]


def _ranked(words, regions):
    def rank(region):
        spelled = words in (region.name, lookup.short_name(region.name, region.kind))
        return (not region.name.startswith(words), not spelled, tier(region), region.code)

    return sorted(regions, key=rank)


def _under_typed_place(words):
    # The longest start of the text that names one place, and the rest as the start of a name
    # under it. Only for short texts: each split is a `resolve`.
    if len(words) > 20:
        return []
    for cut in range(len(words) - 1, 1, -1):
        head, rest = words[:cut], words[cut:]
        place = _by_name(head).region
        if place is None:
            continue
        under = [lookup.by_id(pk) for pk in lookup.ids_within(place)]
        hits = [r for r in under if r is not None and r != place and r.name.startswith(rest)]
        if hits:
            return _ranked(rest, hits)
    return []
