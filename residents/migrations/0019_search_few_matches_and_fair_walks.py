"""The province-wide search's hardest queries, on PostgreSQL only (SQLite searches as before).

Migration 0018's `residents_person_matches` and `residents_household_matches` walk the word tables' lists in the
page's order. Two things made typed words that each start common words ("tran thi h", "lo thi hoa", "pham minh
tuan") cost 5 to 20 times a common surname:

1. **Few matches, long lists.** When the typed words together match few records, a walk reads its whole list (or
   many thousands of rows of it) to learn that there are no more: households, in the order of their codes, can never
   jump. Now a GIN index of each record's words (`string_to_array(key, ' ')`, one posting list per word) answers
   those: each typed word is the OR of its words' lists (`&&`), the typed words are ANDed, and GIN skips through the
   common words' lists by the rarest's, so it reads about the rarest typed word's lists and then the matching rows
   only, which it sorts. The functions take that path when the word column's statistics expect at most five times
   `at_most` matches (every typed word's share of the records multiplied, as the planner does), and keep its answer
   when it found at most that many (the statistics take words as independent; "van" and men's given names are not):
   else the walks answer, since a walk stops at the first `at_most` matches while the index reads every match's row.
   Without statistics (a table never analysed) the walks run, as before.
2. **Turns by segment, not by rows.** The walks took turns one segment each, and a walk whose jumps land nearby
   keeps small segments while another's grow to 4,096 rows: the winner of "tran thi h" read 13,000 list rows while
   the loser read 50,000. Now the walk that has read the fewest rows per match found goes next (its rows, plus 64 for
   each segment's own cost, over the square root of one plus its matches): one that finds nothing yet is not starved,
   and one that is finding its matches is let on ("tran thi h" 14,000 rows in all instead of 62,000).

Both paths return the same ids in the same order (every typed word starts a word of the key, in the scope, in the
page's order; the walk's own check `' ' || key LIKE '% word%'` is applied on either path).
"""

import importlib

from django.db import migrations

# Migration 0018's tables, trigger-kept word tables and the parts of its functions that stay as they were.
WORDS = importlib.import_module("residents.migrations.0018_search_words_on_postgresql")

GIN_INDEXES = {
    "person_name_words_gin_idx": "residents_person USING gin (string_to_array(name_key::text, ' '))",
    "household_head_words_gin_idx": "residents_household USING gin (string_to_array(head_name_key::text, ' '))",
}

