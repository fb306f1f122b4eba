"""A bureau's spreadsheet as a new phase: read, check every row, save all rows or none.

Three steps, each its own function so the benchmark and the tests can time and drive them:

1. `read_table(data, name)`: an XLSX or CSV in the layouts bureaus already use (columns in any
   order, recognised by the headers of directory/sheet_columns.py and their aliases; a merged
   title row above the header; employer cells merged down a block of rows; a totals row and
   notes at the end; UTF-8 or GB18030 CSV). A file that cannot be read raises FileError.
2. `check_table(table, bureau=..., default_sector=...)`: every row becomes a Posting that passes
   the same model validation as an employer's (Posting.full_clean, the wording rules, art. 68),
   with pay, hours, openings and places parsed from the ways people write them. All problems are
   collected, each with the row number and the header the officer sees in her sheet.
3. `save_checked(checked, job=...)`: only when no row has an error, one transaction creates the
   phase (in review, its entries approved: it is the bureau's own list), the new employers and
   every posting with bulk inserts.

`run_import(job_id)` is the Celery task that runs the three steps for an ImportJob and keeps its
progress; `import_start(...)` stores an upload and queues it.
"""

import csv
import io
import logging
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from celery import shared_task
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from employers import schedule as sched
from employers.choices import Contract, EmployerKind, Insurance, PayUnit, Place, Sector, WorkForm
from employers.models import (
    DirectoryEvent,
    Employer,
    EmployerStatus,
    EmployerStatusEvent,
    Posting,
    PostingStatus,
)
from employers.rules import find_violations
from employers.uscc import normalise as normalise_uscc
from employers.uscc import validate_uscc
from momjobs.records import record_language
from momjobs.regions.models import COUNTY_LEVEL, Region, RegionKind

from . import audit, services
from .models import (
    AuditAction,
    Catalog,
    EntryDecision,
    ImportJob,
    ImportStatus,
    PhaseEntry,
    PhaseStatus,
)
from .sheet_columns import BY_KEY, COLUMNS

logger = logging.getLogger(__name__)

# The header is looked for in the first rows (a title and a note may sit above it).
HEADER_SCAN_ROWS = 12
MAX_COLUMNS = 60
# A 10 MB XLSX is compressed XML: refuse archives that unpack to more than this (zip bombs).
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_CELL_CHARS = 5000
# Errors kept on the job (the page lists them; the count says how many there were in all).
MAX_STORED_ERRORS = 1000
PROGRESS_EVERY = 250
# Rows of a block merged vertically that are copied down (as Excel shows them).
MAX_MERGED_RANGES = 100_000


class FileError(Exception):
    """The file as a whole cannot be imported; the message tells the officer why."""


class CellError(Exception):
    """One cell cannot be read; the message says what to write instead."""


# ---------------------------------------------------------------------------------------------
# Text


_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]+")
_LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
EXCEL_ERRORS = {"#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"}


def clean_text(value, *, one_line=True):
    """NFKC (full-width digits, letters, colons and brackets become ASCII), no invisible
    characters, runs of spaces as one."""
    text = unicodedata.normalize("NFKC", str(value))
    if text.isprintable():  # the usual cell: nothing invisible, no line breaks (fast path)
        return _SPACES.sub(" ", text).strip() if "  " in text else text.strip()
    text = _INVISIBLE.sub("", text)
    text = _LINE_BREAKS.sub(" ", text) if one_line else _LINE_BREAK.sub("\n", text)
    return _SPACES.sub(" ", text).strip()


