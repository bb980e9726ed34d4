from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("", views.area_dashboard, name="area_dashboard"),
    path("export/", views.area_export, name="area_export"),
    path("print/", views.area_print, name="area_print"),
    path("communes/<str:code>/", views.commune_dashboard_view, name="commune_dashboard"),
    path("communes/<str:code>/print/", views.commune_print, name="commune_print"),
    path("communes/<str:code>/export/", views.commune_export, name="commune_export"),
    path("communes/<str:code>/review/", views.review_month, name="review_month"),
    path("communes/<str:code>/gaps/<str:metric_key>/", views.gap_list, name="gap_list"),
    path("communes/<str:code>/gaps/<str:metric_key>/export/", views.gap_export, name="gap_export"),
]
