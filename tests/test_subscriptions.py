"""Subscribe, double opt-in, preferences, one-click unsubscribe, matching in SQL, claiming."""

import smtplib
import subprocess
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import DeliveryStatus, DigestDelivery, OutboxEvent, Subscription
from directory.subscriptions import digests
from directory.subscriptions import tasks as digest_tasks
from momjobs.lib import schedule as sched
from tests.factories import make_bureau, make_employer, make_phase, make_posting, publish, region
from tests.helpers import force_login_verified

pytestmark = pytest.mark.django_db


def make_subscription(email="mum@example.test", code="370200", confirmed=True, **extra):
    return Subscription.objects.create(
        email=email,
        region=region(code),
        confirmed_at=timezone.now() if confirmed else None,
        **extra,
    )


@pytest.fixture
def phase_world():
    """A Qingdao phase with two posts: a part-time catering post in Shinan (school run, 20/h,
    weekdays 06:30-09:30) and a full-time domestic post in Laoshan (weekends off, 30/h)."""
    employer = make_employer(region_code="370202")
    catering = make_posting(employer)
    domestic = make_posting(
        employer,
        region_code="370212",
        title="家政保洁员",
        sector="domestic",
        work_form="full_time",
        schedule=[{"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"}],
        pay_min="30",
        pay_max="35",
        contract="labour",
        insurance="full",
        school_run=False,
        weekends_off=True,
    )
    phase = make_phase(make_bureau("370200"))
    publish(phase, [catering, domestic])
    return phase, catering, domestic


def subscribe_data(**overrides):
    data = {"email": "Mum@Example.test", "region_code": "370200", "language": "zh-hans"}
    data.update(overrides)
    return data


# -- the form -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("3702", "没有找到地区代码"),
        ("abcdef", "没有找到“abcdef”"),
        ("999999", "没有找到"),
        ("", "必填"),
    ],
)
def test_region_code_is_validated(client, code, message):
    response = client.post(reverse("subscribe:form"), subscribe_data(region_code=code))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscription.objects.exists()


def test_full_width_region_and_fits_are_normalised(client):
    response = client.post(
        reverse("subscribe:form"),
        subscribe_data(region_code="３７０２００", fits="1-5@08:30-15:30， 6@09:00-12:00"),
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.email == "mum@example.test"
    assert subscription.region.code == "370200"
    assert subscription.fits == "1-5@08:30-15:30,6@09:00-12:00"
    assert subscription.fits_mask == sched.free_mask(sched.parse_fits(subscription.fits))


def test_bad_fits_is_explained(client):
    response = client.post(reverse("subscribe:form"), subscribe_data(fits="weekdays"))
    assert "看不懂“weekdays”" in response.content.decode()


def test_search_link_prefills_the_form(client):
    response = client.get(
        reverse("subscribe:form") + "?region=370202&form=hourly&school_run=on&sector=nonsense"
    )
    form = response.context["form"]
    assert form.initial["region_code"].code == "370202"  # shown by its name, 市南区
    assert form.initial["work_form"] == "hourly"
    assert form.initial["school_run"] is True
    assert form.initial["sector"] == ""


# -- double opt-in ------------------------------------------------------------------------------


def confirm_link(message):
    return next(line for line in message.body.splitlines() if "/subscribe/confirm/" in line)


def test_double_opt_in(client, mailoutbox, django_capture_on_commit_callbacks, phase_world):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("subscribe:form"), subscribe_data())
    assert response.url == reverse("subscribe:sent")
    [message] = mailoutbox
    assert message.to == ["mum@example.test"]
    assert "确认" in message.subject
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    phase = phase_world[0]
    assert digests.matching_subscription_ids(phase.pk) == []

    url = confirm_link(message).strip().removeprefix("http://127.0.0.1:8000")
    # Opening the link (or a mail scanner opening it) only shows the button.
    assert client.get(url).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    response = Client().post(url)
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert digests.matching_subscription_ids(phase.pk) == [subscription.pk]


