"""What a round trip must keep, computed the same way in the test and in the process that ran the restore."""

import json

from django.db import connection

from accounts.models import Role, User
from communes.models import Province
from progress.dashboards import area_overview


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def province_dashboard(province_code: str = "38") -> list:
    """The province dashboard as an administrator sees it: every commune's value and verdict for every criterion."""
    administrator = User.objects.get(role=Role.ADMINISTRATOR)
    overview = area_overview(administrator, province=Province.objects.get(code=province_code))
    return [[row.unit.code, [[r.criterion.pk, r.value_display, r.met] for r in row.results]] for row in overview.rows]


def as_json() -> str:
    return json.dumps({"rows": row_counts(), "dashboard": province_dashboard()}, ensure_ascii=False)
