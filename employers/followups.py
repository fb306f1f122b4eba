"""Hires and the follow-ups after them (docs/followups.md): the one place that decides who is
asked "still working there?", when, once, and which answers are accepted.

- A hire has a start date, given by the employer when it marks an application 已录用 and
  correctable later (`check_start_date` says which dates are possible).
- At 1, 3 and 6 months after the start, `send_due` (a Celery beat task) asks the mother, where
  she reads her news (SMS or email, momjobs.users.notify), and separately the employer, one
  question. Each question is a FollowUp row, created under a lock on the application together
  with its one message (queued when the row commits): a second run, a restarted worker or two
  workers at once find the row and send nothing.
- Nobody is asked about a hire once the mother deleted her account (the row is anonymous), said
  she did not start, or stopped the follow-ups.
- An answer comes from a signed link (no sign-in): first within FOLLOW_UP_ANSWER_DAYS of the
  question, then changeable for FOLLOW_UP_CHANGE_DAYS after the first answer.
"""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from momjobs.lib.links import absolute_url
from momjobs.lib.records import record_language
from momjobs.lib.tasks import queue_email
from momjobs.users.notify import tell_seeker

from .models import (
    FOLLOW_UP_MONTHS,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    EmployerMembership,
    FollowUp,
    FollowUpSource,
    LeaveReason,
    MembershipRole,
    Party,
)

SALT = "employers.follow_up"


def add_months(day, months):
    """The same day `months` later (the month's last day when it has no such day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(start, month):
    return add_months(start, month)


# -- start dates ----------------------------------------------------------------------------------


def check_start_date(application, value, today=None):
    """A start date is on or after the day she applied and at most FOLLOW_UP_MAX_START_DAYS
    ahead. Raises ValidationError with a message for the form's field."""
    today = today or timezone.localdate()
    applied = timezone.localdate(application.created_at)
    if value is None:
        raise ValidationError(_("录用时请填写入职日期。"), code="start_required")
    if value < applied:
        raise ValidationError(
            _("入职日期不能早于求职者投递申请的日期（%(day)s）。") % {"day": applied.isoformat()},
            code="start_before_application",
        )
    latest = today + timedelta(days=settings.FOLLOW_UP_MAX_START_DAYS)
    if value > latest:
        raise ValidationError(
            _("入职日期太远了：最晚可填 %(day)s。日期还没定的话，请先填预计日期，以后再改。")
            % {"day": latest.isoformat()},
            code="start_too_far",
        )
    return value


@transaction.atomic
def correct_start_date(*, application, start_date, by):
    """The employer corrects the start date of a hire (questions already sent stay)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.HIRED:
        raise ValidationError(_("只有已录用的申请才有入职日期。"), code="not_hired")
    if application.seeker_id is None:
        raise ValidationError(_("这条申请已匿名，不能再修改。"), code="anonymous")
    check_start_date(application, start_date)
    if application.start_date == start_date:
        return application
    application.start_date = start_date
    application.save(update_fields=["start_date", "updated_at"])
    with record_language():
        line = _("入职日期改为 %(day)s") % {"day": start_date.isoformat()}
    ApplicationEvent.objects.create(
        application=application, status=application.status, by=by, message=line, is_message=True
    )
    return application


@transaction.atomic
def seeker_not_started(*, application, by):
    """She says she did not start: recorded (the figures count it), the employer is told, and
    nobody is asked about this hire again."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.HIRED or application.start_date is None:
        raise ValidationError(_("只有已录用的申请才能这样标记。"), code="not_hired")
    if application.not_started_at is not None:
        return application
    application.not_started_at = timezone.now()
    application.save(update_fields=["not_started_at", "updated_at"])
    with record_language():
        line = _("求职者表示没有入职")
    ApplicationEvent.objects.create(
        application=application, status=application.status, by=by, message=line, is_message=True
    )
    recipient = _employer_recipient(application)
    if recipient is not None:
        queue_email(
            to=recipient.email,
            template="hire_not_started",
            context={
                "title": application.posting.title,
                "applicant": application.applicant_name,
                "start_date": application.start_date.isoformat(),
                "url": absolute_url(reverse("employers:application_detail", args=[application.pk])),
            },
            language=recipient.language,
        )
    return application


@transaction.atomic
def stop_follow_ups(*, application):
    """She withdraws her consent to the follow-ups: no more questions, to her or the employer.
    Answers already given stay (they are counts); she may still change one within its week."""
    updated = Application.objects.filter(
        pk=application.pk, follow_ups_stopped_at__isnull=True
    ).update(follow_ups_stopped_at=timezone.now())
    return bool(updated)


# -- who is asked ---------------------------------------------------------------------------------


