"""Preloaded by the spreadsheet readers' forkserver (`isolation.py`): Django is set up once there, so each child
forked from it starts at once, with the readers and the translation catalogues already loaded."""

import importlib
import os

import django
from django.apps import apps
from django.utils import translation


def prepare() -> None:
    """Django set up in this process (the forkserver, or a child whose server could not do it)."""
    if not apps.ready and os.environ.get("DJANGO_SETTINGS_MODULE"):
        django.setup()


def _warm() -> None:
    prepare()
    if apps.ready:
        importlib.import_module("imports.reading")
        translation.gettext("Tệp quá lớn")  # loads the catalogues before the fork


_warm()
