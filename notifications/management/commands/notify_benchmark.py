"""Benchmark: N events queued at once while search takes a steady open-loop rate.

It starts the local providers, gunicorn and two Celery workers as `make run` has them (the default queue,
and the messages queue at a lower CPU priority), each a process of its own on loopback; then it
records a baseline of search latency, commits N events in one transaction (each an invitation to one
of a thousand generated workers) and keeps searching until every message has reached the local SMS
server. It prints how long events took to reach the provider (from the event's commit), whether any was
lost or sent twice, and search latency before and during. Quiet hours are off for the run. Nothing here
is a test: it measures.
"""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Max, Min

from notifications.devservers import free_port
from notifications.models import Event, Message
from notifications.services import notify_many

User = get_user_model()

PORT = int(os.environ.get("BENCH_PORT", "8766"))
WORDS = ["tho han", "thợ hàn", "cong nhan may", "lái xe", "dieu duong", "đầu bếp", "ke toan", "welder", "phụ hồ"]


class Command(BaseCommand):
    help = "Queue N events at once under a steady search load; print event-to-provider and search latencies."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=10_000)
        parser.add_argument("--search-rate", type=int, default=50)
        parser.add_argument("--celery-processes", type=int, default=2, help="of the messages worker")
        parser.add_argument("--timeout", type=int, default=600, help="give up waiting after this many seconds")

    def handle(self, *args, events, search_rate, celery_processes, timeout, **options):
        providers = Providers()
        processes = [providers.process, *self.start_processes(providers, celery_processes)]
        try:
            users = self.recipients()
            baseline = self.search(search_rate, seconds=10)
            self.say(f"search alone, {search_rate}/s for 10 s: {self.describe(baseline)}")
            latencies, stop = [], threading.Event()
            during = threading.Thread(target=lambda: latencies.extend(self.search(search_rate, stop=stop)))
            during.start()
            started = time.perf_counter()
            first_id = self.queue(events, users)
            self.say(f"{events:,} events committed in one transaction in {time.perf_counter() - started:.1f} s")
            arrived = self.wait(providers, events, timeout)
            stop.set()
            during.join()
            self.report(providers.received, first_id, events, arrived)
            self.say(f"search during the burst, {search_rate}/s: {self.describe(latencies)}")
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)

    def say(self, line):
        self.stdout.write(line)
        self.stdout.flush()

    def start_processes(self, providers, celery_processes):
        env = {
            **os.environ,
            "ESMS_URL": providers.url,
            "ZALO_ZNS_URL": f"http://127.0.0.1:{providers.zalo_port}",
            "EMAIL_URL": f"smtp://127.0.0.1:{providers.smtp_port}",
            "NOTIFY_QUIET_HOURS": "",
            "LOG_LEVEL": "WARNING",
            "SEARCH_ANON_RATE": "1000000/min",  # one address sends all the searches here
            "SEARCH_USER_RATE": "1000000/min",
        }
        python = sys.executable
        web = [python, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{PORT}", "--worker-class", "gthread"]
        web += ["--workers", "2", "--threads", "8", "--log-level", "warning"]
        worker = [python, "-m", "celery", "-A", "portal", "worker", "--loglevel", "WARNING", "--queues", "celery"]
        worker += ["--concurrency", "2"]
        messages = ["nice", "-n", "10", python, "-m", "celery", "-A", "portal", "worker", "--loglevel", "WARNING"]
        messages += [
            "--queues",
            settings.NOTIFY_QUEUE,
            "--hostname",
            "messages@%h",
            "--concurrency",
            str(celery_processes),
        ]
        processes = [subprocess.Popen(command, env=env) for command in (web, worker, messages)]  # noqa: S603  loopback
        for _ in range(60):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                connection.request("GET", "/api/v1/vacancies/suggest?q=tho")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        time.sleep(3)  # the Celery worker's start
        self.say(
            f"gunicorn 2 × 8 threads on 127.0.0.1:{PORT}; Celery: the default queue's worker, 2 processes; "
            f"the messages worker, {celery_processes} processes at nice 10, {settings.NOTIFY_PARALLEL} requests each"
        )
        return processes

    def recipients(self) -> list[User]:
        phones = [f"+8490{n:07d}" for n in range(1000)]
        User.objects.bulk_create(
            [User(username=f"bench-{phone}", phone=phone) for phone in phones], ignore_conflicts=True
        )
        users = list(User.objects.filter(phone__in=phones))
        Event.objects.filter(user__in=users).delete()  # an earlier run's, with their messages: not this run's
        self.numbers = {"0" + phone.removeprefix("+84") for phone in phones}
        return users

    def queue(self, events: int, users: list[User]) -> int:
        """One transaction, as a digest or a burst of moves makes them (notify_many: one insert, a task a batch)."""
        first = (Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        with transaction.atomic():
            notify_many(
                [
                    {
                        "kind": "invitation",
                        "user": users[index % len(users)],
                        "context": {"vacancy": f"Thợ hàn {index}", "organisation": "Công ty Thử tải"},
                    }
                    for index in range(events)
                ]
            )
        return first

    def wait(self, providers, events, timeout) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(entry["to"] in self.numbers for entry in providers.read()) >= events:
                return True
            time.sleep(1)
        return False

    def report(self, received, first_id, events, arrived):
        prefix = settings.NOTIFY_REF_PREFIX
        sent = [entry for entry in received if entry["to"] in self.numbers]  # not the demo data's own messages
        message_ids = [int(entry["request_id"].removeprefix(prefix)) for entry in sent]
        created = dict(
            Message.objects.filter(pk__in=message_ids).values_list("pk", "event__created_at").iterator(chunk_size=5000)
        )
        delays = sorted(entry["ts"] - created[pk].timestamp() for entry, pk in zip(sent, message_ids, strict=True))
        ours = Event.objects.filter(pk__gte=first_id, kind="invitation")
        for _ in range(60):  # a batch's statuses commit once all its provider requests have answered
            if not Message.objects.filter(event__in=ours, status=Message.Status.QUEUED).exists():
                break
            time.sleep(0.5)
        statuses = dict(Message.objects.filter(event__in=ours).values_list("status").annotate(n=Count("pk")))
        span = ours.aggregate(first=Min("created_at"), expanded=Max("expanded_at"))
        if span["expanded"]:
            expanded = (span["expanded"] - span["first"]).total_seconds()
            self.say(f"every event turned into its message {expanded:.1f} s after the first was committed")
        self.say(
            f"reached the local SMS server: {len(sent):,} of {events:,} ({'all' if arrived else 'NOT all'}); "
            f"sent twice: {len(message_ids) - len(set(message_ids))}; messages by status: {statuses}"
        )
        if delays:
            p50, p95 = delays[len(delays) // 2], delays[min(len(delays) - 1, int(0.95 * len(delays)))]
            self.say(
                f"event committed → at the provider: p50 {p50:.1f} s, p95 {p95:.1f} s, last {delays[-1]:.1f} s "
                f"(target p95 ≤ 60 s: {'met' if arrived and p95 <= 60 else 'NOT met'}); "
                f"throughput {len(delays) / max(delays[-1], 0.001):.0f} messages/s"
            )

    def search(self, rate, *, seconds=None, stop=None) -> list[float]:
        """Open loop: request i leaves at start + i/rate whatever happened before; latency counts from then."""
        latencies, local = [], threading.local()

        def send(index, start):
            scheduled = start + index / rate
            if (delay := scheduled - time.perf_counter()) > 0:
                time.sleep(delay)
            if not hasattr(local, "connection"):
                local.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            query = urlencode({"q": WORDS[index % len(WORDS)]})
            try:
                local.connection.request("GET", f"/api/v1/vacancies/search?{query}")
                local.connection.getresponse().read()
            except (OSError, http.client.HTTPException):
                del local.connection
                return
            latencies.append((time.perf_counter() - scheduled) * 1000)

        with ThreadPoolExecutor(max_workers=rate * 2) as pool:
            start, index = time.perf_counter() + 0.2, 0
            while (seconds is None and not stop.is_set()) or (seconds is not None and index < rate * seconds):
                pool.submit(send, index, start)
                index += 1
                if (ahead := start + index / rate - time.perf_counter()) > 0.5:
                    time.sleep(ahead - 0.5)
        return latencies

    @staticmethod
    def describe(latencies) -> str:
        ordered = sorted(latencies)
        if not ordered:
            return "no answers"
        p50, p95 = ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return f"{len(ordered):,} searches, p50 {p50:.1f} ms, p95 {p95:.1f} ms"


class Providers:
    """The local providers in a process of their own (as `make run` starts them), on free ports: the load
    generator's threads and the servers do not share one interpreter."""

    def __init__(self):
        self.sms_port, self.zalo_port, self.smtp_port = free_port(), free_port(), free_port()
        self.url, self.received = f"http://127.0.0.1:{self.sms_port}", []
        ports = ["--sms-port", self.sms_port, "--zalo-port", self.zalo_port, "--smtp-port", self.smtp_port]
        command = [sys.executable, "-m", "notifications.devservers", *map(str, ports)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603  ours, loopback
        for _ in range(40):
            try:
                self.read()
                return
            except OSError:
                time.sleep(0.25)

    def read(self) -> list[dict]:
        """What the SMS server received so far (only the new entries travel)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.sms_port, timeout=30)
        connection.request("GET", f"/sent.json?from={len(self.received)}")
        self.received += json.loads(connection.getresponse().read())
        connection.close()
        return self.received
