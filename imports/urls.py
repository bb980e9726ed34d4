"""Household list import and export pages, mounted at /imports/ (namespace "imports")."""

from django.urls import path

from . import exports, views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/progress/", views.run_progress, name="progress"),
    path("<int:pk>/mapping/", views.run_mapping, name="mapping"),
    path("<int:pk>/confirm/", views.run_confirm, name="confirm"),
    path("<int:pk>/cancel/", views.run_cancel, name="cancel"),
    path("<int:pk>/annotated/", views.run_annotated, name="annotated"),
    path("exports/", exports.exports_page, name="exports"),
    path("exports/households.<str:fmt>", exports.export_households, name="export_households"),
    path("exports/people.<str:fmt>", exports.export_people, name="export_people"),
    path("templates/<str:kind>.xlsx", exports.blank_template, name="template"),
]
