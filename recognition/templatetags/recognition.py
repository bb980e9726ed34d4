"""The recognition status beside a commune's name, for recognition's pages and any app above it.

Apps below recognition (communes, residents, progress) must not import it, so their pages do not show the badge;
recognition's own commune page does, and an app above may `{% load recognition %}`."""

from django import template

from recognition.selectors import UnitStatus, unit_status

register = template.Library()


@register.inclusion_tag("recognition/_status_badge.html")
def status_badge(status: UnitStatus | None):
    """A status already computed (lists: `unit_statuses` computes every row's in two queries)."""
    return {"status": status or UnitStatus()}


@register.inclusion_tag("recognition/_status_badge.html")
def recognition_status(commune, hamlet=None):
    """One unit's status, computed here (two queries): for a page about one commune or hamlet."""
    return {"status": unit_status(commune, hamlet)}
