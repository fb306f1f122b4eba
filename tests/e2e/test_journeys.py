"""Journeys a person makes, in Chromium, at a phone viewport and a desktop one (`page`)."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from tests.e2e.support import (
    ADMIN,
    EMPLOYER,
    FORGETFUL,
    NEW_OFFICERS,
    PASSWORD,
    QINGDAO,
    QINGDAO_EMPLOYERS,
    QINGDAO_PHASE,
    QINGDAO_POSTS,
    SEEKER,
    TOTP_SECRET,
    check_a11y,
    expect_no_browser_errors,
    give_code,
    sign_in_form,
    sign_out,
)


def count_column(table):
    """The sum of a counts table's last column."""
    cells = table.get_by_role("row").filter(has=table.page.get_by_role("cell"))
    return sum(int(row.get_by_role("cell").last.inner_text()) for row in cells.all())


def test_browse_the_qingdao_phase_and_open_a_posting(page):
    page.goto("/")
    expect(page).to_have_title(re.compile("妈妈岗服务平台"))
    latest = page.get_by_role("region", name="最新发布的岗位目录")
    latest.get_by_role("link", name=QINGDAO_PHASE).click()

    expect(page.get_by_role("heading", level=1, name=QINGDAO_PHASE)).to_be_visible()
    expect(
        page.get_by_text(f"本批次共 {QINGDAO_POSTS} 个岗位，来自 {QINGDAO_EMPLOYERS} 家用人单位")
    ).to_be_visible()
    # The counts: three tables, each adding up to the whole phase.
    counts = page.get_by_role("region", name="岗位分布")
    for caption in ("按行业", "按用工形式", "按区县"):
        table = counts.get_by_role("table", name=caption)
        expect(table).to_be_visible()
        assert count_column(table) == QINGDAO_POSTS, caption
    sectors = counts.get_by_role("table", name="按行业")
    for sector in ("餐饮", "家政服务", "安保"):
        expect(sectors.get_by_role("cell", name=re.compile(sector)).first).to_be_visible()
    # The list: one card per post, each with its title as a link, 50 a page.
    posts = page.get_by_role("region", name="岗位列表（发布时内容）")
    titles = posts.get_by_role("heading", level=3)
    expect(titles).to_have_count(50)
    pages = -(-QINGDAO_POSTS // 50)
    pager = posts.get_by_role("navigation", name="分页")
    expect(pager).to_contain_text(f"第 1 / {pages} 页")
    pager.get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(titles).to_have_count(min(50, QINGDAO_POSTS - 50))

    first = titles.first.get_by_role("link")
    title = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    # The facts a mother decides on, stated plainly: pay, hours, contract, insurance.
    facts = page.get_by_role("region", name="基本信息")
    for term in ("薪酬", "工作时间", "用工形式", "合同形式", "社会保险"):
        expect(facts.get_by_role("term").filter(has_text=re.compile(f"^{term}$"))).to_be_visible()
    definitions = facts.get_by_role("definition")
    expect(definitions.first).to_contain_text(re.compile(r"\d.*元/"))
    expect(definitions.nth(1)).to_contain_text(re.compile(r"\d{1,2}:\d{2}|自选"))
    # The posting names the phase it was published in, and links back.
    expect(page.get_by_role("link", name=QINGDAO_PHASE)).to_be_visible()
    expect_no_browser_errors(page)


def test_switch_language_on_a_posting_and_back(page, server):
    posting = f"/jobs/{server.ids['good']}/"
    page.goto(posting)
    title = page.get_by_role("heading", level=1).inner_text()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(f"/en{posting}$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The same posting (its own text stays as the employer wrote it), the portal's words in English.
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    facts = page.get_by_role("region", name="Key facts")
    for term in ("Pay", "Working hours", "Type of contract", "Social insurance"):
        expect(facts.get_by_role("term").filter(has_text=re.compile(f"^{term}$"))).to_be_visible()
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Find jobs")).to_be_visible()
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    # The current language is marked, not linked.
    languages = page.get_by_role("navigation", name="Language")
    expect(languages.get_by_role("link", name="English")).to_have_count(0)
    # Links inside English pages stay in English.
    nav.get_by_role("link", name="Find jobs").click()
    expect(page).to_have_url(re.compile(r"/en/jobs/$"))
    page.go_back()

    page.get_by_role("navigation", name="Language").get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(re.compile(f"(?<!/en){posting}$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("region", name="基本信息")).to_be_visible()
    expect_no_browser_errors(page)


ROLES = {
    # email: (role as the dashboard names it, what else the dashboard shows)
    "seeker": (SEEKER, "求职者", ("link", "去找岗位")),
    "employer": (EMPLOYER, "用人单位工作人员", ("heading", "所属用人单位")),
    "bureau": (QINGDAO, "人社部门工作人员", ("heading", "所属人社部门")),
    "admin": (ADMIN, "平台管理员", ("link", "运维管理后台")),
}


@pytest.mark.parametrize("role", ROLES)
def test_sign_in_as_each_role_and_out(page, server, role):
    """Password, then (bureau staff, admin) the code step; the dashboard in both languages,
    accessible (the code page too); then sign out."""
    email, role_name, (kind, name) = ROLES[role]
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="登录").click()
    check_a11y(page)
    sign_in_form(page, email)
    if role in ("bureau", "admin"):
        expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
        check_a11y(page)
        give_code(page, server, email)

    expect(page.get_by_role("heading", level=1, name="我的账户")).to_be_visible()
    expect(page.get_by_text(f"您以“{role_name}”身份登录")).to_be_visible()
    expect(page.get_by_role(kind, name=name)).to_be_visible()
    check_a11y(page)

    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1, name="My account")).to_be_visible()
    check_a11y(page)
    page.get_by_role("navigation", name="Language").get_by_role("link", name="简体中文").click()

    sign_out(page)
    expect(page).to_have_url(re.compile(r"/$"))
    # Signed out for real: the dashboard asks for a sign-in again.
    page.goto("/accounts/")
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()
    expect_no_browser_errors(page)


def test_failed_sign_in_shows_the_error(page):
    page.goto("/accounts/login/")
    sign_in_form(page, SEEKER, "not-the-password")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("邮箱或密码不正确")
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()
    # What she typed is kept; the password is not.
    expect(page.get_by_label("电子邮箱")).to_have_value(SEEKER)
    expect(page.get_by_label("密码", exact=True)).to_have_value("")
    check_a11y(page)
    # And then the right password works.
    sign_in_form(page, SEEKER, PASSWORD)
    expect(page.get_by_role("heading", level=1, name="我的账户")).to_be_visible()


def test_wrong_code_shows_the_error(page):
    page.goto("/accounts/login/")
    sign_in_form(page, QINGDAO)
    # Six digits, but not what the app shows (the next number over).
    right = pyotp.TOTP(TOTP_SECRET).now()
    page.get_by_label("验证码").fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="验证并登录").click()
    expect(page.get_by_text("验证码不正确或已使用")).to_be_visible()
    expect(page.get_by_label("验证码")).to_have_attribute("aria-invalid", "true")
    check_a11y(page)
    # Not signed in.
    page.goto("/accounts/")
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()


