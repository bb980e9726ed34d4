"""Province-wide search of people and households: 166 communes × 40 hamlets, 1,000,000 households, 4,000,000 people
with Vietnamese names drawn as Thanh Hóa's are spread (benchmarks/search_people.py).

The data set is built once in SQL (INSERT … SELECT generate_series, the secondary indexes dropped during the load
and rebuilt after) in a database of its own, `drugfree_bench_search`, and reused while its marker matches. Timed:
the search page's results (the htmx request the search box sends as an officer types: people and households, their
counts and first pages, the access log entry) for a fixed list of queries, as a provincial reviewer who may see
names (the whole province), and as the reference, the same queries by a commune officer (one commune).

    .venv/bin/python -m benchmarks search        # BENCH_FRESH=1 rebuilds the data set; BENCH_RUNS=5 per query
    BENCH_PROFILE="nguyen" .venv/bin/python -m benchmarks search   # cProfile of one query's request, province-wide
"""

import cProfile
import math
import os
import pstats
import statistics
import sys
import time

from benchmarks.database import bench_line, current_spec, open_for_pages, remember_spec
from benchmarks.search_people import STAGE_PEOPLE, parameters

COMMUNES, HAMLETS_PER_COMMUNE = 166, 40
HOUSEHOLDS = int(os.environ.get("BENCH_SEARCH_HOUSEHOLDS", "1000000"))
PEOPLE = 4 * HOUSEHOLDS
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TARGET_MS = 50
SPEC = f"v1 communes={COMMUNES} hamlets={HAMLETS_PER_COMMUNE} households={HOUSEHOLDS} people={PEOPLE}"


def _cccd(k: int) -> str:
    """The CCCD search_people.STAGE_PEOPLE gives person k."""
    return "038" + str(k * 387420489 % 1_000_000_000).zfill(9)


# What officers type: common and rare surnames, one to three words (some still being typed), a given name alone,
# CCCD suffixes of 4 to 6 digits and a whole CCCD, and searches that find nobody.
QUERIES = [
    "nguyen",
    "le thi",
    "nguyen van hung",
    "le van",
    "trinh thi huong",
    "pham minh tuan",
    "ha van",
    "lo thi hoa",
    "luong van son",
    "khong",
    "giap van",
    "hua thi lan",
    "ong van toan",
    "mac thi",
    "tran thi h",
    "nguyen van t",
    "tuan",
    "4821",
    "73019",
    "560284",
    _cccd(1_234_567 % PEOPLE),
    "001099999999",
    "john smith",
    "nguyen van zung",
]

BUILD = [
    "TRUNCATE communes_commune, communes_district RESTART IDENTITY CASCADE",
    """INSERT INTO communes_commune (province_id, code, name, kind)
       SELECT p.id, (30000 + i)::text, 'Xã Thử ' || i, 'xa'
       FROM generate_series(1, %(communes)s) i, (SELECT id FROM communes_province WHERE code = '38') p""",
    """INSERT INTO communes_hamlet (commune_id, name, kind, name_key, head_name)
       SELECT c.id, 'Thôn ' || j, 'thon', 'thon ' || j, 'Trưởng thôn ' || j
       FROM communes_commune c, generate_series(1, %(hamlets)s) j ORDER BY c.id, j""",
    "DROP TABLE IF EXISTS bench_people",
    STAGE_PEOPLE,
    # Household g is the one of person 4g, its head; ids follow g (the identity was restarted above).
    """INSERT INTO residents_household (commune_id, hamlet_id, code, head_name, head_name_key, head_cccd, address,
                                        members_count, ethnicity, status, created_at, updated_at, version)
       SELECT h.commune_id, h.id, 'HO' || lpad(p.g::text, 7, '0'), p.full_name, p.name_key, p.cccd,
              'Số ' || p.g || ', ' || h.name, 4, 'Kinh',
              CASE WHEN p.g %% 50 = 0 THEN 'moved_away' ELSE 'residing' END, now(), now(), 1
       FROM bench_people p
       JOIN communes_hamlet h ON h.id = 1 + (p.g * %(hamlets_total)s / %(households)s)
       WHERE p.member = 0 ORDER BY p.g""",
    """INSERT INTO residents_person (full_name, name_key, cccd, birth_year, sex, ethnicity, commune_id, hamlet_id,
                                     household_id, current_address, status, psychosis_risk, note, created_at,
                                     updated_at, version)
       SELECT p.full_name, p.name_key, p.cccd, p.birth_year, CASE WHEN p.male THEN 'male' ELSE 'female' END, 'Kinh',
              h.commune_id, h.id, p.g + 1, '',
              CASE WHEN p.k %% 400 = 7 THEN 'user' WHEN p.k %% 400 = 9 THEN 'suspected' ELSE 'none' END,
              false, '', now(), now(), 1
       FROM bench_people p
       JOIN communes_hamlet h ON h.id = 1 + (p.g * %(hamlets_total)s / %(households)s)""",
    "DROP TABLE bench_people",
    # The search's word tables (residents' migration 0018), which the triggers left empty during this load.
    "SELECT residents_search_words_refill()",
]
LOADED = ("residents_household", "residents_person")


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """Indexes of the loaded tables that back no constraint: dropped during the load, rebuilt after in one pass."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
        [list(LOADED)],
    )
    return cursor.fetchall()


def build_data_set(cursor) -> float:
    started = time.perf_counter()
    params = {
        "communes": COMMUNES,
        "hamlets": HAMLETS_PER_COMMUNE,
        "hamlets_total": COMMUNES * HAMLETS_PER_COMMUNE,
        "households": HOUSEHOLDS,
        "people": PEOPLE,
        **parameters(),
    }
    indexes = _secondary_indexes(cursor)
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    # The rows are consistent by construction: checking 5 million foreign keys one by one (and the tallies' triggers,
    # which the search does not read) would double the build. Superuser only, as the benchmark's server is.
    cursor.execute("SET session_replication_role = replica")
    for statement in BUILD:
        cursor.execute(statement, params)
    cursor.execute("SET session_replication_role = DEFAULT")
    cursor.execute("SET maintenance_work_mem = '1GB'")
    for name, definition in indexes:
        step = time.perf_counter()
        cursor.execute(definition)
        print(f"  index {name}: {time.perf_counter() - step:.1f} s", flush=True)
    remember_spec(cursor, SPEC)
    return time.perf_counter() - started


def p95(samples: list[float]) -> float:
    """Nearest rank: the smallest sample that at least 95 % of the samples do not exceed."""
    ordered = sorted(samples)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def measure(client, url: str, scope: str) -> dict[str, list[float]]:
    """Per query, RUNS server times in ms after one warm-up request."""
    times = {}
    for query in QUERIES:
        print(f"  {scope}: {query}", flush=True)
        samples = []
        for run in range(RUNS + 1):
            started = time.perf_counter()
            response = client.get(url, {"q": query}, HTTP_HX_REQUEST="true")
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (query, response.status_code)
            if run:
                samples.append(elapsed)
        times[query] = samples
    return times


def profile(client, url: str, query: str) -> None:
    """cProfile of RUNS requests for one query after a warm-up: where the page's own Python goes."""
    client.get(url, {"q": query}, HTTP_HX_REQUEST="true")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(RUNS):
        client.get(url, {"q": query}, HTTP_HX_REQUEST="true")
    profiler.disable()
    print(f"{query!r}: {(time.perf_counter() - started) * 1000 / RUNS:.1f} ms per request under the profiler")
    stats = pstats.Stats(profiler).sort_stats("tottime")
    stats.print_stats(30)
    stats.sort_stats("cumulative").print_stats(50)
    if os.environ.get("BENCH_PROFILE_CALLERS"):
        stats.print_callers(os.environ["BENCH_PROFILE_CALLERS"])


