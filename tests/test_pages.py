import json

import pytest
from django.urls import reverse

from directory.models import PhaseStatus
from tests.factories import make_bureau, make_employer, make_phase, make_posting, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db):
    bureau = make_bureau("370200", "青岛市人力资源和社会保障局")
    employer = make_employer("青岛海之味餐饮管理有限公司", "370202")
    postings = [
        make_posting(employer, title="早餐店帮厨"),
        make_posting(
            employer,
            title="小区保安",
            sector="security",
            work_form="hourly",
            contract="not_stated",
            insurance="not_stated",
        ),
    ]
    phase = make_phase(bureau, status=PhaseStatus.IN_REVIEW)
    publish(phase, postings)
    return phase, postings


def test_home_lists_published_phases(client, published):
    phase, _ = published
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert phase.title in html
    assert 'lang="zh-Hans"' in html


@pytest.mark.parametrize("demo_mode", [True, False])
@pytest.mark.parametrize("path", ["/", "/en/"])
def test_demo_banner_follows_demo_mode(client, settings, published, demo_mode, path):
    """The "示例数据 / sample data" banner (templates/base.html, fed by the site context
    processor) is on every page in demo mode, so fictitious postings are never taken for a
    bureau's real list, and never on a real deployment."""
    settings.DEMO_MODE = demo_mode
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert ('class="demo-banner"' in html) is demo_mode
    assert ("示例数据" in html) is demo_mode
    assert ("sample data" in html) is demo_mode


def test_english_under_en(client, published):
    response = client.get("/en/")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert response.headers["Content-Language"] == "en"


def test_language_switch_links_point_to_the_same_page(client, published):
    phase, _ = published
    html = client.get(f"/phases/{phase.pk}/").content.decode()
    assert f'href="/en/phases/{phase.pk}/"' in html
    html = client.get(f"/en/phases/{phase.pk}/").content.decode()
    assert f'href="/phases/{phase.pk}/"' in html


def test_phase_list_and_detail(client, published):
    phase, postings = published
    assert phase.title in client.get(reverse("phase_list")).content.decode()
    response = client.get(reverse("phase_detail", args=[phase.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for posting in postings:
        assert posting.title in html
        assert reverse("posting_detail", args=[posting.pk]) in html
    assert "餐饮服务" in html and "安保服务" in html  # counts by sector
    assert "非全日制" in html and "小时工" in html  # counts by work form


def test_published_phase_keeps_what_it_published(client, published):
    phase, postings = published
    postings[0].title = "改过的标题"
    postings[0].save()
    html = client.get(reverse("phase_detail", args=[phase.pk])).content.decode()
    assert "早餐店帮厨" in html and "改过的标题" not in html


def test_unpublished_phase_is_not_public(client, db):
    phase = make_phase(make_bureau("371300"), status=PhaseStatus.OPEN)
    assert client.get(reverse("phase_detail", args=[phase.pk])).status_code == 404


def test_posting_page_states_every_fact(client, published):
    _, postings = published
    html = client.get(reverse("posting_detail", args=[postings[0].pk])).content.decode()
    for fact in [
        "早餐店帮厨",
        "20–25 元/小时",
        "周一至周五 06:30-09:30",
        "非全日制书面协议",
        "仅工伤保险",
        "青岛海之味餐饮管理有限公司",
        "可接送孩子上下学",
    ]:
        assert fact in html, fact


def test_missing_rights_are_shown_plainly(client, published):
    _, postings = published
    html = client.get(reverse("posting_detail", args=[postings[1].pk])).content.decode()
    assert "合同形式未注明" in html and "社保情况未注明" in html


def test_draft_posting_is_not_public(client, db):
    posting = make_posting(make_employer())
    assert client.get(reverse("posting_detail", args=[posting.pk])).status_code == 404


def test_job_list_finds_chinese_words(client, published):
    html = client.get(reverse("job_list"), {"q": "帮厨"}).content.decode()
    assert "早餐店帮厨" in html and "小区保安" not in html


def test_job_list_survives_bad_input(client, published):
    for params in [
        {"q": "x" * 10000},
        {"q": "'; DROP TABLE x; --"},
        {"region": "999999"},
        {"page": "999999"},
        {"sector": "nope"},
        {"q": "😀<script>"},
    ]:
        assert client.get(reverse("job_list"), params).status_code == 200


def test_healthz_is_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content)["checks"] == {"database": "ok", "redis": "ok"}
