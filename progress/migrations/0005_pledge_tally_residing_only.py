"""PledgeTally counts only the pledges of residing households, so that the pledge criterion reads both of its
figures from the tallies: subtracting the pledges of the households that left cost the province dashboard one index
probe per such pledge on every request.

The pledge triggers of 0004 are rebuilt with the household's status in their condition, and a new trigger on the
household table moves a household's pledges in or out of the count when it stops or starts residing. Built with
0004's SQL helpers (that migration's code never changes).
"""

from importlib import import_module

from django.db import migrations

previous = import_module("progress.migrations.0004_tally_triggers")

RESIDING_HOUSEHOLD = (
    "EXISTS (SELECT 1 FROM residents_household AS h WHERE h.id = {row}.household_id AND h.status = 'residing')"
)
# As 0004's TALLIES["pledges"], with the household's status in the condition.
PLEDGES = {
    **previous.TALLIES,
    "pledges": previous.TALLIES["pledges"][:4] + (RESIDING_HOUSEHOLD, "commune_id, year, household_id"),
}
OLD_PLEDGES = previous.TALLIES

TRIGGER = "progress_tally_pledges_of_households"
STARTS_OR_STOPS_RESIDING = "(n.status = 'residing') <> (o.status = 'residing')"


def _household_trigger_postgresql():
    delta = (
        "SELECT p.commune_id, p.year, sum(CASE WHEN n.status = 'residing' THEN 1 ELSE -1 END) "
        "FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id JOIN pledges_householdpledge AS p ON p.household_id = n.id "
        f"WHERE {STARTS_OR_STOPS_RESIDING} GROUP BY p.commune_id, p.year "
        "HAVING sum(CASE WHEN n.status = 'residing' THEN 1 ELSE -1 END) <> 0 ORDER BY p.commune_id, p.year"
    )
    upsert = previous._upsert("progress_pledgetally", "pledges", "commune_id, year", delta)
    return [
        f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {upsert}; RETURN NULL; "
        "END $$",
        f"CREATE TRIGGER {TRIGGER}_update AFTER UPDATE ON residents_household REFERENCING OLD TABLE AS old_rows "
        f"NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()",
    ], [f"DROP FUNCTION IF EXISTS {TRIGGER}() CASCADE"]


def _household_trigger_sqlite():
    same_key = "p.commune_id = progress_pledgetally.commune_id AND p.year = progress_pledgetally.year"
    remove = (
        "UPDATE progress_pledgetally SET pledges = pledges - (SELECT count(*) FROM pledges_householdpledge AS p "
        f"WHERE p.household_id = OLD.id AND {same_key}) WHERE OLD.status = 'residing' AND EXISTS (SELECT 1 FROM "
        f"pledges_householdpledge AS p WHERE p.household_id = OLD.id AND {same_key})"
    )
    add = previous._upsert(
        "progress_pledgetally",
        "pledges",
        "commune_id, year",
        "SELECT commune_id, year, count(*) FROM pledges_householdpledge WHERE household_id = NEW.id "
        "AND NEW.status = 'residing' GROUP BY commune_id, year",
        alias=None,
    )
    return [
        f"CREATE TRIGGER {TRIGGER}_update AFTER UPDATE OF status ON residents_household "
        f"WHEN (OLD.status = 'residing') <> (NEW.status = 'residing') BEGIN {remove}; {add}; END"
    ], [f"DROP TRIGGER IF EXISTS {TRIGGER}_update"]


def _rebuild(schema_editor, tallies):
    """Replace the pledge triggers by those of `tallies`, and count the pledge tally again."""
    vendor = schema_editor.connection.vendor
    build = {"postgresql": previous._postgresql, "sqlite": previous._sqlite}[vendor]
    create, drop = build("pledges", tallies["pledges"])
    for statement in [*drop, *create]:
        schema_editor.execute(statement, params=None)
    tally, column, source, keys, counts, _ = tallies["pledges"]
    schema_editor.execute(f"DELETE FROM {tally}", params=None)
    schema_editor.execute(
        f"INSERT INTO {tally} ({keys}, {column}) SELECT {keys}, count(*) FROM {source} "
        f"WHERE {counts.format(row=source)} GROUP BY {keys}",
        params=None,
    )


def _household_trigger(schema_editor):
    vendor = schema_editor.connection.vendor
    return {"postgresql": _household_trigger_postgresql, "sqlite": _household_trigger_sqlite}[vendor]()


def install(apps, schema_editor):
    _rebuild(schema_editor, PLEDGES)
    create, _drop = _household_trigger(schema_editor)
    for statement in create:
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    _create, drop = _household_trigger(schema_editor)
    for statement in drop:
        schema_editor.execute(statement, params=None)
    _rebuild(schema_editor, OLD_PLEDGES)


class Migration(migrations.Migration):
    dependencies = [("progress", "0004_tally_triggers")]

    operations = [migrations.RunPython(install, uninstall)]
