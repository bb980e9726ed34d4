from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

PER_PAGE = 50


class CountedUpTo(Paginator):
    """Counts the matches up to `at_most` and pages over those first ones: beyond that, "more than N" is all a person
    needs in order to narrow a search, and counting a million matches costs far more than finding the first page."""

    def __init__(
        self, object_list, per_page, *, at_most: int, first_ids: list[int] | None = None, counted: int | None = None
    ):
        super().__init__(object_list, per_page)
        self.at_most = at_most
        # The ids of the list's first rows, in its order, when a search found them already (residents.search_words):
        # a page is fetched by its own ids. With `counted` (the rows counted already, up to at_most + 1), they need
        # only reach the end of the page asked for (rows_up_to_page); without it they are the first at_most + 1 (or
        # all the fewer) rows, and their number is the count. Either way, no count query.
        self.first_ids = first_ids
        self.counted = counted

    @cached_property
    def _counted(self) -> int:
        if self.counted is not None:
            return self.counted
        return len(self._first_ids)

    @cached_property
    def _first_ids(self) -> list[int]:
        """The first at_most + 1 ids in the list's order, unless a search found them already: the count and every
        page's ids in one query of ids alone. A page's query sorts every match anyway (drugfree.db.SortedByValue);
        asked for ids only, it sorts them before joining the page's related rows to 25 of them, not to every match
        (a CCCD suffix: 400 people, each joined to a household, then sorted), and no count query is needed."""
        if self.first_ids is not None:
            return self.first_ids
        return list(self.object_list.values_list("pk", flat=True)[: self.at_most + 1])

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = self._first_ids[bottom:top]
        # No match, no page query (nor its compilation, a millisecond of the answer "nothing found").
        return self._get_page(list(self.object_list.filter(pk__in=ids)) if ids else [], number, self)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.at_most)

    @property
    def more(self) -> bool:
        """More matches than were counted (and than the pages reach)."""
        return self._counted > self.at_most


def rows_up_to_page(request, per_page: int, *, param: str = "page", at_most: int) -> int:
    """How many of a list's first rows reach the end of the page that ?<param>= names, when the list has more rows
    than CountedUpTo counts (at_most): its pages then cover at_most rows, the page asked for is chosen as paginate()
    chooses it (out of range: the last; not a number: the first)."""
    return Paginator(range(at_most), per_page).get_page(request.GET.get(param)).end_index()


def paginate(
    request,
    queryset,
    per_page: int = PER_PAGE,
    *,
    param: str = "page",
    count_at_most=None,
    first_ids=None,
    counted=None,
) -> Page:
    """The page named by ?<param>= (out-of-range falls back to the last), with the links _pagination.html shows.
    With `count_at_most`, counting stops there (CountedUpTo) and the pages cover the first matches only; `first_ids`
    and `counted`: see CountedUpTo."""
    if count_at_most is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = CountedUpTo(queryset, per_page, at_most=count_at_most, first_ids=first_ids, counted=counted)
    return with_links(paginator.get_page(request.GET.get(param)), request, param=param)


def with_links(page: Page, request, *, param: str = "page") -> Page:
    """Attach previous/next and elided page links; each keeps the request's other parameters, so filters stay in
    the URL (and a page with two lists, like search, can page each one on its own parameter)."""

    def url(number) -> str:
        query = request.GET.copy()
        query[param] = number
        return "?" + query.urlencode()

    page.previous_url = url(page.previous_page_number()) if page.has_previous() else ""
    page.next_url = url(page.next_page_number()) if page.has_next() else ""
    page.links = [
        (number, "" if number == page.paginator.ELLIPSIS else url(number))
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return page
