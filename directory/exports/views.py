"""Public downloads of a published phase (PDF, XLSX), its print page, and robots.txt.

Only public phases (published or superseded) have them; any other id is a 404, whoever asks.
"""

from django.core.cache import cache
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from directory.exports import documents as exports
from directory.models import Phase, PhaseDocumentKind

# The print page draws a QR code per posting (about 4 ms each): it is kept for an hour per
# phase, language and take-down state.
PRINT_CACHE_SECONDS = 3600


def _public_phase(pk):
    return get_object_or_404(Phase.objects.published().select_related("catalog__bureau"), pk=pk)


def _download(request, pk, kind):
    phase = _public_phase(pk)
    # Rendered when the phase was published; rendered here only if missing or stale.
    doc = exports.ensure_document(phase, kind)
    response = FileResponse(
        doc.file.open("rb"),
        content_type=exports.CONTENT_TYPES[kind],
        as_attachment=kind == PhaseDocumentKind.XLSX,
        filename=exports.download_name(phase, kind),
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def phase_pdf(request, pk):
    return _download(request, pk, PhaseDocumentKind.PDF)


@require_safe
def phase_xlsx(request, pk):
    return _download(request, pk, PhaseDocumentKind.XLSX)


@require_safe
def phase_print(request, pk):
    phase = _public_phase(pk)
    removed, latest = exports.taken_down(phase)
    stamp = f"{removed}:{latest.timestamp() if latest else 0}"
    key = f"phase-print:{phase.pk}:{get_language()}:{phase.status}:{stamp}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(exports.PRINT_TEMPLATE, exports.print_context(phase), request)
        cache.set(key, html, PRINT_CACHE_SECONDS)
    return HttpResponse(html)
