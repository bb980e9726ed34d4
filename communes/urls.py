from django.urls import path

from . import views

app_name = "communes"
urlpatterns = [
    path("", views.index, name="index"),
    path("<commune_code:code>/", views.detail, name="detail"),
    path("<commune_code:code>/hotspots/", views.HotspotList.as_view(), name="hotspot_list"),
    path("<commune_code:code>/hotspots/new/", views.HotspotCreate.as_view(), name="hotspot_create"),
    path("hotspots/<int:pk>/", views.HotspotDetail.as_view(), name="hotspot_detail"),
    path("hotspots/<int:pk>/edit/", views.HotspotUpdate.as_view(), name="hotspot_edit"),
    path("hotspots/<int:pk>/status/", views.hotspot_status, name="hotspot_status"),
]
