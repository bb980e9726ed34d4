"""The search across many communes, on PostgreSQL: the first matches in the page's order, from the word tables.

Residents' migration 0018 keeps one row per word of every person's name key and every household head's, each word's
rows in the order the search page shows (people by name key, households by code), and installs
`residents_person_matches` and `residents_household_matches`, which walk those lists and return the ids of the first
`at_most` matches in that order (see the migration for how). The search page counts at most COUNT_AT_MOST matches
and pages over those first ones only (drugfree.pagination.CountedUpTo), so "the first COUNT_AT_MOST + 1 matches"
gives it exactly the count, the pages and the order that filtering every match would.

SQLite, and a search within one commune (whose index narrows the rows to a few tens of thousands), ask the plain
word-start filter instead.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet

from drugfree.text import search_key

# One more than the search page counts, so that the page still knows there are "more than" COUNT_AT_MOST.
FIRST_MATCHES = 1001


class FirstMatches(Func):
    """`pk = ANY(the first matches' ids)`: the function runs once per query (a subquery, not per row), and the ids
    are an index condition on the primary key."""

    output_field = BooleanField()

    def __init__(self, function: str, tokens: list[str], communes: QuerySet, at_most: int):
        super().__init__(F("pk"))
        self.function, self.tokens, self.communes, self.at_most = function, tokens, communes, at_most

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        communes_sql, communes_params = self.communes.values("pk").query.sql_with_params()
        sql = f"{pk_sql} = ANY((SELECT {self.function}(%s::text[], ARRAY({communes_sql}), %s))::bigint[])"
        return sql, [*pk_params, self.tokens, *communes_params, self.at_most]


def uses_word_tables(across) -> bool:
    """Whether a search over the communes `across` (None: within one commune) reads the word tables."""
    return across is not None and connection.vendor == "postgresql"


def first_matches_q(kind: str, text: str, across: QuerySet) -> Q | None:
    """Q of the first FIRST_MATCHES people or households ("person", "household") whose words start with the typed
    words, within the communes `across`; None when the communes are none at all."""
    try:
        across.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    return Q(FirstMatches(f"residents_{kind}_matches", search_key(text).split(), across, FIRST_MATCHES))