def test_resubscribing_a_confirmed_address_changes_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    subscription = make_subscription(sector="catering")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("subscribe:form"), subscribe_data(sector="domestic"))
    subscription.refresh_from_db()
    assert subscription.sector == "catering"
    [message] = mailoutbox
    assert "/subscribe/manage/" in message.body
    assert Subscription.objects.count() == 1


def test_bad_confirm_token_is_404(client):
    response = client.get(reverse("subscribe:confirm", args=["nope:bad"]))
    assert response.status_code == 404
    assert "无效或已过期" in response.content.decode()


# -- manage link ----------------------------------------------------------------------------------


def test_manage_link_changes_preferences(client):
    subscription = make_subscription()
    url = reverse("subscribe:manage", args=[digests.link_token(subscription, "manage")])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "region_code": "370202",
            "language": "en",
            "work_form": "hourly",
            "fits": "1-5@08:00-16:00",
        },
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.region.code, subscription.language, subscription.work_form) == (
        "370202",
        "en",
        "hourly",
    )
    assert subscription.fits_mask is not None


def test_manage_needs_the_manage_signature(client):
    subscription = make_subscription()
    other = digests.link_token(subscription, "unsubscribe")
    assert client.get(reverse("subscribe:manage", args=[other])).status_code == 404
    assert client.get(reverse("subscribe:manage", args=[subscription.token])).status_code == 404


# -- unsubscribe ----------------------------------------------------------------------------------


def test_unsubscribe_get_shows_a_button_and_changes_nothing(client):
    subscription = make_subscription()
    url = reverse("subscribe:unsubscribe", args=[digests.link_token(subscription, "unsubscribe")])
    response = client.get(url)
    assert response.status_code == 200
    assert "确认退订" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None


def test_one_click_unsubscribe_needs_no_cookie_or_csrf_token():
    subscription = make_subscription()
    url = reverse("subscribe:unsubscribe", args=[digests.link_token(subscription, "unsubscribe")])
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    first = subscription.unsubscribed_at
    assert first is not None
    # Idempotent: a second POST (mail clients retry) changes nothing.
    assert client.post(url).status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at == first
    # The English twin works too.
    assert client.post("/en" + url).status_code == 200


def test_other_subscribe_posts_keep_csrf():
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("subscribe:form"), subscribe_data()).status_code == 403


def test_subscribe_is_rate_limited(client, settings):
    for _ in range(settings.SUBSCRIBE_RATE):
        assert (
            client.post(reverse("subscribe:form"), subscribe_data(region_code="x")).status_code
            == 200
        )
    assert client.post(reverse("subscribe:form"), subscribe_data()).status_code == 429


# -- from a search --------------------------------------------------------------------------------


def test_signed_in_seeker_subscribes_from_a_search(client, personas):
    seeker = personas.seeker_a
    seeker.email_verified_at = timezone.now()
    seeker.save()
    force_login_verified(client, seeker)
    query = "region=370202&form=part_time&pay_min=3480&pay_unit=month&school_run=on&fits=1-5@06:00-10:00"
    response = client.post(reverse("subscribe:from_search"), {"query": query})
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.email == seeker.email
    assert subscription.confirmed_at is not None
    assert subscription.region.code == "370202"
    assert subscription.work_form == "part_time"
    assert subscription.pay_min_hourly == 20
    assert subscription.school_run is True
    assert subscription.fits == "1-5@06:00-10:00"


def test_from_search_without_region_goes_to_the_form(client, personas):
    force_login_verified(client, personas.seeker_a)
    response = client.post(reverse("subscribe:from_search"), {"query": "form=hourly"})
    assert response.url.startswith(reverse("subscribe:form") + "?")
    assert not Subscription.objects.exists()


def test_from_search_needs_sign_in(client):
    response = client.post(reverse("subscribe:from_search"), {"query": "region=370202"})
    assert response.status_code == 302
    assert "/accounts/" in response.url


# -- matching in SQL ------------------------------------------------------------------------------


