"""Free hours as a mother says them: "周一到周五 9点到3点", "工作日上午", "周末全天".

Three things live here:

- the words and time ranges of hours as people write them (day words, 上午/下午, 8:30-11:30).
  The spreadsheet import (directory/imports/cells.py) reads bureau sheets with these same
  patterns, so there is one grammar of hours in the project, not two;
- the one-tap presets (上学时段, 上午, ... 不限) and `parse_free_hours`, which reads a typed
  phrase into the windows of momjobs.lib.schedule ({"days": [1, ..., 5], "start": "09:00",
  "end": "15:00"});
- `describe`, the short text that shows free hours back.

How phrases are read (the decisions, each tested in tests/test_hours_phrases.py):

- Without days, a window is for Monday to Friday (the school week, and how the import reads
  sheets), except a window starting at 18:00 or later, which is for every day: evening free
  time follows the children's bedtime, which weekends do not move. So typing a preset's label
  ("上午", "晚上", "上学时段") gives exactly that preset.
- Days without hours ("周末", "周六") mean the whole day, 全天 = 08:00-20:00 (see ALL_DAY).
- 12-hour speech: an end without 上午/下午 that is not after the start is read twelve hours
  later when that makes a forward range: "9点到3点" and "9-3" are 09:00-15:00, "下午2点到5点"
  is 14:00-17:00, "晚上7点到10点" is 19:00-22:00. "晚上12点" is midnight (24:00).
- A start of 1 to 6 o'clock written as one digit without 上午/下午/凌晨 ("3点到5点", "1-5") is
  refused as ambiguous: at three in the night or the afternoon? "03:00-05:00" is taken as written.
- Overnight: schedule.py allows windows that run past midnight and the URL syntax accepts them
  (7@22:00-06:00), so free hours may too: a range that starts at 18:00 or later and ends by
  12:00 ("晚上10点到早上6点", "22:00-06:00"), or one that says 次日/第二天. Any other backwards
  range ("下午3点到上午9点") is refused: it is far more often a slip than an 18-hour night.
- "X点以后/以前": until the end (from the start) of the part of the day named, "晚上7点以后" is
  19:00-22:00; without 上午/下午... the day is 08:00-22:00.
- Words the grammar does not know are refused, never skipped: "周一到周五，周三除外" must not
  quietly become Monday to Friday.
- "不限" (and 随时, 都可以) alone means no hours filter: `None`, like the 不限 preset.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from momjobs.lib import schedule as sched

DAY = 24 * 60
WEEKDAYS = (1, 2, 3, 4, 5)
WEEKEND = (6, 7)
EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)
EVENING_FROM = 18 * 60
# "全天" and a day named without hours. Not 00:00-24:00: the search's test is "every minute of
# the posting lies in her free time", and a whole-day window would also let night shifts
# (22:00-06:00) through, which nobody saying "weekends, all day" means. 08:00-20:00 holds every
# daytime shift of the sheets we have seen.
ALL_DAY = ("08:00", "20:00")

# ---------------------------------------------------------------------------------------------
# The grammar shared with the spreadsheet import. Changing a pattern here changes how bureau
# sheets are read too: tests/test_imports.py and tests/test_imports_fuzz.py cover that side.

RANGE_SEP = r"\s*(?:-|~|—|–|―|至|到)+\s*"
PM_WORDS = ("下午", "晚上", "傍晚", "晚")
_AP = r"(上午|下午|中午|晚上|早上|凌晨|傍晚|早|晚)?"
# Groups: part of the day, hours, minutes (digits or 半).
POINT = _AP + r"\s*(\d{1,2})(?:\s*(?:[:.]|点|时)\s*(\d{1,2}|半)?\s*分?)?"
NEXT_DAY = r"(?:次日|第二天)"
# Groups: the POINT groups of the start, then of the end.
TIME_RANGE = POINT + RANGE_SEP + NEXT_DAY + r"?\s*" + POINT
DAY_PREFIX = r"(?:周|星期|礼拜)"
DAY_ANY = r"[一二三四五六日天七1-7]"
DAY_CN = r"[一二三四五六日天七]"
DAY_WORDS = {
    "工作日": [1, 2, 3, 4, 5],
    "周末": [6, 7],
    "双休日": [6, 7],
    "每天": [1, 2, 3, 4, 5, 6, 7],
    "每日": [1, 2, 3, 4, 5, 6, 7],
    "天天": [1, 2, 3, 4, 5, 6, 7],
    "全周": [1, 2, 3, 4, 5, 6, 7],
}
DAY_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "七": 7}
# Alternatives of a token regex, with the named groups `days_of` reads.
DAY_PATTERNS = (
    r"(?P<word>" + "|".join(DAY_WORDS) + r")",
    rf"{DAY_PREFIX}(?P<d1>{DAY_ANY})\s*(?:至|到|-|~|—|–)\s*{DAY_PREFIX}?(?P<d2>{DAY_ANY})",
    rf"{DAY_PREFIX}(?P<dlist>{DAY_ANY}(?:[、,/和及]?{DAY_PREFIX}?{DAY_CN})*)",
)
TIME_RANGE_RE = re.compile(TIME_RANGE)
POINT_RE = re.compile(POINT)


def day_number(char):
    return int(char) if char.isdigit() else DAY_NUMBERS[char]


def days_of(match):
    """The days a match of DAY_PATTERNS names (周一至周五, 周二、四, 工作日); None when the match
    is another alternative of the token regex."""
    if match.group("word"):
        return list(DAY_WORDS[match.group("word")])
    if match.group("d1"):
        first, last = day_number(match.group("d1")), day_number(match.group("d2"))
        if last < first:
            raise ValidationError(_("星期范围应从小到大，例如 周一至周五。"), code="day_order")
        return list(range(first, last + 1))
    if match.group("dlist"):
        chars = re.findall(DAY_ANY, re.sub(DAY_PREFIX, "", match.group("dlist")))
        return sorted({day_number(c) for c in chars})
    return None


def clock(ap, hours, minutes):
    """Minutes after midnight of a POINT's groups: 下午2点 is 14:00, 中午1点 13:00."""
    hours = int(hours)
    minutes = 30 if minutes == "半" else int(minutes or 0)
    if (ap in PM_WORDS and hours < 12) or (ap == "中午" and hours < 11):
        hours += 12
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValidationError(
            _("时间 %(h)s:%(m)02d 不存在。"),
            code="time_range",
            params={"h": hours, "m": minutes if minutes < 100 else 0},
        )
    return hours * 60 + minutes


