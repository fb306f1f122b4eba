"""A report, from a visitor's phone to a take-down at the bureau.

1. On a phone, a visitor (not signed in) opens a posting of the Qingdao phase, follows
   "举报此岗位", first forgets the reason (the form says so), then reports a deposit demand.
2. At a desk, the Qingdao officer signs in (with the code step), opens the report queue from
   her account page, finds the report and takes the posting down with a reason.
3. The posting is gone: its page answers 404 and search no longer finds it.
4. The officer creates the catalog's next phase, carrying over every posting still recruiting
   (all ticked), and reads what changed: nothing new, the rest carried, the taken-down one
   withdrawn.

The posting is the last one listed on the phase page, never one the other journeys open
(server.ids); this file runs after them.
"""

import re
from urllib.parse import quote

from playwright.sync_api import expect

from tests.e2e.support import QINGDAO, check_a11y, expect_no_browser_errors, sign_in

DETAILS = "面试时要求先交500元押金，说干满三个月才退。"
REASON = "经电话核实，该单位要求求职者缴纳押金，违反劳动合同法第九条。"


def test_a_visitor_reports_and_the_officer_takes_the_posting_down(phone, desktop, server):
    # 1. The visitor, on her phone.
    page = phone
    page.goto(f"/phases/{server.ids['phase']}/")
    posts = page.get_by_role("region", name="岗位列表（发布时内容）")
    links = posts.get_by_role("heading", level=3).get_by_role("link")
    chosen = pk = None
    for link in reversed(links.all()):
        pk = int(re.search(r"/jobs/(\d+)/", link.get_attribute("href")).group(1))
        if pk not in (server.ids["good"], server.ids["poor"]):
            chosen = link
            break
    title = chosen.inner_text()
    chosen.click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    posting_path = re.sub(r"^https?://[^/]+", "", page.url)

    page.get_by_role("link", name="举报此岗位").click()
    expect(page.get_by_role("heading", level=1, name="举报此岗位")).to_be_visible()
    expect(page.get_by_text(title).first).to_be_visible()
    check_a11y(page)
    page.get_by_label("具体情况").fill(DETAILS)
    page.get_by_role("button", name="提交举报").click()
    expect(page.get_by_text("请选择举报原因。")).to_be_visible()
    expect(page.get_by_label("具体情况")).to_have_value(DETAILS)
    check_a11y(page)
    reasons = page.get_by_role("group", name="举报原因")
    reasons.get_by_label("收取押金、培训费或其他费用").check()
    page.get_by_label("联系方式（选填）").fill("13800000000")
    page.get_by_role("button", name="提交举报").click()
    expect(page.get_by_role("heading", level=1, name="举报已收到")).to_be_visible()
    check_a11y(page)
    expect_no_browser_errors(page)

    # 2. The officer, at her desk.
    page = desktop
    page.goto("/")
    sign_in(page, server, QINGDAO)
    page.get_by_role("link", name=re.compile(r"举报处理（\d+ 条待处理）")).click()
    expect(page.get_by_role("heading", level=1, name="举报处理")).to_be_visible()
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=2, name=title))
    expect(card.get_by_text(DETAILS)).to_be_visible()
    expect(card.get_by_text("13800000000")).to_be_visible()
    check_a11y(page)
    card.get_by_label("下架岗位，并通知申请人和用人单位").check()
    card.get_by_label("处理说明").fill(REASON)
    card.get_by_role("button", name="提交处理结果").click()
    expect(page.get_by_text(re.compile("岗位已下架，已通知申请人和用人单位"))).to_be_visible()
    expect(
        page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=2, name=title))
    ).to_have_count(0)
    check_a11y(page)
    # Handled reports stay on record.
    page.get_by_label("处理状态").select_option("acted")
    page.get_by_role("button", name="筛选").click()
    handled = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", level=2, name=title)
    )
    expect(handled.get_by_text(REASON)).to_be_visible()
    expect_no_browser_errors(page)

    # 3. Gone for everyone.
    visitor = phone
    response = visitor.goto(posting_path)
    assert response.status == 404
    visitor.goto(f"/jobs/?q={quote(title)}")
    expect(visitor.locator(f'a[href="{posting_path}"]')).to_have_count(0)

    # 4. The officer prepares the next phase, carrying over what still recruits (not published:
    # the demo's public pages stay as the other journeys expect them).
    page.goto("/bureau/phases/")
    new_phase = page.get_by_role("region", name="新建批次")
    new_phase.get_by_label("批次标题").fill("青岛市妈妈岗目录（第二批）")
    expect(new_phase.get_by_label("延续当前批次中仍在招聘的岗位")).to_be_checked()
    new_phase.get_by_role("button", name="新建").click()
    expect(page.get_by_role("heading", level=1, name="青岛市妈妈岗目录（第二批）")).to_be_visible()
    carry = page.get_by_role("region", name="延续上一批次的岗位")
    boxes = carry.get_by_role("group", name="延续的岗位").get_by_role("checkbox")
    # Every post still recruiting, counted whole; listed (and ticked) a page of 50 at a time.
    carried = int(re.search(r"中有 (\d+) 个岗位仍在招聘", carry.inner_text()).group(1))
    assert carried > 0 and boxes.count() == min(carried, 50)
    for box in boxes.all():
        expect(box).to_be_checked()
    # (Titles repeat across employers: the posting is told by its id.)
    expect(carry.locator(f'input[value="{pk}"]')).to_have_count(0)
    changes = page.get_by_role("region", name="与上一批次相比")
    rows = {
        name: changes.get_by_role("row", name=re.compile(name)).get_by_role("cell").inner_text()
        for name in ("新增岗位", "延续的岗位", "撤下的岗位")
    }
    assert (rows["新增岗位"], rows["延续的岗位"]) == ("0", str(carried))
    assert int(rows["撤下的岗位"]) >= 1  # the one taken down (and any a journey closed)
    changes.get_by_text(re.compile(r"撤下的岗位（\d+）")).click()
    withdrawn = changes.get_by_role("listitem").filter(
        has=page.locator(f'a[href="/bureau/postings/{pk}/"]')
    )
    expect(withdrawn).to_contain_text("被人社部门下架")
    check_a11y(page)
    expect_no_browser_errors(page)
