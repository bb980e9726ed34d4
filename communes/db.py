"""Kept only for old migrations, which import `communes.db` by that path: the expressions live in `drugfree.db`.

Application code imports `drugfree.db`; re-exporting the same classes (not copies) keeps migration states and models
equal, so `makemigrations` sees no change.
"""

from django.db import models

from drugfree.db import (  # noqa: F401
    VIETNAM_UTC_OFFSET_HOURS,
    FieldCheck,
    StatementTime,
    VietnamDate,
    VietnamToday,
    dates_in_order,
    not_in_future,
)


class Tomorrow(models.Func):
    """UTC's tomorrow: wrong between 00:00 and 07:00 in Vietnam, and replaced by VietnamToday in every constraint.
    Defined here, not in drugfree.db, because only the early migrations that used it still name it."""

    output_field = models.DateField()
    template = "(CURRENT_DATE + 1)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return "DATE(CURRENT_TIMESTAMP, '+1 day')", []
