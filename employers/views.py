"""The employer's side: dashboard, posting editor and lifecycle, applicants. Thin views; writes
go through employers.services; every owned object through employers.access.
"""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momjobs.lib.schedule_forms import window_formset
from momjobs.regions.models import MinimumWage

from . import followups, services
from .access import (
    get_application_for_employer_user,
    get_posting_for_user,
    require_employer_staff,
)
from .export import safe_cell
from .forms import CloseForm, MessageForm, NotesForm, PostingForm, StartDateForm, StatusForm
from .models import (
    Application,
    ApplicationStatus,
    Party,
    Posting,
    PostingRevision,
    PostingStatus,
)
from .quality import badges, meets_minimum_wage, minimum_for


def _employer(request):
    """The employer the signed-in staff member works for (the first, for now)."""
    require_employer_staff(request.user)
    membership = request.user.employer_memberships.select_related("employer__region").first()
    return membership.employer


@login_required
def posting_delete(request, pk):
    """A page that asks first; its button deletes the draft."""
    posting = get_posting_for_user(request.user, pk)
    if request.method == "POST":
        try:
            services.posting_delete(posting=posting, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("employers:posting_preview", posting.pk)
        messages.success(request, _("草稿“%(title)s”已删除。") % {"title": posting.title})
        return redirect("employers:dashboard")
    if not posting.can_delete:
        messages.error(request, _("只有从未提交审核、也没有人申请过的草稿可以删除。"))
        return redirect("employers:posting_preview", posting.pk)
    return render(request, "employers/posting_delete.html", {"posting": posting})


# An employer's posts a page at a time (a chain's catalogue runs to a thousand), the ones she
# acts on first: recruiting, then in review, drafts, and the finished ones last.
DASHBOARD_PAGE_SIZE = 50
DASHBOARD_STATUS_ORDER = [
    PostingStatus.LIVE,
    PostingStatus.SUBMITTED,
    PostingStatus.APPROVED,
    PostingStatus.DRAFT,
    PostingStatus.REJECTED,
    PostingStatus.CLOSED,
    PostingStatus.TAKEN_DOWN,
]


@login_required
def dashboard(request):
    employer = _employer(request)
    mine = Posting.objects.filter(employer=employer)
    counts = dict(mine.values_list("status").annotate(n=Count("pk")).order_by())
    new_applications = Application.objects.filter(
        posting__employer=employer, status=ApplicationStatus.SUBMITTED
    )
    status = request.GET.get("status", "")
    only_waiting = request.GET.get("waiting") == "1"
    listed = mine
    if status in PostingStatus.values:
        listed = listed.filter(status=status)
    else:
        status = ""
    if only_waiting:
        listed = listed.filter(pk__in=new_applications.values("posting_id"))
    listed = (
        listed.annotate(
            rank=Case(
                *[When(status=s, then=Value(n)) for n, s in enumerate(DASHBOARD_STATUS_ORDER)],
                output_field=IntegerField(),
            ),
            waiting=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)
            ),
            applicants=Count(
                "applications",
                filter=Q(applications__seeker__isnull=False)
                & ~Q(applications__status=ApplicationStatus.WITHDRAWN),
            ),
        )
        .select_related("region")
        .order_by("rank", "-updated_at", "pk")
    )
    page = Paginator(listed, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    groups = {}
    for posting in page.object_list:
        groups.setdefault(posting.status, []).append(posting)
    labels = dict(PostingStatus.choices)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "employer": employer,
        "page": page,
        "query": query.urlencode(),
        "groups": [(labels[s], counts.get(s, 0), postings) for s, postings in groups.items()],
        "tabs": [(s, labels[s], counts[s]) for s in DASHBOARD_STATUS_ORDER if counts.get(s)],
        "total": sum(counts.values()),
        "status": status,
        "only_waiting": only_waiting,
        "waiting": new_applications.count(),
        # One tap to the new applications: the post's list when only one post has any.
        "waiting_posts": list(
            new_applications.order_by("posting_id")
            .values_list("posting_id", flat=True)
            .distinct()[:2]
        ),
        "pending_revisions": PostingRevision.objects.filter(
            posting__employer=employer, status="pending"
        ).count(),
    }
    return render(request, "employers/dashboard.html", context)


