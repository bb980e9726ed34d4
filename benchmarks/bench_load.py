"""Load test: 50 commune officers at once, each with their own session, for 2 minutes, against gunicorn
started as in production (gunicorn.conf.py: sync workers, one per core, preloaded and warmed up) on PostgreSQL,
production settings, on 127.0.0.1 only.

Data: the demo (`seed_demo`) in a database of its own, plus 50 officer accounts split between the demo's two communes,
each with a hamlet of 60 households to tick pledges in and 6 suspects of their own to record tests for (so that two
officers never edit the same record: a conflict is a message, not a load figure). The mix, per officer, with
0.5–2 s of think time between actions (benchmarks/load_officers.py): the work queue (4), search a name (4), open a
person's file (4), the hamlet list (2), the commune dashboard (2), record a test through the form (1: form + save),
tick a pledge on the hamlet checklist (1: checklist + save), and the stylesheet (1), which is the reference: a static
file served by the same workers.

Prints requests, errors, p50, p95, p99 and requests/s per page, the host's CPU over the measured window (busy %, and
the shares of gunicorn, of the PostgreSQL backends of the test's database and of Locust), then `errors=…` and the
BENCH line (value: p95 of the officers' pages, login excluded; reference: p95 of the static file).

    make bench-load                                   # = .venv/bin/python -m benchmarks load
    BENCH_LOAD_USERS=20 make bench-load               # 20 officers
    BENCH_LOAD_USERS=50 BENCH_LOAD_SECONDS=120 BENCH_LOAD_WORKERS=2 BENCH_LOAD_THINK=0.5,2 make bench-load   # defaults
"""

import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks import host_cpu
from benchmarks.database import bench_line, use_own_database

ROOT = Path(__file__).resolve().parent.parent
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "120"))
THINK = os.environ.get("BENCH_LOAD_THINK", "0.5,2")  # seconds between two actions of one officer, "min,max"
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "2"))
# gunicorn.conf.py's worker class unless set (GUNICORN_WORKER_CLASS=gthread GUNICORN_THREADS=2 compares threads).
WORKER_CLASS = os.environ.get("GUNICORN_WORKER_CLASS", "")
HOUSEHOLDS_PER_OFFICER, SUSPECTS_PER_OFFICER = 60, 6
COMMUNES = ("15016", "15061")  # the demo's Xã Quan Sơn and Xã Ngọc Lặc
TARGET_MS = 300
NOT_OFFICER_WORK = {"login form", "login", "static file"}


def server_environment(database_url: str, static_root: Path) -> dict[str, str]:
    """Production settings (DEBUG off, manifest static files, Secure cookies, HSTS), as behind the TLS proxy."""
    return {
        **{k: v for k, v in os.environ.items() if k not in {"TESTING", "DEBUG", "SECURE_SSL_REDIRECT"}},
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "load-test-only-" + secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }


def seed(database_url: str) -> None:
    # The demo accounts' published password is for development: the demo is loaded as `make run` loads it.
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"}
    subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _officer_with_hamlet(officer, n: int, today) -> dict:
    """The officer's own hamlet with its households and suspects: what the officer's scenario opens."""
    from communes.models import Hamlet
    from drugfree.text import search_key
    from residents.models import Household, Person
    from residents.services import lifecycle

    hamlet = Hamlet.objects.create(commune=officer.commune, name=f"Tổ dân phố Tải {n:02d}", kind=Hamlet.Kind.THON)
    heads = [f"Hà Văn Tải {n:02d}-{k:03d}" for k in range(HOUSEHOLDS_PER_OFFICER)]
    Household.objects.bulk_create(
        Household(
            commune=officer.commune,
            hamlet=hamlet,
            code=f"TAI{n:02d}-{k:03d}",
            head_name=head,
            head_name_key=search_key(head),
            members_count=1 + k % 6,
            ethnicity="Mường" if k % 3 else "Kinh",
        )
        for k, head in enumerate(heads)
    )
    suspects = []
    for k in range(SUSPECTS_PER_OFFICER):
        person = Person.objects.create(
            commune=officer.commune, hamlet=hamlet, full_name=f"Lò Văn Nghi {n:02d}-{k}", birth_year=1990 + k
        )
        lifecycle.person_list_as_suspect(
            actor=officer, person=person, listed_on=today - timedelta(days=3), trigger="tip"
        )
        suspects.append(person.pk)
    return {"username": officer.username, "commune": officer.commune.code, "hamlet": hamlet.pk, "suspects": suspects}


