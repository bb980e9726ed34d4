"""The pages every kind of commune record shares (hotspots, models, cases…): scoped, audited, paginated.

Every record belongs to one commune. Lists and "new" pages name the commune in the URL, so another commune's page
is a 404 like any other record of it; records are fetched through the user's scope; read-only roles get a 403 on
any write before anything is looked up. Apps above communes (pledges, residents) use these pages for their records.

One way to save a form: `form_page` (a function view's body) validates the form, saves through the owning app's
service inside `drugfree.forms.submit` and renders `form_page.html`; `RecordPages` builds a kind of record's "new"
and "edit" views on it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from accounts.audit import log_shown
from accounts.scopes import personal_scope_q, require_write, scope_q
from drugfree.forms import Submission, submit
from drugfree.pagination import PER_PAGE, with_links
from drugfree.redirects import safe_next

from .models import Commune
from .selectors import commune_for_user

FORM_PAGE = "form_page.html"
SAVED = gettext_lazy("Đã lưu.")


def scoped_records(user, model: type[models.Model], *, commune_path: str = "commune", personal: bool = False):
    """The records of `model` in the user's part of the country; `personal`: only for roles that may see names."""
    return model._default_manager.filter((personal_scope_q if personal else scope_q)(user, commune_path))


def commune_of(record: models.Model, commune_path: str) -> Commune:
    commune = record
    for step in commune_path.split("__"):
        commune = getattr(commune, step)
    return commune


