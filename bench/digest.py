#!/usr/bin/env python3
"""Digest benchmark: publish a 200-post phase to N confirmed subscribers (issue 8).

    .venv/bin/python bench/digest.py [--subscribers 100000] [--batch-size 1000] [--fast-db]
                                     [--regenerate] [--no-ceiling] [--timeout 1800]

Run by hand, not in CI; docs/performance.md ("Digests") explains it and records the figures.

1. Services: PostgreSQL + Redis of its own in .data/bench-digest (tools/devservices.py; fsync on
   unless --fast-db, as in production). A template database with the regions and a Linyi phase
   of 200 approved posts (in review, not yet published) is made once and kept
   (`momjobs_bench_digest_base`); every run copies it (CREATE DATABASE ... TEMPLATE) and COPYs N
   confirmed subscribers into the copy: about half in Linyi (the city, its districts, or the
   province) and half elsewhere in Shandong; 60 % with filters (sector, work form, minimum
   hourly pay, contract, insurance, school run, weekends off, free hours `fits`).
2. An SMTP sink (aiosmtpd, bench/digest_sink.py) in a process of its own counts what it accepts.
3. A real Celery worker: tools/commands.py's WORKER_CMD (prefork, --concurrency 2), DEBUG=0,
   EMAIL_URL=smtp://127.0.0.1:<sink>. Its process tree's RSS is sampled every 50 ms.
4. `directory.catalog.services.phase_publish` in this process. Measured: from the commit of the publish
   to the last digest accepted by the sink; messages per second; the worker's peak RSS (sum over
   its processes); CPU seconds of the worker, PostgreSQL (the backends alive at the end) and
   the sink, and the share of the cores other programs used meanwhile (the machine may be
   shared). Checked: every delivery is `sent`, the sink got one message per delivery and no
   recipient twice. (Publishing also queues the phase's PDF and XLSX, on the "documents"
   queue, which this worker, like production's main worker, does not read.)
5. The baseline, in the same run against the same sink: a plain smtplib loop on one reused
   connection sending as many messages (200 real digests of random subscribers, as Django's
   SMTP backend serialises them, cycled; a new recipient each time). Then the same with two
   such clients at once, to show the sink's own ceiling.
The services are stopped at the end; the template database is kept (--regenerate rebuilds it).
"""

import argparse
import contextlib
import datetime as dt
import email.policy
import hashlib
import json
import os
import random
import secrets
import signal
import smtplib
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path; the project root is what we want.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path[:0] = [str(REPO), str(REPO / "tools")]

from bench.services import Services, pg_port, say  # noqa: E402
from bench.services import machine as bench_machine  # noqa: E402

DATA = REPO / ".data" / "bench-digest"
RESULTS = DATA / "results"
DB_NAME = "momjobs_bench_digest"
BASE_DB = "momjobs_bench_digest_base"
GENERATOR_VERSION = 1
SEED = 20261123
N_POSTS = 200
LINYI = "371300"
SITE_URL = "https://momjobs.example.cn"
TARGET_RATIO = 0.5


# ---------------------------------------------------------------------------------------------
# Services and databases


SERVICES = Services(DATA)


def start_services(fast):
    env = SERVICES.start(fast=fast)
    return pg_port(env), env["REDIS_URL"]


def stop_services():
    SERVICES.stop()


def conninfo(port, dbname):
    return f"host=127.0.0.1 port={port} user=postgres dbname={dbname}"


def admin(port):
    import psycopg

    return psycopg.connect(conninfo(port, "postgres"), autocommit=True)


def fsync_setting(port):
    with admin(port) as conn:
        return conn.execute("SHOW fsync").fetchone()[0]


