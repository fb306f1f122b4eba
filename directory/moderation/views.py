"""Reporting a posting (anyone), and the bureau's queue of reports (its jurisdiction only)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory import access
from directory.access import require_bureau_staff
from directory.models import ReportReason, ReportStatus
from directory.moderation import services as reports
from directory.moderation.forms import HandleForm, ReportForm, TakeDownForm
from momjobs.lib import ratelimit

rate_limited = ratelimit.limit("report", rate=settings.REPORT_RATE, period=settings.REPORT_PERIOD)


def _public_posting(pk):
    return get_object_or_404(
        reports.reportable_postings().select_related("employer", "region__parent__parent"), pk=pk
    )


@require_http_methods(["GET", "POST"])
@rate_limited
def report_posting(request, pk):
    posting = _public_posting(pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reports.report_create(posting=posting, reporter=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("report_sent", posting.pk)
    context = {
        "posting": posting,
        "form": form,
        "retention_days": settings.REPORT_CONTACT_RETENTION_DAYS,
    }
    return render(request, "reports/form.html", context)


@require_GET
def report_sent(request, pk):
    return render(request, "reports/sent.html", {"posting": _public_posting(pk)})


# -- the bureau's queue ----------------------------------------------------------------------

STATUS_ALL = "all"


@login_required
def report_list(request):
    require_bureau_staff(request.user)
    status = request.GET.get("status", ReportStatus.OPEN)
    if status not in (*ReportStatus.values, STATUS_ALL):
        status = ReportStatus.OPEN
    reason = request.GET.get("reason", "")
    if reason not in ReportReason.values:
        reason = ""
    mine = access.reports_for_staff(request.user)
    shown = mine
    wanted = Q()  # the same conditions, seen from the posting
    if status != STATUS_ALL:
        shown = shown.filter(status=status)
        wanted &= Q(reports__status=status)
    if reason:
        shown = shown.filter(reason=reason)
        wanted &= Q(reports__reason=reason)
    postings = (
        access.postings_for_staff(request.user)
        .filter(pk__in=shown.values("posting_id"))
        .select_related("employer", "region__parent__parent")
        .annotate(
            report_count=Count("reports", filter=wanted or None),
            latest=Max("reports__created_at", filter=wanted or None),
            open_count=Count("reports", filter=Q(reports__status=ReportStatus.OPEN)),
            last_open=Max("reports__id", filter=Q(reports__status=ReportStatus.OPEN)),
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=shown.select_related("handled_by").order_by("-created_at"),
                to_attr="shown_reports",
            )
        )
        .order_by("-latest", "-pk")
    )
    page = Paginator(postings, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    open_reports = mine.filter(status=ReportStatus.OPEN)
    by_reason = dict(open_reports.values_list("reason").annotate(n=Count("id")).order_by())
    by_status = dict(mine.values_list("status").annotate(n=Count("id")).order_by())
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "status": status,
        "reason": reason,
        "statuses": [(v, label, by_status.get(v, 0)) for v, label in ReportStatus.choices],
        "reasons": [(v, label, by_reason.get(v, 0)) for v, label in ReportReason.choices],
        "open_total": sum(by_reason.values()),
        "query": query.urlencode(),
        "form": HandleForm(),
    }
    return render(request, "reports/queue.html", context)


@login_required
@require_POST
def report_handle(request, pk):
    report = access.get_report_for_staff(request.user, pk)
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            count = reports.report_handle(
                report=report,
                by=request.user,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if form.cleaned_data["action"] == reports.TAKE_DOWN:
                text = _("岗位已下架，已通知申请人和用人单位；%(n)s 条举报已处理。")
            else:
                text = _("已记录：%(n)s 条举报不成立。")
            messages.success(request, text % {"n": count})
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("bureau:report_list")


@login_required
def posting_take_down(request, pk):
    posting = access.get_posting_for_staff(request.user, pk)
    form = TakeDownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reports.posting_take_down(
                posting=posting, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("岗位已下架，已通知申请人和用人单位。"))
            return redirect("bureau:phase_list")
    context = {
        "posting": posting,
        "form": form,
        "applicants": posting.applications.open_ones().count(),
    }
    return render(request, "review/take_down.html", context)
