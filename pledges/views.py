"""Pledges workspace: the hamlet checklist, the commune's per-hamlet summary and the printable pledge form."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import log_shown
from accounts.models import AccessLog
from accounts.scopes import require_write
from communes.models import Hamlet, SecurityTeam
from communes.selectors import commune_for_user, hamlet_for_user
from communes.workspace import RecordCreateView, RecordDetailView, RecordListView, RecordUpdateView
from drugfree.pagination import paginate
from drugfree.redirects import safe_next
from residents.models import Household

from . import checklist_rows, selectors
from .forms import (
    ChecklistDefaultsForm,
    CommitmentFilterForm,
    EmulationCompactForm,
    HamletCommitmentForm,
    ModelActivityForm,
    PledgeChecklistFormSet,
    PreventionModelFilterForm,
    PreventionModelForm,
    validate_signing_date,
)
from .models import EmulationCompact, HamletCommitment, ModelActivity, PreventionModel
from .services import PledgeConflict, PledgeRowRefused, pledge_state, pledges_record

YEARS_OFFERED = 5  # the year selector offers this year and the four before it


def _year_links(view_name: str, key, year: int) -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    years = sorted({*range(this_year - YEARS_OFFERED + 1, this_year + 1), year}, reverse=True)
    return [(each, reverse(view_name, args=[key, each])) for each in years]


def index(request):
    """Commune roles go straight to their commune's pledges; others pick a commune first."""
    if not request.user.commune_id:
        return redirect("communes:index")
    return redirect("pledges:commune", request.user.commune.code, timezone.localdate().year)


def commune_summary(request, code: str, year: int):
    commune = commune_for_user(request.user, code)
    hamlets = [
        (hamlet, selectors.percentage(hamlet.signed, hamlet.residing))
        for hamlet in selectors.commune_hamlet_counts(commune, year)
    ]
    totals = selectors.household_counts(Household.objects.filter(commune=commune), year)
    return render(
        request,
        "pledges/commune_summary.html",
        {
            "commune": commune,
            "year": year,
            "hamlets": hamlets,
            "totals": totals,
            "year_links": _year_links("pledges:commune", commune.code, year),
            "show_checklists": request.user.can_view_personal_data,
        },
    )


def _default_signing_date(year: int):
    today = timezone.localdate()
    try:
        validate_signing_date(today, year)
    except forms.ValidationError:
        return None
    return today


def _show_on_row(formset, refused: PledgeRowRefused) -> None:
    """A refused row's reasons next to its fields (the household's name when no field is named); nothing was saved."""
    for form in formset.forms:
        if form.cleaned_data.get("household") == refused.household:
            for field, reasons in refused.reasons.items():
                form.add_error(field if field in ("signed_on", "representative_name") else "household", reasons)


