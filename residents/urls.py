from django.urls import path

from .views import situation

app_name = "residents"
urlpatterns = [
    path("communes/<commune_code:code>/cases/", situation.DrugCaseList.as_view(), name="case_list"),
    path("communes/<commune_code:code>/cases/new/", situation.DrugCaseCreate.as_view(), name="case_create"),
    path("cases/<int:pk>/", situation.DrugCaseDetail.as_view(), name="case_detail"),
    path("cases/<int:pk>/edit/", situation.DrugCaseUpdate.as_view(), name="case_edit"),
    path("communes/<commune_code:code>/incidents/", situation.IncidentList.as_view(), name="incident_list"),
    path("communes/<commune_code:code>/incidents/new/", situation.IncidentCreate.as_view(), name="incident_create"),
    path("incidents/<int:pk>/edit/", situation.IncidentUpdate.as_view(), name="incident_edit"),
]
