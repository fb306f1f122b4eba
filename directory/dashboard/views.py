"""The bureau's dashboard (figures, server-drawn SVG charts, the same figures as CSV) and its
audit log. Bureau staff only (others 403); each officer sees her own jurisdictions, a
provincial bureau all its cities. The figures are defined in docs/dashboard.md.
"""

import csv
import io

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.access import require_bureau_staff
from directory.dashboard import charts
from directory.dashboard.figures import Dashboard
from directory.dashboard.forms import AuditFilter, DashboardFilterForm
from directory.models import AuditEntry, DeliveryStatus
from employers.export import safe_cell

# A chart draws the largest rows only (a province has over a hundred districts); the table
# beside it has them all.
CHART_ROWS = 15


def _board_and_form(request):
    require_bureau_staff(request.user)
    board = Dashboard(request.user)
    form = DashboardFilterForm(request.GET or None, phases=board.phases)
    return board, form


def _charts(board, figures, scope):
    def chart(chart_id, title, rows):
        rows = (
            sorted(rows, key=lambda row: -row[1])[:CHART_ROWS] if len(rows) > CHART_ROWS else rows
        )
        return charts.bar_chart(chart_id=chart_id, title=title, rows=rows)

    return {
        "phase": chart(
            "chart-phase",
            _("各批次审核通过的岗位数"),
            [(row.phase.title, row.approved) for row in board.phase_rows],
        ),
        "sector": chart(
            "chart-sector",
            _("按行业的岗位数（%(scope)s）") % {"scope": scope},
            [(row.label, row.postings) for row in figures.by_sector],
        ),
        "district": chart(
            "chart-district",
            _("按区县的岗位数（%(scope)s）") % {"scope": scope},
            [(row.label, row.postings) for row in figures.by_district],
        ),
    }


def _page(request, board, form):
    phase = form.chosen()
    figures = board.figures(phase)
    scope = phase.title if phase else _("全部批次")
    query = request.GET.urlencode() if phase else ""
    context = {
        "board": board,
        "form": form,
        "figures": figures,
        "scope": scope,
        "charts": _charts(board, figures, scope),
        "chart_rows": CHART_ROWS,
        "csv_url": reverse("bureau:dashboard_csv") + (f"?{query}" if query else ""),
    }
    return render(request, "dashboard/dashboard.html", context)


@login_required
@require_safe
def dashboard(request):
    return _page(request, *_board_and_form(request))


BREAKDOWN_HEADER = (
    lambda: _("用人单位"),
    lambda: _("岗位"),
    lambda: _("招聘中"),
    lambda: _("招聘人数"),
    lambda: _("申请"),
    lambda: _("录用"),
)


def _breakdown_line(row):
    return [
        row.label,
        row.employers,
        row.postings,
        row.live,
        row.openings,
        row.applications,
        row.hires,
    ]


def csv_lines(board, figures, scope, now):
    """The dashboard's figures as rows of cells, one block per table, blank lines between."""
    e = figures.employers
    lines = [
        [_("妈妈岗服务平台统计数据")],
        [_("人社部门"), *[bureau.name for bureau in board.bureaus]],
        [_("批次"), scope],
        [_("导出时间"), now.strftime("%Y-%m-%d %H:%M")],
        [],
        [_("用人单位"), _("数量")],
        [_("已核验"), e["verified"]],
        [_("其中获得认定"), e["recognised"]],
        [_("待核验"), e["pending"]],
        [_("未通过核验"), e["rejected"]],
        [_("已移出名录"), e["removed"]],
        [],
        [
            _("批次"),
            _("状态"),
            _("人社部门"),
            _("提交岗位"),
            _("审核通过"),
            _("用人单位"),
            _("招聘人数"),
            _("申请"),
            _("录用"),
            _("摘要待发送"),
            _("摘要已发送"),
            _("摘要发送失败"),
            _("摘要无匹配岗位"),
        ],
    ]
    for row in board.phase_rows:
        lines.append(
            [
                row.phase.title,
                row.phase.get_status_display(),
                row.phase.catalog.bureau.name,
                row.submitted,
                row.approved,
                row.employers,
                row.openings,
                row.applications,
                row.hires,
                row.digests[DeliveryStatus.PENDING],
                row.digests[DeliveryStatus.SENT],
                row.digests[DeliveryStatus.FAILED],
                row.digests[DeliveryStatus.SKIPPED],
            ]
        )
    if board.unattributed.applications:
        u = board.unattributed
        lines.append([u.label, "", "", "", "", "", "", u.applications, u.hires, "", "", "", ""])
    for title, rows in ((_("行业"), figures.by_sector), (_("区县"), figures.by_district)):
        lines += [[], [title, *[header() for header in BREAKDOWN_HEADER]]]
        lines += [_breakdown_line(row) for row in rows]
        lines.append(_breakdown_line(figures.totals))
    return lines


@login_required
@require_safe
def dashboard_csv(request):
    board, form = _board_and_form(request)
    if form.is_bound and not form.is_valid():
        # The page says what is wrong with the filter; a file cannot.
        return _page(request, board, form)
    phase = form.chosen()
    figures = board.figures(phase)
    now = timezone.localtime()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in csv_lines(board, figures, phase.title if phase else _("全部批次"), now):
        writer.writerow([safe_cell(cell) for cell in line])
    # The byte-order mark makes Excel read the file as UTF-8 (else Chinese comes out garbled).
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"momjobs-figures-{now:%Y%m%d}" + (f"-phase{phase.pk}" if phase else "") + ".csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _object_types():
    names = {}
    for label in ("employers", "directory"):
        for model in apps.get_app_config(label).get_models():
            names[model._meta.model_name] = model._meta.verbose_name
    return names


# Where a line's object is seen in the back office (the page checks access again).
OBJECT_PAGES = {
    "employer": "bureau:employer_detail",
    "posting": "bureau:posting_view",
    "phase": "bureau:phase_review",
}


def _object_link(entry):
    name = OBJECT_PAGES.get(entry.object_type)
    if name is None or not entry.object_id.isdigit():
        return ""
    return reverse(name, args=[int(entry.object_id)])


@login_required
@require_safe
def audit_log(request):
    require_bureau_staff(request.user)
    entries = AuditEntry.objects.for_staff(request.user).select_related("bureau")
    actors = entries.order_by("actor_label").values_list("actor_label", flat=True).distinct()
    search = AuditFilter(request.GET or None, queryset=entries, actors=list(actors))
    page = Paginator(search.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    types = _object_types()
    for entry in page.object_list:
        entry.type_label = types.get(entry.object_type, entry.object_type)
        entry.link = _object_link(entry)
    context = {
        "filter": search,
        "page": page,
        "query": query.urlencode(),
        "several_bureaus": request.user.bureau_memberships.count() > 1,
    }
    return render(request, "dashboard/audit_log.html", context)
