"""Load test: 50 commune officers at once, each with their own session, for 2 minutes, against gunicorn
with 2 sync workers on PostgreSQL, production settings, on 127.0.0.1 only.

Data: the demo (`seed_demo`) in a database of its own, plus 50 officer accounts split between the demo's two communes,
each with a hamlet of 60 households to tick pledges in and 6 suspects of their own to record tests for (so that two
officers never edit the same record: a conflict is a message, not a load figure). The mix, per officer, with 1–5 s of
think time between actions (benchmarks/load_officers.py): search a name (3), open a person's file (3), record a test
through the form (1: form + save), tick a pledge on the hamlet checklist (1: checklist + save), open the commune
dashboard (2), and the stylesheet (1), which is the reference: a static file served by the same workers.

Prints p95, median and errors per page, then `errors=…` and the BENCH line (value: p95 of the officers' pages, login
excluded; reference: p95 of the static file).

    make bench-load                                   # = .venv/bin/python -m benchmarks load
    BENCH_LOAD_USERS=50 BENCH_LOAD_SECONDS=120 BENCH_LOAD_WORKERS=2 BENCH_LOAD_THINK=1,5 make bench-load
"""

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

from benchmarks.database import bench_line, use_own_database

ROOT = Path(__file__).resolve().parent.parent
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "120"))
THINK = os.environ.get("BENCH_LOAD_THINK", "1,5")  # seconds between two actions of one officer, "min,max"
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "2"))
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


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else (values or [0.0])[0]


def report(samples: list[tuple[str, float, bool]]) -> tuple[float, float, int]:
    by_name: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for name, milliseconds, failed in samples:
        by_name.setdefault(name, []).append(milliseconds)
        errors[name] = errors.get(name, 0) + failed
    print(f"{'page':30} {'requests':>8} {'errors':>6} {'median':>8} {'p95':>8} {'max':>8}  (ms)")
    for name in sorted(by_name):
        times = by_name[name]
        print(
            f"{name:30} {len(times):8} {errors[name]:6} {statistics.median(times):8.0f} {p95(times):8.0f} "
            f"{max(times):8.0f}"
        )
    officer_times = [ms for name, ms, _failed in samples if name not in NOT_OFFICER_WORK]
    return p95(officer_times), p95(by_name.get("static file", [])), sum(errors.values())


def run(url: str, work: Path) -> list:
    """Seeded database → plan → collectstatic → gunicorn → Locust; returns the samples."""
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
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "drugfree.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(host + plan["static_path"], server)
        print(f"load average before the run: {load_average()}", flush=True)
        print(f"gunicorn: {WORKERS} workers on {host}; {USERS} officers sign in, then work {SECONDS} s", flush=True)
        locust = subprocess.run(
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
    finally:
        server.terminate()
        server.wait(timeout=60)
    if not (work / "samples.json").exists():
        sys.exit(f"locust wrote no samples (exit {locust.returncode})")
    return json.loads((work / "samples.json").read_text())


def main() -> int:
    url = use_own_database("load", fresh=True)
    print(f"seeding the demo and {USERS} officers …", flush=True)
    seed(url)
    work = Path(tempfile.mkdtemp(prefix="drugfree-load-"))
    try:
        samples = run(url, work)
    finally:
        shutil.rmtree(work)  # the plan holds the officers' password
    officers_p95, static_p95, errors = report(samples)
    print(f"load average at the end: {load_average()}")
    met = errors == 0 and officers_p95 < TARGET_MS
    print(f"errors={errors}")
    print(f"target 0 errors and p95 < {TARGET_MS} ms: {'met' if met else 'NOT met'}")
    print(bench_line("load_officers", officers_p95, "ms", static_p95))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
