"""Checking rows. A bureau's spreadsheet as a new phase: read, check every row, save all rows or none.

Three steps, each its own function so the benchmark and the tests can time and drive them:

1. `read_table(data, name)`: an XLSX or CSV in the layouts bureaus already use (columns in any
   order, recognised by the headers of directory/columns.py and their aliases; a merged
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

import logging
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from directory.columns import COLUMNS
from directory.imports.cells import (
    PAY_WORDS,
    Hours,
    cell_text,
    infer_work_form,
    parse_contract,
    parse_hours,
    parse_insurance,
    parse_openings,
    parse_pay,
    parse_sector,
    parse_work_form,
    pay_unit_hint,
    phone_text,
)
from directory.imports.places import Places
from directory.imports.reader import PROGRESS_EVERY, CellError, Table, clean_text, number_text
from employers import schedule as sched
from employers.choices import Contract, EmployerKind, Insurance, Place, Sector
from employers.models import (
    Employer,
    EmployerStatus,
    Posting,
    PostingStatus,
)
from employers.rules import find_violations
from employers.uscc import normalise as normalise_uscc
from employers.uscc import validate_uscc

logger = logging.getLogger(__name__)

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
                codes.add(normalise_uscc(clean_text(number_text(value))))
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
        words = PAY_WORDS.sub("", pay_text)  # 2000-3000元/月 has none: nothing to check
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
        self._count(posting, inferred, number)
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

    def _count(self, posting, inferred, number=None):
        if inferred:
            self.counts["work_form_inferred"] += 1
            # Every inference is listed in the report: which rows became which form.
            rows = self.counts.setdefault("inferred_rows", {})
            rows.setdefault(posting.work_form, []).append(number)
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
