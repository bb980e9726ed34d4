"""The plain fields of `{{ form|crispy }}` are written in Python (drugfree/crispy_fields.py) with the same tags,
attributes, classes and text as crispy-bootstrap5's field template; every other field still goes through it."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import get_template
from django.utils.translation import gettext_lazy

from drugfree.crispy_fields import FIELD_TEMPLATE, is_plain, render_plain

pytestmark = pytest.mark.django_db


class Everything(forms.Form):
    name = forms.CharField(label=gettext_lazy("Họ tên"), max_length=20, help_text="Như trên <b>CCCD</b>")
    hidden = forms.IntegerField(widget=forms.HiddenInput, required=False)
    signed = forms.BooleanField(required=False, label='Đã ký "cam kết"', help_text="Tích nếu đã ký")
    agreed = forms.BooleanField(label="Đồng ý")
    on = forms.DateField(required=False)
    count = forms.IntegerField(min_value=0, max_value=9)
    email = forms.EmailField(required=False)
    kind = forms.ChoiceField(choices=[("", "---"), ("thon", "Thôn"), ("ban", 'Bản <"Mường">')])
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "class": "note"}), required=False)
    unlabelled = forms.CharField(label="", required=False)
    # Not plain: the template renders these.
    radio = forms.ChoiceField(choices=[("1", "Một"), ("2", "Hai")], widget=forms.RadioSelect, required=False)
    boxes = forms.MultipleChoiceField(
        choices=[("1", "Một")], widget=forms.CheckboxSelectMultiple, required=False
    )  # fmt: skip
    upload = forms.FileField(required=False)
    when = forms.SplitDateTimeField(required=False)


class WithCssClasses(Everything):
    error_css_class = "has-error"
    required_css_class = "required"


FILLED = {"name": "Hà Văn <An>", "hidden": "3", "signed": "on", "agreed": "on", "on": "2026-12-06", "count": "3",
          "kind": "ban", "many": ["a"], "note": "dòng 1\ndòng 2"}  # fmt: skip
WRONG = {"name": "x" * 30, "count": "12", "email": "không phải", "kind": "?", "on": "hôm qua"}

CRISPY_CONTEXT = {"field_template": FIELD_TEMPLATE, "form_show_errors": True, "form_show_labels": True,
                  "label_class": "", "field_class": ""}  # fmt: skip


def _same_html(html: str) -> str:
    """Whitespace between tags and around text in them, which the page does not show, left out."""
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize("form_class", [Everything, WithCssClasses])
@pytest.mark.parametrize("data", [None, FILLED, WRONG], ids=["unbound", "valid", "errors"])
def test_every_plain_field_is_written_as_the_template_writes_it(form_class, data):
    ours_form, theirs_form = form_class(data), form_class(data)
    if data:
        ours_form.is_valid(), theirs_form.is_valid()
    template = get_template(FIELD_TEMPLATE)
    plain = set()
    for ours, theirs in zip(ours_form, theirs_form, strict=True):
        context = Context(CRISPY_CONTEXT)
        if not is_plain(ours, context):
            continue
        plain.add(ours.name)
        expected = template.render({**CRISPY_CONTEXT, "field": theirs})
        assert _same_html(render_plain(ours, context)) == _same_html(expected), ours.name
    assert plain == {"name", "hidden", "signed", "agreed", "on", "count", "email", "kind", "many", "note", "unlabelled"}


def test_the_whole_form_reads_the_same_through_the_filter():
    """`{{ form|crispy }}` with plain and other fields: the other fields still come from the template."""
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": Everything(WRONG)}))
    expected = Template(
        "{% load crispy_forms_tags %}{% for field in form %}{% include 'bootstrap5/field.html' %}{% endfor %}"
    ).render(Context({**CRISPY_CONTEXT, "form": Everything(WRONG)}))
    assert _same_html(html) == _same_html(expected)
    assert 'type="radio"' in html and 'type="file"' in html and 'class="invalid-feedback"' in html


@pytest.mark.parametrize(
    "setting",
    [
        {"form_show_labels": False},
        {"label_class": "col-3"},
        {"wrapper_class": "w"},
        {"form_class": "x form-horizontal"},
    ],
)
def test_a_form_with_other_settings_goes_through_the_template(setting):
    field = Everything()["name"]
    assert not is_plain(field, Context({**CRISPY_CONTEXT, **setting}))
