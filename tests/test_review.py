from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Catalog, EntryDecision, OutboxEvent, Phase, PhaseEntry, PhaseStatus
from employers import services as employer_services
from employers.models import Application, PostingRevision, PostingStatus
from tests.factories import add_entry, make_phase, make_posting, publish
from tests.helpers import force_login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, personas):
    personas.qingdao  # noqa: B018 - the bureau and its officer
    force_login_verified(client, personas.bureau_inside)
    return personas.bureau_inside


@pytest.fixture
def queue(personas):
    phase = make_phase(personas.qingdao, status=PhaseStatus.OPEN)
    postings = [make_posting(personas.employer_a, title=f"帮厨{n}") for n in range(3)]
    for posting in postings:
        add_entry(phase, posting, decision=EntryDecision.PENDING)
        posting.status = PostingStatus.SUBMITTED
        posting.save()
    return phase, postings


def test_only_own_phases(client, officer, personas, queue):
    phase, _ = queue
    other = make_phase(personas.linyi)
    assert client.get(reverse("bureau:phase_review", args=[phase.pk])).status_code == 200
    assert client.get(reverse("bureau:phase_review", args=[other.pk])).status_code == 404
    html = client.get(reverse("bureau:phase_list")).content.decode()
    assert phase.title in html and other.title not in html
    client.force_login(personas.seeker_a)
    assert client.get(reverse("bureau:phase_review", args=[phase.pk])).status_code == 403


def test_create_a_phase_and_open_a_call(client, officer, personas):
    catalog = Catalog.objects.create(bureau=personas.qingdao, name="青岛市妈妈岗目录")
    response = client.post(
        reverse("bureau:phase_create"), {"catalog": catalog.pk, "title": "第二批"}
    )
    phase = Phase.objects.get(catalog=catalog)
    assert response.url == reverse("bureau:phase_review", args=[phase.pk])
    assert client.get(reverse("phase_call_public", args=[phase.pk])).status_code == 404  # draft
    past = client.post(
        reverse("bureau:phase_call", args=[phase.pk]),
        {"title": "第二批", "call_text": "征集客服岗位", "submission_deadline": "2020-01-01T10:00"},
    )
    assert past.status_code == 200 and "晚于现在" in past.content.decode()
    deadline = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    ok = client.post(
        reverse("bureau:phase_call", args=[phase.pk]),
        {
            "title": "第二批",
            "call_text": "征集客服、电商直播岗位；弹性工时，便于接送孩子。",
            "sought_sectors": ["customer_service", "ecommerce"],
            "submission_deadline": deadline,
        },
    )
    assert ok.status_code == 302
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.OPEN
    public = client.get(reverse("phase_call_public", args=[phase.pk])).content.decode()
    assert "便于接送孩子" in public and "电商直播" in public


def test_decide_each_entry(client, officer, queue):
    phase, postings = queue
    entries = list(PhaseEntry.objects.filter(phase=phase).order_by("id"))
    client.post(reverse("bureau:entry_decide", args=[entries[0].pk]), {"decision": "approved"})
    no_reason = client.post(
        reverse("bureau:entry_decide", args=[entries[1].pk]), {"decision": "rejected"}
    )
    # Refused, on the posting's own page, the error beside the reason field.
    assert no_reason.status_code == 200
    html = no_reason.content.decode()
    assert 'id="id_reason_error"' in html and "必须填写理由" in html
    entries[1].refresh_from_db()
    assert entries[1].decision == EntryDecision.PENDING
    client.post(
        reverse("bureau:entry_decide", args=[entries[1].pk]),
        {"decision": "rejected", "reason": "薪酬低于最低工资"},
    )
    client.post(
        reverse("bureau:entry_decide", args=[entries[2].pk]),
        {"decision": "changes", "reason": "请写明社保情况"},
    )
    decisions = [e.decision for e in PhaseEntry.objects.filter(phase=phase).order_by("id")]
    assert decisions == ["approved", "rejected", "changes"]
    statuses = [p.status for p in [type(p).objects.get(pk=p.pk) for p in postings]]
    assert statuses == ["approved", "rejected", "draft"]
    html = client.get(
        reverse("bureau:phase_review", args=[phase.pk]), {"decision": "rejected"}
    ).content.decode()
    cards = html.split('class="card-list review-list"', 1)[1]
    assert "帮厨1" in cards and "帮厨0" not in cards


