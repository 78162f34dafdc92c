"""Benchmark: load a generated corpus, index it, and put search, suggest and matching under load.

Run it through `make benchmark`, which gives it a database and an index prefix of its own (the demo
data is never touched). It starts its own gunicorn and Celery worker on this machine, sends open-loop
traffic on loopback only (each request leaves at its scheduled time, so time spent waiting in a queue
counts), and prints the figures. Nothing here is a test: it measures, and says which targets were met.

The corpus is drawn from the judged set's vacancies (their titles, texts, occupations, languages and the
share that is work abroad); the queries from the judged set's kinds (occupations with and without
diacritics, places, skills, language certificates, countries, typos). Failed requests are counted apart,
never inside the percentiles. The same search is measured against a PostgreSQL-only baseline
(search/baseline.py: unaccent, pg_trgm, full-text search) at each rate and on the judged set.
`--big` adds a step at 1.000.000 vacancies and 2.000.000 workers, built in memory by the Documents' own
`source()` and bulk-loaded straight into indices of their own (PostgreSQL is not part of that step).
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
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from elasticsearch.helpers import bulk

from accounts.models import User
from candidates.models import Certificate, Consent, LanguageCertificate, WorkerProfile
from jobs import services as jobs_services
from jobs.models import (
    Commune,
    Country,
    LabourSupplyContract,
    LanguageRequirement,
    Membership,
    Occupation,
    Organisation,
    Programme,
    Vacancy,
)
from search import baseline, quality, queries, services
from search.client import elasticsearch
from search.documents import CandidateDocument, OccupationDocument, VacancyDocument
from search.indexes import alias_of, create_index, indices_behind, point_alias
from search.matching import matching_profile
from search.text import fold

PORT = int(os.environ.get("BENCH_PORT", "8765"))
TARGETS = {"search": (150, 60.0), "suggest": (30, 25.0), "matching": (20, 120.0)}  # rate/s, p95 ms
RATES = {"search": [10, 50, 100, 125, 150], "suggest": [10, 30, 60], "matching": [10, 20, 40]}
ABROAD_SHARE = 0.25  # of the vacancies: the judged set's share (100 of 412), near the province's own
BIG = (1_000_000, 2_000_000)  # vacancies, workers for --big
BIG_POOL = 20_000  # distinct documents in the big step, each sent 50 (vacancies) or 100 (workers) times
PG_THREADS = 16  # the baseline's connections: as many as the web server's threads (2 × 8)
PG_TIMEOUT = "-c statement_timeout=10s"  # a baseline search that takes longer counts as an error
PG_SATURATED_MS = 2000  # a baseline step with a p95 above this ends the baseline's steps


def query_mix(rng) -> list[str]:
    """At least 300 distinct queries of the judged set's kinds: the judged queries themselves; occupation
    names and aliases as typed, folded and misspelt; an occupation with a place (a 2025 commune or a
    pre-2025 district); a language certificate; a country."""
    judged = [case["query"] for case in quality.load("queries")]
    names = [name for o in Occupation.objects.all() for name in [o.name_vi.split(",")[0], *o.aliases[:2]]]
    places = [c.name for c in Commune.objects.all()] + ["Cam Lộ", "Hướng Hóa", "Vĩnh Linh", "Đa Krông", "Lệ Thủy"]
    languages = ["JLPT N4", "tiếng Nhật N3", "tiếng Đức B1", "TOPIK", "EPS-TOPIK", "tiếng Anh B1", "JFT Basic"]
    countries = ["Nhật Bản", "Hàn Quốc", "Đài Loan", "Đức", "xuất khẩu lao động"]
    mix = dict.fromkeys(judged)
    while len(mix) < 400:
        name = rng.choice(names)
        kind = rng.random()
        if kind < 0.25:
            text = fold(name)
        elif kind < 0.45:
            text = f"{name} {rng.choice(places)}"
        elif kind < 0.55:
            text = f"{name} {rng.choice(countries)}"
        elif kind < 0.62:
            text = f"{rng.choice(['việc làm', 'đơn hàng', 'tuyển'])} {rng.choice(languages)}"
        elif kind < 0.72 and len(name) > 5:
            cut = rng.randrange(1, len(name) - 1)
            text = fold(name[:cut] + name[cut + 1 :])  # a letter dropped
        else:
            text = name
        mix[text.strip()] = None
    return list(mix)


LANGUAGES = [
    {"framework": "jlpt", "level": "N5"},
    {"framework": "jlpt", "level": "N4"},
    {"framework": "jlpt", "level": "N3"},
    {"framework": "eps_topik", "level": "120"},
    {"framework": "topik", "level": "3"},
    {"framework": "cefr_de", "level": "B1"},
    {"framework": "cefr_en", "level": "B1"},
    {"framework": "jft_basic", "level": "A2"},
]


class Command(BaseCommand):
    help = "Load a generated corpus, index it, and measure latency under open-loop load (see make benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("--vacancies", type=int, default=100_000)
        parser.add_argument("--workers", type=int, default=200_000)
        parser.add_argument("--seconds", type=int, default=15, help="length of each load step")
        parser.add_argument("--big", action="store_true", help="add the 1.000.000 / 2.000.000 step (an hour)")
        parser.add_argument("--only-big", action="store_true", help="the 1.000.000 / 2.000.000 step alone")
        parser.add_argument(
            "--big-phase",
            choices=["all", "load", "measure", "drop"],
            default="all",
            help="the big step in parts: load (run it at low priority, any time), measure (in a quiet window), drop",
        )
        parser.add_argument("--big-vacancies", type=int, default=BIG[0], help="the big step's size (workers: twice)")
        parser.add_argument(
            "--prepare", action="store_true", help="generate and index the corpus, then stop (any time, low priority)"
        )
        parser.add_argument(
            "--skip-index", action="store_true", help="measure on the indices a --prepare run built (a quiet window)"
        )
        parser.add_argument("--scale", type=float, default=1.0, help="every rate times this (0.1: a quick trial)")

    def handle(self, *args, vacancies, workers, seconds, big, only_big, scale, big_vacancies, big_phase, **options):
        self.prepare, self.skip_index = options["prepare"], options["skip_index"]
        if "bench" not in settings.SEARCH_INDEX_PREFIX:
            raise CommandError("Run it through `make benchmark`: it needs a database and index prefix of its own.")
        self.rng = random.Random(7)  # noqa: S311  repeatable load, not secrets
        self.p50_at_lowest_rate = {}
        self.rates = {kind: [max(1, round(rate * scale)) for rate in rates] for kind, rates in RATES.items()}
        cores = len(os.sched_getaffinity(0))
        self.say(
            f"Machine: {os.cpu_count()} cores, {cores} usable by this process; "
            f"Elasticsearch at {settings.ELASTICSEARCH_URL}"
        )
        jobs_services.communes_load()
        jobs_services.occupations_load()
        jobs_services.reference_load()
        self.queries = query_mix(self.rng)
        self.prefixes = sorted({q[:n] for q in self.queries for n in (2, 3, 4, 5, 6) if len(q) > n})
        self.say(f"Query mix: {len(self.queries)} distinct queries, {len(self.prefixes)} distinct typeahead prefixes")
        with connection.cursor() as cursor:
            baseline.prepare(cursor)
        if not only_big:
            self.standard(vacancies, workers, seconds, cores)
        if big or only_big:
            self.big_step(big_vacancies, 2 * big_vacancies, big_phase)

    def standard(self, vacancies, workers, seconds, cores):
        self.say(f"Corpus: {vacancies:,} vacancies ({ABROAD_SHARE:.0%} abroad), {workers:,} workers")
        if not self.skip_index:
            self.generate(vacancies, workers)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE jobs_vacancy")
            self.index()
        if self.prepare:
            return
        self.judged_side_by_side()
        officer = self.officer_cookie()
        self.worker_ids = list(WorkerProfile.objects.values_list("pk", flat=True)[:2000])
        processes = self.start_processes()
        try:
            # Search and suggest as the public sends them (no session); matching as a signed-in officer.
            results = {kind: self.load(kind, officer if kind == "matching" else None, seconds) for kind in TARGETS}
            baseline_results = self.baseline_load(seconds)
            self.raw_comparison()
            self.lag(seconds)
        finally:
            for process in processes:
                process.terminate()
        self.say(f"Targets on this machine ({cores} cores, load generator included):")
        for kind, (rate, target) in TARGETS.items():
            met = [r for r, p95 in results[kind] if p95 <= target]
            self.say(
                f"  {kind}: p95 ≤ {target:.0f} ms at {rate}/s: {'met' if rate in met else 'NOT met'}; "
                f"highest rate within target: {max(met) if met else 'none'}/s"
            )
        met = [r for r, p95 in baseline_results if p95 <= TARGETS["search"][1]]
        self.say(f"  PostgreSQL baseline, search: highest rate with p95 ≤ 60 ms: {max(met) if met else 'none'}/s")

    def say(self, line):
        self.stdout.write(line)
        self.stdout.flush()

    # --- the corpus ---------------------------------------------------------------------------

    def templates(self):
        """The judged vacancies as templates, abroad and at home apart, with the rows they point to."""
        judged = quality.load("vacancies")
        return [v for v in judged if not v["is_overseas"]], [v for v in judged if v["is_overseas"]]

    def vacancy_from(self, template, *, organisation, agency, contracts, occupations, communes, programmes, now, today):
        low = template["salary_min_vnd"]
        high = template["salary_max_vnd"]
        abroad = template["is_overseas"]
        return Vacancy(
            organisation=agency if abroad else organisation,
            title=template["title"],
            description=template["description"],
            occupation=occupations[template["occupation"]],
            skills=template["skills"],
            positions=self.rng.randint(1, 20),
            is_overseas=abroad,
            commune=None if abroad else self.rng.choice(communes),
            country_id=template["country"],
            programme=programmes.get(template["programme"]),
            contract=contracts.get(template["country"]),
            currency="VND",
            salary_min=Decimal(low),
            salary_max=Decimal(high),
            salary_min_vnd=low,
            salary_max_vnd=high,
            contract_type=template["contract_type"],
            training_level=template["training_level"],
            age_min=template["age_min"],
            age_max=template["age_max"],
            deadline=today + timedelta(days=self.rng.randint(5, 90)),
            contact_name="Phòng nhân sự",
            contact_phone="0233 3852 000",
            status="published",
            published_at=now - timedelta(days=self.rng.randint(0, 60)),
        )

    def reference_rows(self):
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
        agency = Organisation.objects.create(
            kind="agency",
            name="Doanh nghiệp dịch vụ đưa người lao động đi làm việc ở nước ngoài",
            tax_code=f"{3400000000 + time.time_ns() % 10**6}",
            verification="verified",
            licence_number="1/LĐTBXH-GP",
            licence_issued_on=timezone.localdate() - timedelta(days=365),
            licence_expires_on=timezone.localdate() + timedelta(days=3650),
            licence_status="active",
        )
        Membership.objects.bulk_create(
            Membership(user=owner, organisation=o, role="owner") for o in [*organisations, agency]
        )
        occupations = {o.code: o for o in Occupation.objects.all()}
        contracts = {
            country.code: LabourSupplyContract.objects.create(
                organisation=agency,
                foreign_partner="Đối tác",
                country=country,
                occupation=occupations["9329"],
                quota=100_000,
                monthly_wage=Decimal(30_000_000),
                term_months=36,
                approval_number="1/QLLĐNN-HĐ",
                approved_on=timezone.localdate(),
            )
            for country in Country.objects.filter(code__in=["JP", "KR", "TW", "DE", "SA"])
        }
        return organisations, agency, contracts, occupations

    def generate(self, n_vacancies, n_workers):
        have = Vacancy.objects.count(), WorkerProfile.objects.count()
        if have[0] >= n_vacancies and have[1] >= n_workers:
            self.say(f"  reusing {have[0]:,} vacancies and {have[1]:,} workers")
            return
        started = time.monotonic()
        communes = list(Commune.objects.all())
        organisations, agency, contracts, occupations = self.reference_rows()
        programmes = {p.code: p for p in Programme.objects.all()}
        home, abroad = self.templates()
        now, today = timezone.now(), timezone.localdate()
        for start in range(have[0], n_vacancies, 5000):
            rows, languages = [], []
            for _ in range(start, min(start + 5000, n_vacancies)):
                template = self.rng.choice(abroad if self.rng.random() < ABROAD_SHARE else home)
                rows.append(
                    self.vacancy_from(
                        template,
                        organisation=self.rng.choice(organisations),
                        agency=agency,
                        contracts=contracts,
                        occupations=occupations,
                        communes=communes,
                        programmes=programmes,
                        now=now,
                        today=today,
                    )
                )
                languages.append(template["languages"])
            Vacancy.objects.bulk_create(rows)
            LanguageRequirement.objects.bulk_create(
                LanguageRequirement(vacancy=row, framework=lang["framework"], level=lang["level"])
                for row, asked in zip(rows, languages, strict=True)
                for lang in asked
            )
        password = make_password(None)
        occupation_list = list(occupations.values())
        for start in range(have[1], n_workers, 5000):
            size = min(start + 5000, n_workers) - start
            with transaction.atomic():
                users = User.objects.bulk_create(
                    User(username=f"bench-{start + i}-{time.time_ns()}", password=password) for i in range(size)
                )
                workers = WorkerProfile.objects.bulk_create(self.worker_row(u, communes, today) for u in users)
                through = WorkerProfile.desired_occupations.through
                through.objects.bulk_create(
                    through(workerprofile_id=w.pk, occupation_id=self.rng.choice(occupation_list).pk) for w in workers
                )
                places = WorkerProfile.desired_communes.through
                places.objects.bulk_create(
                    places(workerprofile_id=w.pk, commune_id=self.rng.choice(communes).pk)
                    for w in workers
                    if self.rng.random() < 0.2
                )
                Certificate.objects.bulk_create(
                    Certificate(
                        worker=w,
                        level="elementary",
                        occupation=self.rng.choice(occupation_list),
                        institution="Trường Cao đẳng Kỹ thuật Quảng Trị",
                        issued_on=today.replace(year=today.year - 2),
                        verified=self.rng.random() < 0.3,
                    )
                    for w in workers
                )
                LanguageCertificate.objects.bulk_create(
                    LanguageCertificate(worker=w, **self.rng.choice(LANGUAGES)) for w in workers if w.wants_abroad
                )
                Consent.objects.bulk_create(
                    Consent(worker=w, purpose="be_found", text_version="bench")
                    for w in workers
                    if self.rng.random() < 0.8
                )
        self.say(f"  generated in {time.monotonic() - started:.0f} s")

    def worker_row(self, user, communes, today):
        abroad = self.rng.random() < 0.4
        return WorkerProfile(
            user=user,
            full_name="Người lao động",
            date_of_birth=today.replace(year=today.year - self.rng.randint(18, 50)),
            sex=self.rng.choice(["male", "female"]),
            commune=self.rng.choice(communes),
            education="upper_secondary",
            skills=self.rng.choice([[], ["hàn TIG"], ["đọc bản vẽ"], ["Excel"], ["lái xe nâng"], ["phụ bếp"]]),
            wants_abroad=abroad,
            wants_home=not abroad or self.rng.random() < 0.5,
            expected_salary_vnd=self.rng.randrange(6_000_000, 15_000_000, 500_000),
        )

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
        device, _ = TOTPDevice.objects.get_or_create(user=officer, name="bench")
        session = SessionStore()
        session[SESSION_KEY] = str(officer.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]  # the one backend that signs in
        session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # the second factor proven, as an officer's API needs
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

    def request_cache(self) -> tuple[int, int]:
        """Elasticsearch's shard request cache so far: hits, misses (a repeated search answered from memory)."""
        nodes = elasticsearch().nodes.stats(metric="indices", index_metric="request_cache")["nodes"].values()
        cache = [node["indices"]["request_cache"] for node in nodes]
        return sum(c["hit_count"] for c in cache), sum(c["miss_count"] for c in cache)

    def search_params(self) -> dict:
        params = {"q": self.rng.choice(self.queries)}
        if self.rng.random() < 0.3:
            params["abroad"] = self.rng.choice(["false", "true"])
        return params

    def request_for(self, kind) -> str:
        if kind == "search":
            return f"/api/v1/vacancies/search?{urlencode(self.search_params())}"
        if kind == "suggest":
            return f"/api/v1/vacancies/suggest?{urlencode({'q': self.rng.choice(self.prefixes)})}"
        return f"/api/v1/workers/{self.rng.choice(self.worker_ids)}/matches"

    def load(self, kind, cookie, seconds) -> list[tuple[int, float]]:
        """Open loop: request i leaves at start + i/rate whatever happened before; latency counts from then.
        Only answered requests (200) count in the percentiles; the others are counted apart."""
        results = []
        for rate in self.rates[kind]:
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
                            return
                        break
                    except (OSError, http.client.HTTPException) as exc:
                        del local.connection
                        idle_closed = isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError)
                        if attempt or not idle_closed:
                            errors[type(exc).__name__] += 1
                            return
                latencies.append((time.perf_counter() - scheduled) * 1000)

            before, cached_before = self.cpu_seconds(), self.request_cache()
            with ThreadPoolExecutor(max_workers=min(256, rate * 2)) as pool:
                start = time.perf_counter() + 0.5
                for index, path in enumerate(paths):
                    pool.submit(send, index, path, start)
            web, search, generator = (
                (after - was) * 1000 / len(paths) for after, was in zip(self.cpu_seconds(), before, strict=True)
            )
            hits, misses = (after - was for after, was in zip(self.request_cache(), cached_before, strict=True))
            p50, p95, p99 = _percentiles(latencies)
            failed = sum(errors.values())
            self.say(
                f"{kind:8} {rate:4}/s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  "
                f"errors {failed} of {len(paths)} {dict(errors) if errors else ''} CPU a request: web {web:4.1f} ms, "
                f"Elasticsearch {search:4.1f} ms, load generator {generator:3.1f} ms; "
                f"request cache {hits} hits, {misses} misses"
            )
            results.append((rate, p95 if not failed else float("inf")))
            self.p50_at_lowest_rate.setdefault(kind, p50)
        return results

    def baseline_load(self, seconds) -> list[tuple[int, float]]:
        """The same search mix straight to PostgreSQL (search/baseline.py), open loop, at the search rates,
        from PG_THREADS connections (the web server's thread count): what the portal would get without
        Elasticsearch, before any web server time."""
        import psycopg

        dsn = connection.get_connection_params()
        results, local = [], threading.local()
        for rate in self.rates["search"]:
            asked = [self.search_params() for _ in range(rate * seconds)]
            latencies, errors = [], Counter()

            def send(index, params, start, rate=rate, latencies=latencies, errors=errors):
                scheduled = start + index / rate
                if (delay := scheduled - time.perf_counter()) > 0:
                    time.sleep(delay)
                try:
                    if not hasattr(local, "connection"):
                        local.connection = psycopg.connect(**dsn, autocommit=True, options=PG_TIMEOUT)
                    abroad = {"true": True, "false": False}.get(params.get("abroad"))
                    baseline.search(local.connection.cursor(), params["q"], abroad=abroad)
                except psycopg.Error as exc:
                    errors[type(exc).__name__] += 1
                    return
                latencies.append((time.perf_counter() - scheduled) * 1000)

            with ThreadPoolExecutor(max_workers=PG_THREADS) as pool:
                start = time.perf_counter() + 0.5
                for index, params in enumerate(asked):
                    pool.submit(send, index, params, start)
            p50, p95, p99 = _percentiles(latencies)
            failed = sum(errors.values())
            self.say(
                f"pg-only  {rate:4}/s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  "
                f"errors {failed} of {len(asked)} {dict(errors) if errors else ''}(PostgreSQL direct, no web server)"
            )
            results.append((rate, p95 if not failed else float("inf")))
            if p95 > PG_SATURATED_MS or failed:  # the higher rates would only queue longer: minutes of nothing
                self.say(f"pg-only  saturated at {rate}/s: the higher rates are not run")
                break
        return results

    def judged_side_by_side(self):
        """Both engines on the judged set (rows and indices of its own, rolled back): NDCG@10 and recall@20
        over the judged queries that have no filter beyond "abroad"."""
        with quality.judged_corpus() as corpus, connection.cursor() as cursor:
            cases = [c for c in quality.load("queries") if set(c.get("filters", {})) <= {"abroad"} and c["judgments"]]
            by_pk = {pk: key for key, pk in corpus.vacancies.items()}
            engines = {"Elasticsearch": quality.Scores(), "PostgreSQL only": quality.Scores()}
            for case in cases:
                abroad = case.get("filters", {}).get("abroad")
                es = corpus.search(case["query"], abroad=abroad)
                pg = [by_pk[pk] for pk in baseline.search(cursor, case["query"], abroad=abroad, within=list(by_pk))]
                quality.score(engines["Elasticsearch"], case["query"], es, case["judgments"])
                quality.score(engines["PostgreSQL only"], case["query"], pg, case["judgments"])
        for name, scores in engines.items():
            figures = scores.summary()
            self.say(
                f"judged set, {len(cases)} queries, {name:16}: NDCG@10 {figures['ndcg@10']:.3f}  "
                f"recall@20 {figures['recall@20']:.3f}  found nothing {figures['missed_rate']:.1%}"
            )

    def raw_comparison(self):
        """The same requests straight to Elasticsearch: its own `took` and the round trip from here."""
        es = elasticsearch()
        for kind in ("search", "matching"):
            took, trip = [], []
            for _ in range(300):
                if kind == "search":
                    started, response = time.perf_counter(), self.raw_search(es)
                else:
                    worker = WorkerProfile.objects.select_related("commune").get(pk=self.rng.choice(self.worker_ids))
                    body = queries.matches_request(matching_profile(worker), focused=True).to_dict()  # the first pass
                    started = time.perf_counter()
                    response = es.search(
                        index=alias_of(VacancyDocument), body=body, params={"include_named_queries_score": True}
                    )
                trip.append((time.perf_counter() - started) * 1000)
                took.append(response["took"])
            api = self.p50_at_lowest_rate[kind]
            self.say(
                f"raw {kind:8} Elasticsearch took p50 {statistics.median(took):.1f} ms "
                f"p95 {_percentiles(took)[1]:.1f} ms, "
                f"round trip p50 {statistics.median(trip):.1f} ms p95 {_percentiles(trip)[1]:.1f} ms; "
                f"API p50 at {self.rates[kind][0]}/s is {api / statistics.median(trip):.1f}× the raw round trip"
            )

    def raw_search(self, es):
        """One search of the mix as the API sends it, with the request cache off: `took` is what Elasticsearch
        spends computing it, not reading it back."""
        params = self.search_params()
        abroad = {"true": True, "false": False}.get(params.get("abroad"))
        body = queries.vacancy_search_request(queries.VacancyQuery(q=params["q"], abroad=abroad)).to_dict()
        return es.search(index=alias_of(VacancyDocument), body=body, request_cache=False, request_timeout=60)

    # --- 1.000.000 vacancies, 2.000.000 workers ---------------------------------------------------

    def big_step(self, n_vacancies, n_workers, phase="all"):
        """Documents built in memory by VacancyDocument.source and CandidateDocument.source (rows that are
        never saved: ten million PostgreSQL rows would take this machine most of an hour on their own),
        bulk-loaded into indices of their own; then index size, heap, and `took` for the search mix and
        for matching, sent one at a time. In parts (`phase`): the load may run at low priority whenever,
        the measurement in a quiet window, then the indices are dropped."""
        self._communes = list(Commune.objects.all())
        self._occupations = list(Occupation.objects.all())
        with override_settings(SEARCH_INDEX_PREFIX=f"{settings.SEARCH_INDEX_PREFIX}-big"):
            if phase in ("all", "load"):
                self.big_load(n_vacancies, n_workers)
            if phase in ("all", "measure"):
                self.big_sizes()
                self.big_queries()
            if phase in ("all", "drop"):
                es = elasticsearch()
                for document in (VacancyDocument, CandidateDocument):
                    for index in indices_behind(alias_of(document)):
                        es.indices.delete(index=index)

    def big_load(self, n_vacancies, n_workers):
        es = elasticsearch()
        for document, count, build in (
            (VacancyDocument, n_vacancies, self.big_vacancies),
            (CandidateDocument, n_workers, self.big_workers),
        ):
            index = create_index(document)
            es.indices.put_settings(index=index, settings={"refresh_interval": "-1"})
            started, loaded = time.monotonic(), 0
            # source() for BIG_POOL rows, each then sent under BIG_POOL-apart ids: ten million calls of source()
            # would cost this machine's two cores more than Elasticsearch's own indexing does.
            pool = [document.source(row) for chunk in build(min(count, BIG_POOL)) for row in chunk]
            with ThreadPoolExecutor(max_workers=2) as senders:
                sending = []
                for start in range(0, count, 1000):
                    actions = []
                    for pk in range(start + 1, min(start + 1000, count) + 1):
                        source = pool[pk % len(pool)]
                        actions.append(
                            {"_index": index, "_id": pk, "_source": {**source, "pk": pk} if "pk" in source else source}
                        )
                    sending.append(senders.submit(bulk, es, actions, chunk_size=1000, request_timeout=120))
                    loaded += len(actions)
                    if len(sending) > 2:
                        sending.pop(0).result()
                    if loaded % 100_000 < len(actions):
                        self.say(
                            f"  {document.__name__}: {loaded:,} loaded, {loaded / (time.monotonic() - started):,.0f}/s"
                        )
                for sent in sending:
                    sent.result()
            seconds = time.monotonic() - started
            es.indices.put_settings(index=index, settings={"refresh_interval": None})
            es.indices.refresh(index=index, request_timeout=600)
            point_alias(document, index)
            self.say(
                f"big {document.__name__}: {loaded:,} documents in {seconds:.0f} s = {loaded / seconds:,.0f} docs/s "
                f"(bulk of source() documents, at this process's priority; Elasticsearch at its own)"
            )

    def big_sizes(self):
        es = elasticsearch()
        for document in (VacancyDocument, CandidateDocument):
            if not es.indices.exists_alias(name=alias_of(document)):  # a load stopped before it (workers: last)
                self.say(f"big {document.__name__}: not loaded")
                continue
            stats = es.indices.stats(index=alias_of(document), metric="docs,store")["_all"]["primaries"]
            self.say(
                f"big {document.__name__}: {stats['docs']['count']:,} documents, "
                f"index {stats['store']['size_in_bytes'] / 2**20:,.0f} MiB"
            )

    def big_queries(self):
        es = elasticsearch()
        profiles = [self.big_profile() for _ in range(300)]
        for kind in ("search", "matching"):
            took, trip = [], []
            for i in range(600):
                if kind == "search":
                    started, response = time.perf_counter(), self.raw_search(es)
                else:
                    body = queries.matches_request(profiles[i % len(profiles)], focused=True).to_dict()
                    started = time.perf_counter()
                    response = es.search(
                        index=alias_of(VacancyDocument),
                        body=body,
                        params={"include_named_queries_score": True},
                        request_timeout=60,
                    )
                trip.append((time.perf_counter() - started) * 1000)
                took.append(response["took"])
            warm = took[100:]  # the first hundred warm the caches
            p50, p95, _ = _percentiles(warm)
            self.say(
                f"big {kind:8} took p50 {p50:.0f} ms p95 {p95:.0f} ms (target p50 ≤ 10 ms: "
                f"{'met' if p50 <= 10 else 'NOT met'}); round trip p50 {statistics.median(trip[100:]):.0f} ms"
            )
        heap = es.nodes.stats(metric="jvm")["nodes"].values()
        for node in heap:
            mem = node["jvm"]["mem"]
            self.say(
                f"big heap: {mem['heap_used_in_bytes'] / 2**30:.2f} of {mem['heap_max_in_bytes'] / 2**30:.2f} GiB used"
            )

    def big_profile(self) -> queries.Profile:
        communes = self._communes
        home = self.rng.choice(communes)
        abroad = self.rng.random() < 0.4
        codes = [self.rng.choice(self._occupations).code]
        return queries.Profile(
            age=self.rng.randint(18, 50),
            sex=self.rng.choice(["male", "female"]),
            location=(home.latitude, home.longitude),
            desired=codes,
            certified=codes if self.rng.random() < 0.5 else [],
            training_rank=self.rng.randint(0, 3),
            languages={"jlpt": 1} if abroad else {},
            wants_abroad=abroad,
            countries=["JP"] if abroad else [],
            expected_salary_vnd=self.rng.randrange(6_000_000, 15_000_000, 500_000),
        )

    def big_vacancies(self, count):
        """Unsaved Vacancy rows with their related rows set in memory, in chunks, for VacancyDocument.source."""
        communes = self._communes
        occupations = {o.code: o for o in self._occupations}
        programmes = {p.code: p for p in Programme.objects.all()}
        organisation = Organisation(pk=1, name="Doanh nghiệp", licence_number="")
        agency = Organisation(pk=2, name="Doanh nghiệp dịch vụ", licence_number="1/LĐTBXH-GP")
        contracts = {
            c: LabourSupplyContract(pk=i, approval_number="1/QLLĐNN-HĐ")
            for i, c in enumerate(["JP", "KR", "TW", "DE", "SA"], 1)
        }
        home, abroad = self.templates()
        now, today = timezone.now(), timezone.localdate()
        chunk = []
        for pk in range(1, count + 1):
            template = self.rng.choice(abroad if self.rng.random() < ABROAD_SHARE else home)
            row = self.vacancy_from(
                template,
                organisation=organisation,
                agency=agency,
                contracts=contracts,
                occupations=occupations,
                communes=communes,
                programmes=programmes,
                now=now,
                today=today,
            )
            row.pk = pk
            row._state.fields_cache["overseas_terms"] = None  # no query for the fee verdict
            row._prefetched_objects_cache = {
                "languages": [
                    LanguageRequirement(framework=lang["framework"], level=lang["level"])
                    for lang in template["languages"]
                ]
            }
            chunk.append(row)
            if len(chunk) == 1000:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def big_workers(self, count):
        """Unsaved WorkerProfile rows carrying the lists CandidateDocument.queryset() would annotate."""
        today = timezone.localdate()
        communes = self._communes
        chunk = []
        for pk in range(1, count + 1):
            row = self.worker_row(None, communes, today)
            row.pk = pk
            code = self.rng.choice(self._occupations).code
            row.desired_codes = [code]
            row.certified_codes = [code] if self.rng.random() < 0.5 else []
            row.verified_codes = row.certified_codes if self.rng.random() < 0.3 else []
            row.certificate_levels = ["elementary"]
            language = self.rng.choice(LANGUAGES)
            row.language_levels = [f"{language['framework']}:{language['level']}"] if row.wants_abroad else []
            row.country_codes = ["JP"] if row.wants_abroad else []
            row.programme_codes = []
            place = self.rng.choice(communes)
            row.wanted_places = [f"{place.latitude},{place.longitude}"] if self.rng.random() < 0.2 else []
            chunk.append(row)
            if len(chunk) == 1000:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

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
