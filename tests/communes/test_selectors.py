"""The single helpers every view calls to fetch a commune or a hamlet: each persona reaches exactly its own."""

import pytest
from django.http import Http404

from communes.selectors import commune_for_user, hamlet_for_user
from tests import factories as f

PERSONAS = ["officer_a", "officer_b", "viewer_a", "reviewer", "reviewer_personal", "admin"]

# Commune A, B (Thanh Hóa) and C (Nghệ An) that each persona reaches, for counts and by name.
FOR_COUNTS = {
    "officer_a": {"a"},
    "officer_b": {"b"},
    "viewer_a": {"a"},
    "reviewer": {"a", "b"},  # the province's counts
    "reviewer_personal": {"a", "b"},
    "admin": {"a", "b", "c"},
}
BY_NAME = {**FOR_COUNTS, "reviewer": set()}  # an aggregate-only reviewer sees no household or person by name


def _reached(fetch) -> set[str]:
    reached = set()
    for key in ("a", "b", "c"):
        try:
            fetch(key)
        except Http404:
            continue
        reached.add(key)
    return reached


@pytest.mark.parametrize("persona", PERSONAS)
def test_commune_for_counts_is_any_commune_of_the_users_area(persona, places, personas):
    user = getattr(personas, persona)
    communes = {"a": places.commune_a, "b": places.commune_b, "c": places.commune_c}
    assert _reached(lambda key: commune_for_user(user, communes[key].code)) == FOR_COUNTS[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_commune_with_personal_data_needs_the_right_to_see_names(persona, places, personas):
    user = getattr(personas, persona)
    communes = {"a": places.commune_a, "b": places.commune_b, "c": places.commune_c}
    assert _reached(lambda key: commune_for_user(user, communes[key].code, personal=True)) == BY_NAME[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_hamlet_for_user_lists_households_only_to_those_who_may_see_names(persona, places, personas):

    user = getattr(personas, persona)
    hamlets = {"a": places.hamlet_a, "b": places.hamlet_b, "c": f.hamlet(places.commune_c, "Xóm Một")}
    assert _reached(lambda key: hamlet_for_user(user, hamlets[key].pk)) == BY_NAME[persona]


def test_unknown_commune_is_a_404_even_for_the_administrator(personas):
    with pytest.raises(Http404):
        commune_for_user(personas.admin, "99999")
