"""The form renderer: Django's own, with its plainest widget templates written out in Python.

Django renders every widget through a template (`input.html`, which includes `attrs.html`): a new context, two
template renders and a dozen variable lookups for each `<input>`. A pledge checklist of 300 households has 1,500
widgets, and that rendering was most of the page's time. `input`-based widgets, `select` and its options are
therefore produced here, character for character as Django's templates produce them
(tests/test_form_renderer.py compares the two); every other widget, and any widget given a template of its own,
still goes through the templates. Values are escaped by drugfree.escaping: a hamlet's household select escapes
its 300 options' values and labels.
"""

from functools import cached_property
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from drugfree.escaping import escaped as conditional_escape  # Django's, without its lazy-string check on every call

_WIDGETS = "django/forms/widgets/"
# Each of these templates is `{% include "django/forms/widgets/input.html" %}` and nothing else.
_INPUT_TEMPLATES = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in ("input", "text", "hidden", "checkbox", "date", "datetime", "time", "number", "email", "password",
                 "url", "tel", "search")
)  # fmt: skip
_SELECT, _OPTION = f"{_WIDGETS}select.html", f"{_WIDGETS}select_option.html"


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}` under autoescaping: str(), escaped unless already marked safe."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


def _attrs(attrs: dict) -> str:
    """`attrs.html`: ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        name = conditional_escape(name)
        parts.append(f" {name}" if value is True else f' {name}="{_text(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _option(option: dict) -> str:
    label = conditional_escape(option["label"])
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{label}</option>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return None  # an option with a template of its own: let the templates render the whole select
            parts.append(f"\n  {_option(option)}\n")  # the option template's own last line break
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FastWidgetRenderer(DjangoTemplates):
    @cached_property
    def _templates_are_djangos(self) -> bool:
        """An installed app that overrides one of these templates gets its template: checked once per process."""
        own = Path(django.forms.__file__).parent
        names = _INPUT_TEMPLATES | {_SELECT, _OPTION, f"{_WIDGETS}attrs.html"}
        return all(Path(self.get_template(name).origin.name).is_relative_to(own) for name in names)

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if widget is not None and self._templates_are_djangos:
            if template_name in _INPUT_TEMPLATES:
                return mark_safe(_input(widget))
            if template_name == _SELECT:
                rendered = _select(widget)
                if rendered is not None:
                    return mark_safe(rendered)
        return super().render(template_name, context, request)
