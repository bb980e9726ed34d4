"""Template helpers shared by the workspace pages: page links that keep the filters, status badges."""

from django import template
from django.utils.http import urlencode

from residents.models.people import PersonStatus

register = template.Library()

_STATUS_CLASSES = {
    PersonStatus.NONE: "text-bg-light",
    PersonStatus.SUSPECTED: "text-bg-warning",
    PersonStatus.POSITIVE: "text-bg-danger",
    PersonStatus.USER: "text-bg-danger",
    PersonStatus.ADDICT: "text-bg-danger",
    PersonStatus.IN_TREATMENT: "text-bg-info",
    PersonStatus.POST_REHAB: "text-bg-primary",
    PersonStatus.ENDED: "text-bg-secondary",
}


@register.simple_tag(takes_context=True)
def page_url(context, param: str, number) -> str:
    """The current URL's query with one page parameter replaced: filters stay in the URL."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + urlencode(sorted(query.lists()), doseq=True)


@register.filter
def status_class(status: str) -> str:
    return _STATUS_CLASSES.get(status, "text-bg-light")