def build_plan(password: str) -> dict:
    """50 officers with their hamlet and suspects, and what their commune offers to search and open."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Role, User
    from communes.models import Commune
    from residents.models import Person

    today = timezone.localdate()
    communes = {code: Commune.objects.get(code=code) for code in COMMUNES}
    hashed = make_password(password)  # once: hashing is slow on purpose and is not what is measured
    officers = User.objects.bulk_create(
        User(
            username=f"tai.{n:02d}",
            password=hashed,
            role=Role.COMMUNE_OFFICER,
            commune=communes[COMMUNES[n % 2]],
            full_name=f"Cán bộ Tải {n:02d}",
        )
        for n in range(1, USERS + 1)
    )
    plan_officers = [_officer_with_hamlet(officer, n, today) for n, officer in enumerate(officers, start=1)]
    people = {
        code: list(Person.objects.filter(commune=commune).exclude(hamlet__name__startswith="Tổ dân phố Tải")
                   .values_list("pk", flat=True))
        for code, commune in communes.items()
    }  # fmt: skip
    # What officers type: a family and a given name without diacritics, as the search box allows.
    names = Person.objects.filter(commune__in=communes.values()).values_list("name_key", flat=True)
    terms = sorted({" ".join(key.split()[::2][:2]) for key in names if len(key.split()) >= 2})
    return {
        "password": password,
        "year": today.year,
        "officers": plan_officers,
        "communes": {code: {"people": ids} for code, ids in people.items()},
        "search_terms": terms,
    }


def load_average() -> str:
    """The host's load (1, 5, 15 min) next to the figures: on a shared machine they mean little above the core count."""
    return f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {server.returncode})")
        try:
            # As the proxy forwards it: plain HTTP would be redirected to HTTPS (SECURE_SSL_REDIRECT).
            with urllib.request.urlopen(urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"}), timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method); the value itself for a single sample."""
    if len(values) < 2:
        return (values or [0.0])[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(samples: list[tuple[str, float, bool]], seconds: float) -> tuple[float, float, int]:
    by_name: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for name, milliseconds, failed in samples:
        by_name.setdefault(name, []).append(milliseconds)
        errors[name] = errors.get(name, 0) + failed
    print(f"{'page':30} {'requests':>8} {'errors':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'req/s':>6}  (ms)")
    for name in sorted(by_name):
        times = by_name[name]
        rate = "" if name in {"login form", "login"} else f"{len(times) / seconds:6.1f}"
        print(
            f"{name:30} {len(times):8} {errors[name]:6} {statistics.median(times):7.0f} {percentile(times, 95):7.0f} "
            f"{percentile(times, 99):7.0f} {max(times):7.0f} {rate:>6}"
        )
    officer_times = [ms for name, ms, _failed in samples if name not in NOT_OFFICER_WORK]
    measured = [ms for name, ms, _failed in samples if name not in {"login form", "login"}]
    print(
        f"{'all officer pages':30} {len(officer_times):8} {'':6} {statistics.median(officer_times or [0]):7.0f} "
        f"{percentile(officer_times, 95):7.0f} {percentile(officer_times, 99):7.0f} {max(officer_times or [0]):7.0f} "
        f"{len(officer_times) / seconds:6.1f}"
    )
    print(f"requests/s (every request of the mix, static file included): {len(measured) / seconds:.1f}")
    return percentile(officer_times, 95), percentile(by_name.get("static file", []), 95), sum(errors.values())


def _backends_of(database_url: str):
    """{pid: ticks} of the PostgreSQL backends connected to the test's database (the sampler's own excluded)."""
    import psycopg2

    connection = psycopg2.connect(database_url)
    connection.autocommit = True
    database = urlsplit(database_url).path.lstrip("/")

    def read() -> dict[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
            )
            return {pid: host_cpu.process_ticks(pid) for (pid,) in cursor.fetchall()}

    return read


def print_cpu(share: dict[str, float]) -> None:
    if not share:
        print("cpu: not measured (no /proc)")
        return
    named = share["gunicorn"] + share["postgresql"] + share["locust"]
    print(
        f"cpu over the measured window, % of all {os.cpu_count()} cores: host {share['host']:.0f} % busy; "
        f"gunicorn {share['gunicorn']:.0f} %, PostgreSQL (the test's backends) {share['postgresql']:.0f} %, "
        f"Locust {share['locust']:.0f} %, everything else {max(share['host'] - named, 0):.0f} %"
    )


def run(url: str, work: Path) -> dict:
    """Seeded database → plan → collectstatic → gunicorn → Locust; returns the samples, the measured window's start
    and end, and the host's CPU over it."""
    os.chmod(work, 0o700)
    plan = build_plan(secrets.token_urlsafe(16))
    from django.db import connection

    connection.close()

    env = server_environment(url, work / "static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    manifest = json.loads((work / "static" / "staticfiles.json").read_text())
    plan["static_path"] = "/static/" + manifest["paths"]["css/app.css"]
    (work / "plan.json").write_text(json.dumps(plan, ensure_ascii=False))

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "drugfree.wsgi",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if WORKER_CLASS:
        command += ["--worker-class", WORKER_CLASS, "--threads", os.environ.get("GUNICORN_THREADS", "1")]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    sampler = None
    try:
        wait_until_up(host + plan["static_path"], server)
        print_static_headers(host + plan["static_path"])
        print(f"load average before the run: {load_average()}", flush=True)
        print(
            f"gunicorn: {WORKERS} {WORKER_CLASS or 'sync'} workers on {host}; {USERS} officers sign in, then work "
            f"{SECONDS} s, thinking {THINK} s between actions",
            flush=True,
        )
        locust = subprocess.Popen(
            [
                sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "load_officers.py"),
                # The scenario ends the run SECONDS after the last login; --run-time only bounds a run that hangs.
                "--headless", "--users", str(USERS), "--spawn-rate", "10", "--run-time", f"{SECONDS + 300}s",
                "--stop-timeout", "10", "--host", host, "--only-summary", "--loglevel", "WARNING",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "LOAD_PLAN": str(work / "plan.json"),
                "LOAD_SAMPLES": str(work / "samples.json"),
                "LOAD_USERS": str(USERS),
                "LOAD_MIX_SECONDS": str(SECONDS),
                "LOAD_THINK": THINK,
            },
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        sampler = host_cpu.Sampler(
            {
                "gunicorn": lambda: {server.pid: host_cpu.tree_ticks(server.pid)},
                "postgresql": _backends_of(url),
                "locust": lambda: {locust.pid: host_cpu.process_ticks(locust.pid, with_children=True)},
            }
        ).start()
        locust.wait()
        sampler.stop()
    finally:
        server.terminate()
        server.wait(timeout=60)
    if not (work / "samples.json").exists():
        sys.exit(f"locust wrote no samples (exit {locust.returncode})")
    result = json.loads((work / "samples.json").read_text())
    result["cpu"] = sampler.share(result["started"], result["ended"]) if sampler else {}
    return result


def print_static_headers(url: str) -> None:
    """What a browser is told about a static file: cached for good (hashed name), and whether the connection stays
    open (sync workers close it; the TLS proxy keeps the browser's). http.client asks as a browser does, without
    urllib's "Connection: close"."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.request("GET", parts.path, headers={"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, br"})
        response = connection.getresponse()
        response.read()
        print(
            f"static file: Cache-Control: {response.getheader('Cache-Control')}; "
            f"Content-Encoding: {response.getheader('Content-Encoding')}; "
            f"Connection: {response.getheader('Connection') or 'kept open (HTTP/1.1 keep-alive)'}"
        )
    finally:
        connection.close()


def main() -> int:
    url = use_own_database("load", fresh=True)
    print(f"seeding the demo and {USERS} officers …", flush=True)
    seed(url)
    work = Path(tempfile.mkdtemp(prefix="drugfree-load-"))
    try:
        result = run(url, work)
    finally:
        shutil.rmtree(work)  # the plan holds the officers' password
    seconds = result["ended"] - result["started"]
    print(f"measured window: {seconds:.0f} s with {USERS} officers signed in")
    officers_p95, static_p95, errors = report(result["samples"], seconds)
    print_cpu(result["cpu"])
    print(f"load average at the end: {load_average()}")
    met = errors == 0 and officers_p95 < TARGET_MS
    print(f"errors={errors}")
    print(f"target 0 errors and p95 < {TARGET_MS} ms: {'met' if met else 'NOT met'}")
    print(bench_line("load_officers", officers_p95, "ms", static_p95))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
