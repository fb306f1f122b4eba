"""The seeker's side of applications: apply in at most three steps, see where each stands,
withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momjobs.lib import ratelimit

from . import services
from .access import get_application_for_seeker
from .forms_seeker import ApplyForm
from .models import Application, ApplicationStatus, Posting


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
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and existing is None:
        try:
            services.application_submit(
                posting=posting, seeker=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("申请已发送。单位处理后，您会收到邮件，也可以在“我的申请”里查看。")
            )
            return redirect("seeker:applications")
    context = {
        "posting": posting,
        "profile": profile,
        "existing": existing,
        "form": form,
        "verified": request.user.email_verified_at is not None,
        "complete": bool(profile and profile.name and (profile.phone or request.user.email)),
    }
    return render(request, "seeker/apply.html", context)


@login_required
def applications(request):
    _require_seeker(request.user)
    rows = (
        Application.objects.for_seeker(request.user)
        .select_related("posting__employer")
        .prefetch_related("events")
        .order_by("-created_at")
    )
    return render(
        request,
        "seeker/applications.html",
        {"applications": rows, "final": ApplicationStatus.HIRED},
    )


@login_required
@require_POST
def withdraw(request, pk):
    application = get_application_for_seeker(request.user, pk)
    try:
        services.application_withdraw(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("seeker:applications")
