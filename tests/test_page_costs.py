"""What a public page costs does not grow with the number of postings (issue: every public page
fast at a million postings). Counted in SQL queries and read from the SQL itself, never timed
(timings live in bench/pages.py): the home page reads the live-post tally and never counts
postings, the phase list counts its entries once per search version, not per visit; a
published phase's figures are counted once (its snapshots never change); the employer
directory counts live posts for its page's employers only; pages and feeds travel
gzip-compressed, files do not."""

import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import PhaseStatus
from employers.models import Posting
from tests.factories import make_bureau, make_employer, make_phase, make_posting, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    bureau = make_bureau("370200")
    employers = [make_employer(f"青岛测试{i}有限公司", "370202") for i in range(3)]
    postings = [make_posting(e, title=f"帮厨{n}") for e in employers for n in range(2)]
    phase = publish(make_phase(bureau, status=PhaseStatus.IN_REVIEW), postings)
    return {"bureau": bureau, "employers": employers, "phase": phase}


def _more_postings(world, per_employer):
    phase = make_phase(world["bureau"], number=2, status=PhaseStatus.IN_REVIEW)
    postings = [
        make_posting(e, title=f"保洁{n}") for e in world["employers"] for n in range(per_employer)
    ]
    publish(phase, postings)


def _sql(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries]


def _posting_counts(sql):
    return [q for q in sql if "COUNT(" in q and '"employers_posting"' in q]


@pytest.mark.parametrize("name", ["home", "phase_list"])
def test_home_and_phase_list_count_posts_once_per_change(client, world, name):
    url = reverse(name)
    first = _sql(client, url)
    again = _sql(client, url)
    assert len(again) < len(first)
    if name == "home":
        # Home reads the live-post tally (LiveTally): it never counts the postings.
        assert not _posting_counts(first)
    assert not _posting_counts(again) and not [q for q in again if "employers_phaseentry" in q]
    # Publishing more posts changes the search version: the next visit counts them once.
    _more_postings(world, 3)
    page = client.get(url).content.decode()
    if name == "home":
        assert f"目前共有 {Posting.objects.live().count()} 个岗位在招" in page
    assert len(_sql(client, url)) == len(again)


def test_the_directory_counts_only_its_page_employers(client, world):
    url = reverse("employer_directory")
    small = _sql(client, url)
    _more_postings(world, 15)
    large = _sql(client, url)
    assert len(large) == len(small)
    counts = _posting_counts(large)
    assert len(counts) == 1 and '"employer_id" IN (' in counts[0]
    page = client.get(url).content.decode()
    for employer in world["employers"]:
        live = Posting.objects.live().filter(employer=employer).count()
        assert live >= 15
        assert f"招聘中的岗位：{live} 个" in page


def test_pages_travel_compressed_and_files_do_not(client, world):
    response = client.get(reverse("home"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "妈妈岗服务平台" in html
    plain = client.get(reverse("home"))
    assert not plain.has_header("Content-Encoding")
    feed = client.get(
        reverse("feed_catalog", args=[world["phase"].catalog_id]), HTTP_ACCEPT_ENCODING="gzip"
    )
    assert feed["Content-Encoding"] == "gzip"
    sheet = client.get(reverse("phase_xlsx", args=[world["phase"].pk]), HTTP_ACCEPT_ENCODING="gzip")
    assert sheet.status_code == 200 and not sheet.has_header("Content-Encoding")


def test_a_large_phase_is_paged_and_counted_in_sql(client, world):
    from directory.catalog.views import PHASE_PAGE_SIZE

    bureau = make_bureau("370300")
    employer = make_employer("淄博测试有限公司", "370302")
    postings = [make_posting(employer, title=f"客服{n}") for n in range(PHASE_PAGE_SIZE + 7)]
    phase = publish(make_phase(bureau, status=PhaseStatus.IN_REVIEW), postings)
    url = reverse("phase_detail", args=[phase.pk])
    first = client.get(url).content.decode()
    assert f"本批次共 {PHASE_PAGE_SIZE + 7} 个岗位" in first
    assert first.count('class="card entry"') == PHASE_PAGE_SIZE
    second = client.get(url + "?page=2").content.decode()
    assert second.count('class="card entry"') == 7 and 'start="51"' in second
    client.get(reverse("phase_detail", args=[world["phase"].pk]))  # its outcome totals kept
    small = _sql(client, reverse("phase_detail", args=[world["phase"].pk]) + "?page=1&x=1")
    large = _sql(client, url + "?x=1")
    assert len(large) == len(small)  # the same queries for 6 entries as for 57


def test_a_published_phase_is_counted_once_whatever_the_writes(client, world):
    """Its snapshots are frozen: after a write (the search version changes) the page is made
    again, but its totals and breakdowns are not counted again; each language labels them."""
    from momjobs.lib import search_version

    url = reverse("phase_detail", args=[world["phase"].pk])
    first = _sql(client, url)
    assert [q for q in first if "GROUP BY" in q and "snapshot" in q]
    search_version.bump()
    again = _sql(client, url)
    assert len(again) > 0  # the page was made again
    assert not [q for q in again if "GROUP BY" in q or "COUNT(" in q]
    assert "餐饮" in client.get(url).content.decode()
    english = client.get("/en" + url).content.decode()
    assert "Catering" in english and "餐饮服务" not in english