def sheet_range(match):
    """(start, end) in minutes of a TIME_RANGE match, read as bureau sheets mean it: an end
    without 上午/下午 continues an afternoon start, and "8:30-5:30" is an office day written on
    a 12-hour clock, not a night shift. The end may be past 24:00 or before the start."""
    ap1, h1, m1, ap2, h2, m2 = match.groups()
    start = clock(ap1, h1, m1)
    end = clock(ap2 or (ap1 if ap1 in PM_WORDS else None), h2, m2)
    if not ap1 and not ap2 and end < start < 12 * 60 and end + 12 * 60 > start:
        end += 12 * 60
    return start, end


# ---------------------------------------------------------------------------------------------
# Presets


@dataclass(frozen=True)
class Preset:
    key: str
    label: str  # lazy
    spans: tuple | None  # ((days, "09:00", "15:00"), ...); None: no hours filter at all

    @property
    def windows(self):
        """A fresh list of window dicts (callers may change it), or None for 不限."""
        if self.spans is None:
            return None
        return [{"days": list(days), "start": s, "end": e} for days, s, e in self.spans]


PRESETS = [
    # The school day of a primary pupil: after drop-off, before pick-up.
    Preset("school", gettext_lazy("上学时段"), ((WEEKDAYS, "09:00", "15:00"),)),
    Preset("morning", gettext_lazy("上午"), ((WEEKDAYS, "08:00", "12:00"),)),
    Preset("afternoon", gettext_lazy("下午"), ((WEEKDAYS, "13:00", "17:00"),)),
    Preset("evening", gettext_lazy("晚上"), ((EVERY_DAY, "18:00", "22:00"),)),
    # Saturday and Sunday only, not Friday evening: Friday evening is already the 晚上 preset,
    # and a weekend that also took Friday would not be what "周末" says. Hours as 全天.
    Preset("weekend", gettext_lazy("周末"), ((WEEKEND, *ALL_DAY),)),
    Preset("any", gettext_lazy("不限"), None),
]
_PRESETS = {p.key: p for p in PRESETS}


def preset(key):
    """The preset of this key, or None (a key from a URL may be anything)."""
    return _PRESETS.get(key) if isinstance(key, str) else None


