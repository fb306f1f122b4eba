#!/usr/bin/env python3
"""Pages benchmark: every public page at a million postings (issue: every public page stays fast).

    .venv/bin/python bench/pages.py [--duration 10] [--warmup 3] [--pages home,posting,...]
                                    [--workers 2] [--quiet 0.1] [--quiet-wait 120]

Run by hand, not in CI; docs/performance.md explains it and records the figures. It reuses
bench/search.py's dataset (1,000,000 live postings, 5,000 employers, `--reuse`: the database
of an earlier run or its snapshot), its gunicorn, wrk and CPU meter, and adds what pages need
(once, idempotent): a provincial bureau's phase of 10,000 entries, five city phases of 40,
recognitions on 500 employers and a directory history for every employer.

For each page, in one run with the trivial view /bench/ok measured first:
- warm: wrk -t2 -c8 over the page's URL mix after a first pass (caches filled);
- cold, for pages of many objects (a posting, an employer's page, a directory page, a region's
  feed, a sitemap section): the application's cache emptied, then URLs never requested before;
- after a write, for pages whose content changes only on writes (home, the phase list, phase
  pages): 15 sequential requests, each after a write (the search version bumped, as every
  public write does) and again each after the whole cache was emptied (stricter); their
  latency, and as a rate the gunicorn workers divided by it;
- SQL queries per page (cold and warm, in this process with Django's test client), and the bytes
  on the wire with and without gzip.
Results go to .data/bench/results/pages-*.json; the table is printed at the end.
"""

import argparse
import datetime as dt
import gzip
import json
import os
import random
import signal
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path[:0] = [str(REPO), str(REPO / "tools")]

from bench import search as S  # noqa: E402
from bench.services import say  # noqa: E402

SEED = 20261207
BIG_PHASE = "基准测试：山东省妈妈岗目录（第一批，10000 个岗位）"
SMALL_PHASES = 5
SMALL_ENTRIES = 40
BIG_ENTRIES = 10_000
RECOGNISED = 500
AFTER_WRITE_REQUESTS = 15
CITY_KINDS = ("prefecture", "prefecture_other", "municipality")

# name: what is measured (and how), the targets as ratios to the trivial view.
PAGES = {
    "ok": ("trivial view /bench/ok", "warm", {}),
    "home": ("home /", "write", {"warm": 0.5, "write": 0.2}),
    "posting": ("a posting /jobs/<id>/", "cold", {"warm": 0.5, "cold": 0.1}),
    "employer": ("an employer's page /employers/<id>/", "cold", {"warm": 0.5, "cold": 0.1}),
    "directory": ("directory /employers/ first page", "write", {"warm": 0.5, "write": 0.2}),
    "directory-deep": ("directory pages 2-250", "cold", {"warm": 0.5, "cold": 0.2}),
    "directory-place": ("directory ?region=<city>", "cold", {"warm": 0.5, "cold": 0.2}),
    "phases": ("phase list /phases/", "write", {"warm": 0.5, "write": 0.2}),
    "phase-big": ("a 10,000-entry phase /phases/<id>/", "write", {"warm": 0.5, "write": 0.2}),
    "phase-small": ("a 40-entry phase /phases/<id>/", "write", {"warm": 0.5, "write": 0.2}),
    "feed-region": ("a region's feed /feeds/regions/<code>/", "cold", {"warm": 0.5}),
    "feed-catalog": ("a catalog's feed /feeds/catalogs/<id>/", "write", {"warm": 0.5}),
    "sitemap": ("sitemap index /sitemap.xml", "write", {"warm": 0.5}),
    "sitemap-postings": ("sitemap sections of 1,000 postings", "cold", {"warm": 0.5}),
    "api-phases": ("/api/v1/phases/", "write", {"warm": 0.5}),
    # Signed in (never cached whole: each request is its own user's page).
    "officer-dashboard": ("provincial officer: dashboard /bureau/dashboard/", "signed", {}),
    "officer-phases": ("provincial officer: phases to review /bureau/phases/", "signed", {}),
    "officer-review": (
        "provincial officer: a 2,000-entry phase in review /bureau/phases/<id>/review/",
        "signed",
        {},
    ),
    "officer-employers": (
        "provincial officer: employers to verify /bureau/employers/",
        "signed",
        {},
    ),
    "employer-postings": ("employer with 1,000 posts: its posting list /employer/", "signed", {}),
    "employer-applications": (
        "employer: a post's applicants /employer/postings/<id>/applications/",
        "signed",
        {},
    ),
}
SIGNED_P95_MS = 300  # the target for signed-in pages
OFFICER = "bench-officer@bench.momjobs.cn"
EMPLOYER_USER = "bench-employer@bench.momjobs.cn"
REVIEW_PHASE = "基准测试：山东省妈妈岗目录（第二批，审核中）"
REVIEW_ENTRIES = 2_000
EMPLOYER_POSTS = 1_000
APPLICATIONS = 5_000
PENDING_EMPLOYERS = 300


