"""The bureau's back office: employers in the signed-in officer's jurisdiction, and their
verification. Thin views; a decision goes through directory.catalog.services, which checks the
jurisdiction again and acts through employers' services (which email the employer's staff).
"""

from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory import access
from directory.access import require_bureau_staff
from directory.outcomes import figures as outcomes
from directory.verification import services as verification
from directory.verification.forms import DecideForm, EmployerFilter, RecognitionForm
from employers.models import EmployerStatus, MembershipRole

# Licences are stored under a name generated from their content (employers/forms_account.py);
# anything else is served as opaque bytes.
LICENCE_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png"}


@login_required
def employer_list(request):
    require_bureau_staff(request.user)
    employers = access.employers_for_staff(request.user)
    counts = {
        row["status"]: row["n"]
        for row in employers.order_by().values("status").annotate(n=Count("pk"))
    }
    ordered = (
        employers.select_related("region__parent__parent")
        .annotate(
            waiting=Case(
                When(status=EmployerStatus.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-created_at", "pk")
    )
    search = EmployerFilter(request.GET or None, queryset=ordered)
    page = Paginator(search.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": search,
        "page": page,
        "query": query.urlencode(),
        "counts": [(value, label, counts.get(value, 0)) for value, label in EmployerStatus.choices],
        "total": sum(counts.values()),
    }
    return render(request, "bureau/employer_list.html", context)


def _detail(request, employer, form, recognition_form=None):
    context = {
        "employer": employer,
        "events": employer.status_events.select_related("by"),
        "owners": employer.memberships.filter(role=MembershipRole.OWNER).select_related("user"),
        "form": form,
        "recognition_form": recognition_form or RecognitionForm(employer=employer),
        # Did its posts work? Shown where an officer decides on a recognition.
        "outcomes": outcomes.for_employer(employer),
    }
    return render(request, "bureau/employer_detail.html", context)


@login_required
def employer_detail(request, pk):
    employer = access.get_employer_for_staff(request.user, pk)
    return _detail(request, employer, DecideForm(employer=employer))


@login_required
def employer_licence(request, pk):
    employer = access.get_employer_for_staff(request.user, pk)
    if not employer.licence:
        raise Http404
    try:
        handle = employer.licence.open("rb")
    except OSError:
        raise Http404 from None
    extension = PurePath(employer.licence.name).suffix.lower()
    # Always a download, never rendered in our origin: an uploaded file cannot run as a page.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"licence-{employer.uscc}{extension}",
        content_type=LICENCE_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def employer_decide(request, pk):
    employer = access.get_employer_for_staff(request.user, pk)
    form = DecideForm(request.POST, employer=employer)
    if (
        form.is_valid()
        and form.cleaned_data["status"] == "removed"
        and request.POST.get("confirmed") != "1"
    ):
        # Removal takes posts down and tells people: a page says so first; its button removes.
        return render(
            request,
            "bureau/employer_remove_confirm.html",
            {"employer": employer, "form": form, **verification.removal_summary(employer)},
        )
    if form.is_valid():
        try:
            verification.employer_decide(
                employer=employer,
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"].strip(),
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(
                request,
                _("“%(name)s”的状态已改为：%(status)s。已通过电子邮件通知该单位。")
                % {"name": employer.name, "status": employer.get_status_display()},
            )
            return redirect("bureau:employer_detail", employer.pk)
    return _detail(request, employer, form)


@login_required
@require_POST
def employer_recognise(request, pk):
    """Set or clear the employer's recognition (shown in the public directory)."""
    employer = access.get_employer_for_staff(request.user, pk)
    form = RecognitionForm(request.POST, employer=employer)
    if form.is_valid():
        data = form.cleaned_data
        try:
            verification.employer_recognise(
                employer=employer,
                by=request.user,
                title=data["title"],
                year=data["year"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if employer.recognition:
                message = _("已认定“%(name)s”为%(year)s年度“%(title)s”。") % {
                    "name": employer.name,
                    "year": employer.recognised_year,
                    "title": employer.recognition,
                }
            else:
                message = _("已撤销“%(name)s”的认定。") % {"name": employer.name}
            messages.success(request, message)
            return redirect("bureau:employer_detail", employer.pk)
    return _detail(request, employer, DecideForm(employer=employer), recognition_form=form)
