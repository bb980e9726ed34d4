"""Escaping for HTML written in Python on long pages.

`django.utils.html.conditional_escape` calls `escape`, which is wrapped to accept lazy strings: the wrapper checks
every argument on every call and cost as much as the escaping itself where a page escapes a thousand values (a large
commune's work queue, a hamlet's household select). `escaped` gives the same text without it.
"""

import html


def escaped(value) -> str:
    """conditional_escape(value): a value marked safe (or lazy text marked safe) as it is, anything else as text with
    & < > " ' escaped (html.escape, as django.utils.html.escape does)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
