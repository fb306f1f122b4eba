"""What makes sending digests fast (bench/digest.py) must not change what is sent:
per-post fragments rendered once per batch, the digest serialised by `_wire_message` instead of
the email package, commits without waiting for the disk (reset after the batch).
"""

import email.parser
import email.policy
import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection

from directory.subscriptions import digests
from directory.subscriptions import tasks as digest_tasks
from tests.test_subscriptions import make_subscription, phase_world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SMTP = email.policy.SMTP


def parse(raw):
    return email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)


def build(phase, language="zh-hans", **extra):
    subscription = make_subscription(language=language, **extra)
    posts = list(digests.postings_for(subscription, phase.pk))
    message_id = f"<digest.{phase.pk}.{subscription.pk}@momjobs.test>"
    return digests.build_digest(subscription, phase, posts, message_id), posts


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_wire_message_is_what_the_email_package_writes(phase_world, language):  # noqa: F811
    phase = phase_world[0]
    message, posts = build(phase, language)
    fast = message.message(policy=SMTP)
    assert type(fast).__name__ == "_WireMessage"  # the fast path was taken
    # Django's own serialisation of the same message (the class's method, not our override).
    slow = EmailMultiAlternatives.message(message, policy=SMTP.clone(max_line_length=998))
    fast_raw, slow_raw = fast.as_bytes(), slow.as_bytes()

    lines = fast_raw.split(b"\r\n")
    assert lines[-1] == b""  # CRLF throughout, ends with one
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert max(map(len, lines)) <= 998

    a, b = parse(fast_raw), parse(slow_raw)
    assert sorted(k.lower() for k in a) == sorted(k.lower() for k in b)
    for name in a:
        if name.lower() in {"date", "content-type"}:
            continue
        assert str(a[name]) == str(b[name]), name
    assert a.get_content_type() == b.get_content_type() == "multipart/alternative"
    assert abs((a["Date"].datetime - datetime.now(UTC)).total_seconds()) < 60
    fast_parts = [(p.get_content_type(), p.get_content()) for p in a.iter_parts()]
    slow_parts = [(p.get_content_type(), p.get_content()) for p in b.iter_parts()]
    assert fast_parts == slow_parts
    text = dict(fast_parts)["text/plain"]
    # The posts, numbered, each once; the links.
    for number, post in enumerate(posts, 1):
        assert f"\n{number}. {post.title} · " in text
        assert text.count(f"/jobs/{post.pk}/") == 1
    assert "/subscribe/unsubscribe/" in text
    assert str(a["Subject"]).startswith(phase.title)

    # The file and console backends ask for the default policy: "\n" line ends.
    assert b"\r\n" not in message.message().as_bytes()


def test_the_file_backend_writes_the_fast_digest(phase_world, tmp_path, settings):  # noqa: F811
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    from django.core.mail import mailers

    message, posts = build(phase_world[0])
    mailers.default.send_messages([message])
    [written] = list(tmp_path.iterdir())
    content = written.read_text()
    assert (
        posts[0].title in content and "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in content
    )


def test_anything_unusual_goes_through_the_email_package():
    def message(**kwargs):
        fields = {"subject": "主题", "body": "正文\n", "to": ["a@example.test"], **kwargs}
        headers = fields.pop("headers", {})
        msg = EmailMultiAlternatives(**fields, headers=headers)
        msg.attach_alternative("<p>正文</p>", "text/html")
        return msg

    assert digests._wire_message(message(), SMTP) is not None
    assert digests._wire_message(message(body="长" * 400 + "\n"), SMTP) is None  # > 998 octets
    assert digests._wire_message(message(cc=["b@example.test"]), SMTP) is None
    assert digests._wire_message(message(to=["妈妈@例子.中国"]), SMTP) is None
    assert digests._wire_message(message(subject="a\nBcc: x@evil.test"), SMTP) is None
    injected = message(headers={"List-Unsubscribe": "<https://x>\r\nBcc: x@evil.test"})
    assert digests._wire_message(injected, SMTP) is None
    # ... where the email package refuses it as before.
    prepared = digests.dkim_signed(injected, fast=True)
    with pytest.raises(ValueError):
        prepared.message(policy=SMTP)


def test_a_batch_renders_each_post_once_per_language(phase_world, mailoutbox):  # noqa: F811
    phase = phase_world[0]
    subscriptions = [
        make_subscription(email=f"mum{i}@example.test", language=language)
        for i, language in enumerate(["zh-hans", "zh-hans", "en"])
    ]
    from directory.models import DigestDelivery

    for subscription in subscriptions:
        DigestDelivery.objects.create(subscription=subscription, phase=phase)
    rendered = []
    original = digests.render_to_string
    before = synchronous_commit()

    def counting(name, context, **kwargs):
        rendered.append((name, context["p"].pk))
        return original(name, context, **kwargs)

    digests.render_to_string = counting
    try:
        counts = digests.send_batch(phase.pk, [s.pk for s in subscriptions])
    finally:
        digests.render_to_string = original
    assert counts["sent"] == 3
    posts = len(phase_world) - 1
    # two languages x two posts x (HTML, text), not three subscribers x ...
    assert len(rendered) == 2 * posts * 2
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert all(post.title in body for post in phase_world[1:] for body in bodies.values())
    assert synchronous_commit() == before  # off only while the batch was sent


