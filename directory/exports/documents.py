"""A published phase as documents: an XLSX with the import template's columns, an A4 print
page, and a PDF of that page with a Chinese font embedded and a QR code to each posting.

The PDF and the XLSX are rendered once, by a Celery task queued when the phase is published
(`directory.catalog.services.phase_publish`), and kept as `PhaseDocument` rows in private storage. The
download views serve the stored file; they render it (once, synchronously) only when it is
missing or stale. Stale means a posting of the phase was taken down by a bureau after the
rendering: documents handed out at job fairs must not carry a post the bureau has removed.
Everything else is frozen with the phase: the documents show each entry's snapshot, the
posting as it was published, never later edits. See docs/exports.md.
"""

import io
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import UTC
from decimal import Decimal, InvalidOperation

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from directory.columns import COLUMNS
from directory.models import EntryDecision, Phase, PhaseDocument, PhaseDocumentKind, PhaseEntry
from employers import schedule as sched
from employers.choices import Contract, Insurance, PayUnit, Sector, WorkForm
from employers.export import safe_cell
from employers.models import PostingStatus
from momjobs.lib.links import absolute_url
from momjobs.regions.models import Region

log = logging.getLogger(__name__)
# WeasyPrint logs every step of every page at INFO; its warnings are what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PRINT_TEMPLATE = "directory/print/phase.html"
PRINT_CSS = "css/print.css"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {PhaseDocumentKind.PDF: "application/pdf", PhaseDocumentKind.XLSX: XLSX_TYPE}
# The family name the PDF's stylesheet gives the packaged font; no other font is used there.
PDF_FONT_FAMILY = "MomJobs Noto Sans SC"


# ---------------------------------------------------------------------------------------------
# What the documents list


@dataclass
class Item:
    """One posting of the phase as published (its entry's snapshot) plus what the snapshot
    does not hold: the employer's credit code, the district's own name, the contact."""

    entry: PhaseEntry
    s: dict
    url: str
    uscc: str
    district: str
    contact_name: str
    contact_phone: str
    qr: str = field(default="", repr=False)


def taken_down(phase):
    """(how many postings of the phase a bureau has taken down, when the latest was)."""
    row = PhaseEntry.objects.filter(
        phase=phase, decision=EntryDecision.APPROVED, posting__status=PostingStatus.TAKEN_DOWN
    ).aggregate(n=Count("id"), latest=Max("posting__closed_at"))
    return row["n"], row["latest"]


def phase_items(phase):
    entries = list(
        PhaseEntry.objects.filter(phase=phase, decision=EntryDecision.APPROVED)
        .exclude(posting__status=PostingStatus.TAKEN_DOWN)
        .select_related("posting__employer")
        .defer("posting__search_text", "posting__search_vector", "posting__schedule_mask")
        .order_by("snapshot__employer_name", "id")
    )
    codes = {(e.snapshot or {}).get("region_code") for e in entries}
    districts = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    items = []
    for entry in entries:
        s = entry.snapshot or {}
        posting = entry.posting
        items.append(
            Item(
                entry=entry,
                s=s,
                url=absolute_url(reverse("posting_detail", args=[entry.posting_id])),
                uscc=posting.employer.uscc,
                district=districts.get(s.get("region_code"), ""),
                # The contact is not one of the frozen facts: the posting's current one.
                contact_name=s.get("contact_name", posting.contact_name),
                contact_phone=s.get("contact_phone", posting.contact_phone),
            )
        )
    return items


# ---------------------------------------------------------------------------------------------
# Cell texts in the bureaus' own spreadsheet style


def _amount(value):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if not number.is_finite():
        return ""
    return f"{number.normalize():f}" if number == number.to_integral() else f"{number:.2f}"


def pay_text(s):
    """2000-3000元/月, or 25元/小时 when the range is one amount."""
    low, high = _amount(s.get("pay_min")), _amount(s.get("pay_max"))
    unit = dict(PayUnit.choices).get(s.get("pay_unit"), "")
    if not low:
        return _("未注明")
    if not high or high == low:
        return f"{low}{unit}"
    return f"{low}-{high}{unit}"


