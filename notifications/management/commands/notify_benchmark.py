"""Benchmark: N events queued at once while search takes a steady open-loop rate.

It starts the local providers (a process of their own, at the lowest CPU priority: in production they are the
providers' machines, not ours), then the web server and the two Celery workers with the commands
scripts/supervisord.conf deploys (the default queue's worker, and the messages worker at its lower
priority), each a process of its own on loopback. It warms them up (connections, Elasticsearch's caches, the
web server's threads) with searches it does not count, measures search alone, commits N events in one
transaction (each an invitation to one of a thousand generated workers) and keeps searching until every
message has reached the local SMS server. It prints how long events took to reach the provider (from the
event's commit), whether any was lost or sent twice, and search alone and during the burst over the same
number of searches, failed searches counted apart; beside them, the web server's own time per search,
Elasticsearch's, and which processes took the CPU; the machine's cores and load at the start and end.
Quiet hours are off for the run. Nothing here is a test: it measures.
"""

import configparser
import http.client
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Max, Min

from notifications.devservers import free_port
from notifications.models import Event, Message
from notifications.services import notify_many
from search.client import elasticsearch
from search.documents import VacancyDocument
from search.indexes import alias_of

User = get_user_model()

PORT = int(os.environ.get("BENCH_PORT", "8766"))
WORDS = ["tho han", "thợ hàn", "cong nhan may", "lái xe", "dieu duong", "đầu bếp", "ke toan", "welder", "phụ hồ"]
# The stand-in for the providers' machines takes the CPU only when nothing else wants it.
PROVIDERS_PRIORITY = ["chrt", "--idle", "0"]
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
# What the web server logs per request: the load generator's phase (a header it sends) and the time in ms.
ACCESS_LOG_FORMAT = "%({x-bench-phase}i)s %(M)s"


@dataclass
class Sample:
    scheduled: float  # perf_counter() when the request was due to leave
    ms: float | None  # None: it failed
    failure: str = ""  # the status that was not a 200, or the error