def header_key(text):
    """How headers are compared: 招聘人数（人） -> 招聘人数, ＊单位 名称 -> 单位名称."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = _BRACKETED.sub("", text)
    return re.sub(r"[\s*※:：#]+", "", text).lower()


HEADERS = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        HEADERS.setdefault(header_key(_name), _column.key)


def _number_text(value):
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def is_formula(value):
    if isinstance(value, str):
        return len(value) > 1 and value.startswith("=")
    # openpyxl's ArrayFormula / DataTableFormula objects
    return type(value).__name__.endswith("Formula")


# ---------------------------------------------------------------------------------------------
# Reading a file


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class SheetColumn:
    key: str
    index: int
    header: str  # as written in the officer's sheet

    @property
    def letter(self):
        return column_letter(self.index)


@dataclass
class Table:
    kind: str  # "xlsx" or "csv"
    sheet: str
    header_row: int
    columns: dict  # key -> SheetColumn
    ignored: list  # headers of columns nobody reads (序号, 备注 ...)
    rows: list  # [(row number as the officer sees it, [cell values])]
    skipped: dict = field(default_factory=dict)  # {"totals": n, "notes": n, "examples": n}

    def header_of(self, key):
        column = self.columns.get(key)
        return column.header if column else str(BY_KEY[key].header)

    def letter_of(self, key):
        column = self.columns.get(key)
        return column.letter if column else ""


def file_kind(name, head):
    """The kind of an upload from its name and first bytes; FileError when they disagree."""
    extension = Path(name or "").suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(
            _(
                "这是旧版 Excel（.xls）文件或加了密码的工作簿，无法读取。"
                "请在 Excel 或 WPS 中“另存为” .xlsx 格式（不设密码）后再上传。"
            )
        )
    is_zip = head.startswith(b"PK\x03\x04")
    if extension == ".xlsx":
        if not is_zip:
            raise FileError(
                _(
                    "文件扩展名是 .xlsx，但内容不是 Excel 工作簿（文件可能已损坏，或只是改了扩展名）。"
                    "请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传。"
                )
            )
        return "xlsx"
    if extension == ".csv":
        if is_zip:
            raise FileError(
                _("文件扩展名是 .csv，但内容是 Excel 工作簿：请把扩展名改回 .xlsx 后再上传。")
            )
        return "csv"
    if extension == ".xls":
        raise FileError(
            _("不支持旧版 .xls 格式。请在 Excel 或 WPS 中“另存为” .xlsx 格式后再上传。")
        )
    raise FileError(
        _("只能导入 .xlsx 或 .csv 文件，“%(name)s”不是。请使用下载的模板或把表格另存为 .xlsx。")
        % {"name": (name or "")[:80]}
    )


def check_size(size):
    if size <= 0:
        raise FileError(_("文件是空的。"))
    if size > settings.IMPORT_MAX_BYTES:
        raise FileError(too_big_message())


def too_big_message():
    return _("文件超过 %(mb)s MB，请删去无关的工作表或分成几个文件导入。") % {
        "mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)
    }


def read_table(data, name):
    """The header and the data rows of the first sheet that has the columns we need."""
    check_size(len(data))
    kind = file_kind(name, data[:8])
    sheets = _xlsx_sheets(data) if kind == "xlsx" else _csv_sheets(data)
    missing_report = None
    for sheet_name, rows in sheets:
        try:
            table = _table_from_rows(kind, sheet_name, rows)
        except _NoHeader as problem:
            missing_report = missing_report or problem
            continue
        return table
    if missing_report is not None and missing_report.found:
        raise FileError(
            _("表格缺少必填的列：%(missing)s。找到的表头：%(found)s。")
            % {
                "missing": _("、").join(missing_report.missing),
                "found": _("、").join(missing_report.found) or _("（无）"),
            }
        )
    raise FileError(
        _(
            "没有找到表头行。表格前%(n)s行中应有一行列名，例如：%(headers)s。"
            "可以下载模板，对照模板的列名修改。"
        )
        % {
            "n": HEADER_SCAN_ROWS,
            "headers": _("、").join(str(c.header) for c in COLUMNS if c.required),
        }
    )


class _NoHeader(Exception):
    def __init__(self, missing=(), found=()):
        super().__init__("no header")
        self.missing = list(missing)
        self.found = list(found)


def _xlsx_sheets(data):
    """(sheet name, iterator of (row number, values)) for each visible worksheet."""
    import openpyxl

    # Untrusted files break openpyxl in many ways (zip, XML, styles, missing parts): any failure
    # to open is reported as a damaged file, never as a server error.
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise FileError(_("这个 Excel 文件解压后过大，无法导入。请删去无关的工作表后再试。"))
        if "xl/workbook.xml" not in archive.namelist():
            raise FileError(_("文件不是有效的 Excel 工作簿（缺少工作簿内容），可能已损坏。"))
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except FileError:
        raise
    except Exception as error:
        logger.info("unreadable xlsx: %r", error)
        raise FileError(
            _("无法读取这个 Excel 文件，它可能已损坏。请在 Excel 或 WPS 中打开并重新保存后再试。")
        ) from error
    sheets = []
    for worksheet in workbook.worksheets:
        if getattr(worksheet, "sheet_state", "visible") != "visible":
            continue
        sheets.append((worksheet.title, _xlsx_rows(archive, worksheet)))
    return sheets


def _xlsx_rows(archive, worksheet):
    path = getattr(worksheet, "_worksheet_path", None)
    fill = _merged_fill(archive, path)
    wanted = {source for sources in fill.values() for _col, source in sources}
    tops = {}
    try:
        for number, values in _sheet_values(archive, path, worksheet.parent):
            if fill:
                for col, value in enumerate(values):
                    if (number, col) in wanted:
                        tops[(number, col)] = value
                for col, source in fill.get(number, ()):
                    if source in tops:
                        while len(values) <= col:
                            values.append(None)
                        if values[col] in (None, ""):
                            values[col] = tops[source]
            yield number, values
    except FileError:
        raise
    except Exception as error:
        logger.info("xlsx rows unreadable: %r", error)
        raise FileError(
            _("读取工作表“%(sheet)s”时出错，文件可能已损坏。请在 Excel 中重新保存后再试。")
            % {"sheet": worksheet.title}
        ) from error


def _sheet_values(archive, path, workbook):
    """(row number, [values]) of a worksheet's XML, as openpyxl's streaming reader gives them
    (shared and inline strings, numbers, dates by their number format, booleans, error values,
    formulas as "=..."), without the per-row objects it builds: three times faster on a
    10,000-row sheet. Rows missing from the XML are blank and not yielded."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    from openpyxl.worksheet._reader import (
        CELL_TAG,
        FORMULA_TAG,
        INLINE_STRING,
        ROW_TAG,
        VALUE_TAG,
        _cast_number,
    )
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    text_tag, phonetic_tag = f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}rPh"
    strings = workbook.shared_strings
    dates, timedeltas, epoch = workbook._date_formats, workbook._timedelta_formats, workbook.epoch
    number = 0
    with archive.open(path.lstrip("/")) as source:
        for _event, element in iterparse(source):
            if element.tag != ROW_TAG:
                continue
            number = int(element.get("r") or number + 1)
            values = []
            column = 0
            for cell in element.iter(CELL_TAG):
                coordinate = cell.get("r")
                column = coordinate_to_tuple(coordinate)[1] if coordinate else column + 1
                if column > MAX_COLUMNS:
                    break
                kind = cell.get("t", "n")
                formula = cell.find(FORMULA_TAG)
                raw = cell.findtext(VALUE_TAG)
                if formula is not None:
                    value = "=" + (formula.text or "")
                elif kind == "inlineStr":
                    inline = cell.find(INLINE_STRING)
                    value = None
                    if inline is not None:
                        phonetic = {id(t) for ph in inline.iter(phonetic_tag) for t in ph.iter()}
                        value = "".join(
                            t.text or "" for t in inline.iter(text_tag) if id(t) not in phonetic
                        )
                elif raw is None or raw == "":
                    value = None
                elif kind == "s":
                    value = strings[int(raw)]
                elif kind == "n":
                    value = _cast_number(raw)
                    style = int(cell.get("s", 0))
                    if style in dates:
                        try:
                            value = from_excel(value, epoch, timedelta=style in timedeltas)
                        except (OverflowError, ValueError):
                            value = "#VALUE!"
                elif kind == "b":
                    value = bool(int(raw))
                elif kind == "d":
                    value = from_ISO8601(raw)
                else:  # "str" (a formula's text), "e" (an error value such as #REF!)
                    value = raw
                values.extend([None] * (column - 1 - len(values)))
                values.append(value)
            element.clear()
            yield number, values


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def _col_index(letters):
    index = 0
    for char in letters.decode():
        index = index * 26 + ord(char) - 64
    return index - 1


