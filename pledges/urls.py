from django.urls import path, register_converter

from . import views


class YearConverter:
    """Programme years as four digits, within the range the pledge table accepts."""

    regex = "20[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(YearConverter, "programme_year")

app_name = "pledges"
urlpatterns = [
    path("", views.index, name="index"),
    path("communes/<str:code>/<programme_year:year>/", views.commune_summary, name="commune"),
    path("hamlets/<int:hamlet_pk>/<programme_year:year>/", views.checklist, name="checklist"),
    path("households/<int:household_pk>/<programme_year:year>/print/", views.print_form, name="print_form"),
]
