"""Kept only for old migrations, which import `communes.db` by that path: the expressions live in `drugfree.db`.

Application code imports `drugfree.db`; re-exporting the same classes (not copies) keeps migration states and models
equal, so `makemigrations` sees no change.
"""

from drugfree.db import (  # noqa: F401
    VIETNAM_UTC_OFFSET_HOURS,
    FieldCheck,
    StatementTime,
    Tomorrow,
    VietnamDate,
    VietnamToday,
    dates_in_order,
    not_in_future,
)
