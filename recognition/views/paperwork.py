"""A dossier's documents (recognition/paperwork.py): the Word file and the A4 page, for whoever may see the dossier;
each opening is written to the access log (export for the file, print for the page)."""

from django.http import Http404, HttpResponse

from accounts.audit import log_shown
from accounts.models import AccessLog

from ..paperwork import DOCUMENTS, docx_response, dossier_paper_context, render_print
from ..selectors import dossier_for_user


def _document(key: str):
    if key not in DOCUMENTS:
        raise Http404("no such document")
    return DOCUMENTS[key]


def paper_docx(request, pk, document):
    document = _document(document)
    dossier = dossier_for_user(request.user, pk)
    response = docx_response(document.key, dossier_paper_context(dossier))
    log_shown(request, [], subject=dossier, action=AccessLog.Action.EXPORT, description=f"{document.title}: {dossier}")
    return response


def paper_print(request, pk, document):
    document = _document(document)
    dossier = dossier_for_user(request.user, pk)
    page = render_print(document.key, dossier_paper_context(dossier), request)
    log_shown(request, [], subject=dossier, action=AccessLog.Action.PRINT, description=f"{document.title}: {dossier}")
    return HttpResponse(page)
