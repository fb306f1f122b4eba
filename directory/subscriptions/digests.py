"""Digests: who gets which posts of a newly published phase, and sending them exactly once.

The path of a digest (docs/digests.md has the whole story):
1. `phase_publish` writes an OutboxEvent in the publish transaction.
2. `relay_event` (Celery task `directory.relay_outbox`, also run by the beat sweep) selects the
   matching subscription ids, one SQL query per batch of DIGEST_BATCH_SIZE, creates their
   DigestDelivery rows (unique per subscription and phase) and queues the batch's send task
   when that batch's transaction commits.
3. `send_batch` (task `directory.send_digests`) claims each delivery with a conditional UPDATE,
   sends it with its deterministic Message-ID and marks it sent. A second run of the same batch
   finds nothing to claim; a crash between claim and "sent" is retried after the lease with the
   same Message-ID, so a subscriber never gets two different digests for one phase.
4. `sweep` (beat) relays outbox events left unprocessed (broker down at publish time) and
   re-queues deliveries still pending, or stuck in "sending", after the lease.

`claimed_at` is when a delivery was last handed out: to the broker (status pending) or to a
sender (status sending). Both count from there towards the lease.
"""

import contextlib
import email.header
import email.policy
import email.utils
import logging
import secrets
import smtplib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import mailers
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast
from django.db.models.lookups import Exact, IsNull
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from directory.models import (
    DeliveryStatus,
    DigestDelivery,
    EntryDecision,
    Phase,
    Subscription,
)
from employers.fields import WeekMaskField
from employers.models import Posting, PostingStatus
from employers.quality import meets_minimum_wage
from momjobs.lib import emails
from momjobs.lib.links import absolute_url
from momjobs.lib.schedule import EMPTY_MASK
from momjobs.regions.models import MinimumWage

log = logging.getLogger(__name__)


def batch_size():
    return settings.DIGEST_BATCH_SIZE


# A subscription is paused after this many consecutive permanently failed deliveries.
MAX_FAILURES = 3
# A delivery that keeps failing transiently is given up (failed) after this many attempts.
MAX_ATTEMPTS = 8
CONFIRM_MAX_AGE = 7 * 24 * 3600


def lease():
    return timedelta(seconds=settings.DIGEST_LEASE_SECONDS)


# ---------------------------------------------------------------------------------------------
# Signed links


def _signer(purpose):
    return signing.Signer(salt=f"directory.subscription.{purpose}")


def link_token(subscription, purpose):
    """`<random token>:<signature>`; the purpose (manage, unsubscribe) is part of the salt."""
    return _signer(purpose).sign(subscription.token)


def confirm_token(subscription):
    # Timestamped: a confirmation link works for CONFIRM_MAX_AGE only.
    return signing.TimestampSigner(salt="directory.subscription.confirm").sign(subscription.token)


def subscription_for(token, purpose):
    """The subscription a signed link names, or None (bad signature, expired, unknown)."""
    try:
        if purpose == "confirm":
            raw = signing.TimestampSigner(salt="directory.subscription.confirm").unsign(
                token, max_age=CONFIRM_MAX_AGE
            )
        else:
            raw = _signer(purpose).unsign(token)
    except signing.BadSignature:
        return None
    return Subscription.objects.select_related("region").filter(token=raw).first()


def token_url(name, token, language):
    with translation.override(language):
        return absolute_url(reverse(name, args=[token]))


# ---------------------------------------------------------------------------------------------
# Subscribing (services: the views call these)

PREFERENCE_FIELDS = [
    "language",
    "sector",
    "work_form",
    "pay_min_hourly",
    "contract",
    "insurance",
    "school_run",
    "weekends_off",
    "fits",
    "fits_mask",
]


def send_subscription_email(subscription_id, kind):
    subscription = Subscription.objects.select_related("region").filter(pk=subscription_id).first()
    if subscription is None or subscription.unsubscribed_at is not None:
        return
    if kind == "confirm" and subscription.confirmed_at is None:
        send_confirmation(subscription)
    elif kind == "exists" and subscription.confirmed_at is not None:
        send_already_subscribed(subscription)