# -- the extra data pages need ------------------------------------------------------------------


def ensure_page_extras():
    """Phases, recognitions and history on top of the search dataset; once (idempotent)."""
    from django.db import transaction
    from django.utils import timezone

    from directory.models import Bureau, Catalog, EntryDecision, Phase, PhaseEntry, PhaseStatus
    from employers.models import DirectoryEvent, Employer, EmployerStatusEvent, Posting
    from employers.services import posting_snapshot
    from momjobs.regions.models import Region

    if Phase.objects.filter(title=BIG_PHASE).exists():
        return "present"
    started = time.monotonic()
    rng = random.Random(SEED)
    now = timezone.now()
    with transaction.atomic():
        province = Region.objects.get(code="370000")
        bureau, _ = Bureau.objects.get_or_create(
            name="山东省人力资源和社会保障厅（基准测试）", defaults={"jurisdiction": province}
        )
        catalog, _ = Catalog.objects.get_or_create(bureau=bureau, name="山东省妈妈岗目录")

        def phase_of(catalog, title, postings, published):
            phase = Phase.objects.create(
                catalog=catalog,
                number=Phase.objects.filter(catalog=catalog).count() + 1,
                title=title,
                status=PhaseStatus.PUBLISHED,
                submission_deadline=published,
                published_at=published,
            )
            PhaseEntry.objects.bulk_create(
                [
                    PhaseEntry(
                        phase=phase,
                        posting=posting,
                        decision=EntryDecision.APPROVED,
                        snapshot=posting_snapshot(posting),
                        decided_at=published,
                    )
                    for posting in postings
                ],
                batch_size=2000,
            )
            return phase

        shandong = (
            Posting.objects.live()
            .filter(region__path__startswith=province.path)
            .select_related("employer", "region")
            .order_by("pk")
        )
        phase_of(catalog, BIG_PHASE, list(shandong[:BIG_ENTRIES]), now - dt.timedelta(days=30))
        cities = list(
            Region.objects.filter(kind__in=CITY_KINDS, path__startswith=province.path).order_by(
                "code"
            )[:SMALL_PHASES]
        )
        for n, city in enumerate(cities):
            city_bureau, _ = Bureau.objects.get_or_create(
                name=f"{city.name}人社局（基准测试）", defaults={"jurisdiction": city}
            )
            city_catalog, _ = Catalog.objects.get_or_create(
                bureau=city_bureau, name=f"{city.name}妈妈岗目录"
            )
            postings = list(
                Posting.objects.live()
                .filter(region__path__startswith=city.path)
                .select_related("employer", "region")
                .order_by("pk")[:SMALL_ENTRIES]
            )
            phase_of(
                city_catalog,
                f"{city.name}妈妈岗目录（第一批）",
                postings,
                now - dt.timedelta(days=10 + n),
            )
        employers = list(Employer.objects.order_by("pk").values_list("pk", "status"))
        recognised = rng.sample([pk for pk, _ in employers], min(RECOGNISED, len(employers)))
        Employer.objects.filter(pk__in=recognised).update(
            recognition="妈妈岗就业基地", recognised_year=2025
        )
        events = []
        for pk, status in employers:
            at = now - dt.timedelta(days=rng.randint(40, 400))
            events.append(
                EmployerStatusEvent(
                    employer_id=pk, kind=DirectoryEvent.LISTED, status="pending", at=at
                )
            )
            events.append(
                EmployerStatusEvent(
                    employer_id=pk,
                    kind=DirectoryEvent.VERIFIED,
                    status=status,
                    at=at + dt.timedelta(days=3),
                )
            )
        for pk in recognised:
            events.append(
                EmployerStatusEvent(
                    employer_id=pk,
                    kind=DirectoryEvent.RECOGNISED,
                    status="verified",
                    reason="认定为2025年度“妈妈岗就业基地”",
                    at=now - dt.timedelta(days=20),
                )
            )
        EmployerStatusEvent.objects.bulk_create(events, batch_size=5000)
    return f"created in {time.monotonic() - started:.0f} s"


