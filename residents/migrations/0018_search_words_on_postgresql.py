"""Word tables for the province-wide search, on PostgreSQL only (SQLite searches as before, without them).

Each person (and each household, by its head's name) has one row per distinct word of its search key in a word
table, kept by triggers over every write (forms, services, bulk updates, deletes, the import's COPY, TRUNCATE):

    residents_person_word     (word, name_key, person_id, commune_id)           B-tree (word, name_key, person_id)
    residents_household_word  (word, code, household_id, commune_id, head_name_key)   B-tree (word, code, household_id)

So each word's rows are a list already in the order the search page shows (people by name key, households by code),
and `residents_person_matches(tokens, communes, at_most, NULL)` (and `residents_household_matches(…, typed code)`)
return the ids of the first `at_most` matches in that order, walking those lists instead of every match:

1. each typed word is expanded to the words of the table that start with it (`word` is COLLATE "C", so the words
   with a prefix are one range of the index, read one distinct word at a time): "thi" is "thi" and "thinh";
2. one walk per typed word reads that word's lists merged in order, in segments (64 rows, doubling up to 4,096), and
   checks every row against every typed word on its key (`' ' || key LIKE '% word%'`, the search's own rule) and the
   scope; the walks take turns, one segment each, and the first to have the matches answers (all find the same);
3. a segment of few matches makes a people's walk jump: to the furthest of the other typed words' next rows after
   its position (no match can come before it). Names sort by surname, then middle name: "le thi" matches nobody
   among the 300,000 "le a…" to "le th…" names, and one jump crosses them. Households are in the order of their
   codes, which a jump cannot use: only the walk of the fewest rows (the word column's statistics) reads, and the
   households whose code is the text typed are merged in.

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


# The first matches of typed words, in the page's order: see the module's docstring. {table}: the word table, {sort}
# its sort column, {id} its id column, {key} the search key checked; {jumps}: whether a walk may jump (people's lists
# are in name order, so the names that cannot match come in long runs; households' are in the order of their codes).
MATCHES = r"""
CREATE FUNCTION residents_{name}_matches(tokens text[], communes bigint[], at_most integer, typed_code text)
RETURNS bigint[] LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    n_tokens integer := coalesce(array_length(tokens, 1), 0);
    patterns text[];
    words text[] := '{{}}';       -- every typed word's words, one after another
    owner integer[] := '{{}}';    -- the typed word each of them expands
    counts integer[] := '{{}}';   -- each typed word's number of words
    -- One walk per typed word, each driven by that word's lists; all find the same first matches, and the walks take
    -- turns, one segment each, until one has them: the best walk's cost, times the number of typed words at most.
    p_sort text[] := '{{}}';
    p_id bigint[] := '{{}}';
    size integer[] := '{{}}';     -- its next segment's rows
    got integer[] := '{{}}';
    misses integer[] := '{{}}';   -- its segments without a match since the last one with
    found_by integer[] := '{{}}'; -- the walk that found each of found_id
    found_sort text[] := '{{}}';
    found_id bigint[] := '{{}}';
    winner integer := 0;          -- the walk that has the first matches
    last_id bigint[] := '{{}}';   -- its last match (a name with two words that start with its typed word comes twice)
    w text;
    c integer;
    j integer;
    i integer;
    dw text[];
    n bigint;
    hits integer;
    r integer;
    t_sort text;
    t_id bigint;
    n_sort text;
    n_id bigint;
    s_sort text;
    s_id bigint;
    seen boolean;
    finished boolean;
    fewest integer;
    smallest integer := 1;
    sizes float8[] := '{{}}';     -- each typed word's rows, as the statistics of the word column estimate them
    mcv text[];
    freqs real[];
    rare float8 := 1;
    rec record;
