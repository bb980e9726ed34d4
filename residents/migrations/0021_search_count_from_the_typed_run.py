"""The province-wide search's count, on PostgreSQL only (SQLite searches as before).

The search page counts at most 1,000 matches and shows one page of 25 people (10 households). Until now it asked
`residents_person_matches` and `residents_household_matches` for the first 1,001 matches in the page's order, which
are both the count and the page. When the typed words each start many words ("tran thi h", "nguyen van t", "ha
van"), their matches are scattered through the whole name order (and households, in the order of their codes, are
scattered by construction), so the first 1,001 in order cost 15,000–100,000 list rows. The page needs only the first
`page × 25 + 1` of them in order, which the same functions find far sooner; the count needs only to know whether
there are more than 1,000, in any order.

Any 1,001 matches will do, and the names that start with the typed words as typed ("Trần Thị Hà …" for "tran thi
h") are matches by construction and one run of the name order. `residents_person_some_matches(tokens, communes,
at_most)` reads that run from the person word table (the first typed word's own list, from the typed text on: index
only) and `residents_household_some_matches` from a new B-tree of the households' head names, up to the first name
past the typed text (its last character's successor) and at most four times `at_most` rows (so that a reviewer of a
quarter of the province still finds them), each checked against the search's own rule (every typed word starts a
word: `' ' || key LIKE '% word%'`, wildcards escaped) and the scope, as the walks do. They return the ids of
`at_most` distinct matches, or NULL when the run holds fewer (a first typed word that is only a prefix, "lo thi hoa"
whose run holds 539 of its 1,677 people, every search of fewer matches): then the page asks for the first 1,001 in
order, as before, and they are both its count and its page. Correctness does not depend on the run: every id
returned is a match (checked row by row, each row a distinct person or household), so "at_most of them" is exactly
"more than the page counts"; the collation only decides how many of the run's rows are matches.
"""

from django.db import migrations

HEAD_NAME_INDEX = "household_head_name_key_idx"

SOME_MATCHES = r"""
CREATE OR REPLACE FUNCTION residents_{name}_some_matches(tokens text[], communes bigint[], at_most integer)
RETURNS bigint[] LANGUAGE sql STABLE AS $fn$
    SELECT CASE WHEN count(*) = at_most THEN array_agg(m.id) END
      FROM (SELECT r.id
              FROM ({run}
                     LIMIT 4 * at_most) AS r
             WHERE (' ' || r.key) LIKE ALL (ARRAY(
                       SELECT '% ' || replace(replace(replace(t, '\', '\\'), '%', '\%'), '_', '\_') || '%'
                         FROM unnest(tokens) AS t))
               AND r.commune_id = ANY (communes)
             LIMIT at_most) AS m
$fn$
"""

# The typed text, and the first text past every name that starts with it (its last character's successor): the
# bounds of the typed run in the name order.
TYPED = "array_to_string(tokens, ' ')"
PAST_TYPED = f"left({TYPED}, -1) || chr(ascii(right({TYPED}, 1)) + 1)"

RUNS = {
    # The first typed word's own list in the word table, from the typed text on (its rows carry the name key and the
    # commune: read from the index alone).
    "person": """SELECT w.person_id AS id, w.name_key AS key, w.commune_id
                      FROM residents_person_word AS w
                     WHERE w.word = tokens[1]
                       AND w.name_key >= {typed}
                       AND w.name_key < {past_typed}
                     ORDER BY w.word, w.name_key, w.person_id""",
    # The households by their head's name, from the typed text on (HEAD_NAME_INDEX).
    "household": """SELECT h.id, h.head_name_key AS key, h.commune_id
                      FROM residents_household AS h
                     WHERE h.head_name_key >= {typed}
                       AND h.head_name_key < {past_typed}
                     ORDER BY h.head_name_key, h.id""",
}


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {HEAD_NAME_INDEX} ON residents_household (head_name_key, id) INCLUDE (commune_id)",
        params=None,
    )
    for name, run in RUNS.items():
        run = run.format(typed=TYPED, past_typed=PAST_TYPED)
        schema_editor.execute(SOME_MATCHES.format(name=name, run=run), params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in RUNS:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS residents_{name}_some_matches", params=None)
    schema_editor.execute(f"DROP INDEX IF EXISTS {HEAD_NAME_INDEX}", params=None)


class Migration(migrations.Migration):
    dependencies = [("residents", "0020_search_walks_by_combination")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
