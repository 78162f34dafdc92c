"""Benchmark of saved-search alerts (search/alerts.py): prints figures, asserts nothing.

    manage.py alerts_benchmark --prepare        a corpus (search_benchmark's generator), 100.000 saved searches
    manage.py alerts_benchmark --single         one published vacancy percolated: p50 / p95 / max
    manage.py alerts_benchmark --burst          1.000 vacancies published at once: time until every alert is
                                                queued, while search takes 50 requests/s (open loop, HTTP,
                                                its own gunicorn on BENCH_PORT); search's p95 meanwhile

Like `make benchmark`, it needs a database and an index prefix of its own (SEARCH_INDEX_PREFIX=bench…).
The saved searches are drawn from search_benchmark's query mix (the judged set's kinds of queries) with
filters (abroad, a country, a commune, a salary, an occupation), each checked by the search's own
serializer, owned by 2.000 workers who agreed to job alerts.
"""

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from candidates.models import Consent, WorkerProfile
from jobs import services as jobs_services
from jobs.models import Commune, Occupation, Vacancy
from notifications.models import Event
from search import alerts
from search.management.commands import search_benchmark
from search.models import PendingPercolation, SavedSearch, SavedSearchHit

PORT = int(os.environ.get("BENCH_PORT", "8765"))
COUNTRIES = ["JP", "KR", "TW", "DE"]


