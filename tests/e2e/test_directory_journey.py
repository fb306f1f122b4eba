"""The employer directory and the bureau's dashboard, as people use them.

1. On a phone, a mother opens the employer directory from the navigation, narrows it to one
   district, opens an employer (recognition, history, live postings) and follows one of its
   postings; the posting links back to the employer.
2. At a desk, the Qingdao officer opens the dashboard from her account page, reads the charts
   and their tables, narrows them to the Qingdao phase, downloads the same figures as CSV and
   opens the audit log.
"""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.support import (
    QINGDAO,
    QINGDAO_PHASE,
    QINGDAO_POSTS,
    check_a11y,
    expect_no_browser_errors,
    sign_in,
)


def test_a_mother_browses_the_directory_on_her_phone(phone):
    page = phone
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="用人单位名录").click()
    expect(page.get_by_role("heading", level=1, name="用人单位名录")).to_be_visible()
    check_a11y(page)
    everyone = page.get_by_role("heading", level=2, name=re.compile(r"共 \d+ 家单位"))
    total = int(re.search(r"\d+", everyone.inner_text()).group())

    # She types the place by its name, as in the job search.
    page.get_by_label("地点").fill("市南区")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"region=%E5%B8%82%E5%8D%97%E5%8C%BA"))
    expect(page.get_by_label("地点")).to_have_value("市南区")
    results = page.get_by_role("region", name=re.compile(r"共 \d+ 家单位"))
    cards = results.get_by_role("listitem")
    assert 0 < cards.count() < total
    for card in cards.all():
        expect(card).to_contain_text("市南区")
    check_a11y(page)

    first = cards.first.get_by_role("heading", level=3).get_by_role("link")
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    history = page.get_by_role("region", name="名录记录")
    expect(history.get_by_text("核验通过").first).to_be_visible()
    postings = page.get_by_role("region", name=re.compile("招聘中的岗位"))
    check_a11y(page)

    posting = postings.get_by_role("heading", level=3).first.get_by_role("link")
    title = posting.inner_text()
    posting.click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    # The posting names its employer, linked back to the directory.
    employer = page.get_by_role("region", name="用人单位").get_by_role("link", name=name)
    employer.click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    expect_no_browser_errors(page)


def test_the_qingdao_officer_reads_and_downloads_her_figures(desktop, server):
    page = desktop
    page.goto("/")
    sign_in(page, server, QINGDAO)
    page.get_by_role("link", name="统计概览").click()
    expect(page.get_by_role("heading", level=1, name="统计概览")).to_be_visible()

    # Charts are images named by their title, with the same figures in a table beside them.
    expect(page.get_by_role("img", name="按行业的岗位数（全部批次）")).to_be_visible()
    expect(page.get_by_role("img", name="按区县的岗位数（全部批次）")).to_be_visible()
    sectors = page.get_by_role("table", name="按行业")
    total = sectors.locator("tfoot").get_by_role("row")
    expect(total.get_by_role("cell").nth(1)).to_have_text(str(QINGDAO_POSTS))
    expect(sectors.get_by_role("rowheader", name="餐饮服务")).to_be_visible()
    phases = page.get_by_role("table", name="各批次的岗位、申请与录用")
    expect(phases.get_by_role("rowheader", name=QINGDAO_PHASE)).to_be_visible()
    expect(page.get_by_role("table", name="各批次的摘要邮件投递")).to_be_visible()
    check_a11y(page)

    page.get_by_label("目录批次").select_option(label=QINGDAO_PHASE)
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", level=2, name=f"概况：{QINGDAO_PHASE}")).to_be_visible()
    expect(page.get_by_role("img", name=f"按行业的岗位数（{QINGDAO_PHASE}）")).to_be_visible()
    check_a11y(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("下载本页数字")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    raw = Path(download.path()).read_bytes()
    assert raw.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert ["批次", QINGDAO_PHASE] in lines
    totals = [line for line in lines if line[:1] == ["合计"]]
    assert len(totals) == 2 and all(line[2] == str(QINGDAO_POSTS) for line in totals)

    page.goto("/accounts/")
    page.get_by_role("link", name="操作记录").click()
    expect(page.get_by_role("heading", level=1, name="操作记录")).to_be_visible()
    expect(page.get_by_role("cell", name="发布批次").first).to_be_visible()
    check_a11y(page)
    expect_no_browser_errors(page)
