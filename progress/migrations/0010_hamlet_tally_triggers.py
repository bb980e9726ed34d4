"""Database triggers that keep HamletTally (residing households and their members per hamlet) and HamletPledgeTally
(pledges of residing households per hamlet and year) in step with every write, and the first count.

As in 0004: statement-level triggers over transition tables on PostgreSQL (a COPY of 20,000 households costs one
grouped upsert), row-level triggers on SQLite whose decrements only ever UPDATE an existing row. A pledge has no
hamlet of its own: it counts in its household's hamlet, so the household's triggers move its pledges when the
household starts or stops residing or moves to another hamlet.

The SQL is written out here (not imported from the app) so that this migration keeps meaning what it meant.
"""

from django.db import migrations

HOUSEHOLDS = "progress_hamlettally"
PLEDGES = "progress_hamletpledgetally"
RESIDING = "{row}.status = 'residing'"
# A household whose pledges move: it starts or stops residing, or changes hamlet.
PLEDGES_MOVE = "((n.status = 'residing') <> (o.status = 'residing') OR n.hamlet_id <> o.hamlet_id)"


def _upsert(tally, keys, columns, select, *, alias="t"):
    # SQLite takes no table alias inside a trigger; there the bare column is the existing row's.
    target = f"{tally} AS {alias}" if alias else tally
    prefix = f"{alias}." if alias else ""
    updates = ", ".join(f"{column} = {prefix}{column} + EXCLUDED.{column}" for column in columns)
    return f"INSERT INTO {target} ({keys}, {', '.join(columns)}) {select} ON CONFLICT ({keys}) DO UPDATE SET {updates}"


# --- PostgreSQL -----------------------------------------------------------------------------------------------------
def _households_delta(*parts):
    rows = " UNION ALL ".join(
        f"SELECT hamlet_id, {sign} AS d, {sign} * members_count AS m FROM {table} WHERE {RESIDING.format(row=table)}"
        for table, sign in parts
    )
    # Ordered, so that two transactions touching the same hamlets lock their rows in the same order.
    return (
        f"SELECT hamlet_id, sum(d), sum(m) FROM ({rows}) AS rows GROUP BY hamlet_id "
        "HAVING sum(d) <> 0 OR sum(m) <> 0 ORDER BY hamlet_id"
    )


def _pledges_delta(*parts):
    rows = " UNION ALL ".join(f"SELECT household_id, year, {sign} AS d FROM {table}" for table, sign in parts)
    return (
        f"SELECT h.hamlet_id, r.year, sum(r.d) FROM ({rows}) AS r JOIN residents_household AS h "
        "ON h.id = r.household_id AND h.status = 'residing' GROUP BY h.hamlet_id, r.year "
        "HAVING sum(r.d) <> 0 ORDER BY h.hamlet_id, r.year"
    )


# The pledges of households that start or stop residing or change hamlet: out of the old hamlet, into the new one.
MOVED_PLEDGES = (
    "SELECT hamlet_id, year, sum(d) FROM ("
    "SELECT n.hamlet_id, p.year, 1 AS d FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id "
    f"JOIN pledges_householdpledge AS p ON p.household_id = n.id WHERE n.status = 'residing' AND {PLEDGES_MOVE} "
    "UNION ALL SELECT o.hamlet_id, p.year, -1 FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id "
    f"JOIN pledges_householdpledge AS p ON p.household_id = n.id WHERE o.status = 'residing' AND {PLEDGES_MOVE}"
    ") AS rows GROUP BY hamlet_id, year HAVING sum(d) <> 0 ORDER BY hamlet_id, year"
)


