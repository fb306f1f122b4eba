import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from employers import schedule as sched


def w(days, start, end):
    return {"days": days, "start": start, "end": end}


def test_weekly_minutes_and_description():
    windows = sched.validate_schedule(
        [w([1, 2, 3, 4, 5], "08:30", "11:30"), w([6], "09:00", "12:00")]
    )
    assert sched.weekly_minutes(windows) == 5 * 180 + 180
    assert sched.describe(windows) == "周一至周五 08:30-11:30；周六 09:00-12:00"


def test_overlap_is_refused():
    with pytest.raises(ValidationError) as info:
        sched.validate_schedule([w([1, 2], "08:00", "12:00"), w([2], "11:00", "13:00")])
    assert info.value.code == "overlap"


def test_touching_windows_do_not_overlap():
    sched.validate_schedule([w([1], "08:00", "11:00"), w([1], "11:00", "13:00")])


def test_overnight_overlap_with_next_morning_is_refused():
    with pytest.raises(ValidationError):
        sched.validate_schedule([w([1], "22:00", "06:00"), w([2], "05:00", "08:00")])


def test_sunday_night_wraps_to_monday():
    with pytest.raises(ValidationError):
        sched.validate_schedule([w([7], "22:00", "06:00"), w([1], "05:30", "08:00")])
    windows = sched.validate_schedule([w([7], "22:00", "06:00")])
    mask = sched.posting_mask(windows)
    assert mask[0] == "1"  # Monday 00:00-00:15
    assert mask[23] == "1"  # Monday 05:45-06:00
    assert mask[24] == "0"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ([], "empty_schedule"),
        ([w([], "08:00", "09:00")], "no_days"),
        ([w([8], "08:00", "09:00")], "bad_day"),
        ([w([1], "08:00", "08:00")], "empty_window"),
        ([w([1], "25:00", "26:00")], "time_range"),
        ([w([1], "8点", "9点")], "time_format"),
        ("not a list", "schedule_shape"),
    ],
)
def test_bad_schedules(data, code):
    with pytest.raises(ValidationError) as info:
        sched.validate_schedule(data)
    assert info.value.code == code


def test_flexible_hours_need_no_windows():
    assert sched.validate_schedule([], flexible=True) == []
    with pytest.raises(ValidationError):
        sched.validate_schedule([w([1], "08:00", "09:00")], flexible=True)


def test_part_time_limits_art_68():
    ok = sched.validate_schedule([w([1, 2, 3, 4, 5], "09:00", "13:00")])  # 20 h, 4 h/day
    sched.check_part_time_limits(ok)
    too_long_week = sched.validate_schedule([w([1, 2, 3, 4, 5, 6, 7], "09:00", "12:45")])
    with pytest.raises(ValidationError) as info:
        sched.check_part_time_limits(too_long_week)
    assert info.value.code == "part_time_week"
    too_long_day = sched.validate_schedule([w([1, 2], "08:00", "14:00")])  # 12 h, 6 h/day
    with pytest.raises(ValidationError) as info:
        sched.check_part_time_limits(too_long_day)
    assert info.value.code == "part_time_day"


def test_rounding_never_lies():
    # Work 08:40-11:20 occupies 08:30-11:30; free 08:40-11:20 offers only 08:45-11:15.
    posting = sched.posting_mask(sched.validate_schedule([w([1], "08:40", "11:20")]))
    free_same = sched.free_mask(sched.parse_fits("1@08:40-11:20"))
    assert not sched.fits(posting, free_same)
    free_wider = sched.free_mask(sched.parse_fits("1@08:30-11:30"))
    assert sched.fits(posting, free_wider)


def test_parse_fits():
    windows = sched.parse_fits("1-5@08:30-15:30,6@09:00-12:00")
    assert windows[0].days == (1, 2, 3, 4, 5)
    assert sched.format_fits(windows) == "1-5@08:30-15:30,6@09:00-12:00"
    for bad in [
        "",
        "8@09:00-10:00",
        "1-5@0830-1530",
        "5-1@08:00-09:00",
        "1@09:00-09:00",
        "x" * 500,
    ]:
        with pytest.raises(ValidationError):
            sched.parse_fits(bad)


times = st.integers(min_value=0, max_value=24 * 60 - 1)


@given(
    days=st.lists(st.integers(1, 7), min_size=1, max_size=7, unique=True),
    start=times,
    length=st.integers(min_value=1, max_value=12 * 60),
    free_start=times,
    free_length=st.integers(min_value=1, max_value=24 * 60),
)
def test_mask_fit_implies_minute_fit(days, start, length, free_start, free_length):
    """Whenever the bitmask says "fits", every working minute is a free minute."""
    end = (start + length) % (24 * 60)
    free_end = (free_start + free_length) % (24 * 60)
    if end == start or free_end == free_start:
        return
    work = [sched.Window(tuple(sorted(days)), start, end)]
    free = [sched.Window(tuple(range(1, 8)), free_start, free_end)]
    if sched.fits(sched.posting_mask(work), sched.free_mask(free)):
        free_minutes = set()
        for a, b in free[0].intervals():
            free_minutes.update(m % sched.WEEK_MINUTES for m in range(a, b))
        for a, b in work[0].intervals():
            assert all(m % sched.WEEK_MINUTES in free_minutes for m in range(a, b))


@pytest.mark.parametrize(
    ("windows", "free"),
    [
        ([{"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "15:00"}], True),  # school hours
        ([{"days": [1], "start": "08:00", "end": "12:00"}], False),  # over the drop-off
        ([{"days": [3], "start": "13:00", "end": "16:00"}], False),  # over the pick-up
        ([{"days": [6, 7], "start": "07:00", "end": "18:00"}], True),  # weekends only
        ([{"days": [5], "start": "22:00", "end": "02:00"}], False),  # a night shift
        ([{"days": [1, 2, 3, 4, 5], "start": "08:30", "end": "15:45"}], True),  # edges touch
    ],
)
def test_school_run_free(windows, free):
    assert sched.school_run_free(sched.windows_from_data(windows)) is free