def ensure_signed_in_extras():
    """What the signed-in pages need, once (idempotent): a provincial officer of the Shandong
    bureau with a phase of 2,000 entries in review and 300 employers waiting for verification; an
    employer with exactly 1,000 posts (live, closed, drafts, in review) and 5,000 applications
    from 1,000 seekers."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count, F
    from django.db.models.functions import Abs
    from django.utils import timezone

    from directory.models import (
        Bureau,
        BureauStaff,
        Catalog,
        EntryDecision,
        Phase,
        PhaseEntry,
        PhaseStatus,
    )
    from employers.models import (
        Application,
        ApplicationStatus,
        Employer,
        EmployerMembership,
        EmployerStatus,
        MembershipRole,
        Posting,
        PostingStatus,
    )
    from employers.services import posting_snapshot
    from employers.uscc import make_uscc
    from momjobs.regions.models import Region
    from momjobs.users.models import Role, SeekerProfile

    User = get_user_model()
    if User.objects.filter(email=OFFICER).exists():
        return "present"
    started = time.monotonic()
    rng = random.Random(SEED + 3)
    now = timezone.now()
    with transaction.atomic():
        province = Region.objects.get(code="370000")
        bureau = Bureau.objects.get(name="山东省人力资源和社会保障厅（基准测试）")
        officer = User.objects.create_user(OFFICER, "bench-pass-2026", role=Role.BUREAU)
        BureauStaff.objects.create(bureau=bureau, user=officer)
        catalog = Catalog.objects.get(bureau=bureau, name="山东省妈妈岗目录")
        in_big = PhaseEntry.objects.filter(phase__title=BIG_PHASE).values("posting_id")
        postings = list(
            Posting.objects.live()
            .filter(region__path__startswith=province.path)
            .exclude(pk__in=in_big)
            .select_related("employer", "region")
            .order_by("-pk")[:REVIEW_ENTRIES]
        )
        phase = Phase.objects.create(
            catalog=catalog,
            number=Phase.objects.filter(catalog=catalog).count() + 1,
            title=REVIEW_PHASE,
            status=PhaseStatus.IN_REVIEW,
            submission_deadline=now - dt.timedelta(days=2),
        )
        decisions = [EntryDecision.PENDING] * 6 + [EntryDecision.APPROVED] * 3
        decisions += [EntryDecision.REJECTED]
        PhaseEntry.objects.bulk_create(
            [
                PhaseEntry(
                    phase=phase,
                    posting=posting,
                    decision=(decision := rng.choice(decisions)),
                    snapshot=posting_snapshot(posting),
                    decided_at=None if decision == EntryDecision.PENDING else now,
                )
                for posting in postings
            ],
            batch_size=2000,
        )
        districts = list(
            Region.objects.filter(path__startswith=province.path, kind="district").values_list(
                "pk", "code"
            )
        )
        pending = []
        for n in range(PENDING_EMPLOYERS):
            region_pk, code = rng.choice(districts)
            pending.append(
                Employer(
                    name=f"基准测试待核验家政服务有限公司{n:04d}",
                    uscc=make_uscc(f"92{code}{n:09d}"),
                    region_id=region_pk,
                    address="测试路1号",
                    sector="domestic",
                    status=EmployerStatus.PENDING,
                )
            )
        Employer.objects.bulk_create(pending)
        Employer.objects.filter(pk__in=[e.pk for e in pending]).update(
            created_at=now - dt.timedelta(days=1)
        )

        # An employer with 1,000 posts: 850 of its live ones (the one whose count is nearest;
        # its others go to another employer) and 150 more, copies, closed, drafts and in
        # review. The table keeps its 1,000,000 live posts (bench/search.py --reuse checks).
        kept_live = EMPLOYER_POSTS - 150
        employer = (
            Employer.objects.annotate(n=Count("postings"))
            .filter(n__gte=kept_live)
            .order_by(Abs(F("n") - kept_live), "pk")
            .first()
        )
        own = list(Posting.objects.filter(employer=employer).order_by("pk"))
        other = Employer.objects.exclude(pk=employer.pk).order_by("pk").first()
        Posting.objects.filter(pk__in=[p.pk for p in own[kept_live:]]).update(employer=other)
        own = own[:kept_live]
        statuses = [PostingStatus.CLOSED] * 100 + [PostingStatus.DRAFT] * 30
        statuses += [PostingStatus.SUBMITTED] * 20
        for n, status in enumerate(statuses):
            copy = Posting.objects.get(pk=own[n].pk)
            copy.pk, copy.status = None, status
            copy.save()
            own.append(copy)
        owner = User.objects.create_user(EMPLOYER_USER, "bench-pass-2026", role=Role.EMPLOYER)
        EmployerMembership.objects.create(employer=employer, user=owner, role=MembershipRole.OWNER)

        seekers = User.objects.bulk_create(
            [
                User(email=f"bench-seeker{n:05d}@bench.momjobs.cn", role=Role.SEEKER)
                for n in range(APPLICATIONS // 5)
            ]
        )
        names = {user.pk: f"测试{n}" for n, user in enumerate(seekers)}
        SeekerProfile.objects.bulk_create(
            [SeekerProfile(user=user, name=names[user.pk]) for user in seekers]
        )
        kinds = [ApplicationStatus.SUBMITTED] * 4 + [ApplicationStatus.VIEWED] * 3
        kinds += [ApplicationStatus.INTERVIEW, ApplicationStatus.HIRED]
        kinds += [ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN]
        live = [p for p in own if p.status == PostingStatus.LIVE][100:]
        applications, seen = [], set()
        while len(applications) < APPLICATIONS:
            posting, seeker = rng.choice(live), rng.choice(seekers)
            if (posting.pk, seeker.pk) in seen:
                continue
            seen.add((posting.pk, seeker.pk))
            status = rng.choice(kinds)
            applications.append(
                Application(
                    posting=posting,
                    seeker=seeker,
                    status=status,
                    note="可以周末上班",
                    applicant_name=names[seeker.pk],
                    consent_at=now,
                    start_date=(now + dt.timedelta(days=7)).date()
                    if status == ApplicationStatus.HIRED
                    else None,
                )
            )
        Application.objects.bulk_create(applications, batch_size=2000)
    return f"created in {time.monotonic() - started:.0f} s (employer {employer.pk})"


def signed_in_cookies():
    """A session cookie for the officer (two-factor step done) and one for the employer."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from momjobs.users.twofactor import SESSION_VERIFIED

    cookies = {}
    for who, email in (("officer", OFFICER), ("employer", EMPLOYER_USER)):
        client = Client()
        client.force_login(get_user_model().objects.get(email=email))
        session = client.session
        session[SESSION_VERIFIED] = True
        session.save()
        cookies[who] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookies


# -- URL mixes ----------------------------------------------------------------------------------


def write_mixes():
    """Warm mixes (a few hundred URLs replayed) and cold ones (URLs never requested before)."""
    from django.conf import settings

    from directory.models import Phase
    from directory.search.sitemaps import POSTINGS_PER_PAGE
    from employers.models import Employer, Posting
    from momjobs.regions.models import Region

    rng = random.Random(SEED + 1)
    ids = list(Posting.objects.live().order_by("?").values_list("pk", flat=True)[:30000])
    employers = list(Employer.objects.verified().order_by("pk").values_list("pk", flat=True))
    cities = list(Region.objects.filter(kind__in=CITY_KINDS).values_list("code", flat=True))
    districts = list(
        Region.objects.filter(parent__kind__in=CITY_KINDS).values_list("code", flat=True)
    )
    big = Phase.objects.get(title=BIG_PHASE)
    small = Phase.objects.published().exclude(pk=big.pk).order_by("pk").first()
    pages = max(1, len(employers) // settings.PAGE_SIZE)
    sections = max(
        1, Posting.objects.order_by("-pk").values_list("pk", flat=True)[0] // POSTINGS_PER_PAGE
    )
    rng.shuffle(employers)
    mixes = {
        "ok": ["/bench/ok"],
        "home": ["/"],
        "posting": [f"/jobs/{pk}/" for pk in ids[:300]],
        "posting-cold": [f"/jobs/{pk}/" for pk in ids[300:]],
        "employer": [f"/employers/{pk}/" for pk in employers[:200]],
        "employer-cold": [f"/employers/{pk}/" for pk in employers[200:]],
        "directory": ["/employers/"],
        "directory-deep": [f"/employers/?page={n}" for n in range(2, min(pages, 60) + 1)],
        "directory-deep-cold": [f"/employers/?page={n}" for n in range(2, pages + 1)],
        "directory-place": [f"/employers/?region={c}" for c in cities[:60]],
        "directory-place-cold": [f"/employers/?region={c}" for c in cities]
        + [f"/employers/?region={d}" for d in districts],
        "phases": ["/phases/"],
        "phase-big": [f"/phases/{big.pk}/"],
        "phase-small": [f"/phases/{small.pk}/"],
        "feed-region": [f"/feeds/regions/{c}/" for c in cities[:60]],
        "feed-region-cold": [f"/feeds/regions/{d}/" for d in districts],
        "feed-catalog": [f"/feeds/catalogs/{big.catalog_id}/"],
        "sitemap": ["/sitemap.xml"],
        "sitemap-postings": [f"/sitemap-postings.xml?p={n}" for n in range(1, 11)],
        "sitemap-postings-cold": [f"/sitemap-postings.xml?p={n}" for n in range(1, sections + 1)],
        "api-phases": ["/api/v1/phases/"],
        **signed_in_mixes(),
    }
    for name in list(mixes):
        if name.endswith("-cold"):
            rng.shuffle(mixes[name])
    S.URLS.mkdir(parents=True, exist_ok=True)
    for name, paths in mixes.items():
        (S.URLS / f"pages-{name}.txt").write_text("\n".join(paths) + "\n")
    return {name: len(paths) for name, paths in mixes.items()}


def signed_in_mixes():
    from django.db.models import Count

    from directory.models import Phase
    from employers.models import Posting

    review = Phase.objects.get(title=REVIEW_PHASE)
    busiest = (
        Posting.objects.filter(employer__memberships__user__email=EMPLOYER_USER)
        .annotate(n=Count("applications"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[:20]
    )
    return {
        "officer-dashboard": ["/bureau/dashboard/"],
        "officer-phases": ["/bureau/phases/"],
        "officer-review": [f"/bureau/phases/{review.pk}/review/?page={n}" for n in range(1, 11)],
        "officer-employers": ["/bureau/employers/"],
        "employer-postings": ["/employer/"],
        "employer-applications": [f"/employer/postings/{pk}/applications/" for pk in busiest],
    }


# -- measuring ------------------------------------------------------------------------------------


def sql_and_bytes(name, cookie=None):
    """Queries of the page's first URL, cold (cache emptied) and warm; its size raw and gzipped."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    path = (S.URLS / f"pages-{name}.txt").read_text().split()[0]
    client = Client(SERVER_NAME="127.0.0.1")
    if cookie:
        key, value = cookie.split("=", 1)
        client.cookies[key] = value
    S.clear_cache()
    reset_queries()
    with CaptureQueriesContext(connection) as cold:
        response = client.get(path)
    with CaptureQueriesContext(connection) as warm:
        client.get(path)
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    return {
        "path": path,
        "status": response.status_code,
        "queries_cold": len(cold),
        "queries_warm": len(warm),
        "bytes": len(body),
        "bytes_gzip": len(gzip.compress(body, 6)),
    }


def after_write(port, name, workers, cookie=None):
    """Latency of the page right after a write (cache emptied before each request); signed in
    (a cookie), the latency of its URLs one at a time, nothing emptied."""
    paths = (S.URLS / f"pages-{name}.txt").read_text().split()
    headers = {"Cookie": cookie} if cookie else None
    from momjobs.lib import search_version  # noqa: PLC0415 - Django is set up by now

    def latencies(before):
        times = []
        for n in range(AFTER_WRITE_REQUESTS):
            path = paths[n % len(paths)] if cookie else paths[0]
            before()
            started = time.perf_counter()
            status, _body = S.http_get(port, path, headers=headers)
            times.append(time.perf_counter() - started)
            assert status == 200, (path, status)
        times.sort()
        p50 = statistics.median(times)
        return {
            "p50_ms": round(p50 * 1000, 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 1),
            "rps_equiv": workers / p50,
        }

    if cookie:
        return latencies(lambda: None)
    # What a write does (the search version changes), and the stricter cache emptied.
    figures = latencies(search_version.bump)
    figures["emptied"] = latencies(S.clear_cache)
    return figures


def measure(server, meter, quiet, name, mode, duration, warmup, cookie=None):
    mix = f"pages-{name}"
    cold_mix = f"pages-{name}-cold"
    headers = [f"Cookie: {cookie}"] if cookie else []
    if mode == "cold":
        S.clear_cache()
        measured = cold_mix
    elif cookie:
        measured = mix
    else:
        S.first_pass(server.port, mix)
        measured = mix
    quiet.wait(meter)
    if warmup and mode != "cold":
        S.run_wrk(server.port, mix, warmup, headers)
    meter.start()
    figures = S.run_wrk(server.port, measured, duration, headers)
    share, used = meter.measure(extra={"wrk": figures["wrk_cpu_s"]})
    figures["others_cpu_share"] = round(share, 3)
    figures["loadavg"] = round(os.getloadavg()[0], 2)
    figures["cpu_ms_per_request"] = {
        k: round(v * 1000 / max(1, figures["requests"]), 2) for k, v in used.items()
    }
    figures["mix_paths"] = len((S.URLS / f"{measured}.txt").read_text().split())
    if mode == "cold" and figures["requests"] > figures["mix_paths"]:
        figures["repeated"] = figures["requests"] - figures["mix_paths"]
    return figures


def run(args, cookies):
    workers = args.workers
    server = S.Gunicorn(workers).start()
    meter = S.CpuMeter(server.process.pid)
    quiet = S.Quiet(args.quiet, args.quiet_wait)
    results = {}
    try:
        for name in ["ok", *[p for p in args.pages if p != "ok"]]:
            label, kind, _targets = PAGES[name]
            cookie = cookies[name.split("-")[0]] if kind == "signed" else None
            entry = {"label": label, "sql": sql_and_bytes(name, cookie)}
            if kind == "signed":
                # One at a time first (the page's own latency), then under wrk's load.
                entry["alone"] = after_write(server.port, name, workers, cookie)
            entry["warm"] = measure(
                server, meter, quiet, name, "warm", args.duration, args.warmup, cookie
            )
            if kind == "cold":
                entry["cold"] = measure(
                    server, meter, quiet, name, "cold", args.duration, args.warmup
                )
            elif kind == "write":
                entry["write"] = after_write(server.port, name, workers)
            results[name] = entry
            warm = entry["warm"]
            say(
                f"{name}: warm {warm['rps']:.1f} req/s p95 {warm['p95_us'] / 1000:.1f} ms"
                + (
                    f"; cold {entry['cold']['rps']:.1f} req/s "
                    f"p95 {entry['cold']['p95_us'] / 1000:.1f} ms"
                    if "cold" in entry
                    else ""
                )
                + (f"; after a write p50 {entry['write']['p50_ms']} ms" if "write" in entry else "")
                + (
                    f"; alone p50/p95 {entry['alone']['p50_ms']}/{entry['alone']['p95_ms']} ms"
                    if "alone" in entry
                    else ""
                )
                + f"; SQL {entry['sql']['queries_cold']}/{entry['sql']['queries_warm']}"
            )
    finally:
        server.stop()
    return results


def table(results):
    base = results["ok"]["warm"]["rps"]
    lines = [
        "| page | warm req/s | warm p95 ms | warm ratio | cold req/s | cold p95 ms | cold ratio "
        "| after a write, or signed in one at a time: p50/p95 ms (ratio) | targets | SQL cold/warm | KB (gzip) "
        "| CPU ms/req warm: gunicorn + PostgreSQL | others' CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- | ---: |",
    ]
    for name, entry in results.items():
        label, _kind, targets = PAGES[name]
        warm = entry["warm"]
        cold = entry.get("cold")
        write = entry.get("write") or entry.get("alone")
        ratios = {"warm": warm["rps"] / base}
        if cold:
            ratios["cold"] = cold["rps"] / base
        if write:
            ratios["write"] = write["rps_equiv"] / base
        verdicts = []
        for mode, goal in targets.items():
            if mode in ratios:
                ok = ratios[mode] >= goal
                if mode == "cold" and name in ("posting", "employer"):
                    ok = ok and cold["p95_us"] <= 100_000
                verdicts.append(f"{mode} {'met' if ok else 'MISSED'} (≥ {goal:.0%})")
        if "alone" in entry:
            ok = entry["alone"]["p95_ms"] <= SIGNED_P95_MS
            verdicts.append(f"p95 {'met' if ok else 'MISSED'} (≤ {SIGNED_P95_MS} ms)")
        cpu = warm["cpu_ms_per_request"]
        sql = entry["sql"]
        lines.append(
            f"| {label} | {warm['rps']:.1f} | {warm['p95_us'] / 1000:.1f} | "
            f"{ratios['warm']:.1%} | "
            + (
                f"{cold['rps']:.1f} | {cold['p95_us'] / 1000:.1f} | {ratios['cold']:.1%} | "
                if cold
                else "| | | "
            )
            + (
                f"{write['p50_ms']}/{write['p95_ms']} ({ratios['write']:.1%})"
                + (
                    f"; emptied {write['emptied']['p50_ms']}/{write['emptied']['p95_ms']} "
                    f"({write['emptied']['rps_equiv'] / base:.1%})"
                    if "emptied" in write
                    else ""
                )
                + " | "
                if write
                else " | "
            )
            + f"{', '.join(verdicts)} | {sql['queries_cold']}/{sql['queries_warm']} | "
            f"{sql['bytes'] / 1024:.0f} ({sql['bytes_gzip'] / 1024:.0f}) | "
            f"{cpu.get('gunicorn', 0):.1f} + {cpu.get('postgres', 0):.1f} | "
            f"{warm['others_cpu_share']:.0%} |"
        )
    return "\n".join(lines)


def main(argv=None):
    signal.signal(signal.SIGTERM, S._interrupt)
    signal.signal(signal.SIGINT, S._interrupt)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", default=",".join(p for p in PAGES if p != "ok"))
    parser.add_argument("--quiet", type=float, default=0.10)
    parser.add_argument("--quiet-wait", type=int, default=120)
    parser.add_argument("--keep-running", action="store_true")
    args = parser.parse_args(argv)
    args.pages = [p for p in args.pages.split(",") if p]
    if unknown := set(args.pages) - set(PAGES):
        parser.error(f"unknown pages {sorted(unknown)}")
    S.DATA.mkdir(parents=True, exist_ok=True)
    S.RESULTS.mkdir(parents=True, exist_ok=True)
    S.ensure_wrk()
    port, redis_url = S.start_services()
    try:
        S.configure_django(port, redis_url)
        meta = S.prepare_dataset(argparse.Namespace(reuse=True, postings=1_000_000,
                                                    no_snapshot=True), port)  # fmt: skip
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        extras = ensure_page_extras()
        say(f"page extras: {extras}")
        signed_extras = ensure_signed_in_extras()
        say(f"signed-in extras: {signed_extras}")
        cookies = signed_in_cookies()
        mixes = write_mixes()
        figures = S.dataset_figures(port)
        report = {
            "machine": S.machine(),
            "dataset": {
                **figures,
                "generation": meta,
                "page_extras": extras,
                "signed_in_extras": signed_extras,
            },
            "mixes": mixes,
            "settings": vars(args),
        }
        report["pages"] = run(args, cookies)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = S.RESULTS / f"pages-{stamp}.json"
        out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
        m = report["machine"]
        print()
        print(f"== Pages benchmark, {m['date']}")
        print(
            f"machine: {m['nproc']} cores ({m['cpu']}), {m['ram']} RAM; Python {m['python']}, "
            f"Django {m['django']}, gunicorn {m['gunicorn']} --workers {args.workers}, "
            f"{m['wrk']}; app at {m['commit']}"
        )
        print(
            f"dataset: {figures['live_postings']:,} live postings, {figures['employers']:,} "
            f"employers; PostgreSQL {figures['pg_version']} {figures['pg_settings']}"
        )
        print(f"warm-up {args.warmup} s, then {args.duration} s per measurement")
        print()
        print(table(report["pages"]))
        say(f"results written to {out}")
    finally:
        if args.keep_running:
            say("services left running: python tools/devservices.py stop --dir .data/bench")
        else:
            S.stop_services()
    return 0


if __name__ == "__main__":
    sys.exit(main())