def _editor(request, posting, *, employer):
    windows = window_formset(request.POST or None, schedule=posting.schedule)
    form = PostingForm(request.POST or None, instance=posting, employer=employer, windows=windows)
    return form, windows


@login_required
def posting_create(request):
    employer = _employer(request)
    form, windows = _editor(request, Posting(), employer=employer)
    if request.method == "POST" and form.is_valid():
        posting = form.save()
        messages.success(request, _("草稿已保存。请预览确认后提交审核。"))
        return redirect("employers:posting_preview", posting.pk)
    return render(
        request, "employers/posting_form.html", {"form": form, "windows": windows, "new": True}
    )


@login_required
def posting_edit(request, pk):
    original = get_posting_for_user(request.user, pk)
    if not original.is_editable:
        messages.error(
            request, _("该岗位目前不能修改（正在审核、已结束或已下架）。可以复制为新草稿。")
        )
        return redirect("employers:posting_preview", original.pk)
    # A separate copy: a live posting stays as it is until the bureau approves the change.
    editable = Posting.objects.get(pk=original.pk)
    form, windows = _editor(request, editable, employer=original.employer)
    if request.method == "POST" and form.is_valid():
        if original.status == PostingStatus.LIVE:
            services.posting_propose_change(
                posting=original, changed=form.instance, by=request.user
            )
            messages.success(
                request, _("修改已提交人社部门审核；审核通过前，求职者看到的仍是原来的内容。")
            )
        else:
            form.save()
            messages.success(request, _("已保存。"))
        return redirect("employers:posting_preview", original.pk)
    context = {"form": form, "windows": windows, "posting": original, "new": False}
    return render(request, "employers/posting_form.html", context)


@login_required
def posting_preview(request, pk):
    """The posting as seekers will see it, with badges, warnings and what to do next."""
    posting = get_posting_for_user(request.user, pk)
    minimum = MinimumWage.in_force(posting.region)
    form = PostingForm(instance=posting, employer=posting.employer, windows=window_formset())
    context = {
        "posting": posting,
        "badges": badges(posting, minimum),
        "below_minimum": meets_minimum_wage(posting, minimum) is False,
        "minimum_line": minimum_for(posting, minimum),
        "warnings": form.warnings(minimum),
        "entries": posting.phase_entries.select_related("phase").order_by("-submitted_at"),
        "revision": posting.revisions.filter(status="pending").first(),
        "can_edit": posting.is_editable,
        "can_submit": posting.can_submit,
        "close_form": CloseForm() if posting.status == PostingStatus.LIVE else None,
    }
    return render(request, "employers/posting_preview.html", context)


@login_required
@require_POST
def posting_duplicate(request, pk):
    posting = get_posting_for_user(request.user, pk)
    copy = services.posting_duplicate(posting=posting, by=request.user)
    messages.success(request, _("已复制为新草稿。"))
    return redirect("employers:posting_edit", copy.pk)