def schema_fingerprint():
    """Changes when a migration is added or edited: the template is then rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(REPO.glob("*/migrations/0*.py")) + sorted(
        REPO.glob("momjobs/*/migrations/0*.py")
    ):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(f"{GENERATOR_VERSION}:{SEED}".encode())
    return digest.hexdigest()[:16]


def base_is_current(port, fingerprint):
    import psycopg

    with admin(port) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BASE_DB]).fetchone():
            return False
    with psycopg.connect(conninfo(port, BASE_DB)) as conn:
        if not conn.execute("SELECT to_regclass('bench_meta')").fetchone()[0]:
            return False
        row = conn.execute("SELECT v FROM bench_meta WHERE k = 'fingerprint'").fetchone()
        return bool(row and row[0] == fingerprint)


def configure_django(port, redis_url, sink_port, batch_size):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "momjobs.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/{DB_NAME}",
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),  # a new one each run
            "ALLOWED_HOSTS": "momjobs.example.cn",
            "SITE_URL": SITE_URL,
            "DEMO_MODE": "0",
            "EMAIL_URL": f"smtp://127.0.0.1:{sink_port}",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "DIGEST_BATCH_SIZE": str(batch_size),
            "STATIC_ROOT": str(DATA / "static"),
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def switch_database(name):
    from django.db import connection, connections

    connections.close_all()
    connection.settings_dict["NAME"] = name


def build_base(port, fingerprint):
    """The template database: migrate, regions, Linyi's bureau and a phase of 200 approved posts
    (in review). Built in BASE_DB itself, which is then marked as a template."""
    from django.core.management import call_command

    started = time.monotonic()
    switch_database("postgres")
    with admin(port) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BASE_DB]).fetchone():
            conn.execute(f'ALTER DATABASE "{BASE_DB}" WITH IS_TEMPLATE false')
        conn.execute(f'DROP DATABASE IF EXISTS "{BASE_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BASE_DB}"')
    switch_database(BASE_DB)
    say("template database: migrate, load_regions ...")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_regions", verbosity=0)
    phase_id = make_phase(random.Random(SEED))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_meta (k text PRIMARY KEY, v jsonb)")
        cursor.execute(
            "INSERT INTO bench_meta VALUES ('fingerprint', %s), ('phase', %s)",
            [json.dumps(fingerprint), json.dumps(phase_id)],
        )
    switch_database("postgres")
    with admin(port) as conn:
        conn.execute(f'ALTER DATABASE "{BASE_DB}" WITH IS_TEMPLATE true')
    say(f"template database built in {time.monotonic() - started:.0f} s")


def copy_base(port):
    switch_database("postgres")
    with admin(port) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}" TEMPLATE "{BASE_DB}"')
    switch_database(DB_NAME)


# ---------------------------------------------------------------------------------------------
# The phase: 200 posts of Linyi's employers, approved and waiting to be published

TITLES = {
    "catering": ["早餐店帮厨", "中午档服务员", "面点师助理", "外卖打包员"],
    "domestic": ["钟点保洁员", "上门做饭阿姨", "收纳整理师"],
    "retail": ["超市理货员", "便利店收银员", "水果店店员"],
    "customer_service": ["电商客服", "售后回访专员", "在线客服"],
    "ecommerce": ["直播助播", "短视频剪辑助理", "农产品带货主播"],
    "handicraft": ["柳编手工艺人", "串珠饰品加工", "手工布艺缝制"],
    "content": ["新媒体文案", "公众号排版编辑"],
    "cleaning": ["写字楼保洁员", "小区物业保洁"],
    "childcare": ["托管班辅导老师", "午托生活老师"],
    "logistics": ["快递驿站分拣员", "社区团购分拣员"],
}
SECTOR_WEIGHTS = {
    "catering": 18,
    "domestic": 14,
    "retail": 14,
    "customer_service": 14,
    "ecommerce": 12,
    "handicraft": 10,
    "content": 5,
    "cleaning": 6,
    "childcare": 4,
    "logistics": 3,
}
# (work form, weight, shift patterns)
SHIFTS = {
    "morning": [{"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "11:30"}],
    "midday": [{"days": [1, 2, 3, 4, 5], "start": "10:30", "end": "13:30"}],
    "afternoon": [{"days": [1, 2, 3, 4, 5], "start": "13:00", "end": "15:30"}],
    "evening": [{"days": [1, 2, 3, 4, 5], "start": "19:00", "end": "22:00"}],
    "weekend": [{"days": [6, 7], "start": "09:00", "end": "13:00"}],
    "office": [{"days": [1, 2, 3, 4, 5], "start": "08:30", "end": "17:30"}],
    "six_days": [{"days": [1, 2, 3, 4, 5, 6], "start": "09:00", "end": "17:00"}],
}
FORMS = [
    ("part_time", 40, ["morning", "midday", "afternoon", "evening", "weekend"]),
    ("hourly", 20, ["morning", "afternoon", "evening", "weekend", None]),
    ("full_time", 20, ["office", "six_days"]),
    ("home_based", 15, [None]),
    ("piece_rate", 5, [None]),
]


def make_phase(rng):
    from directory.models import Bureau, Catalog, EntryDecision, Phase, PhaseEntry, PhaseStatus
    from employers.models import Employer, EmployerStatus, Posting, PostingStatus
    from employers.uscc import make_uscc
    from momjobs.lib import schedule as sched
    from momjobs.regions.models import Region

    linyi = Region.objects.get(code=LINYI)
    districts = list(Region.objects.filter(parent=linyi).order_by("code"))
    sectors, weights = zip(*SECTOR_WEIGHTS.items(), strict=True)
    employers = []
    for n in range(40):
        sector = rng.choices(sectors, weights)[0]
        place = rng.choice(districts)
        employers.append(
            Employer.objects.create(
                name=f"临沂{place.name}{rng.choice('恒信安和美佳兴')}{sector[:3]}服务有限公司{n}",
                uscc=make_uscc(f"91{LINYI}MA{n:07d}"),
                region=place,
                address=f"{place.name}沂蒙路{rng.randint(1, 300)}号",
                sector=sector,
                status=EmployerStatus.VERIFIED,
            )
        )
    school_free = sched.free_mask(sched.parse_fits("1-5@08:30-15:30"))
    forms, form_weights, form_shifts = zip(*FORMS, strict=True)
    postings = []
    for _ in range(N_POSTS):
        employer = rng.choice(employers)
        sector = employer.sector if rng.random() < 0.8 else rng.choices(sectors, weights)[0]
        index = rng.choices(range(len(forms)), form_weights)[0]
        form = forms[index]
        shift = rng.choice(form_shifts[index])
        windows_data = SHIFTS[shift] if shift else []
        windows = sched.windows_from_data(windows_data)
        flexible = not windows_data
        if form == "full_time":
            contract, insurance = "labour", "full"
            unit, low = "month", rng.randrange(2600, 4200, 100)
            high = low + rng.choice([300, 500, 1000])
        else:
            contract = "part_time_agreement" if form in ("part_time", "hourly") else "service"
            insurance = rng.choice(
                ["injury_only", "injury_only", "accident_only", "none"]
                if contract != "service"
                else ["accident_only", "none"]
            )
            if form == "piece_rate" or (form == "home_based" and rng.random() < 0.5):
                unit, low = "piece", Decimal(rng.choice(["0.8", "1.5", "2", "3"]))
                high = low + 1
            else:
                unit, low = "hour", rng.randint(19, 28)
                high = low + rng.choice([2, 3, 5])
        posting = Posting(
            employer=employer,
            title=rng.choice(TITLES[sector]),
            description=(
                f"{employer.name}招聘，岗位对所有求职者开放，欢迎有照护需要的家长报名。"
                + ("工作时间自选，按件或按时计酬。" if flexible else "")
                + (f"工作时间：{sched.describe(windows)}。" if windows else "")
                + "入职不收取任何费用。"
            ),
            sector=sector,
            openings=rng.choice([1, 2, 3, 5]),
            work_form=form,
            schedule=windows_data,
            flexible_hours=flexible,
            school_run=flexible or sched.fits(sched.posting_mask(windows), school_free),
            weekends_off=not any(d in (6, 7) for w in windows for d in w.days),
            childcare_leave=rng.random() < 0.3,
            no_forced_overtime=rng.random() < 0.7,
            region=rng.choice([employer.region, *districts])
            if rng.random() < 0.2
            else employer.region,
            address=employer.address,
            place="home" if form == "home_based" else "on_site",
            pay_min=Decimal(low),
            pay_max=Decimal(high),
            pay_unit=unit,
            contract=contract,
            insurance=insurance,
            training=rng.random() < 0.4,
            contact_name="王女士",
            contact_phone=f"139{rng.randint(0, 99999999):08d}",
            status=PostingStatus.APPROVED,
        )
        posting.full_clean(validate_constraints=False)
        posting.save()
        postings.append(posting)
    bureau = Bureau.objects.create(name="临沂市人力资源和社会保障局", jurisdiction=linyi)
    catalog = Catalog.objects.create(bureau=bureau, name="临沂市妈妈岗目录")
    phase = Phase.objects.create(
        catalog=catalog, number=1, title="临沂市妈妈岗目录（第一批）", status=PhaseStatus.IN_REVIEW
    )
    PhaseEntry.objects.bulk_create(
        PhaseEntry(phase=phase, posting=p, decision=EntryDecision.APPROVED) for p in postings
    )
    return phase.pk


# ---------------------------------------------------------------------------------------------
# Subscribers

FITS = [
    "1-5@08:30-15:30",
    "1-5@09:00-12:00",
    "1-5@13:00-16:00",
    "1-7@19:00-22:30",
    "6-7@08:00-18:00",
]


def subscriber_rows(n, rng):
    """COPY rows: about half in Linyi (city 25 %, a district 20 %, the province 5 %), half
    elsewhere in Shandong; 40 % without filters, the rest with one to three."""
    from momjobs.lib import schedule as sched
    from momjobs.regions.models import Region

    linyi = Region.objects.get(code=LINYI)
    districts = list(Region.objects.filter(parent=linyi).values_list("pk", flat=True))
    province = Region.objects.get(code="370000")
    elsewhere = list(
        Region.objects.filter(path__startswith=province.path)
        .exclude(path__startswith=linyi.path)
        .exclude(pk=province.pk)
        .values_list("pk", flat=True)
    )
    masks = {text: sched.free_mask(sched.parse_fits(text)) for text in FITS}
    sectors, weights = zip(*SECTOR_WEIGHTS.items(), strict=True)
    now = dt.datetime.now(dt.UTC).isoformat()
    tf = {True: "t", False: "f"}
    for i in range(n):
        draw = rng.random()
        if draw < 0.25:
            region = linyi.pk
        elif draw < 0.45:
            region = rng.choice(districts)
        elif draw < 0.5:
            region = province.pk
        else:
            region = rng.choice(elsewhere)
        filters = rng.random() >= 0.4
        sector = rng.choices(sectors, weights)[0] if filters and rng.random() < 0.4 else ""
        work_form = (
            rng.choice(["part_time", "hourly", "home_based"])
            if filters and rng.random() < 0.15
            else ""
        )
        pay = str(rng.choice([18, 20, 22, 25])) if filters and rng.random() < 0.3 else "\\N"
        contract = "labour" if filters and rng.random() < 0.08 else ""
        insurance = "full" if filters and rng.random() < 0.08 else ""
        fits = rng.choice(FITS) if filters and rng.random() < 0.2 else ""
        yield (
            f"mum{i}@bench.example.cn",
            region,
            "en" if rng.random() < 0.15 else "zh-hans",
            sector,
            work_form,
            pay,
            contract,
            insurance,
            tf[filters and rng.random() < 0.3],
            tf[filters and rng.random() < 0.2],
            fits,
            masks[fits] if fits else "\\N",
            f"bench{i:07d}{rng.getrandbits(128):032x}",
            now,
            now,
            "\\N",
            "\\N",
            "0",
        )


SUBSCRIBER_COLUMNS = (
    "email, region_id, language, sector, work_form, pay_min_hourly, contract, insurance, "
    "school_run, weekends_off, fits, fits_mask, token, created_at, confirmed_at, "
    "unsubscribed_at, paused_at, failures"
)


def load_subscribers(n):
    from django.db import connection

    started = time.monotonic()
    rng = random.Random(SEED + n)
    connection.ensure_connection()
    # Built first: the generator queries regions, and the connection is busy during COPY.
    rows = ["\t".join(map(str, row)) + "\n" for row in subscriber_rows(n, rng)]
    raw = connection.connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY directory_subscription ({SUBSCRIBER_COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write(row)
        cursor.execute("ANALYZE")
    raw.commit()
    return time.monotonic() - started


# ---------------------------------------------------------------------------------------------
# Measuring processes


def process_tree(pid):
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def tree_rss(pid):
    total = 0
    for proc in process_tree(pid):
        with contextlib.suppress(Exception):
            total += proc.memory_info().rss
    return total


def tree_cpu(processes):
    total = 0.0
    for proc in processes:
        with contextlib.suppress(Exception):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


def postgres_cpu():
    """{pid: CPU seconds} of this benchmark's PostgreSQL server and its backends."""
    import psutil

    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.info["name"] == "postgres" and "bench-digest" in cmdline:
            return {p.pid: tree_cpu([p]) for p in [proc, *proc.children(recursive=True)]}
    return {}


