"""Weekly working time as windows, and the bitmask that makes "fits my free hours" one SQL test.

A schedule is a list of windows: {"days": [1, 2, 3, 4, 5], "start": "08:30", "end": "11:30"}.
Days are ISO weekdays (1 = Monday ... 7 = Sunday). A window whose end is not after its start
runs overnight and ends on the next day (Sunday wraps to Monday). "24:00" is allowed as an end.

The week is cut into 672 slots of 15 minutes. A posting's windows are rounded *outward* (start
down, end up) and a seeker's free windows *inward* (start up, end down), so when the SQL test
`posting & ~free = 0` says a posting fits, every minute of its work lies in her free time.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SLOT_MINUTES = 15
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES  # 96
WEEK_MINUTES = 7 * 24 * 60
MASK_BITS = 7 * SLOTS_PER_DAY  # 672
EMPTY_MASK = "0" * MASK_BITS

# Labour Contract Law art. 68: part-time work averages at most 4 hours a day, 24 a week.
PART_TIME_DAILY_MINUTES = 4 * 60
PART_TIME_WEEKLY_MINUTES = 24 * 60

_TIME = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*$")
# 1-5@08:30-15:30  or  6@09:00-12:00  or  1,3,5@... is not used (commas separate windows)
_FITS_ITEM = re.compile(
    r"^\s*([1-7])(?:\s*-\s*([1-7]))?\s*@\s*(\d{1,2}[:：]\d{2})\s*[-–—~～至到]\s*(\d{1,2}[:：]\d{2})\s*$"
)


@dataclass(frozen=True)
class Window:
    days: tuple[int, ...]
    start: int  # minutes after midnight
    end: int  # minutes after midnight; <= start means the next day; 1440 allowed

    @property
    def duration(self):
        length = self.end - self.start
        return length if length > 0 else length + 24 * 60

    def as_dict(self):
        return {
            "days": list(self.days),
            "start": format_minutes(self.start),
            "end": format_minutes(self.end),
        }

    def intervals(self):
        """Absolute week-minute intervals [a, b), possibly past WEEK_MINUTES (wrapping)."""
        for day in self.days:
            base = (day - 1) * 24 * 60
            yield base + self.start, base + self.start + self.duration


def parse_time(text, *, allow_24=False):
    match = _TIME.match(str(text))
    if not match:
        raise ValidationError(_("时间格式应为 时:分，例如 08:30。"), code="time_format")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not allow_24)):
        raise ValidationError(
            _("时间 %(value)s 不存在。"), code="time_range", params={"value": text}
        )
    return hours * 60 + minutes


def format_minutes(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def windows_from_data(data):
    """Validate the JSON shape stored on postings and profiles; returns Window objects."""
    if not isinstance(data, list):
        raise ValidationError(_("工作时间格式有误。"), code="schedule_shape")
    windows = []
    for item in data:
        if not isinstance(item, dict):
            raise ValidationError(_("工作时间格式有误。"), code="schedule_shape")
        days = item.get("days")
        if not isinstance(days, list | tuple) or not days:
            raise ValidationError(_("每个时间段至少要选一天。"), code="no_days")
        if any(not isinstance(d, int) or isinstance(d, bool) or not 1 <= d <= 7 for d in days):
            raise ValidationError(_("星期应为 1（周一）到 7（周日）。"), code="bad_day")
        if len(set(days)) != len(days):
            raise ValidationError(_("同一时间段里星期重复。"), code="dup_day")
        start = parse_time(item.get("start", ""))
        end = parse_time(item.get("end", ""), allow_24=True)
        if start == end:
            raise ValidationError(_("时间段的开始和结束不能相同。"), code="empty_window")
        windows.append(Window(tuple(sorted(days)), start, end))
    return windows


def validate_schedule(data, *, flexible=False):
    """The rules a posting's schedule must pass. Returns the windows."""
    windows = windows_from_data(data)
    if flexible:
        if windows:
            raise ValidationError(
                _("选择了“自选工作时间”就不要再填写固定时间段。"), code="flexible_with_windows"
            )
        return windows
    if not windows:
        raise ValidationError(
            _("请至少填写一个工作时间段，或选择“自选工作时间”。"), code="empty_schedule"
        )
    check_overlap(windows)
    return windows


def check_overlap(windows):
    intervals = []
    for window in windows:
        for a, b in window.intervals():
            # Split wrapped intervals so that Sunday night meets Monday morning.
            if b > WEEK_MINUTES:
                intervals += [(a, WEEK_MINUTES), (0, b - WEEK_MINUTES)]
            else:
                intervals.append((a, b))
    intervals.sort()
    for (_a1, b1), (a2, _b2) in zip(intervals, intervals[1:], strict=False):
        if a2 < b1:
            day = a2 // (24 * 60) + 1
            raise ValidationError(
                _("工作时间段有重叠（%(day)s）。"),
                code="overlap",
                params={"day": weekday_name(day)},
            )


def weekday_name(day):
    names = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]
    return names[day - 1]


def weekly_minutes(windows):
    return sum(w.duration * len(w.days) for w in windows)


def working_days(windows):
    return len({d for w in windows for d in w.days})


