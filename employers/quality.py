"""Job-quality badges and warnings: the facts critics ask about, shown plainly."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import Contract, Insurance, PayUnit, WorkForm


@dataclass(frozen=True)
class Badge:
    code: str
    label: str
    good: bool


@dataclass(frozen=True)
class MinimumLine:
    """The local minimum a posting is held to: "month" for full-time work, "hour" otherwise."""

    kind: str
    amount: object


def minimum_for(posting, minimum):
    """Like with like: full-time work is held to the monthly minimum, part-time (and other
    flexible) work to the hourly minimum for part-time work. None when there is no such figure."""
    if minimum is None:
        return None
    if posting.work_form == WorkForm.FULL_TIME:
        return None if minimum.monthly is None else MinimumLine("month", minimum.monthly)
    return MinimumLine("hour", minimum.hourly)


def monthly_equivalent(posting):
    """Full-time pay per month: as stated, or the hourly equivalent × the standard month."""
    if posting.pay_unit == PayUnit.MONTH:
        return posting.pay_min
    if posting.hourly_min is None:
        return None
    return posting.hourly_min * settings.STANDARD_MONTH_HOURS


def meets_minimum_wage(posting, minimum):
    """True/False against the local standard that applies (minimum_for), None when it cannot be
    compared. Full-time pay (monthly, or hourly/daily turned into a month) against the monthly
    minimum; part-time and other pay, as an hourly equivalent, against the hourly minimum."""
    line = minimum_for(posting, minimum)
    if line is None:
        return None
    if line.kind == "month":
        monthly = monthly_equivalent(posting)
        return None if monthly is None else monthly >= line.amount
    if posting.hourly_min is None:
        return None
    return posting.hourly_min >= line.amount


def badges(posting, minimum=None):
    out = [Badge("pay", _("薪酬明确"), True)]
    meets = meets_minimum_wage(posting, minimum)
    if meets is True:
        out.append(Badge("min_wage", _("不低于当地最低工资"), True))
    elif meets is False:
        out.append(Badge("min_wage", _("低于当地最低工资标准"), False))
    if posting.contract == Contract.LABOUR:
        out.append(Badge("contract", _("签订劳动合同"), True))
    elif posting.contract == Contract.PART_TIME_AGREEMENT:
        out.append(Badge("contract", _("非全日制书面协议"), True))
    elif posting.contract == Contract.SERVICE:
        out.append(Badge("contract", _("仅劳务协议"), False))
    else:
        out.append(Badge("contract", _("合同形式未注明"), False))
    if posting.insurance == Insurance.FULL:
        out.append(Badge("insurance", _("五险齐全"), True))
    elif posting.insurance == Insurance.INJURY_ONLY:
        out.append(Badge("insurance", _("仅工伤保险"), False))
    elif posting.insurance == Insurance.ACCIDENT_ONLY:
        out.append(Badge("insurance", _("仅商业意外险"), False))
    elif posting.insurance == Insurance.NONE:
        out.append(Badge("insurance", _("无社会保险"), False))
    else:
        out.append(Badge("insurance", _("社保情况未注明"), False))
    if posting.no_forced_overtime:
        out.append(Badge("overtime", _("不强制加班"), True))
    if posting.training:
        out.append(Badge("training", _("提供培训"), True))
    if posting.career_route:
        out.append(Badge("career", _("有转正/晋升通道"), True))
    else:
        out.append(Badge("career", _("未说明职业发展"), False))
    return out