class Command(BaseCommand):
    help = "Saved-search alerts under load: 100.000 saved searches, one vacancy and a burst of 1.000."

    def add_arguments(self, parser):
        parser.add_argument("--prepare", action="store_true")
        parser.add_argument("--single", action="store_true")
        parser.add_argument("--burst", action="store_true")
        parser.add_argument("--searches", type=int, default=100_000)
        parser.add_argument("--vacancies", type=int, default=20_000)
        parser.add_argument("--burst-size", type=int, default=1000)
        parser.add_argument("--rate", type=int, default=50, help="searches per second during the burst")
        parser.add_argument("--budget", type=float, default=100.0, help="seconds a step may take at most")

    def handle(self, *args, prepare, single, burst, **options):
        if not settings.SEARCH_INDEX_PREFIX.startswith("bench"):
            raise CommandError("It needs a database and index prefix of its own (SEARCH_INDEX_PREFIX=bench…).")
        self.rng = random.Random(19)  # noqa: S311  repeatable, not secrets
        self.options = options
        if prepare:
            self.prepare(options["vacancies"], options["searches"])
        active = alerts.active_searches()
        distinct = len({json.dumps(p, sort_keys=True) for p in active.values_list("params", flat=True)})
        visible = Vacancy.objects.visible().count()
        self.say(f"Saved searches: {active.count():,} active ({distinct:,} distinct), on {visible:,} visible vacancies")
        if single:
            self.single()
        if burst:
            self.burst(options["burst_size"], options["rate"])

    def say(self, line):
        self.stdout.write(line)
        self.stdout.flush()

    # --- the corpus ------------------------------------------------------------------------------

    def prepare(self, n_vacancies, n_searches):
        jobs_services.communes_load()
        jobs_services.occupations_load()
        jobs_services.reference_load()
        generator = search_benchmark.Command(stdout=self.stdout)
        generator.rng = self.rng
        generator.generate(n_vacancies, 2000)
        generator.index()
        workers = list(WorkerProfile.objects.select_related("user")[:2000])
        Consent.objects.bulk_create(
            [Consent(worker=w, purpose="alerts", text_version="bench") for w in workers], ignore_conflicts=True
        )
        SavedSearch.objects.all().delete()
        started, checked, rows = time.monotonic(), {}, []
        queries = search_benchmark.query_mix(self.rng)
        communes = list(Commune.objects.values_list("code", flat=True))
        occupations = list(Occupation.objects.values_list("code", flat=True))
        for index in range(n_searches):
            params = self.params(queries, communes, occupations)
            key = json.dumps(params, sort_keys=True)
            if key not in checked:  # through the saved searches' own checks, once per distinct input
                checked[key] = alerts.checked(params)
            rows.append(
                SavedSearch(
                    user=workers[index % len(workers)].user,
                    name=params.get("q", "")[:100] or "…",
                    params=checked[key],
                    rhythm=self.rng.choice(SavedSearch.Rhythm.values),
                )
            )
        SavedSearch.objects.bulk_create(rows, batch_size=5000)
        self.say(
            f"Prepared {n_searches:,} saved searches ({len(checked):,} distinct) in {time.monotonic() - started:.0f} s"
        )

    def params(self, queries, communes, occupations) -> dict:
        rng, params = self.rng, {}
        if rng.random() < 0.85:
            params["q"] = rng.choice(queries)
        where = rng.random()
        if where < 0.35:
            params["abroad"] = "true"
            if rng.random() < 0.6:
                params["country"] = rng.choice(COUNTRIES)
        elif where < 0.7:
            params["abroad"] = "false"
            if rng.random() < 0.4:
                params["commune"] = rng.choice(communes)
        if rng.random() < 0.2:
            params["salary_min"] = str(rng.choice([5, 7, 10, 15, 20, 30]) * 1_000_000)
        if "q" not in params or rng.random() < 0.1:
            params["occupation"] = [rng.choice(occupations)]
        return params

    # --- one vacancy -----------------------------------------------------------------------------

    def single(self):
        budget = self.options["budget"]
        ids = list(Vacancy.objects.visible().values_list("pk", flat=True)[:5000])
        timings, started = [], time.monotonic()
        while time.monotonic() - started < budget and len(timings) < 50:
            clock = time.monotonic()
            alerts.answering([self.rng.choice(ids)])
            timings.append((time.monotonic() - clock) * 1000)
        p50, p95 = _percentiles(timings)
        self.say(
            f"One published vacancy against every saved search: {len(timings)} samples, p50 {p50:,.0f} ms, "
            f"p95 {p95:,.0f} ms, max {max(timings):,.0f} ms (target p95 ≤ 50 ms: {'met' if p95 <= 50 else 'NOT met'})"
        )

    # --- a burst ---------------------------------------------------------------------------------

    def burst(self, size, rate):
        ids = list(Vacancy.objects.visible().order_by("?").values_list("pk", flat=True)[:size])
        SavedSearchHit.objects.filter(vacancy_id__in=ids).delete()
        PendingPercolation.objects.all().delete()
        web = self.start_web()
        latencies, failures, stop = [], [0], threading.Event()
        load = threading.Thread(target=self.search_load, args=(rate, latencies, failures, stop))
        try:
            load.start()
            time.sleep(3)  # search under load before the burst, too
            events_before = Event.objects.filter(kind="saved_search").count()
            clock = time.monotonic()
            with transaction.atomic():
                Vacancy.objects.filter(pk__in=ids).update(modified_at=timezone.now())  # published or edited
                alerts.queue(ids)
            batches = []
            while PendingPercolation.objects.exists() and time.monotonic() - clock < self.options["budget"]:
                batch_clock = time.monotonic()
                taken = alerts.percolate()
                batches.append(f"{taken} in {time.monotonic() - batch_clock:.1f} s")
            seconds = time.monotonic() - clock
            left = PendingPercolation.objects.count()
        finally:
            stop.set()
            load.join()
            web.terminate()
        events = Event.objects.filter(kind="saved_search").count() - events_before
        hits = SavedSearchHit.objects.filter(vacancy_id__in=ids).count()
        p50, p95 = _percentiles(latencies)
        done = "every alert queued" if not left else f"NOT finished: {left} of {size} vacancies still pending"
        self.say(
            f"Burst of {size:,} vacancies: {done} after {seconds:.1f} s (target ≤ 120 s); {hits:,} search×vacancy "
            f"hits, {events:,} at-once alerts queued (digests take the rest each morning); "
            f"batches: {', '.join(batches)}"
        )
        self.say(
            f"Search meanwhile at {rate}/s: {len(latencies):,} answered, {failures[0]} failed, p50 {p50:.0f} ms, "
            f"p95 {p95:.0f} ms (target p95 ≤ 60 ms: {'met' if p95 <= 60 else 'NOT met'})"
        )

    def start_web(self):
        web = subprocess.Popen(  # noqa: S603  our own server, on loopback
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "2", "--threads", "8"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz")
                return web
            except OSError:
                time.sleep(0.2)
        web.terminate()
        raise CommandError("gunicorn did not start")

    def search_load(self, rate, latencies, failures, stop):
        """Open loop: each request leaves at its scheduled time; waiting in a queue counts."""
        queries = search_benchmark.query_mix(random.Random(5))  # noqa: S311
        start = time.monotonic()

        def one(due, text):
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            try:
                connection.request("GET", "/api/v1/vacancies/search?" + urlencode({"q": text}))
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failures[0] += 1
                    return
                latencies.append((time.monotonic() - due) * 1000)
            except OSError:
                failures[0] += 1
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=32) as pool:
            sent = 0
            while not stop.is_set():
                due = start + sent / rate
                if (wait := due - time.monotonic()) > 0:
                    time.sleep(wait)
                pool.submit(one, due, queries[sent % len(queries)])
                sent += 1


def _percentiles(values):
    if len(values) < 2:
        return (values[0], values[0]) if values else (float("nan"), float("nan"))
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94]