class Sampler(threading.Thread):
    """The worker tree's RSS every 50 ms: the peak and the samples."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.samples = []
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            rss = tree_rss(self.pid)
            self.peak = max(self.peak, rss)
            self.samples.append((time.monotonic(), rss))
            self.stopped.wait(0.05)


def machine_busy():
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def others_share(busy_before, busy_after, our_cpu_seconds):
    busy = busy_after[0] - busy_before[0]
    total = max(1, busy_after[1] - busy_before[1])
    ticks = os.sysconf("SC_CLK_TCK")
    return round(max(0.0, (busy - our_cpu_seconds * ticks) / total), 2)


def machine():
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        **bench_machine(),
        "cores": os.cpu_count(),  # (as earlier results name it; "nproc" too)
        "commit": git,
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "loadavg_at_start": os.getloadavg(),
    }


# ---------------------------------------------------------------------------------------------
# The worker


def start_worker(log_path):
    from commands import WORKER_CMD

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("LOG_LEVEL", None)  # the worker logs as in production (INFO)
    out = log_path.open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / WORKER_CMD[0]), *WORKER_CMD[1:]],
        cwd=REPO,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while b" ready." not in log_path.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.1)
    return process


def stop_worker(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------
# The runs


def digest_run(phase_id, stats, worker, sink_pid, timeout):
    """Publish and wait for the last digest. Returns the figures."""
    from django.db import transaction
    from django.db.models import Count

    from directory.catalog.services import phase_publish
    from directory.models import DeliveryStatus, DigestDelivery, OutboxEvent, Phase

    phase = Phase.objects.get(pk=phase_id)
    sampler = Sampler(worker.pid)
    sink_before, bytes_before = stats.count.value, stats.bytes.value
    pg_before = postgres_cpu()
    cpu_before = (tree_cpu(process_tree(worker.pid)), 0, tree_cpu(process_tree(sink_pid)))
    idle_rss = tree_rss(worker.pid)
    sampler.start()
    busy_before, own_before = machine_busy(), time.process_time()
    committed = {}
    with transaction.atomic():
        # Registered first: runs at the commit, before phase_publish's own relay_soon().
        transaction.on_commit(lambda: committed.setdefault("at", time.monotonic()))
        phase_publish(phase=phase)
    t0 = committed["at"]
    say("published; waiting for the digests ...")
    deadline = t0 + timeout
    counts = {}
    next_db = 0
    while time.monotonic() < deadline:
        now = time.monotonic()
        if now >= next_db:
            relayed = OutboxEvent.objects.filter(processed_at__isnull=False).exists()
            counts = dict(
                DigestDelivery.objects.filter(phase_id=phase_id)
                .values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            )
            open_ = counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.SENDING, 0)
            sent = counts.get(DeliveryStatus.SENT, 0)
            if relayed and not open_ and stats.count.value - sink_before >= sent:
                break
            next_db = now + 0.5
        time.sleep(0.02)
    else:
        raise SystemExit(f"timed out after {timeout} s: {counts}")
    busy_after = machine_busy()
    sampler.stopped.set()
    sampler.join()
    # PostgreSQL's backends for the worker connect during the run: CPU per process id.
    pg_after = postgres_cpu()
    pg_used = sum(cpu - pg_before.get(pid, 0) for pid, cpu in pg_after.items())
    cpu_after = (tree_cpu(process_tree(worker.pid)), pg_used, tree_cpu(process_tree(sink_pid)))
    sent = counts.get(DeliveryStatus.SENT, 0)
    received = stats.count.value - sink_before
    elapsed = stats.last.value - t0
    first = stats.first.value - t0 if sink_before == 0 else None
    return {
        "deliveries": sum(counts.values()),
        "statuses": counts,
        "received": received,
        "duplicates": stats.duplicates.value,
        "seconds": round(elapsed, 2),
        "first_digest_after": round(first, 2) if first is not None else None,
        "per_second": round(sent / elapsed, 1),
        "worker_rss_idle_mb": round(idle_rss / 2**20, 1),
        "worker_rss_peak_mb": round(sampler.peak / 2**20, 1),
        "worker_rss_end_mb": round(sampler.samples[-1][1] / 2**20, 1),
        "worker_cpu_s": round(cpu_after[0] - cpu_before[0], 1),
        "postgres_cpu_s": round(cpu_after[1] - cpu_before[1], 1),
        "sink_cpu_s": round(cpu_after[2] - cpu_before[2], 1),
        "cpu_ms_per_message": {
            name: round((cpu_after[i] - cpu_before[i]) / max(1, received) * 1000, 2)
            for i, name in enumerate(["worker", "postgres", "sink"])
        },
        "mean_bytes": round((stats.bytes.value - bytes_before) / max(1, received)),
        "machine_busy": round(
            (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]), 2
        ),
        # The share of the cores that other programs used meanwhile (ours: the worker,
        # PostgreSQL, the sink and this process).
        "others_share": others_share(
            busy_before,
            busy_after,
            sum(cpu_after) - sum(cpu_before) + time.process_time() - own_before,
        ),
        "rss_samples": len(sampler.samples),
    }


def sample_messages(phase_id, k=200):
    """`k` real digests of random subscribers who got one, as the bytes SMTP sends: the plain
    loop cycles through them, so its messages have the sizes the worker's had."""
    from directory.models import DeliveryStatus, DigestDelivery, Phase
    from directory.subscriptions import digests
    from employers.models import Posting

    phase = Phase.objects.select_related("catalog__bureau").get(pk=phase_id)
    deliveries = list(
        DigestDelivery.objects.filter(phase_id=phase_id, status=DeliveryStatus.SENT)
        .select_related("subscription__region")
        .order_by("?")[:k]
    )
    matches = digests._posting_ids_for_batch(phase_id, [d.subscription_id for d in deliveries])
    postings = Posting.objects.with_cards().in_bulk({p for ids in matches.values() for p in ids})
    raws, posts = [], []
    for delivery in deliveries:
        found = [postings[p] for p in matches[delivery.subscription_id]]
        message = digests.build_digest(delivery.subscription, phase, found, delivery.message_id)
        raws.append(message.message(policy=email.policy.SMTP).as_bytes())
        posts.append(len(found))
    sizes = sorted(len(raw) for raw in raws)
    return (
        raws,
        message.from_email,
        {
            "sample": len(raws),
            "mean_bytes": round(statistics.mean(sizes)),
            "median_bytes": round(statistics.median(sizes)),
            "min_bytes": sizes[0],
            "max_bytes": sizes[-1],
            "posts_median": statistics.median(posts),
            "posts_mean": round(statistics.mean(posts), 1),
        },
    )