def _canonical(windows):
    """Windows as a frozenset of (start, end, days), windows of equal times joined, so that
    [周一 9-15, 周二 9-15 ...] and [周一至周五 9-15] compare equal. None when invalid."""
    if isinstance(windows, list | tuple) and all(isinstance(w, sched.Window) for w in windows):
        parsed = list(windows)
    else:
        try:
            parsed = sched.windows_from_data(windows)
        except ValidationError:
            return None
    joined = {}
    for w in parsed:
        joined.setdefault((w.start, w.end), set()).update(w.days)
    return frozenset((s, e, tuple(sorted(days))) for (s, e), days in joined.items())


def preset_for_windows(windows):
    """The preset these windows (dicts or schedule.Window objects) are, or None. None (no
    filter) is the 不限 preset; an empty list is no preset (free at no time at all)."""
    if windows is None:
        return _PRESETS["any"]
    wanted = _canonical(windows)
    if not wanted:
        return None
    for candidate in PRESETS:
        if candidate.spans is not None and _canonical(candidate.windows) == wanted:
            return candidate
    return None


# ---------------------------------------------------------------------------------------------
# Phrases

MAX_CHARS = 400  # as the search reads the URL syntax: 21 windows fit
MAX_WINDOWS = 21  # as schedule.parse_fits
# What the messages show; data a user types, so not translated.
EXAMPLE = "周一至周五 9点到3点，周末全天"


def _minutes(text):
    return sched.parse_time(text, allow_24=True)


# A part of the day said alone: (start, end) in minutes. The preset words take their preset's
# hours, so that typing a label gives its preset.
_PERIOD_TIMES = {
    "上学时段": _PRESETS["school"].spans[0][1:],
    "上学时间": _PRESETS["school"].spans[0][1:],
    "上午": _PRESETS["morning"].spans[0][1:],
    "下午": _PRESETS["afternoon"].spans[0][1:],
    "晚上": _PRESETS["evening"].spans[0][1:],
    "中午": ("11:00", "14:00"),  # the lunch hours between the 上午 and 下午 presets
    "白天": ("08:00", "18:00"),
    "全天": ALL_DAY,
    "整天": ALL_DAY,
}
PERIODS = {word: (_minutes(a), _minutes(b)) for word, (a, b) in _PERIOD_TIMES.items()}
# "X点以后/以前" runs to the end (from the start) of the part of the day its word names.
OPEN_PERIODS = {
    "凌晨": (0, 6 * 60),
    "早上": (6 * 60, 12 * 60),
    "早": (6 * 60, 12 * 60),
    "上午": PERIODS["上午"],
    "中午": PERIODS["中午"],
    "下午": PERIODS["下午"],
    "傍晚": (17 * 60, PERIODS["晚上"][1]),
    "晚上": PERIODS["晚上"],
    "晚": PERIODS["晚上"],
    None: (8 * 60, PERIODS["晚上"][1]),
}
AFTER_WORDS = ("以后", "之后", "后", "起", "开始")
BEFORE_WORDS = ("以前", "之前", "前")
# Said alone, these mean no limit on hours.
ANY_WORDS = re.compile(r"不限|随时|都可以|都行|任何时间|什么时候都")

FREE_TOKENS = re.compile(
    "|".join(
        [
            *DAY_PATTERNS,
            r"(?P<range>" + TIME_RANGE + r")",
            r"(?P<open>" + POINT + r")\s*(?P<bound>" + "|".join(AFTER_WORDS + BEFORE_WORDS) + r")",
            r"(?P<period>" + "|".join(sorted(PERIODS, key=len, reverse=True)) + r")",
        ]
    )
)
# Between the phrases: separators, and the little words around them ("我周末都有空").
_FILLER = re.compile(
    r"[\s,，、;；/|。.!！?？+&()\[\]【】]|以及|还有|另外|或者|和|及|与|跟|或|有空|空闲|可以|都行|均可|"
    r"不限|随时|任何时间|时间|时段|从|的|我|都|在|是"
)

# Chinese numerals of spoken times: 两点半, 十一点, 三点一刻, 九点十五. Not after 周/星期/礼拜,
# so that 周五九点 is Friday at nine, not 59 o'clock.
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_HOUR = r"[二两]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九]"
_CN_MINUTE = r"[一二三四五]?十[一二三四五六七八九]?|[零〇][一二三四五六七八九]"
_SPOKEN_TIME = re.compile(
    rf"(?<![周期拜\d])(\d{{1,2}}|{_CN_HOUR})\s*(?:点钟|点|时)"
    rf"(?:\s*(半|一刻|三刻|{_CN_MINUTE})(?![\d一二三四五六七八九十])\s*分?)?"
)


