"""The search across many communes, on PostgreSQL: the first matches in the page's order, from the word tables.

Residents' migration 0018 keeps one row per word of every person's name key and every household head's, each word's
rows in the order the search page shows (people by name key, households by code), and installs
`residents_person_matches` and `residents_household_matches`, which walk those lists and return the ids of the first
`at_most` matches in that order (see the migration for how); migration 0019 has them read the few matches they expect
from a GIN index of the records' words instead. The search page counts at most COUNT_AT_MOST matches
and pages over those first ones only (drugfree.pagination.CountedUpTo), so "the first COUNT_AT_MOST + 1 matches"
gives it exactly the count, the pages and the order that filtering every match would.

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
    """The ids of a search's first matches (people or households) in the search page's order."""

    ids: list[int]


def first_matches(text: str, across: QuerySet | None, at_most: int) -> tuple[FirstMatches | None, FirstMatches | None]:
    """The first `at_most` people and the first `at_most` households that a name search finds (every typed word starts
    a word of the name; households also by their code, typed in any case) within the communes `across`, in the search
    page's order; asked of the database now, both in one query. (None, None) where the word tables do not serve:
    SQLite, a search within one commune (`across` None), digits (a CCCD or a code), no word typed."""
    text = clean_text(text)
    tokens = search_key(text).split()
    if across is None or connection.vendor != "postgresql" or not tokens or text.isdigit():
        return None, None
    try:
        communes_sql, communes_params = across.values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope of no commune at all
        return FirstMatches([]), FirstMatches([])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT residents_person_matches(%s::text[], c.ids, %s, NULL), "
            f"residents_household_matches(%s::text[], c.ids, %s, %s) FROM (SELECT ARRAY({communes_sql}) AS ids) c",
            [tokens, at_most, tokens, at_most, text, *communes_params],
        )
        people, households = cursor.fetchone()
        return FirstMatches(people), FirstMatches(households)
