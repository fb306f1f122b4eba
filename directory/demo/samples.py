"""The demo's sample sheets for the import.

The samples (`messy_workbook`, `messy_csv`, `write_samples`) are what a city bureau's own list of
posts looks like: Qingdao's next phase from the demo employers plus two new ones, under a merged
title row, employer cells merged down each block, columns in the bureau's order and names, a 序号
and a 备注 column nobody imports, no contract or insurance columns, full-width digits, pay and
hours written every way, a totals row with a formula and a note at the end. `broken=True` adds
the mistakes a real sheet has, one kind per row, to show the error report.
Everything is generated from directory/demo/data.py with a fixed seed, without the database.
"""

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from directory.demo import data
from directory.imports import template
from directory.imports.cells import parse_openings
from employers import schedule as sched
from employers.uscc import ALPHABET, make_uscc

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAMPLE_DIR = Path(".data") / "samples"
SAMPLE_NAME = "青岛市妈妈岗第二批.xlsx"
BROKEN_NAME = "青岛市妈妈岗第二批（有错误）.xlsx"
CSV_NAME = "青岛市妈妈岗第二批.csv"
SAMPLE_TITLE = "青岛市妈妈岗目录（第二批）"
SEED = 20260202

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
    """The code directory.demo.load gives a Qingdao demo employer (the same seeded generator)."""
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
    rows[13].cells["openings"] = "-3"  # a negative count
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
    return template.workbook_bytes(workbook)


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
