"""What the browser tests share: the demo's facts, signing in as a person does, axe-core.

Controls are found by their label and role (what a screen reader announces), never by CSS
classes, so a test that cannot find a control is also an accessibility bug.
"""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

# Demo data (directory/demo/data.py, directory/demo/load.py).
PASSWORD = "momjobs-demo-2026"  # noqa: S105 - the published demo password
TOTP_SECRET = "MOMJOBSDEMOKEYTWOSIXMOMJOBSDEMOK"  # noqa: S105 - the published demo key
SEEKER = "seeker@demo.momjobs.cn"
EMPLOYER = "employer1@demo.momjobs.cn"
QINGDAO = "qingdao@demo.momjobs.cn"
LINYI = "linyi@demo.momjobs.cn"
ADMIN = "admin@demo.momjobs.cn"
QINGDAO_PHASE = "青岛市妈妈岗目录（第一批）"
QINGDAO_POSTS = 190
QINGDAO_EMPLOYERS = 7
# Roles that must give a code from the authenticator app after the password.
NEEDS_CODE = {QINGDAO, LINYI, ADMIN}

# Accounts the e2e fixture adds to the demo (conftest.PREPARE): an employer staff user without
# an authenticator (the optional setup page), one new bureau officer per viewport, who must set
# up an authenticator before anything else, and (below) seekers for the password reset.
FRESH_EMPLOYER = "fresh-employer@e2e.momjobs.test"
NEW_OFFICERS = {
    "phone": "new-officer-phone@e2e.momjobs.test",
    "desktop": "new-officer-desktop@e2e.momjobs.test",
}

# Seekers who forget their password, one per viewport (the reset journey changes it).
FORGETFUL = {
    "phone": "forgetful-phone@e2e.momjobs.test",
    "desktop": "forgetful-desktop@e2e.momjobs.test",
}

# WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def axe_violations(page):
    """axe-core over the whole page as rendered now."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    return results.response["violations"]


def describe(violations):
    """One line per violation and per element (at most five), enough to find and fix it."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def check_a11y(page):
    """axe-core finds no violation of WCAG 2.0/2.1/2.2 A and AA on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, f"axe on {path_of(page)}:\n{describe(violations)}"


def format_failures(failures):
    parts = []
    for key, failure in failures.items():
        parts.append(f"{key}: found {failure['found']}, expected {failure['known']}")
        parts.append(describe(failure["detail"]))
    return "\n".join(parts)


def expect_no_browser_errors(page):
    """No script error and no Content-Security-Policy refusal on the pages a test visited."""
    assert not page.errors, page.errors


def path_of(page):
    return re.sub(r"^https?://[^/]+", "", page.url)


def sign_in_form(page, email, password=PASSWORD):
    """The password step, on the sign-in page already open."""
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()


def give_code(page, server, email):
    """The code step: the number an authenticator app would show now."""
    expect(page.get_by_role("heading", level=1, name="双重验证")).to_be_visible()
    page.get_by_label("验证码").fill(server.totp_code(email))
    page.get_by_role("button", name="验证并登录").click()


def sign_in(page, server, email, password=PASSWORD):
    """The whole sign-in from the header's link, ending on the dashboard."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="登录").click()
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()
    sign_in_form(page, email, password)
    if email in NEEDS_CODE:
        give_code(page, server, email)
    expect(page.get_by_role("heading", level=1, name="我的账户")).to_be_visible()


def sign_out(page):
    page.get_by_role("navigation", name="主导航").get_by_role("button", name="退出").click()
    expect(
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="登录")
    ).to_be_visible()