def _cn_number(text):
    if text.isdigit():
        return int(text)
    tens, ten, ones = text.partition("十")
    if not ten:
        return sum(_CN_DIGITS[c] * 10**i for i, c in enumerate(reversed(text)))
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _spoken_time(match):
    hours, minutes = _cn_number(match.group(1)), match.group(2)
    if minutes is None:
        return f"{hours}点"
    if minutes in ("半", "一刻", "三刻"):
        return f"{hours}点" + {"半": "半", "一刻": "15", "三刻": "45"}[minutes]
    return f"{hours}点{_cn_number(minutes)}"


def _error(message, code, **params):
    return ValidationError(message, code=code, params={"example": EXAMPLE, **params})


def _unreadable(text):
    return _error(
        _("看不懂“%(text)s”。请这样写：“%(example)s”。"), "hours_unreadable", text=_snippet(text)
    )


def _with_example(error):
    """A message from the shared grammar or schedule.py, with an example of what to write."""
    problem = " ".join(error.messages)
    return _error(_("%(problem)s请这样写：“%(example)s”。"), error.code, problem=problem)


def _snippet(text):
    """The text quoted in a message: no control characters, and no lone surrogates, which
    could not be encoded in the page."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs":
            kept.append("\ufffd")
        elif category[0] != "C":
            kept.append(char)
    return "".join(kept).strip()[:30]


def _ambiguous(ap, hours, text):
    # 1 to 6 o'clock as one digit, no part of the day: at night or in the afternoon?
    if ap is None and len(hours) == 1 and 1 <= int(hours) <= 6:
        raise _error(
            _("“%(text)s”是凌晨还是下午？请写上“上午”“下午”或“晚上”，例如“下午3点到5点”。"),
            "hours_ambiguous",
            text=_snippet(text),
        )


def _clock(ap, hours, minutes):
    if ap in ("晚上", "晚") and int(hours) == 12:
        return clock(None, 24, minutes)  # 晚上12点 is midnight, not noon
    return clock(ap, hours, minutes)


def _range(match):
    """(start, end) of a TIME_RANGE match as a mother says it; see the module's docstring."""
    ap1, h1, m1, ap2, h2, m2 = match.groups()
    text = match.group(0)
    _ambiguous(ap1, h1, text)
    start = _clock(ap1, h1, m1) % DAY  # 晚上12点到早上6点 starts at 00:00
    next_day = re.search(NEXT_DAY, text) is not None
    if ap2 or next_day:
        end = _clock(ap2, h2, m2)
    else:
        raw = clock(None, h2, m2)
        later = [t for t in (raw, raw + 12 * 60) if start < t <= DAY]
        end = later[0] if later else raw
    end = end or DAY  # "20:00-0:00" ends at midnight
    if next_day and end > start:
        raise _unreadable(text)  # longer than a day
    if end <= start and not next_day and not (start >= EVENING_FROM and end <= 12 * 60):
        raise _error(
            _("“%(text)s”的结束时间早于开始时间。跨夜请写“次日”，例如“晚上10点到次日6点”。"),
            "hours_overnight",
            text=_snippet(text),
        )
    return start, end


def _open_range(match):
    """(start, end) of "晚上7点以后" / "上午10点前"."""
    point = POINT_RE.fullmatch(match.group("open"))
    ap, hours, minutes = point.groups()
    _ambiguous(ap, hours, match.group(0))
    at = _clock(ap, hours, minutes)
    first, last = OPEN_PERIODS[ap]
    if match.group("bound") in AFTER_WORDS:
        start, end = at, (last if at < last else DAY)
    else:
        start, end = (first if first < at else 0), at
    if start >= end:
        raise _unreadable(match.group(0))
    return start, end


_SPACE_LIKE = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def _normalise(text):
    if text is None:
        text = ""
    text = str(text)
    if len(text) > MAX_CHARS:
        raise _with_example(
            ValidationError(
                _("内容过长（超过%(n)s个字）。"), code="hours_long", params={"n": MAX_CHARS}
            )
        )
    if "\x00" in text or any("\ud800" <= c <= "\udfff" for c in text):
        raise _unreadable(text)
    text = unicodedata.normalize("NFKC", text)
    # Line breaks, tabs, zero-width spaces and the like separate like a space.
    text = "".join(" " if unicodedata.category(c) in _SPACE_LIKE else c for c in text)
    return _SPOKEN_TIME.sub(_spoken_time, text).strip()


