"""Atom feeds per catalog and per region, their rel=alternate links on pages, the sitemap and
robots.txt."""

import datetime as dt
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from directory.catalog import services as directory_services
from directory.exports import feeds
from directory.models import EntryDecision, PhaseStatus
from directory.moderation import services as moderation
from directory.search import sitemaps
from employers.models import Posting, PostingStatus
from tests.factories import add_entry, make_employer, make_phase, make_posting

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://jobs.example.cn"
    return settings.SITE_URL


def published(bureau, postings, number=1):
    phase = make_phase(bureau, number=number, status=PhaseStatus.IN_REVIEW)
    for posting in postings:
        add_entry(phase, posting)
    return directory_services.phase_publish(phase=phase)


@pytest.fixture
def world(personas, site_url):
    """Qingdao: phase 1 (breakfast, cleaner), then phase 2 (breakfast carried on, lunch);
    a pending posting in phase 2; Linyi: one published posting."""
    a, b = personas.employer_a, personas.employer_b
    breakfast = make_posting(a, title="早餐店帮厨")
    cleaner = make_posting(b, title="保洁员")
    first = published(personas.qingdao, [breakfast, cleaner])
    lunch = make_posting(a, title="午餐帮厨")
    second = make_phase(personas.qingdao, number=2, status=PhaseStatus.IN_REVIEW)
    add_entry(second, lunch)
    add_entry(second, breakfast)
    pending = make_posting(b, title="待审核岗位")
    add_entry(second, pending, decision=EntryDecision.PENDING)
    second = directory_services.phase_publish(phase=second)
    # Publishing phase 2 may close phase 1's postings it does not list (docs/bureaus.md); the
    # cleaner is kept recruiting here so the region feeds have a posting from phase 1 only.
    Posting.objects.filter(pk=cleaner.pk).update(status=PostingStatus.LIVE)
    linyi = published(personas.linyi, [make_posting(make_employer("临沂甲食品", "371302"))])
    return {
        "first": first,
        "second": second,
        "linyi": linyi,
        "breakfast": breakfast,
        "cleaner": cleaner,
        "lunch": lunch,
        "pending": pending,
    }


def atom(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "summary", "link"):
            assert entry.find(f"{ATOM}{name}") is not None, name
    return root


def entries(root):
    return [
        (e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href"))
        for e in root.findall(f"{ATOM}entry")
    ]


def url(site_url, posting):
    return f"{site_url}/jobs/{posting.pk}/"


# -- catalog feed --------------------------------------------------------------------------------


def test_catalog_feed_lists_the_published_postings_newest_phase_first(client, world, site_url):
    catalog = world["second"].catalog
    root = atom(client.get(reverse("feed_catalog", args=[catalog.pk])))
    assert root.get(XML_LANG) == "zh-Hans"
    assert root.find(f"{ATOM}title").text == f"{catalog.name}：最新岗位"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == (
        f"{site_url}/feeds/catalogs/{catalog.pk}/"
    )
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        f"{site_url}/phases/{world['second'].pk}/"
    )
    found = entries(root)
    # Phase 2 first; the carried-over breakfast once; the pending posting and Linyi's not at all.
    assert [link for _title, link in found] == [
        url(site_url, world["breakfast"]),
        url(site_url, world["lunch"]),
        url(site_url, world["cleaner"]),
    ]
    assert found[1][0] == "午餐帮厨 · 青岛甲餐饮有限公司"
    summary = root.findall(f"{ATOM}entry")[1].find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text.startswith("薪酬：20–25 元/小时；工时：周一至周五 06:30-09:30；")
    assert "合同：非全日制书面协议；社保：仅工伤保险" in summary.text


def test_catalog_feed_shows_the_published_text_and_drops_taken_down_postings(
    client, world, personas
):
    Posting.objects.filter(pk=world["lunch"].pk).update(title="午餐帮厨（已改）")
    moderation.posting_take_down(
        posting=world["cleaner"], by=personas.bureau_inside, reason="收取押金"
    )
    root = atom(client.get(reverse("feed_catalog", args=[world["second"].catalog_id])))
    titles = [title for title, _link in entries(root)]
    assert titles == ["早餐店帮厨 · 青岛甲餐饮有限公司", "午餐帮厨 · 青岛甲餐饮有限公司"]


