from django.urls import path

from . import views

app_name = "pledges"
urlpatterns = [
    path("", views.index, name="index"),
    path("communes/<commune_code:code>/<programme_year:year>/", views.commune_summary, name="commune"),
    path("hamlets/<int:hamlet_pk>/<programme_year:year>/", views.checklist, name="checklist"),
    path("households/<int:household_pk>/<programme_year:year>/print/", views.print_form, name="print_form"),
]

urlpatterns += [
    path("communes/<commune_code:code>/models/", views.PreventionModelList.as_view(), name="model_list"),
    path("communes/<commune_code:code>/models/new/", views.model_create, name="model_create"),
    path("models/<int:pk>/", views.PreventionModelDetail.as_view(), name="model_detail"),
    path("models/<int:pk>/edit/", views.model_edit, name="model_edit"),
    path("models/<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("communes/<commune_code:code>/commitments/", views.CommitmentList.as_view(), name="commitment_list"),
    path("communes/<commune_code:code>/commitments/new/", views.commitment_create, name="commitment_create"),
    path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("communes/<commune_code:code>/compacts/", views.CompactList.as_view(), name="compact_list"),
    path("communes/<commune_code:code>/compacts/new/", views.compact_create, name="compact_create"),
    path("compacts/<int:pk>/edit/", views.compact_edit, name="compact_edit"),
]
