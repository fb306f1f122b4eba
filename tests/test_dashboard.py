"""The bureau's dashboard (issue 6, item 7; digests issue, operators): employers, postings,
openings, applications and hires per phase, sector and district, digest deliveries per phase,
checked against hand-built data; the CSV of the same figures; server-drawn accessible SVG;
who sees which jurisdiction; a constant number of queries."""

import csv
import io
import os
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from directory.dashboard import charts
from directory.models import (
    Catalog,
    DeliveryStatus,
    DigestDelivery,
    Phase,
    PhaseStatus,
    Subscription,
)
from employers.choices import Sector
from employers.models import Application, ApplicationStatus, EmployerStatus, Posting
from momjobs.users.models import Role
from tests import strategies as s
from tests.factories import (
    make_bureau,
    make_employer,
    make_phase,
    make_posting,
    make_user,
    publish,
    region,
)
from tests.helpers import force_login_verified, status_for

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("bureau:dashboard")
CSV = reverse("bureau:dashboard_csv")


def days_ago(n):
    return timezone.now() - timedelta(days=n)


def apply(posting, at, status=ApplicationStatus.SUBMITTED):
    # Anonymised applications (no seeker) count for the statistics like any other.
    application = Application.objects.create(posting=posting, seeker=None, status=status)
    Application.objects.filter(pk=application.pk).update(created_at=at)
    return application


def published_at(phase, at):
    Phase.objects.filter(pk=phase.pk).update(published_at=at)


class World:
    """Qingdao: employers A (市南区, catering), B (崂山区, cleaning, recognised), C (pending);
    phase 1 published 10 days ago with A1 (市南区, 2 openings), A2 (市北区, 3), B1 (崂山区, 4);
    phase 2 (another catalog) published 5 days ago with A1 again. A1 now has 7 openings.
    Applications: A1 7 days ago (phase 1), A1 1 day ago (phase 2), A2 withdrawn (phase 1),
    B1 hired (phase 1). Linyi: employer D (兰山区) with D1 (5 openings) in a published phase,
    one application, hired."""

    def __init__(self, personas):
        self.qingdao, self.linyi = personas.qingdao, personas.linyi
        self.officer_q, self.officer_l = personas.bureau_inside, personas.bureau_outside
        self.province_officer = make_user("officer.shandong@example.test", Role.BUREAU)
        self.province = make_bureau(
            "370000", "山东省人力资源和社会保障厅", staff=self.province_officer
        )

        self.a = make_employer("青岛甲餐饮有限公司", "370202")
        self.b = make_employer("青岛乙保洁有限公司", "370212")
        self.b.sector = Sector.CLEANING
        self.b.recognition, self.b.recognised_year = "妈妈岗就业基地", 2025
        self.b.save()
        make_employer("青岛丙待核验公司", "370203", status=EmployerStatus.PENDING)
        self.d = make_employer("临沂丁食品有限公司", "371302")

        self.a1 = make_posting(self.a, openings=2)
        self.a2 = make_posting(self.a, region_code="370203", openings=3, title="午餐帮厨")
        self.b1 = make_posting(self.b, openings=4, title="保洁员", sector=Sector.CLEANING)
        self.phase1 = publish(
            make_phase(self.qingdao, status=PhaseStatus.IN_REVIEW), [self.a1, self.a2, self.b1]
        )
        published_at(self.phase1, days_ago(10))
        other = Catalog.objects.create(bureau=self.qingdao, name="青岛市社区妈妈岗目录")
        self.phase2 = Phase.objects.create(
            catalog=other,
            number=1,
            title="青岛市社区妈妈岗目录（第一批）",
            status=PhaseStatus.IN_REVIEW,
        )
        publish(self.phase2, [self.a1])
        published_at(self.phase2, days_ago(5))
        Posting.objects.filter(pk=self.a1.pk).update(openings=7)

        apply(self.a1, days_ago(7))
        apply(self.a1, days_ago(1))
        apply(self.a2, days_ago(1), ApplicationStatus.WITHDRAWN)
        apply(self.b1, days_ago(1), ApplicationStatus.HIRED)

        self.d1 = make_posting(self.d, openings=5, title="面点师")
        self.linyi_phase = publish(make_phase(self.linyi, status=PhaseStatus.IN_REVIEW), [self.d1])
        published_at(self.linyi_phase, days_ago(3))
        apply(self.d1, days_ago(1), ApplicationStatus.HIRED)

        statuses = [
            DeliveryStatus.SENT,
            DeliveryStatus.SENT,
            DeliveryStatus.FAILED,
            DeliveryStatus.PENDING,
            DeliveryStatus.SENDING,
            DeliveryStatus.SKIPPED,
        ]
        for n, status in enumerate(statuses):
            subscription = Subscription.objects.create(
                email=f"reader{n}@example.test", region=region("370200")
            )
            DigestDelivery.objects.create(
                subscription=subscription, phase=self.phase1, status=status
            )


