import pytest
from django.urls import reverse

from directory.models import PhaseStatus
from employers.models import Application
from tests.factories import make_bureau, make_employer, make_phase, make_posting, publish

pytestmark = pytest.mark.django_db

POSTING_KEYS = {
    "id",
    "url",
    "title",
    "description",
    "requirements",
    "sector",
    "work_form",
    "place",
    "openings",
    "employer",
    "region",
    "address",
    "schedule",
    "pay",
    "rights",
    "published_at",
    "valid_through",
}


@pytest.fixture
def live(db, personas):
    bureau = make_bureau("370200")
    employer = make_employer("青岛南区客服有限公司", "370202")
    postings = [
        make_posting(
            employer,
            title="客服专员",
            sector="customer_service",
            contact_name="张三",
            contact_phone="13800000000",
        ),
        make_posting(
            make_employer("青岛北区家政服务有限公司", "370203"),
            title="家政保洁员",
            sector="domestic",
        ),
    ]
    phase = make_phase(bureau, status=PhaseStatus.IN_REVIEW)
    publish(phase, postings)
    Application.objects.create(posting=postings[0], seeker=personas.seeker_a, note="私人附言")
    return phase, postings


def test_postings_use_the_same_filters(client, live):
    body = client.get(reverse("api_postings"), {"q": "客服"}).json()
    assert body["count"] == 1
    assert body["results"][0]["title"] == "客服专员"
    body = client.get(reverse("api_postings"), {"sector": "domestic", "region": "370200"}).json()
    assert [r["title"] for r in body["results"]] == ["家政保洁员"]


def test_fields_come_from_the_allow_list_and_leak_nothing(client, live):
    body = client.get(reverse("api_postings")).json()
    for item in body["results"]:
        assert set(item) == POSTING_KEYS
    text = client.get(reverse("api_postings")).content.decode()
    for private in [
        "张三",
        "13800000000",
        "私人附言",
        "seeker.a@example.test",
        "uscc",
        "contact",
        "employer_notes",
        "search_text",
    ]:
        assert private not in text


def test_pagination(client, live):
    first = client.get(reverse("api_postings"), {"page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1
    assert first["next"].endswith("page_size=1&page=2") and first["previous"] is None
    second = client.get(first["next"].split("8000", 1)[-1]).json()
    assert second["previous"] is not None and second["next"] is None
    beyond = client.get(reverse("api_postings"), {"page": 999}).json()
    assert beyond["results"] == [] and beyond["count"] == 2
    assert client.get(reverse("api_postings"), {"page_size": 100000}).status_code == 200


def test_bad_filters_are_reported_not_fatal(client, live):
    response = client.get(reverse("api_postings"), {"fits": "nonsense", "sector": "domestic"})
    body = response.json()
    assert response.status_code == 200
    assert "fits" in body["errors"]
    assert [r["title"] for r in body["results"]] == ["家政保洁员"]


def test_one_posting_and_not_live_ones(client, live):
    _, postings = live
    body = client.get(reverse("api_posting", args=[postings[0].pk])).json()
    assert body["title"] == "客服专员" and set(body) == POSTING_KEYS
    draft = make_posting(make_employer())
    assert client.get(reverse("api_posting", args=[draft.pk])).status_code == 404


def test_phases(client, live):
    phase, _ = live
    body = client.get(reverse("api_phases")).json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == phase.pk
    assert body["results"][0]["postings"] == 2


def test_read_only(client, live):
    assert client.post(reverse("api_postings")).status_code == 405
    assert client.post(reverse("api_phases")).status_code == 405