def test_matching_is_one_query_and_follows_the_filters(django_assert_num_queries, phase_world):
    phase, catering, domestic = phase_world
    fits_morning = sched.free_mask(sched.parse_fits("1-5@06:00-10:00"))
    expected = [
        make_subscription("province@example.test", "370000"),  # a province covers its cities
        make_subscription("city@example.test", "370200"),
        make_subscription("district@example.test", "370212"),  # Laoshan: the domestic post
        make_subscription("catering@example.test", sector="catering"),
        make_subscription("pay@example.test", pay_min_hourly=25),  # domestic 30/h
        make_subscription("school@example.test", school_run=True),
        make_subscription("fits@example.test", fits="1-5@06:00-10:00", fits_mask=fits_morning),
    ]
    make_subscription("linyi@example.test", "371300")  # another city
    make_subscription("other-district@example.test", "370203")  # no post there
    make_subscription("unconfirmed@example.test", confirmed=False)
    make_subscription("gone@example.test", unsubscribed_at=timezone.now())
    make_subscription("paused@example.test", paused_at=timezone.now())
    make_subscription("nothing@example.test", sector="security")
    make_subscription("rich@example.test", pay_min_hourly=100)
    make_subscription("both@example.test", school_run=True, weekends_off=True)
    make_subscription(
        "nights@example.test",
        fits="1-7@20:00-23:00",
        fits_mask=sched.free_mask(sched.parse_fits("1-7@20:00-23:00")),
    )
    make_subscription("contract@example.test", contract="service")
    with django_assert_num_queries(1):
        ids = digests.matching_subscription_ids(phase.pk)
    assert ids == [s.pk for s in expected]
    # Batches: keyset pagination over the ids, one query each.
    with django_assert_num_queries(1):
        assert digests.matching_subscription_ids(phase.pk, after=ids[2], limit=2) == ids[3:5]
    # The digest's content uses the same conditions.
    assert list(digests.postings_for(expected[2], phase.pk)) == [domestic]
    assert list(digests.postings_for(expected[6], phase.pk)) == [catering]
    assert list(digests.postings_for(expected[0], phase.pk)) == [catering, domestic]


# -- fan-out, claiming, sending -----------------------------------------------------------------


def relay(phase):
    event = OutboxEvent.objects.get(payload__phase_id=phase.pk)
    return digest_tasks.relay_event(event.pk)


def test_relay_and_send_once(mailoutbox, django_capture_on_commit_callbacks, phase_world):
    phase = phase_world[0]
    subscriber = make_subscription(language="en")
    make_subscription("nothing@example.test", sector="security")
    make_subscription("unconfirmed@example.test", confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert relay(phase) == 1
    assert relay(phase) == 0  # processed: a second relay does nothing
    [message] = mailoutbox
    assert message.to == [subscriber.email]
    delivery = DigestDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    headers = message.extra_headers
    assert headers["Message-ID"] == DigestDelivery.deterministic_message_id(subscriber.pk, phase.pk)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/en/subscribe/unsubscribe/"
    )
    # In her language, with both posts, pay, rights and links; HTML and plain text.
    assert "早餐店帮厨" in message.body and "家政保洁员" in message.body
    assert "/en/jobs/" in message.body
    html = message.alternatives[0].content
    assert "家政保洁员" in html and "/en/subscribe/manage/" in html
    # Running the same batch again (a duplicated task) sends nothing.
    assert digests.send_batch(phase.pk, [subscriber.pk])["sent"] == 0
    assert len(mailoutbox) == 1
    assert digests.digest_counts(phase) == {"pending": 0, "sent": 1, "failed": 0, "skipped": 0}


def test_claim_is_exclusive_until_the_lease_runs_out(phase_world, settings):
    phase = phase_world[0]
    subscription = make_subscription()
    delivery = DigestDelivery.objects.create(subscription=subscription, phase=phase)
    assert digests.claim(delivery.pk) is True
    assert digests.claim(delivery.pk) is False
    later = timezone.now() + timedelta(seconds=settings.DIGEST_LEASE_SECONDS + 1)
    assert digests.claim(delivery.pk, now=later) is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENDING, 2)
    DigestDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT)
    assert digests.claim(delivery.pk, now=later + timedelta(days=1)) is False


