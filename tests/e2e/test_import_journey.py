"""The Qingdao officer imports her bureau's messy spreadsheet as the catalog's next phase
(issue 6, item 4), at the desktop viewport where back-office work is done:

template download → the sheet with mistakes (a row-and-column report, nothing saved) → the
corrected sheet (a new phase in review with every row) → the phase in the review page.

The sheets are the demo's samples (directory/demo/samples.py, `manage.py make_sample_import`), built
in this process; the server checks them in its Celery task (eager in the e2e server, so the job
page may already be finished; if not, it refreshes itself every two seconds without script).
"""

import io
import re
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

from directory.columns import COLUMNS
from directory.demo import samples
from tests.e2e.support import QINGDAO, check_a11y, expect_no_browser_errors, sign_in

CATALOG = "青岛市妈妈岗目录"
FINISHED = 60_000  # ms: the job page refreshes itself until the import has finished


def upload(page, name, content):
    page.get_by_label("导入到目录").select_option(label=CATALOG)
    page.get_by_label("新批次的标题").fill(samples.SAMPLE_TITLE)
    page.get_by_label("表格没有“行业”的岗位归入").select_option(label="餐饮服务")
    page.get_by_label("表格文件").set_input_files(
        {"name": name, "mimeType": samples.XLSX_TYPE, "buffer": content}
    )
    page.get_by_role("button", name="上传并检查").click()


def test_officer_imports_a_messy_spreadsheet_as_a_new_phase(desktop, server):
    page = desktop
    page.goto("/")
    sign_in(page, server, QINGDAO)
    page.goto("/bureau/phases/")
    page.get_by_role("link", name="导入岗位汇总表（Excel）").click()
    expect(page.get_by_role("heading", level=1, name="导入岗位汇总表")).to_be_visible()
    check_a11y(page)

    # The template: the columns the reader knows, in order, and a sheet of instructions.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载导入模板（Excel）").click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert [c.value for c in workbook.worksheets[0][1]] == [str(c.header) for c in COLUMNS]
    assert len(workbook.sheetnames) == 2

    # The sheet with mistakes: every one reported by row and column, nothing imported.
    upload(page, samples.BROKEN_NAME, samples.messy_workbook(broken=True))
    expect(page.get_by_role("heading", level=2, name="没有导入任何数据")).to_be_visible(
        timeout=FINISHED
    )
    report = page.get_by_role("table", name=re.compile("错误清单"))
    expect(
        report.get_by_role("row").filter(has_text="第 5 行").filter(has_text="面议")
    ).to_be_visible()
    expect(report.get_by_role("row").filter(has_text="兰山区")).to_contain_text("所在区（市）")
    expect(report.get_by_role("row").filter(has_text="限女性")).to_contain_text("岗位名称")
    expect(report.get_by_role("row").filter(has_text="公式")).to_contain_text("招聘人数（人）")
    expect(page.get_by_role("alert")).to_contain_text("请在表格中逐一修改后重新上传")
    check_a11y(page)

    # Corrected: the same catalog and title are filled in again.
    page.get_by_role("link", name="上传修改后的表格").click()
    expect(page.get_by_label("新批次的标题")).to_have_value(samples.SAMPLE_TITLE)
    upload(page, samples.SAMPLE_NAME, samples.messy_workbook())
    expect(page.get_by_role("heading", level=2, name="导入完成")).to_be_visible(timeout=FINISHED)
    rows = len(samples.sample_rows())
    expect(page.get_by_role("status").filter(has_text="已导入")).to_contain_text(
        f"已导入 {rows} 个岗位"
    )
    expect(page.get_by_text("新登记入录的单位")).to_contain_text(samples.NEW_EMPLOYERS[0].name)
    expect(page.get_by_text(re.compile(r"合同形式未注明"))).to_be_visible()
    expect(page.get_by_text("没有导入的列：序号、备注")).to_be_visible()
    check_a11y(page)

    # The new phase, in review with every row approved, ready for the publish flow.
    page.get_by_role("link", name="审核并发布这个批次").click()
    expect(page.get_by_role("heading", level=1, name=samples.SAMPLE_TITLE)).to_be_visible()
    expect(page.get_by_label("审核结果").first).to_contain_text(f"通过（{rows}）")
    expect(page.get_by_role("main")).to_contain_text(samples.NEW_EMPLOYERS[1].name)
    expect(page.get_by_role("link", name="发布本批次…")).to_be_visible()

    page.goto("/bureau/imports/")
    expect(page.get_by_role("link", name=samples.SAMPLE_TITLE)).to_be_visible()
    check_a11y(page)
    expect_no_browser_errors(page)