@pytest.fixture
def world(personas):
    return World(personas)


def signed_in(client, user):
    force_login_verified(client, user)
    return client


def rows(table):
    return {row.label: row for row in table}


# -- the figures ------------------------------------------------------------------------------------


def test_qingdao_figures_by_hand(client, world):
    response = signed_in(client, world.officer_q).get(DASHBOARD)
    assert response.status_code == 200
    figures, board = response.context["figures"], response.context["board"]
    assert figures.employers == {
        "verified": 2,
        "recognised": 1,
        "pending": 1,
        "rejected": 0,
        "removed": 0,
    }
    t = figures.totals
    assert (t.employers, t.postings, t.live, t.openings) == (2, 3, 3, 14)
    assert (t.applications, t.hires) == (4, 1)

    sector = rows(figures.by_sector)
    assert list(sector) == ["餐饮服务", "保洁物业"]  # most postings first
    catering, cleaning = sector["餐饮服务"], sector["保洁物业"]
    assert (catering.employers, catering.postings, catering.openings) == (1, 2, 10)
    assert (catering.applications, catering.hires) == (3, 0)
    assert (cleaning.employers, cleaning.postings, cleaning.openings) == (1, 1, 4)
    assert (cleaning.applications, cleaning.hires) == (1, 1)

    district = rows(figures.by_district)
    assert set(district) == {"市南区", "市北区", "崂山区"}
    assert (district["市南区"].postings, district["市南区"].openings) == (1, 7)
    assert district["市南区"].applications == 2
    assert (district["市北区"].openings, district["市北区"].applications) == (3, 1)
    assert (district["崂山区"].hires, district["崂山区"].employers) == (1, 1)

    phases = {row.phase: row for row in board.phase_rows}
    assert set(phases) == {world.phase1, world.phase2}  # never Linyi's
    one, two = phases[world.phase1], phases[world.phase2]
    # Openings as each phase published them (A1 had 2 then), not today's 7.
    assert (one.submitted, one.approved, one.employers, one.openings) == (3, 3, 2, 9)
    assert (one.applications, one.hires) == (3, 1)
    assert (two.approved, two.employers, two.openings, two.applications) == (1, 1, 2, 1)
    assert one.digests == {"pending": 2, "sent": 2, "failed": 1, "skipped": 1}
    assert two.digests == {"pending": 0, "sent": 0, "failed": 0, "skipped": 0}
    assert board.unattributed.applications == 0
    body = response.content.decode()
    assert "临沂" not in body.split("<main", 1)[1].split("</main>")[0]


def test_filter_by_phase(client, world):
    client = signed_in(client, world.officer_q)
    response = client.get(DASHBOARD, {"phase": world.phase2.pk})
    figures = response.context["figures"]
    assert figures.phase == world.phase2
    t = figures.totals
    assert (t.postings, t.openings, t.applications, t.hires) == (1, 2, 1, 0)
    assert [row.label for row in figures.by_sector] == ["餐饮服务"]
    assert [row.label for row in figures.by_district] == ["市南区"]
    # The phase table still shows every phase; the CSV link keeps the filter.
    assert len(response.context["board"].phase_rows) == 2
    assert f"{CSV}?phase={world.phase2.pk}" in response.content.decode()
    one = client.get(DASHBOARD, {"phase": world.phase1.pk}).context["figures"]
    assert (one.totals.postings, one.totals.openings, one.totals.applications) == (3, 9, 3)
    assert rows(one.by_district)["市南区"].openings == 2


def test_a_bad_or_foreign_phase_is_a_field_error_and_leaks_nothing(client, world):
    client = signed_in(client, world.officer_q)
    for value in ("abc", "987654", str(world.linyi_phase.pk), "1" * 40):
        response = client.get(DASHBOARD, {"phase": value})
        assert response.status_code == 200
        assert response.context["form"].errors["phase"]
        assert response.context["figures"].phase is None
        assert response.context["figures"].totals.postings == 3
        # No file for a bad filter: the page, saying what is wrong.
        csv_response = client.get(CSV, {"phase": value})
        assert csv_response.status_code == 200
        assert csv_response["Content-Type"].startswith("text/html")
        assert csv_response.context["form"].errors["phase"]


def test_the_province_sees_its_cities(client, world):
    response = signed_in(client, world.province_officer).get(DASHBOARD)
    figures, board = response.context["figures"], response.context["board"]
    assert figures.employers["verified"] == 3
    assert (figures.totals.postings, figures.totals.applications, figures.totals.hires) == (4, 5, 2)
    assert {row.phase for row in board.phase_rows} == {
        world.phase1,
        world.phase2,
        world.linyi_phase,
    }
    # Districts are named with their city at this level.
    assert set(rows(figures.by_district)) == {
        "青岛市市南区",
        "青岛市市北区",
        "青岛市崂山区",
        "临沂市兰山区",
    }


