from django.urls import path

from . import views

app_name = "communes"
urlpatterns = [
    path("", views.index, name="index"),
    path("<commune_code:code>/hotspots/", views.HotspotList.as_view(), name="hotspot_list"),
    path("<commune_code:code>/hotspots/new/", views.hotspot_create, name="hotspot_create"),
    path("hotspots/<int:pk>/", views.HotspotDetail.as_view(), name="hotspot_detail"),
    path("hotspots/<int:pk>/edit/", views.hotspot_edit, name="hotspot_edit"),
    path("hotspots/<int:pk>/status/", views.hotspot_status, name="hotspot_status"),
    path("<commune_code:code>/plants/", views.PlantEradicationList.as_view(), name="plant_eradication_list"),
    path("<commune_code:code>/plants/new/", views.plant_eradication_create, name="plant_eradication_create"),
    path("plants/<int:pk>/edit/", views.plant_eradication_edit, name="plant_eradication_edit"),
    path("<commune_code:code>/routes/", views.TraffickingRouteList.as_view(), name="trafficking_route_list"),
    path("<commune_code:code>/routes/new/", views.trafficking_route_create, name="trafficking_route_create"),
    path("routes/<int:pk>/edit/", views.trafficking_route_edit, name="trafficking_route_edit"),
]