def test_bulk_approve_and_publish(client, officer, queue):
    phase, postings = queue
    ids = list(PhaseEntry.objects.filter(phase=phase).values_list("pk", flat=True))[:2]
    client.post(reverse("bureau:bulk_approve", args=[phase.pk]), {"entries": ids})
    assert PhaseEntry.objects.filter(phase=phase, decision="approved").count() == 2
    response = client.post(reverse("bureau:phase_publish", args=[phase.pk]))
    assert response.url == reverse("phase_detail", args=[phase.pk])
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.PUBLISHED
    live = [p for p in postings if type(p).objects.get(pk=p.pk).status == PostingStatus.LIVE]
    assert len(live) == 2
    # Still-pending entries are not part of the published phase.
    assert (
        PhaseEntry.objects.get(phase=phase, posting=postings[2]).decision == EntryDecision.WITHDRAWN
    )
    assert OutboxEvent.objects.filter(
        kind="phase_published", payload={"phase_id": phase.pk}
    ).exists()
    assert client.get(reverse("phase_detail", args=[phase.pk])).status_code == 200
    again = client.post(reverse("bureau:phase_publish", args=[phase.pk]), follow=True)
    assert "不能重复发布" in again.content.decode()
    assert OutboxEvent.objects.filter(kind="phase_published").count() == 1


def test_publishing_an_empty_phase_is_refused(client, officer, queue):
    phase, _ = queue
    response = client.post(reverse("bureau:phase_publish", args=[phase.pk]), follow=True)
    assert "没有审核通过的岗位" in response.content.decode()
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.OPEN


@pytest.fixture
def live(personas):
    posting = make_posting(personas.employer_a)
    publish(make_phase(personas.qingdao, status=PhaseStatus.IN_REVIEW), [posting])
    posting.refresh_from_db()
    return posting


def test_changes_to_live_postings(client, officer, personas, live):
    changed = type(live).objects.get(pk=live.pk)
    changed.title = "早餐店帮厨（时间调整）"
    revision = employer_services.posting_propose_change(
        posting=live, changed=changed, by=personas.employer_a_staff
    )
    html = client.get(reverse("bureau:revision_list")).content.decode()
    assert "早餐店帮厨（时间调整）" in html
    client.post(reverse("bureau:revision_decide", args=[revision.pk]), {"approve": "0"})
    revision.refresh_from_db()
    assert revision.status == "pending"  # a reason is required to refuse
    client.post(reverse("bureau:revision_decide", args=[revision.pk]), {"approve": "1"})
    live.refresh_from_db()
    assert live.title == "早餐店帮厨（时间调整）"
    assert PostingRevision.objects.get(pk=revision.pk).status == "approved"


def test_take_down_tells_applicants(
    client, officer, personas, live, mailoutbox, django_capture_on_commit_callbacks
):
    Application.objects.create(posting=live, seeker=personas.seeker_a)
    url = reverse("bureau:posting_take_down", args=[live.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "要求求职者缴纳押金"})
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.status == PostingStatus.TAKEN_DOWN
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert personas.seeker_a.email in recipients and personas.employer_a_staff.email in recipients
    assert client.get(reverse("posting_detail", args=[live.pk])).status_code == 404


def test_take_down_outside_jurisdiction_is_404(client, personas, live):
    personas.linyi  # noqa: B018
    force_login_verified(client, personas.bureau_outside)
    assert client.get(reverse("bureau:posting_take_down", args=[live.pk])).status_code == 404
    assert client.get(reverse("bureau:posting_view", args=[live.pk])).status_code == 404


def test_the_review_queue_is_paginated_and_keeps_its_filters(client, officer, personas):
    from directory.catalog.views import REVIEW_PAGE_SIZE

    phase = make_phase(personas.qingdao, status=PhaseStatus.OPEN)
    postings = [make_posting(personas.employer_a) for _ in range(REVIEW_PAGE_SIZE + 3)]
    for posting in postings:
        add_entry(phase, posting, decision=EntryDecision.PENDING)
    url = reverse("bureau:phase_review", args=[phase.pk])
    first = client.get(url, {"decision": "pending"})
    assert len(first.context["entries"]) == REVIEW_PAGE_SIZE
    assert "decision=pending&amp;page=2" in first.content.decode()
    second = client.get(url, {"decision": "pending", "page": 2})
    assert len(second.context["entries"]) == 3
    shown = {e.pk for e in first.context["entries"]} | {e.pk for e in second.context["entries"]}
    assert len(shown) == REVIEW_PAGE_SIZE + 3


def test_every_promised_outcome_email_reaches_the_employer(
    client, officer, personas, queue, mailoutbox, django_capture_on_commit_callbacks
):
    """The submit page promises 审核结果会通过邮件通知您: approved, returned with the reason,
    rejected with the reason, and left out of the published phase."""
    phase, postings = queue
    entries = list(PhaseEntry.objects.filter(phase=phase).order_by("id"))
    staff = personas.employer_a_staff.email
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bureau:entry_decide", args=[entries[0].pk]), {"decision": "approved"})
        client.post(
            reverse("bureau:entry_decide", args=[entries[1].pk]),
            {"decision": "changes", "reason": "请写明社保情况"},
        )
    subjects = [m.subject for m in mailoutbox if m.to == [staff]]
    assert any("审核通过" in s and "帮厨0" in s for s in subjects), subjects
    returned = next(m for m in mailoutbox if "需要修改" in m.subject)
    assert "请写明社保情况" in returned.body and "帮厨1" in returned.body
    mailoutbox.clear()
    # 帮厨2 is still pending when the phase goes out: left out, and told so.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bureau:phase_publish", args=[phase.pk]))
    left_out = [m for m in mailoutbox if "未进入本批次" in m.subject]
    assert len(left_out) == 1 and "帮厨2" in left_out[0].subject and left_out[0].to == [staff]


