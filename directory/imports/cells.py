"""Cells as people write them: openings, pay ("2000-3000元/月"), hours ("8:30-11:30,14:00-17:00"),
sector, work form, contract and insurance words. A cell that cannot be read raises CellError."""

import logging
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.imports.reader import (
    EXCEL_ERRORS,
    MAX_CELL_CHARS,
    CellError,
    clean_text,
    is_formula,
    number_text,
)
from employers import schedule as sched
from employers.choices import Contract, Insurance, PayUnit, Sector, WorkForm
from momjobs.lib import hours

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Cells


def _date_message(key):
    if key == "hours":
        return _(
            "单元格是日期：Excel 可能把“8-11”这样的时段自动转成了日期。"
            "请把该列设为“文本”格式后重新填写，例如 8:00-11:00。"
        )
    if key in ("openings", "pay"):
        return _(
            "这里应为数字，单元格却是日期（Excel 可能把“2-3”之类的内容自动转成了日期）。"
            "请把该列设为“文本”或“数值”格式后重新填写。"
        )
    return _("这里不应是日期，请把单元格设为“文本”格式后重新填写。")


def cell_text(key, value, *, one_line=True):
    """The text of a cell, or CellError for what no column of the layout may hold."""
    if value is None:
        return ""
    if is_formula(value):
        raise CellError(_("单元格含有公式，请复制后用“选择性粘贴 → 数值”换成数值再导入。"))
    if isinstance(value, datetime | date | time):
        raise CellError(_date_message(key))
    if isinstance(value, bool):
        raise CellError(_("这里不应是“是/否”（TRUE/FALSE）值。"))
    if isinstance(value, int | float | Decimal):
        return number_text(value)
    text = clean_text(value, one_line=one_line)
    if text.upper() in EXCEL_ERRORS:
        raise CellError(
            _("单元格显示错误值 %(value)s，请在 Excel 中改正后再导入。") % {"value": text}
        )
    if len(text) > MAX_CELL_CHARS:
        raise CellError(_("内容过长（超过%(n)s个字）。") % {"n": MAX_CELL_CHARS})
    return text


_OPENINGS_NOISE = re.compile(r"^约|(人|名|个|位|岗)$")
_OPENINGS = re.compile(r"\d{1,9}")


def parse_openings(value):
    if isinstance(value, bool):
        raise CellError(_("招聘人数应为数字，例如 5。"))
    if isinstance(value, float) and not value.is_integer():
        raise CellError(_("招聘人数应为整数。"))
    text = cell_text("openings", value).replace(" ", "")
    text = _OPENINGS_NOISE.sub("", text)
    if not text:
        raise CellError(_("请填写招聘人数，例如 5。"))
    if text in {"若干", "不限", "多名", "数名", "若干名", "若干人"}:
        raise CellError(_("招聘人数应写具体数字，不能写“%(text)s”。") % {"text": text})
    if re.fullmatch(r"[-−－]\d+(\.\d+)?", text):
        raise CellError(_("招聘人数应为正整数，不能是负数，例如 5。"))
    if not _OPENINGS.fullmatch(text):
        raise CellError(_("招聘人数应为正整数，例如 5。"))
    number = int(text)
    if number < 1:
        raise CellError(_("招聘人数应为正整数，至少为1。"))
    return number


# -- pay ---------------------------------------------------------------------------------------

PAY_UNITS = [
    (PayUnit.PIECE, re.compile(r"/件|每件|计件|元件")),
    (PayUnit.HOUR, re.compile(r"/(?:小)?时|每(?:小)?时|时薪|小时|元时|/h\b|per\s*hour", re.I)),
    (PayUnit.DAY, re.compile(r"/[天日]|每[天日]|日薪|元[天日]|/班")),
    (PayUnit.MONTH, re.compile(r"/月|每月|月薪|元月|月")),
]
_AMOUNT = r"(\d+(?:\.\d+)?)\s*(万|千|k|w)?"
_RANGE_SEP = hours.RANGE_SEP
PAY_RANGE = re.compile(_AMOUNT + _RANGE_SEP + _AMOUNT, re.I)
PAY_ONE = re.compile(_AMOUNT, re.I)
MULTIPLIERS = {"万": 10000, "w": 10000, "千": 1000, "k": 1000}
# What a plain pay cell is made of; anything else in it goes through the wording rules.
PAY_WORDS = re.compile(
    r"[\d\s.,，~～\-—–/至到元每月天日时小件薪以上左右起万千kKwW:：()（）]+|月薪|时薪|日薪|计件"
)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
PAY_EXAMPLE = gettext_lazy("例如 2000-3000元/月、20元/小时、150元/天")


