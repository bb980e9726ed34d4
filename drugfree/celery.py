"""Celery wiring: with CELERY_BROKER_URL unset, tasks run eagerly in-process (see settings)."""

import os

from celery import Celery, signals

from .log import bind_request_id, release_request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drugfree.settings")

app = Celery("drugfree")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _tag_log_lines_with_task(task_id=None, task=None, **kwargs):
    # A background job's log lines carry its task id where a request's carry the request id.
    task.request.log_token = bind_request_id(f"task-{task_id}")


@signals.task_postrun.connect
def _untag_log_lines(task=None, **kwargs):
    token = getattr(task.request, "log_token", None)
    if token is not None:
        release_request_id(token)