def test_linyi_sees_only_linyi(client, world):
    response = signed_in(client, world.officer_l).get(DASHBOARD)
    figures, board = response.context["figures"], response.context["board"]
    assert [row.phase for row in board.phase_rows] == [world.linyi_phase]
    assert (figures.totals.postings, figures.totals.openings, figures.totals.hires) == (1, 5, 1)
    assert [row.label for row in figures.by_district] == ["兰山区"]
    assert figures.employers["verified"] == 1
    assert "青岛" not in response.content.decode().split("<main", 1)[1]


def test_a_posting_at_city_level_is_named_as_such(client, world):
    city_posting = make_posting(world.a, region_code="370200", title="全市流动岗位")
    publish(make_phase(world.qingdao, number=2, status=PhaseStatus.IN_REVIEW), [city_posting])
    figures = signed_in(client, world.officer_q).get(DASHBOARD).context["figures"]
    assert "青岛市（本级）" in rows(figures.by_district)


def test_who_may_look(client, world, personas):
    for url in (DASHBOARD, CSV):
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and reverse("users:login") in response.url
        for user in (personas.seeker_a, personas.employer_a_staff, personas.admin):
            assert signed_in(client, user).get(url).status_code == 403, (user, url)
        assert signed_in(client, world.officer_q).post(url).status_code == 405


def test_an_officer_without_data_sees_zeros(client, personas):
    officer = make_user("officer.weihai@example.test", Role.BUREAU)
    make_bureau("371000", "威海市人力资源和社会保障局", staff=officer)
    response = signed_in(client, officer).get(DASHBOARD)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.totals.postings == 0 and figures.by_sector == []
    body = response.content.decode()
    assert "暂无批次。" in body and "暂无数据。" in body
    assert signed_in(client, officer).get(CSV).status_code == 200


# -- charts -------------------------------------------------------------------------------------------


