"""Free hours typed the way a mother says them (momjobs/lib/hours.py): the phrases it reads, the
ones it refuses and why, the one-tap presets, and the text that shows them back.

Plain functions: no database. The Hypothesis tests are derandomised and bounded like the "ci"
profile of tests/test_fuzz.py; FUZZ_EXAMPLES raises the number of examples.
"""

import os

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from momjobs.lib import hours
from momjobs.lib import schedule as sched
from tests import strategies as s

WEEK = [1, 2, 3, 4, 5]
WEEKEND = [6, 7]
EVERY = [1, 2, 3, 4, 5, 6, 7]

ci = settings(
    derandomize=True,
    database=None,
    # The parser is a pure function of a short string: a few hundred examples take a second.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        # _chinese only sets the language; it holds nothing an example could change.
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture(autouse=True)
def _chinese():
    # Messages are asserted in Chinese whatever an earlier test left active.
    with translation.override("zh-hans"):
        yield


def windows(*spans):
    return [{"days": days, "start": start, "end": end} for days, start, end in spans]


PHRASES = [
    # the brief's phrases
    ("周一到周五 9点到3点", [(WEEK, "09:00", "15:00")]),
    ("工作日 9:00-15:00", [(WEEK, "09:00", "15:00")]),
    ("工作日上午", [(WEEK, "08:00", "12:00")]),
    ("周末全天", [(WEEKEND, "08:00", "20:00")]),
    ("每天下午", [(EVERY, "13:00", "17:00")]),
    ("周一至周五上午9点到11点半", [(WEEK, "09:00", "11:30")]),
    ("周二周四 下午2点到5点", [([2, 4], "14:00", "17:00")]),
    ("上午", [(WEEK, "08:00", "12:00")]),
    ("晚上7点以后", [(EVERY, "19:00", "22:00")]),
    ("晚上7点后", [(EVERY, "19:00", "22:00")]),
    ("全天", [(WEEK, "08:00", "20:00")]),
    ("1-5@09:00-15:00", [(WEEK, "09:00", "15:00")]),
    ("９点到３点", [(WEEK, "09:00", "15:00")]),
    ("９点到１５：００", [(WEEK, "09:00", "15:00")]),
    ("下午两点半到五点", [(WEEK, "14:30", "17:00")]),
    ("九点到三点", [(WEEK, "09:00", "15:00")]),
    ("9-3", [(WEEK, "09:00", "15:00")]),
    # several phrases, and the separators between them
    ("工作日上午，周末全天", [(WEEK, "08:00", "12:00"), (WEEKEND, "08:00", "20:00")]),
    ("工作日上午、周末全天", [(WEEK, "08:00", "12:00"), (WEEKEND, "08:00", "20:00")]),
    ("工作日上午；周末全天", [(WEEK, "08:00", "12:00"), (WEEKEND, "08:00", "20:00")]),
    ("工作日上午/周末全天", [(WEEK, "08:00", "12:00"), (WEEKEND, "08:00", "20:00")]),
    ("工作日上午和周末全天", [(WEEK, "08:00", "12:00"), (WEEKEND, "08:00", "20:00")]),
    ("8:30-11:30,14:00-17:00", [(WEEK, "08:30", "11:30"), (WEEK, "14:00", "17:00")]),
    # windows of the same hours become one window
    ("周二下午和周四下午", [([2, 4], "13:00", "17:00")]),
    ("工作日上午，周末上午", [(EVERY, "08:00", "12:00")]),
    # days
    ("周末", [(WEEKEND, "08:00", "20:00")]),
    ("我周末都有空", [(WEEKEND, "08:00", "20:00")]),
    ("星期一到星期三 下午", [([1, 2, 3], "13:00", "17:00")]),
    ("周一、三、五 9:00-13:00", [([1, 3, 5], "09:00", "13:00")]),
    ("礼拜天上午", [([7], "08:00", "12:00")]),
    ("9:00-12:00（周一至周五）", [(WEEK, "09:00", "12:00")]),
    ("周五九点到十二点", [([5], "09:00", "12:00")]),
    # parts of the day, spoken times
    ("晚上", [(EVERY, "18:00", "22:00")]),
    ("上学时段", [(WEEK, "09:00", "15:00")]),
    ("早上九点到下午三点", [(WEEK, "09:00", "15:00")]),
    ("中午12点到2点", [(WEEK, "12:00", "14:00")]),
    ("下午三点一刻到五点三刻", [(WEEK, "15:15", "17:45")]),
    ("上午九点十五到十一点", [(WEEK, "09:15", "11:00")]),
    ("十点钟到十二点", [(WEEK, "10:00", "12:00")]),
    ("9点30分到11点", [(WEEK, "09:30", "11:00")]),
    ("晚上7点到10点", [(EVERY, "19:00", "22:00")]),
    ("晚上10点到12点", [(EVERY, "22:00", "24:00")]),
    ("上午10点以前", [(WEEK, "08:00", "10:00")]),
    ("下午3点以后", [(WEEK, "15:00", "17:00")]),
    ("9点以后", [(WEEK, "09:00", "22:00")]),
    ("03:00-05:00", [(WEEK, "03:00", "05:00")]),
    ("0点到24点", [(WEEK, "00:00", "24:00")]),
    # overnight
    ("晚上10点到早上6点", [(EVERY, "22:00", "06:00")]),
    ("22:00-06:00", [(EVERY, "22:00", "06:00")]),
    ("周五 22:00-次日2:00", [([5], "22:00", "02:00")]),
    ("20:00-0:00", [(EVERY, "20:00", "24:00")]),
    ("7@22:00-06:00", [([7], "22:00", "06:00")]),
]


@pytest.mark.parametrize(("text", "expected"), PHRASES)
def test_phrases_are_read_as_said(text, expected):
    parsed = hours.parse_free_hours(text)
    assert parsed == windows(*expected)
    sched.windows_from_data(parsed)


@pytest.mark.parametrize("text", ["不限", "随时", "都可以", " 不限 "])
def test_no_limit_is_no_filter(text):
    assert hours.parse_free_hours(text) is None


BAD = [
    ("abc", "hours_unreadable", "看不懂“abc”"),
    ("", "hours_empty", "请填写空闲时间"),
    ("   ", "hours_empty", "请填写空闲时间"),
    (None, "hours_empty", "请填写空闲时间"),
    ("，，", "hours_unreadable", "看不懂"),
    ("9点", "hours_unreadable", "看不懂“9点”"),
    ("早上", "hours_unreadable", "看不懂“早上”"),
    ("25点到26点", "time_range", "时间 25:00 不存在"),
    ("9:75-10:00", "time_range", "不存在"),
    ("下午3点到上午9点", "hours_overnight", "跨夜请写“次日”"),
    ("13:00-1:00", "hours_overnight", "结束时间早于开始时间"),
    ("3点到5点", "hours_ambiguous", "凌晨还是下午"),
    ("1-5", "hours_ambiguous", "凌晨还是下午"),
    ("两点半到五点", "hours_ambiguous", "凌晨还是下午"),
    ("3点以后", "hours_ambiguous", "凌晨还是下午"),
    ("周五至周一 9点到3点", "day_order", "从小到大"),
    ("周一到周五，周三除外", "hours_unreadable", "看不懂“除外”"),
    ("两点五到三点", "hours_unreadable", "看不懂"),  # 2:05 or 2:50? refused
    ("10:00-次日11:00", "hours_unreadable", "看不懂"),  # longer than a day
    ("9点到9点半 abc", "hours_unreadable", "看不懂“abc”"),
    ("x" * 10_000, "hours_long", "内容过长"),
    ("a\x00b", "hours_unreadable", "看不懂"),
    ("9点到3点\x00", "hours_unreadable", "看不懂"),
    ("\ud800", "hours_unreadable", "看不懂“\ufffd”"),
    ("9点到\udfff3点", "hours_unreadable", "看不懂"),
    # the URL syntax keeps its own messages
    ("1-5@25:00-26:00", "time_range", "不存在"),
    ("5-1@09:00-15:00", "fits_days", "从小到大"),
    ("@", "fits_format", "无法识别空闲时间"),
    (",".join(f"1@08:{m:02d}-09:00" for m in range(22)), "fits_many", "最多21个"),
]


@pytest.mark.parametrize(("text", "code", "fragment"), BAD)
def test_what_cannot_be_read_is_refused_with_a_message(text, code, fragment):
    with pytest.raises(ValidationError) as info:
        hours.parse_free_hours(text)
    assert info.value.code == code
    message = " ".join(info.value.messages)
    assert fragment in message
    # Every refusal says what to write instead.
    assert "例如" in message or hours.EXAMPLE in message


def test_too_many_windows_typed_are_refused():
    # Windows of the same hours join into one, so these are 22 different hours.
    text = "，".join(f"周一 8:{m:02d}-9:00" for m in range(22))
    with pytest.raises(ValidationError) as info:
        hours.parse_free_hours(text)
    assert "最多21个" in info.value.messages[0]
    assert len(hours.parse_free_hours("，".join(f"周一 8:{m:02d}-9:00" for m in range(21)))) == 21


# -- presets -------------------------------------------------------------------------------------


def test_presets_in_order_with_their_windows():
    assert [p.key for p in hours.PRESETS] == [
        "school",
        "morning",
        "afternoon",
        "evening",
        "weekend",
        "any",
    ]
    assert [str(p.label) for p in hours.PRESETS] == [
        "上学时段",
        "上午",
        "下午",
        "晚上",
        "周末",
        "不限",
    ]
    assert hours.preset("school").windows == windows((WEEK, "09:00", "15:00"))
    assert hours.preset("morning").windows == windows((WEEK, "08:00", "12:00"))
    assert hours.preset("afternoon").windows == windows((WEEK, "13:00", "17:00"))
    assert hours.preset("evening").windows == windows((EVERY, "18:00", "22:00"))
    assert hours.preset("weekend").windows == windows((WEEKEND, "08:00", "20:00"))
    assert hours.preset("any").windows is None
    assert hours.preset("nope") is None
    assert hours.preset(None) is None


def test_preset_windows_are_fresh_copies():
    first = hours.preset("school").windows
    first[0]["days"].append(6)
    assert hours.preset("school").windows == windows((WEEK, "09:00", "15:00"))


@pytest.mark.parametrize("preset", hours.PRESETS, ids=lambda p: p.key)
def test_typing_a_label_gives_its_preset(preset):
    parsed = hours.parse_free_hours(str(preset.label))
    assert parsed == preset.windows
    assert hours.preset_for_windows(parsed) is preset


def test_preset_for_windows():
    assert hours.preset_for_windows(None).key == "any"
    assert hours.preset_for_windows([]) is None
    assert hours.preset_for_windows(windows((WEEK, "09:00", "15:00"))).key == "school"
    # the same hours written day by day, or as schedule.Window objects
    by_day = windows(*[([d], "09:00", "15:00") for d in WEEK])
    assert hours.preset_for_windows(by_day).key == "school"
    assert hours.preset_for_windows(sched.windows_from_data(by_day)).key == "school"
    assert hours.preset_for_windows(windows((WEEK, "09:00", "15:30"))) is None
    assert hours.preset_for_windows(windows((WEEKEND, "08:00", "20:00"))).key == "weekend"
    assert hours.preset_for_windows("not windows") is None
    assert hours.preset_for_windows([{"days": [9]}]) is None


# -- display -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spans", "text"),
    [
        ([(WEEK, "09:00", "15:00")], "周一至周五 09:00-15:00"),
        ([(WEEKEND, "08:00", "20:00")], "周末 08:00-20:00"),
        ([(EVERY, "18:00", "22:00")], "每天 18:00-22:00"),
        ([([2, 4], "14:00", "17:00")], "周二、周四 14:00-17:00"),
        ([([1, 2], "09:00", "12:00")], "周一、周二 09:00-12:00"),
        (
            [(WEEK, "08:00", "12:00"), ([6], "09:00", "12:00")],
            "周一至周五 08:00-12:00；周六 09:00-12:00",
        ),
        ([([5], "22:00", "02:00")], "周五 22:00-次日02:00"),
    ],
)
def test_describe(spans, text):
    assert hours.describe(windows(*spans)) == text
    assert hours.describe(sched.windows_from_data(windows(*spans))) == text


