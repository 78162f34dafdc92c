"""A portal of the fault tests' own, on 127.0.0.1 and ports nobody else uses, to break for real.

PostgreSQL (a cluster of its own in a temporary directory, port 5441), Redis (6391), three Elasticsearch
nodes (HTTP 9251–9253, transport 9351–9353, scripts/es-cluster.sh), gunicorn (8113), a Celery worker and
beat, all as `make run` starts them but with DEBUG off, as deployed. The shared services on 5432, 6379 and
9200 are never touched. Tests talk to it over HTTP and read its database and index from the outside.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import urllib3
from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_PORT, REDIS_PORT, ES_PORT, WEB_PORT = 5441, 6391, 9251, 8113
ES_NODES = 3
ES_TIMEOUT = 10  # seconds
OFFICER, PASSWORD = "canbo-faults", "mat-khau-faults-2026"
# The officer's authenticator key (hex, as django-otp stores it): the second factor the API asks of officers.
OFFICER_TOTP_KEY = "3132333435363738393031323334353637383930"
WEB = f"http://127.0.0.1:{WEB_PORT}"


def pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda path: int(path.name))
    return str(versions[-1] / "bin" / name)


def as_user(user: str, *command: str) -> list[str]:
    return ["runuser", "-u", user, "--", *command] if os.geteuid() == 0 else list(command)


def wait_until(check, *, seconds: float, what: str, every: float = 0.5):
    """Poll `check` until it returns something truthy; fail the test, naming `what`, after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if result := check():
                return result
        except Exception:  # not up yet
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        time.sleep(every)


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Stack:
    def __init__(self):
        ports = [PG_PORT, REDIS_PORT, WEB_PORT, *(ES_PORT + n for n in range(ES_NODES))]
        ports += [ES_PORT + 100 + n for n in range(ES_NODES)]
        if busy := [port for port in ports if port_in_use(port)]:
            raise RuntimeError(f"The fault tests' ports are in use: {busy} (a previous run left something behind?)")
        self.dir = Path(tempfile.mkdtemp(prefix="qt-faults-"))
        self.dir.chmod(0o755)  # the postgres and elasticsearch users read their own directories below
        self.processes: dict[str, subprocess.Popen] = {}
        self.http = urllib3.PoolManager(maxsize=16, retries=False, timeout=urllib3.Timeout(connect=2, read=20))
        self.env = {
            **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "PYTEST"))},
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, as the benchmark
            "DJANGO_SECRET_KEY": "faults-only",
            "FIELD_ENCRYPTION_KEYS": "ZmF1bHRzLW9ubHkta2V5LW5vdC1mb3ItcmVhbC1kYXQ=",
            "FIELD_BLIND_INDEX_KEY": "faults-only-blind-index-key",
            "PHONE_CODE_KEY": "faults-only-phone-code-key",
            "DATABASE_URL": f"postgres://portal:portal@127.0.0.1:{PG_PORT}/portal",
            "DATABASE_CONNECT_TIMEOUT": "2",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
            "ELASTICSEARCH_URL": ",".join(f"http://127.0.0.1:{ES_PORT + n}" for n in range(ES_NODES)),
            # Generous for a shared 2-core machine running three nodes and the load: an answer slower than
            # this is a 503, and only a broken node may cause one.
            "ELASTICSEARCH_TIMEOUT": str(ES_TIMEOUT),
            "SEARCH_INDEX_PREFIX": "faults",
            "SEARCH_INDEX_REPLICAS": "1",
            # Beat's repairs every few seconds instead of every minute, and a dead worker's messages handed
            # on after 15 s instead of 30 minutes: the same code paths, on a test's time scale.
            "SEARCH_RECONCILE_SECONDS": "5",
            "SWEEP_SECONDS": "5",
            "CELERY_VISIBILITY_TIMEOUT": "15",
            "SEARCH_ANON_RATE": "1000000/min",
            "SEARCH_USER_RATE": "1000000/min",
            "MEDIA_ROOT": str(self.dir / "media"),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(self.dir / "celerybeat-schedule"),
            "LOG_LEVEL": "WARNING",
        }

    # --- PostgreSQL ----------------------------------------------------------------------------

    @property
    def pg_data(self) -> Path:
        return self.dir / "postgres"

    def postgres_init(self):
        self.pg_data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.pg_data, "postgres")
        options = ["-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]
        run(as_user("postgres", pg_bin("initdb"), "-D", str(self.pg_data), *options))
        self.postgres("start")
        self.psql("CREATE ROLE portal LOGIN CREATEDB PASSWORD 'portal'")
        self.psql("CREATE DATABASE portal OWNER portal")

    def postgres(self, action: str):
        """pg_ctl start, stop or restart (fast: open connections are cut, as a crash or a failover would)."""
        options = f"-p {PG_PORT} -k {self.pg_data} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(
            as_user(
                "postgres", pg_bin("pg_ctl"), action, "-D", str(self.pg_data), "-m", "fast", "-w", "-t", "60",
                "-l", str(self.pg_data / "server.log"), "-o", options,
            )
        )  # fmt: skip

    def psql(self, sql: str, database: str = "postgres") -> str:
        command = [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", database]
        return run([*command, "-qtAc", sql]).stdout.strip()

    # --- Redis ---------------------------------------------------------------------------------

    def redis_start(self):
        (self.dir / "redis").mkdir(exist_ok=True)
        self.spawn(
            "redis",
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--dir", str(self.dir / "redis"),
             "--appendonly", "yes", "--save", ""],
        )  # fmt: skip
        wait_until(lambda: self.redis_cli("ping") == "PONG", seconds=20, what="Redis")

    def redis_stop(self):
        """Stopped as a service manager stops it: SHUTDOWN, the append-only file written out."""
        self.redis_cli("shutdown")
        self.processes.pop("redis").wait(timeout=20)

    def redis_cli(self, *args: str) -> str:
        return subprocess.run(
            ["redis-cli", "-p", str(REDIS_PORT), *args], capture_output=True, text=True, timeout=10, check=False
        ).stdout.strip()

    # --- Elasticsearch -------------------------------------------------------------------------

    @property
    def es_dir(self) -> Path:
        return self.dir / "elasticsearch"

    def es_start(self):
        run([str(ROOT / "scripts" / "es-cluster.sh"), "start", str(self.es_dir), str(ES_PORT), str(ES_NODES)])

    def es_kill(self, node: int):
        """kill -9 one node (1…)."""
        os.kill(int((self.es_dir / f"node{node}" / "es.pid").read_text()), signal.SIGKILL)

    def es_node_start(self, node: int):
        run([str(ROOT / "scripts" / "es-cluster.sh"), "node", str(self.es_dir), str(node)])

    def es_alive(self, node: int) -> bool:
        try:
            return self.http.request("GET", f"http://127.0.0.1:{ES_PORT + node - 1}/_cluster/health").status == 200
        except urllib3.exceptions.HTTPError:
            return False

    def es(self, method: str, path: str, body=None) -> dict:
        """Ask whichever node answers (the first of those alive)."""
        for node in range(ES_NODES):
            try:
                response = self.http.request(
                    method, f"http://127.0.0.1:{ES_PORT + node}{path}", json=body, timeout=urllib3.Timeout(10)
                )
            except urllib3.exceptions.HTTPError:
                continue
            return json.loads(response.data)
        raise ConnectionError("no Elasticsearch node answers")

    def cluster_status(self) -> str:
        return self.es("GET", "/_cluster/health")["status"]

    def indexed_vacancies(self) -> set[int]:
        self.es("POST", "/faults-vacancies/_refresh")
        hits = self.es("POST", "/faults-vacancies/_search", {"size": 10_000, "_source": False})["hits"]["hits"]
        return {int(hit["_id"]) for hit in hits}

    # --- The portal ----------------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 300) -> str:
        return run([PYTHON, "manage.py", *args], env=self.env, timeout=timeout).stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-v0", "-c", code)

    def visible_vacancies(self) -> set[int]:
        """What PostgreSQL says the index should hold."""
        code = "from jobs.models import Vacancy; print(list(Vacancy.objects.indexable().values_list('pk', flat=True)))"
        return set(json.loads(self.shell(code)))

    def pending_review(self, count: int) -> list[int]:
        """Vacancies awaiting review, for the officer to publish during a test (random: each test its own)."""
        code = (
            "from jobs.models import Vacancy; print(list(Vacancy.objects.filter(status='pending_review')"
            f".order_by('?').values_list('pk', flat=True)[:{count}]))"
        )
        return json.loads(self.shell(code))

    def web_start(self):
        self.spawn(
            "web",
            [str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{WEB_PORT}", "--worker-class",
             "gthread", "--workers", "2", "--threads", "4", "--timeout", "30"],
        )  # fmt: skip
        wait_until(lambda: self.get("/api/v1/communes").status == 200, seconds=60, what="gunicorn")

    def worker_start(self):
        # Supervised as supervisord and compose do: restarted when it exits. Kombu 5.7 can crash the worker
        # when the broker goes away while it holds unacknowledged messages (an AttributeError while closing
        # the lost connection); the restarts are counted in the log ("worker exited").
        command = [str(ROOT / ".venv/bin/celery"), "-A", "portal", "worker", "--queues", "celery,imports,messages"]
        supervise = 'while true; do "$@"; echo "worker exited ($?); restarting" >&2; sleep 1; done'
        self.spawn("worker", ["bash", "-c", supervise, "supervise", *command, "--concurrency", "2"])
        wait_until(lambda: "celery@" in self.celery("inspect", "ping"), seconds=60, what="Celery worker")

    def worker_kill(self):
        """kill -9 the worker and its pool: a machine lost, not a shutdown."""
        worker = self.processes.pop("worker")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def beat_start(self):
        self.spawn("beat", [str(ROOT / ".venv/bin/celery"), "-A", "portal", "beat"])

    def celery(self, *args: str) -> str:
        command = [str(ROOT / ".venv/bin/celery"), "-A", "portal", *args, "--timeout", "3"]
        return subprocess.run(command, env=self.env, cwd=ROOT, capture_output=True, text=True, check=False).stdout

    def log(self, name: str) -> str:
        return (self.dir / f"{name}.log").read_text(errors="replace")

    def stop_process(self, name: str):
        process = self.processes.pop(name)
        with_group(process, signal.SIGTERM)
        process.wait(timeout=30)

    def spawn(self, name: str, command: list[str]):
        log = open(self.dir / f"{name}.log", "ab")  # noqa: SIM115 (the process keeps it)
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def get(self, path: str, **kwargs):
        return self.http.request("GET", WEB + path, **kwargs)

    def stop(self):
        for name, process in reversed(list(self.processes.items())):
            if name == "redis":
                self.redis_cli("shutdown", "nosave")
            else:
                with_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with_group(process, signal.SIGKILL)
        subprocess.run([str(ROOT / "scripts" / "es-cluster.sh"), "stop", str(self.es_dir)], check=False)
        if self.pg_data.exists():
            subprocess.run(
                as_user("postgres", pg_bin("pg_ctl"), "stop", "-D", str(self.pg_data), "-m", "immediate"), check=False
            )
        shutil.rmtree(self.dir, ignore_errors=True)


