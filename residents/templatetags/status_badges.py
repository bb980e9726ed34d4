"""`{% load status_badges %}`: the Bootstrap badge colour of a person's status (`person.status|status_class`) and
its label (`person.status|status_label`)."""

from django import template

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


@register.filter
def status_class(status: str) -> str:
    return _STATUS_CLASSES.get(status, "text-bg-light")


_STATUS_LABELS = dict(PersonStatus.choices)


@register.filter
def status_label(status: str):
    """`person.get_status_display()` without the dict of every choice that Django builds (each label translated to
    be hashed) at every call: eight translations a row, 200 for a page of search results."""
    return _STATUS_LABELS.get(status, status)
