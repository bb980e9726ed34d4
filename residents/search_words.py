"""The search across many communes, on PostgreSQL: the first matches in the page's order, from the word tables.

Residents' migration 0018 keeps one row per word of every person's name key and every household head's, each word's
rows in the order the search page shows (people by name key, households by code), and installs
`residents_person_matches` and `residents_household_matches`, which walk those lists and return the ids of the first
`at_most` matches in that order (see the migration for how); migration 0019 has them read the few matches they expect
from a GIN index of the records' words instead. The search page counts at most COUNT_AT_MOST matches
and pages over those first ones only (drugfree.pagination.CountedUpTo), so "the first COUNT_AT_MOST + 1 matches"
gives it exactly the count, the pages and the order that filtering every match would. Migration 0021 splits that:
`residents_person_some_matches` and `residents_household_some_matches` look for COUNT_AT_MOST + 1 matches in no
order where they are cheapest (the names that start with the typed words as typed); when they are there, the count
is "more than COUNT_AT_MOST" and the ordered functions are asked only for the rows up to the end of the page shown.

SQLite, and a search within one commune (whose index narrows the rows to a few tens of thousands), ask the plain
word-start filter instead.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from drugfree.text import clean_text, search_key


@dataclass(frozen=True)
class FirstMatches:
    """The ids of a search's first matches (people or households) in the search page's order, up to the end of the
    page shown at least, and the matches counted (up to the at_most asked for: drugfree.pagination.CountedUpTo)."""

    ids: list[int]
    counted: int


def first_matches(
    text: str, across: QuerySet | None, at_most: int, *, people_rows: int, households_rows: int
) -> tuple[FirstMatches | None, FirstMatches | None]:
    """The people and the households that a name search finds (every typed word starts a word of the name;
    households also by their code, typed in any case) within the communes `across`: for each, the matches counted up
    to `at_most`, and the ids of the first ones in the search page's order, as many as `people_rows` (
    `households_rows`: the end of the page shown) when there are at_most or more, else all of them; asked of the
    database now, all in one query. (None, None) where the word tables do not serve: SQLite, a search within one
    commune (`across` None), digits (a CCCD or a code), no word typed."""
    text = clean_text(text)
    tokens = search_key(text).split()
    if across is None or connection.vendor != "postgresql" or not tokens or text.isdigit():
        return None, None
    try:
        communes_sql, communes_params = across.values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope of no commune at all
        return FirstMatches([], 0), FirstMatches([], 0)
    with connection.cursor() as cursor:
        # at_most matches in no order where they are cheapest (migration 0021), or NULL: then the first at_most in
        # order are both the count and the pages. OFFSET 0 keeps each function called once.
        cursor.execute(
            f"SELECT x.some_people IS NOT NULL, x.some_households IS NOT NULL, "
            f"residents_person_matches(x.tokens, x.ids, "
            f"CASE WHEN x.some_people IS NULL THEN x.at_most ELSE %s END, NULL), "
            f"residents_household_matches(x.tokens, x.ids, "
            f"CASE WHEN x.some_households IS NULL THEN x.at_most ELSE %s END, %s) "
            f"FROM (SELECT c.tokens, c.ids, c.at_most, "
            f"residents_person_some_matches(c.tokens, c.ids, c.at_most) AS some_people, "
            f"residents_household_some_matches(c.tokens, c.ids, c.at_most) AS some_households "
            f"FROM (SELECT %s::text[] AS tokens, ARRAY({communes_sql}) AS ids, %s AS at_most) c OFFSET 0) x",
            [people_rows, households_rows, text, tokens, *communes_params, at_most],
        )
        many_people, many_households, people, households = cursor.fetchone()
    return (
        FirstMatches(people, at_most if many_people else len(people)),
        FirstMatches(households, at_most if many_households else len(households)),
    )