def with_group(process, sig):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def run(command, *, env=None, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode:
        raise RuntimeError(f"{command[:4]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done


# --- Load ----------------------------------------------------------------------------------------


@dataclass
class Answer:
    at: float  # seconds since the load started
    kind: str
    status: int  # 0: no answer at all (connection refused or timed out)
    seconds: float


@dataclass
class Load:
    """Requests at a bounded rate from a few threads, each answer recorded."""

    stack: Stack
    requests: dict  # kind -> a function(stack) that sends one request and returns its response
    per_second: float = 10.0
    answers: list[Answer] = field(default_factory=list)

    def __enter__(self):
        self.started, self.stopping = time.monotonic(), threading.Event()
        self.threads = [threading.Thread(target=self._send, args=(kind, send)) for kind, send in self.requests.items()]
        for thread in self.threads:
            thread.start()
        return self

    def _send(self, kind, send):
        gap = len(self.requests) / self.per_second
        while not self.stopping.is_set():
            began = time.monotonic()
            try:
                status = send(self.stack).status
            except urllib3.exceptions.HTTPError:
                status = 0
            self.answers.append(Answer(began - self.started, kind, status, time.monotonic() - began))
            self.stopping.wait(max(0.0, gap - (time.monotonic() - began)))

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def now(self) -> float:
        return time.monotonic() - self.started

    def statuses(self, kind=None) -> Counter:
        return Counter(answer.status for answer in self.answers if kind in (None, answer.kind))

    def window(self, status: int, kind=None) -> float:
        """From the first answer with `status` to the last one: how long it lasted (0 if never)."""
        times = [answer.at for answer in self.answers if answer.status == status and kind in (None, answer.kind)]
        return max(times) - min(times) if times else 0.0

    def longest_run(self, status: int) -> float:
        """The longest stretch of time in which every answer had `status` (from its first to the first other)."""
        longest, began = 0.0, None
        for answer in sorted(self.answers, key=lambda answer: answer.at):
            if answer.status == status:
                began = answer.at if began is None else began
            elif began is not None:
                longest, began = max(longest, answer.at - began), None
        return longest if began is None else max(longest, self.now() - began)

    def slowest(self) -> float:
        return max(answer.seconds for answer in self.answers)


class Officer:
    """An officer signed in through the API, as a browser would be: session cookie and CSRF token."""

    def __init__(self, stack: Stack, *, signed_in: bool = True):
        self.stack, self.cookies = stack, {}
        if signed_in:
            response = self.sign_in()
            assert response.status == 200, response.data[:300]
            self.second_factor()

    def sign_in(self):
        """As a client without a page does: the CSRF token from the API, then the password."""
        self.cookies["csrftoken"] = json.loads(self.get("/api/v1/auth/csrf").data)["csrf_token"]
        return self.post("/api/v1/auth/login", {"phone": OFFICER, "password": PASSWORD})

    def second_factor(self):
        """The code the officer's authenticator shows, as the API requires of officers. django-otp takes a code
        once, so a second officer within the same 30 s gives the next period's (its tolerance is one step)."""
        for step in (0, 1, 2):
            totp = TOTP(bytes.fromhex(OFFICER_TOTP_KEY))
            totp.time += step * totp.step
            answer = self.post("/officer/second-factor/", fields={"token": f"{totp.token():06d}"}, redirect=False)
            if answer.status == 302:
                return
        raise AssertionError(answer.data[:300])

    def post(self, path, body=None, **kwargs):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept-Language": "vi"}
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if body is not None and "fields" not in kwargs:
            kwargs["json"] = body
        response = self.stack.http.request("POST", WEB + path, headers=headers, **kwargs)
        for cookie in response.headers.getlist("Set-Cookie"):
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response

    def get(self, path):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        response = self.stack.http.request("GET", WEB + path, headers=headers)
        for cookie in response.headers.getlist("Set-Cookie"):
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response

    def upload(self, path, filename: str, content: bytes, **fields):
        return self.post(path, fields={**fields, "file": (filename, content, "text/csv")})
