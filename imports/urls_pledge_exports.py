"""Pledge list exports, mounted at /imports/pledges/ next to the household import pages (namespace "pledge_exports")."""

from django.urls import path

from . import pledge_exports as exports

app_name = "pledge_exports"
urlpatterns = [
    path("export.<str:fmt>", exports.export_pledges, name="export"),
    path("template.xlsx", exports.blank_template, name="template"),
]
