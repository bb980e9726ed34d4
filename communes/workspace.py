"""Generic views for the records a commune keeps (hotspots, models, cases…): scoped, audited, paginated.

Every record belongs to one commune. Lists and "new" pages name the commune in the URL, so another commune's page
is a 404 like any other record of it; records are fetched through the user's scope; read-only roles get a 403 on
any write before anything is looked up. Apps above communes (pledges, residents) subclass these views.
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectTemplateResponseMixin
from django.views.generic.edit import ModelFormMixin, ProcessFormView

from accounts.audit import audited_delete, audited_save, log_shown
from accounts.scopes import personal_scope_q, require_write, scope_q
from drugfree.concurrency import EditConflict, ensure_unchanged
from drugfree.forms import add_integrity_error
from drugfree.pagination import PER_PAGE, with_links
from drugfree.redirects import safe_next

from .models import Commune
from .selectors import commune_for_user


class ScopedRecordMixin:
    """Access rules shared by every workspace view of one kind of record."""

    model = None
    # Path from the record to its commune, for scoping.
    commune_path = "commune"
    # Records naming people are hidden from reviewers who may only see aggregates.
    personal = False
    writes = False
    # Named URL of the commune's list of these records (it takes the commune code).
    list_url_name = ""

    def dispatch(self, request, *args, **kwargs):
        if self.writes or request.method not in ("GET", "HEAD"):
            require_write(request.user)
        return super().dispatch(request, *args, **kwargs)

    def scope(self, path: str):
        return (personal_scope_q if self.personal else scope_q)(self.request.user, path)

    def get_queryset(self):
        return self.model._default_manager.filter(self.scope(self.commune_path))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(can_write=self.request.user.can_write_records, **kwargs)
        if self.personal:
            # Every rendered page of personal records (list, detail, edit form) is a read: log what it shows.
            log_shown(self.request, self.shown(context), subject=context.get("object"))
        return context

    def shown(self, context) -> list:
        """The records the page shows besides its subject (the page of a list); views add the people they name."""
        return list(context.get("object_list") or [])


class InCommuneMixin(ScopedRecordMixin):
    """For pages under /<commune code>/: the list of a commune's records and the form for a new one."""

    @cached_property
    def commune(self) -> Commune:
        return commune_for_user(self.request.user, self.kwargs["code"], personal=self.personal)

    def get_context_data(self, **kwargs):
        return super().get_context_data(commune=self.commune, **kwargs)


class BackToListMixin:
    """For records without a page of their own (incidents, plant destructions…): saving goes back to the list."""

    def get_success_url(self):
        return reverse(self.list_url_name, args=[self.object.commune.code])


class RecordListView(InCommuneMixin, ListView):
    """A commune's records, filtered by `filter_form_class` (GET, kept in the URL) and paginated."""

    paginate_by = PER_PAGE
    filter_form_class = None
    template_name = "communes/record_list.html"
    # The results table; htmx requests (filters changing) get just this partial.
    partial_template_name = ""
    heading = ""
    create_url_name = ""

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
        context = super().get_context_data(filter_form=self.filter_form, **kwargs)
        page = context.get("page_obj")
        if page is not None:
            with_links(page, self.request)
        return context


class RecordDetailView(ScopedRecordMixin, DetailView):
    pass


class _RecordFormView(ScopedRecordMixin, SingleObjectTemplateResponseMixin, ModelFormMixin, ProcessFormView):
    """Create or edit one record, with an optional inline formset of its children, saved together or not at all."""

    writes = True
    template_name = "communes/record_form.html"
    success_message = gettext_lazy("Đã lưu.")
    formset_class = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["commune"] = self.record_commune
        return kwargs

    @cached_property
    def formset(self):
        if self.formset_class is None:
            return None
        data = (self.request.POST, self.request.FILES) if self.request.method == "POST" else ()
        instance = self.object if self.object is not None else self.new_record()
        return self.formset_class(*data, instance=instance, form_kwargs={"commune": self.record_commune})

    def get_context_data(self, **kwargs):
        return super().get_context_data(formset=self.formset, **kwargs)

    def form_valid(self, form):
        if self.formset is not None:
            self.formset.instance = form.instance  # children are checked against the parent as submitted
            if not self.formset.is_valid():
                return self.form_invalid(form)
        try:
            self.object = self.save(form)
        except EditConflict as conflict:
            # Nothing was saved: show the officer what the colleague saved, with their own input kept.
            rows = form.conflict_differences(conflict.current)  # before rebasing, which fills `current` in
            return self.render_to_response(self.get_context_data(form=form.rebased_on(conflict.current), conflict=rows))
        except IntegrityError as error:
            add_integrity_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        # Back where the officer came from when that page said so (a dashboard's gap list), else to the list.
        return redirect(safe_next(self.request) or self.get_success_url())

    def form_invalid(self, form):
        if self.formset is not None:
            self.formset.instance = form.instance
            self.formset.is_valid()  # so its errors show next to the form's
        return super().form_invalid(form)

    @transaction.atomic
    def save(self, form):
        if self.object is not None and "seen_version" in form.cleaned_data:
            ensure_unchanged(self.object, form.cleaned_data["seen_version"])
        # The bound forms validated the record and its children (full_clean): saving re-validates nothing.
        record = audited_save(form.save(commit=False), actor=self.request.user, validate=False)
        form.save_m2m()
        if self.formset is not None:
            self.formset.instance = record
            for child in self.formset.save(commit=False):
                audited_save(child, actor=self.request.user, validate=False)
            for child in self.formset.deleted_objects:
                audited_delete(child, actor=self.request.user)
        return record


class RecordCreateView(InCommuneMixin, _RecordFormView):
    def get(self, request, *args, **kwargs):
        self.object = None
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = None
        return super().post(request, *args, **kwargs)

    @property
    def record_commune(self):
        return self.commune

    @property
    def cancel_url(self) -> str:
        return reverse(self.list_url_name, args=[self.commune.code])

    def new_record(self):
        """The unsaved record the form fills in, already in its commune so model validation sees it."""
        return self.model(**{self.commune_path: self.commune})

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.new_record()
        return kwargs


class RecordUpdateView(_RecordFormView):
    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    @property
    def record_commune(self):
        commune = self.object
        for step in self.commune_path.split("__"):
            commune = getattr(commune, step)
        return commune

    @property
    def cancel_url(self) -> str:
        return self.get_success_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(commune=self.record_commune, **kwargs)
