"""{% paperwork_links dossier %}: the dossier's documents, each as an A4 page and a Word file."""

from django import template

from ..paperwork import DOCUMENTS

register = template.Library()


@register.inclusion_tag("recognition/_paperwork.html")
def paperwork_links(dossier):
    return {"dossier": dossier, "documents": DOCUMENTS.values()}
