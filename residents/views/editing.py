"""The one shape of every form page of residents: GET shows it, POST saves through a service or says why not."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render

from accounts.audit import log_shown
from drugfree.forms import Submission, submit
from drugfree.redirects import safe_next


def form_page(
    request,
    form,
    save: Callable[[dict], object],
    *,
    success: Callable[[object], str],
    template: str = "residents/form_page.html",
    **context,
):
    """`save(cleaned_data)` runs atomically; on success the page the user came from (a safe `?next=`, such as a
    dashboard's gap list) or the saved object's page, else the form with its errors or with the other officer's
    concurrent change (see drugfree.concurrency)."""
    submission = Submission(form)
    back = safe_next(request)
    if request.method == "POST":
        submission = submit(form, save)
        if submission.ok:
            messages.success(request, success(submission.saved))
            return redirect(back or submission.saved)
    context = {"form": submission.form, "conflict": submission.conflict, **context}
    if back:
        context["cancel_url"] = back
    if context.get("subject") is not None:
        log_shown(request, [], subject=context["subject"])  # the form shows the person's or household's data
    if hasattr(submission.form, "explanation"):
        context.setdefault("explanation", submission.form.explanation())
    return render(request, template, context)


def subject_context(subject) -> dict:
    """Title link back to the household or person the form is about; Cancel returns there too."""
    return {"subject": subject, "subject_url": subject.get_absolute_url(), "cancel_url": subject.get_absolute_url()}
