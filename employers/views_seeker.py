"""The seeker's side of applications: apply in at most three steps, see where each stands,
withdraw."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momjobs.lib import ratelimit
from momjobs.users.models import Notify

from . import followups, services
from .access import get_application_for_seeker
from .forms_seeker import ApplyForm
from .models import Application, ApplicationStatus, FollowUpSource, Party, Posting


def _require_seeker(user):
    if not user.is_seeker:
        raise PermissionDenied


@login_required
@ratelimit.limit("apply", rate=30, period=3600)
def apply(request, pk):
    _require_seeker(request.user)
    # A closed posting still answers, with a clear "recruitment has ended" instead of a 404.
    posting = get_object_or_404(
        Posting.objects.public().select_related("employer", "region"),
        pk=pk,
    )
    profile = getattr(request.user, "seeker_profile", None)
    existing = Application.objects.filter(posting=posting, seeker=request.user).first()
    if existing is not None and existing.can_apply_again:
        existing = None  # withdrawn while the post is open: she may send it again
    form = ApplyForm(request.POST or None, phone=profile.phone if profile else "")
    if request.method == "POST" and form.is_valid() and existing is None:
        try:
            services.application_submit(
                posting=posting,
                seeker=request.user,
                note=form.cleaned_data["note"],
                share_phone=form.cleaned_data.get("share_phone", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.user.notify_channel == Notify.SMS:
                sent = _("申请已发送。单位处理后，我们会发短信告诉您，也可以在“我的申请”里查看。")
            else:
                sent = _("申请已发送。单位处理后，您会收到邮件，也可以在“我的申请”里查看。")
            messages.success(request, sent)
            return redirect("seeker:applications")
    context = {
        "posting": posting,
        "profile": profile,
        "existing": existing,
        "form": form,
        "verified": request.user.is_contact_verified,
        "retention_days": settings.APPLICATION_RETENTION_DAYS,
        "privacy_version": settings.PRIVACY_POLICY_VERSION,
        "complete": bool(profile and profile.name and (profile.phone or request.user.email)),
    }
    return render(request, "seeker/apply.html", context)


@login_required
def applications(request):
    _require_seeker(request.user)
    rows = (
        Application.objects.for_seeker(request.user)
        .select_related("posting__employer")
        .prefetch_related("events", "follow_ups")
        .order_by("-created_at")
    )
    for application in rows:
        application.my_follow_ups = [
            (row, followups.answer_state(row), followups.token_for(row))
            for row in application.follow_ups.all()
            if row.party == Party.SEEKER and row.source == FollowUpSource.ASKED
        ]
        application.has_answered = any(row.is_answered for row, _s, _t in application.my_follow_ups)
    return render(
        request,
        "seeker/applications.html",
        {"applications": rows, "final": ApplicationStatus.HIRED},
    )


@login_required
def withdraw(request, pk):
    """A page that says what withdrawing does; its button (a POST) withdraws."""
    application = get_application_for_seeker(request.user, pk)
    if request.method == "POST":
        try:
            services.application_withdraw(application=application, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("申请已撤回，单位会收到通知。"))
        return redirect("seeker:applications")
    if not application.can_withdraw:
        messages.error(request, _("该申请不能撤回。"))
        return redirect("seeker:applications")
    return render(request, "seeker/withdraw.html", {"application": application})


@login_required
def not_started(request, pk):
    """ "I did not start": a page says what it does; its button records it."""
    application = get_application_for_seeker(request.user, pk)
    if application.status != ApplicationStatus.HIRED or application.start_date is None:
        messages.error(request, _("只有已录用的申请才能这样标记。"))
        return redirect("seeker:applications")
    if request.method == "POST":
        followups.seeker_not_started(application=application, by=request.user)
        messages.success(
            request, _("已记录：您没有入职。单位会收到通知，平台不会再就这份工作询问您。")
        )
        return redirect("seeker:applications")
    return render(request, "seeker/not_started.html", {"application": application})


@login_required
@require_POST
def stop_follow_ups(request, pk):
    application = get_application_for_seeker(request.user, pk)
    followups.stop_follow_ups(application=application)
    messages.success(request, _("好的，不会再就这份工作询问您了。"))
    return redirect("seeker:applications")
