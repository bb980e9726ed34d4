"""`{% load status_badges %}`: the Bootstrap badge colour of a person's status (`person.status|status_class`), and
a person's status badges (`{% person_status person %}`, which residents/_person_status.html renders)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

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


@register.simple_tag
def person_status(person) -> str:
    """The status badge, and the psychosis-risk one if flagged. A tag rather than an included template: the search
    page shows 25 people a page, and an include per row, with `get_status_display()` building the dict of every choice
    (each label translated to be hashed) at every call, was a third of its rendering."""
    badge = format_html(
        '<span class="badge {}">{}</span>',
        status_class(person.status),
        _STATUS_LABELS.get(person.status, person.status),
    )
    if person.psychosis_risk:
        badge += format_html(' <span class="badge text-bg-dark">{}</span>', gettext("Loạn thần"))
    return badge
