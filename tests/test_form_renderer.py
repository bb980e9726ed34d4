"""The fast widget renderer writes exactly what Django's widget templates write, for every widget it takes over."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from drugfree.renderers import FastWidgetRenderer


class Everything(forms.Form):
    name = forms.CharField(
        widget=forms.TextInput(attrs={"class": "form-control", "aria-label": gettext_lazy("Họ tên")})
    )
    hidden = forms.IntegerField(widget=forms.HiddenInput)
    signed = forms.BooleanField(required=False)
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "required": True, "disabled": False}))
    count = forms.IntegerField(min_value=0, max_value=99)
    email = forms.EmailField()
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    kind = forms.ChoiceField(choices=[("", "---"), ("thon", "Thôn"), ("ban", 'Bản <"Mường">')])
    grouped = forms.ChoiceField(choices=[("Miền núi", [("1", "Xã 1"), ("2", "Xã & 2")]), ("3", "Khác")])
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.SelectMultiple)
    note = forms.CharField(widget=forms.Textarea)


DATA = [
    {},
    {
        "name": 'Hà Văn "An" <b>&',
        "hidden": "7",
        "signed": "on",
        "on": "2026-12-06",
        "count": "3",
        "email": "a@b.vn",
        "secret": "x<y",
        "kind": "ban",
        "grouped": "2",
        "many": ["a", "b"],
        "note": "dòng 1\ndòng 2",
    },
]


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("bound", [False, True])
def test_every_widget_is_written_as_djangos_templates_write_it(data, bound):
    form = Everything(data if bound else None, initial=None if bound else {"on": datetime.date(2026, 1, 2), **data})
    fast, reference = FastWidgetRenderer(), DjangoTemplates()
    for field in form:
        ours = field.field.widget.render(field.html_name, field.value(), field.build_widget_attrs({}), renderer=fast)
        theirs = field.field.widget.render(
            field.html_name, field.value(), field.build_widget_attrs({}), renderer=reference
        )
        assert ours == theirs, field.name


def test_marked_safe_values_are_not_escaped_twice():
    widget = forms.TextInput(attrs={"title": mark_safe("a &amp; b")})
    assert widget.render("x", mark_safe("1 &lt; 2"), renderer=FastWidgetRenderer()) == widget.render(
        "x", mark_safe("1 &lt; 2"), renderer=DjangoTemplates()
    )


def test_the_site_renders_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastWidgetRenderer)
