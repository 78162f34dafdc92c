"""Benchmark: load a generated corpus, index it, and put search, suggest and matching under load.

Run it through `make benchmark`, which gives it a database and an index prefix of its own (the demo
data is never touched). It starts its own gunicorn and Celery worker on this machine, sends open-loop
traffic on loopback only (each request leaves at its scheduled time, so time spent waiting in a queue
counts), and prints the figures. Nothing here is a test: it measures, and says which targets were met.
"""

import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from candidates.models import Certificate, Consent, LanguageCertificate, WorkerProfile
from candidates.selectors import matching_profile
from jobs import services as jobs_services
from jobs.models import Commune, Membership, Occupation, Organisation, Vacancy
from search import queries, services
from search.client import elasticsearch
from search.documents import CandidateDocument, OccupationDocument, VacancyDocument
from search.indexes import alias_of

PORT = 8765
TARGETS = {"search": (50, 60.0), "suggest": (30, 25.0), "matching": (20, 120.0)}  # rate/s, p95 ms
RATES = {"search": [10, 50, 100, 125, 150], "suggest": [10, 30, 60], "matching": [10, 20, 40]}
WORDS = [
    "tho han",
    "thợ hàn",
    "cong nhan may",
    "lái xe",
    "dieu duong",
    "đầu bếp",
    "xuat khau lao dong nhat ban",
    "ke toan",
    "thợ điện",
    "welder",
    "phụ hồ",
    "nuôi trồng thủy sản",
    "bán hàng",
    "bảo vệ",
    "hộ lý",
]
PREFIXES = ["tho", "tho h", "cong n", "lai", "dieu d", "dau b", "ke t", "phu h", "ban h", "bao v"]