def synchronous_commit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_the_relay_commits_and_queues_batch_by_batch_and_resumes(
    phase_world,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    from directory.models import DigestDelivery, OutboxEvent

    settings.DIGEST_BATCH_SIZE = 2
    phase = phase_world[0]
    ids = [make_subscription(email=f"mum{i}@example.test").pk for i in range(5)]
    event = OutboxEvent.objects.get(payload__phase_id=phase.pk)
    # A relay cut short after its first batch left its progress in the event.
    OutboxEvent.objects.filter(pk=event.pk).update(payload={"phase_id": phase.pk, "after": ids[1]})
    with django_capture_on_commit_callbacks() as callbacks:
        assert digest_tasks.relay_event(event.pk) == 1
    assert len(callbacks) == 2  # ids 2-3, then 4: one send task per batch, each on its commit
    assert sorted(DigestDelivery.objects.values_list("subscription_id", flat=True)) == ids[2:]
    event.refresh_from_db()
    assert event.processed_at is not None and event.payload["after"] == ids[-1]
    assert digest_tasks.relay_event(event.pk) == 0


def test_a_long_digest_lists_the_first_posts_and_links_to_all(phase_world, client, settings):  # noqa: F811
    """A city-wide digest of a big phase stays small: DIGEST_MAX_POSTS posts, then a link to the
    search page with her filters and the phase, which shows every one of them."""
    from directory.models import EntryDecision, PhaseEntry
    from tests.factories import make_employer, make_posting

    settings.DIGEST_MAX_POSTS = 3
    phase = phase_world[0]
    employer = make_employer(region_code="370203")
    for n in range(4):
        posting = make_posting(employer, title=f"社区早餐帮厨{n}", pay_min="25", pay_max="28")
        posting.status = "live"
        posting.save()
        PhaseEntry.objects.create(phase=phase, posting=posting, decision=EntryDecision.APPROVED)
    subscription = make_subscription(sector="catering", pay_min_hourly="21.5", school_run=True)
    posts = list(digests.postings_for(subscription, phase.pk))
    assert len(posts) == 4  # the four new ones; phase_world's catering post pays 20/h
    message = digests.build_digest(subscription, phase, posts, "<d.1@momjobs.test>")
    text = message.body
    html = message.alternatives[0].content
    for body in (text, html):
        assert sum(body.count(f"/jobs/{p.pk}/") for p in posts) == 3
        assert "这里列出其中 3 个" in body and "全部 4 个符合条件的岗位" in body
    link = re.search(r"https?://\S+/jobs/\?\S+", text).group(0)
    assert "&amp;" not in link
    query = link.split("?", 1)[1]
    assert f"phase={phase.pk}" in query and "region=370200" in query
    assert "sector=catering" in query and "pay_min=21.5" in query and "school_run=on" in query
    page = client.get(f"/jobs/?{query}")
    assert page.context["page"].paginator.count == 4
    # A digest within the limit has no such link.
    settings.DIGEST_MAX_POSTS = 30
    short = digests.build_digest(subscription, phase, posts, "<d.2@momjobs.test>").body
    assert "/jobs/?" not in short and "这里列出" not in short


@pytest.mark.parametrize(
    ("language", "warning"),
    [("zh-hans", "低于当地最低工资标准"), ("en", "Below the local minimum wage")],
)
def test_a_digest_says_where_pay_is_below_the_local_minimum(
    phase_world,  # noqa: F811
    mailoutbox,
    language,
    warning,
):
    """As on the site: the catering post pays 20 yuan an hour, under Qingdao's 22.20; the
    domestic one pays 30."""
    from directory.models import DigestDelivery
    from momjobs.regions.models import MinimumWage, Region

    MinimumWage.objects.create(
        region=Region.objects.get(code="370200"), hourly="22.20", effective_from="2020-01-01"
    )
    phase, catering, domestic = phase_world
    subscription = make_subscription(language=language)
    DigestDelivery.objects.create(subscription=subscription, phase=phase)
    assert digests.send_batch(phase.pk, [subscription.pk])["sent"] == 1
    (message,) = mailoutbox
    text, html = message.body, message.alternatives[0].content
    assert text.count(warning) == html.count(warning) == 1
    first, second = sorted([catering, domestic], key=lambda p: p.pk)
    assert first == catering  # listed first: the warning sits between the two titles
    between = text.split(catering.title, 1)[1].split(domestic.title, 1)[0]
    assert warning in between


def test_plain_text_parts_show_titles_as_written(db):
    """A title with &, < and quotes reads as written in the text part and the subject, and is
    escaped only in the HTML part (issue: plain-text emails unescaped)."""
    from momjobs.lib import emails

    title = '保洁 & 收银 <早班> "急招"'
    message = emails.build(
        to="a@example.test",
        template="application_status",
        context={
            "title": title,
            "employer": "A&B公司",
            "status": "viewed",
            "status_label": "已查看",
            "interview_at": "",
            "interview_place": "",
            "message": "",
            "url": "http://x/applications/",
        },
        language="zh-hans",
    )
    assert title in message.body and "A&B公司" in message.body and title in message.subject
    assert (
        "&amp;" not in message.body and "&lt;" not in message.body and "&quot;" not in message.body
    )