# ---------------------------------------------------------------------------------------------
# Matching, in SQL


def _matching(postings, sub):
    """Narrow `postings` to those a subscription wants. `sub(name)` is the subscription's column
    as an SQL expression (an OuterRef in the fan-out query, a Value for one subscription), so the
    fan-out and the digest's content use the very same conditions.
    """

    def any_or(name, condition):
        # An empty filter column means "any".
        return Q(Exact(sub(name), "")) | condition

    def ticked(name):
        return Q(Exact(sub(name), False)) | Q(**{name: True})

    return postings.filter(
        any_or("sector", Q(sector=sub("sector"))),
        any_or("work_form", Q(work_form=sub("work_form"))),
        any_or("contract", Q(contract=sub("contract"))),
        any_or("insurance", Q(insurance=sub("insurance"))),
        Q(IsNull(sub("pay_min_hourly"), True)) | Q(hourly_min__gte=sub("pay_min_hourly")),
        ticked("school_run"),
        ticked("weekends_off"),
        # No free-time filter: NULL, or the all-zero mask the column defaults to.
        Q(IsNull(sub("fits_mask"), True))
        | Q(Exact(sub("fits_mask"), Cast(Value(EMPTY_MASK), WeekMaskField())))
        | Q(schedule_mask__inside=sub("fits_mask")),
    )


def phase_postings(phase_id):
    # The phase's approved posts still live (a post taken down since publishing is not sent),
    # new in it: a post carried over from the previous phase was announced then.
    return Posting.objects.filter(
        status=PostingStatus.LIVE,
        phase_entries__phase_id=phase_id,
        phase_entries__decision=EntryDecision.APPROVED,
        phase_entries__carried_over=False,
    )


def matching_subscription_ids(phase_id, *, after=0, limit=None):
    """Ids of active subscriptions with at least one matching post in the phase, in one query.

    The region rule: a subscription to a province or city covers every post below it, i.e. the
    post's region path starts with the subscription's region path.
    """
    postings = _matching(phase_postings(phase_id), OuterRef).filter(
        region__path__startswith=OuterRef("region__path")
    )
    return list(
        Subscription.objects.active()
        .filter(pk__gt=after)
        .filter(Exists(postings))
        .order_by("pk")
        .values_list("pk", flat=True)[: limit or batch_size()]
    )


def count_matching_for_entries(posting_ids):
    """How many active subscriptions these posts (ids, or a subquery of ids) would match, before
    the phase is published: the confirmation page says how many people the digest goes to."""
    postings = _matching(Posting.objects.filter(pk__in=posting_ids), OuterRef).filter(
        region__path__startswith=OuterRef("region__path")
    )
    return Subscription.objects.active().filter(Exists(postings)).count()


def postings_for(subscription, phase_id):
    """The phase's posts matching one subscription (for previews and tests)."""

    def value(name):
        return Value(getattr(subscription, name))

    return (
        _matching(phase_postings(phase_id), value)
        .filter(region__path__startswith=subscription.region.path)
        .with_cards()
        .order_by("pk")
    )


def _posting_ids_for_batch(phase_id, subscription_ids):
    """{subscription id: [matching posting ids]} for a batch, in one query."""
    from django.contrib.postgres.expressions import ArraySubquery

    postings = (
        _matching(phase_postings(phase_id), OuterRef)
        .filter(region__path__startswith=OuterRef("region__path"))
        .order_by("pk")
        .values("pk")
    )
    rows = (
        Subscription.objects.filter(pk__in=subscription_ids)
        .annotate(posting_ids=ArraySubquery(postings))
        .values_list("pk", "posting_ids")
    )
    return dict(rows)


# ---------------------------------------------------------------------------------------------
# Fan-out


# ---------------------------------------------------------------------------------------------
# Sending


