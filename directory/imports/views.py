"""The bureau's spreadsheet imports: the template, the upload form, each import's progress and
report. Only bureau staff (others 403); an import only to the staff of its bureau (others 404).
The checking and saving run in a Celery task (directory/imports/checker.py)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from directory import access
from directory.access import require_bureau_staff
from directory.imports import services as import_services
from directory.imports import template as samples
from directory.imports.forms import ImportForm
from directory.models import ImportStatus
from employers.choices import WorkForm

# Enough for the form's other fields and the multipart framing around the file.
UPLOAD_MARGIN = 64 * 1024
TEMPLATE_NAME = "妈妈岗岗位汇总表（导入模板）.xlsx"


class SizeLimitHandler(FileUploadHandler):
    """Drops a file larger than the import limit while it streams in: nothing of it is written
    to disk, and the form says why the file is missing."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.IMPORT_MAX_BYTES
        self.too_big = False
        self.declared = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.declared = content_length or 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.declared > self.limit + UPLOAD_MARGIN:
            self.too_big = True
            raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


@login_required
def import_list(request):
    jobs = access.import_jobs_for_staff(request.user)[:50]
    return render(request, "bureau/imports/list.html", {"jobs": jobs})


@csrf_exempt  # checked below, once the size limit is in place (Django's documented pattern)
@login_required
def import_new(request):
    require_bureau_staff(request.user)
    if request.method != "POST":
        initial = {
            key: request.GET[key]
            for key in ("catalog", "title", "default_sector")
            if key in request.GET
        }
        form = ImportForm(catalogs=access.catalogs_for_staff(request.user), initial=initial)
        return render(request, "bureau/imports/new.html", {"form": form})
    limiter = SizeLimitHandler(request)
    request.upload_handlers.insert(0, limiter)
    return _upload(request, limiter)


@csrf_protect
def _upload(request, limiter):
    form = ImportForm(
        request.POST,
        request.FILES,
        catalogs=access.catalogs_for_staff(request.user),
        too_big=limiter.too_big,
    )
    if not form.is_valid():
        return render(request, "bureau/imports/new.html", {"form": form})
    job = import_services.import_start(
        catalog=form.cleaned_data["catalog"],
        title=form.cleaned_data["title"],
        default_sector=form.cleaned_data["default_sector"],
        upload=form.cleaned_data["file"],
        by=request.user,
    )
    return redirect("bureau:import_detail", job.pk)


def row_ranges(rows):
    """[2, 3, 4, 7] -> "2–4、7": the rows a message is about, short enough to read."""
    rows = sorted(set(rows))
    parts, start = [], None
    for index, row in enumerate(rows):
        if start is None:
            start = row
        if index + 1 == len(rows) or rows[index + 1] != row + 1:
            parts.append(str(start) if start == row else f"{start}–{row}")
            start = None
    return "、".join(parts)


def group_errors(errors):
    """The same message in the same column on many rows is one line naming the rows."""
    groups = {}
    for error in errors:
        key = (error["column"], error.get("letter"), error["message"])
        groups.setdefault(key, []).append(error["row"])
    return [
        {"column": c, "letter": letter, "message": m, "rows": row_ranges(rows), "count": len(rows)}
        for (c, letter, m), rows in groups.items()
    ]


@login_required
def import_detail(request, pk):
    job = access.get_import_job_for_staff(request.user, pk)
    running = job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    file_errors = [e for e in job.errors if not e.get("row")]
    row_errors = [e for e in job.errors if e.get("row")]
    summary = job.summary or {}
    counts = summary.get("counts", {})
    labels = dict(WorkForm.choices)
    inferred = [
        {"form": labels.get(form, form), "rows": row_ranges(rows)}
        for form, rows in sorted(counts.get("inferred_rows", {}).items())
    ]
    context = {
        "job": job,
        "running": running,
        "file_errors": file_errors,
        "row_errors": row_errors,
        "grouped_errors": group_errors(row_errors),
        "inferred": inferred,
        "summary": summary,
        "counts": counts,
        "skipped": summary.get("skipped", {}),
        "percent": int(100 * job.rows_done / job.rows_total) if job.rows_total else 0,
    }
    return render(request, "bureau/imports/detail.html", context)


@login_required
def import_template(request):
    require_bureau_staff(request.user)
    response = HttpResponse(samples.template_workbook(), content_type=samples.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, TEMPLATE_NAME)
    return response
