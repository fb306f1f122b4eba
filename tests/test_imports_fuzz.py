"""Hypothesis drives the bureau spreadsheet import with arbitrary files and rows (issue 6, item 4:
"A hypothesis test drives the import with arbitrary rows").

What must hold, whatever is in the sheet:
- reading raises nothing but FileError (a message for the officer), never anything else;
- every cell parser raises nothing but CellError;
- a table either passes and is saved whole (one posting and one approved entry per data row,
  in a new phase), or fails with errors that name a data row and one of the sheet's headers,
  and nothing at all is saved.

Derandomised and bounded like tests/test_fuzz.py's "ci" profile; FUZZ_EXAMPLES raises it.
"""

import csv
import io
import os
from contextlib import contextmanager, suppress
from datetime import datetime, time

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from directory.imports import checker as imports
from directory.imports import reader as import_reader
from directory.imports import save as import_save
from directory.models import (
    AuditEntry,
    Catalog,
    EntryDecision,
    ImportJob,
    ImportStatus,
    Phase,
    PhaseEntry,
)
from employers.choices import Sector
from employers.models import Employer, EmployerStatus, EmployerStatusEvent, Posting
from employers.uscc import make_uscc
from tests import strategies as s
from tests.factories import region

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

ci = settings(
    derandomize=True,
    database=None,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

KNOWN_CODE = make_uscc("91370202MA3KNQWN1")
NEW_CODE = make_uscc("91370203MA3NEWQN2")
HEADER = ["单位名称", "统一社会信用代码", "岗位名称", "招聘人数", "工作时间", "薪资待遇"]
OPTIONAL = [
    "行业",
    "用工形式",
    "所在区县",
    "工作地点",
    "合同形式",
    "社会保险",
    "岗位描述",
    "岗位要求",
    "联系人",
    "联系电话",
    "序号",
    "备注",
]


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts():
    models = (Phase, PhaseEntry, Posting, Employer, EmployerStatusEvent, AuditEntry)
    return {m.__name__: m.objects.count() for m in models}


# -- cells -----------------------------------------------------------------------------------------

odd_values = st.one_of(
    st.none(),
    s.text,
    s.numbers_as_text,
    s.time_like,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2099, 12, 31)),
    st.times(),
    st.booleans(),
    st.sampled_from(["=SUM(A1:A9)", "=1/0", "#REF!", "#N/A", "合计", "注：以上岗位", "【示例】x"]),
)
EMPLOYERS = [("青岛甲餐饮有限公司", KNOWN_CODE), ("青岛新单位有限公司", NEW_CODE)]
# Values every row may hold and still pass (hours within the art. 68 limits whatever the pay).
VALID = {
    "岗位名称": st.text(s.CJK, min_size=1, max_size=12),
    "招聘人数": st.one_of(st.integers(1, 30), st.sampled_from(["5人", "２名", " 3 "])),
    "工作时间": st.sampled_from(
        [
            "9:00-12:00",
            "弹性",
            "周六、周日 10:00-14:00",
            "８：３０－１２：３０",
            "周一、三、五 9:00-13:00",
        ]
    ),
    "薪资待遇": st.sampled_from(
        ["2000-3000元/月", "20元/小时", "150元/天", "3元/件", "月薪3千", "２２－２６元/小时", 2500]
    ),
    "行业": st.sampled_from(["餐饮", "家政服务", "保安", "", None]),
    "用工形式": st.sampled_from(["非全日制", "小时工", "", None]),
    "所在区县": st.sampled_from(["市南区", "崂山", "", "黄岛区（西海岸新区）"]),
    "工作地点": st.text(s.CJK, max_size=20),
    "合同形式": st.sampled_from(["劳动合同", "", "未注明", "非全日制书面协议"]),
    "社会保险": st.sampled_from(["五险", "仅工伤保险", "无", ""]),
    "岗位描述": st.text(s.CJK, max_size=40),
    "岗位要求": st.text(s.CJK, max_size=40),
    "联系人": st.text(s.CJK, max_size=4),
    "联系电话": st.sampled_from(["0532-8000-0000", 13800000000, ""]),
    "序号": st.integers(1, 99),
    "备注": s.text,
}
# Near misses people make, per column.
SLIPS = {
    "单位名称": st.sampled_from(["青岛 甲餐饮有限公司", "甲餐饮", ""]),
    "统一社会信用代码": st.one_of(st.sampled_from([KNOWN_CODE.lower()]), s.uscc_like),
    "岗位名称": st.sampled_from(["保洁员（限女性）", "押金500元", ""]),
    "招聘人数": st.sampled_from(["若干", 0, -1, 2.5]),
    "工作时间": st.one_of(
        s.fits_like, st.sampled_from(["8:00-18:00", "22:00-次日6:00", "每天4小时"])
    ),
    "薪资待遇": st.one_of(s.numbers_as_text, st.sampled_from(["面议", "25", "待遇优厚"])),
    "行业": st.just("金融"),
    "用工形式": st.just("临时工"),
    "所在区县": st.sampled_from(["兰山区", "火星区"]),
    "合同形式": st.just("口头"),
    "社会保险": st.just("看情况"),
}