def may_ask(application):
    """The one rule: a hire with a start date, a mother who still has her account, has not said
    she did not start and has not stopped the follow-ups."""
    return (
        application.status == ApplicationStatus.HIRED
        and application.start_date is not None
        and application.seeker_id is not None
        and application.not_started_at is None
        and application.follow_ups_stopped_at is None
    )


def askable():
    """may_ask as a queryset filter."""
    return Application.objects.filter(
        status=ApplicationStatus.HIRED,
        start_date__isnull=False,
        seeker__isnull=False,
        not_started_at__isnull=True,
        follow_ups_stopped_at__isnull=True,
    )


def still_following(today=None):
    """Hires whose follow-ups are not over yet: the last question's answer window and change week
    have not passed. Their applications keep the mother's link until then."""
    today = today or timezone.localdate()
    horizon = add_months(today, -FOLLOW_UP_MONTHS[-1]) - timedelta(
        days=settings.FOLLOW_UP_ANSWER_DAYS + settings.FOLLOW_UP_CHANGE_DAYS
    )
    return askable().filter(start_date__gte=horizon)


def _employer_recipient(application):
    """One person per follow-up: whoever marked the hire, if still on the employer's staff, else
    its first owner."""
    members = EmployerMembership.objects.filter(
        employer_id=application.posting.employer_id
    ).select_related("user")
    hired_by = (
        ApplicationEvent.objects.filter(
            application=application, status=ApplicationStatus.HIRED, is_message=False
        )
        .order_by("-at")
        .values_list("by_id", flat=True)
        .first()
    )
    chosen = None
    if hired_by:
        chosen = members.filter(user_id=hired_by).first()
    if chosen is None:
        chosen = members.filter(role=MembershipRole.OWNER).order_by("pk").first()
    if chosen is None or not chosen.user.email or not chosen.user.is_active:
        return None
    return chosen.user


def token_for(follow_up):
    return signing.Signer(salt=SALT).sign(str(follow_up.pk))


def answer_url(follow_up, answer=None):
    url = absolute_url(reverse("followup:answer", args=[token_for(follow_up)]))
    if answer == "no":
        return f"{url}?a=no#ended"  # straight to the date and reason
    return f"{url}?a={answer}" if answer else url