BEGIN
    IF at_most < 1 THEN
        RETURN '{{}}';
    END IF;
    SELECT array_agg('% ' || replace(replace(replace(t, '\', '\\'), '%', '\%'), '_', '\_') || '%')
      INTO patterns FROM unnest(tokens) AS t;
    SELECT s.most_common_vals::text::text[], s.most_common_freqs INTO mcv, freqs
      FROM pg_stats s
     WHERE s.schemaname = current_schema() AND s.tablename = '{table}' AND s.attname = 'word';
    IF freqs IS NOT NULL THEN
        rare := freqs[array_length(freqs, 1)] / 2;  -- a word the statistics do not list is rarer than any they do
    END IF;
    -- Each typed word's words: the table's distinct words that start with it, one index probe each.
    FOR j IN 1 .. n_tokens LOOP
        counts[j] := 0;
        sizes[j] := 0;
        SELECT x.word INTO w FROM {table} x WHERE x.word >= tokens[j] ORDER BY x.word LIMIT 1;
        WHILE w IS NOT NULL AND left(w, length(tokens[j])) = tokens[j] LOOP
            words := words || w;
            owner := owner || j;
            counts[j] := counts[j] + 1;
            sizes[j] := sizes[j] + coalesce(freqs[array_position(mcv, w)], rare);
            SELECT x.word INTO w FROM {table} x WHERE x.word > w ORDER BY x.word LIMIT 1;
        END LOOP;
        IF counts[j] = 0 THEN
            n_tokens := 0;  -- no word starts with it: no name matches
            EXIT;
        END IF;
        p_sort[j] := '';
        p_id[j] := -9223372036854775807;
        size[j] := 64;
        got[j] := 0;
        misses[j] := 0;
        last_id[j] := NULL;
    END LOOP;
    -- A typed word of more than four words (a letter or two, still being typed) drives no walk: its lists are many,
    -- and long. Unless every typed word is such, then the one of fewest words does.
    fewest := 1;
    FOR j IN 1 .. n_tokens LOOP
        IF counts[j] < counts[fewest] THEN
            fewest := j;
        END IF;
    END LOOP;
    smallest := fewest;
    FOR j IN 1 .. n_tokens LOOP
        IF counts[j] <= 4 AND sizes[j] < sizes[smallest] THEN
            smallest := j;
        END IF;
    END LOOP;
    <<walking>>
    WHILE n_tokens > 0 LOOP
        FOR c IN 1 .. n_tokens LOOP
            CONTINUE WHEN counts[c] > 4 AND c <> fewest;
            -- Without jumps (households, in the order of their codes) a walk reads its lists to the matches it
            -- needs whatever the others do: only the one of fewest rows walks.
            CONTINUE WHEN NOT {jumps} AND c <> smallest;
            SELECT array_agg(words[g.k] ORDER BY g.k) INTO dw FROM generate_subscripts(words, 1) AS g(k)
             WHERE owner[g.k] = c;
            r := size[c];
            n := 0;
            hits := 0;
            -- The next r rows of this walk's lists (merged in order), each checked against every typed word and
            -- the scope. Up to four words: a merge of their lists; more: the first r of each, sorted.
            FOR rec IN
                SELECT m.sort, m.id, m.ok, m.k = r AS full FROM (
                    SELECT s.*, row_number() OVER (ORDER BY s.sort, s.id) AS k,
                           ((' ' || s.key) LIKE ALL (patterns)
                            AND (communes IS NULL OR s.commune_id = ANY (communes))) AS ok
                      FROM (
                        SELECT u.* FROM (
{merged}
                            UNION ALL
                            (SELECT x.sort, x.id, x.key, x.commune_id
                               FROM unnest(dw) AS d(word)
                              CROSS JOIN LATERAL (
                                    SELECT y.{sort} AS sort, y.{id} AS id, y.{key} AS key, y.commune_id FROM {table} y
                                     WHERE y.word = d.word AND (y.{sort}, y.{id}) > (p_sort[c], p_id[c])
                                     ORDER BY y.{sort}, y.{id} LIMIT r) AS x
                              WHERE cardinality(dw) > 4
                              ORDER BY x.sort, x.id)
                        ) AS u
                        ORDER BY u.sort, u.id LIMIT r
                      ) AS s
                ) AS m
                WHERE m.ok OR m.k = r
                ORDER BY m.sort, m.id
            LOOP
                IF rec.full THEN
                    n := r;
                END IF;
                IF rec.ok AND rec.id IS DISTINCT FROM last_id[c] THEN
                    got[c] := got[c] + 1;
                    found_by := found_by || c;
                    found_sort := found_sort || rec.sort;
                    found_id := found_id || rec.id;
                    last_id[c] := rec.id;
                    hits := hits + 1;
                    IF got[c] >= at_most THEN
                        EXIT;
                    END IF;
                END IF;
                p_sort[c] := rec.sort;
                p_id[c] := rec.id;
            END LOOP;
            finished := got[c] >= at_most OR n < r;  -- enough, or its lists are read to their end
            misses[c] := CASE WHEN hits = 0 THEN misses[c] + 1 ELSE 0 END;
            IF NOT finished THEN
                size[c] := least(r * 2, 4096);
                IF {jumps} AND hits * 8 < n THEN
                    -- Few matches here: jump to the furthest of the other typed words' next rows, if it is
                    -- further than this walk's next row (no match comes before it).
                    t_sort := p_sort[c];
                    t_id := p_id[c];
                    FOR j IN 1 .. n_tokens LOOP
                        CONTINUE WHEN j = c OR counts[j] > 16;
                        seen := false;
                        FOR i IN 1 .. array_length(words, 1) LOOP
                            CONTINUE WHEN owner[i] <> j;
                            SELECT y.{sort}, y.{id} INTO n_sort, n_id FROM {table} y
                             WHERE y.word = words[i] AND (y.{sort}, y.{id}) > (p_sort[c], p_id[c])
                             ORDER BY y.{sort}, y.{id} LIMIT 1;
                            IF FOUND AND (NOT seen OR (n_sort, n_id) < (s_sort, s_id)) THEN
                                s_sort := n_sort;
                                s_id := n_id;
                                seen := true;
                            END IF;
                        END LOOP;
                        IF NOT seen THEN
                            finished := true;  -- this typed word has no row left: nothing further can match
                            EXIT;
                        END IF;
                        IF (s_sort, s_id) > (t_sort, t_id) THEN
                            t_sort := s_sort;
                            t_id := s_id;
                        END IF;
                    END LOOP;
                    IF NOT finished AND (t_sort, t_id) > (p_sort[c], p_id[c]) THEN
                        p_sort[c] := t_sort;
                        p_id[c] := t_id - 1;  -- the next segment starts at the target itself
                        -- A small segment there, unless jumps keep landing among names that do not match.
                        size[c] := 64 << least(misses[c], 6);
                    END IF;
                END IF;
            END IF;
            IF finished THEN
                winner := c;
                EXIT walking;
            END IF;
        END LOOP;
    END LOOP;
    IF typed_code IS NULL THEN
        RETURN ARRAY(SELECT f.id FROM unnest(found_by, found_id) AS f(walk, id) WHERE f.walk = winner);
    END IF;
    -- And those whose code is the text typed (any case), in the same order.
    RETURN ARRAY(
        SELECT u.id FROM (
            SELECT f.sort, f.id FROM unnest(found_by, found_sort, found_id) AS f(walk, sort, id) WHERE f.walk = winner
            UNION
            {code_matches}
        ) AS u
        ORDER BY u.sort, u.id LIMIT at_most);
END
$fn$
"""


# Households are also found by their code, typed in any case (the upper(code) index of migration 0017).
CODE_MATCHES = {
    "person": "SELECT NULL, NULL WHERE false",
    "household": "SELECT h.code, h.id FROM residents_household h "
    "WHERE upper(h.code) = upper(typed_code) AND (communes IS NULL OR h.commune_id = ANY (communes))",
}


# A walk's lists merged in order: one ordered index scan per word (PostgreSQL merges them for the LIMIT).
MERGED = """(SELECT y.{sort} AS sort, y.{id} AS id, y.{key} AS key, y.commune_id FROM {table} y
  WHERE cardinality(dw) <= 4 AND y.word = dw[{n}] AND (y.{sort}, y.{id}) > (p_sort[c], p_id[c])
  ORDER BY y.{sort}, y.{id})"""


def _matches(name: str) -> list[str]:
    table, source, sort, id_column, key, copied = TABLES[name]
    jumps = "true" if name == "person" else "false"
    names = {"name": name, "table": table, "sort": sort, "id": id_column, "key": key, "jumps": jumps}
    merged = " UNION ALL ".join(MERGED.format(**names, n=n) for n in range(1, 5))
    return [MATCHES.format(**names, code_matches=CODE_MATCHES[name], merged=merged)]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = [*CREATE_TABLES]
    for name in TABLES:
        statements += _triggers(name)
        statements += _matches(name)
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
        statements.append(f"DROP FUNCTION IF EXISTS residents_{name}_matches(text[], bigint[], integer, text)")
        statements.append(f"DROP FUNCTION IF EXISTS residents_{name}_words() CASCADE")
        statements.append(f"DROP TABLE IF EXISTS {table}")
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("residents", "0017_search_indexes_on_postgresql")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
