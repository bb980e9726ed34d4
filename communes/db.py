"""Database expressions shared by the apps' constraints."""

from django.db import models

# Vietnam has kept UTC+7 without daylight saving since 1975, so SQLite (which has no time zone data) may add 7 hours.
VIETNAM_UTC_OFFSET_HOURS = 7


class VietnamToday(models.Func):
    """Today's date in Vietnam, computed by the database itself, whatever the session's or server's time zone.

    The statement's own clock is used (not the transaction's start) so that a row dated by Python a moment after
    midnight in Hanoi is not refused by a transaction that began a moment before it. SQLite's CURRENT_TIMESTAMP is
    UTC and is the only clock it allows in a CHECK constraint.
    """

    output_field = models.DateField()
    template = "((statement_timestamp() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return f"DATE(CURRENT_TIMESTAMP, '+{VIETNAM_UTC_OFFSET_HOURS} hours')", []


class Tomorrow(models.Func):
    """UTC's tomorrow: wrong between 00:00 and 07:00 in Vietnam. Kept only because early migrations reference it."""

    output_field = models.DateField()
    template = "(CURRENT_DATE + 1)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return "DATE(CURRENT_TIMESTAMP, '+1 day')", []


def not_in_future(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__lte": VietnamToday()}), name=name
    )


def dates_in_order(earlier: str, later: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{later}__isnull": True}) | models.Q(**{f"{later}__gte": models.F(earlier)}), name=name
    )