def _send_plain(port, raws, sender, count, prefix):
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(count):
            smtp.sendmail(sender, [f"{prefix}{i}@sink.bench"], raws[i % len(raws)])


def plain_loop(port, raws, sender, count, stats):
    """smtplib on one reused connection: `count` ready-made digests (the sample, cycled)."""
    before = stats.count.value
    started = time.monotonic()
    _send_plain(port, raws, sender, count, "plain")
    wait_for_sink(stats, before + count)
    return stats.last.value - started


def wait_for_sink(stats, total):
    deadline = time.monotonic() + 60
    while stats.count.value < total and time.monotonic() < deadline:
        time.sleep(0.01)


def sink_ceiling(port, raws, sender, count, stats):
    """Two plain clients at once (the worker has two processes): the sink's own limit."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    before = stats.count.value
    half = count // 2
    clients = [
        context.Process(target=_send_plain, args=(port, raws, sender, half, prefix))
        for prefix in ("two-a-", "two-b-")
    ]
    started = time.monotonic()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    wait_for_sink(stats, before + 2 * half)
    return round(2 * half / (stats.last.value - started), 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--fast-db", action="store_true", help="fsync off (new cluster only)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the template db")
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--no-ceiling", action="store_true", help="skip the 2-client sink run")
    args = parser.parse_args()
    # SIGTERM (and SIGHUP) unwind like Ctrl-C, so the worker, sink and services are stopped.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: sys.exit(1))

    from bench.digest_sink import start as start_sink
    from tests.services import free_port

    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    result = {"machine": machine(), "subscribers": args.subscribers}
    port, redis_url = start_services(args.fast_db)
    sink_port = free_port()
    sink, stats = start_sink(sink_port)
    worker = None
    try:
        configure_django(port, redis_url, sink_port, args.batch_size)
        result["postgres_fsync"] = fsync_setting(port)
        fingerprint = schema_fingerprint()
        if args.regenerate or not base_is_current(port, fingerprint):
            build_base(port, fingerprint)
        copy_base(port)
        seconds = load_subscribers(args.subscribers)
        from directory.models import Subscription

        phase_id = _phase_id()
        result["dataset"] = {
            "subscribers": Subscription.objects.count(),
            "posts_in_phase": N_POSTS,
            "load_seconds": round(seconds, 1),
        }
        say(f"{args.subscribers:,} confirmed subscribers loaded in {seconds:.1f} s")
        worker = start_worker(DATA / "worker.log")
        say(f"worker ready (pid {worker.pid}); publishing")
        run = digest_run(phase_id, stats, worker, sink.pid, args.timeout)
        result["digests"] = run
        stop_worker(worker)
        worker = None
        say(
            f"digests: {run['received']:,} in {run['seconds']} s = {run['per_second']}/s, "
            f"peak worker RSS {run['worker_rss_peak_mb']} MB"
        )
        raws, sender, sizes = sample_messages(phase_id)
        result["message"] = sizes
        count = run["received"]
        say(f"plain smtplib loop: {count:,} messages (a sample of {len(raws)} digests) ...")
        sink_cpu_before, own_cpu_before = _cpu(sink.pid), time.process_time()
        busy_before = machine_busy()
        plain_seconds = plain_loop(sink_port, raws, sender, count, stats)
        busy_after = machine_busy()
        sink_cpu = _cpu(sink.pid) - sink_cpu_before
        client_cpu = time.process_time() - own_cpu_before
        result["plain"] = {
            "seconds": round(plain_seconds, 2),
            "per_second": round(count / plain_seconds, 1),
            "sink_cpu_share": round(sink_cpu / plain_seconds, 2),
            "sink_cpu_ms_per_message": round(sink_cpu / count * 1000, 2),
            "client_cpu_ms_per_message": round(client_cpu / count * 1000, 2),
            "others_share": others_share(busy_before, busy_after, sink_cpu + client_cpu),
        }
        if not args.no_ceiling:
            result["sink_two_clients_per_second"] = sink_ceiling(
                sink_port, raws, sender, count, stats
            )
        result["ratio"] = round(run["per_second"] / result["plain"]["per_second"], 2)
    finally:
        if worker is not None:
            stop_worker(worker)
        sink.terminate()
        sink.join(10)
        from django.db import connections

        connections.close_all()
        stop_services()
    report(result)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"digest-{args.subscribers}-{stamp}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
    say(f"results: {out.relative_to(REPO)}")


def _cpu(pid):
    return tree_cpu(process_tree(pid))


def _phase_id():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT v FROM bench_meta WHERE k = 'phase'")
        value = cursor.fetchone()[0]
    return json.loads(value) if isinstance(value, str) else value


def report(result):
    m, d, run, plain = result["machine"], result["dataset"], result["digests"], result["plain"]
    lines = [
        "",
        f"machine    {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, Python {m['python']}, "
        f"commit {m['commit']}, load average at start {m['loadavg_at_start'][0]:.2f}",
        f"dataset    {d['subscribers']:,} confirmed subscribers, a {d['posts_in_phase']}-post "
        f"phase; {run['deliveries']:,} matched ({run['deliveries'] / d['subscribers']:.0%}); "
        f"PostgreSQL fsync={result['postgres_fsync']}",
        f"messages   the worker's: mean {run['mean_bytes']:,} bytes; the plain loop's sample "
        f"of {result['message']['sample']}: mean {result['message']['mean_bytes']:,}, median "
        f"{result['message']['median_bytes']:,} ({result['message']['min_bytes']:,}-"
        f"{result['message']['max_bytes']:,}), {result['message']['posts_mean']:g} posts on average",
        f"digests    {run['received']:,} accepted in {run['seconds']} s from the publish commit "
        f"(first after {run['first_digest_after']} s) = {run['per_second']} msg/s; "
        f"statuses {run['statuses']}; duplicates {run['duplicates']}",
        f"worker     RSS idle {run['worker_rss_idle_mb']} MB, peak {run['worker_rss_peak_mb']} MB, "
        f"at the last digest {run['worker_rss_end_mb']} MB "
        f"(sum over its processes); CPU s: worker {run['worker_cpu_s']}, PostgreSQL "
        f"{run['postgres_cpu_s']}, sink {run['sink_cpu_s']}; other programs used "
        f"{run['others_share']:.0%} of the cores meanwhile",
        f"cpu/msg    worker {run['cpu_ms_per_message']['worker']} ms (the phase's PDF and XLSX "
        f"are the documents worker's), PostgreSQL {run['cpu_ms_per_message']['postgres']} ms, sink "
        f"{run['cpu_ms_per_message']['sink']} ms",
        f"plain loop {run['received']:,} in {plain['seconds']} s = {plain['per_second']} msg/s "
        f"(sink CPU {plain['sink_cpu_share']:.0%} of one core; per message: sink "
        f"{plain['sink_cpu_ms_per_message']} ms, smtplib client {plain['client_cpu_ms_per_message']} ms; "
        f"other programs used {plain['others_share']:.0%} of the cores meanwhile)",
    ]
    if "sink_two_clients_per_second" in result:
        lines.append(
            f"sink       two plain clients at once: {result['sink_two_clients_per_second']} msg/s"
        )
    verdict = "meets" if result["ratio"] >= TARGET_RATIO else "MISSES"
    lines.append(
        f"ratio      {result['ratio']:.0%} of the plain loop ({verdict} the {TARGET_RATIO:.0%} target)"
    )
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