def _merged_fill(archive, path):
    """{row: [(column, (top row, column))]} for the cells below the top of a vertical merge.

    Bureaus merge an employer's name and code down all its rows; Excel shows the value on every
    row, openpyxl's streaming reader only on the first. Only the first column of a merged block
    is filled (that is where its value belongs)."""
    if not path:
        return {}
    try:
        xml = archive.read(path.lstrip("/"))
    except KeyError:
        return {}
    fill = {}
    for count, match in enumerate(_MERGE.finditer(xml)):
        if count >= MAX_MERGED_RANGES:
            break
        col1, row1 = _col_index(match.group(1)), int(match.group(2))
        row2 = int(match.group(4))
        if row2 > row1 and col1 < MAX_COLUMNS:
            for row in range(row1 + 1, min(row2, row1 + settings.IMPORT_MAX_ROWS * 2) + 1):
                fill.setdefault(row, []).append((col1, (row1, col1)))
    return fill


def _decode_csv(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")  # Excel's "Unicode text" (tab-separated)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(
        _("无法识别 CSV 文件的编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”格式后再上传。")
    )


def _csv_sheets(data):
    try:
        text = _decode_csv(data)
    except UnicodeDecodeError as error:
        raise FileError(_("CSV 文件的编码有误，可能已损坏。")) from error
    if "\x00" in text:
        raise FileError(_("这不是文本格式的 CSV 文件（含有二进制内容）。"))
    first_lines = text[:4000]
    delimiter = "\t" if first_lines.count("\t") > first_lines.count(",") else ","
    return [("CSV", _csv_rows(text, delimiter))]


def _csv_rows(text, delimiter):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            yield number, values[:MAX_COLUMNS]
    except csv.Error as error:
        raise FileError(
            _("CSV 文件第%(n)s行格式有误（%(error)s）。") % {"n": reader.line_num, "error": error}
        ) from error


def _is_blank(value):
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    stripped = value.strip()
    return not stripped or (not stripped.isprintable() and not clean_text(stripped))


_TOTALS_NOISE = re.compile(r"[\s:：]")
TOTALS = {"合计", "总计", "小计", "共计", "总合计", "合计人数", "总人数"}
NOTE_PREFIXES = ("注", "备注", "说明", "填表", "制表", "审核", "签字", "盖章")
EXAMPLE_MARK = "【示例】"


def _row_kind(values):
    """'data', or why a row is skipped: 'blank', 'totals' (合计...), 'notes' (注：...)."""
    filled = [v for v in values if not _is_blank(v)]
    if not filled:
        return "blank"
    for value in filled:
        short = isinstance(value, str) and len(value) <= 12
        if short and _TOTALS_NOISE.sub("", clean_text(value)) in TOTALS:
            return "totals"
    if len(filled) == 1 and isinstance(filled[0], str):
        text = clean_text(filled[0])
        if text.startswith(NOTE_PREFIXES):
            return "notes"
    return "data"


def _table_from_rows(kind, sheet_name, rows):
    iterator = iter(rows)
    head = []
    for number, values in iterator:
        head.append((number, values))
        if len(head) >= HEADER_SCAN_ROWS:
            break
    best = None
    for number, values in head:
        found = {}
        for index, value in enumerate(values):
            key = HEADERS.get(header_key(value)) if isinstance(value, str) else None
            if key is not None:
                found.setdefault(key, []).append(index)
        if best is None or len(found) > len(best[1]):
            best = (number, found, values)
    if best is None or len(best[1]) < 2:
        raise _NoHeader()
    header_row, found, header_values = best
    missing = [str(c.header) for c in COLUMNS if c.required and c.key not in found]
    if missing:
        raise _NoHeader(
            missing,
            [clean_text(v) for v in header_values if isinstance(v, str) and clean_text(v)],
        )
    columns = {}
    for key, indexes in found.items():
        # Two columns for one thing (工作时间 and 工作时长): the template's name wins, else the
        # first alias in sheet_columns' order; the other is listed as not imported.
        names = [header_key(n) for n in (BY_KEY[key].header, *BY_KEY[key].aliases)]
        index = min(indexes, key=lambda i: (names.index(header_key(header_values[i])), i))
        columns[key] = SheetColumn(key, index, _as_written(header_values[index]))
    used = {c.index for c in columns.values()}
    ignored = [
        _as_written(v)
        for i, v in enumerate(header_values)
        if i not in used and not _is_blank(v) and not is_formula(v)
    ]
    table = Table(kind, sheet_name, header_row, columns, ignored, [])
    skipped = {"totals": 0, "notes": 0, "examples": 0}
    limit = settings.IMPORT_MAX_ROWS
    physical = 0
    name_index = columns["employer_name"].index
    remaining = [(n, v) for n, v in head if n > header_row]
    for number, values in _chain(remaining, iterator):
        physical += 1
        if physical > limit * 3 + 1000:
            raise FileError(_("表格行数过多（含空行），请删去无关的行后再导入。"))
        row_kind = _row_kind(values)
        if row_kind == "blank":
            continue
        if row_kind != "data":
            skipped[row_kind] += 1
            continue
        name = values[name_index] if name_index < len(values) else None
        if isinstance(name, str) and clean_text(name).startswith(EXAMPLE_MARK):
            skipped["examples"] += 1
            continue
        table.rows.append((number, values))
        if len(table.rows) > limit:
            raise FileError(_("一次最多导入 %(n)s 行岗位，请把表格分成几个文件。") % {"n": limit})
    if not table.rows:
        raise FileError(_("表头下面没有岗位数据。"))
    table.skipped = skipped
    return table


def _as_written(header):
    # Error reports name a column as the officer's sheet does (招聘人数（人）, not 招聘人数(人)).
    return _SPACES.sub(" ", _INVISIBLE.sub("", str(header)).replace("\n", " ")).strip()


def _chain(first, rest):
    yield from first
    yield from rest


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
        return _number_text(value)
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
    if not _OPENINGS.fullmatch(text):
        raise CellError(_("招聘人数应为数字，例如 5。"))
    number = int(text)
    if number < 1:
        raise CellError(_("招聘人数至少为1。"))
    return number