def test_charts_are_accessible_svg_with_the_same_figures_as_tables(client, world):
    body = signed_in(client, world.officer_q).get(DASHBOARD).content.decode()
    for chart_id, title in (
        ("chart-phase", "各批次审核通过的岗位数"),
        ("chart-sector", "按行业的岗位数（全部批次）"),
        ("chart-district", "按区县的岗位数（全部批次）"),
    ):
        assert (
            f'role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc"'
            in body
        )
        assert f'<title id="{chart_id}-title">{title}</title>' in body
        assert f'<desc id="{chart_id}-desc">' in body
    assert "共 2 项；最多的是“餐饮服务”，2。" in body
    # The same figures as a table (what screen readers and browsers without SVG use).
    assert '<caption id="sector-caption">按行业</caption>' in body
    assert '<th scope="row">餐饮服务</th><td class="num">1</td><td class="num">2</td>' in body
    # Nothing from elsewhere: no script, no external image or stylesheet.
    assert "<script" not in body.split("<main", 1)[1].split("</main>")[0]
    assert "http" not in body.split("<main", 1)[1].split("</main>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_bar_chart_geometry():
    chart = charts.bar_chart(chart_id="c", title="T", rows=[("甲", 10), ("乙", 5), ("丙", 0)])
    widths = [float(bar.width) for bar in chart.bars]
    assert widths[0] == charts.WIDTH - charts.LABEL_WIDTH - charts.GAP - charts.VALUE_WIDTH
    assert widths[1] == widths[0] / 2 and widths[2] == 0
    assert chart.height == charts.PAD * 2 + 3 * charts.ROW
    assert chart.description == "共 3 项；最多的是“甲”，10。"
    empty = charts.bar_chart(chart_id="e", title="T", rows=[])
    assert empty.bars == () and empty.description == "暂无数据。"


def test_long_labels_are_shortened_in_the_drawing_only():
    label = "山东省青岛市崂山区沙子口街道办事处"
    short = charts.fit(label, 11)
    assert short.endswith("…") and len(short) <= 11 and label.startswith(short[:-1])
    assert charts.fit("市南区", 11) == "市南区"
    chart = charts.bar_chart(chart_id="c", title="T", rows=[(label, 3)])
    assert chart.bars[0].label == label and chart.bars[0].short != label


def test_a_province_chart_draws_the_largest_rows_only(client, personas):
    officer = make_user("officer.sd@example.test", Role.BUREAU)
    make_bureau("370000", "山东省人力资源和社会保障厅", staff=officer)
    bureau = make_bureau("370200", "青岛市人社局（测试）")
    codes = ["370202", "370203", "370211", "370212", "370213", "370214", "370215", "370281"]
    codes += ["370283", "370285", "371302", "371311", "371312", "371321", "371322", "371323"]
    postings = []
    for code in codes:
        postings.append(make_posting(make_employer(f"单位{code}", code)))
    publish(make_phase(bureau, status=PhaseStatus.IN_REVIEW), postings)
    response = signed_in(client, officer).get(DASHBOARD)
    district = response.context["charts"]["district"]
    assert len(district.bars) == 15
    assert len(response.context["figures"].by_district) == 16
    assert "图中只画出岗位最多的 15 项" in response.content.decode()


# -- the CSV ----------------------------------------------------------------------------------------


def read_csv(response):
    raw = response.content
    assert raw.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_has_the_same_figures(client, world):
    response = signed_in(client, world.officer_q).get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="momjobs-figures-')
    assert response["Cache-Control"] == "private, no-store"
    lines = read_csv(response)
    assert ["人社部门", "青岛市人力资源和社会保障局"] in lines
    assert ["批次", "全部批次"] in lines
    assert ["已核验", "2"] in lines and ["其中获得认定", "1"] in lines and ["待核验", "1"] in lines
    phase_line = next(line for line in lines if line[:1] == [world.phase1.title])
    assert phase_line[3:] == ["3", "3", "2", "9", "3", "1", "2", "2", "1", "1"]
    assert ["餐饮服务", "1", "2", "2", "10", "3", "0"] in lines
    assert ["市南区", "1", "1", "1", "7", "2", "0"] in lines
    assert lines.count(["合计", "2", "3", "3", "14", "4", "1"]) == 2  # under both breakdowns
    assert not any("临沂" in cell for line in lines for cell in line)


def test_csv_of_one_phase(client, world):
    response = signed_in(client, world.officer_q).get(CSV, {"phase": world.phase2.pk})
    lines = read_csv(response)
    assert ["批次", world.phase2.title] in lines
    assert f"-phase{world.phase2.pk}.csv" in response["Content-Disposition"]
    assert lines.count(["合计", "1", "1", "1", "2", "1", "0"]) == 2


def test_csv_cells_cannot_run_as_formulas(client, world):
    Phase.objects.filter(pk=world.phase1.pk).update(title='=HYPERLINK("http://evil","x")')
    lines = read_csv(signed_in(client, world.officer_q).get(CSV))
    cells = [cell for line in lines for cell in line]
    assert '\'=HYPERLINK("http://evil","x")' in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


# -- the cost --------------------------------------------------------------------------------------


def test_queries_do_not_grow_with_the_data(client, world, personas):
    client = signed_in(client, world.officer_q)
    client.get(DASHBOARD)  # warm up (session, content types)

    def count(url, data=None):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, data or {}).status_code == 200
        return len(queries)

    few = (count(DASHBOARD), count(DASHBOARD, {"phase": world.phase1.pk}), count(CSV))
    # Much more of everything: employers in new districts and sectors, a third phase,
    # applications, digest deliveries.
    more = []
    for n, (code, sector) in enumerate(
        [("370211", Sector.RETAIL), ("370213", Sector.SECURITY), ("370214", Sector.DOMESTIC)] * 3
    ):
        employer = make_employer(f"青岛扩展公司{n}", code)
        more.append(make_posting(employer, title=f"扩展岗位{n}", sector=sector))
    phase3 = publish(make_phase(world.qingdao, number=2, status=PhaseStatus.IN_REVIEW), more)
    for posting in more:
        apply(posting, timezone.now(), ApplicationStatus.HIRED)
    for n in range(5):
        subscription = Subscription.objects.create(
            email=f"more{n}@example.test", region=region("370200")
        )
        DigestDelivery.objects.create(subscription=subscription, phase=phase3)
    many = (count(DASHBOARD), count(DASHBOARD, {"phase": world.phase1.pk}), count(CSV))
    assert many == few
    assert max(many) <= 20
    figures = client.get(DASHBOARD).context["figures"]
    assert figures.totals.postings == 12 and figures.totals.hires == 10


# -- fuzzing ----------------------------------------------------------------------------------------

FUZZ = hsettings(
    derandomize=True,
    database=None,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@FUZZ
@given(phase=st.one_of(s.text, s.numbers_as_text, st.integers(-(2**70), 2**70).map(str)))
def test_fuzz_the_phase_filter(client, personas, phase):
    force_login_verified(client, personas.bureau_inside)
    personas.qingdao  # noqa: B018
    assert client.get(DASHBOARD, {"phase": phase}).status_code == status_for({"phase": phase})
    assert client.get(CSV, {"phase": phase}).status_code == status_for({"phase": phase})