def test_sweep_requeues_stale_deliveries(
    mailoutbox, django_capture_on_commit_callbacks, phase_world, settings
):
    phase = phase_world[0]
    subscription = make_subscription()
    old = timezone.now() - timedelta(seconds=settings.DIGEST_LEASE_SECONDS + 5)
    OutboxEvent.objects.update(processed_at=timezone.now())
    DigestDelivery.objects.create(
        subscription=subscription, phase=phase, status=DeliveryStatus.SENDING, claimed_at=old
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_tasks.sweep() == {"relayed": 0, "requeued": 1}
    assert len(mailoutbox) == 1
    assert DigestDelivery.objects.get().status == DeliveryStatus.SENT


class RefusingConnection:
    def open(self):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"no such user") for m in messages})

    def close(self):
        pass


class Mailers:
    default = RefusingConnection()


def test_permanent_failures_pause_the_subscription(monkeypatch, phase_world):
    monkeypatch.setattr(digests, "mailers", Mailers)
    subscription = make_subscription()
    phases = [phase_world[0]]
    employer = make_employer(region_code="370202")
    for number in (2, 3):
        phase = make_phase(make_bureau("370200", name=f"b{number}"), number=number)
        publish(phase, [make_posting(employer)])
        phases.append(phase)
    for phase in phases:
        DigestDelivery.objects.create(subscription=subscription, phase=phase)
        assert digests.send_batch(phase.pk, [subscription.pk])["failed"] == 1
    subscription.refresh_from_db()
    assert subscription.failures == 3
    assert subscription.paused_at is not None
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}


def test_unsubscribed_before_sending_is_skipped(mailoutbox, phase_world):
    phase = phase_world[0]
    subscription = make_subscription(unsubscribed_at=timezone.now())
    DigestDelivery.objects.create(subscription=subscription, phase=phase)
    assert digests.send_batch(phase.pk, [subscription.pk])["skipped"] == 1
    assert mailoutbox == []
    assert DigestDelivery.objects.get().status == DeliveryStatus.SKIPPED


# -- DKIM -----------------------------------------------------------------------------------------


def test_dkim_signature_verifies(tmp_path, settings, phase_world):
    import dkim

    key = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    public = subprocess.run(
        ["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    settings.DKIM_PRIVATE_KEY_PATH = str(key)
    settings.DKIM_SELECTOR = "mj1"
    settings.DKIM_DOMAIN = "momjobs.localhost"
    phase = phase_world[0]
    subscription = make_subscription()
    message = digests.build_digest(
        subscription, phase, list(digests.postings_for(subscription, phase.pk)), "<m@x>"
    )
    import base64
    import email.policy

    raw = message.message(policy=email.policy.SMTP).as_bytes()
    assert raw.startswith(b"DKIM-Signature:")
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dns(name, timeout=5):
        assert name == b"mj1._domainkey.momjobs.localhost."
        return record

    assert dkim.verify(raw, dnsfunc=dns)
    assert b"list-unsubscribe-post" in raw.split(b"\r\n\r\n")[0].lower()
    assert not dkim.verify(raw.replace(b"List-Unsubscribe-Post", b"X-Other"), dnsfunc=dns)


def test_confirmation_link_expires(client, monkeypatch):
    subscription = make_subscription(confirmed=False)
    token = digests.confirm_token(subscription)
    monkeypatch.setattr(digests, "CONFIRM_MAX_AGE", -1)
    response = client.post(reverse("subscribe:confirm", args=[token]))
    assert response.status_code == 404
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_sent_page(client):
    assert "请查收邮件" in client.get(reverse("subscribe:sent")).content.decode()


def test_from_search_include(rf, personas):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/jobs/")
    request.user = AnonymousUser()
    html = render_to_string("subscribe/from_search.html", {"query": "region=370202"}, request)
    assert "/subscribe/?region=370202" in html
    request.user = personas.seeker_a
    html = render_to_string("subscribe/from_search.html", {"query": "region=370202"}, request)
    assert 'value="region=370202"' in html and "/subscribe/from-search/" in html
