import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import PhaseStatus
from employers.models import Posting
from momjobs.users.models import SeekerProfile
from tests.factories import make_bureau, make_employer, make_phase, make_posting, publish

pytestmark = pytest.mark.django_db

WEEKDAY_MORNING = [{"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "12:00"}]
EVENING = [{"days": [1, 2, 3, 4, 5], "start": "18:00", "end": "21:00"}]


@pytest.fixture
def catalog(db):
    bureau = make_bureau("370200")
    south = make_employer("青岛南区客服有限公司", "370202")
    north = make_employer("青岛北区家政服务有限公司", "370203")
    linyi = make_employer("临沂电商有限公司", "371302")
    postings = {
        "kefu": make_posting(
            south,
            title="客服专员",
            description="接听热线电话，处理咨询。",
            sector="customer_service",
            schedule=WEEKDAY_MORNING,
            contract="labour",
            insurance="full",
            pay_min=Decimal("25"),
            pay_max=Decimal("30"),
        ),
        "online": make_posting(
            south,
            title="网络客服",
            description="在线回复顾客消息，居家办公。",
            sector="customer_service",
            place="home",
            schedule=EVENING,
            school_run=False,
            weekends_off=True,
        ),
        "anchor": make_posting(
            linyi,
            title="电商主播",
            description="在直播间介绍本地农产品，带货。",
            sector="ecommerce",
            work_form="hourly",
            schedule=EVENING,
            school_run=False,
            pay_min=Decimal("30"),
            pay_max=Decimal("40"),
        ),
        "cleaner": make_posting(
            north,
            title="家政保洁员",
            description="上门保洁，时间自选。",
            sector="domestic",
            schedule=[],
            flexible_hours=True,
            no_forced_overtime=True,
            childcare_leave=True,
        ),
        "monthly": make_posting(
            north,
            title="育儿嫂",
            description="白天照看婴儿。",
            sector="domestic",
            work_form="full_time",
            pay_unit="month",
            pay_min=Decimal("5220"),
            pay_max=Decimal("6000"),
            schedule=[{"days": [1, 2, 3, 4, 5], "start": "08:00", "end": "16:00"}],
        ),
    }
    publish(make_phase(bureau, status=PhaseStatus.IN_REVIEW), list(postings.values()))
    # Not live: never found.
    make_posting(south, title="客服草稿")
    return postings


def titles(client, **params):
    response = client.get(reverse("job_list"), params)
    assert response.status_code == 200
    return set(
        re.findall(
            r'id="posting-\d+-title"><a href="/jobs/\d+/"[^>]*>([^<]+)</a>',
            response.content.decode(),
        )
    )


def test_chinese_words_are_segmented(client, catalog):
    assert titles(client, q="客服") == {"客服专员", "网络客服"}
    assert titles(client, q="电商直播") == {"电商主播"}
    assert titles(client, q="保洁") == {"家政保洁员"}
    assert titles(client, q="客服 居家") == {"网络客服"}


def test_relevance_ranks_title_matches_first(client, catalog):
    html = client.get(reverse("job_list"), {"q": "客服"}).content.decode()
    assert html.index("客服专员") < html.index("家政保洁员") if "家政保洁员" in html else True


def test_region_includes_everything_below(client, catalog):
    assert titles(client, region="370200") == {"客服专员", "网络客服", "家政保洁员", "育儿嫂"}
    assert titles(client, region="370000") == {
        "客服专员",
        "网络客服",
        "家政保洁员",
        "育儿嫂",
        "电商主播",
    }
    assert titles(client, region="370203") == {"家政保洁员", "育儿嫂"}


def test_fits_my_free_hours(client, catalog):
    # Free on weekday mornings: the morning post and the self-chosen-hours post fit.
    assert titles(client, fits="1-5@08:30-12:30") == {"客服专员", "家政保洁员"}
    assert titles(client, fits="1-5@08:00-21:00") == {
        "客服专员",
        "网络客服",
        "电商主播",
        "家政保洁员",
        "育儿嫂",
    }
    # Free only on Monday: a Monday-to-Friday post does not fit.
    assert titles(client, fits="1@08:00-22:00") == {"家政保洁员"}


def test_count_and_pagination_honour_fits(client, catalog, settings):
    settings.PAGE_SIZE = 1
    response = client.get(reverse("job_list"), {"fits": "1-5@08:30-12:30"})
    html = response.content.decode()
    assert "共 2 个岗位" in html
    assert "fits=1-5%4008%3A30-12%3A30&amp;page=2" in html


def test_rights_and_accommodation_filters(client, catalog):
    assert titles(client, contract="labour") == {"客服专员"}
    assert titles(client, insurance="full") == {"客服专员"}
    assert titles(client, weekends="on") == {"网络客服"}
    assert titles(client, no_overtime="on", childcare_leave="on") == {"家政保洁员"}
    assert "网络客服" not in titles(client, school_run="on")
    assert titles(client, place="home") == {"网络客服"}
    assert titles(client, form="hourly") == {"电商主播"}
    assert titles(client, sector="domestic") == {"家政保洁员", "育儿嫂"}


def test_pay_is_compared_like_with_like(client, catalog):
    # 育儿嫂: 5220/month over 40 h/week = 173.3 h/month -> 30.12/h.
    assert titles(client, pay_min="30") == {"电商主播", "育儿嫂"}
    # 5220 a month in a standard 174-hour month is 30/h: the same posts.
    assert titles(client, pay_min="5220", pay_unit="month") == {"电商主播", "育儿嫂"}
    assert titles(client, pay_min="240", pay_unit="day") == {"电商主播", "育儿嫂"}
    html = client.get(reverse("job_list")).content.decode()
    assert "21.75" in html  # the page says how monthly pay is compared


def test_sort_by_pay(client, catalog):
    html = client.get(reverse("job_list"), {"sort": "pay"}).content.decode()
    order = re.findall(r'id="posting-\d+-title"><a href="/jobs/\d+/"[^>]*>([^<]+)</a>', html)
    # 育儿嫂: 5220/month at 40 h a week is 30.12/h, just above the anchor's 30/h.
    assert order[:2] == ["育儿嫂", "电商主播"]


def test_phase_filter(client, catalog):
    other = make_phase(make_bureau("371300"), status=PhaseStatus.IN_REVIEW)
    publish(other, [make_posting(make_employer(region_code="371302"), title="手工编织")])
    assert titles(client, phase=str(other.pk)) == {"手工编织"}


def test_bad_input_keeps_the_other_filters(client, catalog):
    for params in [
        {"q": "x" * 10000, "sector": "domestic"},
        {"q": "😀<script>alert(1)</script>", "sector": "domestic"},
        {"q": "'; DROP TABLE employers_posting; --", "sector": "domestic"},
        {"fits": "every day", "sector": "domestic"},
        {"region": "999999", "sector": "domestic"},
        {"pay_min": "lots", "sector": "domestic"},
        {"page": "999999", "sector": "domestic"},
        {"phase": "abc", "sector": "domestic"},
        {"sort": "random", "sector": "domestic"},
    ]:
        response = client.get(reverse("job_list"), params)
        assert response.status_code == 200, params
        html = response.content.decode()
        assert "<script>alert" not in html
        if "q" not in params:
            assert "家政保洁员" in html or "育儿嫂" in html, params
    html = client.get(reverse("job_list"), {"fits": "every day"}).content.decode()
    assert "看不懂“every day”" in html
    html = client.get(reverse("job_list"), {"region": "999999"}).content.decode()
    assert "没有找到地区代码" in html
    # What a phone keyboard in Chinese mode types: full-width digits, spaces.
    typed = client.get(reverse("job_list"), {"region": " ３７０２００ "})
    plain = client.get(reverse("job_list"), {"region": "370200"})
    assert typed.context["page"].paginator.count == plain.context["page"].paginator.count > 0
    assert "没有找到地区代码" not in typed.content.decode()


def test_no_results_suggests_dropping_the_most_restrictive_filter(client, catalog):
    html = client.get(
        reverse("job_list"), {"q": "保洁", "sector": "customer_service"}
    ).content.decode()
    assert "共 0 个岗位" in html
    assert "去掉“关键词”这个条件后有 2 个岗位" in html
    assert "sector=customer_service" in html


def test_the_suggestion_says_more_than_where_it_stopped_counting(client, catalog, monkeypatch):
    from directory.search import filters

    monkeypatch.setattr(filters, "RELAX_CAP", 2)  # 100 in use
    html = client.get(reverse("job_list"), {"q": "客服", "sector": "domestic"}).content.decode()
    assert "共 0 个岗位" in html
    assert "去掉“关键词”这个条件后有 2 多个岗位" in html


def test_signed_in_seeker_fills_fits_from_her_profile(client, catalog, personas):
    profile = SeekerProfile.objects.get(user=personas.seeker_a)
    profile.free_windows = [{"days": [1, 2, 3, 4, 5], "start": "08:30", "end": "15:30"}]
    profile.save()
    client.force_login(personas.seeker_a)
    html = client.get(reverse("job_list")).content.decode()
    assert "fits=1-5%4008%3A30-15%3A30" in html


def test_partial_returns_only_the_results(client, catalog):
    response = client.get(reverse("job_list"), {"q": "客服"}, HTTP_X_PARTIAL="results")
    html = response.content.decode()
    assert html.lstrip().startswith('<section aria-labelledby="results-heading"')
    assert "<html" not in html and "客服专员" in html


def test_results_page_query_count_is_constant(client, catalog, settings):
    settings.PAGE_SIZE = 50
    employer = make_employer(region_code="370202")
    bureau = make_bureau("370200", name="第二个人社局")
    publish(
        make_phase(bureau, status=PhaseStatus.IN_REVIEW),
        [make_posting(employer, title=f"批量岗位{n}", description="批量") for n in range(45)],
    )

    def queries(params):
        with CaptureQueriesContext(connection) as context:
            html = client.get(reverse("job_list"), params).content.decode()
        return len(context.captured_queries), html.count('class="card posting-card"')

    # Another search first, so that what every page reads once a while (the feed links) is
    # read; the two measured searches are new to the result and page caches.
    queries({"sort": "pay", "q": "保洁"})
    one, cards = queries({"q": "客服专员"})
    assert cards == 1
    fifty, cards = queries({})
    assert cards == 50
    assert one == fifty


def test_posts_that_say_the_word_as_typed_come_first(client, db):
    """服务员 needs only 服务 (what jieba finds in 家政服务, 客户服务 …), so every post that says
    服务 matches; the ones that say 服务员 are listed first, whatever else ranks the others. And
    the result cache keeps 服务 and 服务员 apart although they need the same word."""
    employer = make_employer(region_code="370202")
    other = make_posting(
        employer,
        title="家政服务保洁",
        description="上门服务，服务社区，服务周到，服务时间灵活，为家庭提供保洁服务。",
    )
    waiter = make_posting(employer, title="餐厅服务员", description="负责点餐和上菜。")
    publish(make_phase(make_bureau("370200"), status=PhaseStatus.IN_REVIEW), [other, waiter])

    def titles(q):
        page = client.get(reverse("job_list"), {"q": q}).context["page"]
        return [p.title for p in page.object_list]

    assert titles("服务") == ["家政服务保洁", "餐厅服务员"]  # by rank: 服务 six times
    assert titles("服务员") == ["餐厅服务员", "家政服务保洁"]
    api = client.get("/api/v1/postings/", {"q": "服务员"}).json()
    assert [r["title"] for r in api["results"]] == ["餐厅服务员", "家政服务保洁"]
    # A piece that only bridges two others is not required: 货主 in 带货主播.
    apart = make_posting(employer, title="直播带货", description="招聘主播，会带货。")
    publish(make_phase(make_bureau("370200", name="第二批"), status=PhaseStatus.IN_REVIEW), [apart])
    assert "直播带货" in titles("带货主播")


def test_cards_show_the_quality_badges_against_the_local_minimum_wage(client, db):
    """Each result card carries the posting page's badges: the good ones, and the warnings (pay
    below the region's minimum, no insurance, …), measured against the standard in force for its
    district, inherited from its city (one query for the page)."""
    from momjobs.regions.models import MinimumWage, Region

    MinimumWage.objects.create(
        region=Region.objects.get(code="370200"), hourly="22.20", effective_from="2020-01-01"
    )
    employer = make_employer(region_code="370202")
    good = make_posting(
        employer,
        title="门店收银员",
        pay_min=Decimal("25"),
        pay_max=Decimal("28"),
        contract="labour",
        insurance="full",
        training=True,
        career_route="可转全职店长",
    )
    poor = make_posting(
        employer, title="超市理货员", pay_min=Decimal("18"), pay_max=Decimal("20"), insurance="none"
    )
    publish(make_phase(make_bureau("370200"), status=PhaseStatus.IN_REVIEW), [good, poor])
    response = client.get(reverse("job_list"), {"region": "370200", "sort": "pay"})
    cards = {p.title: p.quality for p in response.context["page"].object_list}
    good_labels = {b.label for b in cards["门店收银员"] if b.good}
    assert {"不低于当地最低工资", "五险齐全", "提供培训", "有转正/晋升通道"} <= good_labels
    bad_labels = {b.label for b in cards["超市理货员"] if not b.good}
    assert {"低于当地最低工资标准", "无社会保险"} <= bad_labels
    html = response.content.decode()
    # Warnings always shown, good points on one line (nothing twice: no separate tags).
    # (门店收银员 has nothing to warn about: only 超市理货员's card has a warning line.)
    assert html.count('class="bad-line"') == 1 and html.count('class="good-line one-line"') == 2
    assert "低于当地最低工资标准" in html and "五险齐全" in html
    english = client.get("/en" + reverse("job_list"), {"region": "370200"}).content.decode()
    assert "Below the local minimum wage" in english


def bulk_live_postings(count, row):
    """`count` live part-time postings made with prepare() and bulk_create, as an import does;
    `row(n)` gives (employer, title, description). Returns them."""
    rows = []
    for n in range(count):
        employer, title, description = row(n)
        posting = Posting(
            employer=employer,
            region=employer.region,
            title=title,
            description=description,
            sector="catering",
            openings=1,
            work_form="part_time",
            schedule=WEEKDAY_MORNING,
            pay_min=20,
            pay_max=25,
            pay_unit="hour",
            contract="labour",
            insurance="full",
            status="live",
        )
        rows.append(posting.prepare())
    return Posting.objects.bulk_create(rows)


def test_full_text_uses_the_gin_index(db):
    employer = make_employer()
    filler = (
        "负责早餐备料、出餐和收拾餐具，门店离地铁站近，工作时间固定，适合需要接送孩子的家长。" * 4
    )
    bulk_live_postings(
        4000,
        lambda n: (
            employer,
            f"早餐店帮厨{n}",
            filler + ("热线客服" if n % 200 == 0 else "备料出餐"),
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE employers_posting")
    from directory.search.filters import PostingFilter, live_postings

    qs = PostingFilter({"q": "客服"}, queryset=live_postings()).qs
    assert qs.count() == 20
    plan = qs.explain()
    assert "posting_search_gin" in plan, plan


def test_a_word_in_a_region_is_one_lookup_in_the_text_index(db):
    """Each posting's text carries its region and the regions above it (rgn370000 rgn370200
    rgn370202): a word in a city is one GIN lookup, even a word found in most posts, and the
    answer is the same as testing the region's ids (docs/performance.md, "The plans")."""
    from directory.search.filters import PostingFilter

    big, small = make_employer(region_code="370203"), make_employer(region_code="370202")
    rows = bulk_live_postings(
        4000,
        lambda n: (
            small if n % 40 == 0 else big,  # 100 of the 4,000 in the small district
            f"社区服务员{n}",
            "为社区居民提供服务。" + ("熟悉收银" if n % 80 == 0 else "负责保洁"),
        ),
    )
    assert rows[1].search_text.endswith(" rgn370000 rgn370200 rgn370203")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE employers_posting")

    common = PostingFilter({"q": "服务", "region": "370202"}, queryset=Posting.objects.live()).qs
    plan = common.explain()
    assert "posting_search_gin" in plan and "region_id" not in plan, plan
    assert common.count() == 100
    expected = {f"社区服务员{n}" for n in range(0, 4000, 80)}
    rare = PostingFilter({"q": "服务 收银", "region": "370202"}, queryset=Posting.objects.live())
    assert {p.title for p in rare.qs} == expected
    # A city holds its districts; another city holds none of them.
    city = PostingFilter({"q": "收银", "region": "370200"}, queryset=Posting.objects.live()).qs
    assert city.count() == 50
    other = PostingFilter({"q": "收银", "region": "370100"}, queryset=Posting.objects.live()).qs
    assert other.count() == 0
    # Without words the region is the list of its ids, as before.
    assert PostingFilter({"region": "370202"}, queryset=Posting.objects.live()).qs.count() == 100
    # A region word typed in the box is not a search word.
    typed = PostingFilter({"q": "rgn370202"}, queryset=Posting.objects.live()).qs
    assert typed.count() == 4000


def test_region_words_follow_a_region_that_moved(db):
    """A district moved to another city (as 莱芜 went to 济南 in 2019): its postings are found
    under the new city at once (load_regions rewrites their region words)."""
    from directory.search.filters import PostingFilter
    from momjobs.regions.loader import load_regions
    from momjobs.regions.models import Region

    posting = make_posting(make_employer(region_code="370202"), title="社区收银员")
    district = Region.objects.get(code="370202")
    # The table as an older load left it: the district under Jinan.
    district.parent = Region.objects.get(code="370100")
    district.save()
    Posting.objects.refresh_region_terms([district.pk])
    posting.refresh_from_db()
    assert posting.search_text.endswith(" rgn370000 rgn370100 rgn370202")

    def found(code):
        search = PostingFilter({"q": "收银", "region": code}, queryset=Posting.objects.all())
        return list(search.qs.values_list("pk", flat=True))

    assert found("370100") == [posting.pk] and found("370200") == []
    load_regions()  # the source data puts it back under Qingdao
    posting.refresh_from_db()
    assert posting.search_text.endswith(" rgn370000 rgn370200 rgn370202")
    assert found("370200") == [posting.pk] and found("370100") == []


def test_the_migration_writes_what_prepare_writes(db):
    """employers/migrations/0008 adds the region words in SQL; the result is prepare()'s, also
    for a text that carried words of that shape itself, and for an empty text."""
    import importlib

    from django.core.management import call_command

    migration = importlib.import_module("employers.migrations.0008_search_region_terms")
    employer = make_employer(region_code="370202")
    posting = make_posting(employer, title="社区收银员", description="诚聘收银员 rgn110000")
    assert "rgn110000" not in posting.search_text  # no text can put a post in another city
    prepared = posting.search_text
    assert prepared.endswith(" rgn370000 rgn370200 rgn370202")
    empty = make_posting(employer, title="收银员")
    Posting.objects.filter(pk=empty.pk).update(search_text=" rgn370000 rgn370200 rgn370202")
    with connection.cursor() as cursor:
        cursor.execute(migration.REMOVE)
        posting.refresh_from_db()
        assert "rgn" not in posting.search_text
        # As the old code wrote it: the typed word kept, no region words.
        Posting.objects.filter(pk=posting.pk).update(search_text=posting.search_text + " rgn110000")
        cursor.execute(migration.ADD)
        cursor.execute(migration.ADD)  # twice: nothing changes the second time
        assert cursor.rowcount == 0
    posting.refresh_from_db()
    assert posting.search_text == prepared
    assert Posting.objects.get(pk=empty.pk).search_text == " rgn370000 rgn370200 rgn370202"
    # The command after a deploy: the same statement, nothing left to do.
    Posting.objects.filter(pk=posting.pk).update(search_text="社区 收银员")
    call_command("refresh_region_words", stdout=io.StringIO())
    posting.refresh_from_db()
    assert posting.search_text == "社区 收银员 rgn370000 rgn370200 rgn370202"


def test_the_code_s_statement_is_still_the_migration_s():
    """The application keeps its own copy (employers/region_words.py) instead of reading SQL
    from a migration module; the frozen migration and the code must still say the same."""
    import importlib

    from employers.region_words import REFRESH

    migration = importlib.import_module("employers.migrations.0008_search_region_terms")
    assert " ".join(REFRESH.split()) == " ".join(migration.ADD.split())


# -- posting page: JSON-LD and Open Graph --------------------------------------------------------

REQUIRED_JOBPOSTING = {"title", "description", "datePosted", "hiringOrganization"}


def jsonld(client, posting):
    html = client.get(reverse("posting_detail", args=[posting.pk])).content.decode()
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    return html, json.loads(block.group(1))


def test_jobposting_structured_data(client, catalog):
    posting = catalog["kefu"]
    posting.refresh_from_db()
    posting.valid_through = posting.published_at.date()
    posting.save()
    html, data = jsonld(client, posting)
    assert data["@type"] == "JobPosting" and data["@context"] == "https://schema.org/"
    assert data.keys() >= REQUIRED_JOBPOSTING
    assert data["validThrough"].startswith(posting.valid_through.isoformat())
    assert data["employmentType"] == ["PART_TIME"]
    assert data["hiringOrganization"]["name"] == "青岛南区客服有限公司"
    assert data["jobLocation"]["address"]["addressLocality"] == "青岛市"
    assert data["jobLocation"]["address"]["addressCountry"] == "CN"
    salary = data["baseSalary"]
    assert salary["currency"] == "CNY"
    assert (
        salary["value"]["minValue"],
        salary["value"]["maxValue"],
        salary["value"]["unitText"],
    ) == (25, 30, "HOUR")
    assert data["workHours"] == "周一至周五 09:00-12:00"
    assert data["totalJobOpenings"] == 2
    for prop in ["og:title", "og:description", "og:url", "og:type"]:
        assert f'property="{prop}"' in html


def test_home_based_posting_is_telecommute(client, catalog):
    _, data = jsonld(client, catalog["online"])
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert "jobLocation" not in data
    assert data["applicantLocationRequirements"]["name"].startswith("山东省青岛市")


def test_jsonld_cannot_break_out_of_its_script(client, catalog):
    posting = catalog["kefu"]
    posting.refresh_from_db()
    posting.description = "</script><script>alert(1)</script>"
    posting.save()
    html, data = jsonld(client, posting)
    assert data["description"].startswith("</script>")
    assert "<script>alert(1)" not in html


def test_cards_name_openings_and_the_posting_page_its_phase(client, catalog):
    html = client.get(reverse("job_list"), {"q": "客服专员"}).content.decode()
    assert "招 2 人" in html
    # The card stays compact; the posting's page names the phase that published it.
    page = client.get(reverse("posting_detail", args=[catalog["kefu"].pk])).content.decode()
    assert "（第1批）" in page


def test_posting_page_warns_plainly(client, catalog):
    from datetime import date

    from momjobs.regions.models import MinimumWage, Region

    MinimumWage.objects.create(
        region=Region.objects.get(code="370200"), hourly="26.00", effective_from=date(2023, 10, 1)
    )
    cheap = catalog["online"]  # 20-25/h, injury insurance only
    html = client.get(reverse("posting_detail", args=[cheap.pk])).content.decode()
    assert "低于当地最低工资标准" in html
    fair = catalog["anchor"]  # 30-40/h
    html = client.get(reverse("posting_detail", args=[fair.pk])).content.decode()
    assert "低于当地最低工资标准" not in html
    fair.refresh_from_db()
    fair.insurance = "none"
    fair.save()  # (a save of a public posting drops the cached pages)
    html = client.get(reverse("posting_detail", args=[fair.pk])).content.decode()
    assert "不缴纳社会保险" in html


def test_unfiltered_total_is_cached_and_dropped_on_publish(
    client, catalog, django_capture_on_commit_callbacks
):
    assert "共 5 个岗位" in client.get(reverse("job_list")).content.decode()
    # A filtered search is always counted for real; sorting alone does not filter.
    assert "共 2 个岗位" in client.get(reverse("job_list"), {"region": "370203"}).content.decode()
    assert "共 5 个岗位" in client.get(reverse("job_list"), {"sort": "pay"}).content.decode()
    extra = make_posting(make_employer(region_code="370202"), title="新的岗位")
    phase = make_phase(make_bureau("370200", name="再一个人社局"), status=PhaseStatus.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        publish(phase, [extra])
    assert "共 6 个岗位" in client.get(reverse("job_list")).content.decode()


def test_region_search_uses_ids_not_a_subquery(catalog):
    from directory.search.filters import PostingFilter, live_postings

    sql = str(PostingFilter({"region": "370200"}, queryset=live_postings()).qs.query)
    assert "regions_region" not in sql.split("WHERE", 1)[1]


def test_the_less_used_filters_fold_away_until_used(client, catalog):
    """On a phone the results start below the form: words, place, free hours and the carer
    filters stay in view, the rest folds into a <details> (no JavaScript), opened when one of
    them is set, has an error or the order is not the default."""

    def folded(params):
        html = client.get(reverse("job_list"), params).content.decode()
        tag = re.search(r"<details[^>]*more-filters[^>]*>", html).group(0)
        return " open" not in tag

    assert folded({}) and folded({"q": "保洁", "region": "370200", "weekends": "on"})
    assert not folded({"sector": "domestic"})
    assert not folded({"pay_min": "abc"})  # the error must be seen
    assert not folded({"q": "保洁", "sort": "pay"})


def test_a_posting_page_lists_similar_posts_of_its_city(client, db):
    """Up to four live posts of the same sector in the same city, newest first; not itself,
    not another city's, not another sector's."""
    qingdao = make_employer(region_code="370202")
    jinan = make_employer(region_code="370102", name="济南某公司")
    own = make_posting(qingdao, title="本岗位", sector="domestic")
    near = [make_posting(qingdao, title=f"同城家政{n}", sector="domestic") for n in range(5)]
    other_city = make_posting(jinan, title="外地家政", sector="domestic")
    other_sector = make_posting(qingdao, title="同城餐饮", sector="catering")
    publish(
        make_phase(make_bureau("370000"), status=PhaseStatus.IN_REVIEW),
        [own, *near, other_city, other_sector],
    )
    response = client.get(reverse("posting_detail", args=[own.pk]))
    similar = [p.title for p in response.context["similar"]]
    assert len(similar) == 4 and set(similar) <= {p.title for p in near}
    html = response.content.decode()
    assert "附近的同类岗位" in html and "外地家政" not in html and "同城餐饮" not in html
    # Another post of that city and sector reuses the list (no second scan) and is not among
    # its own similar posts, even as the newest of them.
    newest = near[-1]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("posting_detail", args=[newest.pk]))
    again = [p.title for p in response.context["similar"]]
    assert len(again) == 4 and newest.title not in again
    assert set(again) <= {p.title for p in [own, *near]}
    scans = [q for q in queries.captured_queries if '"employers_posting"."sector" =' in q["sql"]]
    assert not scans


def test_a_place_by_name_and_a_shared_name_offers_the_places(client, catalog):
    """Nobody is asked for a code: a name finds the place; a name several places share answers
    with each of them (city and province) to choose, and keeps the rest of the search."""
    by_name = client.get(reverse("job_list"), {"region": "青岛"})
    by_code = client.get(reverse("job_list"), {"region": "370200"})
    assert by_name.context["page"].paginator.count == by_code.context["page"].paginator.count > 0
    html = client.get(reverse("job_list"), {"region": "鼓楼区", "sector": "domestic"}).content
    html = html.decode()
    assert "有几个地方叫“鼓楼区”，请选择一个：" in html
    assert html.count('type="radio" name="region"') == 4 and "鼓楼区（福建省福州市）" in html
    assert "家政保洁员" in html  # the other filters still apply
    # A code in a shared link is shown by its name, never as a code.
    assert 'value="青岛市"' in by_code.content.decode()
