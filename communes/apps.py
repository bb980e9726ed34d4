from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = _("Đơn vị hành chính và chương trình")

    def ready(self):
        from django.urls import register_converter

        from .converters import CommuneCodeConverter, ProgrammeYearConverter

        register_converter(CommuneCodeConverter, "commune_code")
        register_converter(ProgrammeYearConverter, "programme_year")
