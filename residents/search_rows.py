"""The search page's table rows, written in Python.

The search answers as an officer types, a request per pause, and its rows (25 people, 10 households) were half of
the page's rendering: about twenty variable nodes a row, each resolved, localised and escaped by the template engine.
Each row here is one `format_html`, every value escaped; `tests/residents/test_search_rows.py` compares them with
the template rows they replaced.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from residents.models import Household
from residents.templatetags.status_badges import person_status

_PERSON_ROW = (
    '<tr data-person="{}"><td class="card-head fw-semibold"><a href="{}">{}</a></td><td class="card-head">{}</td>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td>'
    '<td class="card-head card-status">{}</td></tr>'
)
_HOUSEHOLD_ROW = (
    '<tr><td class="card-head fw-semibold"><a href="{}">{}</a></td><td class="card-head">{}</td>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td><td class="text-end" data-label="{}">{}</td>'
    '<td class="card-head card-status">{}</td></tr>'
)
_HOUSEHOLD_STATUS = dict(Household.Status.choices)


def people_rows(people) -> SafeString:
    """The rows of a page of people (with `link` and `household_link` set by the view, hamlet and household read)."""
    cccd, hamlet, household = gettext("CCCD"), gettext("Thôn"), gettext("Hộ")
    return format_html_join(
        "",
        _PERSON_ROW,
        (
            (
                person.pk, person.link, person.full_name, person.year_of_birth or "",
                cccd, person.cccd or "",
                hamlet, person.hamlet,
                household,
                format_html('<a href="{}">{}</a>', person.household_link, person.household.code)
                if person.household_id else "",
                person_status(person),
            )
            for person in people
        ),
    )  # fmt: skip


def household_rows(households) -> SafeString:
    """The rows of a page of households (with `link` set by the view, hamlet read)."""
    head_cccd, hamlet, members = gettext("CCCD chủ hộ"), gettext("Thôn"), gettext("Nhân khẩu")
    return format_html_join(
        "",
        _HOUSEHOLD_ROW,
        (
            (
                household.link, household.code, household.head_name,
                head_cccd, household.head_cccd,
                hamlet, household.hamlet,
                members, household.members_count,
                _HOUSEHOLD_STATUS.get(household.status, household.status),
            )
            for household in households
        ),
    )  # fmt: skip