# -- pay ---------------------------------------------------------------------------------------

PAY_UNITS = [
    (PayUnit.PIECE, re.compile(r"/件|每件|计件|元件")),
    (PayUnit.HOUR, re.compile(r"/(?:小)?时|每(?:小)?时|时薪|小时|元时|/h\b|per\s*hour", re.I)),
    (PayUnit.DAY, re.compile(r"/[天日]|每[天日]|日薪|元[天日]|/班")),
    (PayUnit.MONTH, re.compile(r"/月|每月|月薪|元月|月")),
]
_AMOUNT = r"(\d+(?:\.\d+)?)\s*(万|千|k|w)?"
_RANGE_SEP = r"\s*(?:-|~|—|–|―|至|到)+\s*"
PAY_RANGE = re.compile(_AMOUNT + _RANGE_SEP + _AMOUNT, re.I)
PAY_ONE = re.compile(_AMOUNT, re.I)
MULTIPLIERS = {"万": 10000, "w": 10000, "千": 1000, "k": 1000}
# What a plain pay cell is made of; anything else in it goes through the wording rules.
_PAY_WORDS = re.compile(
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
            amount = Decimal(_number_text(value))
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

_AP = r"(上午|下午|中午|晚上|早上|凌晨|傍晚|早|晚)?"
_POINT = _AP + r"\s*(\d{1,2})(?:\s*(?:[:.]|点|时)\s*(\d{1,2}|半)?\s*分?)?"
TIME_RANGE = _POINT + _RANGE_SEP + r"(?:次日|第二天)?\s*" + _POINT
_DAY_PREFIX = r"(?:周|星期|礼拜)"
_DAY_ANY = r"[一二三四五六日天七1-7]"
_DAY_CN = r"[一二三四五六日天七]"
DAY_WORDS = {
    "工作日": [1, 2, 3, 4, 5],
    "周末": [6, 7],
    "双休日": [6, 7],
    "每天": [1, 2, 3, 4, 5, 6, 7],
    "每日": [1, 2, 3, 4, 5, 6, 7],
    "天天": [1, 2, 3, 4, 5, 6, 7],
    "全周": [1, 2, 3, 4, 5, 6, 7],
}
HOURS_TOKENS = re.compile(
    "|".join(
        [
            r"(?P<word>" + "|".join(DAY_WORDS) + r")",
            rf"{_DAY_PREFIX}(?P<d1>{_DAY_ANY})\s*(?:至|到|-|~|—|–)\s*{_DAY_PREFIX}?(?P<d2>{_DAY_ANY})",
            rf"{_DAY_PREFIX}(?P<dlist>{_DAY_ANY}(?:[、,/和及]?{_DAY_PREFIX}?{_DAY_CN})*)",
            r"(?P<range>" + TIME_RANGE + r")",
        ]
    )
)
_TIME_RANGE = re.compile(TIME_RANGE)
DAY_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "七": 7}
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


def _day(char):
    return int(char) if char.isdigit() else DAY_NUMBERS[char]


def _clock(ap, hours, minutes):
    hours = int(hours)
    minutes = 30 if minutes == "半" else int(minutes or 0)
    if (ap in ("下午", "晚上", "傍晚", "晚") and hours < 12) or (ap == "中午" and hours < 11):
        hours += 12
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise CellError(
            _("时间 %(h)s:%(m)02d 不存在。") % {"h": hours, "m": minutes if minutes < 100 else 0}
        )
    return hours * 60 + minutes


def _window_times(match):
    ap1, h1, m1, ap2, h2, m2 = match.groups()
    start = _clock(ap1, h1, m1)
    end = _clock(ap2 or (ap1 if ap1 in ("下午", "晚上", "傍晚", "晚") else None), h2, m2)
    if not ap1 and not ap2 and end < start < 12 * 60 and end + 12 * 60 > start:
        # "8:30-5:30" is an office day written on a 12-hour clock, not a night shift.
        end += 12 * 60
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
        if match.group("word"):
            tokens.append(("days", DAY_WORDS[match.group("word")]))
        elif match.group("d1"):
            first, last = _day(match.group("d1")), _day(match.group("d2"))
            if last < first:
                raise CellError(_("星期范围应从小到大，例如 周一至周五。"))
            tokens.append(("days", list(range(first, last + 1))))
        elif match.group("dlist"):
            chars = re.findall(_DAY_ANY, re.sub(_DAY_PREFIX, "", match.group("dlist")))
            tokens.append(("days", sorted({_day(c) for c in chars})))
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
    """A sheet without 用工形式: hourly pay means hourly work; hours within the art. 68 limits
    mean part-time (非全日制); anything longer is full-time. `windows`: sched.Window objects."""
    if unit == PayUnit.HOUR:
        return WorkForm.HOURLY
    if unit == PayUnit.PIECE:
        return WorkForm.PIECE_RATE
    if flexible:
        return WorkForm.PART_TIME
    total, days = sched.weekly_minutes(windows), sched.working_days(windows)
    if total <= sched.PART_TIME_WEEKLY_MINUTES and total <= days * sched.PART_TIME_DAILY_MINUTES:
        return WorkForm.PART_TIME
    return WorkForm.FULL_TIME


def phone_text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return cell_text("contact_phone", value)


# ---------------------------------------------------------------------------------------------
# Places


