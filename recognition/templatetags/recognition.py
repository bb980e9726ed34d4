"""The recognition status beside a commune's name, for recognition's pages and any app above it, and the menu's count
of open alerts.

Apps below recognition (communes, residents, progress) must not import it: their pages show the badge through the
commune marks that `RecognitionConfig.ready()` registers (`communes/marks.py`); recognition's own pages, and any app
above, `{% load recognition %}`."""

from django import template

from recognition.selectors import UnitStatus, open_alert_count, unit_status

register = template.Library()


@register.inclusion_tag("recognition/_status_badge.html")
def status_badge(status: UnitStatus | None):
    """A status already computed (lists: `unit_statuses` computes every row's in two queries)."""
    return {"status": status or UnitStatus()}


@register.inclusion_tag("recognition/_status_badge.html")
def recognition_status(commune, hamlet=None):
    """One unit's status, computed here (two queries): for a page about one commune or hamlet."""
    return {"status": unit_status(commune, hamlet)}


@register.simple_tag(takes_context=True)
def open_alerts_badge(context) -> int:
    """The open alerts of the user's area for the menu: one query per request, shared with the pages that show the
    count (`open_alert_count`); none without a request (a rendered e-mail or document)."""
    request = context.get("request")
    return open_alert_count(request) if request is not None else 0
