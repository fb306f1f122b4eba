"""Feature journeys across roles, in Chinese, at the desktop viewport, with a real Celery worker.

The tests share the server's database and run in file order (pytest keeps it); each builds on
the state the previous ones left:
1. test_1: a new seeker signs up, verifies her address, fills her profile, searches by her
   free hours and applies (independent of the others);
2. test_2: a new employer in 沂河新区 registers, the Linyi officer verifies it, the employer
   writes a posting and submits it to the Yihe phase (STATE["employer_posting"]);
3. test_3: a new subscriber subscribes to Linyi city (371300) and confirms (STATE["subscriber"]);
4. test_4: the Linyi officer approves test_2's posting and the demo's pending ones, publishes
   the Yihe phase (which fans the digest out to test_3's subscriber);
5. test_5: the digest arrives, its posting link opens, the one-click unsubscribe works.
"""

import re
import secrets
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from employers.uscc import make_uscc
from tests.e2e.support import (
    LINYI,
    PASSWORD,
    check_a11y,
    expect_no_browser_errors,
    give_code,
    sign_out,
)
from tests.e2e.worker_fixtures import celery_worker  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("celery_worker")

YIHE_PHASE = "沂河新区妈妈岗目录（第一批）"
TAG = secrets.token_hex(3)
STATE = {}


def wait_for_mail(server, address, count=1, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        messages = server.mail_to(address)
        if len(messages) >= count:
            return messages
        assert time.monotonic() < deadline, f"no mail for {address} within {timeout} s"
        time.sleep(0.5)


def body_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(text, path):
    match = re.search(r"https?://\S*" + re.escape(path) + r"\S*", text)
    assert match, f"no link under {path} in:\n{text}"
    return match.group(0)


def option_with(select, text):
    """The full label of the select's first option that contains `text`."""
    options = [label.strip() for label in select.locator("option").all_inner_texts()]
    return next(label for label in options if text in label)


def sign_in_officer(page, server):
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱").fill(LINYI)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    give_code(page, server, LINYI)
    expect(page.get_by_role("heading", level=1, name="我的账户")).to_be_visible()


def fill_window(page, days, start, end):
    row = page.get_by_role("group", name="时间段 1", exact=True)
    for day in days:
        row.get_by_label(day, exact=True).check()
    row.get_by_label("开始").fill(start)
    row.get_by_label("结束").fill(end)


RESULTS = re.compile(r"^共 \d+ 个岗位$")
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五"]


def test_1_seeker_signs_up_applies_and_searches(desktop, server):
    page = desktop
    email = f"new-seeker-{TAG}@e2e.momjobs.test"
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="注册").click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-up/$"))
    check_a11y(page)
    # The mobile number comes first; she has none to hand and signs up with her email.
    page.get_by_role("link", name="没有手机号？用邮箱注册").click()
    check_a11y(page)
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("姓名或称呼").fill("李娜")
    page.get_by_label("密码", exact=True).fill("a-long-new-password-2026")
    page.get_by_label("再次输入密码").fill("a-long-new-password-2026")
    page.get_by_label(re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_role("heading", level=1, name="注册求职账户")).to_have_count(0)

    verify = link_in(body_of(wait_for_mail(server, email)[-1]), "/accounts/verify/")
    page.goto(verify)
    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", level=1, name="我的资料")).to_be_visible()
    check_a11y(page)
    page.get_by_label("姓名", exact=True).fill("李娜")
    page.get_by_label("联系电话").fill("13800001234")
    page.get_by_label("所在区县").fill("李沧区")  # a name: no code needed
    fill_window(page, WEEKDAYS, "08:30", "15:30")
    page.get_by_role("button", name="保存").click()
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="按我的空闲时间找岗位").click()
    expect(page).to_have_url(re.compile(r"/jobs/\?.*fits="))
    results = page.get_by_role("region", name=RESULTS)
    expect(results).to_be_visible()
    # A fitting Qingdao post.
    card = results.get_by_role("article").filter(has_text="青岛").first
    title = card.get_by_role("heading", level=3).inner_text()
    card.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    page.get_by_role("link", name="申请这个岗位").click()
    for step in ("第1步", "第2步", "第3步"):
        expect(page.get_by_role("heading", name=re.compile(step))).to_be_visible()
    check_a11y(page)
    page.get_by_label("给单位的话（可选）").fill("工作日上午都可以接电话，可以尽快上岗。")
    page.get_by_role("button", name="发送申请").click()
    expect(page.get_by_role("heading", level=1, name="我的申请")).to_be_visible()
    mine = page.get_by_role("region", name=title)
    expect(mine).to_contain_text("已投递")
    check_a11y(page)

    # The search refreshes in place when a filter changes; the URL follows; back works.
    page.goto("/jobs/?q=保洁")
    before = page.get_by_role("region", name=RESULTS).get_by_role("heading", level=2).inner_text()
    before_url = page.url
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="筛选").click()  # after a search the filters are folded
    page.get_by_label("双休").check()
    expect(page).to_have_url(re.compile(r"weekends=on"))
    expect(page.get_by_role("region", name=RESULTS)).not_to_have_attribute("aria-busy", "true")
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"
    after = page.get_by_role("region", name=RESULTS).get_by_role("heading", level=2).inner_text()
    page.go_back()
    expect(page).to_have_url(before_url)
    expect(page.get_by_role("region", name=RESULTS).get_by_role("heading", level=2)).to_have_text(
        before
    )
    print(f"search: {before} -> {after} (双休)")
    expect_no_browser_errors(page)


