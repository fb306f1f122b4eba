"""The phase documents are rendered once, by a worker, after a publish commits."""

import logging

from celery import shared_task

from directory.exports.documents import ensure_document
from directory.models import Phase, PhaseDocumentKind

log = logging.getLogger(__name__)


@shared_task(
    name="directory.render_phase_documents",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 3},
)
def render_phase_documents(phase_id, force=False):
    """Render and store the PDF and XLSX of a public phase; a second run finds them stored."""
    phase = Phase.objects.published().select_related("catalog__bureau").filter(pk=phase_id)
    phase = phase.first()
    if phase is None:
        return {}
    return {
        kind: ensure_document(phase, kind, force=force).size for kind in PhaseDocumentKind.values
    }


def render_documents_soon(phase_id):
    """Queue the rendering after a publish commits. When the broker is down this only logs:
    the download views render a missing document on first request."""
    try:
        render_phase_documents.apply_async(args=[phase_id], retry=False)
    except Exception:  # the broker's errors vary by transport; an eager run's errors land here
        log.exception("phase %s: documents not queued; rendered on first download", phase_id)
