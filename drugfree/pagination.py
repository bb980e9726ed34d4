from django.core.paginator import Page, Paginator

PER_PAGE = 50


def paginate(request, queryset, per_page: int = PER_PAGE, *, param: str = "page") -> Page:
    """The page named by ?<param>= (out-of-range falls back to the last), with the links _pagination.html shows."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    return with_links(page, request, param=param)


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
