from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("<str:code>/hamlets/", views.hamlets, name="hamlets"),
    path("<str:code>/households/", views.households, name="households"),
]
