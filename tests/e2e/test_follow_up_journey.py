"""Did the post work? (issue: hires and how long they lasted) In a real browser at phone width:
a mother applies, the employer hires her with a start date, a month passes (the follow-up task
runs as the beat would, on that day), she answers from the link in her text message without
signing in, the employer answers from its email, and the officer's 录用与留任 page counts both.
"""

import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, _page
from tests.e2e.support import QINGDAO, check_a11y, expect_no_browser_errors, give_code, sign_in_form
from tests.e2e.test_back_office_journey import sign_up_by_phone_and_apply
from tests.e2e.test_find_work_journey import wait_for_sms

MONTH_ONE = re.compile(r"本人答 (\d+) / (\d+) · 单位答 (\d+) / (\d+)")


def run_follow_ups(server, day):
    """The beat task's work, on `day`, in a process of its own against the server's database."""
    code = (
        "import django, datetime; django.setup()\n"
        "from employers import followups\n"
        f"print(followups.send_due(today=datetime.date.fromisoformat({day.isoformat()!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=server.env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def month_one(page):
    page.goto("/bureau/dashboard/outcomes/")
    cell = page.locator("dl.stats div").filter(has_text="入职 1 个月仍在岗").locator("dd")
    return tuple(int(n) for n in MONTH_ONE.search(cell.inner_text()).groups())


@pytest.mark.parametrize("width", ["phone"])
def test_from_hire_to_an_answered_follow_up_to_the_dashboard(browser, server, width, request):
    officer = request.getfixturevalue(width)
    officer.goto("/accounts/login/")
    sign_in_form(officer, QINGDAO)
    give_code(officer, server, QINGDAO)
    before = month_one(officer)

    context, seeker = _page(browser, server, "phone")
    request.addfinalizer(context.close)
    posting_id = server.ids["good"]
    number = sign_up_by_phone_and_apply(seeker, server, posting_id)

    employer_context, employer = _page(browser, server, "phone")
    request.addfinalizer(employer_context.close)
    employer.goto(f"/jobs/{posting_id}/")
    name = employer.locator("p.employer").first.inner_text().split(" · ")[0].strip()
    staff_email = server.ids["staff"][name]
    employer.goto("/accounts/login/")
    sign_in_form(employer, staff_email)
    employer.goto(f"/employer/postings/{posting_id}/applications/")
    employer.get_by_role("link", name="陈静").first.click()
    employer.get_by_label("下一步").select_option(label="已录用")
    start = timezone.localdate()
    employer.get_by_label("入职日期（录用时填写）").fill(start.isoformat())
    employer.get_by_role("button", name="更新并通知求职者").click()
    expect(employer.get_by_text("状态已更新")).to_be_visible()
    texts = wait_for_sms(server, number, count=2)  # her sign-up code, then the news
    assert start.isoformat() in texts[-1] and "已录用" in texts[-1]

    # A month later the beat asks her (by SMS, as she signed up) and the employer (by email).
    assert run_follow_ups(server, start + timedelta(days=31)) == 2
    assert run_follow_ups(server, start + timedelta(days=32)) == 0  # asked once
    question = wait_for_sms(server, number, count=len(texts) + 1)[-1]
    link = re.search(r"https?://\S+/follow-up/\S+/", question).group(0)
    seeker.context.clear_cookies()  # no sign-in needed
    seeker.goto(link)
    expect(seeker.get_by_role("heading", level=1)).to_contain_text("吗？")
    check_a11y(seeker)
    seeker.get_by_role("button", name="还在做").click()
    expect(seeker.get_by_text("谢谢！回答已记录。")).to_be_visible()
    expect(seeker.get_by_text("之前可以修改")).to_be_visible()

    mail = next(m for m in reversed(server.mail_to(staff_email)) if "录用回访" in m["Subject"])
    body = mail.get_body(preferencelist=("plain",)).get_content()
    no_link = re.search(r"https?://\S+\?a=no#ended", body).group(0)
    employer.goto(no_link)
    employer.get_by_label("最后工作的日期").fill(start.isoformat())
    employer.get_by_label("照顾孩子").check()
    check_a11y(employer)
    employer.get_by_role("button", name="提交：已离职").click()
    expect(employer.get_by_text("谢谢！回答已记录。")).to_be_visible()

    after = month_one(officer)
    assert after[0] == before[0] + 1 and after[1] == before[1] + 1  # her "still working"
    assert after[2] == before[2] and after[3] == before[3] + 1  # the employer's "has left"
    check_a11y(officer)
    expect_no_browser_errors(officer)
    expect_no_browser_errors(seeker)