def _short_name(name):
    for suffix in ("新区", "区", "县", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


class Places:
    """County-level places and functional zones inside a bureau's jurisdiction, by name: full
    (崂山区), short (崂山) and with their city (济南市市中区). A name two places share is
    ambiguous, never guessed."""

    AMBIGUOUS = object()

    def __init__(self, jurisdiction):
        self.root = jurisdiction
        self.root_full = jurisdiction.full_name
        regions = list(
            Region.objects.within(jurisdiction)
            .filter(kind__in=[*COUNTY_LEVEL, RegionKind.ZONE])
            .select_related("parent")
        )
        names = {jurisdiction.name: {jurisdiction}}
        searchable = set()
        for region in regions:
            keys = {region.name}
            short = _short_name(region.name)
            if short:
                keys.add(short)
            city = region.parent
            if (
                city is not None
                and city.pk != jurisdiction.pk
                and city.path.startswith(jurisdiction.path)
            ):
                keys.add(city.name + region.name)
                searchable.add(city.name + region.name)
                if short:
                    keys.add(city.name + short)
            searchable.add(region.name)
            for key in keys:
                names.setdefault(key, set()).add(region)
        self.unique = {name: next(iter(found)) for name, found in names.items() if len(found) == 1}
        self.ambiguous = {name for name, found in names.items() if len(found) > 1}
        # Only full names are looked for in addresses (城阳 is also a road in 市北区).
        self.searchable = sorted(
            (name for name in searchable if name in self.unique), key=len, reverse=True
        )
        self.example = next((r.name for r in regions if r.kind in COUNTY_LEVEL), jurisdiction.name)
        self._outside = {}

    def named(self, text):
        """The region, None, or AMBIGUOUS."""
        plain = _BRACKETED.sub("", text).replace(" ", "")
        for candidate in (
            plain,
            plain.removeprefix(self.root_full),
            plain.removeprefix(self.root.name),
        ):
            if candidate in self.unique:
                return self.unique[candidate]
            if candidate in self.ambiguous:
                return self.AMBIGUOUS
        return None

    def in_address(self, text):
        for name in self.searchable:
            if name in text:
                return self.unique[name]
        return None

    def is_elsewhere(self, text):
        if text not in self._outside:
            plain = _BRACKETED.sub("", text).replace(" ", "")
            self._outside[text] = Region.objects.filter(name=plain).exists()
        return self._outside[text]


# ---------------------------------------------------------------------------------------------
# Checking rows


# Columns whose parsed value depends on the cell's text alone (memoised per import).
MEMO_COLUMNS = {"openings", "hours", "pay", "sector", "work_form", "contract", "insurance"}

# Model fields -> the sheet column their errors belong to.
FIELD_COLUMN = {
    "title": "title",
    "description": "description",
    "requirements": "requirements",
    "sector": "sector",
    "openings": "openings",
    "work_form": "work_form",
    "schedule": "hours",
    "flexible_hours": "hours",
    "schedule_note": "hours",
    "pay_min": "pay",
    "pay_max": "pay",
    "pay_unit": "pay",
    "address": "address",
    "contract": "contract",
    "insurance": "insurance",
    "contact_name": "contact_name",
    "contact_phone": "contact_phone",
    NON_FIELD_ERRORS: "title",
}
COLUMN_FIELDS = {}
for _field_name, _key in FIELD_COLUMN.items():
    COLUMN_FIELDS.setdefault(_key, []).append(_field_name)

_WHITESPACE = re.compile(r"\s+")
HOME_ADDRESS = re.compile(r"^(居家|在家|线上|远程|网络)")


def _name_key(name):
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", name or "")).lower()


def _employer_kind(code):
    if code.startswith("92"):
        return EmployerKind.INDIVIDUAL
    if code.startswith("1"):
        return EmployerKind.INSTITUTION
    if code.startswith("5"):
        return EmployerKind.SOCIAL
    return EmployerKind.ENTERPRISE


@dataclass
class Checked:
    table: Table
    bureau: object
    postings: list = field(default_factory=list)  # [(Posting, uscc)]
    new_employers: dict = field(default_factory=dict)  # uscc -> unsaved Employer
    matched: set = field(default_factory=set)  # usccs of existing employers
    errors: list = field(default_factory=list)
    rows_with_errors: int = 0
    counts: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.errors


class Checker:
    def __init__(self, table, *, bureau, default_sector):
        self.table = table
        self.bureau = bureau
        self.default_sector = default_sector
        self.places = Places(bureau.jurisdiction)
        self.pay_hint = pay_unit_hint(table.columns["pay"].header)
        self.checked = Checked(table, bureau)
        self.first_seen = {}  # duplicate key -> row
        self.new_rows = {}  # uscc -> (row, name) of a new employer's first row
        self.counts = {
            "contract_not_stated": 0,
            "insurance_not_stated": 0,
            "work_form_inferred": 0,
            "flexible": 0,
            "region_default": 0,
        }
        self.existing = self._existing_employers()
        # Parsed cells by text: a bureau's sheet repeats its hours, pay and choices many times.
        self.memo = {}

    def _existing_employers(self):
        column = self.table.columns["uscc"]
        codes = set()
        for _number, values in self.table.rows:
            value = values[column.index] if column.index < len(values) else None
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                codes.add(normalise_uscc(clean_text(_number_text(value))))
        found = {}
        codes = sorted(c for c in codes if len(c) == 18)
        for start in range(0, len(codes), 2000):
            for employer in Employer.objects.filter(uscc__in=codes[start : start + 2000]):
                found[employer.uscc] = employer
        return found

    # -- one row -----------------------------------------------------------------------------

    def cell(self, values, key):
        column = self.table.columns.get(key)
        if column is None or column.index >= len(values):
            return None
        return values[column.index]

    def check_row(self, number, values):
        errors = {}

        def fail(key, message):
            messages = errors.setdefault(key, [])
            if str(message) not in messages:
                messages.append(str(message))

        def read(key, parse, *args, **kwargs):
            value = self.cell(values, key)
            memo = key in MEMO_COLUMNS and isinstance(value, str)
            if memo and (key, value) in self.memo:
                result = self.memo[(key, value)]
            else:
                try:
                    result = parse(value, *args, **kwargs)
                except CellError as error:
                    result = error
                if memo:
                    self.memo[(key, value)] = result
            if isinstance(result, CellError):
                fail(key, result.args[0])
                return None
            if isinstance(result, Hours):  # each posting its own schedule list
                return result._replace(schedule=[dict(w) for w in result.schedule])
            return result

        text = lambda key, **kw: read(key, lambda v: cell_text(key, v, **kw))  # noqa: E731

        name = text("employer_name")
        if name == "":
            fail("employer_name", _("请填写单位名称。"))
        employer = self._employer(read("uscc", self._uscc), name, number, fail)
        title = text("title")
        if title == "":
            fail("title", _("请填写岗位名称。"))
        openings = read("openings", parse_openings)
        hours = read("hours", parse_hours)
        pay = read("pay", parse_pay, hint=self.pay_hint)
        sector = read("sector", parse_sector, self.default_sector)
        work_form = read("work_form", parse_work_form)
        contract = read("contract", parse_contract)
        insurance = read("insurance", parse_insurance)
        address = text("address")
        region = self._region(text("district"), address, fail)
        description = text("description", one_line=False)
        requirements = text("requirements", one_line=False)
        contact_name = text("contact_name")
        contact_phone = read("contact_phone", phone_text)
        # Only the figures of the pay cell are kept, but a deposit or fee demanded there (需交押金)
        # is the scam the wording rules exist for: the row is refused like an employer's would be.
        pay_text = cell_text_or_blank("pay", self.cell(values, "pay"))
        words = _PAY_WORDS.sub("", pay_text)  # 2000-3000元/月 has none: nothing to check
        for violation in find_violations(words and pay_text):
            fail("pay", violation.message)

        windows = hours.windows if hours else []
        inferred = False
        if (
            hours is not None
            and pay is not None
            and work_form is None
            and "work_form" not in errors
        ):
            work_form = infer_work_form(pay[2], windows, hours[1])
            inferred = True
        posting = Posting(
            employer=employer,
            title=title or "",
            description=description or _composed_description(openings),
            requirements=requirements or "",
            sector=sector or "",
            openings=openings or 1,
            work_form=work_form or "",
            schedule=hours[0] if hours else [],
            flexible_hours=bool(hours and hours[1]),
            schedule_note=hours[2] if hours else "",
            region=region,
            address=address or "",
            place=Place.HOME if HOME_ADDRESS.match(address or "") else Place.ON_SITE,
            pay_min=pay[0] if pay else None,
            pay_max=pay[1] if pay else None,
            pay_unit=pay[2] if pay else "",
            contract=contract or Contract.NOT_STATED,
            insurance=insurance or Insurance.NOT_STATED,
            contact_name=contact_name or "",
            contact_phone=contact_phone or "",
            status=PostingStatus.APPROVED,
            imported=True,
        )
        if hours and not hours[1]:
            posting.school_run = sched.school_run_free(windows)
            posting.weekends_off = not any(d in (6, 7) for w in windows for d in w.days)
        elif hours:
            posting.school_run = posting.weekends_off = True
        # Fields whose cell already failed are not judged again; employer and region are
        # resolved above from preloaded rows (no query per row), constraints by clean().
        exclude = {"employer", "region"}
        if not description:
            # Composed from the title, hours and pay, which are each checked in their column.
            exclude.add("description")
        if work_form is None:
            exclude.add("work_form")  # its cell failed, or the hours or pay it follows from
        failed = set(errors)
        for key in failed:
            exclude.update(f for f in COLUMN_FIELDS.get(key, ()) if f != NON_FIELD_ERRORS)
        try:
            posting.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                key = FIELD_COLUMN.get(field_name, "title")
                if key in failed:
                    continue  # clean() repeating what the cell's own error already says
                for message in messages:
                    fail(key, message)
        if not errors:
            duplicate = self._duplicate(number, posting, employer)
            if duplicate:
                fail(
                    "title",
                    _("与第%(row)s行重复（同一单位、岗位、工作时间、薪资和地点）。")
                    % {"row": duplicate},
                )
        if errors:
            self._report(number, errors)
            return None
        self._count(posting, inferred)
        return posting

    def _uscc(self, value):
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        code = normalise_uscc(cell_text("uscc", value).replace("-", ""))
        if not code:
            raise CellError(_("请填写统一社会信用代码。"))
        try:
            return validate_uscc(code)
        except ValidationError as error:
            message = " ".join(error.messages)
            if numeric:
                message += _(
                    "（该单元格是数字格式，Excel 只保留15位有效数字：请把该列设为“文本”后重新填写代码。）"
                )
            raise CellError(message) from error

    def _employer(self, code, name, number, fail):
        if code is None:
            return None
        existing = self.existing.get(code)
        if existing is not None:
            if existing.status in (EmployerStatus.REMOVED, EmployerStatus.REJECTED):
                fail(
                    "uscc",
                    _("“%(name)s”%(status)s，不能导入其岗位。")
                    % {"name": existing.name, "status": existing.get_status_display()},
                )
            elif existing.status != EmployerStatus.VERIFIED:
                fail(
                    "uscc",
                    _("“%(name)s”尚待核验：请先在“用人单位核验”中核验该单位，再导入其岗位。")
                    % {"name": existing.name},
                )
            if name and _name_key(name) != _name_key(existing.name):
                fail(
                    "employer_name",
                    _(
                        "该信用代码已登记为“%(registered)s”，与表中的“%(name)s”不一致。"
                        "请核对信用代码；若代码无误，请把单位名称改为登记的名称。"
                    )
                    % {"registered": existing.name, "name": name},
                )
            return existing
        employer = self.checked.new_employers.get(code)
        if employer is None:
            employer = Employer(
                name=(name or "")[:120],
                uscc=code,
                kind=_employer_kind(code),
                status=EmployerStatus.VERIFIED,
            )
            if name:
                self.checked.new_employers[code] = employer
                self.new_rows[code] = (number, name)
            if name and len(name) > 120:
                fail("employer_name", _("单位名称不能超过120个字。"))
            return employer
        first_row, first_name = self.new_rows[code]
        if name and _name_key(name) != _name_key(first_name):
            fail(
                "employer_name",
                _("同一信用代码在第%(row)s行写作“%(first)s”，这里却是“%(name)s”。")
                % {"row": first_row, "first": first_name, "name": name},
            )
        return employer

    def _region(self, district, address, fail):
        if district:
            region = self.places.named(district)
            if region is Places.AMBIGUOUS:
                fail(
                    "district",
                    _("%(area)s有不止一个“%(name)s”，请写上所属的市，例如 某某市%(name)s。")
                    % {"name": district[:30], "area": self.places.root.name},
                )
                return None
            if region is None:
                if self.places.is_elsewhere(district):
                    fail(
                        "district",
                        _("“%(name)s”不在本部门的管辖范围（%(area)s）内。")
                        % {"name": district, "area": self.places.root.name},
                    )
                else:
                    fail(
                        "district",
                        _("无法识别区县“%(name)s”，请写%(area)s下辖的区县名称，例如 %(example)s。")
                        % {
                            "name": district[:30],
                            "area": self.places.root.name,
                            "example": self.places.example,
                        },
                    )
            return region
        region = self.places.in_address(address or "")
        if region is None:
            self.counts["region_default"] += 1
            return self.places.root
        return region

    def _duplicate(self, number, posting, employer):
        key = (
            employer.uscc,
            _name_key(posting.title),
            repr(posting.schedule),
            posting.flexible_hours,
            posting.pay_min,
            posting.pay_max,
            posting.pay_unit,
            posting.region.pk if posting.region else None,
            _name_key(posting.address),
        )
        first = self.first_seen.setdefault(key, number)
        return first if first != number else None

    def _report(self, number, errors):
        self.checked.rows_with_errors += 1
        order = {c.key: i for i, c in enumerate(COLUMNS)}
        for key in sorted(errors, key=lambda k: order.get(k, 99)):
            for message in errors[key]:
                self.checked.errors.append(
                    {
                        "row": number,
                        "column": self.table.header_of(key),
                        "letter": self.table.letter_of(key),
                        "message": message,
                    }
                )

    def _count(self, posting, inferred):
        if inferred:
            self.counts["work_form_inferred"] += 1
        if posting.contract == Contract.NOT_STATED:
            self.counts["contract_not_stated"] += 1
        if posting.insurance == Insurance.NOT_STATED:
            self.counts["insurance_not_stated"] += 1
        if posting.flexible_hours:
            self.counts["flexible"] += 1


def cell_text_or_blank(key, value):
    try:
        return cell_text(key, value)
    except CellError:
        return ""


def _composed_description(openings):
    # Posting content in the language of the bureau's sheet (not an interface string). Kept
    # short: the title and the facts are shown in their own fields, and every word here is
    # segmented for search (the largest cost of saving 10,000 rows).
    return f"招聘{openings or ''}人。"


def check_table(table, *, bureau, default_sector=Sector.OTHER, progress=None):
    """Every row checked; the postings (unsaved) when all pass, else every error found."""
    checker = Checker(table, bureau=bureau, default_sector=default_sector)
    checked = checker.checked
    for done, (number, values) in enumerate(table.rows, start=1):
        posting = checker.check_row(number, values)
        if posting is not None:
            checked.postings.append((posting, posting.employer.uscc))
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
    # A new employer is placed where its first posting is.
    for code, employer in checked.new_employers.items():
        first = next((p for p, c in checked.postings if c == code), None)
        if first is not None:
            employer.region = first.region
            employer.sector = first.sector
            employer.address = (first.address or first.region.full_name)[:200]
    checked.matched = {c for _p, c in checked.postings if c in checker.existing}
    checked.counts = checker.counts
    return checked


# ---------------------------------------------------------------------------------------------
# Saving


@transaction.atomic
def save_checked(checked, *, job, at=None):
    """The new phase with every posting, or nothing (one transaction). Returns the phase, or
    None when another run of the same job got there first."""
    assert checked.ok, "save_checked() needs a table without errors"
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.RUNNING or job.phase_id:
        return None
    at = at or timezone.now()
    by = job.uploaded_by
    # Locked, so two imports into one catalog cannot take the same phase number.
    catalog = Catalog.objects.select_for_update().select_related("bureau").get(pk=job.catalog_id)
    phase = services.phase_create(catalog=catalog, title=job.phase_title, by=by)
    phase.status = PhaseStatus.IN_REVIEW
    phase.save(update_fields=["status"])

    employers = list(checked.new_employers.values())
    with record_language():
        listed = _("由%(bureau)s导入岗位汇总表时登记") % {"bureau": catalog.bureau}
        reason = _("%(bureau)s导入岗位汇总表《%(file)s》，登记入录并视为已核验") % {
            "bureau": catalog.bureau,
            "file": job.original_name,
        }
        imported = _("人社部门导入")
    for employer in employers:
        employer.status_reason = listed
        employer.status_changed_at = at
    Employer.objects.bulk_create(employers)
    EmployerStatusEvent.objects.bulk_create(
        EmployerStatusEvent(
            employer=e, kind=kind, status=EmployerStatus.VERIFIED, reason=reason, at=at, by=by
        )
        for e in employers
        for kind in (DirectoryEvent.LISTED, DirectoryEvent.VERIFIED)
    )
    postings = []
    for posting, _code in checked.postings:
        # Assigning again copies the id of an employer saved just above into employer_id, so
        # prepare() (the derived columns save() would compute) sees the employer's name.
        posting.employer = posting.employer
        postings.append(posting.prepare())
    copy_insert(Posting, postings)
    copy_insert(
        PhaseEntry,
        [
            PhaseEntry(
                phase=phase,
                posting=posting,
                decision=EntryDecision.APPROVED,
                reason=imported,
                decided_by=by,
                decided_at=at,
                submitted_at=at,
            )
            for posting in postings
        ],
    )
    audit.record(
        actor=by,
        action=AuditAction.IMPORT,
        obj=phase,
        bureau=catalog.bureau,
        detail=_("%(n)s 行，来自《%(file)s》") % {"n": len(postings), "file": job.original_name},
    )
    job.status = ImportStatus.DONE
    job.phase = phase
    job.rows_done = len(postings)
    job.finished_at = timezone.now()
    job.errors = []
    job.summary = {
        **job.summary,
        **_summary(checked),
        "stage": "done",
        "postings": len(postings),
        "employers_created": sorted(e.name for e in employers),
        "employers_matched": len(checked.matched),
    }
    job.save()
    transaction.on_commit(lambda: discard_file(job.pk))
    return phase


def copy_insert(model, objects):
    """What bulk_create does, through COPY: ids drawn from the table's sequence first, then every
    column's value as Django prepares it for the database (auto_now, JSON, the week mask).

    bulk_create sends 10,000 postings as INSERTs of about 40 parameters a row, and building and
    splitting those statements in Python took longer than the rest of the import together
    (docs/performance.md, "Import"); COPY streams the same values in a fraction of the time.
    """
    if not objects:
        return objects
    meta = model._meta
    db = connections[DEFAULT_DB_ALIAS]  # the thread's connection itself, not the proxy
    fields = [f for f in meta.concrete_fields if not f.generated and not f.primary_key]
    # Most values are str, int, bool or None already, which get_db_prep_save() returns as they
    # are for these fields; only JSON, auto_now and other types take the full path.
    direct = [
        not isinstance(f, models.JSONField)
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
        for f in fields
    ]
    plain_types = (str, int, bool, type(None))
    quote = db.ops.quote_name
    columns = ", ".join(quote(c) for c in [meta.pk.column, *(f.column for f in fields)])
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj, pk in zip(objects, ids, strict=True):
                obj._prepare_related_fields_for_save(operation_name="copy_insert")
                obj.pk = pk
                row = [pk]
                for field, is_direct in zip(fields, direct, strict=True):
                    value = getattr(obj, field.attname) if is_direct else None
                    if not is_direct or type(value) not in plain_types:
                        value = field.get_db_prep_save(field.pre_save(obj, True), db)
                    row.append(value)
                copy.write_row(row)
                obj._state.adding = False
                obj._state.db = db.alias
    return objects


def _summary(checked):
    table = checked.table
    return {
        "sheet": table.sheet,
        "header_row": table.header_row,
        "rows": len(table.rows),
        "skipped": table.skipped,
        "ignored_columns": table.ignored,
        "missing_columns": [str(c.header) for c in COLUMNS if c.key not in table.columns],
        "counts": checked.counts,
    }


# ---------------------------------------------------------------------------------------------
# Jobs


def import_start(*, catalog, title, default_sector, upload, by):
    """Store the upload (private storage) and queue its check once the job row is committed."""
    with transaction.atomic():
        job = ImportJob(
            bureau=catalog.bureau,
            catalog=catalog,
            phase_title=title,
            uploaded_by=by,
            original_name=(upload.name or "")[-200:],
            size=upload.size,
            summary={
                "options": {
                    "default_sector": default_sector,
                    "language": translation.get_language() or settings.LANGUAGE_CODE,
                },
                "stage": "queued",
            },
        )
        extension = Path(upload.name or "").suffix.lower()
        job.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
        job.save()
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id):
    try:
        run_import.delay(job_id)
    except Exception:
        # The broker is down: say so on the job page instead of leaving it queued forever.
        logger.exception("import %s could not be queued", job_id)
        _fail(
            job_id,
            [_file_error(_("后台检查服务暂时不可用，表格没有导入。请稍后重新上传。"))],
            {},
        )


