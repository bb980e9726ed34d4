from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scoping import (
    LifecycleRecordAdmin,
    NeverDeleted,
    ReadOnlyInlineMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
    related_only,
)

from .models import (
    AddictionAssessment,
    ArrestedSuspect,
    DrugCase,
    DrugTest,
    Household,
    Incident,
    Person,
    PostRehabManagement,
    Reintegration,
    ResidenceCheck,
    RiskFlag,
    Suspicion,
    Treatment,
    UserManagement,
)


class PersonalAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Personal data: scoped, hidden from aggregate-only reviewers, every change kept in history."""


@admin.register(Household)
class HouseholdAdmin(NeverDeleted, PersonalAdmin):
    list_display = ("code", "head_name", "hamlet", "commune", "members_count", "status")
    list_filter = ("status", ("commune", related_only), ("hamlet", related_only))
    search_fields = ("code", "head_name_key", "head_cccd")
    list_select_related = ("hamlet", "commune")
    list_per_page = 50
    # Moving a household (its members with it) and ending its residence are services (residents.services.households).
    lifecycle_fields = ("status", "status_changed_on")
    # Households are never deleted: a household that moved away or dissolved is ended, and its pledges stay.
    fixed_fields = ("commune", "hamlet")


class RecordInline(ReadOnlyInlineMixin, admin.TabularInline):
    """A person's records on their admin page, as written by the lifecycle services."""

    extra = 0
    exclude = ("created_by",)
    show_change_link = True


class SuspicionInline(RecordInline):
    model = Suspicion


class DrugTestInline(RecordInline):
    model = DrugTest
    fk_name = "person"


class UserManagementInline(RecordInline):
    model = UserManagement
    exclude = ("created_by", "positive_test", "team_leader")


class TreatmentInline(RecordInline):
    model = Treatment


class PostRehabInline(RecordInline):
    model = PostRehabManagement
    exclude = ("created_by", "treatment")


@admin.register(Person)
class PersonAdmin(NeverDeleted, PersonalAdmin):
    list_display = ("full_name", "cccd", "birth_year_display", "sex", "hamlet", "commune", "status", "psychosis_risk")
    list_filter = ("status", "psychosis_risk", "sex", ("commune", related_only), ("hamlet", related_only))
    search_fields = ("name_key", "cccd")
    list_select_related = ("hamlet", "commune")
    raw_id_fields = ("household",)
    inlines = [SuspicionInline, DrugTestInline, UserManagementInline, TreatmentInline, PostRehabInline]
    list_per_page = 50
    # Status and the psychosis flag follow the person's records (residents.services.lifecycle); a person changes
    # commune or hamlet with their household.
    lifecycle_fields = ("status", "psychosis_risk")
    # A person is never deleted (their records would go with them): they leave management through the services.
    fixed_fields = ("commune", "hamlet")

    @admin.display(description=_("Năm sinh"))
    def birth_year_display(self, person):
        return person.year_of_birth


class PersonRecordAdmin(LifecycleRecordAdmin, SimpleHistoryAdmin):
    """What a lifecycle service wrote; only the wording (note, facility, numbers…) is corrected here."""

    scope_path = "person__commune"
    list_select_related = ("person",)
    search_fields = ("person__name_key", "person__cccd")
    raw_id_fields = ("person",)
    exclude = ("created_by",)


@admin.register(Suspicion)
class SuspicionAdmin(PersonRecordAdmin):
    list_display = ("person", "listed_on", "trigger", "closed_on")
    lifecycle_fields = ("person", "listed_on", "trigger", "closed_on")
    list_filter = ("trigger", ("person__commune", related_only))


@admin.register(DrugTest)
class DrugTestAdmin(PersonRecordAdmin):
    list_display = ("person", "tested_on", "method", "result", "substances")
    list_filter = ("result", "method", ("person__commune", related_only))
    raw_id_fields = ("person", "suspicion")
    lifecycle_fields = ("person", "suspicion", "tested_on", "result")


@admin.register(UserManagement)
class UserManagementAdmin(PersonRecordAdmin):
    list_display = ("person", "decision_number", "decision_date", "starts_on", "ends_on", "ended_on", "end_reason")
    list_filter = ("end_reason", ("person__commune", related_only))
    raw_id_fields = ("person", "positive_test", "team_leader")
    lifecycle_fields = ("person", "positive_test", "decision_date", "starts_on", "ends_on", "ended_on", "end_reason")


@admin.register(AddictionAssessment)
class AddictionAssessmentAdmin(PersonRecordAdmin):
    list_display = ("person", "assessed_on", "facility", "criteria_met", "result")
    list_filter = ("result", ("person__commune", related_only))
    lifecycle_fields = ("person", "assessed_on", "criteria_met", "result")


@admin.register(Treatment)
class TreatmentAdmin(PersonRecordAdmin):
    list_display = ("person", "form", "starts_on", "planned_end_on", "ended_on", "outcome")
    list_filter = ("form", "outcome", ("person__commune", related_only))
    lifecycle_fields = ("person", "form", "starts_on", "planned_end_on", "ended_on", "outcome")


@admin.register(PostRehabManagement)
class PostRehabManagementAdmin(PersonRecordAdmin):
    list_display = ("person", "decision_number", "starts_on", "ends_on", "ended_on", "end_reason")
    list_filter = ("end_reason", ("person__commune", related_only))
    raw_id_fields = ("person", "treatment")
    lifecycle_fields = ("person", "treatment", "starts_on", "ends_on", "ended_on", "end_reason")


@admin.register(Reintegration)
class ReintegrationAdmin(PersonRecordAdmin):
    list_display = ("person", "released_on", "prison", "ended_on")
    list_filter = (("person__commune", related_only),)
    lifecycle_fields = ("person", "released_on", "ended_on")


@admin.register(ResidenceCheck)
class ResidenceCheckAdmin(PersonRecordAdmin):
    list_display = ("person", "checked_on", "present", "checked_by")
    list_filter = ("present", ("person__commune", related_only))
    raw_id_fields = ("person", "checked_by")
    lifecycle_fields = ("person", "checked_on", "present", "checked_by")


@admin.register(RiskFlag)
class RiskFlagAdmin(PersonRecordAdmin):
    list_display = ("person", "kind", "flagged_on", "cleared_on")
    list_filter = ("kind", ("person__commune", related_only))
    lifecycle_fields = ("person", "kind", "flagged_on", "cleared_on")


class ArrestedSuspectInline(ScopedInlineMixin, admin.TabularInline):
    model = ArrestedSuspect
    extra = 0
    raw_id_fields = ("person",)


@admin.register(DrugCase)
class DrugCaseAdmin(PersonalAdmin):
    list_display = ("number", "offence", "detected_on", "commune", "hamlet")
    list_filter = (("commune", related_only),)
    search_fields = ("number", "offence")
    list_select_related = ("commune", "hamlet")
    inlines = [ArrestedSuspectInline]


@admin.register(ArrestedSuspect)
class ArrestedSuspectAdmin(PersonalAdmin):
    scope_path = "case__commune"
    list_display = ("full_name", "birth_year", "arrested_on", "case")
    list_filter = (("case__commune", related_only),)
    search_fields = ("full_name",)
    list_select_related = ("case",)
    raw_id_fields = ("case", "person")


@admin.register(Incident)
class IncidentAdmin(PersonalAdmin):
    list_display = ("occurred_on", "severity", "caused_by_psychosis", "commune", "hamlet", "person")
    list_filter = ("severity", "caused_by_psychosis", ("commune", related_only))
    list_select_related = ("commune", "hamlet", "person")
    raw_id_fields = ("person",)
