"""The province-wide search of people: a walk per combination of whole words, on PostgreSQL only (SQLite searches
as before).

Migration 0018's walks read one typed word's lists (every word it starts, merged) and jump to the furthest of the
other typed words' next rows. A jump needs the other typed words to be sparse in the name order. When each typed word
starts common words, none is: "h" starts nineteen words ("ha", "hoa", "hong" …), and some name close by holds one of
them; "thi" is in most women's names. So "tran thi h" read 14,000 list rows, "nguyen van hung" 35,000 ("van" is also
a woman's given name), and the GIN index of migration 0019 answered "trinh thi huong" by reading the posting lists of
"thi" and "thinh" (1.2 million entries) and 4,000 of the records' rows.

A name matches when every typed word starts one of its words: when, for some choice of one word per typed word (a
**combination**, "tran thi hoa", "trang thi hong" …), the name holds all the chosen words. Each combination's matches
are the names in all of its words' lists, and one word's list, unlike a typed word's merged lists, is sparse wherever
that word is not: a leapfrog over them (each list's next row after the position; the furthest becomes the position;
until all lists stand on the same name) crosses the names that lack any of the words in a few index probes, then
reads the rarest word's list in segments (64 rows, doubling while they are mostly matches) as the walks do, every
row checked against every typed word and the scope; after a segment of few matches, back to the leapfrog, reading
the next of the combination's words not much commoner than the rarest. The combinations' walks are merged in the page's order: the one
furthest behind goes next, a walk stops past the first `at_most` matches found so far, and the answer is the first
`at_most` distinct matches of all. Every match belongs to some combination, so the union is exactly the matches, in
the same order as before.

`residents_person_matches` takes that path first when three typed words or more make at most four combinations
("nguyen van hung" 1, "trinh thi huong" 2); the GIN index and the walks of 0018/0019 answer the rest, as before, and
also what this path gives up. Measured on the benchmark's data set, it does not pay elsewhere: with two typed words
a walk's jump to the other's next row is this leapfrog already ("le thi" 17 ms against 12), and many combinations
("tran thi h" 76, "lo thi hoa" 16) hold words that never meet in one name yet alternate through every surname's and
middle name's section ("trang" and "hai" are both given names), which the leapfrog crosses a section at a time (870
and 487 ms against 76 and 78). For the same reason a combination gives up past 100 leapfrog statements more than
twice the matches found ("hung tuan minh": 22 ms, against 12 from the GIN index and 593 without the budget).
Households (in the order of their codes, which no leapfrog can use) keep 0019's function.
"""

import importlib

from django.db import migrations

FAIR_WALKS = importlib.import_module("residents.migrations.0019_search_few_matches_and_fair_walks")

COMBINATIONS_AT_MOST = 4

