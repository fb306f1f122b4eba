"""Writes on the supply side: atomic, keyword-only. The directory app changes employers and
postings only through these functions, so `employers` never imports `directory`.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from momjobs.lib import search_version
from momjobs.lib.links import absolute_url
from momjobs.lib.records import record_language
from momjobs.lib.tasks import queue_email
from momjobs.users.models import Role, SeekerProfile, User
from momjobs.users.notify import tell_seeker

from . import followups
from .models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    DirectoryEvent,
    Employer,
    EmployerInvitation,
    EmployerMembership,
    EmployerStatus,
    EmployerStatusEvent,
    MembershipRole,
    Posting,
    PostingRevision,
    PostingStatus,
    RevisionStatus,
)
from .privacy import clear_applicant

# The facts of a posting that a published phase freezes and that a change to a live posting
# sends back to review.
SNAPSHOT_FIELDS = (
    "title",
    "description",
    "requirements",
    "sector",
    "openings",
    "work_form",
    "schedule",
    "flexible_hours",
    "schedule_note",
    "weekly_minutes",
    "school_run",
    "weekends_off",
    "childcare_leave",
    "no_forced_overtime",
    "address",
    "place",
    "pay_unit",
    "contract",
    "insurance",
    "training",
    "career_route",
    "valid_through",
)
# What an edit of a live posting may change (everything a seeker relies on).
REVIEWED_FIELDS = tuple(f for f in SNAPSHOT_FIELDS if f != "weekly_minutes") + (
    "pay_min",
    "pay_max",
    "region_id",
)


def _url(name, *args):

    return absolute_url(reverse(name, args=args))


def posting_snapshot(posting):
    data = {name: getattr(posting, name) for name in SNAPSHOT_FIELDS}
    data["valid_through"] = posting.valid_through.isoformat() if posting.valid_through else None
    data["pay_min"] = str(posting.pay_min)
    data["pay_max"] = str(posting.pay_max)
    data["employer_id"] = posting.employer_id
    data["employer_name"] = posting.employer.name
    data["region_code"] = posting.region.code
    data["region_name"] = posting.region.full_name
    return data


# -- employers ------------------------------------------------------------------------------------


def _staff_emails(employer):
    return list(employer.memberships.values_list("user__email", "user__language"))


def tell_staff(employer, template, context):
    """Email every member of the employer, each in her language, after the commit."""
    for email, language in _staff_emails(employer):
        if email:
            queue_email(to=email, template=template, context=context, language=language)


_tell_staff = tell_staff


@transaction.atomic
def employer_register(*, email, password, display_name, employer_fields, licence=None):
    """A new account and a new organisation, pending verification. The caller has checked
    that the code is not registered yet; the unique constraint is the last word."""
    user = User.objects.create_user(
        email=email, password=password, role=Role.EMPLOYER, display_name=display_name
    )
    employer = Employer(**employer_fields, status=EmployerStatus.PENDING)
    if licence is not None:
        employer.licence = licence
    employer.status_changed_at = timezone.now()
    employer.save()
    EmployerMembership.objects.create(employer=employer, user=user, role=MembershipRole.OWNER)
    with record_language():
        submitted = _("提交登记")
    EmployerStatusEvent.objects.create(
        employer=employer, status=EmployerStatus.PENDING, reason=submitted, by=user
    )
    _tell_staff(
        employer,
        "employer_registered",
        {"employer": employer.name, "dashboard_url": _url("employers:dashboard")},
    )
    return user, employer


@transaction.atomic
def employer_set_status(*, employer, status, by, reason=""):
    """Verify, reject or remove an employer (the bureau's service calls this after checking
    its jurisdiction). The employer's staff are emailed."""
    if status in (EmployerStatus.REJECTED, EmployerStatus.REMOVED) and not reason.strip():
        raise ValidationError(_("不通过或移出名录时必须填写理由。"), code="reason_required")
    employer.status = status
    employer.status_reason = reason
    employer.status_changed_at = timezone.now()
    employer.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
    kind = {
        EmployerStatus.VERIFIED: DirectoryEvent.VERIFIED,
        EmployerStatus.REJECTED: DirectoryEvent.REJECTED,
        EmployerStatus.REMOVED: DirectoryEvent.REMOVED,
    }.get(status, DirectoryEvent.LISTED)
    EmployerStatusEvent.objects.create(
        employer=employer, kind=kind, status=status, reason=reason, by=by
    )
    _tell_staff(
        employer,
        "employer_status",
        {
            "employer": employer.name,
            "status": status,
            "status_label": str(EmployerStatus(status).label),
            "reason": reason,
            "dashboard_url": _url("employers:dashboard"),
        },
    )
    return employer


