"""The fast escape gives what Django's conditional_escape gives."""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from drugfree.escaping import escaped


def test_the_same_text_as_conditional_escape():
    values = [
        "Lò Văn <Tám> & 'Ba' \"Bốn\"",
        "",
        0,
        12.5,
        None,
        mark_safe("<b>đã an toàn</b>"),
        format_html("<i>{}</i>", "<x>"),
        gettext_lazy("Chưa kiểm tra lần nào"),
        mark_safe(gettext_lazy("Chưa kiểm tra lần nào")),
    ]
    for value in values:
        assert escaped(value) == conditional_escape(value)
