"""Database expressions shared by the apps' constraints."""

from django.db import models


class Tomorrow(models.Func):
    """Tomorrow's date, computed by the database, so "not in the future" holds even at midnight in UTC+7.

    Written with CURRENT_TIMESTAMP because SQLite refuses date('now') in a CHECK constraint.
    """

    output_field = models.DateField()
    template = "(CURRENT_DATE + 1)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return "DATE(CURRENT_TIMESTAMP, '+1 day')", []


def not_in_future(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__lt": Tomorrow()}), name=name
    )


def dates_in_order(earlier: str, later: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{later}__isnull": True}) | models.Q(**{f"{later}__gte": models.F(earlier)}), name=name
    )
