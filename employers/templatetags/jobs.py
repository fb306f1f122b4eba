"""Presentation of posting facts, shared by live postings and frozen phase snapshots."""

import unicodedata
from decimal import Decimal, InvalidOperation

from django import template
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from employers import schedule as sched
from employers.choices import Contract, Insurance, PayUnit, Place, Sector, WorkForm

register = template.Library()


def _get(obj, name):
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _amount(value):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError):
        return str(value)
    return f"{number.normalize():f}" if number == number.to_integral() else f"{number:.2f}"


@register.filter
def pay_range(obj):
    low, high, unit = _get(obj, "pay_min"), _get(obj, "pay_max"), _get(obj, "pay_unit")
    unit_label = dict(PayUnit.choices).get(unit, unit)
    if low is None:
        return _("未注明")
    if str(low) == str(high):
        return f"{_amount(low)} {unit_label}"
    return f"{_amount(low)}–{_amount(high)} {unit_label}"


@register.filter
def hourly_range(posting):
    low, high = _get(posting, "hourly_min"), _get(posting, "hourly_max")
    if low is None or _get(posting, "pay_unit") == PayUnit.HOUR:
        return ""
    return _("约合 %(low)s–%(high)s 元/小时") % {"low": _amount(low), "high": _amount(high)}


@register.filter
def schedule_text(obj):
    if _get(obj, "flexible_hours"):
        return _("自选工作时间")
    try:
        return sched.describe(sched.windows_from_data(_get(obj, "schedule") or []))
    except ValidationError:
        return _("未注明")


def _label(choices, value):
    return dict(choices).get(value, value or "")


@register.filter
def sector_label(value):
    return _label(Sector.choices, value)


@register.filter
def form_label(value):
    return _label(WorkForm.choices, value)


@register.filter
def place_label(value):
    return _label(Place.choices, value)


@register.filter
def contract_label(value):
    return _label(Contract.choices, value)


@register.filter
def insurance_label(value):
    return _label(Insurance.choices, value)


@register.filter
def is_poor_contract(value):
    return value in (Contract.NOT_STATED, Contract.SERVICE)


@register.filter
def is_poor_insurance(value):
    return value != Insurance.FULL


@register.filter(needs_autoescape=True)
def paren(value, autoescape=True):
    """A value in parentheses, the punctuation translated: "（值）" in Chinese, " (value)" in
    English. The value is escaped as `{{ value }}` would be; the punctuation is ours."""
    text = conditional_escape(value) if autoescape else value
    return mark_safe(_("（%(text)s）") % {"text": text})  # noqa: S308


# Care arrangements a card names among its good points (a posting's page lists them in full).
CARE_POINTS = (
    ("school_run", gettext_lazy("可接送孩子")),
    ("weekends_off", gettext_lazy("双休")),
    ("childcare_leave", gettext_lazy("育儿假")),
)


@register.filter
def good_points(posting):
    """A result card's good points, each once: the quality badges (employers/quality.py) that
    are good, then the care arrangements. "Pay stated" is on every post, so not repeated."""
    labels = [
        b.label for b in getattr(posting, "quality", None) or () if b.good and b.code != "pay"
    ]
    labels += [label for name, label in CARE_POINTS if getattr(posting, name, False)]
    seen, out = set(), []
    for label in labels:
        if str(label) not in seen:
            seen.add(str(label))
            out.append(label)
    return out


@register.filter
def bad_points(posting):
    """The warnings of a card: always shown, never folded away."""
    return [b.label for b in getattr(posting, "quality", None) or () if not b.good]


@register.filter
def tel_href(phone):
    """A published phone number as a tel: link target (digits, and a leading +), or "" when
    what was written is not a number one can dial."""
    text = unicodedata.normalize("NFKC", str(phone or "")).strip()
    digits = "".join(c for c in text if c.isdigit())
    if not 5 <= len(digits) <= 15:
        return ""
    return "tel:" + ("+" if text.startswith("+") else "") + digits
