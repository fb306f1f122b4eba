"""Bureau spreadsheet imports (directory/imports/checker.py): reading the layouts bureaus use, checking
every row, all-or-nothing saving, the job pages, the template and the demo's sample sheets."""

import csv
import io
from datetime import datetime, time
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import TestCase
from django.urls import reverse

from directory.demo import samples
from directory.imports import checker as imports
from directory.imports import jobs as import_jobs
from directory.imports import reader as import_reader
from directory.imports import save as import_save
from directory.imports import services as import_services
from directory.imports import template as import_template
from directory.imports.cells import parse_hours, parse_openings, parse_pay
from directory.imports.reader import CellError, FileError
from directory.models import (
    AuditAction,
    AuditEntry,
    Catalog,
    EntryDecision,
    ImportJob,
    ImportStatus,
    Phase,
    PhaseEntry,
    PhaseStatus,
)
from employers.choices import Contract, Insurance, PayUnit, Place, Sector, WorkForm
from employers.models import (
    DirectoryEvent,
    Employer,
    EmployerStatus,
    EmployerStatusEvent,
    Posting,
    PostingStatus,
)
from employers.uscc import make_uscc
from tests.factories import make_bureau, make_phase, region
from tests.helpers import force_login_verified, give_device
from tests.test_permission_matrix import private_files_in

pytestmark = pytest.mark.django_db

HEADER = ["单位名称", "统一社会信用代码", "岗位名称", "招聘人数", "工作时间", "薪资待遇"]
USCC_A = make_uscc("91370202MA3TEXT01")
USCC_NEW = make_uscc("91370203MA3NEW002")


# -- helpers -------------------------------------------------------------------------------------


