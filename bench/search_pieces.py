#!/usr/bin/env python3
"""What a cold search page is made of: the CPU of each piece, in-process (issue 4).

    .venv/bin/python bench/search_pieces.py [--n 100]

Needs the dataset of bench/search.py (run it once; this starts and stops the same embedded
PostgreSQL and Redis in .data/bench). Each figure is the mean process CPU over --n new searches
of the cold (c) list, or over --n pages of 20 random postings, after one untimed round, with
devservices' PostgreSQL settings (shared_buffers 128MB). No HTTP:
the pieces as the view runs them, to show which of them alone exceed the cold target's budget
(docs/performance.md, "Why the cold target is out of reach").
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import search as bench  # noqa: E402


def mean_cpu_ms(fn, n):
    fn(0)
    start = time.process_time()
    for i in range(n):
        fn(i)
    return (time.process_time() - start) / n * 1000


def pieces(n):
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache
    from django.db import connection
    from django.http import QueryDict
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory
    from django.utils import translation

    from directory.search.filters import PostingFilter, card_postings, with_quality
    from employers.models import Posting

    translation.activate("zh-hans")
    cache.clear()
    paths = (bench.URLS / "c-cold.txt").read_text().split()[: 2 * n + 2]
    queries = [QueryDict(p.split("?", 1)[1]) for p in paths]
    request = RequestFactory().get("/jobs/")
    request.user = AnonymousUser()
    client = Client(HTTP_HOST="127.0.0.1")

    def search(i):
        return PostingFilter(queries[i], queryset=Posting.objects.live())

    def validated(i):
        search(i).form.is_valid()

    def ids_built(i):
        search(i).qs.values_list("pk", flat=True)[:1001].query.sql_with_params()

    def ids_run(i):
        list(search(n + i).qs.values_list("pk", flat=True)[:1001])

    rng = random.Random(bench.SEED)
    top = Posting.objects.order_by("-pk").values_list("pk", flat=True).first()
    pages = [rng.sample(range(1, top + 1), 20) for _ in range(n + 1)]
    loaded = with_quality(card_postings().in_bulk(pages[0]).values())

    def cards_loaded(i):
        with_quality(card_postings().in_bulk(pages[i]).values())

    def cards_rendered(i):
        for posting in loaded:
            render_to_string("includes/posting_card.html", {"posting": posting})

    def form_rendered(i):
        form = search(i).form
        for name in form.fields:
            render_to_string("includes/filter_field.html", {"field": form[name]})

    rows = [
        (
            "the trivial view through every middleware (test client)",
            lambda i: client.get("/bench/ok"),
        ),
        ("base.html alone", lambda i: render_to_string("base.html", {}, request=request)),
        ("the filters validated", validated),
        ("the ids query built by the ORM (with validation)", ids_built),
        ("the ids query built and run (with validation; this process only)", ids_run),
        ("20 cards loaded, with their badges (3 queries)", cards_loaded),
        ("20 cards rendered", cards_rendered),
        ("the filter form rendered field by field (with validation)", form_rendered),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM employers_posting")
        size = cursor.fetchone()[0]
    machine = bench.machine()
    print(f"dataset: {size:,} postings; n = {n}; {machine['nproc']} cores ({machine['cpu']})")
    print("| piece | CPU ms |\n| --- | ---: |")
    for label, fn in rows:
        print(f"| {label} | {mean_cpu_ms(fn, n):.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100)
    args = parser.parse_args()
    port, redis_url = bench.start_services()
    try:
        # devservices' settings, as bench/search.py without --pg (an earlier --pg is undone).
        port = bench.configure_postgres(port, [])
        bench.configure_django(port, redis_url)
        pieces(args.n)
    finally:
        bench.stop_services()


if __name__ == "__main__":
    main()
