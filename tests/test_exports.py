"""Phase exports: the XLSX (template columns, published values, formulas neutralised), the print
page and the PDF (font embedded, QR codes, links), rendered once on publish and served after."""

import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import segno
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from directory.catalog import services as directory_services
from directory.columns import COLUMNS
from directory.exports import documents as exports
from directory.exports import tasks as export_tasks
from directory.imports import checker as imports
from directory.imports import reader as import_reader
from directory.models import EntryDecision, PhaseDocument, PhaseDocumentKind, PhaseStatus
from directory.moderation import services as moderation
from employers.models import Posting, PostingStatus
from tests.factories import add_entry, make_employer, make_phase, make_posting
from tests.strategies import text

pytestmark = pytest.mark.django_db

PDF, XLSX = PhaseDocumentKind.PDF, PhaseDocumentKind.XLSX
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
# As tests/test_fuzz.py's "ci" profile: derandomised and bounded.
ci = settings(
    derandomize=True,
    database=None,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Rendered documents go to a throwaway folder, not PRIVATE_ROOT (the field holds the
    storage object made at import, so its location is patched)."""
    storage = PhaseDocument._meta.get_field("file").storage
    monkeypatch.setattr(storage, "_location", str(tmp_path))
    monkeypatch.setitem(storage.__dict__, "base_location", str(tmp_path))
    monkeypatch.setitem(storage.__dict__, "location", str(Path(tmp_path).resolve()))
    return tmp_path


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://jobs.example.cn"
    return settings.SITE_URL


@pytest.fixture
def phase(personas, site_url):
    """A Qingdao phase in review with three approved postings and one still pending."""
    a, b = personas.employer_a, personas.employer_b
    breakfast = make_posting(
        a, title="早餐店帮厨", contact_name="王女士", contact_phone="0532-1234"
    )
    office = make_posting(
        b,
        title="前台接待",
        work_form="full_time",
        schedule=[
            {"days": [1, 2, 3, 4, 5], "start": "08:30", "end": "11:30"},
            {"days": [1, 2, 3, 4, 5], "start": "14:00", "end": "17:00"},
            {"days": [6], "start": "09:00", "end": "12:00"},
        ],
        pay_min=Decimal("2000"),
        pay_max=Decimal("3000"),
        pay_unit="month",
        contract="labour",
        insurance="full",
        address="香港中路10号",
    )
    flexible = make_posting(
        a,
        title="手工编织",
        work_form="home_based",
        schedule=[],
        flexible_hours=True,
        pay_min=Decimal("1.5"),
        pay_max=Decimal("1.5"),
        pay_unit="piece",
        contract="not_stated",
        insurance="not_stated",
        place="home",
    )
    pending = make_posting(b, title="待审核岗位")
    phase = make_phase(personas.qingdao, status=PhaseStatus.IN_REVIEW)
    for posting in (breakfast, office, flexible):
        add_entry(phase, posting)
    add_entry(phase, pending, decision=EntryDecision.PENDING)
    phase.postings = {"breakfast": breakfast, "office": office, "flexible": flexible}
    phase.pending = pending
    return phase


def publish(phase, capture):
    """Publish as the service does, running what it queues after the commit (Celery is eager
    in the unit tests, so the rendering task runs here)."""
    with capture(execute=True):
        directory_services.phase_publish(phase=phase)
    phase.refresh_from_db()
    return phase


def rows_of(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def by_title(rows):
    title = [c.key for c in COLUMNS].index("title")
    return {row[title]: dict(zip([c.key for c in COLUMNS], row, strict=True)) for row in rows[1:]}


def download(client, name, phase):
    return client.get(reverse(name, args=[phase.pk]))


def body(response):
    return b"".join(response.streaming_content)


# -- rendered once, when the phase is published --------------------------------------------------


def test_publishing_renders_both_documents_once(
    client, phase, django_capture_on_commit_callbacks, monkeypatch
):
    publish(phase, django_capture_on_commit_callbacks)
    docs = {d.kind: d for d in PhaseDocument.objects.filter(phase=phase)}
    assert set(docs) == {PDF, XLSX}
    for doc in docs.values():
        assert doc.size > 1000
        assert doc.file.storage.exists(doc.file.name)
        assert doc.size == doc.file.size

    # Downloads serve the stored files: nothing is rendered again.
    def no_rendering(phase):
        raise AssertionError("rendered again")

    monkeypatch.setattr(exports, "RENDERERS", {PDF: no_rendering, XLSX: no_rendering})
    pdf = download(client, "phase_pdf", phase)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert body(pdf) == docs[PDF].file.open("rb").read()
    xlsx = download(client, "phase_xlsx", phase)
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == exports.XLSX_TYPE
    assert "attachment" in xlsx["Content-Disposition"]
    # The Chinese title as the file name (RFC 5987).
    assert "filename*=utf-8''" in xlsx["Content-Disposition"]
    assert body(xlsx) == docs[XLSX].file.open("rb").read()
    assert {d.kind: d.rendered_at for d in PhaseDocument.objects.filter(phase=phase)} == {
        k: d.rendered_at for k, d in docs.items()
    }


def test_the_task_runs_twice_with_one_effect(phase, django_capture_on_commit_callbacks):
    publish(phase, django_capture_on_commit_callbacks)
    first = {d.kind: (d.pk, d.file.name, d.rendered_at) for d in phase.documents.all()}
    assert export_tasks.render_phase_documents.delay(phase.pk).get() == {
        d.kind: d.size for d in phase.documents.all()
    }
    assert {d.kind: (d.pk, d.file.name, d.rendered_at) for d in phase.documents.all()} == first


def test_a_missing_document_is_rendered_on_first_download_and_kept(client, phase, monkeypatch):
    # Published without running the on-commit work (as if the worker had been down).
    directory_services.phase_publish(phase=phase)
    assert not PhaseDocument.objects.filter(phase=phase).exists()
    response = download(client, "phase_xlsx", phase)
    assert response.status_code == 200
    doc = PhaseDocument.objects.get(phase=phase, kind=XLSX)
    assert body(response) == doc.file.open("rb").read()

    monkeypatch.setattr(exports, "RENDERERS", {})  # a second rendering would raise KeyError
    assert download(client, "phase_xlsx", phase).status_code == 200
    assert PhaseDocument.objects.get(phase=phase, kind=XLSX).rendered_at == doc.rendered_at


def test_a_document_whose_file_is_gone_is_rendered_again(client, phase):
    directory_services.phase_publish(phase=phase)
    doc = exports.ensure_document(phase, XLSX)
    doc.file.storage.delete(doc.file.name)
    assert download(client, "phase_xlsx", phase).status_code == 200
    doc = PhaseDocument.objects.get(pk=doc.pk)
    assert doc.file.storage.exists(doc.file.name)


def test_a_take_down_makes_the_documents_stale(
    client, phase, personas, django_capture_on_commit_callbacks
):
    publish(phase, django_capture_on_commit_callbacks)
    old = PhaseDocument.objects.get(phase=phase, kind=XLSX)
    old_name = old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        moderation.posting_take_down(
            posting=phase.postings["breakfast"], by=personas.bureau_inside, reason="收取押金"
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = download(client, "phase_xlsx", phase)
    _sheet, rows = rows_of(body(response))
    assert set(by_title(rows)) == {"前台接待", "手工编织"}
    new = PhaseDocument.objects.get(phase=phase, kind=XLSX)
    assert new.rendered_at > old.rendered_at
    # The old file is deleted once the new one is stored.
    assert new.file.name != old_name and not new.file.storage.exists(old_name)
    page = client.get(reverse("phase_print", args=[phase.pk])).content.decode()
    assert "发布后有 1 个岗位被人社部门下架，未列入本文件。" in page
    assert "早餐店帮厨" not in page


@pytest.mark.parametrize("name", ["phase_pdf", "phase_xlsx", "phase_print"])
@pytest.mark.parametrize("status", [PhaseStatus.DRAFT, PhaseStatus.OPEN, PhaseStatus.IN_REVIEW])
def test_a_phase_that_is_not_public_has_no_documents(client, phase, name, status):
    phase.status = status
    phase.save()
    assert download(client, name, phase).status_code == 404
    assert client.get(reverse(name, args=[987654])).status_code == 404
    assert not PhaseDocument.objects.exists()


def test_a_superseded_phase_keeps_its_documents(
    client, phase, personas, django_capture_on_commit_callbacks
):
    publish(phase, django_capture_on_commit_callbacks)
    second = make_phase(personas.qingdao, number=2, status=PhaseStatus.IN_REVIEW)
    add_entry(second, make_posting(personas.employer_a, title="午餐帮厨"))
    publish(second, django_capture_on_commit_callbacks)
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.SUPERSEDED
    assert download(client, "phase_pdf", phase).status_code == 200
    assert download(client, "phase_print", phase).status_code == 200


def test_downloads_are_read_only(client, phase):
    directory_services.phase_publish(phase=phase)
    for name in ("phase_pdf", "phase_xlsx", "phase_print"):
        assert client.post(reverse(name, args=[phase.pk])).status_code == 405


# -- the XLSX ------------------------------------------------------------------------------------


def test_xlsx_has_the_template_columns_and_the_published_values(
    client, phase, django_capture_on_commit_callbacks
):
    publish(phase, django_capture_on_commit_callbacks)
    # Edits after publishing do not reach the record (the snapshot is what was published).
    office = phase.postings["office"]
    Posting.objects.filter(pk=office.pk).update(title="前台接待（改）", pay_max=Decimal("9000"))
    exports.ensure_document(phase, XLSX, force=True)
    sheet, rows = rows_of(body(download(client, "phase_xlsx", phase)))
    assert rows[0] == [c.header for c in COLUMNS]
    assert sheet.freeze_panes == "A2"
    assert sheet.title == phase.title
    found = by_title(rows)
    assert set(found) == {"早餐店帮厨", "前台接待", "手工编织"}  # not the pending one
    assert found["前台接待"] == {
        "employer_name": "青岛乙家政服务有限公司",
        "uscc": office.employer.uscc,
        "title": "前台接待",
        "sector": "餐饮服务",
        "openings": 2,
        "work_form": "全日制",
        "hours": "周一至周五 08:30-11:30,14:00-17:00；周六 09:00-12:00",
        "pay": "2000-3000元/月",
        "district": "市北区",
        "address": "香港中路10号",
        "contract": "劳动合同",
        "insurance": "五险（社会保险齐全）",
        "description": office.description,
        "requirements": None,
        "contact_name": None,
        "contact_phone": None,
    }
    breakfast = found["早餐店帮厨"]
    assert breakfast["hours"] == "周一至周五 06:30-09:30"
    assert breakfast["pay"] == "20-25元/小时"
    assert breakfast["work_form"] == "非全日制"
    assert (breakfast["contact_name"], breakfast["contact_phone"]) == ("王女士", "0532-1234")
    flexible = found["手工编织"]
    assert flexible["hours"] == "自选工作时间"
    assert flexible["pay"] == "1.50元/件"
    assert (flexible["contract"], flexible["insurance"]) == ("未注明", "未注明")


def test_an_exported_phase_can_be_imported_again(phase, personas):
    directory_services.phase_publish(phase=phase)
    data = exports.render_xlsx(phase)
    checked = imports.check_table(
        import_reader.read_table(data, "导出.xlsx"), bureau=personas.qingdao
    )
    assert checked.ok, checked.errors
    again = {p.title: p for p, _uscc in checked.postings}
    assert set(again) == {"早餐店帮厨", "前台接待", "手工编织"}
    office = phase.postings["office"]
    assert again["前台接待"].schedule == office.schedule
    assert (again["前台接待"].pay_min, again["前台接待"].pay_max) == (2000, 3000)
    assert again["手工编织"].flexible_hours


def test_formulas_are_neutralised_and_read_back_as_text(client, personas, site_url):
    employer = make_employer('=HYPERLINK("http://evil.example","点我")', "370202")
    posting = make_posting(
        employer,
        title="+1 早餐帮厨",
        requirements="@SUM(1,2)",
        address="-3号楼",
        contact_name="\t=cmd|' /C calc'!A0",
        contact_phone="+86 532 1234",
    )
    phase = make_phase(personas.qingdao, status=PhaseStatus.IN_REVIEW)
    add_entry(phase, posting)
    directory_services.phase_publish(phase=phase)
    sheet, rows = rows_of(body(download(client, "phase_xlsx", phase)))
    row = dict(zip([c.key for c in COLUMNS], rows[1], strict=True))
    assert row["employer_name"] == '\'=HYPERLINK("http://evil.example","点我")'
    assert row["title"] == "'+1 早餐帮厨"
    assert row["requirements"] == "'@SUM(1,2)"
    assert row["address"] == "'-3号楼"
    assert row["contact_name"] == "'\t=cmd|' /C calc'!A0"
    assert row["contact_phone"] == "'+86 532 1234"
    # No cell of the file is a formula: every text cell is stored as a string.
    for line in sheet.iter_rows():
        for cell in line:
            assert cell.data_type in ("s", "n"), (cell.coordinate, cell.value, cell.data_type)


@ci
@given(value=st.one_of(text, st.sampled_from(DANGEROUS).flatmap(lambda c: text.map(c.__add__))))
def test_any_text_is_written_as_text_never_as_a_formula(value):
    workbook = openpyxl.Workbook()
    workbook.active.append([exports.xlsx_cell(value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    written = cell.value or ""
    assert cell.data_type == "s" or written == ""
    assert not written.startswith(DANGEROUS)
    # Nothing else changes but the guard and the characters XML cannot hold.
    cleaned = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", value)
    expected = "'" + cleaned if cleaned.startswith(DANGEROUS) else cleaned
    # (An XML reader may turn a carriage return inside the text into a line feed.)
    assert written in (expected, expected.replace("\r\n", "\n").replace("\r", "\n"))


def test_a_cell_holds_no_more_than_excel_opens():
    assert len(exports.xlsx_cell("长" * 40000)) == 32767
    assert exports.xlsx_cell("=" + "长" * 40000).startswith("'=")


def test_cell_texts_in_the_bureaus_style():
    s = {"pay_min": "2000.00", "pay_max": "3000.00", "pay_unit": "month"}
    assert exports.pay_text(s) == "2000-3000元/月"
    assert exports.pay_text({**s, "pay_max": "2000"}) == "2000元/月"
    assert exports.pay_text({"pay_min": "18.5", "pay_max": "20", "pay_unit": "hour"}) == (
        "18.50-20元/小时"
    )
    assert exports.pay_text({}) == "未注明"
    night = {"schedule": [{"days": [5, 6], "start": "22:00", "end": "06:00"}]}
    assert exports.hours_text(night) == "周五、周六 22:00-06:00"
    assert exports.hours_text({"schedule": [{"days": [9], "start": "x"}]}) == "未注明"


# -- the print page and the PDF ------------------------------------------------------------------


def qr_matrix(svg):
    """The modules of a segno inline SVG path (h = dark run, m = move), row by row."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for column in range(int(x), int(x + float(a))):
                grid[int(y)][column] = 1
            x += float(a)
    return grid


def test_print_page_lists_every_posting_with_a_qr_code_to_it(client, phase, site_url):
    directory_services.phase_publish(phase=phase)
    response = download(client, "phase_print", phase)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'css/print.css"' in html
    assert "<script" not in html
    for text_ in ("早餐店帮厨", "前台接待", "手工编织", "青岛甲餐饮有限公司", "20–25 元/小时"):
        assert text_ in html
    assert "王女士 0532-1234" in html
    assert "待审核岗位" not in html
    # Rights not stated are said plainly (and marked).
    assert html.count('class="warn">未注明</dd>') == 2
    assert "本批次共 3 个岗位，来自 2 家用人单位，计划招聘 6 人。" in html
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(svgs) == 3
    urls = [f"{site_url}/jobs/{p.pk}/" for p in phase.postings.values()]
    for url in urls:
        assert f'<a href="{url}">' in html
    decoded = [qr_matrix(svg) for svg in svgs]
    for url in urls:
        expected = [[int(bit) for bit in row] for row in segno.make(url, error="m").matrix]
        assert expected in decoded, url
    css = Path("static/css/print.css").read_text()
    assert "size: A4" in css
    # Downloads and feed are linked from the page.
    for name, arg in (("phase_pdf", phase.pk), ("phase_xlsx", phase.pk)):
        assert reverse(name, args=[arg]) in html


def test_print_page_in_english_keeps_the_published_text(client, phase):
    directory_services.phase_publish(phase=phase)
    html = client.get(f"/en{reverse('phase_print', args=[phase.pk])}").content.decode()
    assert '<html lang="en">' in html
    assert "早餐店帮厨" in html
    assert f'href="/en/phases/{phase.pk}/"' in html


def test_pdf_embeds_the_packaged_font_and_links_each_posting(
    client, phase, site_url, django_capture_on_commit_callbacks
):
    publish(phase, django_capture_on_commit_callbacks)
    data = body(download(client, "phase_pdf", phase))
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title.startswith(phase.title)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        # Only the packaged font, subset (the ABCDEF+ prefix) and embedded, not referenced.
        assert re.fullmatch(r"/[A-Z]{6}\+MomJobs-Noto-Sans-SC", name), name
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        embedded = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
        assert embedded is not None, f"{name} is not embedded"
        program = embedded.get_object().get_data()
        assert program[:4] == b"OTTO" and b"NotoSansSC" in program
        # A subset: a small part of the 8 MB font.
        assert len(program) < 1_000_000
    words = "".join(page.extract_text() for page in reader.pages)
    for title in ("早餐店帮厨", "前台接待", "手工编织", "未注明"):
        assert title in words
    links = {
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots", [])
    }
    assert {f"{site_url}/jobs/{p.pk}/" for p in phase.postings.values()} <= links
    assert f"{site_url}/phases/{phase.pk}/" in links


def test_pdf_fetches_nothing_but_the_font(phase, monkeypatch):
    directory_services.phase_publish(phase=phase)
    asked = []
    fetcher = exports._local_fetcher({"file:///font.otf"})
    with pytest.raises(ValueError, match="not fetched"):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError, match="not fetched"):
        fetcher.fetch("file:///etc/passwd")
    real = exports._local_fetcher

    def spy(allowed):
        made = real(allowed)
        original = made.fetch

        def fetch(url, headers=None):
            asked.append(url)
            return original(url, headers)

        made.fetch = fetch
        return made

    monkeypatch.setattr(exports, "_local_fetcher", spy)
    # Markup in an employer's text stays text (the template escapes it): nothing is fetched.
    entry = phase.entries.get(posting=phase.postings["breakfast"])
    entry.snapshot["title"] = (
        '<img src="http://169.254.169.254/x.png"><link rel=stylesheet href=/x>'
    )
    entry.save()
    exports.render_pdf(phase)
    assert set(asked) == {exports.font_path().as_uri()}


