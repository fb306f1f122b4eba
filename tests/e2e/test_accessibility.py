"""axe-core (WCAG 2.0/2.1/2.2, A and AA) on every public page and every form, in Chinese and
English, at the phone and the desktop viewport: zero violations.

Pages behind a sign-in are checked where a journey reaches them (test_journeys.py): the
dashboard of each role in both languages, the code step of sign-in, the required two-factor
setup, and every step of the password reset. This file adds the rest, and two sweeps that
follow links (anonymous from the home page; signed in through the employer and bureau back
offices), so a new page is checked as soon as another page links to it.

When axe finds a violation in a template that cannot be fixed at once, mark that case
`xfail(strict=True)` with the reason (for a sweep: an entry in KNOWN_VIOLATIONS), so the suite
says when it is fixed.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import (
    EMPLOYER,
    FRESH_EMPLOYER,
    LINYI,
    NEEDS_CODE,
    axe_violations,
    check_a11y,
    expect_no_browser_errors,
    format_failures,
    give_code,
    path_of,
    sign_in_form,
)

# name: path ({phase}, {good}, {poor} are the ids the fixture found in the demo data)
PUBLIC_PAGES = {
    "home": "/",
    "jobs": "/jobs/",
    "search": "/jobs/?q=保洁",
    "search-nothing": "/jobs/?q=没有这种岗位xyz",
    "jobs-page-2": "/jobs/?page=2",
    "phases": "/phases/",
    "phase": "/phases/{phase}/",
    "posting": "/jobs/{good}/",
    "posting-poor-rights": "/jobs/{poor}/",
    "sign-in": "/accounts/login/",
    "sign-up": "/accounts/sign-up/",
    "sign-up-by-email": "/accounts/sign-up/?with=email",
    "search-with-hours": "/jobs/?region=青岛&hours=school",
    "password-reset": "/accounts/password-reset/",
    "password-reset-sent": "/accounts/password-reset/sent/",
    "password-reset-bad-link": "/accounts/reset/MQ/not-a-token/",
    "password-reset-complete": "/accounts/reset/done/",
}
LANGUAGES = {"zh": ("", "zh-Hans"), "en": ("/en", "en")}
# The page's width beyond the viewport, and the elements sticking out (for the message).
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    return [...document.querySelectorAll("body *")]
        .filter(el => el.getBoundingClientRect().right > width + 1)
        .slice(0, 5)
        .map(el => el.outerHTML.slice(0, 120));
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page(page, server, name, lang):
    prefix, html_lang = LANGUAGES[lang]
    response = page.goto(prefix + PUBLIC_PAGES[name].format(**server.ids))
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", html_lang)
    check_a11y(page)
    if page.viewport_kind == "phone":
        # Reflow (WCAG 1.4.10): at 320 CSS pixels nothing needs scrolling sideways.
        page.set_viewport_size({"width": 320, "height": 800})
        overflow = page.evaluate(OVERFLOWING)
        assert not overflow, f"wider than 320 px: {overflow}"
    expect_no_browser_errors(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sign_in_form_with_errors(page, lang):
    prefix, _ = LANGUAGES[lang]
    page.goto(f"{prefix}/accounts/login/")
    # Nothing typed: each field says what is missing.
    page.get_by_role("button", name=re.compile("^(登录|Sign in)$")).click()
    expect(page.get_by_label(re.compile("^(电子邮箱|Email address)$"))).to_have_attribute(
        "aria-invalid", "true"
    )
    check_a11y(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_password_reset_form_with_errors(page, lang):
    prefix, _ = LANGUAGES[lang]
    page.goto(f"{prefix}/accounts/password-reset/")
    email = page.get_by_role("textbox")
    email.fill("not an address")
    page.get_by_role("button", name=re.compile("^(发送重设邮件|Send reset email)$")).click()
    expect(email).to_have_attribute("aria-invalid", "true")
    check_a11y(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_too_many_requests_page(page, server, lang):
    """The 429 page: password reset allows 5 requests an hour from one address."""
    prefix, _ = LANGUAGES[lang]
    statuses = []
    for _ in range(6):
        page.goto(f"{prefix}/accounts/password-reset/")
        page.get_by_role("textbox").fill("nobody@e2e.momjobs.test")
        with page.expect_navigation() as navigation:
            page.get_by_role("button").filter(has_text=re.compile("重设|reset")).click()
        statuses.append(navigation.value.status)
    assert statuses[-1] == 429, statuses
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("^(操作太频繁|Too many attempts)$")
    )
    check_a11y(page)


def test_optional_two_factor_setup(page):
    """Employer staff may add an authenticator: the setup page, in both languages, and its
    form with a wrong code."""
    page.goto("/accounts/login/")
    sign_in_form(page, FRESH_EMPLOYER)
    page.get_by_role("link", name="开启双重验证（推荐）").click()
    expect(page.get_by_role("heading", level=1, name="双重验证")).to_be_visible()
    expect(page.get_by_label("验证码")).to_be_visible()
    check_a11y(page)
    page.get_by_label("验证码").fill("000000")
    page.get_by_role("button", name="开启双重验证").click()
    expect(page.get_by_label("验证码")).to_have_attribute("aria-invalid", "true")
    check_a11y(page)
    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_a11y(page)
    expect_no_browser_errors(page)


# Pages found by the sweeps below with violations not fixed yet:
# {(sweep, page pattern): ({rule ids}, reason)}. Strict like xfail(strict=True): a sweep fails
# when an entry stops occurring, so the entry must go once the page is fixed.
KNOWN_VIOLATIONS = {}

# Links the sweeps do not follow: files, feeds, the admin, the API, static files.
NOT_PAGES = re.compile(
    r"\.(csv|xlsx|pdf|xml|json|atom|rss)$|/(cv|licence|feed|export|print)/$|^(/en)?/admin/"
    r"|^/static/|^/api/|^/healthz|/logout/"
)


def pattern(path):
    """One page per URL pattern: /employer/postings/12/edit/ -> /employer/postings/N/edit/."""
    return re.sub(r"/\d+(?=/)", "/N", path.split("?")[0])


def in_language(lang):
    """Links that stay in one language: the switch to the other one is not followed."""
    if lang == "en":
        return lambda path: path.startswith("/en/")
    return lambda path: not path.startswith("/en/")


def sweep(page, name, starts, *, scope, follow=None, depth=2, skip=(), limit=40):
    """From the start pages, follow same-site links (inside `scope`, a landmark role, or the
    whole page) up to `depth` clicks away, where `follow(path)` agrees; run axe on one page
    per URL pattern. Returns the patterns checked."""
    follow = follow or in_language("zh")
    queue = [(path, 0) for path in starts]
    seen = {pattern(path) for path in skip}
    checked, skipped, failures = [], [], {}
    while queue and len(checked) < limit:
        path, distance = queue.pop(0)
        key = pattern(path)
        if key in seen:
            continue
        seen.add(key)
        response = page.goto(path)
        if (
            response is None
            or response.status != 200
            or "html" not in response.headers.get("content-type", "")
        ):
            skipped.append(f"{path} ({response.status if response else 'no response'})")
            continue
        landed = pattern(path_of(page))
        if landed != key:  # redirected (to sign in, say): judge the page it landed on
            if landed in seen:
                continue
            seen.add(landed)
            key = landed
        checked.append(key)
        violations = axe_violations(page)
        found = {violation["id"] for violation in violations}
        known, _reason = KNOWN_VIOLATIONS.get((name, key), (set(), ""))
        if found != set(known):
            failures[key] = {"found": sorted(found), "known": sorted(known), "detail": violations}
        if distance < depth:
            area = page.get_by_role(scope) if scope != "page" else page.locator("body")
            hrefs = area.first.get_by_role("link").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
            for href in hrefs:
                path_only = (href or "").split("?")[0].split("#")[0]
                if (
                    path_only.startswith("/")
                    and follow(path_only)
                    and not NOT_PAGES.search(path_only)
                ):
                    queue.append((href, distance + 1))
    print(f"{name}: checked {checked}; skipped {skipped}")
    assert checked, f"{name}: no page reached (skipped: {skipped})"
    assert not failures, format_failures(failures)
    return checked


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_public_page_reachable_by_links(page, server, lang):
    """Anonymous: every page two links from the home page (header, main and footer), one per
    URL pattern, other than those test_public_page covers. New public pages (sign-up,
    subscription, the employer directory...) are checked as soon as a page links to them."""
    prefix, _ = LANGUAGES[lang]
    known = [prefix + path.format(**server.ids) for path in PUBLIC_PAGES.values()]
    sweep(
        page,
        f"public-{lang}",
        [prefix + "/"],
        scope="page",
        follow=in_language(lang),
        skip=known[1:],
    )


BACK_OFFICE = {
    # role: (who signs in, where the sweep starts; a start that does not exist yet is skipped)
    "employer": (EMPLOYER, ["/accounts/", "/employer/"]),
    "bureau": (
        LINYI,
        ["/accounts/", "/bureau/phases/", "/bureau/revisions/", "/bureau/employers/"],
    ),
}


@pytest.mark.parametrize("role", BACK_OFFICE)
def test_back_office_pages_reachable_by_links(desktop, server, role):
    """Signed in (the back offices are used at a desk), from each start page, every page one
    or two links away inside <main>, one per URL pattern. New back-office pages are covered as
    soon as a page links to them."""
    email, starts = BACK_OFFICE[role]
    page = desktop
    page.goto("/accounts/login/")
    sign_in_form(page, email)
    if email in NEEDS_CODE:
        give_code(page, server, email)
    expect(page.get_by_role("heading", level=1, name="我的账户")).to_be_visible()
    sweep(page, role, starts, scope="main")