@transaction.atomic
def employer_recognise(*, employer, by, title, year, reason=None):
    """Set (or, with an empty title and no year, clear) the recognition; `reason` is the
    directory history's public line (default: title and year)."""
    employer.recognition = title
    employer.recognised_year = year
    employer.save(update_fields=["recognition", "recognised_year", "updated_at"])
    EmployerStatusEvent.objects.create(
        employer=employer,
        kind=DirectoryEvent.RECOGNISED,
        status=employer.status,
        reason=(f"{title} {year}" if reason is None else reason)[:300],
        by=by,
    )
    return employer


# -- staff ----------------------------------------------------------------------------------------


def require_owner(*, employer, user):
    if not EmployerMembership.objects.filter(
        employer=employer, user=user, role=MembershipRole.OWNER
    ).exists():
        raise PermissionDenied


@transaction.atomic
def staff_invite(*, employer, email, by):
    require_owner(employer=employer, user=by)
    email = email.strip().lower()
    if EmployerMembership.objects.filter(employer=employer, user__email=email).exists():
        raise ValidationError(_("该邮箱已是本单位成员。"), code="already_member")
    invitation = EmployerInvitation.objects.create(employer=employer, email=email, invited_by=by)
    queue_email(
        to=email,
        template="employer_invitation",
        context={
            "employer": employer.name,
            "inviter": str(by),
            "accept_url": _url("employers:invitation", invitation.token),
        },
    )
    return invitation