class LinkError(Exception):
    """A follow-up link that cannot be used: `code` is "tampered" or "gone"."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def follow_up_from_token(token):
    try:
        pk = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        raise LinkError("tampered") from None
    follow_up = (
        FollowUp.objects.filter(pk=int(pk), source=FollowUpSource.ASKED)
        .select_related("application__posting__employer")
        .first()
    )
    if follow_up is None:
        raise LinkError("gone")
    return follow_up


def _month_text(month):
    return _("入职 %(n)s 个月") % {"n": month}


def _send(follow_up, application):
    """Queue the one message of an ASKED follow-up (after the row commits)."""
    posting = application.posting
    base = {
        "title": posting.title,
        "employer": posting.employer.name,
        "month": follow_up.month,
        "start_date": application.start_date.isoformat(),
        "url": answer_url(follow_up),
        "yes_url": answer_url(follow_up, "yes"),
        "no_url": answer_url(follow_up, "no"),
        "days": settings.FOLLOW_UP_ANSWER_DAYS,
    }
    if follow_up.party == Party.SEEKER:
        seeker = application.seeker
        base["stop_url"] = base["url"] + "#stop"
        tell_seeker(user=seeker, template="follow_up", context=base)
        return seeker.notify_channel or ""
    recipient = _employer_recipient(application)
    if recipient is None:
        return ""
    base["applicant"] = application.applicant_name
    with translation.override(recipient.language):
        base["month_text"] = _month_text(follow_up.month)
    queue_email(
        to=recipient.email, template="follow_up_employer", context=base, language=recipient.language
    )
    return "email"


def _plan(application, party, rows, today):
    """The follow-ups of one party now due and not yet created: [(month, source, copied)]."""
    due = [m for m in FOLLOW_UP_MONTHS if due_on(application.start_date, m) <= today]
    plan = []
    previous = None
    for month in FOLLOW_UP_MONTHS:
        if month in rows:
            previous = rows[month]
            continue
        if month not in due:
            break
        latest_due = month == due[-1]
        late = due_on(application.start_date, month) < today - timedelta(
            days=settings.FOLLOW_UP_LATE_DAYS
        )
        if previous is not None and previous.still_working is False:
            source = FollowUpSource.CARRIED  # she (or it) already said the work ended
        elif not latest_due or late:
            source = FollowUpSource.SKIPPED  # never ask about a month long past
        else:
            source = FollowUpSource.ASKED
        row = FollowUp(
            application=application,
            month=month,
            party=party,
            source=source,
            due_on=due_on(application.start_date, month),
        )
        if source == FollowUpSource.CARRIED:
            row.still_working = False
            row.ended_on, row.reason = previous.ended_on, previous.reason
        plan.append(row)
        previous = row
    return plan


def send_due(today=None, now=None):
    """Create and send every follow-up that is due (idempotent, restartable). Returns how many
    questions were asked."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    earliest = add_months(today, -FOLLOW_UP_MONTHS[-1]) - timedelta(
        days=settings.FOLLOW_UP_LATE_DAYS
    )
    candidates = (
        askable()
        .filter(start_date__lte=add_months(today, -FOLLOW_UP_MONTHS[0]), start_date__gte=earliest)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    asked = 0
    for pk in candidates.iterator(chunk_size=500):
        asked += _send_for(pk, today, now)
    return asked


@transaction.atomic
def _send_for(pk, today, now):
    application = (
        Application.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("posting__employer", "seeker")
        .filter(pk=pk)
        .first()
    )
    if application is None or not may_ask(application):
        return 0  # another worker holds it, or it changed since the scan
    existing = {}
    for row in FollowUp.objects.filter(application=application):
        existing.setdefault(row.party, {})[row.month] = row
    asked = 0
    for party in (Party.SEEKER, Party.EMPLOYER):
        for row in _plan(application, party, existing.get(party, {}), today):
            if row.source == FollowUpSource.ASKED:
                row.sent_at = now
                row.save()
                row.channel = _send(row, application)
                FollowUp.objects.filter(pk=row.pk).update(channel=row.channel)
                asked += 1
            else:
                row.save()
    return asked


# -- answers --------------------------------------------------------------------------------------


def answer_state(follow_up, now=None):
    """What the link's page may do: "open" (first answer), "change" (within the week after the
    first answer), "closed" (answered, the week is over), "expired" (never answered in time),
    "stopped" (she stopped the follow-ups, or said she did not start) or "gone" (anonymous)."""
    now = now or timezone.now()
    application = follow_up.application
    if application.seeker_id is None:
        return "gone"
    if follow_up.answered_at is not None:
        if now <= follow_up.answered_at + timedelta(days=settings.FOLLOW_UP_CHANGE_DAYS):
            return "change"
        return "closed"
    if application.follow_ups_stopped_at is not None or application.not_started_at is not None:
        return "stopped"
    if now > follow_up.sent_at + timedelta(days=settings.FOLLOW_UP_ANSWER_DAYS):
        return "expired"
    return "open"


def change_until(follow_up):
    if follow_up.answered_at is None:
        return None
    return follow_up.answered_at + timedelta(days=settings.FOLLOW_UP_CHANGE_DAYS)


@transaction.atomic
def record_answer(*, follow_up, still_working, ended_on=None, reason="", now=None):
    """Record (or, within the week, change) an answer. One row per question: a second answer
    replaces the first, never adds to it."""
    now = now or timezone.now()
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=follow_up.pk)
    )
    state = answer_state(follow_up, now)
    if state not in ("open", "change"):
        raise ValidationError(STATE_MESSAGES[state](), code=state)
    if still_working:
        ended_on, reason = None, ""
    else:
        start = follow_up.application.start_date
        if ended_on is None:
            raise ValidationError({"ended_on": _("请填写最后工作的日期。")})
        if ended_on < start or ended_on > timezone.localdate(now):
            raise ValidationError(
                {
                    "ended_on": _("日期应在入职日期（%(start)s）和今天之间。")
                    % {"start": start.isoformat()}
                }
            )
        if reason not in LeaveReason.values:
            raise ValidationError({"reason": _("请选择一个原因。")})
    follow_up.still_working = bool(still_working)
    follow_up.ended_on, follow_up.reason = ended_on, reason
    if follow_up.answered_at is None:
        follow_up.answered_at = now
    follow_up.changed_at = now
    follow_up.save(
        update_fields=["still_working", "ended_on", "reason", "answered_at", "changed_at"]
    )
    return follow_up


STATE_MESSAGES = {
    "closed": lambda: _("回答后一周内可以修改，现在已经不能再改了。"),
    "expired": lambda: _("这条回访已过期，不能再回答。谢谢！"),
    "stopped": lambda: _("求职者已停止回访，这条回访不再需要回答。"),
    "gone": lambda: _("这条回访已失效：相关申请已删除或已匿名。"),
    "tampered": lambda: _("链接不完整或已被改动。请直接点击短信或邮件里的链接，不要手动修改。"),
}


def for_seeker(user, now=None):
    """Her questions still open or changeable (the page the fixed SMS link leads to)."""
    rows = (
        FollowUp.objects.filter(
            application__seeker=user, party=Party.SEEKER, source=FollowUpSource.ASKED
        )
        .select_related("application__posting__employer")
        .order_by("-sent_at")
    )
    return [(row, answer_state(row, now)) for row in rows]