def _file_error(message):
    return {"row": None, "column": "", "letter": "", "message": str(message)}


def _fail(job_id, errors, summary):
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED,
        errors=errors[:MAX_STORED_ERRORS],
        finished_at=timezone.now(),
    )
    job = ImportJob.objects.get(pk=job_id)
    job.summary = {
        **job.summary,
        **summary,
        "stage": "failed",
        "error_count": len(errors),
        "errors_truncated": len(errors) > MAX_STORED_ERRORS,
    }
    job.save(update_fields=["summary"])
    discard_file(job_id)


def discard_file(job_id):
    """The uploaded sheet holds contact names and phone numbers: once the import has finished
    (saved or refused) only the postings keep what they need, the file itself is deleted."""
    job = ImportJob.objects.filter(pk=job_id).only("file").first()
    if job is None or not job.file:
        return
    try:
        job.file.storage.delete(job.file.name)
    except OSError:
        logger.warning("import %s: could not delete %s", job_id, job.file.name)
        return
    ImportJob.objects.filter(pk=job_id).update(file="")


def _progress(job_id):
    def report(done):
        ImportJob.objects.filter(pk=job_id).update(rows_done=done)

    return report


def process_job(job_id):
    """Read, check and (all rows passing) save one ImportJob. Safe to run twice."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    ).update(status=ImportStatus.RUNNING, started_at=timezone.now(), rows_done=0)
    if not claimed:
        return None
    job = ImportJob.objects.select_related("bureau__jurisdiction", "catalog").get(pk=job_id)
    options = job.summary.get("options", {})
    with translation.override(options.get("language") or settings.LANGUAGE_CODE):
        try:
            return _process(job, options)
        except Exception:
            logger.exception("import %s failed", job_id)
            _fail(
                job_id,
                [_file_error(_("检查表格时出现内部错误，没有导入任何数据。请联系系统管理员。"))],
                {},
            )
            return None


def _process(job, options):
    try:
        if not job.file:
            raise FileError(_("上传的文件已不存在，请重新上传。"))
        with job.file.open("rb") as handle:
            data = handle.read(settings.IMPORT_MAX_BYTES + 1)
        table = read_table(data, job.original_name)
    except FileError as error:
        _fail(job.pk, [_file_error(error.args[0])], {})
        return None
    except OSError:
        _fail(job.pk, [_file_error(_("上传的文件已不存在，请重新上传。"))], {})
        return None
    ImportJob.objects.filter(pk=job.pk).update(
        rows_total=len(table.rows), summary={**job.summary, "stage": "checking"}
    )
    sector = options.get("default_sector")
    checked = check_table(
        table,
        bureau=job.bureau,
        default_sector=sector if sector in Sector.values else Sector.OTHER,
        progress=_progress(job.pk),
    )
    if not checked.ok:
        _fail(
            job.pk,
            checked.errors,
            {**_summary(checked), "rows_with_errors": checked.rows_with_errors},
        )
        return None
    ImportJob.objects.filter(pk=job.pk).update(
        rows_done=len(table.rows), summary={**job.summary, "stage": "saving"}
    )
    return save_checked(checked, job=job)


@shared_task(name="directory.run_import", acks_late=True)
def run_import(job_id):
    phase = process_job(job_id)
    return phase.pk if phase else None
