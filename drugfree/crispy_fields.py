"""crispy-bootstrap5's `field.html`, written in Python for the plain fields of a plain form.

`{{ form|crispy }}` renders every field through `bootstrap5/field.html`: about fifty template nodes, three included
templates (help text and errors) and the `crispy_field` tag, per field. A person's form of ten fields spent half
its time there (cProfile, issue 17). `templates/bootstrap5/uni_form.html` (the pack's own, which `|crispy` and a
helper without a layout render) therefore asks `{% crispy_plain_field field %}` for each field: a text, number,
date, select or textarea input or a checkbox, in a form that uses the pack's defaults (labels shown, no horizontal
layout, no label or field class, no wrapper class, help text and errors as blocks), is written here with the same
tags, attributes, classes and text as the template writes (tests/test_crispy_fields.py compares both, field by
field, bound and unbound, with errors and help text); only the whitespace between tags differs, which the page
does not show. Any other field (radio buttons, several checkboxes, files, multi-widgets) or any other setting is
rendered by the template, as before. Layouts (`{% crispy form %}` with a helper's layout) are crispy's.
"""

from django import forms, template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

FIELD_TEMPLATE = "bootstrap5/field.html"
# Context settings under which field.html writes something else than what is written here.
_SETTINGS_ELSEWHERE = ("label_class", "field_class", "wrapper_class", "tag", "help_text_inline", "error_text_inline")
_ASTERISK = mark_safe('<span class="asteriskField">*</span>')


def is_plain(field, context) -> bool:
    """A field and a form that `field.html` renders the simple way."""
    if context.get("field_template") != FIELD_TEMPLATE or not context.get("form_show_labels"):
        return False
    if any(context.get(name) for name in _SETTINGS_ELSEWHERE) or "form-horizontal" in (context.get("form_class") or ""):
        return False
    widget = field.field.widget
    if hasattr(widget, "widgets") or hasattr(widget, "widget"):
        return False  # multi-widgets and wrappers: crispy classes each inner widget
    if isinstance(widget, forms.RadioSelect | forms.FileInput):
        return False  # radio buttons, several checkboxes and files have templates of their own
    return isinstance(widget, forms.widgets.Input | forms.Select | forms.Textarea) and not field.use_fieldset


def add_classes(widget, classes: str) -> None:
    """What `{% crispy_field field 'class' classes %}` does to the widget before rendering it: the widget's class
    name (lower case, through CRISPY_CLASS_CONVERTERS) and then each of `classes`, each once."""
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    if not css:
        css = name
    elif css.find(name) == -1:
        css += f" {name}"
    for token in classes.split():
        if token not in css.split():
            css += f" {token}"
    widget.attrs["class"] = css


def _label(field, css: str, *, always_for: bool) -> str:
    required = field.field.required
    target = field.id_for_label
    return format_html(
        '<label{} class="{}{}">{}{}</label>',
        format_html(' for="{}"', target) if target or always_for else "",
        css,
        " requiredField" if required else "",
        field.label,
        _ASTERISK if required else "",
    )


def _help_and_errors(field, context) -> str:
    """`layout/help_text_and_errors.html` with block errors and block help text."""
    parts = []
    if context.get("form_show_errors") and field.errors:
        parts.append(format_html('<div id="{}_error" class="invalid-feedback">', field.errors.field_id))
        for number, error in enumerate(field.errors, start=1):
            parts.append(format_html('<p id="error_{}_{}"><strong>{}</strong></p>', number, field.auto_id, error))
        parts.append("</div>")
    if field.help_text:
        help_id = format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else ""
        parts.append(format_html('<div {}class="form-text">{}</div>', help_id, mark_safe(str(field.help_text))))
    return " ".join(parts)


def render_plain(field, context) -> SafeString:
    """`field.html` for a field that `is_plain`."""
    if field.is_hidden:
        return conditional_escape(field)
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    css = field.css_classes()
    css = f" {css}" if css else ""
    if isinstance(widget, forms.CheckboxInput):
        add_classes(widget, f"form-check-input{invalid}")
        inner = " ".join(
            [str(field), _label(field, "form-check-label", always_for=True), _help_and_errors(field, context)]
        )
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}</div></div>',
            field.auto_id,
            css,
            mark_safe(inner),
        )
    add_classes(widget, f"{'form-select' if isinstance(widget, forms.Select) else 'form-control'}{invalid}")
    parts = [_label(field, "form-label", always_for=False)] if field.label else []
    parts += [str(field), _help_and_errors(field, context)]
    return format_html('<div id="div_{}" class="mb-3{}">{}</div>', field.auto_id, css, mark_safe(" ".join(parts)))


@register.simple_tag(takes_context=True)
def crispy_plain_field(context, field):
    """One field of `uni_form.html`: written here when plain, else by the field template, as `{% include %}` would."""
    if is_plain(field, context):
        return render_plain(field, context)
    return context.template.engine.get_template(context.get("field_template")).render(context)
