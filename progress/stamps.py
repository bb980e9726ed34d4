"""A commune's figures stamp: a number the database draws anew on every write to a record behind that commune's
dashboard figures (triggers installed by migration 0012), so that computed dashboards can be kept and reused until
then.

The dashboards key what they keep by the stamps of their communes and the date in Vietnam (`selectors.today`): a
write through a form, a service, `bulk_update`, `queryset.update()`, a cascaded delete, the import's COPY or raw SQL
draws a new stamp in the same transaction, so the next request's key differs and the figures are computed afresh;
at midnight in Hanoi the date changes and the rolling windows with it. Nothing has to remember to invalidate: the
triggers see every write, like the tallies' (progress.tallies). What is kept is kept in each process's memory
(`KEPT`), which needs no coordination between workers since every worker reads the stamps from the database; an
entry whose stamps have moved on is replaced by the next computation of the same dashboard.
"""

import hashlib
import threading
from collections import OrderedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

# Dashboards kept per process (one version each), the least recently used dropped first: the areas and the
# communes viewed.
KEPT_AT_MOST = 512


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


def stamps_key(kind: str, parts, stamps: dict[int, int], commune_ids) -> tuple[str, str]:
    """(slot, version): the slot names what was computed (`parts`, and the communes it covers), the version every
    commune's stamp at the time (read BEFORE computing, so that what is kept is never older than its version)."""
    ids = list(commune_ids)
    covered = hashlib.sha1(repr(ids).encode(), usedforsecurity=False).hexdigest()
    version = hashlib.sha1(repr([stamps.get(pk, 0) for pk in ids]).encode(), usedforsecurity=False).hexdigest()
    return f"progress:{kind}:{tuple(parts)!r}:{covered}", version


class _Kept:
    """The computed dashboards this process keeps, as objects (not pickled: Django's cache pickles what it keeps,
    and unpickling a province's 166 × 27 results cost more than computing them), one version per slot: a newer
    version replaces the older at once, so memory follows the number of dashboards viewed, not of writes. Callers
    treat what they get as read-only and copy what they change (dashboards.commune_dashboard)."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict[str, tuple[str, object]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, slot: str, version: str):
        with self.lock:
            kept_version, value = self.items.get(slot, (None, None))
            if kept_version != version:
                return None
            self.items.move_to_end(slot)
            return value

    def set(self, slot: str, version: str, value) -> None:
        with self.lock:
            self.items[slot] = (version, value)
            self.items.move_to_end(slot)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


KEPT = _Kept(KEPT_AT_MOST)


def kept(slot: str, version: str):
    """What was kept in `slot` at `version`, or None."""
    return KEPT.get(slot, version)


def keep(slot: str, version: str, value) -> None:
    KEPT.set(slot, version, value)