def test_2_employer_registers_is_verified_and_submits_a_posting(desktop, server, tmp_path):
    page = desktop
    email = f"new-employer-{TAG}@e2e.momjobs.test"
    name = f"沂河新区测试家政服务有限公司{TAG}"
    uscc = make_uscc("91371300MA" + f"{secrets.randbelow(10**7):07d}")
    licence = tmp_path / "licence.pdf"
    licence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.goto("/employer/register/")
    expect(page.get_by_role("heading", level=1, name="用人单位登记")).to_be_visible()
    check_a11y(page)
    page.get_by_label("电子邮箱（登录用）").fill(email)
    page.get_by_label("密码", exact=True).fill("employer-new-password-2026")
    page.get_by_label("再次输入密码").fill("employer-new-password-2026")
    page.get_by_label("联系人姓名").fill("张敏")
    page.get_by_label("单位名称").fill(name)
    page.get_by_label("统一社会信用代码").fill(uscc)
    page.get_by_label("所在区县").fill("沂河新区")
    page.get_by_label("地址").fill("临沂市沂河新区测试路1号")
    page.get_by_label("行业").select_option(label="家政服务")
    page.get_by_label("联系电话").fill("0539-8123456")
    page.get_by_label("营业执照").set_input_files(licence)
    page.get_by_role("button", name="提交登记").click()
    expect(page.get_by_role("heading", level=1, name="登记已提交")).to_be_visible()
    check_a11y(page)

    # The Linyi officer verifies it.
    officer = page.context.browser.new_context(base_url=server.url, locale="zh-CN")
    officer.set_default_timeout(10_000)
    bureau = officer.new_page()
    sign_in_officer(bureau, server)
    bureau.goto("/bureau/employers/")
    bureau.get_by_role("link", name=name).click()
    expect(bureau.get_by_role("heading", level=1, name=name)).to_be_visible()
    check_a11y(bureau)
    bureau.get_by_label("核验通过").check()
    bureau.get_by_role("button", name="保存决定").click()
    expect(bureau.get_by_text(re.compile("已核验|核验通过")).first).to_be_visible()
    officer.close()

    # Registering signed her in; she signs out and in again, and writes a posting.
    page.goto("/accounts/")
    sign_out(page)
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码", exact=True).fill("employer-new-password-2026")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1, name="登录")).to_have_count(0)
    page.goto("/employer/postings/new/")
    expect(page.get_by_role("heading", level=1, name="新建岗位")).to_be_visible()
    check_a11y(page)
    title = f"社区保洁员（上午班）{TAG}"
    page.get_by_label("岗位名称").fill(title)
    page.get_by_label("岗位描述").fill("负责社区公共区域的日常保洁，工作时间固定，方便接送孩子。")
    page.get_by_label("行业").select_option(label="家政服务")
    page.get_by_label("用工形式").select_option(label="非全日制")
    fill_window(page, WEEKDAYS, "08:30", "11:30")
    region = page.get_by_label("工作地区")
    region.select_option(label=option_with(region, "沂河新区"))
    page.get_by_label("工作地点").fill("临沂市沂河新区测试路1号")
    page.get_by_label("最低薪酬").fill("22")
    page.get_by_label("最高薪酬").fill("25")
    page.get_by_label("薪酬单位").select_option(label="元/小时")
    page.get_by_label("合同形式").select_option(label="非全日制书面协议")
    page.get_by_label("社会保险").select_option(label="仅工伤保险")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    check_a11y(page)
    page.get_by_role("link", name="提交审核").click()
    expect(page.get_by_role("heading", level=1, name=f"提交审核：{title}")).to_be_visible()
    check_a11y(page)
    phases = page.get_by_label("提交到批次")
    phases.select_option(label=option_with(phases, YIHE_PHASE))
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("已提交审核。审核结果会通过邮件通知您。")).to_be_visible()
    STATE["employer_posting"] = title
    STATE["employer_email"] = email
    expect_no_browser_errors(page)


