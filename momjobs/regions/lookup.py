"""The region tree from memory: what every search asks (a code, and what lies under it), and
the names a place can be typed as (names.py reads them).

Regions are reference data (3,214 rows, written by `load_regions` and now and then in the
admin), yet a search used to spend two queries and about 1.5 ms of Python on them
(docs/performance.md). Each process reads the whole table once and keeps it for MAX_AGE seconds.
It forgets it when this process saves or deletes a region (at once and after the commit), when
`load_regions` commits and when the database is flushed (tests); other processes see a change
within MAX_AGE.
"""

import bisect
import itertools
import time
from collections import defaultdict

from momjobs.lib.kept import Kept

MAX_AGE = 300  # seconds


class _Tree:
    def __init__(self):
        from .models import Region

        self.by_code = {r.code: r for r in Region.objects.all()}
        self.by_pk = {r.pk: r for r in self.by_code.values()}
        self._paths = sorted((r.path, r.pk) for r in self.by_code.values())
        self._within = {}
        self._index_names()
        self.taken = time.monotonic()

    def _index_names(self):
        # Every key a region can be typed as: its name, and its short name when it has one.
        # A short name is always the start of the full name, so the sorted full names answer
        # "starts with" for both.
        names = defaultdict(list)
        for region in sorted(self.by_code.values(), key=lambda r: r.code):
            names[region.name].append((region, True))
            names[pinyin(region.name)].append((region, True))
            short = short_name(region.name, region.kind)
            if short:
                names[short].append((region, False))
                names[pinyin(short)].append((region, False))
        self.names = {key: tuple(found) for key, found in names.items()}
        self.longest_name = max(map(len, self.names), default=0)
        self.sorted_names = sorted((r.name, r.code) for r in self.by_code.values())

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


# -- names --------------------------------------------------------------------------------------

_PINYIN = {}


def pinyin(name):
    """A name as pinyin without tones or spaces (青岛 -> qingdao, 重庆 -> chongqing), so that a
    place can be typed on an English page or a keyboard without Chinese input. Kept across
    rebuilds of the tree: names hardly change, and converting them all takes 0.2 s."""
    key = _PINYIN.get(name)
    if key is None:
        from pypinyin import lazy_pinyin

        key = _PINYIN[name] = "".join(lazy_pinyin(name)).lower()
    return key


# Administrative suffixes. The short name is what is left before the longest one that leaves 2
# characters or more (青岛市 -> 青岛, 清新区 -> 清新 and not 清; 青县 has no short name).
SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "新区",
    "矿区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)
# Only for county-level units of their own kind (神农架林区, 六枝特区): 碑林区, 金林区 and
# 万柏林区 are districts named 碑林, 金林 and 万柏林.
COUNTY_OTHER_SUFFIXES = ("林区", "特区")
_SUFFIX_SET = frozenset(SUFFIXES)

# The peoples named in autonomous areas' names (广西壮族自治区, 伊犁哈萨克自治州, 龙胜各族自治县).
_PEOPLE_NAMES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 "
    "纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 "
    "鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
)
PEOPLES = tuple(_PEOPLE_NAMES.split())
# How a name can end with a people: "壮族" (any people with 族), "维吾尔" (a name of two or more
# characters without 族: a place may end in 水 or 白). The longest ending is tried first, so
# that 土家族 is not read as 家族.
_PEOPLE_ENDINGS = {people + "族" for people in PEOPLES} | {p for p in PEOPLES if len(p) > 1}
_PEOPLE_SIZES = sorted({len(ending) for ending in _PEOPLE_ENDINGS}, reverse=True)


def _without_peoples(stem):
    # 宁夏回族 -> 宁夏, 双江拉祜族佤族布朗族傣族 -> 双江, 新疆维吾尔 -> 新疆. When the people is all
    # there is, the people's name stays: 东乡族 -> 东乡, 鄂伦春 -> 鄂伦春, 内蒙古 -> 内蒙古.
    while True:
        for size in _PEOPLE_SIZES:
            if stem[-size:] in _PEOPLE_ENDINGS:
                if len(stem) - size >= 2:
                    stem = stem[:-size]
                    break
                return stem[:-1] if stem.endswith("族") and len(stem) > 2 else stem
        else:
            return stem


_SUFFIX_SIZES = sorted({len(suffix) for suffix in SUFFIXES + COUNTY_OTHER_SUFFIXES}, reverse=True)


def short_name(name, kind=None):
    """The name without its administrative suffix (青岛, 崂山, 沂河, 内蒙古, 新疆, 延边), or ""
    when it has none of 2 or more characters."""
    # A set lookup per suffix length, not an endswith per suffix: 3,214 names at each load.
    for size in _SUFFIX_SIZES:
        suffix = name[-size:]
        if len(name) - size < 2:
            continue
        # RegionKind.COUNTY_OTHER (the models are not imported up here).
        if suffix in _SUFFIX_SET or (kind == "county_other" and suffix in COUNTY_OTHER_SUFFIXES):
            stem = name[:-size]
            if suffix.startswith("自治"):
                stem = _without_peoples(stem)
            if len(stem) >= 2:
                return stem
    return ""


_kept = Kept(_Tree)


def _current():
    return _kept.get(MAX_AGE)


def by_code(code):
    """The region with this code, or None."""
    return _current().by_code.get(code)


def ids_within(region):
    """The ids of the region and of everything under it, as `Region.objects.within`."""
    return _current().within(region)


def by_id(pk):
    """The region with this primary key, or None."""
    return _current().by_pk.get(pk)


def ancestors(region):
    """The regions above this one, the province first (none for a province)."""
    tree = _current()
    codes = [code for code in region.path.split("/") if code][:-1]
    return tuple(a for a in map(tree.by_code.get, codes) if a is not None)


def named(key):
    """(region, exact) for each region that can be typed as `key`: exact when `key` is its
    full name (青岛市), not when it is its short name (青岛). In code order."""
    return _current().names.get(key, ())


def longest_name():
    """The length of the longest key `named` knows (no longer text can be one name)."""
    return _current().longest_name


def starting_with(prefix):
    """The regions whose name starts with `prefix`, in name order."""
    tree = _current()
    found = []
    start = bisect.bisect_left(tree.sorted_names, (prefix, ""))
    for name, code in itertools.islice(tree.sorted_names, start, None):
        if not name.startswith(prefix):
            break
        found.append(tree.by_code[code])
    return found


def containing(text):
    """The regions whose name contains `text`, in code order."""
    return [r for r in _current().by_code.values() if text in r.name]


def forget(*args, **kwargs):
    """Drop this process's copy."""
    _kept.forget()


def region_changed(*args, **kwargs):
    """A region saved or deleted (signal receiver): forget now, and again once the change is
    committed, so that no request in between keeps the tree as it was."""
    from django.db import transaction

    forget()
    transaction.on_commit(forget)
