from django.core.management.base import BaseCommand

from momjobs.regions.loader import load_regions
from momjobs.regions.models import Region


class Command(BaseCommand):
    help = "Load or refresh China's administrative divisions (idempotent)."

    def handle(self, *args, **options):
        created, updated = load_regions()
        total = Region.objects.count()
        counties = Region.objects.county_level().count()
        self.stdout.write(
            f"regions: {created} created, {updated} updated, {total} in all "
            f"({counties} county-level)"
        )
