"""A commune's figures stamp: a number the database draws anew on every write to a record behind that commune's
dashboard figures (triggers installed by migration 0012), so that computed dashboards can be kept and reused until
then.

The dashboards key what they keep by the stamps of their communes and the date in Vietnam (`selectors.today`): a
write through a form, a service, `bulk_update`, `queryset.update()`, a cascaded delete, the import's COPY or raw SQL
draws a new stamp in the same transaction, so the next request's key differs and the figures are computed afresh;
at midnight in Hanoi the date changes and the rolling windows with it. Nothing has to remember to invalidate: the
triggers see every write, like the tallies' (progress.tallies). What is kept is kept in each process's memory
(`KEPT`), which needs no coordination between workers since every worker reads the stamps from the database; an
entry whose stamps have moved on is simply never asked for again, and drops out as the least recently used.
"""

import hashlib
import threading
from collections import OrderedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

# Dashboards kept per process, the least recently used dropped first: a province's overview and a few hundred
# communes' dashboards.
KEPT_AT_MOST = 256


class FigureStamp(models.Model):
    """The stamp of one commune. No foreign key: a trigger may stamp of a commune being deleted (its
    hamlets go first), and a stamp left behind by a deleted commune harms nothing."""

    commune_id = models.IntegerField(_("mã số xã"), primary_key=True)
    # Random, not a count (migration 0012): a restored dump or a rolled-back transaction never brings back a stamp
    # that figures of other data were kept under.
    version = models.BigIntegerField(_("dấu thay đổi"), default=0)

    class Meta:
        verbose_name = _("dấu thay đổi số liệu xã")
        verbose_name_plural = _("dấu thay đổi số liệu xã")

    def __str__(self):
        return f"{self.commune_id}: {self.version}"


def stamps_of(commune_ids, *, using=None) -> dict[int, int]:
    """{commune id: stamp} for these communes (a commune never written to has none: 0); one query."""
    rows = FigureStamp.objects.using(using) if using else FigureStamp.objects
    return dict(rows.filter(commune_id__in=list(commune_ids)).values_list("commune_id", "version"))


def stamps_key(kind: str, parts, stamps: dict[int, int], commune_ids) -> str:
    """A cache key naming what was computed (`parts`) and every commune's stamp at the time (read BEFORE computing,
    so that what is kept is never older than its key)."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(repr(tuple(parts)).encode())
    digest.update(repr([(pk, stamps.get(pk, 0)) for pk in commune_ids]).encode())
    return f"progress:{kind}:{digest.hexdigest()}"


class _Kept:
    """The computed dashboards this process keeps, as objects (not pickled: Django's cache pickles what it keeps,
    and unpickling a province's 166 × 27 results cost more than computing them). Callers treat what they get as
    read-only and copy what they change (dashboards.commune_dashboard)."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict[str, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def set(self, key: str, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


KEPT = _Kept(KEPT_AT_MOST)


def kept(key: str):
    """What was kept under `key`, or None."""
    return KEPT.get(key)


def keep(key: str, value) -> None:
    KEPT.set(key, value)
