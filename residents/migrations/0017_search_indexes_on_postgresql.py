"""Indexes for the province-wide search, on PostgreSQL only (SQLite searches as before, without them).

- A name word that starts with a typed word: `(' ' || key) LIKE '% word%'` (drugfree.db.WordStarts), served by a
  pg_trgm GIN index of that same expression. The space in front makes the start of the key a word start like any
  other, and gives the trigram index the word-start trigrams (" an") that a two-letter word needs.
- A CCCD or household code by its last digits: `reverse(x) LIKE 'reversed digits%'` (drugfree.db.HasSuffix), served
  by a text_pattern_ops B-tree of reverse(x), a range scan.
- A household code typed in any case: `upper(code) = upper(typed)`, Django's iexact, served by a B-tree of upper(code).

The query planner uses an expression index only when the query spells the same expression, so drugfree.db writes
these expressions exactly so. pg_trgm is a trusted extension (PostgreSQL 13 and later): a database owner may create
it without being a superuser.
"""

from django.db import migrations

INDEXES = {
    "person_name_words_trgm_idx": "residents_person USING gin ((' ' || name_key) gin_trgm_ops)",
    "person_cccd_reversed_idx": "residents_person (reverse(cccd) text_pattern_ops)",
    "household_head_words_trgm_idx": "residents_household USING gin ((' ' || head_name_key) gin_trgm_ops)",
    "household_head_cccd_reversed_idx": "residents_household (reverse(head_cccd) text_pattern_ops)",
    "household_code_reversed_idx": "residents_household (reverse(code) text_pattern_ops)",
    "household_code_upper_idx": "residents_household (upper(code))",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("residents", "0016_import_run_moved_to_imports")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