class Command(BaseCommand):
    help = "Queue N events at once under a steady search load; print event-to-provider and search latencies."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=10_000)
        parser.add_argument("--search-rate", type=int, default=50)
        parser.add_argument("--warm-up", type=int, default=15, help="seconds of searches not counted")
        parser.add_argument("--search-seconds", type=int, default=30, help="of search alone")
        parser.add_argument("--timeout", type=int, default=600, help="give up waiting after this many seconds")

    def handle(self, *args, events, search_rate, warm_up, search_seconds, timeout, **options):
        self.say(f"machine: {os.cpu_count()} cores, {len(os.sched_getaffinity(0))} usable here; {load()}")
        self.phase = "warm-up"
        self.log = Path(tempfile.mkdtemp()) / "access.log"
        providers = Providers()
        processes = [providers.process, *self.start_processes(providers)]
        cpu = CpuMeter(
            {
                providers.process.pid: "local providers' stand-in",
                processes[1].pid: "web server",
                processes[2].pid: "default queue's worker",
                processes[3].pid: "messages worker",
                os.getpid(): "load generator (this command)",
            }
        )
        try:
            users = self.recipients()
            self.search(search_rate, seconds=warm_up)
            self.phase, before, es_before = "alone", cpu.read(), es_time()
            alone = self.search(search_rate, seconds=search_seconds)
            alone_cpu, es_alone = cpu.since(before), es_time(es_before)
            self.phase, before, es_before = "burst", cpu.read(), es_time()
            during, stop = [], threading.Event()
            searching = threading.Thread(target=lambda: during.extend(self.search(search_rate, stop=stop)))
            searching.start()
            started = time.perf_counter()
            first_id = self.queue(events, users)
            self.say(f"{events:,} events committed in one transaction in {time.perf_counter() - started:.1f} s")
            arrived = self.wait(providers, events, timeout)
            ended, self.phase = time.perf_counter(), "after"
            burst_cpu, es_burst = cpu.since(before), es_time(es_before)
            stop.set()
            searching.join()
            self.report(providers.received, first_id, events, arrived)
            during = [sample for sample in during if sample.scheduled < ended]
            n = min(len(alone), len(during))  # the same number of searches in both, the first of each
            server = self.server_times()
            self.say(f"search, {search_rate}/s, the first {n:,} searches of each phase:")
            self.say(f"  alone:            {describe(alone[:n])}; {es_alone}; web server {server['alone']}")
            self.say(f"  during the burst: {describe(during[:n])}; {es_burst}; web server {server['burst']}")
            self.say(f"CPU while searching alone ({search_seconds} s): {alone_cpu}")
            self.say(f"CPU during the burst ({ended - started:.0f} s): {burst_cpu}")
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
            self.say(f"at the end: {load()}")

    def say(self, line):
        self.stdout.write(line)
        self.stdout.flush()

    def start_processes(self, providers) -> list[subprocess.Popen]:
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
        web = deployed("web")
        web[web.index("--access-logfile") + 1] = str(self.log)
        web += ["--access-logformat", ACCESS_LOG_FORMAT, "--log-level", "warning"]
        commands = [web, deployed("worker"), deployed("messages")]
        processes = [subprocess.Popen(command, env=env) for command in commands]  # noqa: S603  loopback
        for _ in range(60):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                connection.request("GET", "/api/v1/vacancies/suggest?q=tho")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        time.sleep(3)  # the Celery workers' start
        for name, command in zip(("web", "worker", "messages"), commands, strict=True):
            self.say(f"{name}: {shlex.join(command).replace(str(settings.BASE_DIR) + '/', '')}")
        self.say(f"the messages worker has {settings.NOTIFY_PARALLEL} provider requests in flight per process")
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

    def search(self, rate, *, seconds=None, stop=None) -> list[Sample]:
        """Open loop: request i leaves at start + i/rate whatever happened before; latency counts from then."""
        samples, local = [], threading.local()

        def send(index, start):
            scheduled = start + index / rate
            if (delay := scheduled - time.perf_counter()) > 0:
                time.sleep(delay)
            query = urlencode({"q": WORDS[index % len(WORDS)]})
            for reused in (hasattr(local, "connection"), False):
                if not reused:
                    local.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                try:
                    local.connection.request(
                        "GET", f"/api/v1/vacancies/search?{query}", headers={"X-Bench-Phase": self.phase}
                    )
                    response = local.connection.getresponse()
                    response.read()
                    failure = "" if response.status == 200 else f"HTTP {response.status}"
                    break
                except (OSError, http.client.HTTPException) as error:
                    failure = type(error).__name__
                    del local.connection
                    # A kept-alive connection the server closed after its 2 s keep-alive: a new one, as any
                    # HTTP client does for a GET (the time lost counts); any other failure counts as failed.
                    if not (reused and isinstance(error, STALE)):
                        break
            ms = (time.perf_counter() - scheduled) * 1000
            samples.append(Sample(scheduled, None if failure else ms, failure))

        with ThreadPoolExecutor(max_workers=rate * 2) as pool:
            start, index = time.perf_counter() + 0.2, 0
            while (seconds is None and not stop.is_set()) or (seconds is not None and index < rate * seconds):
                pool.submit(send, index, start)
                index += 1
                if (ahead := start + index / rate - time.perf_counter()) > 0.5:
                    time.sleep(ahead - 0.5)
        return sorted(samples, key=lambda sample: sample.scheduled)

    def server_times(self) -> dict[str, str]:
        """The web server's own time per search (from its access log), by phase: what the round trip adds
        on top is waiting for a thread, the network stack and the load generator itself."""
        times = {"alone": [], "burst": []}
        for line in self.log.read_text().splitlines():
            phase, _, ms = line.partition(" ")
            if phase in times:
                times[phase].append(float(ms))
        return {phase: percentiles(values) for phase, values in times.items()}


def deployed(program: str) -> list[str]:
    """The program's command as scripts/supervisord.conf deploys it, run from this virtualenv."""
    config = configparser.RawConfigParser()
    config.read(settings.BASE_DIR / "scripts" / "supervisord.conf")
    command = config[f"program:{program}"]["command"].replace("%%", "%").replace("%(ENV_PORT)s", str(PORT))
    command = command.replace("%(here)s/../.venv/bin/", f"{Path(sys.executable).parent}/")
    return shlex.split(command.replace("--loglevel INFO", "--loglevel WARNING"))


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    if not ordered:
        return "no answers"
    p50, p95 = ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"


