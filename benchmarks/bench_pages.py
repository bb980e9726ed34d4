"""Page cost: server time of the officer's pages through the whole stack (middleware, sessions, views, queries,
templates, access-log writes), on PostgreSQL, with the demo and with a commune of 5,000 households.

Each page is requested many times in this process by Django's test client, signed in as the officer who uses it
(the session, CSRF and access log are real; no network, no gunicorn). Reported: the median per page, the median
over the officer pages, and as the reference the anonymous login page measured in the same run.

    .venv/bin/python -m benchmarks pages                 # BENCH_REUSE=1 keeps the last run's data set
    BENCH_PROFILE=person_file .venv/bin/python -m benchmarks pages   # cProfile of one page, top 25 by own time
    BENCH_PROFILE_LINES=400 …                                         # and the top 400 by cumulative time (40)

The profile counts the process's CPU time, not the wall clock: on a shared host the wall clock mostly measures the
wait for a core or for the database.

Targets (issue "Page cost"): officer pages ≤ 15 ms median, the commune dashboard ≤ 40 ms, the checklist of a
300-household hamlet ≤ 60 ms.
"""

import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.database import bench_line, use_own_database

RUNS = int(os.environ.get("BENCH_RUNS", "40"))
WARM_UP = 3
BIG_COMMUNE, BIG_HOUSEHOLDS, BIG_HAMLETS, BIG_HAMLET_SIZE = "39999", 5_000, 17, 300
OFFICER_TARGET_MS, DASHBOARD_TARGET_MS, CHECKLIST_TARGET_MS = 15.0, 40.0, 60.0


def prepare() -> None:
    """The demo, then a large commune of the demo's province: one 300-household hamlet, 5,000 households in all,
    half of them pledged this year, 150 people under management."""
    from django.core.management import call_command

    from communes.models import Commune

    if Commune.objects.filter(code=BIG_COMMUNE).exists():
        return
    os.environ.setdefault("DEMO_PASSWORD", "benchmark-only-Khongmatuy")  # DEBUG is off, as in production
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    _build_big_commune()
    # As autovacuum leaves a database in use: statistics gathered and the visibility map set, so that the counts by
    # hamlet read the pledges' index alone rather than checking 2,500 freshly written rows one by one.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _build_big_commune() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Role, User
    from communes.models import Commune, Hamlet
    from drugfree.text import search_key
    from pledges.models import HouseholdPledge
    from residents.models import Household, Person
    from residents.services import lifecycle

    today = timezone.localdate()
    demo = Commune.objects.get(code="15016")
    commune = Commune.objects.create(province=demo.province, district=demo.district, code=BIG_COMMUNE,
                                     name="Xã Năm Nghìn Hộ", kind=demo.kind)  # fmt: skip
    hamlets = [
        Hamlet.objects.create(commune=commune, name=f"Thôn Lớn {n:02d}", kind=Hamlet.Kind.THON)
        for n in range(1, BIG_HAMLETS + 1)
    ]
    rest = (BIG_HOUSEHOLDS - BIG_HAMLET_SIZE) // (BIG_HAMLETS - 1)
    sizes = [BIG_HAMLET_SIZE] + [rest] * (BIG_HAMLETS - 1)
    sizes[-1] += BIG_HOUSEHOLDS - sum(sizes)
    number = 0
    for hamlet, size in zip(hamlets, sizes, strict=True):
        batch = []
        for _ in range(size):
            number += 1
            head = f"Hà Văn Lớn {number:04d}"
            batch.append(Household(commune=commune, hamlet=hamlet, code=f"L{number:05d}", head_name=head,
                                   head_name_key=search_key(head), members_count=1 + number % 6,
                                   ethnicity="Mường" if number % 3 else "Kinh"))  # fmt: skip
        Household.objects.bulk_create(batch)
    HouseholdPledge.objects.bulk_create(
        HouseholdPledge(
            household=h,
            commune=commune,
            year=today.year,
            signed_on=today - timedelta(days=h.pk % 90),
            representative_name=h.head_name,
        )  # fmt: skip
        for h in Household.objects.filter(
            commune=commune, pk__in=Household.objects.filter(commune=commune).values("pk")
        )[::2]  # fmt: skip
    )
    officer = User.objects.create(username="cand.lon", role=Role.COMMUNE_OFFICER, commune=commune,
                                  full_name="Cán bộ Xã Lớn")  # fmt: skip
    for n in range(150):
        person = Person.objects.create(commune=commune, hamlet=hamlets[n % BIG_HAMLETS],
                                       full_name=f"Lò Văn Theo {n:03d}", birth_year=1980 + n % 25)  # fmt: skip
        lifecycle.person_list_as_suspect(actor=officer, person=person, listed_on=today - timedelta(days=3 + n),
                                         trigger="tip")  # fmt: skip


