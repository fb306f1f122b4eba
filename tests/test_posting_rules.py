from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from employers import schedule as sched
from employers.models import Posting
from tests.factories import make_employer, make_posting, posting_data, region

pytestmark = pytest.mark.django_db


def build(**overrides):
    employer = make_employer()
    return Posting(employer=employer, region=region("370202"), **posting_data(**overrides))


def errors_of(posting):
    with pytest.raises(ValidationError) as info:
        posting.full_clean()
    return info.value.message_dict


def test_a_good_posting_passes_and_derives_its_columns():
    posting = make_posting(make_employer())
    assert posting.weekly_minutes == 5 * 180
    assert posting.hourly_min == Decimal("20.00")
    assert posting.schedule_mask.count("1") == 5 * 12
    assert "帮厨" in posting.search_text


def test_min_above_max_is_refused():
    assert "pay_max" in errors_of(build(pay_min=Decimal("30"), pay_max=Decimal("20")))


def test_negative_pay_is_refused():
    assert "pay_min" in errors_of(build(pay_min=Decimal("-1"), pay_max=Decimal("20")))


def test_pay_range_is_required():
    errors = errors_of(build(pay_min=None, pay_max=None))
    assert "pay_min" in errors and "pay_max" in errors


def test_openings_at_least_one():
    assert "openings" in errors_of(build(openings=0))


def test_empty_and_overlapping_schedules_are_refused():
    assert "schedule" in errors_of(build(schedule=[]))
    overlapping = [
        {"days": [1], "start": "08:00", "end": "12:00"},
        {"days": [1], "start": "11:00", "end": "13:00"},
    ]
    assert "schedule" in errors_of(build(schedule=overlapping))


def test_part_time_over_the_legal_limit_is_refused():
    long_days = [{"days": [1, 2, 3, 4, 5, 6], "start": "09:00", "end": "14:00"}]
    errors = errors_of(build(schedule=long_days))
    assert any("第六十八条" in message for message in errors["schedule"])
    # The same hours are fine for a full-time post.
    build(schedule=long_days, work_form="full_time").full_clean()


def test_errors_are_translated():
    posting = build(pay_min=Decimal("30"), pay_max=Decimal("20"))
    with translation.override("en"):
        assert "lower than the minimum" in errors_of(posting)["pay_max"][0]
    with translation.override("zh-hans"):
        assert "不能低于" in errors_of(posting)["pay_max"][0]


def test_database_refuses_a_bad_range_even_without_the_form():
    posting = build(pay_min=Decimal("30"), pay_max=Decimal("20"))
    with pytest.raises(IntegrityError), transaction.atomic():
        posting.save()
    assert not Posting.objects.filter(title=posting.title, pay_min=30).exists()


@pytest.mark.parametrize(
    ("unit", "low", "schedule", "expected"),
    [
        ("hour", "22", [{"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "13:00"}], "22.00"),
        # 20 h/week -> 86.67 h/month; 2600 / 86.67 = 30.00
        ("month", "2600", [{"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "13:00"}], "30.00"),
        # 4 h a day: 120 / 4 = 30
        ("day", "120", [{"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "13:00"}], "30.00"),
    ],
)
def test_hourly_equivalent(unit, low, schedule, expected):
    posting = make_posting(
        make_employer(),
        pay_unit=unit,
        pay_min=Decimal(low),
        pay_max=Decimal(low) + 100,
        schedule=schedule,
    )
    assert posting.hourly_min == Decimal(expected)


def test_monthly_pay_without_hours_uses_the_standard_month():
    posting = make_posting(
        make_employer(),
        pay_unit="month",
        pay_min=Decimal("3480"),
        pay_max=Decimal("4000"),
        schedule=[],
        flexible_hours=True,
        work_form="full_time",
    )
    assert posting.hourly_min == Decimal("20.00")  # 3480 / 174


def test_fits_is_one_sql_condition_matching_the_python_rule():
    employer = make_employer()
    morning = make_posting(employer, title="早班")  # Mon-Fri 06:30-09:30
    school_hours = make_posting(
        employer,
        title="课时",
        schedule=[{"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "14:45"}],
        work_form="full_time",
    )
    flexible = make_posting(employer, title="自选", schedule=[], flexible_hours=True)
    overnight = make_posting(
        employer, title="夜班", schedule=[{"days": [5], "start": "22:00", "end": "02:00"}]
    )
    free = sched.free_mask(sched.parse_fits("1-5@08:30-15:30"))
    found = set(Posting.objects.fitting(free).values_list("title", flat=True))
    assert found == {"课时", "自选"}
    for posting in (morning, school_hours, flexible, overnight):
        assert (posting.title in found) == sched.fits(posting.schedule_mask, free)
    night_owl = sched.free_mask(sched.parse_fits("5@21:00-24:00,6@00:00-03:00"))
    assert set(Posting.objects.fitting(night_owl).values_list("title", flat=True)) == {
        "夜班",
        "自选",
    }


def test_minimum_wage_badge_compares_like_with_like():
    from datetime import date

    from employers.quality import badges
    from momjobs.regions.models import MinimumWage

    MinimumWage.objects.create(
        region=region("370200"), hourly="22.00", monthly="2200.00", effective_from=date(2023, 10, 1)
    )
    minimum = MinimumWage.in_force(region("370202"))
    employer = make_employer()
    below = make_posting(employer, pay_min=Decimal("18"), pay_max=Decimal("20"))
    at = make_posting(employer, pay_min=Decimal("22"), pay_max=Decimal("24"))
    # A lawful full-time monthly wage is compared with the monthly minimum, not an hourly figure.
    full_time = make_posting(
        employer,
        work_form="full_time",
        pay_unit="month",
        pay_min=Decimal("2300"),
        pay_max=Decimal("2800"),
        schedule=[{"days": [1, 2, 3, 4, 5], "start": "08:00", "end": "17:00"}],
    )

    def min_wage(posting):
        return next(b.good for b in badges(posting, minimum) if b.code == "min_wage")

    # Full-time work paid by the hour: its month (× 174 hours) against the monthly minimum, not
    # the part-time hourly one (15 × 174 = 2,610 ≥ 2,200, though 15 < 22).
    full_time_hourly = make_posting(
        employer,
        work_form="full_time",
        pay_unit="hour",
        pay_min=Decimal("15"),
        pay_max=Decimal("16"),
        schedule=[{"days": [1, 2, 3, 4, 5], "start": "08:00", "end": "17:00"}],
    )
    full_time_low = make_posting(
        employer,
        work_form="full_time",
        pay_unit="month",
        pay_min=Decimal("2000"),
        pay_max=Decimal("2100"),
        schedule=[{"days": [1, 2, 3, 4, 5], "start": "08:00", "end": "17:00"}],
    )

    assert min_wage(below) is False
    assert min_wage(at) is True
    assert min_wage(full_time) is True
    assert min_wage(full_time_hourly) is True
    assert min_wage(full_time_low) is False
    assert all(b.code != "min_wage" for b in badges(below, None))
    from employers.quality import minimum_for

    assert minimum_for(full_time_hourly, minimum).kind == "month"
    assert minimum_for(at, minimum).kind == "hour"


def test_hourly_work_obeys_art_68_too():
    long_days = [{"days": [1, 2, 3, 4, 5, 6], "start": "09:00", "end": "14:00"}]
    assert "schedule" in errors_of(build(schedule=long_days, work_form="hourly"))