def test_describe_no_limit_and_nothing():
    assert hours.describe(None) == "不限"
    assert hours.describe([]) == ""


def test_describe_follows_the_language():
    with translation.override("en"):
        # "%(first)s至%(last)s" and the weekday names are in the catalog already.
        assert hours.describe(windows((WEEK, "09:00", "15:00"))).endswith(" 09:00-15:00")


# -- properties ----------------------------------------------------------------------------------

# Pieces of the grammar and its near misses, so that random phrases are often readable.
PIECES = [
    *hours.DAY_WORDS,
    *hours.PERIODS,
    "周一",
    "周五",
    "星期三",
    "礼拜天",
    "周二周四",
    "周一至周五",
    "周五至周一",
    "上午",
    "下午",
    "晚上",
    "凌晨",
    "早上",
    "中午",
    "次日",
    "以后",
    "以前",
    "后",
    "9",
    "3",
    "12",
    "0",
    "24",
    "25",
    "九",
    "两",
    "十二",
    "三十",
    "点",
    "点钟",
    "时",
    "半",
    "一刻",
    "分",
    ":",
    "：",
    "30",
    "到",
    "至",
    "-",
    "~",
    "—",
    "，",
    "、",
    "；",
    "/",
    "和",
    " ",
    "@",
    "1-5@09:00-15:00",
    "不限",
    "都可以",
    "abc",
    "\x00",
    "\u3000",
    "９",
]
phrases = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
free_text = st.one_of(
    phrases,
    s.text,
    s.fits_like,
    st.text(st.characters(), max_size=40),  # lone surrogates included
    st.builds(lambda a, b: a + b, phrases, s.text),
)


@ci
@given(text=free_text)
def test_any_text_gives_windows_or_a_validation_error(text):
    try:
        parsed = hours.parse_free_hours(text)
    except ValidationError as error:
        assert error.messages and all(m.strip() for m in error.messages)
        return
    if parsed is None:  # 不限
        return
    assert parsed
    checked = sched.windows_from_data(parsed)
    assert len(parsed) <= hours.MAX_WINDOWS
    assert hours.describe(parsed)
    hours.preset_for_windows(parsed)
    # The URL syntax of the same windows means the same free time (when it fits its limits).
    fits = sched.format_fits(checked)
    if len(fits) <= hours.MAX_CHARS and fits.count(",") < hours.MAX_WINDOWS:
        again = hours.parse_free_hours(fits)
        assert sched.free_mask(sched.windows_from_data(again)) == sched.free_mask(checked)


@ci
@given(data=s.schedule_like)
def test_preset_for_windows_and_describe_take_any_stored_shape(data):
    hours.preset_for_windows(data)
    try:
        text = hours.describe(data)
    except ValidationError:
        return
    assert isinstance(text, str)