def claim(delivery_id, now=None):
    """pending -> sending (or a sending row whose lease ran out). True if this caller won."""
    now = now or timezone.now()
    claimable = Q(status=DeliveryStatus.PENDING) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - lease()
    )
    return bool(
        DigestDelivery.objects.filter(claimable, pk=delivery_id).update(
            status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


class TransientSendError(Exception):
    pass


def send_batch(phase_id, subscription_ids):
    """Send the digests of one batch. Returns {status: count}. Raises TransientSendError when
    the mail server failed in a way worth retrying (the delivery is put back to pending).
    """
    phase = Phase.objects.select_related("catalog__bureau").get(pk=phase_id)
    deliveries = {
        d.subscription_id: d
        for d in DigestDelivery.objects.filter(
            phase_id=phase_id,
            subscription_id__in=subscription_ids,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING],
        ).select_related("subscription__region")
    }
    counts = {"sent": 0, "skipped": 0, "failed": 0, "busy": 0}
    if not deliveries:
        return counts
    matches = _posting_ids_for_batch(phase_id, list(deliveries))
    cap = settings.DIGEST_MAX_POSTS  # a digest lists this many; the rest are one link away
    wanted = {pid for ids in matches.values() for pid in (ids or ())[:cap]}
    postings = Posting.objects.with_cards().in_bulk(wanted)
    _mark_below_minimum(postings.values())
    fragments = {}  # each post rendered once per language for the whole batch
    connection = mailers.default
    try:
        connection.open()  # one SMTP session for the whole batch
    except (OSError, smtplib.SMTPException) as error:
        raise TransientSendError(repr(error)) from error
    try:
        _synchronous_commit(False)
        for sid in sorted(deliveries):
            delivery = deliveries[sid]
            subscription = delivery.subscription
            ids = matches.get(sid) or ()
            posting_list = [postings[pid] for pid in ids[:cap] if pid in postings]
            if not _is_active(subscription) or not posting_list:
                DigestDelivery.objects.filter(
                    pk=delivery.pk, status__in=[DeliveryStatus.PENDING]
                ).update(status=DeliveryStatus.SKIPPED)
                counts["skipped"] += 1
                continue
            if not claim(delivery.pk):
                counts["busy"] += 1
                continue
            message = build_digest(
                subscription, phase, posting_list, delivery.message_id, fragments, total=len(ids)
            )
            try:
                connection.send_messages([message])
            except smtplib.SMTPResponseException as error:
                if 500 <= error.smtp_code < 600:
                    _fail_permanently(delivery, f"{error.smtp_code} {error.smtp_error!r}")
                    counts["failed"] += 1
                    continue
                _back_to_pending(delivery, f"{error.smtp_code} {error.smtp_error!r}")
                raise TransientSendError(str(error)) from error
            except smtplib.SMTPRecipientsRefused as error:
                codes = [code for code, _msg in error.recipients.values()]
                if codes and all(500 <= code < 600 for code in codes):
                    _fail_permanently(delivery, str(error.recipients)[:400])
                    counts["failed"] += 1
                    continue
                _back_to_pending(delivery, str(error.recipients)[:400])
                raise TransientSendError(str(error)) from error
            except (OSError, smtplib.SMTPException) as error:
                _back_to_pending(delivery, repr(error))
                raise TransientSendError(repr(error)) from error
            DigestDelivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.SENT, sent_at=timezone.now(), error=""
            )
            if subscription.failures:
                Subscription.objects.filter(pk=sid).update(failures=0)
            counts["sent"] += 1
    finally:
        connection.close()
        _synchronous_commit(True)
    return counts


def _synchronous_commit(on):
    """The claim and "sent" of each digest commit without waiting for the WAL flush.

    Why: with it, two commits per message (a disk flush each, about 7 ms on our machine) were
    the slowest part of sending. What it risks: if PostgreSQL itself crashes, the last few
    hundred milliseconds of claims and "sent" marks may be lost, and those digests go again
    after the lease: the same message, with the same Message-ID, as after any crash between
    SMTP and "sent". Locking and visibility are unchanged, so two senders still cannot both
    claim one delivery. A worker crash loses nothing (the server has every commit).
    """
    with contextlib.suppress(DatabaseError), db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO " + ("DEFAULT" if on else "off"))


def _is_active(subscription):
    return (
        subscription.confirmed_at is not None
        and subscription.unsubscribed_at is None
        and subscription.paused_at is None
    )


