"""Employers and officers cannot change things by accident (issue: no accidental changes, every
promised message sent), at phone and desktop width:

- an employer moves an application forwards only (the control offers the next steps, none
  chosen); a message is its own action and leaves the interview in place; the applicant's text
  message carries it;
- an employer deletes a draft only after a page that asks;
- an officer meets a page that says what will happen before removing an employer or taking a
  post down, and can step back without changing anything.
"""

import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.e2e.support import QINGDAO, check_a11y, expect_no_browser_errors, give_code, sign_in_form
from tests.e2e.test_find_work_journey import wait_for_sms


def sign_up_by_phone_and_apply(page, server, posting_id):
    page.goto(f"/jobs/{posting_id}/apply/")
    page.get_by_role("link", name="注册求职账户").click()
    number = "135" + "".join(secrets.choice("0123456789") for _ in range(8))
    page.get_by_label("手机号码").fill(number)
    page.get_by_label("姓名或称呼").fill("陈静")
    page.get_by_label(re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="获取验证码").click()
    code = re.search(r"\b\d{6}\b", wait_for_sms(server, number)[-1].split("\n\n", 1)[1]).group(0)
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="继续").click()
    page.get_by_role("button", name="发送申请").click()
    expect(page.get_by_role("heading", level=1, name="我的申请")).to_be_visible()
    return number


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_an_application_moves_only_forwards_and_a_message_changes_nothing(
    browser, server, width, request
):
    from tests.e2e.conftest import _page

    employer = request.getfixturevalue(width)
    context, seeker = _page(browser, server, "phone")  # she applies from her own phone
    request.addfinalizer(context.close)
    posting_id = server.ids["good"]
    number = sign_up_by_phone_and_apply(seeker, server, posting_id)

    employer.goto(f"/jobs/{posting_id}/")
    name = employer.locator("p.employer").first.inner_text().split(" · ")[0].strip()
    employer.goto("/accounts/login/")
    sign_in_form(employer, server.ids["staff"][name])
    employer.goto(f"/employer/postings/{posting_id}/applications/")
    employer.get_by_role("link", name="陈静").first.click()
    step = employer.get_by_label("下一步")
    expect(step).to_have_value("")  # nothing chosen for her
    options = step.locator("option").all_inner_texts()
    assert "已查看" not in options and "已投递" not in options
    check_a11y(employer)
    step.select_option(label="邀请面试")
    employer.get_by_label("面试时间").fill("2027-02-03T14:00")
    employer.get_by_label("面试地点").fill("崂山区海尔路1号")
    employer.get_by_role("button", name="更新并通知求职者").click()
    expect(employer.get_by_text("状态已更新")).to_be_visible()
    employer.get_by_label("留言内容").fill("请带上身份证")
    employer.get_by_role("button", name="发送留言").click()
    expect(employer.get_by_text("留言已发送给求职者")).to_be_visible()
    texts = wait_for_sms(server, number, count=3)  # the code, the invitation, the message
    assert "崂山区海尔路1号" in texts[-2] and "请带上身份证" in texts[-1]
    seeker.goto("/applications/")
    mine = (
        seeker.get_by_role("region")
        .filter(has_text="陈静")
        .or_(seeker.locator("section.card"))
        .first
    )
    expect(mine).to_contain_text("邀请面试")
    expect(mine).to_contain_text("崂山区海尔路1号")
    expect(mine).to_contain_text("单位留言：请带上身份证")
    expect_no_browser_errors(employer)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_removing_an_employer_and_taking_a_post_down_ask_first(server, width, request):
    page = request.getfixturevalue(width)
    page.goto("/accounts/login/")
    sign_in_form(page, QINGDAO)
    give_code(page, server, QINGDAO)
    page.goto("/bureau/employers/?status=verified")
    page.locator("main table a, main .card-list a").first.click()
    employer_url = page.url
    page.get_by_label("移出名录").check()
    page.get_by_label("理由").fill("测试：核实中")
    page.get_by_role("button", name="保存决定").click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile("确认把.*移出名录"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"个招聘中的岗位会立即下架"))).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="取消").click()
    expect(page).to_have_url(employer_url)
    expect(page.get_by_text("已核验").first).to_be_visible()  # nothing changed

    page.goto(f"/bureau/postings/{server.ids['good']}/take-down/")
    expect(page.get_by_text("下架后不能撤销")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="取消").click()
    page.goto(f"/jobs/{server.ids['good']}/")
    expect(page.get_by_role("link", name="申请这个岗位")).to_be_visible()  # still live
    expect_no_browser_errors(page)
