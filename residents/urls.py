from django.urls import path

from .views import households, lifecycle, people, retention, search, situation, transfers

app_name = "residents"
urlpatterns = [
    path("search/", search.search, name="search"),
    path("people/<int:pk>/", people.person_file, name="person"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/actions/<str:action>/", lifecycle.person_action, name="person_action"),
    path("people/duplicates/", people.person_duplicates, name="person_duplicates"),
    path("hamlets/<int:hamlet_pk>/people/new/", people.person_new, name="person_create"),
    path("hamlets/<int:hamlet_pk>/households/new/", households.household_new, name="household_create"),
    path("households/<int:pk>/", households.household_detail, name="household"),
    path("households/<int:pk>/edit/", households.household_edit, name="household_edit"),
    path("households/<int:pk>/move/", households.household_move_view, name="household_move"),
    path("households/<int:pk>/end/", households.household_end, name="household_end"),
    path("households/<int:household_pk>/members/new/", people.person_new, name="member_create"),
    path("transfers/", transfers.transfer_list, name="transfers"),
    path("past-retention/", retention.past_retention, name="past_retention"),
    path("transfers/<int:pk>/<str:decision>/", transfers.transfer_resolve, name="transfer_resolve"),
    path("communes/<commune_code:code>/cases/", situation.DrugCaseList.as_view(), name="case_list"),
    path("communes/<commune_code:code>/cases/new/", situation.case_create, name="case_create"),
    path("cases/<int:pk>/", situation.DrugCaseDetail.as_view(), name="case_detail"),
    path("cases/<int:pk>/edit/", situation.case_edit, name="case_edit"),
    path("communes/<commune_code:code>/incidents/", situation.IncidentList.as_view(), name="incident_list"),
    path("communes/<commune_code:code>/incidents/new/", situation.incident_create, name="incident_create"),
    path("incidents/<int:pk>/edit/", situation.incident_edit, name="incident_edit"),
]
