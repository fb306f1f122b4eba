"""From the Qingdao phase page to its files: the PDF and the spreadsheet, the print page and the
catalog's feed, as a bureau officer preparing a job fair (or a curious mother) finds them."""

import io
import re
import xml.etree.ElementTree as ET

import openpyxl
from playwright.sync_api import expect

from directory.columns import COLUMNS
from tests.e2e.support import QINGDAO_PHASE, QINGDAO_POSTS, check_a11y, expect_no_browser_errors

ATOM = "{http://www.w3.org/2005/Atom}"


def test_phase_page_offers_its_files_and_feed(page, server):
    page.goto(f"/phases/{server.ids['phase']}/")
    downloads = page.get_by_role("region", name="下载与订阅")
    pdf_link = downloads.get_by_role("link", name=re.compile("PDF 文件"))
    xlsx_link = downloads.get_by_role("link", name=re.compile("Excel 表格"))
    feed_link = downloads.get_by_role("link", name=re.compile("的新岗位"))

    # The PDF: rendered when the demo published the phase, served as it was stored.
    pdf = page.request.get(pdf_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"

    # The spreadsheet downloads as a file with the template's columns and one row a post.
    with page.expect_download() as download_info:
        xlsx_link.click()
    download = download_info.value
    assert download.suggested_filename == f"{QINGDAO_PHASE}.xlsx"
    with open(download.path(), "rb") as file:
        sheet = openpyxl.load_workbook(io.BytesIO(file.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [column.header for column in COLUMNS]
    assert len(rows) == 1 + QINGDAO_POSTS

    # The catalog's feed, also announced in the page's head.
    href = feed_link.get_attribute("href")
    expect(page.locator(f'head link[rel="alternate"][href="{href}"]')).to_have_count(1)
    feed = page.request.get(href)
    assert feed.status == 200
    root = ET.fromstring(feed.body())  # noqa: S314 - our own server's answer
    entries = root.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= 50
    assert all(e.find(f"{ATOM}link").get("href").startswith(server.url) for e in entries)
    expect_no_browser_errors(page)


def test_print_page_has_every_post_with_its_qr_code(page, server):
    page.goto(f"/phases/{server.ids['phase']}/")
    page.get_by_role("region", name="下载与订阅").get_by_role("link", name="打印版网页").click()
    expect(page).to_have_url(re.compile(r"/phases/\d+/print/$"))
    expect(page.get_by_role("heading", level=1, name=QINGDAO_PHASE)).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(QINGDAO_POSTS)
    expect(page.get_by_role("img", name="岗位详情二维码")).to_have_count(QINGDAO_POSTS)
    check_a11y(page)
    # Nothing scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.get_by_role("link", name="返回批次页面").click()
    expect(page.get_by_role("heading", level=1, name=QINGDAO_PHASE)).to_be_visible()
    expect_no_browser_errors(page)


def test_every_published_phase_has_its_files_and_is_in_its_feed(desktop, server):
    """The demo's Qingdao phase, and any phase published through the browser before (the Yihe
    phase of test_feature_journeys.py when it runs first)."""
    page = desktop
    page.goto("/phases/")
    hrefs = (
        page.get_by_role("main")
        .get_by_role("link")
        .evaluate_all("links => links.map(a => a.getAttribute('href'))")
    )
    phases = sorted({h for h in hrefs if re.fullmatch(r"/phases/\d+/", h or "")})
    assert phases
    for path in phases:
        page.goto(path)
        downloads = page.get_by_role("region", name="下载与订阅")
        for name, magic in (("PDF 文件", b"%PDF-"), ("Excel 表格", b"PK\x03\x04")):
            link = downloads.get_by_role("link", name=re.compile(name))
            response = page.request.get(link.get_attribute("href"))
            assert response.status == 200, (path, name)
            assert response.body()[: len(magic)] == magic, (path, name)
        first_post = page.get_by_role("region", name="岗位列表（发布时内容）").get_by_role("link")
        post = first_post.first.get_attribute("href")
        feed_href = downloads.get_by_role("link", name=re.compile("的新岗位")).get_attribute("href")
        root = ET.fromstring(page.request.get(feed_href).body())  # noqa: S314 - our server
        links = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
        assert server.url + post in links, (path, post)
