from django.shortcuts import render

from accounts.audit import log_shown
from communes.models import Commune
from drugfree.db import SortedByValue
from drugfree.links import ID, LinkPattern
from drugfree.pagination import paginate, rows_up_to_page
from residents import search_words
from residents.forms.search import SearchForm
from residents.models import Household, Person
from residents.search_rows import household_rows, people_rows
from residents.selectors import household_search, require_personal_data

PEOPLE_PER_PAGE = 25
HOUSEHOLDS_PER_PAGE = 10
# Past this many matches the page says "more than" and pages over these first ones: a reviewer searching the whole
# province for "nguyen" narrows the search rather than reads 40 pages, and the count stays fast at any scale.
COUNT_AT_MOST = 1000


def _link(people_page, households_page) -> None:
    """Each row's links, the two addresses reversed once per page (drugfree.links)."""
    person_link, household_link = LinkPattern("residents:person", ID), LinkPattern("residents:household", ID)
    for person in people_page:
        person.link = person_link(person.pk)
        person.household_link = household_link(person.household_id) if person.household_id else ""
    for household in households_page:
        household.link = household_link(household.pk)


def _found(first) -> dict:
    """What the word tables found, for paginate(): nothing on the plain filter's path."""
    return {} if first is None else {"first_ids": first.ids, "counted": first.counted}


def search(request):
    """One box over people and households; htmx asks for the results only, as the officer types."""
    require_personal_data(request.user)
    form = SearchForm(request.GET or None, user=request.user)
    people_page = households_page = None
    if form.is_valid() and form.has_criteria():
        text, hamlet, commune = (form.cleaned_data.get(k) for k in ("q", "hamlet", "commune"))
        # A reviewer's whole area, on PostgreSQL: the first matches (one more than counted) found in the word tables,
        # which are the count; a page reads its own rows by their ids (residents.search_words).
        across = None if request.user.commune_id or hamlet or commune else Commune.objects.visible_to(request.user)
        # When there are more than counted, only the rows up to the end of the page shown are found in order.
        first_people, first_households = search_words.first_matches(
            text, across, COUNT_AT_MOST + 1,
            people_rows=rows_up_to_page(request, PEOPLE_PER_PAGE, at_most=COUNT_AT_MOST),
            households_rows=rows_up_to_page(request, HOUSEHOLDS_PER_PAGE, param="hpage", at_most=COUNT_AT_MOST),
        )  # fmt: skip
        people = Person.objects.visible_to(request.user).select_related("hamlet", "household")
        households = Household.objects.visible_to(request.user).select_related("hamlet")
        if first_people is None:
            people = people.search(text)
        if first_households is None:
            households = household_search(households, text)
        if hamlet:
            people, households = people.filter(hamlet=hamlet), households.filter(hamlet=hamlet)
        elif commune:
            people, households = people.filter(commune=commune), households.filter(commune=commune)
        people = people.order_by(SortedByValue("name_key"), "pk")
        households = households.order_by("code", "pk")
        people_page = paginate(request, people, PEOPLE_PER_PAGE, count_at_most=COUNT_AT_MOST, **_found(first_people))
        households_page = paginate(
            request, households, HOUSEHOLDS_PER_PAGE, param="hpage", count_at_most=COUNT_AT_MOST,
            **_found(first_households),
        )  # fmt: skip
        _link(people_page, households_page)
        log_shown(request, [*people_page, *households_page])
    context = {"form": form, "people_page": people_page, "households_page": households_page}
    if people_page is not None:
        context |= {"people_rows": people_rows(people_page), "household_rows": household_rows(households_page)}
    template = "residents/_search_results.html" if request.htmx else "residents/search.html"
    return render(request, template, context)
