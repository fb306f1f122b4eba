"""A keyboard-only journey: no mouse, no touch, only Tab, typing and Enter."""

import re

from playwright.sync_api import expect

from tests.e2e.support import expect_no_browser_errors

FOCUS_VISIBLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return el !== document.body && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
}"""


def is_focused(locator):
    return locator.evaluate("el => el === document.activeElement")


def tab_until(page, locator, limit=80):
    """Press Tab until `locator` has the focus; each stop must show where the focus is."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_VISIBLE), (
            f"focus not visible on {page.evaluate('document.activeElement.outerHTML')[:200]}"
        )
        if is_focused(locator):
            return presses
    raise AssertionError(f"{locator} not reached in {limit} presses of Tab")


def test_keyboard_only_search_and_open_a_result(page):
    page.goto("/")
    # The first Tab reaches the skip link, which then shows on screen.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert page.evaluate(FOCUS_VISIBLE)
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # From the main content, the next stop is the place box; then the hours and the words.
    place = page.get_by_label("在哪里找")  # a combobox once suggestions are attached
    assert tab_until(page, place) == 1
    page.keyboard.type("青岛")
    words = page.get_by_role("searchbox", name="想做什么（可以不填）")
    tab_until(page, words)
    page.keyboard.type("保洁")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/jobs/\?region=.*q=%E4%BF%9D%E6%B4%81"))

    # Through the filters to the first result, then open it.
    first = page.get_by_role("main").get_by_role("heading", level=3).first.get_by_role("link")
    expect(first).to_be_visible()
    title = first.inner_text()
    tab_until(page, first)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect_no_browser_errors(page)