def checklist(request, hamlet_pk: int, year: int):
    """Every residing household of the hamlet with its pledge for the year, saved in one go."""
    if request.method == "POST":
        require_write(request.user)  # before the lookup: a read-only role is refused whatever it names
    hamlet = hamlet_for_user(request.user, hamlet_pk)
    households = {household.pk: household for household in selectors.checklist_households(hamlet, year)}
    confirm_withdrawal, conflicts = [], {}
    if request.method == "POST":
        defaults = ChecklistDefaultsForm(request.POST, year=year)
        default_date = defaults.cleaned_data["default_signed_on"] if defaults.is_valid() else None
        form_kwargs = {"households": households, "year": year, "default_signed_on": default_date}
        formset = PledgeChecklistFormSet(request.POST, prefix=checklist_rows.PREFIX, form_kwargs=form_kwargs)
        if defaults.is_valid() and formset.is_valid():
            withdrawn = formset.withdrawn()
            if withdrawn and not request.POST.get("confirm_withdrawal"):
                confirm_withdrawal = withdrawn
            else:
                try:
                    counts = pledges_record(actor=request.user, year=year, entries=formset.entries())
                except PledgeConflict as conflict:
                    conflicts = conflict.current
                    formset = _with_seen_states(formset, conflicts, form_kwargs)
                except PledgeRowRefused as refused:
                    _show_on_row(formset, refused)
                    messages.error(request, _("Chưa lưu gì: %(reason)s") % {"reason": refused.messages[0]})
                else:
                    messages.success(
                        request,
                        _("Đã lưu: %(created)s hộ ký mới, %(updated)s hộ sửa, %(removed)s hộ rút cam kết.") % counts,
                    )
                    return redirect(safe_next(request) or reverse("pledges:checklist", args=[hamlet.pk, year]))
    else:
        defaults = ChecklistDefaultsForm(initial={"default_signed_on": _default_signing_date(year)}, year=year)
        # Only the management form is rendered from it: the rows are written from the households themselves.
        formset = PledgeChecklistFormSet(
            initial=[{"household": pk} for pk in households],
            prefix=checklist_rows.PREFIX,
            form_kwargs={"households": households, "year": year, "default_signed_on": None},
        )
    counts = selectors.household_counts(Household.objects.filter(hamlet=hamlet), year)
    log_shown(request, households.values())  # every row names the head of household
    return render(
        request,
        "pledges/checklist.html",
        {
            "hamlet": hamlet,
            "year": year,
            "defaults": defaults,
            "formset": formset,
            # Never `formset.…` in the template: a formset answers a template's lookup `formset.x` with
            # formset["x"], which builds every row's form before failing over to the attribute.
            "management_form": formset.management_form,
            "non_form_errors": formset.non_form_errors(),
            "rows": checklist_rows.submitted_rows(formset, year)
            if formset.is_bound
            else checklist_rows.initial_rows(households.values(), year),
            "counts": counts,
            "confirm_withdrawal": confirm_withdrawal,
            "conflicts": conflicts,
            "can_write": request.user.can_write_records,
            "year_links": _year_links("pledges:checklist", hamlet.pk, year),
        },
    )


def _with_seen_states(formset, conflicts: dict, form_kwargs: dict):
    """The officer's input again, now marked as having seen the other officer's save: the next save applies it."""
    data = formset.data.copy()
    for form in formset.forms:
        household_id = form.cleaned_data["household"].pk
        if household_id in conflicts:
            data[form.add_prefix("seen")] = pledge_state(conflicts[household_id])
    rebuilt = PledgeChecklistFormSet(data, prefix=checklist_rows.PREFIX, form_kwargs=form_kwargs)
    rebuilt.is_valid()
    return rebuilt


def print_form(request, household_pk: int, year: int):
    """A blank pledge form for the household's representative to sign, pre-filled with the household."""
    household = get_object_or_404(
        Household.objects.visible_to(request.user).select_related("hamlet", "commune__province"), pk=household_pk
    )
    if household.status != Household.Status.RESIDING:
        raise Http404
    # Creation order puts the head first, as the residence database lists them.
    members = list(
        household.members.order_by("id").only("full_name", "birth_year", "birth_date", "sex", "cccd", "commune_id")
    )
    size = household.size(len(members))
    log_shown(
        request,
        members,
        subject=household,
        action=AccessLog.Action.PRINT,
        description=_("In mẫu cam kết năm %(year)s") % {"year": year},
    )
    # Blank lines for the declared members without a record, so the printed list adds up to the declared size.
    context = {"household": household, "members": members, "year": year, "size": size}
    context["blank_rows"] = range(size.unrecorded)
    return render(request, "pledges/print_form.html", context)


# --- Prevention models, hamlet commitments, emulation compacts: aggregate records, visible to reviewers too ---


class PreventionModelMixin:
    model = PreventionModel
    list_url_name = "pledges:model_list"

    def get_success_url(self):
        return reverse("pledges:model_detail", args=[self.object.pk])


class PreventionModelList(PreventionModelMixin, RecordListView):
    filter_form_class = PreventionModelFilterForm
    partial_template_name = "pledges/_model_table.html"
    heading = gettext_lazy("Mô hình phòng, chống ma túy")
    create_url_name = "pledges:model_create"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(activities_count=Count("activities"))
            .prefetch_related(Prefetch("hamlets", queryset=Hamlet.objects.order_by("name")))
            .order_by("status", "-launched_on", "pk")
        )


