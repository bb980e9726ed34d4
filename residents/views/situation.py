"""Drug cases (with their arrested suspects) and incidents: they name people, so reviewers need the right to names."""

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.workspace import BackToListMixin, RecordCreateView, RecordDetailView, RecordListView, RecordUpdateView
from residents.forms.situation import (
    DrugCaseFilterForm,
    DrugCaseForm,
    IncidentFilterForm,
    IncidentForm,
    SuspectFormSet,
)
from residents.models import ArrestedSuspect, DrugCase, Incident


class DrugCaseMixin:
    model = DrugCase
    personal = True
    list_url_name = "residents:case_list"

    def get_success_url(self):
        return reverse("residents:case_detail", args=[self.object.pk])


class DrugCaseList(DrugCaseMixin, RecordListView):
    filter_form_class = DrugCaseFilterForm
    partial_template_name = "residents/_case_table.html"
    heading = _("Vụ án ma túy")
    create_url_name = "residents:case_create"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("hamlet")
            .annotate(suspects_count=Count("suspects"))
            .order_by("-detected_on", "-pk")
        )


class DrugCaseDetail(DrugCaseMixin, RecordDetailView):
    template_name = "residents/case_detail.html"

    def shown(self, context) -> list:
        # The suspects' names and links to their files: logged like the people's files.
        return [suspect.person for suspect in self.object.suspects.all()]

    def get_queryset(self):
        suspects = ArrestedSuspect.objects.select_related("person").order_by("arrested_on", "pk")
        return (
            super()
            .get_queryset()
            .select_related("hamlet", "commune")
            .prefetch_related(Prefetch("suspects", queryset=suspects))
        )


class DrugCaseCreate(DrugCaseMixin, RecordCreateView):
    form_class = DrugCaseForm
    formset_class = SuspectFormSet
    template_name = "residents/case_form.html"
    title = _("Thêm vụ án ma túy")


class DrugCaseUpdate(DrugCaseMixin, RecordUpdateView):
    form_class = DrugCaseForm
    formset_class = SuspectFormSet
    template_name = "residents/case_form.html"
    title = _("Sửa vụ án ma túy")

    def shown(self, context) -> list:
        # The suspects' rows show their names and CCCDs.
        return [suspect.person for suspect in self.object.suspects.select_related("person")]


class IncidentMixin(BackToListMixin):
    model = Incident
    personal = True
    list_url_name = "residents:incident_list"


class IncidentList(IncidentMixin, RecordListView):
    filter_form_class = IncidentFilterForm
    partial_template_name = "residents/_incident_table.html"
    heading = _("Vụ việc (người có biểu hiện loạn thần gây ra)")
    create_url_name = "residents:incident_create"

    def get_queryset(self):
        return super().get_queryset().select_related("hamlet", "person").order_by("-occurred_on", "-pk")

    def shown(self, context) -> list:
        incidents = super().shown(context)
        return incidents + [incident.person for incident in incidents]


class IncidentCreate(IncidentMixin, RecordCreateView):
    form_class = IncidentForm
    title = _("Thêm vụ việc")


class IncidentUpdate(IncidentMixin, RecordUpdateView):
    form_class = IncidentForm
    title = _("Sửa vụ việc")

    def shown(self, context) -> list:
        return [self.object.person]  # the form shows the person's CCCD