def test_new_bureau_officer_must_set_up_two_factor(page, server):
    """A bureau officer without an authenticator reaches only the setup page; she scans the
    key (here: reads it), types the code, and lands on her dashboard."""
    email = NEW_OFFICERS[page.viewport_kind]
    page.goto("/accounts/login/")
    sign_in_form(page, email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/setup/$"))
    expect(page.get_by_role("heading", level=1, name="双重验证")).to_be_visible()
    expect(page.get_by_role("note").filter(has_text="必须开启双重验证")).to_be_visible()
    expect(page.get_by_role("img", name="身份验证器二维码")).to_be_visible()
    check_a11y(page)
    # Anything else sends her back here.
    page.goto("/phases/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/setup/$"))

    key = page.get_by_text(re.compile(r"^([A-Z2-7]{4} ?){8}$")).inner_text()
    code = pyotp.TOTP(key.replace(" ", "")).now()
    page.get_by_label("验证码").fill(code)
    page.get_by_role("button", name="开启双重验证").click()
    # Ten recovery codes, shown once, for the day the phone is lost.
    expect(page.get_by_role("heading", level=1, name="您的恢复码")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("双重验证已开启")
    expect(page.locator(".recovery-codes code")).to_have_count(10)
    check_a11y(page)
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.get_by_role("heading", level=1, name="我的账户")).to_be_visible()
    check_a11y(page)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="岗位目录").click()
    expect(page).to_have_url(re.compile(r"/phases/$"))
    sign_out(page)
    expect_no_browser_errors(page)


def test_forgotten_password_reset_by_email(page, server):
    """Forgot the password: ask for a link, open it from the email, choose a new password,
    sign in with it. Every step's page and form is checked with axe."""
    email = FORGETFUL[page.viewport_kind]
    new_password = "a-new-and-long-passphrase-2026"
    page.goto("/accounts/login/")
    page.get_by_role("link", name="忘记密码？").click()
    expect(page.get_by_role("heading", level=1, name="重设密码")).to_be_visible()
    # Django's own form says 电子邮件 where the portal's sign-in says 电子邮箱.
    page.get_by_label(re.compile("^电子邮[箱件]$")).fill(email)
    page.get_by_role("button", name="发送重设邮件").click()
    expect(page.get_by_role("heading", level=1, name="邮件已发送")).to_be_visible()

    (message,) = server.mail_to(email)
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+/accounts/reset/\S+/", body).group(0)
    assert link.startswith(server.url), link
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="设置新密码")).to_be_visible()
    check_a11y(page)
    # A mismatch first: the error is shown and tied to its field.
    page.get_by_label("新密码", exact=True).fill(new_password)
    page.get_by_label("新密码确认").fill(new_password + "x")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_label("新密码确认")).to_have_attribute("aria-invalid", "true")
    check_a11y(page)
    page.get_by_label("新密码", exact=True).fill(new_password)
    page.get_by_label("新密码确认").fill(new_password)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("heading", level=1, name="密码已更新")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="现在登录").click()
    sign_in_form(page, email, new_password)
    expect(page.get_by_role("heading", level=1, name="我的账户")).to_be_visible()
    expect_no_browser_errors(page)
