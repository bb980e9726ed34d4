"""Word tables for the province-wide search, on PostgreSQL only (SQLite searches as before, without them).

Each person (and each household, by its head's name) has one row per distinct word of its search key in a word
table, kept by triggers over every write (forms, services, bulk updates, deletes, the import's COPY, TRUNCATE):

    residents_person_word     (word, name_key, person_id, commune_id)           B-tree (word, name_key, person_id)
    residents_household_word  (word, code, household_id, commune_id, head_name_key)   B-tree (word, code, household_id)

So each word's rows are a list already in the order the search page shows (people by name key, households by code),
and `residents_person_matches(tokens, communes, at_most)` (and `residents_household_matches`) return the ids of the
first `at_most` matches in that order, walking those lists instead of every match:

1. each typed word is expanded to the words of the table that start with it (`word` is COLLATE "C", so the words
   with a prefix are one range of the index, read one distinct word at a time);
2. the typed word whose words are the fewest rows (the planner's statistics of the word column, else the fewest
   words) is the driving list, read in order in segments (64 rows, doubling while they hold matches); every row is
   checked against every typed word on its key (`' ' || key LIKE '% word%'`, the search's own rule) and the scope;
3. a segment without a match makes the walk jump: to the furthest of the next rows, after the current position, of
   every typed word's lists (no match can come before it). Names sort by surname, then middle name: "le thi" matches
   nobody among the 300,000 "le a…" to "le th…" names, and one jump crosses them.

The words are in the table's own collation "C" (the expansion is a byte range); the name key and code keep the
database's collation, so each list's order is the page's order. Triggers and functions are written out here so that
this migration keeps meaning what it meant. `residents_search_words_refill()` fills both tables afresh from the
records (the first fill below, a data set loaded with triggers off).

The trigram indexes of migration 0017 served the search across communes that these tables replace: dropped, which
also spares every write of a name their upkeep.
"""

from django.db import migrations

# (word table, source table, sort column, id column, key column, the source columns copied)
TABLES = {
    "person": ("residents_person_word", "residents_person", "name_key", "person_id", "name_key",
               "name_key, commune_id"),
    "household": ("residents_household_word", "residents_household", "code", "household_id", "head_name_key",
                  "code, commune_id, head_name_key"),
}  # fmt: skip

CREATE_TABLES = [
    """CREATE TABLE residents_person_word (
           word text COLLATE "C" NOT NULL, name_key text NOT NULL, person_id bigint NOT NULL,
           commune_id bigint NOT NULL)""",
    """CREATE INDEX residents_person_word_list ON residents_person_word (word, name_key, person_id)
           INCLUDE (commune_id)""",
    """CREATE TABLE residents_household_word (
           word text COLLATE "C" NOT NULL, code text NOT NULL, household_id bigint NOT NULL,
           commune_id bigint NOT NULL, head_name_key text NOT NULL)""",
    """CREATE INDEX residents_household_word_list ON residents_household_word (word, code, household_id)
           INCLUDE (commune_id, head_name_key)""",
]

TRIGRAM_INDEXES = {
    "person_name_words_trgm_idx": "residents_person USING gin ((' ' || name_key) gin_trgm_ops)",
    "household_head_words_trgm_idx": "residents_household USING gin ((' ' || head_name_key) gin_trgm_ops)",
}


def _insert(name: str, rows: str, *, ordered: bool = False) -> str:
    """INSERT the word rows of `rows` (a transition table, a subquery or the source table itself)."""
    table, source, sort, id_column, key, copied = TABLES[name]
    columns = ", ".join(f"r.{c.strip()}" for c in copied.split(","))
    return (
        f"INSERT INTO {table} (word, {copied}, {id_column}) "
        f"SELECT DISTINCT w.word, {columns}, r.id FROM {rows} r, unnest(string_to_array(r.{key}, ' ')) AS w(word) "
        f"WHERE w.word <> ''"
        # In the list index's order: a B-tree filled in order is written once, leaf after leaf.
        + (f" ORDER BY w.word, r.{sort}, r.id" if ordered else "")
    )


def _delete(name: str, rows: str) -> str:
    """Delete the word rows of `rows` through the list index: each of their words, with their sort value and id."""
    table, source, sort, id_column, key, copied = TABLES[name]
    return (
        f"DELETE FROM {table} t USING {rows} r, unnest(string_to_array(r.{key}, ' ')) AS w(word) "
        f"WHERE t.word = w.word AND t.{sort} = r.{sort} AND t.{id_column} = r.id"
    )