# {source}: the records' table (whose GIN index serves few matches); the rest as migration 0018's MATCHES.
MATCHES = r"""
CREATE OR REPLACE FUNCTION residents_{name}_matches(tokens text[], communes bigint[], at_most integer, typed_code text)
RETURNS bigint[] LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    n_tokens integer := coalesce(array_length(tokens, 1), 0);
    patterns text[];
    words text[] := '{{}}';       -- every typed word's words, one after another
    owner integer[] := '{{}}';    -- the typed word each of them expands
    counts integer[] := '{{}}';   -- each typed word's number of words
    -- One walk per typed word, each driven by that word's lists; all find the same first matches. The walk that has
    -- read the fewest rows per match found reads its next segment, until one has them.
    p_sort text[] := '{{}}';
    p_id bigint[] := '{{}}';
    size integer[] := '{{}}';     -- its next segment's rows
    rows_read integer[] := '{{}}';     -- the rows it has read
    got integer[] := '{{}}';
    misses integer[] := '{{}}';   -- its segments without a match since the last one with
    found_by integer[] := '{{}}'; -- the walk that found each of found_id
    found_sort text[] := '{{}}';
    found_id bigint[] := '{{}}';
    winner integer := 0;          -- the walk that has the first matches (or the index, which answers as walk 1)
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
    records float8;               -- the records and the word rows, as last counted (pg_class; negative: never)
    word_rows float8;
    expected float8;              -- the matches the statistics expect
    word_conditions text := '';
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
        rows_read[j] := 0;
        got[j] := 0;
        misses[j] := 0;
        last_id[j] := NULL;
    END LOOP;
    -- Few matches expected: the GIN index of the records' words finds them all (see the migration's docstring).
    IF n_tokens > 0 AND freqs IS NOT NULL THEN
        SELECT k.reltuples INTO records FROM pg_class k WHERE k.oid = '{source}'::regclass;
        SELECT k.reltuples INTO word_rows FROM pg_class k WHERE k.oid = '{table}'::regclass;
        IF records > 0 AND word_rows > 0 THEN
            expected := records;
            FOR j IN 1 .. n_tokens LOOP
                -- sizes[j] is a share of the word rows; times word rows per record, a share of the records.
                expected := expected * least(1, sizes[j] * word_rows / records);
            END LOOP;
            IF expected <= 5.0 * at_most THEN
                FOR j IN 1 .. n_tokens LOOP
                    word_conditions := word_conditions || format(
                        ' AND string_to_array(r.{key}::text, '' '') && %L::text[]',
                        ARRAY(SELECT words[g.k] FROM generate_subscripts(words, 1) AS g(k) WHERE owner[g.k] = j));
                END LOOP;
                -- Every match's row is read (and sorted): at most five times at_most of them, else the walks answer.
                EXECUTE format($q$
                    SELECT array_agg(m.sort ORDER BY m.sort, m.id), array_agg(m.id ORDER BY m.sort, m.id), count(*)
                      FROM (SELECT r.{sort}::text AS sort, r.id FROM {source} r
                             WHERE (' ' || r.{key}) LIKE ALL ($1) AND ($2 IS NULL OR r.commune_id = ANY ($2)) %s
                             LIMIT $3) AS m$q$, word_conditions)
                   INTO found_sort, found_id, n USING patterns, communes, 5 * at_most + 1;
                IF n <= 5 * at_most THEN
                    found_sort := coalesce(found_sort[1:at_most], '{{}}');
                    found_id := coalesce(found_id[1:at_most], '{{}}');
                    found_by := array_fill(1, ARRAY[cardinality(found_id)]);
                    winner := 1;
                ELSE
                    found_sort := '{{}}';
                    found_id := '{{}}';
                END IF;
            END IF;
        END IF;
    END IF;
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
    WHILE n_tokens > 0 AND winner = 0 LOOP
        -- The walk that has read the fewest rows per match found (the square root: one finding nothing yet still
        -- reads). Without jumps (households, in the order of their codes) a walk reads its lists to the matches it
        -- needs whatever the others do: only the one of fewest rows walks.
        c := 0;
        FOR j IN 1 .. n_tokens LOOP
            CONTINUE WHEN counts[j] > 4 AND j <> fewest;
            CONTINUE WHEN NOT {jumps} AND j <> smallest;
            IF c = 0 OR rows_read[j] / sqrt(1 + got[j]) < rows_read[c] / sqrt(1 + got[c]) THEN
                c := j;
            END IF;
        END LOOP;
        SELECT array_agg(words[g.k] ORDER BY g.k) INTO dw FROM generate_subscripts(words, 1) AS g(k)
         WHERE owner[g.k] = c;
        r := size[c];
        rows_read[c] := rows_read[c] + r + 64;  -- and a segment's own cost, as much as 64 rows
        n := 0;
        hits := 0;
        -- The next r rows of this walk's lists (merged in order), each checked against every typed word and the
        -- scope. Up to four words: a merge of their lists; more: the first r of each, sorted.
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
                -- Few matches here: jump to the furthest of the other typed words' next rows, if it is further
                -- than this walk's next row (no match comes before it).
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
        END IF;
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


def _matches(name: str) -> str:
    table, source, sort, id_column, key, copied = WORDS.TABLES[name]
    jumps = "true" if name == "person" else "false"
    names = {"name": name, "table": table, "source": source, "sort": sort, "id": id_column, "key": key}
    merged = " UNION ALL ".join(WORDS.MERGED.format(**names, n=n) for n in range(1, 5))
    return MATCHES.format(**names, jumps=jumps, code_matches=WORDS.CODE_MATCHES[name], merged=merged)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = [f"CREATE INDEX IF NOT EXISTS {index} ON {spec}" for index, spec in GIN_INDEXES.items()]
    statements += [_matches(name) for name in WORDS.TABLES]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = [
        statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
        for name in WORDS.TABLES
        for statement in WORDS._matches(name)
    ]
    statements += [f"DROP INDEX IF EXISTS {index}" for index in GIN_INDEXES]
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("residents", "0018_search_words_on_postgresql")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