def _back_to_pending(delivery, error):
    given_up = delivery.attempts + 1 >= MAX_ATTEMPTS
    DigestDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED if given_up else DeliveryStatus.PENDING,
        error=error[:500],
        claimed_at=timezone.now(),
    )


@transaction.atomic
def _fail_permanently(delivery, error):
    DigestDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, error=error[:500]
    )
    subscription = Subscription.objects.select_for_update().get(pk=delivery.subscription_id)
    subscription.failures += 1
    fields = ["failures"]
    if subscription.failures >= MAX_FAILURES and subscription.paused_at is None:
        subscription.paused_at = timezone.now()
        fields.append("paused_at")
    subscription.save(update_fields=fields)


def digest_headers(subscription, message_id):
    unsubscribe = token_url(
        "subscribe:unsubscribe", link_token(subscription, "unsubscribe"), subscription.language
    )
    return {
        "Message-ID": message_id,
        # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the URL.
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        "Precedence": "bulk",
    }


def subscription_links(subscription):
    language = subscription.language
    return {
        "manage_url": token_url("subscribe:manage", link_token(subscription, "manage"), language),
        "unsubscribe_url": token_url(
            "subscribe:unsubscribe", link_token(subscription, "unsubscribe"), language
        ),
    }


def _mark_below_minimum(postings):
    """`below_minimum` on each posting, against its region's standard (one query): a digest says
    so where pay is below the local minimum wage, as the site does (employers/quality.py)."""
    postings = list(postings)
    minimums = MinimumWage.in_force_for({p.region for p in postings})
    for posting in postings:
        minimum = minimums.get(posting.region_id)
        posting.below_minimum = meets_minimum_wage(posting, minimum) is False


def post_fragments(posting, language, cache):
    """One post of a digest as {"html", "text"}, rendered once per (post, language) in `cache`.

    Why: a city-wide digest lists up to the whole phase (200 posts), and rendering each post's
    block for each subscriber cost about 0.1-0.3 s a message; the blocks depend only on the
    post and the language, so a batch of 1,000 digests renders each at most once per language.
    """
    key = (posting.pk, language)
    if key not in cache:
        with translation.override(language):
            if not hasattr(posting, "below_minimum"):
                _mark_below_minimum([posting])
            context = {
                "p": posting,
                "url": absolute_url(posting),
            }
            cache[key] = {
                "html": render_to_string("emails/digest.html#item", context),
                "text": render_to_string("emails/digest.txt#item", context, using="text"),
            }
    return cache[key]


def build_digest(subscription, phase, postings, message_id, fragments=None, total=None):
    """The digest of `postings` for one subscriber. `fragments`: a cache shared by a batch.

    It lists at most DIGEST_MAX_POSTS of them (`total`: how many matched, if more than given):
    a city-wide subscription to a 200-post phase made a 300 kB email, which mail clients clip
    (Gmail at 102 kB). The rest are one link away: the search page with her filters and the phase.
    """
    language = subscription.language
    fragments = {} if fragments is None else fragments
    shown = postings[: settings.DIGEST_MAX_POSTS]
    total = max(total or 0, len(postings))
    parts = [post_fragments(p, language, fragments) for p in shown]
    with translation.override(language):
        phase_url = absolute_url(phase)
        more_url = search_url(subscription, phase) if total > len(parts) else ""
    context = {
        "phase": phase,
        "phase_url": phase_url,
        # Joined here: a template loop over 200 posts cost more than the rest of the mail.
        # Both are rendered (and escaped) by the templates' `item` partials.
        "items_html": mark_safe("".join(part["html"] for part in parts)),  # noqa: S308
        "items_text": mark_safe(  # noqa: S308
            "".join(f"\n{number}. {part['text']}" for number, part in enumerate(parts, 1))
        ),
        "count": total,
        "shown": len(parts),
        "more_url": more_url,
        "region": subscription.region,
        **subscription_links(subscription),
    }
    message = emails.build(
        to=subscription.email,
        template="digest",
        context=context,
        language=language,
        headers=digest_headers(subscription, message_id),
    )
    return dkim_signed(message, fast=True)


