"""The search caches (directory/search/cache.py, momjobs/lib/search_version.py): what changes the
findable postings shows at once; nothing leaks across languages or people."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.catalog import services as directory_services
from directory.models import PhaseStatus
from directory.moderation import services as moderation
from directory.search import cache as search_cache
from directory.search.filters import PostingFilter
from employers import services as employer_services
from employers.models import Posting, PostingRevision
from momjobs.users.models import SeekerProfile
from tests.factories import make_bureau, make_phase, make_posting, publish

pytestmark = pytest.mark.django_db

# Derandomised and bounded, like tests/test_fuzz.py's "ci" profile.
fuzz = settings(
    derandomize=True,
    database=None,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CARD_TITLE = re.compile(r'id="posting-\d+-title"><a href="/(?:en/)?jobs/\d+/"[^>]*>([^<]+)</a>')


@pytest.fixture
def live(personas):
    p = personas
    postings = {
        "kefu": make_posting(p.employer_a, title="电话客服", description="接听热线电话。"),
        "cleaner": make_posting(
            p.employer_b, title="家政保洁", description="上门保洁。", sector="domestic"
        ),
        # Paid by the piece: no hourly pay, so any pay floor, even 0, leaves it out.
        "beads": make_posting(
            p.employer_b,
            title="居家串珠",
            description="在家串珠，计件结算。",
            work_form="piece_rate",
            pay_unit="piece",
            pay_min=Decimal("0.5"),
            pay_max=Decimal("1"),
            schedule=[],
            flexible_hours=True,
        ),
    }
    publish(make_phase(p.qingdao, status=PhaseStatus.IN_REVIEW), list(postings.values()))
    return postings


def titles(client, path=None, **params):
    response = client.get(path or reverse("job_list"), params)
    assert response.status_code == 200
    return set(CARD_TITLE.findall(response.content.decode()))


def api_titles(client, **params):
    return {r["title"] for r in client.get(reverse("api_postings"), params).json()["results"]}


def queries_of(client, path, params=None):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params or {}).status_code == 200
    return [q["sql"] for q in captured]


# -- the caches are used ------------------------------------------------------------------------


def test_an_anonymous_page_is_served_from_the_cache(client, live):
    first = client.get(reverse("job_list"), {"q": "客服"})
    assert queries_of(client, reverse("job_list"), {"q": "客服"}) == []
    again = client.get(reverse("job_list"), {"q": "客服"})
    # Each answer carries its own nonce, in the header and in the page alike.
    nonces = []
    for response in (first, again):
        header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{header}"'.encode() in response.content
        assert b"\x00" not in response.content
        nonces.append(header)
        # Who is asking decides what the page shows: shared caches must keep them apart.
        assert "Cookie" in response["Vary"] and "X-Partial" in response["Vary"]
    assert nonces[0] != nonces[1]
    assert CARD_TITLE.findall(first.content.decode()) == CARD_TITLE.findall(again.content.decode())


def test_results_are_shared_by_the_page_the_api_and_both_languages(client, live):
    titles(client, q="客服", region="370200")
    english = queries_of(client, "/en/jobs/", {"q": "客服", "region": "370200"})
    api = queries_of(client, reverse("api_postings"), {"region": "370200", "q": " 客服 "})
    for sql in english + api:
        # Only the page's postings by id (and the region check), never the search again.
        assert "ts_rank" not in sql and "@@" not in sql, sql
    assert api_titles(client, q="客服", region="370200") == {"电话客服"}


def test_the_partial_and_the_full_page_are_cached_apart(client, live):
    full = client.get(reverse("job_list"), {"q": "客服"}).content.decode()
    part = client.get(reverse("job_list"), {"q": "客服"}, headers={"X-Partial": "results"})
    assert part.content.decode().lstrip().startswith("<section")
    assert "<html" in client.get(reverse("job_list"), {"q": "客服"}).content.decode()
    assert "<html" in full


# -- what changes the findable postings shows at once ----------------------------------------------


def test_a_published_phase_shows_at_once(client, live, personas):
    assert titles(client, q="帮厨") == set()
    assert api_titles(client, q="帮厨") == set()
    assert "共 3 个岗位" in client.get(reverse("job_list")).content.decode()
    new = make_posting(personas.employer_a, title="早餐店帮厨")
    bureau = make_bureau("370200", name="另一个人社局")
    publish(make_phase(bureau, status=PhaseStatus.IN_REVIEW), [new])
    assert titles(client, q="帮厨") == {"早餐店帮厨"}
    assert api_titles(client, q="帮厨") == {"早餐店帮厨"}
    assert "共 4 个岗位" in client.get(reverse("job_list")).content.decode()
    # The new phase is offered as a filter at once too.
    assert "另一个人社局妈妈岗目录（第1批）" in client.get(reverse("job_list")).content.decode()


def test_a_closed_posting_disappears_at_once(client, live, personas):
    assert titles(client, q="客服") == {"电话客服"}
    assert api_titles(client, q="客服") == {"电话客服"}
    posting = Posting.objects.get(pk=live["kefu"].pk)
    employer_services.posting_close(posting=posting, by=personas.employer_a_staff)
    assert titles(client, q="客服") == set()
    assert api_titles(client, q="客服") == set()
    assert "共 2 个岗位" in client.get(reverse("job_list")).content.decode()


def test_a_taken_down_posting_disappears_at_once(client, live, personas):
    assert titles(client, region="370203") == {"家政保洁", "居家串珠"}
    moderation.posting_take_down(
        posting=live["cleaner"], by=personas.bureau_inside, reason="收取押金"
    )
    assert titles(client, region="370203") == {"居家串珠"}
    assert api_titles(client, region="370203") == {"居家串珠"}


def test_an_approved_change_is_searched_at_once(client, live, personas):
    assert titles(client, q="客服") == {"电话客服"}
    posting = live["kefu"]
    changed = Posting.objects.get(pk=posting.pk)
    changed.title = "网店美工"
    changed.description = "设计商品图片。"
    employer_services.posting_propose_change(
        posting=posting, changed=changed, by=personas.employer_a_staff
    )
    revision = PostingRevision.objects.get(posting=posting)
    assert titles(client, q="美工") == set()
    directory_services.revision_decide(revision=revision, approve=True, by=personas.bureau_inside)
    assert titles(client, q="美工") == {"网店美工"}
    assert titles(client, q="客服") == set()


def test_a_posting_past_its_date_is_gone_the_next_day(client, live, monkeypatch):
    today = timezone.localdate()
    Posting.objects.filter(pk=live["kefu"].pk).update(valid_through=today)
    assert titles(client, q="客服") == {"电话客服"}
    # No write happens at midnight: the day is part of the version.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timedelta(days=1))
    assert titles(client, q="客服") == set()
    assert api_titles(client, q="客服") == set()


def test_a_review_decision_on_a_post_not_yet_live_keeps_the_cache(live, personas):
    from directory.models import EntryDecision
    from momjobs.lib import search_version
    from tests.factories import add_entry

    phase = make_phase(personas.qingdao, number=2, status=PhaseStatus.IN_REVIEW)
    entry = add_entry(phase, make_posting(personas.employer_a), decision=EntryDecision.PENDING)
    before = search_version.current()
    directory_services.entry_decide(entry=entry, decision=EntryDecision.APPROVED)
    assert search_version.current() == before


# -- nothing leaks across languages or people ------------------------------------------------------


def test_languages_do_not_share_pages(client, live):
    # Literal paths: reverse() follows the language the last request left active.
    chinese = client.get("/jobs/", {"q": "客服"}).content.decode()
    english = client.get("/en/jobs/", {"q": "客服"}).content.decode()
    assert '<html lang="zh-Hans">' in chinese and '<html lang="en">' in english
    assert 'href="/en/jobs/' in english
    assert '<html lang="zh-Hans">' in client.get("/jobs/", {"q": "客服"}).content.decode()
    assert '<html lang="en">' in client.get("/en/jobs/", {"q": "客服"}).content.decode()


def test_a_signed_in_seekers_page_is_hers_alone(live, personas):
    profile = SeekerProfile.objects.get(user=personas.seeker_a)
    profile.free_windows = [{"days": [1, 2, 3, 4, 5], "start": "08:30", "end": "15:30"}]
    profile.save()
    anonymous, her = Client(), Client()
    her.force_login(personas.seeker_a)
    before = anonymous.get(reverse("job_list")).content.decode()
    mine = her.get(reverse("job_list")).content.decode()
    after = anonymous.get(reverse("job_list")).content.decode()
    # Hers: the one-tap link with her free hours, the sign-out form with its CSRF token.
    assert "fits=1-5%4008%3A30-15%3A30" in mine and "csrfmiddlewaretoken" in mine
    for page in (before, after):
        assert "fits=1-5%4008%3A30-15%3A30" not in page
        assert "csrfmiddlewaretoken" not in page
    # Nor is hers served from the visitors' page.
    assert "fits=1-5%4008%3A30-15%3A30" in her.get(reverse("job_list")).content.decode()


def test_a_visitor_with_a_session_is_not_served_the_shared_page(client, live):
    client.get(reverse("job_list"), {"q": "客服"})
    client.cookies["sessionid"] = "not-a-real-session"
    assert queries_of(client, reverse("job_list"), {"q": "客服"}) != []


def test_the_nonce_marker_typed_into_the_search_box_is_never_kept(client, live):
    """A stored page has the CSP nonce replaced by a marker; a search for the marker itself must
    never come back with a nonce where she typed it. The words are read first (control
    characters dropped), so the page no longer echoes the marker and may be kept."""
    params = {"q": "\x00csp-nonce\x00"}
    first = client.get(reverse("job_list"), params).content
    second = client.get(reverse("job_list"), params)
    for body in (first, second.content):
        assert b"\x00csp-nonce\x00" not in body
    from django.middleware.csp import get_nonce

    # The scripts of the page served second carry that request's nonce, as often as the first.
    first_nonce = first.split(b'nonce="')[1].split(b'"')[0]
    nonce = str(get_nonce(second.wsgi_request)).encode()
    assert second.content.count(nonce) == first.count(first_nonce) > 0


# -- results: large sets, deep pages ---------------------------------------------------------------


def test_count_and_deep_pages_beyond_the_cached_ids(client, personas, monkeypatch, settings):
    monkeypatch.setattr(search_cache, "RESULT_CAP", 4)
    settings.PAGE_SIZE = 2
    employer = personas.employer_a
    many = [
        make_posting(employer, title=f"客服{n}号", pay_min=Decimal(20 + n), pay_max=Decimal(40))
        for n in range(7)
    ]
    many.append(make_posting(employer, title="保洁", pay_min=Decimal(39), pay_max=Decimal(40)))
    publish(make_phase(personas.qingdao, status=PhaseStatus.IN_REVIEW), many)
    # 客服1号 to 客服6号 pay 21 an hour or more: 6 results, 2 a page, the first 4 cached.
    params = {"q": "客服", "pay_min": "21", "sort": "pay"}
    pages = []
    for number in (1, 2, 3, 4):
        html = client.get(reverse("job_list"), {**params, "page": number}).content.decode()
        assert "共 6 个岗位" in html
        pages.append(CARD_TITLE.findall(html))
    # Pages 1-2 come from the cached ids, 3 from the database: one order, every filter.
    assert [t for page in pages[:3] for t in page] == [f"客服{n}号" for n in range(6, 0, -1)]
    assert pages[3] == pages[2]  # past the last page: the last page
    body = client.get(reverse("api_postings"), {**params, "page": 3, "page_size": 2}).json()
    assert body["count"] == 6 and [r["title"] for r in body["results"]] == ["客服2号", "客服1号"]


def test_a_pay_floor_of_zero_is_a_search_of_its_own(client, live):
    # Piece rates have no hourly pay: any floor, even 0, leaves them out.
    assert "居家串珠" in api_titles(client)
    assert "居家串珠" not in api_titles(client, pay_min="0")
    assert "居家串珠" not in titles(client, pay_min="0")


@fuzz
@given(
    searches=st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "q": st.sampled_from(["客服", " 客服", "客服 电话", "保洁", "电话客服", "x"]),
                "region": st.sampled_from(["370200", "370202", "370203", "371300", "999999"]),
                "sector": st.sampled_from(["domestic", "catering", "bogus"]),
                "pay_min": st.sampled_from(["0", "20", "150", "abc"]),
                "pay_unit": st.sampled_from(["hour", "day", "month"]),
                "sort": st.sampled_from(["pay", "newest", "relevance", ""]),
                "school_run": st.sampled_from(["on", ""]),
            },
        ),
        min_size=1,
        max_size=4,
    )
)
def test_cached_results_are_the_searchs_own(client, live, searches):
    """Whatever came before, a search answers with its own results (no two searches share a
    cache entry unless the filters treat them alike)."""
    with transaction.atomic():
        # No filters first: what a search wrongly taken for "everything" would be served.
        for params in [{}, *searches] * 2:  # the second round from the cache
            body = client.get(reverse("api_postings"), params).json()
            expected = PostingFilter(params, queryset=Posting.objects.live()).qs
            assert body["count"] == expected.count()
            assert [r["id"] for r in body["results"]] == [p.pk for p in expected[:20]]
        transaction.set_rollback(True)


def test_the_cache_backend_keeps_one_client_per_pool():
    from django.core.cache import cache

    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    cache.set("one-client", [1, 2])
    assert cache.get_many(["one-client", "none"]) == {"one-client": [1, 2]}