def test_catalog_feed_is_bounded(client, world, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_ITEMS", 2)
    root = atom(client.get(reverse("feed_catalog", args=[world["second"].catalog_id])))
    assert len(entries(root)) == 2


def test_catalog_feed_in_english(client, world, site_url):
    path = reverse("feed_catalog", args=[world["second"].catalog_id])
    root = atom(client.get(f"/en{path}"))
    assert root.get(XML_LANG) == "en"
    links = [link for _t, link in entries(root)]
    assert links == [
        f"{site_url}/en/jobs/{world[k].pk}/" for k in ("breakfast", "lunch", "cleaner")
    ]


def test_a_catalog_without_a_public_phase_has_no_feed(client, personas):
    phase = make_phase(personas.linyi, status=PhaseStatus.OPEN)
    assert client.get(reverse("feed_catalog", args=[phase.catalog_id])).status_code == 404
    assert client.get(reverse("feed_catalog", args=[987654])).status_code == 404


# -- region feed ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("370202", {"breakfast", "lunch"}),  # 市南区: employer A's district
        ("370200", {"breakfast", "lunch", "cleaner"}),  # Qingdao includes its districts
        ("370000", {"breakfast", "lunch", "cleaner", "linyi"}),  # and Shandong everything
        ("371300", {"linyi"}),
        ("110000", set()),
    ],
)
def test_region_feed_includes_everything_below_the_region(client, world, site_url, code, expected):
    linyi_posting = world["linyi"].entries.get().posting
    names = {url(site_url, world[k]): k for k in ("breakfast", "lunch", "cleaner", "pending")}
    names[url(site_url, linyi_posting)] = "linyi"
    root = atom(client.get(reverse("feed_region", args=[code])))
    assert {names[link] for _title, link in entries(root)} == expected


def test_region_feed_lists_live_postings_newest_first(client, world, site_url):
    lunch, cleaner = world["lunch"], world["cleaner"]
    Posting.objects.filter(pk=cleaner.pk).update(status=PostingStatus.CLOSED)
    Posting.objects.filter(pk=lunch.pk).update(published_at=timezone.now() + timedelta(hours=1))
    expired = make_posting(world["breakfast"].employer, title="过期岗位")
    Posting.objects.filter(pk=expired.pk).update(
        status=PostingStatus.LIVE,
        published_at=timezone.now(),
        valid_through=timezone.localdate() - timedelta(days=1),
    )
    root = atom(client.get(reverse("feed_region", args=["370200"])))
    assert root.find(f"{ATOM}title").text == "山东省青岛市：正在招聘的妈妈岗"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        f"{site_url}/jobs/?region=370200"
    )
    assert [link for _t, link in entries(root)] == [
        url(site_url, lunch),
        url(site_url, world["breakfast"]),
    ]


def test_an_unknown_region_has_no_feed(client, world):
    assert client.get(reverse("feed_region", args=["999999"])).status_code == 404


def test_feed_text_is_escaped(client, personas, site_url):
    posting = make_posting(
        personas.employer_a, title="帮厨 <b>急招</b> & 包餐", address="<script>x</script>路1号"
    )
    published(personas.qingdao, [posting])
    response = client.get(reverse("feed_region", args=["370202"]))
    root = atom(response)
    # The title is Atom text: the reader shows it as written.
    assert entries(root)[0][0] == "帮厨 <b>急招</b> & 包餐 · 青岛甲餐饮有限公司"
    # The summary is HTML: the employer's markup arrives escaped, as text.
    summary = root.find(f"{ATOM}entry/{ATOM}summary").text
    assert "&lt;script&gt;x&lt;/script&gt;路1号" in summary and "<script>" not in summary
    assert b"<b>" not in response.content and b"<script>" not in response.content


# -- rel=alternate links and visible links on pages ------------------------------------------------


def alternates(html):
    return [
        line
        for line in html.split("<link ")
        if line.startswith('rel="alternate" type="application/atom+xml"')
    ]


def test_pages_link_their_feeds(client, world):
    catalog = world["second"].catalog
    catalog_feed = reverse("feed_catalog", args=[catalog.pk])
    linyi_feed = reverse("feed_catalog", args=[world["linyi"].catalog_id])

    home = client.get(reverse("home")).content.decode()
    assert len(alternates(home)) == 2
    assert f'href="{catalog_feed}"' in home and f'href="{linyi_feed}"' in home
    # Feeds are for machines: the home page offers mothers the email instead (the <link>s stay).
    assert "订阅 RSS/Atom" not in home and "有新岗位时发邮件告诉我" in home

    search = alternates(client.get(reverse("job_list")).content.decode())
    assert len(search) == 2
    assert f'href="{catalog_feed}"' in search[0] + search[1]
    assert f'href="{linyi_feed}"' in search[0] + search[1]

    region_feed = reverse("feed_region", args=["370200"])
    filtered = client.get(reverse("job_list"), {"region": "370200"}).content.decode()
    assert len(alternates(filtered)) == 1 and f'href="{region_feed}"' in alternates(filtered)[0]
    assert f'<a href="{region_feed}" type="application/atom+xml">' in filtered
    assert "订阅“山东省青岛市”的新岗位（RSS/Atom）" in filtered

    # A region that does not exist: the catalogs' feeds, no error.
    unknown = client.get(reverse("job_list"), {"region": "999999"})
    assert unknown.status_code == 200
    assert len(alternates(unknown.content.decode())) == 2

    phase_page = client.get(reverse("phase_detail", args=[world["first"].pk])).content.decode()
    assert len(alternates(phase_page)) == 1 and f'href="{catalog_feed}"' in phase_page

    printed = client.get(reverse("phase_print", args=[world["first"].pk])).content.decode()
    assert f'href="{catalog_feed}"' in alternates(printed)[0]


