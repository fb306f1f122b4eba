"""Reading a bureau's spreadsheet (XLSX or CSV) into a Table: header recognition, merged
cells, totals and notes; text clean-up shared by every later step. A file that cannot be read
raises FileError."""

import csv
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from directory.columns import BY_KEY, COLUMNS

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
BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
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
    text = BRACKETED.sub("", text)
    return re.sub(r"[\s*※:：#]+", "", text).lower()


HEADERS = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        HEADERS.setdefault(header_key(_name), _column.key)


def number_text(value):
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