COMBINATIONS = r"""
CREATE OR REPLACE FUNCTION residents_person_combinations(
    words text[], owner integer[], patterns text[], communes bigint[], at_most integer, combinations_at_most integer)
RETURNS bigint[] LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    n_tokens integer := coalesce((SELECT max(o) FROM unnest(owner) AS o), 0);
    n_combos integer;
    all_words text[];             -- every combination's distinct words, one combination after another
    starts integer[];             -- where each combination's words start in all_words
    lens integer[];               -- and how many they are
    drivers integer[];            -- how many of them (the rarest first) may have their list read, by turns
    c_drv integer[];              -- which of them has its list read next
    c_sort text[];                -- each combination's position in the page's order (name key, id)
    c_id bigint[];
    c_size integer[];             -- its next segment's rows
    c_done boolean[];
    found_sort text[] := '{}';    -- the matches found (some by two combinations), in no order
    found_id bigint[] := '{}';
    added integer := 0;           -- matches found since the bound was last set
    bounded boolean := false;     -- at_most distinct matches are found; the last of the first at_most of them:
    b_sort text;
    b_id bigint;
    cw text[];
    c integer;
    i integer;
    n integer;
    r integer;
    lo_sort text;
    lo_id bigint;
    hi_sort text;
    hi_id bigint;
    seg_sort text[];
    seg_id bigint[];
    aligned boolean;
    leaps integer := 0;           -- leapfrog statements run
    mcv text[];
    freqs real[];
BEGIN
    IF n_tokens < 3 OR at_most < 1 OR (
        SELECT exp(sum(ln(t.n))) FROM (SELECT count(*) AS n FROM unnest(owner) AS o GROUP BY o) AS t
    ) > combinations_at_most + 0.5 THEN
        RETURN NULL;
    END IF;
    SELECT s.most_common_vals::text::text[], s.most_common_freqs INTO mcv, freqs
      FROM pg_stats s
     WHERE s.schemaname = current_schema() AND s.tablename = 'residents_person_word' AND s.attname = 'word';
    -- The combinations: one word per typed word (the cartesian product), each as its distinct words, and its rarest
    -- (a word the statistics do not list is rarer than those they do).
    WITH RECURSIVE product(t, chosen) AS (
        SELECT 0, '{}'::text[]
        UNION ALL
        SELECT p.t + 1, p.chosen || (w.word COLLATE "default")
          FROM product p JOIN unnest(words, owner) AS w(word, o) ON w.o = p.t + 1
    ), combos AS (
        SELECT row_number() OVER () AS k, ARRAY(SELECT DISTINCT x FROM unnest(p.chosen) AS x) AS cw
          FROM product p WHERE p.t = n_tokens
    ), ordered AS (  -- each combination's words, the rarest first
        SELECT c.k, ARRAY(SELECT x FROM unnest(c.cw) AS x
                           ORDER BY coalesce(freqs[array_position(mcv, x)], 0), x) AS cw
          FROM combos c
    ), placed AS (
        SELECT o.k, o.cw, (sum(cardinality(o.cw)) OVER (ORDER BY o.k) - cardinality(o.cw) + 1)::integer AS start,
               (SELECT count(*) FROM unnest(o.cw) AS x
                 WHERE coalesce(freqs[array_position(mcv, x)], 0)
                       <= 4 * coalesce(freqs[array_position(mcv, o.cw[1])], 0))::integer AS drivers
          FROM ordered o
    )
    SELECT (SELECT array_agg(u.x ORDER BY q.k, u.n) FROM placed q, unnest(q.cw) WITH ORDINALITY AS u(x, n)),
           array_agg(p.start ORDER BY p.k), array_agg(cardinality(p.cw) ORDER BY p.k),
           array_agg(p.drivers ORDER BY p.k), count(*)
      INTO all_words, starts, lens, drivers, n_combos
      FROM placed p;
    c_sort := array_fill(''::text, ARRAY[n_combos]);
    c_id := array_fill(-9223372036854775807::bigint, ARRAY[n_combos]);
    c_size := array_fill(64, ARRAY[n_combos]);
    c_done := array_fill(false, ARRAY[n_combos]);
    c_drv := array_fill(1, ARRAY[n_combos]);
    LOOP
        -- The combination furthest behind goes next.
        c := 0;
        FOR i IN 1 .. n_combos LOOP
            CONTINUE WHEN c_done[i];
            IF c = 0 OR (c_sort[i], c_id[i]) < (c_sort[c], c_id[c]) THEN
                c := i;
            END IF;
        END LOOP;
        EXIT WHEN c = 0;
        cw := all_words[starts[c] : starts[c] + lens[c] - 1];
        -- Leapfrog (a few rounds at most, then the next combination's turn): each word's next row after the position;
        -- the furthest is the new position, until all stand on the same name (it holds every word) or a list ends.
        aligned := false;
        FOR i IN 1 .. 8 LOOP
            -- Words whose lists alternate without ever meeting (two given names: "hung tuan minh") make the leapfrog
            -- cross the name order a section at a time: past a budget that the matches found do not pay for, give
            -- up, and the GIN index or the walks answer.
            leaps := leaps + 1;
            IF leaps > 100 + 2 * cardinality(found_id) THEN
                RETURN NULL;
            END IF;
            SELECT count(*), (array_agg(x.sort ORDER BY x.sort, x.id))[1], (array_agg(x.id ORDER BY x.sort, x.id))[1],
                   (array_agg(x.sort ORDER BY x.sort DESC, x.id DESC))[1],
                   (array_agg(x.id ORDER BY x.sort DESC, x.id DESC))[1]
              INTO n, lo_sort, lo_id, hi_sort, hi_id
              FROM unnest(cw) AS u(word)
             CROSS JOIN LATERAL (
                    SELECT y.name_key AS sort, y.person_id AS id FROM residents_person_word y
                     WHERE y.word = u.word AND (y.name_key, y.person_id) > (c_sort[c], c_id[c])
                     ORDER BY y.name_key, y.person_id LIMIT 1) AS x;
            IF n < lens[c] OR (bounded AND (hi_sort, hi_id) > (b_sort, b_id)) THEN
                c_done[c] := true;  -- a list has ended, or every further match comes after the first at_most
                EXIT;
            END IF;
            c_sort[c] := hi_sort;
            c_id[c] := hi_id - 1;  -- the next read starts at that name itself
            IF lo_id = hi_id AND lo_sort = hi_sort THEN
                aligned := true;
                EXIT;
            END IF;
        END LOOP;
        CONTINUE WHEN NOT aligned;
        -- A segment of the rarest word's list from there, every row checked against every typed word and the scope.
        -- (No longer than the matches still wanted, once segments are mostly matches.)
        r := least(c_size[c], greatest(64, at_most - cardinality(found_id) + 64));
        SELECT array_agg(s.sort) FILTER (WHERE s.ok), array_agg(s.id) FILTER (WHERE s.ok), count(*),
               (array_agg(s.sort ORDER BY s.sort DESC, s.id DESC))[1], (array_agg(s.id ORDER BY s.sort DESC, s.id DESC))[1]
          INTO seg_sort, seg_id, n, hi_sort, hi_id
          FROM (SELECT y.name_key AS sort, y.person_id AS id,
                       ((' ' || y.name_key) LIKE ALL (patterns)
                        AND (communes IS NULL OR y.commune_id = ANY (communes))) AS ok
                  FROM residents_person_word y
                 WHERE y.word = cw[c_drv[c]] AND (y.name_key, y.person_id) > (c_sort[c], c_id[c])
                 ORDER BY y.name_key, y.person_id LIMIT r) AS s;
        IF seg_id IS NOT NULL THEN
            found_sort := found_sort || seg_sort;
            found_id := found_id || seg_id;
            added := added + cardinality(seg_id);
        END IF;
        IF n < r THEN
            c_done[c] := true;  -- its rarest word's list is read to its end
            CONTINUE;
        END IF;
        c_sort[c] := hi_sort;
        c_id[c] := hi_id;
        -- Mostly matches: a longer segment next. Else back to the leapfrog with a short one, read from the next word's
        -- list (of those not much commoner than the rarest): where one word's list holds few matches, another's may
        -- hold mostly matches ("le van": "le"'s list has every "le thi …", "van"'s the women named Vân).
        IF coalesce(cardinality(seg_id), 0) * 8 >= n THEN
            c_size[c] := least(r * 2, 4096);
        ELSE
            c_size[c] := 64;
            c_drv[c] := c_drv[c] % drivers[c] + 1;
        END IF;
        IF added > 0 AND cardinality(found_id) >= at_most THEN
            -- Keep the first at_most distinct matches; their last bounds every walk.
            SELECT array_agg(f.sort ORDER BY f.sort, f.id), array_agg(f.id ORDER BY f.sort, f.id)
              INTO found_sort, found_id
              FROM (SELECT DISTINCT d.sort, d.id FROM unnest(found_sort, found_id) AS d(sort, id)
                     ORDER BY d.sort, d.id LIMIT at_most) AS f;
            added := 0;
            IF cardinality(found_id) = at_most THEN
                bounded := true;
                b_sort := found_sort[at_most];
                b_id := found_id[at_most];
            END IF;
        END IF;
        IF bounded AND (c_sort[c], c_id[c]) >= (b_sort, b_id) THEN
            c_done[c] := true;
        END IF;
    END LOOP;
    RETURN ARRAY(
        SELECT f.id FROM (SELECT DISTINCT d.sort, d.id FROM unnest(found_sort, found_id) AS d(sort, id)) AS f
         ORDER BY f.sort, f.id LIMIT at_most);
END
$fn$
"""


def _person_matches() -> str:
    """0019's function of people, asking the combinations first (after the typed words are expanded)."""
    marker = "    -- Few matches expected: the GIN index"
    combinations = (
        "    -- Few combinations of whole words: a walk per combination (residents' migration 0020).\n"
        "    IF n_tokens > 0 THEN\n"
        "        found_id := residents_person_combinations(\n"
        f"            words, owner, patterns, communes, at_most, {COMBINATIONS_AT_MOST});\n"
        "        IF found_id IS NOT NULL THEN\n"
        "            RETURN found_id;\n"
        "        END IF;\n"
        "        found_id := '{}';\n"
        "    END IF;\n"
    )
    function = FAIR_WALKS._matches("person")
    assert function.count(marker) == 1
    return function.replace(marker, combinations + marker)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(COMBINATIONS, params=None)
    schema_editor.execute(_person_matches(), params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FAIR_WALKS._matches("person"), params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS residents_person_combinations", params=None)


class Migration(migrations.Migration):
    dependencies = [("residents", "0019_search_few_matches_and_fair_walks")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