class PreventionModelDetail(PreventionModelMixin, RecordDetailView):
    template_name = "pledges/model_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("commune").prefetch_related("hamlets")

    def get_context_data(self, **kwargs):
        activities = paginate(self.request, self.object.activities.order_by("-held_on", "-pk"))
        return super().get_context_data(
            activities=activities,
            activity_form=ModelActivityForm(commune=self.object.commune),
            **kwargs,
        )


class PreventionModelCreate(PreventionModelMixin, RecordCreateView):
    form_class = PreventionModelForm
    title = gettext_lazy("Thêm mô hình phòng, chống ma túy")


class PreventionModelUpdate(PreventionModelMixin, RecordUpdateView):
    form_class = PreventionModelForm
    title = gettext_lazy("Sửa mô hình phòng, chống ma túy")


class ModelActivityCreate(RecordCreateView):
    """An activity of a model: its commune is the model's, reached through the model in the URL."""

    model = ModelActivity
    commune_path = "model__commune"
    form_class = ModelActivityForm
    title = gettext_lazy("Thêm hoạt động của mô hình")

    @cached_property
    def prevention_model(self) -> PreventionModel:
        return get_object_or_404(PreventionModel.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    @cached_property
    def commune(self):
        return self.prevention_model.commune

    def new_record(self):
        return ModelActivity(model=self.prevention_model)

    @property
    def cancel_url(self) -> str:
        return reverse("pledges:model_detail", args=[self.prevention_model.pk])

    def get_success_url(self):
        return self.cancel_url


class CommitmentMixin:
    model = HamletCommitment
    commune_path = "hamlet__commune"
    list_url_name = "pledges:commitment_list"

    def get_success_url(self):
        return reverse(self.list_url_name, args=[self.object.hamlet.commune.code]) + f"?year={self.object.year}"


class CommitmentList(CommitmentMixin, RecordListView):
    filter_form_class = CommitmentFilterForm
    template_name = "pledges/commitment_list.html"
    partial_template_name = "pledges/_commitment_table.html"
    heading = gettext_lazy("Thôn đăng ký cam kết")
    create_url_name = "pledges:commitment_create"

    def get_queryset(self):
        return super().get_queryset().select_related("hamlet").order_by("-year", "hamlet__name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filter_form
        year = (form.cleaned_data.get("year") if form is not None and form.is_valid() else None) or (
            timezone.localdate().year
        )
        context["coverage"] = selectors.commitment_coverage(self.commune, year)
        context["missing_hamlets"] = selectors.hamlets_without_commitment(self.commune, year)
        return context


class CommitmentCreate(CommitmentMixin, RecordCreateView):
    form_class = HamletCommitmentForm
    title = gettext_lazy("Thôn đăng ký cam kết")

    def new_record(self):
        return HamletCommitment()


class CommitmentUpdate(CommitmentMixin, RecordUpdateView):
    form_class = HamletCommitmentForm
    title = gettext_lazy("Sửa đăng ký cam kết của thôn")


class CompactMixin:
    model = EmulationCompact
    list_url_name = "pledges:compact_list"

    def get_success_url(self):
        return reverse(self.list_url_name, args=[self.object.commune.code])


class CompactList(CompactMixin, RecordListView):
    partial_template_name = "pledges/_compact_table.html"
    heading = gettext_lazy("Giao ước thi đua giữa các tổ an ninh trật tự")
    create_url_name = "pledges:compact_create"

    def get_queryset(self):
        teams = SecurityTeam.objects.select_related("hamlet").order_by("name")
        return super().get_queryset().prefetch_related(Prefetch("teams", queryset=teams)).order_by("-signed_on", "pk")


class CompactCreate(CompactMixin, RecordCreateView):
    form_class = EmulationCompactForm
    title = gettext_lazy("Thêm giao ước thi đua")


class CompactUpdate(CompactMixin, RecordUpdateView):
    form_class = EmulationCompactForm
    title = gettext_lazy("Sửa giao ước thi đua")
