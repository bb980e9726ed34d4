"""Database triggers that keep HouseholdTally and PledgeTally in step with every write, and the first count.

PostgreSQL: statement-level triggers over transition tables, so a COPY of 20,000 households costs one grouped
upsert, not 20,000. SQLite (the embedded development database): row-level triggers. Decrements only ever UPDATE an
existing row: Django's SQLite flush deletes tables in any order and must leave no stray row behind.

The SQL is written out here (not imported from the app) so that this migration keeps meaning what it meant.
"""

from django.db import migrations

# (tally table, value column, source table, grouping columns, which source rows count ({row}: the row's table or
# NEW/OLD), the source columns whose change moves a row between counts)
TALLIES = {
    "households": ("progress_householdtally", "households", "residents_household", "commune_id",
                   "{row}.status = 'residing'", "commune_id, status"),
    "pledges": ("progress_pledgetally", "pledges", "pledges_householdpledge", "commune_id, year", "TRUE",
                "commune_id, year"),
}  # fmt: skip


def _upsert(tally, column, keys, delta_select, *, alias="t"):
    # SQLite takes no table alias inside a trigger; there the bare column is the existing row's.
    target, current = (f"{tally} AS {alias}", f"{alias}.{column}") if alias else (tally, column)
    return (
        f"INSERT INTO {target} ({keys}, {column}) {delta_select} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {column} = {current} + EXCLUDED.{column}"
    )


def _postgresql(name, spec=None):
    # `spec` replaces TALLIES[name] for a later migration that rebuilds a tally's triggers.
    tally, column, source, keys, counts, _ = spec or TALLIES[name]
    function = f"progress_tally_{name}"

    def delta(*parts):
        rows = " UNION ALL ".join(
            f"SELECT {keys}, {sign} AS d FROM {table} WHERE {counts.format(row=table)}" for table, sign in parts
        )
        # Ordered, so that two transactions touching the same communes lock their rows in the same order.
        return f"SELECT {keys}, sum(d) FROM ({rows}) AS rows GROUP BY {keys} HAVING sum(d) <> 0 ORDER BY {keys}"

    body = (
        f"IF TG_OP = 'INSERT' THEN {_upsert(tally, column, keys, delta(('new_rows', 1)))}; "
        f"ELSIF TG_OP = 'DELETE' THEN {_upsert(tally, column, keys, delta(('old_rows', -1)))}; "
        f"ELSE {_upsert(tally, column, keys, delta(('new_rows', 1), ('old_rows', -1)))}; END IF; RETURN NULL;"
    )
    create = [f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$"]
    for event, referencing in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        create.append(
            f"CREATE TRIGGER {function}_{event.lower()} AFTER {event} ON {source} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    drop = [f"DROP FUNCTION IF EXISTS {function}() CASCADE"]
    return create, drop


def _sqlite(name, spec=None):
    tally, column, source, keys, counts, watched = spec or TALLIES[name]
    trigger = f"progress_tally_{name}"
    key_list = [key.strip() for key in keys.split(",")]

    def add(row):
        values = ", ".join(f"{row}.{key}" for key in key_list)
        # A WHERE before ON CONFLICT is SQLite's documented way to parse INSERT … SELECT … ON CONFLICT.
        return _upsert(tally, column, keys, f"SELECT {values}, 1 WHERE {counts.format(row=row)}", alias=None)

    def remove(row):
        match = " AND ".join(f"{key} = {row}.{key}" for key in key_list)
        return f"UPDATE {tally} SET {column} = {column} - 1 WHERE {match} AND {counts.format(row=row)}"

    create = [
        f"CREATE TRIGGER {trigger}_insert AFTER INSERT ON {source} BEGIN {add('NEW')}; END",
        f"CREATE TRIGGER {trigger}_delete AFTER DELETE ON {source} BEGIN {remove('OLD')}; END",
        f"CREATE TRIGGER {trigger}_update AFTER UPDATE OF {watched} ON {source} "
        f"BEGIN {remove('OLD')}; {add('NEW')}; END",
    ]
    drop = [f"DROP TRIGGER IF EXISTS {trigger}_{event}" for event in ("insert", "delete", "update")]
    return create, drop


def _statements(schema_editor, *, install: bool):
    vendor = schema_editor.connection.vendor
    build = {"postgresql": _postgresql, "sqlite": _sqlite}.get(vendor)
    if build is None:
        raise NotImplementedError(f"tally triggers are written for PostgreSQL and SQLite, not {vendor}")
    for name in TALLIES:
        create, drop = build(name)
        yield from create if install else drop


def install(apps, schema_editor):
    for statement in _statements(schema_editor, install=True):
        schema_editor.execute(statement, params=None)
    # The first count, from the data already there.
    for tally, column, source, keys, counts, _ in TALLIES.values():
        schema_editor.execute(f"DELETE FROM {tally}", params=None)
        schema_editor.execute(
            f"INSERT INTO {tally} ({keys}, {column}) SELECT {keys}, count(*) FROM {source} "
            f"WHERE {counts.format(row=source)} "
            f"GROUP BY {keys}",
            params=None,
        )


def uninstall(apps, schema_editor):
    for statement in _statements(schema_editor, install=False):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0003_tallies"),
        ("residents", "0006_history_without_search_indexes"),
        ("pledges", "0004_history_without_search_indexes"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