def pages() -> list[tuple[str, str, str, str]]:
    """(name, kind, username, url): kind is officer, dashboard, checklist or reference."""
    from django.urls import reverse
    from django.utils import timezone

    from communes.models import Hamlet
    from residents.models import Household, Person

    year = timezone.localdate().year
    rows = []
    for username, code in (("cand.quanson", "15016"), ("cand.lon", BIG_COMMUNE)):
        person = Person.objects.filter(commune__code=code).order_by("pk").first()
        household = Household.objects.filter(commune__code=code).order_by("pk").first()
        hamlet = Hamlet.objects.filter(commune__code=code).order_by("pk").first()
        tag = "demo" if code != BIG_COMMUNE else "5000"
        rows += [
            (f"work_queue[{tag}]", "officer", username, reverse("home")),
            (f"search[{tag}]", "officer", username, reverse("residents:search") + "?q=ha+van"),
            (f"person_file[{tag}]", "officer", username, reverse("residents:person", args=[person.pk])),
            (f"person_form[{tag}]", "officer", username, reverse("residents:person_edit", args=[person.pk])),
            (f"household[{tag}]", "officer", username, reverse("residents:household", args=[household.pk])),
            (f"hamlet_list[{tag}]", "officer", username, reverse("workspace:hamlets", args=[code])),
            (
                f"commune_dashboard[{tag}]",
                "dashboard",
                username,
                reverse("progress:commune_dashboard", args=[code]),
            ),  # fmt: skip
        ]
        checklist_hamlet = hamlet if code != BIG_COMMUNE else Hamlet.objects.get(name="Thôn Lớn 01")
        rows.append((f"checklist[{tag}]", "checklist", username,
                     reverse("pledges:checklist", args=[checklist_hamlet.pk, year])))  # fmt: skip
    rows.append(("login", "reference", "", reverse("accounts:login")))
    return rows


def client_for(username: str):
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    if username:
        user = User.objects.get(username=username)
        client.force_login(user)  # officers have no second factor to pass
    return client


def measure(client, url: str) -> tuple[list[float], list[float]]:
    """Wall time and this process's CPU time of each request, in ms (the CPU time leaves out the database's work and
    any wait for a busy machine's cores)."""
    for _ in range(WARM_UP):
        response = client.get(url, secure=True)
        if response.status_code != 200:
            sys.exit(f"benchmark pages: {url} answered {response.status_code}")
    wall, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url, secure=True)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def profile(client, url: str) -> None:
    # The process's CPU clock: on a shared host the wall clock mostly measures waiting for a core or the database.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(RUNS):
        client.get(url, secure=True)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("tottime")
    stats.print_stats(25)
    stats.sort_stats("cumulative").print_stats(int(os.environ.get("BENCH_PROFILE_LINES", "40")))


def main() -> int:
    # Production settings (DEBUG off, manifest static files) with the test client's host name.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["STATIC_ROOT"] = str(Path(tempfile.gettempdir()) / "drugfree_bench_pages_static")
    use_own_database("pages", fresh=not os.environ.get("BENCH_REUSE"))
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    prepare()
    wanted = os.environ.get("BENCH_PROFILE")
    medians: dict[str, tuple[str, float]] = {}
    for name, kind, username, url in pages():
        client = client_for(username)
        if wanted:
            if name.startswith(wanted):
                measure(client, url)
                profile(client, url)
            continue
        wall, cpu = measure(client, url)
        median = statistics.median(wall)
        medians[name] = (kind, median)
        target = {"officer": OFFICER_TARGET_MS, "dashboard": DASHBOARD_TARGET_MS,
                  "checklist": CHECKLIST_TARGET_MS}.get(kind)  # fmt: skip
        verdict = "" if target is None else (" ok" if median <= target else f" OVER {target:.0f} ms")
        print(f"page {name:28s} median {median:7.1f} ms (cpu {statistics.median(cpu):6.1f} ms){verdict}")
    if wanted:
        return 0
    officer = statistics.median(value for kind, value in medians.values() if kind == "officer")
    print(bench_line("page_cost", officer, "ms", medians["login"][1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