def _function(name, body, table, events):
    function = f"progress_hamlet_tally_{name}"
    create = [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "
        "RETURN NULL; END $$"
    ]
    referencing = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }
    for event in events:
        create.append(
            f"CREATE TRIGGER {function}_{event.lower()} AFTER {event} ON {table} REFERENCING {referencing[event]} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    return create, [f"DROP FUNCTION IF EXISTS {function}() CASCADE"]


def _by_operation(upsert, delta):
    return (
        f"IF TG_OP = 'INSERT' THEN {upsert(delta(('new_rows', 1)))}; "
        f"ELSIF TG_OP = 'DELETE' THEN {upsert(delta(('old_rows', -1)))}; "
        f"ELSE {upsert(delta(('new_rows', 1), ('old_rows', -1)))}; END IF;"
    )


def _postgresql():
    households = _by_operation(
        lambda select: _upsert(HOUSEHOLDS, "hamlet_id", ["households", "members"], select), _households_delta
    )
    pledges = _by_operation(lambda select: _upsert(PLEDGES, "hamlet_id, year", ["pledges"], select), _pledges_delta)
    moved = f"{_upsert(PLEDGES, 'hamlet_id, year', ['pledges'], MOVED_PLEDGES)};"
    everything = ("INSERT", "UPDATE", "DELETE")
    parts = [
        _function("households", households, "residents_household", everything),
        _function("pledges", pledges, "pledges_householdpledge", everything),
        _function("pledges_of_households", moved, "residents_household", ("UPDATE",)),
    ]
    return [s for create, _ in parts for s in create], [s for _, drop in parts for s in drop]


# --- SQLite ---------------------------------------------------------------------------------------------------------
def _sqlite():
    trigger = "progress_hamlet_tally"

    def add_household(row):
        # A WHERE before ON CONFLICT is SQLite's documented way to parse INSERT … SELECT … ON CONFLICT.
        select = f"SELECT {row}.hamlet_id, 1, {row}.members_count WHERE {RESIDING.format(row=row)}"
        return _upsert(HOUSEHOLDS, "hamlet_id", ["households", "members"], select, alias=None)

    def remove_household(row):
        return (
            f"UPDATE {HOUSEHOLDS} SET households = households - 1, members = members - {row}.members_count "
            f"WHERE hamlet_id = {row}.hamlet_id AND {RESIDING.format(row=row)}"
        )

    def add_pledge(row):
        select = (
            f"SELECT h.hamlet_id, {row}.year, 1 FROM residents_household AS h "
            f"WHERE h.id = {row}.household_id AND h.status = 'residing'"
        )
        return _upsert(PLEDGES, "hamlet_id, year", ["pledges"], select, alias=None)

    def remove_pledge(row):
        return (
            f"UPDATE {PLEDGES} SET pledges = pledges - 1 WHERE year = {row}.year AND hamlet_id = (SELECT h.hamlet_id "
            f"FROM residents_household AS h WHERE h.id = {row}.household_id AND h.status = 'residing')"
        )

    remove_moved = (
        f"UPDATE {PLEDGES} SET pledges = pledges - (SELECT count(*) FROM pledges_householdpledge AS p "
        f"WHERE p.household_id = OLD.id AND p.year = {PLEDGES}.year) "
        f"WHERE OLD.status = 'residing' AND hamlet_id = OLD.hamlet_id"
    )
    add_moved = _upsert(
        PLEDGES,
        "hamlet_id, year",
        ["pledges"],
        "SELECT NEW.hamlet_id, year, count(*) FROM pledges_householdpledge WHERE household_id = NEW.id "
        "AND NEW.status = 'residing' GROUP BY year",
        alias=None,
    )
    moves = "(OLD.status = 'residing') <> (NEW.status = 'residing') OR OLD.hamlet_id <> NEW.hamlet_id"
    create = [
        f"CREATE TRIGGER {trigger}_households_insert AFTER INSERT ON residents_household "
        f"BEGIN {add_household('NEW')}; END",
        f"CREATE TRIGGER {trigger}_households_delete AFTER DELETE ON residents_household "
        f"BEGIN {remove_household('OLD')}; END",
        f"CREATE TRIGGER {trigger}_households_update AFTER UPDATE OF hamlet_id, status, members_count "
        f"ON residents_household BEGIN {remove_household('OLD')}; {add_household('NEW')}; END",
        f"CREATE TRIGGER {trigger}_pledges_insert AFTER INSERT ON pledges_householdpledge "
        f"BEGIN {add_pledge('NEW')}; END",
        f"CREATE TRIGGER {trigger}_pledges_delete AFTER DELETE ON pledges_householdpledge "
        f"BEGIN {remove_pledge('OLD')}; END",
        f"CREATE TRIGGER {trigger}_pledges_update AFTER UPDATE OF household_id, year ON pledges_householdpledge "
        f"BEGIN {remove_pledge('OLD')}; {add_pledge('NEW')}; END",
        f"CREATE TRIGGER {trigger}_pledges_of_households_update AFTER UPDATE OF hamlet_id, status "
        f"ON residents_household WHEN {moves} BEGIN {remove_moved}; {add_moved}; END",
    ]
    names = ["households_insert", "households_delete", "households_update", "pledges_insert", "pledges_delete"]
    names += ["pledges_update", "pledges_of_households_update"]
    return create, [f"DROP TRIGGER IF EXISTS {trigger}_{name}" for name in names]


def _statements(schema_editor):
    vendor = schema_editor.connection.vendor
    build = {"postgresql": _postgresql, "sqlite": _sqlite}.get(vendor)
    if build is None:
        raise NotImplementedError(f"tally triggers are written for PostgreSQL and SQLite, not {vendor}")
    return build()


def install(apps, schema_editor):
    create, _drop = _statements(schema_editor)
    for statement in create:
        schema_editor.execute(statement, params=None)
    # The first count, from the data already there.
    for statement in (
        f"DELETE FROM {HOUSEHOLDS}",
        f"DELETE FROM {PLEDGES}",
        f"INSERT INTO {HOUSEHOLDS} (hamlet_id, households, members) SELECT hamlet_id, count(*), sum(members_count) "
        "FROM residents_household WHERE status = 'residing' GROUP BY hamlet_id",
        f"INSERT INTO {PLEDGES} (hamlet_id, year, pledges) SELECT h.hamlet_id, p.year, count(*) "
        "FROM pledges_householdpledge AS p JOIN residents_household AS h ON h.id = p.household_id "
        "WHERE h.status = 'residing' GROUP BY h.hamlet_id, p.year",
    ):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    _create, drop = _statements(schema_editor)
    for statement in drop:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("progress", "0009_hamlet_tallies")]

    operations = [migrations.RunPython(install, uninstall)]