@st.composite
def tables(draw):
    extra = draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=5))
    header = draw(st.permutations(HEADER + extra))
    # Sometimes a required column is missing.
    if draw(st.integers(0, 9)) == 0:
        header = header[1:]
    # Mostly clean sheets (the save path), some with slips, some with anything in any cell.
    mode = draw(st.sampled_from(["clean", "clean", "slips", "anything"]))
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        name, code = draw(st.sampled_from(EMPLOYERS))
        cells = []
        for h in header:
            valid = {"单位名称": st.just(name), "统一社会信用代码": st.just(code)}.get(
                h, VALID.get(h)
            )
            choices = [valid]
            if mode == "slips" and h in SLIPS:
                choices.append(SLIPS[h])
            if mode == "anything":
                choices.append(odd_values)
            cells.append(draw(st.one_of(*choices)))
        rows.append(tuple(cells))
    if draw(st.booleans()):
        header = [{"招聘人数": "招聘人数（人）", "薪资待遇": "工资"}.get(h, h) for h in header]
    title = draw(st.sampled_from([None, "青岛市妈妈岗目录（第二批）岗位汇总表"]))
    return header, rows, title


def as_xlsx(header, rows, title):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_csv(header, rows, title, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if title:
        writer.writerow([title])
    writer.writerow(header)
    writer.writerows(["" if v is None else str(v) for v in row] for row in rows)
    return buffer.getvalue().encode(encoding, errors="replace")


@pytest.fixture
def world(personas):
    bureau = personas.qingdao
    catalog = Catalog.objects.create(bureau=bureau, name="青岛市妈妈岗目录")
    Employer.objects.create(
        name="青岛甲餐饮有限公司",
        uscc=KNOWN_CODE,
        region=region("370202"),
        address="香港中路1号",
        sector=Sector.CATERING,
        status=EmployerStatus.VERIFIED,
    )
    return bureau, catalog, personas.bureau_inside


@ci
@given(
    table=tables(),
    kind=st.sampled_from(["xlsx", "csv-utf-8-sig", "csv-gb18030"]),
    sector=st.sampled_from(Sector.values),
)
def test_arbitrary_rows_are_saved_whole_or_not_at_all(world, table, kind, sector):
    bureau, catalog, officer = world
    header, rows, title = table
    if kind == "xlsx":
        data, name = as_xlsx(header, rows, title), "岗位.xlsx"
    else:
        data, name = as_csv(header, rows, title, kind.removeprefix("csv-")), "岗位.csv"
    with rolled_back():
        before = counts()
        try:
            read = import_reader.read_table(data, name)
        except import_reader.FileError as error:
            assert error.args[0] and isinstance(error.args[0], str)
            assert counts() == before
            return
        checked = imports.check_table(read, bureau=bureau, default_sector=sector)
        numbers = {number for number, _values in read.rows}
        if not checked.ok:
            headers = {c.header for c in read.columns.values()} | {
                str(c.header) for c in imports.COLUMNS
            }
            for error in checked.errors:
                assert error["row"] in numbers
                assert error["column"] in headers
                assert error["message"] and isinstance(error["message"], str)
            assert counts() == before
            return
        job = ImportJob.objects.create(
            bureau=bureau,
            catalog=catalog,
            phase_title="第二批",
            uploaded_by=officer,
            status=ImportStatus.RUNNING,
        )
        phase = import_save.save_checked(checked, job=job)
        after = counts()
        assert after["Phase"] == before["Phase"] + 1
        assert after["Posting"] == before["Posting"] + len(read.rows)
        entries = PhaseEntry.objects.filter(phase=phase)
        assert entries.count() == len(read.rows)
        assert set(entries.values_list("decision", flat=True)) == {EntryDecision.APPROVED}
        assert not Posting.objects.filter(phase_entries__phase=phase, imported=False).exists()
        job.refresh_from_db()
        assert job.status == ImportStatus.DONE and job.phase == phase


@ci
@given(value=odd_values)
def test_cell_parsers_raise_only_cell_errors(value):
    for parse in (
        imports.parse_hours,
        imports.parse_pay,
        imports.parse_openings,
        imports.parse_contract,
        imports.parse_insurance,
        imports.parse_work_form,
        lambda v: imports.parse_sector(v, Sector.OTHER),
        imports.phone_text,
    ):
        try:
            parse(value)
        except imports.CellError as error:
            assert error.args[0]


@ci
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.builds(lambda b: b"PK\x03\x04" + b, st.binary(max_size=500)),
        st.builds(lambda t: t.encode("utf-8", "replace"), s.text),
    ),
    name=st.one_of(
        st.sampled_from(["a.xlsx", "a.csv", "a.XLSX", "a.xls", "a", ".csv", ""]), s.short_text
    ),
)
def test_arbitrary_files_raise_only_file_errors(data, name):
    try:
        import_reader.read_table(data, name)
    except import_reader.FileError as error:
        assert error.args[0]


@ci
@given(cut=st.integers(10, 4000), flip=st.integers(0, 255))
def test_damaged_workbooks_raise_only_file_errors(cut, flip):
    good_file = as_xlsx(
        HEADER, [("青岛甲餐饮有限公司", KNOWN_CODE, "帮厨", 2, "9:00-12:00", "22元/小时")], None
    )
    damaged = bytearray(good_file)
    damaged[cut % len(damaged)] ^= flip
    for data in (bytes(damaged), good_file[:cut]):
        with suppress(import_reader.FileError):
            import_reader.read_table(data, "a.xlsx")


def test_excel_time_and_date_cells_in_every_column(world):
    """The types openpyxl hands back, in each column, give a cell error, not a crash."""
    bureau, _catalog, _officer = world
    values = [datetime(2026, 2, 3), time(8, 30), True, 3.5, "=A1"]
    for value in values:
        data = as_xlsx(HEADER, [tuple(value for _h in HEADER)], None)
        checked = imports.check_table(import_reader.read_table(data, "a.xlsx"), bureau=bureau)
        assert not checked.ok
