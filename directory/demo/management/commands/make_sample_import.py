from pathlib import Path

from django.core.management.base import BaseCommand

from directory.demo import samples


class Command(BaseCommand):
    help = (
        "Write the demo's sample bureau spreadsheets (Qingdao's next phase: a messy XLSX, the "
        "same with mistakes, and a GB18030 CSV) for the import page. Needs no database."
    )

    # The checks would connect to the database (generated columns); this command needs none.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(samples.SAMPLE_DIR), help="folder to write into (created)"
        )

    def handle(self, *args, **options):
        for path in samples.write_samples(Path(options["dir"])):
            self.stdout.write(f"  {path}")
        self.stdout.write(
            f"Sign in as qingdao@demo.momjobs.cn, open /bureau/imports/new/ and upload "
            f"{samples.SAMPLE_NAME} as “{samples.SAMPLE_TITLE}”."
        )
