import time

from django.core.management.base import BaseCommand, CommandError

from directory.exports import documents as exports
from directory.models import Phase, PhaseDocumentKind


class Command(BaseCommand):
    help = (
        "Render and store the PDF and XLSX of public phases (批次文件) that lack them or are "
        "stale; --force renders them anew. The worker does this when a phase is published."
    )

    def add_arguments(self, parser):
        parser.add_argument("phases", nargs="*", type=int, help="phase ids (default: all public)")
        parser.add_argument("--force", action="store_true", help="render even if stored")
        parser.add_argument(
            "--kind", choices=PhaseDocumentKind.values, action="append", help="pdf or xlsx"
        )

    def handle(self, *args, phases, force, kind, **options):
        queryset = Phase.objects.published().select_related("catalog__bureau").order_by("pk")
        if phases:
            queryset = queryset.filter(pk__in=phases)
            missing = set(phases) - set(queryset.values_list("pk", flat=True))
            if missing:
                ids = ", ".join(map(str, sorted(missing)))
                raise CommandError(f"not a public phase: {ids}")
        for phase in queryset:
            for which in kind or PhaseDocumentKind.values:
                started = time.monotonic()
                doc = exports.ensure_document(phase, which, force=force)
                self.stdout.write(
                    f"  {phase.pk} {phase.title} {which}: {doc.size / 1024:.0f} KB, "
                    f"rendered {doc.rendered_at:%Y-%m-%d %H:%M:%S} "
                    f"({time.monotonic() - started:.1f}s)"
                )