def _amount(number, multiplier):
    if len(number.split(".")[0]) > 9:
        raise CellError(_("金额过大，请核对。"))
    value = Decimal(number) * MULTIPLIERS.get((multiplier or "").lower(), 1)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def pay_unit_hint(header):
    """A header such as 月薪（元） or 时薪 says the unit of bare numbers below it."""
    text = clean_text(header or "")
    for unit, pattern in PAY_UNITS:
        if pattern.search(text):
            return unit
    return None


def parse_pay(value, *, hint=None):
    """(pay_min, pay_max, unit) from 2000-3000元/月, 20元/小时, 150元/天, 月薪3千, 3000 ..."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        try:
            amount = Decimal(number_text(value))
        except InvalidOperation as error:
            raise CellError(_("无法识别薪资。")) from error
        return amount, amount, _unit_for(None, amount, hint)
    text = cell_text("pay", value)
    if not text:
        raise CellError(_("请填写薪资待遇，%(example)s。") % {"example": PAY_EXAMPLE})
    plain = _THOUSANDS.sub("", text.lower().replace(" ", ""))
    match = PAY_RANGE.search(plain)
    if match:
        low_mult = match.group(2) or match.group(4)
        low = _amount(match.group(1), low_mult)
        high = _amount(match.group(3), match.group(4))
    else:
        match = PAY_ONE.search(plain)
        if not match:
            if "面议" in plain or "协商" in plain:
                raise CellError(
                    _("薪资不能只写“面议”，请写明范围，%(example)s。") % {"example": PAY_EXAMPLE}
                )
            raise CellError(
                _("无法识别薪资“%(text)s”，请写成%(example)s。")
                % {"text": text[:40], "example": PAY_EXAMPLE}
            )
        low = high = _amount(match.group(1), match.group(2))
    unit = None
    for candidate, pattern in PAY_UNITS:
        if pattern.search(plain):
            unit = candidate
            break
    return low, high, _unit_for(unit, low, hint)


def _unit_for(unit, low, hint):
    if unit or hint:
        return unit or hint
    # A bare figure of a thousand or more is a monthly wage in every sheet we have seen;
    # smaller ones could be hourly or daily pay, so they must say which.
    if low >= 1000:
        return PayUnit.MONTH
    raise CellError(_("请写明薪资单位：元/月、元/天、元/小时或元/件。"))


# -- hours -------------------------------------------------------------------------------------

# The words and time ranges of hours are momjobs.lib.hours's, shared with the free hours a
# seeker types: one grammar for both.
TIME_RANGE = hours.TIME_RANGE
DAY_WORDS = hours.DAY_WORDS
DAY_NUMBERS = hours.DAY_NUMBERS
HOURS_TOKENS = re.compile("|".join([*hours.DAY_PATTERNS, r"(?P<range>" + TIME_RANGE + r")"]))
_TIME_RANGE = hours.TIME_RANGE_RE
FLEXIBLE = re.compile(r"弹性|灵活|自选|自由|不固定|自行安排|自主安排")
PLAIN_FLEXIBLE = {
    "弹性",
    "弹性工作",
    "弹性时间",
    "弹性工作制",
    "弹性工时",
    "时间自由",
    "灵活",
    "自选",
}
_FILLER = re.compile(
    r"[\s,，;；、/()\[\]【】.。:：-]|上午|下午|中午|晚上|早上|每天|每日|工作时间|时间|班次|"
    r"早班|中班|晚班|白班|两班|分段|全天"
)
HOURS_EXAMPLE = gettext_lazy("例如 8:30-11:30，两段用逗号分开：8:30-11:30,14:00-17:00")
WEEKDAYS = [1, 2, 3, 4, 5]
MAX_WINDOW_MINUTES = 16 * 60


def _window_times(match):
    try:
        start, end = hours.sheet_range(match)
    except ValidationError as error:  # a time that does not exist, with the import's message
        raise CellError(error.messages[0]) from error
    if start >= 24 * 60:
        raise CellError(_("开始时间不能是 24:00。"))
    length = (end - start) % (24 * 60) or 24 * 60
    if length > MAX_WINDOW_MINUTES:
        raise CellError(
            _("时段 %(text)s 超过16小时，请核对（下午的时间请写成24小时制，例如 17:30）。")
            % {"text": match.group(0)}
        )
    return sched.format_minutes(start), sched.format_minutes(end % (24 * 60) or 24 * 60)


class Hours(NamedTuple):
    schedule: list  # Posting.schedule's JSON
    flexible: bool
    note: str  # what the cell says beyond the windows, kept as the schedule note
    windows: list  # sched.Window objects of `schedule`


def parse_hours(value):
    """Hours(schedule, flexible, note, windows) from 8:30-11:30,14:00-17:00 / 9:00—15:00 / 弹性 /
    周一至周五 10:30-13:30，周六 9:00-12:00. Hours without days mean Monday to Friday."""
    if isinstance(value, time):
        raise CellError(_("只有一个时刻，应写成时间段，%(example)s。") % {"example": HOURS_EXAMPLE})
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raise CellError(
            _("无法识别工作时间，应写成时间段，%(example)s。") % {"example": HOURS_EXAMPLE}
        )
    text = cell_text("hours", value)
    if not text:
        raise CellError(
            _("请填写工作时间，%(example)s；时间自由请写“弹性”。") % {"example": HOURS_EXAMPLE}
        )
    tokens = []  # ("days", [..]) or ("window", (start, end))
    leftover = text
    for match in HOURS_TOKENS.finditer(text):
        try:
            days = hours.days_of(match)
        except ValidationError as error:  # 周五至周一
            raise CellError(error.messages[0]) from error
        if days is not None:
            tokens.append(("days", days))
        else:
            tokens.append(("window", _window_times(_TIME_RANGE.fullmatch(match.group("range")))))
        leftover = leftover.replace(match.group(0), " ", 1)
    windows = []
    for index, (kind, item) in enumerate(tokens):
        if kind != "window":
            continue
        before = [days for k, days in tokens[:index] if k == "days"]
        after = [days for k, days in tokens[index + 1 :] if k == "days"]
        days = before[-1] if before else (after[0] if after else WEEKDAYS)
        windows.append({"days": list(days), "start": item[0], "end": item[1]})
    leftover = _FILLER.sub("", FLEXIBLE.sub("", leftover))
    if not windows:
        if FLEXIBLE.search(text):
            plain = text.replace(" ", "")
            return Hours([], True, "" if plain in PLAIN_FLEXIBLE else text[:200], [])
        raise CellError(
            _("无法识别工作时间“%(text)s”，%(example)s；时间自由请写“弹性”。")
            % {"text": text[:40], "example": HOURS_EXAMPLE}
        )
    try:
        parsed = sched.windows_from_data(windows)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from error
    return Hours(windows, False, text[:200] if leftover else "", parsed)


# -- choices -----------------------------------------------------------------------------------

SECTOR_WORDS = [
    (Sector.CATERING, ("餐饮", "餐厅", "食堂", "饭店", "烘焙", "早餐", "餐")),
    (Sector.DOMESTIC, ("家政", "保姆", "月嫂", "育儿嫂", "家庭服务")),
    (Sector.SECURITY, ("安保", "保安", "安检")),
    (Sector.RETAIL, ("零售", "商超", "超市", "商场", "门店销售")),
    (Sector.CUSTOMER_SERVICE, ("客服", "客户服务", "呼叫")),
    (Sector.ECOMMERCE, ("电商", "直播")),
    (Sector.HANDICRAFT, ("手工", "工艺", "编织")),
    (Sector.CONTENT, ("新媒体", "文案", "短视频", "自媒体")),
    (Sector.CHILDCARE, ("托育", "教育", "早教", "幼儿", "托管")),
    (Sector.CLEANING, ("保洁", "物业", "清洁")),
    (Sector.HEALTHCARE, ("养老", "护理", "健康", "医疗", "康养")),
    (Sector.MANUFACTURING, ("制造", "加工", "生产", "工厂")),
    (Sector.LOGISTICS, ("物流", "快递", "配送", "仓储")),
    (Sector.OTHER, ("其他", "其它")),
]
WORK_FORM_WORDS = [
    (WorkForm.PART_TIME, ("非全日制", "兼职", "半天", "半日")),
    (WorkForm.HOURLY, ("小时工", "钟点")),
    (WorkForm.PIECE_RATE, ("计件",)),
    (WorkForm.HOME_BASED, ("居家",)),
    (WorkForm.FULL_TIME, ("全日制", "全职")),
]
NOT_STATED_WORDS = {"", "未注明", "未说明", "不详", "未知", "待定", "-", "/", "—", "无说明"}
CONTRACT_WORDS = [
    (Contract.PART_TIME_AGREEMENT, ("非全日制", "书面协议", "用工协议")),
    (Contract.SERVICE, ("劳务", "服务协议", "合作协议")),
    (Contract.LABOUR, ("劳动合同", "正式合同")),
]
INSURANCE_WORDS = [
    (Insurance.NONE, ("无社保", "不缴纳", "不交", "不缴", "没有", "不提供", "无保险")),
    (Insurance.INJURY_ONLY, ("工伤",)),
    (Insurance.ACCIDENT_ONLY, ("意外",)),
    (Insurance.FULL, ("五险", "社保", "社会保险", "齐全", "六险")),
]


def _choice(text, choices, words):
    plain = text.replace(" ", "")
    for value, label in choices:
        if plain in (value, str(label).replace(" ", "")):
            return value
    for value, keys in words:
        if any(k in plain for k in keys):
            return value
    return None


def _pick(text, choices, words, message):
    """The choice `text` names (a label, a value, or a word of `words`), else CellError listing
    the labels that may be written."""
    found = _choice(text, choices, words)
    if found is None:
        options = _("、").join(str(label) for _value, label in choices)
        raise CellError(message % {"text": text[:30], "options": options})
    return found


def parse_sector(value, default):
    text = cell_text("sector", value)
    if not text:
        return default
    return _pick(
        text, Sector.choices, SECTOR_WORDS, _("无法识别行业“%(text)s”，可填：%(options)s。")
    )


def parse_work_form(value):
    text = cell_text("work_form", value)
    if not text:
        return None
    message = _("无法识别用工形式“%(text)s”，可填：%(options)s。")
    return _pick(text, WorkForm.choices, WORK_FORM_WORDS, message)


def parse_contract(value):
    text = cell_text("contract", value)
    if text.replace(" ", "") in NOT_STATED_WORDS:
        return Contract.NOT_STATED
    message = _("无法识别合同形式“%(text)s”，可填：%(options)s，或留空表示未注明。")
    return _pick(text, Contract.choices, CONTRACT_WORDS, message)


def parse_insurance(value):
    text = cell_text("insurance", value)
    plain = text.replace(" ", "")
    if plain in NOT_STATED_WORDS:
        return Insurance.NOT_STATED
    if plain in ("无", "否", "没有"):
        return Insurance.NONE
    message = _("无法识别社会保险“%(text)s”，可填：%(options)s，或留空表示未注明。")
    return _pick(text, Insurance.choices, INSURANCE_WORDS, message)


def infer_work_form(unit, windows, flexible):
    """A sheet without 用工形式, read as the bureau meant it. The hours decide first: more than
    4 hours a day or 24 a week cannot be 非全日制 (Labour Contract Law art. 68), so such a row is
    全日制 whatever its pay unit (hourly pay for a full day is still a full day). Within those
    limits, hourly pay means hourly work, piece pay piece-rate work, anything else part-time.
    Flexible hours (no fixed windows) say nothing about length: the pay decides.
    `windows`: sched.Window objects."""
    if not flexible:
        total, days = sched.weekly_minutes(windows), sched.working_days(windows)
        within = (
            total <= sched.PART_TIME_WEEKLY_MINUTES
            and total <= days * sched.PART_TIME_DAILY_MINUTES
        )
        if not within:
            return WorkForm.FULL_TIME
    if unit == PayUnit.HOUR:
        return WorkForm.HOURLY
    if unit == PayUnit.PIECE:
        return WorkForm.PIECE_RATE
    return WorkForm.PART_TIME


def phone_text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return cell_text("contact_phone", value)
