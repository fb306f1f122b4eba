from django.core.management.base import BaseCommand

from employers.models import Posting
from momjobs.lib import search_version


class Command(BaseCommand):
    help = (
        "Write every posting's region words as Posting.prepare() does (idempotent): after a "
        "deploy, for postings saved meanwhile by code that did not write them "
        "(docs/decisions/0005-region-words.md)."
    )

    def handle(self, *args, **options):
        changed = Posting.objects.refresh_region_terms()
        if changed:
            search_version.bump()
        self.stdout.write(f"region words: {changed} postings rewritten")
