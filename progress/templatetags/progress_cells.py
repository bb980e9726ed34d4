"""The area and commune tables' cells, written in Python: a province table has 166 × 11 of them, and a template loop
with a condition per cell costs more than the rest of the page (README "Speed")."""

from django import template
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString

register = template.Library()

MET, UNMET = "table-success", "table-danger"


@register.filter
def result_cells(results, extra_class: str = "") -> SafeString:
    """One `<td>` per criterion result: its value as written, green when met and red when not.

    `{{ row.results|result_cells }}` writes what `{% for r in row.results %}<td class="text-center small {% if r.met
    %}table-success{% else %}table-danger{% endif %}">{{ r.value_display }}</td>{% endfor %}` would."""
    classes = f"text-center {extra_class} " if extra_class else "text-center "
    return SafeString(
        "".join(f'<td class="{classes}{MET if r.met else UNMET}">{escape(r.value_display)}</td>' for r in results)
    )


BADGES = "progress_class_badges"


@register.simple_tag(takes_context=True)
def class_badge(context, group) -> str:
    """`{% include "progress/_class_badge.html" with group=… %}`, rendered once per distinct class in a template's
    rendering (a province table has 166 rows and four classes at most)."""
    if BADGES not in context.render_context:
        context.render_context[BADGES] = {}
    badges = context.render_context[BADGES]
    key = group.pk if group is not None else None
    if key not in badges:
        badges[key] = get_template("progress/_class_badge.html").render({"group": group})
    return badges[key]
