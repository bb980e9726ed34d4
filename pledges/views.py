"""Pledge pages: the hamlet checklist, the commune's per-hamlet summary and the printable pledge form."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.audit import log_shown
from accounts.models import AccessLog
from accounts.scopes import require_write
from communes.models import Hamlet, SecurityTeam
from communes.records import RecordDetailView, RecordListView, RecordPages
from communes.selectors import commune_for_user, hamlet_for_user
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
from .services import PledgeConflict, PledgeRowRefused, pledge_state, pledges_record, programme_record_save

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
    log_shown(request, households.values())  # every row names the head of household
    page = {"defaults": defaults, "confirm_withdrawal": confirm_withdrawal, "conflicts": conflicts}
    context = _checklist_context(request, hamlet, year, formset, households, page)
    return render(request, "pledges/checklist.html", context)


def _checklist_context(request, hamlet, year: int, formset, households: dict, page: dict) -> dict:
    if formset.is_bound:
        rows = checklist_rows.submitted_rows(formset, year)
    else:
        rows = checklist_rows.initial_rows(households.values(), year)
    can_write = request.user.can_write_records
    return {
        **page,
        "rows": rows,
        "rows_html": checklist_rows.rows_html(rows, page["conflicts"]) if can_write else "",
        "hamlet": hamlet,
        "year": year,
        "formset": formset,
        # Never `formset.…` in the template: a formset answers a template's lookup `formset.x` with formset["x"],
        # which builds every row's form before failing over to the attribute.
        "management_form": formset.management_form,
        "non_form_errors": formset.non_form_errors(),
        "counts": selectors.checklist_counts(households.values()),
        "can_write": can_write,
        "year_links": _year_links("pledges:checklist", hamlet.pk, year),
    }


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


MODEL_PAGES = RecordPages(
    form=PreventionModelForm,
    save=programme_record_save,
    new_title=gettext_lazy("Thêm mô hình phòng, chống ma túy"),
    edit_title=gettext_lazy("Sửa mô hình phòng, chống ma túy"),
    list_url="pledges:model_list",
    detail_url="pledges:model_detail",
)
model_create = MODEL_PAGES.create_view()
model_edit = MODEL_PAGES.edit_view()


class PreventionModelList(RecordListView):
    model = PreventionModel
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


class PreventionModelDetail(RecordDetailView):
    model = PreventionModel
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


# An activity's commune is its model's, reached through the model in the URL; saving goes back to the model's page.
ACTIVITY_PAGES = RecordPages(
    form=ModelActivityForm,
    save=programme_record_save,
    new_title=gettext_lazy("Thêm hoạt động của mô hình"),
    list_url="pledges:model_list",
    back=lambda activity: reverse("pledges:model_detail", args=[activity.model_id]),
    commune_path="model__commune",
)


@require_http_methods(["GET", "POST"])
def activity_create(request, pk: int):
    require_write(request.user)
    prevention_model = get_object_or_404(PreventionModel.objects.visible_to(request.user), pk=pk)
    cancel_url = reverse("pledges:model_detail", args=[prevention_model.pk])
    activity = ModelActivity(model=prevention_model)
    return ACTIVITY_PAGES.page(request, activity, prevention_model.commune, cancel_url=cancel_url)


COMMITMENT_PAGES = RecordPages(
    form=HamletCommitmentForm,
    save=programme_record_save,
    new_title=gettext_lazy("Thôn đăng ký cam kết"),
    edit_title=gettext_lazy("Sửa đăng ký cam kết của thôn"),
    list_url="pledges:commitment_list",
    # Back to the list of the commitment's year.
    back=lambda commitment: (
        reverse("pledges:commitment_list", args=[commitment.hamlet.commune.code]) + f"?year={commitment.year}"
    ),
    commune_path="hamlet__commune",
)
commitment_create = COMMITMENT_PAGES.create_view(new_record=lambda commune: HamletCommitment())
commitment_edit = COMMITMENT_PAGES.edit_view()


class CommitmentList(RecordListView):
    model = HamletCommitment
    commune_path = "hamlet__commune"
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


COMPACT_PAGES = RecordPages(
    form=EmulationCompactForm,
    save=programme_record_save,
    new_title=gettext_lazy("Thêm giao ước thi đua"),
    edit_title=gettext_lazy("Sửa giao ước thi đua"),
    list_url="pledges:compact_list",
)
compact_create = COMPACT_PAGES.create_view()
compact_edit = COMPACT_PAGES.edit_view()


class CompactList(RecordListView):
    model = EmulationCompact
    partial_template_name = "pledges/_compact_table.html"
    heading = gettext_lazy("Giao ước thi đua giữa các tổ an ninh trật tự")
    create_url_name = "pledges:compact_create"

    def get_queryset(self):
        teams = SecurityTeam.objects.select_related("hamlet").order_by("name")
        return super().get_queryset().prefetch_related(Prefetch("teams", queryset=teams)).order_by("-signed_on", "pk")
