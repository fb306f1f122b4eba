#!/usr/bin/env python3
"""Import benchmark: a 10,000-row bureau spreadsheet, validated and saved (issue 6, item 4).

    .venv/bin/python bench/import.py [--rows 10000] [--employers 400] [--new 40] [--repeat 3]
                                     [--quiet 0.25 --quiet-wait 600] [--profile] [--keep-running]

Run by hand, not in CI; docs/performance.md ("Import") records the figures. Target: at most
10 s to validate and save the 10,000 rows.

1. Services: PostgreSQL and Redis of tools/devservices.py in .data/bench-import (fsync on, as in
   production: the import is one transaction and its commit must reach the disk), a fresh
   database `momjobs_bench_import`, migrated, with the regions, the Qingdao bureau, a catalog,
   an officer and --employers verified employers (matched by code) before the import.
2. Sheet: an XLSX in the layout of directory/demo/samples.py (merged title row, columns in the
   bureau's order and names, employer cells merged down each block, pay and hours written every
   way with full-width digits, no contract/insurance columns, a totals row with a formula),
   --rows rows from the employers above plus --new ones the import registers. Made with
   openpyxl's write-only mode, the way a bureau's Excel would hold it.
3. Timing, each --repeat times into a new phase of the same catalog (best and median):
   read (parse the XLSX), check (every row: parsing, Posting.full_clean, the wording rules,
   duplicates), save (one transaction: phase, employers, postings with their derived columns,
   entries, audit), and the whole Celery task (`process_job`: file from private storage,
   progress updates, read, check, save) as the officer waits for it. Each figure comes with the
   CPU time of Python and of PostgreSQL and the share of the cores other programs used: on a
   shared machine the wall time includes waiting for a core, the CPU time does not.
The services are stopped at the end unless --keep-running.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path; the project root is what we want.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path[:0] = [str(REPO)]

from bench.services import Services, say  # noqa: E402
from bench.services import machine as bench_machine  # noqa: E402
from directory.imports import jobs as import_jobs  # noqa: E402
from directory.imports import reader as import_reader  # noqa: E402
from directory.imports import save as import_save  # noqa: E402

DATA = REPO / ".data" / "bench-import"
DB_NAME = "momjobs_bench_import"
SEED = 20261206
TARGET_SECONDS = 10


SERVICES = Services(DATA)


def start_services():
    env = SERVICES.start()
    return env["DATABASE_URL"], env["REDIS_URL"]


def recreate_database(database_url):
    import psycopg

    admin = re.sub(r"/[^/]*$", "/postgres", database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return re.sub(r"/[^/]*$", f"/{DB_NAME}", database_url)


def configure_django(database_url, redis_url, private_root):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "momjobs.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "PRIVATE_ROOT": str(private_root),
            "EMAIL_URL": "memory://",
            "LOG_LEVEL": "WARNING",
            "CELERY_TASK_ALWAYS_EAGER": "1",
        }
    )
    import django

    django.setup()


# ---------------------------------------------------------------------------------------------
# Dataset


def prepare_database(n_employers):
    from django.core.management import call_command

    from directory.models import Bureau, BureauStaff, Catalog
    from employers.choices import Sector
    from employers.models import Employer, EmployerStatus
    from employers.uscc import ALPHABET, make_uscc
    from momjobs.regions.loader import load_regions
    from momjobs.regions.models import Region
    from momjobs.users.models import Role, User

    call_command("migrate", interactive=False, verbosity=0)
    load_regions()
    qingdao = Region.objects.get(code="370200")
    officer = User.objects.create_user(
        email="officer@bench.test", password=secrets.token_urlsafe(), role=Role.BUREAU
    )
    bureau = Bureau.objects.create(name="青岛市人力资源和社会保障局", jurisdiction=qingdao)
    BureauStaff.objects.create(bureau=bureau, user=officer)
    catalog = Catalog.objects.create(bureau=bureau, name="青岛市妈妈岗目录")
    rng = random.Random(SEED)
    districts = list(Region.objects.within(qingdao).filter(kind="district"))
    employers = []
    for index in range(n_employers):
        district = rng.choice(districts)
        employers.append(
            Employer(
                name=f"青岛{_brand(rng)}{rng.choice(SUFFIXES)}{index:04d}",
                uscc=make_uscc("91" + district.code + "MA" + "".join(rng.choices(ALPHABET, k=7))),
                region=district,
                address=f"{district.name}测试路{index}号",
                sector=rng.choice([Sector.CATERING, Sector.DOMESTIC, Sector.SECURITY]),
                status=EmployerStatus.VERIFIED,
            )
        )
    Employer.objects.bulk_create(employers)
    return bureau, catalog, officer, employers


BRANDS = ["海之味", "晨曦", "邻里", "安心", "暖家", "守护", "城安", "悦邻", "贝贝乐", "福满"]
BRANDS += ["康宁", "巧手", "金海", "蓝湾", "崂山", "琴岛"]
SUFFIXES = ["餐饮管理有限公司", "家政服务有限公司", "保安服务有限公司", "物业服务有限公司"]


def _brand(rng):
    return rng.choice(BRANDS) + rng.choice(BRANDS)


def make_sheet(rows, employers, n_new):
    """The bureau-layout XLSX (bytes) and how many employers it names."""
    from openpyxl import Workbook
    from openpyxl.worksheet.cell_range import CellRange

    from directory.demo import data, samples
    from employers.uscc import ALPHABET, make_uscc

    rng = random.Random(SEED + 1)
    titles = [
        t
        for group in (
            data.RESTAURANT_TITLES,
            data.BREAKFAST_TITLES,
            data.CANTEEN_TITLES,
            data.HOMECARE_TITLES,
            data.AGENCY_TITLES,
            data.GUARD_TITLES,
            data.INSPECTION_TITLES,
        )
        for t in group
    ]
    named = [(e.name, e.uscc, "") for e in employers]
    for index in range(n_new):
        code = make_uscc("91370203MA" + "".join(rng.choices(ALPHABET, k=7)))
        named.append((f"青岛新登记{_brand(rng)}服务有限公司{index:03d}", code, "餐饮"))
    districts = list(data.QINGDAO_DISTRICTS.values())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("汇总表")
    headers = [header for _key, header in samples.SAMPLE_HEADERS]
    sheet.append([f"{samples.SAMPLE_TITLE}岗位汇总表"])
    sheet.append([samples.BANNER])
    sheet.append(headers)
    merges = [CellRange(min_col=1, min_row=1, max_col=len(headers), max_row=1)]
    number = 0
    row_no = 3
    while number < rows:
        name, code, sector = (
            named[number % len(named)] if number < len(named) else rng.choice(named)
        )
        block = min(rng.randint(3, 12), rows - number)
        first_row = row_no + 1
        for index in range(block):
            number += 1
            row_no += 1
            title = rng.choice(titles)
            shift = rng.choice(title.shifts)
            windows_data, forms = data.SHIFTS[shift]
            district, roads = rng.choice(districts)
            openings = rng.choice([1, 2, 3, 5, 8])
            sheet.append(
                [
                    number,
                    name if index == 0 else None,
                    code if index == 0 else None,
                    sector if index == 0 else None,
                    title.title,
                    rng.choice([openings, f"{openings}人"]),
                    samples.hours_text(rng, windows_data),
                    samples.pay_text(rng, title, windows_data, forms),
                    rng.choice([district, district[:-1]]),
                    f"{district}{rng.choice(roads)}{rng.randint(1, 999)}号{number}",
                    rng.choice(data.SURNAMES) + "经理",
                    f"0532-8{rng.randint(0, 9999999):07d}",
                    "",
                ]
            )
        if block > 1:
            for col in (2, 3, 4):
                merges.append(
                    CellRange(min_col=col, min_row=first_row, max_col=col, max_row=row_no)
                )
    sheet.append([None, "合计", None, None, None, f"=SUM(F4:F{row_no})"])
    # A write-only sheet writes its merged ranges after the rows, as Excel does.
    for cell_range in merges:
        sheet.merged_cells.add(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), len({c for _n, c, _s in named})


# ---------------------------------------------------------------------------------------------
# Measuring


class Clock:
    """Wall time, and the CPU time of this process and of its PostgreSQL backend: on a shared
    machine the wall time includes waiting for the cores, the CPU times do not."""

    def __init__(self):
        self.wall = self.cpu = self.db = self.others = 0.0

    @staticmethod
    def busy():
        import psutil

        times = psutil.cpu_times()
        return sum(times) - times.idle - getattr(times, "iowait", 0)

    @staticmethod
    def backend():
        import psutil
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system

    def __enter__(self):
        self._busy = self.busy()
        self._db = self.backend()
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu
        self.db = self.backend() - self._db
        # The share of the machine's cores other programs used meanwhile (a shared machine).
        used = self.busy() - self._busy - self.cpu - self.db
        self.others = max(0.0, used / (self.wall * (os.cpu_count() or 1)))

    def __str__(self):
        return (
            f"{self.wall:.2f} s (CPU: Python {self.cpu:.2f} s + PostgreSQL {self.db:.2f} s; "
            f"other programs used {self.others:.0%} of the cores)"
        )


def timed(function, *args, **kwargs):
    with Clock() as clock:
        result = function(*args, **kwargs)
    return result, clock


def new_job(catalog, officer, data, title):
    from django.core.files.base import ContentFile

    from directory.models import ImportJob

    job = ImportJob(
        bureau=catalog.bureau,
        catalog=catalog,
        phase_title=title,
        uploaded_by=officer,
        original_name="青岛市妈妈岗汇总表.xlsx",
        size=len(data),
        summary={"options": {"default_sector": "catering", "language": "zh-hans"}},
    )
    job.file.save("bench.xlsx", ContentFile(data), save=False)
    job.save()
    return job


def run_steps(bureau, catalog, officer, data, title, profile=False):
    from directory.imports import checker as imports
    from directory.models import ImportJob, ImportStatus

    def step(name, function, *args, **kwargs):
        if not profile:
            return timed(function, *args, **kwargs)
        profiler = cProfile.Profile()
        result = profiler.runcall(timed, function, *args, **kwargs)
        say(f"profile of {name} (by own time):")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return result

    table, read = step("read", import_reader.read_table, data, "青岛市妈妈岗汇总表.xlsx")
    checked, check = step(
        "check", imports.check_table, table, bureau=bureau, default_sector="catering"
    )
    assert checked.ok, checked.errors[:5]
    job = new_job(catalog, officer, data, title)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    phase, save = step("save", import_save.save_checked, checked, job=job)
    assert phase is not None
    return {"read": read, "check": check, "save": save, "rows": len(table.rows)}


def run_task(catalog, officer, data, title):
    from directory.models import ImportStatus

    job = new_job(catalog, officer, data, title)
    _phase, total = timed(import_jobs.process_job, job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.errors[:5]
    return total, job


def wait_for_quiet(limit, seconds):
    """Wait (at most `seconds`) until other programs use less than `limit` of the cores."""
    import psutil

    deadline = time.monotonic() + seconds
    while True:
        busy = psutil.cpu_percent(interval=5) / 100
        if busy < limit or time.monotonic() > deadline:
            say(f"machine {busy:.0%} busy; measuring")
            return
        say(f"machine {busy:.0%} busy; waiting for it to go quiet")


def machine():
    import openpyxl

    return {**bench_machine(), "openpyxl": openpyxl.__version__}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--employers", type=int, default=400, help="registered before")
    parser.add_argument("--new", type=int, default=40, help="new employers in the sheet")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one check and save")
    parser.add_argument("--keep-running", action="store_true")
    parser.add_argument(
        "--quiet",
        type=float,
        default=0.25,
        help="before each run, wait until the machine is less busy than this (0-1)",
    )
    parser.add_argument("--quiet-wait", type=int, default=0, help="seconds to wait at most")
    args = parser.parse_args()

    database_url, redis_url = start_services()
    try:
        database_url = recreate_database(database_url)
        private = Path(tempfile.mkdtemp(prefix="bench-import-"))
        configure_django(database_url, redis_url, private)
        from django.conf import settings

        settings.IMPORT_MAX_ROWS = max(settings.IMPORT_MAX_ROWS, args.rows)
        bureau, catalog, officer, employers = prepare_database(args.employers)
        data, named = make_sheet(args.rows, employers, args.new)
        say(f"machine: {machine()}")
        say(f"load average before: {os.getloadavg()}")
        say(
            f"sheet: {args.rows} rows, {named} employers ({args.new} new), "
            f"{len(data) / 1024 / 1024:.2f} MB XLSX"
        )
        from directory.imports.reader import read_table
        from employers.text import segment

        segment("预热")  # jieba's dictionary, loaded once per worker process
        read_table(data, "warm.xlsx")

        if args.profile:
            run_steps(bureau, catalog, officer, data, "profile", profile=True)

        steps = []
        tasks = []
        for attempt in range(args.repeat):
            if args.quiet_wait:
                wait_for_quiet(args.quiet, args.quiet_wait)
            result = run_steps(bureau, catalog, officer, data, f"第{attempt + 2}批（分步）")
            steps.append(result)
            say(f"steps #{attempt + 1}: read  {result['read']}")
            say(f"          check {result['check']}")
            say(f"          save  {result['save']}")
            total, job = run_task(catalog, officer, data, f"第{attempt + 2}批（任务）")
            tasks.append(total)
            say(f"task  #{attempt + 1}: {total} ({job.rows_done} rows, phase {job.phase_id})")
        say(f"load average after: {os.getloadavg()}")

        def best_median(clocks):
            walls = [c.wall for c in clocks]
            cpus = [c.cpu + c.db for c in clocks]
            others = statistics.median(c.others for c in clocks)
            return (
                f"wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
                f"CPU best {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s; "
                f"others {others:.0%}"
            )

        say(f"summary ({args.rows} rows validated and saved; CPU = Python + PostgreSQL):")
        for key in ("read", "check", "save"):
            say(f"  {key:>5}: {best_median([s[key] for s in steps])}")
        say(f"  task : {best_median(tasks)}  (target ≤ {TARGET_SECONDS} s)")
        median = statistics.median(c.wall for c in tasks)
        verdict = "within" if median <= TARGET_SECONDS else "OVER"
        say(f"  {median / args.rows * 1000:.2f} ms per row (median wall): {verdict} the target")
    finally:
        if not args.keep_running:
            SERVICES.stop()


if __name__ == "__main__":
    main()
