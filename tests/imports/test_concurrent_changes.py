"""Two officers act on the same preview at once (two requests, two database connections): the run's row lock lets
exactly one change through; the other request waits for it, then says in Vietnamese that the run no longer waits."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from imports import services
from imports.models import ImportRun
from imports.previews import create_run
from tests.imports.helpers import household_row, write_xlsx

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_programmes"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks (select_for_update does nothing there): only PostgreSQL can show the race",
    ),
]

NOT_WAITING = "Lần nhập này không còn chờ xác nhận."
ACTIONS = {"confirm": ("imports:confirm", {"mode": "all"}), "cancel": ("imports:cancel", {})}
WON = {"confirm": ImportRun.Status.DONE, "cancel": ImportRun.Status.CANCELLED}


def _blocked_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.parametrize(("first", "second"), [("confirm", "cancel"), ("cancel", "confirm"), ("confirm", "confirm")])
def test_of_two_changes_sent_at_once_exactly_one_wins_and_the_other_is_told(
    first, second, personas, tmp_path, monkeypatch
):
    path = write_xlsx(tmp_path / "ds.xlsx", [household_row(n) for n in range(1, 4)])
    run, _plan = create_run(actor=personas.officer_a, commune=personas.officer_a.commune,
                            uploaded=path.read_bytes(), file_name=path.name)  # fmt: skip
    # The first request stops inside the lock until the second is seen waiting for it.
    inside_lock, release = threading.Event(), threading.Event()
    record_stall = services._record_stall

    def paused(locked):
        if threading.current_thread().name == "first":
            inside_lock.set()
            release.wait()
        return record_stall(locked)

    monkeypatch.setattr(services, "_record_stall", paused)
    pages = {}

    def post(name, action):
        client = Client()
        client.force_login(personas.officer_a)
        url_name, data = ACTIONS[action]
        try:
            pages[name] = client.post(reverse(url_name, args=[run.pk]), data, follow=True).text
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(name, action), name=name)
               for name, action in (("first", first), ("second", second))]  # fmt: skip
    threads[0].start()
    assert inside_lock.wait(30)
    threads[1].start()
    while threads[1].is_alive() and not _blocked_on_a_lock():
        threads[1].join(0.05)  # until the second request waits for the row (a check outside the lock would finish)
    release.set()
    for thread in threads:
        thread.join()

    run.refresh_from_db()
    assert run.status == WON[first]
    assert NOT_WAITING in pages["second"]
    assert NOT_WAITING not in pages["first"]