# -- the page links, the command -----------------------------------------------------------------


def test_phase_page_links_the_downloads_and_the_feed(client, phase):
    directory_services.phase_publish(phase=phase)
    html = client.get(reverse("phase_detail", args=[phase.pk])).content.decode()
    for name, arg in (("phase_pdf", phase.pk), ("phase_xlsx", phase.pk), ("phase_print", phase.pk)):
        assert f'href="{reverse(name, args=[arg])}"' in html
    feed = reverse("feed_catalog", args=[phase.catalog_id])
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in html
    assert f'href="{feed}" type="application/atom+xml">' in html


def test_the_bureau_review_page_of_a_published_phase_links_the_downloads(client, phase, personas):
    from tests.helpers import force_login_verified

    directory_services.phase_publish(phase=phase)
    force_login_verified(client, personas.bureau_inside)
    html = client.get(reverse("bureau:phase_review", args=[phase.pk])).content.decode()
    assert f'href="{reverse("phase_pdf", args=[phase.pk])}"' in html


def test_the_command_renders_what_is_missing_and_force_renders_again(phase):
    directory_services.phase_publish(phase=phase)
    out = io.StringIO()
    call_command("render_phase_documents", stdout=out)
    assert f"{phase.pk} {phase.title} pdf:" in out.getvalue()
    first = {d.kind: d.rendered_at for d in phase.documents.all()}
    assert set(first) == {PDF, XLSX}
    call_command("render_phase_documents", stdout=io.StringIO())
    assert {d.kind: d.rendered_at for d in phase.documents.all()} == first
    call_command("render_phase_documents", phase.pk, "--force", "--kind", "xlsx", stdout=out)
    again = {d.kind: d.rendered_at for d in phase.documents.all()}
    assert again[PDF] == first[PDF] and again[XLSX] > first[XLSX]
    with pytest.raises(CommandError, match="not a public phase: 987654"):
        call_command("render_phase_documents", 987654, stdout=io.StringIO())


def test_a_phase_that_is_not_public_is_not_rendered_by_the_task(phase):
    assert export_tasks.render_phase_documents(phase.pk) == {}
    assert not PhaseDocument.objects.exists()


def test_the_document_names_are_safe_file_names(phase):
    phase.title = '青岛/市:妈妈岗*目录?"第一批"'
    assert exports.download_name(phase, "pdf") == "青岛_市_妈妈岗_目录_第一批_.pdf"


def test_taken_down_postings_leave_the_print_page(client, phase, personas):
    directory_services.phase_publish(phase=phase)
    flexible = phase.postings["flexible"]
    flexible.status = PostingStatus.TAKEN_DOWN
    flexible.save()
    html = client.get(reverse("phase_print", args=[phase.pk])).content.decode()
    assert "手工编织" not in html and "本批次共 2 个岗位" in html