# -- sitemap, robots.txt -------------------------------------------------------------------------


def locations(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    return root, [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_index_lists_every_section(client, world, site_url):
    root, locs = locations(client.get("/sitemap.xml"))
    assert root.tag == f"{SITEMAP}sitemapindex"
    assert locs == [
        f"{site_url}/sitemap-pages.xml",
        f"{site_url}/sitemap-phases.xml",
        f"{site_url}/sitemap-postings.xml",
    ]


def test_sitemap_lists_live_postings_only(client, world, site_url):
    Posting.objects.filter(pk=world["cleaner"].pk).update(status=PostingStatus.TAKEN_DOWN)
    draft = make_posting(world["breakfast"].employer, title="草稿")
    root, locs = locations(client.get("/sitemap-postings.xml"))
    assert locs == [url(site_url, world["breakfast"]), url(site_url, world["lunch"])] + [
        url(site_url, world["linyi"].entries.get().posting)
    ]
    assert url(site_url, draft) not in locs and url(site_url, world["pending"]) not in locs
    first = root.find(f"{SITEMAP}url")
    hreflangs = {link.get("hreflang"): link.get("href") for link in first.findall(f"{XHTML}link")}
    assert hreflangs == {
        "zh-hans": url(site_url, world["breakfast"]),
        "en": f"{site_url}/en/jobs/{world['breakfast'].pk}/",
    }
    # Its last change, the day in Beijing: 17:30 UTC is already the next day there.
    Posting.objects.filter(pk=world["breakfast"].pk).update(
        updated_at=dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)
    )
    cache.clear()
    root, _locs = locations(client.get("/sitemap-postings.xml"))
    assert root.find(f"{SITEMAP}url").find(f"{SITEMAP}lastmod").text == "2026-03-02"


def test_sitemap_pages_postings_in_chunks(client, world, site_url, monkeypatch):
    # Pages by ranges of ids (directory/search/sitemaps.py PkRangePaginator): at most `limit`
    # URLs a page, every live posting on exactly one page, the index lists every page.
    monkeypatch.setattr(sitemaps.PostingSitemap, "limit", 3)
    _root, locs = locations(client.get("/sitemap.xml"))
    pages = [loc for loc in locs if "sitemap-postings.xml" in loc]
    last = max(Posting.objects.values_list("pk", flat=True))
    assert len(pages) == -(-last // 3) and f"{site_url}/sitemap-postings.xml?p=2" in pages
    seen = []
    for number in range(1, len(pages) + 1):
        _root, page = locations(client.get("/sitemap-postings.xml", {"p": number}))
        assert len(page) <= 3
        seen += page
    assert len(seen) == len(set(seen)) == Posting.objects.live().count()
    assert client.get("/sitemap-postings.xml", {"p": len(pages) + 1}).status_code == 404
    assert client.get("/sitemap-postings.xml", {"p": "x"}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_pages_and_phases_in_both_languages(client, world, site_url, personas):
    make_phase(personas.qingdao, number=3, status=PhaseStatus.OPEN)
    _root, pages = locations(client.get("/sitemap-pages.xml"))
    assert {f"{site_url}/", f"{site_url}/en/", f"{site_url}/jobs/", f"{site_url}/phases/"} <= set(
        pages
    )
    _root, phases = locations(client.get("/sitemap-phases.xml"))
    public = [world["first"], world["second"], world["linyi"]]
    assert sorted(phases) == sorted(
        [f"{site_url}/phases/{p.pk}/" for p in public]
        + [f"{site_url}/en/phases/{p.pk}/" for p in public]
    )


def test_robots_txt_points_to_the_sitemap(client, site_url):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert f"Sitemap: {site_url}/sitemap.xml" in text.splitlines()
    assert "Disallow: /bureau/" in text and "Disallow: /en/employer/" in text
    assert "Disallow: /jobs/" not in text