def describe(samples: list[Sample]) -> str:
    failed = Counter(sample.failure for sample in samples if sample.failure)
    answered = [sample.ms for sample in samples if sample.ms is not None]
    failures = f" ({', '.join(f'{n} {failure}' for failure, n in failed.items())})" if failed else ""
    return f"{len(samples):,} searches, {failed.total()} failed{failures}; {percentiles(answered)}"


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def es_time(before: dict | None = None) -> dict | str:
    """Elasticsearch's own time on the vacancies' index (query and fetch phases, every shard); with
    `before`, the mean per search since then."""
    stats = elasticsearch().indices.stats(index=alias_of(VacancyDocument), metric="search")["_all"]["total"]
    now = {key: stats["search"][key] for key in ("query_total", "query_time_in_millis", "fetch_time_in_millis")}
    if before is None:
        return now
    count = now["query_total"] - before["query_total"]
    spent = sum(now[key] - before[key] for key in ("query_time_in_millis", "fetch_time_in_millis"))
    return f"Elasticsearch {spent / max(count, 1):.1f} ms a query (mean)"


class CpuMeter:
    """CPU time per process group from /proc: our own processes with their children, and the rest of the
    machine by program (PostgreSQL's backends, Elasticsearch's JVM, Redis), to see who takes the cores."""

    BY_NAME = {"postgres": "PostgreSQL (every backend)", "java": "Elasticsearch (every index)", "redis-server": "Redis"}

    def __init__(self, roots: dict[int, str]):
        self.roots = roots
        self.ticks = os.sysconf("SC_CLK_TCK")

    def read(self) -> tuple[float, dict[int, tuple[str, int, int, str]], dict[str, int]]:
        processes = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    text = Path(entry.path, "stat").read_text()
                except OSError:
                    continue
                name, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
                # parent, CPU time (user + system, in ticks), start time (a pid used again is another process)
                processes[int(entry.name)] = (name, int(rest[1]), int(rest[11]) + int(rest[12]), rest[19])
        # The machine's idle (with iowait), interrupts (the kernel's network work: charged to no process) and
        # steal (this virtual machine's cores lent to others by the host), in ticks.
        cpu = [int(value) for value in Path("/proc/stat").read_text().split()[1:9]]
        return time.monotonic(), processes, {"idle": cpu[3] + cpu[4], "interrupts": cpu[5] + cpu[6], "steal": cpu[7]}

    def since(self, before) -> str:
        (start, then, machine_then), (end, now, machine_now) = before, self.read()
        seconds, used = end - start, {}
        for pid, (_, _, ticks, started) in now.items():
            spent = ticks - (then[pid][2] if pid in then and then[pid][3] == started else 0)
            group = self.group(pid, now)
            used[group] = used.get(group, 0) + spent
        used |= {name: machine_now[name] - machine_then[name] for name in machine_now}
        shares = sorted(((ticks / self.ticks / seconds, group) for group, ticks in used.items()), reverse=True)
        return ", ".join(f"{group} {share:.2f}" for share, group in shares if share >= 0.01) + " (cores)"

    def group(self, pid: int, processes) -> str:
        name, seen = processes[pid][0], pid
        while seen > 1 and seen in processes:
            if seen in self.roots:
                return self.roots[seen]
            seen = processes[seen][1]
        return self.BY_NAME.get(name, "the rest of the machine")


class Providers:
    """The local providers in a process of their own (as `make run` starts them), on free ports: the load
    generator's threads and the servers do not share one interpreter."""

    def __init__(self):
        self.sms_port, self.zalo_port, self.smtp_port = free_port(), free_port(), free_port()
        self.url, self.received = f"http://127.0.0.1:{self.sms_port}", []
        ports = ["--sms-port", self.sms_port, "--zalo-port", self.zalo_port, "--smtp-port", self.smtp_port]
        command = [*PROVIDERS_PRIORITY, sys.executable, "-m", "notifications.devservers", *map(str, ports)]
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