def parse_free_hours(text):
    """Free hours as typed -> a list of window dicts, or None for 不限 (no hours filter).

    Reads everyday phrases (see the module's docstring) and the URL syntax of the search
    (1-5@09:00-15:00). Raises ValidationError, with an example in its message, for anything it
    cannot read; never another exception.
    """
    text = _normalise(text)
    if not text:
        raise _error(_("请填写空闲时间，例如“%(example)s”。"), "hours_empty")
    if "@" in text:  # the search's URL syntax, 1-5@09:00-15:00
        try:
            return [w.as_dict() for w in sched.parse_fits(text)]
        except ValidationError as error:
            if error.code in ("fits_format", "fits_days", "fits_empty"):
                raise  # these give an example of the syntax already
            raise _with_example(error) from error
    try:
        entries = _read(text)
    except ValidationError as error:
        if error.code in ("hours_unreadable", "hours_ambiguous", "hours_overnight", "day_order"):
            raise
        raise _with_example(error) from error
    if entries is None:
        return None
    windows = _join(entries)
    try:
        if len(windows) > MAX_WINDOWS:
            raise ValidationError(_("空闲时间段太多（最多21个）。"), code="fits_many")
        sched.windows_from_data(windows)
    except ValidationError as error:
        raise _with_example(error) from error
    return windows


def _read(text):
    """The windows of a phrase in their order, each [days or None, start, end]; None for 不限."""
    entries = []  # dicts: {"days": [...] or None, "start", "end", "group": index or None}
    groups = []  # days tokens: {"days": [...], "used": bool}
    pending = []  # windows before any days: they take the next days named
    unread = []
    position = 0
    for match in FREE_TOKENS.finditer(text):
        unread.append(text[position : match.start()])
        position = match.end()
        days = days_of(match)
        if days is not None:
            groups.append({"days": days, "used": bool(pending)})
            entries.append({"group": groups[-1]})
            for entry in pending:
                entry["days"] = days
            pending = []
            continue
        if match.group("range"):
            start, end = _range(TIME_RANGE_RE.fullmatch(match.group("range")))
        elif match.group("open"):
            start, end = _open_range(match)
        else:
            start, end = PERIODS[match.group("period")]
        entry = {"days": None, "start": start, "end": end}
        if groups:
            entry["days"] = groups[-1]["days"]
            groups[-1]["used"] = True
        else:
            pending.append(entry)
        entries.append(entry)
    unread.append(text[position:])
    for piece in unread:
        if _FILLER.sub("", piece):
            raise _unreadable(piece)
    if not entries:
        if ANY_WORDS.search(text):
            return None
        raise _unreadable(text)
    windows = []
    for entry in entries:
        if "group" in entry:
            if not entry["group"]["used"]:  # days named without hours: the whole day
                windows.append([entry["group"]["days"], *PERIODS["全天"]])
            continue
        days = entry["days"]
        if days is None:
            days = EVERY_DAY if entry["start"] >= EVENING_FROM else WEEKDAYS
        windows.append([days, entry["start"], entry["end"]])
    return windows


def _join(entries):
    """Window dicts, one per (start, end): 周二下午，周四下午 is one window of two days."""
    joined = {}
    for days, start, end in entries:
        joined.setdefault((start, end), set()).update(days)
    return [
        {
            "days": sorted(days),
            "start": sched.format_minutes(start),
            "end": sched.format_minutes(end),
        }
        for (start, end), days in joined.items()
    ]


# ---------------------------------------------------------------------------------------------
# Display


def _days_label(days):
    days = tuple(days)
    if days == EVERY_DAY:
        return _("每天")
    if days == WEEKEND:
        return _("周末")
    if len(days) > 2 and days == tuple(range(days[0], days[-1] + 1)):
        return _("%(first)s至%(last)s") % {
            "first": sched.weekday_name(days[0]),
            "last": sched.weekday_name(days[-1]),
        }
    return _("、").join(sched.weekday_name(d) for d in days)


def describe(windows):
    """Free hours in a few words, as schedule.describe writes hours ("周一至周五 09:00-15:00"),
    with 每天 and 周末 for those days; "不限" for None. Takes dicts or schedule.Window objects."""
    if windows is None:
        return str(_("不限"))
    if not (
        isinstance(windows, list | tuple) and all(isinstance(w, sched.Window) for w in windows)
    ):
        windows = sched.windows_from_data(windows)
    parts = []
    for w in windows:
        end = sched.format_minutes(w.end)
        if w.end <= w.start:
            end = _("次日%(time)s") % {"time": end}
        parts.append(f"{_days_label(w.days)} {sched.format_minutes(w.start)}-{end}")
    return _("；").join(parts)