def xlsx(rows, *, title=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8-sig", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def row(**cells):
    base = {
        "单位名称": "青岛甲餐饮有限公司",
        "统一社会信用代码": USCC_A,
        "岗位名称": "午市服务员",
        "招聘人数": 3,
        "工作时间": "10:30-13:30",
        "薪资待遇": "22-26元/小时",
    }
    base.update(cells)
    return base


def sheet_of(*rows, extra=()):
    header = HEADER + [h for h in extra if h not in HEADER]
    return [header] + [[r.get(h) for h in header] for r in rows]


@pytest.fixture
def world(personas, tmp_path, monkeypatch):
    """Qingdao's bureau with a catalog and one verified employer; files in a temporary folder."""
    private_files_in(tmp_path, monkeypatch)
    imports_field = ImportJob._meta.get_field("file")
    assert imports_field.storage is Employer._meta.get_field("licence").storage
    bureau = personas.qingdao
    catalog = Catalog.objects.create(bureau=bureau, name="青岛市妈妈岗目录")
    employer = Employer.objects.create(
        name="青岛甲餐饮有限公司",
        uscc=USCC_A,
        region=region("370202"),
        address="香港中路1号",
        sector=Sector.CATERING,
        status=EmployerStatus.VERIFIED,
    )
    return {
        "bureau": bureau,
        "catalog": catalog,
        "employer": employer,
        "officer": personas.bureau_inside,
    }


def check(data, world, name="t.xlsx", sector=Sector.CATERING):
    table = import_reader.read_table(data, name)
    return imports.check_table(table, bureau=world["bureau"], default_sector=sector)


def messages(checked):
    return [(e["row"], e["column"], e["message"]) for e in checked.errors]


def run_job(
    world, data, name="表格.xlsx", sector=Sector.CATERING, title="青岛市妈妈岗目录（第二批）"
):
    """Upload through the service; the commit queues the task, which Celery runs eagerly here
    (tests/conftest.py), and the file is deleted after the commit of the import."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = import_services.import_start(
            catalog=world["catalog"],
            title=title,
            default_sector=sector,
            upload=SimpleUploadedFile(name, data),
            by=world["officer"],
        )
    job.refresh_from_db()
    return job


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Phase, PhaseEntry, Posting, Employer, EmployerStatusEvent, AuditEntry)
    }


def demo_employers():
    """The seven Qingdao demo employers, as directory.demo.load registers them (codes included)."""
    for sample in samples.sample_employers()[:7]:
        Employer.objects.create(
            name=sample.name,
            uscc=sample.uscc,
            region=region("370202"),
            address="青岛",
            sector=Sector.CATERING,
            status=EmployerStatus.VERIFIED,
        )


# -- cells ---------------------------------------------------------------------------------------

WEEK = [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("text", "windows", "flexible"),
    [
        ("8:30-11:30,14:00-17:00", [(WEEK, "08:30", "11:30"), (WEEK, "14:00", "17:00")], False),
        ("9:00—15:00", [(WEEK, "09:00", "15:00")], False),
        ("８：３０－１２：３０", [(WEEK, "08:30", "12:30")], False),
        ("弹性", [], True),
        ("弹性工作，时间自由", [], True),
        (
            "周一至周五 10:30-13:30，周六 9:00-12:00",
            [(WEEK, "10:30", "13:30"), ([6], "09:00", "12:00")],
            False,
        ),
        ("周六、周日 10:00-14:00", [([6, 7], "10:00", "14:00")], False),
        ("周一、三、五 9:00-13:00", [([1, 3, 5], "09:00", "13:00")], False),
        ("下午2:00-5:00", [(WEEK, "14:00", "17:00")], False),
        ("8:30-5:30", [(WEEK, "08:30", "17:30")], False),
        ("22:00-次日6:00", [(WEEK, "22:00", "06:00")], False),
        ("8点半-11点半", [(WEEK, "08:30", "11:30")], False),
        ("8:30-11:30（周一至周五）", [(WEEK, "08:30", "11:30")], False),
        ("每天 9:00-12:00", [([1, 2, 3, 4, 5, 6, 7], "09:00", "12:00")], False),
        ("20:00-24:00", [(WEEK, "20:00", "24:00")], False),
    ],
)
def test_hours_are_read_as_bureaus_write_them(text, windows, flexible):
    parsed, is_flexible, _note, _windows = parse_hours(text)
    assert is_flexible is flexible
    assert parsed == [{"days": d, "start": s, "end": e} for d, s, e in windows]


def test_hours_keep_what_they_do_not_understand_as_a_note():
    windows, _flexible, note, _parsed = parse_hours("9:00-15:00（寒暑假休息）")
    assert windows == [{"days": WEEK, "start": "09:00", "end": "15:00"}]
    assert "寒暑假休息" in note
    assert parse_hours("8:30-11:30")[2] == ""


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("每天4小时", "无法识别工作时间"),
        ("25:00-26:00", "不存在"),
        ("周五至周一 8:00-9:00", "从小到大"),
        ("6:00-23:00", "超过16小时"),
        ("", "请填写工作时间"),
        (time(8, 30), "时间段"),
        (datetime(2026, 8, 11), "日期"),
        ("=A1", "公式"),
        ("#REF!", "错误值"),
    ],
)
def test_hours_that_cannot_be_read_say_how_to_write_them(value, fragment):
    with pytest.raises(CellError, match=fragment):
        parse_hours(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2000-3000元/月", ("2000", "3000", PayUnit.MONTH)),
        ("20元/小时", ("20", "20", PayUnit.HOUR)),
        ("150元/天", ("150", "150", PayUnit.DAY)),
        ("２２－２６元/小时", ("22", "26", PayUnit.HOUR)),
        ("月薪3千", ("3000", "3000", PayUnit.MONTH)),
        ("0.3-0.4万/月", ("3000", "4000", PayUnit.MONTH)),
        ("3,000-4,000", ("3000", "4000", PayUnit.MONTH)),
        ("日薪150-180元", ("150", "180", PayUnit.DAY)),
        ("3元/件", ("3", "3", PayUnit.PIECE)),
        ("时薪20-25元", ("20", "25", PayUnit.HOUR)),
        (3000, ("3000", "3000", PayUnit.MONTH)),
        (2500.0, ("2500", "2500", PayUnit.MONTH)),
    ],
)
def test_pay_is_read_as_bureaus_write_it(value, expected):
    low, high, unit = parse_pay(value)
    assert (low, high, unit) == (Decimal(expected[0]), Decimal(expected[1]), expected[2])


def test_a_pay_header_gives_the_unit_of_bare_numbers():
    assert parse_pay("25", hint=imports.pay_unit_hint("时薪（元）")) == (25, 25, PayUnit.HOUR)
    assert imports.pay_unit_hint("薪资待遇") is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("面议", "面议"),
        ("25", "单位"),
        ("9" * 30, "金额过大"),
        ("待遇优厚", "无法识别薪资"),
        (datetime(2026, 2, 3), "日期"),
    ],
)
def test_pay_that_cannot_be_read(value, fragment):
    with pytest.raises(CellError, match=fragment):
        parse_pay(value)


@pytest.mark.parametrize(
    ("value", "expected"), [(3, 3), ("5人", 5), ("２名", 2), (4.0, 4), (" 12 ", 12)]
)
def test_openings(value, expected):
    assert parse_openings(value) == expected


@pytest.mark.parametrize(
    "value", ["若干", 0, 2.5, "=SUM(A1:A3)", datetime(2026, 2, 3), "", "two", True]
)
def test_openings_refused(value):
    with pytest.raises(CellError):
        parse_openings(value)


# -- reading files -------------------------------------------------------------------------------


def test_the_messy_sample_is_read_like_excel_shows_it():
    table = import_reader.read_table(samples.messy_workbook(), samples.SAMPLE_NAME)
    assert (table.kind, table.sheet, table.header_row) == ("xlsx", "汇总表", 3)
    # Read under the merged title and banner, columns found by their names in the bureau's order.
    assert table.columns["openings"].header == "招聘人数（人）"
    assert table.columns["openings"].letter == "F"
    assert table.ignored == ["序号", "备注"]
    assert table.skipped == {"totals": 1, "notes": 1, "examples": 0}
    assert len(table.rows) == len(samples.sample_rows())
    # The employer's cells merged down its block are on every row.
    name = table.columns["employer_name"].index
    assert all(values[name] for _number, values in table.rows)
    assert table.rows[0][0] == 4


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_encodings_chinese_excel_writes(encoding, world):
    data = csv_bytes(sheet_of(row(), row(岗位名称="收银员")), encoding=encoding)
    table = import_reader.read_table(data, "岗位.csv")
    assert table.kind == "csv"
    assert [values[2] for _n, values in table.rows] == ["午市服务员", "收银员"]


def test_unicode_text_from_excel_is_tab_separated_utf16():
    data = csv_bytes(sheet_of(row()), encoding="utf-16", delimiter="\t")
    table = import_reader.read_table(data, "岗位.csv")
    assert table.rows[0][1][0] == "青岛甲餐饮有限公司"


def test_the_demo_csv_sample_is_gb18030_and_reads():
    data = samples.messy_csv()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert len(import_reader.read_table(data, samples.CSV_NAME).rows) == len(samples.sample_rows())


def _zip_without_workbook():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "a.xlsx", "空的"),
        (b"%PDF-1.4", "a.pdf", "只能导入"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls", ".xls"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xlsx", ".xls"),
        (b"name,code\n1,2\n", "a.xlsx", "不是 Excel"),
        (b"PK\x03\x04" + b"\0" * 50, "a.csv", "扩展名改回 .xlsx"),
        (b"PK\x03\x04" + b"\0" * 50, "a.xlsx", "损坏"),
        (_zip_without_workbook(), "a.xlsx", "损坏"),
        (b"just,some,words\n1,2,3\n", "a.csv", "没有找到表头"),
        (b"\x00\x01\x02garbage" * 20, "a.csv", "二进制"),
    ],
)
def test_files_that_cannot_be_imported_are_explained(data, name, fragment):
    with pytest.raises(FileError, match=fragment):
        import_reader.read_table(data, name)


def test_a_truncated_workbook_is_reported_as_damaged():
    data = samples.messy_workbook()
    with pytest.raises(FileError, match="损坏"):
        import_reader.read_table(data[: len(data) // 2], "a.xlsx")


def test_missing_required_columns_are_named():
    data = xlsx([["单位名称", "岗位名称", "工作地点"], ["甲", "乙", "丙"]])
    with pytest.raises(FileError) as error:
        import_reader.read_table(data, "a.xlsx")
    assert "统一社会信用代码" in str(error.value) and "薪资待遇" in str(error.value)
    assert "工作地点" in str(error.value)  # what was found, to compare


def test_an_empty_table_and_too_many_rows(settings):
    with pytest.raises(FileError, match="没有岗位数据"):
        import_reader.read_table(xlsx([HEADER]), "a.xlsx")
    settings.IMPORT_MAX_ROWS = 3
    data = xlsx(sheet_of(*[row(岗位名称=f"岗位{i}") for i in range(4)]))
    with pytest.raises(FileError, match="最多导入 3 行"):
        import_reader.read_table(data, "a.xlsx")


def test_oversize_files_are_refused_before_reading(settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(FileError, match="超过"):
        import_reader.read_table(b"x" * 1001, "a.csv")


# -- checking rows -------------------------------------------------------------------------------


def test_a_clean_row_becomes_a_posting_like_an_employers(world):
    checked = check(xlsx(sheet_of(row(工作地点="崂山区海尔路1号"), extra=["工作地点"])), world)
    assert checked.ok, checked.errors
    ((posting, code),) = checked.postings
    assert code == USCC_A and posting.employer == world["employer"]
    assert posting.work_form == WorkForm.HOURLY  # 元/小时
    assert (posting.pay_min, posting.pay_max, posting.pay_unit) == (22, 26, PayUnit.HOUR)
    assert posting.schedule == [{"days": WEEK, "start": "10:30", "end": "13:30"}]
    assert posting.region == region("370212")  # found in the address
    assert posting.contract == Contract.NOT_STATED and posting.insurance == Insurance.NOT_STATED
    assert posting.imported and posting.status == PostingStatus.APPROVED
    assert posting.sector == Sector.CATERING  # the form's default
    assert posting.school_run and posting.weekends_off
    assert posting.description == "招聘3人。"  # no 岗位描述 column: the facts it has


def test_optional_columns_in_any_order_with_their_aliases(world):
    header = ["用工形式", "社保", "合同", "所属行业", "区县", "岗位要求", "联系人", "电话", *HEADER]
    values = [
        "非全日制",
        "仅工伤",
        "非全日制书面协议",
        "家政",
        "城阳",
        "有耐心",
        "王老师",
        13800000000.0,
    ]
    data = xlsx([header, values + [row()[h] for h in HEADER]])
    checked = check(data, world)
    assert checked.ok, checked.errors
    posting = checked.postings[0][0]
    assert posting.work_form == WorkForm.PART_TIME
    assert posting.insurance == Insurance.INJURY_ONLY
    assert posting.contract == Contract.PART_TIME_AGREEMENT
    assert posting.sector == Sector.DOMESTIC
    assert posting.region == region("370214")
    assert posting.requirements == "有耐心"
    assert (posting.contact_name, posting.contact_phone) == ("王老师", "13800000000")


def test_without_hints_the_work_form_follows_the_hours_and_pay(world):
    data = xlsx(
        sheet_of(
            row(岗位名称="早班", 工作时间="6:00-9:00", 薪资待遇="1800-2200元/月"),
            row(岗位名称="白班", 工作时间="8:30-16:30", 薪资待遇="3000-3500元/月"),
            row(岗位名称="灵活", 工作时间="弹性", 薪资待遇="150元/天"),
        )
    )
    checked = check(data, world)
    assert checked.ok, checked.errors
    forms = [p.work_form for p, _c in checked.postings]
    assert forms == [WorkForm.PART_TIME, WorkForm.FULL_TIME, WorkForm.PART_TIME]
    assert checked.postings[2][0].flexible_hours
    assert checked.counts["work_form_inferred"] == 3


def test_hourly_pay_for_school_hours_is_read_as_the_bureau_meant_it(world):
    """No 用工形式 column, hourly pay, 09:00-15:00 Monday to Friday: 30 hours a week cannot be
    非全日制 (art. 68), so the row is full-time by its hours, not refused as part-time by its
    pay; each inference is listed (rows per form)."""
    rows = [
        row(岗位名称=f"收银{n}", 工作时间="周一至周五 9:00-15:00", 薪资待遇="25元/小时")
        for n in range(3)
    ]
    rows.append(row(岗位名称="钟点工", 工作时间="周一至周五 9:00-11:00", 薪资待遇="25元/小时"))
    checked = check(xlsx(sheet_of(*rows)), world)
    assert checked.ok, checked.errors
    forms = [p.work_form for p, _c in checked.postings]
    assert forms == [WorkForm.FULL_TIME] * 3 + [WorkForm.HOURLY]
    assert checked.counts["inferred_rows"] == {"full_time": [2, 3, 4], "hourly": [5]}


def test_art_68_is_cited_only_where_the_sheet_says_part_time(world):
    data = xlsx(
        sheet_of(
            row(
                岗位名称="写明非全日制",
                工作时间="周一至周五 9:00-15:00",
                薪资待遇="25元/小时",
                用工形式="非全日制",
            ),
            extra=["用工形式"],
        )
    )
    checked = check(data, world)
    assert not checked.ok
    assert any("第六十八条" in e["message"] or "24" in e["message"] for e in checked.errors)


def test_identical_errors_are_one_line_and_messages_fit_the_value():
    from directory.imports.views import group_errors, row_ranges

    errors = [
        {"row": n, "column": "招聘人数", "letter": "C", "message": "同一个问题"}
        for n in (2, 3, 4, 7)
    ]
    assert group_errors(errors) == [
        {"column": "招聘人数", "letter": "C", "message": "同一个问题", "rows": "2–4、7", "count": 4}
    ]
    assert row_ranges([9]) == "9"
    from directory.imports.cells import CellError, parse_openings

    for value, words in (("-3", "正整数"), ("三", "正整数"), ("0", "正整数")):
        with pytest.raises(CellError) as caught:
            parse_openings(value)
        assert words in str(caught.value), value


def test_each_problem_is_reported_by_row_and_column(world):
    data = xlsx(
        sheet_of(
            row(薪资待遇="面议"),
            row(招聘人数=datetime(2026, 2, 3)),
            row(岗位名称="保洁员（限女性）"),
            row(招聘人数="=2+3"),
            row(统一社会信用代码=USCC_A[:17] + ("0" if USCC_A[17] != "0" else "1")),
            row(工作时间="8:00-18:00", 薪资待遇="25元/小时"),
            row(岗位名称="", 工作时间="每天4小时"),
        ),
        title="青岛市岗位汇总表",
    )
    checked = check(data, world)
    found = messages(checked)
    by_cell = {(r, c) for r, c, _m in found}
    assert {
        (3, "薪资待遇"),
        (4, "招聘人数"),
        (5, "岗位名称"),
        (6, "招聘人数"),
        (7, "统一社会信用代码"),
        (9, "岗位名称"),
        (9, "工作时间"),
    } == by_cell
    text = {(r, c): m for r, c, m in found}
    assert "面议" in text[(3, "薪资待遇")]
    assert "日期" in text[(4, "招聘人数")]
    assert "限女性" in text[(5, "岗位名称")] and "妇女权益保障法" in text[(5, "岗位名称")]
    assert "公式" in text[(6, "招聘人数")]
    assert "校验位" in text[(7, "统一社会信用代码")]
    # Row 8 (8:00-18:00 at 25元/小时, no 用工形式 column) is read as full-time by its hours, not
    # refused under art. 68: the sheet never said part-time (test_art_68_is_cited_only_...).
    assert (8, "工作时间") not in by_cell
    assert checked.rows_with_errors == 6
    assert not checked.postings or len(checked.postings) < 7


def test_a_code_typed_into_a_number_cell_gets_a_hint(world):
    data = xlsx(sheet_of(row(统一社会信用代码=913702021234567890)))
    assert "15位有效数字" in messages(check(data, world))[0][2]


def test_duplicate_rows_name_the_first(world):
    data = xlsx(sheet_of(row(), row(招聘人数=5), row(工作时间="9:00-12:00")))
    found = messages(check(data, world))
    assert found == [(3, "岗位名称", "与第2行重复（同一单位、岗位、工作时间、薪资和地点）。")]


def test_the_same_job_at_two_shops_is_not_a_duplicate(world):
    data = xlsx(
        sheet_of(
            row(工作地点="市南区闽江路1号"), row(工作地点="市北区辽宁路2号"), extra=["工作地点"]
        )
    )
    assert check(data, world).ok


def test_employers_are_matched_by_code_and_their_name_must_agree(world):
    data = xlsx(
        sheet_of(
            row(单位名称="青岛 甲餐饮有限公司"), row(单位名称="青岛甲餐饮公司", 岗位名称="收银")
        )
    )
    found = messages(check(data, world))
    assert [(r, c) for r, c, _m in found] == [(3, "单位名称")]
    assert "已登记为“青岛甲餐饮有限公司”" in found[0][2]


@pytest.mark.parametrize(
    ("status", "fragment"),
    [
        (EmployerStatus.PENDING, "尚待核验"),
        (EmployerStatus.REMOVED, "已移出名录"),
        (EmployerStatus.REJECTED, "未通过核验"),
    ],
)
def test_employers_not_in_good_standing_are_refused(world, status, fragment):
    Employer.objects.filter(pk=world["employer"].pk).update(status=status)
    found = messages(check(xlsx(sheet_of(row())), world))
    assert found[0][1] == "统一社会信用代码" and fragment in found[0][2]


def test_a_new_code_is_a_new_employer_and_must_keep_one_name(world):
    data = xlsx(
        sheet_of(
            row(单位名称="青岛新单位有限公司", 统一社会信用代码=USCC_NEW),
            row(单位名称="青岛新单位有限公司", 统一社会信用代码=USCC_NEW, 岗位名称="收银员"),
            row(单位名称="青岛新单位", 统一社会信用代码=USCC_NEW, 岗位名称="保洁员"),
        )
    )
    checked = check(data, world)
    assert messages(checked) == [
        (4, "单位名称", "同一信用代码在第2行写作“青岛新单位有限公司”，这里却是“青岛新单位”。")
    ]


def test_districts_inside_the_jurisdiction_only(world):
    data = xlsx(
        sheet_of(
            row(所在区县="兰山区"),
            row(所在区县="不存在区", 岗位名称="收银员"),
            row(所在区县="黄岛区（西海岸新区）", 岗位名称="保洁员"),
            row(所在区县="", 岗位名称="帮厨", 工作地点="青岛市内"),
            extra=["所在区县", "工作地点"],
        )
    )
    checked = check(data, world)
    found = messages(checked)
    assert [(r, c) for r, c, _m in found] == [(2, "所在区县"), (3, "所在区县")]
    assert "不在本部门的管辖范围（青岛市）内" in found[0][2]
    assert "无法识别区县" in found[1][2]
    # The rows that passed: a district with a bracketed note, and none (the bureau's own level).
    assert [p.region.code for p, _c in checked.postings] == ["370211", "370200"]
    assert checked.counts["region_default"] == 1


def test_wording_rules_apply_to_every_text_column(world):
    data = xlsx(
        sheet_of(
            row(岗位要求="限女性，已婚已育"),
            row(岗位名称="手工", 薪资待遇="3元/件，需交押金200元"),
            row(岗位名称="客服", 岗位描述="入职需缴纳培训费300元"),
            row(岗位名称="收银", 岗位描述="不收押金，培训费全免"),
            extra=["岗位要求", "岗位描述"],
        )
    )
    found = messages(check(data, world))
    assert [(r, c) for r, c, _m in found] == [
        (2, "岗位要求"),
        (2, "岗位要求"),
        (3, "薪资待遇"),
        (4, "岗位描述"),
    ]
    assert "劳动合同法" in found[2][2]


def test_stated_part_time_with_long_hours_breaks_article_68(world):
    data = xlsx(
        sheet_of(
            row(用工形式="非全日制", 工作时间="8:30-16:30", 薪资待遇="3000元/月"),
            extra=["用工形式"],
        )
    )
    found = messages(check(data, world))
    assert found[0][1] == "工作时间" and "第六十八条" in found[0][2]


def test_unknown_choices_list_what_may_be_written(world):
    data = xlsx(
        sheet_of(
            row(行业="金融", 社会保险="看情况", 合同形式="口头约定"),
            extra=["行业", "合同形式", "社会保险"],
        )
    )
    found = {c: m for _r, c, m in messages(check(data, world))}
    assert "餐饮服务" in found["行业"]
    assert "劳动合同" in found["合同形式"]
    assert "五险" in found["社会保险"]


def test_the_template_example_row_is_skipped(world):
    workbook = openpyxl.load_workbook(io.BytesIO(import_template.template_workbook()))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == [str(c.header) for c in imports.COLUMNS]
    with pytest.raises(FileError, match="没有岗位数据"):
        import_reader.read_table(import_template.template_workbook(), "模板.xlsx")
    # Filled in below the example, it imports (the template's columns are the reader's).
    example = [c.value for c in sheet[2]]
    example[0] = "青岛甲餐饮有限公司"
    example[1] = USCC_A
    sheet.append(example)
    buffer = io.BytesIO()
    workbook.save(buffer)
    checked = check(buffer.getvalue(), world)
    assert checked.ok, checked.errors
    assert checked.table.skipped["examples"] == 1
    posting = checked.postings[0][0]
    assert posting.contract == Contract.PART_TIME_AGREEMENT and posting.region == region("370202")


# -- jobs: all or nothing ----------------------------------------------------------------------


def test_the_messy_sample_imports_as_a_new_phase(world):
    demo_employers()
    before = Phase.objects.count()
    job = run_job(world, samples.messy_workbook(), name=samples.SAMPLE_NAME)
    assert job.status == ImportStatus.DONE, job.errors
    rows = len(samples.sample_rows())
    assert (job.rows_total, job.rows_done) == (rows, rows)
    phase = job.phase
    assert Phase.objects.count() == before + 1
    assert (phase.catalog, phase.number, phase.status) == (
        world["catalog"],
        1,
        PhaseStatus.IN_REVIEW,
    )
    assert phase.title == "青岛市妈妈岗目录（第二批）"
    entries = PhaseEntry.objects.filter(phase=phase)
    assert entries.count() == rows
    assert set(entries.values_list("decision", flat=True)) == {EntryDecision.APPROVED}
    postings = Posting.objects.filter(phase_entries__phase=phase)
    assert set(postings.values_list("status", "imported")) == {(PostingStatus.APPROVED, True)}
    assert set(postings.values_list("contract", "insurance")) == {
        (Contract.NOT_STATED, Insurance.NOT_STATED)
    }
    # Derived columns as save() computes them: search text with the employer's name, hourly pay.
    posting = postings.select_related("employer").filter(flexible_hours=False).first()
    assert posting.employer.name.startswith("青岛") and "青岛" in posting.search_text
    assert "1" in posting.schedule_mask and posting.weekly_minutes > 0
    assert Posting.objects.filter(pk__in=postings, search_vector__isnull=True).count() == 0
    # The seven demo employers are matched by code, the two new ones listed and verified.
    assert job.summary["employers_matched"] == 7
    assert job.summary["employers_created"] == sorted(e.name for e in samples.NEW_EMPLOYERS)
    new = Employer.objects.get(uscc=samples.NEW_EMPLOYERS[0].uscc)
    assert new.status == EmployerStatus.VERIFIED and new.region == region("370212")
    events = set(new.status_events.values_list("kind", "status", "by"))
    assert events == {
        (DirectoryEvent.LISTED, EmployerStatus.VERIFIED, world["officer"].pk),
        (DirectoryEvent.VERIFIED, EmployerStatus.VERIFIED, world["officer"].pk),
    }
    assert "导入" in new.status_events.first().reason
    audit = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert (audit.bureau, audit.object_id, audit.actor) == (
        world["bureau"],
        str(phase.pk),
        world["officer"],
    )
    assert str(rows) in audit.detail
    # "崂山" (short) and full names found the districts; 行业 aliases and the default sector.
    assert not postings.filter(region__code="370200").exists()
    assert set(postings.values_list("sector", flat=True)) >= {
        Sector.CATERING,
        Sector.DOMESTIC,
        Sector.SECURITY,
        Sector.CHILDCARE,
        Sector.RETAIL,
    }
    # The uploaded sheet (contact names, phones) is gone once imported.
    assert job.file.name == ""
    assert job.summary["counts"]["contract_not_stated"] == rows


def test_the_broken_sample_saves_nothing_and_reports_every_mistake(world):
    demo_employers()
    before = counts()
    job = run_job(world, samples.messy_workbook(broken=True), name=samples.BROKEN_NAME)
    assert job.status == ImportStatus.FAILED
    assert counts() == before
    assert job.phase is None and job.file.name == ""
    kinds = {
        "面议": "薪资待遇",
        "日期": "招聘人数（人）",
        "限女性": "岗位名称",
        "公式": "招聘人数（人）",
        "与第": "岗位名称",
        "兰山区": "所在区（市）",
        "正整数": "招聘人数（人）",
        "无法识别工作时间": "工作时间",
        "校验位": "统一社会信用代码",
        "已登记为": "单位名称",
    }
    for fragment, column in kinds.items():
        assert any(e["column"] == column and fragment in e["message"] for e in job.errors), fragment
    assert all(e["row"] >= 4 and e["letter"] for e in job.errors)
    assert job.summary["error_count"] == len(job.errors)
    assert job.summary["rows_with_errors"] == len({e["row"] for e in job.errors})


def test_a_file_error_fails_the_job_with_one_message(world):
    job = run_job(world, b"not a spreadsheet at all", name="岗位.xlsx")
    assert job.status == ImportStatus.FAILED
    assert job.errors == [
        {"row": None, "column": "", "letter": "", "message": job.errors[0]["message"]}
    ]
    assert "不是 Excel" in job.errors[0]["message"]


def test_a_failure_while_saving_rolls_everything_back(world):
    """The last check is the database's: a code registered between the check and the save makes
    the employer insert fail, and nothing of the import stays."""
    data = xlsx(sheet_of(row(单位名称="青岛新单位有限公司", 统一社会信用代码=USCC_NEW), row()))
    job = ImportJob.objects.create(
        bureau=world["bureau"],
        catalog=world["catalog"],
        phase_title="第二批",
        uploaded_by=world["officer"],
        status=ImportStatus.RUNNING,
    )
    checked = check(data, world)
    assert checked.ok
    Employer.objects.create(
        name="抢先登记的单位", uscc=USCC_NEW, region=region("370203"), address="x", sector="other"
    )
    before = counts()
    with pytest.raises(IntegrityError):
        import_save.save_checked(checked, job=job)
    assert counts() == before
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and job.phase is None


def test_a_job_runs_once_even_when_delivered_twice(world):
    job = run_job(world, xlsx(sheet_of(row())))
    assert job.status == ImportStatus.DONE
    assert import_jobs.process_job(job.pk) is None
    assert Phase.objects.filter(catalog=world["catalog"]).count() == 1


def test_a_second_import_takes_the_next_phase_number(world):
    make_phase(world["bureau"], number=1, status=PhaseStatus.PUBLISHED)
    job = run_job(world, xlsx(sheet_of(row())))
    assert job.phase.number == 2


def test_messages_follow_the_uploaders_language(world, client):
    from django.utils import translation

    with translation.override("en"):
        job = run_job(world, b"", name="x.xlsx")
    assert job.summary["options"]["language"] == "en"
    assert job.status == ImportStatus.FAILED


# -- pages ---------------------------------------------------------------------------------------


@pytest.fixture
def officer_client(client, world):
    give_device(world["officer"])
    force_login_verified(client, world["officer"])
    return client


def test_the_upload_form_offers_only_own_catalogs(officer_client, world, personas):
    Catalog.objects.create(bureau=personas.linyi, name="临沂目录")
    response = officer_client.get(reverse("bureau:import_new") + "?title=第二批")
    assert response.status_code == 200
    page = response.content.decode()
    assert "青岛市妈妈岗目录" in page and "临沂目录" not in page
    assert 'value="第二批"' in page
    assert reverse("bureau:import_template") in page


def test_upload_import_and_report(officer_client, world, django_capture_on_commit_callbacks):
    data = xlsx(sheet_of(row(), row(岗位名称="收银员", 薪资待遇="面议")))
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("bureau:import_new"),
            {
                "catalog": world["catalog"].pk,
                "title": "第二批",
                "default_sector": Sector.CATERING,
                "file": SimpleUploadedFile("岗位.xlsx", data),
            },
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "bureau:import_detail", args=[job.pk]
    )
    assert job.status == ImportStatus.FAILED
    page = officer_client.get(response.url).content.decode()
    assert "没有导入任何数据" in page and "第 3 行" in page and "薪资待遇" in page
    assert 'http-equiv="refresh"' not in page
    assert f"catalog={world['catalog'].pk}" in page  # upload again, same catalog and title

    data = xlsx(sheet_of(row(), row(岗位名称="收银员")))
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("bureau:import_new"),
            {
                "catalog": world["catalog"].pk,
                "title": "第二批",
                "default_sector": "catering",
                "file": SimpleUploadedFile("岗位.xlsx", data),
            },
        )
    job = ImportJob.objects.get(status=ImportStatus.DONE)
    page = officer_client.get(response.url).content.decode()
    assert "已导入 2 个岗位" in page
    assert reverse("bureau:phase_review", args=[job.phase_id]) in page
    review = officer_client.get(
        reverse("bureau:phase_review", args=[job.phase_id])
    ).content.decode()
    assert "收银员" in review and "未注明" in review
    listing = officer_client.get(reverse("bureau:import_list")).content.decode()
    assert "岗位.xlsx" in listing and job.phase.title in listing


def test_upload_refusals_are_form_errors(officer_client, world, settings):
    url = reverse("bureau:import_new")
    base = {"catalog": world["catalog"].pk, "title": "第二批", "default_sector": "catering"}
    response = officer_client.post(url, {**base, "file": SimpleUploadedFile("岗位.pdf", b"%PDF")})
    assert response.status_code == 200 and "只能导入" in response.content.decode()
    response = officer_client.post(
        url, {**base, "file": SimpleUploadedFile("a.xls", b"\xd0\xcf\x11\xe0xxxx")}
    )
    assert ".xls" in response.content.decode()
    response = officer_client.post(url, base)
    assert response.status_code == 200 and "field-error" in response.content.decode()
    settings.IMPORT_MAX_BYTES = 2000
    response = officer_client.post(
        url, {**base, "file": SimpleUploadedFile("大.xlsx", b"x" * 5000)}
    )
    assert "文件超过" in response.content.decode()
    other = Catalog.objects.create(bureau=make_bureau("371300", "外地人社局"), name="外地目录")
    response = officer_client.post(
        url, {**base, "catalog": other.pk, "file": SimpleUploadedFile("a.csv", b"a,b")}
    )
    assert response.status_code == 200
    assert ImportJob.objects.count() == 0


def test_the_size_limit_drops_the_file_while_it_streams(officer_client, world, settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 10_000
    big = SimpleUploadedFile("大.xlsx", b"PK\x03\x04" + b"\0" * 200_000)
    response = officer_client.post(
        reverse("bureau:import_new"),
        {"catalog": world["catalog"].pk, "title": "x", "default_sector": "other", "file": big},
    )
    assert response.status_code == 200
    assert "文件超过" in response.content.decode()
    assert not list(tmp_path.rglob("*.xlsx"))


def test_a_running_job_refreshes_itself(officer_client, world):
    job = ImportJob.objects.create(
        bureau=world["bureau"],
        catalog=world["catalog"],
        phase_title="第二批",
        uploaded_by=world["officer"],
        status=ImportStatus.RUNNING,
        rows_total=400,
        rows_done=100,
        original_name="岗位.xlsx",
        summary={"stage": "checking"},
    )
    page = officer_client.get(reverse("bureau:import_detail", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert 'value="25"' in page and "已检查 100 / 400 行" in page


def test_jobs_of_another_bureau_are_not_found(client, world, personas):
    job = ImportJob.objects.create(
        bureau=world["bureau"], catalog=world["catalog"], phase_title="x", original_name="a.xlsx"
    )
    give_device(personas.bureau_outside)
    force_login_verified(client, personas.bureau_outside)
    personas.linyi  # noqa: B018 - her bureau
    assert client.get(reverse("bureau:import_detail", args=[job.pk])).status_code == 404
    assert "a.xlsx" not in client.get(reverse("bureau:import_list")).content.decode()


def test_the_template_download(officer_client):
    response = officer_client.get(reverse("bureau:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == samples.XLSX_TYPE
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["岗位信息", "填写说明"]


def test_the_phase_list_links_to_the_import(officer_client):
    page = officer_client.get(reverse("bureau:phase_list")).content.decode()
    assert reverse("bureau:import_new") in page


def test_the_privacy_notice_covers_imported_contacts(client):
    page = client.get(reverse("privacy")).content.decode()
    assert "人社部门导入" in page


def test_sample_command_writes_the_three_files(tmp_path):
    from django.core.management import call_command

    call_command("make_sample_import", "--dir", str(tmp_path), stdout=io.StringIO())
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([samples.SAMPLE_NAME, samples.BROKEN_NAME, samples.CSV_NAME])


def test_the_qingdao_officer_imports_the_sample_as_the_next_phase_of_the_demo(
    tmp_path, monkeypatch
):
    """The demo's story: after load_demo, Qingdao's officer imports the messy sample into the
    Qingdao catalog; the sample's codes are the demo employers' (seven matched, two new)."""
    from directory.demo.load import QINGDAO_CATALOG, load_demo
    from momjobs.users.models import User

    private_files_in(tmp_path, monkeypatch)
    load_demo()
    officer = User.objects.get(email="qingdao@demo.momjobs.cn")
    catalog = Catalog.objects.get(name=QINGDAO_CATALOG)
    job = import_services.import_start(
        catalog=catalog,
        title=samples.SAMPLE_TITLE,
        default_sector=Sector.CATERING,
        upload=SimpleUploadedFile(samples.SAMPLE_NAME, samples.messy_workbook()),
        by=officer,
    )
    import_jobs.process_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.errors
    assert job.summary["employers_matched"] == 7
    assert len(job.summary["employers_created"]) == 2
    assert (job.phase.number, job.phase.status) == (2, PhaseStatus.IN_REVIEW)


def test_an_exported_phase_imports_again(world):
    """directory/exports/documents.py writes the template's columns: its XLSX of a published phase is a
    valid import (same postings, pay, hours and rights)."""
    from directory.exports.documents import render_xlsx
    from tests.factories import make_posting, publish

    employer = world["employer"]
    postings = [
        make_posting(employer, title="早餐店帮厨"),
        make_posting(
            employer,
            title="晚班保洁",
            region_code="370212",
            schedule=[
                {"days": [1, 3, 5], "start": "18:00", "end": "21:00"},
                {"days": [6], "start": "09:00", "end": "12:00"},
            ],
            pay_min=Decimal("2000"),
            pay_max=Decimal("2600"),
            pay_unit="month",
            contract="labour",
            insurance="full",
            work_form="part_time",
        ),
        make_posting(
            employer, title="钟点工", schedule=[], flexible_hours=True, work_form="hourly"
        ),
    ]
    phase = make_phase(world["bureau"], number=1, status=PhaseStatus.IN_REVIEW)
    publish(phase, postings)
    data = render_xlsx(phase)
    checked = check(data, world, name="导出.xlsx")
    assert checked.ok, checked.errors
    again = {p.title: p for p, _code in checked.postings}
    for original in postings:
        copy = again[original.title]
        assert (copy.pay_min, copy.pay_max, copy.pay_unit) == (
            original.pay_min,
            original.pay_max,
            original.pay_unit,
        )
        assert copy.schedule == original.schedule and copy.flexible_hours == original.flexible_hours
        assert (copy.contract, copy.insurance, copy.work_form) == (
            original.contract,
            original.insurance,
            original.work_form,
        )
        assert copy.region == original.region


def test_home_work_and_a_phone_typed_as_a_number(world):
    data = xlsx(
        sheet_of(
            row(工作地点="居家（线上客服）", 联系电话=13912345678.0), extra=["工作地点", "联系电话"]
        )
    )
    posting = check(data, world).postings[0][0]
    assert posting.place == Place.HOME and posting.contact_phone == "13912345678"


@pytest.mark.parametrize("size", [12_000, 300_000])
def test_the_size_limit_applies_however_the_upload_arrives(officer_client, world, settings, size):
    """Declared too large (dropped at once), or larger than it says (dropped while streaming)."""
    settings.IMPORT_MAX_BYTES = 10_000
    response = officer_client.post(
        reverse("bureau:import_new"),
        {
            "catalog": world["catalog"].pk,
            "title": "x",
            "default_sector": "other",
            "file": SimpleUploadedFile("大.csv", b"a," * (size // 2)),
        },
    )
    assert "文件超过" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_formula_in_a_csv_cell_is_refused_too(world):
    data = csv_bytes(sheet_of(row(招聘人数="=1+2")))
    assert "公式" in messages(check(data, world, name="a.csv"))[0][2]


def test_a_province_bureau_must_say_which_city_a_shared_district_name_is_in(world, personas):
    from directory.imports.checker import Places

    places = Places(region("370000"))
    assert places.named("市中区") is Places.AMBIGUOUS
    assert places.named("济南市市中区") == region("370103")
    assert places.named("山东省枣庄市市中区") == region("370402")
    assert places.named("崂山区") == region("370212")
    assert places.in_address("济南市市中区经七路1号") == region("370103")
    assert places.in_address("市中区经七路1号") is None  # not guessed
    qingdao = Places(region("370200"))
    assert qingdao.named("山东省青岛市崂山区") == qingdao.named("崂山") == region("370212")
    assert qingdao.in_address("市北区城阳路8号") == region("370203")  # 城阳 is a road here


def upload(officer_client, world, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("bureau:import_new"),
            {
                "catalog": world["catalog"].pk,
                "title": "第三批",
                "default_sector": "catering",
                "file": SimpleUploadedFile("岗位.xlsx", data),
            },
        )
    return officer_client.get(response.url).content.decode()


def test_a_school_hours_sheet_at_hourly_pay_imports_with_the_inference_listed(
    officer_client, world, django_capture_on_commit_callbacks
):
    rows = [
        row(岗位名称=f"收银{n}", 工作时间="周一至周五 9:00-15:00", 薪资待遇="25元/小时")
        for n in range(3)
    ]
    page = upload(officer_client, world, xlsx(sheet_of(*rows)), django_capture_on_commit_callbacks)
    assert "已导入 3 个岗位" in page
    assert "按工时和薪资单位推断" in page and "全日制：第 2–4 行" in page


def test_the_same_error_on_many_rows_is_one_line(
    officer_client, world, django_capture_on_commit_callbacks
):
    rows = [row(岗位名称=f"收银{n}", 薪资待遇="面议") for n in range(3)]
    page = upload(officer_client, world, xlsx(sheet_of(*rows)), django_capture_on_commit_callbacks)
    assert "第 2–4 行" in page and "（共 3 行）" in page
    assert page.count("<tr><td>第 ") == 1  # one line for the three rows
