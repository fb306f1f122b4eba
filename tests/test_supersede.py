"""Superseding a phase: the officer chooses which still-open postings of the published phase
carry over into the next one; publishing the next phase closes the others (employers and
applicants told); the phase pages say what changed; the digest announces only new posts."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.catalog import changes as phase_changes
from directory.catalog.services import phase_carry_over, phase_publish
from directory.models import (
    AuditAction,
    AuditEntry,
    DigestDelivery,
    EntryDecision,
    OutboxEvent,
    Phase,
    PhaseEntry,
    PhaseStatus,
    Subscription,
)
from directory.subscriptions import digests
from employers import services as employer_services
from employers.models import Application, Posting, PostingStatus
from tests.factories import make_bureau, make_employer, make_phase, make_posting, publish, region
from tests.helpers import force_login_verified

pytestmark = pytest.mark.django_db


class World:
    pass


@pytest.fixture
def world(personas):
    """Qingdao's phase 1, published with five catering posts of employers A and B; seeker A
    applied to `dropped`. Then: `closed` was ended by its employer, `expired` ran out, and
    `gone` was taken down; `kept`, `dropped` and `b_post` still recruit."""
    w = World()
    w.p = personas
    a, b = personas.employer_a, personas.employer_b
    w.kept = make_posting(a, title="早餐店帮厨")
    w.dropped = make_posting(a, title="午餐帮厨")
    w.b_post = make_posting(b, title="家政钟点工", sector="domestic")
    w.closed = make_posting(a, title="晚餐帮厨")
    w.expired = make_posting(a, title="节日促销员")
    w.gone = make_posting(b, title="超市理货员")
    w.first = make_phase(personas.qingdao, number=1, status=PhaseStatus.IN_REVIEW)
    everything = [w.kept, w.dropped, w.b_post, w.closed, w.expired, w.gone]
    publish(w.first, everything, by=personas.bureau_inside)
    for posting in everything:
        posting.refresh_from_db()
    w.first_published_at = w.kept.published_at
    employer_services.posting_close(posting=w.closed, by=personas.employer_a_staff)
    Posting.objects.filter(pk=w.expired.pk).update(
        valid_through=timezone.localdate() - timedelta(days=1)
    )
    Posting.objects.filter(pk=w.gone.pk).update(status=PostingStatus.TAKEN_DOWN)
    Application.objects.create(posting=w.dropped, seeker=personas.seeker_a)
    w.client = Client()
    force_login_verified(w.client, personas.bureau_inside)
    return w


def create_next(w, carry=True, title="青岛市妈妈岗目录（第二批）"):
    data = {"catalog": w.first.catalog_id, "title": title}
    if carry:
        data["carry_over"] = "on"
    response = w.client.post(reverse("bureau:phase_create"), data)
    phase = Phase.objects.get(catalog=w.first.catalog, number=2)
    assert response.url == reverse("bureau:phase_review", args=[phase.pk])
    return phase


def carried(phase):
    return {
        e.posting_id: e.decision for e in PhaseEntry.objects.filter(phase=phase, carried_over=True)
    }


def review_html(w, phase):
    return w.client.get(reverse("bureau:phase_review", args=[phase.pk])).content.decode()


def test_creating_the_next_phase_carries_every_open_posting_by_default(world):
    form = world.client.get(reverse("bureau:phase_list")).content.decode()
    [box] = re.findall(r'<input[^>]*name="carry_over"[^>]*>', form)
    assert " checked" in box
    second = create_next(world)
    # Only what still recruits: not the closed, expired or taken-down posts.
    open_ids = {world.kept.pk, world.dropped.pk, world.b_post.pk}
    assert carried(second) == dict.fromkeys(open_ids, EntryDecision.APPROVED)
    entry = PhaseEntry.objects.get(phase=second, posting=world.kept)
    assert entry.decided_by == world.p.bureau_inside and entry.snapshot is None
    lines = AuditEntry.objects.filter(action=AuditAction.ENTRY_APPROVE, object_id=world.kept.pk)
    assert [line.detail for line in lines] == [f"延续自{world.first.title}"]
    # Still live in the published phase meanwhile, untouched.
    for posting in (world.kept, world.dropped, world.b_post):
        assert Posting.objects.get(pk=posting.pk).status == PostingStatus.LIVE


def test_creating_without_carry_over_carries_nothing(world):
    second = create_next(world, carry=False)
    assert not PhaseEntry.objects.filter(phase=second).exists()
    # The review page offers the choice, every box ticked until she chooses.
    html = review_html(world, second)
    assert "延续上一批次的岗位" in html
    boxes = html.split('name="postings"')[1:]
    assert len(boxes) == 3 and all("checked" in box[: box.index(">")] for box in boxes)
    assert world.closed.title not in html.split("延续上一批次的岗位")[1].split("</form>")[0]


def test_choosing_what_carries_over(world):
    second = create_next(world, carry=False)
    url = reverse("bureau:phase_carry", args=[second.pk])
    response = world.client.post(url, {"postings": [world.kept.pk, world.b_post.pk]}, follow=True)
    assert "延续 2 个岗位，不延续 1 个" in response.content.decode()
    assert carried(second) == {
        world.kept.pk: EntryDecision.APPROVED,
        world.b_post.pk: EntryDecision.APPROVED,
        world.dropped.pk: EntryDecision.REJECTED,
    }
    assert PhaseEntry.objects.get(phase=second, posting=world.dropped).reason == "不延续到本批次"
    # The form shows her choice now.
    html = review_html(world, second)
    form = html.split("延续上一批次的岗位")[1].split("</form>")[0]
    ticked = [box for box in form.split('name="postings"')[1:] if "checked" in box[:80]]
    assert len(ticked) == 2 and world.dropped.title in form
    # Changing her mind: the rejected one back, one out; only changes are audited.
    before = AuditEntry.objects.count()
    world.client.post(url, {"postings": [world.kept.pk, world.dropped.pk]})
    assert carried(second)[world.dropped.pk] == EntryDecision.APPROVED
    assert carried(second)[world.b_post.pk] == EntryDecision.REJECTED
    assert AuditEntry.objects.count() == before + 2
    # A posting that is not a candidate (closed) cannot be smuggled in.
    bad = world.client.post(url, {"postings": [world.closed.pk]}, follow=True)
    assert 'class="message error"' in bad.content.decode()
    assert world.closed.pk not in carried(second)


def test_a_carried_entry_is_reviewed_like_any_other_but_stays_live(world):
    second = create_next(world)
    html = review_html(world, second)
    assert "延续自上一批次（已审核）" in html
    entry = PhaseEntry.objects.get(phase=second, posting=world.kept)
    decide = reverse("bureau:entry_decide", args=[entry.pk])
    refused = world.client.post(decide, {"decision": "changes", "reason": "改"}, follow=True)
    assert "不能退回修改" in refused.content.decode()
    world.client.post(decide, {"decision": "rejected", "reason": "单位已不符合条件"})
    entry.refresh_from_db()
    assert entry.decision == EntryDecision.REJECTED
    # Until the new phase is published, the post stays in search as it was.
    assert Posting.objects.get(pk=world.kept.pk).status == PostingStatus.LIVE
    world.client.post(decide, {"decision": "approved"})
    assert Posting.objects.get(pk=world.kept.pk).status == PostingStatus.LIVE


def publish_second(world, mailoutbox, capture):
    """Phase 2: `kept` and `b_post` carried over, `dropped` not, plus a new domestic post."""
    second = create_next(world)
    phase_carry_over(
        phase=second, posting_ids=[world.kept.pk, world.b_post.pk], by=world.p.bureau_inside
    )
    world.new = make_posting(world.p.employer_b, title="社区保洁员", sector="domestic")
    PhaseEntry.objects.create(phase=second, posting=world.new, decision=EntryDecision.APPROVED)
    with capture(execute=True):
        response = world.client.post(reverse("bureau:phase_publish", args=[second.pk]))
    assert response.url == reverse("phase_detail", args=[second.pk])
    second.refresh_from_db()
    world.mail = {}
    for message in mailoutbox:
        world.mail.setdefault(message.to[0], []).append(message)
    return second


@pytest.fixture
def published_second(world, mailoutbox, django_capture_on_commit_callbacks):
    return publish_second(world, mailoutbox, django_capture_on_commit_callbacks)


def test_publishing_closes_the_postings_not_carried_over(world, published_second):
    second = published_second
    world.first.refresh_from_db()
    assert world.first.status == PhaseStatus.SUPERSEDED and second.status == PhaseStatus.PUBLISHED
    dropped = Posting.objects.get(pk=world.dropped.pk)
    assert dropped.status == PostingStatus.CLOSED and dropped.closed_at
    assert dropped.status_reason == f"未延续到{second.title}"
    # Carried posts stay live with their first publication date; the new one goes live now.
    for posting in (world.kept, world.b_post):
        posting.refresh_from_db()
        assert posting.status == PostingStatus.LIVE
        assert posting.published_at == world.first_published_at
    new = Posting.objects.get(pk=world.new.pk)
    assert new.status == PostingStatus.LIVE and new.published_at == second.published_at
    # Closed, expired and taken-down posts are not touched again.
    assert Posting.objects.get(pk=world.gone.pk).status == PostingStatus.TAKEN_DOWN
    assert Posting.objects.get(pk=world.closed.pk).status_reason == ""
    # Its employer is told why, and so is the applicant.
    # (The expired post is closed too: it must not come back if its date is extended.)
    notices = {m.subject: m.body for m in world.mail[world.p.employer_a_staff.email]}
    assert notices.keys() == {
        f"您的岗位未延续到新批次，已结束招聘：{title}"
        for title in (world.dropped.title, world.expired.title)
    }
    assert all(second.title in body for body in notices.values())
    [applicant] = world.mail[world.p.seeker_a.email]
    assert world.dropped.title in applicant.body and f"未延续到{second.title}" in applicant.body
    # Employer B has nothing closed: no mail.
    assert world.p.employer_b_staff.email not in world.mail
    # Gone from search.
    search = Client().get(reverse("job_list")).content.decode()
    assert world.dropped.title not in search and world.kept.title in search


def test_what_changed_on_the_public_phase_page(world, published_second):
    second = published_second
    response = Client().get(reverse("phase_detail", args=[second.pk]))
    html = response.content.decode()
    changes = response.context["changes"]
    assert changes.previous == world.first
    assert [r.title for r in changes.new] == [world.new.title]
    assert {r.title for r in changes.carried} == {world.kept.title, world.b_post.title}
    why = {r.title: str(r.why) for r in changes.withdrawn}
    assert why == {
        world.dropped.title: "未延续到本批次，已结束招聘",
        world.closed.title: "单位已结束招聘",
        world.expired.title: "已过有效期",
        world.gone.title: "被人社部门下架",
    }
    section = html.split('id="changes-heading"')[1].split("</section>")[0]
    for label, n in (("新增岗位", 1), ("延续的岗位", 2), ("撤下的岗位", 4)):
        assert f'<th scope="row">{label}</th><td>{n}</td>' in section
    assert reverse("phase_detail", args=[world.first.pk]) in section
    # The taken-down post is listed without a link (its page is gone); the others link.
    assert f'href="{reverse("posting_detail", args=[world.gone.pk])}"' not in section
    assert f'href="{reverse("posting_detail", args=[world.dropped.pk])}"' in section
    # Carried entries are marked in the list, and the counts add up to the phase's posts.
    assert html.count("延续自上一批次") == 2
    for key in ("by_sector", "by_form", "by_district"):
        assert sum(n for _label, n in response.context[key]) == 3
    assert dict(response.context["by_sector"]) == {"家政服务": 2, "餐饮服务": 1}
    # The first phase says it had no predecessor.
    first = Client().get(reverse("phase_detail", args=[world.first.pk])).content.decode()
    assert "这是本目录的第一个批次" in first


def test_what_changed_on_the_review_page_before_publishing(world):
    second = create_next(world)
    phase_carry_over(phase=second, posting_ids=[world.kept.pk], by=world.p.bureau_inside)
    html = review_html(world, second)
    section = html.split('id="changes-heading"')[1].split("</section>")[0]
    assert '<th scope="row">新增岗位</th><td>0</td>' in section
    assert '<th scope="row">延续的岗位</th><td>1</td>' in section
    assert '<th scope="row">撤下的岗位</th><td>5</td>' in section
    assert "未选择延续，发布本批次时将结束招聘" in section
    # Back-office links, for every row.
    assert reverse("bureau:posting_view", args=[world.dropped.pk]) in section


def test_a_taken_down_post_of_the_current_phase_is_shown_as_such(world, published_second):
    Posting.objects.filter(pk=world.new.pk).update(status=PostingStatus.TAKEN_DOWN)
    response = Client().get(reverse("phase_detail", args=[published_second.pk]))
    assert [r.title for r in response.context["changes"].taken_down] == [world.new.title]
    html = response.content.decode()
    assert "本批次发布后被下架" in html and "已被人社部门下架" in html
    assert f'href="{reverse("posting_detail", args=[world.new.pk])}"' not in html


def test_a_carried_post_that_stopped_recruiting_before_publishing_is_left_out(world):
    second = create_next(world)
    employer_services.posting_close(posting=world.kept, by=world.p.employer_a_staff)
    phase_publish(phase=second, by=world.p.bureau_inside)
    entry = PhaseEntry.objects.get(phase=second, posting=world.kept)
    assert entry.decision == EntryDecision.WITHDRAWN
    kept = Posting.objects.get(pk=world.kept.pk)
    assert kept.status == PostingStatus.CLOSED  # not revived by the publication
    assert (
        world.kept.title
        not in Client()
        .get(reverse("phase_detail", args=[second.pk]))
        .content.decode()
        .split('id="posts"')[1]
        # (the posts come first; "what changed" after them names it as closed)
        .split('id="changes-heading"')[0]
    )


def test_a_post_listed_by_another_catalogs_published_phase_stays_live(world):
    # Shinan's own catalog lists `dropped` too; Qingdao's new phase does not carry it.
    shinan = make_bureau("370202", "市南区人社局")
    other = make_phase(shinan, number=1, status=PhaseStatus.IN_REVIEW)
    PhaseEntry.objects.create(phase=other, posting=world.dropped, decision=EntryDecision.APPROVED)
    phase_publish(phase=other, by=None)
    second = create_next(world)
    phase_carry_over(phase=second, posting_ids=[world.kept.pk], by=world.p.bureau_inside)
    phase_publish(phase=second, by=world.p.bureau_inside)
    assert Posting.objects.get(pk=world.dropped.pk).status == PostingStatus.LIVE
    assert Posting.objects.get(pk=world.b_post.pk).status == PostingStatus.CLOSED


def test_the_digest_does_not_announce_carried_posts_again(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    everything = Subscription.objects.create(
        email="all@example.test", region=region("370200"), confirmed_at=timezone.now()
    )
    # Only catering posts: the one catering post in phase 2 is carried over, nothing new.
    catering = Subscription.objects.create(
        email="catering@example.test",
        region=region("370200"),
        sector="catering",
        confirmed_at=timezone.now(),
    )
    subs = (everything, catering)
    second = publish_second(world, mailoutbox, django_capture_on_commit_callbacks)
    # Publishing relayed the fan-out (Celery eager): one digest, to the first subscriber only.
    assert OutboxEvent.objects.get(payload__phase_id=second.pk).processed_at
    # (Phase 1's fan-out was still waiting in the outbox: it went out too.)
    ids = {DigestDelivery.deterministic_message_id(sub.pk, second.pk) for sub in subs}
    [message] = [m for m in mailoutbox if m.extra_headers.get("Message-ID") in ids]
    assert message.to == [everything.email]
    assert world.new.title in message.body
    assert world.kept.title not in message.body and world.b_post.title not in message.body
    assert digests.matching_subscription_ids(second.pk) == [everything.pk]
    assert list(digests.postings_for(everything, second.pk)) == [
        Posting.objects.get(pk=world.new.pk)
    ]
    assert list(digests.postings_for(catering, second.pk)) == []


def test_carry_candidates_come_only_from_the_current_published_phase(world, personas):
    second = create_next(world, carry=False)
    source, candidates = phase_changes.carry_candidates(second)
    assert source == world.first and len(candidates) == 3
    # A published phase has nothing to carry; nor has a first phase.
    assert phase_changes.carry_candidates(world.first) == (None, [])
    lonely = make_phase(make_bureau("370203"), number=1, status=PhaseStatus.DRAFT)
    assert phase_changes.carry_candidates(lonely) == (None, [])
    with pytest.raises(Exception, match="已发布"):
        phase_carry_over(phase=world.first, posting_ids=[], by=personas.bureau_inside)


def test_other_employers_are_unaffected_by_an_unrelated_catalog(world):
    # Linyi publishing its own phase closes nothing in Qingdao.
    linyi_post = make_posting(make_employer("临沂甲公司", "371302"), title="电商主播")
    publish(make_phase(world.p.linyi, number=1, status=PhaseStatus.IN_REVIEW), [linyi_post])
    second = make_phase(world.p.linyi, number=2, status=PhaseStatus.IN_REVIEW)
    publish(second, [make_posting(make_employer("临沂乙公司", "371302"), title="客服")])
    assert Posting.objects.get(pk=linyi_post.pk).status == PostingStatus.CLOSED
    for posting in (world.kept, world.dropped, world.b_post):
        assert Posting.objects.get(pk=posting.pk).status == PostingStatus.LIVE


def test_reasons_the_system_writes_are_in_chinese_whoever_published(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """An officer publishing from the English pages leaves the same records as one working in
    Chinese (momjobs/lib/records.py): the closed post's reason is read by Chinese-speaking seekers."""
    second = create_next(world)
    phase_carry_over(phase=second, posting_ids=[world.kept.pk], by=world.p.bureau_inside)
    pending = make_posting(world.p.employer_b, title="社区保洁员", sector="domestic")
    PhaseEntry.objects.create(phase=second, posting=pending)  # still pending at publication
    with django_capture_on_commit_callbacks(execute=True):
        world.client.post("/en" + reverse("bureau:phase_publish", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == PhaseStatus.PUBLISHED
    assert Posting.objects.get(pk=world.dropped.pk).status_reason == f"未延续到{second.title}"
    assert PhaseEntry.objects.get(phase=second, posting=pending).reason == "发布时未完成审核"
