"""Back-office pages that list a province's worth of rows stay a page long (issue: every page
fast at a million postings): the carry-over choice a page at a time, what changed between two
phases counted whole but listed in part, and an employer's posts paged and filtered by status.
Each page's query count is the same whatever the number of rows."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.catalog import changes as phase_changes
from directory.catalog import views as catalog_views
from directory.models import EntryDecision, PhaseEntry
from employers import views as employer_views
from employers.models import Application, Posting, PostingStatus
from employers.services import posting_snapshot
from tests.factories import make_posting
from tests.test_supersede import carried, create_next, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def carry_section(html):
    return html.split('id="carry-heading"')[1].split("</section>")[0]


def review(w, phase, **params):
    url = reverse("bureau:phase_review", args=[phase.pk])
    return w.client.get(url, params).content.decode()


def shown_ids(section):
    return [int(v) for v in re.findall(r'name="shown" value="(\d+)"', section)]


def more_open_postings(w, n):
    """n more live posts in the published first phase: candidates to carry."""
    for i in range(n):
        posting = make_posting(w.p.employer_a, title=f"门店收银员{i:02d}")
        posting.status, posting.published_at = PostingStatus.LIVE, w.first_published_at
        posting.save()
        PhaseEntry.objects.create(
            phase=w.first,
            posting=posting,
            decision=EntryDecision.APPROVED,
            snapshot=posting_snapshot(posting),
        )


def test_the_carry_over_choice_comes_a_page_at_a_time(world, monkeypatch):  # noqa: F811
    monkeypatch.setattr(catalog_views, "CARRY_PAGE_SIZE", 2)
    second = create_next(world, carry=False)
    first_page = carry_section(review(world, second))
    # Three still recruit: two listed here, the count whole, a link to the rest.
    assert "中有 3 个岗位仍在招聘" in first_page
    page_one = shown_ids(first_page)
    assert len(page_one) == 2 and first_page.count('name="postings"') == 2
    assert "carry_page=2#carry-heading" in first_page
    assert "全部 3 个岗位都延续" in first_page and "全部不延续" in first_page
    [page_two] = shown_ids(carry_section(review(world, second, carry_page=2)))
    assert page_two not in page_one
    # A page past the end is the last one; a page that is not a number, the first.
    assert shown_ids(carry_section(review(world, second, carry_page=99))) == [page_two]
    assert shown_ids(carry_section(review(world, second, carry_page="abc"))) == page_one
    assert shown_ids(carry_section(review(world, second, carry_page=-1))) == page_one

    # Saving page one decides for its two posts only.
    url = reverse("bureau:phase_carry", args=[second.pk])
    response = world.client.post(
        url, {"shown": page_one, "postings": [page_one[0]], "carry_page": "1"}
    )
    assert response.url == (
        reverse("bureau:phase_review", args=[second.pk]) + "?carry_page=1#carry-heading"
    )
    assert carried(second) == {
        page_one[0]: EntryDecision.APPROVED,
        page_one[1]: EntryDecision.REJECTED,
    }
    # Page two's post is untouched by it, then decided on its own page.
    world.client.post(url, {"shown": [page_two], "postings": [page_two], "carry_page": "2"})
    assert carried(second)[page_two] == EntryDecision.APPROVED
    assert carried(second)[page_one[1]] == EntryDecision.REJECTED

    # One tap for all of them, either way.
    world.client.post(url, {"all": "carry", "carry_page": "2"})
    assert set(carried(second).values()) == {EntryDecision.APPROVED}
    assert len(carried(second)) == 3
    world.client.post(url, {"all": "drop"})
    assert set(carried(second).values()) == {EntryDecision.REJECTED}


def test_a_page_cannot_carry_what_is_not_a_candidate(world):  # noqa: F811
    second = create_next(world, carry=False)
    url = reverse("bureau:phase_carry", args=[second.pk])
    # A closed post is not a candidate: naming it among the shown ones changes nothing.
    response = world.client.post(
        url, {"shown": [world.closed.pk], "postings": [world.closed.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "不在可用的选项中" in response.content.decode()
    assert carried(second) == {}


def test_a_small_carry_list_is_one_form_without_paging(world):  # noqa: F811
    second = create_next(world, carry=False)
    section = carry_section(review(world, second))
    assert len(shown_ids(section)) == 3
    assert "carry_page=2" not in section and "全部不延续" not in section
    assert "保存延续选择" in section


def test_what_changed_is_counted_whole_and_listed_in_part(world, monkeypatch):  # noqa: F811
    second = create_next(world)  # carries the three open posts
    changes = phase_changes.phase_changes(second, listed=1)
    # Carried: kept, dropped, b_post; withdrawn: closed, expired, gone.
    assert changes.counts == {"new": 0, "carried": 3, "withdrawn": 3, "taken_down": 0}
    assert len(changes.carried) == 1 and len(changes.withdrawn) == 1
    assert changes.unlisted == {"new": 0, "carried": 2, "withdrawn": 2, "taken_down": 0}
    whole = phase_changes.phase_changes(second)
    assert {r.title for r in whole.withdrawn} == {
        world.closed.title,
        world.expired.title,
        world.gone.title,
    }
    monkeypatch.setattr(phase_changes, "CHANGES_LISTED", 1)
    html = review(world, second)
    assert html.count("另有 2 个岗位未列出") == 2


def test_the_review_page_costs_the_same_queries_for_many_candidates(world):  # noqa: F811
    second = create_next(world, carry=False)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            review(world, second)
        return len(captured)

    few = queries()
    more_open_postings(world, 12)
    assert queries() == few


@pytest.fixture
def employer_client(personas):
    client = Client()
    client.force_login(personas.employer_a_staff)
    return client


def dashboard(client, **params):
    return client.get(reverse("employers:dashboard"), params).content.decode()


def test_an_employer_with_many_posts_sees_them_a_page_at_a_time(
    employer_client, personas, monkeypatch
):
    monkeypatch.setattr(employer_views, "DASHBOARD_PAGE_SIZE", 3)
    employer = personas.employer_a
    live = [make_posting(employer, title=f"收银员{i}", status=PostingStatus.LIVE) for i in range(4)]
    closed = make_posting(employer, title="已结束的帮厨岗位", status=PostingStatus.CLOSED)
    draft = make_posting(employer, title="还没写完的草稿")
    Application.objects.create(posting=live[3], seeker=personas.seeker_a)

    first = dashboard(employer_client)
    # Every status counted, with a link to each; recruiting posts first, three a page.
    assert "全部（6）" in first and "招聘中（4）" in first and "已结束（1）" in first
    assert len(re.findall(r'<li><a href="/employer/postings/\d+/">', first)) == 3
    assert "page=2#postings-heading" in first and closed.title not in first
    last = dashboard(employer_client, page=2)
    assert closed.title in last and draft.title in last
    # One status at a time.
    only_closed = dashboard(employer_client, status="closed")
    assert closed.title in only_closed and live[0].title not in only_closed
    # The posts with new applications, from the "waiting" line.
    assert 'href="/employer/postings/' in first and "1 份新申请等待查看" in first
    waiting = dashboard(employer_client, waiting="1")
    assert live[3].title in waiting and live[0].title not in waiting
    # A made-up status shows everything, not an error.
    assert "全部（6）" in dashboard(employer_client, status="nonsense")


def test_the_employer_dashboard_costs_the_same_queries_for_many_posts(employer_client, personas):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            dashboard(employer_client)
        return len(captured)

    make_posting(personas.employer_a, status=PostingStatus.LIVE)
    few = queries()
    for i in range(15):
        posting = make_posting(personas.employer_a, title=f"岗位{i}", status=PostingStatus.LIVE)
        Application.objects.create(posting=posting, seeker=personas.seeker_a)
    assert Posting.objects.filter(employer=personas.employer_a).count() == 16
    assert queries() == few


def test_carrying_over_costs_the_same_queries_for_many_posts(world):  # noqa: F811
    """A province carries thousands of posts over: the entries and their audit lines are
    written in a few statements, not one or two per post."""
    from directory.catalog.services import phase_carry_over
    from directory.models import AuditEntry

    def carry_all(phase):
        with CaptureQueriesContext(connection) as captured:
            carried_n, dropped = phase_carry_over(
                phase=phase, posting_ids=None, by=world.p.bureau_inside
            )
        return len(captured), carried_n

    second = create_next(world, carry=False)
    few, n_few = carry_all(second)
    assert n_few == 3 and len(carried(second)) == 3
    more_open_postings(world, 12)
    lines_before = AuditEntry.objects.count()
    many, n_many = carry_all(second)  # the three already carried are left as they are
    assert n_many == 15 and set(carried(second).values()) == {EntryDecision.APPROVED}
    assert len(carried(second)) == 15
    assert AuditEntry.objects.count() - lines_before == 12  # a line per change, as before
    assert many == few


def test_one_kind_of_post_needs_no_status_links(employer_client, personas):
    for n in range(2):
        make_posting(personas.employer_a, title=f"帮厨{n}", status=PostingStatus.LIVE)
    page = dashboard(employer_client)
    assert "招聘中（2）" in page and "全部（2）" not in page
    make_posting(personas.employer_a, title="草稿")
    assert "全部（3）" in dashboard(employer_client)
