"""Did the posts work? The bureau's page of hires and retention (directory/outcomes/figures.py
computes; docs/followups.md defines): per phase, sector, district or employer, with SVG charts
and the same figures as CSV and XLSX. Bureau staff only, over their own jurisdictions.
"""

import csv
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from directory.access import require_bureau_staff
from directory.dashboard import charts
from directory.dashboard.figures import Dashboard
from directory.dashboard.forms import DashboardFilterForm
from directory.outcomes import figures
from directory.outcomes.figures import shown
from employers.export import safe_cell
from employers.models import FOLLOW_UP_MONTHS, LeaveReason, Party

# The page lists this many rows of a breakdown (most hires first); the files list them all.
PAGE_ROWS = 50

DIMENSION_LABELS = {
    "phase": gettext_lazy("批次"),
    "sector": gettext_lazy("行业"),
    "district": gettext_lazy("区县"),
    "employer": gettext_lazy("用人单位"),
}


class OutcomeFilterForm(DashboardFilterForm):
    by = forms.ChoiceField(
        label=gettext_lazy("分组"),
        required=False,
        choices=list(DIMENSION_LABELS.items()),
    )

    def dimension(self):
        if self.is_bound and self.is_valid() and self.cleaned_data.get("by"):
            return self.cleaned_data["by"]
        return "phase"


def _setup(request):
    require_bureau_staff(request.user)
    board = Dashboard(request.user)
    form = OutcomeFilterForm(request.GET or None, phases=board.phases)
    phase = form.chosen()
    outcomes = figures.for_jurisdiction(board.paths, phase)
    return board, form, phase, outcomes


def _charts(totals):
    months = totals.month_rows()
    return {
        "retention": charts.bar_chart(
            chart_id="chart-retention",
            title=_("入职后仍在岗的人数（本人回答）"),
            rows=[(_("%(m)s 个月") % {"m": m}, month.working[Party.SEEKER]) for m, month in months],
            people=True,
        ),
        "reasons": charts.bar_chart(
            chart_id="chart-reasons",
            title=_("离职原因（本人回答）"),
            rows=[(label, seeker) for label, _a, _b, seeker, _e in totals.reason_rows()],
            people=True,
        ),
    }


@login_required
@require_safe
def outcomes_page(request):
    board, form, phase, found = _setup(request)
    dimension = form.dimension()
    rows = found.rows(dimension, board.region_label)
    # The same totals whatever the grouping (a post in two phases is one post).
    totals = found.totals()
    query = request.GET.urlencode()
    context = {
        "board": board,
        "form": form,
        "phase": phase,
        "scope": phase.title if phase else _("全部批次"),
        "dimension": dimension,
        "dimension_label": DIMENSION_LABELS[dimension],
        "rows": rows[:PAGE_ROWS],
        "more_rows": max(len(rows) - PAGE_ROWS, 0),
        "totals": totals,
        "months": FOLLOW_UP_MONTHS,
        "charts": _charts(totals),
        "csv_url": reverse("bureau:outcomes_file", args=["csv"]) + (f"?{query}" if query else ""),
        "xlsx_url": reverse("bureau:outcomes_file", args=["xlsx"]) + (f"?{query}" if query else ""),
    }
    return render(request, "dashboard/outcomes.html", context)


def header():
    cells = [
        _("岗位数"),
        _("申请"),
        _("面试"),
        _("录用"),
        _("已入职"),
        _("本人表示未入职"),
    ]
    for m in FOLLOW_UP_MONTHS:
        cells += [
            _("%(m)s个月 在岗（本人答）") % {"m": m},
            _("%(m)s个月 已答（本人）") % {"m": m},
            _("%(m)s个月 在岗（单位答）") % {"m": m},
            _("%(m)s个月 已答（单位）") % {"m": m},
            _("%(m)s个月 双方回答不一致") % {"m": m},
        ]
    for _value, label in LeaveReason.choices:
        cells += [
            _("离职原因：%(r)s（本人）") % {"r": label},
            _("离职原因：%(r)s（单位）") % {"r": label},
        ]
    return cells


def line(row):
    cells = [
        row.label,
        row.posts,
        shown(row.applications),
        shown(row.interviews),
        shown(row.hires),
        shown(row.started),
        shown(row.not_started),
    ]
    for m in FOLLOW_UP_MONTHS:
        month = row.months[m]
        cells += [
            shown(month.working[Party.SEEKER]),
            shown(month.answered[Party.SEEKER]),
            shown(month.working[Party.EMPLOYER]),
            shown(month.answered[Party.EMPLOYER]),
            shown(month.disagree),
        ]
    for value, _label in LeaveReason.choices:
        cells += [
            shown(row.reasons.get((Party.SEEKER, value), 0)),
            shown(row.reasons.get((Party.EMPLOYER, value), 0)),
        ]
    return cells


def blocks(board, found, scope, now):
    """The file's content: a heading block, then one table per grouping with its totals."""
    intro = [
        [_("妈妈岗服务平台：录用与留任")],
        [_("人社部门"), *[bureau.name for bureau in board.bureaus]],
        [_("批次"), scope],
        [_("导出时间"), now.strftime("%Y-%m-%d %H:%M")],
        [_("说明"), _("人数为 1 至 4 时显示为“<5”，以免认出具体的人。")],
    ]
    tables = []
    totals = found.totals()
    for dimension, label in DIMENSION_LABELS.items():
        rows = found.rows(dimension, board.region_label)
        lines = [[str(label), *header()]]
        lines += [line(row) for row in rows]
        lines.append(line(totals))
        tables.append((str(label), lines))
    return intro, tables


@login_required
@require_safe
def outcomes_file(request, fmt):
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(status=404)
    board, form, phase, found = _setup(request)
    if form.is_bound and not form.is_valid():
        # The page says what is wrong with the filter; a file cannot.
        return outcomes_page(request)
    now = timezone.localtime()
    intro, tables = blocks(board, found, phase.title if phase else _("全部批次"), now)
    name = f"momjobs-outcomes-{now:%Y%m%d}" + (f"-phase{phase.pk}" if phase else "")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for cells in intro:
            writer.writerow([safe_cell(cell) for cell in cells])
        for _title, lines in tables:
            writer.writerow([])
            for cells in lines:
                writer.writerow([safe_cell(cell) for cell in cells])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            _xlsx(intro, tables),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx(intro, tables):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("说明")
    for cells in intro:
        sheet.append([safe_cell(cell) for cell in cells])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 40
    for title, lines in tables:
        sheet = workbook.create_sheet(title=title[:31])
        for cells in lines:
            sheet.append([safe_cell(cell) for cell in cells])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 28
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
