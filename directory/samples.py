"""Spreadsheets the portal hands out: the import template, and the demo's sample sheets.

The template (`template_workbook`) has the columns of directory/sheet_columns.py in order, an
example row the import skips, drop-down lists and a sheet of instructions.

The samples (`messy_workbook`, `messy_csv`, `write_samples`) are what a city bureau's own list of
posts looks like: Qingdao's next phase from the demo employers plus two new ones, under a merged
title row, employer cells merged down each block, columns in the bureau's order and names, a 序号
and a 备注 column nobody imports, no contract or insurance columns, full-width digits, pay and
hours written every way, a totals row with a formula and a note at the end. `broken=True` adds
the mistakes a real sheet has, one kind per row, to show the error report.
Everything is generated from directory/demo_data.py with a fixed seed, without the database.
"""

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.utils.translation import gettext as _

from employers import schedule as sched
from employers.choices import Contract, Insurance, Sector, WorkForm
from employers.uscc import ALPHABET, make_uscc

from . import demo_data as data
from .imports import EXAMPLE_MARK, parse_openings
from .sheet_columns import COLUMNS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAMPLE_DIR = Path(".data") / "samples"
SAMPLE_NAME = "青岛市妈妈岗第二批.xlsx"
BROKEN_NAME = "青岛市妈妈岗第二批（有错误）.xlsx"
CSV_NAME = "青岛市妈妈岗第二批.csv"
SAMPLE_TITLE = "青岛市妈妈岗目录（第二批）"
SEED = 20260202

# ---------------------------------------------------------------------------------------------
# The template


def _hints():
    return {
        "employer_name": _("与营业执照一致的全称。同一单位的几行可以合并单元格。"),
        "uscc": _(
            "18位，会核对校验位。已在平台登记的单位按代码匹配（名称须一致），"
            "未登记的单位自动登记入录。请把本列设为“文本”格式。"
        ),
        "title": _("不得含有限定性别、婚育的表述（如“限女性”“已婚已育”）。"),
        "sector": _("可选，从下拉列表选择；空着时使用上传时选择的行业。"),
        "openings": _("数字，例如 3。"),
        "work_form": _(
            "可选：全日制、非全日制、小时工、计件、居家灵活就业。"
            "空着时按薪资单位和工时推断（元/小时为小时工，每周不超过24小时为非全日制）。"
        ),
        "hours": _(
            "例如 8:30-11:30；两段用逗号分开：8:30-11:30,14:00-17:00；"
            "写明星期：周一至周五 9:00-15:00，周六 9:00-12:00（没写星期的按周一至周五）；"
            "时间自由写“弹性”。"
        ),
        "pay": _("例如 2000-3000元/月、20元/小时、150元/天、3元/件；不能只写“面议”。"),
        "district": _(
            "可选，例如 市南区。空着时从工作地点中识别，识别不到的归入本部门的管辖地区。"
        ),
        "address": _("工作地点。以“居家”开头表示居家工作。"),
        "contract": _(
            "可选：劳动合同、非全日制书面协议、劳务/服务协议。没有这一列或空着时，"
            "岗位上会明确显示“未注明”。"
        ),
        "insurance": _(
            "可选：五险、仅工伤保险、仅商业意外险、无社会保险。没有这一列或空着时，"
            "岗位上会明确显示“未注明”。"
        ),
        "description": _("可选。不得含有收取押金、培训费或限定性别、婚育的表述。"),
        "requirements": _("可选。规则同岗位描述。"),
        "contact_name": _("显示在岗位页面上，供求职者联系。属于个人信息，只用于该岗位。"),
        "contact_phone": _("显示在岗位页面上，供求职者联系。属于个人信息，只用于该岗位。"),
    }


