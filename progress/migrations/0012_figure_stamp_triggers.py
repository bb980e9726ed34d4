"""Database triggers that raise a commune's figures stamp (progress.stamps.FigureStamp) on every write to a record
behind its dashboard figures, so that a computed dashboard is reused only while nothing it read has changed.

Every table a metric, the hamlet breakdown or the history reads is here, with how one of its rows names its commune
(a person's records through the person, an arrest through its case, a hamlet's commitment through the hamlet).
Households and pledges are not: the dashboards read them only through the tallies (progress.tallies), whose rows the
household and pledge triggers write, so a household edit that changes no figure (a head's name) keeps the stamp. A
district's rename raises its communes' stamps; a programme, criterion or group edited in the admin raises every
commune's. An update raises the stamps of the commune before and after (a person who moves changes both).

As in 0004 and 0010: statement-level triggers over transition tables on PostgreSQL (a bulk update of a thousand
rows raises each commune's stamp once, in commune order, so two transactions cannot deadlock), row-level triggers on
SQLite. A stamp is a random number drawn at each write (see _raise). The SQL is written out here (not imported from the app) so that this migration keeps meaning what it meant.
"""

from django.db import migrations

STAMPS = "progress_figurestamp"


def scalar(expression):
    """A source whose row names one commune (or none: NULL)."""

    def ids(row, rows):
        source = f" FROM {rows} AS {row}" if rows else ""
        return f"SELECT {expression.format(r=row)} AS c{source}"

    return ids


def _district(row, rows):
    source = f"{rows} AS {row}, " if rows else ""
    return f"SELECT d.id AS c FROM {source}communes_commune AS d WHERE d.district_id = {row}.id"


def _every(row, rows):
    # On PostgreSQL a statement that touched no row raises nothing.
    return "SELECT id AS c FROM communes_commune" + (f" WHERE EXISTS (SELECT 1 FROM {rows})" if rows else "")


COMMUNE = scalar("{r}.commune_id")
PERSON = scalar("(SELECT p.commune_id FROM residents_person AS p WHERE p.id = {r}.person_id)")
HAMLET = scalar("(SELECT h.commune_id FROM communes_hamlet AS h WHERE h.id = {r}.hamlet_id)")
CASE = scalar("(SELECT k.commune_id FROM residents_drugcase AS k WHERE k.id = {r}.case_id)")

SOURCES = {
    # People and their records (the person metrics, missed users, suspects tested, post-rehab decisions).
    "residents_person": COMMUNE,
    "residents_suspicion": PERSON,
    "residents_drugtest": PERSON,
    "residents_usermanagement": PERSON,
    "residents_treatment": PERSON,
    "residents_postrehabmanagement": PERSON,
    "residents_managementstop": PERSON,
    # Incidents, cases and arrests (QĐ 28's arrested share by the case's hamlet).
    "residents_incident": COMMUNE,
    "residents_drugcase": COMMUNE,
    "residents_arrestedsuspect": CASE,
    # The commune's places, bodies and plans.
    "communes_commune": scalar("{r}.id"),
    "communes_district": _district,
    "communes_hamlet": COMMUNE,
    "communes_hotspot": COMMUNE,
    "communes_drugplanteradication": COMMUNE,
    "communes_traffickingroute": COMMUNE,
    "communes_steeringcommittee": COMMUNE,
    "communes_programmeplan": COMMUNE,
    "pledges_preventionmodel": COMMUNE,
    "pledges_hamletcommitment": HAMLET,
    # Households and pledges, through the tallies their own triggers keep.
    "progress_householdtally": COMMUNE,
    "progress_pledgetally": COMMUNE,
    "progress_hamlettally": HAMLET,
    "progress_hamletpledgetally": HAMLET,
    # The history, and the criteria themselves.
    "progress_communesnapshot": COMMUNE,
    "progress_programme": _every,
    "progress_criterion": _every,
    "progress_criteriongroup": _every,
}


def _raise(table, parts, *, postgresql):
    """INSERT … ON CONFLICT that draws a new stamp for each commune the rows name, once each."""
    source = SOURCES[table]
    union = " UNION ".join(source(row, rows) for row, rows in parts)
    # A random number rather than a count: a database restored from a dump, or a transaction rolled back, must not
    # bring back a stamp that a process may have kept figures under for other data (a count would go 10, 11 again).
    stamp = "floor(random() * 9.2e18)::bigint" if postgresql else "random()"
    order = " GROUP BY c ORDER BY c" if postgresql else ""
    return (
        f"INSERT INTO {STAMPS} (commune_id, version) SELECT c, {stamp} FROM ({union}) AS ids WHERE c IS NOT NULL"
        f"{order} ON CONFLICT (commune_id) DO UPDATE SET version = EXCLUDED.version"
    )


# --- PostgreSQL -----------------------------------------------------------------------------------------------------
def _postgresql():
    create, drop = [], []
    referencing = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }
    for table in SOURCES:
        function = f"progress_stamp_{table}"
        body = (
            f"IF TG_OP = 'INSERT' THEN {_raise(table, [('r', 'new_rows')], postgresql=True)}; "
            f"ELSIF TG_OP = 'DELETE' THEN {_raise(table, [('r', 'old_rows')], postgresql=True)}; "
            f"ELSE {_raise(table, [('r', 'new_rows'), ('r', 'old_rows')], postgresql=True)}; END IF;"
        )
        create.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "
            "RETURN NULL; END $$"
        )
        for event in ("INSERT", "UPDATE", "DELETE"):
            create.append(
                f"CREATE TRIGGER {function}_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {referencing[event]} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
        drop.append(f"DROP FUNCTION IF EXISTS {function}() CASCADE")
    return create, drop


# --- SQLite ---------------------------------------------------------------------------------------------------------
def _sqlite():
    create, drop = [], []
    rows = {"INSERT": ["NEW"], "UPDATE": ["NEW", "OLD"], "DELETE": ["OLD"]}
    for table in SOURCES:
        for event, refs in rows.items():
            trigger = f"progress_stamp_{table}_{event.lower()}"
            statement = _raise(table, [(ref, None) for ref in refs], postgresql=False)
            create.append(f"CREATE TRIGGER {trigger} AFTER {event} ON {table} BEGIN {statement}; END")
            drop.append(f"DROP TRIGGER IF EXISTS {trigger}")
    return create, drop


def _statements(schema_editor):
    vendor = schema_editor.connection.vendor
    build = {"postgresql": _postgresql, "sqlite": _sqlite}.get(vendor)
    if build is None:
        raise NotImplementedError(f"figure stamp triggers are written for PostgreSQL and SQLite, not {vendor}")
    return build()


def install(apps, schema_editor):
    create, _drop = _statements(schema_editor)
    for statement in create:
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    _create, drop = _statements(schema_editor)
    for statement in drop:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    # After every migration of the tables it watches: SQLite drops a table's triggers when a migration rebuilds it
    # (tests/progress/test_figure_stamps.py checks that every trigger is there).
    dependencies = [
        ("progress", "0011_figure_stamps"),
        ("communes", "0006_search_keys_labelled"),
        ("residents", "0018_search_words_on_postgresql"),
        ("pledges", "0007_constraints_in_words"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
