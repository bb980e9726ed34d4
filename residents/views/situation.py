"""Drug cases (with their arrested suspects) and incidents: they name people, so reviewers need the right to names."""

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from communes.records import RecordDetailView, RecordListView, RecordPages
from residents.forms.situation import (
    DrugCaseFilterForm,
    DrugCaseForm,
    IncidentFilterForm,
    IncidentForm,
    SuspectFormSet,
)
from residents.models import ArrestedSuspect, DrugCase, Incident
from residents.services.situation import drug_case_save, incident_save

CASE_PAGES = RecordPages(
    form=DrugCaseForm,
    formset=SuspectFormSet,
    save=drug_case_save,
    new_title=_("Thêm vụ án ma túy"),
    edit_title=_("Sửa vụ án ma túy"),
    list_url="residents:case_list",
    detail_url="residents:case_detail",
    personal=True,
    # The suspects' rows show their names and CCCDs.
    shown=lambda case: [suspect.person for suspect in case.suspects.select_related("person")],
    template="residents/case_form.html",
)
case_create = CASE_PAGES.create_view()
case_edit = CASE_PAGES.edit_view()


class DrugCaseList(RecordListView):
    model = DrugCase
    personal = True
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


class DrugCaseDetail(RecordDetailView):
    model = DrugCase
    personal = True
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


INCIDENT_PAGES = RecordPages(
    form=IncidentForm,
    save=incident_save,
    new_title=_("Thêm vụ việc"),
    edit_title=_("Sửa vụ việc"),
    list_url="residents:incident_list",
    personal=True,
    shown=lambda incident: [incident.person],  # the form shows the person's CCCD
)
incident_create = INCIDENT_PAGES.create_view()
incident_edit = INCIDENT_PAGES.edit_view()


class IncidentList(RecordListView):
    model = Incident
    personal = True
    filter_form_class = IncidentFilterForm
    partial_template_name = "residents/_incident_table.html"
    heading = _("Vụ việc (người có biểu hiện loạn thần gây ra)")
    create_url_name = "residents:incident_create"

    def get_queryset(self):
        return super().get_queryset().select_related("hamlet", "person").order_by("-occurred_on", "-pk")

    def shown(self, context) -> list:
        incidents = super().shown(context)
        return incidents + [incident.person for incident in incidents]