def search_url(subscription, phase):
    """/jobs/ with the subscription's filters and the phase: the posts of the phase she wants
    (in the active language)."""
    query = {"region": subscription.region.code, "phase": phase.pk}
    for name, param in [
        ("sector", "sector"),
        ("work_form", "form"),
        ("contract", "contract"),
        ("insurance", "insurance"),
        ("fits", "fits"),
    ]:
        if getattr(subscription, name):
            query[param] = getattr(subscription, name)
    if subscription.pay_min_hourly is not None:
        query["pay_min"] = format(Decimal(str(subscription.pay_min_hourly)).normalize(), "f")
    for name, param in [("school_run", "school_run"), ("weekends_off", "weekends")]:
        if getattr(subscription, name):
            query[param] = "on"
    return f"{absolute_url(reverse('job_list'))}?{urlencode(query)}"


def send_confirmation(subscription):
    """The only mail an unconfirmed address ever gets."""
    language = subscription.language
    context = {
        "confirm_url": token_url("subscribe:confirm", confirm_token(subscription), language),
        "region_name": subscription.region.full_name,
        "days": CONFIRM_MAX_AGE // 86400,
    }
    message = emails.build(
        to=subscription.email,
        template="subscription_confirm",
        context=context,
        language=language,
    )
    dkim_signed(message).send()


def send_already_subscribed(subscription):
    message = emails.build(
        to=subscription.email,
        template="subscription_exists",
        context=subscription_links(subscription),
        language=subscription.language,
    )
    dkim_signed(message).send()


# ---------------------------------------------------------------------------------------------
# DKIM


def _dkim_settings():
    path = getattr(settings, "DKIM_PRIVATE_KEY_PATH", "")
    selector = getattr(settings, "DKIM_SELECTOR", "")
    domain = getattr(settings, "DKIM_DOMAIN", "")
    if not (path and selector and domain):
        return None
    with open(path, "rb") as key:
        return key.read(), selector.encode(), domain.encode()


class _SignedMessage:
    """What the SMTP backend sends: the DKIM-Signature line, then the message as signed."""

    def __init__(self, message, signature):
        self._message = message
        self._signature = signature

    def as_bytes(self, *args, **kwargs):
        return self._signature + self._message.as_bytes(*args, **kwargs)

    def as_string(self, *args, **kwargs):
        return self._signature.decode() + self._message.as_string(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._message, name)


SIGNED_HEADERS = [
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
]


class _WireMessage:
    """A digest as it goes on the wire, written by `_wire_message`: the part of the interface of
    email.message.EmailMessage that Django's mail backends and DKIM use."""

    def __init__(self, headers, data, linesep):
        self._headers = headers
        self._data = data
        self._linesep = linesep

    def as_bytes(self, unixfrom=False, policy=None):
        if policy is not None and policy.linesep != self._linesep:
            return self._data.replace(self._linesep.encode(), policy.linesep.encode())
        return self._data

    def as_string(self, unixfrom=False, maxheaderlen=0, policy=None):
        return self.as_bytes(policy=policy).decode()

    __bytes__ = as_bytes
    __str__ = as_string

    def get_charset(self):
        return None

    def __iter__(self):
        return iter([name for name, _value in self._headers])

    def keys(self):
        return list(self)

    def items(self):
        return list(self._headers)

    def get(self, name, failobj=None):
        for key, value in self._headers:
            if key.lower() == name.lower():
                return value
        return failobj

    def __getitem__(self, name):
        return self.get(name)