class ScopedRecordMixin:
    """Access rules shared by the list and the page of one kind of record."""

    model = None
    # Path from the record to its commune, for scoping.
    commune_path = "commune"
    # Records naming people are hidden from reviewers who may only see aggregates.
    personal = False

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            require_write(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return scoped_records(self.request.user, self.model, commune_path=self.commune_path, personal=self.personal)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(can_write=self.request.user.can_write_records, **kwargs)
        if self.personal:
            # Every rendered page of personal records (list, detail) is a read: log what it shows.
            log_shown(self.request, self.shown(context), subject=context.get("object"))
        return context

    def shown(self, context) -> list:
        """The records the page shows besides its subject (the page of a list); views add the people they name."""
        return list(context.get("object_list") or [])


class RecordListView(ScopedRecordMixin, ListView):
    """A commune's records, filtered by `filter_form_class` (GET, kept in the URL) and paginated."""

    paginate_by = PER_PAGE
    filter_form_class = None
    template_name = "communes/record_list.html"
    # The results table; htmx requests (filters changing) get just this partial.
    partial_template_name = ""
    heading = ""
    create_url_name = ""

    @cached_property
    def commune(self) -> Commune:
        return commune_for_user(self.request.user, self.kwargs["code"], personal=self.personal)

    @cached_property
    def filter_form(self):
        return (
            self.filter_form_class(self.request.GET or None, commune=self.commune) if self.filter_form_class else None
        )

    def get_queryset(self):
        queryset = super().get_queryset().filter(**{self.commune_path: self.commune})
        if self.filter_form is not None and self.filter_form.is_valid():
            queryset = self.filter_form.filter(queryset)
        return queryset

    def get_template_names(self):
        return [self.partial_template_name] if self.request.htmx else super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(commune=self.commune, filter_form=self.filter_form, **kwargs)
        page = context.get("page_obj")
        if page is not None:
            with_links(page, self.request)
        return context


class RecordDetailView(ScopedRecordMixin, DetailView):
    pass


def form_page(
    request,
    form,
    save: Callable[[dict], object],
    *,
    success: Callable[[object], str],
    success_url: Callable[[object], str] | None = None,
    formset=None,
    shown: Callable[[], Iterable] | None = None,
    template: str = FORM_PAGE,
    **context,
):
    """The one shape of every form page: GET shows it, POST saves through a service or says why not.

    `save(cleaned_data)` runs atomically; on success the page the user came from (a safe `?next=`, such as a
    dashboard's gap list), else the saved object's page (or `success_url(saved)`); on failure the form with its
    errors or with the other officer's concurrent change (see drugfree.concurrency). A page about a `subject` (a
    person, a household, a record naming people) is logged as a read of it and of `shown()`.
    """
    submission = Submission(form)
    back = safe_next(request)
    if request.method == "POST":
        submission = submit(form, save, formset=formset)
        if submission.ok:
            messages.success(request, success(submission.saved))
            return redirect(back or (success_url(submission.saved) if success_url else submission.saved))
    context = {"form": submission.form, "formset": formset, "conflict": submission.conflict, **context}
    if back:
        context["cancel_url"] = back
    if context.get("subject") is not None:
        log_shown(request, shown() if shown else [], subject=context["subject"])
    if hasattr(submission.form, "explanation"):
        context.setdefault("explanation", submission.form.explanation())
    return render(request, template, context)


def subject_context(subject) -> dict:
    """Title link back to the household or person the form is about; Cancel returns there too."""
    return {"subject": subject, "subject_url": subject.get_absolute_url(), "cancel_url": subject.get_absolute_url()}


@dataclass(frozen=True)
class RecordPages:
    """The "new" and "edit" pages of one kind of commune record, on `form_page`.

    `save` is the owning app's service, called as save(actor=, record=, seen_version=, **fields) with the form's
    `record_fields()` and, for a record with children, the formset's `changes()`.
    """

    form: type  # a ModelForm of the record, taking `commune=`
    save: Callable[..., models.Model]
    new_title: str
    # Named URL of the commune's list of these records (takes the commune code): Cancel on a new one goes there.
    list_url: str
    edit_title: str = ""
    # Named URL of a record's own page (takes its pk): saving goes there, or back to the list without one.
    detail_url: str = ""
    # Where saving and cancelling an edit go when neither of the above fits.
    back: Callable[[models.Model], str] | None = None
    created: str = SAVED
    commune_path: str = "commune"
    # Records naming people: hidden from aggregate-only reviewers; an edit page is logged as a read of the record.
    personal: bool = False
    # People an edit page shows besides the record (their names, CCCDs), logged with it.
    shown: Callable[[models.Model], Iterable] | None = None
    formset: type | None = None
    template: str = FORM_PAGE

    @property
    def model(self) -> type[models.Model]:
        return self.form._meta.model

    def success_url(self, record) -> str:
        if self.back is not None:
            return self.back(record)
        if self.detail_url:
            return reverse(self.detail_url, args=[record.pk])
        return reverse(self.list_url, args=[commune_of(record, self.commune_path).code])

    def create_view(self, new_record: Callable[[Commune], models.Model] | None = None):
        """The view of /<commune code>/…/new/; `new_record(commune)` is the blank record (default: in the commune)."""

        @require_http_methods(["GET", "POST"])
        def create(request, code: str):
            require_write(request.user)
            commune = commune_for_user(request.user, code, personal=self.personal)
            record = new_record(commune) if new_record else self.model(**{self.commune_path: commune})
            return self.page(request, record, commune, cancel_url=reverse(self.list_url, args=[commune.code]))

        return create

    def edit_view(self):
        @require_http_methods(["GET", "POST"])
        def edit(request, pk: int):
            require_write(request.user)
            records = scoped_records(request.user, self.model, commune_path=self.commune_path, personal=self.personal)
            record = get_object_or_404(records, pk=pk)
            commune = commune_of(record, self.commune_path)
            return self.page(request, record, commune, cancel_url=self.success_url(record))

        return edit

    def page(self, request, record: models.Model, commune: Commune, *, cancel_url: str):
        """The form for `record` (the blank one of a new record), in `commune`; the caller checked the access."""
        editing = not record._state.adding
        data = (request.POST,) if request.method == "POST" else ()
        form = self.form(*data, instance=record, commune=commune)
        formset = self.formset(*data, instance=record, form_kwargs={"commune": commune}) if self.formset else None

        def save(cleaned_data: dict):
            fields = {**form.record_fields(), **(formset.changes() if formset is not None else {})}
            return self.save(actor=request.user, record=record, seen_version=cleaned_data.get("seen_version"), **fields)

        logged = self.personal and editing
        return form_page(
            request,
            form,
            save,
            success=lambda saved: str(SAVED if editing else self.created),
            success_url=self.success_url,
            formset=formset,
            shown=(lambda: self.shown(record)) if logged and self.shown else None,
            template=self.template,
            title=self.edit_title if editing else self.new_title,
            commune=commune,
            record=record,
            subject=record if logged else None,
            cancel_url=cancel_url,
        )