def test_a_rejection_email_gives_the_reason(
    client, officer, personas, queue, mailoutbox, django_capture_on_commit_callbacks
):
    phase, _postings = queue
    entry = PhaseEntry.objects.filter(phase=phase).order_by("id").first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("bureau:entry_decide", args=[entry.pk]),
            {"decision": "rejected", "reason": "薪酬低于最低工资"},
        )
    [message] = [m for m in mailoutbox if "未通过审核" in m.subject]
    assert "薪酬低于最低工资" in message.body
    assert reverse("employers:posting_preview", args=[entry.posting_id]) in message.body


def test_publishing_asks_first_and_says_exactly_what_will_happen(client, officer, personas, queue):
    from directory.models import Subscription
    from tests.factories import region

    phase, postings = queue
    entries = list(PhaseEntry.objects.filter(phase=phase).order_by("id"))
    client.post(reverse("bureau:entry_decide", args=[entries[0].pk]), {"decision": "approved"})
    client.post(
        reverse("bureau:entry_decide", args=[entries[1].pk]),
        {"decision": "rejected", "reason": "薪酬低于最低工资"},
    )
    Subscription.objects.create(
        email="sub@example.test", region=region("370200"), confirmed_at=timezone.now()
    )
    Subscription.objects.create(email="far@example.test", region=region("371300"))
    review = client.get(reverse("bureau:phase_review", args=[phase.pk])).content.decode()
    # The review page links to the confirmation; there is no one-click publish form any more.
    assert f'action="{reverse("bureau:phase_publish", args=[phase.pk])}"' not in review
    page = client.get(reverse("bureau:phase_publish", args=[phase.pk])).content.decode()
    phase.refresh_from_db()
    assert phase.status != PhaseStatus.PUBLISHED  # looking publishes nothing
    assert "发布后不能撤销" in page
    assert "1 个岗位进入本批次" in page and "2 个岗位不进入本批次" in page
    assert "薪酬低于最低工资" in page and "发布时未完成审核" in page
    assert "1 家单位的岗位尚未审核完" in page
    assert "1 位订阅者" in page
    client.post(reverse("bureau:phase_publish", args=[phase.pk]))
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.PUBLISHED


def test_review_on_one_page_no_default_decision_and_filters_kept(client, officer, queue):
    phase, postings = queue
    posting = postings[0]
    posting.description = "负责早餐备料。要求35岁以下，身体健康。"
    posting.save()
    entry = PhaseEntry.objects.get(phase=phase, posting=posting)
    listing = client.get(reverse("bureau:phase_review", args=[phase.pk])).content.decode()
    # The card carries the text where wording problems hide, and the age ceiling warning.
    assert "负责早餐备料" in listing and "写有年龄上限" in listing
    # No decision is chosen for the officer.
    assert '<option value="">请选择</option>' in listing
    page = client.get(reverse("bureau:posting_view", args=[posting.pk])).content.decode()
    assert f'action="{reverse("bureau:entry_decide", args=[entry.pk])}"' in page
    assert "35岁以下" in page and posting.employer.name in page
    blank = client.post(reverse("bureau:entry_decide", args=[entry.pk]), {"decision": ""})
    assert blank.status_code == 200 and "请选择审核结果" in blank.content.decode()
    entry.refresh_from_db()
    assert entry.decision == EntryDecision.PENDING
    filtered = reverse("bureau:phase_review", args=[phase.pk]) + "?decision=pending&sector=catering"
    ids = list(PhaseEntry.objects.filter(phase=phase).values_list("pk", flat=True))[:1]
    back = client.post(
        reverse("bureau:bulk_approve", args=[phase.pk]), {"entries": ids, "next": filtered}
    )
    assert back.url == filtered
    elsewhere = client.post(
        reverse("bureau:bulk_approve", args=[phase.pk]),
        {"entries": ids, "next": "https://evil.example/"},
    )
    assert elsewhere.url == reverse("bureau:phase_review", args=[phase.pk])


def test_the_publish_page_costs_the_same_queries_however_big_the_phase(
    client, officer, personas, queue
):
    phase, _postings = queue
    url = reverse("bureau:phase_publish", args=[phase.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(30):
        posting = make_posting(personas.employer_a, title=f"多{n}")
        add_entry(
            phase, posting, decision=EntryDecision.APPROVED if n % 2 else EntryDecision.PENDING
        )
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert len(big.captured_queries) == len(small.captured_queries)