def test_3_subscriber_subscribes_and_confirms(desktop, server):
    page = desktop
    email = f"subscriber-{TAG}@e2e.momjobs.test"
    page.goto("/subscribe/")
    expect(page.get_by_role("heading", level=1, name="订阅新岗位邮件")).to_be_visible()
    check_a11y(page)
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("地区", exact=True).fill("临沂")  # a name: no code needed
    page.get_by_role("button", name="订阅").click()
    expect(page.get_by_role("heading", level=1, name="订阅新岗位邮件")).to_have_count(0)
    check_a11y(page)
    confirm = link_in(body_of(wait_for_mail(server, email)[-1]), "/subscribe/confirm/")
    page.goto(confirm)
    expect(page.get_by_role("heading", level=1, name="确认订阅")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="确认订阅").click()
    expect(page.get_by_role("button", name="确认订阅")).to_have_count(0)
    check_a11y(page)
    STATE["subscriber"] = email
    expect_no_browser_errors(page)


def test_4_bureau_reviews_and_publishes_the_yihe_phase(desktop, server):
    page = desktop
    title = STATE.get("employer_posting")
    assert title, "needs test_2's posting"
    sign_in_officer(page, server)
    page.goto("/bureau/phases/")
    check_a11y(page)
    page.get_by_role("link", name=re.compile(YIHE_PHASE)).first.click()
    expect(page.get_by_role("heading", level=1, name=YIHE_PHASE)).to_be_visible()
    check_a11y(page)
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))
    card.get_by_label("审核结果").select_option(label="通过")
    card.get_by_role("button", name="提交审核结果").click()
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))
    expect(card).to_contain_text("通过")
    # The outcome the submit page promised reaches the employer.
    approved = wait_for_mail(server, STATE["employer_email"], count=1)
    assert any("审核通过" in str(m["Subject"]) and title in str(m["Subject"]) for m in approved)
    boxes = page.get_by_label("选中以批量通过")
    pending = boxes.count()
    for index in range(pending):
        boxes.nth(index).check()
    page.get_by_role("button", name="批量通过选中的岗位").click()
    expect(page.get_by_text(re.compile(r"已通过 \d+ 个岗位"))).to_be_visible()
    page.get_by_role("link", name="发布本批次…").click()
    # A page says what will happen first: what goes in, what is left out, who is emailed.
    expect(page.get_by_text("发布后不能撤销")).to_be_visible()
    expect(page.get_by_text(re.compile(r"位订阅者"))).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="确认发布").click()
    expect(page.get_by_role("heading", level=1, name=YIHE_PHASE)).to_be_visible()
    expect(page.get_by_text("批次已发布")).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    print(f"published {YIHE_PHASE}: {pending} bulk-approved + {title}")
    check_a11y(page)
    expect_no_browser_errors(page)


def test_5_digest_arrives_and_one_click_unsubscribe(desktop, server):
    page = desktop
    email = STATE.get("subscriber")
    assert email, "needs test_3's subscriber"
    # Confirmation first, then the digest.
    messages = wait_for_mail(server, email, count=2, timeout=120)
    digest = messages[-1]
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(.+)>", str(digest["List-Unsubscribe"]).strip()).group(1)
    text = body_of(digest)
    assert STATE["employer_posting"] in text
    posting = link_in(text, "/jobs/")
    page.goto(posting)
    expect(page).to_have_url(re.compile(r"/jobs/\d+/"))
    expect(page.get_by_role("region", name="基本信息")).to_be_visible()

    # RFC 8058 one-click: a POST with no cookies.
    request = urllib.request.Request(  # noqa: S310 - our own server's http URL
        unsubscribe, data=b"List-Unsubscribe=One-Click", method="POST"
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        assert response.status == 200
        assert f"已退订：{email}" in response.read().decode()
    # The subscription is off: its pages say so.
    page.goto(unsubscribe)
    expect(page.get_by_text(f"已退订：{email}")).to_be_visible()
    check_a11y(page)
    page.goto(link_in(text, "/subscribe/manage/"))
    expect(page.get_by_text("这个订阅已经退订，不会再收到邮件。")).to_be_visible()
    expect_no_browser_errors(page)