class Command(BaseCommand):
    help = "Load a generated corpus, index it, and measure latency under open-loop load (see make benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("--vacancies", type=int, default=100_000)
        parser.add_argument("--workers", type=int, default=200_000)
        parser.add_argument("--seconds", type=int, default=15, help="length of each load step")

    def handle(self, *args, vacancies, workers, seconds, **options):
        if not settings.SEARCH_INDEX_PREFIX.startswith("bench"):
            raise CommandError("Run it through `make benchmark`: it needs a database and index prefix of its own.")
        self.rng = random.Random(7)  # noqa: S311  repeatable load, not secrets
        self.p50_at_lowest_rate = {}
        self.say(f"Corpus: {vacancies:,} vacancies, {workers:,} workers")
        self.generate(vacancies, workers)
        self.index()
        officer = self.officer_cookie()
        self.worker_ids = list(WorkerProfile.objects.values_list("pk", flat=True)[:2000])
        processes = self.start_processes()
        try:
            # Search and suggest as the public sends them (no session); matching as a signed-in officer.
            results = {kind: self.load(kind, officer if kind == "matching" else None, seconds) for kind in TARGETS}
            self.raw_comparison()
            self.lag(seconds)
        finally:
            for process in processes:
                process.terminate()
        self.say("Targets on this machine (2 cores, load generator included):")
        for kind, (rate, target) in TARGETS.items():
            met = [r for r, p95 in results[kind] if p95 <= target]
            self.say(
                f"  {kind}: p95 ≤ {target:.0f} ms at {rate}/s: {'met' if rate in met else 'NOT met'}; "
                f"highest rate within target: {max(met) if met else 'none'}/s"
            )

    def say(self, line):
        self.stdout.write(line)
        self.stdout.flush()

    # --- the corpus ---------------------------------------------------------------------------

    def generate(self, n_vacancies, n_workers):
        have = Vacancy.objects.count(), WorkerProfile.objects.count()
        if have[0] >= n_vacancies and have[1] >= n_workers:
            self.say(f"  reusing {have[0]:,} vacancies and {have[1]:,} workers")
            return
        jobs_services.communes_load()
        jobs_services.occupations_load()
        jobs_services.reference_load()
        started = time.monotonic()
        communes = list(Commune.objects.all())
        occupations = list(Occupation.objects.all())
        owner = User.objects.create(username=f"bench-owner-{time.time_ns()}")
        organisations = Organisation.objects.bulk_create(
            Organisation(
                kind="employer",
                name=f"Doanh nghiệp {i}",
                tax_code=f"{3300000000 + i + time.time_ns() % 10**6}",
                verification="verified",
            )
            for i in range(200)
        )
        Membership.objects.bulk_create(Membership(user=owner, organisation=o, role="owner") for o in organisations)
        now, today = timezone.now(), timezone.localdate()
        for start in range(have[0], n_vacancies, 5000):
            rows = []
            for _ in range(start, min(start + 5000, n_vacancies)):
                occupation, commune = self.rng.choice(occupations), self.rng.choice(communes)
                low = self.rng.randrange(5_000_000, 15_000_000, 500_000)
                rows.append(
                    Vacancy(
                        organisation=self.rng.choice(organisations),
                        title=f"{occupation.name_vi} tại {commune.name}",
                        description=f"Tuyển {occupation.name_vi.lower()}, làm việc tại {commune.name}.",
                        occupation=occupation,
                        positions=self.rng.randint(1, 20),
                        commune=commune,
                        currency="VND",
                        salary_min=Decimal(low),
                        salary_max=Decimal(low + 3_000_000),
                        salary_min_vnd=low,
                        salary_max_vnd=low + 3_000_000,
                        contract_type="fixed_term",
                        training_level=self.rng.choice(["none", "short_course", "elementary", "intermediate"]),
                        deadline=today + timedelta(days=self.rng.randint(5, 90)),
                        contact_name="Phòng nhân sự",
                        contact_phone="0233 3852 000",
                        status="published",
                        published_at=now - timedelta(days=self.rng.randint(0, 60)),
                    )
                )
            Vacancy.objects.bulk_create(rows)
        password = make_password(None)
        for start in range(have[1], n_workers, 5000):
            size = min(start + 5000, n_workers) - start
            with transaction.atomic():
                users = User.objects.bulk_create(
                    User(username=f"bench-{start + i}-{time.time_ns()}", password=password) for i in range(size)
                )
                workers = WorkerProfile.objects.bulk_create(
                    WorkerProfile(
                        user=u,
                        full_name="Người lao động",
                        date_of_birth=today.replace(year=today.year - self.rng.randint(18, 50)),
                        sex=self.rng.choice(["male", "female"]),
                        commune=self.rng.choice(communes),
                        education="upper_secondary",
                        wants_abroad=self.rng.random() < 0.4,
                        expected_salary_vnd=self.rng.randrange(6_000_000, 15_000_000, 500_000),
                    )
                    for u in users
                )
                through = WorkerProfile.desired_occupations.through
                through.objects.bulk_create(
                    through(workerprofile_id=w.pk, occupation_id=self.rng.choice(occupations).pk) for w in workers
                )
                Certificate.objects.bulk_create(
                    Certificate(
                        worker=w,
                        level="elementary",
                        occupation=self.rng.choice(occupations),
                        institution="Trường Cao đẳng Kỹ thuật Quảng Trị",
                        issued_on=today.replace(year=today.year - 2),
                    )
                    for w in workers
                )
                LanguageCertificate.objects.bulk_create(
                    LanguageCertificate(worker=w, framework="jlpt", level=self.rng.choice(["N5", "N4", "N3"]))
                    for w in workers
                    if w.wants_abroad
                )
                Consent.objects.bulk_create(
                    Consent(worker=w, purpose="be_found", text_version="bench")
                    for w in workers
                    if self.rng.random() < 0.8
                )
        self.say(f"  generated in {time.monotonic() - started:.0f} s")

    def index(self):
        for document in (OccupationDocument, VacancyDocument, CandidateDocument):
            started = time.monotonic()
            rebuilt = services.rebuild(document)
            rate = rebuilt.documents / rebuilt.load_seconds
            self.say(
                f"Bulk indexing {document.__name__}: {rebuilt.documents:,} documents loaded in "
                f"{rebuilt.load_seconds:.1f} s = {rate:,.0f} docs/s (whole rebuild with swap and catch-up: "
                f"{time.monotonic() - started:.1f} s)"
            )

    # --- load -----------------------------------------------------------------------------------

    def officer_cookie(self) -> str:
        officer, _ = User.objects.get_or_create(username="bench-officer", defaults={"is_officer": True})
        session = SessionStore()
        session[SESSION_KEY] = str(officer.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    def start_processes(self):
        python = sys.executable
        env_note = "(same environment: the bench database and index prefix)"
        web = subprocess.Popen(  # noqa: S603  our own server, on loopback
            [
                python,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--worker-class",
                "gthread",
                "--workers",
                "2",
                "--threads",
                "8",
                "--log-level",
                "warning",
            ],
        )
        celery = [python, "-m", "celery", "-A", "portal", "worker", "--loglevel", "WARNING", "-c", "1"]
        worker = subprocess.Popen(celery)  # noqa: S603  our own worker
        for _ in range(60):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                connection.request("GET", "/api/v1/vacancies/suggest?q=tho")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        self.say(f"Server: gunicorn 2 workers × 8 threads on 127.0.0.1:{PORT}, a Celery worker {env_note}")
        self.web = web
        return [web, worker]

    def cpu_seconds(self) -> tuple[float, float, float]:
        """CPU time used so far by the web server (its processes), the Elasticsearch node, and this
        process (the load generator): where two cores go at a given rate."""
        with open(f"/proc/{self.web.pid}/task/{self.web.pid}/children") as listed:
            children = listed.read().split()  # gunicorn's workers
        web = 0.0
        for pid in [self.web.pid, *children]:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            web += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        nodes = elasticsearch().nodes.stats(metric="process")["nodes"].values()
        search = sum(node["process"]["cpu"]["total_in_millis"] for node in nodes) / 1000
        return web, search, time.process_time()

    def request_for(self, kind) -> str:
        if kind == "search":
            params = {"q": self.rng.choice(WORDS)}
            if self.rng.random() < 0.3:
                params["abroad"] = "false"
            return f"/api/v1/vacancies/search?{urlencode(params)}"
        if kind == "suggest":
            return f"/api/v1/vacancies/suggest?{urlencode({'q': self.rng.choice(PREFIXES)})}"
        return f"/api/v1/workers/{self.rng.choice(self.worker_ids)}/matches"

    def load(self, kind, cookie, seconds) -> list[tuple[int, float]]:
        """Open loop: request i leaves at start + i/rate whatever happened before; latency counts from then."""
        results = []
        for rate in RATES[kind]:
            paths = [self.request_for(kind) for _ in range(rate * seconds)]
            latencies, errors, local = [], Counter(), threading.local()

            def send(index, path, start, rate=rate, local=local, latencies=latencies, errors=errors):
                delay = start + index / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                scheduled = start + index / rate
                for attempt in range(2):  # as HTTP clients do, once more when the server closed an idle connection
                    if not hasattr(local, "connection"):
                        local.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                    try:
                        local.connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                        response = local.connection.getresponse()
                        response.read()
                        if response.status != 200:
                            errors[response.status] += 1
                        break
                    except (OSError, http.client.HTTPException) as exc:
                        del local.connection
                        idle_closed = isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError)
                        if attempt or not idle_closed:
                            errors[type(exc).__name__] += 1
                            break
                latencies.append((time.perf_counter() - scheduled) * 1000)

            before = self.cpu_seconds()
            with ThreadPoolExecutor(max_workers=min(256, rate * 2)) as pool:
                start = time.perf_counter() + 0.5
                for index, path in enumerate(paths):
                    pool.submit(send, index, path, start)
            web, search, generator = (
                (after - was) * 1000 / len(paths) for after, was in zip(self.cpu_seconds(), before, strict=True)
            )
            p50, p95, p99 = _percentiles(latencies)
            self.say(
                f"{kind:8} {rate:4}/s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  "
                f"errors {dict(errors) or 0}  CPU a request: web {web:4.1f} ms, "
                f"Elasticsearch {search:4.1f} ms, load generator {generator:3.1f} ms"
            )
            results.append((rate, p95))
            self.p50_at_lowest_rate.setdefault(kind, p50)
        return results

    def raw_comparison(self):
        """The same requests straight to Elasticsearch: its own `took` and the round trip from here."""
        es = elasticsearch()
        for kind in ("search", "matching"):
            took, trip = [], []
            for _ in range(200):
                if kind == "search":
                    body = queries.vacancy_search_request(queries.VacancyQuery(q=self.rng.choice(WORDS))).to_dict()
                    params = {}
                else:
                    worker = WorkerProfile.objects.select_related("commune").get(pk=self.rng.choice(self.worker_ids))
                    request = queries.matches_request(matching_profile(worker), focused=True)  # the API's first pass
                    body, params = request.to_dict(), {"include_named_queries_score": True}
                started = time.perf_counter()
                response = es.search(index=alias_of(VacancyDocument), body=body, params=params)
                trip.append((time.perf_counter() - started) * 1000)
                took.append(response["took"])
            api = self.p50_at_lowest_rate[kind]
            self.say(
                f"raw {kind:8} Elasticsearch took p50 {statistics.median(took):.1f} ms, "
                f"round trip p50 {statistics.median(trip):.1f} ms p95 {_percentiles(trip)[1]:.1f} ms; "
                f"API p50 at {RATES[kind][0]}/s is {api / statistics.median(trip):.1f}× the raw round trip"
            )

    def lag(self, seconds):
        """Commit-to-searchable: publish vacancies while search runs at 50/s, poll until each is found."""
        officer = User.objects.get(username="bench-officer")
        organisation = Organisation.objects.filter(name__startswith="Doanh nghiệp").first()
        owner = organisation.memberships.first().user
        es, lags = elasticsearch(), []
        stop = threading.Event()
        background = threading.Thread(target=self._background_search, args=(stop,))
        background.start()
        try:
            for _ in range(max(10, seconds)):
                vacancy = Vacancy.objects.filter(organisation=organisation).first()
                fields = {name: getattr(vacancy, name) for name in jobs_services.VACANCY_FIELDS}
                draft = jobs_services.vacancy_create(organisation=organisation, by=owner, **fields)
                jobs_services.vacancy_submit(vacancy=draft, by=owner)
                committed = time.perf_counter()
                jobs_services.vacancy_approve(vacancy=draft, by=officer)  # commits; on_commit queues indexing
                found = {"ids": {"values": [draft.pk]}}  # searchable: indexed and refreshed, not only stored
                while not es.count(index=alias_of(VacancyDocument), query=found)["count"]:
                    time.sleep(0.02)
                    if time.perf_counter() - committed > 30:
                        break
                lags.append(time.perf_counter() - committed)
        finally:
            stop.set()
            background.join()
        p50, p95, _p99 = _percentiles([lag * 1000 for lag in lags])
        self.say(
            f"commit-to-searchable lag under 50 searches/s: p50 {p50 / 1000:.2f} s  p95 {p95 / 1000:.2f} s "
            f"(target p95 ≤ 3 s: {'met' if p95 <= 3000 else 'NOT met'})"
        )

    def _background_search(self, stop):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while not stop.is_set():
            started = time.perf_counter()
            connection.request("GET", self.request_for("search"))
            connection.getresponse().read()
            time.sleep(max(0, 0.02 - (time.perf_counter() - started)))


def _percentiles(values):
    ordered = sorted(values)
    if not ordered:
        return (float("nan"),) * 3

    def at(share):
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return at(0.50), at(0.95), at(0.99)
