"""A commune's figures stamp: a number the database draws anew on every write to a record behind that commune's
dashboard figures (triggers installed by migration 0012), so that computed dashboards can be kept and reused until
then.

The dashboards key what they keep by the stamps of their communes and the date in Vietnam (`selectors.today`): a
write through a form, a service, `bulk_update`, `queryset.update()`, a cascaded delete, the import's COPY or raw SQL
draws a new stamp in the same transaction, so the next request's key differs and the figures are computed afresh;
at midnight in Hanoi the date changes and the rolling windows with it. Nothing has to remember to invalidate: the
triggers see every write, like the tallies' (progress.tallies). What is kept is a local copy per process (Django's
cache), which needs no coordination between workers since every worker reads the stamps from the database.
"""

import hashlib

from django.core.cache import caches
from django.db import models
from django.utils.translation import gettext_lazy as _

CACHE_ALIAS = "default"
# Kept at most a day: the key changes at midnight in Hanoi anyway.
CACHE_SECONDS = 24 * 3600


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


def kept(key: str):
    """What was kept under `key`, or None. Django's cache hands back a copy (it pickles what it keeps), so what the
    caller changes afterwards (links, sort order) is not what was kept."""
    return caches[CACHE_ALIAS].get(key)


def keep(key: str, value) -> None:
    caches[CACHE_ALIAS].set(key, value, CACHE_SECONDS)