def _changed(name: str) -> str:
    """The updated rows whose word rows change: a new key, sort value or commune."""
    copied = TABLES[name][5]
    old = ", ".join(f"o.{c.strip()}" for c in copied.split(","))
    new = ", ".join(f"n.{c.strip()}" for c in copied.split(","))
    return f"({old}) IS DISTINCT FROM ({new})"


def _triggers(name: str) -> list[str]:
    table, source, *_ = TABLES[name]
    function = f"residents_{name}_words"
    changed = _changed(name)
    old_changed = f"(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed})"
    new_changed = f"(SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed})"
    body = (
        f"IF TG_OP = 'INSERT' THEN {_insert(name, 'new_rows')}; "
        f"ELSIF TG_OP = 'DELETE' THEN {_delete(name, 'old_rows')}; "
        f"ELSIF TG_OP = 'UPDATE' THEN {_delete(name, old_changed)}; {_insert(name, new_changed)}; "
        f"ELSE TRUNCATE {table}; END IF; RETURN NULL;"
    )
    statements = [f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$"]
    for event, referencing in (
        ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
        ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
        ("TRUNCATE", ""),
    ):
        statements.append(
            f"CREATE TRIGGER {function}_{event.lower()} AFTER {event} ON {source} {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    return statements


REFILL = "CREATE FUNCTION residents_search_words_refill() RETURNS void LANGUAGE plpgsql AS $$ BEGIN {body} END $$"


def _refill() -> str:
    body = []
    for name, (table, source, sort, id_column, *_) in TABLES.items():
        body.append(f"TRUNCATE {table}")
        body.append(_insert(name, source, ordered=True))
    return REFILL.format(body="; ".join(body) + ";")


# The matches of typed words, in the page's order: see the module's docstring. {table}: the word table, {sort} its
# sort column, {id} its id column, {key} the search key checked.
MATCHES = r"""
CREATE FUNCTION residents_{name}_matches(tokens text[], communes bigint[], at_most integer)
RETURNS bigint[] LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    n_tokens integer := coalesce(array_length(tokens, 1), 0);
    patterns text[];
    words text[] := '{{}}';       -- every typed word's words, one after another
    owner integer[] := '{{}}';    -- the typed word each of them expands
    sizes float8[] := '{{}}';     -- each typed word's estimated rows
    counts integer[] := '{{}}';   -- each typed word's number of words
    driving integer := 1;
    driving_words text[];
    mcv text[];
    freqs real[];
    rare float8 := 1;
    w text;
    j integer;
    i integer;
    matched bigint[] := '{{}}';
    got integer := 0;
    p_sort text := '';
    p_id bigint := -9223372036854775807;
    t_sort text;
    t_id bigint;
    n_sort text;
    n_id bigint;
    s_sort text;
    s_id bigint;
    seen boolean;
    r integer := 64;
    n bigint;
    hits integer;
    rec record;
BEGIN
    IF n_tokens = 0 OR at_most < 1 THEN
        RETURN matched;
    END IF;
    SELECT array_agg('% ' || replace(replace(replace(t, '\', '\\'), '%', '\%'), '_', '\_') || '%')
      INTO patterns FROM unnest(tokens) AS t;
    SELECT s.most_common_vals::text::text[], s.most_common_freqs INTO mcv, freqs
      FROM pg_stats s
     WHERE s.schemaname = current_schema() AND s.tablename = '{table}' AND s.attname = 'word';
    IF freqs IS NOT NULL THEN
        rare := freqs[array_length(freqs, 1)] / 2;
    END IF;
    -- 1. Each typed word's words: the table's distinct words that start with it, one index probe each.
    FOR j IN 1 .. n_tokens LOOP
        counts[j] := 0;
        sizes[j] := 0;
        SELECT x.word INTO w FROM {table} x WHERE x.word >= tokens[j] ORDER BY x.word LIMIT 1;
        WHILE w IS NOT NULL AND left(w, length(tokens[j])) = tokens[j] LOOP
            words := words || w;
            owner := owner || j;
            counts[j] := counts[j] + 1;
            i := array_position(mcv, w);
            sizes[j] := sizes[j] + coalesce(freqs[i], rare);
            SELECT x.word INTO w FROM {table} x WHERE x.word > w ORDER BY x.word LIMIT 1;
        END LOOP;
        IF counts[j] = 0 THEN
            RETURN matched;  -- no word starts with it: nothing matches
        END IF;
        IF sizes[j] < sizes[driving] OR (sizes[j] = sizes[driving] AND counts[j] < counts[driving]) THEN
            driving := j;
        END IF;
    END LOOP;
    SELECT array_agg(words[g.k]) INTO driving_words FROM generate_subscripts(words, 1) AS g(k) WHERE owner[g.k] = driving;
    -- 2. The driving list in segments, each row checked against every typed word and the scope.
    LOOP
        n := 0;
        hits := 0;
        FOR rec IN
            SELECT m.sort, m.id, m.ok, m.n FROM (
                SELECT s.*, row_number() OVER (ORDER BY s.sort, s.id) AS k, count(*) OVER () AS n,
                       ((' ' || s.key) LIKE ALL (patterns)
                        AND (communes IS NULL OR s.commune_id = ANY (communes))) AS ok
                  FROM (SELECT x.sort, x.id, x.key, x.commune_id
                          FROM unnest(driving_words) AS d(word)
                         CROSS JOIN LATERAL (
                               SELECT y.{sort} AS sort, y.{id} AS id, y.{key} AS key, y.commune_id
                                 FROM {table} y
                                WHERE y.word = d.word AND (y.{sort}, y.{id}) > (p_sort, p_id)
                                ORDER BY y.{sort}, y.{id} LIMIT r) AS x
                         ORDER BY x.sort, x.id LIMIT r) AS s
            ) AS m
            WHERE m.ok OR m.k = m.n
            ORDER BY m.sort, m.id
        LOOP
            n := rec.n;
            IF rec.ok AND (got = 0 OR matched[got] <> rec.id) THEN
                got := got + 1;
                matched[got] := rec.id;
                hits := hits + 1;
                IF got >= at_most THEN
                    RETURN matched;
                END IF;
            END IF;
            p_sort := rec.sort;
            p_id := rec.id;
        END LOOP;
        EXIT WHEN n < r;  -- the driving list is read to its end
        IF hits > 0 THEN
            r := least(r * 2, 4096);
            CONTINUE;
        END IF;
        -- 3. No match in the segment: jump to the furthest of every other typed word's next rows.
        t_sort := p_sort;
        t_id := p_id;
        FOR j IN 1 .. n_tokens LOOP
            CONTINUE WHEN j = driving OR counts[j] > 64;
            seen := false;
            FOR i IN 1 .. array_length(words, 1) LOOP
                CONTINUE WHEN owner[i] <> j;
                SELECT y.{sort}, y.{id} INTO n_sort, n_id FROM {table} y
                 WHERE y.word = words[i] AND (y.{sort}, y.{id}) > (p_sort, p_id)
                 ORDER BY y.{sort}, y.{id} LIMIT 1;
                IF FOUND AND (NOT seen OR (n_sort, n_id) < (s_sort, s_id)) THEN
                    s_sort := n_sort;
                    s_id := n_id;
                    seen := true;
                END IF;
            END LOOP;
            IF NOT seen THEN
                RETURN matched;  -- this typed word has no row left: nothing further can match
            END IF;
            IF (s_sort, s_id) > (t_sort, t_id) THEN
                t_sort := s_sort;
                t_id := s_id;
            END IF;
        END LOOP;
        IF (t_sort, t_id) > (p_sort, p_id) THEN
            p_sort := t_sort;
            p_id := t_id - 1;  -- the next segment starts at the target itself
            r := 64;
        ELSE
            r := least(r * 2, 4096);  -- nowhere to jump (one typed word, or the scope alone rejects): read on
        END IF;
    END LOOP;
    RETURN matched;
END
$fn$
"""


def _matches(name: str) -> str:
    table, source, sort, id_column, key, copied = TABLES[name]
    return MATCHES.format(name=name, table=table, sort=sort, id=id_column, key=key)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = [*CREATE_TABLES]
    for name in TABLES:
        statements += _triggers(name)
        statements.append(_matches(name))
    statements.append(_refill())
    statements.append("SELECT residents_search_words_refill()")
    statements += [f"DROP INDEX IF EXISTS {index}" for index in TRIGRAM_INDEXES]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = [f"CREATE INDEX IF NOT EXISTS {index} ON {spec}" for index, spec in TRIGRAM_INDEXES.items()]
    statements.append("DROP FUNCTION IF EXISTS residents_search_words_refill()")
    for name, (table, *_) in TABLES.items():
        statements.append(f"DROP FUNCTION IF EXISTS residents_{name}_matches(text[], bigint[], integer)")
        statements.append(f"DROP FUNCTION IF EXISTS residents_{name}_words() CASCADE")
        statements.append(f"DROP TABLE IF EXISTS {table}")
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("residents", "0017_search_indexes_on_postgresql")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