TEMPLATE_EXAMPLE = {
    "employer_name": EXAMPLE_MARK + "青岛示例餐饮管理有限公司",
    "uscc": make_uscc("91370202MA3C8XR1L"),
    "title": "午市服务员",
    "sector": Sector.CATERING.label,
    "openings": 3,
    "work_form": WorkForm.PART_TIME.label,
    "hours": "周一至周五 10:30-13:30",
    "pay": "22-26元/小时",
    "district": "市南区",
    "address": "市南区香港中路10号",
    "contract": Contract.PART_TIME_AGREEMENT.label,
    "insurance": Insurance.INJURY_ONLY.label,
    "description": "负责午市点餐、上菜和翻台。",
    "requirements": "需持有效健康证（可入职后办理，费用由单位承担）。",
    "contact_name": "刘经理",
    "contact_phone": "0532-8000-0000",
}
TEXT_COLUMNS = ("uscc", "hours", "pay", "contact_phone")
LISTS = {
    "sector": Sector,
    "work_form": WorkForm,
    "contract": Contract,
    "insurance": Insurance,
}


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook():
    """The import template as XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("岗位信息")
    required = PatternFill("solid", fgColor="FFE699")
    optional = PatternFill("solid", fgColor="DDEBF7")
    example_font = Font(italic=True, color="595959")
    hints = _hints()
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=str(column.header))
        cell.font = Font(bold=True)
        cell.fill = required if column.required else optional
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        note = (_("必填。") if column.required else _("选填。")) + str(hints[column.key])
        cell.comment = Comment(note, _("妈妈岗服务平台"))
        value = TEMPLATE_EXAMPLE[column.key]
        example = sheet.cell(
            row=2, column=index, value=value if isinstance(value, int) else str(value)
        )
        example.font = example_font
        sheet.column_dimensions[letter].width = 30 if column.key in ("address", "hours") else 18
        if column.key in TEXT_COLUMNS:
            # Typed as text, "8-11" stays a time range and an 18-digit code keeps every digit.
            sheet.column_dimensions[letter].number_format = "@"
            example.number_format = "@"
        if column.key in LISTS:
            labels = ",".join(str(label) for _value, label in LISTS[column.key].choices)
            validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
            validation.showErrorMessage = False  # other wordings are understood too
            validation.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("填写说明"))
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 8
    notes.column_dimensions["C"].width = 90
    lines = [
        _("妈妈岗岗位汇总表：填写说明"),
        _("1. 在“岗位信息”工作表中每行填写一个岗位。列的顺序可以调整，表头上方可以有标题行。"),
        _("2. 第2行是示例（单位名称以“【示例】”开头），导入时会跳过，可以删除。"),
        _("3. 不要使用公式；合计行和表格下方的备注会被跳过。"),
        _("4. 所有行都通过检查才会导入；有错误时会列出每个错误所在的行和列，改好后重新上传即可。"),
        _("5. 每次导入生成目录的一个新批次，审核后再发布。"),
    ]
    for row, line in enumerate(lines, start=1):
        notes.cell(row=row, column=1, value=str(line)).font = Font(bold=row == 1)
    start = len(lines) + 2
    for col, title in enumerate((_("列名"), _("必填"), _("怎么填")), start=1):
        notes.cell(row=start, column=col, value=str(title)).font = Font(bold=True)
    for offset, column in enumerate(COLUMNS, start=1):
        notes.cell(row=start + offset, column=1, value=str(column.header))
        notes.cell(row=start + offset, column=2, value=str(_("是") if column.required else ""))
        notes.cell(row=start + offset, column=3, value=str(hints[column.key]))
    return _save(workbook)


# ---------------------------------------------------------------------------------------------
# The demo's sample sheets


@dataclass
class SampleEmployer:
    name: str
    uscc: str
    sector_label: str  # as the bureau wrote it ("" when the cell is left empty)
    contact: str
    phone: str
    titles: list
    sites: list


@dataclass
class SampleRow:
    employer: SampleEmployer
    cells: dict = field(default_factory=dict)  # key -> value


def demo_uscc(spec):
    """The code directory.demo gives a Qingdao demo employer (the same seeded generator)."""
    rng = random.Random(f"{data.SEED}-{spec.key}")
    return make_uscc("91" + spec.district[:6] + "MA" + "".join(rng.choices(ALPHABET, k=7)))


SECTOR_AS_WRITTEN = {
    "haizhiwei": "餐饮",
    "chenxi": "餐饮服务",
    "linli": "",
    "anxin": "家政",
    "nuanjia": "家政服务",
    "shouhu": "保安",
    "chengan": "安保服务",
}
NEW_EMPLOYERS = [
    SampleEmployer(
        "青岛贝贝乐托育服务有限公司",
        make_uscc("91370212MA3RB8L6T"),
        "托育",
        "高园长",
        "0532-8000-0810",
        [
            data.Title(
                "托育园保育员", ("school7",), (24, 30), "照护2至3岁幼儿的饮食、午睡和游戏。", ""
            ),
            data.Title("托育园午间看护", ("midday",), (23, 27), "午餐和午睡时段照看幼儿。", ""),
        ],
        ["370212"],
    ),
    SampleEmployer(
        "青岛悦邻社区便民服务有限公司",
        make_uscc("91370203MA3PK7WN2"),
        "零售",
        "马店长",
        "0532-8000-0820",
        [
            data.Title("便民超市理货员", ("morning", "morning3"), (22, 25), "补货、理货。", ""),
            data.Title("社区驿站收银员", ("afternoon", "weekend"), (22, 26), "收银、取件。", ""),
        ],
        ["370203", "370213"],
    ),
]


def sample_employers():
    employers = []
    for index, spec in enumerate(data.QINGDAO_EMPLOYERS, start=1):
        employers.append(
            SampleEmployer(
                spec.name,
                demo_uscc(spec),
                SECTOR_AS_WRITTEN[spec.key],
                spec.contact,
                f"0532-8000-0{index:02d}0",
                list(spec.titles),
                list(spec.sites),
            )
        )
    return employers + NEW_EMPLOYERS


FULL_WIDTH = str.maketrans("0123456789:-", "０１２３４５６７８９：－")
DAY_LABELS = {
    (1, 2, 3, 4, 5): "周一至周五",
    (6, 7): "周六、周日",
    (1, 2, 3, 4, 5, 6): "周一至周六",
    (1, 3, 5): "周一、三、五",
    (2, 4, 6): "周二、四、六",
    (5,): "周五",
    (5, 6, 7): "周五至周日",
}


def _clock(text):
    hours, minutes = text.split(":")
    return f"{int(hours)}:{minutes}"


def hours_text(rng, windows_data):
    if not windows_data:
        return rng.choice(["弹性", "弹性", "弹性工作，时间自由"])
    dash = rng.choice(["-", "-", "—", "~", "至"])
    sep = rng.choice([",", "，", "、", " "])
    parts = []
    previous_days = None
    for window in windows_data:
        start, end = _clock(window["start"]), _clock(window["end"])
        overnight = window["end"] <= window["start"]
        text = f"{start}{dash}{'次日' if overnight else ''}{end}"
        days = tuple(window["days"])
        label = DAY_LABELS[days]
        if days != previous_days and (days != (1, 2, 3, 4, 5) or rng.random() < 0.3):
            text = f"{label} {text}"
        previous_days = days
        parts.append(text)
    text = sep.join(parts)
    return text.translate(FULL_WIDTH) if rng.random() < 0.15 else text


def pay_text(rng, title, windows_data, forms):
    lo, hi = title.band
    windows = sched.windows_from_data(windows_data)
    if forms == data.FULL:
        unit = "month"
    elif not windows:
        unit = "hour"
    else:
        unit = rng.choice(["hour", "hour", "day", "month"])
    if unit == "hour":
        text = rng.choice([f"{lo}-{hi}元/小时", f"{lo}元/时", f"时薪{lo}-{hi}元"])
    elif unit == "day":
        daily = sched.weekly_minutes(windows) / 60 / sched.working_days(windows)
        low, high = round(lo * daily / 10) * 10, round(hi * daily / 10) * 10
        text = rng.choice([f"{low}元/天", f"{low}-{high}元/天", f"日薪{low}元"])
    else:
        monthly = sched.weekly_minutes(windows) / 60 * 52 / 12
        low, high = round(lo * monthly / 100) * 100, round(hi * monthly / 100) * 100 + 200
        text = rng.choice([f"{low}-{high}元/月", f"月薪{low}-{high}元", f"{low}～{high}元/月"])
    return text.translate(FULL_WIDTH) if rng.random() < 0.15 else text


def sample_rows(broken=False):
    """The rows of the sample sheet (deterministic), each with the employer it belongs to."""
    rng = random.Random(SEED)
    rows = []
    for employer in sample_employers():
        titles = rng.sample(employer.titles, min(len(employer.titles), rng.choice([4, 5, 6])))
        for title in titles:
            shift = rng.choice(title.shifts)
            windows_data, forms = data.SHIFTS[shift]
            district_code = rng.choice(employer.sites)
            district, roads = data.QINGDAO_DISTRICTS[district_code]
            road = rng.choice(roads)
            openings = rng.choice([1, 2, 2, 3, 4, 5, 6, 8])
            rows.append(
                SampleRow(
                    employer,
                    {
                        "title": title.title,
                        "openings": rng.choice(
                            [
                                openings,
                                openings,
                                f"{openings}人",
                                str(openings).translate(FULL_WIDTH) + "名",
                            ]
                        ),
                        "hours": hours_text(rng, windows_data),
                        "pay": pay_text(rng, title, windows_data, forms),
                        "district": rng.choice([district, district, district[:-1]]),
                        "address": f"{district}{road}{rng.randint(3, 388)}号",
                        "contact_name": employer.contact,
                        "contact_phone": employer.phone,
                        "note": rng.choice(["", "", "长期招聘", "可接受新手"]),
                    },
                )
            )
    if broken:
        _break(rows)
    return rows


def _break(rows):
    """One mistake per row, the kinds the import must report (docs/imports.md)."""
    rows[1].cells["pay"] = "面议"
    rows[3].cells["openings"] = datetime(2026, 2, 3)  # "2-3" typed into a date-formatted cell
    rows[5].cells["title"] = "保洁员（限女性，已婚已育）"
    rows[7].cells["openings"] = "=2+3"
    rows[11].cells["district"] = "兰山区"
    rows[13].cells["hours"] = "8:00-18:00"
    rows[13].cells["pay"] = "25元/小时"
    rows[15].cells["hours"] = "每天4小时"
    rows.insert(10, SampleRow(rows[9].employer, dict(rows[9].cells)))  # a row pasted twice
    # An employer of the demo under a name of its own making, and a code with a typo.
    renamed = next(r.employer for r in rows if r.employer.name == data.QINGDAO_EMPLOYERS[-1].name)
    for row in rows:
        if row.employer is renamed:
            row.employer = SampleEmployer(**{**renamed.__dict__, "name": "青岛城安保安公司"})
    mistyped = rows[0].employer
    code = mistyped.uscc[:17] + ("0" if mistyped.uscc[17] != "0" else "1")
    for row in rows:
        if row.employer is mistyped:
            row.employer = SampleEmployer(**{**mistyped.__dict__, "uscc": code})


SAMPLE_HEADERS = [
    ("number", "序号"),
    ("employer_name", "单位名称"),
    ("uscc", "统一社会信用代码"),
    ("sector", "行业"),
    ("title", "岗位名称"),
    ("openings", "招聘人数（人）"),
    ("hours", "工作时间"),
    ("pay", "薪资待遇"),
    ("district", "所在区（市）"),
    ("address", "工作地点"),
    ("contact_name", "联系人"),
    ("contact_phone", "联系电话"),
    ("note", "备注"),
]
BANNER = "填报单位：青岛市人力资源和社会保障局（示例数据：单位、地址和电话均为虚构）"
FOOTNOTE = "注：以上岗位面向所有照护者开放，不限性别；入职不收取任何费用。"


def _values(row, number):
    employer = row.employer
    values = {
        "number": number,
        "employer_name": employer.name,
        "uscc": employer.uscc,
        "sector": employer.sector_label,
        **row.cells,
    }
    return [values.get(key, "") for key, _header in SAMPLE_HEADERS]


def messy_workbook(broken=False):
    """The sample sheet as XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rows = sample_rows(broken)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "汇总表"
    width = len(SAMPLE_HEADERS)
    sheet.cell(row=1, column=1, value=f"{SAMPLE_TITLE}岗位汇总表").font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(row=2, column=1, value=BANNER)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for col, (_key, header) in enumerate(SAMPLE_HEADERS, start=1):
        sheet.cell(row=3, column=col, value=header).font = Font(bold=True)
    first = 4
    keys = [key for key, _header in SAMPLE_HEADERS]
    for offset, row in enumerate(rows):
        for col, value in enumerate(_values(row, offset + 1), start=1):
            cell = sheet.cell(row=first + offset, column=col, value=value)
            if isinstance(value, datetime):
                cell.number_format = "m月d日"
    # The employer's name, code and sector merged down its block of rows, as bureaus do.
    block_start = first
    for offset in range(1, len(rows) + 1):
        ends = offset == len(rows) or rows[offset].employer is not rows[offset - 1].employer
        if ends:
            block_end = first + offset - 1
            if block_end > block_start:
                for key in ("employer_name", "uscc", "sector"):
                    col = keys.index(key) + 1
                    sheet.merge_cells(
                        start_row=block_start, start_column=col, end_row=block_end, end_column=col
                    )
                    sheet.cell(row=block_start, column=col).alignment = Alignment(vertical="center")
            block_start = block_end + 1
    last = first + len(rows) - 1
    totals = last + 1
    openings_col = keys.index("openings") + 1
    sheet.cell(row=totals, column=keys.index("employer_name") + 1, value="合计")
    letter = sheet.cell(row=first, column=openings_col).column_letter
    sheet.cell(row=totals, column=openings_col, value=f"=SUM({letter}{first}:{letter}{last})")
    sheet.cell(row=totals + 2, column=1, value=FOOTNOTE)
    for col, width_chars in enumerate((6, 30, 22, 10, 18, 10, 28, 18, 10, 32, 10, 16, 12), 1):
        sheet.column_dimensions[sheet.cell(row=3, column=col).column_letter].width = width_chars
    return _save(workbook)


def messy_csv(encoding="gb18030"):
    """The sample as a CSV the way Chinese Excel saves one (GB18030, no merged cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f"{SAMPLE_TITLE}岗位汇总表"] + [""] * (len(SAMPLE_HEADERS) - 1))
    writer.writerow([header for _key, header in SAMPLE_HEADERS])
    rows = sample_rows()
    for number, row in enumerate(rows, start=1):
        writer.writerow(_values(row, number))
    total = sum(parse_openings(row.cells["openings"]) for row in rows)
    writer.writerow(["", "合计", "", "", "", total] + [""] * (len(SAMPLE_HEADERS) - 6))
    return buffer.getvalue().encode(encoding)


def write_samples(folder=SAMPLE_DIR):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in (
        (SAMPLE_NAME, messy_workbook()),
        (BROKEN_NAME, messy_workbook(broken=True)),
        (CSV_NAME, messy_csv()),
    ):
        path = folder / name
        path.write_bytes(content)
        written.append(path)
    return written