def _prepare_data_set() -> None:
    """The data set of SPEC, kept from an earlier run or built now."""
    from django.db import connection

    from communes.models import Commune

    with connection.cursor() as cursor:
        if current_spec(cursor) == SPEC:
            print(f"data set reused ({SPEC})")
        else:
            print(f"building the data set ({SPEC}) …", flush=True)
            print(f"built in {build_data_set(cursor):.1f} s", flush=True)
            cursor.execute("VACUUM (FREEZE) residents_person")
            cursor.execute("VACUUM (FREEZE) residents_household")
        # The word tables' visibility map, so that their lists are read from the index alone (autovacuum's work in
        # production; a no-op once done).
        cursor.execute("VACUUM residents_person_word, residents_household_word")
        # Statistics of every table and expression index, including indexes a migration has just added to a kept
        # data set: without them the planner guesses, as production's autovacuum would not let it.
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM residents_person")
        people = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM residents_household")
        households = cursor.fetchone()[0]
    print(f"people={people} households={households} communes={Commune.objects.count()}")


def main() -> int:
    open_for_pages("search")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import Role, User
    from communes.models import Commune, Province

    _prepare_data_set()
    province = Province.objects.get(code="38")
    commune = Commune.objects.get(code="30001")
    reviewer, _ = User.objects.get_or_create(
        username="bench.reviewer",
        defaults={"role": Role.REVIEWER, "province": province, "may_view_personal_data": True},
    )
    officer, _ = User.objects.get_or_create(
        username="bench.officer", defaults={"role": Role.COMMUNE_OFFICER, "commune": commune}
    )
    url = reverse("residents:search")
    province_client, commune_client = Client(), Client()
    province_client.force_login(reviewer)
    commune_client.force_login(officer)

    wanted = os.environ.get("BENCH_PROFILE")
    if wanted:
        profile(province_client, url, wanted)
        return 0
    province_times = measure(province_client, url, "province")
    commune_times = measure(commune_client, url, "one commune")
    with CaptureQueriesContext(connection) as queries:
        province_client.get(url, {"q": QUERIES[0]}, HTTP_HX_REQUEST="true")

    print(f"{'query':<20} {'province median':>16} {'commune median':>15}  (ms, {RUNS} runs each)")
    for query in QUERIES:
        province_ms, commune_ms = statistics.median(province_times[query]), statistics.median(commune_times[query])
        print(f"{query:<20} {province_ms:>16.1f} {commune_ms:>15.1f}")
    value = p95([t for samples in province_times.values() for t in samples])
    reference = p95([t for samples in commune_times.values() for t in samples])
    print(f"{len(queries)} queries per request; p95 province {value:.1f} ms, one commune {reference:.1f} ms")
    print(f"target p95 < {TARGET_MS} ms at province scope: {'met' if value < TARGET_MS else 'NOT met'}")
    print(bench_line("search_province", value, "ms", reference))
    return 0


if __name__ == "__main__":
    sys.exit(main())
