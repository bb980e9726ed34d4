"""`{% load status_badges %}`: the Bootstrap badge colour of a person's status (`person.status|status_class`)."""

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