def _days_label(days):
    if len(days) > 2 and list(days) == list(range(days[0], days[-1] + 1)):
        return _("%(first)s至%(last)s") % {
            "first": sched.weekday_name(days[0]),
            "last": sched.weekday_name(days[-1]),
        }
    return _("、").join(sched.weekday_name(d) for d in days)


def hours_text(s):
    """周一至周五 08:30-11:30,14:00-17:00；周六 09:00-12:00 (windows on the same days share
    their day label; a window ending at or before its start ends the next day)."""
    if s.get("flexible_hours"):
        return _("自选工作时间")
    try:
        windows = sched.windows_from_data(s.get("schedule") or [])
    except Exception:  # a snapshot the rules of today no longer accept: say so, do not guess
        windows = None
    if not windows:
        return _("未注明")
    groups = {}
    for window in windows:
        span = f"{sched.format_minutes(window.start)}-{sched.format_minutes(window.end)}"
        groups.setdefault(tuple(window.days), []).append(span)
    return _("；").join(f"{_days_label(days)} {','.join(spans)}" for days, spans in groups.items())


def _label(choices, value):
    return str(dict(choices).get(value, value or ""))


def xlsx_values(item):
    s = item.s
    return {
        "employer_name": s.get("employer_name", ""),
        "uscc": item.uscc,
        "title": s.get("title", ""),
        "sector": _label(Sector.choices, s.get("sector")),
        "openings": s.get("openings"),
        "work_form": _label(WorkForm.choices, s.get("work_form")),
        "hours": hours_text(s),
        "pay": pay_text(s),
        "district": item.district,
        "address": s.get("address", ""),
        "contract": _label(Contract.choices, s.get("contract")),
        "insurance": _label(Insurance.choices, s.get("insurance")),
        "description": s.get("description", ""),
        "requirements": s.get("requirements", ""),
        "contact_name": item.contact_name,
        "contact_phone": item.contact_phone,
    }


# XML 1.0 cannot hold most control characters (openpyxl refuses them) nor U+FFFE/U+FFFF.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# Excel refuses (and offers to "repair") a cell holding more characters than this.
XLSX_CELL_CHARS = 32767


def xlsx_cell(value):
    """A value as it may go into a cell: text that Excel or WPS would run as a formula
    (= + - @, tab, CR first) gets a leading apostrophe, so it stays text (employers/export.py).
    """
    if isinstance(value, str):
        return safe_cell(_ILLEGAL_XML.sub("", value))[:XLSX_CELL_CHARS]
    return safe_cell(value)


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
COLUMN_WIDTHS = {"employer_name": 28, "uscc": 22, "title": 24, "hours": 30, "pay": 18}
COLUMN_WIDTHS |= {"address": 30, "description": 40, "requirements": 30, "contact_phone": 16}