def _wire_message(message, policy):
    """`message` (subject, one recipient, text and HTML bodies) serialised in one pass, or None
    when it has anything else: then the email package does it.

    Why: the email package spent 7-15 ms on each digest (header objects parsed and folded,
    bodies written line by line), more than everything else of a digest together. What this
    writes is what the email package writes for such a message: RFC 2047 encoded Subject and
    From name, 8bit UTF-8 bodies (lines of at most 998 octets, else None), the extra headers
    unfolded; tests/test_digest_sending.py compares the two.
    """
    if (
        message.attachments
        or message.cc
        or message.reply_to
        or len(message.to) != 1
        or len(message.alternatives) != 1
        or message.alternatives[0].mimetype != "text/html"
    ):
        return None
    sep = policy.linesep
    name, address = email.utils.parseaddr(
        str(message.extra_headers.get("From", message.from_email))
    )
    to = message.to[0]
    subject = str(message.subject)
    extra = [
        (key, str(value))
        for key, value in message.extra_headers.items()
        if key.lower() not in {"from", "to", "cc", "reply-to", "bcc"}
    ]
    plain = [to, address, *(key + value for key, value in extra)]
    if not all(v.isascii() and v.isprintable() and len(v) < 990 for v in plain) or not (
        subject.isprintable() and address
    ):
        return None  # non-ASCII addresses, line breaks (injection): the email package decides
    boundary = "===============" + secrets.token_hex(10) + "=="
    parts = []
    for content, subtype in ((message.body, "plain"), (message.alternatives[0].content, "html")):
        lines = str(content).encode().splitlines()
        body = sep.encode().join(lines) + sep.encode()
        if max(map(len, lines), default=0) > 998 or boundary.encode() in body:
            return None
        cte = "7bit" if body.isascii() else "8bit"
        head = f'Content-Type: text/{subtype}; charset="utf-8"{sep}Content-Transfer-Encoding: {cte}'
        parts.append(f"--{boundary}{sep}{head}{sep}{sep}".encode() + body + sep.encode())
    headers = [
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        ("MIME-Version", "1.0"),
        ("Subject", subject),
        ("From", email.utils.formataddr((name, address), charset="utf-8")),
        ("To", to),
    ]
    if "date" not in {key.lower() for key, _value in extra}:
        headers.append(("Date", email.utils.format_datetime(datetime.now(UTC))))
    headers += extra
    lines = []
    for key, value in headers:
        if key == "Subject" and not value.isascii():
            value = email.header.Header(value, "utf-8", header_name=key).encode(linesep=sep)
        lines.append(f"{key}: {value}")
    head = (sep.join(lines) + sep + sep).encode()
    data = head + b"".join(parts) + f"--{boundary}--{sep}".encode()
    return _WireMessage(headers, data, sep)


def dkim_signed(message, *, fast=False):
    """Prepare `message` for sending: headers unfolded up to RFC 5322's 998 characters, and a
    DKIM signature when DKIM_PRIVATE_KEY_PATH, DKIM_SELECTOR and DKIM_DOMAIN are set (RFC 8058
    asks for List-Unsubscribe and List-Unsubscribe-Post to be signed).

    Why the line length: at the default 78, Python folds the long List-Unsubscribe URL (a
    signed token has no spaces) into RFC 2047 encoded words, which mail clients do not read
    as a URL. `fast`: serialise with `_wire_message` where it can (digests).
    """
    config = _dkim_settings()
    build_mime = message.message

    def prepared(*, policy=email.policy.default):
        mime = fast and _wire_message(message, policy)
        mime = mime or build_mime(policy=policy.clone(max_line_length=998))
        if config is None:
            return mime
        import dkim

        key, selector, domain = config
        present = {name.lower().encode() for name in mime}
        signature = dkim.sign(
            mime.as_bytes(),
            selector,
            domain,
            key,
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=[h for h in SIGNED_HEADERS if h in present],
        )
        return _SignedMessage(mime, signature)

    message.message = prepared
    return message


# ---------------------------------------------------------------------------------------------
# Counts for operators


def digest_counts(phase):
    """{"pending": n, "sent": n, "failed": n, "skipped": n} for a phase (sending counts as
    pending: it is not out yet)."""
    rows = dict(
        DigestDelivery.objects.filter(phase=phase)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "pending": rows.get(DeliveryStatus.PENDING, 0) + rows.get(DeliveryStatus.SENDING, 0),
        "sent": rows.get(DeliveryStatus.SENT, 0),
        "failed": rows.get(DeliveryStatus.FAILED, 0),
        "skipped": rows.get(DeliveryStatus.SKIPPED, 0),
    }