def check_part_time_limits(windows):
    """Labour Contract Law art. 68 for 非全日制 work."""
    total = weekly_minutes(windows)
    days = working_days(windows)
    if total > PART_TIME_WEEKLY_MINUTES:
        raise ValidationError(
            _(
                "非全日制用工每周工作时间累计不得超过24小时（《劳动合同法》第六十八条），当前为%(hours)s小时。"
            ),
            code="part_time_week",
            params={"hours": f"{total / 60:g}"},
        )
    if days and total / days > PART_TIME_DAILY_MINUTES:
        raise ValidationError(
            _(
                "非全日制用工平均每日工作时间不得超过4小时（《劳动合同法》第六十八条），当前平均为%(hours)s小时。"
            ),
            code="part_time_day",
            params={"hours": f"{total / days / 60:.1f}"},
        )


def _set_slots(bits, first_slot, last_slot):
    for slot in range(first_slot, last_slot):
        bits[slot % MASK_BITS] = "1"


def posting_mask(windows):
    """Rounded outward: a shift 08:40-11:20 occupies the slots 08:30-11:30."""
    bits = list(EMPTY_MASK)
    for window in windows:
        for a, b in window.intervals():
            _set_slots(bits, a // SLOT_MINUTES, -(-b // SLOT_MINUTES))
    return "".join(bits)


def free_mask(windows):
    """Rounded inward: free 08:40-11:20 offers only the slots 08:45-11:15."""
    bits = list(EMPTY_MASK)
    for window in windows:
        for a, b in window.intervals():
            _set_slots(bits, -(-a // SLOT_MINUTES), b // SLOT_MINUTES)
    return "".join(bits)


def fits(posting_bits, free_bits):
    """The Python twin of the SQL condition, for tests and previews."""
    return all(not (p == "1" and f == "0") for p, f in zip(posting_bits, free_bits, strict=True))


def parse_fits(text):
    """`1-5@08:30-15:30,6@09:00-12:00` -> windows. Raises ValidationError with a clear message."""
    windows = []
    items = [item for item in re.split(r"[,，;；\s]+", text or "") if item]
    if not items:
        raise ValidationError(_("请填写空闲时间，例如 1-5@08:30-15:30。"), code="fits_empty")
    if len(items) > 21:
        raise ValidationError(_("空闲时间段太多（最多21个）。"), code="fits_many")
    for item in items:
        match = _FITS_ITEM.match(item)
        if not match:
            raise ValidationError(
                _(
                    "无法识别空闲时间“%(item)s”，格式应为 星期-星期@开始-结束，例如 1-5@08:30-15:30。"
                ),
                code="fits_format",
                params={"item": item[:40]},
            )
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise ValidationError(_("星期范围应从小到大，例如 1-5。"), code="fits_days")
        start = parse_time(match.group(3))
        end = parse_time(match.group(4), allow_24=True)
        if start == end:
            raise ValidationError(_("时间段的开始和结束不能相同。"), code="empty_window")
        windows.append(Window(tuple(range(first, last + 1)), start, end))
    return windows


def format_fits(windows):
    parts = []
    for w in windows:
        days = w.days
        contiguous = list(days) == list(range(days[0], days[-1] + 1))
        groups = (
            [f"{days[0]}-{days[-1]}" if len(days) > 1 else str(days[0])]
            if contiguous
            else [str(d) for d in days]
        )
        parts += [f"{g}@{format_minutes(w.start)}-{format_minutes(w.end)}" for g in groups]
    return ",".join(parts)


def describe(windows):
    """Human text: 周一至周五 08:30-11:30；周六 09:00-12:00."""
    parts = []
    for w in windows:
        days = w.days
        if len(days) > 2 and list(days) == list(range(days[0], days[-1] + 1)):
            label = _("%(first)s至%(last)s") % {
                "first": weekday_name(days[0]),
                "last": weekday_name(days[-1]),
            }
        else:
            label = _("、").join(weekday_name(d) for d in days)
        end = format_minutes(w.end)
        if w.end <= w.start:
            end = _("次日%(time)s") % {"time": end}
        parts.append(f"{label} {format_minutes(w.start)}-{end}")
    return _("；").join(parts)


# Weekday times a parent needs for the school run: drop-off and pick-up.
SCHOOL_RUN_BLOCKS = [("07:15", "08:30"), ("15:45", "17:30")]


def school_run_free(windows):
    """True when no weekday window touches the drop-off or pick-up time. A night shift ends
    before the school run but leaves the parent asleep during the day: never school-run friendly.
    Used where a posting does not say (the import, the demo data).
    """
    if any(window.end <= window.start for window in windows):
        return False
    blocks = [(parse_time(a), parse_time(b)) for a, b in SCHOOL_RUN_BLOCKS]
    for window in windows:
        for start, end in window.intervals():
            for block_start, block_end in blocks:
                for day in range(5):  # Monday to Friday
                    a, b = day * 1440 + block_start, day * 1440 + block_end
                    if start < b and a < end:
                        return False
    return True


__all__ = [
    "EMPTY_MASK",
    "MASK_BITS",
    "PART_TIME_DAILY_MINUTES",
    "PART_TIME_WEEKLY_MINUTES",
    "SCHOOL_RUN_BLOCKS",
    "SLOTS_PER_DAY",
    "SLOT_MINUTES",
    "WEEK_MINUTES",
    "Window",
    "check_overlap",
    "check_part_time_limits",
    "describe",
    "fits",
    "format_fits",
    "format_minutes",
    "free_mask",
    "parse_fits",
    "parse_time",
    "posting_mask",
    "school_run_free",
    "validate_schedule",
    "weekday_name",
    "weekly_minutes",
    "windows_from_data",
    "working_days",
]