def render_xlsx(phase):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    with translation.override(settings.LANGUAGE_CODE):
        rows = [xlsx_values(item) for item in phase_items(phase)]
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _SHEET_FORBIDDEN.sub("_", phase.title)[:31] or "Sheet1"
        # Exactly the template's headers in its order: the file can be imported again.
        sheet.append([column.header for column in COLUMNS])
        for row in rows:
            sheet.append([xlsx_cell(row[column.key]) for column in COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(vertical="center")
        for index, column in enumerate(COLUMNS, start=1):
            width = COLUMN_WIDTHS.get(column.key, 12)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        props = workbook.properties
        props.title = phase.title[:200]
        props.creator = phase.catalog.bureau.name[:200]
        if settings.DEMO_MODE:
            props.description = _("示例数据：本站为演示环境，岗位、单位和数字均为虚构。")
        if phase.published_at:
            published = timezone.make_naive(phase.published_at, UTC)
            props.created = props.modified = published
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# The print page and its PDF


def qr_svg(url):
    """An inline SVG QR code (no size: the stylesheet sizes it) with an accessible name."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(border=0, omitsize=True, svgclass="qr", title=_("岗位详情二维码"))
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 - segno's output


def print_context(phase, *, pdf=False):
    items = phase_items(phase)
    for item in items:
        item.qr = qr_svg(item.url)
    removed, _latest = taken_down(phase)
    return {
        "phase": phase,
        "items": items,
        "pairs": [items[i : i + 2] for i in range(0, len(items), 2)],
        "employer_count": len({i.s.get("employer_id") for i in items}),
        "openings": sum(int(i.s.get("openings") or 0) for i in items),
        "removed": removed,
        "phase_url": absolute_url(reverse("phase_detail", args=[phase.pk])),
        "pdf": pdf,
        "demo_mode": settings.DEMO_MODE,
        "site_url": settings.SITE_URL,
    }


def font_path():
    """Noto Sans SC Regular (SIL OFL 1.1) from the pylopdf-fonts-zh-cn package."""
    import pylopdf_fonts_zh_cn

    return pylopdf_fonts_zh_cn.sans_path()


def _local_fetcher(allowed):
    from weasyprint.urls import URLFetcher

    class LocalFilesOnly(URLFetcher):
        # The HTML holds text that employers wrote: WeasyPrint may read the font and nothing
        # else, never the network or another file.
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"not fetched: {url[:80]}")
            return super().fetch(url, headers)

    return LocalFilesOnly()


def render_pdf(phase):
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(PRINT_TEMPLATE, print_context(phase, pdf=True))
    font = font_path().as_uri()
    fetcher = _local_fetcher({font})
    fonts = FontConfiguration()
    family = PDF_FONT_FAMILY
    # The packaged font for every character, in its one weight: a synthesised bold would embed
    # the glyphs a second time (about a fifth of the file).
    only_our_font = (
        f'@font-face {{ font-family: "{family}"; src: url("{font}"); }}'
        f'html, body, body * {{ font-family: "{family}" !important; font-weight: normal !important; }}'
        f'@page {{ font-family: "{family}"; }}'
    )
    stylesheets = [
        CSS(filename=finders.find(PRINT_CSS), url_fetcher=fetcher, font_config=fonts),
        CSS(string=only_our_font, url_fetcher=fetcher, font_config=fonts),
    ]
    document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=fonts)


RENDERERS = {PhaseDocumentKind.PDF: render_pdf, PhaseDocumentKind.XLSX: render_xlsx}


# ---------------------------------------------------------------------------------------------
# Stored documents


def _servable(doc):
    if doc is None or not doc.file or not doc.file.storage.exists(doc.file.name):
        return False
    _count, latest = taken_down(doc.phase)
    return latest is None or latest <= doc.rendered_at


def stored_document(phase, kind):
    """The stored document if it can be served as it is, else None."""
    doc = PhaseDocument.objects.filter(phase=phase, kind=kind).select_related("phase").first()
    return doc if _servable(doc) else None


def ensure_document(phase, kind, *, force=False):
    """The phase's document of this kind, rendered and stored now if missing or stale (or
    `force`). Two renderings of the same document may race; the second to finish keeps the
    first one's file when that one is still good."""
    if not force and (doc := stored_document(phase, kind)):
        return doc
    # What the rendering reads is at least as new as this: a take-down after it makes it stale.
    rendered_at = timezone.now()
    started = time.monotonic()
    data = RENDERERS[kind](phase)
    seconds = time.monotonic() - started
    with transaction.atomic():
        # One writer of this phase's documents at a time.
        Phase.objects.select_for_update().filter(pk=phase.pk).first()
        doc = PhaseDocument.objects.filter(phase=phase, kind=kind).select_related("phase").first()
        if doc is not None and not force and doc.rendered_at >= rendered_at and _servable(doc):
            return doc
        old_name = doc.file.name if doc is not None and doc.file else ""
        doc = doc or PhaseDocument(phase=phase, kind=kind)
        doc.file.save(f"phase-{phase.pk}.{kind}", ContentFile(data), save=False)
        doc.rendered_at = rendered_at
        doc.size = len(data)
        doc.save()
        storage, new_name = doc.file.storage, doc.file.name
        if old_name and old_name != new_name:
            transaction.on_commit(lambda: storage.delete(old_name))
    log.info("phase %s: %s rendered, %d bytes in %.1fs", phase.pk, kind, len(data), seconds)
    return doc


def download_name(phase, kind):
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", phase.title).strip() or f"phase-{phase.pk}"
    return f"{stem}.{kind}"
