"""Templates' side of communes/marks.py: `{% load commune_marks %}`, then `{% commune_marks marks commune.pk %}` (every
mark inline), or a column per mark: `{% for mark in marks.columns %}<th>{{ mark.label }}</th>{% endfor %}` and
`{% for mark, value in marks|marks_of:commune.pk %}<td>{% render_mark mark value %}</td>{% endfor %}`."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


RENDERED = "commune_marks_rendered"


def _render(context, mark, value) -> str:
    key = (mark.key, mark.render_key(value)) if mark.render_key is not None else None
    rendered = context.render_context.setdefault(RENDERED, {}) if key is not None else {}
    if key not in rendered:
        with context.push(value=value, mark=mark):
            rendered[key] = context.template.engine.get_template(mark.template).render(context)
    return rendered[key]


@register.filter
def marks_of(marks, commune_id):
    return marks.of(commune_id) if marks else []


@register.simple_tag(takes_context=True)
def render_mark(context, mark, value):
    return mark_safe(_render(context, mark, value))


@register.simple_tag(takes_context=True)
def commune_marks(context, marks, commune_id):
    if not marks:
        return ""
    rendered = ((mark.key, mark_safe(_render(context, mark, value))) for mark, value in marks.of(commune_id))
    return format_html_join(" ", '<span data-mark="{}">{}</span>', rendered)
