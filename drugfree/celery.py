"""Celery wiring: with CELERY_BROKER_URL unset, tasks run eagerly in-process (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drugfree.settings")

app = Celery("drugfree")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