@transaction.atomic
def staff_accept(*, invitation, user):
    if not invitation.is_open:
        raise ValidationError(_("邀请已失效，请联系单位管理员重新邀请。"), code="expired")
    if user.email.lower() != invitation.email:
        raise ValidationError(_("请使用收到邀请的邮箱登录后再接受邀请。"), code="wrong_user")
    if user.role != Role.EMPLOYER:
        raise ValidationError(_("该账户不是用人单位账户，不能加入单位。"), code="wrong_role")
    membership, _created = EmployerMembership.objects.get_or_create(
        employer=invitation.employer, user=user, defaults={"role": MembershipRole.STAFF}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def staff_remove(*, membership, by):
    require_owner(employer=membership.employer, user=by)
    if membership.role == MembershipRole.OWNER and (
        membership.employer.memberships.filter(role=MembershipRole.OWNER).count() == 1
    ):
        raise ValidationError(_("单位至少要保留一位管理员。"), code="last_owner")
    membership.delete()


# -- postings -------------------------------------------------------------------------------------


def _tell_applicants(posting, template, reason):
    for application in posting.applications.open_ones().select_related("seeker"):
        tell_seeker(
            user=application.seeker,
            template=template,
            context={
                "title": posting.title,
                "employer": posting.employer.name,
                "reason": reason,
                "url": _url("seeker:applications"),
            },
        )


@transaction.atomic
def posting_delete(*, posting, by):
    """An employer deletes its own draft (Posting.can_delete)."""
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    if not posting.can_delete:
        raise ValidationError(
            _("只有从未提交审核、也没有人申请过的草稿可以删除。"), code="not_deletable"
        )
    posting.delete()


@transaction.atomic
def posting_duplicate(*, posting, by):
    copy = Posting.objects.get(pk=posting.pk)
    copy.pk = None
    copy.id = None
    copy.status = PostingStatus.DRAFT
    copy.published_at = copy.closed_at = None
    copy.status_reason = ""
    copy.imported = False
    copy.title = _("%(title)s（副本）") % {"title": posting.title}
    copy.save()
    return copy


@transaction.atomic
def posting_close(*, posting, by, reason=""):
    """The employer ends recruitment early; applicants still waiting are told."""
    if posting.status != PostingStatus.LIVE:
        raise ValidationError(_("只有招聘中的岗位可以结束。"), code="not_live")
    posting.status = PostingStatus.CLOSED
    posting.closed_at = timezone.now()
    posting.status_reason = reason
    posting.save(update_fields=["status", "closed_at", "status_reason", "updated_at"])
    search_version.bump()
    _tell_applicants(posting, "posting_closed", reason)
    return posting


@transaction.atomic
def posting_take_down(*, posting, by, reason):
    """A bureau takes a posting down (called by the directory after its jurisdiction check)."""
    if not reason.strip():
        raise ValidationError(_("下架时必须填写理由。"), code="reason_required")
    posting.status = PostingStatus.TAKEN_DOWN
    posting.closed_at = timezone.now()
    posting.status_reason = reason
    posting.save(update_fields=["status", "closed_at", "status_reason", "updated_at"])
    search_version.bump()
    _tell_applicants(posting, "posting_taken_down", reason)
    _tell_staff(
        posting.employer, "posting_taken_down_employer", {"title": posting.title, "reason": reason}
    )
    return posting


def revision_data(posting):
    data = {}
    for name in REVIEWED_FIELDS:
        value = getattr(posting, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif name in ("pay_min", "pay_max"):
            value = str(value)
        data[name] = value
    return data


@transaction.atomic
def posting_propose_change(*, posting, changed, by):
    """`changed` is an unsaved, validated copy of a live posting with the new facts. The live
    posting stays as it is until a bureau approves; one pending change at a time."""
    with record_language():
        superseded = _("已被更新的修改取代")
    PostingRevision.objects.filter(posting=posting, status=RevisionStatus.PENDING).update(
        status=RevisionStatus.REJECTED, reason=superseded, decided_at=timezone.now()
    )
    return PostingRevision.objects.create(
        posting=posting, data=revision_data(changed), submitted_by=by
    )


@transaction.atomic
def revision_decide(*, revision, approve, by, reason=""):
    if revision.status != RevisionStatus.PENDING:
        raise ValidationError(_("该修改已经处理过。"), code="decided")
    if not approve and not reason.strip():
        raise ValidationError(_("不通过时必须填写理由。"), code="reason_required")
    revision.status = RevisionStatus.APPROVED if approve else RevisionStatus.REJECTED
    revision.decided_by, revision.decided_at, revision.reason = by, timezone.now(), reason
    revision.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    if approve:
        posting = revision.posting
        for name, value in revision.data.items():
            setattr(posting, name, value)
        posting.full_clean()
        posting.save()
        search_version.bump()
    _tell_staff(
        revision.posting.employer,
        "revision_decided",
        {"title": revision.posting.title, "approved": approve, "reason": reason},
    )
    return revision


@transaction.atomic
def postings_go_live(*, postings, at=None):
    """Called when a phase is published: the approved postings become findable."""
    at = at or timezone.now()
    ids = [p.pk for p in postings]
    search_version.bump()
    return (
        Posting.objects.filter(pk__in=ids)
        .exclude(status__in=[PostingStatus.CLOSED, PostingStatus.TAKEN_DOWN])
        .update(status=PostingStatus.LIVE, published_at=at)
    )


@transaction.atomic
def postings_set_status(*, postings, status):
    ids = [p.pk for p in postings]
    changed = Posting.objects.filter(pk__in=ids)
    if status == PostingStatus.LIVE or changed.filter(status=PostingStatus.LIVE).exists():
        search_version.bump()  # (a review decision on a post not yet live changes no search)
    return changed.update(status=status)


# -- applications ---------------------------------------------------------------------------------


def _status_news(application, *, status, interview_at, interview_place, message):
    seeker = application.seeker
    with translation.override(seeker.language):
        status_label = str(ApplicationStatus(status).label)
    return {
        "title": application.posting.title,
        "employer": application.posting.employer.name,
        "status": status,
        "status_label": status_label,
        "interview_at": timezone.localtime(interview_at).strftime("%Y-%m-%d %H:%M")
        if interview_at
        else "",
        "interview_place": interview_place,
        "message": message,
        "url": _url("seeker:applications"),
    }


@transaction.atomic
def application_set_status(
    *, application, status, by, interview_at=None, interview_place="", message="", start_date=None
):
    """The employer moves an application on, only forwards (Application.next_statuses); the
    seeker is told where she reads it. A hire needs its start date (employers/followups.py)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if status == ApplicationStatus.WITHDRAWN:
        raise ValidationError(_("只有求职者本人可以撤回申请。"), code="not_yours")
    if application.status == ApplicationStatus.WITHDRAWN:
        raise ValidationError(_("求职者已撤回该申请。"), code="withdrawn")
    if status not in application.next_statuses:
        raise ValidationError(
            _("申请现在是“%(now)s”，不能改为“%(new)s”。"),
            code="backwards",
            params={
                "now": application.get_status_display(),
                "new": ApplicationStatus(status).label,
            },
        )
    if status == ApplicationStatus.INTERVIEW and (interview_at is None or not interview_place):
        raise ValidationError(_("邀请面试时请填写面试时间和地点。"), code="interview_details")
    if status == ApplicationStatus.HIRED:
        application.start_date = followups.check_start_date(application, start_date)
    application.status = status
    if status == ApplicationStatus.INTERVIEW:
        application.interview_at = interview_at
        application.interview_place = interview_place
    application.save()
    ApplicationEvent.objects.create(application=application, status=status, by=by, message=message)
    if application.seeker_id:
        news = _status_news(
            application,
            status=status,
            interview_at=application.interview_at
            if status == ApplicationStatus.INTERVIEW
            else None,
            interview_place=application.interview_place
            if status == ApplicationStatus.INTERVIEW
            else "",
            message=message,
        )
        if status == ApplicationStatus.HIRED:
            news["start_date"] = application.start_date.isoformat()
        tell_seeker(user=application.seeker, template="application_status", context=news)
    return application


@transaction.atomic
def application_send_message(*, application, by, message):
    """A message to the applicant that changes nothing else: her status and interview stay."""
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("请填写留言内容。"), code="empty")
    if not application.employer_sees_applicant:
        raise ValidationError(_("求职者已撤回该申请。"), code="withdrawn")
    ApplicationEvent.objects.create(
        application=application,
        status=application.status,
        by=by,
        message=message,
        is_message=True,
    )
    tell_seeker(
        user=application.seeker,
        template="application_message",
        context={
            "title": application.posting.title,
            "employer": application.posting.employer.name,
            "message": message,
            "url": _url("seeker:applications"),
        },
    )
    return application


def application_mark_viewed(*, application, by):
    if application.status == ApplicationStatus.SUBMITTED:
        application_set_status(application=application, status=ApplicationStatus.VIEWED, by=by)


def take_snapshot(application, seeker, *, share_phone):
    """What she sends: her profile as it is now, her number only if she agreed, a copy of her
    CV, and her consent (time, notice version). The employer reads only this."""
    # Read afresh: what is saved is what she sends (not a copy cached on the user object).
    profile = SeekerProfile.objects.filter(user=seeker).select_related("district").first()
    application.applicant_name = (profile.name if profile else "") or seeker.display_name
    application.applicant_district = (
        profile.district.full_name if profile and profile.district else ""
    )
    application.applicant_skills = profile.skills if profile else ""
    application.applicant_experience = profile.experience if profile else ""
    application.contact_email = seeker.email or ""
    application.contact_phone = (profile.phone if profile else "") if share_phone else ""
    application.consent_at = timezone.now()
    application.privacy_policy_version = settings.PRIVACY_POLICY_VERSION
    if application.cv:
        old = application.cv
        transaction.on_commit(lambda: old.storage.delete(old.name))
        application.cv = ""
    if profile and profile.cv:
        try:
            with profile.cv.open("rb") as handle:
                application.cv.save(profile.cv.name.rsplit("/", 1)[-1], File(handle), save=False)
        except FileNotFoundError:
            pass  # her file is gone from storage: the application goes without it


def _applicant_name(seeker):
    return getattr(getattr(seeker, "seeker_profile", None), "name", "") or str(seeker)


@transaction.atomic
def application_submit(*, posting, seeker, note="", share_phone=False):
    """A seeker applies (or applies again after withdrawing, while the post is open); the
    employer's staff are emailed after the commit. Her number goes to the employer only when
    she ticked `share_phone` on the apply step."""
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    if posting.status != PostingStatus.LIVE or (
        posting.valid_through and posting.valid_through < timezone.localdate()
    ):
        raise ValidationError(_("该岗位已结束招聘，不能再申请。"), code="closed")
    if not seeker.is_contact_verified:
        raise ValidationError(
            _("请先确认邮箱（点击确认邮件中的链接）或验证手机号码，然后再申请。"),
            code="unverified",
        )
    application = (
        Application.objects.select_for_update().filter(posting=posting, seeker=seeker).first()
    )
    if application is not None and application.status != ApplicationStatus.WITHDRAWN:
        raise ValidationError(_("您已经申请过这个岗位。"), code="duplicate")
    if application is None:
        application = Application(posting=posting, seeker=seeker)
    application.status = ApplicationStatus.SUBMITTED
    application.note = note
    application.interview_at, application.interview_place = None, ""
    take_snapshot(application, seeker, share_phone=share_phone)
    application.save()
    ApplicationEvent.objects.create(
        application=application, status=ApplicationStatus.SUBMITTED, by=seeker
    )
    _tell_staff(
        posting.employer,
        "application_received",
        {
            "title": posting.title,
            "applicant": _applicant_name(seeker),
            "url": _url("employers:application_detail", application.pk),
        },
    )
    return application


@transaction.atomic
def application_withdraw(*, application, by):
    if application.seeker_id != by.pk:
        raise PermissionDenied
    if not application.can_withdraw:
        raise ValidationError(_("该申请不能撤回。"), code="final")
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    # The employer's access ends: what she sent (contacts, CV, note) is cleared.
    clear_applicant(Application.objects.filter(pk=application.pk))
    ApplicationEvent.objects.create(
        application=application, status=ApplicationStatus.WITHDRAWN, by=by
    )
    posting = application.posting
    _tell_staff(
        posting.employer,
        "application_withdrawn",
        {
            "title": posting.title,
            "applicant": _applicant_name(by),
            "url": _url("employers:application_detail", application.pk),
        },
    )
    return application