@login_required
@require_POST
def posting_close(request, pk):
    posting = get_posting_for_user(request.user, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.posting_close(
                posting=posting, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("岗位已结束招聘，已通知尚在等待的申请人。"))
    return redirect("employers:posting_preview", posting.pk)


# -- applicants ---------------------------------------------------------------------------------


def _applications(posting):
    return Application.objects.filter(posting=posting, seeker__isnull=False).order_by("-created_at")


@login_required
def application_list(request, pk):
    posting = get_posting_for_user(request.user, pk)
    applications = _applications(posting)
    counts = dict(applications.values_list("status").annotate(n=Count("id")).order_by())
    context = {"posting": posting, "applications": applications, "counts": counts}
    return render(request, "employers/application_list.html", context)


# What she sent when she applied (Application's snapshot fields), never her live profile; her
# number only if she agreed to give it. Withdrawn applications are not exported.
EXPORT_COLUMNS = [
    (_("投递时间"), lambda a: timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M")),
    (_("姓名"), lambda a: a.applicant_name),
    (_("手机号码"), lambda a: a.contact_phone),
    (_("电子邮箱"), lambda a: a.contact_email),
    (_("所在区县"), lambda a: a.applicant_district),
    (_("技能"), lambda a: a.applicant_skills),
    (_("附言"), lambda a: a.note),
    (_("状态"), lambda a: a.get_status_display()),
    (_("内部备注"), lambda a: a.employer_notes),
]


@login_required
def application_export(request, pk, fmt):
    posting = get_posting_for_user(request.user, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header = [str(label) for label, _get in EXPORT_COLUMNS]
    standing = _applications(posting).exclude(status=ApplicationStatus.WITHDRAWN)
    rows = [[safe_cell(get(a)) for _label, get in EXPORT_COLUMNS] for a in standing]
    filename = f"applications-{posting.pk}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        # A byte-order mark so that spreadsheet programs read the Chinese as UTF-8.
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "applications"
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def application_detail(request, pk):
    application = get_application_for_employer_user(request.user, pk)
    if application.seeker_id is None:
        raise Http404  # anonymised: only a count for the bureau's statistics
    if not application.employer_sees_applicant:
        # Withdrawn: the employer learns that, and nothing about her.
        return render(request, "employers/application_withdrawn.html", {"application": application})
    if request.method == "GET":
        services.application_mark_viewed(application=application, by=request.user)
    status_form = StatusForm(
        request.POST if "status" in request.POST else None, application=application
    )
    message_form = MessageForm(request.POST if "text" in request.POST else None)
    notes_form = NotesForm(
        request.POST if "employer_notes" in request.POST else None,
        initial={"employer_notes": application.employer_notes},
    )
    start_form = StartDateForm(
        request.POST if "start_date" in request.POST and "status" not in request.POST else None,
        application=application,
    )
    if request.method == "POST":
        if "status" in request.POST and status_form.is_valid():
            data = status_form.cleaned_data
            try:
                services.application_set_status(
                    application=application,
                    status=data["status"],
                    by=request.user,
                    interview_at=data["interview_at"],
                    interview_place=data["interview_place"],
                    message=data["message"],
                    start_date=data["start_date"],
                )
            except ValidationError as error:
                status_form.add_error(None, error)
            else:
                messages.success(request, _("状态已更新，已通知求职者。"))
                return redirect("employers:application_detail", application.pk)
        elif "text" in request.POST and message_form.is_valid():
            try:
                services.application_send_message(
                    application=application,
                    by=request.user,
                    message=message_form.cleaned_data["text"],
                )
            except ValidationError as error:
                message_form.add_error(None, error)
            else:
                messages.success(request, _("留言已发送给求职者。"))
                return redirect("employers:application_detail", application.pk)
        elif "start_date" in request.POST and "status" not in request.POST:
            if start_form.is_valid():
                try:
                    followups.correct_start_date(
                        application=application,
                        start_date=start_form.cleaned_data["start_date"],
                        by=request.user,
                    )
                except ValidationError as error:
                    start_form.add_error(None, error)
                else:
                    messages.success(request, _("入职日期已更新。"))
                    return redirect("employers:application_detail", application.pk)
        elif "employer_notes" in request.POST and notes_form.is_valid():
            application.employer_notes = notes_form.cleaned_data["employer_notes"]
            application.save(update_fields=["employer_notes", "updated_at"])
            messages.success(request, _("备注已保存。"))
            return redirect("employers:application_detail", application.pk)
    context = {
        "application": application,
        "events": application.events.all(),
        "status_form": status_form,
        "message_form": message_form,
        "notes_form": notes_form,
        "start_form": start_form,
        "follow_ups": [
            (row, followups.answer_state(row), followups.token_for(row))
            for row in application.follow_ups.filter(party=Party.EMPLOYER)
        ],
    }
    return render(request, "employers/application_detail.html", context)


@login_required
def application_cv(request, pk):
    application = get_application_for_employer_user(request.user, pk)
    if not application.employer_sees_applicant or not application.cv:
        raise Http404
    try:
        handle = application.cv.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = application.cv.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
